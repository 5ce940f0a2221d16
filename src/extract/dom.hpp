// The Gumbo tree read the same way everywhere a page is parsed: extract reads articles through these helpers and
// capture reads redirect pages through them, so an attribute, a tag or a text node means one thing in both.
// The walk needs no recursion: a hostile page may nest elements deeper than the stack allows.
#pragma once

#include <gumbo.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provcheck::dom {

struct GumboOutputDeleter {
    void operator()(GumboOutput* out) const noexcept { gumbo_destroy_output(&kGumboDefaultOptions, out); }
};
using GumboOutputPtr = std::unique_ptr<GumboOutput, GumboOutputDeleter>;

// The parser's tree of `html`, owned; null when the parser gives none.
[[nodiscard]] GumboOutputPtr parse_html(std::string_view html);

// ---------------------------------------------------------------------------------------------
// Node helpers

[[nodiscard]] inline bool is_element(const GumboNode* n) noexcept {
    return n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE;
}

[[nodiscard]] inline bool is_text(const GumboNode* n) noexcept {
    return n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA;
}

[[nodiscard]] inline const GumboVector& children_of(const GumboNode* n) noexcept {
    return n->type == GUMBO_NODE_DOCUMENT ? n->v.document.children : n->v.element.children;
}

[[nodiscard]] inline const GumboNode* child(const GumboVector& v, unsigned i) noexcept {
    return static_cast<const GumboNode*>(v.data[i]);
}

[[nodiscard]] std::string tag_name(const GumboNode* n);

[[nodiscard]] inline bool has_tag(const GumboNode* n, GumboTag tag) noexcept {
    return is_element(n) && n->v.element.tag == tag;
}

// `name` equals the C string `c`, ignoring ASCII case; reads no further into `c` than needed.
[[nodiscard]] bool name_is(const char* c, std::string_view name) noexcept;

[[nodiscard]] std::optional<std::string_view> attr(const GumboNode* n, std::string_view name);

[[nodiscard]] bool has_class(const GumboNode* n, std::string_view cls);

[[nodiscard]] inline std::size_t element_offset(const GumboNode* n) noexcept {
    return is_element(n) ? n->v.element.start_pos.offset : (is_text(n) ? n->v.text.start_pos.offset : 0);
}

// Pre-order visit of a subtree with an explicit stack; `visit` returns false to skip a node's children.
template <class Visit>
void preorder(const GumboNode* root, Visit&& visit) {
    std::vector<const GumboNode*> stack{root};
    while (!stack.empty()) {
        const GumboNode* n = stack.back();
        stack.pop_back();
        if (!visit(n)) continue;
        if (n->type != GUMBO_NODE_DOCUMENT && !is_element(n)) continue;
        const GumboVector& kids = children_of(n);
        for (unsigned i = kids.length; i > 0; --i)
            stack.push_back(child(kids, i - 1));
    }
}

[[nodiscard]] inline bool never_text(const GumboNode* n) {
    return has_tag(n, GUMBO_TAG_SCRIPT) || has_tag(n, GUMBO_TAG_STYLE) || has_tag(n, GUMBO_TAG_TEMPLATE) ||
           n->type == GUMBO_NODE_TEMPLATE;
}

[[nodiscard]] std::string subtree_text(const GumboNode* root);

// subtree_text of a short element: none when its text passes max_bytes, or when it holds more than max_nodes nodes
// or an element with more children than that, read no further than needed to know (a hostile page may hold a
// megabyte of text, or thousands of children, where a label or a signature is expected).
[[nodiscard]] std::optional<std::string> short_text(const GumboNode* root, std::size_t max_bytes,
                                                    std::size_t max_nodes);

// Every text a reader can see under `root` (no <script>, <style> or <template>), whitespace collapsed, one
// paragraph per block-level element (p, div, li, headings, table cells, figcaption, …) separated by "\n\n".
[[nodiscard]] std::string visible_text(const GumboNode* root);

}  // namespace provcheck::dom
