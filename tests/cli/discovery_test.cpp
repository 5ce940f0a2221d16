// Every quotation an article's own citations can settle, checked through the binary against the live fixture
// web: a wire story that links the report it quotes once, a blog quoting an expert through an interview (one
// quotation is another person's words, one changes a number), an article whose quotations all come from one
// report linked at its end, and honest quoting that must raise no alarm.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "support/fixture_web.hpp"
#include "support/run.hpp"
#include "support/seed.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace provcheck;
using test::claim_containing;

namespace {

struct DiscoveryWeb {
    test::FixtureWeb web{test::source_path("fixtures/web")};
    test::TempDir dir;

    [[nodiscard]] std::map<std::string, std::string> env() const {
        return {{"XDG_CONFIG_HOME", (dir / "config").string()}};
    }
    test::RunResult provcheck(std::vector<std::string> args) const {
        args.insert(args.begin(), test::provcheck_binary());
        return test::run(args, env());
    }
    // Options before, between and after the article, as people type them.
    test::RunResult check(const std::string& article, std::vector<std::string> extra = {}) const {
        std::vector<std::string> argv{"check", test::source_path(article).string(), "--workspace",
                                      (dir / "ws").string(), "--quiet"};
        if (std::find(extra.begin(), extra.end(), "--format") == extra.end()) {
            argv.insert(argv.begin() + 1, {"--format", "json"});
        }
        auto client = web.client_args();
        argv.insert(argv.end(), client.begin(), client.end());
        argv.insert(argv.end(), extra.begin(), extra.end());
        return provcheck(argv);
    }
    // The JSON report of a check that must pass the gate (exit 0).
    json passing_report(const std::string& article, std::vector<std::string> extra = {}) const {
        auto r = check(article, std::move(extra));
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return json::parse(r.out);
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

std::string verdict_of(const json& report, std::string_view quote) {
    return claim_containing(report, quote)["verdict"].get<std::string>();
}

std::string reason_of(const json& report, std::string_view quote) {
    return claim_containing(report, quote).value("source_reason", std::string());
}

}  // namespace

TEST_CASE("a wire story that links its report once has every quotation of the report checked", "[cli]") {
    DiscoveryWeb live;
    auto r = live.check("fixtures/articles/wire-story.html");
    INFO(r.err);
    REQUIRE(r.exit_code == 2);  // a dropped "not" and a paraphrase printed as a quotation
    json report = json::parse(r.out);
    REQUIRE(report["articles"][0]["claims"].size() == 8);

    CHECK(verdict_of(report, "at their lowest point") == "verbatim");
    CHECK(reason_of(report, "at their lowest point") == "link beside the quotation");
    CHECK(verdict_of(report, "Household demand rose") == "verbatim");
    CHECK(reason_of(report, "Household demand rose") == "link of another quotation of Norland Water Authority");
    CHECK(verdict_of(report, "groundwater abstraction") == "verbatim");
    CHECK(verdict_of(report, "will remain in place") == "verbatim");
    CHECK(claim_containing(report, "will remain in place")["speaker"] == "Norland Water Authority");  // "it said"
    CHECK(verdict_of(report, "Thirty-seven reservoirs") == "minor_variation");

    const json& dropped_not = claim_containing(report, "The network is able");
    CHECK(dropped_not["speaker"] == "Norland Water Authority");  // "the authority said"
    CHECK(dropped_not["verdict"] == "altered");
    bool negation = false;
    for (const auto& d : dropped_not["match"]["differences"])
        negation = negation || (d["kind"] == "negation" && d["critical"] == true);
    CHECK(negation);

    // A paraphrase printed as a quotation: the speaker's own report was read and does not hold it.
    CHECK(verdict_of(report, "We have done everything") == "not_found");
    // A farmer's words: nothing the article cites is tied to her, and the report does not hold them.
    const json& farmer = claim_containing(report, "watching the sky");
    CHECK(farmer["speaker"] == "Mara Lind");
    CHECK(farmer["verdict"] == "unsourced");

    // The report was fetched once, for every claim that needed it.
    CHECK(live.requests_for("www.norlandwater.example") == 1);
}

TEST_CASE("a blog quoting an expert through an interview: another person's words and a changed number fail", "[cli]") {
    DiscoveryWeb live;
    auto r = live.check("fixtures/articles/blog-interview.html", {"--depth", "0"});
    INFO(r.err);
    REQUIRE(r.exit_code == 2);
    json report = json::parse(r.out);
    REQUIRE(report["articles"][0]["claims"].size() == 5);
    CHECK(verdict_of(report, "The rivers are not dying") == "verbatim");
    CHECK(reason_of(report, "The rivers are not dying") == "link in a sentence naming Osei");
    CHECK(verdict_of(report, "we lost most of the spring floods") == "verbatim");
    CHECK(verdict_of(report, "Local farmers") == "verbatim");
    CHECK(verdict_of(report, "40 new monitoring stations") == "altered");

    const json& brandt = claim_containing(report, "the delta will be gone");
    CHECK(brandt["speaker"] == "Osei");
    CHECK(brandt["verdict"] == "misattributed");
    CHECK(brandt["source_speaker"] == "Tomas Brandt");
    CHECK(report["summary"]["by_verdict"]["misattributed"] == 1);

    // The source's speaker is signed into the record, and shown from it.
    REQUIRE(live.provcheck({"verify", "--all", "--workspace", (live.dir / "ws").string()}).exit_code == 0);
    auto shown = live.provcheck({"show", brandt["id"].get<std::string>(), "--workspace", (live.dir / "ws").string()});
    INFO(shown.err);
    REQUIRE(shown.exit_code == 0);
    CHECK(shown.out.find("misattributed") != std::string::npos);
    INFO(shown.out);
    CHECK(shown.out.find("Tomas Brandt") != std::string::npos);

    // The text report says who the source gives the words to; --fail-on can leave misattribution out.
    auto text = live.check("fixtures/articles/blog-interview.html",
                           {"--format", "text", "--fail-on", "misattributed", "--depth", "0"});
    INFO(text.err);
    CHECK(text.exit_code == 2);
    CHECK(text.out.find("said by  Tomas Brandt (in the source), not the article's speaker") != std::string::npos);
    CHECK(live.check("fixtures/articles/blog-interview.html", {"--fail-on", "not_found"}).exit_code == 0);
}

TEST_CASE("a speaker inferred from the names around a quotation is shown as such, and no source contradicts it",
          "[cli]") {
    DiscoveryWeb live;
    // Exit 0: the interview gives the words to Tomas Brandt, but no words of the article gave them to Osei.
    json report = live.passing_report("fixtures/articles/blog-unattributed.html", {"--depth", "0"});
    REQUIRE(report["articles"][0]["claims"].size() == 1);
    const json& c = claim_containing(report, "the delta will be gone");
    CHECK(c["speaker"] == "Dr Amara Osei");
    CHECK(c["speaker_inferred"] == true);
    CHECK(c["rule"] == "context.nearest-person");
    CHECK(c["attribution"] == "");
    CHECK(c["verdict"] == "verbatim");
    CHECK(c["source_reason"] == "another source the article cites");  // not tied to Osei by the link's sentence
    CHECK(c["source_speaker"] == "Tomas Brandt");

    auto text = live.check("fixtures/articles/blog-unattributed.html", {"--format", "text", "--depth", "0"});
    INFO(text.err);
    CHECK(text.exit_code == 0);
    CHECK(text.out.find("speaker  Dr Amara Osei — inferred, the person named last before it") != std::string::npos);
}

TEST_CASE("an article whose quotations all come from one report linked at its end", "[cli]") {
    DiscoveryWeb live;
    const json report = live.passing_report("fixtures/articles/one-report.html");
    const json& claims = report["articles"][0]["claims"];
    REQUIRE(claims.size() == 4);
    for (const auto& c : claims) {
        INFO(c.dump());
        CHECK(c["verdict"] == "verbatim");
        CHECK(c["source"]["final_url"] ==
              "https://www.kestrel-institute.example/publications/coastal-housing-2026.html");
        CHECK(c["source_reason"].get<std::string>().find("the site of Kestrel Institute") != std::string::npos);
    }
}

TEST_CASE("honest quoting raises no alarm: whole sentences left out, spelling, numbers in words, brackets", "[cli]") {
    DiscoveryWeb live;
    auto r = live.check("fixtures/articles/false-alarms.html");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    json report = json::parse(r.out);
    const json& omitted = claim_containing(report, "The dykes on the eastern shore");
    CHECK(omitted["verdict"] == "elided");
    REQUIRE(omitted["match"]["elisions"].size() == 1);
    CHECK(omitted["match"]["elisions"][0]["source"].get<std::string>().find("30 million euros") != std::string::npos);
    CHECK(omitted["match"]["elisions"][0]["critical"] == false);
    CHECK(verdict_of(report, "We must prioritise") == "minor_variation");
    CHECK(verdict_of(report, "Thirty-seven villages") == "minor_variation");
    CHECK(verdict_of(report, "The plan is ready") == "verbatim");
    CHECK(verdict_of(report, "What we need now is the money") == "verbatim");
    const json& bracket = claim_containing(report, "have promised to decide by May");
    CHECK((bracket["verdict"] == "verbatim" || bracket["verdict"] == "elided"));
    CHECK(bracket["match"]["insertions"].size() == 1);
}

TEST_CASE("a --source that names no URL, or a malformed one, is a usage error", "[cli]") {
    DiscoveryWeb live;
    for (const char* bad : {"Norland Water Authority=", "htps://www.norlandwater.example/x"}) {
        INFO(bad);
        auto r = live.check("fixtures/articles/wire-story.html", {"--source", bad});
        CHECK(r.exit_code == 3);
        CHECK(r.err.find("--source") != std::string::npos);
    }
}

TEST_CASE("a speech tag inside the guillemets is neither the speaker's words nor missed", "[cli]") {
    DiscoveryWeb live;
    const json report = live.passing_report("fixtures/articles/incise-fr.html");
    const json& claims = report["articles"][0]["claims"];
    REQUIRE(claims.size() == 4);
    for (const auto& c : claims) {
        INFO(c.dump());
        CHECK(c["speaker"] == "Marie Dupont");
        CHECK(c["verdict"] == "verbatim");
        CHECK(c["quote"].get<std::string>().find("explique") == std::string::npos);
        CHECK(c["quote"].get<std::string>().find("insiste") == std::string::npos);
    }
    CHECK(verdict_of(report, "Nous sommes très inquiets") == "verbatim");
    CHECK(verdict_of(report, "Les salaires ne suivent pas") == "verbatim");
    CHECK(verdict_of(report, "avant la fin de l’année") == "verbatim");
}
