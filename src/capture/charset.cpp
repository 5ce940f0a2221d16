#include "capture/charset.hpp"

#include <iconv.h>

#include <array>
#include <cerrno>
#include <memory>
#include <utility>

#include "core/text.hpp"

namespace provcheck {

namespace {

struct IconvCloser {
    void operator()(void* cd) const noexcept { iconv_close(static_cast<iconv_t>(cd)); }
};
using IconvHandle = std::unique_ptr<void, IconvCloser>;

IconvHandle open_to_utf8(const std::string& charset) {
    // iconv's name for the encoding where it differs from the canonical one.
    std::string from = charset;
    if (charset == "shift_jis") from = "CP932";
    iconv_t cd = iconv_open("UTF-8", from.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) return nullptr;
    return IconvHandle(cd);
}

constexpr std::string_view replacement = "\xEF\xBF\xBD";

// Well-formed UTF-8 without NUL: what sanitize_utf8() leaves as it is.
bool clean_utf8(std::string_view s) {
    return valid_utf8(s) && s.find('\0') == std::string_view::npos;
}

std::string_view strip_quotes(std::string_view v) {
    v = trim(v);
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
        v = v.substr(1, v.size() - 2);
    return trim(v);
}

// The value after `charset=` in `s`, up to a quote, space, ';' or '>'.
std::string charset_value_after(std::string_view s, std::size_t at) {
    std::size_t i = at + 7;  // past "charset"
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
        ++i;
    if (i >= s.size() || s[i] != '=') return {};
    ++i;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '"' || s[i] == '\''))
        ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != '"' && s[i] != '\'' && s[i] != ' ' && s[i] != ';' && s[i] != '>' && s[i] != '/')
        ++i;
    return to_lower_ascii(s.substr(start, i - start));
}

}  // namespace

std::optional<std::string> canonical_charset(std::string_view label) {
    const std::string l = to_lower_ascii(strip_quotes(label));
    if (l.empty()) return std::nullopt;
    static const std::array<std::pair<std::string_view, std::string_view>, 24> aliases{{
        {"utf8", "utf-8"},
        {"unicode-1-1-utf-8", "utf-8"},
        {"iso-8859-1", "windows-1252"},
        {"iso8859-1", "windows-1252"},
        {"iso_8859-1", "windows-1252"},
        {"latin1", "windows-1252"},
        {"l1", "windows-1252"},
        {"us-ascii", "windows-1252"},
        {"ascii", "windows-1252"},
        {"cp1252", "windows-1252"},
        {"x-cp1252", "windows-1252"},
        {"cp1251", "windows-1251"},
        {"cp1250", "windows-1250"},
        {"sjis", "shift_jis"},
        {"x-sjis", "shift_jis"},
        {"shift-jis", "shift_jis"},
        {"ms_kanji", "shift_jis"},
        {"windows-31j", "shift_jis"},
        {"csshiftjis", "shift_jis"},
        {"gb2312", "gb18030"},
        {"gbk", "gb18030"},
        {"x-gbk", "gb18030"},
        {"euc-cn", "gb18030"},
        {"iso-8859-15", "iso-8859-15"},
    }};
    std::string name = l;
    for (const auto& [alias, canonical] : aliases) {
        if (l == alias) name = std::string(canonical);
    }
    if (name == "utf-8") return name;
    if (!open_to_utf8(name)) return std::nullopt;
    return name;
}

std::string charset_from_content_type(std::string_view content_type) {
    for (auto part : split(content_type, ';')) {
        part = trim(part);
        auto eq = part.find('=');
        if (eq == std::string_view::npos || !iequals(trim(part.substr(0, eq)), "charset")) continue;
        return to_lower_ascii(strip_quotes(part.substr(eq + 1)));
    }
    return {};
}

std::string charset_from_meta(std::string_view html) {
    const std::string head = to_lower_ascii(html.substr(0, 4096));
    std::size_t pos = 0;
    while ((pos = head.find("<meta", pos)) != std::string::npos) {
        const std::size_t end = head.find('>', pos);
        const std::string_view tag =
            std::string_view(head).substr(pos, end == std::string::npos ? std::string::npos : end - pos + 1);
        pos += 5;
        const std::size_t at = tag.find("charset");
        if (at == std::string_view::npos) continue;
        // Both <meta charset="x"> and content="text/html; charset=x" put the value right after "charset".
        std::string value = charset_value_after(tag, at);
        if (!value.empty()) return value;
    }
    return {};
}

std::optional<std::string> convert_to_utf8(std::string_view bytes, const std::string& charset) {
    IconvHandle cd = open_to_utf8(charset);
    if (!cd) return std::nullopt;
    auto* handle = static_cast<iconv_t>(cd.get());
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 2);
    std::string in(bytes);
    char* src = in.data();
    std::size_t src_left = in.size();
    std::array<char, 16384> buf{};
    while (src_left > 0) {
        char* dst = buf.data();
        std::size_t dst_left = buf.size();
        const std::size_t r = iconv(handle, &src, &src_left, &dst, &dst_left);
        out.append(buf.data(), buf.size() - dst_left);
        if (r != static_cast<std::size_t>(-1)) continue;
        if (errno == E2BIG) continue;
        // An undecodable byte (EILSEQ) or a sequence cut off at the end (EINVAL): mark it and go on.
        out += replacement;
        ++src;
        --src_left;
        iconv(handle, nullptr, nullptr, nullptr, nullptr);
    }
    // Flush any shift state (stateful encodings such as ISO-2022-JP).
    char* dst = buf.data();
    std::size_t dst_left = buf.size();
    iconv(handle, nullptr, nullptr, &dst, &dst_left);
    out.append(buf.data(), buf.size() - dst_left);
    return out;
}

DecodedText decode_text(std::string_view body, std::string_view content_type, bool html) {
    std::string label;
    if (body.starts_with("\xEF\xBB\xBF")) {
        return {std::string(body.substr(3)), "utf-8"};
    } else if (body.starts_with("\xFF\xFE")) {
        label = "utf-16le";
        body.remove_prefix(2);
    } else if (body.starts_with("\xFE\xFF")) {
        label = "utf-16be";
        body.remove_prefix(2);
    }
    std::optional<std::string> charset;
    if (!label.empty()) charset = canonical_charset(label);
    if (!charset) charset = canonical_charset(charset_from_content_type(content_type));
    if (!charset && html) {
        charset = canonical_charset(charset_from_meta(body));
        // A page that could be read far enough to find its meta tag is not UTF-16, whatever the tag says.
        if (charset && charset->starts_with("utf-16")) charset = "utf-8";
    }
    if (!charset) charset = clean_utf8(body) ? "utf-8" : "windows-1252";
    if (*charset == "utf-8") return {std::string(body), *charset};
    auto converted = convert_to_utf8(body, *charset);
    if (!converted) return {std::string(body), "utf-8"};
    return {std::move(*converted), *charset};
}

}  // namespace provcheck
