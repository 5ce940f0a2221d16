// The workspace's HTTP cache: validators of responses stored by earlier runs (the database's http_cache
// table) and their bytes (the workspace WARC files they point to).
//
// lookup() and remember() key entries by normalize_url(); remembered entries reach the database at flush(),
// which the capture stage calls once the archive is synced, so an entry never names bytes that a power loss
// could still take away. load() re-reads the stored response record and
// checks it is the one the entry names and that its payload still hashes to the stored digest, so a damaged
// or edited archive makes the cache miss (the URL is fetched afresh) rather than serve other bytes.
// An entry stored by an earlier run is used only when a signed archive manifest vouches for the record it names
// (record/vouch.hpp) and that record is a response for the entry's URL; its fetched_at and validated_at are
// then the WARC-Date of that record and of the signed revisit that last confirmed it, never the row's own
// columns. A planted or edited row is a miss. Entries remembered in this run are used as they are.
// What it never does: reach the network, or write to the WARC files. Database, vouch and workspace must outlive
// it.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "core/exchange.hpp"
#include "record/vouch.hpp"
#include "store/db.hpp"

namespace provcheck {

class WorkspaceCache final : public ResponseCache {
public:
    WorkspaceCache(Database& db, ArchiveVouch& vouch, std::filesystem::path warc_dir)
        : db_(db), vouch_(vouch), warc_dir_(std::move(warc_dir)) {}

    [[nodiscard]] std::optional<CachedResponse> lookup(std::string_view url) override;
    [[nodiscard]] Result<Exchange> load(const CachedResponse& entry) override;
    // Held in memory (and answered by lookup()) until flush() writes them all in one transaction.
    [[nodiscard]] Result<void> remember(const CachedResponse& entry) override;
    [[nodiscard]] Result<void> flush() override;
    [[nodiscard]] std::size_t unflushed() const noexcept override { return pending_.size(); }

private:
    Database& db_;
    ArchiveVouch& vouch_;
    std::filesystem::path warc_dir_;
    std::map<std::string, CachedResponse> pending_;   // by normalised URL, not yet flushed
    std::map<std::string, CachedResponse> this_run_;  // by normalised URL, remembered by this run
};

}  // namespace provcheck
