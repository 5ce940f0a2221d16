// prune: the blocks of a chosen container that are page furniture rather than the story.
//
// The container that holds the story also holds, on most news pages, things a reader skips: the headline printed
// again above the first paragraph, a dateline ("Updated 5:27 am CST, Wednesday, November 20, 2019"), a gallery's
// captions, a photo credit ("Photo: Hau Dinh, AP") and the controls of a carousel or a
// share bar ("Caption", "Close", "Back to Gallery", "Share this story"). Each test below is named in the [main_text]
// table of rules/sites/default.toml, with its bound, so that what counts as furniture is read and changed there:
//
//   title_repeat              a heading or paragraph whose words are the document's title (the headline again);
//   title_variant_share       the first heading, among the first date_line_edge_blocks, when at least this
//                             percent of its words are the title's and this percent of the title's words are its:
//                             the headline as printed, worded apart from the <title> ("High School Roundup: …"
//                             under the title "HS Roundup: …");
//   date_line_max_words, date_line_edge_blocks
//                             a block among the first or last date_line_edge_blocks, of at most
//                             date_line_max_words words, each a number or one of `date_words` (months, weekdays,
//                             "posted", "updated", time zones …), holding a number and a date word or a year;
//   chrome_phrases            a block whose words, numbers left out, are one of these phrases ("share this
//                             story", "close", "New, 15 comments"), or whose every word is a one-word phrase
//                             ("Facebook Twitter Google+ Whatsapp");
//   slideshow_captions        every copy of a text (20 bytes or more) printed more than once, one of the times
//                             as a list item: a slideshow's captions, one per slide (prose a page repeats in
//                             paragraphs stays);
//   byline_extra_words        a block among the first or last date_line_edge_blocks holding the document's byline
//                             with at most this many other words ("By Chaim Gartenberg @cgartenberg Nov 19, 2019");
//   credit_prefixes, credit_suffixes, credit_max_words
//                             a block of at most credit_max_words words that starts with one of the prefixes
//                             ("photo:", "image credit:") or ends with one of the suffixes ("| getty images",
//                             "via ap"), compared lower-cased with spaces collapsed and punctuation kept: a
//                             picture's credit ("Picture-in-Picture" is not one);
//   caption_max_words         a block of at most this many words ending in a parenthesis that starts with one of
//                             the credit prefixes written with "(" ("… doctor (Image: GETTY)"): a caption;
//   lead_phrases, lead_max_words
//                             a block of at most lead_max_words words starting with one of these ("read more:",
//                             "don't miss"): a teaser for other stories;
//   signup_phrases, signup_max_words
//                             a block of at most signup_max_words words holding two different signup phrases
//                             ("sign up", "newsletter", "inbox"): a box selling a newsletter ("Get the day's top
//                             headlines delivered to your inbox by subscribing to our newsletter");
//   disclosure_phrases, disclosure_max_words
//                             a block of at most disclosure_max_words words holding one of these ("affiliate
//                             links"): the publisher's note on what it earns from the links in the story;
//   contributor_phrases, contributor_max_words
//                             a block among the last date_line_edge_blocks, of at most contributor_max_words words,
//                             holding one of these ("Fox News' Jessica Napoli contributed to this report."): the
//                             story's credits, as the byline is;
//   signature_words           a block near the edge opening with one of these ("by"), then a name of at most
//                             four words, then a dateline: "By Louis Jacobson on Monday, November 18th, 2019 at
//                             11:04 a.m." when the page's metadata names no author;
//   image_alt_captions        the first block after an <img> whose words are the image's alt text (two words or
//                             more): the picture's caption printed under it;
//   related_heads, related_head_max_words
//                             a heading or paragraph of at most related_head_max_words words opening with one of
//                             these ("More Great WIRED Stories", "Next Up In Tech"), followed by two or more
//                             short blocks that each hold a link, or closing the text: a list of other stories,
//                             dropped with its head (items that link to another site or quote stay);
//   link_block_max_words      a heading of at most this many words whose text is (nine tenths or more) link
//                             text, or such a paragraph written in capitals: a link to another story. Lists of
//                             links stay: in reference pages they are the text.
//                             A plain paragraph that is one link ("Read the full report") stays: it cites.
//
// Words are runs of letters and digits, lower-cased (Unicode simple case folding); except in credit prefixes,
// punctuation and spacing never decide. Embedded posts are never pruned. Links inside a pruned block leave the main
// text with it; the indices of later blocks in links, embeds and the quotation ranges are moved down.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"
#include "extract/quotes.hpp"

namespace provcheck {

struct PruneRules {
    bool title_repeat = false;
    std::size_t title_variant_share = 0;  // percent
    std::size_t date_line_max_words = 0;
    std::size_t date_line_edge_blocks = 0;
    std::vector<std::string> date_words;       // lower case
    std::vector<std::string> chrome_phrases;   // lower case, words separated by one space
    std::vector<std::string> credit_prefixes;  // lowered_text(): lower case, spaces collapsed, punctuation kept
    std::vector<std::string> credit_suffixes;  // lowered_text()
    std::size_t credit_max_words = 0;
    std::size_t caption_max_words = 0;
    std::vector<std::string> lead_phrases;  // lowered_text()
    std::size_t lead_max_words = 0;
    std::size_t link_block_max_words = 0;
    std::size_t byline_extra_words = 0;
    bool slideshow_captions = false;
    std::vector<std::string> signup_phrases;  // lower case, words separated by one space
    std::size_t signup_max_words = 0;
    std::vector<std::string> disclosure_phrases;  // lower case, words separated by one space
    std::size_t disclosure_max_words = 0;
    std::vector<std::string> contributor_phrases;  // lower case, words separated by one space
    std::size_t contributor_max_words = 0;
    bool image_alt_captions = false;
    std::vector<std::string> signature_words;  // lower case
    std::vector<std::string> related_heads;    // lower case, words separated by one space
    std::size_t related_head_max_words = 0;
};

// `text` lower-cased (Unicode simple case folding) with runs of white space as one space, punctuation kept.
[[nodiscard]] std::string lowered_text(std::string_view text);

// The words of `text` as the tests above compare them: lower-cased runs of letters and digits, joined by spaces.
[[nodiscard]] std::string folded_words(std::string_view text);

// Nine tenths or more of the block's text is link text (`linked`: bytes of it inside links).
[[nodiscard]] bool mostly_link_text(const Block& b, std::size_t linked) noexcept;

// Removes the furniture blocks from doc.blocks (and their links; element_quotes, indexed by block, follows).
// `image_captions` (by block, as the walker found them) marks the blocks printing an image's alt text under it;
// they leave when `image_alt_captions` says so. Returns how many blocks were removed.
std::size_t prune_blocks(Document& doc, std::vector<std::vector<TextRange>>& element_quotes, const PruneRules& rules,
                         const std::vector<bool>& image_captions = {});

}  // namespace provcheck
