// Small ASCII and UTF-8 string helpers shared by every stage.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace provcheck {

[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;
[[nodiscard]] bool istarts_with(std::string_view s, std::string_view prefix) noexcept;
[[nodiscard]] std::string to_lower_ascii(std::string_view s);
[[nodiscard]] std::string_view trim(std::string_view s) noexcept;  // ASCII whitespace
[[nodiscard]] std::vector<std::string_view> split(std::string_view s, char sep);
// Collapses runs of Unicode white space (ASCII, NBSP, U+2000–U+200A, U+202F, U+205F, U+3000) to one
// ASCII space and trims both ends.
[[nodiscard]] std::string collapse_whitespace(std::string_view s);
// Whether `s` is well-formed UTF-8 (NUL included).
[[nodiscard]] bool valid_utf8(std::string_view s) noexcept;
// Replaces invalid UTF-8 sequences by U+FFFD so that later stages can trust their input.
[[nodiscard]] std::string sanitize_utf8(std::string_view s);
// Replaces each byte that does not begin a well-formed UTF-8 sequence by U+FFFD, and leaves NUL as it is.
[[nodiscard]] std::string repair_utf8(std::string_view s);
// Text from the web made safe to print on a terminal, on one line: tabs and line breaks become spaces; other
// C0 and C1 controls (ESC, BEL: what starts an escape sequence), DEL and the bidirectional overrides and
// isolates (U+202A–U+202E, U+2066–U+2069, which reorder what is shown) become U+FFFD, so that a page can
// neither drive the terminal nor make a quotation read otherwise than it is stored.
[[nodiscard]] std::string terminal_safe(std::string_view s);
// Whether a bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069) starts at byte `i` of `s`; each is
// three bytes of UTF-8.
[[nodiscard]] bool bidi_control_at(std::string_view s, std::size_t i) noexcept;
// Empties `s` and gives its buffer back to the allocator. Neither clear() nor `s = std::string()` does:
// libstdc++ keeps the old buffer when it is assigned a short string.
inline void free_string(std::string& s) noexcept {
    std::string().swap(s);
}

}  // namespace provcheck
