// Per-host network settings in one run, read from the fixture server's own record of each request (when
// its head arrived, when it was answered, which User-Agent it carried): no stopwatch on the client side.
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <iterator>

#include "capture/capturer.hpp"
#include "support/fixture_server.hpp"
#include "support/loopback.hpp"

namespace provcheck {

namespace {

const SystemClock host_test_clock;

// The most requests to `host` that the server was answering at once.
int most_at_once(const std::vector<test::RecordedRequest>& all, std::string_view host) {
    std::vector<test::RecordedRequest> to_host;
    std::copy_if(all.begin(), all.end(), std::back_inserter(to_host),
                 [&](const test::RecordedRequest& r) { return r.host == host; });
    return test::most_in_flight(to_host);
}

}  // namespace

TEST_CASE("Per-host settings: one host at 1 in flight, another at 4, in the same run", "[integration]") {
    test::FixtureServer server{test::FixtureServerOptions{}};
    std::vector<std::string> urls;
    for (int i = 0; i < 8; ++i) {
        for (const char* host : {"one.example", "www.four.example"}) {
            test::Route r;
            r.host = host;
            r.path = fmt::format("/{}", i);
            r.body = fmt::format("<p>{} {}</p>", host, i);
            // Long enough that requests allowed together are answered together.
            r.delay_ms = 150;
            server.add_route(r);
            urls.push_back(fmt::format("http://{}/{}", host, i));
        }
    }
    FetchOptions opts;
    opts.connect_to = {fmt::format("::127.0.0.1:{}", server.port())};
    opts.allow_private_addresses = true;
    opts.timeout_s = 20;
    opts.host_interval_ms = 0;
    opts.host_parallel_max = 2;  // the global per-host limit, which both overrides replace
    HostOverride one;
    one.name = "one.example";
    one.parallel_max = 1;
    one.user_agent = "OneBot/1";
    HostOverride four;
    four.name = "four.example";  // covers www.four.example
    four.parallel_max = 4;
    opts.hosts = {one, four};

    const RuleSet rules = load_rules().value();
    Capturer capturer(opts, rules, nullptr, nullptr, host_test_clock);
    auto caps = capturer.capture_urls(urls);
    REQUIRE(caps.size() == urls.size());
    for (const auto& c : caps) {
        INFO(c.requested_url);
        REQUIRE(c.ok());
    }
    const auto reqs = server.requests();
    REQUIRE(reqs.size() == 16);
    CHECK(most_at_once(reqs, "one.example") == 1);
    CHECK(most_at_once(reqs, "www.four.example") == 4);
    for (const auto& r : reqs) {
        const std::string* ua = find_header(r.headers, "User-Agent");
        REQUIRE(ua != nullptr);
        INFO(r.host << " " << *ua);
        CHECK((*ua == "OneBot/1") == (r.host == "one.example"));
    }
}

}  // namespace provcheck
