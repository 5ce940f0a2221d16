#include "record/verify.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "core/hash.hpp"
#include "crypto/dsse.hpp"
#include "crypto/ed25519.hpp"
#include "record/checkpoint.hpp"
#include "record/merkle.hpp"
#include "record/record.hpp"
#include "record/statement_facts.hpp"
#include "record/vouch.hpp"
#include "warc/warc_reader.hpp"

namespace provcheck {

namespace {

// The payload a capture subject's digest covers: the HTTP entity body (codings undone) of a response, the
// block of a resource.
Result<std::string> record_payload(const WarcRecord& rec) {
    if (rec.type() == "resource") return rec.block;
    if (rec.type() != "response") {
        return fail(ErrorCode::parse, fmt::format("the WARC record is a {}, not a response", rec.type()));
    }
    auto http = parse_http_response(rec.block);
    if (!http) return std::unexpected(http.error());
    return std::move(http->body);
}

struct Verifier {
    Database& db;
    const std::filesystem::path& workspace;
    const TrustedKeys& keys;
    VerifyingKeys trusted;  // keys.by_id, each parsed once for the whole run
    VerifyResult result;
    std::vector<std::string> entries;  // log entries, raw 32-byte digests
    std::vector<Sha256> leaves;
    std::optional<Checkpoint> checkpoint;
    // The log's first checkpoint->size leaves hash to the root the checkpoint signs. The audit path of every
    // leaf in that prefix then leads to that same root, so each record's inclusion reduces to its entry being
    // the leaf at its index: one O(n) pass for the whole log instead of an O(log n) proof per record.
    bool signed_prefix_matches = false;
    // Captures shared by many records are re-read and re-hashed once: (file, offset, digest) → problem, if any.
    std::map<std::tuple<std::string, std::uint64_t, std::string>, std::optional<std::string>> capture_results;

    void problem(const StoredRecord* r, std::string part, std::string message) {
        result.problems.push_back(
            {r != nullptr ? r->claim_id : "", r != nullptr ? r->log_index : 0, std::move(part), std::move(message)});
    }

    Result<void> load_log() {
        for (const auto& [id, pub] : keys.by_id)
            trusted.emplace(id, VerifyingKey(pub));
        auto e = db.log_entries();
        if (!e) return std::unexpected(e.error());
        entries = std::move(*e);
        leaves.reserve(entries.size());
        for (const auto& d : entries)
            leaves.push_back(leaf_hash(d));
        auto all = db.checkpoints();
        if (!all) return std::unexpected(all.error());
        if (all->empty()) {
            if (!entries.empty()) problem(nullptr, "log", "the log has entries but no signed checkpoint");
            return {};
        }
        // Every checkpoint ever signed must still describe a prefix of today's log: a rewritten past shows
        // up as an older checkpoint the log is no longer consistent with.
        std::vector<std::pair<Checkpoint, std::string>> verified;
        for (const auto& stored : *all) {
            std::optional<Checkpoint> cp = verify_note(stored.note);
            if (!cp) {
                problem(nullptr, "log",
                        fmt::format("the checkpoint of size {} ({}) is not signed by a trusted key", stored.size,
                                    stored.created_at));
                continue;
            }
            if (cp->size != stored.size) {
                problem(nullptr, "log",
                        fmt::format("the checkpoint stored as size {} is signed for size {}", stored.size, cp->size));
                continue;
            }
            verified.emplace_back(*cp, stored.created_at);
        }
        if (verified.empty()) {
            problem(nullptr, "log", "the latest checkpoint is not signed by a trusted key");
            return {};
        }
        checkpoint = verified.back().first;
        result.checkpoint_size = checkpoint->size;
        if (checkpoint->size > leaves.size()) {
            problem(nullptr, "log",
                    fmt::format("the signed checkpoint covers {} entries but the log holds only {}: entries were "
                                "deleted",
                                checkpoint->size, leaves.size()));
            return {};
        }
        // Every checkpoint's prefix root in one pass over the leaves: the log is consistent with a checkpoint
        // exactly when its prefix still hashes to the root that checkpoint signed. The latest is checked
        // last but reported alone when it fails, as it says the most.
        CompactRange range;
        std::size_t next = 0;
        auto advance_to = [&](std::uint64_t size) {
            while (range.size() < size && next < leaves.size())
                range.append(leaves[next++]);
        };
        std::vector<VerifyProblem> earlier;
        for (std::size_t i = 0; i + 1 < verified.size(); ++i) {
            const auto& [old_cp, when] = verified[i];
            advance_to(old_cp.size);
            if (range.size() != old_cp.size || range.root() != old_cp.root) {
                earlier.push_back({"", 0, "log",
                                   fmt::format("the log is not consistent with the earlier checkpoint of size {} "
                                               "({}): entries before it were changed",
                                               old_cp.size, when)});
            }
        }
        advance_to(checkpoint->size);
        if (range.root() != checkpoint->root) {
            problem(nullptr, "log",
                    fmt::format("the log's first {} entries no longer hash to the signed checkpoint's root",
                                checkpoint->size));
            return {};
        }
        signed_prefix_matches = true;
        for (auto& p : earlier)
            result.problems.push_back(std::move(p));
        return {};
    }

    std::optional<Checkpoint> verify_note(std::string_view note) const {
        for (const auto& [id, key] : trusted) {
            if (auto cp = verify_checkpoint(note, checkpoint_key_name(id), key)) return *cp;
        }
        return std::nullopt;
    }

    void check_capture(const StoredRecord& r, const StatementFacts::Subject& subject,
                       const std::vector<StatementFacts::CaptureRef>& captures) {
        const StatementFacts::CaptureRef* desc = nullptr;
        for (const auto& c : captures) {
            if (c.role == subject.name) desc = &c;
        }
        if (desc == nullptr || !desc->has_warc) {
            problem(
                &r, "capture",
                fmt::format("{} ({}): the record does not say where the capture is stored", subject.name, subject.uri));
            return;
        }
        auto key = std::make_tuple(desc->warc_file, desc->warc_offset, subject.sha256 + "\n" + desc->warc_record_id);
        if (auto seen = capture_results.find(key); seen != capture_results.end()) {
            if (seen->second) problem(&r, "capture", *seen->second);
            return;
        }
        const std::size_t before = result.problems.size();
        check_capture_at(r, subject, *desc);
        capture_results[key] =
            result.problems.size() > before ? std::optional(result.problems.back().message) : std::nullopt;
    }

    void check_capture_at(const StoredRecord& r, const StatementFacts::Subject& subject,
                          const StatementFacts::CaptureRef& w) {
        ++result.captures_checked;
        const std::string& name = subject.name;
        const std::string& uri = subject.uri;
        const std::string& want = subject.sha256;
        // What a statement names is opened only as an archive file of this workspace, and only when it is a
        // regular file: never a path elsewhere, a link or a pipe.
        auto fd = open_archive_file(workspace, w.warc_file);
        if (!fd) {
            problem(&r, "capture", fmt::format("{} ({}): {}", name, uri, fd.error().message));
            return;
        }
        ::close(*fd);
        auto rec = read_record_at(workspace / w.warc_file, w.warc_offset);
        if (!rec) {
            problem(&r, "capture", fmt::format("{} ({}): {}", name, uri, rec.error().message));
            return;
        }
        if (std::string(rec->record_id()) != w.warc_record_id) {
            problem(&r, "capture",
                    fmt::format("{} ({}): the WARC record at {}:{} is {}, not {}", name, uri, w.warc_file,
                                w.warc_offset, rec->record_id(), w.warc_record_id));
            return;
        }
        auto payload = record_payload(*rec);
        if (!payload) {
            problem(&r, "capture", fmt::format("{} ({}): {}", name, uri, payload.error().message));
            return;
        }
        std::string got = sha256_hex(*payload);
        if (got != want) {
            problem(&r, "capture",
                    fmt::format("{} ({}): the stored body hashes to {} but the record says {} ({}:{})", name, uri, got,
                                want, w.warc_file, w.warc_offset));
        }
    }

    // An archive manifest: stored like a record (envelope, log entry, columns that repeat signed values), and
    // every span it signs re-hashed from the archive file.
    void check_manifest(const StoredManifest& m, std::map<std::string, std::vector<ArchiveManifest>>& by_file) {
        ++result.manifests_checked;
        auto at = [&](std::string message) {
            result.problems.push_back(
                {"", m.log_index, "archive", fmt::format("manifest #{}: {}", m.log_index, std::move(message))});
        };
        Sha256 digest = sha256(m.envelope);
        if (to_hex(digest) != m.envelope_sha256) at("the stored envelope does not hash to its recorded digest");
        if (m.log_index >= entries.size() ||
            std::string_view(entries[m.log_index]) !=
                std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size())) {
            at("its log entry is not this envelope's digest");
        } else if (checkpoint && m.log_index >= checkpoint->size) {
            at("it is not covered by a signed checkpoint");
        }
        auto env = parse_envelope(m.envelope);
        if (!env) return at(env.error().message);
        if (auto check = verify_envelope(*env, trusted); check != EnvelopeCheck::ok) {
            return at(fmt::format("the signature does not verify ({})", to_string(check)));
        }
        auto manifest = read_manifest_statement(env->payload);
        if (!manifest) return at(manifest.error().message);
        if (manifest->warc_file != m.warc_file || manifest->start != m.start || manifest->end != m.end ||
            manifest->written_at != m.created_at) {
            at(fmt::format("the database says {} bytes {}-{} at {}, but the signed manifest says {} bytes {}-{} at {}",
                           m.warc_file, m.start, m.end, m.created_at, manifest->warc_file, manifest->start,
                           manifest->end, manifest->written_at));
        }
        bool key_named = false;
        for (const auto& sig : env->signatures)
            key_named = key_named || sig.keyid == m.key_id;
        if (!key_named) at(fmt::format("the database names key {}, which did not sign it", m.key_id));
        auto fd = open_archive_file(workspace, manifest->warc_file);
        if (!fd) return at(fd.error().message);
        for (const auto& span : manifest->spans) {
            auto got = hash_file_range(*fd, span.offset, span.length);
            result.archive_bytes_checked += span.length;
            if (!got) {
                at(fmt::format("{} bytes {}+{}: {}", manifest->warc_file, span.offset, span.length,
                               got.error().message));
            } else if (*got != span.sha256) {
                at(fmt::format("{} bytes {}+{} hash to {} but were signed as {}: the archive was changed",
                               manifest->warc_file, span.offset, span.length, *got, span.sha256));
            }
        }
        ::close(*fd);
        by_file[manifest->warc_file].push_back(std::move(*manifest));
    }

    // The manifests of each archive file must run from its start without gap or overlap: a gap is a manifest
    // removed. Bytes past the last one are an interrupted run's tail (a bundle has none).
    void check_coverage(std::map<std::string, std::vector<ArchiveManifest>>& by_file, bool require_full) {
        // A file no manifest names: planted, or written before manifests existed. A bundle carries only signed
        // archive bytes, so there it was added (unless the bundle predates manifests altogether).
        std::error_code ec;
        std::vector<std::string> unnamed;
        for (const auto& e : std::filesystem::directory_iterator(workspace / "warc", ec)) {
            std::string relative = "warc/" + e.path().filename().string();
            if (!by_file.contains(relative)) unnamed.push_back(std::move(relative));
        }
        std::sort(unnamed.begin(), unnamed.end());
        for (const auto& relative : unnamed) {
            if (require_full && !by_file.empty()) {
                result.problems.push_back(
                    {"", 0, "archive", fmt::format("{} is covered by no signed manifest", relative)});
            } else {
                result.notes.push_back(fmt::format(
                    "{} is covered by no signed manifest: its bytes are not evidence and are never used", relative));
            }
        }
        for (auto& [file, list] : by_file) {
            std::sort(list.begin(), list.end(),
                      [](const ArchiveManifest& a, const ArchiveManifest& b) { return a.start < b.start; });
            std::uint64_t at = 0;
            for (const auto& m : list) {
                if (m.start > at) {
                    result.problems.push_back({"", 0, "archive",
                                               fmt::format("{} bytes {}-{} are covered by no signed manifest: a "
                                                           "manifest was removed",
                                                           file, at, m.start)});
                } else if (m.start < at) {
                    result.problems.push_back(
                        {"", 0, "archive", fmt::format("{}: two manifests sign bytes {}-{}", file, m.start, at)});
                }
                at = std::max(at, m.end);
            }
            auto size = std::filesystem::file_size(workspace / file, ec);
            if (ec || size <= at) continue;
            if (require_full) {
                result.problems.push_back(
                    {"", 0, "archive",
                     fmt::format("{} bytes {}-{} are covered by no signed manifest: they were added", file, at, size)});
            } else {
                result.notes.push_back(fmt::format(
                    "{}: the last {} bytes are covered by no signed manifest (a run that did not finish); they are "
                    "not evidence and are never used",
                    file, size - at));
            }
        }
    }

    // A checkpoint saved or published earlier: the log must still begin with what it signed.
    void check_earlier(std::string_view note) {
        std::optional<Checkpoint> cp = verify_note(note);
        if (!cp) {
            problem(nullptr, "log", "the checkpoint given with --checkpoint is not signed by a trusted key");
            return;
        }
        if (cp->size > leaves.size()) {
            problem(nullptr, "log",
                    fmt::format("the log holds {} entries but a checkpoint signed earlier covers {}: {} entries were "
                                "removed (the workspace was rolled back)",
                                leaves.size(), cp->size, cp->size - leaves.size()));
            return;
        }
        CompactRange range;
        for (std::size_t i = 0; i < cp->size; ++i)
            range.append(leaves[i]);
        if (range.root() != cp->root) {
            problem(nullptr, "log",
                    fmt::format("the log's first {} entries no longer hash to the root of the checkpoint given: the "
                                "log was rewritten",
                                cp->size));
        }
    }

    void check_record(const StoredRecord& r) {
        ++result.records_checked;
        Sha256 digest = sha256(r.envelope);
        if (to_hex(digest) != r.envelope_sha256) {
            problem(&r, "envelope",
                    fmt::format("the stored envelope hashes to {} but the record says {}", to_hex(digest),
                                r.envelope_sha256));
        }
        // Log: the entry at the record's index must be this envelope's digest, under the signed root.
        if (r.log_index >= entries.size()) {
            problem(&r, "log", fmt::format("log entry {} does not exist", r.log_index));
        } else if (std::string_view(entries[r.log_index]) !=
                   std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size())) {
            problem(&r, "log",
                    fmt::format("log entry {} is {}, not this envelope's digest {}", r.log_index,
                                to_hex(entries[r.log_index]), to_hex(digest)));
        } else if (checkpoint && r.log_index < checkpoint->size && checkpoint->size <= leaves.size()) {
            if (!signed_prefix_matches) {
                problem(&r, "log",
                        fmt::format("entry {} is not included in the signed checkpoint of size {}", r.log_index,
                                    checkpoint->size));
            }
        } else if (checkpoint && r.log_index >= checkpoint->size) {
            problem(&r, "log", fmt::format("entry {} is not covered by a signed checkpoint", r.log_index));
        }

        auto env = parse_envelope(r.envelope);
        if (!env) {
            problem(&r, "envelope", env.error().message);
            return;
        }
        auto check = verify_envelope(*env, trusted);
        switch (check) {
            case EnvelopeCheck::ok:
                break;
            case EnvelopeCheck::unknown_key: {
                // The envelope's own key ids, not the row's: a record re-signed by another key names that key.
                std::string signers;
                for (const auto& sig : env->signatures) {
                    if (!signers.empty()) signers += ", ";
                    signers += sig.keyid.empty() ? std::string("(no key id)") : sig.keyid;
                }
                problem(&r, "key", fmt::format("signed by key {}, which is not trusted", signers));
                break;
            }
            case EnvelopeCheck::bad_signature:
                problem(&r, "envelope", "the signature does not verify: the envelope was changed after signing");
                break;
            case EnvelopeCheck::malformed:
                problem(&r, "envelope", "the envelope is malformed");
                break;
        }
        if (env->payload_type != envelope_payload_type) {
            problem(&r, "envelope", fmt::format("unexpected payload type {}", env->payload_type));
            return;
        }
        const StatementFacts facts = read_statement_facts(env->payload);
        if (!facts.statement) {
            problem(&r, "envelope", "the payload is not an in-toto Statement v1");
            return;
        }
        if (facts.predicate_type != claim_predicate_v1 && facts.predicate_type != claim_predicate_v2) {
            problem(&r, "envelope", fmt::format("predicate type {} is not a claim record", facts.predicate_type));
            return;
        }
        // Every column that repeats a signed value must still say what was signed: `show` and reports read the
        // statement, but anything reading the row must not be told another story.
        auto column = [&](std::string_view name, std::string_view row, std::string_view signed_value) {
            if (row == signed_value) return;
            problem(&r, "record",
                    fmt::format("the database says {} '{}', but the signed record says '{}'", name, row, signed_value));
        };
        column("claim", r.claim_id, facts.claim_id);
        column("verdict", r.verdict, facts.verdict);
        column("article", r.article, facts.article_input);
        column("created_at", r.created_at, facts.checked_at);
        bool key_named = false;
        for (const auto& sig : env->signatures)
            key_named = key_named || sig.keyid == r.key_id;
        if (!key_named)
            problem(&r, "record", fmt::format("the database names key {}, which did not sign it", r.key_id));
        for (const auto& subject : facts.subjects) {
            if (subject.name == "quote") {
                if (sha256_hex(facts.quote) != subject.sha256) {
                    problem(&r, "quote", "the quoted text no longer hashes to its subject digest");
                }
            } else {
                check_capture(r, subject, facts.captures);
            }
        }
    }
};

}  // namespace

Result<VerifyResult> verify_workspace(Database& db, const std::filesystem::path& workspace, const TrustedKeys& keys,
                                      const VerifyOptions& options) {
    Verifier v{db, workspace, keys, {}, {}, {}, {}, std::nullopt, false, {}};
    if (auto r = v.load_log(); !r) return std::unexpected(r.error());
    for (const auto& note : options.earlier_checkpoints)
        v.check_earlier(note);
    std::vector<StoredRecord> records;
    if (options.claim_ids.empty()) {
        auto all = db.records();
        if (!all) return std::unexpected(all.error());
        records = std::move(*all);
        auto manifests = db.manifests();
        if (!manifests) return std::unexpected(manifests.error());
        if (records.empty() && manifests->empty() && v.entries.empty()) {
            v.problem(nullptr, "record", "the workspace holds no records: there is nothing to verify");
        }
        // Every log entry must belong to a record or a manifest: a deleted one leaves an orphan entry behind.
        std::vector<bool> owned(v.entries.size(), false);
        for (const auto& r : records) {
            if (r.log_index < owned.size()) owned[r.log_index] = true;
        }
        std::map<std::string, std::vector<ArchiveManifest>> by_file;
        for (const auto& m : *manifests) {
            if (m.log_index < owned.size()) owned[m.log_index] = true;
            v.check_manifest(m, by_file);
        }
        v.check_coverage(by_file, options.require_full_coverage);
        for (std::size_t i = 0; i < owned.size(); ++i) {
            if (!owned[i]) {
                v.result.problems.push_back(
                    {"", i, "log", fmt::format("log entry {} has no record: a record was deleted", i)});
            }
        }
    } else {
        for (const auto& id : options.claim_ids) {
            auto some = db.records_for_claim(id);
            if (!some) return std::unexpected(some.error());
            if (some->empty()) return fail(ErrorCode::usage, fmt::format("no record for claim {}", id));
            records.insert(records.end(), some->begin(), some->end());
        }
    }
    for (const auto& r : records)
        v.check_record(r);
    return std::move(v.result);
}

}  // namespace provcheck
