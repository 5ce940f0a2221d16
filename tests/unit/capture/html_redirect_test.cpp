#include <catch2/catch.hpp>
#include <string>

#include "capture/html_redirect.hpp"

namespace provcheck {

namespace {
// The page t.co serves a browser (SEED.md), with the URL as the fixture uses it.
const std::string tco_browser_page =
    R"(<head><meta name="referrer" content="always"><noscript><META http-equiv="refresh" )"
    R"(content="0;URL=https://www.palestinechronicle.com/live/"></noscript><title>https://www.palestinechronicle.com/live/</title></head>)"
    R"(<script>window.opener = null; location.replace("https:\/\/www.palestinechronicle.com\/live\/")</script>)";
}  // namespace

TEST_CASE("Refresh values yield their target", "[unit]") {
    CHECK(parse_refresh("0;url=https://example.org/a") == "https://example.org/a");
    CHECK(parse_refresh("0; URL='https://example.org/b'") == "https://example.org/b");
    CHECK(parse_refresh("1, /relative") == "/relative");
    CHECK(parse_refresh(" 0 ; url = \"x.html\" ") == "x.html");
    CHECK_FALSE(parse_refresh("0").has_value());
    CHECK_FALSE(parse_refresh("300; url=https://example.org/").has_value());  // a reload, not a redirect
    CHECK_FALSE(parse_refresh("0; url=").has_value());
}

TEST_CASE("JavaScript string escapes are undone", "[unit]") {
    CHECK(unescape_js_string(R"(http:\/\/example.org\/x)") == "http://example.org/x");
    CHECK(unescape_js_string(R"(a\"b\'c\\d)") == "a\"b'c\\d");
    CHECK(unescape_js_string(R"(\x41\u00e9\u{1F600})") == "A\u00e9\U0001F600");
    CHECK(unescape_js_string(R"(\ud83d\ude00)") == "\U0001F600");
    CHECK(unescape_js_string(R"(trailing\)") == "trailing\\");
    CHECK(unescape_js_string(R"(\xZ)") == "xZ");
}

TEST_CASE("t.co's browser page is a meta refresh inside noscript", "[unit]") {
    auto r = find_client_redirect(tco_browser_page);
    REQUIRE(r.has_value());
    CHECK(r->target == "https://www.palestinechronicle.com/live/");
    CHECK(r->via == HopVia::meta_refresh);
}

TEST_CASE("Script redirects are found in their usual spellings", "[unit]") {
    struct Row {
        const char* html;
        const char* target;
    };
    const Row rows[] = {
        {R"(<script>location.replace("http:\/\/a.example\/1")</script>)", "http://a.example/1"},
        {R"(<script>window.location = 'https://b.example/2';</script>)", "https://b.example/2"},
        {R"(<script>window.location.href = "https://c.example/3"</script>)", "https://c.example/3"},
        {R"(<script>location.href="/4"</script>)", "/4"},
        {R"(<script>document.location.assign("https://d.example/5")</script>)", "https://d.example/5"},
    };
    for (const auto& row : rows) {
        INFO(row.html);
        auto r = find_client_redirect(row.html);
        REQUIRE(r.has_value());
        CHECK(r->target == row.target);
        CHECK(r->via == HopVia::js_location);
    }
}

TEST_CASE("A page whose script clicks its one link redirects to that link", "[unit]") {
    const std::string page = R"(<html><body><a id="l" href="https://e.example/6">https://e.example/6</a>)"
                             R"(<script>document.getElementById("l").click();</script></body></html>)";
    auto r = find_client_redirect(page);
    REQUIRE(r.has_value());
    CHECK(r->target == "https://e.example/6");
    CHECK(r->via == HopVia::js_location);
}

TEST_CASE("Comparisons and articles are not redirects", "[unit]") {
    CHECK_FALSE(find_client_redirect(R"(<script>if (window.location == "x") {}</script>)").has_value());
    CHECK_FALSE(find_client_redirect(R"(<script>var mylocation = "https://x.example/";</script>)").has_value());
    std::string article = "<html><body><article>";
    for (int i = 0; i < 30; ++i)
        article += "<p>Developers often call location.replace in their pages.</p>";
    article += R"(<script>location.replace("https://ads.example/")</script></article></body></html>)";
    CHECK_FALSE(find_client_redirect(article).has_value());
    std::string huge = R"(<script>location.replace("https://x.example/")</script>)";
    huge += std::string(max_redirect_page_bytes, ' ');
    CHECK_FALSE(find_client_redirect(huge).has_value());
    CHECK_FALSE(find_client_redirect("").has_value());
}

TEST_CASE("Canonical URL: link rel first, og:url second", "[unit]") {
    CHECK(
        find_canonical(
            R"(<link rel="Canonical" href="https://x.example/a"><meta property="og:url" content="https://x.example/b">)") ==
        "https://x.example/a");
    CHECK(find_canonical(R"(<meta property="og:url" content="https://x.example/b">)") == "https://x.example/b");
    CHECK(find_canonical(R"(<link rel="alternate canonical" href="/c">)") == "/c");
    CHECK_FALSE(find_canonical("<p>no canonical</p>").has_value());
    CHECK_FALSE(find_canonical(R"(<link rel="canonical" href="  ">)").has_value());
}

TEST_CASE("Canonical URL: only the head is read when the page has one", "[unit]") {
    const std::string head = R"(<html><head><title>t</title><LINK rel="canonical" href="/in-head"></HEAD><body>)";
    const std::string late = R"(<p>text</p><link rel="canonical" href="/in-body"></body></html>)";
    CHECK(find_canonical(head + late) == "/in-head");
    // A canonical link after the head is not the page's: search engines ignore it, and so does provcheck.
    CHECK_FALSE(find_canonical("<html><head><title>t</title></head><body>" + late).has_value());
    // A page without a head element is read whole.
    CHECK(find_canonical(late) == "/in-body");
    // Found wherever the words fall, in any case, across a long page.
    std::string filler;
    for (int i = 0; i < 5000; ++i)
        filler += "<meta name=\"x\" content=\"canon cano canonica og:ur\">";
    CHECK(find_canonical("<head>" + filler + R"(<meta property="Og:Url" content="/og"></head>)") == "/og");
    CHECK_FALSE(find_canonical("<head>" + filler + "</head>").has_value());
}

TEST_CASE("HTML is recognised by media type or, without one, by its first byte", "[unit]") {
    CHECK(is_html("text/html; charset=utf-8", ""));
    CHECK(is_html("application/xhtml+xml", ""));
    CHECK_FALSE(is_html("application/json", "<html>"));
    CHECK(is_html("", "  <!doctype html>"));
    CHECK_FALSE(is_html("", "plain"));
}

TEST_CASE("Deeply nested markup does not exhaust the stack", "[unit]") {
    std::string deep;
    for (int i = 0; i < 20000; ++i)
        deep += "<div>";
    deep += R"(<link rel="canonical" href="https://x.example/deep">)";
    CHECK(find_canonical(deep) == "https://x.example/deep");
}

TEST_CASE("Redirects and canonicals spelled in any case or with character references are found", "[unit]") {
    auto upper = find_client_redirect(
        R"(<HTML><HEAD><META HTTP-EQUIV="REFRESH" CONTENT="0;URL=https://a.example/x"></HEAD></HTML>)");
    REQUIRE(upper.has_value());
    CHECK(upper->target == "https://a.example/x");
    auto encoded = find_client_redirect(R"(<meta http-equiv="&#114;efresh" content="0;url=https://a.example/y">)");
    REQUIRE(encoded.has_value());
    CHECK(encoded->target == "https://a.example/y");
    auto script = find_client_redirect(R"(<SCRIPT>location.replace("https:\/\/a.example\/z")</SCRIPT>)");
    REQUIRE(script.has_value());
    CHECK(script->target == "https://a.example/z");
    CHECK(find_canonical(R"(<LINK REL="Canonical" HREF="https://a.example/c">)") ==
          std::optional<std::string>("https://a.example/c"));
    CHECK(find_canonical(R"(<link rel="&#99;anonical" href="https://a.example/d">)") ==
          std::optional<std::string>("https://a.example/d"));
    CHECK(find_canonical(R"(<meta property="OG:URL" content="https://a.example/e">)") ==
          std::optional<std::string>("https://a.example/e"));
    // Plain pages hold none of it.
    CHECK_FALSE(find_client_redirect("<html><body><p>Report 7 says the numbers were checked.</p></body></html>"));
    CHECK_FALSE(find_canonical("<html><body><p>Report 7 says the numbers were checked.</p></body></html>"));
}

}  // namespace provcheck
