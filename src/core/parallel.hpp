// Data-parallel loops over independent items (claims to decide, statements to sign) on the machine's cores.
#pragma once

#include <algorithm>
#include <cstddef>
#include <future>
#include <thread>
#include <vector>

namespace provcheck {

// At most this many threads share one loop: the work is a few hundred microseconds per item, and more threads
// than cores only add switching.
inline constexpr std::size_t max_loop_threads = 4;

// Calls body(i) for every i in [0, n), in contiguous chunks on up to min(cores, max_loop_threads) threads, the
// calling thread taking the first chunk. Below `serial_below` items everything runs on the calling thread
// (starting a thread costs more than it saves). Returns once every call has returned; the first exception
// thrown by a call is rethrown here after all threads have finished.
template <class Body>
void parallel_for(std::size_t n, std::size_t serial_below, const Body& body) {
    const std::size_t cores = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, max_loop_threads);
    auto run = [&body](std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i)
            body(i);
    };
    if (n < serial_below || cores == 1) {
        run(0, n);
        return;
    }
    const std::size_t chunk = (n + cores - 1) / cores;
    std::vector<std::future<void>> others;
    for (std::size_t from = chunk; from < n; from += chunk)
        others.push_back(std::async(std::launch::async, run, from, std::min(n, from + chunk)));
    std::exception_ptr first;
    try {
        run(0, std::min(n, chunk));
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
