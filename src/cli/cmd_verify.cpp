#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "cli/command.hpp"
#include "core/fs.hpp"
#include "record/bundle.hpp"
#include "record/timestamps.hpp"

namespace provcheck {

namespace {

struct VerifyState {
    bool all = false;
    bool quiet = false;
    std::vector<std::string> ids;
    std::vector<std::filesystem::path> trust;
    StoreLocation location;
    std::optional<std::filesystem::path> key_file;
    std::optional<std::filesystem::path> bundle;
    std::vector<std::filesystem::path> checkpoints;  // --checkpoint FILE: signed notes saved earlier
    std::optional<std::filesystem::path> tsa_cert;   // --tsa-cert FILE: the TSA's certificate chain (PEM)
};

// Adds the timestamps that did not verify to `result`, and says for each record (claim id, log index) the
// earliest time a verified timestamp vouches it existed by.
void report_timestamps(VouchedTimes vouched, const std::vector<std::pair<std::string, std::uint64_t>>& records,
                       const VerifyState& st, VerifyResult& result) {
    for (auto& p : vouched.problems)
        result.problems.push_back(std::move(p));
    std::size_t covered = 0;
    for (const auto& [claim_id, log_index] : records) {
        auto by = vouched.existed_by(log_index);
        if (!by) continue;
        ++covered;
        if (!st.quiet) {
            std::printf("timestamp: claim %s (log #%llu) existed by %s\n", claim_id.c_str(),
                        static_cast<unsigned long long>(log_index), by->c_str());
        }
    }
    if (!st.quiet) {
        std::printf("timestamps: %zu of %zu token%s verify against %s; %zu of %zu record%s vouched for\n",
                    vouched.by_checkpoint.size(), vouched.tokens, vouched.tokens == 1 ? "" : "s", st.tsa_cert->c_str(),
                    covered, records.size(), records.size() == 1 ? "" : "s");
    }
}

// --tsa-cert's certificates, read once before anything is verified: a file that holds none is a usage error.
Result<std::optional<TsaCertificates>> tsa_certificates(const VerifyState& st) {
    if (!st.tsa_cert) return std::optional<TsaCertificates>{};
    if (auto ok = require_regular_file(*st.tsa_cert); !ok) {
        return fail(ErrorCode::usage, fmt::format("--tsa-cert: {}", ok.error().message));
    }
    auto certs = TsaCertificates::load(*st.tsa_cert);
    if (!certs) return fail(ErrorCode::usage, fmt::format("--tsa-cert: {}", certs.error().message));
    return std::optional<TsaCertificates>{std::move(*certs)};
}

// The workspace's trusted timestamps against --tsa-cert, for the records verify checked.
Result<void> check_timestamps(Database& db, const VerifyState& st, const TsaCertificates& certs, VerifyResult& result) {
    auto vouched = verify_timestamps(db, certs);
    if (!vouched) return std::unexpected(vouched.error());
    auto stored = db.records();
    if (!stored) return std::unexpected(stored.error());
    std::vector<std::pair<std::string, std::uint64_t>> records;
    for (const auto& r : *stored) {
        if (!st.all && std::none_of(st.ids.begin(), st.ids.end(),
                                    [&](const std::string& id) { return r.claim_id.starts_with(id); })) {
            continue;
        }
        records.emplace_back(r.claim_id, r.log_index);
    }
    report_timestamps(std::move(*vouched), records, st, result);
    return {};
}

// The signed notes of --checkpoint files (`provcheck log checkpoint > FILE` wrote them).
Result<std::vector<std::string>> earlier_checkpoints(const VerifyState& st) {
    std::vector<std::string> notes;
    for (const auto& f : st.checkpoints) {
        auto text = read_file(f);
        if (!text) return fail(ErrorCode::usage, fmt::format("--checkpoint: {}", text.error().message));
        notes.push_back(std::move(*text));
    }
    return notes;
}

int print_result(const VerifyResult& result, bool quiet) {
    for (const auto& p : result.problems) {
        if (p.claim_id.empty()) {
            std::printf("FAIL %s: %s\n", p.part.c_str(), p.message.c_str());
        } else {
            std::printf("FAIL claim %s (log #%llu) %s: %s\n", p.claim_id.c_str(),
                        static_cast<unsigned long long>(p.log_index), p.part.c_str(), p.message.c_str());
        }
    }
    if (!quiet) {
        for (const auto& n : result.notes)
            std::printf("note: %s\n", n.c_str());
    }
    if (!quiet || !result.problems.empty()) {
        std::string outcome = result.problems.empty() ? std::string("all verify")
                                                      : fmt::format("{} problem{}", result.problems.size(),
                                                                    result.problems.size() == 1 ? "" : "s");
        std::printf("%zu record%s, %zu capture%s checked against a checkpoint of %llu entries: %s\n",
                    result.records_checked, result.records_checked == 1 ? "" : "s", result.captures_checked,
                    result.captures_checked == 1 ? "" : "s", static_cast<unsigned long long>(result.checkpoint_size),
                    outcome.c_str());
    }
    return result.problems.empty() ? exit_ok : exit_failures;
}

int verify_a_bundle(const VerifyState& st) {
    TrustedKeys keys;
    if (!st.trust.empty() || st.key_file) {
        auto pinned = trusted_keys(st.key_file, st.trust);
        if (!pinned) return report_error(pinned.error());
        keys = std::move(*pinned);
    }
    auto earlier = earlier_checkpoints(st);
    if (!earlier) return report_error(earlier.error());
    auto certs = tsa_certificates(st);
    if (!certs) return report_error(certs.error());
    auto verified = verify_bundle(*st.bundle, keys, *earlier, {}, *certs ? &**certs : nullptr);
    if (!verified) return report_error(verified.error());
    if (verified->timestamps)
        report_timestamps(std::move(*verified->timestamps), verified->records, st, verified->result);
    if (!st.quiet) {
        if (verified->archive_key.empty()) {
            std::printf("note: the archive carries no signature for web-archive players\n");
        } else {
            std::printf(
                "note: the archive is signed for web-archive players by archive key %s, endorsed by "
                "signing key %s\n",
                verified->archive_key.c_str(), verified->archive_endorsed_by.c_str());
        }
    }
    if (verified->trusted_bundle_keys && !st.quiet) {
        for (const auto& id : verified->bundle_key_ids) {
            std::printf("note: trusting the bundle's own key %s; pin keys with --trust FILE\n", id.c_str());
        }
    }
    return print_result(verified->result, st.quiet);
}

int cmd_verify(const VerifyState& st) {
    if (st.bundle) {
        if (!st.ids.empty()) {
            std::fprintf(stderr, "provcheck verify: --bundle checks every record of the bundle; give no CLAIM_ID\n");
            return exit_usage;
        }
        return verify_a_bundle(st);
    }
    if (!st.all && st.ids.empty()) {
        std::fprintf(stderr, "provcheck verify: give --all, --bundle FILE or one or more CLAIM_IDs\n");
        return exit_usage;
    }
    auto certs = tsa_certificates(st);
    if (!certs) return report_error(certs.error());
    auto keys = trusted_keys(st.key_file, st.trust);
    if (!keys) return report_error(keys.error());
    auto earlier = earlier_checkpoints(st);
    if (!earlier) return report_error(earlier.error());
    std::error_code ec;
    auto resolved = resolve_store(st.location);
    if (!resolved) return report_error(resolved.error());
    const StoreLocation& location = *resolved;
    if (!location.server() && std::filesystem::is_directory(location.workspace, ec) &&
        !std::filesystem::exists(location.workspace / "store.db", ec)) {
        // A workspace whose database is gone has lost its records: that is a finding, never an empty success.
        std::printf("FAIL store: %s is missing: the workspace's records and log are gone\n",
                    (location.workspace / "store.db").c_str());
        return exit_failures;
    }
    auto db = open_store(location, false);
    if (!db) return report_error(db.error());
    VerifyOptions options;
    if (!st.all) options.claim_ids = st.ids;
    options.earlier_checkpoints = std::move(*earlier);
    if (location.server() && location.warc_dir.empty()) {
        std::printf("note: captures are read from %s; give --warc-dir for the directory the workers share\n",
                    location.archive_dir().c_str());
    }
    // Workers may be recording while verify reads: it reads one snapshot of the store.
    Database::ReadSnapshot snapshot(*db);
    if (auto r = snapshot.begin(); !r) return report_error(r.error());
    auto result = verify_workspace(*db, location.archive_dir(), *keys, options);
    if (!result) return report_error(result.error());
    if (*certs) {
        if (auto r = check_timestamps(*db, st, **certs, *result); !r) return report_error(r.error());
    } else if (!st.quiet) {
        if (auto stamps = db->timestamps(); stamps && !stamps->empty()) {
            std::printf("note: the workspace holds %zu trusted timestamp%s; --tsa-cert FILE checks them\n",
                        stamps->size(), stamps->size() == 1 ? "" : "s");
        }
    }
    return print_result(*result, st.quiet);
}

}  // namespace

Command add_verify_command(CLI::App& app) {
    auto st = std::make_shared<VerifyState>();
    auto* verify = app.add_subcommand("verify", "Check stored records: signatures, captured bodies, log inclusion.");
    verify->add_flag("--all", st->all, "Verify every record in the workspace");
    verify->add_option("CLAIM_ID", st->ids, "Claims to verify (an id prefix is enough)");
    verify->add_option("--bundle", st->bundle, "Verify a bundle written by `provcheck export` instead of a workspace");
    add_store_options(*verify, st->location);
    verify->add_option("--key", st->key_file, "Signing key whose public half is trusted (default as for check)");
    verify->add_option("--trust", st->trust, "File of trusted public keys (PEM); repeatable");
    verify->add_option("--checkpoint", st->checkpoints,
                       "A checkpoint saved earlier (`provcheck log checkpoint > FILE`): the log must still hold "
                       "everything it signed, so a rollback is caught; repeatable");
    verify->add_option("--tsa-cert", st->tsa_cert,
                       "The Time-Stamp Authority's certificate chain (PEM): check the trusted timestamps (`check "
                       "--tsa`) of the workspace or bundle and say when each record existed by");
    verify->add_flag("--quiet,-q", st->quiet, "Print only problems");
    return {verify, [st] { return cmd_verify(*st); }};
}

}  // namespace provcheck
