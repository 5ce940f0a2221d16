#include "core/clock.hpp"

#include <fmt/format.h>

#include <charconv>

namespace provcheck {

std::string format_rfc3339(std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    auto secs = floor<seconds>(t);
    auto days = floor<std::chrono::days>(secs);
    year_month_day ymd{days};
    hh_mm_ss hms{secs - days};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count());
}

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view s) {
    using namespace std::chrono;
    auto num = [&](std::size_t pos, std::size_t len) -> std::optional<int> {
        if (pos + len > s.size()) return std::nullopt;
        int v = 0;
        auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, v);
        if (ec != std::errc{} || p != s.data() + pos + len) return std::nullopt;
        return v;
    };
    if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' ||
        s[16] != ':') {
        return std::nullopt;
    }
    auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), se = num(17, 2);
    if (!y || !mo || !d || !h || !mi || !se) return std::nullopt;
    year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
    if (!ymd.ok() || *h > 23 || *mi > 59 || *se > 60) return std::nullopt;
    std::size_t i = 19;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
    }
    int offset_min = 0;
    if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
        ++i;
    } else if (i + 6 <= s.size() && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
        auto oh = num(i + 1, 2), om = num(i + 4, 2);
        if (!oh || !om) return std::nullopt;
        offset_min = (*oh * 60 + *om) * (s[i] == '-' ? -1 : 1);
        i += 6;
    } else {
        return std::nullopt;
    }
    if (i != s.size()) return std::nullopt;
    sys_seconds t = sys_days{ymd} + hours{*h} + minutes{*mi} + seconds{*se} - minutes{offset_min};
    return time_point_cast<system_clock::duration>(t);
}

}  // namespace provcheck
