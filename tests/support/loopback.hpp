// What the integration tests share about talking to a FixtureServer: client options that route every
// request to it, routes of one page, one capture, the real clock, and what the server's own record of requests
// says about concurrency.
#pragma once

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "capture/capturer.hpp"
#include "core/clock.hpp"
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

// The one capture of `url` (the test stops if the capturer gives back another number).
[[nodiscard]] inline Capture capture_only(Capturer& capturer, const std::string& url) {
    auto caps = capturer.capture_urls({url});
    REQUIRE(caps.size() == 1);
    return caps[0];
}

// The real clock, for captures that the tests date as they happen.
[[nodiscard]] inline const SystemClock& wall_clock() {
    static const SystemClock clock;
    return clock;
}

// A route answering `body` as HTML at `host` and `path`, after `delay_ms`.
[[nodiscard]] inline Route page_route(std::string host, std::string path, std::string body, int delay_ms = 0) {
    Route r;
    r.host = std::move(host);
    r.path = std::move(path);
    r.body = std::move(body);
    r.delay_ms = delay_ms;
    return r;
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
