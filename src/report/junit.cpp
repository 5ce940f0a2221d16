#include <fmt/format.h>

#include "report/formats.hpp"
#include "report/writer.hpp"

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

class JunitWriter final : public ReportWriter {
public:
    explicit JunitWriter(Spool suites) : suites_(std::move(suites)) {}

    void add(const ArticleResult& a, const std::vector<ClaimGate>* gates) override {
        const std::size_t ai = count_++;
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
            const ClaimGate* g = gates != nullptr && ci < gates->size() ? &(*gates)[ci] : nullptr;
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
            if (c.match && !c.match->text.empty()) {
                const std::string where = passage_locator(c);
                details += fmt::format("passage{}: {}\n", where.empty() ? "" : " (" + where + ")", c.match->text);
            }
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
        suites_.append(
            fmt::format("  <testsuite name=\"{}\" id=\"{}\" package=\"provcheck\" tests=\"{}\" failures=\"{}\" "
                        "errors=\"{}\" skipped=\"0\" time=\"0\" timestamp=\"{}\" hostname=\"localhost\">\n"
                        "    <properties>\n"
                        "      <property name=\"input\" value=\"{}\"/>\n"
                        "      <property name=\"url\" value=\"{}\"/>\n"
                        "      <property name=\"sha256\" value=\"{}\"/>\n"
                        "    </properties>\n{}  </testsuite>\n",
                        escape_markup(suite_name), ai, suite_tests, suite_failures, a.error ? 1 : 0,
                        junit_timestamp(a.capture.fetched_at), escape_markup(a.input), escape_markup(article_url(a)),
                        escape_markup(a.capture.payload_sha256), cases));
        tests_ += suite_tests;
        failures_ += suite_failures;
        errors_ += a.error ? 1 : 0;
    }

    Result<void> finish(const ReportTotals&, const GateTotals*, const Emit& emit) override {
        if (auto r = emit(fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                      "<testsuites name=\"provcheck\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
                                      "time=\"0\">\n",
                                      tests_, failures_, errors_));
            !r) {
            return r;
        }
        if (auto r = suites_.copy_to(emit); !r) return r;
        return emit("</testsuites>\n");
    }

private:
    Spool suites_;
    std::size_t count_ = 0;
    std::size_t tests_ = 0;
    std::size_t failures_ = 0;
    std::size_t errors_ = 0;
};

}  // namespace

Result<std::unique_ptr<ReportWriter>> junit_report_writer(bool in_memory) {
    auto spool = Spool::open(in_memory);
    if (!spool) return std::unexpected(spool.error());
    return std::make_unique<JunitWriter>(std::move(*spool));
}

std::string report_junit(const Report& report, const GateResult& gate) {
    auto writer = junit_report_writer(true);
    return render_report(**writer, report, &gate);
}

}  // namespace provcheck
