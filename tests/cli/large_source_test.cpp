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

using nlohmann::json;
using namespace provcheck;

namespace {

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("a source of several megabytes is spooled, archived whole and aligned as usual", "[cli]") {
    const std::string nyt_path = "/2023/10/17/us/politics/qatar-hamas-hostages-mediator.html";
    std::string page = read_text(test::source_path("fixtures/web/www.nytimes.com") / nyt_path.substr(1));
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
    std::vector<std::string> argv{test::provcheck_binary(),
                                  "check",
                                  test::source_path("fixtures/seed/article.html").string(),
                                  "--source",
                                  "NYT=" + test::seed_nyt_url,
                                  "--workspace",
                                  (dir / "ws").string(),
                                  "--format",
                                  "json",
                                  "--quiet",
                                  "--fail-on",
                                  "none"};
    auto client = web.client_args();
    argv.insert(argv.end(), client.begin(), client.end());
    auto result = test::run(argv, {{"XDG_CONFIG_HOME", (dir / "config").string()}});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    json report = json::parse(result.out);
    const json& forty = test::claim_containing(report, "more than 40 countries");
    CHECK(forty["verdict"] == "altered");
    CHECK(forty["source"]["sha256"] == sha256_hex(page));
    // Nothing is left beside the archive but the archive.
    for (const auto& f : std::filesystem::directory_iterator(dir / "ws" / "warc"))
        CHECK(f.path().string().ends_with(".warc.gz"));

    test::RunResult install = test::run({"/bin/sh", test::source_path("tests/node/install.sh").string()});
    if (install.exit_code == 77) {
        WARN("node/npm not available: the warcio read-back is skipped");
        return;
    }
    REQUIRE(install.exit_code == 0);
    std::vector<std::string> read{"/usr/bin/env", "node", test::source_path("tests/node/warcio-check.mjs").string()};
    for (const auto& f : std::filesystem::directory_iterator(dir / "ws" / "warc"))
        read.push_back(f.path().string());
    auto read_back = test::run(read);
    INFO(read_back.err);
    REQUIRE(read_back.exit_code == 0);
    json summary = json::parse(read_back.out);
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
    std::vector<std::string> argv{test::provcheck_binary(),
                                  "check",
                                  article.string(),
                                  "--workspace",
                                  (dir / "ws").string(),
                                  "--format",
                                  "json",
                                  "--quiet",
                                  "--fail-on",
                                  "none"};
    auto client = web.client_args();
    argv.insert(argv.end(), client.begin(), client.end());
    auto result = test::run(argv, {{"XDG_CONFIG_HOME", (dir / "config").string()}});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    json report = json::parse(result.out);
    const std::string photo_url = "https://www.nytimes.com/images/2023/10/17/hostages.jpg";
    const json* link = nullptr;
    for (const auto& l : report["articles"][0]["links"]) {
        if (l["url"] == photo_url) link = &l;
    }
    REQUIRE(link != nullptr);
    CHECK((*link)["status"] == 200);
    CHECK((*link)["sha256"] == sha256_hex(photo));

    test::RunResult install = test::run({"/bin/sh", test::source_path("tests/node/install.sh").string()});
    if (install.exit_code == 77) {
        WARN("node/npm not available: the warcio read-back is skipped");
        return;
    }
    REQUIRE(install.exit_code == 0);
    std::vector<std::string> read{"/usr/bin/env", "node", test::source_path("tests/node/warcio-check.mjs").string()};
    for (const auto& f : std::filesystem::directory_iterator(dir / "ws" / "warc"))
        read.push_back(f.path().string());
    auto read_back = test::run(read);
    INFO(read_back.err);
    REQUIRE(read_back.exit_code == 0);
    json summary = json::parse(read_back.out);
    CHECK(summary["block_mismatch"].empty());
    CHECK(summary["payload_mismatch"].empty());
    CHECK(summary["payload_bytes"][photo_url] == photo.size());
}
