#include "store/backend.hpp"

#include <sqlite3.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>

namespace provcheck {

namespace {

struct StmtDeleter {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

std::unexpected<Error> db_error(sqlite3* db, std::string_view what) {
    return fail(ErrorCode::store, fmt::format("workspace database: {}: {}", what, sqlite3_errmsg(db)));
}

Result<Stmt> prepare(sqlite3* db, std::string_view sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr) != SQLITE_OK) {
        return db_error(db, "prepare");
    }
    return Stmt(raw);
}

void bind_text(sqlite3_stmt* s, int i, std::string_view v) {
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
void bind_blob(sqlite3_stmt* s, int i, std::string_view v) {
    sqlite3_bind_blob(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
void bind_int(sqlite3_stmt* s, int i, std::int64_t v) {
    sqlite3_bind_int64(s, i, v);
}

std::string column_text(sqlite3_stmt* s, int i) {
    const auto* p = sqlite3_column_blob(s, i);
    int n = sqlite3_column_bytes(s, i);
    return p == nullptr ? std::string{} : std::string(static_cast<const char*>(p), static_cast<std::size_t>(n));
}

// warc_file, warc_offset, warc_length, warc_record_id, in that order from column `first`.
StoredRecordRef record_ref_columns(sqlite3_stmt* s, int first) {
    return {column_text(s, first), static_cast<std::uint64_t>(sqlite3_column_int64(s, first + 1)),
            static_cast<std::uint64_t>(sqlite3_column_int64(s, first + 2)), column_text(s, first + 3)};
}

Result<void> step_done(sqlite3* db, sqlite3_stmt* s, std::string_view what) {
    if (sqlite3_step(s) != SQLITE_DONE) return db_error(db, what);
    return {};
}

// One entry per schema version: migrations[v] takes a database at version v to v + 1.
constexpr std::array<std::string_view, 5> migrations{
    R"sql(
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    argv TEXT NOT NULL,
    rules_digest TEXT NOT NULL
);
CREATE TABLE captures (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    requested_url TEXT NOT NULL,
    final_url TEXT NOT NULL,
    status INTEGER NOT NULL,
    fetched_at TEXT NOT NULL,
    remote_ip TEXT NOT NULL,
    content_type TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    block_sha256 TEXT NOT NULL,
    truncated TEXT,
    failure_class TEXT,
    failure_message TEXT,
    chain TEXT NOT NULL,
    warc_file TEXT,
    warc_offset INTEGER,
    warc_length INTEGER,
    warc_record_id TEXT
);
CREATE INDEX captures_by_url ON captures(requested_url);
CREATE TABLE public_keys (
    key_id TEXT PRIMARY KEY,
    public_key BLOB NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TABLE log (
    idx INTEGER PRIMARY KEY,
    envelope_sha256 BLOB NOT NULL
);
CREATE TABLE records (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    claim_id TEXT NOT NULL,
    article TEXT NOT NULL,
    verdict TEXT NOT NULL,
    envelope BLOB NOT NULL,
    envelope_sha256 TEXT NOT NULL,
    key_id TEXT NOT NULL,
    log_index INTEGER NOT NULL UNIQUE REFERENCES log(idx),
    created_at TEXT NOT NULL
);
CREATE INDEX records_by_claim ON records(claim_id);
CREATE TABLE checkpoints (
    size INTEGER PRIMARY KEY,
    note TEXT NOT NULL,
    created_at TEXT NOT NULL
);
)sql",
    // 1 -> 2: the HTTP cache (validators of stored responses, for conditional requests in later runs), and
    // how each capture used it.
    R"sql(
CREATE TABLE http_cache (
    url TEXT PRIMARY KEY,
    etag TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    warc_file TEXT NOT NULL,
    warc_offset INTEGER NOT NULL,
    warc_length INTEGER NOT NULL,
    warc_record_id TEXT NOT NULL,
    block_sha256 TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    validated_at TEXT NOT NULL
);
ALTER TABLE captures ADD COLUMN cache_state TEXT;
ALTER TABLE captures ADD COLUMN validated_at TEXT;
)sql",
    // 2 -> 3: signed archive manifests (every byte written to the archive is vouched for by one), and the
    // revisit record that last confirmed a cached response, whose signed date is when it was confirmed.
    R"sql(
CREATE TABLE manifests (
    log_index INTEGER PRIMARY KEY REFERENCES log(idx),
    run_id INTEGER NOT NULL REFERENCES runs(id),
    warc_file TEXT NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    envelope BLOB NOT NULL,
    envelope_sha256 TEXT NOT NULL,
    key_id TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX manifests_by_file ON manifests(warc_file, start_offset);
ALTER TABLE http_cache ADD COLUMN revisit_warc_file TEXT;
ALTER TABLE http_cache ADD COLUMN revisit_warc_offset INTEGER;
ALTER TABLE http_cache ADD COLUMN revisit_warc_length INTEGER;
ALTER TABLE http_cache ADD COLUMN revisit_record_id TEXT;
)sql",
    // 3 -> 4: trusted timestamps (RFC 3161 tokens) over signed checkpoints, as the TSA returned them.
    R"sql(
CREATE TABLE timestamps (
    checkpoint_size INTEGER PRIMARY KEY REFERENCES checkpoints(size),
    tsa_url TEXT NOT NULL,
    token BLOB NOT NULL,
    gen_time TEXT NOT NULL,
    requested_at TEXT NOT NULL
);
)sql",
    // 4 -> 5: many workers on one store: the work queue, the idempotency keys of article runs (a run taken over
    // from a worker whose lease ran out never records its claims twice), and fleet-wide host politeness (in-flight
    // slots and the next start per host). Times of leases and slots are Unix milliseconds of the store's clock.
    R"sql(
CREATE TABLE queue (
    id INTEGER PRIMARY KEY,
    article TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_token TEXT,
    lease_until INTEGER,
    enqueued_at TEXT NOT NULL,
    finished_at TEXT,
    error TEXT,
    claims INTEGER
);
CREATE INDEX queue_by_state ON queue(state, id);
CREATE TABLE run_keys (
    key TEXT PRIMARY KEY,
    recorded_at TEXT NOT NULL
);
CREATE TABLE host_slots (
    token TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    holder TEXT NOT NULL,
    until_ms INTEGER NOT NULL
);
CREATE INDEX host_slots_by_host ON host_slots(host);
CREATE TABLE host_pace (
    host TEXT PRIMARY KEY,
    next_start_ms INTEGER NOT NULL
);
)sql",
};
static_assert(migrations.size() == Database::schema_version);

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct Closer {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};

class SqliteStore final : public StoreBackend {
public:
    explicit SqliteStore(std::unique_ptr<sqlite3, Closer> db) : db_(std::move(db)) {}
    ~SqliteStore() override {
        statements_.reset();  // finalised before the connection closes
    }
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
};

// One slot per statement of the record path. A statement is handed out reset, with no bindings, and is reset
// again when its Use ends, so that none holds a read transaction open between calls.
struct SqliteStore::Statements {
    enum Slot : std::size_t {
        log_size,
        append_log_entry,
        save_record,
        save_checkpoint,
        save_public_key,
        save_capture,
        save_cached_response,
        cached_response,
        save_manifest,
        count
    };
    std::array<Stmt, count> slots;

    class Use {
    public:
        explicit Use(sqlite3_stmt* s) noexcept : s_(s) {}
        ~Use() {
            sqlite3_reset(s_);
            sqlite3_clear_bindings(s_);
        }
        Use(const Use&) = delete;
        Use& operator=(const Use&) = delete;
        [[nodiscard]] sqlite3_stmt* get() const noexcept { return s_; }

    private:
        sqlite3_stmt* s_;
    };

    Result<sqlite3_stmt*> get(sqlite3* db, Slot slot, std::string_view sql) {
        Stmt& st = slots[slot];
        if (!st) {
            auto fresh = prepare(db, sql);
            if (!fresh) return std::unexpected(fresh.error());
            st = std::move(*fresh);
        }
        return st.get();
    }
};

void SqliteStore::StatementsFree::operator()(Statements* s) const noexcept {
    delete s;
}

SqliteStore::Statements& SqliteStore::statements() {
    if (!statements_) statements_.reset(new Statements);
    return *statements_;
}

Result<void> SqliteStore::exec(std::string_view sql) {
    std::string s(sql);
    char* msg = nullptr;
    if (sqlite3_exec(db_.get(), s.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
        std::string m = msg != nullptr ? msg : sqlite3_errmsg(db_.get());
        sqlite3_free(msg);
        return fail(ErrorCode::store, fmt::format("workspace database: {}", m));
    }
    return {};
}

Result<void> SqliteStore::migrate() {
    for (;;) {
        // The version is read inside the write transaction: another process may have migrated the file
        // between our opening it and our turn to write.
        if (auto r = begin(); !r) return r;
        bool committed = false;
        struct Guard {
            SqliteStore& s;
            bool& done;
            ~Guard() {
                if (!done) s.rollback();
            }
        } guard{*this, committed};
        auto st = prepare(db_.get(), "PRAGMA user_version");
        if (!st) return std::unexpected(st.error());
        if (sqlite3_step(st->get()) != SQLITE_ROW) return db_error(db_.get(), "reading the schema version");
        int version = sqlite3_column_int(st->get(), 0);
        st->reset();
        if (version == Database::schema_version) {
            committed = true;
            return commit();
        }
        if (version > Database::schema_version || version < 0) {
            return fail(ErrorCode::store, fmt::format("the workspace has schema version {}, newer than this "
                                                      "provcheck understands ({}); use a newer provcheck",
                                                      version, Database::schema_version));
        }
        // Each step in its own transaction: a crash leaves the database at a whole version. A new database
        // takes every step in one: it is empty until the last, so one commit (one sync) makes it.
        const int last = version == 0 ? Database::schema_version : version + 1;
        for (int v = version; v < last; ++v) {
            if (auto r = exec(migrations[static_cast<std::size_t>(v)]); !r) return r;
        }
        if (auto r = exec(fmt::format("PRAGMA user_version={}", last)); !r) return r;
        committed = true;
        if (auto r = commit(); !r) return r;
    }
}

Result<std::int64_t> SqliteStore::begin_run(std::string_view started_at, std::string_view argv,
                                            std::string_view rules_digest) {
    auto st = prepare(db_.get(), "INSERT INTO runs(started_at, argv, rules_digest) VALUES (?, ?, ?)");
    if (!st) return std::unexpected(st.error());
    bind_text(st->get(), 1, started_at);
    bind_text(st->get(), 2, argv);
    bind_text(st->get(), 3, rules_digest);
    if (auto r = step_done(db_.get(), st->get(), "recording the run"); !r) return std::unexpected(r.error());
    return sqlite3_last_insert_rowid(db_.get());
}

Result<void> SqliteStore::save_capture(std::int64_t run_id, const Capture& c) {
    auto raw = statements().get(
        db_.get(), Statements::save_capture,
        "INSERT INTO captures(run_id, requested_url, final_url, status, fetched_at, remote_ip, "
        "content_type, payload_sha256, block_sha256, truncated, failure_class, failure_message, chain, "
        "warc_file, warc_offset, warc_length, warc_record_id, cache_state, validated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!raw) return std::unexpected(raw.error());
    Statements::Use st(*raw);
    sqlite3_stmt* s = st.get();
    nlohmann::json chain = nlohmann::json::array();
    for (const auto& h : c.chain) {
        chain.push_back({{"url", h.url},
                         {"status", h.status ? nlohmann::json(*h.status) : nlohmann::json(nullptr)},
                         {"via", to_string(h.via)}});
    }
    bind_int(s, 1, run_id);
    bind_text(s, 2, c.requested_url);
    bind_text(s, 3, c.final_url);
    bind_int(s, 4, std::int64_t{c.status});
    bind_text(s, 5, c.fetched_at);
    bind_text(s, 6, c.remote_ip);
    bind_text(s, 7, c.content_type);
    bind_text(s, 8, c.payload_sha256);
    bind_text(s, 9, c.block_sha256);
    if (c.truncated) bind_text(s, 10, *c.truncated);
    if (c.failure) {
        bind_text(s, 11, to_string(c.failure->cls));
        bind_text(s, 12, c.failure->message);
    }
    bind_text(s, 13, chain.dump());
    if (c.stored) {
        bind_text(s, 14, c.stored->warc_file);
        bind_int(s, 15, static_cast<std::int64_t>(c.stored->offset));
        bind_int(s, 16, static_cast<std::int64_t>(c.stored->length));
        bind_text(s, 17, c.stored->record_id);
    }
    if (c.cache) {
        bind_text(s, 18, to_string(c.cache->state));
        bind_text(s, 19, c.cache->validated_at);
    }
    return step_done(db_.get(), s, "storing a capture");
}

Result<std::optional<CachedResponse>> SqliteStore::cached_response(std::string_view url) {
    // Looked up once for every URL a run fetches: prepared once per connection.
    auto raw =
        statements().get(db_.get(), Statements::cached_response,
                         "SELECT url, etag, last_modified, warc_file, warc_offset, warc_length, warc_record_id, "
                         "block_sha256, payload_sha256, fetched_at, validated_at, revisit_warc_file, "
                         "revisit_warc_offset, revisit_warc_length, revisit_record_id FROM http_cache WHERE url = ?");
    if (!raw) return std::unexpected(raw.error());
    Statements::Use st(*raw);
    sqlite3_stmt* s = st.get();
    bind_text(s, 1, url);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) return std::optional<CachedResponse>{};
    if (rc != SQLITE_ROW) return db_error(db_.get(), "reading the HTTP cache");
    CachedResponse c;
    c.url = column_text(s, 0);
    c.etag = column_text(s, 1);
    c.last_modified = column_text(s, 2);
    c.stored = record_ref_columns(s, 3);
    c.block_sha256 = column_text(s, 7);
    c.payload_sha256 = column_text(s, 8);
    c.fetched_at = column_text(s, 9);
    c.validated_at = column_text(s, 10);
    if (sqlite3_column_type(s, 11) != SQLITE_NULL) c.confirmed_by = record_ref_columns(s, 11);
    return std::optional<CachedResponse>{std::move(c)};
}

Result<void> SqliteStore::save_cached_response(const CachedResponse& c) {
    auto raw = statements().get(
        db_.get(), Statements::save_cached_response,
        "INSERT OR REPLACE INTO http_cache(url, etag, last_modified, warc_file, warc_offset, warc_length, "
        "warc_record_id, block_sha256, payload_sha256, fetched_at, validated_at, revisit_warc_file, "
        "revisit_warc_offset, revisit_warc_length, revisit_record_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!raw) return std::unexpected(raw.error());
    Statements::Use st(*raw);
    sqlite3_stmt* s = st.get();
    bind_text(s, 1, c.url);
    bind_text(s, 2, c.etag);
    bind_text(s, 3, c.last_modified);
    bind_text(s, 4, c.stored.warc_file);
    bind_int(s, 5, static_cast<std::int64_t>(c.stored.offset));
    bind_int(s, 6, static_cast<std::int64_t>(c.stored.length));
    bind_text(s, 7, c.stored.record_id);
    bind_text(s, 8, c.block_sha256);
    bind_text(s, 9, c.payload_sha256);
    bind_text(s, 10, c.fetched_at);
    bind_text(s, 11, c.validated_at);
    if (c.confirmed_by) {
        bind_text(s, 12, c.confirmed_by->warc_file);
        bind_int(s, 13, static_cast<std::int64_t>(c.confirmed_by->offset));
        bind_int(s, 14, static_cast<std::int64_t>(c.confirmed_by->length));
        bind_text(s, 15, c.confirmed_by->record_id);
    }
    return step_done(db_.get(), s, "storing an HTTP cache entry");
}

Result<std::vector<StoredCapture>> SqliteStore::stored_captures(std::string_view url, std::size_t limit) {
    auto st = prepare(db_.get(),
                      "SELECT final_url, status, fetched_at, payload_sha256, block_sha256, warc_file, warc_offset, "
                      "warc_length, warc_record_id FROM captures "
                      "WHERE (requested_url = ?1 OR final_url = ?1) AND failure_class IS NULL AND truncated IS NULL "
                      "AND status BETWEEN 200 AND 299 AND warc_file IS NOT NULL "
                      "ORDER BY fetched_at DESC, id DESC");
    if (!st) return std::unexpected(st.error());
    sqlite3_stmt* s = st->get();
    bind_text(s, 1, url);
    std::vector<StoredCapture> out;
    int rc = SQLITE_ROW;
    while (out.size() < limit && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        StoredCapture c;
        c.final_url = column_text(s, 0);
        c.status = sqlite3_column_int(s, 1);
        c.fetched_at = column_text(s, 2);
        c.payload_sha256 = column_text(s, 3);
        c.block_sha256 = column_text(s, 4);
        c.stored = record_ref_columns(s, 5);
        bool seen = false;
        for (const auto& o : out)
            seen = seen || o.payload_sha256 == c.payload_sha256;
        if (!seen) out.push_back(std::move(c));
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_error(db_.get(), "reading stored captures");
    return out;
}

Result<void> SqliteStore::save_public_key(std::string_view key_id, std::string_view public_raw,
                                          std::string_view added_at) {
    auto raw = statements().get(db_.get(), Statements::save_public_key,
                                "INSERT OR IGNORE INTO public_keys(key_id, public_key, added_at) VALUES (?,?,?)");
    if (!raw) return std::unexpected(raw.error());
    Statements::Use st(*raw);
    bind_text(st.get(), 1, key_id);
    bind_blob(st.get(), 2, public_raw);
    bind_text(st.get(), 3, added_at);
    return step_done(db_.get(), st.get(), "storing a public key");
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteStore::public_keys() {
    auto st = prepare(db_.get(), "SELECT key_id, public_key FROM public_keys ORDER BY added_at, key_id");
    if (!st) return std::unexpected(st.error());
    std::vector<std::pair<std::string, std::string>> out;
    int rc;
    while ((rc = sqlite3_step(st->get())) == SQLITE_ROW)
        out.emplace_back(column_text(st->get(), 0), column_text(st->get(), 1));
    if (rc != SQLITE_DONE) return db_error(db_.get(), "reading public keys");
    return out;
}

Result<std::uint64_t> SqliteStore::log_size() {
    auto raw = statements().get(db_.get(), Statements::log_size, "SELECT COALESCE(MAX(idx) + 1, 0) FROM log");
    if (!raw) return std::unexpected(raw.error());
    Statements::Use st(*raw);
    if (sqlite3_step(st.get()) != SQLITE_ROW) return db_error(db_.get(), "reading the log size");
    return static_cast<std::uint64_t>(sqlite3_column_int64(st.get(), 0));
}

Result<std::uint64_t> SqliteStore::append_log_entry(const Sha256& envelope_digest) {
    auto size = log_size();
    if (!size) return size;
    auto raw = statements().get(db_.get(), Statements::append_log_entry,
                                "INSERT INTO log(idx, envelope_sha256) VALUES (?, ?)");
    if (!raw) return std::unexpected(raw.error());
    Statements::Use st(*raw);
    bind_int(st.get(), 1, static_cast<std::int64_t>(*size));
    bind_blob(st.get(), 2, as_bytes(envelope_digest));
    if (auto r = step_done(db_.get(), st.get(), "appending to the log"); !r) return std::unexpected(r.error());
    return *size;
}

Result<std::vector<std::string>> SqliteStore::log_entries() {
    auto st = prepare(db_.get(), "SELECT idx, envelope_sha256 FROM log ORDER BY idx");
    if (!st) return std::unexpected(st.error());
    std::vector<std::string> out;
    int rc;
    while ((rc = sqlite3_step(st->get())) == SQLITE_ROW) {
        auto idx = sqlite3_column_int64(st->get(), 0);
        if (idx != static_cast<std::int64_t>(out.size())) {
            return fail(ErrorCode::store, fmt::format("workspace database: log entry {} is missing", out.size()));
        }
        out.push_back(column_text(st->get(), 1));
    }
    if (rc != SQLITE_DONE) return db_error(db_.get(), "reading the log");
    return out;
}

Result<void> SqliteStore::save_record(std::int64_t run_id, const StoredRecord& r) {
    auto raw = statements().get(db_.get(), Statements::save_record,
                                "INSERT INTO records(run_id, claim_id, article, verdict, envelope, envelope_sha256, "
                                "key_id, log_index, created_at) VALUES (?,?,?,?,?,?,?,?,?)");
    if (!raw) return std::unexpected(raw.error());
    Statements::Use st(*raw);
    sqlite3_stmt* s = st.get();
    bind_int(s, 1, run_id);
    bind_text(s, 2, r.claim_id);
    bind_text(s, 3, r.article);
    bind_text(s, 4, r.verdict);
    bind_blob(s, 5, r.envelope);
    bind_text(s, 6, r.envelope_sha256);
    bind_text(s, 7, r.key_id);
    bind_int(s, 8, static_cast<std::int64_t>(r.log_index));
    bind_text(s, 9, r.created_at);
    return step_done(db_.get(), s, "storing a record");
}

Result<std::vector<StoredRecord>> read_records(sqlite3* db, sqlite3_stmt* s) {
    std::vector<StoredRecord> out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        StoredRecord r;
        r.id = sqlite3_column_int64(s, 0);
        r.claim_id = column_text(s, 1);
        r.article = column_text(s, 2);
        r.verdict = column_text(s, 3);
        r.envelope = column_text(s, 4);
        r.envelope_sha256 = column_text(s, 5);
        r.key_id = column_text(s, 6);
        r.log_index = static_cast<std::uint64_t>(sqlite3_column_int64(s, 7));
        r.created_at = column_text(s, 8);
        out.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) return db_error(db, "reading records");
    return out;
}
constexpr std::string_view record_columns =
    "SELECT id, claim_id, article, verdict, envelope, envelope_sha256, key_id, log_index, created_at FROM records ";

Result<std::vector<StoredRecord>> SqliteStore::records() {
    auto st = prepare(db_.get(), fmt::format("{} ORDER BY log_index", record_columns));
    if (!st) return std::unexpected(st.error());
    return read_records(db_.get(), st->get());
}

Result<std::vector<StoredRecord>> SqliteStore::records_for_claim(std::string_view claim_id_or_prefix) {
    auto st = prepare(db_.get(), fmt::format("{} WHERE substr(claim_id, 1, ?) = ? ORDER BY log_index", record_columns));
    if (!st) return std::unexpected(st.error());
    bind_int(st->get(), 1, static_cast<std::int64_t>(claim_id_or_prefix.size()));
    bind_text(st->get(), 2, claim_id_or_prefix);
    return read_records(db_.get(), st->get());
}

Result<void> SqliteStore::save_manifest(std::int64_t run_id, const StoredManifest& m) {
    auto raw =
        statements().get(db_.get(), Statements::save_manifest,
                         "INSERT INTO manifests(log_index, run_id, warc_file, start_offset, end_offset, envelope, "
                         "envelope_sha256, key_id, created_at) VALUES (?,?,?,?,?,?,?,?,?)");
    if (!raw) return std::unexpected(raw.error());
    Statements::Use st(*raw);
    sqlite3_stmt* s = st.get();
    bind_int(s, 1, static_cast<std::int64_t>(m.log_index));
    bind_int(s, 2, run_id);
    bind_text(s, 3, m.warc_file);
    bind_int(s, 4, static_cast<std::int64_t>(m.start));
    bind_int(s, 5, static_cast<std::int64_t>(m.end));
    bind_blob(s, 6, m.envelope);
    bind_text(s, 7, m.envelope_sha256);
    bind_text(s, 8, m.key_id);
    bind_text(s, 9, m.created_at);
    return step_done(db_.get(), s, "storing an archive manifest");
}

constexpr std::string_view manifest_columns =
    "SELECT log_index, warc_file, start_offset, end_offset, envelope, envelope_sha256, key_id, created_at "
    "FROM manifests ";
Result<std::vector<StoredManifest>> read_manifests(sqlite3* db, sqlite3_stmt* s) {
    std::vector<StoredManifest> out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        StoredManifest m;
        m.log_index = static_cast<std::uint64_t>(sqlite3_column_int64(s, 0));
        m.warc_file = column_text(s, 1);
        m.start = static_cast<std::uint64_t>(sqlite3_column_int64(s, 2));
        m.end = static_cast<std::uint64_t>(sqlite3_column_int64(s, 3));
        m.envelope = column_text(s, 4);
        m.envelope_sha256 = column_text(s, 5);
        m.key_id = column_text(s, 6);
        m.created_at = column_text(s, 7);
        out.push_back(std::move(m));
    }
    if (rc != SQLITE_DONE) return db_error(db, "reading archive manifests");
    return out;
}

Result<std::vector<StoredManifest>> SqliteStore::manifests() {
    auto st = prepare(db_.get(), fmt::format("{} ORDER BY log_index", manifest_columns));
    if (!st) return std::unexpected(st.error());
    return read_manifests(db_.get(), st->get());
}

Result<std::vector<StoredManifest>> SqliteStore::manifests_covering(std::string_view warc_file, std::uint64_t offset) {
    auto st = prepare(db_.get(), fmt::format("{} WHERE warc_file = ? AND start_offset <= ? AND ? < end_offset "
                                             "ORDER BY log_index DESC",
                                             manifest_columns));
    if (!st) return std::unexpected(st.error());
    bind_text(st->get(), 1, warc_file);
    bind_int(st->get(), 2, static_cast<std::int64_t>(offset));
    bind_int(st->get(), 3, static_cast<std::int64_t>(offset));
    return read_manifests(db_.get(), st->get());
}

Result<void> SqliteStore::save_checkpoint(const StoredCheckpoint& c) {
    auto raw = statements().get(db_.get(), Statements::save_checkpoint,
                                "INSERT OR REPLACE INTO checkpoints(size, note, created_at) VALUES (?,?,?)");
    if (!raw) return std::unexpected(raw.error());
    Statements::Use st(*raw);
    bind_int(st.get(), 1, static_cast<std::int64_t>(c.size));
    bind_text(st.get(), 2, c.note);
    bind_text(st.get(), 3, c.created_at);
    return step_done(db_.get(), st.get(), "storing a checkpoint");
}

Result<void> SqliteStore::save_timestamp(const StoredTimestamp& t) {
    auto st = prepare(db_.get(),
                      "INSERT OR REPLACE INTO timestamps(checkpoint_size, tsa_url, token, gen_time, requested_at) "
                      "VALUES (?,?,?,?,?)");
    if (!st) return std::unexpected(st.error());
    bind_int(st->get(), 1, static_cast<std::int64_t>(t.checkpoint_size));
    bind_text(st->get(), 2, t.tsa_url);
    if (sqlite3_bind_blob64(st->get(), 3, t.token.data(), t.token.size(), SQLITE_TRANSIENT) != SQLITE_OK) {
        return db_error(db_.get(), "storing a timestamp");
    }
    bind_text(st->get(), 4, t.gen_time);
    bind_text(st->get(), 5, t.requested_at);
    return step_done(db_.get(), st->get(), "storing a timestamp");
}

Result<std::vector<StoredTimestamp>> SqliteStore::timestamps() {
    auto st = prepare(db_.get(),
                      "SELECT checkpoint_size, tsa_url, token, gen_time, requested_at FROM timestamps ORDER BY "
                      "checkpoint_size");
    if (!st) return std::unexpected(st.error());
    std::vector<StoredTimestamp> out;
    int rc;
    while ((rc = sqlite3_step(st->get())) == SQLITE_ROW) {
        StoredTimestamp t;
        t.checkpoint_size = static_cast<std::uint64_t>(sqlite3_column_int64(st->get(), 0));
        t.tsa_url = column_text(st->get(), 1);
        const auto* blob = static_cast<const char*>(sqlite3_column_blob(st->get(), 2));
        t.token.assign(blob == nullptr ? "" : blob, static_cast<std::size_t>(sqlite3_column_bytes(st->get(), 2)));
        t.gen_time = column_text(st->get(), 3);
        t.requested_at = column_text(st->get(), 4);
        out.push_back(std::move(t));
    }
    if (rc != SQLITE_DONE) return db_error(db_.get(), "reading timestamps");
    return out;
}

Result<std::optional<StoredCheckpoint>> SqliteStore::latest_checkpoint() {
    auto st = prepare(db_.get(), "SELECT size, note, created_at FROM checkpoints ORDER BY size DESC LIMIT 1");
    if (!st) return std::unexpected(st.error());
    int rc = sqlite3_step(st->get());
    if (rc == SQLITE_DONE) return std::optional<StoredCheckpoint>{};
    if (rc != SQLITE_ROW) return db_error(db_.get(), "reading the checkpoint");
    StoredCheckpoint c;
    c.size = static_cast<std::uint64_t>(sqlite3_column_int64(st->get(), 0));
    c.note = column_text(st->get(), 1);
    c.created_at = column_text(st->get(), 2);
    return std::optional<StoredCheckpoint>{std::move(c)};
}

Result<std::vector<StoredCheckpoint>> SqliteStore::checkpoints() {
    auto st = prepare(db_.get(), "SELECT size, note, created_at FROM checkpoints ORDER BY size");
    if (!st) return std::unexpected(st.error());
    std::vector<StoredCheckpoint> out;
    int rc;
    while ((rc = sqlite3_step(st->get())) == SQLITE_ROW) {
        out.push_back({static_cast<std::uint64_t>(sqlite3_column_int64(st->get(), 0)), column_text(st->get(), 1),
                       column_text(st->get(), 2)});
    }
    if (rc != SQLITE_DONE) return db_error(db_.get(), "reading checkpoints");
    return out;
}

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
                    "UPDATE queue SET state = 'failed', error = 'abandoned after ' || attempts || ' attempts ' || "
                    "COALESCE('(the last: ' || error || ')', '(the worker stopped or died while checking it)'), "
                    "lease_token = NULL WHERE (state = 'pending' OR (state = 'leased' AND lease_until < ?1)) AND "
                    "attempts >= ?2");
        if (!expire) return std::unexpected(expire.error());
        bind_int(expire->get(), 1, now);
        bind_int(expire->get(), 2, max_attempts);
        if (auto r = step_done(db_.get(), expire->get(), "failing abandoned queue items"); !r)
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

}  // namespace

Result<std::unique_ptr<StoreBackend>> open_sqlite_store(const std::filesystem::path& path, Database::Open mode) {
    sqlite3* raw = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX;
    if (mode == Database::Open::create) flags |= SQLITE_OPEN_CREATE;
    std::error_code ec;
    if (mode == Database::Open::existing && !std::filesystem::exists(path, ec)) {
        return fail(ErrorCode::store, fmt::format("{}: the workspace database is missing", path.string()));
    }
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    std::unique_ptr<sqlite3, Closer> handle(raw);
    if (rc != SQLITE_OK) {
        return fail(ErrorCode::store, fmt::format("{}: cannot open the workspace database: {}", path.string(),
                                                  raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
    }
    sqlite3_extended_result_codes(raw, 1);
    // Several provcheck processes may share a workspace: wait for each other's write transactions.
    sqlite3_busy_timeout(raw, 60'000);
    auto db = std::make_unique<SqliteStore>(std::move(handle));
    // The first statement that reads the file is where a corrupt or foreign file shows itself.
    auto journal = prepare(raw, "PRAGMA journal_mode=WAL");
    if (!journal || sqlite3_step(journal->get()) != SQLITE_ROW) {
        return fail(ErrorCode::store, fmt::format("{}: not a usable provcheck workspace database ({})", path.string(),
                                                  sqlite3_errmsg(raw)));
    }
    journal->reset();  // finalise before further statements
    for (auto pragma : {"PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL"}) {
        if (auto r = db->exec(pragma); !r) return std::unexpected(r.error());
    }
    if (auto r = db->migrate(); !r) {
        return fail(ErrorCode::store, fmt::format("{}: {}", path.string(), r.error().message));
    }
    return std::unique_ptr<StoreBackend>(std::move(db));
}

}  // namespace provcheck
