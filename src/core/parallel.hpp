// Data-parallel loops over independent items (claims to decide, statements to sign) on the machine's cores.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <future>
#include <thread>
#include <vector>

namespace provcheck {

// At most this many threads share one loop: the work is a few hundred microseconds per item, and more threads
// than cores only add switching.
inline constexpr std::size_t max_loop_threads = 4;

// Calls body(i) for every i in [0, n) on up to min(cores, max_loop_threads) threads, the calling thread among them.
// Items are handed out in small batches as threads become free, so that a thread given slow items (a quotation
// that must search long, a claim with many sources) does not keep the others waiting at the end. Below
// `serial_below` items everything runs on the calling thread (starting a thread costs more than it saves).
// Returns once every call has returned; the first exception thrown by a call is rethrown here, after all
// threads have stopped taking items.
template <class Body>
void parallel_for(std::size_t n, std::size_t serial_below, const Body& body) {
    const std::size_t cores = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, max_loop_threads);
    if (n < serial_below || cores == 1) {
        for (std::size_t i = 0; i < n; ++i)
            body(i);
        return;
    }
    const std::size_t threads = std::min(cores, n);
    // About eight batches per thread: few enough that taking one costs nothing, enough to even out the end.
    const std::size_t batch = std::max<std::size_t>(1, n / (threads * 8));
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    auto run = [&]() {
        for (;;) {
            if (failed.load(std::memory_order_relaxed)) return;
            const std::size_t from = next.fetch_add(batch, std::memory_order_relaxed);
            if (from >= n) return;
            const std::size_t to = std::min(n, from + batch);
            try {
                for (std::size_t i = from; i < to; ++i)
                    body(i);
            } catch (...) {
                failed.store(true, std::memory_order_relaxed);
                throw;
            }
        }
    };
    std::vector<std::future<void>> others;
    for (std::size_t t = 1; t < threads; ++t)
        others.push_back(std::async(std::launch::async, run));
    std::exception_ptr first;
    try {
        run();
    } catch (...) {
        first = std::current_exception();
    }
    for (auto& f : others) {
        try {
            f.get();
        } catch (...) {
            if (!first) first = std::current_exception();
        }
    }
    if (first) std::rethrow_exception(first);
}

}  // namespace provcheck
