// `provcheck recheck`: looks again at stored claims (on the schedule, or as asked), re-captures their sources
// (and with --articles their articles) with conditional requests, records what each serves now, and reports
// what changed since the last record: stealth edits of sources, corrections of articles.
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "check/check.hpp"
#include "check/recheck.hpp"
#include "cli/command.hpp"
#include "cli/config.hpp"
#include "cli/fetch_options.hpp"
#include "cli/keys.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "core/url.hpp"
#include "net/progress.hpp"
#include "report/gate.hpp"
#include "report/recheck_report.hpp"

namespace provcheck {

namespace {

struct RecheckState {
    CLI::App* parser = nullptr;
    std::vector<std::string> claim_ids;
    bool now = false;
    std::optional<std::string> since;
    bool articles = false;
    bool all = false;
    std::string format = "text";
    std::optional<std::string> output;
    std::string fail_on = "stealth_edit,correction,withdrawn,article_gone";
    StoreLocation location;
    std::optional<std::filesystem::path> key_file;
    std::vector<std::filesystem::path> trust;
    std::optional<std::filesystem::path> rules_dir;
    std::optional<std::filesystem::path> config;
    CheckOptions opts;
    bool quiet = false;
    bool verbose = false;
};

// What makes the exit code 2: kinds of change, and verdicts of the claims as they stand now.
struct RecheckPolicy {
    std::set<ChangeKind> kinds;
    FailPolicy verdicts;
};

Result<RecheckPolicy> parse_recheck_fail_on(std::string_view spec) {
    RecheckPolicy out;
    std::string rest;
    for (auto word : split(spec, ',')) {
        word = trim(word);
        if (word.empty()) continue;
        if (auto k = parse_change_kind(word); k && *k != ChangeKind::unchanged) {
            out.kinds.insert(*k);
            continue;
        }
        if (!rest.empty()) rest += ',';
        rest += word;
    }
    if (!rest.empty()) {
        auto v = parse_fail_on(rest);
        if (!v) {
            return fail(ErrorCode::usage,
                        fmt::format("{} (or a change: stealth_edit, correction, withdrawn, article_gone, source_gone, "
                                    "source_changed, verdict_changed, added)",
                                    v.error().message));
        }
        out.verdicts = *v;
    }
    return out;
}

// Whether a claim counts against the exit code, and why ("stealth_edit", "altered", "critical difference").
std::optional<std::string> fails(const ClaimChange& c, const RecheckPolicy& p) {
    if (p.kinds.contains(c.kind)) return std::string(to_string(c.kind));
    if (c.after && p.verdicts.verdicts.contains(c.after->verdict)) return std::string(to_string(c.after->verdict));
    if (c.after && p.verdicts.critical && c.after->critical) return std::string("critical difference");
    return std::nullopt;
}

// "2026-12-01" (midnight UTC) or an RFC 3339 time.
Result<TimePoint> parse_since(const std::string& text) {
    if (auto t = parse_rfc3339(text)) return *t;
    if (auto t = parse_rfc3339(text + "T00:00:00Z"); t && text.size() == 10) return *t;
    return fail(ErrorCode::usage,
                fmt::format("--since: '{}' is not a date: give YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", text));
}

// An article recorded as a local file is read again only from where the record says, below this directory.
bool local_article_here(const std::string& input) {
    const std::filesystem::path p(input);
    if (p.is_absolute()) return false;
    for (const auto& part : p) {
        if (part == "..") return false;
    }
    std::error_code ec;
    return std::filesystem::is_regular_file(p, ec);
}

int cmd_recheck(RecheckState& st) {
    // The options recheck shares with check; the others (check's own) are left to check.
    if (auto r = apply_shared_config(*st.parser, st.config, &st.opts.fetch); !r) return report_error(r.error());
    if (st.quiet && st.verbose) return report_error({ErrorCode::usage, "--quiet and --verbose exclude each other"});
    RecheckSelection selection;
    selection.now = st.now;
    selection.claim_ids = st.claim_ids;
    if (st.since) {
        auto t = parse_since(*st.since);
        if (!t) return report_error(t.error());
        selection.since = *t;
    }
    auto policy = parse_recheck_fail_on(st.fail_on);
    if (!policy) return report_error(policy.error());
    // The report must have somewhere to go before anything is fetched and recorded: a recheck that recorded
    // the new versions but could not say what changed would have nothing left to say next time.
    if (st.output && *st.output != "-") {
        const std::filesystem::path out(*st.output);
        const std::filesystem::path dir = out.has_parent_path() ? out.parent_path() : std::filesystem::path(".");
        std::error_code ec;
        if (!std::filesystem::is_directory(dir, ec)) {
            return report_error(
                {ErrorCode::usage, fmt::format("--output {}: no such directory {}", *st.output, dir.string())});
        }
        if (std::filesystem::is_directory(out, ec)) {
            return report_error({ErrorCode::usage, fmt::format("--output {}: is a directory", *st.output)});
        }
    }
    auto rules = load_check_rules(st.rules_dir);
    if (!rules) return report_error(rules.error());
    auto keys = trusted_keys(st.key_file, st.trust);
    if (!keys) return report_error(keys.error());
    auto key = load_signing_key(KeyChoice{st.key_file, false});
    if (!key) return report_error(key.error());
    if (auto resolved = resolve_store(st.location); resolved) {
        st.location = std::move(*resolved);
    } else {
        return report_error(resolved.error());
    }
    auto db = open_store(st.location, false);
    if (!db) return report_error(db.error());

    SystemClock clock;
    const TimePoint started = clock.now();
    const std::string rechecked_at = format_rfc3339(started);
    auto prior = load_prior_records(*db, keys->by_id);
    if (!prior) return report_error(prior.error());
    auto selected = select_for_recheck(*prior, selection, started);
    if (!selected) return report_error(selected.error());

    RecheckReport report;
    report.rechecked_at = rechecked_at;
    report.selection = !st.claim_ids.empty() ? "claim ids"
                       : st.since            ? fmt::format("articles first checked since {}", *st.since)
                       : st.now              ? "every stored article (--now)"
                                             : "due on the schedule";
    if (prior->unverified > 0) {
        report.notes.push_back(
            fmt::format("{} record{} left out: signature or log entry does not verify against "
                        "the trusted keys (`provcheck verify` names them)",
                        prior->unverified, prior->unverified == 1 ? " was" : "s were"));
    }
    if (prior->uncovered > 0) {
        report.notes.push_back(
            fmt::format("{} record{} left out: written after the log's latest signed checkpoint "
                        "(`provcheck verify --all` says more)",
                        prior->uncovered, prior->uncovered == 1 ? " was" : "s were"));
    }

    // The articles to check again, as their records name them. A local file is read where the record says.
    CheckInputs inputs;
    std::vector<const SelectedArticle*> checked;
    std::set<std::string> rechecked;
    for (const auto& s : *selected) {
        const std::string& input = s.article->input;
        if (!is_absolute_http_url(input) && !local_article_here(input)) {
            report.notes.push_back(fmt::format(
                "{}: a local file not found below this directory; its {} claim{} "
                "{} not rechecked",
                input, s.claims.size(), s.claims.size() == 1 ? "" : "s", s.claims.size() == 1 ? "was" : "were"));
            continue;
        }
        inputs.articles.push_back(input);
        checked.push_back(&s);
        rechecked.insert(input);
        if (!st.articles && is_absolute_http_url(input)) {
            const Capture& stored = s.article->claims.front().signed_claim.article_capture;
            st.opts.stored_articles[input] = stored.final_url;
        }
    }

    const bool err_tty = ::isatty(STDERR_FILENO) == 1;
    std::function<void(std::string_view)> on_event;
    if (st.verbose) {
        on_event = [err_tty](std::string_view line) {
            std::string text = err_tty ? "\r\x1b[K" : "";
            text += fmt::format("· {}\n", terminal_safe(line));
            std::fwrite(text.data(), 1, text.size(), stderr);
        };
    }
    st.opts.fetch.on_retry = on_event;
    if (st.quiet) st.opts.fetch.progress = nullptr;
    RunCounts counts;
    counts.articles_total = inputs.articles.size();
    if (st.opts.fetch.progress) st.opts.fetch.progress = make_terminal_progress(&counts);

    bool unreadable = false;
    if (!inputs.articles.empty()) {
        st.opts.workspace = st.location.workspace;
        st.opts.warc_dir = st.location.archive_dir();
        // What the sources serve now: no earlier version and no archive's copy stands in for them; the
        // workspace's earlier records are the history this run is compared with.
        st.opts.earlier_versions = false;
        st.opts.memento.clear();
        auto run = check_report(inputs, st.opts, *rules, clock, CheckStore{&key->key, &*db}, on_event);
        if (!run) return report_error(run.error());
        for (std::size_t i = 0; i < checked.size() && i < run->articles.size(); ++i) {
            const ArticleResult& now = run->articles[i];
            RecheckArticle a;
            a.input = checked[i]->article->input;
            const bool gone = now.capture.failure && (now.capture.failure->cls == FailureClass::http_4xx ||
                                                      now.capture.failure->cls == FailureClass::http_5xx ||
                                                      now.capture.failure->cls == FailureClass::dns);
            if (now.error && gone) {
                a.claims = article_gone(*checked[i], fmt::format("{}: {}", to_string(now.capture.failure->cls),
                                                                 now.capture.failure->message));
            } else if (now.error) {
                a.error = now.error->message;
                unreadable = true;
            } else {
                a.claims = compare_claims(*checked[i], now, rechecked_at, true);
                if (!st.articles && is_absolute_http_url(a.input) &&
                    (!now.capture.cache || now.capture.cache->state != CacheState::fresh)) {
                    report.notes.push_back(
                        fmt::format("{}: the stored article could not be read back, so it was fetched again (its "
                                    "changes are reported as with --articles)",
                                    a.input));
                }
            }
            for (auto& c : a.claims) {
                if (auto why = fails(c, *policy)) {
                    c.fails = true;
                    c.fail_reason = std::move(*why);
                }
            }
            report.articles.push_back(std::move(a));
        }
    }
    if (auto next = next_due(*prior, started, rechecked)) report.next_due = format_rfc3339(*next);
    if (report.articles.empty() && !st.quiet) {
        std::fprintf(stderr, "provcheck: nothing to recheck (%s)%s\n", report.selection.c_str(),
                     report.next_due.empty() ? "" : fmt::format("; next due {}", report.next_due).c_str());
    }

    std::string text;
    if (st.format == "json") {
        text = recheck_json(report).dump(2) + "\n";
    } else if (st.format == "html") {
        text = recheck_html(report, st.all);
    } else {
        const bool to_stdout = !st.output || *st.output == "-";
        const bool tty = to_stdout && ::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
        text = recheck_text(report, tty, st.all);
    }
    const bool text_on_stdout = st.format == "text" && (!st.output || *st.output == "-");
    if (!(report.articles.empty() && text_on_stdout)) {
        if (auto w = write_output(st.output, text); !w) {
            // The new versions are recorded: what changed must not be lost with the file.
            const std::string fallback = recheck_text(report, false, st.all);
            std::fwrite(fallback.data(), 1, fallback.size(), stderr);
            return report_error(w.error());
        }
    }
    if (!st.quiet && !text_on_stdout) {
        for (const auto& n : report.notes)
            std::fprintf(stderr, "provcheck: %s\n", terminal_safe(n).c_str());
    }
    std::size_t failures = 0;
    for (const auto& a : report.articles) {
        for (const auto& c : a.claims)
            failures += c.fails ? 1 : 0;
    }
    if (unreadable) return exit_runtime;
    return failures == 0 ? exit_ok : exit_failures;
}

}  // namespace

Command add_recheck_command(CLI::App& app, std::string command_line) {
    auto st = std::make_shared<RecheckState>();
    st->opts.argv = std::move(command_line);
    auto* cmd = app.add_subcommand(
        "recheck", "Look again at stored claims: re-capture their sources, report stealth edits and corrections.");
    st->parser = cmd;
    auto* ids = cmd->add_option("CLAIM_ID", st->claim_ids,
                                "Recheck now the articles of these claims (an id, or a prefix only one id starts "
                                "with; every claim of the article is compared); without them, the articles due on "
                                "the schedule (1h, 3h, 12h, 1d, 3d, 7d and 30d after their first check)");
    auto* now = cmd->add_flag("--now", st->now, "Recheck every stored article now, whatever the schedule");
    now->excludes(ids);
    cmd->add_option("--since", st->since,
                    "Recheck now the articles first checked on or after DATE (YYYY-MM-DD or an RFC 3339 time)")
        ->type_name("DATE")
        ->excludes(now);
    cmd->add_flag("--articles", st->articles,
                  "Fetch the articles again too (conditionally) and report corrections: a quotation changed, "
                  "withdrawn or added; without it an article is read as stored and only its sources are fetched");
    cmd->add_option("--format", st->format, "Report format: text, json or html")
        ->check(CLI::IsMember({"text", "json", "html"}))
        ->capture_default_str();
    cmd->add_option("--output,-o", st->output, "Write the report to FILE instead of standard output")
        ->type_name("FILE");
    cmd->add_flag("--all", st->all, "List unchanged claims too (they are always counted)");
    cmd->add_option("--fail-on", st->fail_on,
                    "Changes (stealth_edit, correction, withdrawn, article_gone, source_gone, source_changed, "
                    "verdict_changed, added) and verdicts or critical (as for check: claims so now) that make the "
                    "exit code 2; none: never")
        ->capture_default_str();
    add_store_options(*cmd, st->location);
    cmd->add_option("--key", st->key_file, "Signing key for the new records (default as for check; never created)");
    cmd->add_option("--trust", st->trust,
                    "File of public keys (PEM) whose records are rechecked; repeatable (default: the signing key)");
    cmd->add_option("--rules", st->rules_dir, "Directory of extra rules merged over the built-in ones");
    cmd->add_flag("--ocr", st->opts.ocr, "Read PDF sources without a text layer by OCR, as for check");
    cmd->add_option("--config", st->config,
                    "Options from this TOML file (default: ./provcheck.toml when present); the network settings "
                    "and the options recheck shares with check are used, the command line wins");
    add_fetch_options(*cmd, st->opts.fetch);
    cmd->add_flag("--quiet,-q", st->quiet, "Print nothing but the report");
    cmd->add_flag("--verbose,-v", st->verbose, "Print each fetch and each claim's decision on standard error");
    cmd->footer(
        "Only records whose signature verifies against the trusted keys, and whose log entry is their own, are "
        "rechecked; each recheck is recorded and signed like a check, so `provcheck show ID` lists the history "
        "and `provcheck verify --all` checks it.\n\n"
        "Exit codes: 0 no change listed in --fail-on; 1 runtime error or an article that could not be read; "
        "2 a change or verdict listed in --fail-on; 3 usage or configuration error.");
    return {cmd, [st] { return cmd_recheck(*st); }};
}

}  // namespace provcheck
