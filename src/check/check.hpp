// The check library: the pipeline wired end to end (capture → extract → attribute → resolve → align →
// record), with the result of each article handed back as data as soon as it is done. `provcheck check` and
// `provcheck extract` are thin callers; the library parses no command line and renders nothing.
//
// Its parts, each a header of this folder: options.hpp (what to do, the rules it runs with), page.hpp (an
// article's page as read), sources.hpp (which sources a claim is checked against), source_text.hpp (a source
// read and indexed once), decide.hpp (verdict assembly), versions.hpp and workspace_cache.hpp (what earlier
// runs stored, used only where a signature vouches for it), sitemap.hpp (sitemap inputs).
//
// The network (FetchOptions, or --replay), the clock, the key and the store are given by the caller, so
// everything but the capture stage runs without sockets in tests.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "check/options.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "model/result.hpp"

namespace provcheck {

class SigningKey;
class Database;

// Where a run keeps what it did. Both null: a dry run, which captures into memory only, signs nothing and
// stores nothing (no workspace is touched, no HTTP cache or earlier version is used).
struct CheckStore {
    const SigningKey* key = nullptr;
    Database* db = nullptr;
};

// Receives each article's result as soon as it is done (its records, if any, already stored), in the order
// the articles finish; `index` is the article's position among the run's inputs (articles, then sitemap pages).
class ArticleSink {
public:
    virtual ~ArticleSink() = default;
    virtual void article_done(std::size_t index, ArticleResult result) = 0;
};

struct CheckRun {
    std::size_t articles = 0;  // inputs checked (after excludes and duplicates)
    // What the run left out and the user should hear of (sitemap entries that are not http(s) URLs), one
    // sentence each.
    std::vector<std::string> warnings;
};

// Checks every input. Articles move through the stages independently as their own captures complete (at most
// 32 under way at once), so a slow site holds up only the articles that cite it; each URL is fetched once
// across the run; each source is read and indexed once for all the claims, versions and articles that cite it
// while any needs it. An article that cannot be read (its URL fails, its file is missing) is an ArticleResult
// with `error` set, and the run goes on. Errors are the tool's own failures (workspace, archive, rules, a bad
// exclude pattern or sitemap). `on_event`, when set, is called in the calling thread for each fetch and decision.
[[nodiscard]] Result<CheckRun> run_check(const CheckInputs& inputs, const CheckOptions& options,
                                         const CheckRules& rules, const Clock& clock, CheckStore store,
                                         ArticleSink& sink, const std::function<void(std::string_view)>& on_event = {});

// The pages of `inputs.sitemaps` (indexes followed, `inputs.since` applied), fetched as run_check() fetches them,
// nothing stored: what `provcheck enqueue --sitemap` queues.
[[nodiscard]] Result<std::vector<std::string>> sitemap_articles(const CheckInputs& inputs, const CheckOptions& options,
                                                                const CheckRules& rules, const Clock& clock,
                                                                std::vector<std::string>& warnings);

// run_check() collecting every article, in input order.
[[nodiscard]] Result<Report> check_report(const CheckInputs& inputs, const CheckOptions& options,
                                          const CheckRules& rules, const Clock& clock, CheckStore store,
                                          const std::function<void(std::string_view)>& on_event = {});

}  // namespace provcheck
