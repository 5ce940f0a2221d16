// What a check is asked to do: the inputs, the options that change how it runs, and the rules it runs with.
// Plain values that the command line, provcheck.toml, a worker or a test fill in; the check library reads
// them and never parses a command line itself.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "align/align.hpp"
#include "check/memento.hpp"
#include "check/rules.hpp"
#include "core/error.hpp"
#include "extract/extract.hpp"
#include "net/fetcher.hpp"
#include "rules/rules.hpp"

namespace provcheck {

// A source bound with --source: to every claim (empty name), or to the claims whose speaker or outlet is
// `name` or one of the outlet's aliases.
struct SourceBinding {
    std::string name;    // empty: applies to every claim
    std::string target;  // http(s) URL or local path
};

// "NAME=URL|PATH" or "URL|PATH". A URL may hold '=' in its query, so NAME is only what comes before '=' when
// that part has no ':' or '/'. An Error (ErrorCode::usage) for a NAME with nothing after '=', and for a target
// that is neither an http(s) URL (a typo such as "htp:/x" or "htps://x" is named) nor an existing file.
[[nodiscard]] Result<SourceBinding> parse_source_binding(std::string_view arg);

// A duration: a whole number of seconds, or followed by s, m, h or d ("90", "30s", "15m", "1d"). `what` names
// the option in the message of the ErrorCode::usage Error. At most ten years.
[[nodiscard]] Result<std::chrono::seconds> parse_duration(std::string_view text, std::string_view what);

// What to check: articles as given (http(s) URLs or paths of saved pages) and sitemaps whose pages are
// checked too. A repeated article is checked once.
struct CheckInputs {
    std::vector<std::string> articles;
    // Sitemaps (URL or path) whose pages are checked too; an index is followed to its sitemaps. With `since`
    // (YYYY-MM-DD), only entries whose lastmod is on or after it (entries without lastmod stay).
    std::vector<std::string> sitemaps;
    std::optional<std::string> since;
    // Asked for another article whenever the run has room once the listed ones (and sitemap pages) have started;
    // nullopt: none now, and it is asked again as articles finish (the run ends when none is under way). Called
    // in the thread that runs the check. `provcheck worker` leases its articles this way, one at a time.
    std::function<std::optional<std::string>()> more;
};

struct CheckOptions {
    std::vector<SourceBinding> sources;
    // ECMAScript regexes: an article, link or source URL matching any is neither fetched nor checked.
    std::vector<std::string> exclude;
    // Where captures, the HTTP cache and records live. Without a store (a dry run) nothing is kept.
    std::filesystem::path workspace = ".provcheck";
    // Where this run's WARC files go and stored ones are read from; empty: the workspace's warc/. Workers sharing
    // a PostgreSQL store give one directory they can all reach (--warc-dir).
    std::filesystem::path warc_dir;
    // Idempotency keys of article runs (input → key; a queue item's): an article whose key an earlier transaction
    // already claimed stored its records then, and they are not stored again.
    std::map<std::string, std::string> run_keys;
    std::vector<std::filesystem::path> replay;  // answer every fetch from these WARC files; no network
    // Responses stored by earlier runs are revalidated (If-None-Match/If-Modified-Since; a 304 reuses them).
    // With max_age, one confirmed less than max_age ago is reused without a request.
    std::optional<std::chrono::seconds> max_age;
    int depth = 1;  // 0: capture only what claims need; 1: also every link of the article
    // Per article, the quotations (and embeds) checked and the links kept, the first in reading order; the
    // article's result notes how many past these were left unchecked.
    std::size_t max_claims = default_max_quotations;
    std::size_t max_links = default_max_links;
    FetchOptions fetch;
    std::string argv;  // the command line, recorded with the run
    // A Time-Stamp Authority (RFC 3161) asked for a token over every checkpoint the run signs; empty: none.
    std::string tsa;
    // A PDF source without a text layer (a scan) is read by OCR; otherwise it is source_restricted.
    bool ocr = false;
    // Memento TimeMap endpoint (check/memento.hpp) asked for an archived copy of a source that is dead or no
    // longer holds a quotation; empty: never asked (--no-memento).
    std::string memento = std::string(default_memento_endpoint);
    // A quotation is also aligned with the earlier versions of its source that the workspace holds (an edited
    // page still vouches for what it said). `recheck` turns it off: its record says what the source serves now,
    // and the earlier records are the history.
    bool earlier_versions = true;
    // Article URLs read from the workspace as stored (the latest capture a signed manifest vouches for), with no
    // request, whenever it holds them: `recheck` without --articles. Each maps to its final URL as recorded
    // (where a redirect led). Others are fetched (or revalidated).
    std::map<std::string, std::string> stored_articles;
};

// The directory of the run's archive files: CheckOptions::warc_dir, or the workspace's warc/.
[[nodiscard]] inline std::filesystem::path archive_dir(const CheckOptions& o) {
    return o.warc_dir.empty() ? o.workspace / "warc" : o.warc_dir;
}

}  // namespace provcheck
