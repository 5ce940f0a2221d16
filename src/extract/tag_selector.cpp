#include "extract/tag_selector.hpp"

#include <algorithm>
#include <string_view>

#include "core/text.hpp"
#include "extract/dom.hpp"

namespace provcheck::extract_detail {

using namespace dom;

std::vector<TagSelector> with_tags(const std::vector<Selector>& selectors) {
    std::vector<TagSelector> out;
    out.reserve(selectors.size());
    for (const auto& s : selectors)
        out.push_back({&s, s.tag.empty() ? GUMBO_TAG_LAST : gumbo_tag_enum(s.tag.c_str())});
    return out;
}

bool matches(const GumboNode* n, const TagSelector& s) {
    if (s.tag != GUMBO_TAG_LAST) {
        if (s.tag != GUMBO_TAG_UNKNOWN) {
            if (n->v.element.tag != s.tag) return false;
        } else if (n->v.element.tag != GUMBO_TAG_UNKNOWN || !iequals(tag_name(n), s.selector->tag)) {
            return false;
        }
    }
    const Selector& sel = *s.selector;
    if (n->v.element.attributes.length == 0) return sel.id.empty() && sel.classes.empty() && sel.attr.empty();
    return selector_matches_attributes(sel, [n](std::string_view name) { return attr(n, name); });
}

bool matches_any(const GumboNode* n, const std::vector<TagSelector>& selectors) {
    return std::any_of(selectors.begin(), selectors.end(), [n](const TagSelector& s) { return matches(n, s); });
}

}  // namespace provcheck::extract_detail
