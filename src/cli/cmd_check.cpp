#include <unistd.h>

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <set>

#include "cli/check.hpp"
#include "cli/command.hpp"
#include "cli/fetch_options.hpp"
#include "cli/keys.hpp"
#include "core/text.hpp"
#include "report/report.hpp"

namespace provcheck {

namespace {

Result<std::set<Verdict>> parse_fail_on(std::string_view spec) {
    std::set<Verdict> out;
    for (auto part : split(spec, ',')) {
        part = trim(part);
        if (part.empty() || part == "none") continue;
        auto v = verdict_from_string(part);
        if (!v) {
            return fail(ErrorCode::usage, fmt::format("--fail-on: unknown verdict '{}' (verdicts: verbatim, elided, "
                                                      "minor_variation, altered, not_found, source_restricted, "
                                                      "source_unavailable, unsourced; or none)",
                                                      part));
        }
        out.insert(*v);
    }
    return out;
}

struct CheckState {
    CheckOptions opts;
    std::vector<std::string> sources;
    std::vector<std::string> replay;
    std::string format = "text";
    std::optional<std::string> output;
    std::string fail_on = "altered,not_found,source_unavailable";
    std::filesystem::path workspace = ".provcheck";
    std::optional<std::filesystem::path> key_file;
    bool quiet = false;
};

int cmd_check(CheckState& st) {
    const CheckOptions& opts = st.opts;
    const std::string& format = st.format;
    const std::optional<std::string>& output = st.output;
    const bool quiet = st.quiet;
    auto fail_on = parse_fail_on(st.fail_on);
    if (!fail_on) return report_error(fail_on.error());
    auto key = load_signing_key(KeyChoice{st.key_file, true});
    if (!key) return report_error(key.error());
    if (key->created && !quiet) {
        std::fprintf(stderr, "provcheck: created a new signing key at %s (key id %s)\n", key->origin.c_str(),
                     key->key.key_id().c_str());
    }
    auto db = open_workspace(opts.workspace, true);
    if (!db) return report_error(db.error());
    SystemClock clock;
    auto report = run_check(opts, key->key, *db, clock);
    if (!report) return report_error(report.error());

    std::string rendered;
    if (format == "json") {
        rendered = report_json(*report).dump(2) + "\n";
    } else {
        bool tty = !output && ::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
        rendered = report_text(*report, TextOptions{tty});
    }
    if (auto r = write_output(output, rendered); !r) return report_error(r.error());

    for (const auto& a : report->articles) {
        for (const auto& c : a.claims) {
            if (fail_on->contains(c.verdict)) return exit_failures;
        }
    }
    return exit_ok;
}

}  // namespace

Command add_check_command(CLI::App& app, std::string command_line) {
    auto st = std::make_shared<CheckState>();
    CheckOptions& opts = st->opts;
    opts.argv = std::move(command_line);
    auto* check = app.add_subcommand("check", "Check the quotations of one or more articles against their sources.");
    check->add_option("ARTICLE", opts.articles, "http(s) URL of an article, or the path of a saved HTML file")
        ->required();
    check->add_option("--source", st->sources,
                      "Bind a source: URL|PATH for every claim, or NAME=URL|PATH for claims whose speaker or outlet "
                      "is NAME (or an alias of it in rules/outlets.toml); repeatable");
    check->add_option("--format", st->format, "Report format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    check->add_option("--output,-o", st->output, "Write the report to FILE instead of standard output");
    check->add_option("--workspace", st->workspace, "Workspace directory (store.db and warc/)")->capture_default_str();
    check->add_option("--key", st->key_file,
                      "Signing key (PEM). Default: $PROVCHECK_KEY, else $XDG_CONFIG_HOME/provcheck/signing-key.pem, "
                      "created on first use");
    check->add_option("--rules", opts.rules_dir, "Directory of extra rules merged over the built-in ones");
    check->add_option("--replay", st->replay, "Answer every fetch from this WARC file or directory; no network");
    check
        ->add_option("--depth", opts.depth,
                     "0: capture only what claims need; 1: also resolve every link of the article")
        ->check(CLI::Range(0, 1))
        ->capture_default_str();
    check->add_option("--fail-on", st->fail_on, "Verdicts that make the exit code 2, comma-separated, or none")
        ->capture_default_str();
    add_fetch_options(*check, opts.fetch);
    check->add_flag("--quiet,-q", st->quiet, "Print nothing but the report");
    return {check, [st] {
                for (const auto& s : st->sources)
                    st->opts.sources.push_back(parse_source_binding(s));
                for (const auto& r : st->replay)
                    st->opts.replay.emplace_back(r);
                st->opts.workspace = st->workspace;
                return cmd_check(*st);
            }};
}

}  // namespace provcheck
