// Archived copies (Memento, RFC 7089), through the binary against the fixture web, whose web.archive.org serves
// TimeMaps and raw (id_) mementos: a source edited after the article quoted it, and one that is gone.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

#include "support/fixture_web.hpp"
#include "support/run.hpp"
#include "support/seed.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace provcheck;
using test::claim_containing;

namespace {

struct ArchiveWeb {
    test::FixtureWeb web{test::source_path("fixtures/web")};
    test::TempDir dir;

    test::RunResult provcheck(std::vector<std::string> args) const {
        args.insert(args.begin(), test::provcheck_binary());
        return test::run(args, {{"XDG_CONFIG_HOME", (dir / "config").string()}});
    }
    test::RunResult check(std::vector<std::string> extra) const {
        std::vector<std::string> argv{"check"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        for (const auto& a : {std::string("--workspace"), (dir / "ws").string()})
            argv.push_back(a);
        auto client = web.client_args();
        argv.insert(argv.end(), client.begin(), client.end());
        return provcheck(argv);
    }
    std::size_t archive_requests() {
        std::size_t n = 0;
        for (auto* s : {&web.http(), &web.https()}) {
            for (const auto& r : s->requests())
                n += r.host == "web.archive.org" ? 1 : 0;
        }
        return n;
    }
};

const std::string archived_article = test::source_path("fixtures/articles/archived-sources.html").string();

}  // namespace

TEST_CASE("a changed source and a dead one are checked against their archived copies", "[cli]") {
    ArchiveWeb w;
    auto r = w.check({"--format", "json", archived_article, "-q"});
    INFO(r.err << r.out);
    REQUIRE(r.exit_code == 0);
    const json report = json::parse(r.out);
    REQUIRE(report["articles"][0]["claims"].size() == 2);

    // Edited after the article: the copy of 19 November (before the article of the 22nd, not the one of
    // 1 December) holds the words; the current page says the opposite.
    const json& tariffs = claim_containing(report, "will not raise tariffs");
    CHECK(tariffs["verdict"] == "verbatim");
    const json& copy = tariffs["source"]["archived"];
    CHECK(copy["original_url"] == "https://www.norlandwater.example/news/tariffs.html");
    CHECK(copy["archived_at"] == "2026-11-19T09:45:00Z");
    CHECK(copy["timemap"] ==
          "https://web.archive.org/web/timemap/link/https://www.norlandwater.example/news/tariffs.html");
    CHECK(tariffs["source"]["final_url"] ==
          "https://web.archive.org/web/20261119094500id_/https://www.norlandwater.example/news/tariffs.html");
    REQUIRE(tariffs["versions"].size() == 2);
    CHECK(tariffs["versions"][0]["current"] == true);
    CHECK(tariffs["versions"][0]["verdict"] == "altered");
    CHECK(tariffs["versions"][1]["matched"] == true);
    CHECK(tariffs["versions"][1]["archived_at"] == "2026-11-19T09:45:00Z");

    // Gone (404): the archive's only copy decides.
    const json& apology = claim_containing(report, "We apologise");
    CHECK(apology["verdict"] == "verbatim");
    CHECK(apology["source"]["archived"]["archived_at"] == "2026-10-15T10:30:00Z");
    CHECK(apology["speaker"] == "Ilse Varga");

    // The copies are signed into the records: verify passes, show names the copy from the statement.
    const std::string ws = (w.dir / "ws").string();
    auto verified = w.provcheck({"verify", "--all", "--workspace", ws});
    INFO(verified.out << verified.err);
    REQUIRE(verified.exit_code == 0);
    auto shown = w.provcheck({"show", apology["id"].get<std::string>(), "--workspace", ws});
    CHECK(shown.out.find("archived copy of https://www.norlandwater.example/news/eastfield-statement.html made "
                         "2026-10-15T10:30:00Z") != std::string::npos);

    // The text report says which copy decided.
    auto text = w.check({archived_article, "--format", "text", "-q"});
    CHECK(text.out.find("in the copy archived 2026-11-19T09:45:00Z") != std::string::npos);
}

TEST_CASE("--no-memento leaves a dead source unavailable and a changed one altered, asking no archive", "[cli]") {
    ArchiveWeb w;
    auto r = w.check({"--no-memento", "--format", "json", "-q", archived_article});
    INFO(r.err);
    REQUIRE(r.exit_code == 2);
    const json report = json::parse(r.out);
    CHECK(claim_containing(report, "will not raise tariffs")["verdict"] == "altered");
    CHECK(claim_containing(report, "We apologise")["verdict"] == "source_unavailable");
    CHECK(w.archive_requests() == 0);

    // The same from provcheck.toml.
    std::ofstream(w.dir / "off.toml") << "no-memento = true\n";
    auto toml = w.check({archived_article, "--config", (w.dir / "off.toml").string(), "--format", "json", "-q"});
    CHECK(toml.exit_code == 2);
    CHECK(w.archive_requests() == 0);
}

TEST_CASE("another archive's TimeMap endpoint, and one that is not a URL", "[cli]") {
    ArchiveWeb w;
    // An endpoint that holds no TimeMap for these URLs (404): the claims stand as the live sources say.
    auto none = w.check({archived_article, "--memento", "https://archive.example/timemap/", "--format", "json", "-q"});
    INFO(none.err);
    CHECK(none.exit_code == 2);
    const json report = json::parse(none.out);
    CHECK(claim_containing(report, "We apologise")["verdict"] == "source_unavailable");

    for (const char* bad : {"ftp://archive.example/", "file:///etc/", "timemap"}) {
        auto r = w.check({archived_article, "--memento", bad});
        INFO(bad << ": " << r.err);
        CHECK(r.exit_code == 3);
        CHECK(r.err.find("--memento") != std::string::npos);
    }
}

TEST_CASE("a TimeMap that names a copy on another host is not followed", "[cli]") {
    ArchiveWeb w;
    auto r =
        w.check({test::source_path("fixtures/articles/archived-elsewhere.html").string(), "--format", "json", "-q"});
    INFO(r.err);
    REQUIRE(r.exit_code == 2);
    const json report = json::parse(r.out);
    CHECK(claim_containing(report, "hosepipe ban")["verdict"] == "source_unavailable");
    std::size_t mirror = 0;
    for (auto* s : {&w.web.http(), &w.web.https()}) {
        for (const auto& q : s->requests())
            mirror += q.host == "www.mirror.example" ? 1 : 0;
    }
    CHECK(mirror == 0);
    CHECK(w.archive_requests() == 1);  // the TimeMap only
}
