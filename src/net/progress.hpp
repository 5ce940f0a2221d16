// The live progress line of a crawl: what the fetcher reports while it runs, how it is written as one
// line, and a writer that redraws that line on a terminal's stderr.
//
// Never: writes anything when stderr is not a terminal (make_terminal_progress returns an empty function),
// or more than one line (each update overwrites the last; finish() erases it).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace provcheck {

struct FetchProgress {
    std::size_t done = 0;       // requests answered (successfully or not), retries not counted
    std::size_t failed = 0;     // of those, transport failures and 4xx/5xx answers
    std::size_t queued = 0;     // waiting to start, retries included
    std::size_t in_flight = 0;  // transfers running
    struct HostWait {
        std::string host;
        std::chrono::milliseconds wait{0};  // until the host may be asked again (Retry-After, back-off)
    };
    std::vector<HostWait> waits;  // hosts held back, longest wait first
    bool final = false;           // the last report of a run: the line should be cleared
};

using ProgressSink = std::function<void(const FetchProgress&)>;

// What a run has done beyond fetching, counted by its caller as articles finish (read by the line's writer).
struct RunCounts {
    std::atomic<std::size_t> articles_done{0};
    std::atomic<std::size_t> articles_total{0};  // 0: not known yet (a sitemap is still being read)
    std::atomic<std::size_t> claims{0};          // claims checked in the finished articles
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

// "articles 3/10 · claims 42 · about 12s left · fetched 120 · queued 880 · in flight 64 · failed 2 · waiting:
// a.example 3.0s, b.example 1.2s (+4)", cut to `width` columns (at least 20). The article part only with
// `counts`; the time left once an article is done and the total is known, from the pace so far.
[[nodiscard]] std::string format_progress_line(const FetchProgress& p, std::size_t width,
                                               const RunCounts* counts = nullptr,
                                               std::chrono::steady_clock::time_point now = {});

// A sink that redraws the line on stderr when stderr is a terminal; an empty function otherwise. `counts`, when
// given, must outlive the sink.
[[nodiscard]] ProgressSink make_terminal_progress(const RunCounts* counts = nullptr);

}  // namespace provcheck
