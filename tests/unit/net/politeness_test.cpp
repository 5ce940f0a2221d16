#include <catch2/catch.hpp>

#include "net/politeness.hpp"
#include "net/progress.hpp"

namespace provcheck {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// 2015-10-21T07:28:00Z
const std::chrono::system_clock::time_point when{seconds(1445412480)};
const SteadyTime t0{seconds(1000)};

}  // namespace

TEST_CASE("Retry-After is read as seconds or as any of the three HTTP date forms", "[unit]") {
    CHECK(parse_retry_after("120", when) == milliseconds(120'000));
    CHECK(parse_retry_after(" 0 ", when) == milliseconds(0));
    CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", when) == milliseconds(30'000));
    CHECK(parse_retry_after("Wednesday, 21-Oct-15 07:29:00 GMT", when) == milliseconds(60'000));
    CHECK(parse_retry_after("Wed Oct 21 07:28:05 2015", when) == milliseconds(5'000));
    CHECK(parse_retry_after("Tue, 20 Oct 2015 07:28:00 GMT", when) == milliseconds(0));  // in the past
    for (const char* bad : {"", "soon", "-5", "1.5", "Wed, 32 Oct 2015 07:28:00 GMT", "Wed, 21 Foo 2015 07:28:00 GMT",
                            "Wed, 21 Oct 2015 25:28:00 GMT"}) {
        INFO(bad);
        CHECK_FALSE(parse_retry_after(bad, when).has_value());
    }
}

TEST_CASE("Back-off doubles per retry, is capped, and is jittered into its upper half", "[unit]") {
    const milliseconds base(500);
    const milliseconds cap(3'000);
    CHECK(backoff_delay(1, base, cap, 0.999999) == milliseconds(499));
    CHECK(backoff_delay(1, base, cap, 0.0) == milliseconds(250));
    CHECK(backoff_delay(2, base, cap, 0.0) == milliseconds(500));
    CHECK(backoff_delay(3, base, cap, 0.5) == milliseconds(1'500));
    CHECK(backoff_delay(10, base, cap, 0.0) == milliseconds(1'500));  // cap 3 s, halved by the jitter
    CHECK(backoff_delay(1000, base, cap, 1.0) == cap);
}

TEST_CASE("Retries: transient transport failures, 5xx and 429, within the retry budget", "[unit]") {
    const RetryPolicy policy{2, milliseconds(100), milliseconds(5'000)};
    AttemptOutcome reset;
    reset.failure = FailureClass::connect;
    reset.transient_transport = true;
    CHECK(decide_retry(reset, 1, policy, 0.0).retry);
    CHECK(decide_retry(reset, 2, policy, 0.0).retry);
    CHECK_FALSE(decide_retry(reset, 3, policy, 0.0).retry);  // two retries were made

    AttemptOutcome tls;
    tls.failure = FailureClass::tls;
    CHECK_FALSE(decide_retry(tls, 1, policy, 0.0).retry);

    AttemptOutcome ok;
    ok.status = 200;
    CHECK_FALSE(decide_retry(ok, 1, policy, 0.0).retry);
    AttemptOutcome not_found;
    not_found.status = 404;
    CHECK_FALSE(decide_retry(not_found, 1, policy, 0.0).retry);
    AttemptOutcome not_implemented;
    not_implemented.status = 501;
    CHECK_FALSE(decide_retry(not_implemented, 1, policy, 0.0).retry);

    AttemptOutcome bad_gateway;
    bad_gateway.status = 502;
    auto d = decide_retry(bad_gateway, 1, policy, 0.0);
    CHECK(d.retry);
    CHECK(d.delay == milliseconds(50));

    AttemptOutcome limited;
    limited.status = 429;
    limited.retry_after = milliseconds(2'000);
    d = decide_retry(limited, 1, policy, 0.0);
    CHECK(d.retry);
    CHECK(d.delay == milliseconds(2'000));
    limited.retry_after = milliseconds(60'000);
    CHECK(decide_retry(limited, 1, policy, 0.0).delay == milliseconds(5'000));  // capped by the timeout
    limited.retry_after.reset();
    d = decide_retry(limited, 2, policy, 0.0);
    CHECK(d.delay == milliseconds(100));

    CHECK_FALSE(decide_retry(limited, 1, RetryPolicy{0, milliseconds(100), milliseconds(5'000)}, 0.0).retry);
}

TEST_CASE("A host starts at most parallel_max jobs, spaced by its interval", "[unit]") {
    HostQueue h("a.example", HostLimits{2, milliseconds(100), 3});
    for (HostQueue::JobId j = 1; j <= 4; ++j)
        h.add(j);
    auto n = h.next(t0);
    REQUIRE(n.job == 1u);
    h.started(1, t0);
    n = h.next(t0);
    CHECK_FALSE(n.job.has_value());
    REQUIRE(n.wake_at.has_value());
    CHECK(*n.wake_at == t0 + milliseconds(100));
    n = h.next(t0 + milliseconds(100));
    REQUIRE(n.job == 2u);
    h.started(2, t0 + milliseconds(100));
    n = h.next(t0 + milliseconds(500));
    CHECK_FALSE(n.job.has_value());
    CHECK_FALSE(n.wake_at.has_value());  // both slots taken: only a transfer ending frees one
    h.attempt_ended();
    CHECK(h.next(t0 + milliseconds(500)).job == 3u);
    CHECK(h.waiting() == 2);
    CHECK(h.in_flight() == 1);
}

TEST_CASE("Retries go first once due, and Retry-After holds the whole host", "[unit]") {
    HostQueue h("b.example", HostLimits{4, milliseconds(0), 3});
    h.add(1);
    h.add(2);
    h.started(1, t0);
    h.attempt_ended();
    h.add_retry(1, t0 + milliseconds(300));
    CHECK(h.next(t0).job == 2u);  // the retry is not due yet
    CHECK(h.next(t0 + milliseconds(300)).job == 1u);

    h.defer_until(t0 + seconds(5));
    auto n = h.next(t0 + seconds(1));
    CHECK_FALSE(n.job.has_value());
    CHECK(n.wake_at == t0 + seconds(5));
    CHECK(h.deferred_until(t0 + seconds(1)) == t0 + seconds(5));
    CHECK(h.next(t0 + seconds(5)).job == 1u);
}

TEST_CASE("A host failing requests in a row is given up, with the class of its failures", "[unit]") {
    HostQueue h("c.example", HostLimits{4, milliseconds(0), 3});
    for (HostQueue::JobId j = 1; j <= 6; ++j)
        h.add(j);
    AttemptOutcome down;
    down.status = 503;
    AttemptOutcome fine;
    fine.status = 404;  // an answer: the host works
    CHECK_FALSE(h.request_finished(down, "x"));
    CHECK_FALSE(h.request_finished(down, "x"));
    CHECK_FALSE(h.request_finished(fine, "x"));
    CHECK_FALSE(h.request_finished(down, "x"));
    CHECK_FALSE(h.request_finished(down, "x"));
    CHECK(h.request_finished(down, "http://c.example/5: HTTP/1.1 503"));
    CHECK(h.given_up());
    CHECK(h.give_up_class() == FailureClass::http_5xx);
    CHECK(h.give_up_reason().find("3 requests in a row") != std::string::npos);
    CHECK(h.give_up_reason().find("http://c.example/5") != std::string::npos);
    CHECK_FALSE(h.next(t0).job.has_value());
    CHECK(h.take_waiting().size() == 6);
    CHECK(h.waiting() == 0);

    HostQueue limited("d.example", HostLimits{4, milliseconds(0), 1});
    AttemptOutcome too_many;
    too_many.status = 429;
    CHECK(limited.request_finished(too_many, "x"));
    CHECK(limited.give_up_class() == FailureClass::rate_limited);

    HostQueue unknown("e.example", HostLimits{});
    unknown.give_up(FailureClass::dns, "e.example does not resolve");
    CHECK(unknown.given_up());
    CHECK(unknown.give_up_class() == FailureClass::dns);
}

TEST_CASE("The progress line counts, names the longest waits and fits its width", "[unit]") {
    FetchProgress p;
    p.done = 120;
    p.queued = 880;
    p.in_flight = 64;
    CHECK(format_progress_line(p, 200) == "fetched 120 · queued 880 · in flight 64");
    p.failed = 2;
    p.waits = {{"a.example", milliseconds(3'000)},
               {"b.example", milliseconds(1'250)},
               {"c.example", milliseconds(900)},
               {"d.example", milliseconds(500)}};
    CHECK(format_progress_line(p, 200) ==
          "fetched 120 · queued 880 · in flight 64 · failed 2 · waiting: a.example 3.0s, b.example 1.2s, "
          "c.example 0.9s (+1)");
    const std::string cut = format_progress_line(p, 25);
    CHECK(cut == "fetched 120 · queued 880 ");
}

TEST_CASE("The progress line counts articles and claims and tells the time left from the pace so far", "[unit]") {
    FetchProgress p;
    p.done = 10;
    RunCounts counts;
    counts.articles_total = 10;
    CHECK(format_progress_line(p, 200, &counts, counts.started) ==
          "articles 0/10 · claims 0 · fetched 10 · queued 0 · in flight 0");
    counts.articles_done = 4;
    counts.claims = 37;
    // Four articles in 8 s: six more take about 12 s.
    CHECK(format_progress_line(p, 200, &counts, counts.started + std::chrono::seconds(8)) ==
          "articles 4/10 · claims 37 · about 12s left · fetched 10 · queued 0 · in flight 0");
    CHECK(format_progress_line(p, 200, &counts, counts.started + std::chrono::seconds(80)).find("about 2m left") !=
          std::string::npos);
    counts.articles_total = 0;  // a sitemap still being read: no total, no estimate
    CHECK(format_progress_line(p, 200, &counts, counts.started + std::chrono::seconds(8)) ==
          "articles 4 · claims 37 · fetched 10 · queued 0 · in flight 0");
}

}  // namespace provcheck
