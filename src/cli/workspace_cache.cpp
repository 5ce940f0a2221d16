#include "cli/workspace_cache.hpp"

#include "core/url.hpp"
#include "warc/warc_archive.hpp"

namespace provcheck {

std::optional<CachedResponse> WorkspaceCache::lookup(std::string_view url) {
    auto key = normalize_url(url);
    if (!key) return std::nullopt;
    if (auto p = pending_.find(*key); p != pending_.end()) return p->second;
    // A cache that cannot be read is a miss: the URL is then fetched as if never seen.
    auto found = db_.cached_response(*key);
    if (!found) return std::nullopt;
    return std::move(*found);
}

Result<Exchange> WorkspaceCache::load(const CachedResponse& entry) {
    return load_stored_exchange(workspace_, entry.stored, entry.payload_sha256);
}

Result<void> WorkspaceCache::remember(const CachedResponse& entry) {
    CachedResponse keyed = entry;
    if (auto key = normalize_url(entry.url)) keyed.url = std::move(*key);
    std::string url = keyed.url;
    pending_.insert_or_assign(std::move(url), std::move(keyed));
    return {};
}

Result<void> WorkspaceCache::flush() {
    if (pending_.empty()) return {};
    Database::Transaction tx(db_);
    if (auto r = tx.begin(); !r) return r;
    for (const auto& [url, entry] : pending_) {
        if (auto r = db_.save_cached_response(entry); !r) return r;
    }
    if (auto r = tx.commit(); !r) return r;
    pending_.clear();
    return {};
}

}  // namespace provcheck
