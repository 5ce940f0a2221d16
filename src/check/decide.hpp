// A claim's verdict from its candidate sources as read (verdict assembly, DESIGN.md "Verdicts"): the best
// passage over every candidate and every stored version of it decides; what no alignment can say
// (unsourced, source_unavailable, source_restricted) is decided here from how the sources were obtained.
// A plain function over plain data: no network, no files, no clock.
#pragma once

#include <string>
#include <vector>

#include "align/align.hpp"
#include "check/source_text.hpp"
#include "model/result.hpp"

namespace provcheck {

// One candidate as read: this run's capture and, newest first, other versions the workspace holds for its URL.
struct CandidateText {
    std::string reason;
    const SourceText* current = nullptr;      // never null
    std::vector<const SourceText*> versions;  // readable ones only
};

// - no candidate: unsourced;
// - no candidate readable: source_unavailable, the source being the first failed capture (a capture that
//   succeeded but holds no text gets the failure "the source holds no readable text");
// - the best match not_found while some readable candidate was partial: source_restricted;
// - otherwise the best match's verdict. When a candidate had several versions, the claim lists them all
//   (which matched, which is current); an earlier version that decides is added to the candidates, so that the
//   record names it as a subject.
[[nodiscard]] ClaimResult decide(const Claim& claim, const std::vector<CandidateText>& candidates,
                                 const MatchingRules& rules);

}  // namespace provcheck
