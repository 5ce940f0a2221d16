// Which sources a claim is checked against (DESIGN.md "Which sources a claim is checked against"), decided
// from the claim, the article's resolved links and the --source bindings alone: no network, no files.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "check/options.hpp"
#include "model/result.hpp"
#include "rules/rules.hpp"

namespace provcheck {

struct Candidate {
    std::string url;     // http(s) URL, or a local path bound with --source
    std::string reason;  // why it is a candidate, as the report says it
};

// Whether a --source binding applies to the claim: an unnamed one always; a named one when the name is the
// claim's speaker or outlet, or an alias of the same outlet (rules/outlets.toml), ignoring case and "the".
[[nodiscard]] bool binding_applies(const SourceBinding& binding, const Claim& claim, const RuleSet& rules);

// Where the oEmbed answer for a post is asked (rules/sites/*.toml [oembed]); nullopt when no rule matches.
[[nodiscard]] std::optional<std::string> oembed_url(const RuleSet& rules, std::string_view status_url);

// The claim's candidate sources, in order, each URL once: an embed's oEmbed answer; links beside the
// quotation; links of the article (after unshortening) to the attributed outlet's domains; --source bindings.
[[nodiscard]] std::vector<Candidate> candidates_for(const Claim& claim, const ArticleResult& article,
                                                    const std::vector<SourceBinding>& bindings, const RuleSet& rules);

}  // namespace provcheck
