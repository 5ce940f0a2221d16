#include "check/versions.hpp"

#include "capture/stored.hpp"
#include "core/url.hpp"
#include "warc/warc_archive.hpp"

namespace provcheck {

std::vector<Capture> stored_versions(Database& db, ArchiveVouch& vouch, const std::filesystem::path& warc_dir,
                                     const Capture& current, std::size_t limit) {
    std::vector<Capture> out;
    if (!current.ok() || current.final_url.empty()) return out;
    // One more than asked: the current capture itself is among the rows once it has been saved.
    auto rows = db.stored_captures(current.final_url, limit + 1);
    if (!rows) return out;
    for (const auto& row : *rows) {
        if (out.size() >= limit) break;
        if (row.payload_sha256 == current.payload_sha256) continue;
        if (!vouch.check(row.stored)) continue;
        auto ex = load_stored_exchange(warc_dir, row.stored, row.payload_sha256);
        if (!ex) continue;
        // The row says which URL it was; the signed record says which URL it is.
        if (normalize_url(ex->url) != normalize_url(current.final_url)) continue;
        Capture c = capture_from_stored(*ex, row.stored, row.block_sha256);
        c.requested_url = current.requested_url;
        c.final_url = ex->url;
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace provcheck
