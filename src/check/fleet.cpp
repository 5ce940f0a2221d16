#include "check/fleet.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/clock.hpp"
#include "core/url.hpp"

namespace provcheck {

StoreHostGate::StoreHostGate(StoreOpener open, std::string holder)
    : open_(std::move(open)), holder_(std::move(holder)) {}

Database* StoreHostGate::db() {
    if (!db_) {
        auto opened = open_();
        if (!opened) {
            note_error(opened.error().message);
            return nullptr;
        }
        db_ = std::make_unique<Database>(std::move(*opened));
    }
    return db_.get();
}

HostGate::Grant StoreHostGate::take(const std::string& host, const HostLimits& limits) {
    Database* d = db();
    if (d == nullptr) return unavailable();
    // A slot outlives a transfer that takes its whole timeout, with every retry's wait; a worker that died
    // holds its slots no longer than that.
    const std::int64_t lease_ms = (limits.timeout_s + 10) * 1000;
    auto slot = d->take_host_slot(host, std::max(1, limits.parallel_max), limits.interval.count(), lease_ms, holder_);
    if (!slot) {
        note_error(slot.error().message);
        db_.reset();  // the next call connects again
        return unavailable();
    }
    failing_since_.reset();
    return {std::move(slot->token), std::chrono::milliseconds(slot->wait_ms), {}};
}

HostGate::Grant StoreHostGate::unavailable() {
    // Politeness is never given up for speed: no slot, ask again in a second. A store that stays out of reach
    // for give_up_after fails the requests instead, so that a round ends rather than waits forever.
    const auto now = std::chrono::steady_clock::now();
    if (!failing_since_) failing_since_ = now;
    if (now - *failing_since_ >= give_up_after) {
        return {{},
                {},
                fmt::format("fleet politeness unavailable: the store has not answered for {} s ({})",
                            std::chrono::duration_cast<std::chrono::seconds>(now - *failing_since_).count(), error())};
    }
    return {{}, std::chrono::milliseconds(1000), {}};
}

void StoreHostGate::note_error(std::string message) {
    std::lock_guard lock(mutex_);
    error_ = std::move(message);
}

void StoreHostGate::give(const std::string& token) {
    Database* d = db();
    if (d == nullptr) return;
    if (auto r = d->give_host_slot(token); !r) {
        // The slot is freed when its lease runs out instead.
        note_error(r.error().message);
        db_.reset();
    }
}

void StoreHostGate::defer(const std::string& host, std::chrono::milliseconds delay) {
    Database* d = db();
    if (d == nullptr) return;
    if (auto r = d->defer_host(host, delay.count()); !r) {
        note_error(r.error().message);
        db_.reset();
    }
}

std::string StoreHostGate::error() const {
    std::lock_guard lock(mutex_);
    return error_;
}

std::string default_worker_name() {
    std::array<char, 256> host{};
    if (::gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
    return fmt::format("{}:{}", host[0] != '\0' ? host.data() : "localhost", ::getpid());
}

namespace {

// Renews a round's leases every third of the lease, on a connection of its own, until stopped.
class Heartbeat {
public:
    Heartbeat(const StoreOpener& open, const std::vector<QueueItem>& items, std::chrono::milliseconds lease)
        : thread_([this, &open, &items, lease] { run(open, items, lease); }) {}
    ~Heartbeat() {
        {
            std::lock_guard lock(mutex_);
            over_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }
    Heartbeat(const Heartbeat&) = delete;
    Heartbeat& operator=(const Heartbeat&) = delete;
    [[nodiscard]] std::string error() {
        std::lock_guard lock(mutex_);
        return error_;
    }

private:
    void run(const StoreOpener& open, const std::vector<QueueItem>& items, std::chrono::milliseconds lease) {
        auto db = open();
        std::unique_lock lock(mutex_);
        if (!db) {
            error_ = db.error().message;
            return;
        }
        while (!cv_.wait_for(lock, lease / 3, [this] { return over_; })) {
            lock.unlock();
            auto renewed = db->renew(items, lease.count());
            lock.lock();
            if (!renewed) error_ = renewed.error().message;
        }
    }
    std::mutex mutex_;
    std::condition_variable cv_;
    bool over_ = false;
    std::string error_;
    std::thread thread_;  // last: started once the members it uses exist
};

// Marks each article of the round done or failed as soon as its records are stored.
class RoundSink final : public ArticleSink {
public:
    RoundSink(Database& db, const Clock& clock, const std::vector<QueueItem>& items, WorkerSummary& summary,
              const WorkerOptions& worker)
        : db_(db), clock_(clock), summary_(summary), worker_(worker) {
        for (const auto& item : items)
            pending_.emplace(item.article, item);
    }
    void article_done(std::size_t, ArticleResult result) override {
        const auto it = pending_.find(result.input);
        if (it == pending_.end()) return;
        const QueueItem item = it->second;
        pending_.erase(it);
        bool done = !result.error.has_value();
        if (!done) {
            // Another worker, slow rather than dead, may have stored this article's records under the same key
            // after this one took the lease over: then the article is done, whatever became of this attempt.
            auto recorded = db_.run_key_claimed(fmt::format("queue/{}", item.id));
            if (!recorded) {
                error_ = recorded.error();
                return;
            }
            done = *recorded;
        }
        const bool before = std::any_of(result.notes.begin(), result.notes.end(), [](const std::string& n) {
            return n.find("was recorded before") != std::string::npos;
        });
        // "URL: URL: HTTP/1.1 404 Not Found" as the layers of a capture say it: the queue names the URL already.
        std::string_view why = result.error ? std::string_view(result.error->message) : std::string_view{};
        const std::string prefix = item.article + ": ";
        while (why.starts_with(prefix) && why.size() > prefix.size())
            why.remove_prefix(prefix.size());
        auto marked = db_.finish(item, done, static_cast<int>(result.claims.size()), why, format_rfc3339(clock_.now()));
        if (!marked) {
            error_ = marked.error();
            return;
        }
        if (!*marked)
            summary_.lost += 1;
        else if (done)
            summary_.done += 1;
        else
            summary_.failed += 1;
        if (before) summary_.recorded_before += 1;
        if (worker_.on_event) {
            worker_.on_event(done ? fmt::format("done {} ({} claim{}{})", item.article, result.claims.size(),
                                                result.claims.size() == 1 ? "" : "s", before ? ", recorded before" : "")
                                  : fmt::format("failed {}: {}", item.article, why.empty() ? "not checked" : why));
        }
    }
    // Items the run never handed back (excluded, or the run stopped on an error).
    [[nodiscard]] std::vector<QueueItem> unfinished() const {
        std::vector<QueueItem> out;
        for (const auto& [article, item] : pending_)
            out.push_back(item);
        return out;
    }
    [[nodiscard]] const std::optional<Error>& error() const { return error_; }

private:
    Database& db_;
    const Clock& clock_;
    WorkerSummary& summary_;
    const WorkerOptions& worker_;
    std::map<std::string, QueueItem> pending_;
    std::optional<Error> error_;
};

bool stopping(const WorkerOptions& w) {
    return w.stop != nullptr && w.stop->load();
}

// Sleeps `d` in short steps, returning early when asked to stop.
void idle(const WorkerOptions& w, std::chrono::milliseconds d) {
    const auto until = std::chrono::steady_clock::now() + d;
    while (!stopping(w) && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::min(d, std::chrono::milliseconds(100)));
}

}  // namespace

Result<WorkerSummary> run_worker(Database& db, const StoreOpener& open, const CheckOptions& options,
                                 const CheckRules& rules, const Clock& clock, const SigningKey& key,
                                 const WorkerOptions& worker) {
    if (worker.concurrency == 0) return fail(ErrorCode::usage, "--concurrency: must be at least 1");
    if (worker.lease < std::chrono::seconds(3)) return fail(ErrorCode::usage, "--lease: must be at least 3 seconds");
    WorkerSummary summary;
    auto gate = std::make_shared<StoreHostGate>(open, worker.name);
    CheckOptions base = options;
    base.fetch.gate = gate;
    while (!stopping(worker) && (worker.max_rounds == 0 || summary.rounds < worker.max_rounds)) {
        auto items = db.lease(worker.name, worker.concurrency, worker.lease.count(), worker.max_attempts);
        if (!items) return std::unexpected(items.error());
        if (items->empty()) {
            auto counts = db.queue_counts();
            if (!counts) return std::unexpected(counts.error());
            // Leases of other workers may still run out (a worker that died): stay until they end or are done.
            if (!worker.wait && counts->pending == 0 && counts->leased == 0 && counts->expired == 0) break;
            idle(worker, worker.poll);
            continue;
        }
        summary.rounds += 1;
        CheckInputs inputs;
        CheckOptions round = base;
        round.run_keys.clear();
        std::vector<QueueItem> web;
        for (const auto& item : *items) {
            // The store is shared: whoever can write a row must not make a worker read its own files.
            if (!is_absolute_http_url(item.article)) {
                auto marked =
                    db.finish(item, false, 0, "not an http(s) URL: a queue names pages on the web, never a local file",
                              format_rfc3339(clock.now()));
                if (!marked) return std::unexpected(marked.error());
                if (*marked) summary.failed += 1;
                continue;
            }
            web.push_back(item);
        }
        // The same article twice in one round (rows written by hand): checked once, the other item failed.
        std::set<std::string> seen;
        std::vector<QueueItem> unique;
        for (auto& item : web) {
            if (seen.insert(item.article).second) {
                unique.push_back(std::move(item));
                continue;
            }
            auto marked = db.finish(item, false, 0, "queued twice: the same article is checked under another item",
                                    format_rfc3339(clock.now()));
            if (!marked) return std::unexpected(marked.error());
            if (*marked) summary.failed += 1;
        }
        if (unique.empty()) continue;
        *items = std::move(unique);
        for (const auto& item : *items) {
            inputs.articles.push_back(item.article);
            round.run_keys.emplace(item.article, fmt::format("queue/{}", item.id));
        }
        RoundSink sink(db, clock, *items, summary, worker);
        Result<CheckRun> run = CheckRun{};
        std::string heartbeat_error;
        {
            Heartbeat heartbeat(open, *items, worker.lease);
            run = run_check(inputs, round, rules, clock, CheckStore{&key, &db}, sink);
            heartbeat_error = heartbeat.error();
        }
        if (sink.error()) return std::unexpected(*sink.error());
        for (const auto& item : sink.unfinished()) {
            if (!run) {
                // Given back at once for another worker (or this one, later) to take.
                if (auto r = db.release(item, run.error().message); !r) return std::unexpected(r.error());
                continue;
            }
            auto marked =
                db.finish(item, false, 0, "not checked: excluded by an exclude pattern", format_rfc3339(clock.now()));
            if (!marked) return std::unexpected(marked.error());
            if (*marked) summary.failed += 1;
        }
        if (!run) return std::unexpected(run.error());
        if (worker.on_event && !heartbeat_error.empty())
            worker.on_event(fmt::format("warning: renewing leases: {}", heartbeat_error));
        if (worker.on_event && !gate->error().empty())
            worker.on_event(fmt::format("warning: fleet politeness: {}", gate->error()));
    }
    return summary;
}

}  // namespace provcheck
