// Which sources a claim is checked against (DESIGN.md "Which sources a claim is checked against"), decided
// from the claim, the article's resolved links and the --source bindings alone: no network, no files.
#pragma once

#include <cstddef>
#include <map>
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

// The article's links by the outlet they lead to (after unshortening) or name, in reading order: worked out
// once per article rather than once per claim.
using OutletLinks = std::map<const Outlet*, std::vector<const std::string*>>;
[[nodiscard]] OutletLinks outlet_links(const ArticleResult& article, const RuleSet& rules);

// At most this many links to the claim's outlet become its candidates: a real article links an outlet a few
// times, and a page of thousands of such links must not make every claim align with each.
inline constexpr std::size_t max_outlet_candidates = 32;

// The claim's candidate sources, in order, each URL once: an embed's oEmbed answer; links beside the
// quotation; links of the article to the attributed outlet (the first max_outlet_candidates); --source
// bindings. `links` is outlet_links() of the claim's article, and must outlive the result's use.
[[nodiscard]] std::vector<Candidate> candidates_for(const Claim& claim, const OutletLinks& links,
                                                    const std::vector<SourceBinding>& bindings, const RuleSet& rules);

}  // namespace provcheck
