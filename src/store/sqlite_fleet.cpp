// The SQLite back-end's work queue, run keys and host slots: each operation in a write transaction of its own
// (BEGIN IMMEDIATE), so that processes sharing the file take turns.
#include <algorithm>

#include "store/sqlite_store.hpp"

namespace provcheck::sqlite {

template <class T>
Result<T> SqliteStore::in_transaction(const std::function<Result<T>()>& body) {
    if (auto r = begin(); !r) return std::unexpected(r.error());
    auto out = body();
    if (!out) {
        rollback();
        return out;
    }
    if (auto r = commit(); !r) {
        rollback();
        return std::unexpected(r.error());
    }
    return out;
}

Result<bool> SqliteStore::claim_run_key(std::string_view key, std::string_view at) {
    auto st = prepare(db_.get(), "INSERT OR IGNORE INTO run_keys(key, recorded_at) VALUES (?, ?)");
    if (!st) return std::unexpected(st.error());
    bind_text(st->get(), 1, key);
    bind_text(st->get(), 2, at);
    if (auto r = step_done(db_.get(), st->get(), "claiming a run key"); !r) return std::unexpected(r.error());
    return sqlite3_changes(db_.get()) == 1;
}

Result<bool> SqliteStore::run_key_claimed(std::string_view key) {
    auto st = prepare(db_.get(), "SELECT 1 FROM run_keys WHERE key = ?");
    if (!st) return std::unexpected(st.error());
    bind_text(st->get(), 1, key);
    const int rc = sqlite3_step(st->get());
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_error(db_.get(), "reading a run key");
    return rc == SQLITE_ROW;
}

Result<std::size_t> SqliteStore::enqueue(const std::vector<std::string>& articles, std::string_view at) {
    return in_transaction<std::size_t>([&]() -> Result<std::size_t> {
        auto st = prepare(db_.get(),
                          "INSERT INTO queue(article, state, enqueued_at) SELECT ?1, 'pending', ?2 WHERE NOT EXISTS "
                          "(SELECT 1 FROM queue WHERE article = ?1 AND state IN ('pending', 'leased'))");
        if (!st) return std::unexpected(st.error());
        std::size_t added = 0;
        for (const auto& a : articles) {
            sqlite3_reset(st->get());
            bind_text(st->get(), 1, a);
            bind_text(st->get(), 2, at);
            if (auto r = step_done(db_.get(), st->get(), "adding to the queue"); !r) return std::unexpected(r.error());
            added += static_cast<std::size_t>(sqlite3_changes(db_.get()));
        }
        return added;
    });
}

Result<std::vector<QueueItem>> SqliteStore::lease(std::string_view worker, std::size_t n, std::int64_t lease_ms,
                                                  int max_attempts) {
    const std::string token = random_token();
    return in_transaction<std::vector<QueueItem>>([&]() -> Result<std::vector<QueueItem>> {
        const std::int64_t now = now_ms();
        auto expire =
            prepare(db_.get(),
                    "UPDATE queue SET state = 'failed', error = 'abandoned after ' || attempts || CASE WHEN attempts = "
                    "1 THEN ' attempt ' ELSE ' attempts ' END || "
                    "COALESCE('(the last: ' || error || ')', '(the worker stopped or died while checking it)'), "
                    "lease_token = NULL WHERE (state = 'pending' OR (state = 'leased' AND lease_until < ?1)) AND "
                    "attempts >= ?2");
        if (!expire) return std::unexpected(expire.error());
        bind_int(expire->get(), 1, now);
        bind_int(expire->get(), 2, max_attempts);
        if (auto r = step_done(db_.get(), expire->get(), "leasing from the queue"); !r)
            return std::unexpected(r.error());
        auto st =
            prepare(db_.get(),
                    "UPDATE queue SET state = 'leased', lease_owner = ?1, lease_token = ?2, lease_until = ?3 + ?4, "
                    "attempts = attempts + 1 WHERE id IN (SELECT id FROM queue WHERE state = 'pending' OR "
                    "(state = 'leased' AND lease_until < ?3) ORDER BY id LIMIT ?5) RETURNING id, article, attempts");
        if (!st) return std::unexpected(st.error());
        bind_text(st->get(), 1, worker);
        bind_text(st->get(), 2, token);
        bind_int(st->get(), 3, now);
        bind_int(st->get(), 4, lease_ms);
        bind_int(st->get(), 5, static_cast<std::int64_t>(n));
        std::vector<QueueItem> out;
        int rc;
        while ((rc = sqlite3_step(st->get())) == SQLITE_ROW) {
            out.push_back({sqlite3_column_int64(st->get(), 0), column_text(st->get(), 1),
                           sqlite3_column_int(st->get(), 2), token});
        }
        if (rc != SQLITE_DONE) return db_error(db_.get(), "leasing from the queue");
        std::sort(out.begin(), out.end(), [](const QueueItem& a, const QueueItem& b) { return a.id < b.id; });
        return out;
    });
}

Result<std::size_t> SqliteStore::renew(const std::vector<QueueItem>& items, std::int64_t lease_ms) {
    return in_transaction<std::size_t>([&]() -> Result<std::size_t> {
        auto st = prepare(db_.get(),
                          "UPDATE queue SET lease_until = ?1 WHERE id = ?2 AND lease_token = ?3 AND "
                          "state = 'leased'");
        if (!st) return std::unexpected(st.error());
        std::size_t held = 0;
        for (const auto& item : items) {
            sqlite3_reset(st->get());
            bind_int(st->get(), 1, now_ms() + lease_ms);
            bind_int(st->get(), 2, item.id);
            bind_text(st->get(), 3, item.token);
            if (auto r = step_done(db_.get(), st->get(), "renewing a lease"); !r) return std::unexpected(r.error());
            held += static_cast<std::size_t>(sqlite3_changes(db_.get()));
        }
        return held;
    });
}

Result<bool> SqliteStore::finish(const QueueItem& item, bool done, int claims, std::string_view error,
                                 std::string_view at) {
    auto st = prepare(db_.get(),
                      "UPDATE queue SET state = ?1, claims = ?2, error = ?3, finished_at = ?4, "
                      "lease_token = NULL WHERE id = ?5 AND lease_token = ?6 AND state = 'leased'");
    if (!st) return std::unexpected(st.error());
    bind_text(st->get(), 1, done ? "done" : "failed");
    bind_int(st->get(), 2, claims);
    if (!done) bind_text(st->get(), 3, error);
    bind_text(st->get(), 4, at);
    bind_int(st->get(), 5, item.id);
    bind_text(st->get(), 6, item.token);
    if (auto r = step_done(db_.get(), st->get(), "finishing a queue item"); !r) return std::unexpected(r.error());
    return sqlite3_changes(db_.get()) == 1;
}

Result<void> SqliteStore::release(const QueueItem& item, std::string_view why) {
    auto st = prepare(db_.get(),
                      "UPDATE queue SET state = 'pending', lease_token = NULL, lease_until = NULL, "
                      "error = ?3 WHERE id = ?1 AND lease_token = ?2 AND state = 'leased'");
    if (!st) return std::unexpected(st.error());
    bind_int(st->get(), 1, item.id);
    bind_text(st->get(), 2, item.token);
    bind_text(st->get(), 3, why);
    return step_done(db_.get(), st->get(), "giving a lease back");
}

Result<QueueCounts> SqliteStore::queue_counts() {
    auto st = prepare(db_.get(),
                      "SELECT CASE WHEN state = 'leased' AND lease_until < ?1 THEN 'expired' ELSE state END, "
                      "COUNT(*) FROM queue GROUP BY 1");
    if (!st) return std::unexpected(st.error());
    bind_int(st->get(), 1, now_ms());
    QueueCounts c;
    int rc;
    while ((rc = sqlite3_step(st->get())) == SQLITE_ROW) {
        const std::string state = column_text(st->get(), 0);
        const std::int64_t n = sqlite3_column_int64(st->get(), 1);
        if (state == "pending") c.pending = n;
        if (state == "leased") c.leased = n;
        if (state == "expired") c.expired = n;
        if (state == "done") c.done = n;
        if (state == "failed") c.failed = n;
    }
    if (rc != SQLITE_DONE) return db_error(db_.get(), "counting the queue");
    return c;
}

Result<std::vector<QueueEntry>> SqliteStore::queue_entries(std::optional<QueueState> state, std::size_t limit) {
    auto st = prepare(db_.get(),
                      "SELECT id, article, state, attempts, COALESCE(lease_owner, ''), "
                      "COALESCE(lease_until, 0), enqueued_at, COALESCE(finished_at, ''), "
                      "COALESCE(error, ''), COALESCE(claims, 0) FROM queue WHERE ?1 IS NULL OR state = ?1 "
                      "ORDER BY id LIMIT ?2");
    if (!st) return std::unexpected(st.error());
    if (state) bind_text(st->get(), 1, to_string(*state));
    bind_int(st->get(), 2, static_cast<std::int64_t>(limit));
    std::vector<QueueEntry> out;
    int rc;
    while ((rc = sqlite3_step(st->get())) == SQLITE_ROW) {
        sqlite3_stmt* s = st->get();
        QueueEntry e;
        e.id = sqlite3_column_int64(s, 0);
        e.article = column_text(s, 1);
        const std::string st_name = column_text(s, 2);
        e.state = st_name == "leased"   ? QueueState::leased
                  : st_name == "done"   ? QueueState::done
                  : st_name == "failed" ? QueueState::failed
                                        : QueueState::pending;
        e.attempts = sqlite3_column_int(s, 3);
        e.owner = column_text(s, 4);
        e.lease_until_ms = sqlite3_column_int64(s, 5);
        e.enqueued_at = column_text(s, 6);
        e.finished_at = column_text(s, 7);
        e.error = column_text(s, 8);
        e.claims = sqlite3_column_int(s, 9);
        out.push_back(std::move(e));
    }
    if (rc != SQLITE_DONE) return db_error(db_.get(), "reading the queue");
    return out;
}

Result<HostSlot> SqliteStore::take_host_slot(std::string_view host, int parallel_max, std::int64_t interval_ms,
                                             std::int64_t lease_ms, std::string_view holder) {
    return in_transaction<HostSlot>([&]() -> Result<HostSlot> {
        const std::int64_t now = now_ms();
        auto pace = prepare(db_.get(), "SELECT next_start_ms FROM host_pace WHERE host = ?");
        if (!pace) return std::unexpected(pace.error());
        bind_text(pace->get(), 1, host);
        std::int64_t next_start = 0;
        int rc = sqlite3_step(pace->get());
        if (rc == SQLITE_ROW)
            next_start = sqlite3_column_int64(pace->get(), 0);
        else if (rc != SQLITE_DONE)
            return db_error(db_.get(), "reading a host's pace");
        if (next_start > now) return HostSlot{{}, next_start - now};
        auto expired = prepare(db_.get(), "DELETE FROM host_slots WHERE host = ? AND until_ms <= ?");
        if (!expired) return std::unexpected(expired.error());
        bind_text(expired->get(), 1, host);
        bind_int(expired->get(), 2, now);
        if (auto r = step_done(db_.get(), expired->get(), "freeing expired host slots"); !r)
            return std::unexpected(r.error());
        auto count = prepare(db_.get(), "SELECT COUNT(*), COALESCE(MIN(until_ms), 0) FROM host_slots WHERE host = ?");
        if (!count) return std::unexpected(count.error());
        bind_text(count->get(), 1, host);
        if (sqlite3_step(count->get()) != SQLITE_ROW) return db_error(db_.get(), "counting host slots");
        if (sqlite3_column_int64(count->get(), 0) >= parallel_max) {
            // Full: ask again soon (a slot is normally given back when its transfer ends) but never later than
            // the earliest lease ends.
            return HostSlot{{}, std::clamp<std::int64_t>(sqlite3_column_int64(count->get(), 1) - now, 1, 20)};
        }
        HostSlot slot{random_token(), 0};
        auto take = prepare(db_.get(), "INSERT INTO host_slots(token, host, holder, until_ms) VALUES (?,?,?,?)");
        if (!take) return std::unexpected(take.error());
        bind_text(take->get(), 1, slot.token);
        bind_text(take->get(), 2, host);
        bind_text(take->get(), 3, holder);
        bind_int(take->get(), 4, now + lease_ms);
        if (auto r = step_done(db_.get(), take->get(), "taking a host slot"); !r) return std::unexpected(r.error());
        auto next = prepare(db_.get(),
                            "INSERT INTO host_pace(host, next_start_ms) VALUES (?1, ?2) ON CONFLICT(host) "
                            "DO UPDATE SET next_start_ms = MAX(next_start_ms, ?2)");
        if (!next) return std::unexpected(next.error());
        bind_text(next->get(), 1, host);
        bind_int(next->get(), 2, now + interval_ms);
        if (auto r = step_done(db_.get(), next->get(), "pacing a host"); !r) return std::unexpected(r.error());
        return slot;
    });
}

Result<void> SqliteStore::give_host_slot(std::string_view token) {
    auto st = prepare(db_.get(), "DELETE FROM host_slots WHERE token = ?");
    if (!st) return std::unexpected(st.error());
    bind_text(st->get(), 1, token);
    return step_done(db_.get(), st->get(), "giving a host slot back");
}

Result<void> SqliteStore::defer_host(std::string_view host, std::int64_t delay_ms) {
    auto st = prepare(db_.get(),
                      "INSERT INTO host_pace(host, next_start_ms) VALUES (?1, ?2) ON CONFLICT(host) "
                      "DO UPDATE SET next_start_ms = MAX(next_start_ms, ?2)");
    if (!st) return std::unexpected(st.error());
    bind_text(st->get(), 1, host);
    bind_int(st->get(), 2, now_ms() + delay_ms);
    return step_done(db_.get(), st->get(), "deferring a host");
}

}  // namespace provcheck::sqlite
