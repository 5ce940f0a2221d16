#include "cli/app.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <vector>

#include "cli/command.hpp"

namespace provcheck {

int run_cli(int argc, char** argv) {
    CLI::App app{
        "provcheck: verify secondary reporting. Finds each quotation in an article and who it is "
        "attributed to, follows every cited link to its end, captures and hashes what each source served, "
        "aligns the quotation with the source text and stores a signed, tamper-evident record per claim."};
    app.name("provcheck");
    app.set_version_flag("--version", std::string("provcheck ") + PROVCHECK_VERSION);
    app.require_subcommand(1);
    app.footer(
        "Exit codes: 0 every claim passes --fail-on; 1 runtime error; 2 verification failures; "
        "3 usage or configuration error.\nRun `provcheck COMMAND --help` for a command's options.");

    std::string command_line;
    for (int i = 0; i < argc; ++i)
        command_line += (i != 0 ? " " : "") + std::string(argv[i]);
    const std::vector<Command> commands{add_check_command(app, command_line), add_verify_command(app),
                                        add_show_command(app), add_keygen_command(app), add_log_command(app),
                                        add_extract_command(app), add_export_command(app)};
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? exit_ok : exit_usage;
    }
    try {
        for (const auto& c : commands) {
            if (c.parser->parsed()) return c.run();
        }
    } catch (const std::exception& e) {
        // A bug, not an input problem: say so plainly rather than abort.
        std::fprintf(stderr, "provcheck: internal error: %s\n", e.what());
        return exit_runtime;
    }
    return exit_usage;
}

}  // namespace provcheck
