// Per-site extraction rules (rules/sites/*.toml) and the simple selectors they use.
//
// Every site file has a top-level `id` and optional `hosts`, `body_selectors`, `drop_selectors` and
// `paywall_selectors` (an element matching one marks the page's text as partial); rules/sites/default.toml
// (id "site.default") applies to every page and also holds `boilerplate_words` (the class/id words that mark an
// element as boilerplate), `rescue_boilerplate_words` (those still applied when the page is read again without
// them) and a [partial] table: `truncation_markers` (phrases of a paywall or "continue
// reading" box, compared ignoring ASCII case) and `short_body_words` (an article whose main text has fewer words
// is partial), and a [main_text] table naming the blocks of the story's container that are not the story
// (extract/prune.hpp). Selectors are simple: `tag`, `.class`, `#id`,
// `tag.class`, `[attr]`, `[attr=value]`, combined without spaces (`div.entry-content[itemprop=articleBody]`).
// Tag names, attribute names and class/id words compare ignoring ASCII case; attribute values exactly.
// A site file may also hold an [oembed] table (`match`: hosts of embedded posts; `endpoint`: an http(s) URL
// holding {url}), read by the pipeline for embedded posts. load_site_rules reads every file strictly
// (rules/rule_reader.hpp): an unknown key, a value of the wrong type or a selector it cannot read is an Error
// naming the file, the line and the key.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"
#include "extract/prune.hpp"
#include "rules/rules.hpp"

namespace provcheck {

struct Selector {
    std::string tag;  // lower case; empty = any
    std::string id;
    std::vector<std::string> classes;
    std::string attr;  // lower case; empty = no attribute test
    std::optional<std::string> attr_value;
};

struct SiteRule {
    std::string id;                  // "site.palestinechronicle"
    std::vector<std::string> hosts;  // lower case; a page matches when its host is one of these or under one
    std::vector<Selector> body_selectors;
    std::vector<Selector> drop_selectors;
    std::vector<Selector> paywall_selectors;
};

struct SiteRules {
    SiteRule defaults;                                  // rules/sites/default.toml
    std::vector<std::string> boilerplate_words;         // lower case
    std::vector<std::string> rescue_boilerplate_words;  // lower case: still boilerplate when the page is read again
    std::vector<std::string> layout_modifiers;          // lower case: BEM modifiers that say where, not what
    std::vector<std::string> body_classes;              // lower case: a class that names the article's body
    std::vector<std::string> callout_labels;            // lower case: a blockquote headed so is a box, no quotation
    std::vector<std::string> truncation_markers;        // lower case
    std::size_t short_body_words = 0;                   // 0: no length test
    PruneRules prune;                                   // [main_text]: furniture blocks (extract/prune.hpp)
    std::vector<SiteRule> sites;                        // every other file under sites/ that names hosts

    // The site rule for a page URL, or nullptr.
    [[nodiscard]] const SiteRule* for_url(std::string_view url) const;
};

[[nodiscard]] Result<Selector> parse_selector(std::string_view text);
[[nodiscard]] Result<SiteRules> load_site_rules(const RuleSet& rules);

// True when the white-space separated list `list` (a class attribute) holds `word`; with `ignore_case`, ASCII case
// is ignored. Allocates nothing: it runs for every element against every selector.
[[nodiscard]] inline bool has_token(std::string_view list, std::string_view word, bool ignore_case = false) noexcept {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; };
    std::size_t i = 0;
    while (i < list.size()) {
        while (i < list.size() && space(list[i]))
            ++i;
        std::size_t j = i;
        while (j < list.size() && !space(list[j]))
            ++j;
        const std::string_view part = list.substr(i, j - i);
        if (!part.empty() && (ignore_case ? iequals(part, word) : part == word)) return true;
        i = j;
    }
    return false;
}

// True when `attr(name)` (returning the attribute value or nullopt) and `tag` satisfy the selector.
// The selector's id, class and attribute tests alone (for callers that test the tag their own way).
template <class AttrFn>
[[nodiscard]] bool selector_matches_attributes(const Selector& s, AttrFn&& attr) {
    if (!s.id.empty()) {
        const std::optional<std::string_view> id = attr("id");
        if (!id || *id != s.id) return false;
    }
    if (!s.classes.empty()) {
        const std::optional<std::string_view> cls = attr("class");
        if (!cls) return false;
        for (const auto& want : s.classes) {
            if (!has_token(*cls, want)) return false;
        }
    }
    if (!s.attr.empty()) {
        const std::optional<std::string_view> v = attr(s.attr);
        if (!v) return false;
        if (s.attr_value && *v != *s.attr_value) return false;
    }
    return true;
}

template <class AttrFn>
[[nodiscard]] bool selector_matches(const Selector& s, std::string_view tag, AttrFn&& attr) {
    if (!s.tag.empty() && !iequals(s.tag, tag)) return false;
    return selector_matches_attributes(s, attr);
}

// True when a class or id attribute value holds one of `words`: the value is split at spaces, '-' and '_', and
// a part equal to a word (or to the word plus "s") marks it. A word written with a trailing '-' ("ad-") matches
// only a part equal to the word without it, so "ad-slot" and "top-ad" match and "address" does not. A word of
// several parts ("author-box") matches those parts in a row within one class name ("elementor-author-box__bio").
// A modifier (after "--") equal to one of `layout_modifiers` is not read: "row-content--sidebar" is content laid out
// beside a sidebar.
// True when one of the classes of a class attribute is one of `names` ("entry themeform share" holds "entry").
[[nodiscard]] bool has_class(std::string_view classes, const std::vector<std::string>& names);

[[nodiscard]] bool marks_boilerplate(std::string_view class_or_id, const std::vector<std::string>& words,
                                     const std::vector<std::string>& layout_modifiers = {});

}  // namespace provcheck
