// URL parsing and resolution through libcurl's URL API (WHATWG-ish, RFC 3986 resolution).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace provcheck {

struct UrlParts {
    std::string scheme;  // lower case
    std::string host;    // lower case, without brackets for IPv6
    std::string port;    // empty when default
    std::string path;    // with query, without fragment
    bool has_credentials = false;
};

// Absolute URL of `href` relative to `base`; nullopt when either cannot be parsed.
[[nodiscard]] std::optional<std::string> resolve_url(std::string_view base, std::string_view href);
[[nodiscard]] std::optional<UrlParts> parse_url(std::string_view url);
// Normalised absolute URL (lower-case scheme and host, fragment dropped); nullopt if not a URL.
[[nodiscard]] std::optional<std::string> normalize_url(std::string_view url);
[[nodiscard]] bool is_http_url(std::string_view s) noexcept;
// True when `s` is an absolute http or https URL with a host ("https://example.com/a"), as opposed to a
// path, a relative reference or a URL with an empty host ("https:////etc/passwd"). What an input list, a
// sitemap or a page names must pass this before anything is opened for it.
[[nodiscard]] bool is_absolute_http_url(std::string_view s);
// True when `host` equals `domain` or is a subdomain of it ("www.nytimes.com" under "nytimes.com").
[[nodiscard]] bool host_in_domain(std::string_view host, std::string_view domain) noexcept;
// file: URI of an absolute or relative local path.
[[nodiscard]] std::string file_uri(std::string_view path);
// How a local input is named wherever it leaves the machine (records, archives, bundles): a URL as given; a
// local file by its path relative to the working directory when it lies below it, else by its file name, so
// that nothing written carries the checker's own directories.
[[nodiscard]] std::string local_input_name(std::string_view input);
// The URI a local input is archived under: "file:///" and its local_input_name(), percent-encoded
// ("fixtures/seed/article.html" → "file:///fixtures/seed/article.html"): the name as given, never the path on
// the checker's machine. A file outside the working directory, named by its file name alone, goes under the
// first 16 hex digits of its content's SHA-256 (`sha256_hex`), so that two files of one name from different
// directories are two addresses ("file:///3f2a…/article.html").
[[nodiscard]] std::string local_input_uri(std::string_view input, std::string_view sha256_hex = {});
// Whether a local input lies outside the working directory (local_input_uri() then wants its digest).
[[nodiscard]] bool local_input_outside(std::string_view input);

}  // namespace provcheck
