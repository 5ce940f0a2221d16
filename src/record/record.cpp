#include "record/record.hpp"

#include <fmt/format.h>

#include <set>
#include <utility>

#include "core/hash.hpp"
#include "crypto/dsse.hpp"
#include "record/checkpoint.hpp"
#include "record/compact_json.hpp"
#include "record/merkle.hpp"

namespace provcheck {

using nlohmann::json;

namespace {

json capture_subject(std::string_view name, const Capture& c) {
    return {{"name", name},
            {"uri", c.final_url.empty() ? c.requested_url : c.final_url},
            {"digest", {{"sha256", c.payload_sha256}}}};
}

}  // namespace

std::string log_origin(const SigningKey& key) {
    return fmt::format("provcheck.local/log/{}", key.key_id().substr(0, 16));
}

std::string checkpoint_key_name(std::string_view key_id) {
    return fmt::format("provcheck-{}", key_id.substr(0, 16));
}

json make_statement(const ArticleResult& article, const ClaimResult& claim, std::string_view rules_digest,
                    std::string_view checked_at) {
    json subjects = json::array();
    subjects.push_back(capture_subject("article", article.capture));
    json captures = json::array();
    auto describe = [&](std::string_view role, const Capture& c) {
        json d = source_json(c);
        d["role"] = role;
        captures.push_back(std::move(d));
    };
    describe("article", article.capture);
    int n = 0;
    for (const auto& cand : claim.candidates) {
        if (!cand.ok() || cand.payload_sha256.empty()) continue;
        std::string name = fmt::format("source:{}", n++);
        subjects.push_back(capture_subject(name, cand));
        describe(name, cand);
    }
    subjects.push_back({{"name", "quote"}, {"digest", {{"sha256", sha256_hex(claim.claim.quote)}}}});

    // The statement is signed before the record exists, so it never names one. A claim is only copied when
    // it already holds a record: the copy carries every capture the claim holds.
    json claim_part;
    if (claim.record) {
        ClaimResult without_record = claim;
        without_record.record.reset();
        claim_part = claim_json(without_record);
    } else {
        claim_part = claim_json(claim);
    }
    json predicate = {
        {"claim", std::move(claim_part)},
        {"article",
         {{"input", article.input},
          {"url", article.document.canonical_url.empty() ? article.capture.final_url : article.document.canonical_url},
          {"title", article.document.title}}},
        {"captures", captures},
        {"checked_at", checked_at},
        {"tool", {{"name", "provcheck"}, {"version", PROVCHECK_VERSION}}},
        {"rules_digest", rules_digest}};
    return {
        {"_type", statement_type}, {"subject", subjects}, {"predicateType", predicate_type}, {"predicate", predicate}};
}

namespace {

Result<CompactRange> read_frontier(Database& db) {
    auto entries = db.log_entries();
    if (!entries) return std::unexpected(entries.error());
    CompactRange range;
    for (const auto& e : *entries)
        range.append(leaf_hash(e));
    return range;
}

Result<StoredCheckpoint> store_checkpoint(Database& db, const SigningKey& key, const Clock& clock,
                                          const CompactRange& range) {
    Checkpoint cp{log_origin(key), range.size(), range.root()};
    StoredCheckpoint stored{range.size(), sign_checkpoint(cp, key, checkpoint_key_name(key.key_id())),
                            format_rfc3339(clock.now())};
    if (auto r = db.save_checkpoint(stored); !r) return std::unexpected(r.error());
    return stored;
}

}  // namespace

Result<StoredCheckpoint> write_checkpoint(Database& db, const SigningKey& key, const Clock& clock) {
    auto range = read_frontier(db);
    if (!range) return std::unexpected(range.error());
    return store_checkpoint(db, key, clock, *range);
}

Result<void> record_article(RecordContext& ctx, ArticleResult& article) {
    const std::string checked_at = format_rfc3339(ctx.clock.now());
    Database::Transaction tx(ctx.db);
    if (auto r = tx.begin(); !r) return r;
    auto size = ctx.db.log_size();
    if (!size) return std::unexpected(size.error());
    std::optional<CompactRange> frontier = ctx.frontier;
    if (!frontier || frontier->size() != *size) {
        auto fresh = read_frontier(ctx.db);
        if (!fresh) return std::unexpected(fresh.error());
        frontier = std::move(*fresh);
    }
    if (auto r = ctx.db.save_public_key(ctx.key.key_id(), ctx.key.public_raw(), checked_at); !r) return r;
    // A capture shared by several claims or links is one row.
    std::set<std::pair<std::string, std::string>> saved;
    auto save = [&](const Capture& c) -> Result<void> {
        if (!saved.emplace(c.requested_url, c.fetched_at).second) return {};
        return ctx.db.save_capture(ctx.run_id, c);
    };
    if (auto r = save(article.capture); !r) return r;
    for (const auto& link : article.links) {
        if (auto r = save(link.capture); !r) return r;
    }
    for (auto& claim : article.claims) {
        for (const auto& cand : claim.candidates) {
            if (auto r = save(cand); !r) return r;
        }
        json statement = make_statement(article, claim, ctx.rules_digest, checked_at);
        Envelope env = sign_envelope(envelope_payload_type, compact_json(statement), ctx.key);
        std::string env_bytes = envelope_json(env);
        Sha256 digest = sha256(env_bytes);
        auto index = ctx.db.append_log_entry(digest);
        if (!index) return std::unexpected(index.error());
        frontier->append(leaf_hash(as_bytes(digest)));
        StoredRecord rec{0,         claim.claim.id, article.input,    std::string(to_string(claim.verdict)),
                         env_bytes, to_hex(digest), ctx.key.key_id(), *index,
                         checked_at};
        if (auto r = ctx.db.save_record(ctx.run_id, rec); !r) return r;
        claim.record = RecordRef{rec.envelope_sha256, rec.key_id, rec.log_index};
    }
    if (auto cp = store_checkpoint(ctx.db, ctx.key, ctx.clock, *frontier); !cp) return std::unexpected(cp.error());
    if (auto r = tx.commit(); !r) return r;
    ctx.frontier = std::move(frontier);  // only once committed: a rolled-back article must not move it
    return {};
}

}  // namespace provcheck
