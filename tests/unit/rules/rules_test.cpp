#include <catch2/catch.hpp>

#include "core/fs.hpp"
#include "rules/rules.hpp"
#include "support/temp_dir.hpp"

using namespace provcheck;

TEST_CASE("built-in rules load, with outlets and shorteners", "[unit]") {
    auto rules = load_rules();
    REQUIRE(rules);
    CHECK(rules->digest.size() == 64);
    const Outlet* nyt = rules->find_outlet("NYT");
    REQUIRE(nyt != nullptr);
    CHECK(nyt->name == "The New York Times");
    CHECK(rules->find_outlet("the New York Times") == nyt);
    CHECK(rules->find_outlet("new york times") == nyt);
    CHECK(rules->find_outlet("Gershon Baskin") == nullptr);
    CHECK(rules->outlet_for_url("https://www.nytimes.com/2023/10/17/x.html") == nyt);
    CHECK(rules->outlet_for_url("https://nytimes.com.evil.example/x") == nullptr);
    REQUIRE(rules->shortener_for_host("t.co") != nullptr);
    CHECK_FALSE(rules->shortener_for_host("t.co")->user_agent.empty());
}

TEST_CASE("extra rules merge over the built-in ones and change the digest", "[unit]") {
    std::vector<std::pair<std::string, std::string>> builtin{
        {"outlets.toml", "[[outlet]]\nid = \"outlet.a\"\nname = \"A News\"\ndomains = [\"a.example\"]\n"},
        {"matching.toml", "[thresholds]\naltered_min_score = 0.6\nkeep = 1\n"}};
    auto base = load_rules_from(builtin);
    REQUIRE(base);
    std::vector<std::pair<std::string, std::string>> extra{
        {"outlets.toml", "[[outlet]]\nid = \"outlet.b\"\nname = \"B Daily\"\ndomains = [\"b.example\"]\n"},
        {"matching.toml", "[thresholds]\naltered_min_score = 0.7\n"}};
    auto merged = load_rules_from(builtin, extra);
    REQUIRE(merged);
    CHECK(merged->outlets.size() == 2);
    CHECK(merged->find_outlet("B Daily") != nullptr);
    CHECK(merged->table("matching.toml")["thresholds"]["altered_min_score"].value_or(0.0) == Approx(0.7));
    CHECK(merged->table("matching.toml")["thresholds"]["keep"].value_or(0) == 1);
    CHECK(merged->digest != base->digest);
}

TEST_CASE("a broken rule file is a configuration error naming file and line", "[unit]") {
    auto r = load_rules_from({{"outlets.toml", "[[outlet]]\nid = \n"}});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::config);
    CHECK(r.error().message.find("outlets.toml:2") != std::string::npos);
    auto no_name = load_rules_from({{"outlets.toml", "[[outlet]]\nid = \"x\"\n"}});
    REQUIRE_FALSE(no_name);
    CHECK(no_name.error().message.find("name") != std::string::npos);
}

TEST_CASE("--rules DIR is read recursively; a missing directory is a usage error", "[unit]") {
    test::TempDir dir;
    std::filesystem::create_directories(dir / "sites");
    REQUIRE(write_file_atomic(dir / "sites" / "mine.toml", "id = \"site.mine\"\nhosts = [\"mine.example\"]\n"));
    auto rules = load_rules(dir.path());
    REQUIRE(rules);
    bool found = false;
    for (const auto* f : rules->site_files())
        found = found || f->name == "sites/mine.toml";
    CHECK(found);
    auto missing = load_rules(dir / "nope");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::usage);
}
