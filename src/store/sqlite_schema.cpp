// The SQLite schema, one step per version. PostgreSQL's (pg_schema.cpp) has the same tables, columns and steps.
#include "store/sqlite_store.hpp"

namespace provcheck::sqlite {

// One entry per schema version: migrations[v] takes a database at version v to v + 1.
const std::array<std::string_view, Database::schema_version> migrations{
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

}  // namespace provcheck::sqlite
