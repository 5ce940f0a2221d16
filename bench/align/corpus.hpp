// Synthetic sources and quotations with known truth for the alignment benchmark.
//
// Input: a seed and a size. Output: English-like prose (Zipf-distributed function and content words,
// names, years, counts with thousands separators, decimals, negations, sentences and paragraphs), and
// quotations cut from it: verbatim, elided (a middle span without numbers or negations replaced by a
// mark), one word changed, one number changed, and absent (generated apart from the source).
// Deterministic: the same seed gives the same bytes on every machine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace provcheck::bench {

enum class QuoteKind { verbatim, elided, word_changed, number_changed, absent };

[[nodiscard]] const char* kind_name(QuoteKind k) noexcept;
// The verdict a correct alignment gives for a quotation of this kind.
[[nodiscard]] const char* expected_verdict(QuoteKind k) noexcept;

struct LabelledQuote {
    QuoteKind kind = QuoteKind::verbatim;
    std::string text;  // no tab and no line break
};

struct Corpus {
    std::string source;
    std::vector<LabelledQuote> quotes;
};

// A source of at least `bytes` bytes and `quote_count` quotations, the kinds in turn.
[[nodiscard]] Corpus generate_corpus(std::uint64_t seed, std::size_t bytes, std::size_t quote_count);

}  // namespace provcheck::bench
