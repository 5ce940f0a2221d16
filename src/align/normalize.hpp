// Tokenisation and typographic folding for the alignment stage (internal to src/align).
//
// Input: UTF-8 text, possibly invalid (an invalid byte separates words and is never part of a token).
// Output: word and number tokens, each with the byte range [start, end) of the original text it came from
// and a comparison key. Folds that only change typography disappear from the key: NFKC (full-width forms,
// ligatures), case folding, curly and straight apostrophes, soft hyphens and zero-width characters inside a
// word. Dashes, spaces and quotation marks separate words and only count in the punctuation between words
// (fold_gap). Numbers: digits with thousands separators are one token whose key drops the separators
// ("1,400" and "1400" share the key "#1400"); a single period or a comma not followed by exactly three
// digits is a decimal point ("1.5" is "#1.5", "1,5" is "#1.5").
//
// Never allocates per character on ASCII text (the fast path), so that sources of several MB tokenise in
// linear time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace provcheck::align {

struct Token {
    std::size_t start = 0;  // byte offsets into the original text
    std::size_t end = 0;
    std::string key;  // comparison key (see above); numbers start with '#'
    bool is_number = false;
    bool editorial = false;  // holds bytes of an in-word bracket, e.g. "[T]he"
};

// A token as the tokeniser sees it: `key` views a buffer reused for the next token.
struct TokenView {
    std::size_t start = 0;
    std::size_t end = 0;
    std::string_view key;
    bool is_number = false;
    bool editorial = false;
};

// Bytes the tokeniser treats like zero-width characters (in-word editorial brackets); may be empty.
using ByteMask = std::vector<bool>;

// Calls `fn` for every token of `text`, in order. `mask`, when not empty, has one entry per byte of `text`.
void for_each_token(std::string_view text, const ByteMask& mask, const std::function<void(Token&&)>& fn);

// Same without a mask, stopping as soon as `fn` returns false.
void for_each_token_while(std::string_view text, const std::function<bool(Token&&)>& fn);

// The tokens of for_each_token without a mask, for bulk indexing: nothing is allocated per token on ASCII
// text, and `TokenView::key` is only valid during the call.
void for_each_token_view(std::string_view text, const std::function<void(const TokenView&)>& fn);

// Byte ranges of `count` tokens of `text` starting with the `first` (from 0), without folding any: cheap
// enough to recover source token offsets from a nearby checkpoint instead of storing every offset.
// Tokenising from the start of any token gives the same tokens as tokenising the whole text.
[[nodiscard]] std::vector<std::pair<std::size_t, std::size_t>> token_bounds(std::string_view text, std::size_t first,
                                                                            std::size_t count);

// The byte range of token `n` (from 0) of `text`, as token_bounds(text, n, 1) without allocating; nullopt when
// `text` has no more than n tokens.
[[nodiscard]] std::optional<std::pair<std::size_t, std::size_t>> nth_token_bounds(std::string_view text, std::size_t n);

[[nodiscard]] std::vector<Token> tokenize(std::string_view text, const ByteMask& mask = {});

// A token's bytes folded twice: `shape` keeps letter case (NFKC, ignorables and masked bytes dropped,
// apostrophes straightened); `key` is also case-folded and, for numbers, without thousands separators.
struct Folded {
    std::string shape;
    std::string key;
    bool is_number = false;
};
[[nodiscard]] Folded fold_token(std::string_view bytes, const ByteMask& mask = {}, std::size_t mask_offset = 0);

// The punctuation between two words, folded: white space, zero-width characters and quotation marks
// dropped (quotation marks change with nesting), dashes folded to one '-', the rest NFKC.
[[nodiscard]] std::string fold_gap(std::string_view bytes);

// A key without its diacritics ("josé" -> "jose"), for telling a dropped accent from a changed word.
[[nodiscard]] std::string strip_marks(std::string_view key);

// Whether a word character (letter, mark, digit) starts at byte `pos` / ends right before byte `pos`.
[[nodiscard]] bool word_char_at(std::string_view text, std::size_t pos);
[[nodiscard]] bool word_char_before(std::string_view text, std::size_t pos);

// Whether the first letter of a folded shape is upper or title case.
[[nodiscard]] bool starts_with_capital(std::string_view shape);

// Whether the text before `pos` ends a sentence: nothing but spaces, quotation marks and opening brackets
// since the start or since a '.', '!', '?' or '…'.
[[nodiscard]] bool at_sentence_start(std::string_view text, std::size_t pos);

// Replaces invalid UTF-8 by U+FFFD and trims ASCII and Unicode white space at both ends.
[[nodiscard]] std::string clean_copy(std::string_view bytes);

// Largest index <= pos that is not inside a UTF-8 sequence of `text`.
[[nodiscard]] std::size_t codepoint_floor(std::string_view text, std::size_t pos) noexcept;

}  // namespace provcheck::align
