// The record stage: one signed, logged provenance record per claim (DESIGN.md "Provenance record").
// An in-toto Statement v1 whose subjects are the article capture, each source capture and the quoted text
// (record/claim_statement.hpp has the schema), signed in a DSSE envelope, its SHA-256 appended to the
// workspace's Merkle log, all in one transaction per article so that a crash never leaves a record without
// its log entry or the reverse. Before the claims, the archive bytes written since the last record are signed
// in an archive manifest (record/manifest.hpp), so that everything a record or report uses is covered.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/ed25519.hpp"
#include "model/result.hpp"
#include "record/claim_statement.hpp"
#include "record/merkle.hpp"
#include "store/db.hpp"
#include "warc/warc_writer.hpp"

namespace provcheck {

struct RecordContext {
    const SigningKey& key;
    Database& db;
    std::int64_t run_id = 0;
    std::string rules_digest;
    const Clock& clock;
    // The archive this run writes to; its unsealed spans are signed in a manifest with each article's records.
    // Null when the run writes no archive.
    WarcWriter* archive = nullptr;
    // The log's right edge as this process last saw it, so that checkpointing after each article costs
    // O(log n); rebuilt from the database whenever another process has appended in between.
    std::optional<CompactRange> frontier{};
    // Idempotency keys of article runs by input (a queue item's): an article whose key an earlier transaction
    // claimed has its records stored already and gets none this time, only a note. Null: no keys.
    const std::map<std::string, std::string>* run_keys = nullptr;
};

// Signs, logs and stores a manifest of the archive spans not yet vouched for, then a record for every claim of
// `article`, filling ClaimResult::record, then writes a new signed checkpoint of the log. One transaction. The
// archive must have been synced (the records name its bytes).
[[nodiscard]] Result<void> record_article(RecordContext& ctx, ArticleResult& article);

// The same for the archive spans alone, at the end of a run (what no article's records needed: a sitemap, an
// article that could not be checked). Does nothing when every span is vouched for already.
[[nodiscard]] Result<void> record_archive(RecordContext& ctx);

// The log's origin line and the checkpoint key name for a signing key.
[[nodiscard]] std::string log_origin(const SigningKey& key);
[[nodiscard]] std::string checkpoint_key_name(std::string_view key_id);

// Signs a checkpoint of the whole current log and stores it (inside the caller's transaction, if any).
[[nodiscard]] Result<StoredCheckpoint> write_checkpoint(Database& db, const SigningKey& key, const Clock& clock);

}  // namespace provcheck
