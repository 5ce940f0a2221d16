#include "store/db.hpp"

#include <openssl/rand.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <regex>

#include "core/hash.hpp"
#include "store/backend.hpp"

namespace provcheck {

std::string_view to_string(QueueState s) noexcept {
    switch (s) {
        case QueueState::pending:
            return "pending";
        case QueueState::leased:
            return "leased";
        case QueueState::done:
            return "done";
        case QueueState::failed:
            return "failed";
    }
    return "pending";
}

std::string random_token() {
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        // RAND_bytes fails only when the system cannot seed it; a clock and address mix still names a lease
        // uniquely enough for one store.
        const auto t = std::chrono::steady_clock::now().time_since_epoch().count();
        return to_hex(sha256(std::to_string(t) + "/" + std::to_string(::getpid()))).substr(0, 32);
    }
    return to_hex(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

Database::Database(std::unique_ptr<StoreBackend> backend) : b_(std::move(backend)) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

Result<Database> Database::open(const std::filesystem::path& path, Open mode) {
    auto b = open_sqlite_store(path, mode);
    if (!b) return std::unexpected(b.error());
    return Database(std::move(*b));
}

Result<Database> Database::connect(std::string_view url) {
    auto b = connect_pg_store(url);
    if (!b) return std::unexpected(b.error());
    return Database(std::move(*b));
}

bool Database::is_server_url(std::string_view location) noexcept {
    return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string Database::redact_url(std::string_view url) {
    std::string out(url);
    // libpq reads a password up to the authority's last '@', so it may hold '?', '#' or '/': everything between
    // the user name's ':' and that '@' goes.
    const auto scheme = out.find("://");
    const auto at = out.rfind('@');
    if (scheme != std::string::npos && at != std::string::npos && at > scheme) {
        const auto colon = out.find(':', scheme + 3);
        if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
    // password=, sslpassword= and the like in the query string.
    static const std::regex query_password(R"(([?&][a-z]*password=)[^&]*)");
    return std::regex_replace(out, query_password, "$1***");
}

std::string_view Database::kind() const noexcept {
    return b_->kind();
}

Database::Transaction::Transaction(Database& db) : db_(db) {}

Database::Transaction::~Transaction() {
    if (open_) db_.b_->rollback();
}

Result<void> Database::Transaction::begin() {
    if (auto r = db_.b_->begin(); !r) return r;
    open_ = true;
    return {};
}

Result<void> Database::Transaction::commit() {
    if (auto r = db_.b_->commit(); !r) return r;
    open_ = false;
    return {};
}

Database::ReadSnapshot::ReadSnapshot(Database& db) : db_(db) {}

Database::ReadSnapshot::~ReadSnapshot() {
    if (open_) db_.b_->rollback();
}

Result<void> Database::ReadSnapshot::begin() {
    if (auto r = db_.b_->begin_read(); !r) return r;
    open_ = true;
    return {};
}

Result<std::int64_t> Database::begin_run(std::string_view started_at, std::string_view argv,
                                         std::string_view rules_digest) {
    return b_->begin_run(started_at, argv, rules_digest);
}
Result<void> Database::save_capture(std::int64_t run_id, const Capture& capture) {
    return b_->save_capture(run_id, capture);
}
Result<std::optional<CachedResponse>> Database::cached_response(std::string_view url) {
    return b_->cached_response(url);
}
Result<void> Database::save_cached_response(const CachedResponse& entry) {
    return b_->save_cached_response(entry);
}
Result<std::vector<StoredCapture>> Database::stored_captures(std::string_view url, std::size_t limit) {
    return b_->stored_captures(url, limit);
}
Result<std::vector<std::pair<std::string, std::string>>> Database::public_keys() {
    return b_->public_keys();
}
Result<void> Database::save_public_key(std::string_view key_id, std::string_view public_raw,
                                       std::string_view added_at) {
    return b_->save_public_key(key_id, public_raw, added_at);
}
Result<std::uint64_t> Database::append_log_entry(const Sha256& envelope_digest) {
    return b_->append_log_entry(envelope_digest);
}
Result<std::vector<std::string>> Database::log_entries() {
    return b_->log_entries();
}
Result<std::uint64_t> Database::log_size() {
    return b_->log_size();
}
Result<void> Database::save_record(std::int64_t run_id, const StoredRecord& record) {
    return b_->save_record(run_id, record);
}
Result<std::vector<StoredRecord>> Database::records() {
    return b_->records();
}
Result<std::vector<StoredRecord>> Database::records_for_claim(std::string_view claim_id_or_prefix) {
    return b_->records_for_claim(claim_id_or_prefix);
}
Result<void> Database::save_manifest(std::int64_t run_id, const StoredManifest& manifest) {
    return b_->save_manifest(run_id, manifest);
}
Result<std::vector<StoredManifest>> Database::manifests() {
    return b_->manifests();
}
Result<std::vector<StoredManifest>> Database::manifests_covering(std::string_view warc_file, std::uint64_t offset) {
    return b_->manifests_covering(warc_file, offset);
}
Result<void> Database::save_checkpoint(const StoredCheckpoint& checkpoint) {
    return b_->save_checkpoint(checkpoint);
}
Result<std::optional<StoredCheckpoint>> Database::latest_checkpoint() {
    return b_->latest_checkpoint();
}
Result<std::vector<StoredCheckpoint>> Database::checkpoints() {
    return b_->checkpoints();
}
Result<void> Database::save_timestamp(const StoredTimestamp& timestamp) {
    return b_->save_timestamp(timestamp);
}
Result<std::vector<StoredTimestamp>> Database::timestamps() {
    return b_->timestamps();
}
Result<bool> Database::claim_run_key(std::string_view key, std::string_view at) {
    return b_->claim_run_key(key, at);
}
Result<bool> Database::run_key_claimed(std::string_view key) {
    return b_->run_key_claimed(key);
}
Result<std::size_t> Database::enqueue(const std::vector<std::string>& articles, std::string_view at) {
    return b_->enqueue(articles, at);
}
Result<std::vector<QueueItem>> Database::lease(std::string_view worker, std::size_t n, std::int64_t lease_ms,
                                               int max_attempts) {
    return b_->lease(worker, n, lease_ms, max_attempts);
}
Result<std::size_t> Database::renew(const std::vector<QueueItem>& items, std::int64_t lease_ms) {
    return b_->renew(items, lease_ms);
}
Result<bool> Database::finish(const QueueItem& item, bool done, int claims, std::string_view error,
                              std::string_view at) {
    return b_->finish(item, done, claims, error, at);
}
Result<void> Database::release(const QueueItem& item, std::string_view why) {
    return b_->release(item, why);
}
Result<QueueCounts> Database::queue_counts() {
    return b_->queue_counts();
}
Result<std::vector<QueueEntry>> Database::queue_entries(std::optional<QueueState> state, std::size_t limit) {
    return b_->queue_entries(state, limit);
}
Result<HostSlot> Database::take_host_slot(std::string_view host, int parallel_max, std::int64_t interval_ms,
                                          std::int64_t lease_ms, std::string_view holder) {
    return b_->take_host_slot(host, parallel_max, interval_ms, lease_ms, holder);
}
Result<void> Database::give_host_slot(std::string_view token) {
    return b_->give_host_slot(token);
}
Result<void> Database::defer_host(std::string_view host, std::int64_t delay_ms) {
    return b_->defer_host(host, delay_ms);
}

}  // namespace provcheck
