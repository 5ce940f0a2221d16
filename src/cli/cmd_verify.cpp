#include <fmt/format.h>

#include <cstdio>

#include "cli/command.hpp"

namespace provcheck {

namespace {

int cmd_verify(const std::filesystem::path& workspace, const std::optional<std::filesystem::path>& key_file,
               const std::vector<std::filesystem::path>& trust, const std::vector<std::string>& ids, bool all,
               bool quiet) {
    if (!all && ids.empty()) {
        std::fprintf(stderr, "provcheck verify: give --all or one or more CLAIM_IDs\n");
        return exit_usage;
    }
    auto keys = trusted_keys(key_file, trust);
    if (!keys) return report_error(keys.error());
    auto db = open_workspace(workspace, false);
    if (!db) return report_error(db.error());
    auto result = verify_workspace(*db, workspace, *keys, all ? std::vector<std::string>{} : ids);
    if (!result) return report_error(result.error());
    for (const auto& p : result->problems) {
        if (p.claim_id.empty()) {
            std::printf("FAIL %s: %s\n", p.part.c_str(), p.message.c_str());
        } else {
            std::printf("FAIL claim %s (log #%llu) %s: %s\n", p.claim_id.c_str(),
                        static_cast<unsigned long long>(p.log_index), p.part.c_str(), p.message.c_str());
        }
    }
    if (!quiet || !result->problems.empty()) {
        std::printf("%zu record%s, %zu capture%s checked against a checkpoint of %llu entries: %s\n",
                    result->records_checked, result->records_checked == 1 ? "" : "s", result->captures_checked,
                    result->captures_checked == 1 ? "" : "s", static_cast<unsigned long long>(result->checkpoint_size),
                    result->problems.empty()
                        ? "all verify"
                        : fmt::format("{} problem{}", result->problems.size(), result->problems.size() == 1 ? "" : "s")
                              .c_str());
    }
    return result->problems.empty() ? exit_ok : exit_failures;
}

}  // namespace

Command add_verify_command(CLI::App& app) {
    struct State {
        bool all = false;
        bool quiet = false;
        std::vector<std::string> ids;
        std::vector<std::filesystem::path> trust;
        std::filesystem::path workspace = ".provcheck";
        std::optional<std::filesystem::path> key_file;
    };
    auto st = std::make_shared<State>();
    auto* verify = app.add_subcommand("verify", "Check stored records: signatures, captured bodies, log inclusion.");
    verify->add_flag("--all", st->all, "Verify every record in the workspace");
    verify->add_option("CLAIM_ID", st->ids, "Claims to verify (an id prefix is enough)");
    verify->add_option("--workspace", st->workspace, "Workspace directory")->capture_default_str();
    verify->add_option("--key", st->key_file, "Signing key whose public half is trusted (default as for check)");
    verify->add_option("--trust", st->trust, "File of trusted public keys (PEM); repeatable");
    verify->add_flag("--quiet,-q", st->quiet, "Print only problems");
    return {verify, [st] { return cmd_verify(st->workspace, st->key_file, st->trust, st->ids, st->all, st->quiet); }};
}

}  // namespace provcheck
