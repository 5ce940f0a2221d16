#include <catch2/catch.hpp>

#include "capture/challenge.hpp"
#include "rules/rules.hpp"

namespace provcheck {

namespace {

const ChallengeRules& builtin() {
    static const ChallengeRules rules = [] {
        auto set = load_rules();
        REQUIRE(set.has_value());
        auto parsed = parse_challenge_rules(set->table("challenges.toml"));
        REQUIRE(parsed.has_value());
        return *parsed;
    }();
    return rules;
}

}  // namespace

TEST_CASE("The built-in challenge rules recognise the big CDNs' walls", "[unit]") {
    const auto& r = builtin();
    CHECK(detect_challenge(r, 403, {{"CF-Mitigated", " Challenge "}}, "<p>x</p>") ==
          "challenge.cloudflare.cf-mitigated");
    CHECK(detect_challenge(r, 429, {{"x-vercel-mitigated", "challenge"}}, "") == "challenge.vercel.mitigated");
    CHECK(detect_challenge(r, 202, {{"x-amzn-waf-action", "captcha"}}, "") == "challenge.aws-waf.action");
    CHECK(detect_challenge(r, 503, {}, "<html><head><title>Just a moment...</title></head></html>") ==
          "challenge.cloudflare.just-a-moment");
    CHECK(detect_challenge(r, 200, {}, "<script>(function(){window._cf_chl_opt={cvId: '3'}})();</script>") ==
          "challenge.cloudflare.chl-opt");
    CHECK(detect_challenge(r, 403, {},
                           "<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>Reference&#32;&#35;18 "
                           "https&#58;&#47;&#47;errors&#46;edgesuite&#46;net</BODY></HTML>") == std::nullopt);
    CHECK(detect_challenge(r, 403, {},
                           "<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>See "
                           "https://errors.edgesuite.net/18.1</BODY></HTML>") == "challenge.akamai.access-denied");
    CHECK(detect_challenge(r, 200, {},
                           "<html><body><iframe id=\"main-iframe\" src=\"/_Incapsula_Resource?CWUDNSAI=9\">"
                           "Request unsuccessful. Incapsula incident ID: 1-2</iframe></body></html>") ==
          "challenge.imperva.incident");
    CHECK(detect_challenge(r, 403, {}, "<script src=\"https://ct.captcha-delivery.com/c.js\"></script>") ==
          "challenge.datadome.captcha");
    CHECK(detect_challenge(r, 403, {}, "<div id=\"px-captcha\"></div>") == "challenge.human.px-captcha");
}

TEST_CASE("Articles that mention a marker are not walls", "[unit]") {
    const auto& r = builtin();
    // The title marker counts only on a refusing status.
    CHECK_FALSE(detect_challenge(r, 200, {}, "<title>Just a moment...</title><p>A story.</p>").has_value());
    // A long article quoting a marker is an article.
    const std::string article = "<p>" + std::string(300'000, 'a') + " window._cf_chl_opt </p>";
    CHECK_FALSE(detect_challenge(r, 200, {}, article).has_value());
    CHECK_FALSE(detect_challenge(r, 200, {{"cf-mitigated", "none"}}, "<p>x</p>").has_value());
    CHECK_FALSE(detect_challenge(r, 200, {{"Server", "cloudflare"}}, "<p>x</p>").has_value());
}

TEST_CASE("Challenge rules are checked when read", "[unit]") {
    auto parse = [](std::string_view text) { return parse_challenge_rules(toml::parse(text)); };
    CHECK(parse("[[header]]\nid = \"h\"\nname = \"x-wall\"\n").has_value());
    auto presence = parse("[[header]]\nid = \"h\"\nname = \"x-wall\"\n");
    CHECK(detect_challenge(*presence, 200, {{"X-Wall", "anything"}}, "") == "h");
    for (const char* bad : {"[[header]]\nname = \"x\"\n", "[[header]]\nid = \"h\"\nname = \"x\"\nvalues = [1]\n",
                            "[[markup]]\nid = \"m\"\n", "[[markup]]\nid = \"m\"\ncontains = [\"a\"]\nstatuses = [42]\n",
                            "[[markup]]\nid = \"m\"\ncontains = [\"a\"]\nmax_bytes = 0\n", "header = [1]\n"}) {
        INFO(bad);
        auto r = parse(bad);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == ErrorCode::config);
    }
}

}  // namespace provcheck
