// What a page says about itself, read in one pass over the whole tree before the main text is chosen: titles,
// bylines, dates and JSON-LD, and the partial-text signals (a paywall box, a truncation marker) that usually sit in
// boilerplate the main text leaves out. Internal to src/extract; extract_document chooses among the fields in the
// order extract/extract.hpp gives.
#pragma once

#include <gumbo.h>

#include <cstddef>
#include <string>
#include <vector>

#include "extract/site_rules.hpp"

namespace provcheck::extract_detail {

struct PageMeta {
    std::string title_tag, og_title, og_url, canonical, amp, lang, meta_author, article_author, published_meta,
        modified_meta, base_href;
    std::string dc_title, meta_title, twitter_title, parsely_title, dc_creator, parsely_author;
    std::string page_byline;  // the first short text the page marks as its author's (rel=author, class "byline")
    std::string ld_name, ld_headline, ld_published, ld_modified, ld_author, ld_article_body;
    std::string time_datetime;  // the first <time datetime> of the page
    std::string og_type;
    // Who publishes the page: og:site_name (or application-name), and the JSON-LD publisher of the article or the
    // first organisation the JSON-LD describes.
    std::string site_name, ld_publisher, ld_organization;
    std::vector<std::string> ld_locked_parts;  // cssSelector of each hasPart that is not free
    std::size_t ld_word_count = 0;
    std::size_t ld_body_offset = 0;  // start tag of the JSON-LD script holding articleBody
    bool ld_not_free = false;
    bool ld_seen = false;
    bool paywall_element = false;   // an element matching a paywall selector
    std::string truncation_marker;  // the first truncation marker found in a short text
};

// Metadata of the whole page, and the partial-text signals that live outside the main text (a paywall box is
// usually dropped as boilerplate before the main text is read).
[[nodiscard]] PageMeta read_metadata(const GumboNode* root, const SiteRules& site_rules, const SiteRule* site);

// A <title> without the site's name: "Story – Site" and "Site | Story" give "Story". The part is kept only when it
// reads as a title (more than four words, or the separators were a path, "A > B > Story").
[[nodiscard]] std::string cleaned_title(const std::string& title);

// JSON-LD gives a `name` and a `headline`: the name, unless only the headline is the page's title.
[[nodiscard]] std::string json_ld_title(const std::string& name, const std::string& headline,
                                        const std::string& page_title);

}  // namespace provcheck::extract_detail
