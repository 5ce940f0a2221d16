// Sitemaps (sitemaps.org 0.9): a <urlset> of pages or a <sitemapindex> of further sitemaps, each entry a
// <loc> and an optional <lastmod>. Used by `check --sitemap` to find the articles of a site.
//
// Input: the XML text. Output: the entries in document order, their text with XML entities and CDATA
// resolved and surrounding white space trimmed. Never: fetches anything, follows an index (the caller
// does, so that every fetch goes through the capture stage), or accepts a document whose root is neither
// element (ErrorCode::parse).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace provcheck {

struct SitemapEntry {
    std::string loc;
    std::string lastmod;  // as written (W3C datetime), empty when absent
};

struct Sitemap {
    bool is_index = false;  // entries are sitemaps, not pages
    std::vector<SitemapEntry> entries;
};

[[nodiscard]] Result<Sitemap> parse_sitemap(std::string_view xml);

// What an entry names, as an absolute http(s) URL: its <loc>, read against `sitemap_url` when that is an
// http(s) URL (the sitemap's own address, after redirects). nullopt for anything else: a path, a file: or other
// URL, a URL without a host ("////etc/passwd"), a relative <loc> in a sitemap read from a file. A sitemap may
// be served by anyone, so what it names is never opened as a local file.
[[nodiscard]] std::optional<std::string> entry_url(const SitemapEntry& entry, std::string_view sitemap_url);

// Whether an entry's lastmod is on or after `since` (YYYY-MM-DD); an entry without lastmod is kept,
// since nothing says it is older.
[[nodiscard]] bool modified_since(const SitemapEntry& entry, std::string_view since) noexcept;

// A date of the form YYYY-MM-DD with a plausible month and day.
[[nodiscard]] bool is_iso_date(std::string_view s) noexcept;

}  // namespace provcheck
