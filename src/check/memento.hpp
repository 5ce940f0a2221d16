// Archived copies of a source (Memento, RFC 7089): a TimeMap lists an archive's copies (mementos) of one URL
// with the time each was archived; provcheck asks one for the copy of a dead or changed source closest before
// the article's publication, and checks the quotation against that copy as well.
//
// Plain functions over text and times: the TimeMap and the memento are fetched by the check pipeline through
// the Capturer like any other URL (politeness, the address guard and the archive apply).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provcheck {

// The Internet Archive's Wayback Machine: its TimeMap of a URL is this prefix followed by the URL.
inline constexpr std::string_view default_memento_endpoint = "https://web.archive.org/web/timemap/link/";

struct Memento {
    std::string url;  // where the archive serves the copy
    std::chrono::system_clock::time_point archived_at;
};

// The mementos of a TimeMap in application/link-format (RFC 6690; RFC 7089 section 5): every link whose rel
// includes "memento" ("memento", "first memento", "last memento", …) and that has a datetime (an HTTP date),
// in the order given. Links without a datetime, and anything malformed, are skipped; at most `max_entries`
// are kept (a hostile TimeMap cannot make provcheck hold millions).
[[nodiscard]] std::vector<Memento> parse_timemap(std::string_view link_format, std::size_t max_entries = 100000);

// The memento archived last at or before `when`; when none is that old, the first one after it; nullopt when
// there are none.
[[nodiscard]] std::optional<Memento> closest_memento(const std::vector<Memento>& mementos,
                                                     std::chrono::system_clock::time_point when);

// The TimeMap URL of `original` at `endpoint` (the endpoint followed by the URL, as the Wayback Machine and
// MementoWeb's aggregator take it).
[[nodiscard]] std::string timemap_url(std::string_view endpoint, std::string_view original);

// A Wayback Machine memento URL (".../web/<14 digits>/<url>") in its raw form ("<14 digits>id_"), which serves
// the page as archived, without the archive's banner and with links as they were; any other URL unchanged.
[[nodiscard]] std::string raw_memento_url(std::string_view memento_url);

// An HTTP date (RFC 7231 IMF-fixdate, or the obsolete forms), as in Memento-Datetime; nullopt otherwise.
[[nodiscard]] std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view s);

// The time an article says it was published ("2026-11-25", "2026-11-25T07:30:00+00:00"); nullopt when it says
// nothing that reads as a date.
[[nodiscard]] std::optional<std::chrono::system_clock::time_point> publication_time(std::string_view published);

}  // namespace provcheck
