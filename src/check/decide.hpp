// A claim's verdict from its candidate sources as read (verdict assembly, DESIGN.md "Verdicts"): the best
// passage over every candidate and every stored version of it decides; what no alignment can say
// (unsourced, source_unavailable, source_restricted, misattributed) is decided here from how the sources were
// obtained and what their passages say of who spoke. A plain function over plain data: no network, no files, no
// clock.
#pragma once

#include <string>
#include <vector>

#include "check/rules.hpp"
#include "check/source_text.hpp"
#include "check/sources.hpp"
#include "model/result.hpp"

namespace provcheck {

// One candidate as read: this run's capture and, newest first, other versions the workspace holds for its URL,
// then archived copies of it (Memento). When this run's capture could not be read, the versions alone are
// aligned.
struct CandidateText {
    std::string reason;
    const SourceText* current = nullptr;      // never null
    std::vector<const SourceText*> versions;  // readable ones only
    // How it is tied to the claim (check/sources.hpp). Ties come in three strengths: bound by --source or beside
    // the quotation; tied to the speaker or the outlet; only cited elsewhere in the article (a page that says it
    // is published by the speaker counts as tied to the speaker). The strongest present decides what a source
    // that does not hold the words means (not_found, or source_unavailable when none of them could be read);
    // weaker candidates count only when they hold the words.
    SourceTie tie = SourceTie::beside;
};

// Whether a page says it is published by the claim's speaker or outlet (its og:site_name or JSON-LD
// publisher names them, or names the same outlet of rules/outlets.toml).
[[nodiscard]] bool published_by_speaker(const SourceText& source, const Claim& claim, const RuleSet& rules);

// - no candidate: unsourced;
// - nothing holds the words and only cited candidates were tried: unsourced (the sources tried are listed, none
//   is the claim's source);
// - nothing holds the words and no candidate of the strongest tie could be read: source_unavailable, the source
//   being the first failed capture of that tie (a capture that succeeded but holds no text gets the failure "the
//   source holds no readable text");
// - the best match not_found while some readable candidate of the strongest tie was partial: source_restricted;
// - the best match verbatim, elided or minor_variation while the source's passage gives the words to someone
//   other than the claim's speaker (SourceText::speaker_of; not when the speaker is the page's publisher, who
//   may quote others): misattributed, with the source's speaker in ClaimResult::source_speaker;
// - otherwise the best match's verdict. When a candidate had several versions, the claim lists them all
//   (which matched, which is current); an earlier version that decides is added to the candidates, so that the
//   record names it as a subject.
// `lookups` are the attribution look-ups built from `rules` once for a run (attribute/attribute.hpp); without
// them, one is built for the call.
[[nodiscard]] ClaimResult decide(const Claim& claim, const std::vector<CandidateText>& candidates,
                                 const CheckRules& rules, const AttributionLookups* lookups = nullptr);

}  // namespace provcheck
