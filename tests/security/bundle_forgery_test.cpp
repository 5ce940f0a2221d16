// Attacks by a bundle's author on what the bundle's index repeats of its signed records: the datapackage
// digests are unsigned, so an author can change a column of provcheck/records.jsonl and recompute them. Only
// the signed statement is evidence: verify --bundle names every column that disagrees with it.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/run.hpp"
#include "support/temp_dir.hpp"

using namespace provcheck;

namespace {

struct SeedBundle {
    test::TempDir dir;
    std::string bundle = (dir / "seed.wacz").string();

    SeedBundle() {
        const std::map<std::string, std::string> env{{"XDG_CONFIG_HOME", (dir / "config").string()}};
        auto bin = test::provcheck_binary();
        auto checked =
            test::run({bin, "check", test::source_path("fixtures/seed/article.html").string(), "--replay",
                       test::source_path("fixtures/seed/sources.warc").string(), "--source",
                       "NYT=https://www.nytimes.com/2023/10/17/us/politics/qatar-hamas-hostages-mediator.html",
                       "--workspace", (dir / "ws").string(), "--quiet", "--fail-on", "none"},
                      env);
        REQUIRE(checked.exit_code == 0);
        auto exported = test::run({bin, "export", "--bundle", bundle, "--workspace", (dir / "ws").string()}, env);
        INFO(exported.err);
        REQUIRE(exported.exit_code == 0);
    }

    void forge(const std::string& column, const std::string& from, const std::string& to) {
        auto r = test::run({"/usr/bin/python3",
                            test::source_path("fixtures/hostile/scripts/forge_bundle_column.py").string(), bundle,
                            column, from, to});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
    }

    // A column of the first line of the bundle's records.jsonl, as written.
    std::string first_record(const std::string& column) {
        auto r = test::run({"/usr/bin/python3", "-c",
                            "import sys,zipfile,json\n"
                            "z=zipfile.ZipFile(sys.argv[1])\n"
                            "print(json.loads(z.read('provcheck/records.jsonl').split(b'\\n')[0])[sys.argv[2]])",
                            bundle, column});
        REQUIRE(r.exit_code == 0);
        return r.out.substr(0, r.out.find('\n'));
    }

    test::RunResult verify() {
        return test::run({test::provcheck_binary(), "verify", "--bundle", bundle},
                         {{"XDG_CONFIG_HOME", (dir / "elsewhere").string()}});
    }
};

}  // namespace

TEST_CASE("a verdict forged in a bundle's records.jsonl, with its digests recomputed, is named", "[security]") {
    SeedBundle b;
    REQUIRE(b.verify().exit_code == 0);
    b.forge("verdict", "altered", "verbatim");
    auto r = b.verify();
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.find("the bundle's index says verdict 'verbatim', but the signed record says 'altered'") !=
          std::string::npos);
}

TEST_CASE("an article or key id forged in a bundle's records.jsonl is named", "[security]") {
    SeedBundle b;
    SECTION("article") {
        const std::string article = b.first_record("article");
        b.forge("article", article, "another-article.html");
        auto r = b.verify();
        INFO(r.out << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.out.find("says article 'another-article.html', but the signed record says '" + article + "'") !=
              std::string::npos);
    }
    SECTION("created_at") {
        const std::string when = b.first_record("created_at");
        b.forge("created_at", when, "2001-01-01T00:00:00Z");
        auto r = b.verify();
        INFO(r.out << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.out.find("says created_at '2001-01-01T00:00:00Z'") != std::string::npos);
    }
}
