// The two ways work leaves the calling thread: a loop over independent items shared by the cores, and tasks run
// on background workers while the caller goes on.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/background.hpp"
#include "core/parallel.hpp"

using namespace provcheck;

TEST_CASE("parallel_for calls the body once for every item, whatever their cost", "[unit][core][parallel]") {
    for (std::size_t n : {0UL, 1UL, 7UL, 31UL, 32UL, 33UL, 1000UL, 4099UL}) {
        std::vector<std::atomic<int>> calls(n);
        parallel_for(n, 32, [&](std::size_t i) {
            // Uneven items: every 97th is slow, as an absent quotation searches longer than a found one.
            if (i % 97 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));
            calls[i].fetch_add(1);
        });
        for (std::size_t i = 0; i < n; ++i)
            REQUIRE(calls[i].load() == 1);
    }
}

TEST_CASE("parallel_for rethrows the first failure after every thread has stopped", "[unit][core][parallel]") {
    std::atomic<int> running{0};
    std::atomic<int> done{0};
    auto loop = [&] {
        parallel_for(500, 16, [&](std::size_t i) {
            running.fetch_add(1);
            if (i == 250) {
                running.fetch_sub(1);
                throw std::runtime_error("item 250");
            }
            done.fetch_add(1);
            running.fetch_sub(1);
        });
    };
    REQUIRE_THROWS_WITH(loop(), "item 250");
    CHECK(running.load() == 0);  // no call is still under way once it has thrown
    CHECK(done.load() < 500);
}

TEST_CASE("Background runs tasks while the caller goes on and hands back results or failures",
          "[unit][core][background]") {
    Background bg(2);
    std::promise<void> gate;
    std::shared_future<void> open = gate.get_future().share();
    auto slow = bg.submit([open] {
        open.wait();
        return std::string("read after the gate opened");
    });
    auto moved = bg.submit([owned = std::make_unique<int>(41)]() mutable { return *owned + 1; });
    auto failing = bg.submit([]() -> int { throw std::runtime_error("the page could not be read"); });
    // The caller is not held up by the slow task: the other worker has run the rest.
    CHECK(moved.get() == 42);
    CHECK_THROWS_WITH(failing.get(), "the page could not be read");
    // Every task has been begun once the last one submitted has run (workers take them in order); asked right
    // after `moved` ended, the worker may not yet have taken `failing` from the queue.
    CHECK(bg.queued() == 0);
    CHECK(slow.wait_for(std::chrono::milliseconds(0)) == std::future_status::timeout);
    gate.set_value();
    CHECK(slow.get() == "read after the gate opened");
}

TEST_CASE("Background drops tasks not started when it stops, and finishes the one under way",
          "[unit][core][background]") {
    std::promise<void> started;
    std::promise<void> gate;
    std::shared_future<void> open = gate.get_future().share();
    std::atomic<int> ran{0};
    auto bg = std::make_unique<Background>(1);
    std::future<int> first = bg->submit([&, open] {
        started.set_value();
        open.wait();
        ran.fetch_add(1);
        return 1;
    });
    std::future<int> queued = bg->submit([&] {
        ran.fetch_add(1);
        return 2;
    });
    started.get_future().wait();
    // Stopped while the first task is under way: the queued one has not started and is dropped. The gate opens
    // a little later, once the stop has (almost always) cleared the queue.
    std::thread stopper([&] { bg.reset(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    gate.set_value();
    stopper.join();
    CHECK(first.get() == 1);
    if (ran.load() == 1) {
        CHECK_THROWS_AS(queued.get(), std::future_error);
    } else {
        CHECK(queued.get() == 2);
    }
}
