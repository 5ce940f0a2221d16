// The fetcher and a fleet-wide host gate (FetchOptions::gate, what workers sharing a store use): every request
// takes a slot first and gives it back when its attempt ends, a Retry-After is passed on for the whole fleet, and a
// gate that cannot answer fails the host's requests instead of waiting forever. Read from the fixture server's own
// record of requests and from the gate's own counts.
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <mutex>
#include <set>

#include "capture/capturer.hpp"
#include "support/fixture_server.hpp"
#include "support/loopback.hpp"

namespace provcheck {

namespace {

const SystemClock gate_test_clock;

// A gate with one slot per host, as another worker holding the rest would leave it.
class OneSlotGate final : public HostGate {
public:
    Grant take(const std::string& host, const HostLimits&) override {
        std::lock_guard lock(m_);
        ++asked_;
        if (held_.contains(host)) return {{}, std::chrono::milliseconds(5), {}};
        held_.insert(host);
        ++granted_;
        return {host + "#" + std::to_string(granted_), {}, {}};
    }
    void give(const std::string& token) override {
        std::lock_guard lock(m_);
        held_.erase(token.substr(0, token.find('#')));
        ++given_;
    }
    void defer(const std::string& host, std::chrono::milliseconds delay) override {
        std::lock_guard lock(m_);
        deferred_.emplace_back(host, delay);
    }
    std::mutex m_;
    std::set<std::string> held_;
    int asked_ = 0, granted_ = 0, given_ = 0;
    std::vector<std::pair<std::string, std::chrono::milliseconds>> deferred_;
};

class BrokenGate final : public HostGate {
public:
    Grant take(const std::string&, const HostLimits&) override {
        return {{}, {}, "fleet politeness unavailable: the store has not answered for 60 s"};
    }
    void give(const std::string&) override {}
    void defer(const std::string&, std::chrono::milliseconds) override {}
};

}  // namespace

TEST_CASE("a fleet-wide gate holds a host to its slots, gets every slot back, and hears of Retry-After",
          "[integration]") {
    test::FixtureServer server{test::FixtureServerOptions{}};
    std::vector<std::string> urls;
    for (int i = 0; i < 6; ++i) {
        test::Route r;
        r.host = "gated.example";
        r.path = fmt::format("/{}", i);
        r.body = fmt::format("<p>page {}</p>", i);
        r.delay_ms = 100;
        server.add_route(r);
        urls.push_back(fmt::format("http://gated.example/{}", i));
    }
    test::Route busy;
    busy.host = "busy.example";
    busy.path = "/";
    busy.status = 429;
    busy.headers = {{"Retry-After", "1"}};
    busy.body = "slow down";
    server.add_route(busy);
    urls.push_back("http://busy.example/");

    FetchOptions opts = test::loopback_fetch_options(server);
    opts.host_parallel_max = 4;  // this process alone would send 4 at once
    opts.retries = 1;
    auto gate = std::make_shared<OneSlotGate>();
    opts.gate = gate;
    const RuleSet rules = load_rules().value();
    Capturer capturer(opts, rules, nullptr, nullptr, gate_test_clock);
    auto caps = capturer.capture_urls(urls);
    REQUIRE(caps.size() == urls.size());
    for (std::size_t i = 0; i < 6; ++i)
        CHECK(caps[i].ok());

    std::vector<test::RecordedRequest> gated;
    for (const auto& r : server.requests())
        if (r.host == "gated.example") gated.push_back(r);
    CHECK(gated.size() == 6);
    CHECK(test::most_in_flight(gated) == 1);  // the gate's one slot, not the local limit of 4
    CHECK(gate->granted_ == gate->given_);    // every slot given back (the 429 and its retry included)
    CHECK(gate->held_.empty());
    REQUIRE_FALSE(gate->deferred_.empty());
    CHECK(gate->deferred_.front().first == "busy.example");
    CHECK(gate->deferred_.front().second >= std::chrono::milliseconds(500));
}

TEST_CASE("a gate that cannot answer fails the host's requests, saying why, rather than waiting forever",
          "[integration]") {
    test::FixtureServer server{test::FixtureServerOptions{}};
    test::Route r;
    r.host = "nowhere.example";
    r.path = "/";
    r.body = "<p>never asked for</p>";
    server.add_route(r);
    FetchOptions opts = test::loopback_fetch_options(server);
    opts.gate = std::make_shared<BrokenGate>();
    const RuleSet rules = load_rules().value();
    Capturer capturer(opts, rules, nullptr, nullptr, gate_test_clock);
    auto caps = capturer.capture_urls({"http://nowhere.example/", "http://nowhere.example/"});
    REQUIRE(caps.size() == 2);
    REQUIRE(caps[0].failure.has_value());
    CHECK_THAT(caps[0].failure->message, Catch::Contains("fleet politeness unavailable"));
    CHECK(server.requests().empty());
}

}  // namespace provcheck
