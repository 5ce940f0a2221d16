// The reports of `provcheck recheck` (model/recheck.hpp): text for a terminal, JSON for programs, HTML to
// read in a browser. Each lists the claims whose state changed first, with both checks' times, digests and
// the words that changed; unchanged claims are counted, and listed only when asked.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "model/recheck.hpp"

namespace provcheck {

// How many claims of each kind, over every article.
[[nodiscard]] std::map<ChangeKind, std::size_t> count_changes(const RecheckReport& report);

// `color`: ANSI colours for a terminal. `all`: list unchanged claims too.
[[nodiscard]] std::string recheck_text(const RecheckReport& report, bool color, bool all);
[[nodiscard]] nlohmann::json recheck_json(const RecheckReport& report);
[[nodiscard]] std::string recheck_html(const RecheckReport& report, bool all);

}  // namespace provcheck
