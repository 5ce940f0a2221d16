// Memento (RFC 7089): reading a TimeMap, choosing the copy closest before a time, the Wayback Machine's raw form.
#include <catch2/catch.hpp>

#include <string>

#include "check/memento.hpp"
#include "core/clock.hpp"
#include "support/values.hpp"

using namespace provcheck;
using provcheck::test::at;

TEST_CASE("a TimeMap's mementos, whatever their rel and spacing", "[unit]") {
    const std::string map =
        "<https://www.example.org/a>; rel=\"original\",\n"
        "<https://web.archive.org/web/timemap/link/https://www.example.org/a>; rel=\"self\"; "
        "type=\"application/link-format\",\n"
        "<https://web.archive.org/web/20200101000000/https://www.example.org/a>; rel=\"first memento\"; "
        "datetime=\"Wed, 01 Jan 2020 00:00:00 GMT\",\n"
        "<https://web.archive.org/web/20210301120000/https://www.example.org/a?x=1,2>;rel=memento;"
        "datetime=\"Mon, 01 Mar 2021 12:00:00 GMT\" ,"
        "<https://web.archive.org/web/20220101000000/https://www.example.org/a>; datetime=\"Sat, 01 Jan 2022 "
        "00:00:00 GMT\"; rel=\"last memento\"";
    auto ms = parse_timemap(map);
    REQUIRE(ms.size() == 3);
    CHECK(ms[0].url == "https://web.archive.org/web/20200101000000/https://www.example.org/a");
    CHECK(format_rfc3339(ms[0].archived_at) == "2020-01-01T00:00:00Z");
    // A comma inside <…> does not split the link.
    CHECK(ms[1].url == "https://web.archive.org/web/20210301120000/https://www.example.org/a?x=1,2");
    CHECK(format_rfc3339(ms[2].archived_at) == "2022-01-01T00:00:00Z");
}

TEST_CASE("a hostile or broken TimeMap gives no mementos, never a local file", "[unit]") {
    CHECK(parse_timemap("").empty());
    CHECK(parse_timemap("not a link format at all").empty());
    CHECK(parse_timemap("<https://a.example/x>; rel=\"memento\"").empty());  // no datetime
    CHECK(parse_timemap("<https://a.example/x>; rel=\"memento\"; datetime=\"yesterday\"").empty());
    CHECK(parse_timemap("<file:///etc/passwd>; rel=\"memento\"; datetime=\"Wed, 01 Jan 2020 00:00:00 GMT\"").empty());
    CHECK(parse_timemap("<https://a.example/x; rel=\"memento\"; datetime=\"Wed, 01 Jan 2020 00:00:00 GMT\"").empty());
    std::string many;
    for (int i = 0; i < 50; ++i)
        many +=
            "<https://a.example/" + std::to_string(i) + ">; rel=memento; datetime=\"Wed, 01 Jan 2020 00:00:00 GMT\",";
    CHECK(parse_timemap(many, 10).size() == 10);
}

TEST_CASE("the copy closest before a time, else the first after it", "[unit]") {
    const std::vector<Memento> ms = {
        {"a", at("2020-01-01T00:00:00Z")}, {"c", at("2022-01-01T00:00:00Z")}, {"b", at("2021-03-01T12:00:00Z")}};
    CHECK(closest_memento(ms, at("2021-06-01T00:00:00Z"))->url == "b");
    CHECK(closest_memento(ms, at("2021-03-01T12:00:00Z"))->url == "b");  // the same second counts as before
    CHECK(closest_memento(ms, at("2030-01-01T00:00:00Z"))->url == "c");
    CHECK(closest_memento(ms, at("2019-01-01T00:00:00Z"))->url == "a");
    CHECK_FALSE(closest_memento({}, at("2019-01-01T00:00:00Z")).has_value());
}

TEST_CASE("Wayback mementos in their raw form; TimeMap URLs; publication times", "[unit]") {
    CHECK(raw_memento_url("https://web.archive.org/web/20231019081500/https://www.nytimes.com/x") ==
          "https://web.archive.org/web/20231019081500id_/https://www.nytimes.com/x");
    CHECK(raw_memento_url("https://web.archive.org/web/20231019081500id_/https://www.nytimes.com/x") ==
          "https://web.archive.org/web/20231019081500id_/https://www.nytimes.com/x");
    CHECK(raw_memento_url("https://archive.example/memento/20231019/https://a.example/") ==
          "https://archive.example/memento/20231019/https://a.example/");
    // "/web/" only as the path's first segment, not inside the original URL of another archive's memento.
    CHECK(raw_memento_url("https://archive.example/m/20231019/https://a.example/web/20231019081500/x") ==
          "https://archive.example/m/20231019/https://a.example/web/20231019081500/x");
    CHECK(timemap_url(default_memento_endpoint, "https://a.example/x?y=1") ==
          "https://web.archive.org/web/timemap/link/https://a.example/x?y=1");
    CHECK(format_rfc3339(*publication_time("2026-11-25")) == "2026-11-25T23:59:59Z");
    CHECK(format_rfc3339(*publication_time("2026-11-25T07:30:00+01:00")) == "2026-11-25T06:30:00Z");
    CHECK_FALSE(publication_time("last Tuesday").has_value());
    CHECK(format_rfc3339(*parse_http_date("Thu, 19 Nov 2026 09:45:00 GMT")) == "2026-11-19T09:45:00Z");
    CHECK_FALSE(parse_http_date("soon").has_value());
}
