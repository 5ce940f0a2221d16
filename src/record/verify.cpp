#include "record/verify.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <map>
#include <optional>
#include <span>
#include <tuple>
#include <vector>

#include "core/hash.hpp"
#include "core/parallel.hpp"
#include "crypto/dsse.hpp"
#include "crypto/ed25519.hpp"
#include "record/checkpoint.hpp"
#include "record/manifest.hpp"
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

// The workspace's own WARC files: "warc/<name>.warc.gz", regular files reached without a link, and nothing else.
class WorkspaceCaptures final : public CaptureArchive {
public:
    explicit WorkspaceCaptures(const std::filesystem::path& warc_dir) : warc_dir_(warc_dir) {}
    Result<WarcRecord> record_at(std::string_view file, std::uint64_t offset) override {
        auto fd = open_archive_file(warc_dir_, file);
        if (!fd) return std::unexpected(fd.error());
        ::close(*fd);
        return read_record_at(archive_file_path(warc_dir_, file), offset);
    }
    Result<std::string> hash_range(std::string_view file, std::uint64_t offset, std::uint64_t length) override {
        auto fd = open_archive_file(warc_dir_, file);
        if (!fd) return std::unexpected(fd.error());
        auto got = hash_file_range(*fd, offset, length);
        ::close(*fd);
        return got;
    }
    std::vector<std::pair<std::string, std::uint64_t>> files() override {
        std::vector<std::pair<std::string, std::uint64_t>> out;
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator(warc_dir_, ec)) {
            std::error_code size_ec;
            auto size = e.is_regular_file(size_ec) ? e.file_size(size_ec) : 0;
            out.emplace_back("warc/" + e.path().filename().string(), size_ec ? 0 : size);
        }
        std::sort(out.begin(), out.end());
        return out;
    }

private:
    std::filesystem::path warc_dir_;
};

struct Verifier {
    const TrustedKeys& keys;
    CaptureArchive& archive;
    VerifyingKeys trusted;  // keys.by_id, each parsed once for the whole run
    VerifyResult result;
    std::vector<Sha256> entries;  // log entries: envelope digests
    std::vector<Sha256> leaves;
    std::vector<bool> owned;                                      // log entries a checked record or manifest sits at
    std::map<std::string, std::vector<ArchiveManifest>> by_file;  // verified manifests, by archive file
    std::size_t log_problems = 0;                                 // problems of the log as a whole come first
    std::optional<Checkpoint> checkpoint;
    // The log's first checkpoint->size leaves hash to the root the checkpoint signs. The audit path of every
    // leaf in that prefix then leads to that same root, so each record's inclusion reduces to its entry being
    // the leaf at its index: one O(n) pass for the whole log instead of an O(log n) proof per record.
    bool signed_prefix_matches = false;
    // Captures shared by many records are re-read and re-hashed once: (file, offset, digest) → problem, if any.
    std::map<std::tuple<std::string, std::uint64_t, std::string>, std::optional<std::string>> capture_results;
    // What holds the unsigned copies of signed values, as messages name it.
    std::string holder = "the database";

    void problem(const StoredRecord* r, std::string part, std::string message) {
        result.problems.push_back(
            {r != nullptr ? r->claim_id : "", r != nullptr ? r->log_index : 0, std::move(part), std::move(message)});
    }

    void load_log(std::vector<Sha256> log, const std::vector<StoredCheckpoint>& all) {
        load_log_and_checkpoints(std::move(log), all);
        log_problems = result.problems.size();
    }

    void load_log_and_checkpoints(std::vector<Sha256> log, const std::vector<StoredCheckpoint>& all_checkpoints) {
        for (const auto& [id, pub] : keys.by_id)
            trusted.emplace(id, VerifyingKey(pub));
        entries = std::move(log);
        owned.assign(entries.size(), false);
        leaves.reserve(entries.size());
        for (const auto& d : entries)
            leaves.push_back(leaf_hash(as_bytes(d)));
        const auto* all = &all_checkpoints;
        if (all->empty()) {
            if (!entries.empty()) problem(nullptr, "log", "the log has entries but no signed checkpoint");
            return;
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
            return;
        }
        checkpoint = verified.back().first;
        result.checkpoint_size = checkpoint->size;
        if (checkpoint->size > leaves.size()) {
            problem(nullptr, "log",
                    fmt::format("the signed checkpoint covers {} entries but the log holds only {}: entries were "
                                "deleted",
                                checkpoint->size, leaves.size()));
            return;
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
            return;
        }
        signed_prefix_matches = true;
        for (auto& p : earlier)
            result.problems.push_back(std::move(p));
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
        auto rec = archive.record_at(w.warc_file, w.warc_offset);
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

    void check_manifest(const StoredManifest& m) {
        ++result.manifests_checked;
        if (m.log_index < owned.size()) owned[m.log_index] = true;
        auto at = [&](std::string message) {
            result.problems.push_back(
                {"", m.log_index, "archive", fmt::format("manifest #{}: {}", m.log_index, std::move(message))});
        };
        Sha256 digest = sha256(m.envelope);
        if (to_hex(digest) != m.envelope_sha256) at("the stored envelope does not hash to its recorded digest");
        if (m.log_index >= entries.size() || entries[m.log_index] != digest) {
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
            at(fmt::format("{} says {} bytes {}-{} at {}, but the signed manifest says {} bytes {}-{} at {}", holder,
                           m.warc_file, m.start, m.end, m.created_at, manifest->warc_file, manifest->start,
                           manifest->end, manifest->written_at));
        }
        bool key_named = false;
        for (const auto& sig : env->signatures)
            key_named = key_named || sig.keyid == m.key_id;
        if (!key_named) at(fmt::format("the database names key {}, which did not sign it", m.key_id));
        for (const auto& span : manifest->spans) {
            auto got = archive.hash_range(manifest->warc_file, span.offset, span.length);
            result.archive_bytes_checked += span.length;
            if (!got) {
                at(fmt::format("{} bytes {}+{}: {}", manifest->warc_file, span.offset, span.length,
                               got.error().message));
                break;
            }
            if (*got != span.sha256) {
                at(fmt::format("{} bytes {}+{} hash to {} but were signed as {}: the archive was changed",
                               manifest->warc_file, span.offset, span.length, *got, span.sha256));
            }
        }
        by_file[manifest->warc_file].push_back(std::move(*manifest));
    }

    // The manifests of each archive file must run from its start without gap or overlap: a gap is a manifest
    // removed. Bytes past the last one are an interrupted run's tail (a bundle has none).
    void check_coverage(bool require_full) {
        // A file no manifest names: planted, or written before manifests existed. A bundle carries only signed
        // archive bytes, so there it was added (unless the bundle predates manifests altogether).
        std::map<std::string, std::uint64_t> sizes;
        for (auto& [file, size] : archive.files())
            sizes[file] = size;
        for (const auto& [file, size] : sizes) {
            if (by_file.contains(file)) continue;
            if (require_full && !by_file.empty()) {
                result.problems.push_back({"", 0, "archive", fmt::format("{} is covered by no signed manifest", file)});
            } else {
                result.notes.push_back(fmt::format(
                    "{} is covered by no signed manifest: its bytes are not evidence and are never used", file));
            }
        }
        for (auto& [file, list] : by_file) {
            std::sort(list.begin(), list.end(),
                      [](const ArchiveManifest& a, const ArchiveManifest& b) { return a.start < b.start; });
            std::uint64_t at = 0;
            for (const auto& m : list) {
                if (m.start > at) {
                    result.problems.push_back(
                        {"", 0, "archive",
                         fmt::format("{} bytes {}-{} are covered by no signed manifest: a manifest was removed", file,
                                     at, m.start)});
                } else if (m.start < at) {
                    result.problems.push_back(
                        {"", 0, "archive", fmt::format("{}: two manifests sign bytes {}-{}", file, m.start, at)});
                }
                at = std::max(at, m.end);
            }
            auto it = sizes.find(file);
            if (it == sizes.end() || it->second <= at) continue;
            if (require_full) {
                result.problems.push_back({"", 0, "archive",
                                           fmt::format("{} bytes {}-{} are covered by no signed manifest: they were "
                                                       "added",
                                                       file, at, it->second)});
            } else {
                result.notes.push_back(fmt::format(
                    "{}: the last {} bytes are covered by no signed manifest (a run that did not finish); they are "
                    "not evidence and are never used",
                    file, it->second - at));
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

    // What checking a record costs most, and needs nothing but the record and the trusted keys: its digest,
    // envelope, signature and statement. Several threads may run it at once.
    struct Prechecked {
        Sha256 digest{};
        Result<Envelope> env = std::unexpected(Error{});
        EnvelopeCheck check = EnvelopeCheck::malformed;
        StatementFacts facts;
    };
    [[nodiscard]] Prechecked precheck(const StoredRecord& r) const {
        Prechecked p{sha256(r.envelope), parse_envelope(r.envelope), EnvelopeCheck::malformed, {}};
        if (p.env) {
            p.check = verify_envelope(*p.env, trusted);
            if (p.env->payload_type == envelope_payload_type) p.facts = read_statement_facts(p.env->payload);
        }
        return p;
    }

    void check_record(const StoredRecord& r) { check_record(r, precheck(r)); }

    void check_record(const StoredRecord& r, const Prechecked& pre) {
        ++result.records_checked;
        const Sha256& digest = pre.digest;
        if (to_hex(digest) != r.envelope_sha256) {
            problem(&r, "envelope",
                    fmt::format("the stored envelope hashes to {} but the record says {}", to_hex(digest),
                                r.envelope_sha256));
        }
        // Log: the entry at the record's index must be this envelope's digest, under the signed root.
        if (r.log_index < owned.size()) owned[r.log_index] = true;
        if (r.log_index >= entries.size()) {
            problem(&r, "log", fmt::format("log entry {} does not exist", r.log_index));
        } else if (entries[r.log_index] != digest) {
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

        const auto& env = pre.env;
        if (!env) {
            problem(&r, "envelope", env.error().message);
            return;
        }
        switch (pre.check) {
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
        const StatementFacts& facts = pre.facts;
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
                    fmt::format("{} says {} '{}', but the signed record says '{}'", holder, name, row, signed_value));
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

struct RecordVerifier::Impl {
    Verifier v;
};

RecordVerifier::RecordVerifier(const TrustedKeys& keys, std::vector<Sha256> log,
                               const std::vector<StoredCheckpoint>& checkpoints, CaptureArchive& captures)
    : impl_(new Impl{Verifier{keys, captures, {}, {}, {}, {}, {}, {}, 0, std::nullopt, false, {}, "the database"}}) {
    impl_->v.load_log(std::move(log), checkpoints);
}

RecordVerifier::~RecordVerifier() = default;

void RecordVerifier::set_holder(std::string holder) {
    impl_->v.holder = std::move(holder);
}

std::uint64_t RecordVerifier::log_size() const noexcept {
    return impl_->v.entries.size();
}

void RecordVerifier::check_earlier(std::string_view note) {
    impl_->v.check_earlier(note);
}

void RecordVerifier::check(const StoredRecord& record) {
    impl_->v.check_record(record);
}

void RecordVerifier::check(std::span<const StoredRecord> records) {
    // Signatures and statements on the machine's cores, a bounded batch at a time; the log, the columns and the
    // captures in order on this thread, so problems come out in the records' order.
    constexpr std::size_t batch = 4096;
    std::vector<Verifier::Prechecked> pre;
    for (std::size_t from = 0; from < records.size(); from += batch) {
        const auto part = records.subspan(from, std::min(batch, records.size() - from));
        pre.assign(part.size(), {});
        parallel_for(part.size(), 64, [&](std::size_t i) { pre[i] = impl_->v.precheck(part[i]); });
        for (std::size_t i = 0; i < part.size(); ++i)
            impl_->v.check_record(part[i], pre[i]);
    }
}

void RecordVerifier::check_manifest(const StoredManifest& manifest) {
    impl_->v.check_manifest(manifest);
}

VerifyResult RecordVerifier::finish(bool whole_log, bool require_full_coverage) {
    auto& v = impl_->v;
    if (whole_log) {
        v.check_coverage(require_full_coverage);
        if (v.result.records_checked == 0 && v.result.manifests_checked == 0 && v.entries.empty()) {
            v.problem(nullptr, "record", "it holds no records: there is nothing to verify");
        }
        // Every log entry must belong to a record: a deleted record leaves an orphan entry behind.
        std::vector<VerifyProblem> orphans;
        for (std::size_t i = 0; i < v.owned.size(); ++i) {
            if (!v.owned[i])
                orphans.push_back({"", i, "log", fmt::format("log entry {} has no record: a record was deleted", i)});
        }
        v.result.problems.insert(v.result.problems.begin() + static_cast<std::ptrdiff_t>(v.log_problems),
                                 orphans.begin(), orphans.end());
    }
    return std::move(v.result);
}

Result<VerifyResult> verify_workspace(Database& db, const std::filesystem::path& warc_dir, const TrustedKeys& keys,
                                      const VerifyOptions& options) {
    auto raw_log = db.log_entries();
    if (!raw_log) return std::unexpected(raw_log.error());
    std::vector<Sha256> log;
    log.reserve(raw_log->size());
    for (const auto& e : *raw_log) {
        Sha256 d{};
        std::copy_n(e.data(), std::min(e.size(), d.size()), reinterpret_cast<char*>(d.data()));
        log.push_back(d);
    }
    raw_log->clear();
    raw_log->shrink_to_fit();
    auto checkpoints = db.checkpoints();
    if (!checkpoints) return std::unexpected(checkpoints.error());
    WorkspaceCaptures captures(warc_dir);
    RecordVerifier verifier(keys, std::move(log), *checkpoints, captures);
    for (const auto& note : options.earlier_checkpoints)
        verifier.check_earlier(note);
    std::vector<StoredRecord> records;
    const bool whole = options.claim_ids.empty();
    if (whole) {
        auto all = db.records();
        if (!all) return std::unexpected(all.error());
        records = std::move(*all);
        auto manifests = db.manifests();
        if (!manifests) return std::unexpected(manifests.error());
        for (const auto& m : *manifests)
            verifier.check_manifest(m);
    } else {
        for (const auto& id : options.claim_ids) {
            auto some = db.records_for_claim(id);
            if (!some) return std::unexpected(some.error());
            if (some->empty()) return fail(ErrorCode::usage, fmt::format("no record for claim {}", id));
            records.insert(records.end(), some->begin(), some->end());
        }
    }
    verifier.check(records);
    return verifier.finish(whole, options.require_full_coverage);
}

}  // namespace provcheck
