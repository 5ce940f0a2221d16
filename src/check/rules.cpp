#include "check/rules.hpp"

namespace provcheck {

Result<CheckRules> check_rules(RuleSet rules) {
    CheckRules out;
    auto attribution = load_attribution_rules(rules);
    if (!attribution) return std::unexpected(attribution.error());
    auto matching = parse_matching_rules(rules.table("matching.toml"));
    if (!matching) return std::unexpected(matching.error());
    auto sites = load_site_rules(rules);
    if (!sites) return std::unexpected(sites.error());
    auto challenges = parse_challenge_rules(rules.table("challenges.toml"));
    if (!challenges) return std::unexpected(challenges.error());
    auto sources = parse_source_rules(rules.table("sources.toml"));
    if (!sources) return std::unexpected(sources.error());
    out.rules = std::move(rules);
    out.sources = std::move(*sources);
    out.attribution = std::move(*attribution);
    out.matching = std::move(*matching);
    out.sites = std::move(*sites);
    out.challenges = std::move(*challenges);
    return out;
}

Result<CheckRules> load_check_rules(const std::optional<std::filesystem::path>& extra_dir) {
    auto rules = load_rules(extra_dir);
    if (!rules) return std::unexpected(rules.error());
    return check_rules(std::move(*rules));
}

}  // namespace provcheck
