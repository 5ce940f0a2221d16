// Renderings of a Report for the tools that newsrooms and fact-checkers already use: SARIF 2.1.0 for code
// scanning, JUnit XML for CI test views, one self-contained HTML page for editors, and schema.org
// ClaimReview JSON-LD for fact-check publishing.
//
// Input: a Report and the GateResult computed for it (report/gate.hpp), which says which claims fail.
// Output: the document as text or JSON. Never: reads or writes files, decides a verdict, or runs script
// in the HTML page (it is readable without JavaScript and printable). The renderings depend only on their
// arguments, so the same report always gives the same bytes.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "model/locate.hpp"
#include "report/gate.hpp"
#include "report/report.hpp"

namespace provcheck {

// One line naming what is wrong with a claim: its verdict and its differences ("quote “40”, source “30”,
// number, critical"), or why no source could be read; then where the passage is, when the source has pages
// ("(p. 3)", "(p. 1, read by OCR)").
[[nodiscard]] std::string describe_claim(const ClaimResult& claim);
// describe_claim without where the passage is.
[[nodiscard]] std::string describe_verdict(const ClaimResult& claim);
// Who the claim's speaker is, as a reader is told: "Dr Ama Osei", "Ama Osei via The Herald", "Ama Osei — inferred,
// the person named last before it" when no words attribute the quotation, "no attribution found".
[[nodiscard]] std::string describe_speaker(const Claim& claim);
// Where a matched passage stands in its source: "p. 3", "p. 1, read by OCR"; empty for a web page.
[[nodiscard]] std::string passage_locator(const ClaimResult& claim);

// SARIF 2.1.0: one run; one result per failing claim, located in the article's file (as given) or URL,
// with the verdict as ruleId and the attribution rule and matching decision as properties.
[[nodiscard]] nlohmann::json report_sarif(const Report& report, const GateResult& gate);

// JUnit XML: a testsuite per article, a testcase per claim, a failure per claim the gate fails, an error
// for an article that could not be read.
[[nodiscard]] std::string report_junit(const Report& report, const GateResult& gate);

struct HtmlOptions {
    std::string generated_at;  // RFC 3339, printed in the page's header; empty to leave it out
};
// One self-contained HTML page (inline CSS only, no script, no external resource).
[[nodiscard]] std::string report_html(const Report& report, const GateResult& gate, const HtmlOptions& options);

struct ClaimReviewOptions {
    std::string reviewer = "provcheck";  // the reviewing organisation named as the ClaimReview's author
    std::string date;                    // datePublished of each review (YYYY-MM-DD)
    std::string url;                     // the fact-check's own page (--claimreview-url); omitted when empty
};
// schema.org ClaimReview JSON-LD ({"@context", "@graph": [...]}) for each altered or unverifiable claim
// (altered, not_found, source_restricted, source_unavailable, unsourced), as Google's ClaimReview guidelines
// ask: the Claim's author a Person or an Organization, its appearance the article, a rating named in plain
// words, and no numeric rating for a claim that could not be checked.
[[nodiscard]] nlohmann::json report_claimreview(const Report& report, const ClaimReviewOptions& options);

// Text made safe for HTML and XML text and attribute values.
[[nodiscard]] std::string escape_markup(std::string_view s);

}  // namespace provcheck
