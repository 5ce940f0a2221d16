#include "cli/workspace_cache.hpp"

#include <fmt/core.h>

#include "core/hash.hpp"
#include "core/url.hpp"
#include "warc/warc_archive.hpp"

namespace provcheck {

std::optional<CachedResponse> WorkspaceCache::lookup(std::string_view url) {
    auto key = normalize_url(url);
    if (!key) return std::nullopt;
    // A cache that cannot be read is a miss: the URL is then fetched as if never seen.
    auto found = db_.cached_response(*key);
    if (!found) return std::nullopt;
    return std::move(*found);
}

Result<Exchange> WorkspaceCache::load(const CachedResponse& entry) {
    auto ex = load_stored_exchange(workspace_, entry.stored);
    if (!ex) return ex;
    if (sha256_hex(ex->body) != entry.payload_sha256) {
        return fail(ErrorCode::store, fmt::format("{}: the stored response for {} no longer matches its digest",
                                                  entry.stored.warc_file, entry.url));
    }
    return ex;
}

Result<void> WorkspaceCache::remember(const CachedResponse& entry) {
    CachedResponse keyed = entry;
    if (auto key = normalize_url(entry.url)) keyed.url = std::move(*key);
    return db_.save_cached_response(keyed);
}

}  // namespace provcheck
