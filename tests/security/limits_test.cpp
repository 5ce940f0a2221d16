// Caps on the claims and links of one article, with the work for an article linear in its links: a page of a
// hundred thousand links or a million quotations must neither take hours nor fill the memory.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "attribute/attribute.hpp"
#include "extract/extract.hpp"
#include "rules/rules.hpp"
#include "security/hostile.hpp"

using nlohmann::json;
using namespace provcheck;

TEST_CASE("claims and links past --max-claims and --max-links are left out, and the report says so", "[security]") {
    test::TempDir dir;
    std::string body = "<p>";
    for (int i = 0; i < 300; ++i)
        body += "“Statement number " + std::to_string(i) + " stands,” an official said. ";
    body += "</p><p>";
    for (int i = 0; i < 300; ++i)
        body += "<a href=\"https://example.org/page/" + std::to_string(i) + "\">link " + std::to_string(i) + "</a> ";
    body += "</p>";
    test::write_text(dir / "many.html", test::article_page(body));
    json report =
        test::check_json(dir, {(dir / "many.html").string(), "--max-claims", "100", "--max-links", "50", "--depth", "1",
                               "--replay", test::source_path("fixtures/seed/sources.warc").string()});
    const json& a = report["articles"][0];
    CHECK(a["claims"].size() == 100);
    CHECK(a["links"].size() == 50);
    const std::string notes = a["notes"].dump();
    INFO(notes);
    CHECK(notes.find("200 quotations past the limit of 100 per article (--max-claims) were not checked") !=
          std::string::npos);
    CHECK(notes.find("250 links past the limit of 50 per article (--max-links) were not followed or checked") !=
          std::string::npos);

    // The same limits from provcheck.toml, under the options' names.
    test::write_text(dir / "provcheck.toml", "max-claims = 7\nmax_links = 3\n");
    json from_file =
        test::check_json(dir, {(dir / "many.html").string(), "--config", (dir / "provcheck.toml").string(), "--depth",
                               "1", "--replay", test::source_path("fixtures/seed/sources.warc").string()});
    CHECK(from_file["articles"][0]["claims"].size() == 7);
    CHECK(from_file["articles"][0]["links"].size() == 3);
}

TEST_CASE("an article of a hundred thousand links is checked in time linear in its links", "[security]") {
    test::TempDir dir;
    // All in one paragraph, with quotations among them, each of which sees the paragraph's links: every
    // per-link and per-claim step that scanned all links (or all held URLs) for each made this quadratic.
    std::string body = "<p>";
    for (int i = 0; i < 100000; ++i) {
        body += "<a href=\"https://example.org/p/" + std::to_string(i) + "\">" + std::to_string(i) + "</a> ";
        if (i % 1000 == 0) body += "“Words number " + std::to_string(i) + " were said,” Reuters reported. ";
    }
    body += "</p>";
    test::write_text(dir / "links.html", test::article_page(body));
    // Minutes of slack for a loaded machine and a sanitizer build; the quadratic code took hours here.
    json report = test::check_json(dir,
                                   {(dir / "links.html").string(), "--depth", "1", "--replay",
                                    test::source_path("fixtures/seed/sources.warc").string()},
                                   300);
    const json& a = report["articles"][0];
    CHECK(a["claims"].size() == 100);
    CHECK(a["links"].size() == 10000);  // the default --max-links
    CHECK(a["notes"].dump().find("90000 links past the limit of 10000") != std::string::npos);
}

TEST_CASE("a page of more tags than the parser may hold is read up to the bound and counts as partial", "[security]") {
    auto rules = load_rules();
    REQUIRE(rules.has_value());
    std::string html = "<html><body><article>";
    for (int i = 0; i < 400; ++i)
        html += "<p>Paragraph " + std::to_string(i) + " says nothing at all.</p>";
    html += "</article></body></html>";
    ExtractLimits limits;
    limits.max_tags = 200;
    auto doc = extract_document(html, "https://example.org/a", *rules, limits);
    REQUIRE(doc.has_value());
    CHECK(doc->partial);
    REQUIRE_FALSE(doc->partial_reasons.empty());
    CHECK(doc->partial_reasons.back() == "the page has more than 200 tags; what follows was not read");
    const std::string text = doc->text();
    CHECK(text.find("Paragraph 10 ") != std::string::npos);
    CHECK(text.find("Paragraph 399") == std::string::npos);
    auto whole = extract_document(html, "https://example.org/a", *rules);
    REQUIRE(whole.has_value());
    CHECK_FALSE(whole->partial);
}

TEST_CASE("a paragraph of megabytes is attributed where it can be, without tokenizing all of it", "[security]") {
    auto rules = load_rules();
    REQUIRE(rules.has_value());
    std::string para = "Ana Ruiz said: “The first words are hers.” ";
    for (int i = 0; i < 60000; ++i)
        para += "filler words without any quotation at all ";
    para += "“These words come far too late,” Ana Ruiz said.";
    auto doc = extract_document("<html><body><article><p>" + para + "</p></article></body></html>",
                                "https://example.org/a", *rules);
    REQUIRE(doc.has_value());
    auto claims = attribute_claims(*doc, *rules);
    REQUIRE(claims.has_value());
    REQUIRE(claims->size() == 2);
    CHECK(claims->front().speaker == "Ana Ruiz");
    // Past the part of the paragraph that is read for attribution, "Ana Ruiz said" after it is not read: the
    // quotation only continues the speaker of the one before it in its paragraph.
    CHECK(claims->back().rule == "continuation");
}
