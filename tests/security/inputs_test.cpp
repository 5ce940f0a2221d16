// Untrusted input never names a local file: a sitemap (served by anyone, or read from a file), an input list and
// anything a page says may only yield http(s) URLs; local files come from the command line alone (ARTICLE and
// --source), and even then only regular files, read with the network's size cap.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <string>

#include "security/hostile.hpp"
#include "support/fixture_web.hpp"
#include "support/seed.hpp"
#include "warc/warc_reader.hpp"

using nlohmann::json;
using namespace provcheck;

namespace {

// Every block of every record in the workspace's archive, one after another.
std::string archived_bytes(const std::filesystem::path& ws) {
    std::string all;
    for (const auto& f : std::filesystem::directory_iterator(ws / "warc")) {
        for (const auto& rec : scan_warc(f.path()).records)
            all += rec.block;
    }
    return all;
}

const std::string secret = "-----BEGIN PRIVATE KEY-----\nnot-to-be-read-4f1c9e\n-----END PRIVATE KEY-----\n";

}  // namespace

TEST_CASE("a remote sitemap naming local files makes provcheck read none of them", "[security]") {
    test::TempDir dir;
    const auto key = dir / "home" / ".config" / "provcheck" / "signing-key.pem";
    test::write_text(key, secret);
    test::write_text(dir / "local-sitemap.xml",
                     "<urlset><url><loc>////" + key.string().substr(1) + "</loc></url></urlset>");

    test::FixtureWeb web{test::source_path("fixtures/web")};
    test::Route map;
    map.host = "sitemaps.example";
    map.path = "/sitemap.xml";
    map.content_type = "application/xml";
    map.body =
        "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
        "<url><loc>////" +
        key.string().substr(1) +
        "</loc></url>"
        "<url><loc>file://" +
        key.string() +
        "</loc></url>"
        "<url><loc>////dev/zero</loc></url>"
        "<url><loc>/dev/zero</loc></url>"
        "</urlset>";
    web.http().add_route(map);
    // An index may only lead to further sitemaps on the web, never to a local one.
    test::Route index;
    index.host = "sitemaps.example";
    index.path = "/index.xml";
    index.content_type = "application/xml";
    const std::string local_map = (dir / "local-sitemap.xml").string();
    index.body = "<sitemapindex><sitemap><loc>////" + local_map.substr(1) + "</loc></sitemap><sitemap><loc>file://" +
                 local_map + "</loc></sitemap><sitemap><loc>////dev/zero</loc></sitemap></sitemapindex>";
    web.http().add_route(index);

    for (const std::string where : {"http://sitemaps.example/sitemap.xml", "http://sitemaps.example/index.xml"}) {
        INFO(where);
        std::vector<std::string> args{"check", "--sitemap", where,  "--workspace", (dir / "ws").string(), "--format",
                                      "json",  "--fail-on", "none", "-v",          "--no-progress"};
        auto client = web.client_args();
        args.insert(args.end(), client.begin(), client.end());
        auto r = test::provcheck(dir, args, 120);
        INFO(r.err);
        // /dev/zero was never opened: the run ends, and soon.
        REQUIRE((r.exit_code == 0 || r.exit_code == 1));
        const json report = json::parse(r.out);
        // A path-like <loc> means a page of the sitemap's own site, fetched from there (here a 404); the
        // others are not URLs at all.
        for (const auto& a : report["articles"])
            CHECK(a["input"] == "http://sitemaps.example/dev/zero");
        CHECK(report["articles"].size() == (where.ends_with("sitemap.xml") ? 1u : 0u));
        CHECK(r.err.find("skipped <loc>") != std::string::npos);
        CHECK(r.err.find("not an http(s) URL") != std::string::npos);
        CHECK(r.err.find("skipped 3 entries that are not http(s) URLs") != std::string::npos);
        CHECK(archived_bytes(dir / "ws").find("not-to-be-read-4f1c9e") == std::string::npos);
    }
}

TEST_CASE("a sitemap read from a file still yields only http(s) pages", "[security]") {
    test::TempDir dir;
    test::write_text(dir / "secret.pem", secret);
    test::write_text(dir / "map.xml", "<urlset><url><loc>" + (dir / "secret.pem").string() +
                                          "</loc></url><url><loc>relative/page.html</loc></url></urlset>");
    auto r = test::provcheck(
        dir, {"check", "--sitemap", (dir / "map.xml").string(), "--workspace", (dir / "ws").string(), "--format",
              "json", "--replay", test::source_path("fixtures/seed/sources.warc").string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(json::parse(r.out)["articles"].empty());
    CHECK(r.err.find("skipped 2 entries that are not http(s) URLs") != std::string::npos);
    CHECK(archived_bytes(dir / "ws").find("not-to-be-read-4f1c9e") == std::string::npos);
}

TEST_CASE("an input list names pages on the web only: a path in it is skipped, never opened", "[security]") {
    test::TempDir dir;
    test::write_text(dir / "secret.pem", secret);
    test::write_text(dir / "list.txt", "# one a line\n" + (dir / "secret.pem").string() + "\n" + test::seed_nyt_url +
                                           "\n/dev/zero\nfile:///etc/passwd\nhttps:////etc/passwd\n");
    auto r = test::provcheck(
        dir,
        {"check", "--input-list", (dir / "list.txt").string(), "--workspace", (dir / "ws").string(), "--format", "json",
         "--fail-on", "none", "-v", "--replay", test::source_path("fixtures/seed/sources.warc").string()},
        120);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json report = json::parse(r.out);
    REQUIRE(report["articles"].size() == 1);
    CHECK(report["articles"][0]["input"] == test::seed_nyt_url);
    CHECK(r.err.find("skipped 4 lines that are not http(s) URLs") != std::string::npos);
    CHECK(archived_bytes(dir / "ws").find("not-to-be-read-4f1c9e") == std::string::npos);

    // An input list that is a device, or too large, is refused; one from a pipe is read.
    auto dev = test::provcheck(dir, {"check", "--input-list", "/dev/zero", "--workspace", (dir / "ws").string()}, 60);
    CHECK(dev.exit_code == 3);
    CHECK(dev.err.find("/dev/zero: is a device") != std::string::npos);
}

TEST_CASE("a local file on the command line must be a regular file, read with the network's cap", "[security]") {
    test::TempDir dir;
    REQUIRE(::mkfifo((dir / "pipe.html").c_str(), 0600) == 0);
    std::filesystem::create_directories(dir / "folder.html");
    for (const std::string& path :
         {std::string("/dev/zero"), (dir / "pipe.html").string(), (dir / "folder.html").string()}) {
        INFO(path);
        for (const std::string how : {"article", "--source", "--sitemap"}) {
            INFO(how);
            std::vector<std::string> args{"check"};
            if (how == "article") {
                args.push_back(path);
            } else {
                args.push_back(test::source_path("fixtures/seed/article.html").string());
                args.push_back(how);
                args.push_back(path);
                args.push_back("--replay");
                args.push_back(test::source_path("fixtures/seed/sources.warc").string());
            }
            args.insert(args.end(), {"--workspace", (dir / "ws").string(), "--format", "json"});
            // A pipe nobody writes to would hang a reader, /dev/zero would fill the memory: neither is opened.
            auto r = test::provcheck(dir, args, 60);
            INFO(r.out << r.err);
            CHECK((r.exit_code == 1 || r.exit_code == 2));
            const auto said = r.err + r.out;
            CHECK((said.find("is a device") != std::string::npos || said.find("is a named pipe") != std::string::npos ||
                   said.find("is a directory") != std::string::npos));
        }
    }

    // A regular file larger than --max-filesize is cut there, as a body from the network is.
    std::string big = test::article_page("<p>“The opening words are kept,” the agency said.</p>");
    big.insert(big.find("</article>"), std::string(4096, ' ') + "<p>“These words lie past the cap,” it added.</p>");
    test::write_text(dir / "big.html", big);
    json report = test::check_json(dir, {(dir / "big.html").string(), "--max-filesize", "1024"});
    CHECK(report["articles"][0]["claims"].size() == 1);
}
