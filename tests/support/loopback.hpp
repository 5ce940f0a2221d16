// What the integration tests share about talking to a FixtureServer: client options that route every
// request to it, and what its own record of requests says about concurrency.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

#include "net/fetcher.hpp"
#include "support/fixture_server.hpp"

namespace provcheck::test {

// Every host's requests go to `server` on 127.0.0.1; loopback is allowed; no wait between request starts;
// short back-off so that retries do not slow the suite.
[[nodiscard]] inline FetchOptions loopback_fetch_options(const FixtureServer& server, int retry_base_ms = 10) {
    FetchOptions o;
    o.connect_to = {fmt::format("::127.0.0.1:{}", server.port())};
    o.allow_private_addresses = true;
    o.timeout_s = 10;
    o.host_interval_ms = 0;
    o.retry_base_ms = retry_base_ms;
    return o;
}

// Most requests that were being answered at one moment, from the server's own clock.
[[nodiscard]] inline int most_in_flight(const std::vector<RecordedRequest>& reqs) {
    std::vector<std::pair<std::chrono::steady_clock::time_point, int>> events;
    for (const auto& r : reqs) {
        events.emplace_back(r.arrival, +1);
        events.emplace_back(r.answered, -1);
    }
    std::sort(events.begin(), events.end());  // at equal times an end (-1) sorts before a start (+1)
    int now = 0;
    int most = 0;
    for (const auto& e : events) {
        now += e.second;
        most = std::max(most, now);
    }
    return most;
}

}  // namespace provcheck::test
