// The character encoding of a text response, and its conversion to UTF-8 (glibc's iconv), so that the
// text stages see the page as it was meant: curly quotes of a windows-1252 page match the article's.
//
// Detection follows the browsers' order: a byte order mark, then the Content-Type header's charset, then a
// <meta charset> or <meta http-equiv="Content-Type"> in the first 4 KiB; with none, UTF-8 when the bytes
// are valid UTF-8, else windows-1252. Labels are mapped as browsers map them (ISO-8859-1, latin1 and
// US-ASCII decode as windows-1252; Shift_JIS as its superset windows-31J; GB2312 and GBK as GB18030).
//
// Never: changes the bytes as served (the caller keeps them for the archive and the payload digest);
// fails on bad input (a byte that cannot be decoded becomes U+FFFD).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace provcheck {

// The encoding's canonical name in lower case ("utf-8", "windows-1252", "shift_jis", "gb18030", "utf-16le"),
// or nullopt for a label that is not an encoding iconv knows.
[[nodiscard]] std::optional<std::string> canonical_charset(std::string_view label);

// The charset parameter of a Content-Type value, lower case and unquoted; "" when absent.
[[nodiscard]] std::string charset_from_content_type(std::string_view content_type);

// The charset declared by a <meta> tag near the start of an HTML document; "" when none.
[[nodiscard]] std::string charset_from_meta(std::string_view html);

struct DecodedText {
    std::string text;     // UTF-8, without a byte order mark
    std::string charset;  // canonical name of what was decoded
};

// Detects (see above) and converts. `content_type` is the whole header value.
[[nodiscard]] DecodedText decode_text(std::string_view body, std::string_view content_type, bool html);

// Converts `bytes` from `charset` (a canonical name) to UTF-8; nullopt when iconv does not know it.
[[nodiscard]] std::optional<std::string> convert_to_utf8(std::string_view bytes, const std::string& charset);

}  // namespace provcheck
