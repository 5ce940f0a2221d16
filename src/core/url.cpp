#include "core/url.hpp"

#include <curl/curl.h>

#include <filesystem>
#include <memory>
#include <utility>

#include "core/memo.hpp"
#include "core/text.hpp"

namespace provcheck {

namespace {
struct UrlDeleter {
    void operator()(CURLU* u) const noexcept { curl_url_cleanup(u); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

std::optional<std::string> get_part(CURLU* u, CURLUPart part, unsigned flags = 0) {
    char* out = nullptr;
    if (curl_url_get(u, part, &out, flags) != CURLUE_OK || out == nullptr) return std::nullopt;
    std::string s(out);
    curl_free(out);
    return s;
}

UrlHandle parse(std::string_view url) {
    UrlHandle u(curl_url());
    if (!u) return nullptr;
    std::string s(trim(url));
    if (curl_url_set(u.get(), CURLUPART_URL, s.c_str(), CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE) != CURLUE_OK) {
        return nullptr;
    }
    return u;
}
}  // namespace

std::optional<std::string> resolve_url(std::string_view base, std::string_view href) {
    UrlHandle u = parse(base);
    if (!u) return std::nullopt;
    std::string h(trim(href));
    if (h.empty()) return get_part(u.get(), CURLUPART_URL);
    if (curl_url_set(u.get(), CURLUPART_URL, h.c_str(), CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE) != CURLUE_OK) {
        return std::nullopt;
    }
    return get_part(u.get(), CURLUPART_URL);
}

namespace {
std::optional<UrlParts> parse_url_uncached(std::string_view url) {
    UrlHandle u = parse(url);
    if (!u) return std::nullopt;
    UrlParts p;
    p.scheme = to_lower_ascii(get_part(u.get(), CURLUPART_SCHEME).value_or(""));
    p.host = to_lower_ascii(get_part(u.get(), CURLUPART_HOST).value_or(""));
    if (p.host.size() >= 2 && p.host.front() == '[' && p.host.back() == ']')
        p.host = p.host.substr(1, p.host.size() - 2);
    p.port = get_part(u.get(), CURLUPART_PORT).value_or("");
    p.path = get_part(u.get(), CURLUPART_PATH).value_or("/");
    if (auto q = get_part(u.get(), CURLUPART_QUERY)) p.path += "?" + *q;
    p.has_credentials =
        get_part(u.get(), CURLUPART_USER).has_value() || get_part(u.get(), CURLUPART_PASSWORD).has_value();
    return p;
}
}  // namespace

std::optional<UrlParts> parse_url(std::string_view url) {
    thread_local StringMemo<std::optional<UrlParts>> memo;
    return memo.get(url, parse_url_uncached);
}

namespace {
std::optional<std::string> normalize_url_uncached(std::string_view url) {
    UrlHandle u = parse(url);
    if (!u) return std::nullopt;
    curl_url_set(u.get(), CURLUPART_FRAGMENT, nullptr, 0);
    // Host names are case-insensitive; libcurl keeps them as written.
    if (auto host = get_part(u.get(), CURLUPART_HOST)) {
        std::string lower = to_lower_ascii(*host);
        curl_url_set(u.get(), CURLUPART_HOST, lower.c_str(), 0);
    }
    return get_part(u.get(), CURLUPART_URL);
}
}  // namespace

std::optional<std::string> normalize_url(std::string_view url) {
    thread_local StringMemo<std::optional<std::string>> memo;
    return memo.get(url, normalize_url_uncached);
}

bool is_http_url(std::string_view s) noexcept {
    s = trim(s);
    return istarts_with(s, "http://") || istarts_with(s, "https://");
}

bool is_absolute_http_url(std::string_view s) {
    if (!is_http_url(s)) return false;
    const auto parts = parse_url(trim(s));
    return parts && (parts->scheme == "http" || parts->scheme == "https") && !parts->host.empty();
}

bool host_in_domain(std::string_view host, std::string_view domain) noexcept {
    if (domain.empty() || host.size() < domain.size()) return false;
    if (iequals(host, domain)) return true;
    return host.size() > domain.size() && host[host.size() - domain.size() - 1] == '.' &&
           iequals(host.substr(host.size() - domain.size()), domain);
}

namespace {

std::string percent_encoded_path(std::string_view p) {
    std::string out;
    static constexpr char hex[] = "0123456789ABCDEF";
    for (unsigned char c : p) {
        bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
                    c == '-' || c == '_' || c == '.' || c == '~';
        if (safe) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

}  // namespace

std::string file_uri(std::string_view path) {
    std::error_code ec;
    auto abs = std::filesystem::absolute(std::filesystem::path(path), ec).lexically_normal();
    return "file://" + percent_encoded_path(ec ? std::string(path) : abs.string());
}

namespace {

// The name and whether the input lies outside the working directory (then the name is its file name alone).
std::pair<std::string, bool> local_name(std::string_view input) {
    if (input.find("://") != std::string_view::npos) return {std::string(input), false};
    std::error_code ec;
    std::filesystem::path given{std::string(input)};
    if (given.is_relative()) {
        auto normal = given.lexically_normal();
        if (!normal.empty() && *normal.begin() != "..") return {normal.string(), false};
    }
    auto abs = std::filesystem::absolute(given, ec).lexically_normal();
    auto cwd = std::filesystem::current_path(ec);
    if (!ec) {
        auto rel = abs.lexically_relative(cwd);
        if (!rel.empty() && *rel.begin() != "..") return {rel.string(), false};
    }
    return {abs.filename().string(), true};
}

}  // namespace

std::string local_input_name(std::string_view input) {
    return local_name(input).first;
}

bool local_input_outside(std::string_view input) {
    return local_name(input).second;
}

std::string local_input_uri(std::string_view input, std::string_view sha256_hex) {
    auto [name, outside] = local_name(input);
    if (name.find("://") != std::string::npos) return name;
    while (name.starts_with('/'))
        name.erase(0, 1);
    // Files of one name from different directories must not share an address in the archive.
    if (outside && sha256_hex.size() >= 16) name = std::string(sha256_hex.substr(0, 16)) + "/" + name;
    return "file:///" + percent_encoded_path(name);
}

}  // namespace provcheck
