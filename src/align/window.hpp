// Word-level alignment of a quotation inside a few windows of the source (internal to src/align).
//
// The k-gram index (index.hpp) only says where a quotation may come from; which source word each quoted word
// faces, and what each elision stands for, is decided by an edit distance inside each candidate window, small
// enough to compute in full. best_alignment keeps the best of them (most words matched, then fewest edits), so
// that evaluate (verdict.hpp) judges the passage the quotation most likely came from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "align/align.hpp"
#include "align/index.hpp"
#include "align/quote.hpp"

namespace provcheck::align {

enum class OpKind : std::uint8_t { match, substitute, quote_only, source_only };

struct Op {
    OpKind kind = OpKind::match;
    std::size_t q = npos;  // quotation token, npos for source_only
    std::size_t s = npos;  // source token (absolute), npos for quote_only
};

struct Boundary {
    std::size_t joint = 0;  // index into ParsedQuote::joints
    std::size_t from = 0;   // source tokens [from, to) the joint stands for (absolute)
    std::size_t to = 0;
};

struct Alignment {
    std::vector<Op> ops;
    std::vector<Boundary> boundaries;
    long cost = 0;
    std::size_t matched = 0;
    std::size_t exact = 0;  // matched words as printed, and gaps between adjacent matched words as folded
    std::size_t first_source = npos;
};

// Semi-global edit distance: the whole quotation against any stretch of the window. After the tokens
// before a joint, up to `limit` source words may be skipped at no cost (what the elision stands for).
Alignment align_in_window(const ParsedQuote& pq, const SourceIndex& index, Window w);

// The best alignment over the candidate windows of the index (and `extra_windows`); nullopt when no window
// matches a word.
std::optional<Alignment> best_alignment(const ParsedQuote& pq, const SourceIndex& index, const MatchingRules& rules,
                                        const std::vector<Window>& extra_windows = {});

}  // namespace provcheck::align
