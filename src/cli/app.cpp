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
    const std::vector<Command> commands{add_check_command(app, command_line),
                                        add_verify_command(app),
                                        add_show_command(app),
                                        add_keygen_command(app),
                                        add_log_command(app),
                                        add_extract_command(app),
                                        add_export_command(app)};
    // `provcheck help [COMMAND]`: the same text as `--help`, for those who type it the other way round.
    std::vector<std::string> help_topic;
    auto* help = app.add_subcommand("help", "Show the help of provcheck or of one command.");
    help->add_option("COMMAND", help_topic, "A command, or a command and its subcommand (`help log prove`)");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? exit_ok : exit_usage;
    }
    if (help->parsed()) {
        const CLI::App* topic = &app;
        for (const auto& name : help_topic) {
            const CLI::App* sub = nullptr;
            for (const auto* candidate : topic->get_subcommands({})) {
                if (candidate->get_name() == name) sub = candidate;
            }
            if (sub == nullptr) {
                std::fprintf(stderr, "provcheck help: no command '%s'\n", name.c_str());
                return exit_usage;
            }
            topic = sub;
        }
        // help() would follow the subcommand just parsed (`help` itself); the formatter prints the topic asked.
        std::fputs(topic->get_formatter()->make_help(topic, topic->get_name(), CLI::AppFormatMode::Normal).c_str(),
                   stdout);
        return exit_ok;
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
