// Which sources a claim is checked against (DESIGN.md "Which sources a claim is checked against"), decided
// from the claim, the article's text, its resolved links and the --source bindings alone: no network, no files.
//
// In order, each URL once: --source bindings that apply; links beside the quotation (its paragraph and the one
// introducing it); links tied to the speaker (of another quotation of the same speaker, in a sentence or anchor
// text naming the speaker, to a site named after the speaker); links to the attributed outlet's domains (after
// unshortening); then, for quotations long enough not to match by chance, the article's other cited sources,
// nearest first. All but the last are tied to the speaker: one of them that does not hold the words makes the
// claim not_found. The last are tried for the words alone (check/decide.hpp). rules/sources.toml holds the bounds.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "check/options.hpp"
#include "check/source_rules.hpp"
#include "model/result.hpp"
#include "rules/rules.hpp"

namespace provcheck {

// How a candidate is tied to the claim, in the order candidates are listed.
enum class SourceTie { bound, beside, speaker, outlet, cited };

struct Candidate {
    std::string url;     // http(s) URL, or a local path bound with --source
    std::string reason;  // why it is a candidate, as the report says it
    SourceTie tie = SourceTie::beside;
    [[nodiscard]] bool tied() const noexcept { return tie != SourceTie::cited; }
};

// Whether a --source binding applies to the claim: an unnamed one always; a named one when the name is the
// claim's speaker or outlet, or an alias of the same outlet (rules/outlets.toml), ignoring case and "the".
[[nodiscard]] bool binding_applies(const SourceBinding& binding, const Claim& claim, const RuleSet& rules);

// Where the oEmbed answer for a post is asked (rules/sites/*.toml [oembed]); nullopt when no rule matches.
[[nodiscard]] std::optional<std::string> oembed_url(const RuleSet& rules, std::string_view status_url);

// Whether `speaker` (a person or organisation as printed) is named in `text`: the whole name, ignoring case and a
// leading "the", or, for a name of several words, its last word capitalised as printed (at least
// rules.surname_min_letters letters), each as whole words.
[[nodiscard]] bool names_speaker(std::string_view text, std::string_view speaker, const SourceRules& rules);

// Whether a host is named after `name` (rules/sources.toml [organisation]): "www.kestrel-institute.example" for
// "Kestrel Institute", "norlandwater.example" for "Norland Water Authority".
[[nodiscard]] bool host_named_after(std::string_view host, std::string_view name, const SourceRules& rules);

// Whether two names printed for a speaker are the same speaker: equal ignoring case, "the" and titles ("Dr",
// "Sen."), or one is the other's last word ("Osei", "Amara Osei").
[[nodiscard]] bool same_speaker(std::string_view a, std::string_view b, const std::vector<std::string>& titles);

// What candidates_for reads of one article, worked out once for all its claims: its links by the outlet they
// lead to, and its main-text links with where they stand and where they lead.
class ArticleSources {
public:
    // `article` holds the document and, when the links were followed, their captures; `claims` are the
    // article's claims. Both must outlive this object.
    ArticleSources(const ArticleResult& article, const std::vector<Claim>& claims, const RuleSet& rules);

    // The claim's candidate sources, in the order above, each URL once.
    [[nodiscard]] std::vector<Candidate> candidates_for(const Claim& claim, const std::vector<SourceBinding>& bindings,
                                                        const RuleSet& rules, const SourceRules& source_rules) const;

    // At most this many links to the claim's outlet become its candidates: a real article links an outlet a few
    // times, and a page of thousands of such links must not make every claim align with each.
    static constexpr std::size_t max_outlet_candidates = 32;

private:
    struct CitedLink {
        const Link* link;
        std::string host;     // of where it leads (after unshortening when the link was followed)
        std::string context;  // its anchor text and the sentence it stands in (at most max_context_bytes of it)
    };
    // A link's sentence is read this far on each side: a paragraph of megabytes must not make each claim scan it.
    static constexpr std::size_t max_context_bytes = 400;
    void speaker_links(const Claim& claim, const SourceRules& rules, std::vector<Candidate>& out) const;
    [[nodiscard]] std::string sentence_of(const Link& link) const;

    const ArticleResult& article_;
    const std::vector<Claim>& claims_;
    std::map<const Outlet*, std::vector<const std::string*>> by_outlet_;
    std::vector<CitedLink> cited_;  // http(s) links of the main text, in reading order
};

}  // namespace provcheck
