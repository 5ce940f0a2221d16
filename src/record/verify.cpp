#include "record/verify.hpp"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <tuple>

#include "core/hash.hpp"
#include "crypto/dsse.hpp"
#include "crypto/ed25519.hpp"
#include "record/checkpoint.hpp"
#include "record/merkle.hpp"
#include "record/record.hpp"
#include "record/statement_facts.hpp"
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

// The workspace's own WARC files: "warc/<name>" and nothing else.
class WorkspaceCaptures final : public CaptureArchive {
public:
    explicit WorkspaceCaptures(const std::filesystem::path& workspace) : workspace_(workspace) {}
    Result<WarcRecord> record_at(std::string_view file, std::uint64_t offset) override {
        constexpr std::string_view dir = "warc/";
        std::string_view name = file.substr(std::min(file.size(), dir.size()));
        if (!file.starts_with(dir) || name.empty() || name == "." || name == ".." ||
            name.find_first_of(std::string_view("/\\\0", 3)) != std::string_view::npos) {
            return fail(ErrorCode::parse, fmt::format("the capture file \"{}\" is not a file of the workspace's warc/ "
                                                      "directory",
                                                      file));
        }
        auto path = workspace_ / "warc" / std::string(name);
        std::error_code ec;
        auto status = std::filesystem::status(path, ec);
        if (!ec && status.type() != std::filesystem::file_type::regular) {
            return fail(ErrorCode::parse, fmt::format("{}: not a regular file", path.string()));
        }
        return read_record_at(path, offset);
    }

private:
    std::filesystem::path workspace_;
};

struct Verifier {
    const TrustedKeys& keys;
    CaptureArchive& archive;
    VerifyingKeys trusted;  // keys.by_id, each parsed once for the whole run
    VerifyResult result;
    std::vector<Sha256> entries;  // log entries: envelope digests
    std::vector<Sha256> leaves;
    std::vector<bool> owned;       // log entries a checked record sits at
    std::size_t log_problems = 0;  // problems of the log as a whole come first
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

    void check_record(const StoredRecord& r) {
        ++result.records_checked;
        Sha256 digest = sha256(r.envelope);
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
        if (facts.claim_id != r.claim_id) {
            problem(
                &r, "record",
                fmt::format("the envelope is for claim {}, but the database row says {}", facts.claim_id, r.claim_id));
        }
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
    : impl_(new Impl{Verifier{keys, captures, {}, {}, {}, {}, {}, 0, std::nullopt, false, {}}}) {
    impl_->v.load_log(std::move(log), checkpoints);
}

RecordVerifier::~RecordVerifier() = default;

std::uint64_t RecordVerifier::log_size() const noexcept {
    return impl_->v.entries.size();
}

void RecordVerifier::check(const StoredRecord& record) {
    impl_->v.check_record(record);
}

VerifyResult RecordVerifier::finish(bool whole_log) {
    auto& v = impl_->v;
    if (whole_log) {
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

Result<VerifyResult> verify_workspace(Database& db, const std::filesystem::path& workspace, const TrustedKeys& keys,
                                      const std::vector<std::string>& claim_ids) {
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
    WorkspaceCaptures captures(workspace);
    RecordVerifier verifier(keys, std::move(log), *checkpoints, captures);
    std::vector<StoredRecord> records;
    if (claim_ids.empty()) {
        auto all = db.records();
        if (!all) return std::unexpected(all.error());
        records = std::move(*all);
    } else {
        for (const auto& id : claim_ids) {
            auto some = db.records_for_claim(id);
            if (!some) return std::unexpected(some.error());
            if (some->empty()) return fail(ErrorCode::usage, fmt::format("no record for claim {}", id));
            records.insert(records.end(), some->begin(), some->end());
        }
    }
    for (const auto& r : records)
        verifier.check(r);
    return verifier.finish(claim_ids.empty());
}

}  // namespace provcheck
