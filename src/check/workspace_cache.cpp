#include "check/workspace_cache.hpp"

#include "core/url.hpp"
#include "warc/warc_archive.hpp"

namespace provcheck {

std::optional<CachedResponse> WorkspaceCache::lookup(std::string_view url) {
    auto key = normalize_url(url);
    if (!key) return std::nullopt;
    if (auto p = this_run_.find(*key); p != this_run_.end()) return p->second;
    // A cache that cannot be read is a miss: the URL is then fetched as if never seen.
    auto found = db_.cached_response(*key);
    if (!found || !*found) return std::nullopt;
    CachedResponse entry = std::move(**found);
    // Only what a signature vouches for, and its times as signed.
    auto response = vouch_.read(entry.stored);
    if (!response || response->type() != "response" || normalize_url(response->target_uri()) != key) {
        return std::nullopt;
    }
    entry.fetched_at = std::string(response->date());
    entry.validated_at = entry.fetched_at;
    if (entry.confirmed_by) {
        auto revisit = vouch_.read(*entry.confirmed_by);
        if (revisit && revisit->type() == "revisit" && revisit->refers_to() == entry.stored.record_id &&
            normalize_url(revisit->target_uri()) == key) {
            entry.validated_at = std::string(revisit->date());
        }
    }
    return entry;
}

Result<Exchange> WorkspaceCache::load(const CachedResponse& entry) {
    return load_stored_exchange(warc_dir_, entry.stored, entry.payload_sha256);
}

Result<void> WorkspaceCache::remember(const CachedResponse& entry) {
    CachedResponse keyed = entry;
    if (auto key = normalize_url(entry.url)) keyed.url = std::move(*key);
    std::string url = keyed.url;
    this_run_.insert_or_assign(url, keyed);
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
