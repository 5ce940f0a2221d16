// What a store back-end implements (store/db.hpp documents each operation). Database forwards to one of these:
// SqliteStore (store/sqlite_store.cpp) or PgStore (store/pg_store.cpp). The two share the schema's shape and
// the migration steps, and the queue and host-slot semantics; only the SQL dialect and the locking differ.
#pragma once

#include <filesystem>
#include <memory>

#include "store/db.hpp"

namespace provcheck {

class StoreBackend {
public:
    virtual ~StoreBackend() = default;
    [[nodiscard]] virtual std::string_view kind() const noexcept = 0;

    [[nodiscard]] virtual Result<void> begin() = 0;
    [[nodiscard]] virtual Result<void> begin_read() = 0;
    [[nodiscard]] virtual Result<void> commit() = 0;
    virtual void rollback() noexcept = 0;

    [[nodiscard]] virtual Result<std::int64_t> begin_run(std::string_view started_at, std::string_view argv,
                                                         std::string_view rules_digest) = 0;
    [[nodiscard]] virtual Result<void> save_capture(std::int64_t run_id, const Capture& capture) = 0;
    [[nodiscard]] virtual Result<std::optional<CachedResponse>> cached_response(std::string_view url) = 0;
    [[nodiscard]] virtual Result<void> save_cached_response(const CachedResponse& entry) = 0;
    [[nodiscard]] virtual Result<std::vector<StoredCapture>> stored_captures(std::string_view url,
                                                                             std::size_t limit) = 0;
    [[nodiscard]] virtual Result<std::vector<std::pair<std::string, std::string>>> public_keys() = 0;
    [[nodiscard]] virtual Result<void> save_public_key(std::string_view key_id, std::string_view public_raw,
                                                       std::string_view added_at) = 0;
    [[nodiscard]] virtual Result<std::uint64_t> append_log_entry(const Sha256& envelope_digest) = 0;
    [[nodiscard]] virtual Result<std::vector<std::string>> log_entries() = 0;
    [[nodiscard]] virtual Result<std::uint64_t> log_size() = 0;
    [[nodiscard]] virtual Result<void> save_record(std::int64_t run_id, const StoredRecord& record) = 0;
    [[nodiscard]] virtual Result<std::vector<StoredRecord>> records() = 0;
    [[nodiscard]] virtual Result<std::vector<StoredRecord>> records_for_claim(std::string_view prefix) = 0;
    [[nodiscard]] virtual Result<void> save_manifest(std::int64_t run_id, const StoredManifest& manifest) = 0;
    [[nodiscard]] virtual Result<std::vector<StoredManifest>> manifests() = 0;
    [[nodiscard]] virtual Result<std::vector<StoredManifest>> manifests_covering(std::string_view warc_file,
                                                                                 std::uint64_t offset) = 0;
    [[nodiscard]] virtual Result<void> save_checkpoint(const StoredCheckpoint& checkpoint) = 0;
    [[nodiscard]] virtual Result<std::optional<StoredCheckpoint>> latest_checkpoint() = 0;
    [[nodiscard]] virtual Result<std::vector<StoredCheckpoint>> checkpoints() = 0;
    [[nodiscard]] virtual Result<void> save_timestamp(const StoredTimestamp& timestamp) = 0;
    [[nodiscard]] virtual Result<std::vector<StoredTimestamp>> timestamps() = 0;

    [[nodiscard]] virtual Result<bool> claim_run_key(std::string_view key, std::string_view at) = 0;
    [[nodiscard]] virtual Result<bool> run_key_claimed(std::string_view key) = 0;
    [[nodiscard]] virtual Result<std::size_t> enqueue(const std::vector<std::string>& articles,
                                                      std::string_view at) = 0;
    [[nodiscard]] virtual Result<std::vector<QueueItem>> lease(std::string_view worker, std::size_t n,
                                                               std::int64_t lease_ms, int max_attempts) = 0;
    [[nodiscard]] virtual Result<std::size_t> renew(const std::vector<QueueItem>& items, std::int64_t lease_ms) = 0;
    [[nodiscard]] virtual Result<bool> finish(const QueueItem& item, bool done, int claims, std::string_view error,
                                              std::string_view at) = 0;
    [[nodiscard]] virtual Result<void> release(const QueueItem& item, std::string_view why) = 0;
    [[nodiscard]] virtual Result<QueueCounts> queue_counts() = 0;
    [[nodiscard]] virtual Result<std::vector<QueueEntry>> queue_entries(std::optional<QueueState> state,
                                                                        std::size_t limit) = 0;
    [[nodiscard]] virtual Result<HostSlot> take_host_slot(std::string_view host, int parallel_max,
                                                          std::int64_t interval_ms, std::int64_t lease_ms,
                                                          std::string_view holder) = 0;
    [[nodiscard]] virtual Result<void> give_host_slot(std::string_view token) = 0;
    [[nodiscard]] virtual Result<void> defer_host(std::string_view host, std::int64_t delay_ms) = 0;
};

[[nodiscard]] Result<std::unique_ptr<StoreBackend>> open_sqlite_store(const std::filesystem::path& path,
                                                                      Database::Open mode);
[[nodiscard]] Result<std::unique_ptr<StoreBackend>> connect_pg_store(std::string_view url);

// A fresh random token (hex), naming a lease or a host slot.
[[nodiscard]] std::string random_token();

}  // namespace provcheck
