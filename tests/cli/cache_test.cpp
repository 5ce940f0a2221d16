// Caching across runs against the live fixture web: a second run revalidates the NYT page with its ETag and,
// on 304, reuses the stored capture (archived as a revisit that an independent WARC reader resolves);
// --max-age skips the request; an edited page is fetched again and both versions are aligned and reported.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <set>
#include <sstream>

#include "support/fixture_web.hpp"
#include "support/run.hpp"
#include "support/seed.hpp"
#include "support/temp_dir.hpp"
#include "support/warcio.hpp"

using nlohmann::json;
using namespace provcheck;

namespace {

const std::string nyt_path = "/2023/10/17/us/politics/qatar-hamas-hostages-mediator.html";

const std::string* header_value(const std::vector<Header>& headers, std::string_view name) {
    for (const auto& h : headers) {
        if (h.name.size() == name.size() && std::equal(h.name.begin(), h.name.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            }))
            return &h.value;
    }
    return nullptr;
}

// The NYT stand-in served with an ETag; `edited` switches it to a second version that prints 40.
struct CachingWeb {
    test::FixtureWeb web{test::source_path("fixtures/web")};
    test::TempDir dir;
    std::string original = test::read_text(test::source_path("fixtures/web/www.nytimes.com") / nyt_path.substr(1));
    std::atomic<bool> edited{false};

    CachingWeb() {
        REQUIRE(original.find("more than 30 countries") != std::string::npos);
        test::Route r;
        r.host = "www.nytimes.com";
        r.path = nyt_path;
        r.handler = [this](const httplib::Request& req, httplib::Response& res) {
            const bool second = edited.load();
            const std::string etag = second ? "\"v2\"" : "\"v1\"";
            res.set_header("ETag", etag);
            res.set_header("Last-Modified", second ? "Fri, 20 Oct 2023 10:00:00 GMT" : "Thu, 19 Oct 2023 08:00:00 GMT");
            if (req.get_header_value("If-None-Match") == etag) {
                res.status = 304;
                return;
            }
            std::string body = original;
            if (second) body.replace(body.find("more than 30 countries"), 22, "more than 40 countries");
            res.status = 200;
            res.set_content(body, "text/html; charset=utf-8");
        };
        web.https().add_route(std::move(r));
    }

    test::RunResult check(std::vector<std::string> extra = {}) {
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
        argv.insert(argv.end(), extra.begin(), extra.end());
        return test::run(argv, {{"XDG_CONFIG_HOME", (dir / "config").string()}});
    }

    std::vector<test::RecordedRequest> nyt_requests() {
        std::vector<test::RecordedRequest> out;
        for (const auto& r : web.https().requests()) {
            if (r.host == "www.nytimes.com" && r.target == nyt_path) out.push_back(r);
        }
        return out;
    }
};

const json& forty(const json& report) {
    return test::claim_containing(report, "more than 40 countries");
}

}  // namespace

TEST_CASE("a second run revalidates, reuses the stored page on 304 and archives a revisit", "[cli]") {
    CachingWeb w;
    auto first = w.check();
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    json r1 = json::parse(first.out);
    const json& c1 = forty(r1);
    CHECK(c1["verdict"] == "altered");
    CHECK_FALSE(c1["source"].contains("cache"));
    REQUIRE(w.nyt_requests().size() == 1);
    CHECK(header_value(w.nyt_requests()[0].headers, "If-None-Match") == nullptr);

    auto second = w.check();
    INFO(second.err);
    REQUIRE(second.exit_code == 0);
    json r2 = json::parse(second.out);
    const json& c2 = forty(r2);
    CHECK(c2["verdict"] == "altered");
    REQUIRE(c2["source"].contains("cache"));
    CHECK(c2["source"]["cache"]["state"] == "revalidated");
    // The bytes are the first run's: same digest, same capture time; the confirmation has its own time.
    CHECK(c2["source"]["sha256"] == c1["source"]["sha256"]);
    CHECK(c2["source"]["fetched_at"] == c1["source"]["fetched_at"]);
    CHECK(c2["source"]["warc"]["record_id"] == c1["source"]["warc"]["record_id"]);
    CHECK_FALSE(c2["source"]["cache"]["validated_at"].get<std::string>().empty());
    auto requests = w.nyt_requests();
    REQUIRE(requests.size() == 2);
    const std::string* inm = header_value(requests[1].headers, "If-None-Match");
    REQUIRE(inm != nullptr);
    CHECK(*inm == "\"v1\"");
    const std::string* ims = header_value(requests[1].headers, "If-Modified-Since");
    REQUIRE(ims != nullptr);
    CHECK(*ims == "Thu, 19 Oct 2023 08:00:00 GMT");

    // The workspace verifies, and an independent reader resolves the revisit to the original response.
    auto verify = test::run({test::provcheck_binary(), "verify", "--all", "--workspace", (w.dir / "ws").string()},
                            {{"XDG_CONFIG_HOME", (w.dir / "config").string()}});
    INFO(verify.out << verify.err);
    CHECK(verify.exit_code == 0);
    // The bundle's index lists the revisit, so that a player resolves it to the first run's response.
    const auto bundle = w.dir / "cached.wacz";
    auto exported = test::run(
        {test::provcheck_binary(), "export", "--bundle", bundle.string(), "--workspace", (w.dir / "ws").string()},
        {{"XDG_CONFIG_HOME", (w.dir / "config").string()}});
    INFO(exported.err);
    REQUIRE(exported.exit_code == 0);
    auto index = test::run({"/usr/bin/python3", "-c",
                            "import sys,zipfile\n"
                            "sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read('indexes/index.cdxj').decode())\n",
                            bundle.string()});
    if (index.exit_code == 0) {
        std::vector<json> nyt;
        std::istringstream lines(index.out);
        for (std::string line; std::getline(lines, line);) {
            if (!line.starts_with("com,nytimes)/2023/10/17/us/politics/qatar-hamas-hostages-mediator.html ")) continue;
            nyt.push_back(json::parse(line.substr(line.find('{'))));
        }
        REQUIRE(nyt.size() == 2);
        std::set<std::string> mimes;
        for (const auto& j : nyt)
            mimes.insert(j["mime"].get<std::string>());
        CHECK(mimes == std::set<std::string>{"text/html", "warc/revisit"});
        for (const auto& j : nyt) {
            if (j["mime"] == "warc/revisit") CHECK(j["status"] == "304");
        }
    } else {
        WARN("python3 is not available; the bundle's index is not read");
    }

    auto read_back = test::warcio_summary(w.dir / "ws" / "warc");
    if (!read_back) return;
    const json& summary = *read_back;
    CHECK(summary["block_mismatch"].empty());
    CHECK(summary["payload_mismatch"].empty());
    REQUIRE(summary["revisits"].size() == 1);
    const json& revisit = summary["revisits"][0];
    CHECK(revisit["profile"] == "http://netpreserve.org/warc/1.1/revisit/server-not-modified");
    CHECK(revisit["resolved"] == true);
    CHECK(revisit["same_payload"] == true);
    CHECK(revisit["refers_to_target_uri"] == test::seed_nyt_url);
    CHECK(revisit["status_line"] == "HTTP/1.1 304 Not Modified");
}

TEST_CASE("--max-age reuses a recent capture without asking the server", "[cli]") {
    CachingWeb w;
    REQUIRE(w.check().exit_code == 0);
    REQUIRE(w.nyt_requests().size() == 1);
    auto again = w.check({"--max-age", "1h"});
    INFO(again.err);
    REQUIRE(again.exit_code == 0);
    CHECK(w.nyt_requests().size() == 1);
    const json report = json::parse(again.out);
    const json& c = forty(report);
    REQUIRE(c["source"].contains("cache"));
    CHECK(c["source"]["cache"]["state"] == "fresh");
    CHECK(c["verdict"] == "altered");

    auto bad = w.check({"--max-age", "soon"});
    CHECK(bad.exit_code == 3);
    CHECK(bad.err.find("--max-age") != std::string::npos);
}

TEST_CASE("an edited source is fetched again and the report says which version the quotation matches", "[cli]") {
    CachingWeb w;
    REQUIRE(w.check().exit_code == 0);
    w.edited = true;
    auto second = w.check();
    INFO(second.err);
    REQUIRE(second.exit_code == 0);
    auto requests = w.nyt_requests();
    REQUIRE(requests.size() == 2);
    const json report = json::parse(second.out);
    const json& c = forty(report);
    CHECK_FALSE(c["source"].contains("cache"));
    // The edited page prints 40: the quotation matches it, and the earlier version (30) is reported as differing.
    CHECK(c["verdict"] == "verbatim");
    REQUIRE(c.contains("versions"));
    REQUIRE(c["versions"].size() == 2);
    CHECK(c["versions"][0]["matched"] == true);
    CHECK(c["versions"][0]["current"] == true);
    CHECK(c["versions"][0]["verdict"] == "verbatim");
    CHECK(c["versions"][1]["matched"] == false);
    CHECK(c["versions"][1]["current"] == false);
    CHECK(c["versions"][1]["verdict"] == "altered");
    CHECK(c["versions"][0]["sha256"] != c["versions"][1]["sha256"]);

    auto verify = test::run({test::provcheck_binary(), "verify", "--all", "--workspace", (w.dir / "ws").string()},
                            {{"XDG_CONFIG_HOME", (w.dir / "config").string()}});
    INFO(verify.out << verify.err);
    CHECK(verify.exit_code == 0);
}

TEST_CASE("a quotation of an earlier version of the source matches that version, and the report says so", "[cli]") {
    CachingWeb w;
    w.edited = true;  // the first run sees the page printing 40
    REQUIRE(w.check().exit_code == 0);
    w.edited = false;  // then the page is corrected to 30
    auto second = w.check();
    INFO(second.err);
    REQUIRE(second.exit_code == 0);
    const json report = json::parse(second.out);
    const json& c = forty(report);
    CHECK(c["verdict"] == "verbatim");
    REQUIRE(c["versions"].size() == 2);
    CHECK(c["versions"][0]["current"] == true);
    CHECK(c["versions"][0]["matched"] == false);
    CHECK(c["versions"][0]["verdict"] == "altered");
    CHECK(c["versions"][1]["current"] == false);
    CHECK(c["versions"][1]["matched"] == true);
    CHECK(c["versions"][1]["verdict"] == "verbatim");
    // The claim's source is the version it matched, with that version's digest and capture time.
    CHECK(c["source"]["sha256"] == c["versions"][1]["sha256"]);
    CHECK(c["source"]["fetched_at"] == c["versions"][1]["fetched_at"]);
    auto verify = test::run({test::provcheck_binary(), "verify", "--all", "--workspace", (w.dir / "ws").string()},
                            {{"XDG_CONFIG_HOME", (w.dir / "config").string()}});
    INFO(verify.out << verify.err);
    CHECK(verify.exit_code == 0);
}
