// The workspace database (store.db): SQLite in WAL mode with foreign keys on, schema version in
// PRAGMA user_version, each migration in its own transaction. Owns the sqlite3 handle; nothing of SQLite
// crosses this header. One Database per process and thread.
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

struct sqlite3;

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

class Database {
public:
    static constexpr int schema_version = 4;

    enum class Open {
        create,    // a new, empty database when the file is missing (check)
        existing,  // a missing file is an Error: it is what holds the records (verify, show, export)
    };
    // Opens `path`, migrating an older schema. A file that is not a database, or one from a newer provcheck,
    // is an Error that says so; nothing is changed in that case. With Open::existing a missing file is an
    // ErrorCode::store Error and nothing is created.
    [[nodiscard]] static Result<Database> open(const std::filesystem::path& path, Open mode = Open::create);

    Database(Database&&) noexcept;
    Database& operator=(Database&&) noexcept;
    ~Database();

    // A write transaction (BEGIN IMMEDIATE, so concurrent processes wait on the busy timeout rather than
    // failing halfway). Commit explicitly; the destructor rolls back an uncommitted transaction.
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

private:
    struct Closer {
        void operator()(sqlite3* db) const noexcept;
    };
    explicit Database(std::unique_ptr<sqlite3, Closer> db) : db_(std::move(db)) {}
    [[nodiscard]] Result<void> exec(std::string_view sql);
    [[nodiscard]] Result<void> migrate();
    // The statements of the record path, prepared on first use and kept: a check stores thousands of records,
    // log entries and checkpoints a second. Declared after db_ so that they are finalised before it closes.
    struct Statements;
    struct StatementsFree {
        void operator()(Statements* s) const noexcept;
    };
    [[nodiscard]] Statements& statements();
    std::unique_ptr<sqlite3, Closer> db_;
    std::unique_ptr<Statements, StatementsFree> statements_;
};

}  // namespace provcheck
