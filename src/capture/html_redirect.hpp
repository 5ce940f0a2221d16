// Recognising redirects that a page makes itself (Refresh header, <meta http-equiv=refresh>, script
// that sets the location or clicks a link) and the canonical URL a page declares. Pure functions over
// the bytes of one response: no fetching, no URL resolution (the caller resolves against the page URL).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/types.hpp"

namespace provcheck {

// Pages at least this large are articles, not redirect pages, whatever their scripts do.
inline constexpr std::size_t max_redirect_page_bytes = 64 * 1024;
// A redirect page shows next to no text of its own: more visible words than this and it is a page.
inline constexpr std::size_t max_redirect_page_words = 40;
// A refresh that waits longer than this is a page that reloads itself, not a redirect.
inline constexpr int max_refresh_delay_s = 5;

struct ClientRedirect {
    std::string target;                 // as written in the page, JS escapes undone; relative URLs left relative
    HopVia via = HopVia::meta_refresh;  // meta_refresh or js_location
};

// Target of a Refresh header or meta refresh content ("0;URL=…", "0; url='…'", "0, …"); nullopt when
// there is no target or the delay exceeds max_refresh_delay_s.
[[nodiscard]] std::optional<std::string> parse_refresh(std::string_view value);

// Undoes JavaScript string escapes (\/ \" \' \\ \n \t \xHH \uHHHH \u{H…}); unknown escapes keep the character.
[[nodiscard]] std::string unescape_js_string(std::string_view s);

// Whether a response is HTML: by its media type, or, with none, by its first non-blank byte.
[[nodiscard]] bool is_html(std::string_view content_type, std::string_view body) noexcept;

// The redirect a small page makes by itself, or nullopt when `html` is not essentially a redirect page
// (too large, too much visible text, or no recognised redirect). A meta refresh wins over script.
[[nodiscard]] std::optional<ClientRedirect> find_client_redirect(std::string_view html);

// <link rel="canonical" href> or else <meta property="og:url" content> in the page's head (all of it when there
// is no </head>), as written; nullopt when neither.
[[nodiscard]] std::optional<std::string> find_canonical(std::string_view html);

}  // namespace provcheck
