// The gate and the CI/editor renderings on a hand-made report: which claims fail under each policy and
// baseline, where a quotation stands in the HTML, and what each format says about it.
#include <catch2/catch.hpp>

#include "report/formats.hpp"
#include "report/gate.hpp"
#include "report/report.hpp"
#include "report/writer.hpp"

using namespace provcheck;
using nlohmann::json;

namespace {

// An article whose HTML has the altered quotation on line 4, after a two-byte character on that line.
Report sample() {
    ArticleResult a;
    a.input = "site/a b.html";
    a.capture.requested_url = a.input;
    a.capture.final_url = "file:///site/a%20b.html";
    a.capture.status = 200;
    a.capture.fetched_at = "2024-03-05T10:00:00Z";
    a.capture.payload_sha256 = std::string(64, 'a');
    a.capture.body =
        "<html>\n<body>\n<p>Intro</p>\n<p>é “Exports grew by 15 percent,” she said &amp; left.</p>\n"
        "<p>“We <em>will</em> not wait,” he said.</p>\n</body></html>\n";
    a.document.title = "Trade <figures> & more";
    a.document.canonical_url = "https://news.example/a";
    a.document.blocks = {{BlockKind::paragraph, "Intro", 0, 14},
                         {BlockKind::paragraph, "é “Exports grew by 15 percent,” she said & left.", 7, 27},
                         {BlockKind::paragraph, "“We will not wait,” he said.", 60, 92}};

    ClaimResult altered;
    altered.claim = {};
    altered.claim.id = "c-altered";
    altered.claim.quote = "Exports grew by 15 percent,";
    altered.claim.block = 1;
    altered.claim.speaker = "Ana Ruiz";
    altered.claim.outlet = "Ministry Gazette";
    altered.claim.rule = "attr.said";
    altered.verdict = Verdict::altered;
    Match m;
    m.verdict = Verdict::altered;
    m.score = 0.8;
    m.text = "Exports grew by 12 percent, led by machinery";
    m.decided_by = "altered_min_score";
    m.differences.push_back({"replace", "15", "12", DiffKind::number, true});
    altered.match = m;
    Capture src;
    src.requested_url = "http://source.example/r";
    src.final_url = "http://source.example/r";
    src.status = 200;
    src.fetched_at = "2024-03-05T10:00:01Z";
    src.payload_sha256 = std::string(64, 'b');
    src.chain = {{"http://source.example/r", 200, HopVia::start}};
    altered.source = src;
    altered.record = RecordRef{std::string(64, 'c'), std::string(64, 'd'), 4};
    a.claims.push_back(altered);

    ClaimResult markup;
    markup.claim.id = "c-markup";
    markup.claim.quote = "We will not wait,";
    markup.claim.block = 2;
    markup.verdict = Verdict::verbatim;
    a.claims.push_back(markup);

    ClaimResult minor;
    minor.claim.id = "c-minor";
    minor.claim.quote = "a quote";
    minor.claim.block = 7;  // no such block: located nowhere
    minor.verdict = Verdict::minor_variation;
    Match mm;
    mm.verdict = Verdict::minor_variation;
    mm.text = "A quote";
    mm.differences.push_back({"replace", "a", "A", DiffKind::case_change, false});
    minor.match = mm;
    a.claims.push_back(minor);

    ClaimResult unsourced;
    unsourced.claim.id = "c-unsourced";
    unsourced.claim.quote = "guests";
    unsourced.verdict = Verdict::unsourced;
    a.claims.push_back(unsourced);

    Report r;
    r.articles.push_back(a);
    ArticleResult gone;
    gone.input = "http://news.example/gone";
    gone.error = Error{ErrorCode::network, "http://news.example/gone: HTTP/1.1 404 Not Found"};
    r.articles.push_back(gone);
    return r;
}

FailPolicy policy(std::string_view spec) {
    auto p = parse_fail_on(spec);
    REQUIRE(p);
    return *p;
}

}  // namespace

TEST_CASE("--fail-on: verdicts, critical and none", "[unit]") {
    CHECK(policy("none").verdicts.empty());
    CHECK_FALSE(policy("none").critical);
    CHECK(policy(" altered , critical").critical);
    CHECK(policy("altered,critical").verdicts == std::set<Verdict>{Verdict::altered});
    auto bad = parse_fail_on("altered,sometimes");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == ErrorCode::usage);
    CHECK(bad.error().message.find("sometimes") != std::string::npos);

    Report r = sample();
    GateResult g = evaluate_gate(r, policy("critical"), nullptr);
    CHECK(g.claims[0][0].fails);
    CHECK(g.claims[0][0].reason == "critical difference");
    CHECK_FALSE(g.claims[0][2].fails);  // a minor difference is not critical
    CHECK(g.article_failed == std::vector<bool>{false, true});
    CHECK(g.failures == 2);  // the critical claim and the unreadable article
    GateResult none = evaluate_gate(r, policy("none"), nullptr);
    CHECK(none.failures == 1);
    GateResult minor = evaluate_gate(r, policy("minor_variation,unsourced"), nullptr);
    CHECK(minor.claims[0][2].fails);
    CHECK(minor.claims[0][3].fails);
    CHECK_FALSE(minor.claims[0][0].fails);
}

TEST_CASE("a baseline lets old findings pass and fails new or worse ones", "[unit]") {
    Report r = sample();
    json previous = report_json(r);
    auto same = Baseline::parse(previous.dump(), "old.json");
    REQUIRE(same);
    GateResult g = evaluate_gate(r, policy("altered,unsourced,critical"), &*same);
    CHECK_FALSE(g.claims[0][0].fails);
    CHECK(g.claims[0][0].reason.find("already in the baseline") != std::string::npos);
    CHECK_FALSE(g.claims[0][3].fails);

    // Worse: the baseline saw the altered claim as verbatim; new: the unsourced claim under another id and
    // quotation is unknown to it.
    previous["articles"][0]["claims"][0]["verdict"] = "verbatim";
    previous["articles"][0]["claims"][0]["match"]["differences"] = json::array();
    previous["articles"][0]["claims"][3]["id"] = "other";
    previous["articles"][0]["claims"][3]["quote"] = "hosts";
    auto changed = Baseline::parse(previous.dump(), "old.json");
    REQUIRE(changed);
    GateResult w = evaluate_gate(r, policy("altered,unsourced"), &*changed);
    CHECK(w.claims[0][0].fails);
    CHECK(w.claims[0][0].reason.find("worse than the baseline's verbatim") != std::string::npos);
    CHECK(w.claims[0][3].fails);
    CHECK(w.claims[0][3].reason.find("new since the baseline") != std::string::npos);

    // Found by article URL and quotation when the id changed (the block moved).
    json moved = report_json(r);
    moved["articles"][0]["claims"][0]["id"] = "moved";
    auto by_quote = Baseline::parse(moved.dump(), "old.json");
    REQUIRE(by_quote);
    CHECK(by_quote->find(r.articles[0], r.articles[0].claims[0]).has_value());

    for (std::string_view junk : {"", "[]", "{\"articles\": 3}", "{\"articles\": [{\"claims\": [{}]}]}",
                                  "{\"articles\": [{\"claims\": [{\"verdict\": \"odd\"}]}]}"}) {
        auto b = Baseline::parse(junk, "junk.json");
        INFO(junk);
        REQUIRE_FALSE(b);
        CHECK(b.error().code == ErrorCode::config);
        CHECK(b.error().message.find("junk.json") != std::string::npos);
    }
}

TEST_CASE("a quotation is located by line and code-point column in the HTML as served", "[unit]") {
    Report r = sample();
    auto p = locate_quote(r.articles[0], r.articles[0].claims[0]);
    REQUIRE(p);
    CHECK(p->found);
    CHECK(p->line == 4);
    CHECK(p->column == 7);  // "<p>é “" is six code points
    CHECK(p->end_line == 4);
    CHECK(p->end_column == 7 + 27);
    // Markup inside the quotation: found by its leading words.
    auto q = locate_quote(r.articles[0], r.articles[0].claims[1]);
    REQUIRE(q);
    CHECK(q->found);
    CHECK(q->line == 5);
    CHECK(q->column == 5);
    CHECK_FALSE(locate_quote(r.articles[0], r.articles[0].claims[2]).has_value());
    CHECK_FALSE(locate_quote(r.articles[1], r.articles[0].claims[0]).has_value());
    // All claims at once, in one pass over the HTML, give the same positions.
    const auto all = locate_quotes(r.articles[0]);
    REQUIRE(all.size() == r.articles[0].claims.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        const auto one = locate_quote(r.articles[0], r.articles[0].claims[i]);
        REQUIRE(all[i].has_value() == one.has_value());
        if (!one) continue;
        CHECK(all[i]->line == one->line);
        CHECK(all[i]->column == one->column);
        CHECK(all[i]->end_line == one->end_line);
        CHECK(all[i]->end_column == one->end_column);
        CHECK(all[i]->offset == one->offset);
        CHECK(all[i]->found == one->found);
    }
}

TEST_CASE("SARIF: failing claims only, with rule, level, region, message and fingerprint", "[unit]") {
    Report r = sample();
    GateResult g = evaluate_gate(r, policy("altered,unsourced"), nullptr);
    json s = report_sarif(r, g);
    CHECK(s["version"] == "2.1.0");
    const json& run = s["runs"][0];
    CHECK(run["tool"]["driver"]["name"] == "provcheck");
    CHECK(run["tool"]["driver"]["rules"].size() == 9);
    CHECK(run["columnKind"] == "unicodeCodePoints");
    REQUIRE(run["results"].size() == 2);
    const json& res = run["results"][0];
    CHECK(res["ruleId"] == "altered");
    CHECK(run["tool"]["driver"]["rules"][res["ruleIndex"].get<std::size_t>()]["id"] == "altered");
    CHECK(res["level"] == "error");
    const json& loc = res["locations"][0]["physicalLocation"];
    CHECK(loc["artifactLocation"]["uri"] == "site/a%20b.html");
    CHECK(loc["region"]["startLine"] == 4);
    CHECK(loc["region"]["startColumn"] == 7);
    CHECK(res["message"]["text"].get<std::string>().find("quote “15”, source “12” (number, critical)") !=
          std::string::npos);
    CHECK(res["partialFingerprints"]["provcheckClaim/v1"] == "c-altered");
    CHECK(res["properties"]["attributionRule"] == "attr.said");
    CHECK(res["properties"]["decidedBy"] == "altered_min_score");
    CHECK(run["results"][1]["ruleId"] == "unsourced");
    CHECK_FALSE(run["results"][1]["locations"][0]["physicalLocation"].contains("region"));
    CHECK(run["artifacts"][1]["location"]["uri"] == "http://news.example/gone");
}

TEST_CASE("JUnit: suites, cases, failures and errors, escaped", "[unit]") {
    Report r = sample();
    GateResult g = evaluate_gate(r, policy("altered"), nullptr);
    std::string x = report_junit(r, g);
    CHECK(
        x.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"provcheck\" tests=\"5\" "
                      "failures=\"1\" errors=\"1\""));
    CHECK(x.find("<testsuite name=\"Trade &lt;figures&gt; &amp; more\"") != std::string::npos);
    CHECK(x.find("<failure message=\"altered: quote “15”, source “12” (number, critical)\" type=\"altered\">") !=
          std::string::npos);
    CHECK(x.find("<error message=\"http://news.example/gone: HTTP/1.1 404 Not Found\" type=\"unreadable\"/>") !=
          std::string::npos);
    CHECK(x.find("timestamp=\"2024-03-05T10:00:00\"") != std::string::npos);
    CHECK(escape_markup(std::string("a\x01<b>'\"&")) == "a &lt;b&gt;&#39;&quot;&amp;");
}

TEST_CASE("HTML: side by side with the differences marked, no script, every record named", "[unit]") {
    Report r = sample();
    GateResult g = evaluate_gate(r, policy("altered"), nullptr);
    std::string h = report_html(r, g, HtmlOptions{"2024-03-05T10:00:02Z"});
    CHECK(h.starts_with("<!DOCTYPE html>"));
    CHECK(h.find("<script") == std::string::npos);
    CHECK(h.find("<title>provcheck: 2 articles</title>") != std::string::npos);
    CHECK(h.find("“Exports grew by <mark class=\"diff critical\">15</mark> percent,”") != std::string::npos);
    CHECK(h.find("Exports grew by <mark class=\"diff critical\">12</mark> percent, led by machinery") !=
          std::string::npos);
    CHECK(h.find("“<mark class=\"diff minor\">a</mark> quote”") != std::string::npos);
    CHECK(h.find("id=\"claim-c-altered\"") != std::string::npos);
    CHECK(h.find("fails the gate: altered") != std::string::npos);
    CHECK(h.find("log index 4") != std::string::npos);
    CHECK(h.find(std::string(64, 'd')) != std::string::npos);
    CHECK(h.find("The article could not be read") != std::string::npos);
    CHECK(h.find("@media print") != std::string::npos);
}

TEST_CASE("ClaimReview: altered and unverifiable claims, rated, with their appearance", "[unit]") {
    Report r = sample();
    json cr = report_claimreview(r, ClaimReviewOptions{"Desk", "2024-03-05", "https://desk.example/checks/1"});
    CHECK(cr["@context"] == "https://schema.org");
    REQUIRE(cr["@graph"].size() == 2);
    const json& a = cr["@graph"][0];
    CHECK(a["@type"] == "ClaimReview");
    CHECK(a["url"] == "https://desk.example/checks/1");
    CHECK(a["claimReviewed"] == "Exports grew by 15 percent,");
    CHECK(a["author"]["name"] == "Desk");
    CHECK(a["datePublished"] == "2024-03-05");
    CHECK(a["reviewRating"]["ratingValue"] == 1);
    CHECK(a["reviewRating"]["alternateName"] == "Misquoted: a number was changed");
    CHECK(a["itemReviewed"]["author"] == json({{"@type", "Person"}, {"name", "Ana Ruiz"}}));
    // Where the claim appeared is the article, not the source it cites.
    CHECK(a["itemReviewed"]["firstAppearance"]["url"] == "https://news.example/a");
    CHECK(a["itemReviewed"]["appearance"][0]["url"] == "https://news.example/a");
    const std::string body = a["reviewBody"];
    CHECK(body.find("quotes Ana Ruiz as saying “Exports grew by 15 percent,”") != std::string::npos);
    CHECK(body.find("“15” where the source has “12”") != std::string::npos);
    const json& u = cr["@graph"][1]["reviewRating"];
    CHECK(u["alternateName"] == "Unverifiable: no source given");
    CHECK_FALSE(u.contains("ratingValue"));  // no rating on the scale for what could not be checked
    // Without --claimreview-url there is no url at all.
    CHECK_FALSE(report_claimreview(r, ClaimReviewOptions{"Desk", "2024-03-05", ""})["@graph"][0].contains("url"));
    // A body speaks as an Organization, a person as a Person.
    for (auto& art : r.articles) {
        for (auto& c : art.claims) {
            if (c.claim.speaker == "Ana Ruiz") c.claim.speaker = "Ashdown County";
        }
    }
    CHECK(report_claimreview(r, ClaimReviewOptions{})["@graph"][0]["itemReviewed"]["author"]["@type"] ==
          "Organization");

    // A speaker inferred from the names around the quotation is no author the article gave it.
    for (auto& art : r.articles) {
        for (auto& c : art.claims)
            c.claim.speaker_inferred = c.claim.speaker == "Ashdown County";
    }
    const json inferred = report_claimreview(r, ClaimReviewOptions{})["@graph"][0];
    CHECK_FALSE(inferred["itemReviewed"].contains("author"));
    CHECK(inferred["reviewBody"].get<std::string>().find("quotes someone it does not name as saying") !=
          std::string::npos);
}

TEST_CASE("an inferred speaker is shown as such in every report that names speakers", "[unit]") {
    Report r = sample();
    for (auto& art : r.articles) {
        for (auto& c : art.claims) {
            if (c.claim.speaker == "Ana Ruiz") c.claim.speaker_inferred = true;
        }
    }
    const std::string said = "Ana Ruiz via Ministry Gazette — inferred, the person named last before it";
    const GateResult g = evaluate_gate(r, policy("altered"), nullptr);
    CHECK(report_html(r, g, HtmlOptions{}).find(said) != std::string::npos);
    CHECK(report_text(r, TextOptions{}).find("speaker  " + said) != std::string::npos);
    const json j = report_json(r);
    bool flagged = false;
    for (const auto& c : j["articles"][0]["claims"]) {
        if (c["speaker"] == "Ana Ruiz") flagged = c.value("speaker_inferred", false);
        if (c["speaker"] != "Ana Ruiz") CHECK_FALSE(c.contains("speaker_inferred"));
    }
    CHECK(flagged);
    Claim none;
    CHECK(describe_speaker(none) == "no attribution found");
    none.speaker = "Dr Amara Osei";
    none.outlet = "Daily Ledger";
    CHECK(describe_speaker(none) == "Dr Amara Osei via Daily Ledger");
}

TEST_CASE("every format written as articles come, through a temporary file, is the whole report byte for byte",
          "[unit]") {
    Report r = sample();
    // More articles: one that could not be read, and one whose quote holds what re-indentation must not touch.
    ArticleResult unreadable;
    unreadable.input = "gone.html";
    unreadable.error = Error{ErrorCode::io, "gone.html: no such file"};
    r.articles.push_back(unreadable);
    ArticleResult third = r.articles.front();
    third.input = "third.html";
    third.claims.front().claim.quote = "line one\nline two, \"quoted\" and \\ escaped";
    r.articles.push_back(third);
    auto policy = parse_fail_on("altered,not_found");
    REQUIRE(policy);
    const ClaimReviewOptions review{"Desk", "2026-12-03", "https://desk.example/check"};
    const HtmlOptions html{"2026-12-03T08:00:00Z"};
    for (const Report& report : {r, Report{}, Report{{r.articles.front()}, {}}}) {
        const GateResult gate = evaluate_gate(report, *policy, nullptr);
        auto streamed = [&](Result<std::unique_ptr<ReportWriter>> w, bool with_gate = true) {
            REQUIRE(w);
            ReportTotals totals;
            for (std::size_t ai = 0; ai < report.articles.size(); ++ai) {
                (*w)->add(report.articles[ai], with_gate ? &gate.claims[ai] : nullptr);
                totals.add(report.articles[ai]);
            }
            const GateTotals g{gate.failures};
            std::string out;
            auto done = (*w)->finish(totals, with_gate ? &g : nullptr, [&](std::string_view s) -> Result<void> {
                out += s;
                return {};
            });
            REQUIRE(done);
            return out;
        };
        CHECK(streamed(json_report_writer(false)) == report_json(report, &gate).dump(2) + "\n");
        CHECK(streamed(json_report_writer(false), false) == report_json(report).dump(2) + "\n");
        CHECK(streamed(text_report_writer(false, false)) == report_text(report, TextOptions{false, &gate}));
        CHECK(streamed(text_report_writer(false, true), false) == report_text(report, TextOptions{true}));
        CHECK(streamed(sarif_report_writer(false)) == report_sarif(report, gate).dump(2) + "\n");
        CHECK(streamed(junit_report_writer(false)) == report_junit(report, gate));
        CHECK(streamed(html_report_writer(false, html)) == report_html(report, gate, html));
        CHECK(streamed(claimreview_report_writer(false, review)) == report_claimreview(report, review).dump(2) + "\n");
    }
}

TEST_CASE("a spool gives back what it was given, from memory or from its file", "[unit]") {
    for (bool in_memory : {true, false}) {
        auto spool = Spool::open(in_memory);
        REQUIRE(spool);
        CHECK(spool->empty());
        std::string expected;
        for (int i = 0; i < 20000; ++i) {
            const std::string piece = "piece " + std::to_string(i) + "\n";
            spool->append(piece);
            expected += piece;
        }
        CHECK_FALSE(spool->empty());
        std::string got;
        std::size_t calls = 0;
        REQUIRE(spool->copy_to([&](std::string_view s) -> Result<void> {
            got += s;
            ++calls;
            return {};
        }));
        CHECK(got == expected);
        if (!in_memory) CHECK(calls > 1);  // read back in pieces, never whole
        // An error of the receiving end stops the copy and is returned.
        auto stopped = spool->copy_to([](std::string_view) -> Result<void> { return fail(ErrorCode::io, "full"); });
        REQUIRE_FALSE(stopped);
        CHECK(stopped.error().message == "full");
    }
}

TEST_CASE("a quotation over several paragraphs is located from its first block to the end in its last", "[unit]") {
    ArticleResult a;
    a.capture.body =
        "<html><body>\n<p>“The first part runs on.</p>\n<p>“And the second ends here,” she said.</p>\n</body></html>\n";
    const std::string& html = a.capture.body;
    a.document.blocks = {{BlockKind::paragraph, "“The first part runs on.", 0, html.find("<p>")},
                         {BlockKind::paragraph, "“And the second ends here,” she said.", 0, html.rfind("<p>")}};
    ClaimResult c;
    c.claim.quote = "The first part runs on. And the second ends here,";
    c.claim.block = 0;
    c.claim.last_block = 1;
    a.claims.push_back(c);
    const auto p = locate_quote(a, a.claims[0]);
    REQUIRE(p);
    CHECK(p->found);
    CHECK(p->line == 2);
    CHECK(p->column == 5);  // after "<p>“"
    CHECK(p->end_line == 3);
    CHECK(p->end_column == 5 + std::string_view("And the second ends here,").size());
}
