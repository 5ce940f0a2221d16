// The PostgreSQL back-end's parts (store/pg_store.cpp: connecting, migrating, records and the log;
// pg_fleet.cpp: the work queue, run keys and host slots; pg_schema.cpp: the migration steps), and the
// statement helpers they share. Internal to src/store/.
#pragma once

#include <libpq-fe.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "store/backend.hpp"

namespace provcheck::pg {

// One entry per schema version, as SQLite's: migrations[v] takes a store at version v to v + 1 (pg_schema.cpp).
extern const std::array<std::string_view, Database::schema_version> migrations;

// A fixed key of the advisory lock that serialises write transactions (the log's append order).
inline constexpr std::int64_t write_lock_key = 0x70726f76636b;  // "provck"

inline constexpr std::string_view now_ms_sql = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

struct ConnFree {
    void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
struct ResultFree {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultFree>;

// One parameter: text, or bytes sent as binary (bytea), or SQL NULL.
struct Param {
    std::string value;
    bool binary = false;
    bool null = false;
};
inline Param text(std::string_view v) {
    return {std::string(v), false, false};
}
inline Param bytes(std::string_view v) {
    return {std::string(v), true, false};
}
inline Param number(std::int64_t v) {
    return {std::to_string(v), false, false};
}
inline Param null_param() {
    return {{}, false, true};
}
inline Param text_or_null(const std::optional<std::string>& v) {
    return v ? text(*v) : null_param();
}

inline std::int64_t to_int(const char* s) {
    std::int64_t v = 0;
    if (s != nullptr) std::from_chars(s, s + std::strlen(s), v);
    return v;
}

// A bytea column in text format ("\x" and hex digits).
inline std::string from_bytea(const char* s) {
    std::string out;
    if (s == nullptr || s[0] != '\\' || s[1] != 'x') return out;
    const std::string_view hex(s + 2);
    out.reserve(hex.size() / 2);
    auto nibble = [](char c) -> int { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
    return out;
}

class PgStore final : public StoreBackend {
public:
    explicit PgStore(std::unique_ptr<PGconn, ConnFree> conn) : conn_(std::move(conn)) {}
    [[nodiscard]] std::string_view kind() const noexcept override { return "postgresql"; }

    Result<void> begin() override {
        // Read committed whatever the database's default: each statement after the lock sees what the previous
        // holder committed (a repeatable-read snapshot taken before the wait would not, and log_size() would be
        // stale).
        if (auto r = run("BEGIN ISOLATION LEVEL READ COMMITTED", {}, "starting a transaction"); !r) {
            return std::unexpected(r.error());
        }
        if (auto r = run("SELECT pg_advisory_xact_lock($1)", {number(write_lock_key)}, "taking the write lock"); !r) {
            rollback();
            return std::unexpected(r.error());
        }
        return {};
    }
    Result<void> begin_read() override {
        auto r = run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", {}, "starting a read");
        if (!r) return std::unexpected(r.error());
        return {};
    }
    Result<void> commit() override {
        auto r = run("COMMIT", {}, "committing");
        if (!r) return std::unexpected(r.error());
        return {};
    }
    void rollback() noexcept override { (void)run("ROLLBACK", {}, "rolling back"); }

    Result<void> migrate();

    // Runs `sql` with `params`; rows come back in text format.
    Result<PgResult> run(std::string_view sql, const std::vector<Param>& params, std::string_view what) {
        std::vector<const char*> values;
        std::vector<int> lengths;
        std::vector<int> formats;
        // PostgreSQL's text type takes valid UTF-8 only; a header a hostile server sent may be anything. What a
        // record signs is valid UTF-8 already, so only unsigned columns (content types, failure messages) change.
        std::vector<std::string> cleaned;
        cleaned.reserve(params.size());
        for (const auto& p : params)
            cleaned.push_back(p.binary || p.null ? std::string{} : sanitize_utf8(p.value));
        for (std::size_t i = 0; i < params.size(); ++i) {
            const Param& p = params[i];
            const std::string& v = p.binary || p.null ? p.value : cleaned[i];
            values.push_back(p.null ? nullptr : v.data());
            lengths.push_back(static_cast<int>(v.size()));
            formats.push_back(p.binary ? 1 : 0);
        }
        const std::string q(sql);
        PgResult res(PQexecParams(conn_.get(), q.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                                  lengths.data(), formats.data(), 0));
        const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            std::string msg = res ? PQresultErrorMessage(res.get()) : PQerrorMessage(conn_.get());
            while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' '))
                msg.pop_back();
            return fail(ErrorCode::store, fmt::format("store: {}: {}", what, msg));
        }
        return res;
    }
    Result<void> exec_script(std::string_view sql, std::string_view what) {
        const std::string q(sql);
        PgResult res(PQexec(conn_.get(), q.c_str()));
        if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
            return fail(ErrorCode::store,
                        fmt::format("store: {}: {}", what,
                                    res ? PQresultErrorMessage(res.get()) : PQerrorMessage(conn_.get())));
        }
        return {};
    }
    static std::string value(const PgResult& r, int row, int col) {
        if (PQgetisnull(r.get(), row, col)) return {};
        return std::string(PQgetvalue(r.get(), row, col), static_cast<std::size_t>(PQgetlength(r.get(), row, col)));
    }
    static std::int64_t integer(const PgResult& r, int row, int col) { return to_int(PQgetvalue(r.get(), row, col)); }
    static std::string blob(const PgResult& r, int row, int col) { return from_bytea(PQgetvalue(r.get(), row, col)); }
    static bool is_null(const PgResult& r, int row, int col) { return PQgetisnull(r.get(), row, col) != 0; }
    static StoredRecordRef ref_at(const PgResult& r, int row, int first) {
        return {value(r, row, first), static_cast<std::uint64_t>(integer(r, row, first + 1)),
                static_cast<std::uint64_t>(integer(r, row, first + 2)), value(r, row, first + 3)};
    }
    static std::size_t changed(const PgResult& r) { return static_cast<std::size_t>(to_int(PQcmdTuples(r.get()))); }

    Result<std::int64_t> begin_run(std::string_view started_at, std::string_view argv,
                                   std::string_view rules_digest) override;
    Result<void> save_capture(std::int64_t run_id, const Capture& c) override;
    Result<std::optional<CachedResponse>> cached_response(std::string_view url) override;
    Result<void> save_cached_response(const CachedResponse& c) override;
    Result<std::vector<StoredCapture>> stored_captures(std::string_view url, std::size_t limit) override;
    Result<std::vector<std::pair<std::string, std::string>>> public_keys() override;
    Result<void> save_public_key(std::string_view key_id, std::string_view public_raw,
                                 std::string_view added_at) override;
    Result<std::uint64_t> log_size() override;
    Result<std::uint64_t> append_log_entry(const Sha256& envelope_digest) override;
    Result<std::vector<std::string>> log_entries() override;
    Result<void> save_record(std::int64_t run_id, const StoredRecord& rec) override;
    static std::vector<StoredRecord> read_records(const PgResult& r);
    static constexpr std::string_view record_columns =
        "SELECT id, claim_id, article, verdict, envelope, envelope_sha256, key_id, log_index, created_at FROM records ";
    Result<std::vector<StoredRecord>> records() override;
    Result<std::vector<StoredRecord>> records_for_claim(std::string_view prefix) override;
    Result<void> save_manifest(std::int64_t run_id, const StoredManifest& m) override;
    static std::vector<StoredManifest> read_manifests(const PgResult& r);
    static constexpr std::string_view manifest_columns =
        "SELECT log_index, warc_file, start_offset, end_offset, envelope, envelope_sha256, key_id, created_at "
        "FROM manifests ";
    Result<std::vector<StoredManifest>> manifests() override;
    Result<std::vector<StoredManifest>> manifests_covering(std::string_view warc_file, std::uint64_t offset) override;
    Result<void> save_checkpoint(const StoredCheckpoint& c) override;
    Result<std::optional<StoredCheckpoint>> latest_checkpoint() override;
    Result<std::vector<StoredCheckpoint>> checkpoints() override;
    Result<void> save_timestamp(const StoredTimestamp& t) override;
    Result<std::vector<StoredTimestamp>> timestamps() override;
    Result<bool> claim_run_key(std::string_view key, std::string_view at) override;
    Result<bool> run_key_claimed(std::string_view key) override;
    Result<std::size_t> enqueue(const std::vector<std::string>& articles, std::string_view at) override;
    Result<std::vector<QueueItem>> lease(std::string_view worker, std::size_t n, std::int64_t lease_ms,
                                         int max_attempts) override;
    Result<std::size_t> renew(const std::vector<QueueItem>& items, std::int64_t lease_ms) override;
    Result<bool> finish(const QueueItem& item, bool done, int claims, std::string_view error,
                        std::string_view at) override;
    Result<void> release(const QueueItem& item, std::string_view why) override;
    Result<QueueCounts> queue_counts() override;
    Result<std::vector<QueueEntry>> queue_entries(std::optional<QueueState> state, std::size_t limit) override;
    Result<HostSlot> take_host_slot(std::string_view host, int parallel_max, std::int64_t interval_ms,
                                    std::int64_t lease_ms, std::string_view holder) override;
    Result<void> give_host_slot(std::string_view token) override;
    Result<void> defer_host(std::string_view host, std::int64_t delay_ms) override;

private:
    std::unique_ptr<PGconn, ConnFree> conn_;
};

}  // namespace provcheck::pg
