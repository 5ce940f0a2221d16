#include "record/compact_json.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <string_view>

namespace provcheck {

namespace {

using nlohmann::json;

// False when `s` is not valid UTF-8; `out` is then incomplete and the caller gives up on it.
bool write_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t i = 0;
    while (i < s.size()) {
        // Runs of bytes that need nothing are copied at once.
        std::size_t run = i;
        while (run < s.size()) {
            const auto c = static_cast<unsigned char>(s[run]);
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
            ++run;
        }
        out.append(s, i, run - i);
        i = run;
        if (i == s.size()) break;
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            const std::size_t n = utf8_sequence_length(s, i);
            if (n == 0) return false;
            out.append(s, i, n);
            i += n;
            continue;
        }
        out += '\\';
        switch (c) {
            case '"':
                out += '"';
                break;
            case '\\':
                out += '\\';
                break;
            case '\b':
                out += 'b';
                break;
            case '\t':
                out += 't';
                break;
            case '\n':
                out += 'n';
                break;
            case '\f':
                out += 'f';
                break;
            case '\r':
                out += 'r';
                break;
            default:
                out += "u00";
                out += hex[c >> 4];
                out += hex[c & 0x0f];
                break;
        }
        ++i;
    }
    out += '"';
    return true;
}

template <typename Int>
void write_integer(std::string& out, Int value) {
    std::array<char, 24> buf{};
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
    out.append(buf.data(), static_cast<std::size_t>(end - buf.data()));
}

bool write_value(std::string& out, const json& v) {
    switch (v.type()) {
        case json::value_t::null:
            out += "null";
            return true;
        case json::value_t::boolean:
            out += v.get<bool>() ? "true" : "false";
            return true;
        case json::value_t::number_integer:
            write_integer(out, v.get<std::int64_t>());
            return true;
        case json::value_t::number_unsigned:
            write_integer(out, v.get<std::uint64_t>());
            return true;
        case json::value_t::number_float:
            // Shortest round-trip digits in dump()'s own notation ("30.0", "1e+20", "null" for NaN): rare
            // enough in a statement to leave to dump().
            out += v.dump();
            return true;
        case json::value_t::string:
            return write_string(out, v.get_ref<const std::string&>());
        case json::value_t::array: {
            out += '[';
            bool first = true;
            for (const auto& item : v.get_ref<const json::array_t&>()) {
                if (!first) out += ',';
                first = false;
                if (!write_value(out, item)) return false;
            }
            out += ']';
            return true;
        }
        case json::value_t::object: {
            out += '{';
            bool first = true;
            for (const auto& [key, item] : v.get_ref<const json::object_t&>()) {
                if (!first) out += ',';
                first = false;
                if (!write_string(out, key)) return false;
                out += ':';
                if (!write_value(out, item)) return false;
            }
            out += '}';
            return true;
        }
        case json::value_t::binary:
        case json::value_t::discarded:
            return false;
    }
    return false;
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept {
    auto at = [&](std::size_t k) -> unsigned { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0x100U; };
    auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) { return at(k) >= lo && at(k) <= hi; };
    const unsigned b = at(i);
    if (b >= 0xC2 && b <= 0xDF) return cont(i + 1) ? 2 : 0;
    if (b == 0xE0) return cont(i + 1, 0xA0) && cont(i + 2) ? 3 : 0;
    if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) return cont(i + 1) && cont(i + 2) ? 3 : 0;
    if (b == 0xED) return cont(i + 1, 0x80, 0x9F) && cont(i + 2) ? 3 : 0;
    if (b == 0xF0) return cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    if (b >= 0xF1 && b <= 0xF3) return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    if (b == 0xF4) return cont(i + 1, 0x80, 0x8F) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    return 0;
}

std::string compact_json(const json& document) {
    std::string out;
    out.reserve(4096);
    append_compact_json(out, document);
    return out;
}

void append_compact_json(std::string& out, const json& value) {
    const std::size_t before = out.size();
    if (write_value(out, value)) return;
    out.resize(before);
    out += value.dump();  // throws as dump() does for invalid UTF-8, or writes what only dump() knows how to
}

}  // namespace provcheck
