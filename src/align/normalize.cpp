#include "align/normalize.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>

#include "core/text.hpp"
#include "extract/utf8.hpp"

namespace provcheck::align {

namespace {

constexpr std::int32_t invalid_cp = -1;

struct Decoded {
    std::int32_t cp = invalid_cp;
    std::size_t len = 1;
};

Decoded decode_at(std::string_view text, std::size_t pos) noexcept {
    const auto c = static_cast<unsigned char>(text[pos]);
    if (c < 0x80) return {static_cast<std::int32_t>(c), 1};
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
                                    static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
    if (n <= 0) return {invalid_cp, 1};
    return {cp, static_cast<std::size_t>(n)};
}

utf8proc_category_t category(std::int32_t cp) noexcept {
    return utf8proc_category(cp);
}

bool is_word_cp(std::int32_t cp) noexcept {
    if (cp < 0x80) {
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    }
    const auto c = category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO);
}

bool is_letter_cp(std::int32_t cp) noexcept {
    if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    const auto c = category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME;
}

bool is_digit_cp(std::int32_t cp) noexcept {
    if (cp < 0x80) return cp >= '0' && cp <= '9';
    return category(cp) == UTF8PROC_CATEGORY_ND;
}

// Soft hyphen, zero-width space and joiners, word joiner, BOM, bidi marks: all of category Cf.
bool is_ignorable_cp(std::int32_t cp) noexcept {
    return cp >= 0x80 && category(cp) == UTF8PROC_CATEGORY_CF;
}

bool is_apostrophe_cp(std::int32_t cp) noexcept {
    return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02bc || cp == 0xff07;
}

bool is_space_cp(std::int32_t cp) noexcept {
    if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0d);
    const auto c = category(cp);
    return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP || cp == 0x85;
}

bool is_quote_mark_cp(std::int32_t cp) noexcept {
    if (cp == '"' || cp == '\'' || cp == 0xff02 || cp == 0xff07 || (cp >= 0x300c && cp <= 0x300f)) return true;
    if (cp < 0x80) return false;
    const auto c = category(cp);
    return c == UTF8PROC_CATEGORY_PI || c == UTF8PROC_CATEGORY_PF || cp == 0x201a || cp == 0x201e;
}

bool is_dash_cp(std::int32_t cp) noexcept {
    if (cp == '-') return true;
    if (cp < 0x80) return false;
    return category(cp) == UTF8PROC_CATEGORY_PD || cp == 0x2212;
}

bool is_opening_cp(std::int32_t cp) noexcept {
    if (cp == '(' || cp == '[' || cp == '{') return true;
    return cp >= 0x80 && category(cp) == UTF8PROC_CATEGORY_PS;
}

struct FreeDeleter {
    void operator()(utf8proc_uint8_t* p) const noexcept { std::free(p); }
};

// NFKC, optionally case-folded. `s` is valid UTF-8 (built from decoded code points).
std::string nfkc(std::string_view s, bool casefold) {
    utf8proc_uint8_t* out = nullptr;
    int options = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT;
    if (casefold) options |= UTF8PROC_CASEFOLD;
    const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                static_cast<utf8proc_ssize_t>(s.size()), &out, static_cast<utf8proc_option_t>(options));
    std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owned(out);
    if (n < 0 || out == nullptr) return std::string(s);
    return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

void append_cp(std::string& out, std::int32_t cp) {
    utf8proc_uint8_t buf[4];
    const auto n = utf8proc_encode_char(cp, buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

bool is_ascii(std::string_view s) noexcept {
    for (char c : s) {
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    }
    return true;
}

bool looks_numeric(std::string_view shape) noexcept {
    if (shape.empty() || shape.front() < '0' || shape.front() > '9') return false;
    for (char c : shape) {
        if (!((c >= '0' && c <= '9') || c == ',' || c == '.')) return false;
    }
    return true;
}

// "1,400" -> "1400", "1,400.5" -> "1400.5", "1.400.000" -> "1400000", "1,5" -> "1.5".
std::string number_key(std::string_view s) {
    std::size_t periods = 0;
    for (char c : s)
        periods += c == '.' ? 1 : 0;
    std::string out = "#";
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c != ',' && c != '.') {
            out += c;
            continue;
        }
        std::size_t group = 0;
        for (std::size_t k = i + 1; k < s.size() && s[k] >= '0' && s[k] <= '9'; ++k)
            ++group;
        const bool thousands = group == 3 && (c == ',' || periods > 1);
        if (!thousands) out += '.';
    }
    return out;
}

}  // namespace

Folded fold_token(std::string_view bytes, const ByteMask& mask, std::size_t mask_offset) {
    auto masked = [&](std::size_t i) {
        return !mask.empty() && mask_offset + i < mask.size() && mask[mask_offset + i];
    };
    bool any_masked = false;
    for (std::size_t i = 0; i < bytes.size() && !mask.empty(); ++i)
        any_masked = any_masked || masked(i);

    Folded f;
    if (!any_masked && is_ascii(bytes)) {
        f.shape.assign(bytes);
        f.key = to_lower_ascii(bytes);
    } else {
        std::string cleaned;
        cleaned.reserve(bytes.size());
        for (std::size_t i = 0; i < bytes.size();) {
            if (masked(i)) {
                ++i;
                continue;
            }
            const Decoded d = decode_at(bytes, i);
            if (d.cp == invalid_cp || is_ignorable_cp(d.cp)) {
                i += d.len;
                continue;
            }
            if (is_apostrophe_cp(d.cp)) {
                cleaned += '\'';
            } else {
                cleaned.append(bytes.substr(i, d.len));
            }
            i += d.len;
        }
        if (is_ascii(cleaned)) {
            f.shape = cleaned;
            f.key = to_lower_ascii(cleaned);
        } else {
            f.shape = nfkc(cleaned, false);
            f.key = nfkc(cleaned, true);
        }
    }
    if (looks_numeric(f.shape)) {
        f.is_number = true;
        f.key = number_key(f.shape);
    }
    return f;
}

namespace {

// The tokeniser proper. `fold` false leaves TokenView::key empty and is_number unset (boundaries only);
// `fn` returns false to stop. Keys are built in one buffer reused for every token, so that ASCII text costs
// no allocation per token.
template <typename Fn>
void scan_tokens(std::string_view text, const ByteMask& mask, bool fold, Fn&& fn) {
    auto masked = [&](std::size_t p) { return !mask.empty() && p < mask.size() && mask[p]; };
    const std::size_t npos = std::string_view::npos;
    bool in_token = false;
    bool all_digits = false;
    bool editorial = false;
    bool last_was_letter = false;
    std::size_t tok_start = 0;
    std::size_t last_end = 0;
    std::size_t pending = npos;  // start of a run of ignorable bytes right before a possible token
    bool pending_masked = false;
    std::string key;

    bool stop = false;
    auto finish = [&] {
        if (in_token) {
            TokenView t;
            t.start = tok_start;
            t.end = last_end;
            const std::string_view bytes = text.substr(tok_start, last_end - tok_start);
            if (fold && mask.empty() && is_ascii(bytes)) {
                // The common case, without the two intermediate strings of fold_token.
                if (looks_numeric(bytes)) {
                    t.is_number = true;
                    key = number_key(bytes);
                } else {
                    key.resize(bytes.size());
                    for (std::size_t k = 0; k < bytes.size(); ++k) {
                        const char c = bytes[k];
                        key[k] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
                    }
                }
                t.key = key;
            } else if (fold) {
                Folded f = fold_token(bytes, mask, tok_start);
                key = std::move(f.key);
                t.key = key;
                t.is_number = f.is_number;
            }
            t.editorial = editorial;
            stop = !fn(t);
        }
        in_token = false;
        pending = npos;
        pending_masked = false;
    };
    auto next_cp = [&](std::size_t p) -> std::int32_t {
        if (p >= text.size() || masked(p)) return invalid_cp;
        return decode_at(text, p).cp;
    };
    auto ascii_alnum = [](unsigned char c) {
        return (c >= '0' && c <= '9') || ((c | 0x20U) >= 'a' && (c | 0x20U) <= 'z');
    };

    std::size_t pos = 0;
    while (pos < text.size() && !stop) {
        const auto byte = static_cast<unsigned char>(text[pos]);
        if (!in_token && pending == npos && mask.empty() && ascii_alnum(byte)) {
            // A word starting with an ASCII letter or digit. When its run of ASCII letters and digits ends on
            // ASCII punctuation that cannot join it, it is a whole token: emitted at once, without the
            // general state machine below.
            std::size_t end = pos + 1;
            bool digits = byte <= '9';
            bool letter = !digits;
            while (end < text.size()) {
                const auto c = static_cast<unsigned char>(text[end]);
                if (!ascii_alnum(c)) break;
                digits = digits && c <= '9';
                letter = c > '9';
                ++end;
            }
            const auto next = end < text.size() ? static_cast<unsigned char>(text[end]) : ' ';
            if (next < 0x80 && next != '\'' && next != ',' && next != '.') {
                TokenView t;
                t.start = pos;
                t.end = end;
                if (fold) {
                    key.resize(end - pos + (digits ? 1 : 0));
                    std::size_t k = 0;
                    if (digits) key[k++] = '#';
                    for (std::size_t i = pos; i < end; ++i, ++k) {
                        const char c = text[i];
                        key[k] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
                    }
                    t.key = key;
                    t.is_number = digits;
                }
                stop = !fn(t);
                pos = end;
                continue;
            }
            in_token = true;
            tok_start = pos;
            editorial = false;
            all_digits = digits;
            last_was_letter = letter;
            last_end = end;
            pos = end;
            continue;
        }
        if (byte < 0x80 && !ascii_alnum(byte) && mask.empty()) {
            // ASCII punctuation and spaces, most of what lies between words: never ignorable, never part of
            // a word except an apostrophe between letters and a separator between digits.
            if (in_token) {
                if (byte == '\'' && last_was_letter) {
                    const std::int32_t after = next_cp(pos + 1);
                    if (after != invalid_cp && is_letter_cp(after)) {
                        ++pos;
                        continue;
                    }
                } else if ((byte == ',' || byte == '.') && all_digits) {
                    const std::int32_t after = next_cp(pos + 1);
                    if (after != invalid_cp && is_digit_cp(after)) {
                        ++pos;
                        continue;
                    }
                }
            }
            finish();
            ++pos;
            continue;
        }
        if (masked(pos)) {
            if (in_token) {
                editorial = true;
                last_end = pos + 1;  // "Israel[i]": the closing bracket belongs to the word
            } else if (pending == npos) {
                pending = pos;
            }
            if (!in_token) pending_masked = true;
            ++pos;
            continue;
        }
        const Decoded d = decode_at(text, pos);
        if (d.cp == invalid_cp) {
            finish();
            pos += 1;
            continue;
        }
        if (is_word_cp(d.cp)) {
            if (!in_token) {
                in_token = true;
                tok_start = pending != npos ? pending : pos;
                editorial = pending_masked;
                all_digits = true;
                pending = npos;
                pending_masked = false;
            }
            all_digits = all_digits && is_digit_cp(d.cp);
            last_was_letter = is_letter_cp(d.cp);
            pos += d.len;
            if (mask.empty()) {
                // The rest of a run of ASCII letters and digits in one tight loop: most of any source.
                while (pos < text.size()) {
                    const auto c = static_cast<unsigned char>(text[pos]);
                    const bool digit = c >= '0' && c <= '9';
                    const bool letter = (c | 0x20U) >= 'a' && (c | 0x20U) <= 'z';
                    if (!digit && !letter) break;
                    all_digits = all_digits && digit;
                    last_was_letter = letter;
                    ++pos;
                }
            }
            last_end = pos;
            continue;
        }
        if (is_ignorable_cp(d.cp)) {
            if (!in_token && pending == npos) pending = pos;
            pos += d.len;
            continue;
        }
        if (in_token) {
            const std::int32_t after = next_cp(pos + d.len);
            if (is_apostrophe_cp(d.cp) && last_was_letter && after != invalid_cp && is_letter_cp(after)) {
                pos += d.len;
                continue;
            }
            if ((d.cp == ',' || d.cp == '.') && all_digits && after != invalid_cp && is_digit_cp(after)) {
                pos += d.len;
                continue;
            }
        }
        finish();
        pos += d.len;
    }
    if (!stop) finish();
}

}  // namespace

void for_each_token(std::string_view text, const ByteMask& mask, const std::function<void(Token&&)>& fn) {
    scan_tokens(text, mask, true, [&](const TokenView& v) {
        fn(Token{v.start, v.end, std::string(v.key), v.is_number, v.editorial});
        return true;
    });
}

void for_each_token_while(std::string_view text, const std::function<bool(Token&&)>& fn) {
    scan_tokens(text, {}, true, [&](const TokenView& v) {
        return fn(Token{v.start, v.end, std::string(v.key), v.is_number, v.editorial});
    });
}

void for_each_token_view(std::string_view text, const std::function<void(const TokenView&)>& fn) {
    scan_tokens(text, {}, true, [&](const TokenView& v) {
        fn(v);
        return true;
    });
}

std::vector<std::pair<std::size_t, std::size_t>> token_bounds(std::string_view text, std::size_t first,
                                                              std::size_t count) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    out.reserve(count);
    if (count == 0) return out;
    scan_tokens(text, {}, false, [&](const TokenView& t) {
        if (first > 0) {
            --first;
            return true;
        }
        out.emplace_back(t.start, t.end);
        return out.size() < count;
    });
    return out;
}

std::optional<std::pair<std::size_t, std::size_t>> nth_token_bounds(std::string_view text, std::size_t n) {
    std::optional<std::pair<std::size_t, std::size_t>> out;
    scan_tokens(text, {}, false, [&](const TokenView& t) {
        if (n > 0) {
            --n;
            return true;
        }
        out.emplace(t.start, t.end);
        return false;
    });
    return out;
}

std::vector<Token> tokenize(std::string_view text, const ByteMask& mask) {
    std::vector<Token> out;
    for_each_token(text, mask, [&](Token&& t) { out.push_back(std::move(t)); });
    return out;
}

std::string fold_gap(std::string_view bytes) {
    std::string out;
    for (std::size_t i = 0; i < bytes.size();) {
        const Decoded d = decode_at(bytes, i);
        i += d.len;
        if (d.cp == invalid_cp || is_space_cp(d.cp) || is_ignorable_cp(d.cp) || is_quote_mark_cp(d.cp)) continue;
        if (is_dash_cp(d.cp)) {
            if (out.empty() || out.back() != '-') out += '-';
            continue;
        }
        append_cp(out, d.cp);
    }
    return is_ascii(out) ? out : nfkc(out, false);
}

std::string strip_marks(std::string_view key) {
    return utf8::without_marks(key);
}

bool word_char_at(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return false;
    const Decoded d = decode_at(text, pos);
    return d.cp != invalid_cp && is_word_cp(d.cp);
}

bool word_char_before(std::string_view text, std::size_t pos) {
    if (pos == 0 || pos > text.size()) return false;
    std::size_t q = pos - 1;
    while (q > 0 && (static_cast<unsigned char>(text[q]) & 0xc0) == 0x80)
        --q;
    return word_char_at(text, q);
}

bool starts_with_capital(std::string_view shape) {
    if (shape.empty()) return false;
    const Decoded d = decode_at(shape, 0);
    if (d.cp == invalid_cp) return false;
    if (d.cp < 0x80) return d.cp >= 'A' && d.cp <= 'Z';
    const auto c = category(d.cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

bool at_sentence_start(std::string_view text, std::size_t pos) {
    pos = std::min(pos, text.size());
    while (pos > 0) {
        std::size_t q = pos - 1;
        while (q > 0 && (static_cast<unsigned char>(text[q]) & 0xc0) == 0x80)
            --q;
        const Decoded d = decode_at(text, q);
        if (d.cp != invalid_cp &&
            (is_space_cp(d.cp) || is_quote_mark_cp(d.cp) || is_opening_cp(d.cp) || is_ignorable_cp(d.cp))) {
            pos = q;
            continue;
        }
        return d.cp == '.' || d.cp == '!' || d.cp == '?' || d.cp == 0x2026;
    }
    return true;
}

std::string clean_copy(std::string_view bytes) {
    const std::string s = sanitize_utf8(bytes);
    std::size_t b = 0;
    std::size_t e = s.size();
    while (b < e) {
        const Decoded d = decode_at(s, b);
        if (!is_space_cp(d.cp)) break;
        b += d.len;
    }
    while (e > b) {
        std::size_t q = e - 1;
        while (q > b && (static_cast<unsigned char>(s[q]) & 0xc0) == 0x80)
            --q;
        const Decoded d = decode_at(s, q);
        if (!is_space_cp(d.cp)) break;
        e = q;
    }
    return s.substr(b, e - b);
}

std::size_t codepoint_floor(std::string_view text, std::size_t pos) noexcept {
    if (pos >= text.size()) return text.size();
    while (pos > 0 && (static_cast<unsigned char>(text[pos]) & 0xc0) == 0x80)
        --pos;
    return pos;
}

}  // namespace provcheck::align
