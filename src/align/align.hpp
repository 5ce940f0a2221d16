// Alignment stage: where in a source text a quotation comes from, and how faithfully it was quoted.
//
// Input: the quotation exactly as printed (marks excluded) and the source's main text (UTF-8, possibly with
// invalid bytes, any size). Output: a Match (core/types.hpp) whose verdict is one of verbatim, elided,
// minor_variation, altered or not_found; the other verdicts (source_restricted, source_unavailable,
// unsourced) are the pipeline's to decide, because they depend on how the source was obtained.
//
// Never: throws on bad input (an empty quote, an empty source, invalid UTF-8 or a quote of only marks give
// a not_found Match whose decided_by says why), reads files or the network, or compares the quotation with
// the whole source word by word (a k-gram index picks a few candidate passages; only those are aligned).
//
// Offsets in a Match (start, end) are byte offsets into the source text as given; Match::text, context and
// difference texts are copies of the original bytes (invalid UTF-8 replaced by U+FFFD).
#pragma once

#include <toml++/toml.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/types.hpp"

namespace provcheck {

// Every threshold and normalisation choice of the alignment, named as in rules/matching.toml
// ("section.key"); Match::decided_by uses the same names.
struct MatchingRules {
    // [matching]
    double altered_min_score = 0.6;          // matching.altered_min_score
    std::size_t altered_min_run = 2;         // matching.altered_min_run
    std::size_t max_candidates = 8;          // matching.max_candidates
    std::size_t max_seed_occurrences = 256;  // matching.max_seed_occurrences
    std::size_t window_slack_words = 8;      // matching.window_slack_words
    std::size_t context_bytes = 80;          // matching.context_bytes
    std::size_t max_quote_words = 5000;      // matching.max_quote_words
    bool first_word_case_free = true;        // matching.first_word_case_free
    bool number_words_are_numbers = true;    // matching.number_words_are_numbers
    // [elision]
    std::vector<std::string> elision_markers;  // elision.markers
    std::size_t elision_max_span_words = 80;   // elision.max_span_words
    std::size_t insertion_max_words = 6;       // elision.insertion_max_words
    bool hidden_negation_critical = true;      // elision.hidden_negation_critical
    bool hidden_number_critical = true;        // elision.hidden_number_critical
    bool whole_sentences_critical = false;     // elision.whole_sentences_critical
    // [words]
    std::vector<std::string> negations;                       // words.negations
    std::vector<std::string> negation_suffixes;               // words.negation_suffixes
    std::map<std::string, std::uint64_t> number_words;        // words.number_words
    std::vector<std::vector<std::string>> spelling_variants;  // words.spelling_variants
    std::vector<std::vector<std::string>> spelling_endings;   // words.spelling_endings

    friend bool operator==(const MatchingRules&, const MatchingRules&) = default;
};

// Reads the table of rules/matching.toml. Keys absent from `t` keep their default; an unknown key, a value
// of the wrong type or out of range is an ErrorCode::config error naming the key.
[[nodiscard]] Result<MatchingRules> parse_matching_rules(const toml::table& t);

// The values of the built-in rules/matching.toml.
[[nodiscard]] MatchingRules default_matching_rules();

namespace align {
struct SourceIndex;
}

// A source text tokenised and indexed once, to align many quotations against it.
// Lifetime: keeps a view of `source_text`, which must outlive this object; keeps its own copy of the rules.
class PreparedSource {
public:
    PreparedSource(std::string_view source_text, MatchingRules rules);
    ~PreparedSource();
    PreparedSource(PreparedSource&&) noexcept;
    PreparedSource& operator=(PreparedSource&&) noexcept;
    PreparedSource(const PreparedSource&) = delete;
    PreparedSource& operator=(const PreparedSource&) = delete;

    [[nodiscard]] std::string_view text() const noexcept;
    [[nodiscard]] const MatchingRules& rules() const noexcept { return rules_; }
    [[nodiscard]] std::size_t word_count() const noexcept;
    // Bytes held by the index (the source text itself excluded).
    [[nodiscard]] std::size_t memory_bytes() const noexcept;
    [[nodiscard]] const align::SourceIndex& index() const noexcept { return *index_; }

private:
    MatchingRules rules_;
    std::unique_ptr<align::SourceIndex> index_;
};

// Aligns one quotation with a prepared source.
[[nodiscard]] Match align_quote(std::string_view quote, const PreparedSource& source);

// Same, preparing the source first (linear in its size); prefer PreparedSource for several quotations.
[[nodiscard]] Match align_quote(std::string_view quote, std::string_view source_text, const MatchingRules& rules);

// Whether `a` is better evidence for the report than `b`: the better verdict first (verbatim, elided,
// minor_variation, altered, source_restricted, not_found, source_unavailable, unsourced), then the higher
// score. A strict weak order: false for equally good matches.
[[nodiscard]] bool better_match(const Match& a, const Match& b) noexcept;

}  // namespace provcheck
