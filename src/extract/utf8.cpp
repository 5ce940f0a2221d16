#include "extract/utf8.hpp"

#include <utf8proc.h>

namespace provcheck::utf8 {

CodePoint at(std::string_view s, std::size_t i) noexcept {
    if (i >= s.size()) return {};
    utf8proc_int32_t cp = 0;
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i);
    const utf8proc_ssize_t n = utf8proc_iterate(p, static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) return {U'\uFFFD', 1};
    return {static_cast<char32_t>(cp), static_cast<std::size_t>(n)};
}

CodePoint before(std::string_view s, std::size_t i) noexcept {
    if (i == 0 || i > s.size()) return {};
    std::size_t start = i - 1;
    // At most three continuation bytes precede a lead byte.
    while (start > 0 && i - start < 4 && (static_cast<unsigned char>(s[start]) & 0xc0) == 0x80)
        --start;
    CodePoint c = at(s, start);
    if (start + c.len != i) return {U'\uFFFD', 1};
    return c;
}

bool is_letter(char32_t cp) noexcept {
    switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
        case UTF8PROC_CATEGORY_LU:
        case UTF8PROC_CATEGORY_LL:
        case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO:
            return true;
        default:
            return false;
    }
}

bool is_upper(char32_t cp) noexcept {
    const auto c = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

bool is_digit(char32_t cp) noexcept {
    return utf8proc_category(static_cast<utf8proc_int32_t>(cp)) == UTF8PROC_CATEGORY_ND;
}

bool is_space(char32_t cp) noexcept {
    return cp == 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp == 0xa0 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f ||
           cp == 0x205f || cp == 0x3000 || cp == 0x1680 || cp == 0x2028 || cp == 0x2029;
}

}  // namespace provcheck::utf8
