// Politeness and retries, as pure logic over an injected "now": no sockets, no clock of its own.
//
// HostQueue is the single unit of politeness for one host (the model is wget2's host object): it holds
// the host's waiting jobs, how many of them are in flight, the earliest time the next one may start
// (interval, Retry-After, back-off) and whether the host has been given up on. The fetcher's scheduler
// only asks each host "is there a job, and how long must I wait?" (next()), then reports what became of
// it (started(), finished()).
//
// The retry policy decides, for one finished attempt, whether to try again and after how long:
// bounded exponential back-off with jitter on connection resets, timeouts and 5xx, `Retry-After`
// (delta-seconds or an HTTP date) on 429 and 503, never longer than the cap it is given.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace provcheck {

using SteadyTime = std::chrono::steady_clock::time_point;

// `Retry-After` as a delay from `now`: delta-seconds ("120") or an HTTP date (IMF-fixdate
// "Wed, 21 Oct 2015 07:28:00 GMT", or the obsolete RFC 850 and asctime forms). A date in the past is a
// zero delay; anything else unreadable is nullopt.
[[nodiscard]] std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                                         std::chrono::system_clock::time_point now);

// The wait before retry number `attempt` (1 for the first retry): base × 2^(attempt−1), at most `cap`,
// scaled by a jitter factor in [0.5, 1] taken from `unit_random` (a number in [0, 1)), so that many
// clients failing together do not come back together.
[[nodiscard]] std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds base,
                                                      std::chrono::milliseconds cap, double unit_random) noexcept;

// What one finished attempt looked like, as far as retrying is concerned.
struct AttemptOutcome {
    std::optional<FailureClass> failure;  // a transport failure (connect, timeout, dns, tls, blocked_address, …)
    bool transient_transport = false;     // a reset, a timeout before any body, a dropped connection
    int status = 0;                       // HTTP status when a response arrived
    std::optional<std::chrono::milliseconds> retry_after;  // parsed Retry-After of that response
};

// A retry holds the whole host for `delay`, not only the request: a host that answers 429/503, resets
// connections, times out or fails with 5xx is asking for, or needs, fewer requests.
struct RetryDecision {
    bool retry = false;
    std::chrono::milliseconds delay{0};
};

struct RetryPolicy {
    int retries = 2;  // retries after the first attempt
    std::chrono::milliseconds base{500};
    std::chrono::milliseconds cap{30'000};  // also the cap on Retry-After (--timeout)
};

// `attempt` is the number of the attempt that just finished (1 for the first).
[[nodiscard]] RetryDecision decide_retry(const AttemptOutcome& outcome, int attempt, const RetryPolicy& policy,
                                         double unit_random) noexcept;

// Whether a final outcome (after its retries) counts as the host failing: transport failures, 5xx, 429.
// Any other response shows the host working.
[[nodiscard]] bool counts_as_host_failure(const AttemptOutcome& outcome) noexcept;

// Everything that may differ from one host to the next. The first three are the HostQueue's own
// politeness; the rest are read by the fetcher when it starts a transfer to the host.
struct HostLimits {
    int parallel_max = 4;
    std::chrono::milliseconds interval{100};
    int failure_limit = 3;  // consecutive failed requests (after retries) before the host is given up
    int retries = 2;
    long timeout_s = 30;
    std::string user_agent{};  // empty: the fetcher's default (a request's own User-Agent wins over both)
    std::uint64_t max_filesize = 32ULL * 1024 * 1024;
    long speed_limit = 100;
    long speed_time_s = 10;
};

// Settings for the hosts under one name (provcheck.toml `[host."NAME"]`); unset fields leave the global
// value. NAME is a host name in lower case without a port; it covers that host and every subdomain of it.
struct HostOverride {
    std::string name;
    std::optional<int> parallel_max;
    std::optional<int> interval_ms;
    std::optional<long> timeout_s;
    std::optional<int> retries;
    std::optional<std::string> user_agent;
    std::optional<std::uint64_t> max_filesize;
    std::optional<long> speed_limit;
    std::optional<long> speed_time_s;
};

// The limits of `host` (lower case, no port): `defaults` with, key by key, the value of the most specific
// override whose name is `host` or a parent domain of it ("example.com" covers "www.example.com", never
// "badexample.com"). For equally specific names the later one wins.
[[nodiscard]] HostLimits limits_for_host(std::string_view host, const HostLimits& defaults,
                                         const std::vector<HostOverride>& overrides);

// Politeness shared with other processes (many workers on one store, check/fleet.hpp): before each request a
// slot of its host is taken from the gate, and given back when the attempt ends, so that the fleet as a whole
// keeps each host's parallel limit and interval. Called only from the thread running the transfers.
class HostGate {
public:
    virtual ~HostGate() = default;
    struct Grant {
        std::string token;                  // empty: not granted
        std::chrono::milliseconds wait{0};  // then, when to ask again
        std::string error;                  // set: the gate cannot answer; the host's requests fail saying this
    };
    [[nodiscard]] virtual Grant take(const std::string& host, const HostLimits& limits) = 0;
    virtual void give(const std::string& token) = 0;
    // No request to `host` from any process for `delay` (Retry-After, back-off).
    virtual void defer(const std::string& host, std::chrono::milliseconds delay) = 0;
};

class HostQueue {
public:
    using JobId = std::uint64_t;

    HostQueue(std::string name, HostLimits limits);

    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    [[nodiscard]] const HostLimits& limits() const noexcept { return limits_; }

    // A new job, startable at once; or a retry, startable at `not_before` and ahead of new jobs.
    void add(JobId job);
    void add_retry(JobId job, SteadyTime not_before);

    struct Next {
        std::optional<JobId> job;           // a job that may start now
        std::optional<SteadyTime> wake_at;  // else, when to ask again (nullopt: only when a transfer ends)
    };
    // Is there a job, and how long must I wait? Does not change the queue: call started() to take it.
    [[nodiscard]] Next next(SteadyTime now) const;
    // Takes the job next() returned: one more in flight, next start no earlier than now + interval.
    void started(JobId job, SteadyTime now);
    // An attempt ended (whether or not it will be retried).
    void attempt_ended() noexcept;
    // No request to this host before `t` (Retry-After, host-wide back-off).
    void defer_until(SteadyTime t) noexcept;

    // A request's final outcome. Returns true when this outcome makes the host given up.
    bool request_finished(const AttemptOutcome& outcome, std::string_view description);
    // Gives the host up at once (a name that does not resolve fails for every path); every job still
    // waiting will fail with `cls` and `reason`.
    void give_up(FailureClass cls, std::string reason);
    [[nodiscard]] bool given_up() const noexcept { return given_up_; }
    [[nodiscard]] const std::string& give_up_reason() const noexcept { return give_up_reason_; }
    [[nodiscard]] std::optional<FailureClass> give_up_class() const noexcept { return give_up_class_; }
    // Every job still waiting, removed from the queue (after give_up, to answer them all).
    [[nodiscard]] std::vector<JobId> take_waiting();

    [[nodiscard]] int in_flight() const noexcept { return in_flight_; }
    [[nodiscard]] std::size_t waiting() const noexcept { return fresh_.size() + retries_.size(); }
    // When the host's own waiting (Retry-After, back-off, interval) ends, if it is in the future.
    [[nodiscard]] std::optional<SteadyTime> deferred_until(SteadyTime now) const noexcept;

private:
    struct Retry {
        JobId job;
        SteadyTime not_before;
    };
    std::string name_;
    HostLimits limits_;
    std::deque<JobId> fresh_;
    std::vector<Retry> retries_;  // kept sorted by not_before
    int in_flight_ = 0;
    SteadyTime next_start_{};
    int consecutive_failures_ = 0;
    bool given_up_ = false;
    std::string give_up_reason_;
    std::optional<FailureClass> give_up_class_;
};

}  // namespace provcheck
