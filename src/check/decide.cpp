#include "check/decide.hpp"

#include <utility>

namespace provcheck {

ClaimResult decide(const Claim& claim, const std::vector<CandidateText>& candidates, const MatchingRules& rules) {
    ClaimResult r;
    r.claim = claim;
    if (candidates.empty()) {
        r.verdict = Verdict::unsourced;
        return r;
    }
    bool any_readable = false;
    bool any_partial = false;
    for (const auto& cand : candidates) {
        const SourceText& s = *cand.current;
        r.candidates.push_back(s.capture());
        if (!s.readable()) {
            if (!r.source && !any_readable) {
                r.source = s.capture();
                r.source_reason = cand.reason;
            }
            continue;
        }
        any_partial = any_partial || s.partial();
        // This run's capture first, then what earlier runs stored for the same URL; the best passage across
        // all of them decides, and the report says which version it was.
        std::vector<std::pair<const SourceText*, Match>> tried;
        tried.emplace_back(&s, s.align(claim.quote, rules));
        for (const SourceText* v : cand.versions)
            tried.emplace_back(v, v->align(claim.quote, rules));
        std::size_t best = 0;
        for (std::size_t i = 1; i < tried.size(); ++i) {
            if (better_match(tried[i].second, tried[best].second)) best = i;
        }
        if (!any_readable || better_match(tried[best].second, *r.match)) {
            r.match = tried[best].second;
            r.source = tried[best].first->capture();
            r.source_reason = cand.reason;
            r.versions.clear();
            if (tried.size() > 1) {
                for (std::size_t i = 0; i < tried.size(); ++i) {
                    const Capture& c = tried[i].first->capture();
                    r.versions.push_back(SourceVersion{c.final_url, c.fetched_at, c.payload_sha256,
                                                       tried[i].second.verdict, tried[i].second.score, i == best,
                                                       i == 0});
                }
            }
            // An earlier version that decides the verdict is evidence too: its capture becomes a subject.
            if (best != 0) r.candidates.push_back(tried[best].first->capture());
        }
        any_readable = true;
    }
    if (!any_readable) {
        r.verdict = Verdict::source_unavailable;
        if (r.source && r.source->ok()) {
            // Fetched, but nothing in it can hold text (an image, an empty page).
            r.source->failure = CaptureFailure{FailureClass::io, "the source holds no readable text"};
        }
    } else if (r.match->verdict == Verdict::not_found && any_partial) {
        r.verdict = Verdict::source_restricted;
    } else {
        r.verdict = r.match->verdict;
    }
    return r;
}

}  // namespace provcheck
