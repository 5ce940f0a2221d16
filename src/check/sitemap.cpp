#include "check/sitemap.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "core/text.hpp"
#include "core/url.hpp"
#include "extract/utf8.hpp"

namespace provcheck {

namespace {

// Local name of a tag: "sm:loc" and "loc" are the same element (sitemaps are often written with a
// namespace prefix).
std::string_view local_name(std::string_view tag) {
    auto colon = tag.find(':');
    return colon == std::string_view::npos ? tag : tag.substr(colon + 1);
}

std::string decode_text(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        if (s.substr(i, 9) == "<![CDATA[") {
            auto end = s.find("]]>", i + 9);
            if (end == std::string_view::npos) end = s.size();
            out += s.substr(i + 9, end - i - 9);
            i = end + 3;
            continue;
        }
        if (s[i] == '&') {
            auto semi = s.find(';', i);
            if (semi != std::string_view::npos && semi - i <= 10) {
                std::string_view ent = s.substr(i + 1, semi - i - 1);
                bool done = true;
                if (ent == "amp") {
                    out += '&';
                } else if (ent == "lt") {
                    out += '<';
                } else if (ent == "gt") {
                    out += '>';
                } else if (ent == "quot") {
                    out += '"';
                } else if (ent == "apos") {
                    out += '\'';
                } else if (ent.size() > 1 && ent[0] == '#') {
                    const bool hex = ent[1] == 'x' || ent[1] == 'X';
                    std::string digits(ent.substr(hex ? 2 : 1));
                    char* end = nullptr;
                    unsigned long cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
                    if (digits.empty() || end == nullptr || *end != '\0') {
                        done = false;
                    } else {
                        // &#0; is no XML character: U+FFFD, as for a value past U+10FFFF, however large.
                        utf8::append(out, cp == 0 || cp > 0x10FFFF ? U'\uFFFD' : static_cast<char32_t>(cp));
                    }
                } else {
                    done = false;
                }
                if (done) {
                    i = semi + 1;
                    continue;
                }
            }
        }
        out += s[i++];
    }
    return std::string(trim(out));
}

}  // namespace

Result<Sitemap> parse_sitemap(std::string_view xml) {
    Sitemap map;
    bool root_seen = false;
    SitemapEntry current;
    bool in_entry = false;
    std::size_t i = 0;
    while (i < xml.size()) {
        auto lt = xml.find('<', i);
        if (lt == std::string_view::npos) break;
        if (xml.substr(lt, 4) == "<!--") {
            auto end = xml.find("-->", lt + 4);
            i = end == std::string_view::npos ? xml.size() : end + 3;
            continue;
        }
        if (xml.substr(lt, 2) == "<?" || xml.substr(lt, 2) == "<!") {
            auto end = xml.find('>', lt);
            i = end == std::string_view::npos ? xml.size() : end + 1;
            continue;
        }
        auto gt = xml.find('>', lt);
        if (gt == std::string_view::npos) return fail(ErrorCode::parse, "sitemap: unterminated tag");
        std::string_view tag = xml.substr(lt + 1, gt - lt - 1);
        const bool closing = !tag.empty() && tag[0] == '/';
        if (closing) tag.remove_prefix(1);
        const bool empty_element = !tag.empty() && tag.back() == '/';
        if (empty_element) tag.remove_suffix(1);
        std::string_view name = local_name(tag.substr(0, tag.find_first_of(" \t\r\n")));
        i = gt + 1;
        if (!root_seen) {
            if (closing) return fail(ErrorCode::parse, "sitemap: a closing tag before the root element");
            if (name == "sitemapindex") {
                map.is_index = true;
            } else if (name != "urlset") {
                return fail(
                    ErrorCode::parse,
                    fmt::format("not a sitemap: the root element is <{}>, not <urlset> or <sitemapindex>", name));
            }
            root_seen = true;
            continue;
        }
        const std::string_view entry_name = map.is_index ? "sitemap" : "url";
        if (name == entry_name) {
            if (!closing && !empty_element) {
                current = {};
                in_entry = true;
            } else if (closing && in_entry) {
                if (!current.loc.empty()) map.entries.push_back(std::move(current));
                in_entry = false;
            }
            continue;
        }
        if (in_entry && !closing && !empty_element && (name == "loc" || name == "lastmod")) {
            // The text runs to the matching close tag; CDATA may hold '<'.
            std::size_t end = i;
            while (true) {
                end = xml.find('<', end);
                if (end == std::string_view::npos) return fail(ErrorCode::parse, "sitemap: unterminated <loc>");
                if (xml.substr(end, 9) == "<![CDATA[") {
                    auto cdata_end = xml.find("]]>", end);
                    if (cdata_end == std::string_view::npos)
                        return fail(ErrorCode::parse, "sitemap: unterminated CDATA");
                    end = cdata_end + 3;
                    continue;
                }
                break;
            }
            std::string text = decode_text(xml.substr(i, end - i));
            (name == "loc" ? current.loc : current.lastmod) = std::move(text);
            i = end;
        }
    }
    if (!root_seen) return fail(ErrorCode::parse, "not a sitemap: no root element");
    return map;
}

std::optional<std::string> entry_url(const SitemapEntry& entry, std::string_view sitemap_url) {
    std::string loc = entry.loc;
    if (!is_http_url(loc) && is_http_url(sitemap_url)) {
        if (auto abs = resolve_url(sitemap_url, loc)) loc = std::move(*abs);
    }
    if (!is_absolute_http_url(loc)) return std::nullopt;
    return loc;
}

bool is_iso_date(std::string_view s) noexcept {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (s[i] < '0' || s[i] > '9') return false;
    }
    const int month = (s[5] - '0') * 10 + (s[6] - '0');
    const int day = (s[8] - '0') * 10 + (s[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool modified_since(const SitemapEntry& entry, std::string_view since) noexcept {
    if (entry.lastmod.size() < 10) return true;
    // W3C datetimes start with the calendar date, so the date part compares as text.
    return std::string_view(entry.lastmod).substr(0, 10) >= since.substr(0, 10);
}

}  // namespace provcheck
