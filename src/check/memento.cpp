#include "check/memento.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "core/clock.hpp"
#include "core/text.hpp"

namespace provcheck {

namespace {

// Calls `each` with every link of a link-format document (split at commas outside <…> and "…"), one at a time,
// until it returns false: a TimeMap of millions of links is never held as a list.
template <typename Each>
void for_each_link(std::string_view s, Each&& each) {
    bool in_uri = false;
    bool in_quotes = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (in_quotes) {
            if (c == '\\' && i + 1 < s.size()) {
                ++i;
            } else if (c == '"') {
                in_quotes = false;
            }
        } else if (in_uri) {
            if (c == '>') in_uri = false;
        } else if (c == '<') {
            in_uri = true;
        } else if (c == '"') {
            in_quotes = true;
        } else if (c == ',') {
            if (!each(s.substr(start, i - start))) return;
            start = i + 1;
        }
    }
    each(s.substr(start));
}

std::string unquote(std::string_view v) {
    v = trim(v);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) ++i;
        out += v[i];
    }
    return out;
}

bool has_rel(std::string_view rel, std::string_view wanted) {
    std::size_t at = 0;
    while (at < rel.size()) {
        while (at < rel.size() && rel[at] == ' ')
            ++at;
        std::size_t end = rel.find(' ', at);
        if (end == std::string_view::npos) end = rel.size();
        if (iequals(rel.substr(at, end - at), wanted)) return true;
        at = end;
    }
    return false;
}

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

std::vector<Memento> parse_timemap(std::string_view link_format, std::size_t max_entries) {
    std::vector<Memento> out;
    for_each_link(link_format, [&](std::string_view link) {
        if (out.size() >= max_entries) return false;
        link = trim(link);
        if (link.empty() || link.front() != '<') return true;
        const auto close = link.find('>');
        if (close == std::string_view::npos) return true;
        const std::string url(trim(link.substr(1, close - 1)));
        std::string rel;
        std::string datetime;
        // Parameters: ; name="value" (split at semicolons outside quotes).
        std::string_view params = link.substr(close + 1);
        bool in_quotes = false;
        std::size_t start = 0;
        auto take = [&](std::string_view p) {
            p = trim(p);
            const auto eq = p.find('=');
            if (eq == std::string_view::npos) return;
            const std::string_view name = trim(p.substr(0, eq));
            if (iequals(name, "rel")) rel = unquote(p.substr(eq + 1));
            if (iequals(name, "datetime")) datetime = unquote(p.substr(eq + 1));
        };
        for (std::size_t i = 0; i <= params.size(); ++i) {
            if (i < params.size() && params[i] == '"') in_quotes = !in_quotes;
            if (i == params.size() || (params[i] == ';' && !in_quotes)) {
                take(params.substr(start, i - start));
                start = i + 1;
            }
        }
        if (url.empty() || datetime.empty() || !has_rel(rel, "memento")) return true;
        if (!url.starts_with("http://") && !url.starts_with("https://")) return true;
        if (auto when = parse_http_date(datetime)) out.push_back(Memento{url, *when});
        return true;
    });
    return out;
}

std::optional<Memento> closest_memento(const std::vector<Memento>& mementos,
                                       std::chrono::system_clock::time_point when) {
    const Memento* before = nullptr;
    const Memento* after = nullptr;
    for (const Memento& m : mementos) {
        if (m.archived_at <= when) {
            if (before == nullptr || m.archived_at > before->archived_at) before = &m;
        } else if (after == nullptr || m.archived_at < after->archived_at) {
            after = &m;
        }
    }
    if (before != nullptr) return *before;
    if (after != nullptr) return *after;
    return std::nullopt;
}

std::string timemap_url(std::string_view endpoint, std::string_view original) {
    return std::string(endpoint) + std::string(original);
}

std::string raw_memento_url(std::string_view memento_url) {
    // "/web/" must be the path's first segment: right after "scheme://host[:port]".
    const auto scheme_end = memento_url.find("://");
    if (scheme_end == std::string_view::npos) return std::string(memento_url);
    const auto web = memento_url.find('/', scheme_end + 3);
    if (web == std::string_view::npos || memento_url.substr(web, 5) != "/web/") return std::string(memento_url);
    const std::size_t ts = web + 5;
    const auto slash = memento_url.find('/', ts);
    if (slash == std::string_view::npos) return std::string(memento_url);
    const std::string_view stamp = memento_url.substr(ts, slash - ts);
    if (!all_digits(stamp) || stamp.size() < 4 || stamp.size() > 14) return std::string(memento_url);
    return std::string(memento_url.substr(0, slash)) + "id_" + std::string(memento_url.substr(slash));
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view s) {
    // libcurl's date parser reads RFC 7231's IMF-fixdate and the obsolete forms alike.
    const std::string text(trim(s));
    if (text.empty() || text.size() > 64) return std::nullopt;
    const time_t t = curl_getdate(text.c_str(), nullptr);
    if (t < 0) return std::nullopt;
    return std::chrono::system_clock::from_time_t(t);
}

std::optional<std::chrono::system_clock::time_point> publication_time(std::string_view published) {
    published = trim(published);
    if (auto t = parse_rfc3339(published)) return t;
    if (published.size() >= 10) {
        // A date alone (or a date-time this parser does not read): the end of that day, UTC, so that a copy
        // archived the same day counts as before.
        const std::string day = std::string(published.substr(0, 10)) + "T23:59:59Z";
        if (auto t = parse_rfc3339(day)) return t;
    }
    return std::nullopt;
}

}  // namespace provcheck
