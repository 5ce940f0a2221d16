#include "net/fetcher.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "net/fetch_detail.hpp"

namespace provcheck {

namespace {

// Reads one connect-to field: a bracketed IPv6 literal or text up to the next ':'.
std::optional<std::string_view> take_field(std::string_view& rest, bool host) {
    std::string_view field;
    if (host && !rest.empty() && rest.front() == '[') {
        auto close = rest.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        field = rest.substr(0, close + 1);
        rest.remove_prefix(close + 1);
    } else {
        auto colon = rest.find(':');
        field = rest.substr(0, colon);
        rest.remove_prefix(colon == std::string_view::npos ? rest.size() : colon);
    }
    return field;
}

bool valid_port(std::string_view p) {
    if (p.empty()) return true;
    int v = 0;
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
    return ec == std::errc{} && ptr == p.data() + p.size() && v >= 1 && v <= 65535;
}

}  // namespace

namespace detail {

std::string join_connect_to(const ConnectTo& c) {
    return fmt::format("{}:{}:{}:{}", c.host1, c.port1, c.host2, c.port2);
}

}  // namespace detail

Result<ConnectTo> parse_connect_to(std::string_view spec) {
    std::string_view rest = spec;
    ConnectTo out;
    std::array<std::string*, 4> fields{&out.host1, &out.port1, &out.host2, &out.port2};
    for (std::size_t i = 0; i < fields.size(); ++i) {
        auto f = take_field(rest, i % 2 == 0);
        if (!f) return fail(ErrorCode::usage, fmt::format("--connect-to {}: unterminated '[' in a host", spec));
        *fields[i] = std::string(*f);
        if (i + 1 < fields.size()) {
            if (rest.empty() || rest.front() != ':') {
                return fail(ErrorCode::usage, fmt::format("--connect-to {}: expected HOST1:PORT1:HOST2:PORT2", spec));
            }
            rest.remove_prefix(1);
        }
    }
    if (!rest.empty()) {
        return fail(ErrorCode::usage, fmt::format("--connect-to {}: expected HOST1:PORT1:HOST2:PORT2", spec));
    }
    if (!valid_port(out.port1) || !valid_port(out.port2)) {
        return fail(ErrorCode::usage, fmt::format("--connect-to {}: a port must be a number from 1 to 65535", spec));
    }
    return out;
}

Result<void> validate_fetch_options(const FetchOptions& opts) {
    for (const auto& c : opts.connect_to) {
        if (auto r = parse_connect_to(c); !r) return std::unexpected(r.error());
    }
    if (opts.timeout_s <= 0) return fail(ErrorCode::usage, "--timeout must be a positive number of seconds");
    if (opts.max_redirs < 0) return fail(ErrorCode::usage, "--max-redirs must not be negative");
    if (opts.max_filesize == 0) return fail(ErrorCode::usage, "--max-filesize must be positive");
    if (opts.parallel_max < 1) return fail(ErrorCode::usage, "--parallel-max must be at least 1");
    if (opts.host_parallel_max < 1) return fail(ErrorCode::usage, "--host-parallel-max must be at least 1");
    if (opts.host_interval_ms < 0) return fail(ErrorCode::usage, "--host-interval must not be negative");
    if (opts.retries < 0) return fail(ErrorCode::usage, "--retries must not be negative");
    if (opts.retry_base_ms < 0) return fail(ErrorCode::usage, "the retry delay must not be negative");
    if (opts.host_failure_limit < 1) return fail(ErrorCode::usage, "the host failure limit must be at least 1");
    if (opts.speed_limit < 0) return fail(ErrorCode::usage, "--speed-limit must not be negative");
    if (opts.speed_time_s < 0) return fail(ErrorCode::usage, "--speed-time must not be negative");
    if (opts.user_agent.find_first_of("\r\n") != std::string::npos) {
        return fail(ErrorCode::usage, "--user-agent must be one line");
    }
    for (const auto& h : opts.hosts) {
        auto bad = [&](std::string_view what) {
            return fail(ErrorCode::usage, fmt::format("host \"{}\": {}", h.name, what));
        };
        const bool name_ok =
            !h.name.empty() && h.name.front() != '.' && h.name.back() != '.' &&
            std::all_of(h.name.begin(), h.name.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
            });
        if (!name_ok) return bad("not a host name (lower-case letters, digits, '-', '_' and '.', no port)");
        if (h.parallel_max && (*h.parallel_max < 1 || *h.parallel_max > 256)) {
            return bad("parallel_max must be from 1 to 256");
        }
        if (h.interval_ms && (*h.interval_ms < 0 || *h.interval_ms > 600000)) {
            return bad("interval_ms must be from 0 to 600000");
        }
        if (h.timeout_s && (*h.timeout_s < 1 || *h.timeout_s > 3600)) return bad("timeout must be from 1 to 3600");
        if (h.retries && (*h.retries < 0 || *h.retries > 10)) return bad("retries must be from 0 to 10");
        if (h.user_agent && h.user_agent->find_first_of("\r\n") != std::string::npos) {
            return bad("user_agent must be one line");
        }
        if (h.max_filesize && *h.max_filesize == 0) return bad("max_filesize must be positive");
        if (h.speed_limit && *h.speed_limit < 0) return bad("speed_limit must not be negative");
        if (h.speed_time_s && (*h.speed_time_s < 0 || *h.speed_time_s > 3600)) {
            return bad("speed_time must be from 0 to 3600");
        }
    }
    return {};
}

}  // namespace provcheck
