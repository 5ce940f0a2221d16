#include "cli/fetch_options.hpp"

#include <fmt/format.h>

#include <charconv>

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

void add_fetch_options(CLI::App& check, FetchOptions& fetch) {
    check.add_option("--connect-to", fetch.connect_to,
                     "HOST1:PORT1:HOST2:PORT2: connect to HOST2:PORT2 for requests to HOST1:PORT1 (curl semantics); "
                     "repeatable");
    check.add_option("--cacert", fetch.cacert, "CA certificates (PEM) to verify TLS peers with");
    check.add_flag("--allow-private-addresses", fetch.allow_private_addresses,
                   "Allow connections to loopback and private (RFC 1918, unique-local) addresses; link-local, "
                   "multicast and unspecified stay refused");
    check.add_option("-A,--user-agent", fetch.user_agent, "User-Agent for requests (shorteners get their own)");
    check.add_option("--timeout", fetch.timeout_s, "Deadline of one transfer, in seconds")
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
                    "Least time between request starts to one host, in milliseconds")
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
    check.add_option("-y,--speed-time", fetch.speed_time_s, "Seconds of --speed-limit before a transfer is cut off")
        ->check(whole_number(0, 3600, "a number of seconds (0: no limit)"))
        ->capture_default_str();
    // A live line on stderr only where someone watches it; redirected stderr stays clean.
    fetch.progress = make_terminal_progress();
    check.add_flag_callback(
        "--no-progress", [&fetch] { fetch.progress = nullptr; }, "No live progress line on stderr");
}

}  // namespace provcheck
