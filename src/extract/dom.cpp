#include "extract/dom.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "extract/site_rules.hpp"

namespace provcheck::dom {

GumboOutputPtr parse_html(std::string_view html) {
    return GumboOutputPtr(gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size()));
}

std::string tag_name(const GumboNode* n) {
    if (!is_element(n)) return {};
    if (n->v.element.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(n->v.element.tag);
    GumboStringPiece piece = n->v.element.original_tag;
    gumbo_tag_from_original_text(&piece);
    return to_lower_ascii(std::string_view(piece.data, piece.length));
}

bool name_is(const char* c, std::string_view name) noexcept {
    auto lower = [](char x) { return (x >= 'A' && x <= 'Z') ? static_cast<char>(x - 'A' + 'a') : x; };
    std::size_t i = 0;
    for (; i < name.size(); ++i) {
        if (c[i] == '\0' || lower(c[i]) != lower(name[i])) return false;
    }
    return c[i] == '\0';
}

std::optional<std::string_view> attr(const GumboNode* n, std::string_view name) {
    if (!is_element(n)) return std::nullopt;
    const GumboVector& attrs = n->v.element.attributes;
    for (unsigned i = 0; i < attrs.length; ++i) {
        const auto* a = static_cast<const GumboAttribute*>(attrs.data[i]);
        if (name_is(a->name, name)) return std::string_view(a->value);
    }
    return std::nullopt;
}

bool has_class(const GumboNode* n, std::string_view cls) {
    const auto c = attr(n, "class");
    return c && has_token(*c, cls, true);
}

std::string subtree_text(const GumboNode* root) {
    std::string out;
    preorder(root, [&](const GumboNode* n) {
        if (is_text(n)) out += n->v.text.text;
        if (has_tag(n, GUMBO_TAG_BR)) out += ' ';
        return n == root || !never_text(n);  // a <script>'s own text is read only when asked for
    });
    return out;
}

std::optional<std::string> short_text(const GumboNode* root, std::size_t max_bytes, std::size_t max_nodes) {
    std::string out;
    std::vector<const GumboNode*> stack{root};
    std::size_t seen = 0;
    while (!stack.empty()) {
        if (++seen > max_nodes) return std::nullopt;
        const GumboNode* n = stack.back();
        stack.pop_back();
        if (is_text(n)) {
            const std::string_view text(n->v.text.text);
            if (text.size() > max_bytes - std::min(max_bytes, out.size())) return std::nullopt;
            out += text;
            continue;
        }
        if (has_tag(n, GUMBO_TAG_BR)) out += ' ';
        if (!is_element(n) || (n != root && never_text(n))) continue;
        const GumboVector& kids = children_of(n);
        if (kids.length > max_nodes) return std::nullopt;
        for (unsigned i = kids.length; i > 0; --i)
            stack.push_back(child(kids, i - 1));
    }
    return out;
}

namespace {

bool block_level(const GumboNode* n) {
    if (!is_element(n)) return false;
    switch (n->v.element.tag) {
        case GUMBO_TAG_P:
        case GUMBO_TAG_DIV:
        case GUMBO_TAG_LI:
        case GUMBO_TAG_H1:
        case GUMBO_TAG_H2:
        case GUMBO_TAG_H3:
        case GUMBO_TAG_H4:
        case GUMBO_TAG_H5:
        case GUMBO_TAG_H6:
        case GUMBO_TAG_TD:
        case GUMBO_TAG_TH:
        case GUMBO_TAG_TR:
        case GUMBO_TAG_DT:
        case GUMBO_TAG_DD:
        case GUMBO_TAG_BLOCKQUOTE:
        case GUMBO_TAG_FIGCAPTION:
        case GUMBO_TAG_CAPTION:
        case GUMBO_TAG_SECTION:
        case GUMBO_TAG_ARTICLE:
        case GUMBO_TAG_ASIDE:
        case GUMBO_TAG_HEADER:
        case GUMBO_TAG_FOOTER:
        case GUMBO_TAG_NAV:
        case GUMBO_TAG_PRE:
        case GUMBO_TAG_TABLE:
        case GUMBO_TAG_UL:
        case GUMBO_TAG_OL:
        case GUMBO_TAG_MAIN:
        case GUMBO_TAG_FORM:
        case GUMBO_TAG_HR:
            return true;
        default:
            return false;
    }
}

}  // namespace

std::string visible_text(const GumboNode* root) {
    std::string raw;
    preorder(root, [&](const GumboNode* n) {
        if (n != root && never_text(n)) return false;
        if (block_level(n)) raw += "\n\n";
        if (is_text(n)) raw += n->v.text.text;
        if (has_tag(n, GUMBO_TAG_BR)) raw += ' ';
        return true;
    });
    std::string out;
    std::size_t at = 0;
    while (at <= raw.size()) {
        std::size_t end = raw.find("\n\n", at);
        if (end == std::string::npos) end = raw.size();
        std::string paragraph = collapse_whitespace(std::string_view(raw).substr(at, end - at));
        if (!paragraph.empty()) {
            if (!out.empty()) out += "\n\n";
            out += paragraph;
        }
        at = end + 2;
    }
    return out;
}

}  // namespace provcheck::dom
