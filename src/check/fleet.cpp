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
    // for give_up_after fails the requests instead, so that a run ends rather than waits forever.
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

// The articles a worker holds leases on: added as they are leased, removed as they are finished. Read by the
// heartbeat's thread, so guarded.
class Held {
public:
    void add(const QueueItem& item) {
        std::lock_guard lock(mutex_);
        items_.emplace(item.article, item);
    }
    std::optional<QueueItem> take(const std::string& article) {
        std::lock_guard lock(mutex_);
        const auto it = items_.find(article);
        if (it == items_.end()) return std::nullopt;
        QueueItem item = it->second;
        items_.erase(it);
        return item;
    }
    [[nodiscard]] bool holds(const std::string& article) {
        std::lock_guard lock(mutex_);
        return items_.contains(article);
    }
    [[nodiscard]] std::vector<QueueItem> snapshot() {
        std::lock_guard lock(mutex_);
        std::vector<QueueItem> out;
        for (const auto& [article, item] : items_)
            out.push_back(item);
        return out;
    }
    [[nodiscard]] std::size_t size() {
        std::lock_guard lock(mutex_);
        return items_.size();
    }

private:
    std::mutex mutex_;
    std::map<std::string, QueueItem> items_;
};

// Renews the leases held every third of the lease, on a connection of its own, until stopped.
class Heartbeat {
public:
    Heartbeat(const StoreOpener& open, Held& held, std::chrono::milliseconds lease)
        : thread_([this, &open, &held, lease] { run(open, held, lease); }) {}
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
    void run(const StoreOpener& open, Held& held, std::chrono::milliseconds lease) {
        auto db = open();
        std::unique_lock lock(mutex_);
        if (!db) {
            error_ = db.error().message;
            return;
        }
        while (!cv_.wait_for(lock, lease / 3, [this] { return over_; })) {
            lock.unlock();
            auto renewed = db->renew(held.snapshot(), lease.count());
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

bool stopping(const WorkerOptions& w) {
    return w.stop != nullptr && w.stop->load();
}

// Sleeps `d` in short steps, returning early when asked to stop.
void idle(const WorkerOptions& w, std::chrono::milliseconds d) {
    const auto until = std::chrono::steady_clock::now() + d;
    while (!stopping(w) && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::min(d, std::chrono::milliseconds(100)));
}

// One run of the check fed from the queue: leases an article whenever the run has room (at most `concurrency`
// held at once), marks each done or failed as soon as its records are stored.
class QueueFeed final : public ArticleSink {
public:
    QueueFeed(Database& db, const Clock& clock, CheckOptions& round, const WorkerOptions& worker,
              WorkerSummary& summary)
        : db_(db), clock_(clock), round_(round), worker_(worker), summary_(summary) {}

    // The next article to check, leased now; nullopt when none can be had (queue empty, enough held, stopping).
    std::optional<std::string> next() {
        while (!error_ && !stopping(worker_) && held_.size() < worker_.concurrency &&
               (per_run == 0 || leased_ < per_run)) {
            auto items = db_.lease(worker_.name, 1, worker_.lease.count(), worker_.max_attempts);
            if (!items) {
                error_ = items.error();
                return std::nullopt;
            }
            if (items->empty()) return std::nullopt;
            QueueItem item = std::move(items->front());
            ++leased_;
            // The store is shared: whoever can write a row must not make a worker read its own files.
            if (!is_absolute_http_url(item.article)) {
                fail_now(item, "not an http(s) URL: a queue names pages on the web, never a local file");
                continue;
            }
            if (held_.holds(item.article)) {
                fail_now(item, "queued twice: the same article is checked under another item");
                continue;
            }
            held_.add(item);
            round_.run_keys[item.article] = fmt::format("queue/{}", item.id);
            return item.article;
        }
        return std::nullopt;
    }

    void article_done(std::size_t, ArticleResult result) override {
        auto item = held_.take(result.input);
        if (!item) return;
        bool done = !result.error.has_value();
        if (!done) {
            // Another worker, slow rather than dead, may have stored this article's records under the same key
            // after this one took the lease over: then the article is done, whatever became of this attempt.
            auto recorded = db_.run_key_claimed(fmt::format("queue/{}", item->id));
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
        const std::string prefix = item->article + ": ";
        while (why.starts_with(prefix) && why.size() > prefix.size())
            why.remove_prefix(prefix.size());
        auto marked =
            db_.finish(*item, done, static_cast<int>(result.claims.size()), why, format_rfc3339(clock_.now()));
        round_.run_keys.erase(item->article);
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
            worker_.on_event(done ? fmt::format("done {} ({} claim{}{})", item->article, result.claims.size(),
                                                result.claims.size() == 1 ? "" : "s", before ? ", recorded before" : "")
                                  : fmt::format("failed {}: {}", item->article, why.empty() ? "not checked" : why));
        }
    }

    // After the run: what it never handed back (excluded, or the run stopped on an error) is failed or given back.
    Result<void> settle(const Result<CheckRun>& run) {
        for (const auto& item : held_.snapshot()) {
            held_.take(item.article);
            if (!run) {
                // Given back at once for another worker (or this one, later) to take, the attempt counted.
                if (auto r = db_.release(item, run.error().message); !r) return r;
                continue;
            }
            fail_now(item, "not checked: excluded by an exclude pattern");
        }
        if (error_) return std::unexpected(*error_);
        return {};
    }

    [[nodiscard]] Held& held() noexcept { return held_; }
    [[nodiscard]] std::size_t leased() const noexcept { return leased_; }
    [[nodiscard]] const std::optional<Error>& error() const { return error_; }

    // Articles leased by one run before it ends and the next begins: a run's archive file, its row in `runs` and
    // what its capture stage remembers stay bounded on a worker that never sees the queue empty.
    static constexpr std::size_t per_run = 1000;

private:
    void fail_now(const QueueItem& item, std::string_view why) {
        auto marked = db_.finish(item, false, 0, why, format_rfc3339(clock_.now()));
        if (!marked) {
            error_ = marked.error();
            return;
        }
        if (*marked) summary_.failed += 1;
        if (worker_.on_event) worker_.on_event(fmt::format("failed {}: {}", item.article, why));
    }

    Database& db_;
    const Clock& clock_;
    CheckOptions& round_;
    const WorkerOptions& worker_;
    WorkerSummary& summary_;
    Held held_;
    std::size_t leased_ = 0;
    std::optional<Error> error_;
};

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
        CheckOptions round = base;
        round.run_keys.clear();
        QueueFeed feed(db, clock, round, worker, summary);
        auto first = feed.next();
        if (feed.error()) return std::unexpected(*feed.error());
        if (!first) {
            if (feed.leased() > 0) continue;  // only rows that were failed at once: look again
            auto counts = db.queue_counts();
            if (!counts) return std::unexpected(counts.error());
            // Leases of other workers may still run out (a worker that died): stay until they end or are done.
            if (!worker.wait && counts->pending == 0 && counts->leased == 0 && counts->expired == 0) break;
            idle(worker, worker.poll);
            continue;
        }
        summary.rounds += 1;
        CheckInputs inputs;
        inputs.articles.push_back(std::move(*first));
        inputs.more = [&feed] { return feed.next(); };
        Result<CheckRun> run = CheckRun{};
        std::string heartbeat_error;
        {
            Heartbeat heartbeat(open, feed.held(), worker.lease);
            run = run_check(inputs, round, rules, clock, CheckStore{&key, &db}, feed);
            heartbeat_error = heartbeat.error();
        }
        if (auto settled = feed.settle(run); !settled) return std::unexpected(settled.error());
        if (!run) return std::unexpected(run.error());
        if (worker.on_event && !heartbeat_error.empty())
            worker.on_event(fmt::format("warning: renewing leases: {}", heartbeat_error));
        if (worker.on_event && !gate->error().empty())
            worker.on_event(fmt::format("warning: fleet politeness: {}", gate->error()));
    }
    return summary;
}

}  // namespace provcheck
