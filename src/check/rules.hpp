// The rules of a run, read once at its start: load_rules (built-in files, --rules DIR merged over them), then
// every stage's own reader over the merged result, so that any error in any file (a wrong type, an unknown
// key, a bad selector, a table where an array of tables is expected) stops the command with exit 3 and a
// message naming the file, the line and the key, before anything is fetched, instead of a stage quietly
// working without the rules it could not read. The rules module knows nothing of the stages; this is where
// they meet.
#pragma once

#include <filesystem>
#include <optional>

#include "align/align.hpp"
#include "attribute/attribute.hpp"
#include "capture/challenge.hpp"
#include "check/source_rules.hpp"
#include "core/error.hpp"
#include "extract/site_rules.hpp"
#include "rules/rules.hpp"

namespace provcheck {

struct CheckRules {
    RuleSet rules;
    AttributionRules attribution;  // attribution.toml
    MatchingRules matching;        // matching.toml
    SiteRules sites;               // sites/*.toml
    ChallengeRules challenges;     // challenges.toml
    SourceRules sources;           // sources.toml
};

// Runs every stage's reader over `rules` (outlets.toml and shorteners.toml were read by load_rules).
[[nodiscard]] Result<CheckRules> check_rules(RuleSet rules);

// load_rules(extra_dir), then check_rules.
[[nodiscard]] Result<CheckRules> load_check_rules(const std::optional<std::filesystem::path>& extra_dir);

}  // namespace provcheck
