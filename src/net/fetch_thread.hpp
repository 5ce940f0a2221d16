// A Fetcher on a thread of its own, so that what the caller does with each response (archiving, hashing,
// decoding) never holds up the transfers: while one response is being stored, the others keep arriving and
// freed slots are filled at once.
//
// Input: requests submitted from the owner's thread, each with a tag. Output: (tag, response) pairs taken
// with next() on the owner's thread, in the order the responses finished. Responses waiting to be taken
// count against FetchOptions::parallel_max as transfers do, so a consumer that falls behind slows the crawl down
// instead of piling up bodies in memory.
//
// Threads: submit(), next() and wait_idle() belong to the owner's thread; the Fetcher, its progress sink and
// its clock are used on the fetch thread only (the clock must be safe to read from there). The destructor
// stops the thread, abandoning transfers still running.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "net/fetcher.hpp"

namespace provcheck {

class FetchThread {
public:
    using Tag = std::uint64_t;

    // Creates the Fetcher (ErrorCode::usage for bad options, ErrorCode::network when libcurl cannot be set up)
    // and starts its thread. `clock` must outlive the FetchThread.
    [[nodiscard]] static Result<std::unique_ptr<FetchThread>> start(FetchOptions opts, const Clock& clock);
    FetchThread(const FetchThread&) = delete;
    FetchThread& operator=(const FetchThread&) = delete;
    ~FetchThread();

    void submit(FetchRequest request, Tag tag);
    // The next finished response, waiting for one if none is in. An Error when the transfer machinery failed:
    // the requests not answered by then never will be.
    [[nodiscard]] Result<std::pair<Tag, FetchResponse>> next();
    // Waits until the fetch thread has nothing left to do (its last progress report made), so that a caller who
    // took every response it asked for can rely on the Fetcher being at rest.
    void wait_idle();

private:
    explicit FetchThread(Fetcher fetcher, std::size_t max_waiting);
    void loop();
    bool take_requests();  // on the fetch thread: moves submitted requests into the Fetcher; false to stop

    Fetcher fetcher_;
    const std::size_t max_waiting_;  // transfers running and responses waiting to be taken, at most
    std::mutex mutex_;
    std::condition_variable to_fetch_;  // requests submitted, or stop
    std::condition_variable to_owner_;  // a response in, an error, or the thread at rest
    std::vector<std::pair<FetchRequest, Tag>> inbox_;
    std::deque<std::pair<Tag, FetchResponse>> outbox_;
    std::optional<Error> error_;
    bool stop_ = false;
    bool busy_ = false;       // the fetch thread is inside Fetcher::run()
    bool held_back_ = false;  // a transfer could not start for want of a slot
    std::thread thread_;
};

}  // namespace provcheck
