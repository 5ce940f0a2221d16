#include "check/options.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <utility>

#include "core/text.hpp"
#include "core/url.hpp"

namespace provcheck {

Result<SourceBinding> parse_source_binding(std::string_view arg) {
    SourceBinding b{"", std::string(trim(arg))};
    auto eq = arg.find('=');
    if (eq != std::string_view::npos && eq > 0) {
        std::string_view name = arg.substr(0, eq);
        if (name.find(':') == std::string_view::npos && name.find('/') == std::string_view::npos) {
            b = {std::string(trim(name)), std::string(trim(arg.substr(eq + 1)))};
            if (b.target.empty()) {
                return fail(
                    ErrorCode::usage,
                    fmt::format("--source {}: no URL or file after '{}='; give NAME=URL or NAME=PATH", arg, b.name));
            }
        }
    }
    if (b.target.empty()) return fail(ErrorCode::usage, "--source: give a URL or a file (NAME=URL binds it to NAME)");
    if (is_http_url(b.target)) {
        if (!parse_url(b.target)) {
            return fail(ErrorCode::usage, fmt::format("--source {}: '{}' is not a valid URL", arg, b.target));
        }
        return b;
    }
    // Not an http(s) URL: a file that exists, or a mistyped URL, which is named as such.
    const auto colon = b.target.find(':');
    const bool looks_like_url = colon != std::string::npos && colon > 0 &&
                                b.target.find_first_of("/\\") != std::string::npos &&
                                b.target.find_first_of("/\\") > colon;
    std::error_code ec;
    if (looks_like_url || !std::filesystem::exists(b.target, ec)) {
        return fail(ErrorCode::usage,
                    fmt::format("--source {}: '{}' is neither an http(s) URL nor an existing file", arg, b.target));
    }
    return b;
}

Result<std::chrono::seconds> parse_duration(std::string_view given, std::string_view what) {
    auto bad = [&] {
        return fail(
            ErrorCode::usage,
            fmt::format("{}: '{}' is not a duration (seconds, or a number followed by s, m, h or d)", what, given));
    };
    std::string_view text = trim(given);
    std::int64_t unit = 1;
    constexpr std::pair<char, std::int64_t> units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
    for (const auto& [suffix, seconds] : units) {
        if (!text.empty() && text.back() == suffix) {
            unit = seconds;
            text.remove_suffix(1);
            break;
        }
    }
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    // Ten years is more than any setting needs; the bound also keeps the product from overflowing.
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || n < 0 || n > 3650 * 86400 / unit)
        return bad();
    return std::chrono::seconds(n * unit);
}

}  // namespace provcheck
