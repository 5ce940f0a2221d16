// The PostgreSQL back-end (libpq): the same tables and migration steps as SQLite's in PostgreSQL's dialect, the
// schema version in a table of its own. Write transactions take one transaction-scoped advisory lock, so the
// log's positions are assigned one writer at a time across every worker; the queue is leased with
// FOR UPDATE SKIP LOCKED; a host's slots are taken in one call of a function kept in the schema, under a row lock
// of that host. Times of leases and slots come from the server's clock, so workers on many machines agree.
#include "store/pg_store.hpp"

namespace provcheck::pg {

Result<std::int64_t> PgStore::begin_run(std::string_view started_at, std::string_view argv,
                                        std::string_view rules_digest) {
    auto r = run("INSERT INTO runs(started_at, argv, rules_digest) VALUES ($1, $2, $3) RETURNING id",
                 {text(started_at), text(argv), text(rules_digest)}, "recording the run");
    if (!r) return std::unexpected(r.error());
    return integer(*r, 0, 0);
}

Result<void> PgStore::save_capture(std::int64_t run_id, const Capture& c) {
    nlohmann::json chain = nlohmann::json::array();
    for (const auto& h : c.chain) {
        chain.push_back({{"url", h.url},
                         {"status", h.status ? nlohmann::json(*h.status) : nlohmann::json(nullptr)},
                         {"via", to_string(h.via)}});
    }
    std::vector<Param> p{number(run_id),
                         text(c.requested_url),
                         text(c.final_url),
                         number(c.status),
                         text(c.fetched_at),
                         text(c.remote_ip),
                         text(c.content_type),
                         text(c.payload_sha256),
                         text(c.block_sha256),
                         text_or_null(c.truncated),
                         c.failure ? text(to_string(c.failure->cls)) : null_param(),
                         c.failure ? text(c.failure->message) : null_param(),
                         text(chain.dump()),
                         c.stored ? text(c.stored->warc_file) : null_param(),
                         c.stored ? number(static_cast<std::int64_t>(c.stored->offset)) : null_param(),
                         c.stored ? number(static_cast<std::int64_t>(c.stored->length)) : null_param(),
                         c.stored ? text(c.stored->record_id) : null_param(),
                         c.cache ? text(to_string(c.cache->state)) : null_param(),
                         c.cache ? text(c.cache->validated_at) : null_param()};
    auto r =
        run("INSERT INTO captures(run_id, requested_url, final_url, status, fetched_at, remote_ip, "
            "content_type, payload_sha256, block_sha256, truncated, failure_class, failure_message, chain, "
            "warc_file, warc_offset, warc_length, warc_record_id, cache_state, validated_at) "
            "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19)",
            p, "storing a capture");
    if (!r) return std::unexpected(r.error());
    return {};
}

Result<std::optional<CachedResponse>> PgStore::cached_response(std::string_view url) {
    auto r =
        run("SELECT url, etag, last_modified, warc_file, warc_offset, warc_length, warc_record_id, "
            "block_sha256, payload_sha256, fetched_at, validated_at, revisit_warc_file, "
            "revisit_warc_offset, revisit_warc_length, revisit_record_id FROM http_cache WHERE url = $1",
            {text(url)}, "reading the HTTP cache");
    if (!r) return std::unexpected(r.error());
    if (PQntuples(r->get()) == 0) return std::optional<CachedResponse>{};
    CachedResponse c;
    c.url = value(*r, 0, 0);
    c.etag = value(*r, 0, 1);
    c.last_modified = value(*r, 0, 2);
    c.stored = ref_at(*r, 0, 3);
    c.block_sha256 = value(*r, 0, 7);
    c.payload_sha256 = value(*r, 0, 8);
    c.fetched_at = value(*r, 0, 9);
    c.validated_at = value(*r, 0, 10);
    if (!is_null(*r, 0, 11)) c.confirmed_by = ref_at(*r, 0, 11);
    return std::optional<CachedResponse>{std::move(c)};
}

Result<void> PgStore::save_cached_response(const CachedResponse& c) {
    std::vector<Param> p{text(c.url),
                         text(c.etag),
                         text(c.last_modified),
                         text(c.stored.warc_file),
                         number(static_cast<std::int64_t>(c.stored.offset)),
                         number(static_cast<std::int64_t>(c.stored.length)),
                         text(c.stored.record_id),
                         text(c.block_sha256),
                         text(c.payload_sha256),
                         text(c.fetched_at),
                         text(c.validated_at),
                         c.confirmed_by ? text(c.confirmed_by->warc_file) : null_param(),
                         c.confirmed_by ? number(static_cast<std::int64_t>(c.confirmed_by->offset)) : null_param(),
                         c.confirmed_by ? number(static_cast<std::int64_t>(c.confirmed_by->length)) : null_param(),
                         c.confirmed_by ? text(c.confirmed_by->record_id) : null_param()};
    auto r =
        run("INSERT INTO http_cache(url, etag, last_modified, warc_file, warc_offset, warc_length, "
            "warc_record_id, block_sha256, payload_sha256, fetched_at, validated_at, revisit_warc_file, "
            "revisit_warc_offset, revisit_warc_length, revisit_record_id) "
            "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) ON CONFLICT (url) DO UPDATE SET "
            "etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified, warc_file = EXCLUDED.warc_file, "
            "warc_offset = EXCLUDED.warc_offset, warc_length = EXCLUDED.warc_length, "
            "warc_record_id = EXCLUDED.warc_record_id, block_sha256 = EXCLUDED.block_sha256, "
            "payload_sha256 = EXCLUDED.payload_sha256, fetched_at = EXCLUDED.fetched_at, "
            "validated_at = EXCLUDED.validated_at, revisit_warc_file = EXCLUDED.revisit_warc_file, "
            "revisit_warc_offset = EXCLUDED.revisit_warc_offset, "
            "revisit_warc_length = EXCLUDED.revisit_warc_length, "
            "revisit_record_id = EXCLUDED.revisit_record_id",
            p, "storing an HTTP cache entry");
    if (!r) return std::unexpected(r.error());
    return {};
}

Result<std::vector<StoredCapture>> PgStore::stored_captures(std::string_view url, std::size_t limit) {
    auto r =
        run("SELECT final_url, status, fetched_at, payload_sha256, block_sha256, warc_file, warc_offset, "
            "warc_length, warc_record_id FROM captures "
            "WHERE (requested_url = $1 OR final_url = $1) AND failure_class IS NULL AND truncated IS NULL "
            "AND status BETWEEN 200 AND 299 AND warc_file IS NOT NULL ORDER BY fetched_at DESC, id DESC",
            {text(url)}, "reading stored captures");
    if (!r) return std::unexpected(r.error());
    std::vector<StoredCapture> out;
    for (int i = 0; i < PQntuples(r->get()) && out.size() < limit; ++i) {
        StoredCapture c;
        c.final_url = value(*r, i, 0);
        c.status = static_cast<int>(integer(*r, i, 1));
        c.fetched_at = value(*r, i, 2);
        c.payload_sha256 = value(*r, i, 3);
        c.block_sha256 = value(*r, i, 4);
        c.stored = ref_at(*r, i, 5);
        bool seen = false;
        for (const auto& o : out)
            seen = seen || o.payload_sha256 == c.payload_sha256;
        if (!seen) out.push_back(std::move(c));
    }
    return out;
}

Result<std::vector<std::pair<std::string, std::string>>> PgStore::public_keys() {
    auto r = run("SELECT key_id, public_key FROM public_keys ORDER BY added_at, key_id", {}, "reading public keys");
    if (!r) return std::unexpected(r.error());
    std::vector<std::pair<std::string, std::string>> out;
    for (int i = 0; i < PQntuples(r->get()); ++i)
        out.emplace_back(value(*r, i, 0), blob(*r, i, 1));
    return out;
}

Result<void> PgStore::save_public_key(std::string_view key_id, std::string_view public_raw, std::string_view added_at) {
    auto r =
        run("INSERT INTO public_keys(key_id, public_key, added_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (key_id) DO NOTHING",
            {text(key_id), bytes(public_raw), text(added_at)}, "storing a public key");
    if (!r) return std::unexpected(r.error());
    return {};
}

Result<std::uint64_t> PgStore::log_size() {
    auto r = run("SELECT COALESCE(MAX(idx) + 1, 0) FROM log", {}, "reading the log size");
    if (!r) return std::unexpected(r.error());
    return static_cast<std::uint64_t>(integer(*r, 0, 0));
}

Result<std::uint64_t> PgStore::append_log_entry(const Sha256& envelope_digest) {
    auto size = log_size();
    if (!size) return size;
    auto r = run("INSERT INTO log(idx, envelope_sha256) VALUES ($1, $2)",
                 {number(static_cast<std::int64_t>(*size)), bytes(as_bytes(envelope_digest))}, "appending to the log");
    if (!r) return std::unexpected(r.error());
    return *size;
}

Result<std::vector<std::string>> PgStore::log_entries() {
    auto r = run("SELECT idx, envelope_sha256 FROM log ORDER BY idx", {}, "reading the log");
    if (!r) return std::unexpected(r.error());
    std::vector<std::string> out;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
        if (integer(*r, i, 0) != static_cast<std::int64_t>(out.size())) {
            return fail(ErrorCode::store, fmt::format("store: log entry {} is missing", out.size()));
        }
        out.push_back(blob(*r, i, 1));
    }
    return out;
}

Result<void> PgStore::save_record(std::int64_t run_id, const StoredRecord& rec) {
    auto r =
        run("INSERT INTO records(run_id, claim_id, article, verdict, envelope, envelope_sha256, key_id, "
            "log_index, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
            {number(run_id), text(rec.claim_id), text(rec.article), text(rec.verdict), bytes(rec.envelope),
             text(rec.envelope_sha256), text(rec.key_id), number(static_cast<std::int64_t>(rec.log_index)),
             text(rec.created_at)},
            "storing a record");
    if (!r) return std::unexpected(r.error());
    return {};
}

std::vector<StoredRecord> PgStore::read_records(const PgResult& r) {
    std::vector<StoredRecord> out;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
        StoredRecord rec;
        rec.id = integer(r, i, 0);
        rec.claim_id = value(r, i, 1);
        rec.article = value(r, i, 2);
        rec.verdict = value(r, i, 3);
        rec.envelope = blob(r, i, 4);
        rec.envelope_sha256 = value(r, i, 5);
        rec.key_id = value(r, i, 6);
        rec.log_index = static_cast<std::uint64_t>(integer(r, i, 7));
        rec.created_at = value(r, i, 8);
        out.push_back(std::move(rec));
    }
    return out;
}

Result<std::vector<StoredRecord>> PgStore::records() {
    auto r = run(fmt::format("{} ORDER BY log_index", record_columns), {}, "reading records");
    if (!r) return std::unexpected(r.error());
    return read_records(*r);
}

Result<std::vector<StoredRecord>> PgStore::records_for_claim(std::string_view prefix) {
    auto r = run(fmt::format("{} WHERE substr(claim_id, 1, $1::int) = $2 ORDER BY log_index", record_columns),
                 {number(static_cast<std::int64_t>(prefix.size())), text(prefix)}, "reading records");
    if (!r) return std::unexpected(r.error());
    return read_records(*r);
}

Result<void> PgStore::save_manifest(std::int64_t run_id, const StoredManifest& m) {
    auto r =
        run("INSERT INTO manifests(log_index, run_id, warc_file, start_offset, end_offset, envelope, "
            "envelope_sha256, key_id, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
            {number(static_cast<std::int64_t>(m.log_index)), number(run_id), text(m.warc_file),
             number(static_cast<std::int64_t>(m.start)), number(static_cast<std::int64_t>(m.end)), bytes(m.envelope),
             text(m.envelope_sha256), text(m.key_id), text(m.created_at)},
            "storing an archive manifest");
    if (!r) return std::unexpected(r.error());
    return {};
}

std::vector<StoredManifest> PgStore::read_manifests(const PgResult& r) {
    std::vector<StoredManifest> out;
    for (int i = 0; i < PQntuples(r.get()); ++i) {
        StoredManifest m;
        m.log_index = static_cast<std::uint64_t>(integer(r, i, 0));
        m.warc_file = value(r, i, 1);
        m.start = static_cast<std::uint64_t>(integer(r, i, 2));
        m.end = static_cast<std::uint64_t>(integer(r, i, 3));
        m.envelope = blob(r, i, 4);
        m.envelope_sha256 = value(r, i, 5);
        m.key_id = value(r, i, 6);
        m.created_at = value(r, i, 7);
        out.push_back(std::move(m));
    }
    return out;
}

Result<std::vector<StoredManifest>> PgStore::manifests() {
    auto r = run(fmt::format("{} ORDER BY log_index", manifest_columns), {}, "reading archive manifests");
    if (!r) return std::unexpected(r.error());
    return read_manifests(*r);
}

Result<std::vector<StoredManifest>> PgStore::manifests_covering(std::string_view warc_file, std::uint64_t offset) {
    auto r = run(fmt::format("{} WHERE warc_file = $1 AND start_offset <= $2 AND $2 < end_offset "
                             "ORDER BY log_index DESC",
                             manifest_columns),
                 {text(warc_file), number(static_cast<std::int64_t>(offset))}, "reading archive manifests");
    if (!r) return std::unexpected(r.error());
    return read_manifests(*r);
}

Result<void> PgStore::save_checkpoint(const StoredCheckpoint& c) {
    auto r =
        run("INSERT INTO checkpoints(size, note, created_at) VALUES ($1, $2, $3) ON CONFLICT (size) DO "
            "UPDATE SET note = EXCLUDED.note, created_at = EXCLUDED.created_at",
            {number(static_cast<std::int64_t>(c.size)), text(c.note), text(c.created_at)}, "storing a checkpoint");
    if (!r) return std::unexpected(r.error());
    return {};
}

Result<std::optional<StoredCheckpoint>> PgStore::latest_checkpoint() {
    auto r =
        run("SELECT size, note, created_at FROM checkpoints ORDER BY size DESC LIMIT 1", {}, "reading the checkpoint");
    if (!r) return std::unexpected(r.error());
    if (PQntuples(r->get()) == 0) return std::optional<StoredCheckpoint>{};
    return std::optional<StoredCheckpoint>{
        StoredCheckpoint{static_cast<std::uint64_t>(integer(*r, 0, 0)), value(*r, 0, 1), value(*r, 0, 2)}};
}

Result<std::vector<StoredCheckpoint>> PgStore::checkpoints() {
    auto r = run("SELECT size, note, created_at FROM checkpoints ORDER BY size", {}, "reading checkpoints");
    if (!r) return std::unexpected(r.error());
    std::vector<StoredCheckpoint> out;
    for (int i = 0; i < PQntuples(r->get()); ++i)
        out.push_back({static_cast<std::uint64_t>(integer(*r, i, 0)), value(*r, i, 1), value(*r, i, 2)});
    return out;
}

Result<void> PgStore::save_timestamp(const StoredTimestamp& t) {
    auto r =
        run("INSERT INTO timestamps(checkpoint_size, tsa_url, token, gen_time, requested_at) "
            "VALUES ($1,$2,$3,$4,$5) ON CONFLICT (checkpoint_size) DO UPDATE SET tsa_url = EXCLUDED.tsa_url, "
            "token = EXCLUDED.token, gen_time = EXCLUDED.gen_time, requested_at = EXCLUDED.requested_at",
            {number(static_cast<std::int64_t>(t.checkpoint_size)), text(t.tsa_url), bytes(t.token), text(t.gen_time),
             text(t.requested_at)},
            "storing a timestamp");
    if (!r) return std::unexpected(r.error());
    return {};
}

Result<std::vector<StoredTimestamp>> PgStore::timestamps() {
    auto r =
        run("SELECT checkpoint_size, tsa_url, token, gen_time, requested_at FROM timestamps ORDER BY "
            "checkpoint_size",
            {}, "reading timestamps");
    if (!r) return std::unexpected(r.error());
    std::vector<StoredTimestamp> out;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
        out.push_back({static_cast<std::uint64_t>(integer(*r, i, 0)), value(*r, i, 1), blob(*r, i, 2), value(*r, i, 3),
                       value(*r, i, 4)});
    }
    return out;
}

Result<void> PgStore::migrate() {
    // A store already at this version (every connection but a fleet's first) needs no lock: the check is one read.
    if (auto v = run("SELECT version FROM provcheck_schema", {}, "reading the schema version");
        v && PQntuples(v->get()) == 1 && integer(*v, 0, 0) == Database::schema_version) {
        return {};
    }
    for (;;) {
        // Under the write lock: two workers starting together migrate once, in turn.
        if (auto r = begin(); !r) return r;
        struct Guard {
            PgStore& s;
            bool done = false;
            ~Guard() {
                if (!done) s.rollback();
            }
        } guard{*this};
        if (auto r = exec_script("CREATE TABLE IF NOT EXISTS provcheck_schema (version INTEGER NOT NULL); "
                                 "INSERT INTO provcheck_schema(version) SELECT 0 WHERE NOT EXISTS "
                                 "(SELECT 1 FROM provcheck_schema)",
                                 "reading the schema version");
            !r) {
            return r;
        }
        auto v = run("SELECT version FROM provcheck_schema", {}, "reading the schema version");
        if (!v) return std::unexpected(v.error());
        const auto version = static_cast<int>(integer(*v, 0, 0));
        if (version == Database::schema_version) {
            guard.done = true;
            return commit();
        }
        if (version > Database::schema_version || version < 0) {
            return fail(ErrorCode::store, fmt::format("the store has schema version {}, newer than this provcheck "
                                                      "understands ({}); use a newer provcheck",
                                                      version, Database::schema_version));
        }
        const int last = version == 0 ? Database::schema_version : version + 1;
        for (int v2 = version; v2 < last; ++v2) {
            if (auto r = exec_script(migrations[static_cast<std::size_t>(v2)],
                                     fmt::format("migrating the schema to version {}", v2 + 1));
                !r) {
                return r;
            }
        }
        if (auto r = run("UPDATE provcheck_schema SET version = $1", {number(last)}, "recording the schema version");
            !r) {
            return std::unexpected(r.error());
        }
        guard.done = true;
        if (auto r = commit(); !r) return r;
    }
}

}  // namespace provcheck::pg

namespace provcheck {

using pg::ConnFree;
using pg::PgStore;

Result<std::unique_ptr<StoreBackend>> connect_pg_store(std::string_view url) {
    const std::string conninfo(url);
    std::unique_ptr<PGconn, ConnFree> conn(PQconnectdb(conninfo.c_str()));
    if (!conn) return fail(ErrorCode::store, "store: out of memory connecting to PostgreSQL");
    if (PQstatus(conn.get()) != CONNECTION_OK) {
        std::string msg = PQerrorMessage(conn.get());
        while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' '))
            msg.pop_back();
        // libpq's message may quote parts of a URL it misread (a password holding '@' becomes a host name).
        const auto scheme = url.find("://");
        const auto at = url.rfind('@');
        if (scheme != std::string_view::npos && at != std::string_view::npos && at > scheme) {
            const auto colon = url.find(':', scheme + 3);
            if (colon != std::string_view::npos && colon < at) {
                for (auto piece : split(url.substr(colon + 1, at - colon - 1), '@')) {
                    if (piece.size() < 3) continue;  // two characters are no password, and are in every word
                    for (auto pos = msg.find(piece); pos != std::string::npos; pos = msg.find(piece, pos + 3))
                        msg.replace(pos, piece.size(), "***");
                }
            }
        }
        return fail(ErrorCode::store,
                    fmt::format("{}: cannot connect to the store: {}", Database::redact_url(url), msg));
    }
    // Notices (a table that already exists, …) are the server talking to itself, not to the user.
    PQsetNoticeProcessor(
        conn.get(), [](void*, const char*) {}, nullptr);
    auto store = std::make_unique<PgStore>(std::move(conn));
    // Binary columns are read in hex, whatever the database's default.
    if (auto r = store->run("SET client_min_messages = warning", {}, "setting up the session"); !r)
        return std::unexpected(r.error());
    if (auto r = store->run("SET bytea_output = hex", {}, "setting up the session"); !r)
        return std::unexpected(r.error());
    if (auto r = store->migrate(); !r) {
        return fail(ErrorCode::store, fmt::format("{}: {}", Database::redact_url(url), r.error().message));
    }
    return std::unique_ptr<StoreBackend>(std::move(store));
}

}  // namespace provcheck
