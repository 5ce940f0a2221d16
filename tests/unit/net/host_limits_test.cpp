// Per-host settings: which override covers which host, how several combine, and what is refused.
#include <catch2/catch.hpp>

#include "net/fetcher.hpp"
#include "net/politeness.hpp"

namespace provcheck {

namespace {

using std::chrono::milliseconds;

HostOverride named(std::string name) {
    HostOverride o;
    o.name = std::move(name);
    return o;
}

}  // namespace

TEST_CASE("A host override covers its host and subdomains, never a look-alike", "[unit]") {
    HostLimits defaults;
    defaults.parallel_max = 4;
    HostOverride slow = named("example.com");
    slow.parallel_max = 1;
    const std::vector<HostOverride> overrides{slow};
    CHECK(limits_for_host("example.com", defaults, overrides).parallel_max == 1);
    CHECK(limits_for_host("www.example.com", defaults, overrides).parallel_max == 1);
    CHECK(limits_for_host("a.b.example.com", defaults, overrides).parallel_max == 1);
    CHECK(limits_for_host("badexample.com", defaults, overrides).parallel_max == 4);
    CHECK(limits_for_host("example.com.evil", defaults, overrides).parallel_max == 4);
    CHECK(limits_for_host("com", defaults, overrides).parallel_max == 4);
}

TEST_CASE("The most specific override wins key by key; unset keys keep the defaults", "[unit]") {
    HostLimits defaults;
    defaults.parallel_max = 4;
    defaults.interval = milliseconds(100);
    defaults.timeout_s = 30;
    defaults.retries = 2;
    HostOverride domain = named("example.com");
    domain.parallel_max = 2;
    domain.interval_ms = 500;
    domain.user_agent = "NewsroomBot/1";
    HostOverride api = named("api.example.com");
    api.parallel_max = 8;
    api.timeout_s = 5;
    HostOverride later_same = named("example.com");
    later_same.retries = 0;
    // The more specific entry comes first in the file: order of specificity, not of the file, decides.
    const std::vector<HostOverride> overrides{api, domain, later_same};

    const HostLimits a = limits_for_host("api.example.com", defaults, overrides);
    CHECK(a.parallel_max == 8);
    CHECK(a.interval == milliseconds(500));
    CHECK(a.user_agent == "NewsroomBot/1");
    CHECK(a.timeout_s == 5);
    CHECK(a.retries == 0);

    const HostLimits w = limits_for_host("www.example.com", defaults, overrides);
    CHECK(w.parallel_max == 2);
    CHECK(w.timeout_s == 30);
    CHECK(w.retries == 0);

    const HostLimits other = limits_for_host("other.org", defaults, overrides);
    CHECK(other.parallel_max == 4);
    CHECK(other.interval == milliseconds(100));
    CHECK(other.user_agent.empty());
    CHECK(other.failure_limit == defaults.failure_limit);
}

TEST_CASE("A host's queue takes its own parallel limit", "[unit]") {
    HostLimits defaults;
    defaults.parallel_max = 4;
    defaults.interval = milliseconds(0);
    HostOverride one = named("slow.example");
    one.parallel_max = 1;
    HostQueue q("slow.example", limits_for_host("slow.example", defaults, {one}));
    const auto t0 = SteadyTime{} + std::chrono::hours(1);
    q.add(1);
    q.add(2);
    REQUIRE(q.next(t0).job == 1u);
    q.started(1, t0);
    CHECK_FALSE(q.next(t0).job.has_value());
    q.attempt_ended();
    CHECK(q.next(t0).job == 2u);
}

TEST_CASE("Host overrides are validated with the other fetch options", "[unit]") {
    auto check = [](HostOverride o) {
        FetchOptions f;
        f.hosts.push_back(std::move(o));
        return validate_fetch_options(f);
    };
    HostOverride fine = named("news.example.com");
    fine.parallel_max = 256;
    fine.interval_ms = 0;
    CHECK(check(fine).has_value());

    auto refused = [&](HostOverride o, std::string_view says) {
        auto r = check(std::move(o));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == ErrorCode::usage);
        CHECK(r.error().message.find(says) != std::string::npos);
    };
    refused(named(""), "not a host name");
    refused(named("example.com:8080"), "example.com:8080");
    refused(named("Example.com"), "not a host name");  // the file's reader lower-cases; others must too
    refused(named(".example.com"), "not a host name");
    HostOverride zero = named("a.example");
    zero.parallel_max = 0;
    refused(zero, "parallel_max");
    HostOverride negative = named("a.example");
    negative.interval_ms = -1;
    refused(negative, "interval_ms");
    HostOverride long_timeout = named("a.example");
    long_timeout.timeout_s = 4000;
    refused(long_timeout, "timeout");
    HostOverride many = named("a.example");
    many.retries = 11;
    refused(many, "retries");
    HostOverride split = named("a.example");
    split.user_agent = "a\r\nX-Injected: 1";
    refused(split, "user_agent");
    HostOverride empty_cap = named("a.example");
    empty_cap.max_filesize = 0;
    refused(empty_cap, "max_filesize");
}

}  // namespace provcheck
