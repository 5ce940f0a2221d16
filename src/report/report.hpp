// What a check found, and its renderings (text for a terminal, JSON per DESIGN.md "JSON report"; the
// other formats are in report/formats.hpp, the gate in report/gate.hpp).
// The report stage only renders: it decides nothing and touches no file or socket.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/types.hpp"

namespace provcheck {

struct LinkResult {
    Link link;
    Capture capture;
};

// One captured version of the source a claim was aligned with (when the workspace holds several).
struct SourceVersion {
    std::string url;  // final URL
    std::string fetched_at;
    std::string payload_sha256;
    Verdict verdict = Verdict::not_found;
    double score = 0;
    bool matched = false;  // the version the claim's verdict is about
    bool current = false;  // captured (or confirmed unchanged) by this run
};

struct ClaimResult {
    Claim claim;
    Verdict verdict = Verdict::unsourced;
    std::optional<Match> match;       // set when a source was aligned
    std::optional<Capture> source;    // the capture the verdict is about (the best match, or the first failure)
    std::vector<Capture> candidates;  // every source capture tried, in order
    std::string source_reason;        // how the source was chosen: "link in the quotation's paragraph", …
    std::optional<RecordRef> record;
    // Every version of the matched source's URL that was aligned, newest first; empty when there was one.
    std::vector<SourceVersion> versions;
};

struct ArticleResult {
    std::string input;  // as given on the command line
    Capture capture;
    // Set when the article itself could not be checked (its URL failed, its HTML could not be read); the
    // run goes on with the other articles and the gate counts this one as failed.
    std::optional<Error> error;
    Document document;  // metadata and text of the article
    std::vector<LinkResult> links;
    std::vector<ClaimResult> claims;
    // What was left unchecked and why, one sentence each ("12 quotations past the limit of 10000 per article
    // (--max-claims) were not checked").
    std::vector<std::string> notes;
};

struct Report {
    std::vector<ArticleResult> articles;
    // What the run left out and the user should hear of (sitemap entries that are not http(s) URLs), one
    // sentence each; shown on standard error, not in the report.
    std::vector<std::string> warnings;
};

[[nodiscard]] nlohmann::json hop_json(const Hop& hop);
[[nodiscard]] nlohmann::json chain_json(const std::vector<Hop>& chain);
[[nodiscard]] nlohmann::json error_json(const Capture& capture);  // null when the capture succeeded
// The "source" object of a claim (url, final_url, status, sha256, fetched_at, chain, error).
[[nodiscard]] nlohmann::json source_json(const Capture& capture);
[[nodiscard]] nlohmann::json match_json(const Match& match);
// A claim as the report shows it; `record` is included when set.
[[nodiscard]] nlohmann::json claim_json(const ClaimResult& claim);
struct GateResult;
// The JSON report; with `gate`, each claim also says whether it fails the gate and why, and the summary
// counts failures.
[[nodiscard]] nlohmann::json report_json(const Report& report, const GateResult* gate = nullptr);

struct TextOptions {
    bool color = false;
    const GateResult* gate = nullptr;  // when set, failing claims are marked and the summary counts them
};
[[nodiscard]] std::string report_text(const Report& report, const TextOptions& options);

// Counts of claims per verdict over the whole report, or over one article.
[[nodiscard]] nlohmann::json verdict_counts(const Report& report);
[[nodiscard]] nlohmann::json verdict_counts(const ArticleResult& article);
// The article's own address: its canonical URL, else where it was read from.
[[nodiscard]] std::string article_url(const ArticleResult& article);

}  // namespace provcheck
