// `provcheck extract` through the built binary: the seed article field by field, other fixture articles, a page
// given by URL from the fixture web on 127.0.0.1, the text format and the errors.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/fs.hpp"
#include "support/fixture_web.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace provcheck;

namespace {

test::RunResult extract(std::vector<std::string> args) {
    args.insert(args.begin(), {test::provcheck_binary(), "extract"});
    return test::run(args);
}

json extract_json(const std::string& article, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{article, "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const test::RunResult r = extract(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
}

const json& claim_starting(const json& doc, std::string_view text) {
    for (const auto& c : doc["claims"]) {
        if (c["quote"].get<std::string>().starts_with(text)) return c;
    }
    FAIL("no claim starts with '" << text << "'");
    static const json none;
    return none;
}

}  // namespace

TEST_CASE("extract: the seed article, field by field", "[cli]") {
    const std::string path = test::source_path("fixtures/seed/article.html").string();
    const json doc = extract_json(path);
    const std::string canonical =
        "https://www.palestinechronicle.com/washington-resorts-to-doha-as-rescue-mission-looks-impossible-nyt/";
    CHECK(doc["input"] == path);
    CHECK(doc["url"] == canonical);  // a saved page reads its links at its published address
    CHECK(doc["final_url"].get<std::string>().starts_with("file:"));
    CHECK(doc["sha256"].get<std::string>().size() == 64);
    CHECK(doc["canonical_url"] == canonical);
    CHECK(doc["title"] == "Washington resorts to Doha as rescue mission looks impossible – NYT");
    CHECK(doc["byline"] == "Palestine Chronicle Staff");
    CHECK(doc["published"] == "2023-10-19T14:12:37+00:00");
    CHECK(doc["modified"] == "2023-10-19T14:20:05+00:00");
    CHECK(doc["language"] == "en-US");
    CHECK(doc["extraction_stage"] == "site:palestinechronicle");
    CHECK(doc["partial"] == false);
    CHECK(doc["partial_reasons"].empty());

    const json& blocks = doc["blocks"];
    REQUIRE(blocks.size() >= 10);
    CHECK(blocks[0]["kind"] == "paragraph");
    CHECK(blocks[0]["text"].get<std::string>().starts_with("After realizing that a rescue mission"));
    std::size_t embeds = 0;
    for (const auto& b : blocks)
        embeds += b["kind"] == "embed" ? 1 : 0;
    CHECK(embeds == 2);

    REQUIRE(doc["embeds"].size() == 2);
    const json& tweet = doc["embeds"][0];
    CHECK(tweet["kind"] == "tweet");
    CHECK(tweet["handle"] == "@PalestineChron");
    CHECK(tweet["author"] == "The Palestine Chronicle");
    CHECK(tweet["date"] == "October 19, 2023");
    CHECK(tweet["status_url"].get<std::string>().starts_with(
        "https://twitter.com/PalestineChron/status/1714974432137298349"));
    CHECK(tweet["text"].get<std::string>().starts_with("ISRAELI BROADCASTING CORPORATION"));

    bool tco = false;
    for (const auto& l : doc["links"]) {
        CHECK(l.contains("href"));
        CHECK(l.contains("anchor_text"));
        tco = tco || l["url"] == "https://t.co/g4TcNbYW6U";
    }
    CHECK(tco);

    const json& claims = doc["claims"];
    REQUIRE(claims.size() == 10);
    // The closing quotation runs over the last two paragraphs: one claim, with the block it ends in.
    CHECK(claims.back()["block"] == 10);
    CHECK(claims.back()["last_block"] == 11);
    CHECK(claims.back()["quote"].get<std::string>().ends_with("That means diplomacy remains the central effort."));
    for (const auto& c : claims) {
        CHECK(c["id"].get<std::string>().size() == 16);
        CHECK_FALSE(c.contains("verdict"));
        CHECK_FALSE(c.contains("match"));
        CHECK_FALSE(c.contains("source"));
    }
    const json& chaotic = claim_starting(doc, "The chaotic environment of Gaza");
    CHECK(chaotic["kind"] == "quote");
    CHECK(chaotic["speaker"] == "The New York Times");
    CHECK(chaotic["outlet"] == "The New York Times");
    CHECK(chaotic["attribution"] == "NYT reported");
    CHECK(chaotic["rule"] == "after.speaker-verb");
    const json& best = claim_starting(doc, "best option");
    CHECK(best["kind"] == "partial_quote");
    CHECK(best["attribution"] == "the report said");
    const json& baskin = claim_starting(doc, "To sacrifice hostages");
    CHECK(baskin["speaker"] == "Gershon Baskin");
    CHECK(baskin["outlet"] == "The New York Times");
    const json& guests = claim_starting(doc, "guests");
    CHECK(guests["speaker"] == "Abu Obeida");
    CHECK(guests["outlet"] == "");
    const json& post = claim_starting(doc, "ISRAELI BROADCASTING");
    CHECK(post["kind"] == "embed");
    CHECK(post["rule"] == "embed.tweet");
    CHECK(post["status_url"] == tweet["status_url"]);
}

TEST_CASE("extract: a paywalled source page is partial, with its reasons", "[cli]") {
    const json doc = extract_json(test::source_path("fixtures/web/www.nytimes.com/2023/10/17/us/politics/"
                                                    "qatar-hamas-hostages-mediator-paywall.html")
                                      .string());
    CHECK(doc["partial"] == true);
    REQUIRE_FALSE(doc["partial_reasons"].empty());
    CHECK(doc["title"] == "Facing Risky Options for Gaza Hostages, U.S. Turns to Longtime Mediator");
    CHECK(doc["canonical_url"].get<std::string>().starts_with("https://www.nytimes.com/"));
}

TEST_CASE("extract: an article of another outlet, its links and claims", "[cli]") {
    const json doc = extract_json(test::source_path("fixtures/articles/paywalled.html").string());
    CHECK(doc["title"] == "Washington pins hostage hopes on Qatar");
    CHECK(doc["byline"] == "Priya Natarajan");
    CHECK(doc["published"] == "2023-10-18T16:00:00+00:00");
    CHECK(doc["language"] == "en");
    CHECK(doc["partial"] == false);
    const json& times = claim_starting(doc, "the best option to save hostages");
    CHECK(times["speaker"] == "The New York Times");
    CHECK(times["attribution"] == "the Times reported");
    bool paywall_link = false;
    for (const auto& l : doc["links"]) {
        paywall_link =
            paywall_link || l["url"].get<std::string>().ends_with("qatar-hamas-hostages-mediator-paywall.html");
    }
    CHECK(paywall_link);
}

TEST_CASE("extract: an article given by URL is fetched like check fetches it", "[cli]") {
    test::FixtureWeb web{test::source_path("fixtures/web")};
    const json doc = extract_json(
        "https://www.palestinechronicle.com/washington-resorts-to-doha-as-rescue-mission-looks-impossible-nyt/",
        web.client_args());
    CHECK(doc["final_url"] ==
          "https://www.palestinechronicle.com/washington-resorts-to-doha-as-rescue-mission-looks-impossible-nyt/");
    CHECK(doc["title"] == "Washington resorts to Doha as rescue mission looks impossible – NYT");
    CHECK(doc["claims"].size() == 10);
    CHECK(doc["embeds"].size() == 2);
}

TEST_CASE("extract: text format lists metadata, blocks and claims", "[cli]") {
    const test::RunResult r = extract({test::source_path("fixtures/seed/article.html").string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("title      Washington resorts to Doha") != std::string::npos);
    CHECK(r.out.find("stage      site:palestinechronicle") != std::string::npos);
    CHECK(r.out.find("Claims (10)") != std::string::npos);
    CHECK(r.out.find("Gershon Baskin via The New York Times") != std::string::npos);
    CHECK(r.out.find("no attribution found") == std::string::npos);
}

TEST_CASE("extract: errors and usage", "[cli]") {
    test::TempDir dir;
    SECTION("a missing file is a runtime error") {
        const test::RunResult r = extract({(dir / "missing.html").string()});
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("missing.html") != std::string::npos);
    }
    SECTION("an empty file is a clear error") {
        REQUIRE(write_file_atomic(dir / "empty.html", "").has_value());
        const test::RunResult r = extract({(dir / "empty.html").string()});
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("empty input") != std::string::npos);
    }
    SECTION("an unknown format is a usage error") {
        const test::RunResult r =
            extract({test::source_path("fixtures/seed/article.html").string(), "--format", "xml"});
        CHECK(r.exit_code == 3);
    }
    SECTION("no article is a usage error") {
        const test::RunResult r = extract({});
        CHECK(r.exit_code == 3);
    }
    SECTION("a URL to a private address is refused without --allow-private-addresses") {
        const test::RunResult r = extract({"http://127.0.0.1:9/story"});
        CHECK(r.exit_code == 1);
    }
}
