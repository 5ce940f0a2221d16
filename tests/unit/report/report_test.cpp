#include <catch2/catch.hpp>

#include "core/text.hpp"
#include "report/gate.hpp"
#include "report/report.hpp"
#include "report/writer.hpp"

using namespace provcheck;
using nlohmann::json;

namespace {

Report sample_report() {
    ArticleResult a;
    a.input = "article.html";
    a.capture.requested_url = "article.html";
    a.capture.final_url = "file:///tmp/article.html";
    a.capture.status = 200;
    a.capture.payload_sha256 = std::string(64, 'a');
    a.document.title = "A title";
    a.document.canonical_url = "https://news.example/a";
    a.document.published = "2023-10-19";

    Capture tco;
    tco.requested_url = "https://t.co/x";
    tco.final_url = "https://news.example/b";
    tco.status = 200;
    tco.chain = {{"https://t.co/x", 301, HopVia::start}, {"https://news.example/b", 200, HopVia::http}};
    a.links.push_back({Link{"https://t.co/x", "https://t.co/x", "t.co/x", 3, 0, 5}, tco});

    ClaimResult altered;
    altered.claim.id = "c1";
    altered.claim.quote = "people from more than 40 countries";
    altered.claim.speaker = "The New York Times";
    altered.claim.outlet = "The New York Times";
    altered.claim.attribution = "it added";
    altered.claim.rule = "attr.it-added";
    altered.verdict = Verdict::altered;
    Match m;
    m.verdict = Verdict::altered;
    m.score = 0.8;
    m.text = "people from more than 30 countries";
    m.differences.push_back({"replace", "40", "30", DiffKind::number, true});
    altered.match = m;
    Capture src;
    src.requested_url = "https://nyt.example/a";
    src.final_url = "https://nyt.example/a";
    src.status = 200;
    src.payload_sha256 = std::string(64, 'b');
    src.chain = {{"https://nyt.example/a", 200, HopVia::start}};
    altered.source = src;
    altered.candidates = {src};
    altered.record = RecordRef{std::string(64, 'c'), std::string(64, 'd'), 7};
    a.claims.push_back(altered);

    ClaimResult unsourced;
    unsourced.claim.id = "c2";
    unsourced.claim.kind = ClaimKind::partial_quote;
    unsourced.claim.quote = "guests";
    unsourced.verdict = Verdict::unsourced;
    a.claims.push_back(unsourced);

    ClaimResult dead;
    dead.claim.id = "c3";
    dead.claim.quote = "a quote";
    dead.verdict = Verdict::source_unavailable;
    Capture failed;
    failed.requested_url = "https://gone.example/";
    failed.status = 404;
    failed.failure = CaptureFailure{FailureClass::http_4xx, "HTTP/1.1 404 Not Found"};
    dead.source = failed;
    a.claims.push_back(dead);

    Report r;
    r.articles.push_back(a);
    return r;
}

}  // namespace

TEST_CASE("the JSON report has DESIGN.md's required fields", "[unit]") {
    json j = report_json(sample_report());
    CHECK(j["tool"]["name"] == "provcheck");
    CHECK(j["tool"]["version"] == PROVCHECK_VERSION);
    const json& a = j["articles"][0];
    CHECK(a["input"] == "article.html");
    CHECK(a["url"] == "https://news.example/a");
    CHECK(a["final_url"] == "file:///tmp/article.html");
    CHECK(a["links"][0]["final_url"] == "https://news.example/b");
    CHECK(a["links"][0]["error"].is_null());
    CHECK(a["links"][0]["chain"][0] == json({{"url", "https://t.co/x"}, {"status", 301}, {"via", "start"}}));
    const json& c = a["claims"][0];
    for (auto key : {"id", "kind", "quote", "speaker", "outlet", "attribution", "rule", "verdict", "score", "source",
                     "match", "record"}) {
        CHECK(c.contains(key));
    }
    CHECK(c["match"]["differences"][0] ==
          json({{"op", "replace"}, {"quote", "40"}, {"source", "30"}, {"kind", "number"}, {"critical", true}}));
    CHECK(c["record"]["log_index"] == 7);
    CHECK(c["source"]["sha256"] == std::string(64, 'b'));
    CHECK(a["claims"][1]["source"].is_null());
    CHECK(a["claims"][1]["record"].is_null());
    CHECK(a["claims"][2]["source"]["error"]["class"] == "http_4xx");
    CHECK(j["summary"]["claims"] == 3);
    CHECK(j["summary"]["by_verdict"]["altered"] == 1);
    CHECK(j["summary"]["by_verdict"]["unsourced"] == 1);
}

TEST_CASE("the text report shows verdicts, differences and chains, with colour only when asked", "[unit]") {
    Report r = sample_report();
    std::string plain = report_text(r, TextOptions{false});
    CHECK(plain.find("ALTERED") != std::string::npos);
    CHECK(plain.find("“40” → source “30” (number, critical)") != std::string::npos);
    CHECK(plain.find("UNSOURCED") != std::string::npos);
    CHECK(plain.find("http_4xx") != std::string::npos);
    CHECK(plain.find("301 https://t.co/x (start)") != std::string::npos);
    CHECK(plain.find("\x1b[") == std::string::npos);
    std::string colour = report_text(r, TextOptions{true});
    CHECK(colour.find("\x1b[1;31mALTERED\x1b[0m") != std::string::npos);
}

TEST_CASE("the JSON report written article by article is the whole tree's text, byte for byte", "[unit]") {
    Report r = sample_report();
    // A second article, with a quote whose text holds what the re-indentation must not touch.
    ArticleResult second = r.articles.front();
    second.input = "second.html";
    second.claims.front().claim.quote = "line one\nline two, \"quoted\" and \\ escaped";
    r.articles.push_back(second);
    auto policy = parse_fail_on("altered,not_found");
    REQUIRE(policy);
    const GateResult gate = evaluate_gate(r, *policy, nullptr);
    CHECK(report_json_text(r, &gate) == report_json(r, &gate).dump(2) + "\n");
    CHECK(report_json_text(r) == report_json(r).dump(2) + "\n");
    CHECK(report_json_text(Report{}) == report_json(Report{}).dump(2) + "\n");
    CHECK(json::parse(report_json_text(r, &gate)) == report_json(r, &gate));
}

TEST_CASE("links written straight out are what their trees dump: escapes, NUL, bad bytes", "[unit]") {
    Report r = sample_report();
    ArticleResult& a = r.articles.front();
    // A dead link: no status, no chain past the first request, an error whose message needs escaping.
    Capture dead;
    dead.requested_url = "https://gone.example/x";
    dead.final_url = "https://gone.example/x";
    dead.chain = {{"https://gone.example/x", std::nullopt, HopVia::start}};
    dead.failure = CaptureFailure{FailureClass::connect, "connect: \"refused\"\tat\r\n\x01 \\ end"};
    a.links.push_back({Link{"x", "https://gone.example/x", "anchor \x1f with “curly” and é", -1, 0, 0}, dead});
    // Nothing fetched at all (an empty chain), a status of 0 in a hop, text that is not UTF-8, and a NUL.
    Capture none;
    none.payload_sha256 = std::string(64, 'b');  // never shown without a status
    none.chain = {{"https://h.example/\xff", 0, HopVia::meta_refresh}};
    a.links.push_back({Link{"y", std::string("https://h.example/a\0b", 21), "bad \xc3\x28 bytes", 7, 1, 2}, none});
    Capture empty;
    a.links.push_back({Link{"z", "https://z.example/", "", 0, 0, 0}, empty});

    std::string written;
    std::string dumped;
    for (const auto& l : a.links) {
        written += "\n";
        append_link_json(written, l, 2);
        dumped += "\n";
        append_nested(dumped, link_json(l).dump(2, ' ', false, json::error_handler_t::replace), 2);
    }
    CHECK(written == dumped);
    // Where the tree's own replacement differs (a cut sequence is one U+FFFD to it), each bad byte is one U+FFFD,
    // and a NUL in bad text stays a NUL: the text stays JSON that reads back to the repaired string.
    for (const std::string& bad : {std::string("a\xE2\x82"),
                                   std::string("\xE2\x82"
                                               "A"),
                                   std::string("a\0b\xff", 4)}) {
        LinkResult l{Link{"h", bad, bad, 0, 0, 0}, Capture{}};
        std::string text;
        append_link_json(text, l, 0);
        const json parsed = json::parse(text);
        CHECK(parsed["url"] == repair_utf8(bad));
        CHECK(parsed["anchor"] == repair_utf8(bad));
    }
    CHECK(repair_utf8(std::string("a\xE2\x82")) == "a\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(repair_utf8(std::string("a\0b\xff", 4)) == std::string("a\0b\xEF\xBF\xBD", 6));
    Report one;
    one.articles.push_back(a);
    CHECK(report_json_text(one) == report_json(one).dump(2, ' ', false, json::error_handler_t::replace) + "\n");
}
