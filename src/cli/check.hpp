// `provcheck check`: the pipeline wired end to end (capture → extract → attribute → resolve → align →
// record → report). Stages are called here and nowhere else; this file decides only which source each
// claim is checked against and which verdict stands when no alignment could be made.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
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

struct CheckOptions {
    std::vector<std::string> articles;
    std::vector<SourceBinding> sources;
    std::filesystem::path workspace = ".provcheck";
    std::optional<std::filesystem::path> rules_dir;
    std::vector<std::filesystem::path> replay;
    int depth = 1;  // 0: capture only what claims need; 1: also every link of the article
    FetchOptions fetch;
    std::string argv;  // the command line, recorded with the run
};

class SigningKey;
class Database;

// Runs the pipeline over every article. Errors are the tool's own failures (unreadable article file,
// workspace, archive); everything the web does wrong ends up in the report as a verdict or an error class.
[[nodiscard]] Result<Report> run_check(const CheckOptions& options, const SigningKey& key, Database& db,
                                       const Clock& clock);

}  // namespace provcheck
