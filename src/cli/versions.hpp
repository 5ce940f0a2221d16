// Earlier versions of a source: what the workspace archive holds for the same URL from earlier runs (an
// edited page, a page captured before by a --replay run) with another payload than this run's capture.
// The pipeline aligns a quotation with each and reports which version it matched and which differ.
//
// Never reaches the network; a version whose stored bytes cannot be read or no longer match their digest
// is left out (verify reports the damage; a version is not evidence unless it hashes right).
#pragma once

#include <cstddef>
#include <filesystem>
#include <vector>

#include "core/types.hpp"
#include "store/db.hpp"

namespace provcheck {

// At most `limit` versions, newest first, none with `current`'s payload digest.
[[nodiscard]] std::vector<Capture> stored_versions(Database& db, const std::filesystem::path& workspace,
                                                   const Capture& current, std::size_t limit);

}  // namespace provcheck
