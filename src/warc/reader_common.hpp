// What the parts of the WARC reader share (the record input, HTTP parsing, payloads decoded as they stream): the
// size of the pieces they read and inflate at a time, and how bytes from a file appear in messages: printable and
// cut short, so that a damaged or hostile file cannot put control bytes or pages of garbage into an error.
// Internal to the warc module.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace provcheck::detail {

inline constexpr std::size_t chunk_size = 64 * 1024;

// Printable excerpt of bytes for error messages.
inline std::string excerpt(std::string_view s) {
    std::string out;
    for (char c : s.substr(0, 24)) {
        auto u = static_cast<unsigned char>(c);
        out += (u >= 0x20 && u < 0x7f) ? std::string(1, c) : fmt::format("\\x{:02x}", u);
    }
    return out;
}

}  // namespace provcheck::detail
