#include "record/record.hpp"

#include <fmt/format.h>

#include <functional>
#include <set>
#include <utility>
#include <vector>

#include "core/hash.hpp"
#include "core/parallel.hpp"
#include "crypto/dsse.hpp"
#include "record/checkpoint.hpp"
#include "record/compact_json.hpp"
#include "record/manifest.hpp"
#include "record/merkle.hpp"

namespace provcheck {

using nlohmann::json;

std::string log_origin(const SigningKey& key) {
    return fmt::format("provcheck.local/log/{}", key.key_id().substr(0, 16));
}

std::string checkpoint_key_name(std::string_view key_id) {
    return fmt::format("provcheck-{}", key_id.substr(0, 16));
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

namespace {

// Appends a signed envelope of `statement` to the log; returns the envelope bytes, their digest and the index.
struct Logged {
    std::string envelope;
    Sha256 digest{};
    std::uint64_t index = 0;
};
Logged sign_statement(const SigningKey& key, std::string statement) {
    Envelope env = sign_envelope(envelope_payload_type, std::move(statement), key);
    Logged out{envelope_json(env), {}, 0};
    out.digest = sha256(out.envelope);
    return out;
}

Result<void> append_to_log(RecordContext& ctx, CompactRange& frontier, Logged& signed_envelope) {
    auto index = ctx.db.append_log_entry(signed_envelope.digest);
    if (!index) return std::unexpected(index.error());
    signed_envelope.index = *index;
    frontier.append(leaf_hash(as_bytes(signed_envelope.digest)));
    return {};
}

Result<Logged> sign_and_log(RecordContext& ctx, CompactRange& frontier, const json& statement) {
    Logged out = sign_statement(ctx.key, compact_json(statement));
    if (auto r = append_to_log(ctx, frontier, out); !r) return std::unexpected(r.error());
    return out;
}

// Every claim's statement built and signed on the machine's cores: statements and signatures depend on nothing
// but the claim and what its article's claims share (written once, StatementParts), so they run in any order;
// only the log, which follows, is sequential. Below 16 claims one thread does it all.
std::vector<Logged> sign_claims(const RecordContext& ctx, const ArticleResult& article, const std::string& checked_at) {
    std::vector<Logged> out(article.claims.size());
    if (out.empty()) return out;
    const StatementParts parts(article, ctx.rules_digest, checked_at);
    parallel_for(out.size(), 16,
                 [&](std::size_t i) { out[i] = sign_statement(ctx.key, claim_statement(parts, article.claims[i])); });
    return out;
}

// The transaction every write of records shares: the log's frontier, the key, the archive manifest first and
// the checkpoint last. `body` stores what is particular to the write.
Result<void> in_record_transaction(RecordContext& ctx, const std::function<Result<void>(CompactRange&)>& body) {
    const std::string now = format_rfc3339(ctx.clock.now());
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
    if (auto r = ctx.db.save_public_key(ctx.key.key_id(), ctx.key.public_raw(), now); !r) return r;
    std::size_t sealed = 0;
    if (ctx.archive != nullptr && !ctx.archive->unsealed().empty()) {
        const auto& spans = ctx.archive->unsealed();
        ArchiveManifest m{ctx.archive->relative_path(), spans.front().offset, spans.back().offset + spans.back().length,
                          spans, now};
        auto logged = sign_and_log(ctx, *frontier, make_manifest_statement(m));
        if (!logged) return std::unexpected(logged.error());
        StoredManifest row{logged->index,          m.warc_file,      m.start, m.end, std::move(logged->envelope),
                           to_hex(logged->digest), ctx.key.key_id(), now};
        if (auto r = ctx.db.save_manifest(ctx.run_id, row); !r) return r;
        sealed = spans.size();
    }
    if (auto r = body(*frontier); !r) return r;
    if (auto cp = store_checkpoint(ctx.db, ctx.key, ctx.clock, *frontier); !cp) return std::unexpected(cp.error());
    if (auto r = tx.commit(); !r) return r;
    // Only once committed: a rolled-back write must neither move the frontier nor forget the spans.
    ctx.frontier = std::move(frontier);
    if (ctx.archive != nullptr) ctx.archive->seal(sealed);
    return {};
}

}  // namespace

Result<void> record_article(RecordContext& ctx, ArticleResult& article) {
    const std::string checked_at = format_rfc3339(ctx.clock.now());
    const std::string input = record_input(article.input);
    std::vector<Logged> signed_claims = sign_claims(ctx, article, checked_at);
    const std::string* run_key = nullptr;
    if (ctx.run_keys != nullptr) {
        const auto it = ctx.run_keys->find(article.input);
        if (it != ctx.run_keys->end()) run_key = &it->second;
    }
    bool recorded_before = false;
    auto written = in_record_transaction(ctx, [&](CompactRange& frontier) -> Result<void> {
        if (run_key != nullptr) {
            auto fresh = ctx.db.claim_run_key(*run_key, checked_at);
            if (!fresh) return std::unexpected(fresh.error());
            recorded_before = !*fresh;
            if (recorded_before) return {};
        }
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
        for (std::size_t i = 0; i < article.claims.size(); ++i) {
            auto& claim = article.claims[i];
            for (const auto& cand : claim.candidates) {
                if (auto r = save(cand); !r) return r;
            }
            Logged& logged = signed_claims[i];
            if (auto r = append_to_log(ctx, frontier, logged); !r) return r;
            StoredRecord rec{0,
                             claim.claim.id,
                             input,
                             std::string(to_string(claim.verdict)),
                             std::move(logged.envelope),
                             to_hex(logged.digest),
                             ctx.key.key_id(),
                             logged.index,
                             checked_at};
            if (auto r = ctx.db.save_record(ctx.run_id, rec); !r) return r;
            claim.record = RecordRef{rec.envelope_sha256, rec.key_id, rec.log_index};
        }
        return {};
    });
    if (written && recorded_before) {
        article.notes.push_back(
            fmt::format("this run ({}) was recorded before, by a worker whose lease had run out: "
                        "its records are not stored twice",
                        *run_key));
    }
    return written;
}

Result<void> record_archive(RecordContext& ctx) {
    if (ctx.archive == nullptr || ctx.archive->unsealed().empty()) return {};
    return in_record_transaction(ctx, [](CompactRange&) -> Result<void> { return {}; });
}

}  // namespace provcheck
