// From an alignment to a Match: differences, elisions, score, verdict (internal to src/align).
//
// The alignment (window.hpp) only pairs words. A reader of the report needs to know what the pairing means:
// which changes are typographic (case, punctuation, spelling) and which change what was said (a number, a
// negation, a name, any other word), what each elision left out and whether it hid a negation or a number, and
// one verdict with the name of the threshold or rule that decided it (Match::decided_by), so that every verdict
// can be traced to rules/matching.toml.
#pragma once

#include <cstddef>
#include <string>

#include "align/align.hpp"
#include "align/index.hpp"
#include "align/quote.hpp"
#include "align/window.hpp"
#include "core/types.hpp"

namespace provcheck::align {

struct Evaluation {
    Match match;
    std::size_t first = npos;  // source tokens of the passage, [first, last]
    std::size_t last = npos;
    bool hidden_critical = false;
    std::string hidden_rule;
    bool word_differences = false;  // any difference that is not punctuation, case or spelling
};

// Bytes between the end of source token `before_token_end_of` - 1 and the start of `next_token`, cleaned.
std::string source_between(const SourceIndex& index, std::size_t before_token_end_of, std::size_t next_token);
// The text of source tokens [first, last] / quotation tokens [first, last], as printed.
std::string source_span(const SourceIndex& index, std::size_t first, std::size_t last);
std::string quote_span(const ParsedQuote& pq, std::size_t first, std::size_t last);
// Sets the passage of `m` to source tokens [first, last], with context_bytes of context on either side.
void set_passage(Match& m, const SourceIndex& index, std::size_t first, std::size_t last, const MatchingRules& rules);

// The Match an alignment of `pq` gives; ev.first is npos when no word faces a source word.
Evaluation evaluate(const ParsedQuote& pq, const SourceIndex& index, const Alignment& a, const MatchingRules& rules);

}  // namespace provcheck::align
