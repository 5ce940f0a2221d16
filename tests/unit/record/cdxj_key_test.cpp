// The keys of a bundle's CDXJ index: what a web-archive player computes for the URL it looks up (ReplayWeb.page's
// and pywb's SURT), so that every capture of the bundle is found.
#include <catch2/catch.hpp>

#include "core/url.hpp"
#include "record/bundle.hpp"

using namespace provcheck;

TEST_CASE("CDXJ keys are lower case, reversed, and keep the port", "[unit]") {
    CHECK(cdxj_key("https://www.nytimes.com/2023/10/17/us/politics/Qatar-Hamas.html") ==
          "com,nytimes)/2023/10/17/us/politics/qatar-hamas.html");
    CHECK(cdxj_key("https://WWW2.Example.COM/A") == "com,example)/a");
    CHECK(cdxj_key("http://example.com") == "com,example)/");
    // The scheme's default port goes, another stays; captures on two ports of one host do not collide.
    CHECK(cdxj_key("http://example.com:80/a") == "com,example)/a");
    CHECK(cdxj_key("https://example.com:443/a") == "com,example)/a");
    CHECK(cdxj_key("http://127.0.0.1:8766/x") == "1,0,0,127:8766)/x");
    CHECK(cdxj_key("http://127.0.0.1:8767/x") == "1,0,0,127:8767)/x");
    // Credentials and the fragment are not part of what was captured.
    CHECK(cdxj_key("https://user:pw@example.com/a#part") == "com,example)/a");
    // A host that only starts with "www" keeps it.
    CHECK(cdxj_key("https://wwwfoo.com/") == "com,wwwfoo)/");
}

TEST_CASE("CDXJ keys sort the query's arguments by name", "[unit]") {
    CHECK(cdxj_key("https://example.com/s?z=1&a=2&m=3") == "com,example)/s?a=2&m=3&z=1");
    // Arguments of one name keep their order.
    CHECK(cdxj_key("https://example.com/s?b=2&a=9&b=1") == "com,example)/s?a=9&b=2&b=1");
    CHECK(cdxj_key("https://example.com/s?Q=Gaza") == "com,example)/s?q=gaza");
    CHECK(cdxj_key("https://example.com/s?") == "com,example)/s");
}

TEST_CASE("a URL that is not http(s) is its own key", "[unit]") {
    CHECK(cdxj_key("file:///fixtures/seed/article.html") == "file:///fixtures/seed/article.html");
    CHECK(cdxj_key("urn:x") == "urn:x");
}

TEST_CASE("a local input is archived under its name, never the checker's directories", "[unit]") {
    CHECK(local_input_uri("fixtures/seed/article.html") == "file:///fixtures/seed/article.html");
    CHECK(local_input_uri("./a b.html") == "file:///a%20b.html");
    // Outside the working directory: the file name alone, under its content's digest when given, so that two
    // files of one name from two directories are two addresses.
    CHECK(local_input_uri("/nonexistent-dir/deeper/article.html") == "file:///article.html");
    CHECK(local_input_uri("../elsewhere/article.html") == "file:///article.html");
    const std::string digest(64, 'a');
    CHECK(local_input_uri("/nonexistent-dir/deeper/article.html", digest) == "file:///aaaaaaaaaaaaaaaa/article.html");
    CHECK(local_input_uri("fixtures/seed/article.html", digest) == "file:///fixtures/seed/article.html");
    CHECK(local_input_outside("/nonexistent-dir/a.html"));
    CHECK_FALSE(local_input_outside("fixtures/a.html"));
    CHECK(local_input_uri("https://example.com/a") == "https://example.com/a");
}
