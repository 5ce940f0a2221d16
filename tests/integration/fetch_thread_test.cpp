// The Fetcher on its own thread: responses come back tagged to the owner's thread while transfers go on,
// requests submitted meanwhile go out, a consumer that falls behind holds new transfers back, and the
// thread stops cleanly with transfers still running.
#include <fmt/format.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <thread>

#include "net/fetch_thread.hpp"
#include "support/fixture_server.hpp"
#include "support/loopback.hpp"

namespace provcheck {

namespace {

const SystemClock thread_clock;

test::Route slow_page(std::string path, int delay_ms) {
    test::Route r;
    r.host = "t.example";
    r.path = std::move(path);
    r.body = "<p>" + r.path + "</p>";
    r.delay_ms = delay_ms;
    return r;
}

}  // namespace

TEST_CASE("Responses come back tagged, and requests submitted while others run go out", "[integration]") {
    test::FixtureServer server{test::FixtureServerOptions{}};
    for (int i = 0; i < 6; ++i)
        server.add_route(slow_page(fmt::format("/p{}", i), 20));
    FetchOptions opts = test::loopback_fetch_options(server);
    bool final_seen = false;
    opts.progress = [&](const FetchProgress& p) { final_seen = final_seen || p.final; };
    auto fetch = FetchThread::start(opts, thread_clock);
    REQUIRE(fetch.has_value());
    FetchThread& t = **fetch;
    for (int i = 0; i < 3; ++i)
        t.submit(FetchRequest{fmt::format("http://t.example/p{}", i), {}, {}}, static_cast<FetchThread::Tag>(i));
    std::set<FetchThread::Tag> tags;
    for (int got = 0; got < 6; ++got) {
        auto next = t.next();
        REQUIRE(next.has_value());
        const auto [tag, response] = std::move(*next);
        CHECK(response.exchange.status == 200);
        CHECK(response.exchange.body == fmt::format("<p>/p{}</p>", tag));
        tags.insert(tag);
        // Each of the first three answers asks for one more.
        if (tag < 3) t.submit(FetchRequest{fmt::format("http://t.example/p{}", tag + 3), {}, {}}, tag + 3);
    }
    CHECK(tags == std::set<FetchThread::Tag>{0, 1, 2, 3, 4, 5});
    t.wait_idle();
    CHECK(final_seen);  // the last progress report was made before wait_idle() returned
}

TEST_CASE("A consumer that falls behind holds new transfers back", "[integration]") {
    test::FixtureServer server{test::FixtureServerOptions{}};
    for (int i = 0; i < 5; ++i)
        server.add_route(slow_page(fmt::format("/p{}", i), 0));
    FetchOptions opts = test::loopback_fetch_options(server);
    opts.parallel_max = 2;
    auto fetch = FetchThread::start(opts, thread_clock);
    REQUIRE(fetch.has_value());
    FetchThread& t = **fetch;
    for (int i = 0; i < 5; ++i)
        t.submit(FetchRequest{fmt::format("http://t.example/p{}", i), {}, {}}, static_cast<FetchThread::Tag>(i));
    // Nothing is taken: two responses wait, and the other three are never asked for, however long it lasts.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (server.requests().size() < 2 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(server.requests().size() == 2);
    // Taking them lets the rest go out.
    for (int got = 0; got < 5; ++got)
        REQUIRE(t.next().has_value());
    CHECK(server.requests().size() == 5);
}

TEST_CASE("The fetch thread stops without waiting for transfers still running", "[integration]") {
    test::FixtureServer server{test::FixtureServerOptions{}};
    std::atomic<bool> answering{false};
    std::atomic<bool> released{false};
    test::Route held = slow_page("/held", 0);
    held.handler = [&](const httplib::Request&, httplib::Response& res) {
        answering = true;
        // Holds the response until the test lets go (or ten seconds pass, so a broken run still ends).
        for (int i = 0; i < 1000 && !released; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        res.set_content("late", "text/plain");
        answering = false;
    };
    server.add_route(held);
    auto fetch = FetchThread::start(test::loopback_fetch_options(server), thread_clock);
    REQUIRE(fetch.has_value());
    (*fetch)->submit(FetchRequest{"http://t.example/held", {}, {}}, 1);
    for (int i = 0; i < 500 && !answering; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(answering);
    fetch->reset();
    // The owner got its thread back while the server was still holding the answer.
    CHECK(answering);
    released = true;
}

TEST_CASE("Bad options are refused before any thread starts", "[integration]") {
    FetchOptions opts;
    opts.parallel_max = 0;
    auto fetch = FetchThread::start(opts, thread_clock);
    REQUIRE_FALSE(fetch.has_value());
    CHECK(fetch.error().code == ErrorCode::usage);
}

}  // namespace provcheck
