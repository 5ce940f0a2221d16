// Code-point helpers over UTF-8 text that has already been through sanitize_utf8 (core/text.hpp).
// Shared by extract and attribute; pure functions, no allocation. Offsets are byte offsets.
#pragma once

#include <cstddef>
#include <string_view>

namespace provcheck::utf8 {

struct CodePoint {
    char32_t cp = 0;
    std::size_t len = 0;  // 0 only at the end of the text
};

// The code point starting at byte `i`; an invalid byte decodes as U+FFFD of length 1.
[[nodiscard]] CodePoint at(std::string_view s, std::size_t i) noexcept;
// The code point ending just before byte `i`; {0, 0} at the start of the text.
[[nodiscard]] CodePoint before(std::string_view s, std::size_t i) noexcept;

[[nodiscard]] bool is_letter(char32_t cp) noexcept;
[[nodiscard]] bool is_upper(char32_t cp) noexcept;
[[nodiscard]] bool is_digit(char32_t cp) noexcept;
[[nodiscard]] bool is_space(char32_t cp) noexcept;  // the white space that collapse_whitespace folds

}  // namespace provcheck::utf8
