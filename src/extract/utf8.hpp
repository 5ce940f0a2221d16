// Code-point helpers over UTF-8 text that has already been through sanitize_utf8 (core/text.hpp), and the one
// encoder for code points that arrive as numbers (character references, script escapes).
// Shared by extract, attribute, capture and check; pure functions, no allocation but append's. Offsets are byte
// offsets.
// ASCII is answered inline: most text of most pages is ASCII, and these run once per character.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace provcheck::utf8 {

struct CodePoint {
    char32_t cp = 0;
    std::size_t len = 0;  // 0 only at the end of the text
};

namespace detail {
[[nodiscard]] CodePoint decode(std::string_view s, std::size_t i) noexcept;
[[nodiscard]] bool is_letter(char32_t cp) noexcept;
[[nodiscard]] bool is_upper(char32_t cp) noexcept;
[[nodiscard]] bool is_digit(char32_t cp) noexcept;
}  // namespace detail

// The code point starting at byte `i`; an invalid byte decodes as U+FFFD of length 1.
[[nodiscard]] inline CodePoint at(std::string_view s, std::size_t i) noexcept {
    if (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) return {static_cast<char32_t>(s[i]), 1};
    return detail::decode(s, i);
}
// The code point ending just before byte `i`; {0, 0} at the start of the text.
[[nodiscard]] CodePoint before(std::string_view s, std::size_t i) noexcept;

// Appends `cp` to `out` in UTF-8; a surrogate (U+D800..U+DFFF) or a value past U+10FFFF, which no valid UTF-8
// holds, is written as U+FFFD. U+0000 is written as a NUL byte: callers that cannot take one replace it first.
void append(std::string& out, char32_t cp);

[[nodiscard]] inline bool is_letter(char32_t cp) noexcept {
    if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    return detail::is_letter(cp);
}
[[nodiscard]] inline bool is_upper(char32_t cp) noexcept {
    if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
    return detail::is_upper(cp);
}
[[nodiscard]] inline bool is_digit(char32_t cp) noexcept {
    if (cp < 0x80) return cp >= '0' && cp <= '9';
    return detail::is_digit(cp);
}
// A character of the scripts written with no apostrophe inside a word: kana, CJK ideographs, Hangul syllables. A ’
// between two of them, or between one and a Latin word, is a quotation mark ("‘리벤지’의", "‘데이트 폭력’이라고").
[[nodiscard]] inline bool is_east_asian(char32_t cp) noexcept {
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
           (cp >= 0xF900 && cp <= 0xFAFF);
}
// `s` in lower case, code point by code point (Unicode simple case mapping: "Как" → "как", "Élysée" → "élysée");
// invalid bytes are kept as they are.
[[nodiscard]] std::string to_lower(std::string_view s);
// `s` without its combining marks ("céline" → "celine", "josé" → "jose"), as utf8proc decomposes it; `s` unchanged
// when it holds no such letter or is not valid UTF-8.
[[nodiscard]] std::string without_marks(std::string_view s);

// The white space that collapse_whitespace folds.
[[nodiscard]] inline bool is_space(char32_t cp) noexcept {
    return cp == 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp == 0xa0 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f ||
           cp == 0x205f || cp == 0x3000 || cp == 0x1680 || cp == 0x2028 || cp == 0x2029;
}

// Bytes in the UTF-8 sequence a byte leads (1 for ASCII and for a byte that cannot lead one): a byte test where
// the code point itself is not needed.
[[nodiscard]] constexpr std::size_t sequence_length(unsigned char lead) noexcept {
    if (lead < 0xc0) return 1;
    if (lead < 0xe0) return 2;
    if (lead < 0xf0) return 3;
    return lead < 0xf8 ? 4 : 1;
}

}  // namespace provcheck::utf8
