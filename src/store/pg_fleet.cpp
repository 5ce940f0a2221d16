// The PostgreSQL back-end's work queue, run keys and host slots: leases taken with FOR UPDATE SKIP LOCKED, times
// from the server's clock, a host's slot in one call of provcheck_take_host_slot (pg_schema.cpp).
#include <algorithm>

#include "store/pg_store.hpp"

namespace provcheck::pg {

Result<bool> PgStore::claim_run_key(std::string_view key, std::string_view at) {
    auto r = run("INSERT INTO run_keys(key, recorded_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                 {text(key), text(at)}, "claiming a run key");
    if (!r) return std::unexpected(r.error());
    return changed(*r) == 1;
}

Result<bool> PgStore::run_key_claimed(std::string_view key) {
    auto r = run("SELECT 1 FROM run_keys WHERE key = $1", {text(key)}, "reading a run key");
    if (!r) return std::unexpected(r.error());
    return PQntuples(r->get()) > 0;
}

Result<std::size_t> PgStore::enqueue(const std::vector<std::string>& articles, std::string_view at) {
    // One transaction under the write lock: two enqueues of the same article never both add it.
    if (auto r = begin(); !r) return std::unexpected(r.error());
    std::size_t added = 0;
    for (const auto& a : articles) {
        auto r =
            run("INSERT INTO queue(article, state, enqueued_at) SELECT $1, 'pending', $2 WHERE NOT EXISTS "
                "(SELECT 1 FROM queue WHERE article = $1 AND state IN ('pending', 'leased'))",
                {text(a), text(at)}, "adding to the queue");
        if (!r) {
            rollback();
            return std::unexpected(r.error());
        }
        added += changed(*r);
    }
    if (auto r = commit(); !r) return std::unexpected(r.error());
    return added;
}

Result<std::vector<QueueItem>> PgStore::lease(std::string_view worker, std::size_t n, std::int64_t lease_ms,
                                              int max_attempts) {
    auto expired =
        run(fmt::format("UPDATE queue SET state = 'failed', error = 'abandoned after ' || attempts || CASE WHEN "
                        "attempts = 1 THEN ' attempt ' ELSE ' attempts ' END "
                        "|| COALESCE('(the last: ' || error || ')', '(the worker stopped or died while checking "
                        "it)'), lease_token = NULL WHERE id IN (SELECT id FROM queue WHERE (state = 'pending' OR "
                        "(state = 'leased' AND lease_until < {0})) AND attempts >= $1 FOR UPDATE SKIP LOCKED)",
                        now_ms_sql),
            {number(max_attempts)}, "leasing from the queue");
    if (!expired) return std::unexpected(expired.error());
    const std::string token = random_token();
    auto r = run(fmt::format("UPDATE queue SET state = 'leased', lease_owner = $1, lease_token = $2, "
                             "lease_until = {0} + $3, attempts = attempts + 1 WHERE id IN (SELECT id FROM queue "
                             "WHERE state = 'pending' OR (state = 'leased' AND lease_until < {0}) ORDER BY id "
                             "LIMIT $4 FOR UPDATE SKIP LOCKED) RETURNING id, article, attempts",
                             now_ms_sql),
                 {text(worker), text(token), number(lease_ms), number(static_cast<std::int64_t>(n))},
                 "leasing from the queue");
    if (!r) return std::unexpected(r.error());
    std::vector<QueueItem> out;
    for (int i = 0; i < PQntuples(r->get()); ++i)
        out.push_back({integer(*r, i, 0), value(*r, i, 1), static_cast<int>(integer(*r, i, 2)), token});
    std::sort(out.begin(), out.end(), [](const QueueItem& a, const QueueItem& b) { return a.id < b.id; });
    return out;
}

Result<std::size_t> PgStore::renew(const std::vector<QueueItem>& items, std::int64_t lease_ms) {
    std::size_t held = 0;
    for (const auto& item : items) {
        auto r = run(fmt::format("UPDATE queue SET lease_until = {} + $1 WHERE id = $2 AND lease_token = $3 AND "
                                 "state = 'leased'",
                                 now_ms_sql),
                     {number(lease_ms), number(item.id), text(item.token)}, "renewing a lease");
        if (!r) return std::unexpected(r.error());
        held += changed(*r);
    }
    return held;
}

Result<bool> PgStore::finish(const QueueItem& item, bool done, int claims, std::string_view error,
                             std::string_view at) {
    auto r =
        run("UPDATE queue SET state = $1, claims = $2, error = $3, finished_at = $4, lease_token = NULL "
            "WHERE id = $5 AND lease_token = $6 AND state = 'leased'",
            {text(done ? "done" : "failed"), number(claims), done ? null_param() : text(error), text(at),
             number(item.id), text(item.token)},
            "finishing a queue item");
    if (!r) return std::unexpected(r.error());
    return changed(*r) == 1;
}

Result<void> PgStore::release(const QueueItem& item, std::string_view why) {
    auto r =
        run("UPDATE queue SET state = 'pending', lease_token = NULL, lease_until = NULL, error = $3 "
            "WHERE id = $1 AND lease_token = $2 AND state = 'leased'",
            {number(item.id), text(item.token), text(why)}, "giving a lease back");
    if (!r) return std::unexpected(r.error());
    return {};
}

Result<QueueCounts> PgStore::queue_counts() {
    auto r = run(fmt::format("SELECT CASE WHEN state = 'leased' AND lease_until < {} THEN 'expired' ELSE state "
                             "END, COUNT(*) FROM queue GROUP BY 1",
                             now_ms_sql),
                 {}, "counting the queue");
    if (!r) return std::unexpected(r.error());
    QueueCounts c;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
        const std::string state = value(*r, i, 0);
        const std::int64_t n = integer(*r, i, 1);
        if (state == "pending") c.pending = n;
        if (state == "leased") c.leased = n;
        if (state == "expired") c.expired = n;
        if (state == "done") c.done = n;
        if (state == "failed") c.failed = n;
    }
    return c;
}

Result<std::vector<QueueEntry>> PgStore::queue_entries(std::optional<QueueState> state, std::size_t limit) {
    auto r =
        run("SELECT id, article, state, attempts, COALESCE(lease_owner, ''), COALESCE(lease_until, 0), "
            "enqueued_at, COALESCE(finished_at, ''), COALESCE(error, ''), COALESCE(claims, 0) FROM queue "
            "WHERE $1::text IS NULL OR state = $1 ORDER BY id LIMIT $2",
            {state ? text(to_string(*state)) : null_param(), number(static_cast<std::int64_t>(limit))},
            "reading the queue");
    if (!r) return std::unexpected(r.error());
    std::vector<QueueEntry> out;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
        QueueEntry e;
        e.id = integer(*r, i, 0);
        e.article = value(*r, i, 1);
        const std::string name = value(*r, i, 2);
        e.state = name == "leased"   ? QueueState::leased
                  : name == "done"   ? QueueState::done
                  : name == "failed" ? QueueState::failed
                                     : QueueState::pending;
        e.attempts = static_cast<int>(integer(*r, i, 3));
        e.owner = value(*r, i, 4);
        e.lease_until_ms = integer(*r, i, 5);
        e.enqueued_at = value(*r, i, 6);
        e.finished_at = value(*r, i, 7);
        e.error = value(*r, i, 8);
        e.claims = static_cast<int>(integer(*r, i, 9));
        out.push_back(std::move(e));
    }
    return out;
}

Result<HostSlot> PgStore::take_host_slot(std::string_view host, int parallel_max, std::int64_t interval_ms,
                                         std::int64_t lease_ms, std::string_view holder) {
    HostSlot slot{random_token(), 0};
    auto r =
        run("SELECT provcheck_take_host_slot($1, $2, $3, $4, $5, $6)",
            {text(host), number(parallel_max), number(interval_ms), number(lease_ms), text(holder), text(slot.token)},
            "taking a host slot");
    if (!r) return std::unexpected(r.error());
    slot.wait_ms = integer(*r, 0, 0);
    if (slot.wait_ms > 0) slot.token.clear();
    return slot;
}

Result<void> PgStore::give_host_slot(std::string_view token) {
    auto r = run("DELETE FROM host_slots WHERE token = $1", {text(token)}, "giving a host slot back");
    if (!r) return std::unexpected(r.error());
    return {};
}

Result<void> PgStore::defer_host(std::string_view host, std::int64_t delay_ms) {
    auto r = run(fmt::format("INSERT INTO host_pace(host, next_start_ms) VALUES ($1, {0} + $2) ON CONFLICT (host) "
                             "DO UPDATE SET next_start_ms = GREATEST(host_pace.next_start_ms, EXCLUDED.next_start_ms)",
                             now_ms_sql),
                 {text(host), number(delay_ms)}, "deferring a host");
    if (!r) return std::unexpected(r.error());
    return {};
}

}  // namespace provcheck::pg
