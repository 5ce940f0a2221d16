// A quotation as printed, taken apart for the alignment (internal to src/align).
//
// What is printed between quotation marks is not only the speaker's words: an editor marks what was left out
// ("…", "(...)", "[...]") and what was added ("[Qatar] is acting", "[T]he"). The alignment must compare only
// the speaker's words, let each elision stand for a bounded run of source words, and report each insertion, so
// parse_quote splits the quotation into words (with their ids in the source's index) and the joints between the
// segments they form.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "align/align.hpp"
#include "align/index.hpp"

namespace provcheck::align {

inline constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

// The quotation: tokens, and the joints (elision marks, bracketed insertions) between its segments.

struct QuoteToken {
    std::size_t start = 0;
    std::size_t end = 0;
    std::string raw_key;  // Token::key, before number words and spelling variants
    std::string shape;
    std::uint32_t id = no_id;
    bool number = false;
    bool negation = false;
    bool editorial = false;
    bool segment_first = false;
    bool sentence_start = false;
};

struct Joint {
    std::size_t after = 0;  // quotation tokens before it: 0 < after < tokens.size()
    bool elision = true;
    std::string marker;     // as printed: "(..)", or "[Qatar]" for an insertion
    std::string insertion;  // the bracketed text of an insertion
    std::size_t limit = 0;  // most source words it may stand for
    std::size_t start = 0;  // byte range of the mark in the quotation
    std::size_t end = 0;
};

struct ParsedQuote {
    std::string_view text;
    std::vector<QuoteToken> tokens;
    std::vector<Joint> joints;
    std::vector<std::string> insertions;    // every bracketed insertion accepted, in order
    std::size_t standalone_insertions = 0;  // "[Qatar] is acting" (not "[T]he"): an editor's words
};

// `quote` taken apart: its words with their ids in `index`, the joints between its segments, its insertions.
ParsedQuote parse_quote(std::string_view quote, const SourceIndex& index, const MatchingRules& rules);

// Token ranges [begin, end) of the segments between the joints, in order.
std::vector<std::pair<std::size_t, std::size_t>> segments_of(const ParsedQuote& pq);

}  // namespace provcheck::align
