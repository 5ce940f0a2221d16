#include "cli/fetch_options.hpp"

namespace provcheck {

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
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    check.add_option("--max-redirs", fetch.max_redirs, "Most redirect hops followed from one URL")
        ->check(CLI::Range(0, 100))
        ->capture_default_str();
    check.add_option("--max-filesize", fetch.max_filesize, "Largest body kept, in bytes (also after decompression)")
        ->capture_default_str();
    check.add_option("--parallel-max", fetch.parallel_max, "Most transfers in flight")
        ->check(CLI::Range(1, 1024))
        ->capture_default_str();
    check.add_option("--host-parallel-max", fetch.host_parallel_max, "Most transfers in flight to one host")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    check
        .add_option("--host-interval", fetch.host_interval_ms,
                    "Least time between request starts to one host, in milliseconds")
        ->check(CLI::Range(0, 600000))
        ->capture_default_str();
    check
        .add_option("--retries", fetch.retries,
                    "Retries of a request after a connection reset, a timeout, a 5xx or a 429, with exponential "
                    "back-off (Retry-After honoured on 429 and 503, at most --timeout)")
        ->check(CLI::Range(0, 10))
        ->capture_default_str();
    check
        .add_option("-Y,--speed-limit", fetch.speed_limit,
                    "A transfer slower than this many bytes per second for --speed-time seconds is cut off "
                    "(kept as truncated \"time\" when a response had begun)")
        ->check(CLI::Range(0L, 1L << 40))
        ->capture_default_str();
    check.add_option("-y,--speed-time", fetch.speed_time_s, "Seconds of --speed-limit before a transfer is cut off")
        ->check(CLI::Range(0L, 3600L))
        ->capture_default_str();
    // A live line on stderr only where someone watches it; redirected stderr stays clean.
    fetch.progress = make_terminal_progress();
    check.add_flag_callback(
        "--no-progress", [&fetch] { fetch.progress = nullptr; }, "No live progress line on stderr");
}

}  // namespace provcheck
