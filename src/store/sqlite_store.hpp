// The SQLite back-end's parts (store/sqlite_store.cpp: opening, migrating, records and the log;
// sqlite_fleet.cpp: the work queue, run keys and host slots; sqlite_schema.cpp: the migration steps), and the
// statement helpers they share. Internal to src/store/.
#pragma once

#include <fmt/format.h>
#include <sqlite3.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "store/backend.hpp"

namespace provcheck::sqlite {

struct StmtDeleter {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

inline std::unexpected<Error> db_error(sqlite3* db, std::string_view what) {
    return fail(ErrorCode::store, fmt::format("workspace database: {}: {}", what, sqlite3_errmsg(db)));
}

inline Result<Stmt> prepare(sqlite3* db, std::string_view sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr) != SQLITE_OK) {
        return db_error(db, "prepare");
    }
    return Stmt(raw);
}

inline void bind_text(sqlite3_stmt* s, int i, std::string_view v) {
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
inline void bind_blob(sqlite3_stmt* s, int i, std::string_view v) {
    sqlite3_bind_blob(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
inline void bind_int(sqlite3_stmt* s, int i, std::int64_t v) {
    sqlite3_bind_int64(s, i, v);
}

inline std::string column_text(sqlite3_stmt* s, int i) {
    const auto* p = sqlite3_column_blob(s, i);
    int n = sqlite3_column_bytes(s, i);
    return p == nullptr ? std::string{} : std::string(static_cast<const char*>(p), static_cast<std::size_t>(n));
}

// warc_file, warc_offset, warc_length, warc_record_id, in that order from column `first`.
inline StoredRecordRef record_ref_columns(sqlite3_stmt* s, int first) {
    return {column_text(s, first), static_cast<std::uint64_t>(sqlite3_column_int64(s, first + 1)),
            static_cast<std::uint64_t>(sqlite3_column_int64(s, first + 2)), column_text(s, first + 3)};
}

inline Result<void> step_done(sqlite3* db, sqlite3_stmt* s, std::string_view what) {
    if (sqlite3_step(s) != SQLITE_DONE) return db_error(db, what);
    return {};
}

inline std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// One entry per schema version: migrations[v] takes a database at version v to v + 1 (sqlite_schema.cpp).
extern const std::array<std::string_view, Database::schema_version> migrations;

struct Closer {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};

// Folds the write-ahead log back into the database on a thread and a connection of its own, asked for after a
// commit that leaves the log long (see SqliteStore::fold_log_after_commits), instead of inside that commit, as
// SQLite does by default: the writer goes on meanwhile (a passive checkpoint never blocks it, nor waits), and the
// store's close, which folds what is left, finds little. A checkpoint that fails is left to the next one, or to
// the close: nothing is lost either way, the log being part of the database until folded.
class Checkpointer {
public:
    explicit Checkpointer(std::filesystem::path path) : path_(std::move(path)) {}
    ~Checkpointer();  // waits for a checkpoint under way, then closes its connection
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;
    // Asks for a checkpoint (from any thread); the thread starts on the first request.
    void request();

private:
    void loop();
    std::filesystem::path path_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool wanted_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

class SqliteStore final : public StoreBackend {
public:
    explicit SqliteStore(std::unique_ptr<sqlite3, Closer> db) : db_(std::move(db)) {}
    ~SqliteStore() override {
        // The checkpointer's connection closes first, so that this one, the last, folds the log and removes it.
        if (checkpointer_) sqlite3_wal_hook(db_.get(), nullptr, nullptr);
        checkpointer_.reset();
        statements_.reset();  // finalised before the connection closes
    }
    // Once the log holds `pages` pages or more after a commit, a Checkpointer folds it back on its own thread.
    void fold_log_after_commits(const std::filesystem::path& path, int pages);
    [[nodiscard]] std::string_view kind() const noexcept override { return "sqlite"; }
    Result<void> begin() override { return exec("BEGIN IMMEDIATE"); }
    // In WAL mode a deferred transaction reads one snapshot from its first read to its end.
    Result<void> begin_read() override { return exec("BEGIN"); }
    Result<void> commit() override { return exec("COMMIT"); }
    void rollback() noexcept override { (void)exec("ROLLBACK"); }
    Result<void> exec(std::string_view sql);
    Result<void> migrate();

    Result<std::int64_t> begin_run(std::string_view started_at, std::string_view argv,
                                   std::string_view rules_digest) override;
    Result<void> save_capture(std::int64_t run_id, const Capture& capture) override;
    Result<std::optional<CachedResponse>> cached_response(std::string_view url) override;
    Result<void> save_cached_response(const CachedResponse& entry) override;
    Result<std::vector<StoredCapture>> stored_captures(std::string_view url, std::size_t limit) override;
    Result<std::vector<std::pair<std::string, std::string>>> public_keys() override;
    Result<void> save_public_key(std::string_view key_id, std::string_view public_raw,
                                 std::string_view added_at) override;
    Result<std::uint64_t> append_log_entry(const Sha256& envelope_digest) override;
    Result<std::vector<std::string>> log_entries() override;
    Result<std::uint64_t> log_size() override;
    Result<void> save_record(std::int64_t run_id, const StoredRecord& record) override;
    Result<std::vector<StoredRecord>> records() override;
    Result<std::vector<StoredRecord>> records_for_claim(std::string_view prefix) override;
    Result<void> save_manifest(std::int64_t run_id, const StoredManifest& manifest) override;
    Result<std::vector<StoredManifest>> manifests() override;
    Result<std::vector<StoredManifest>> manifests_covering(std::string_view warc_file, std::uint64_t offset) override;
    Result<void> save_checkpoint(const StoredCheckpoint& checkpoint) override;
    Result<std::optional<StoredCheckpoint>> latest_checkpoint() override;
    Result<std::vector<StoredCheckpoint>> checkpoints() override;
    Result<void> save_timestamp(const StoredTimestamp& timestamp) override;
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
    struct Statements;
    struct StatementsFree {
        void operator()(Statements* s) const noexcept;
    };
    Statements& statements();
    // Runs `body` in a write transaction of its own (queue and host-slot operations, which are never part of
    // a caller's transaction).
    template <class T>
    Result<T> in_transaction(const std::function<Result<T>()>& body);

    std::unique_ptr<sqlite3, Closer> db_;
    std::unique_ptr<Statements, StatementsFree> statements_;
    std::unique_ptr<Checkpointer> checkpointer_;
    int fold_pages_ = 0;
};

}  // namespace provcheck::sqlite
