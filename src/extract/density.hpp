// Choosing which element holds the article, before any text is read: a site rule's body selector, else the
// <article> holding most of the prose, else the element whose paragraphs hold most text with little link text.
// It scores the whole body while the Walker reads only what was chosen, so the two live apart; the tuned shares
// and lengths that decide the choice are all here. Internal to src/extract; extract/extract.hpp documents each
// stage.
#pragma once

#include <gumbo.h>

#include <string>
#include <vector>

#include "extract/site_rules.hpp"
#include "extract/walker.hpp"

namespace provcheck::extract_detail {

struct Choice {
    std::vector<const GumboNode*> nodes;  // read in this order: the container, or it and its kept siblings
    std::string stage;
};

// The <body> element, or `root` when there is none.
[[nodiscard]] const GumboNode* find_body(const GumboNode* root);

// The nodes to read and the stage that chose them ("site:<name>", "article-element", "density" or "whole-body").
// Elements that `drop` leaves out score nothing: pass the rules the Walker will read with.
[[nodiscard]] Choice choose_container(const GumboNode* body, const DropRules& drop, const SiteRule* site);

}  // namespace provcheck::extract_detail
