// A source far larger than what a transfer keeps in memory: the check reads it whole from where it waited on
// disk, reaches the same verdicts as with the plain page, and an independent WARC reader finds it archived
// whole with matching digests.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "core/hash.hpp"
#include "support/fixture_web.hpp"
#include "support/run.hpp"
#include "support/seed.hpp"
#include "support/temp_dir.hpp"
#include "support/warcio.hpp"

using nlohmann::json;
using namespace provcheck;

namespace {

// `provcheck check ARGS` against the fixture web with a workspace and key in `dir`: the JSON report.
json check_json(const test::FixtureWeb& web, const test::TempDir& dir, std::vector<std::string> args) {
    std::vector<std::string> argv{test::provcheck_binary(), "check"};
    argv.insert(argv.end(), args.begin(), args.end());
    const std::vector<std::string> common{"--workspace", (dir / "ws").string(), "--format", "json",
                                          "--quiet",     "--fail-on",           "none"};
    argv.insert(argv.end(), common.begin(), common.end());
    auto client = web.client_args();
    argv.insert(argv.end(), client.begin(), client.end());
    auto result = test::run(argv, {{"XDG_CONFIG_HOME", (dir / "config").string()}});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    return json::parse(result.out);
}

}  // namespace

TEST_CASE("a source of several megabytes is spooled, archived whole and aligned as usual", "[cli]") {
    const std::string nyt_path = "/2023/10/17/us/politics/qatar-hamas-hostages-mediator.html";
    std::string page = test::read_text(test::source_path("fixtures/web/www.nytimes.com") / nyt_path.substr(1));
    REQUIRE(page.find("more than 30 countries") != std::string::npos);
    // Three megabytes of script before the story, as a heavy news page carries: bytes, not text.
    std::string padding = "<script>var state = \"";
    while (padding.size() < (3u << 20))
        padding += "0123456789abcdef";
    padding += "\";</script>";
    const auto head_end = page.find("</head>");
    REQUIRE(head_end != std::string::npos);
    page.insert(head_end, padding);

    test::FixtureWeb web{test::source_path("fixtures/web")};
    test::Route r;
    r.host = "www.nytimes.com";
    r.path = nyt_path;
    r.body = page;
    web.https().add_route(std::move(r));
    test::TempDir dir;
    json report = check_json(
        web, dir, {test::source_path("fixtures/seed/article.html").string(), "--source", "NYT=" + test::seed_nyt_url});
    const json& forty = test::claim_containing(report, "more than 40 countries");
    CHECK(forty["verdict"] == "altered");
    CHECK(forty["source"]["sha256"] == sha256_hex(page));
    // Nothing is left beside the archive but the archive.
    for (const auto& f : std::filesystem::directory_iterator(dir / "ws" / "warc"))
        CHECK(f.path().string().ends_with(".warc.gz"));

    auto read_back = test::warcio_summary(dir / "ws" / "warc");
    if (!read_back) return;
    const json& summary = *read_back;
    CHECK(summary["block_mismatch"].empty());
    CHECK(summary["payload_mismatch"].empty());
    REQUIRE(summary["payload_bytes"].contains(test::seed_nyt_url));
    CHECK(summary["payload_bytes"][test::seed_nyt_url] == page.size());
}

TEST_CASE("a large photo linked from an article is archived as served and never read as text", "[cli]") {
    // Bytes as a JPEG's look to deflate: incompressible.
    std::string photo(3u << 20, '\0');
    std::uint32_t x = 88172645U;
    for (auto& c : photo) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = static_cast<char>(x >> 24);
    }
    test::FixtureWeb web{test::source_path("fixtures/web")};
    test::Route r;
    r.host = "www.nytimes.com";
    r.path = "/images/2023/10/17/hostages.jpg";
    r.body = photo;
    r.content_type = "image/jpeg";
    web.https().add_route(std::move(r));
    test::TempDir dir;
    const auto article = dir / "article.html";
    {
        std::ofstream out(article);
        out << "<!doctype html><html><head><meta charset=\"utf-8\"><title>Photo</title></head><body><article>"
               "<h1>A photo</h1><p>The newspaper printed <a href=\"https://www.nytimes.com/images/2023/10/17/"
               "hostages.jpg\">a photo of the talks</a> beside its report.</p></article></body></html>";
    }
    json report = check_json(web, dir, {article.string()});
    const std::string photo_url = "https://www.nytimes.com/images/2023/10/17/hostages.jpg";
    const json* link = nullptr;
    for (const auto& l : report["articles"][0]["links"]) {
        if (l["url"] == photo_url) link = &l;
    }
    REQUIRE(link != nullptr);
    CHECK((*link)["status"] == 200);
    CHECK((*link)["sha256"] == sha256_hex(photo));

    auto read_back = test::warcio_summary(dir / "ws" / "warc");
    if (!read_back) return;
    const json& summary = *read_back;
    CHECK(summary["block_mismatch"].empty());
    CHECK(summary["payload_mismatch"].empty());
    CHECK(summary["payload_bytes"][photo_url] == photo.size());
}
