// The store: records, log, checkpoints, captures, HTTP cache, work queue and fleet politeness, behind one
// interface over two back-ends (SQLite, the embedded default, and PostgreSQL for many workers).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/exchange.hpp"
#include "core/hash.hpp"
#include "core/types.hpp"

namespace provcheck {

struct StoredRecord {
    std::int64_t id = 0;
    std::string claim_id;
    std::string article;  // input as given
    std::string verdict;
    std::string envelope;  // the DSSE envelope JSON bytes, exactly as hashed
    std::string envelope_sha256;
    std::string key_id;
    std::uint64_t log_index = 0;
    std::string created_at;
};

// A successful capture kept in the workspace archive (one row of the captures table).
struct StoredCapture {
    std::string final_url;
    int status = 0;
    std::string fetched_at;
    std::string payload_sha256;
    std::string block_sha256;
    StoredRecordRef stored;
};

// A signed archive manifest (record/manifest.hpp): the spans of one WARC file from `start` to `end` that
// one write of records vouched for. Columns repeat signed values; verify compares them.
struct StoredManifest {
    std::uint64_t log_index = 0;
    std::string warc_file;
    std::uint64_t start = 0;
    std::uint64_t end = 0;
    std::string envelope;
    std::string envelope_sha256;
    std::string key_id;
    std::string created_at;
};

struct StoredCheckpoint {
    std::uint64_t size = 0;
    std::string note;  // the signed note text
    std::string created_at;
};

// A Time-Stamp Authority's token (RFC 3161, DER) over the signed note of the checkpoint of `checkpoint_size`.
// gen_time repeats the token's own time for listing; verify reads it from the token.
struct StoredTimestamp {
    std::uint64_t checkpoint_size = 0;
    std::string tsa_url;
    std::string token;
    std::string gen_time;
    std::string requested_at;
};

// A work-queue item (`provcheck enqueue`, `provcheck worker`): one article to check, leased by one worker at a
// time. `token` names the lease: finishing or renewing it succeeds only while the lease is still this one.
struct QueueItem {
    std::int64_t id = 0;
    std::string article;
    int attempts = 0;  // leases taken so far, this one included
    std::string token;
};

enum class QueueState { pending, leased, done, failed };
[[nodiscard]] std::string_view to_string(QueueState s) noexcept;

struct QueueEntry {
    std::int64_t id = 0;
    std::string article;
    QueueState state = QueueState::pending;
    int attempts = 0;
    std::string owner;                // the worker holding or last holding the lease
    std::int64_t lease_until_ms = 0;  // Unix milliseconds, store clock
    std::string enqueued_at;
    std::string finished_at;
    std::string error;  // why it failed
    int claims = 0;     // claims recorded when done
};

struct QueueCounts {
    std::int64_t pending = 0, leased = 0, expired = 0, done = 0, failed = 0;  // expired: leased, lease ended
};

// The answer to a request for a fleet-wide host slot: taken (token set) or not before `wait_ms` from now.
struct HostSlot {
    std::string token;  // empty: not taken
    std::int64_t wait_ms = 0;
};

class StoreBackend;

// The store: the workspace database (store.db, SQLite) by default, or a PostgreSQL server shared by many workers
// (`--store postgresql://…`). Both hold the same schema behind this one interface (store/backend.hpp), with the
// same migrations, each in its own transaction and its version recorded. Nothing of either library crosses this
// header. One Database per thread.
class Database {
public:
    static constexpr int schema_version = 5;

    enum class Open {
        create,    // a new, empty database when the file is missing (check)
        existing,  // a missing file is an Error: it is what holds the records (verify, show, export)
    };
    // Opens `path`, migrating an older schema. A file that is not a database, or one from a newer provcheck,
    // is an Error that says so; nothing is changed in that case. With Open::existing a missing file is an
    // ErrorCode::store Error and nothing is created.
    [[nodiscard]] static Result<Database> open(const std::filesystem::path& path, Open mode = Open::create);
    // Connects to a PostgreSQL store (a postgresql:// or postgres:// URL, libpq's syntax) and migrates its schema.
    [[nodiscard]] static Result<Database> connect(std::string_view url);
    // Whether `location` names a database server rather than a file.
    [[nodiscard]] static bool is_server_url(std::string_view location) noexcept;
    // `url` with any password replaced by "***", for messages.
    [[nodiscard]] static std::string redact_url(std::string_view url);

    Database(Database&&) noexcept;
    Database& operator=(Database&&) noexcept;
    ~Database();

    // "sqlite" or "postgresql".
    [[nodiscard]] std::string_view kind() const noexcept;

    // A write transaction, serialised with every other writer of the store (SQLite: BEGIN IMMEDIATE, waiting on
    // the busy timeout; PostgreSQL: a transaction-scoped advisory lock), so the log's positions are assigned
    // one writer at a time. Commit explicitly; the destructor rolls back an uncommitted transaction.
    class Transaction {
    public:
        explicit Transaction(Database& db);
        ~Transaction();
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        [[nodiscard]] Result<void> begin();
        [[nodiscard]] Result<void> commit();

    private:
        Database& db_;
        bool open_ = false;
    };

    // A read of one consistent snapshot (verify and export on a store that workers are writing to): the log, its
    // checkpoints, records and manifests as of one moment. Ends (rolled back) with the object.
    class ReadSnapshot {
    public:
        explicit ReadSnapshot(Database& db);
        ~ReadSnapshot();
        ReadSnapshot(const ReadSnapshot&) = delete;
        ReadSnapshot& operator=(const ReadSnapshot&) = delete;
        [[nodiscard]] Result<void> begin();

    private:
        Database& db_;
        bool open_ = false;
    };

    [[nodiscard]] Result<std::int64_t> begin_run(std::string_view started_at, std::string_view argv,
                                                 std::string_view rules_digest);
    [[nodiscard]] Result<void> save_capture(std::int64_t run_id, const Capture& capture);

    // The HTTP cache: one entry per normalised URL, the latest stored response with its validators.
    [[nodiscard]] Result<std::optional<CachedResponse>> cached_response(std::string_view url);
    [[nodiscard]] Result<void> save_cached_response(const CachedResponse& entry);
    // The distinct versions of `url` (as requested or as final URL) stored by successful, untruncated
    // captures: the latest capture of each payload digest, newest first, at most `limit`.
    [[nodiscard]] Result<std::vector<StoredCapture>> stored_captures(std::string_view url, std::size_t limit);
    // (key id, raw public key) of every key that signed in this workspace.
    [[nodiscard]] Result<std::vector<std::pair<std::string, std::string>>> public_keys();
    [[nodiscard]] Result<void> save_public_key(std::string_view key_id, std::string_view public_raw,
                                               std::string_view added_at);

    // The log: entry i holds the 32-byte SHA-256 of an envelope. Appends at the end, returns the index.
    [[nodiscard]] Result<std::uint64_t> append_log_entry(const Sha256& envelope_digest);
    [[nodiscard]] Result<std::vector<std::string>> log_entries();  // raw 32-byte strings, by index
    [[nodiscard]] Result<std::uint64_t> log_size();

    [[nodiscard]] Result<void> save_record(std::int64_t run_id, const StoredRecord& record);
    [[nodiscard]] Result<std::vector<StoredRecord>> records();  // by log index
    [[nodiscard]] Result<std::vector<StoredRecord>> records_for_claim(std::string_view claim_id_or_prefix);

    [[nodiscard]] Result<void> save_manifest(std::int64_t run_id, const StoredManifest& manifest);
    [[nodiscard]] Result<std::vector<StoredManifest>> manifests();  // by log index
    // The manifests of `warc_file` whose span holds byte `offset`, latest first (normally one).
    [[nodiscard]] Result<std::vector<StoredManifest>> manifests_covering(std::string_view warc_file,
                                                                         std::uint64_t offset);

    [[nodiscard]] Result<void> save_checkpoint(const StoredCheckpoint& checkpoint);
    [[nodiscard]] Result<std::optional<StoredCheckpoint>> latest_checkpoint();
    [[nodiscard]] Result<std::vector<StoredCheckpoint>> checkpoints();  // by size, smallest first
    [[nodiscard]] Result<void> save_timestamp(const StoredTimestamp& timestamp);
    [[nodiscard]] Result<std::vector<StoredTimestamp>> timestamps();  // by checkpoint size

    // Idempotency: claims `key` for the records of one article run, inside the caller's write transaction.
    // False when an earlier transaction claimed it (that run's records are stored; these must not be).
    [[nodiscard]] Result<bool> claim_run_key(std::string_view key, std::string_view at);
    // Whether an earlier transaction claimed `key` (its run's records are stored).
    [[nodiscard]] Result<bool> run_key_claimed(std::string_view key);

    // The work queue. enqueue() adds the articles not already pending or leased; returns how many it added.
    [[nodiscard]] Result<std::size_t> enqueue(const std::vector<std::string>& articles, std::string_view at);
    // Leases up to `n` items for `lease_ms` to `worker`, in the order they were queued: pending ones and those whose
    // lease ran out (a worker that died). An item that has had `max_attempts` leases and is pending again or whose
    // lease ran out again is failed instead ("abandoned after N attempts", with the last error given back).
    // Concurrent workers never take the same item (PostgreSQL: FOR UPDATE SKIP LOCKED).
    [[nodiscard]] Result<std::vector<QueueItem>> lease(std::string_view worker, std::size_t n, std::int64_t lease_ms,
                                                       int max_attempts);
    // Extends the leases of `items` that `worker` still holds; returns how many it still holds.
    [[nodiscard]] Result<std::size_t> renew(const std::vector<QueueItem>& items, std::int64_t lease_ms);
    // Ends the lease of `item` as done (with its number of claims) or failed (with why). False when the lease is
    // no longer this one (it ran out and another worker took the item): nothing is changed then.
    [[nodiscard]] Result<bool> finish(const QueueItem& item, bool done, int claims, std::string_view error,
                                      std::string_view at);
    // Gives a lease back unfinished (the worker's run failed, saying `why`): the item is pending again at once, its
    // attempt counted, so that an article that keeps breaking runs is failed after `max_attempts` like one whose
    // workers keep dying.
    [[nodiscard]] Result<void> release(const QueueItem& item, std::string_view why);
    [[nodiscard]] Result<QueueCounts> queue_counts();
    // Items in `state` (all when nullopt), by id, at most `limit`.
    [[nodiscard]] Result<std::vector<QueueEntry>> queue_entries(std::optional<QueueState> state, std::size_t limit);

    // Fleet-wide politeness: one of `parallel_max` in-flight slots of `host` for every worker of the store, and
    // starts at least `interval_ms` apart. A slot is held until given back or until `lease_ms` passes (a worker
    // that died). A host deferred (Retry-After, back-off) is waited for by every worker.
    [[nodiscard]] Result<HostSlot> take_host_slot(std::string_view host, int parallel_max, std::int64_t interval_ms,
                                                  std::int64_t lease_ms, std::string_view holder);
    [[nodiscard]] Result<void> give_host_slot(std::string_view token);
    [[nodiscard]] Result<void> defer_host(std::string_view host, std::int64_t delay_ms);

private:
    explicit Database(std::unique_ptr<StoreBackend> backend);
    std::unique_ptr<StoreBackend> b_;
};

}  // namespace provcheck
