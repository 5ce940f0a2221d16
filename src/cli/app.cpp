#include "cli/app.hpp"

#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.hpp"

namespace provcheck {

namespace {

// Every option takes one value per use; a repeatable option is repeated (`--source A --source B`). CLI11 lets a
// vector option take every word after it, which swallows the articles that follow (`check --source N=URL
// article.html`): that is never what is meant.
void one_value_per_use(CLI::App& app) {
    for (CLI::Option* o : app.get_options()) {
        if (!o->get_positional()) o->allow_extra_args(false);
    }
    for (CLI::App* sub : app.get_subcommands({}))
        one_value_per_use(*sub);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// The command of `argv` when it is not one of provcheck's: a usage error naming the nearest command.
std::optional<std::string> unknown_command(const CLI::App& app, int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view word = argv[i];
        if (word.starts_with("-")) return std::nullopt;  // an option of provcheck itself comes first
        std::string nearest;
        std::size_t best = std::string::npos;
        for (const CLI::App* sub : app.get_subcommands({})) {
            if (sub->get_name() == word) return std::nullopt;
            const std::size_t d = edit_distance(word, sub->get_name());
            if (d < best) {
                best = d;
                nearest = sub->get_name();
            }
        }
        std::string message = fmt::format("provcheck: '{}' is not a command", word);
        if (best <= 2) message += fmt::format("; did you mean '{}'?", nearest);
        return message + " (see `provcheck --help`)";
    }
    return std::nullopt;
}

}  // namespace

int run_cli(int argc, char** argv) {
    CLI::App app{
        "provcheck: verify secondary reporting. Finds each quotation in an article and who it is "
        "attributed to, follows every cited link to its end, captures and hashes what each source served, "
        "aligns the quotation with the source text and stores a signed, tamper-evident record per claim."};
    app.name("provcheck");
    app.set_version_flag("--version", std::string("provcheck ") + PROVCHECK_VERSION);
    app.require_subcommand(1);
    // The command line is kept with each run in the store: a store URL's password never is.
    std::string command_line;
    for (int i = 0; i < argc; ++i) {
        std::string arg(argv[i]);
        // "--store URL", "--store=URL" or a value of a config option: wherever a store URL starts.
        auto at = arg.find("postgresql://");
        if (at == std::string::npos) at = arg.find("postgres://");
        if (at != std::string::npos) arg = arg.substr(0, at) + Database::redact_url(std::string_view(arg).substr(at));
        command_line += (i != 0 ? " " : "") + arg;
    }
    const std::vector<Command> commands{add_check_command(app, command_line),
                                        add_verify_command(app),
                                        add_show_command(app),
                                        add_keygen_command(app),
                                        add_key_command(app),
                                        add_log_command(app),
                                        add_extract_command(app),
                                        add_export_command(app),
                                        add_recheck_command(app, command_line),
                                        add_enqueue_command(app),
                                        add_worker_command(app, command_line),
                                        add_queue_command(app)};
    // Footers are set after the commands, which would otherwise inherit the program's; each command says its
    // own exit codes.
    app.footer(
        "Exit codes: 0 success (for check: every claim passes --fail-on); 1 runtime error; 2 verification "
        "failures; 3 usage or configuration error.\nRun `provcheck help COMMAND` for a command's options.");
    for (const auto& c : commands) {
        if (!c.parser->get_footer().empty()) continue;
        const std::string& name = c.parser->get_name();
        if (name == "verify") {
            c.parser->footer(
                "Exit codes: 0 everything verifies; 1 runtime error; 2 a verification failure (each "
                "is printed as a FAIL line naming the claim and what failed); 3 usage error.");
        } else if (name == "show") {
            c.parser->footer(
                "Exit codes: 0 shown; 1 runtime error; 2 the record does not verify (nothing of it is "
                "shown); 3 usage error (no such claim, or a prefix of several).");
        } else {
            c.parser->footer("Exit codes: 0 success; 1 runtime error; 3 usage or configuration error.");
        }
    }
    // `provcheck help [COMMAND]`: the same text as `--help`, for those who type it the other way round.
    std::vector<std::string> help_topic;
    auto* help = app.add_subcommand("help", "Show the help of provcheck or of one command.");
    help->add_option("COMMAND", help_topic, "A command, or a command and its subcommand (`help log prove`)");
    one_value_per_use(app);
    if (auto wrong = unknown_command(app, argc, argv)) {
        std::fprintf(stderr, "%s\n", wrong->c_str());
        return exit_usage;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? exit_ok : exit_usage;
    }
    if (help->parsed()) {
        const CLI::App* topic = &app;
        std::string path = "provcheck";
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
            path += " " + name;
        }
        // help() would follow the subcommand just parsed (`help` itself); the formatter prints the topic asked.
        std::fputs(topic->get_formatter()->make_help(topic, path, CLI::AppFormatMode::Normal).c_str(), stdout);
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
