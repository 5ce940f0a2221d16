// The record stage: one signed, logged provenance record per claim (DESIGN.md "Provenance record").
// An in-toto Statement v1 whose subjects are the article capture, each source capture and the quoted text,
// signed in a DSSE envelope, its SHA-256 appended to the workspace's Merkle log, all in one transaction per
// article so that a crash never leaves a record without its log entry or the reverse.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/ed25519.hpp"
#include "record/merkle.hpp"
#include "report/report.hpp"
#include "store/db.hpp"

namespace provcheck {

inline constexpr std::string_view statement_type = "https://in-toto.io/Statement/v1";
inline constexpr std::string_view predicate_type = "https://provcheck.dev/claim-verification/v1";
inline constexpr std::string_view envelope_payload_type = "application/vnd.in-toto+json";

struct RecordContext {
    const SigningKey& key;
    Database& db;
    std::int64_t run_id = 0;
    std::string rules_digest;
    const Clock& clock;
    // The log's right edge as this process last saw it, so that checkpointing after each article costs
    // O(log n); rebuilt from the database whenever another process has appended in between.
    std::optional<CompactRange> frontier{};
};

// The statement for one claim (exposed for tests and for `show`).
[[nodiscard]] nlohmann::json make_statement(const ArticleResult& article, const ClaimResult& claim,
                                            std::string_view rules_digest, std::string_view checked_at);

// Signs, logs and stores a record for every claim of `article`, filling ClaimResult::record, then writes a
// new signed checkpoint of the log. One transaction.
[[nodiscard]] Result<void> record_article(RecordContext& ctx, ArticleResult& article);

// The log's origin line and the checkpoint key name for a signing key.
[[nodiscard]] std::string log_origin(const SigningKey& key);
[[nodiscard]] std::string checkpoint_key_name(std::string_view key_id);

// Signs a checkpoint of the whole current log and stores it (inside the caller's transaction, if any).
[[nodiscard]] Result<StoredCheckpoint> write_checkpoint(Database& db, const SigningKey& key, const Clock& clock);

}  // namespace provcheck
