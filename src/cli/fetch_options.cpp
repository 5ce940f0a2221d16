#include "cli/fetch_options.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <string_view>
#include <utility>

namespace provcheck {

CLI::Validator whole_number(std::int64_t lo, std::int64_t hi, std::string what) {
    return CLI::Validator(
        [lo, hi, what](std::string& text) -> std::string {
            std::int64_t v = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            const bool number = !text.empty() && ec == std::errc{} && end == text.data() + text.size();
            if (number && v >= lo && v <= hi) return {};
            return fmt::format("{} is not allowed: give {} from {} to {}", number ? text : "'" + text + "'", what, lo,
                               hi);
        },
        fmt::format("{}..{}", lo, hi));
}

CLI::Validator duration_in(std::int64_t unit_ms, std::string unit_name) {
    return CLI::Validator(
        [unit_ms, unit_name](std::string& text) -> std::string {
            constexpr std::pair<std::string_view, std::int64_t> units[] = {
                {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}};
            std::string_view number = text;
            std::int64_t scale = 0;
            for (const auto& [suffix, ms] : units) {
                if (number.size() > suffix.size() && number.ends_with(suffix) &&
                    std::isdigit(static_cast<unsigned char>(number[number.size() - suffix.size() - 1])) != 0) {
                    number.remove_suffix(suffix.size());
                    scale = ms;
                    break;
                }
            }
            if (scale == 0) return {};  // a bare number is in the option's own unit
            std::int64_t v = 0;
            const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
            if (ec != std::errc{} || end != number.data() + number.size() || v < 0 || v > (std::int64_t{1} << 40)) {
                return fmt::format("'{}' is not a duration (a number, or a number followed by ms, s, m, h or d)", text);
            }
            if ((v * scale) % unit_ms != 0) {
                return fmt::format("{} is not a whole number of {}", text, unit_name);
            }
            text = std::to_string(v * scale / unit_ms);
            return {};
        },
        "", "duration");
}

void add_fetch_options(CLI::App& check, FetchOptions& fetch) {
    check.add_option("--connect-to", fetch.connect_to,
                     "HOST1:PORT1:HOST2:PORT2: connect to HOST2:PORT2 for requests to HOST1:PORT1 (curl semantics); "
                     "repeatable");
    check.add_option("--cacert", fetch.cacert, "CA certificates (PEM) to verify TLS peers with");
    check.add_flag("--allow-private-addresses", fetch.allow_private_addresses,
                   "Allow connections to loopback and private (RFC 1918, unique-local) addresses; link-local, "
                   "multicast and unspecified stay refused");
    check.add_option("-A,--user-agent", fetch.user_agent, "User-Agent for requests (shorteners get their own)");
    check.add_option("--timeout", fetch.timeout_s, "Deadline of one transfer, in seconds (or 30s, 2m)")
        ->transform(duration_in(1000, "seconds"))
        ->check(whole_number(1, 3600, "a number of seconds"))
        ->capture_default_str();
    check.add_option("--max-redirs", fetch.max_redirs, "Most redirect hops followed from one URL (0: none)")
        ->check(whole_number(0, 100, "a number of hops"))
        ->capture_default_str();
    check
        .add_option("--max-filesize", fetch.max_filesize,
                    "Largest body kept, in bytes (also after decompression, from a --replay archive and from a "
                    "local file); a longer one is cut there and counts as truncated")
        ->check(whole_number(1, std::int64_t{1} << 40, "a number of bytes"))
        ->capture_default_str();
    check.add_option("--parallel-max", fetch.parallel_max, "Most transfers in flight")
        ->check(whole_number(1, 1024, "a number of transfers"))
        ->capture_default_str();
    check.add_option("--host-parallel-max", fetch.host_parallel_max, "Most transfers in flight to one host")
        ->check(whole_number(1, 256, "a number of transfers"))
        ->capture_default_str();
    check
        .add_option("--host-interval", fetch.host_interval_ms,
                    "Least time between request starts to one host, in milliseconds (or 250ms, 1s)")
        ->transform(duration_in(1, "milliseconds"))
        ->check(whole_number(0, 600000, "a number of milliseconds"))
        ->capture_default_str();
    check
        .add_option("--retries", fetch.retries,
                    "Retries of a request after a connection reset, a timeout, a 5xx or a 429, with exponential "
                    "back-off (Retry-After honoured on 429 and 503, at most --timeout)")
        ->check(whole_number(0, 10, "a number of retries"))
        ->capture_default_str();
    check
        .add_option("-Y,--speed-limit", fetch.speed_limit,
                    "A transfer slower than this many bytes per second for --speed-time seconds is cut off "
                    "(kept as truncated \"time\" when a response had begun)")
        ->check(whole_number(0, std::int64_t{1} << 40, "a number of bytes per second (0: no limit)"))
        ->capture_default_str();
    check
        .add_option("-y,--speed-time", fetch.speed_time_s,
                    "Seconds of --speed-limit before a transfer is cut off (or 30s, 2m)")
        ->transform(duration_in(1000, "seconds"))
        ->check(whole_number(0, 3600, "a number of seconds (0: no limit)"))
        ->capture_default_str();
    // A live line on stderr only where someone watches it; redirected stderr stays clean.
    fetch.progress = make_terminal_progress();
    check.add_flag_callback(
        "--no-progress", [&fetch] { fetch.progress = nullptr; }, "No live progress line on stderr");
}

}  // namespace provcheck
