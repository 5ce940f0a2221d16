// extract: from the bytes of an article page to a Document (DESIGN.md "Data types").
//
// Input: the page's HTML (UTF-8 as capture delivers it; invalid sequences and NULs are replaced by U+FFFD),
// the URL it was read from (links resolve against it, or against <base href>), and the rules in force
// (rules/sites/*.toml: body and drop selectors, boilerplate words).
// Output: metadata (title, canonical URL, AMP URL (rel=amphtml), byline, dates, language, partial-text signals), the
// main text as Blocks in reading order, the links in it, tweet embeds and the quotations printed in it (see
// extract/quotes.hpp for the quotation rules).
//
// The main text comes from the first stage that finds it, reported in Document::extraction_stage:
//   "site:<name>"      a body selector of the site rule whose `hosts` match the URL ("site.x" → "site:x");
//   "article-element"  the [itemprop=articleBody] or <article> element holding most paragraph text;
//   "density"          the element whose paragraphs hold most text with a low share of link text. A paragraph is a
//                      <p> or <pre>, or a <div>, <section>, … holding at least 25 characters of text directly. Each
//                      counts in full for its container and by half for the container's parent. The best container
//                      gives way to an ancestor holding at least three near-best candidates (the sections of one
//                      story), to an ancestor scoring higher, and to ancestors whose other text is mostly prose;
//                      siblings scoring a fifth of it, and long <p> siblings, are read with it;
//   "whole-body"       the <body>, when nothing else applies;
//   "rescue"           the container chosen and read again without the boilerplate class/id words (but for
//                      rescue_boilerplate_words: comment threads, share bars, newsletter boxes), when the stage
//                      above gave no text, or fewer than 50 words where the rescue reads at least three times as many;
//   "json-ld"          the JSON-LD articleBody (one block per line), when it holds more than twice the words of the
//                      text read from the markup (never over a site rule).
// Dropped everywhere: the default and site drop_selectors and elements whose class or id holds a boilerplate word
// (not <main>, <article> or [itemprop=articleBody], and not an id of five or more words: a heading's slug); a
// <form> only when it is not the page's wrapper (one holding the story, or five paragraphs, is read).
// Then, except under a site rule's body selector, the blocks that are page furniture leave the main text: the
// headline again, datelines, bylines, credits, captions, controls and links to other stories (extract/prune.hpp,
// rules/sites/default.toml [main_text]).
//
// Metadata: the title is JSON-LD's name or headline, else dc:title, og:title, title, twitter:title, parsely-title
// meta tags, else the <title> without the site's name ("Story – Site"); the byline is JSON-LD's author, else the
// dc:creator, author, parsely-author or article:author meta tags, else the first short text the page marks as its
// author's (rel=author, itemprop author, class or id word "byline", "author", "dateline"). Who publishes it:
// site_name from og:site_name or application-name; publisher from the JSON-LD article's publisher, else the name of
// the first organisation the JSON-LD describes (the type ending in "Organization", Corporation, NGO, Newspaper).
//
// Partial text (Document::partial, with one reason each): JSON-LD isAccessibleForFree false (also per hasPart,
// naming its cssSelector); an element matching a paywall selector of the default or site rules; a truncation marker
// phrase in a short text anywhere in the page; a page calling itself an article (JSON-LD Article type,
// og:type article) whose main text has fewer than [partial] short_body_words words; or a main text under half the
// JSON-LD wordCount. Dates fall back to the first <time datetime> when no meta tag or JSON-LD gives them.
//
// Offsets: Block::start indexes Document::text(); Link::start/end index the block's text (a tweet's status link
// has start == end == size of the embed's text: it follows the text); Block::html_offset is the byte offset of
// the element's start tag in the sanitised input (the same as in the input when it was valid UTF-8).
// Elements nested deeper than 256 levels are read as part of their 256th ancestor, which keeps parsing linear.
// The contents of <style> and of <script> other than JSON-LD are never parsed (extract/html_input.hpp).
//
// Never: network access, recursion whose depth the input controls, exceptions for bad input.
// The Document owns all its strings; nothing refers back to `html`.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/error.hpp"
#include "core/types.hpp"
#include "rules/rules.hpp"

namespace provcheck {

// Bounds on what one page yields, so that a hostile page cannot make the work and memory of the stages after
// extraction (attribution, resolving links, one record per claim) grow without end. Far above real articles:
// a long read has a few hundred links and a hundred quotations. What lies past a bound is counted, in document
// order, in Document::links_dropped and Document::quotations_dropped.
inline constexpr std::size_t default_max_links = 10000;
inline constexpr std::size_t default_max_quotations = 10000;
inline constexpr std::size_t default_max_tags = 120000;
struct ExtractLimits {
    std::size_t max_links = default_max_links;            // Document::links kept
    std::size_t max_quotations = default_max_quotations;  // Document::quotations kept, and tweet embeds kept
    // Tags parsed: the HTML parser holds a node per tag, some hundreds of bytes each. A long read has a few
    // thousand, the longest reference pages some tens of thousands; the text past the bound is not read and
    // the document is partial.
    std::size_t max_tags = default_max_tags;
    // Keep Document::page_text: a source's whole visible text, searched when its main text lacks a quotation.
    bool page_text = false;
};

// Error (ErrorCode::parse) only when the bytes cannot be HTML at all: empty or blank input, or binary data
// (NUL and other control bytes throughout). ErrorCode::config when a site rule is malformed.
// Time and memory grow linearly with the page (and its links and quotations).
[[nodiscard]] Result<Document> extract_document(std::string_view html, std::string_view url, const RuleSet& rules,
                                                const ExtractLimits& limits = {});

}  // namespace provcheck
