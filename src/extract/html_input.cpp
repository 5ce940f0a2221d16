#include "extract/html_input.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "core/text.hpp"

namespace provcheck {

namespace {

constexpr char lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool tag_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == ':';
}

bool in_list(std::string_view name, std::span<const std::string_view> list) noexcept {
    return std::find(list.begin(), list.end(), name) != list.end();
}

constexpr std::array<std::string_view, 14> kVoid = {"area",  "base", "br",   "col",   "embed",  "hr",    "img",
                                                    "input", "link", "meta", "param", "source", "track", "wbr"};
constexpr std::array<std::string_view, 9> kRawText = {"script", "style",   "textarea", "title",    "xmp",
                                                      "iframe", "noembed", "noframes", "plaintext"};
// End tags the parser infers; counting them would make depth drift on ordinary pages.
constexpr std::array<std::string_view, 14> kImpliedEnd = {"p",  "li", "dt", "dd", "option", "optgroup", "tr",
                                                          "td", "th", "rb", "rt", "rp",     "tbody",    "thead"};

// Index of the '>' ending a tag whose name ends before `from`, honouring quoted attribute values; npos if none.
std::size_t tag_end(const std::string& html, std::size_t from) noexcept {
    char quote = 0;
    for (std::size_t i = from; i < html.size(); ++i) {
        const char c = html[i];
        if (quote != 0) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            return i;
        }
    }
    return std::string::npos;
}

std::size_t find_ci(const std::string& hay, std::string_view needle, std::size_t from) {
    const auto it = std::search(hay.begin() + static_cast<std::ptrdiff_t>(std::min(from, hay.size())), hay.end(),
                                needle.begin(), needle.end(), [](char a, char b) { return lower(a) == lower(b); });
    return it == hay.end() ? std::string::npos : static_cast<std::size_t>(it - hay.begin());
}

bool contains_ci(std::string_view hay, std::string_view needle) noexcept {
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                       [](char a, char b) { return lower(a) == lower(b); }) != hay.end();
}

}  // namespace

std::size_t OffsetMap::original(std::size_t kept) const noexcept {
    // The last run starting at or before `kept`.
    auto it = std::upper_bound(runs_.begin(), runs_.end(), kept,
                               [](std::size_t k, const std::pair<std::size_t, std::size_t>& r) { return k < r.first; });
    if (it == runs_.begin()) return kept;
    --it;
    return it->second + (kept - it->first);
}

OffsetMap strip_unread(std::string& html) {
    OffsetMap map;
    std::vector<std::pair<std::size_t, std::size_t>> cuts;  // [from, to) of the original
    std::size_t i = 0;
    while (i < html.size()) {
        const std::size_t lt = html.find('<', i);
        if (lt == std::string::npos || lt + 1 >= html.size()) break;
        if (html.compare(lt, 4, "<!--") == 0) {
            const std::size_t end = html.find("-->", lt + 4);
            i = end == std::string::npos ? html.size() : end + 3;
            continue;
        }
        if (html[lt + 1] == '!' || html[lt + 1] == '?' || html[lt + 1] == '/') {
            const std::size_t end = html.find('>', lt);
            i = end == std::string::npos ? html.size() : end + 1;
            continue;
        }
        std::size_t p = lt + 1;
        while (p < html.size() && tag_char(html[p]))
            ++p;
        if (p == lt + 1) {
            i = lt + 1;
            continue;
        }
        const std::size_t gt = tag_end(html, p);
        if (gt == std::string::npos) break;
        i = gt + 1;
        const std::string name = to_lower_ascii(std::string_view(html).substr(lt + 1, p - lt - 1));
        if (!in_list(name, kRawText) && name != "style") continue;
        const std::size_t end_tag = find_ci(html, "</" + name, gt + 1);
        const std::size_t content_end = end_tag == std::string::npos ? html.size() : end_tag;
        i = content_end;
        const bool json_ld = name == "script" && contains_ci(std::string_view(html).substr(p, gt - p), "ld+json");
        if ((name == "script" && !json_ld) || name == "style") {
            if (content_end > gt + 1) cuts.emplace_back(gt + 1, content_end);
        }
    }
    // Compact in place, remembering where each kept run came from.
    std::size_t write = 0;
    std::size_t read = 0;
    for (const auto& [from, to] : cuts) {
        map.add(write, read);
        std::copy(html.begin() + static_cast<std::ptrdiff_t>(read), html.begin() + static_cast<std::ptrdiff_t>(from),
                  html.begin() + static_cast<std::ptrdiff_t>(write));
        write += from - read;
        read = to;
    }
    map.add(write, read);
    std::copy(html.begin() + static_cast<std::ptrdiff_t>(read), html.end(),
              html.begin() + static_cast<std::ptrdiff_t>(write));
    write += html.size() - read;
    html.resize(write);
    return map;
}

bool looks_binary(std::string_view bytes) noexcept {
    const std::size_t n = std::min<std::size_t>(bytes.size(), 64 * 1024);
    std::size_t nul = 0;
    std::size_t ctrl = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c == 0) {
            ++nul;
        } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f) {
            ++ctrl;
        }
    }
    return nul * 100 > n || ctrl * 20 > n;
}

bool clean_utf8(std::string_view bytes) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();
    constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    std::size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            std::uint64_t w = 0;
            std::memcpy(&w, p + i, 8);
            // Eight ASCII bytes, none of them zero.
            if ((w & kHigh) == 0 && ((w - kOnes) & ~w & kHigh) == 0) {
                i += 8;
                continue;
            }
        }
        const unsigned char c = p[i];
        if (c < 0x80) {
            if (c == 0) return false;
            ++i;
            continue;
        }
        std::size_t len = 0;
        std::uint32_t cp = 0;
        std::uint32_t min = 0;
        if ((c & 0xe0) == 0xc0) {
            len = 2;
            cp = c & 0x1fU;
            min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3;
            cp = c & 0x0fU;
            min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4;
            cp = c & 0x07U;
            min = 0x10000;
        } else {
            return false;
        }
        if (i + len > n) return false;
        for (std::size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (p[i + k] & 0x3fU);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
        i += len;
    }
    return true;
}

std::size_t flatten_deep_nesting(std::string& html, std::size_t max_depth) {
    struct Open {
        std::string name;
        bool blanked;
    };
    std::vector<Open> stack;
    std::size_t kept = 0;
    std::size_t blanked = 0;
    std::size_t i = 0;
    auto blank = [&](std::size_t from, std::size_t to) {
        std::fill(html.begin() + static_cast<std::ptrdiff_t>(from), html.begin() + static_cast<std::ptrdiff_t>(to + 1),
                  ' ');
        ++blanked;
    };
    while (i < html.size()) {
        const std::size_t lt = html.find('<', i);
        if (lt == std::string::npos || lt + 1 >= html.size()) break;
        if (html.compare(lt, 4, "<!--") == 0) {
            const std::size_t end = html.find("-->", lt + 4);
            i = end == std::string::npos ? html.size() : end + 3;
            continue;
        }
        if (html[lt + 1] == '!' || html[lt + 1] == '?') {
            const std::size_t end = html.find('>', lt);
            i = end == std::string::npos ? html.size() : end + 1;
            continue;
        }
        const bool closing = html[lt + 1] == '/';
        std::size_t p = lt + 1 + (closing ? 1 : 0);
        const std::size_t name_start = p;
        while (p < html.size() && tag_char(html[p]))
            ++p;
        if (p == name_start) {
            i = lt + 1;
            continue;
        }
        const std::string name = to_lower_ascii(std::string_view(html).substr(name_start, p - name_start));
        const std::size_t gt = tag_end(html, p);
        if (gt == std::string::npos) break;
        i = gt + 1;
        if (!closing) {
            const bool self_closing = html[gt - 1] == '/';
            if (in_list(name, kVoid) || self_closing || in_list(name, kImpliedEnd)) continue;
            if (in_list(name, kRawText)) {
                const std::size_t end = find_ci(html, "</" + name, gt + 1);
                i = end == std::string::npos ? html.size() : end;
                continue;
            }
            const bool too_deep = kept >= max_depth;
            stack.push_back({name, too_deep});
            if (too_deep) {
                blank(lt, gt);
            } else {
                ++kept;
            }
            continue;
        }
        // An end tag closes the nearest open element of its name; one that matches nothing near the top of the
        // stack is a stray the parser ignores as well.
        const std::size_t look = std::min<std::size_t>(stack.size(), 64);
        for (std::size_t k = 0; k < look; ++k) {
            const std::size_t idx = stack.size() - 1 - k;
            if (stack[idx].name != name) continue;
            const bool was_blanked = stack[idx].blanked;
            while (stack.size() > idx) {
                if (!stack.back().blanked) --kept;
                stack.pop_back();
            }
            if (was_blanked) blank(lt, gt);
            break;
        }
    }
    return blanked;
}

}  // namespace provcheck
