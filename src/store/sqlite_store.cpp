#include "store/sqlite_store.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>

namespace provcheck::sqlite {

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

Checkpointer::~Checkpointer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void Checkpointer::request() {
    {
        std::lock_guard lock(mutex_);
        wanted_ = true;
        if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
    }
    wake_.notify_one();
}

void Checkpointer::loop() {
    std::unique_ptr<sqlite3, Closer> conn;
    // A connection of its own, opened (again) when the last attempt failed: another process sharing the
    // workspace may hold a lock for a moment. It knows the database is in WAL mode only once it has read it.
    auto connect = [&] {
        sqlite3* raw = nullptr;
        const int rc = sqlite3_open_v2(path_.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr);
        std::unique_ptr<sqlite3, Closer> c(raw);
        if (rc != SQLITE_OK) return;
        sqlite3_busy_timeout(c.get(), 1'000);
        if (sqlite3_exec(c.get(), "SELECT 1 FROM sqlite_master LIMIT 1", nullptr, nullptr, nullptr) != SQLITE_OK)
            return;
        conn = std::move(c);
    };
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return wanted_ || stopping_; });
            if (stopping_) return;
            wanted_ = false;
        }
        if (!conn) connect();
        if (conn) (void)sqlite3_wal_checkpoint_v2(conn.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
}

void SqliteStore::fold_log_after_commits(const std::filesystem::path& path, int pages) {
    checkpointer_ = std::make_unique<Checkpointer>(path);
    fold_pages_ = pages;
    // Replaces SQLite's automatic checkpoint, which would run inside the commit. Should the checkpointer fall
    // behind (it cannot connect, or cannot start), the commit that leaves the log 16 times longer folds it
    // itself, as SQLite would have: the log never grows without bound.
    sqlite3_wal_hook(
        db_.get(),
        [](void* self, sqlite3* db, const char*, int log_pages) -> int {
            auto* store = static_cast<SqliteStore*>(self);
            if (log_pages < store->fold_pages_) return SQLITE_OK;
            bool asked = false;
            try {
                store->checkpointer_->request();
                asked = true;
            } catch (const std::exception&) {
                // No thread to be had: folded below, here and now.
            }
            if (!asked || log_pages >= 16 * store->fold_pages_) {
                (void)sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
            }
            return SQLITE_OK;
        },
        this);
}

}  // namespace provcheck::sqlite

namespace provcheck {

using sqlite::Closer;
using sqlite::prepare;
using sqlite::SqliteStore;

// The log's length, in pages, past which a commit has the checkpointer fold it back (1 MiB of 4 KiB pages; SQLite
// folds at 1,000 pages, inside the commit).
constexpr int fold_log_pages = 256;

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
    // A page cache of up to 16 MiB (SQLite's default is 2 MiB), so that an article's thousands of records are
    // written in one go at commit instead of spilling into the log while the transaction is still building.
    for (auto pragma : {"PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL", "PRAGMA cache_size=-16384"}) {
        if (auto r = db->exec(pragma); !r) return std::unexpected(r.error());
    }
    db->fold_log_after_commits(path, fold_log_pages);
    if (auto r = db->migrate(); !r) {
        return fail(ErrorCode::store, fmt::format("{}: {}", path.string(), r.error().message));
    }
    return std::unique_ptr<StoreBackend>(std::move(db));
}

}  // namespace provcheck
