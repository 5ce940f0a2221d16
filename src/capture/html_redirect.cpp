#include "capture/html_redirect.hpp"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <initializer_list>
#include <memory>
#include <vector>

#include "core/text.hpp"
#include "extract/dom.hpp"
#include "extract/utf8.hpp"

namespace provcheck {

namespace {

bool has_token(std::string_view list, std::string_view token) {
    for (auto part : split(list, ' ')) {
        if (iequals(trim(part), token)) return true;
    }
    return false;
}

std::size_t count_words(std::string_view text) {
    std::size_t n = 0;
    bool in_word = false;
    for (char c : text) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
        if (!space && !in_word) ++n;
        in_word = !space;
    }
    return n;
}

// What one pass over the tree collects.
struct PageFacts {
    std::vector<std::string> refresh_contents;
    std::vector<std::string> scripts;
    struct Anchor {
        std::string href;
        std::string id;
    };
    std::vector<Anchor> anchors;
    std::size_t visible_words = 0;
    std::optional<std::string> canonical;
    std::optional<std::string> og_url;
};

// Iterative, in document order: a hostile page may nest elements deeper than the stack allows.
void collect(const GumboNode* root, PageFacts& facts) {
    std::vector<std::pair<const GumboNode*, bool>> stack{{root, false}};
    while (!stack.empty()) {
        auto [node, hidden] = stack.back();
        stack.pop_back();
        if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
            if (!hidden) facts.visible_words += count_words(node->v.text.text);
            continue;
        }
        if (!dom::is_element(node)) continue;
        const GumboElement& e = node->v.element;
        auto attr = [node](std::string_view name) { return dom::attr(node, name).value_or(std::string_view{}); };
        switch (e.tag) {
            case GUMBO_TAG_META:
                if (iequals(attr("http-equiv"), "refresh")) facts.refresh_contents.emplace_back(attr("content"));
                if (iequals(attr("property"), "og:url") && !facts.og_url) {
                    facts.og_url = std::string(attr("content"));
                }
                break;
            case GUMBO_TAG_LINK:
                if (has_token(attr("rel"), "canonical") && !facts.canonical) {
                    facts.canonical = std::string(attr("href"));
                }
                break;
            case GUMBO_TAG_A:
                if (!attr("href").empty()) {
                    facts.anchors.push_back({std::string(attr("href")), std::string(attr("id"))});
                }
                break;
            case GUMBO_TAG_SCRIPT: {
                std::string text;
                for (unsigned i = 0; i < e.children.length; ++i) {
                    const auto* child = static_cast<const GumboNode*>(e.children.data[i]);
                    if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA) text += child->v.text.text;
                }
                facts.scripts.push_back(std::move(text));
                continue;
            }
            default:
                break;
        }
        const bool hide = hidden || e.tag == GUMBO_TAG_STYLE || e.tag == GUMBO_TAG_NOSCRIPT ||
                          e.tag == GUMBO_TAG_TITLE || e.tag == GUMBO_TAG_TEMPLATE;
        for (unsigned i = e.children.length; i > 0; --i) {
            stack.emplace_back(static_cast<const GumboNode*>(e.children.data[i - 1]), hide);
        }
    }
}

bool ident_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}

void skip_space(std::string_view s, std::size_t& i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        ++i;
}

bool eat(std::string_view s, std::size_t& i, std::string_view word) {
    if (s.substr(i, word.size()) != word) return false;
    i += word.size();
    return true;
}

// A JS string literal at s[i] (after blanks); its unescaped content.
std::optional<std::string> string_literal(std::string_view s, std::size_t i) {
    skip_space(s, i);
    if (i >= s.size() || (s[i] != '"' && s[i] != '\'' && s[i] != '`')) return std::nullopt;
    const char quote = s[i++];
    const std::size_t begin = i;
    while (i < s.size() && s[i] != quote) {
        if (s[i] == '\n') return std::nullopt;
        i += s[i] == '\\' ? 2 : 1;
    }
    if (i >= s.size()) return std::nullopt;
    return unescape_js_string(s.substr(begin, i - begin));
}

// location.replace("…"), location.assign("…"), location.href = "…", [window.|document.]location = "…".
std::optional<std::string> script_location(std::string_view js) {
    for (std::size_t at = js.find("location"); at != std::string_view::npos; at = js.find("location", at + 1)) {
        if (at > 0 && ident_char(js[at - 1])) continue;
        std::size_t i = at + 8;
        if (i < js.size() && ident_char(js[i])) continue;
        skip_space(js, i);
        if (eat(js, i, ".replace") || eat(js, i, ".assign")) {
            skip_space(js, i);
            if (!eat(js, i, "(")) continue;
            if (auto s = string_literal(js, i)) return s;
            continue;
        }
        if (eat(js, i, ".href")) skip_space(js, i);
        if (i < js.size() && js[i] == '=' && (i + 1 >= js.size() || js[i + 1] != '=')) {
            if (auto s = string_literal(js, i + 1)) return s;
        }
    }
    return std::nullopt;
}

// An escape's value as a code point: one too large even for char32_t is past U+10FFFF all the same.
char32_t code_point(unsigned long value) noexcept {
    return value > 0x10FFFF ? U'\uFFFD' : static_cast<char32_t>(value);
}

std::optional<unsigned long> hex_value(std::string_view s) {
    unsigned long v = 0;
    if (s.empty()) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

}  // namespace

std::optional<std::string> parse_refresh(std::string_view value) {
    std::string_view v = trim(value);
    std::size_t i = 0;
    while (i < v.size() && ((v[i] >= '0' && v[i] <= '9') || v[i] == '.'))
        ++i;
    const std::string_view delay_text = v.substr(0, i);
    int delay = 0;
    if (!delay_text.empty()) {
        std::from_chars(delay_text.data(), delay_text.data() + delay_text.size(), delay);
    }
    if (delay > max_refresh_delay_s) return std::nullopt;
    v = trim(v.substr(i));
    if (v.empty() || (v.front() != ';' && v.front() != ',')) return std::nullopt;
    v = trim(v.substr(1));
    if (istarts_with(v, "url")) {
        std::string_view after = trim(v.substr(3));
        if (!after.empty() && after.front() == '=') v = trim(after.substr(1));
    }
    if (v.size() >= 2 && (v.front() == '\'' || v.front() == '"')) {
        auto close = v.find(v.front(), 1);
        v = v.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
    }
    v = trim(v);
    if (v.empty()) return std::nullopt;
    return std::string(v);
}

std::string unescape_js_string(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 >= s.size()) {
            out.push_back(s[i]);
            continue;
        }
        const char c = s[++i];
        switch (c) {
            case 'n':
                out.push_back('\n');
                break;
            case 't':
                out.push_back('\t');
                break;
            case 'r':
                out.push_back('\r');
                break;
            case 'b':
                out.push_back('\b');
                break;
            case 'f':
                out.push_back('\f');
                break;
            case 'v':
                out.push_back('\v');
                break;
            case '0':
                out.push_back('\0');
                break;
            case 'x':
                if (auto v = hex_value(s.substr(i + 1, 2)); v && i + 2 < s.size()) {
                    utf8::append(out, code_point(*v));
                    i += 2;
                } else {
                    out.push_back('x');
                }
                break;
            case 'u':
                if (i + 1 < s.size() && s[i + 1] == '{') {
                    auto close = s.find('}', i + 2);
                    auto v = close == std::string_view::npos ? std::nullopt : hex_value(s.substr(i + 2, close - i - 2));
                    if (v) {
                        utf8::append(out, code_point(*v));
                        i = close;
                        break;
                    }
                } else if (auto v = hex_value(s.substr(i + 1, 4)); v && i + 4 < s.size()) {
                    unsigned long cp = *v;
                    i += 4;
                    // A surrogate pair written as two escapes is one code point.
                    if (cp >= 0xD800 && cp <= 0xDBFF && s.substr(i + 1, 2) == "\\u") {
                        if (auto lo = hex_value(s.substr(i + 3, 4)); lo && *lo >= 0xDC00 && *lo <= 0xDFFF) {
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (*lo - 0xDC00);
                            i += 6;
                        }
                    }
                    utf8::append(out, code_point(cp));
                    break;
                }
                out.push_back('u');
                break;
            default:
                out.push_back(c);
                break;  // \/ \" \' \\ and any other escaped character
        }
    }
    return out;
}

bool is_html(std::string_view content_type, std::string_view body) noexcept {
    const std::string_view ct = trim(content_type);
    if (!ct.empty()) {
        const auto semi = ct.find(';');
        const std::string_view media = trim(ct.substr(0, semi));
        return iequals(media, "text/html") || iequals(media, "application/xhtml+xml");
    }
    const std::string_view b = trim(body);
    return !b.empty() && b.front() == '<';
}

// Where `word` (lower-case ASCII, non-empty) first occurs in `text`, ignoring ASCII case; npos when nowhere.
// Boyer-Moore-Horspool over case-folded bytes: a page without the word is crossed in strides of its length.
std::size_t ifind(std::string_view text, std::string_view word) noexcept {
    const std::size_t m = word.size();
    if (m == 0 || text.size() < m) return m == 0 ? 0 : std::string_view::npos;
    std::array<std::size_t, 256> skip{};
    skip.fill(m);
    for (std::size_t i = 0; i + 1 < m; ++i) {
        const auto c = static_cast<unsigned char>(word[i]);
        skip[c] = m - 1 - i;
        skip[static_cast<unsigned char>(std::toupper(c))] = m - 1 - i;
    }
    const auto last = static_cast<unsigned char>(word[m - 1]);
    for (std::size_t pos = 0; pos + m <= text.size();) {
        const auto c = static_cast<unsigned char>(text[pos + m - 1]);
        if (std::tolower(c) == last && iequals(text.substr(pos, m), word)) return pos;
        pos += skip[c];
    }
    return std::string_view::npos;
}

// Whether `html` can hold any of `words` (ASCII, matched ignoring case) in markup. An attribute value may spell
// them with character references, so a page with any '&' is always worth parsing. Most pages hold none of the
// words: a byte scan then spares a Gumbo parse per captured page.
bool may_hold(std::string_view html, std::initializer_list<std::string_view> words) noexcept {
    if (html.find('&') != std::string_view::npos) return true;
    return std::any_of(words.begin(), words.end(),
                       [&](std::string_view w) { return ifind(html, w) != std::string_view::npos; });
}

std::optional<ClientRedirect> find_client_redirect(std::string_view html) {
    if (html.size() >= max_redirect_page_bytes) return std::nullopt;
    if (!may_hold(html, {"refresh", "<script"})) return std::nullopt;
    const dom::GumboOutputPtr doc = dom::parse_html(html);
    if (!doc) return std::nullopt;
    PageFacts facts;
    collect(doc->root, facts);
    if (facts.visible_words > max_redirect_page_words) return std::nullopt;
    for (const auto& content : facts.refresh_contents) {
        if (auto target = parse_refresh(content)) return ClientRedirect{*target, HopVia::meta_refresh};
    }
    for (const auto& js : facts.scripts) {
        if (auto target = script_location(js)) return ClientRedirect{*target, HopVia::js_location};
    }
    // t.co's other page: a lone link that a script clicks.
    for (const auto& js : facts.scripts) {
        if (js.find(".click()") == std::string::npos) continue;
        for (const auto& a : facts.anchors) {
            if (!a.id.empty() && js.find(a.id) != std::string::npos) return ClientRedirect{a.href, HopVia::js_location};
        }
        if (facts.anchors.size() == 1) return ClientRedirect{facts.anchors.front().href, HopVia::js_location};
    }
    return std::nullopt;
}

std::optional<std::string> find_canonical(std::string_view html) {
    // Both belong in the head, where search engines read them; the body of a long page is not parsed for them.
    if (auto head_end = ifind(html, "</head"); head_end != std::string_view::npos) html = html.substr(0, head_end);
    if (!may_hold(html, {"canonical", "og:url"})) return std::nullopt;
    const dom::GumboOutputPtr doc = dom::parse_html(html);
    if (!doc) return std::nullopt;
    PageFacts facts;
    collect(doc->root, facts);
    if (facts.canonical && !trim(*facts.canonical).empty()) return std::string(trim(*facts.canonical));
    if (facts.og_url && !trim(*facts.og_url).empty()) return std::string(trim(*facts.og_url));
    return std::nullopt;
}

}  // namespace provcheck
