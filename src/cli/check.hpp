// `provcheck check`: the pipeline wired end to end (capture → extract → attribute → resolve → align →
// record → report). Stages are called here and nowhere else; this file decides only which source each
// claim is checked against and which verdict stands when no alignment could be made.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "extract/extract.hpp"
#include "net/fetcher.hpp"
#include "report/report.hpp"

namespace provcheck {

struct SourceBinding {
    std::string name;    // empty: applies to every claim
    std::string target;  // URL or path
};

// "NAME=URL|PATH" or "URL|PATH". A URL may hold '=' in its query, so NAME is only what comes before '=' when
// that part has no ':' or '/'.
[[nodiscard]] SourceBinding parse_source_binding(std::string_view arg);

// A duration for --max-age: a whole number of seconds, or followed by s, m, h or d ("90", "15m", "1d").
[[nodiscard]] Result<std::chrono::seconds> parse_max_age(std::string_view text);

struct CheckOptions {
    std::vector<std::string> articles;  // URLs or paths; a repeated one is checked once
    // Sitemaps (URL or path) whose pages are checked too; an index is followed to its sitemaps. With
    // `since` (YYYY-MM-DD), only entries whose lastmod is on or after it (entries without lastmod stay).
    std::vector<std::string> sitemaps;
    std::optional<std::string> since;
    // ECMAScript regexes: an article, link or source URL matching any is neither fetched nor checked.
    std::vector<std::string> exclude;
    std::vector<SourceBinding> sources;
    std::filesystem::path workspace = ".provcheck";
    std::optional<std::filesystem::path> rules_dir;
    std::vector<std::filesystem::path> replay;
    // Responses stored by earlier runs in the workspace are revalidated (If-None-Match/If-Modified-Since;
    // a 304 reuses them). With max_age, one confirmed less than max_age ago is reused without a request.
    std::optional<std::chrono::seconds> max_age;
    int depth = 1;  // 0: capture only what claims need; 1: also every link of the article
    // Per article, the quotations (and embeds) checked and the links kept, the first in reading order; the
    // article's result notes how many past these were left unchecked.
    std::size_t max_claims = default_max_quotations;
    std::size_t max_links = default_max_links;
    FetchOptions fetch;
    std::string argv;  // the command line, recorded with the run
    // Called, in the thread running run_check, for each fetch made and each decision taken (--verbose).
    std::function<void(std::string_view)> on_event;
};

class SigningKey;
class Database;

// Runs the pipeline over every article. Articles move through the stages independently as their own
// captures complete (at most 32 under way at once), so a slow site holds up only the articles that cite it;
// each URL is fetched once across the run; records are stored as each article finishes; results are in
// input order. An article that cannot be read
// (its URL fails, its file is missing) is an ArticleResult with `error` set and the run goes on. Errors
// are the tool's own failures (workspace, archive, rules, a bad exclude pattern or sitemap).
[[nodiscard]] Result<Report> run_check(const CheckOptions& options, const SigningKey& key, Database& db,
                                       const Clock& clock);

}  // namespace provcheck
