// The HTTP client: one request per transfer (redirects are never followed here; the capture stage
// follows them so that every hop is recorded and checked), many transfers at once on libcurl's multi
// interface, with a global limit and, per host, the politeness of net/politeness.hpp: a parallel limit,
// a minimum interval between starts, Retry-After and back-off, and giving up on a host that keeps failing.
// Each of those, and a transfer's timeout, retries, User-Agent, body cap and speed limit, may be set per host
// (FetchOptions::hosts); a host's settings are fixed when its first request is submitted.
//
// Input: FetchRequests submitted before or during run(). Output: one FetchResponse per request, handed
// to the request's completion in the thread that calls run(). A request is retried (at most
// `retries` times) on connection resets, timeouts before any body, 5xx and 429; only its last attempt
// is answered. Once a host is given up (its name does not resolve, or `host_failure_limit` requests in a
// row failed after their retries), every request still waiting for it is answered with the host's
// failure class and a message saying so, without a connection.
//
// Memory: a body longer than spool_above bytes goes on to a temporary file in spool_dir as it arrives
// (Exchange::spooled), so each transfer in flight holds at most spool_above bytes of body in memory.
//
// Bounds: the decoded body is cut at max_filesize (truncated "length": a gzip bomb stops there); a
// transfer slower than speed_limit bytes/s for speed_time seconds, or longer than timeout_s, stops; what
// had arrived by then is kept as truncated "time" when a response had begun, else it is a timeout failure.
//
// Never: follows a redirect, sends URL credentials, speaks anything but http/https, uses a proxy from
// the environment, or connects to an address that address_allowed() refuses (checked on the address
// actually connected, after DNS and after --connect-to). HTTP status codes are not failures here.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/exchange.hpp"
#include "core/types.hpp"
#include "net/politeness.hpp"
#include "net/progress.hpp"

namespace provcheck {

// Spelled as curl spells the matching command line options.
struct FetchOptions {
    std::vector<std::string> connect_to;  // "HOST1:PORT1:HOST2:PORT2"; empty HOST1/PORT1 match any
    std::optional<std::filesystem::path> cacert;
    bool allow_private_addresses = false;
    std::string user_agent = "Mozilla/5.0 (compatible; provcheck/0.1)";
    long timeout_s = 30;
    int max_redirs = 10;                               // used by the capture stage, which follows redirects
    std::uint64_t max_filesize = 32ULL * 1024 * 1024;  // cap on the decoded body; longer bodies are cut
    std::size_t spool_above = 256 * 1024;              // body bytes kept in memory before it goes to a file
    std::optional<std::filesystem::path> spool_dir;    // where; empty: the system's temporary directory
    int parallel_max = 64;
    int host_parallel_max = 4;
    int host_interval_ms = 100;
    int retries = 2;             // retries after the first attempt of a request
    int retry_base_ms = 500;     // first back-off; doubled per retry, jittered, capped by timeout_s
    int host_failure_limit = 3;  // requests failing in a row (after retries) before a host is given up
    long speed_limit = 100;      // bytes per second below which, for speed_time seconds, a transfer stops
    long speed_time_s = 10;
    ProgressSink progress;  // live progress reports, about four a second; empty: none
    // Told of each retry as it is scheduled: the URL, the wait, the attempt and why (the failure or status, and
    // the Retry-After asked for), in the thread running the transfers; empty: nobody is told.
    std::function<void(std::string_view)> on_retry;
    // Per-host settings over the ones above (limits_for_host in net/politeness.hpp): a host's queue takes
    // its parallel limit and interval from them, and each transfer to it its timeout, retries, User-Agent,
    // body cap and speed limit.
    std::vector<HostOverride> hosts;
    // Fleet-wide politeness over the per-host limits above (null: this process alone counts).
    std::shared_ptr<HostGate> gate;
};

struct ConnectTo {
    std::string host1;  // empty: any host
    std::string port1;  // empty: any port
    std::string host2;  // empty: the request's host
    std::string port2;  // empty: the request's port
};

// Parses one --connect-to value with curl's semantics; IPv6 hosts are written in brackets.
[[nodiscard]] Result<ConnectTo> parse_connect_to(std::string_view spec);
// Checks every option; ErrorCode::usage naming the bad option otherwise.
[[nodiscard]] Result<void> validate_fetch_options(const FetchOptions& opts);

// `url` without user name and password; nullopt when it is not a URL.
[[nodiscard]] std::optional<std::string> strip_credentials(std::string_view url);

// The failure class of a finished transfer's CURLcode (passed as int to keep curl out of this header).
// `blocked` is whether the safety check refused an address during the transfer.
[[nodiscard]] FailureClass failure_class_for_curl_code(int curl_code, bool blocked) noexcept;

struct FetchRequest {
    std::string url;
    std::string user_agent;  // empty: FetchOptions::user_agent
    // Extra request headers, "Name: value" each (conditional requests: If-None-Match, If-Modified-Since).
    // A header containing CR or LF, or no colon, is dropped by submit().
    std::vector<std::string> headers;
};

struct FetchResponse {
    // url (credentials stripped), request_head as sent, status_line, headers and status of the final
    // response, body after content decoding (cut at max_filesize, then truncated = "length"), remote_ip,
    // fetched_at from the injected clock. For a failure, whatever arrived before it.
    Exchange exchange;
    std::optional<CaptureFailure> failure;
    int attempts = 0;  // requests made for it (0 when refused or given up before any)
};

class Fetcher {
public:
    using Completion = std::function<void(FetchResponse)>;

    // ErrorCode::usage for bad options, ErrorCode::network when libcurl cannot be set up.
    // `clock` must outlive the Fetcher.
    [[nodiscard]] static Result<Fetcher> create(FetchOptions opts, const Clock& clock);
    Fetcher(Fetcher&&) noexcept;
    Fetcher& operator=(Fetcher&&) noexcept;
    ~Fetcher();

    // Queues a request. May be called from a completion while run() is active.
    void submit(FetchRequest request, Completion done);
    // Runs until every submitted request (including those submitted by completions) has completed.
    // May be called again for new submissions: the hosts' state (waits, hosts given up) and the connection
    // cache carry over.
    // Errors only when the transfer machinery itself fails; each request's outcome goes to its completion.
    [[nodiscard]] Result<void> run();

    // For running the Fetcher on a thread of its own (net/fetch_thread.hpp). `each_round` is called in run()'s
    // thread before every round of starting and finishing transfers (it may submit); when it returns false,
    // run() stops at once, transfers abandoned, with ErrorCode::internal. `may_start` is asked, with the number
    // of transfers running, before each transfer is started; while it says no, nothing new starts (the
    // consumer is behind).
    struct Hooks {
        std::function<bool()> each_round;
        std::function<bool(std::size_t running)> may_start;
    };
    void set_hooks(Hooks hooks);
    // Makes a run() waiting for network activity go round at once. The only member that may be called from
    // another thread while run() is active.
    void wake() noexcept;

private:
    struct Impl;
    explicit Fetcher(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace provcheck
