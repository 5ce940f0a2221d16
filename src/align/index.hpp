// The word index of a source text (internal to src/align).
//
// Input: a source text and the matching rules. Output: its word tokens with ids (equal ids = the same word
// after folding, number words and single-word spelling variants), postings per id and a sorted table of
// word trigrams, from which candidate_windows() picks the few regions worth aligning with a quotation.
// Lifetime: views the source text, which must outlive the index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "align/align.hpp"

namespace provcheck::align {

inline constexpr std::uint32_t no_id = 0xffffffffU;

// Rules about single words: which are negations, which name numbers, which spellings are the same word.
class Lexicon {
public:
    explicit Lexicon(const MatchingRules& rules);
    // The key that decides equality: number words become "#<value>", spelling variants their first form.
    [[nodiscard]] std::string canonical(const std::string& key) const;
    [[nodiscard]] bool is_negation(std::string_view key) const;
    // Whether two token-key sequences are listed spellings of the same word(s).
    [[nodiscard]] bool same_spelling(const std::vector<std::string>& a, const std::vector<std::string>& b) const;

private:
    std::unordered_map<std::string, std::string> number_words_;
    std::unordered_map<std::string, std::string> variants_;
    std::vector<std::vector<std::vector<std::string>>> groups_;  // keys of every member of every group
    std::unordered_set<std::string> negations_;
    std::vector<std::string> negation_suffixes_;
};

struct SourceToken {
    std::size_t start = 0;
    std::size_t end = 0;
    std::uint32_t id = no_id;
};

// A region of source tokens [lo, hi) worth aligning.
struct Window {
    std::size_t lo = 0;
    std::size_t hi = 0;
};

struct SourceIndex {
    SourceIndex(std::string_view source_text, const MatchingRules& rules);

    std::string_view text;
    Lexicon lexicon;
    std::unordered_map<std::string, std::uint32_t> ids;
    std::vector<std::uint8_t> id_is_negation;
    std::vector<std::uint8_t> id_is_number;
    std::vector<SourceToken> tokens;
    std::vector<std::uint32_t> posting_offsets;  // postings of id k: posting_positions[offsets[k] .. offsets[k+1])
    std::vector<std::uint32_t> posting_positions;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> trigrams;  // (hash of 3 ids, position), sorted

    [[nodiscard]] std::uint32_t lookup(const std::string& canonical_key) const;
    [[nodiscard]] std::size_t occurrences(std::uint32_t id) const;
};

[[nodiscard]] std::uint64_t trigram_hash(std::uint32_t a, std::uint32_t b, std::uint32_t c) noexcept;

// Candidate regions for a quotation given as token ids split into segments ([begin, end) ranges, in order).
// `gap_allowance` is the most source words all elisions and insertions together may stand for.
[[nodiscard]] std::vector<Window> candidate_windows(const SourceIndex& index, const std::vector<std::uint32_t>& ids,
                                                    const std::vector<std::pair<std::size_t, std::size_t>>& segments,
                                                    std::size_t gap_allowance, const MatchingRules& rules);

}  // namespace provcheck::align
