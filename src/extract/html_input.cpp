#include "extract/html_input.hpp"

#include <algorithm>
#include <array>
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

}  // namespace

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
