#include "extract/utf8.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>

namespace provcheck::utf8 {

CodePoint detail::decode(std::string_view s, std::size_t i) noexcept {
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

void append(std::string& out, char32_t cp) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

bool detail::is_letter(char32_t cp) noexcept {
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

bool detail::is_upper(char32_t cp) noexcept {
    const auto c = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

std::string without_marks(std::string_view s) {
    if (std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
        return std::string(s);
    utf8proc_uint8_t* out = nullptr;
    const utf8proc_ssize_t n =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()), &out,
                     static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK));
    if (n < 0 || out == nullptr) {
        std::free(out);
        return std::string(s);
    }
    std::string result(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
    std::free(out);
    return result;
}

std::string to_lower(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : s[i]);
            ++i;
            continue;
        }
        const CodePoint cp = detail::decode(s, i);
        if (cp.cp == 0xFFFD && cp.len == 1) {
            out.push_back(s[i]);  // not UTF-8: kept as it is
        } else {
            append(out, static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp.cp))));
        }
        i += cp.len;
    }
    return out;
}

bool detail::is_digit(char32_t cp) noexcept {
    return utf8proc_category(static_cast<utf8proc_int32_t>(cp)) == UTF8PROC_CATEGORY_ND;
}

}  // namespace provcheck::utf8
