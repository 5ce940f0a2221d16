// Many workers on one store (`provcheck enqueue`, `provcheck worker`, `provcheck queue status`).
//
// A worker leases an article from the store's queue whenever its run has room (at most `concurrency` held at
// once), checks it with run_check() (the same library as `provcheck check`, fed through CheckInputs::more), and
// marks each done or failed as soon as its records are stored. While a run goes on, a heartbeat renews the leases
// held; a worker that dies stops renewing, and the articles it held are leased again by
// another worker once their leases run out. Each article run carries an idempotency key (its queue item), claimed
// in the transaction that stores its records, so a run taken over from a worker that was only slow is never
// recorded twice. Politeness holds for the whole fleet: every request takes a slot of its host from the store
// (StoreHostGate) under the host's parallel limit and interval, and a Retry-After holds the host for every worker.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "check/check.hpp"
#include "core/error.hpp"
#include "net/politeness.hpp"
#include "store/db.hpp"

namespace provcheck {

// Opens another connection to the same store (one per thread).
using StoreOpener = std::function<Result<Database>()>;

// HostGate over the store's host slots. Opens its own connection on first use, in the thread that runs the
// transfers, and again after any store error. A store error refuses the slot for a second (politeness is never
// given up for speed) and is kept for error() to report; after give_up_after of nothing but errors, the requests
// fail instead, so that a run ends.
class StoreHostGate final : public HostGate {
public:
    StoreHostGate(StoreOpener open, std::string holder);
    [[nodiscard]] Grant take(const std::string& host, const HostLimits& limits) override;
    void give(const std::string& token) override;
    void defer(const std::string& host, std::chrono::milliseconds delay) override;
    // The latest store error, if any ("" otherwise).
    [[nodiscard]] std::string error() const;

    // How long the store may stay out of reach before requests fail instead of waiting.
    static constexpr std::chrono::seconds give_up_after{60};

private:
    Database* db();
    Grant unavailable();
    void note_error(std::string message);
    StoreOpener open_;
    std::string holder_;
    std::unique_ptr<Database> db_;
    std::optional<std::chrono::steady_clock::time_point> failing_since_;
    mutable std::mutex mutex_;
    std::string error_;
};

struct WorkerOptions {
    std::string name;                          // who holds the leases (host:pid by default)
    std::size_t concurrency = 8;               // articles held (leased and under way) at once
    std::chrono::milliseconds lease{120'000};  // renewed every third of it while the round runs
    int max_attempts = 3;                      // leases of one article before it is failed as abandoned
    bool wait = false;                         // when the queue is empty: wait for more (else: stop)
    std::chrono::milliseconds poll{1000};      // how often an idle worker looks again
    std::size_t max_rounds = 0;                // runs of the check (each ends when the queue has nothing); 0: no limit
    const std::atomic<bool>* stop = nullptr;   // set (by a signal): lease no more, finish what is under way
    std::function<void(std::string_view)> on_event;  // one line per article finished, in the worker's thread
};

struct WorkerSummary {
    std::size_t done = 0;
    std::size_t failed = 0;
    std::size_t recorded_before = 0;  // taken over from a lease that ran out and found already recorded
    std::size_t lost = 0;             // finished after another worker took the lease over (not marked by this one)
    std::size_t rounds = 0;           // runs of the check
};

// Runs rounds until the queue has nothing to take and no lease of another worker that could still run out (or,
// with `wait`, until `stop`). `options` are those of `provcheck check`; run keys are set per round.
[[nodiscard]] Result<WorkerSummary> run_worker(Database& db, const StoreOpener& open, const CheckOptions& options,
                                               const CheckRules& rules, const Clock& clock, const SigningKey& key,
                                               const WorkerOptions& worker);

// The default worker name: host name and process id.
[[nodiscard]] std::string default_worker_name();

}  // namespace provcheck
