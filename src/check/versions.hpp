// Earlier versions of a source: what the workspace archive holds for the same URL from earlier runs (an
// edited page, a page captured before by a --replay run) with another payload than this run's capture.
// The pipeline aligns a quotation with each and reports which version it matched and which differ.
//
// Never reaches the network. A version is used only when a signed archive manifest vouches for its bytes
// (record/vouch.hpp) and its record is a capture of the same URL: a row or record planted in the workspace is
// never a version. A version whose stored bytes cannot be read or no longer match their digest is left out
// (verify reports the damage). Its capture time is the signed record's WARC-Date, not the row's.
#pragma once

#include <cstddef>
#include <filesystem>
#include <vector>

#include "core/types.hpp"
#include "record/vouch.hpp"
#include "store/db.hpp"

namespace provcheck {

// At most `limit` versions, newest first, none with `current`'s payload digest.
[[nodiscard]] std::vector<Capture> stored_versions(Database& db, ArchiveVouch& vouch,
                                                   const std::filesystem::path& warc_dir, const Capture& current,
                                                   std::size_t limit);

}  // namespace provcheck
