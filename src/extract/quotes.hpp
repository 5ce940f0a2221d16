// Quotation finder: from the text of a document's blocks to the quotations printed in them.
//
// Input: blocks in reading order (their text already whitespace-collapsed) and, per block, the byte ranges of
// <q> elements. Output: Quotations sorted by (block, start), marks excluded from `text`.
// Marks: “…”, „…“ (or „…”), «…», ‹…›, 「…」, 『…』, ‘…’ and straight "…" paired by context. A quotation nested in
// another (“… ‘…’ …”, 「…『…』…」) is part of the outer one's text, not a quotation of its own. A single ’ is never an
// opening mark, and an opening ‘ needs a non-letter before it and a letter after it, so apostrophes (don’t, Israel’s,
// ’90s, rock ’n’ roll) and primes (5′10″) never open a quotation. Inside a quotation only its own closing mark counts.
// An opening mark without a closing mark in its paragraph is ignored, unless it opens the paragraph (or follows a
// colon, or the dialogue tag of a quotation closed before it: "“…,” she said. “…") and the next block opens with the
// same mark: then the quotation runs on (the typographic multi-paragraph convention) and is reported as one Quotation
// per paragraph (the attribute stage makes them one claim); every paragraph but the last has an empty close_mark and
// ends at the end of its block. A blockquote block without any mark, and a <q> element, are quotations with empty
// marks. Embed blocks are never searched: a tweet is a claim of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "core/types.hpp"

namespace provcheck {

using TextRange = std::pair<std::size_t, std::size_t>;  // [first, second) byte offsets

// At most `max` quotations are kept, the first in reading order; `dropped` (when given) counts the rest.
// Linear in the text, whatever the number of marks or <q> elements.
[[nodiscard]] std::vector<Quotation> find_quotations(std::span<const Block> blocks,
                                                     std::span<const std::vector<TextRange>> element_quotes = {},
                                                     std::size_t max = SIZE_MAX, std::size_t* dropped = nullptr);

// Words in `text`: runs between spaces holding at least one letter or digit.
[[nodiscard]] std::size_t count_words(std::string_view text) noexcept;

}  // namespace provcheck
