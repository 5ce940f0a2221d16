#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <set>

#include "check/check.hpp"
#include "cli/command.hpp"
#include "cli/config.hpp"
#include "cli/fetch_options.hpp"
#include "cli/keys.hpp"
#include "core/clock.hpp"
#include "core/fs.hpp"
#include "core/text.hpp"
#include "core/url.hpp"
#include "net/progress.hpp"
#include "report/formats.hpp"
#include "report/gate.hpp"
#include "report/report.hpp"
#include "report/writer.hpp"

namespace provcheck {

namespace {

const std::vector<std::string> formats{"text", "json", "sarif", "junit", "html", "claimreview"};

struct Rendering {
    std::string format;
    std::optional<std::string> output;  // nullopt or "-": standard output
};

struct CheckState {
    CLI::App* parser = nullptr;
    CheckInputs inputs;
    CheckOptions opts;
    std::optional<std::filesystem::path> rules_dir;
    std::vector<std::string> sources;
    std::vector<std::string> replay;
    std::vector<std::string> formats;
    std::vector<std::string> outputs;
    std::string fail_on{default_fail_on()};
    std::optional<std::string> baseline;
    std::optional<std::string> input_list;
    std::optional<std::string> max_age;
    StoreLocation location;
    std::optional<std::filesystem::path> key_file;
    std::optional<std::filesystem::path> config;
    std::string reviewer = "provcheck";
    std::string claimreview_url;
    bool quiet = false;
    bool verbose = false;
    bool dry_run = false;
    bool no_memento = false;
};

// Options a provcheck.toml may not set: they say where the file is, or only make sense typed.
bool settable_from_file(const CLI::App& parser, std::string_view key) {
    if (key == "config" || key == "help") return false;
    return parser.get_option_no_throw("--" + std::string(key)) != nullptr;
}

// Sets every option that the command line left alone from the file.
Result<void> apply_config(CheckState& st, const CheckConfig& cfg) {
    if (auto r = apply_config_options(*st.parser, cfg, true); !r) return r;
    // Per-host settings exist only in the file; over the global network options they are the more specific.
    st.opts.fetch.hosts = cfg.hosts;
    if (!cfg.sources.empty() && st.parser->get_option("--source")->count() == 0) {
        for (const auto& b : cfg.sources)
            st.opts.sources.push_back(b);
    }
    return {};
}

// The format an --output file's extension names, for an --output without --format.
Result<std::string> format_of_path(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    static const std::map<std::string, std::string> by_extension{
        {".txt", "text"},  {".json", "json"}, {".sarif", "sarif"},        {".xml", "junit"},
        {".html", "html"}, {".htm", "html"},  {".jsonld", "claimreview"},
    };
    if (auto it = by_extension.find(ext); it != by_extension.end()) return it->second;
    return fail(ErrorCode::usage,
                fmt::format("--output {}: give --format (text, json, sarif, junit, html or claimreview): the file "
                            "name does not say which (.txt, .json, .sarif, .xml, .html, .jsonld)",
                            path));
}

// --format and --output pair up in the order given; an --output before any --format goes with the first. With
// no --format at all, each --output's format is the one its extension names.
Result<std::vector<Rendering>> renderings(const CheckState& st) {
    std::vector<Rendering> out;
    if (st.formats.empty() && !st.outputs.empty()) {
        for (const auto& path : st.outputs) {
            if (path == "-") return fail(ErrorCode::usage, "--output -: give --format for standard output");
            auto format = format_of_path(path);
            if (!format) return std::unexpected(format.error());
            out.push_back({*format, path});
        }
        return out;
    }
    const CLI::Option* format_opt = st.parser->get_option("--format");
    const CLI::Option* output_opt = st.parser->get_option("--output");
    std::optional<std::string> pending;
    auto attach = [&](const std::string& path) -> Result<void> {
        if (out.empty()) {
            if (pending) return fail(ErrorCode::usage, "--output given twice before any --format");
            pending = path;
        } else if (out.back().output) {
            return fail(ErrorCode::usage,
                        fmt::format("--output {}: the --format before it already has an --output", path));
        } else {
            out.back().output = path;
        }
        return {};
    };
    if (format_opt->count() > 0 || output_opt->count() > 0) {
        std::size_t fi = 0;
        std::size_t oi = 0;
        for (const CLI::Option* o : st.parser->parse_order()) {
            if (o == format_opt && fi < st.formats.size()) {
                out.push_back({st.formats[fi++], std::nullopt});
            } else if (o == output_opt && oi < st.outputs.size()) {
                if (auto r = attach(st.outputs[oi++]); !r) return std::unexpected(r.error());
            }
        }
        // Values that came from the configuration file, which the command line did not override.
        for (; fi < st.formats.size(); ++fi)
            out.push_back({st.formats[fi], std::nullopt});
        for (; oi < st.outputs.size(); ++oi) {
            if (auto r = attach(st.outputs[oi]); !r) return std::unexpected(r.error());
        }
    } else {
        for (std::size_t i = 0; i < st.formats.size(); ++i)
            out.push_back({st.formats[i], i < st.outputs.size() ? std::optional(st.outputs[i]) : std::nullopt});
        if (st.outputs.size() > st.formats.size() && !st.outputs.empty()) {
            if (out.empty()) {
                pending = st.outputs.front();
            } else {
                return fail(ErrorCode::usage, "more output files than formats");
            }
        }
    }
    if (out.empty()) out.push_back({"text", std::nullopt});
    if (pending) {
        if (out.front().output) return fail(ErrorCode::usage, "--output given twice for the first --format");
        out.front().output = pending;
    }
    std::size_t to_stdout = 0;
    for (const auto& r : out)
        to_stdout += !r.output || *r.output == "-" ? 1 : 0;
    if (to_stdout > 1) {
        return fail(ErrorCode::usage, "more than one --format writes to standard output; give each an --output");
    }
    return out;
}

// A baseline is an earlier JSON report, larger than the input it came from.
constexpr std::uint64_t max_baseline_bytes = 256ULL << 20;

// An ARTICLE argument that cannot be what it was meant to be: a mistyped or scheme-less URL. A path that
// simply does not exist is the article's own failure, reported with the others.
Result<void> check_article_arg(const std::string& arg) {
    if (is_http_url(arg)) {
        if (!parse_url(arg)) return fail(ErrorCode::usage, fmt::format("'{}' is not a valid URL", arg));
        return {};
    }
    std::error_code ec;
    if (std::filesystem::exists(arg, ec)) return {};
    if (const auto sep = arg.find("://"); sep != std::string::npos && sep > 0) {
        return fail(ErrorCode::usage,
                    fmt::format("'{}' is not an http(s) URL, and no such file exists (did you mean https://{}?)", arg,
                                arg.substr(sep + 3)));
    }
    // "www.example.org/story" or "example.org/news/x.html": a host name, not a file here.
    const auto slash = arg.find('/');
    const std::string_view head = std::string_view(arg).substr(0, slash);
    const bool host_like = head.find('.') != std::string_view::npos && !head.starts_with(".") &&
                           head.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") ==
                               std::string_view::npos &&
                           (head.starts_with("www.") || slash != std::string::npos);
    if (host_like) {
        return fail(ErrorCode::usage,
                    fmt::format("'{}' is not a file, and a URL needs its scheme: give https://{}", arg, arg));
    }
    return {};
}

// A file option that names nothing is a usage error before anything runs, not a failure per article.
Result<void> require_existing(const std::optional<std::filesystem::path>& path, std::string_view option) {
    if (!path) return {};
    std::error_code ec;
    if (!std::filesystem::exists(*path, ec)) {
        return fail(ErrorCode::usage, fmt::format("{} {}: no such file or directory", option, path->string()));
    }
    return {};
}

// Hands each finished article to the report writers in input order (articles finish out of order; those ahead
// of their turn wait here, at most the few under way at once), counts it for the progress line and the gate, and
// lets it go: a batch holds no more results than are under way.
class StreamingSink final : public ArticleSink {
public:
    StreamingSink(RunCounts& counts, std::vector<std::unique_ptr<ReportWriter>>& writers, const FailPolicy& policy,
                  const Baseline* baseline)
        : counts_(counts), writers_(writers), policy_(policy), baseline_(baseline) {}

    void article_done(std::size_t index, ArticleResult result) override {
        counts_.claims += result.claims.size();
        counts_.articles_done += 1;
        waiting_.emplace(index, std::move(result));
        while (!waiting_.empty() && waiting_.begin()->first == next_) {
            write(waiting_.begin()->second);
            waiting_.erase(waiting_.begin());
            ++next_;
        }
    }

    // Whatever still waits (an index the run never produced leaves a gap), in order.
    void flush() {
        for (auto& [index, article] : waiting_)
            write(article);
        waiting_.clear();
    }

    [[nodiscard]] const ReportTotals& totals() const noexcept { return totals_; }
    [[nodiscard]] const GateTotals& gate() const noexcept { return gate_; }
    [[nodiscard]] const std::vector<std::string>& unreadable() const noexcept { return unreadable_; }

private:
    void write(const ArticleResult& a) {
        const std::vector<ClaimGate> gates = gate_claims(a, policy_, baseline_);
        gate_.failures += gate_failures(a, gates);
        for (auto& w : writers_)
            w->add(a, &gates);
        totals_.add(a);
        if (a.error) unreadable_.push_back(a.error->message);
    }

    RunCounts& counts_;
    std::vector<std::unique_ptr<ReportWriter>>& writers_;
    const FailPolicy& policy_;
    const Baseline* baseline_;
    std::map<std::size_t, ArticleResult> waiting_;
    std::size_t next_ = 0;
    ReportTotals totals_;
    GateTotals gate_;
    std::vector<std::string> unreadable_;
};

int cmd_check(CheckState& st) {
    for (const auto& [path, option] :
         {std::pair{st.config, "--config"}, std::pair{st.key_file, "--key"}, std::pair{st.rules_dir, "--rules"}}) {
        if (auto r = require_existing(path, option); !r) return report_error(r.error());
    }
    auto cfg = load_check_config(st.config, [&](std::string_view k) { return settable_from_file(*st.parser, k); });
    if (!cfg) return report_error(cfg.error());
    if (*cfg) {
        if (auto r = apply_config(st, **cfg); !r) return report_error(r.error());
    }
    for (const auto& s : st.sources) {
        auto binding = parse_source_binding(s);
        if (!binding) return report_error(binding.error());
        st.opts.sources.push_back(std::move(*binding));
    }
    for (const auto& r : st.replay)
        st.opts.replay.emplace_back(r);
    if (auto resolved = resolve_store(st.location); resolved) {
        st.location = std::move(*resolved);
    } else {
        return report_error(resolved.error());
    }
    st.opts.workspace = st.location.workspace;
    st.opts.warc_dir = st.location.archive_dir();
    if (st.max_age) {
        auto age = parse_duration(*st.max_age, "--max-age");
        if (!age) return report_error(age.error());
        if (age->count() == 0) {
            return report_error(
                {ErrorCode::usage, fmt::format("--max-age: {} is not allowed: give a duration of at least 1 second "
                                               "(without --max-age, every stored response is revalidated)",
                                               *st.max_age)});
        }
        st.opts.max_age = *age;
    }
    if (st.no_memento) {
        st.opts.memento.clear();
    } else if (!is_absolute_http_url(st.opts.memento)) {
        return report_error({ErrorCode::usage, fmt::format("--memento: {} is not an http(s) URL", st.opts.memento)});
    }
    if (!st.opts.tsa.empty() && !is_absolute_http_url(st.opts.tsa)) {
        return report_error({ErrorCode::usage, fmt::format("--tsa: {} is not an http(s) URL", st.opts.tsa)});
    }
    if (st.quiet && st.verbose) return report_error({ErrorCode::usage, "--quiet and --verbose exclude each other"});
    if (st.quiet) st.opts.fetch.progress = nullptr;
    const bool err_tty = ::isatty(STDERR_FILENO) == 1;
    const bool color_err = err_tty && std::getenv("NO_COLOR") == nullptr;
    std::function<void(std::string_view)> on_event;
    if (st.verbose) {
        on_event = [color_err, err_tty](std::string_view line) {
            // On a terminal the event takes the live progress line's place; the next update draws it again
            // below. One write, so that the fetch thread's redraw never lands inside it.
            std::string text = err_tty ? "\r\x1b[K" : "";
            const std::string safe = terminal_safe(line);
            text += color_err ? fmt::format("\x1b[2m· {}\x1b[0m\n", safe) : fmt::format("· {}\n", safe);
            std::fwrite(text.data(), 1, text.size(), stderr);
        };
    }
    st.opts.fetch.on_retry = on_event;

    if (st.input_list) {
        auto listed = read_input_list(*st.input_list);
        if (!listed) return report_error(listed.error());
        st.inputs.articles.insert(st.inputs.articles.end(), listed->urls.begin(), listed->urls.end());
        for (const auto& line : listed->skipped) {
            if (on_event) {
                on_event(
                    fmt::format("input list: skipped '{}': not an http(s) URL (local files are read "
                                "only when named on the command line)",
                                sanitize_utf8(line.substr(0, 200))));
            }
        }
        if (!listed->skipped.empty() && !st.quiet) {
            const std::size_t n = listed->skipped.size();
            std::fprintf(stderr, "provcheck: --input-list %s: skipped %s\n", st.input_list->c_str(),
                         n == 1 ? "1 line that is not an http(s) URL"
                                : fmt::format("{} lines that are not http(s) URLs", n).c_str());
        }
    }
    if (auto r = require_existing(st.opts.fetch.cacert, "--cacert"); !r) return report_error(r.error());
    for (const auto& a : st.inputs.articles) {
        if (auto r = check_article_arg(a); !r) return report_error(r.error());
    }
    if (st.inputs.articles.empty() && st.inputs.sitemaps.empty()) {
        return report_error({ErrorCode::usage, "no article: give ARTICLE..., --input-list or --sitemap"});
    }
    auto policy = parse_fail_on(st.fail_on);
    if (!policy) return report_error(policy.error());
    auto outs = renderings(st);
    if (!outs) return report_error(outs.error());
    for (const auto& r : *outs) {
        if (std::find(formats.begin(), formats.end(), r.format) == formats.end()) {
            return report_error({ErrorCode::usage, fmt::format("--format: unknown format '{}'", r.format)});
        }
    }
    std::optional<Baseline> baseline;
    if (st.baseline) {
        auto text = read_file(*st.baseline, {.max_bytes = max_baseline_bytes});
        if (!text) return report_error({ErrorCode::config, fmt::format("--baseline: {}", text.error().message)});
        auto parsed = Baseline::parse(*text, *st.baseline);
        if (!parsed) return report_error(parsed.error());
        baseline = std::move(*parsed);
    }
    auto rules = load_check_rules(st.rules_dir);
    if (!rules) return report_error(rules.error());
    // A dry run checks and reports, and signs, stores and caches nothing: no key is made, no workspace touched.
    std::optional<LoadedKey> key;
    std::optional<Database> db;
    if (!st.dry_run) {
        auto loaded = load_signing_key(KeyChoice{st.key_file, true});
        if (!loaded) return report_error(loaded.error());
        if (loaded->created && !st.quiet) {
            std::fprintf(stderr, "provcheck: created a new signing key at %s (key id %s)\n", loaded->origin.c_str(),
                         loaded->key.key_id().c_str());
        }
        key.emplace(std::move(*loaded));
        auto opened = open_store(st.location, true);
        if (!opened) return report_error(opened.error());
        db.emplace(std::move(*opened));
    }
    SystemClock clock;
    const CheckStore store = st.dry_run ? CheckStore{} : CheckStore{&key->key, &*db};
    // The live line counts articles and claims as they finish, and estimates the time left.
    RunCounts counts;
    counts.articles_total = st.inputs.sitemaps.empty() ? st.inputs.articles.size() : 0;
    if (st.opts.fetch.progress) st.opts.fetch.progress = make_terminal_progress(&counts);
    // The reports are written as articles finish; the time they name is the run's start.
    const std::string now = format_rfc3339(clock.now());
    std::vector<std::unique_ptr<ReportWriter>> writers;
    for (const auto& r : *outs) {
        const bool to_stdout = !r.output || *r.output == "-";
        Result<std::unique_ptr<ReportWriter>> w;
        if (r.format == "json") {
            w = json_report_writer(false);
        } else if (r.format == "sarif") {
            w = sarif_report_writer(false);
        } else if (r.format == "junit") {
            w = junit_report_writer(false);
        } else if (r.format == "html") {
            w = html_report_writer(false, HtmlOptions{now});
        } else if (r.format == "claimreview") {
            w = claimreview_report_writer(false,
                                          ClaimReviewOptions{st.reviewer, now.substr(0, 10), st.claimreview_url});
        } else {
            const bool tty = to_stdout && ::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
            w = text_report_writer(false, tty);
        }
        if (!w) return report_error(w.error());
        writers.push_back(std::move(*w));
    }
    StreamingSink sink(counts, writers, *policy, baseline ? &*baseline : nullptr);
    auto run = run_check(st.inputs, st.opts, *rules, clock, store, sink, on_event);
    if (!run) return report_error(run.error());
    sink.flush();
    if (!st.quiet) {
        for (const auto& w : run->warnings)
            std::fprintf(stderr, "provcheck: %s\n", w.c_str());
    }
    const GateTotals& gate = sink.gate();
    const ReportTotals& totals = sink.totals();
    for (std::size_t i = 0; i < outs->size(); ++i) {
        ReportWriter& w = *writers[i];
        auto written =
            write_output((*outs)[i].output, [&](const ByteSink& write) { return w.finish(totals, &gate, write); });
        if (!written) return report_error(written.error());
    }
    for (const auto& message : sink.unreadable())
        std::fprintf(stderr, "provcheck: %s\n", message.c_str());
    const std::size_t unreadable = sink.unreadable().size();
    const bool text_on_stdout = std::any_of(outs->begin(), outs->end(), [](const Rendering& r) {
        return r.format == "text" && (!r.output || *r.output == "-");
    });
    if (!st.quiet && !text_on_stdout) {
        std::fprintf(stderr, "provcheck: %zu article%s, %zu claim%s; %s\n", totals.articles,
                     totals.articles == 1 ? "" : "s", totals.claims, totals.claims == 1 ? "" : "s",
                     gate.passed() ? "gate passed" : fmt::format("gate: {} failure(s)", gate.failures).c_str());
    }
    if (unreadable > 0) return exit_runtime;
    return gate.passed() ? exit_ok : exit_failures;
}

}  // namespace

Command add_check_command(CLI::App& app, std::string command_line) {
    auto st = std::make_shared<CheckState>();
    CheckOptions& opts = st->opts;
    opts.argv = std::move(command_line);
    auto* check = app.add_subcommand("check", "Check the quotations of one or more articles against their sources.");
    st->parser = check;
    check->add_option("ARTICLE", st->inputs.articles, "http(s) URL of an article, or the path of a saved HTML file");
    check->add_option("--input-list", st->input_list,
                      "FILE with one article URL a line (- for standard input; # starts a comment); a line that "
                      "is not an http(s) URL is skipped: local files are named as ARTICLE");
    check->add_option("--sitemap", st->inputs.sitemaps,
                      "Check every page of a sitemap or sitemap index (URL or path); repeatable. Its entries must be "
                      "http(s) URLs (relative ones are read against the sitemap's address); others are skipped");
    check->add_option("--since", st->inputs.since,
                      "With --sitemap: only entries whose lastmod is on or after DATE "
                      "(YYYY-MM-DD)");
    check->add_option("--exclude", opts.exclude,
                      "Regular expression: articles, links and sources whose URL matches are not fetched; "
                      "repeatable");
    check->add_option("--source", st->sources,
                      "Bind a source: URL|PATH for every claim, or NAME=URL|PATH for claims whose speaker or outlet "
                      "is NAME (or an alias of it in rules/outlets.toml); repeatable");
    check
        ->add_option("--format", st->formats,
                     "Report format: text, json, sarif, junit, html or claimreview; repeatable, each paired with the "
                     "--output after it (default text)")
        ->check(CLI::IsMember(formats));
    check->add_option("--output,-o", st->outputs,
                      "Write the report of the --format before it to FILE instead of standard output; repeatable");
    add_store_options(*check, st->location);
    check->add_option("--key", st->key_file,
                      "Signing key (PEM). Default: $PROVCHECK_KEY, else $XDG_CONFIG_HOME/provcheck/signing-key.pem, "
                      "created on first use");
    check->add_option("--rules", st->rules_dir, "Directory of extra rules merged over the built-in ones");
    check->add_option("--replay", st->replay, "Answer every fetch from this WARC file or directory; no network");
    check->add_option("--tsa", opts.tsa,
                      "Time-Stamp Authority (RFC 3161) URL: every checkpoint the run signs gets its token, so that "
                      "a third party vouches when the records existed (`verify --tsa-cert`)");
    check->add_flag("--ocr", opts.ocr,
                    "Read PDF sources that have no text layer (scans) by OCR (Tesseract, English); without it such a "
                    "source is source_restricted with the reason \"no text layer\"");
    check
        ->add_option("--memento", opts.memento,
                     "Memento TimeMap endpoint (RFC 7089; the source's URL is appended) asked for the archived copy, "
                     "closest before the article's publication, of a source that is dead or no longer holds a "
                     "quotation; the quotation is checked against that copy too")
        ->capture_default_str();
    check->add_flag("--no-memento", st->no_memento, "Never ask an archive for copies of dead or changed sources");
    check->add_option("--max-age", st->max_age,
                      "Reuse a response stored by an earlier run without asking the server when it was confirmed "
                      "less than this long ago (90, 15m, 12h, 7d); otherwise it is revalidated");
    check
        ->add_option("--depth", opts.depth,
                     "0: capture only what claims need; 1: also resolve every link of the article")
        ->check(whole_number(0, 1, "a depth"))
        ->capture_default_str();
    check
        ->add_option("--max-claims", opts.max_claims,
                     "Most quotations (and embedded posts) checked per article, the first in reading order; the "
                     "report notes how many past it were not checked")
        ->check(whole_number(1, 10000000, "a number of claims"))
        ->capture_default_str();
    check
        ->add_option("--max-links", opts.max_links,
                     "Most links of an article followed and used as sources, the first in reading order; the report "
                     "notes how many past it were not")
        ->check(whole_number(1, 10000000, "a number of links"))
        ->capture_default_str();
    check
        ->add_option("--fail-on", st->fail_on,
                     "Verdicts that make the exit code 2, comma-separated; critical: claims with a critical "
                     "difference; none: never")
        ->capture_default_str();
    check->add_option("--baseline", st->baseline,
                      "A previous JSON report: fail only on claims that are new or worse than in it");
    check->add_option("--claimreview-url", st->claimreview_url,
                      "The fact-check's own page, given as each ClaimReview's url (omitted without it)");
    check->add_option("--reviewer", st->reviewer, "Organisation named as the author of ClaimReview output")
        ->capture_default_str();
    check->add_option("--config", st->config,
                      "Options from this TOML file (default: ./provcheck.toml when present); the command line wins");
    add_fetch_options(*check, opts.fetch);
    check->add_flag("--quiet,-q", st->quiet, "Print nothing but the report");
    check->add_flag("--dry-run,-n", st->dry_run,
                    "Check and report without signing or storing anything (no key is needed, the workspace is not "
                    "touched, no cached response is reused)");
    check->add_flag("--verbose,-v", st->verbose, "Print each fetch and each claim's decision on standard error");
    check->footer(
        "provcheck.toml (or --config FILE) sets any option above by its long name (fail-on = \"altered\"), "
        "binds sources with [[source]] tables (name, and url or path), and sets the network per host with "
        "[host.\"NAME\"] tables: parallel_max, interval_ms, timeout, retries, user_agent, max_filesize, "
        "speed_limit, speed_time. A [host.\"NAME\"] table applies to NAME and every subdomain of it; where "
        "several apply, the longest NAME wins key by key; they override the global network options, also "
        "those given on the command line. An unknown key is an error naming it.\n\n"
        "Exit codes: 0 every claim passes --fail-on (and --baseline); 1 runtime error or an article that could "
        "not be read; 2 verification failures; 3 usage or configuration error.");
    return {check, [st] { return cmd_check(*st); }};
}

}  // namespace provcheck
