// The binary against the live fixture web on 127.0.0.1 (HTTP and HTTPS, real URLs routed by --connect-to):
// the seed article, an article whose source is only found by unshortening, dead and blocked links, a
// paywalled source, and an article given by URL.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/fixture_web.hpp"
#include "support/run.hpp"
#include "support/seed.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace provcheck;

namespace {

struct LiveWeb {
    test::FixtureWeb web{test::source_path("fixtures/web")};
    test::TempDir dir;

    test::RunResult check(const std::string& article, std::vector<std::string> extra = {}) {
        std::vector<std::string> argv{test::provcheck_binary(), "check",    article, "--workspace",
                                      (dir / "ws").string(),    "--format", "json",  "--quiet"};
        auto client = web.client_args();
        argv.insert(argv.end(), client.begin(), client.end());
        argv.insert(argv.end(), extra.begin(), extra.end());
        return test::run(argv, {{"XDG_CONFIG_HOME", (dir / "config").string()}});
    }
    std::size_t requests_for(std::string_view host) {
        std::size_t n = 0;
        for (auto* s : {&web.http(), &web.https()}) {
            for (const auto& r : s->requests())
                n += r.host == host ? 1 : 0;
        }
        return n;
    }
};

using test::claim_containing;

std::vector<std::string> verdicts(const json& report) {
    std::vector<std::string> out;
    for (const auto& c : report["articles"][0]["claims"])
        out.push_back(c["quote"].get<std::string>() + " => " + c["verdict"].get<std::string>());
    return out;
}

}  // namespace

TEST_CASE("the seed article checked live gives the same verdicts as from the archive", "[cli]") {
    LiveWeb live;
    auto r =
        live.check(test::source_path("fixtures/seed/article.html").string(), {"--source", "NYT=" + test::seed_nyt_url});
    INFO(r.err);
    REQUIRE(r.exit_code == 2);
    json report = json::parse(r.out);

    test::TempDir other;
    auto replayed =
        test::run({test::provcheck_binary(), "check", test::source_path("fixtures/seed/article.html").string(),
                   "--replay", test::source_path("fixtures/seed/sources.warc").string(), "--source",
                   "NYT=" + test::seed_nyt_url, "--workspace", (other / "ws").string(), "--format", "json", "--quiet"},
                  {{"XDG_CONFIG_HOME", (other / "config").string()}});
    REQUIRE(replayed.exit_code == 2);
    CHECK(verdicts(report) == verdicts(json::parse(replayed.out)));

    // t.co was asked with a non-browser User-Agent, so it answered 301 rather than its script page.
    bool saw_tco = false;
    for (const auto& req : live.web.https().requests()) {
        if (req.host != "t.co") continue;
        saw_tco = true;
        for (const auto& h : req.headers) {
            if (h.name == "User-Agent" || h.name == "user-agent") CHECK(h.value.find("Mozilla") == std::string::npos);
        }
    }
    CHECK(saw_tco);
}

TEST_CASE("an outlet's source is found by unshortening the article's links", "[cli]") {
    LiveWeb live;
    auto r = live.check(test::source_path("fixtures/articles/direct-link.html").string());
    INFO(r.err);
    REQUIRE(r.exit_code == 2);
    json report = json::parse(r.out);
    const json& links = report["articles"][0]["links"];
    const json* bitly = nullptr;
    for (const auto& l : links) {
        if (l["url"] == "https://bit.ly/3qNytQtr") bitly = &l;
    }
    REQUIRE(bitly != nullptr);
    const json& chain = (*bitly)["chain"];
    REQUIRE(chain.size() >= 3);
    CHECK(chain[0] == json({{"url", "https://bit.ly/3qNytQtr"}, {"status", 301}, {"via", "start"}}));
    CHECK(chain[1] == json({{"url", "https://nyti.ms/3QtrGz"}, {"status", 301}, {"via", "http"}}));
    CHECK(chain[2] == json({{"url", test::seed_nyt_url}, {"status", 200}, {"via", "http"}}));

    CHECK(claim_containing(report, "In the talks so far")["verdict"] == "verbatim");
    const json& altered = claim_containing(report, "extremely risky");
    CHECK(altered["verdict"] == "altered");
    REQUIRE(altered["match"]["differences"].size() == 1);
    CHECK(
        altered["match"]["differences"][0] ==
        json({{"op", "replace"}, {"quote", "risky"}, {"source", "dangerous"}, {"kind", "word"}, {"critical", false}}));
    CHECK(altered["source"]["final_url"] == test::seed_nyt_url);
}

TEST_CASE("dead and blocked sources are source_unavailable with their class, and nothing is sent", "[cli]") {
    LiveWeb live;
    auto r = live.check(test::source_path("fixtures/articles/dead-link.html").string());
    INFO(r.err);
    REQUIRE(r.exit_code == 2);
    json report = json::parse(r.out);
    const json& dead = claim_containing(report, "around the clock");
    CHECK(dead["verdict"] == "source_unavailable");
    CHECK(dead["source"]["status"] == 404);
    CHECK(dead["source"]["error"]["class"] == "http_4xx");
    const json& blocked = claim_containing(report, "crossing will open");
    CHECK(blocked["verdict"] == "source_unavailable");
    CHECK(blocked["source"]["error"]["class"] == "blocked_address");
    CHECK(blocked["source"]["status"].is_null());
    // Even with every port-80 host routed to the fixture web, the metadata address was never asked.
    CHECK(live.requests_for("169.254.169.254") == 0);
}

TEST_CASE("a paywalled source gives source_restricted for what it hides only", "[cli]") {
    LiveWeb live;
    auto r = live.check(test::source_path("fixtures/articles/paywalled.html").string(), {"--fail-on", "none"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    json report = json::parse(r.out);
    CHECK(claim_containing(report, "best option to save hostages")["verdict"] == "source_restricted");
    bool readable_verbatim = false;
    for (const auto& c : report["articles"][0]["claims"]) {
        if (c["verdict"] == "verbatim") readable_verbatim = true;
    }
    CHECK(readable_verbatim);
}

TEST_CASE("an article given by URL is fetched, archived and checked", "[cli]") {
    LiveWeb live;
    const std::string url =
        "https://www.palestinechronicle.com/washington-resorts-to-doha-as-rescue-mission-looks-impossible-nyt/";
    auto r = live.check(url, {"--source", "NYT=" + test::seed_nyt_url, "--fail-on", "none"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    json report = json::parse(r.out);
    CHECK(report["articles"][0]["final_url"] == url);
    CHECK(claim_containing(report, "more than 40 countries")["verdict"] == "altered");
    auto verify = test::run({test::provcheck_binary(), "verify", "--all", "--workspace", (live.dir / "ws").string()},
                            {{"XDG_CONFIG_HOME", (live.dir / "config").string()}});
    INFO(verify.out);
    CHECK(verify.exit_code == 0);
}
