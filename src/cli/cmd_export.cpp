#include <fmt/format.h>

#include <cstdio>

#include "cli/command.hpp"
#include "core/clock.hpp"
#include "record/bundle.hpp"

namespace provcheck {

Command add_export_command(CLI::App& app) {
    struct State {
        std::filesystem::path workspace = ".provcheck";
        std::filesystem::path bundle;
    };
    auto st = std::make_shared<State>();
    auto* exp = app.add_subcommand(
        "export",
        "Write every record, the captures they rest on, the public keys, the log and its checkpoints into "
        "one file (a WACZ: a ZIP with datapackage.json) that `provcheck verify --bundle` checks offline.");
    exp->add_option("--bundle", st->bundle, "The file to write (its name ends in .wacz)")->required();
    exp->add_option("--workspace", st->workspace, "Workspace directory")->capture_default_str();
    return {exp, [st] {
                auto db = open_workspace(st->workspace, false);
                if (!db) return report_error(db.error());
                SystemClock clock;
                auto summary = export_bundle(*db, st->workspace, st->bundle, clock);
                if (!summary) return report_error(summary.error());
                std::printf("%s: %zu records, %zu WARC files, %llu bytes\n", st->bundle.c_str(), summary->records,
                            summary->warc_files, static_cast<unsigned long long>(summary->bytes));
                return exit_ok;
            }};
}

}  // namespace provcheck
