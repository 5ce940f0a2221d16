// Matching the rules' selectors (drop, paywall, body) against parsed elements: the metadata reader, the density
// stage and the Walker all test them, at every element of a page. Internal to src/extract; the selectors are read
// in extract/site_rules.hpp.
#pragma once

#include <gumbo.h>

#include <vector>

#include "extract/site_rules.hpp"

namespace provcheck::extract_detail {

// A selector with its tag looked up once, so that matching an element compares tag numbers, not names.
struct TagSelector {
    const Selector* selector = nullptr;
    GumboTag tag = GUMBO_TAG_LAST;  // GUMBO_TAG_LAST: any tag; GUMBO_TAG_UNKNOWN: a name Gumbo has no number for
};

// Views `selectors`, which must outlive the result.
[[nodiscard]] std::vector<TagSelector> with_tags(const std::vector<Selector>& selectors);

// `n` is an element.
[[nodiscard]] bool matches(const GumboNode* n, const TagSelector& s);
[[nodiscard]] bool matches_any(const GumboNode* n, const std::vector<TagSelector>& selectors);

}  // namespace provcheck::extract_detail
