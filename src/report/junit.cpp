#include <fmt/format.h>

#include "report/formats.hpp"

namespace provcheck {

namespace {

// JUnit's timestamp has no zone ("2023-10-19T14:12:37"); the captures' times are UTC.
std::string junit_timestamp(std::string_view rfc3339) {
    if (rfc3339.size() < 19) return "1970-01-01T00:00:00";
    return std::string(rfc3339.substr(0, 19));
}

std::string claim_name(const ClaimResult& c) {
    std::string quote = c.claim.quote;
    if (quote.size() > 80) {
        std::size_t cut = 77;
        while (cut > 0 && (static_cast<unsigned char>(quote[cut]) & 0xC0) == 0x80)
            --cut;  // never split a UTF-8 sequence
        quote = quote.substr(0, cut) + "…";
    }
    return fmt::format("{} “{}”", c.claim.id, quote);
}

}  // namespace

std::string report_junit(const Report& report, const GateResult& gate) {
    std::size_t tests = 0;
    std::size_t failures = 0;
    std::size_t errors = 0;
    std::string suites;
    for (std::size_t ai = 0; ai < report.articles.size(); ++ai) {
        const ArticleResult& a = report.articles[ai];
        const std::string suite_name = a.document.title.empty() ? a.input : a.document.title;
        std::string cases;
        std::size_t suite_failures = 0;
        if (a.error) {
            cases += fmt::format(
                "    <testcase name=\"{}\" classname=\"{}\" time=\"0\">\n"
                "      <error message=\"{}\" type=\"unreadable\"/>\n    </testcase>\n",
                escape_markup("article"), escape_markup(a.input), escape_markup(a.error->message));
        }
        for (std::size_t ci = 0; ci < a.claims.size(); ++ci) {
            const ClaimResult& c = a.claims[ci];
            const ClaimGate* g =
                ai < gate.claims.size() && ci < gate.claims[ai].size() ? &gate.claims[ai][ci] : nullptr;
            cases += fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"0\">\n",
                                 escape_markup(claim_name(c)), escape_markup(a.input));
            std::string details =
                fmt::format("quotation: {}\nspeaker: {}\noutlet: {}\nattribution: {} ({})\n", c.claim.quote,
                            c.claim.speaker, c.claim.outlet, c.claim.attribution, c.claim.rule);
            if (c.source) {
                details += fmt::format("source: {} ({})\n",
                                       c.source->final_url.empty() ? c.source->requested_url : c.source->final_url,
                                       c.source->status);
            }
            if (c.match && !c.match->text.empty()) details += fmt::format("passage: {}\n", c.match->text);
            if (g != nullptr) details += fmt::format("gate: {}\n", g->reason);
            if (g != nullptr && g->fails) {
                ++suite_failures;
                cases += fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                                     escape_markup(describe_claim(c)), to_string(c.verdict), escape_markup(details));
            } else {
                cases += fmt::format("      <system-out>{}</system-out>\n", escape_markup(details));
            }
            cases += "    </testcase>\n";
        }
        const std::size_t suite_tests = a.claims.size() + (a.error ? 1 : 0);
        suites += fmt::format(
            "  <testsuite name=\"{}\" id=\"{}\" package=\"provcheck\" tests=\"{}\" failures=\"{}\" "
            "errors=\"{}\" skipped=\"0\" time=\"0\" timestamp=\"{}\" hostname=\"localhost\">\n"
            "    <properties>\n"
            "      <property name=\"input\" value=\"{}\"/>\n"
            "      <property name=\"url\" value=\"{}\"/>\n"
            "      <property name=\"sha256\" value=\"{}\"/>\n"
            "    </properties>\n{}  </testsuite>\n",
            escape_markup(suite_name), ai, suite_tests, suite_failures, a.error ? 1 : 0,
            junit_timestamp(a.capture.fetched_at), escape_markup(a.input), escape_markup(article_url(a)),
            escape_markup(a.capture.payload_sha256), cases);
        tests += suite_tests;
        failures += suite_failures;
        errors += a.error ? 1 : 0;
    }
    return fmt::format(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"provcheck\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"0\">\n"
        "{}</testsuites>\n",
        tests, failures, errors, suites);
}

}  // namespace provcheck
