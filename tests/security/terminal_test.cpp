// A page cannot drive the terminal of whoever reads provcheck's output: escape sequences, bells and
// bidirectional overrides in a quotation, its speaker or a link reach neither the text report, nor the -v lines,
// nor `show`, nor the HTML report as they were written.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "security/hostile.hpp"

using namespace provcheck;

namespace {

bool has_control(std::string_view s) {
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == 0x1b || c == 0x07) return true;
    }
    return s.find("\xe2\x80\xae") != std::string_view::npos;  // U+202E RIGHT-TO-LEFT OVERRIDE
}

}  // namespace

TEST_CASE("escape sequences and bidi overrides in a page never reach the terminal", "[security]") {
    test::TempDir dir;
    const auto page = dir / "hostile.html";
    test::write_text(
        page, test::article_page("<p>The mayor, Ann &#27;]0;pwned&#7;Smith, said: “We will &#27;[2J fix the roads "
                                 "\xe2\x80\xae now, and that is a promise to every driver.”</p>"
                                 "<p>See <a href=\"https://www.example.org/&#27;[31mred\">the plan</a>.</p>"));
    const std::string ws = (dir / "ws").string();
    const std::string html = (dir / "r.html").string();
    auto r = test::provcheck(dir, {"check", page.string(), "--workspace", ws, "-v", "--fail-on", "none", "--format",
                                   "text", "--format", "html", "-o", html, "--depth", "0"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("fix the roads") != std::string::npos);
    CHECK_FALSE(has_control(r.out));
    CHECK_FALSE(has_control(r.err));
    const std::string report = test::read_text(html);
    CHECK(report.find("fix the roads") != std::string::npos);
    CHECK_FALSE(has_control(report));

    auto json = test::provcheck(dir, {"check", page.string(), "--workspace", ws, "--format", "json", "--fail-on",
                                      "none", "-q", "--depth", "0"});
    REQUIRE(json.exit_code == 0);
    const std::string id = nlohmann::json::parse(json.out)["articles"][0]["claims"][0]["id"];
    auto show = test::provcheck(dir, {"show", id, "--workspace", ws});
    INFO(show.err);
    CHECK(show.exit_code == 0);
    CHECK(show.out.find("fix the roads") != std::string::npos);
    CHECK_FALSE(has_control(show.out));
}
