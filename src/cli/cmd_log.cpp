#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <span>

#include "cli/command.hpp"
#include "cli/keys.hpp"
#include "core/clock.hpp"
#include "core/hash.hpp"
#include "record/merkle.hpp"
#include "record/record.hpp"

namespace provcheck {

namespace {

struct LogData {
    std::vector<Sha256> leaves;
};

Result<LogData> read_log(Database& db) {
    auto entries = db.log_entries();
    if (!entries) return std::unexpected(entries.error());
    LogData d;
    for (const auto& e : *entries)
        d.leaves.push_back(leaf_hash(e));
    return d;
}

int cmd_log(const std::string& action, const StoreLocation& location,
            const std::optional<std::filesystem::path>& key_file, const std::string& arg) {
    auto db = open_store(location, false);
    if (!db) return report_error(db.error());
    auto log = read_log(*db);
    if (!log) return report_error(log.error());
    if (action == "checkpoint") {
        auto key = load_signing_key(KeyChoice{key_file, false});
        if (!key) return report_error(key.error());
        SystemClock clock;
        auto cp = write_checkpoint(*db, key->key, clock);
        if (!cp) return report_error(cp.error());
        std::fputs(cp->note.c_str(), stdout);
        return exit_ok;
    }
    if (action == "prove") {
        auto records = db->records_for_claim(arg);
        if (!records) return report_error(records.error());
        if (records->empty()) return report_error(Error{ErrorCode::usage, fmt::format("no record for claim {}", arg)});
        auto cp = db->latest_checkpoint();
        if (!cp) return report_error(cp.error());
        if (!*cp) return report_error(Error{ErrorCode::usage, "the log has no checkpoint yet"});
        nlohmann::json out = nlohmann::json::array();
        for (const auto& r : *records) {
            std::size_t size = (*cp)->size;
            if (r.log_index >= size || size > log->leaves.size()) continue;
            auto leaves = std::span(log->leaves).first(size);
            nlohmann::json proof = nlohmann::json::array();
            for (const auto& h : inclusion_proof(r.log_index, leaves))
                proof.push_back(base64_encode(as_bytes(h)));
            out.push_back({{"claim_id", r.claim_id},
                           {"log_index", r.log_index},
                           {"tree_size", size},
                           {"leaf_hash", base64_encode(as_bytes(log->leaves[r.log_index]))},
                           {"envelope_sha256", r.envelope_sha256},
                           {"inclusion_proof", proof},
                           {"checkpoint", (*cp)->note}});
        }
        if (out.empty())
            return report_error(Error{ErrorCode::usage, fmt::format("claim {}: not yet covered by a checkpoint", arg)});
        std::printf("%s\n", out.dump(2).c_str());
        return exit_ok;
    }
    // consistency OLD_SIZE
    std::uint64_t old_size = 0;
    try {
        old_size = std::stoull(arg);
    } catch (const std::exception&) {
        return report_error(Error{ErrorCode::usage, fmt::format("log consistency: '{}' is not a tree size", arg)});
    }
    if (old_size == 0 || old_size > log->leaves.size()) {
        return report_error(Error{
            ErrorCode::usage, fmt::format("log consistency: OLD_SIZE must be between 1 and {}", log->leaves.size())});
    }
    nlohmann::json proof = nlohmann::json::array();
    for (const auto& h : consistency_proof(old_size, log->leaves))
        proof.push_back(base64_encode(as_bytes(h)));
    nlohmann::json out = {{"old_size", old_size},
                          {"old_root", base64_encode(as_bytes(root_hash(std::span(log->leaves).first(old_size))))},
                          {"new_size", log->leaves.size()},
                          {"new_root", base64_encode(as_bytes(root_hash(log->leaves)))},
                          {"consistency_proof", proof}};
    std::printf("%s\n", out.dump(2).c_str());
    return exit_ok;
}

}  // namespace

Command add_log_command(CLI::App& app) {
    struct State {
        StoreLocation location;
        std::optional<std::filesystem::path> key_file;
        std::string prove_id;
        std::string old_size;
    };
    auto st = std::make_shared<State>();
    auto* log = app.add_subcommand("log", "The Merkle log of records: checkpoints and proofs.");
    log->require_subcommand(1);
    log->fallthrough();  // `log prove ID --workspace DIR` as well as `log --workspace DIR prove ID`
    add_store_options(*log, st->location);
    log->add_option("--key", st->key_file, "Signing key for the checkpoint");
    auto* checkpoint = log->add_subcommand("checkpoint", "Sign and print a checkpoint of the whole log.");
    auto* prove = log->add_subcommand("prove", "Print the inclusion proof of a claim's records.");
    prove->add_option("CLAIM_ID", st->prove_id, "Claim id (or a prefix)")->required();
    auto* consistency = log->add_subcommand("consistency", "Prove that the log of OLD_SIZE is a prefix of today's.");
    consistency->add_option("OLD_SIZE", st->old_size, "Size of the older checkpoint")->required();
    return {log, [st, checkpoint, prove] {
                if (checkpoint->parsed()) return cmd_log("checkpoint", st->location, st->key_file, "");
                if (prove->parsed()) return cmd_log("prove", st->location, st->key_file, st->prove_id);
                return cmd_log("consistency", st->location, st->key_file, st->old_size);
            }};
}

}  // namespace provcheck
