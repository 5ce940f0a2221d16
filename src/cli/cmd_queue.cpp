// `provcheck enqueue`, `provcheck worker` and `provcheck queue status`: many workers, one store (check/fleet.hpp).
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "check/check.hpp"
#include "check/fleet.hpp"
#include "check/rules.hpp"
#include "cli/command.hpp"
#include "cli/fetch_options.hpp"
#include "cli/keys.hpp"
#include "core/clock.hpp"
#include "core/text.hpp"
#include "core/url.hpp"

namespace provcheck {

namespace {

struct EnqueueState {
    CLI::App* parser = nullptr;
    std::vector<std::string> articles;
    std::optional<std::string> input_list;
    CheckInputs sitemaps;
    StoreLocation location;
    std::optional<std::filesystem::path> rules_dir;
    std::optional<std::filesystem::path> config;
    CheckOptions opts;
    bool quiet = false;
};

int cmd_enqueue(EnqueueState& st) {
    if (auto r = apply_shared_config(*st.parser, st.config, &st.opts.fetch); !r) return report_error(r.error());
    if (st.sitemaps.since && st.sitemaps.sitemaps.empty()) {
        return report_error({ErrorCode::usage, "--since applies to --sitemap entries; give --sitemap too"});
    }
    std::vector<std::string> articles;
    for (const auto& a : st.articles) {
        // A queue is read by workers on other machines: it names pages on the web, never a local file.
        if (!is_absolute_http_url(a)) {
            return report_error({ErrorCode::usage, fmt::format("{}: not an http(s) URL (a queue names pages on the "
                                                               "web; check a local file with `provcheck check`)",
                                                               a)});
        }
        articles.push_back(a);
    }
    if (st.input_list) {
        auto listed = read_input_list(*st.input_list);
        if (!listed) return report_error(listed.error());
        articles.insert(articles.end(), listed->urls.begin(), listed->urls.end());
        if (!listed->skipped.empty() && !st.quiet) {
            const std::size_t n = listed->skipped.size();
            std::fprintf(stderr, "provcheck: --input-list %s: skipped %zu %s\n", st.input_list->c_str(), n,
                         n == 1 ? "line that is not an http(s) URL" : "lines that are not http(s) URLs");
        }
    }
    if (!st.sitemaps.sitemaps.empty()) {
        auto rules = load_check_rules(st.rules_dir);
        if (!rules) return report_error(rules.error());
        SystemClock clock;
        if (st.quiet) st.opts.fetch.progress = nullptr;
        std::vector<std::string> warnings;
        auto pages = sitemap_articles(st.sitemaps, st.opts, *rules, clock, warnings);
        if (!pages) return report_error(pages.error());
        articles.insert(articles.end(), pages->begin(), pages->end());
        if (!st.quiet) {
            for (const auto& w : warnings)
                std::fprintf(stderr, "provcheck: %s\n", terminal_safe(w).c_str());
        }
    }
    if (articles.empty()) {
        return report_error({ErrorCode::usage, "nothing to enqueue: give ARTICLE..., --input-list or --sitemap"});
    }
    auto db = open_store(st.location, true);
    if (!db) return report_error(db.error());
    SystemClock clock;
    auto added = db->enqueue(articles, format_rfc3339(clock.now()));
    if (!added) return report_error(added.error());
    if (!st.quiet) {
        const std::size_t already = articles.size() - *added;
        std::printf("queued %zu article%s", *added, *added == 1 ? "" : "s");
        if (already > 0) std::printf(" (%zu already pending or under way)", already);
        std::printf("\n");
    }
    return exit_ok;
}

struct WorkerState {
    CLI::App* parser = nullptr;
    StoreLocation location;
    std::optional<std::filesystem::path> key_file;
    std::optional<std::filesystem::path> rules_dir;
    std::optional<std::filesystem::path> config;
    CheckOptions opts;
    std::size_t concurrency = 8;
    int lease_s = 120;
    int max_attempts = 3;
    bool wait = false;
    std::string name;
    bool quiet = false;
    bool verbose = false;
};

std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int) {
    stop_requested.store(true);
    // Only async-signal-safe calls here.
    static const char said[] =
        "provcheck: stopping: no more leases, the articles under way finish (again to stop at once)\n";
    [[maybe_unused]] const auto n = ::write(STDERR_FILENO, said, sizeof said - 1);
}

int cmd_worker(WorkerState& st, const std::string& command_line) {
    if (auto r = apply_shared_config(*st.parser, st.config, &st.opts.fetch); !r) return report_error(r.error());
    if (st.quiet && st.verbose) return report_error({ErrorCode::usage, "--quiet and --verbose exclude each other"});
    auto rules = load_check_rules(st.rules_dir);
    if (!rules) return report_error(rules.error());
    auto key = load_signing_key(KeyChoice{st.key_file, true});
    if (!key) return report_error(key.error());
    auto db = open_store(st.location, true);
    if (!db) return report_error(db.error());

    if (auto resolved = resolve_store(st.location); resolved) {
        st.location = std::move(*resolved);
    } else {
        return report_error(resolved.error());
    }
    st.opts.workspace = st.location.workspace;
    st.opts.warc_dir = st.location.archive_dir();
    st.opts.argv = command_line;
    st.opts.fetch.progress = nullptr;  // many runs, many workers: one line per article instead
    if (st.location.server() && st.location.warc_dir.empty() && !st.quiet) {
        std::fprintf(stderr,
                     "provcheck: warning: --store without --warc-dir: this worker's WARC files go to %s, which only "
                     "this machine reads; give every worker one shared --warc-dir\n",
                     st.location.archive_dir().c_str());
    }
    const StoreLocation location = st.location;
    const StoreOpener open = [location] { return open_store(location, false); };

    WorkerOptions w;
    w.name = st.name.empty() ? default_worker_name() : st.name;
    w.concurrency = st.concurrency;
    w.lease = std::chrono::seconds(st.lease_s);
    w.max_attempts = st.max_attempts;
    w.wait = st.wait;
    w.stop = &stop_requested;
    if (!st.quiet) {
        w.on_event = [](std::string_view line) {
            const std::string text = fmt::format("{}\n", terminal_safe(line));
            std::fwrite(text.data(), 1, text.size(), stderr);
        };
    }
    if (st.verbose) st.opts.fetch.on_retry = w.on_event;
    // The first SIGINT or SIGTERM stops the worker leasing; what is under way finishes (its articles are then done or
    // given back); a second one ends it at once, and its leases run out for another worker to take.
    struct sigaction sa {};
    sa.sa_handler = request_stop;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);

    SystemClock clock;
    auto summary = run_worker(*db, open, st.opts, *rules, clock, key->key, w);
    if (!summary) return report_error(summary.error());
    if (stop_requested.load() && !st.quiet) {
        if (auto counts = db->queue_counts(); counts && counts->pending + counts->expired > 0) {
            std::fprintf(stderr, "provcheck: stopped on request; %lld article%s still to be checked\n",
                         static_cast<long long>(counts->pending + counts->expired),
                         counts->pending + counts->expired == 1 ? "" : "s");
        }
    }
    if (!st.quiet) {
        std::fprintf(stderr, "worker %s: %zu done, %zu failed in %zu run%s%s%s\n", w.name.c_str(), summary->done,
                     summary->failed, summary->rounds, summary->rounds == 1 ? "" : "s",
                     summary->recorded_before > 0
                         ? fmt::format(", {} found recorded before", summary->recorded_before).c_str()
                         : "",
                     summary->lost > 0 ? fmt::format(", {} taken over by another worker", summary->lost).c_str() : "");
    }
    return exit_ok;
}

struct StatusState {
    StoreLocation location;
    std::string format = "text";
    std::size_t limit = 50;
};

std::string lease_left(std::int64_t until_ms) {
    const auto now =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    const std::int64_t left = (until_ms - now) / 1000;
    return left >= 0 ? fmt::format("lease ends in {} s", left) : fmt::format("lease ran out {} s ago", -left);
}

int cmd_queue_status(const StatusState& st) {
    auto db = open_store(st.location, false);
    if (!db) return report_error(db.error());
    auto counts = db->queue_counts();
    if (!counts) return report_error(counts.error());
    auto failed = db->queue_entries(std::optional<provcheck::QueueState>(provcheck::QueueState::failed), st.limit);
    if (!failed) return report_error(failed.error());
    auto leased = db->queue_entries(std::optional<provcheck::QueueState>(provcheck::QueueState::leased), st.limit);
    if (!leased) return report_error(leased.error());
    if (st.format == "json") {
        nlohmann::json j{{"pending", counts->pending},
                         {"leased", counts->leased + counts->expired},
                         {"expired", counts->expired},
                         {"done", counts->done},
                         {"failed", counts->failed}};
        j["failures"] = nlohmann::json::array();
        for (const auto& e : *failed) {
            j["failures"].push_back({{"id", e.id},
                                     {"article", e.article},
                                     {"attempts", e.attempts},
                                     {"error", e.error},
                                     {"finished_at", e.finished_at}});
        }
        j["leases"] = nlohmann::json::array();
        for (const auto& e : *leased) {
            j["leases"].push_back({{"id", e.id},
                                   {"article", e.article},
                                   {"worker", e.owner},
                                   {"attempts", e.attempts},
                                   {"lease_until_ms", e.lease_until_ms}});
        }
        std::printf("%s\n", j.dump(2).c_str());
        return exit_ok;
    }
    std::printf("pending %lld\nleased  %lld", static_cast<long long>(counts->pending),
                static_cast<long long>(counts->leased + counts->expired));
    if (counts->expired > 0) {
        std::printf(" (%lld whose lease ran out: taken again by the next worker)",
                    static_cast<long long>(counts->expired));
    }
    std::printf("\ndone    %lld\nfailed  %lld\n", static_cast<long long>(counts->done),
                static_cast<long long>(counts->failed));
    for (const auto& e : *leased) {
        std::printf("  leased #%lld %s by %s, attempt %d, %s\n", static_cast<long long>(e.id),
                    terminal_safe(e.article).c_str(), terminal_safe(e.owner).c_str(), e.attempts,
                    lease_left(e.lease_until_ms).c_str());
    }
    for (const auto& e : *failed) {
        std::printf("  failed #%lld %s: %s\n", static_cast<long long>(e.id), terminal_safe(e.article).c_str(),
                    terminal_safe(e.error).c_str());
    }
    const auto more = [](std::int64_t total, std::size_t shown, const char* what) {
        if (total > static_cast<std::int64_t>(shown)) {
            std::printf("  … and %lld more %s (--limit, or --format json)\n",
                        static_cast<long long>(total - static_cast<std::int64_t>(shown)), what);
        }
    };
    more(counts->leased + counts->expired, leased->size(), "leased");
    more(counts->failed, failed->size(), "failed");
    return exit_ok;
}

}  // namespace

Command add_enqueue_command(CLI::App& app) {
    auto st = std::make_shared<EnqueueState>();
    auto* cmd =
        app.add_subcommand("enqueue", "Add articles to the store's work queue, for `provcheck worker` to check.");
    st->parser = cmd;
    cmd->add_option("articles", st->articles, "Article URLs (http or https)")->type_name("ARTICLE");
    cmd->add_option("--input-list", st->input_list, "File with one article URL per line (- for standard input)")
        ->type_name("FILE");
    cmd->add_option("--sitemap", st->sitemaps.sitemaps,
                    "Queue every page of a sitemap or sitemap index (URL or path); repeatable")
        ->type_name("SITEMAP");
    cmd->add_option("--since", st->sitemaps.since, "With --sitemap: only entries whose lastmod is on or after DATE")
        ->type_name("DATE");
    add_store_options(*cmd, st->location);
    cmd->add_option("--rules", st->rules_dir, "Directory of extra rules (used to fetch sitemaps)");
    cmd->add_option("--config", st->config, "Options from this TOML file (default: ./provcheck.toml when present)");
    add_fetch_options(*cmd, st->opts.fetch);
    cmd->add_flag("--quiet,-q", st->quiet, "Print nothing on success");
    cmd->footer(
        "An article already pending or under way is not queued twice; one that is done or failed is queued again.\n\n"
        "Exit codes: 0 queued; 1 runtime error; 3 usage or configuration error.");
    return {cmd, [st] { return cmd_enqueue(*st); }};
}

Command add_worker_command(CLI::App& app, std::string command_line) {
    auto st = std::make_shared<WorkerState>();
    auto* cmd = app.add_subcommand(
        "worker",
        "Check the articles of the store's work queue, many workers at once: lease, check and record each as "
        "`provcheck check` would.");
    st->parser = cmd;
    add_store_options(*cmd, st->location);
    cmd->add_option("--concurrency", st->concurrency, "Articles held (leased and under way) at once")
        ->check(whole_number(1, 1000, "a number of articles"))
        ->capture_default_str();
    cmd->add_option("--lease", st->lease_s,
                    "Seconds a lease lasts (or 90s, 2m), renewed while the worker runs; a dead worker's articles "
                    "are taken again when it runs out")
        ->transform(duration_in(1000, "seconds"))
        ->check(whole_number(3, 86400, "a number of seconds"))
        ->capture_default_str();
    cmd->add_option("--max-attempts", st->max_attempts,
                    "Leases of one article that ran out before it is failed as abandoned")
        ->check(whole_number(1, 100, "a number of leases"))
        ->capture_default_str();
    cmd->add_flag("--wait", st->wait, "When the queue is empty, wait for more instead of stopping");
    cmd->add_option("--name", st->name, "Name of this worker in the queue (default: HOST:PID)");
    cmd->add_option("--key", st->key_file, "Signing key (default as for check)");
    cmd->add_option("--rules", st->rules_dir, "Directory of extra rules merged over the built-in ones");
    cmd->add_option("--depth", st->opts.depth,
                    "0: capture only what claims need; 1: also every link of the article (as for check)")
        ->check(CLI::Range(0, 1))
        ->capture_default_str();
    cmd->add_flag("--ocr", st->opts.ocr, "Read PDF sources without a text layer by OCR, as for check");
    cmd->add_option("--config", st->config, "Options from this TOML file (default: ./provcheck.toml when present)");
    add_fetch_options(*cmd, st->opts.fetch);
    cmd->add_flag("--quiet,-q", st->quiet, "Print nothing but errors");
    cmd->add_flag("--verbose,-v", st->verbose, "Print each retry too");
    cmd->footer(
        "Per-host limits (--host-parallel-max, --host-interval, Retry-After) hold for every worker of the store "
        "together. The first SIGINT or SIGTERM stops the worker leasing and lets what is under way finish.\n\n"
        "Exit codes: 0 the queue was worked through (failed articles are listed by `provcheck queue status`); "
        "1 runtime error; 3 usage or configuration error.");
    return {cmd, [st, command_line] { return cmd_worker(*st, command_line); }};
}

Command add_queue_command(CLI::App& app) {
    auto st = std::make_shared<StatusState>();
    auto* cmd = app.add_subcommand("queue", "The store's work queue: `queue status` counts and lists it.");
    cmd->require_subcommand(1);
    auto* status = cmd->add_subcommand("status", "Pending, leased, done and failed articles, and why each failed");
    status->fallthrough();
    cmd->fallthrough();
    add_store_options(*status, st->location);
    status->add_option("--format", st->format, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    status->add_option("--limit", st->limit, "At most this many failed and leased articles are listed")
        ->capture_default_str();
    cmd->footer("Exit codes: 0 success; 1 runtime error; 3 usage or configuration error.");
    status->footer("Exit codes: 0 success; 1 runtime error; 3 usage or configuration error.");
    return {cmd, [st] { return cmd_queue_status(*st); }};
}

}  // namespace provcheck
