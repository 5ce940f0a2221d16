#include "check/decide.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "check/sources.hpp"
#include "core/text.hpp"

namespace provcheck {

namespace {

bool holds_words(Verdict v) noexcept {
    return v == Verdict::verbatim || v == Verdict::elided || v == Verdict::minor_variation;
}

// The page's publisher speaks for itself: "the NYT reported “…”" of an NYT page quoting someone is no
// misattribution, nor a quotation that its own outlet is named for.
bool speaker_is_publisher(const SourceText& source, const Claim& claim, const RuleSet& rules) {
    if (published_by_speaker(source, claim, rules)) return true;
    const Outlet* page = rules.outlet_for_url(source.capture().final_url);
    if (page == nullptr) return false;
    return page == rules.find_outlet(claim.speaker);
}

}  // namespace

bool published_by_speaker(const SourceText& source, const Claim& claim, const RuleSet& rules) {
    for (const std::string* page_name : {&source.site_name(), &source.publisher()}) {
        if (page_name->empty()) continue;
        for (const std::string* name : {&claim.speaker, &claim.outlet}) {
            if (name->empty()) continue;
            if (same_name(*page_name, *name)) return true;
            const Outlet* o = rules.find_outlet(*name);
            if (o != nullptr && o == rules.find_outlet(*page_name)) return true;
        }
    }
    return false;
}

ClaimResult decide(const Claim& claim, const std::vector<CandidateText>& candidates, const CheckRules& rules,
                   const AttributionLookups* lookups) {
    ClaimResult r;
    r.claim = claim;
    if (candidates.empty()) {
        r.verdict = Verdict::unsourced;
        return r;
    }
    // The strength of each candidate's tie (0 strongest), with pages published by the speaker tied to the speaker.
    auto strength = [](SourceTie t) {
        return t == SourceTie::bound || t == SourceTie::beside ? 0 : t == SourceTie::cited ? 2 : 1;
    };
    std::vector<int> tier(candidates.size());
    std::vector<std::string> reasons(candidates.size());
    int strongest = 2;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const CandidateText& cand = candidates[i];
        tier[i] = strength(cand.tie);
        reasons[i] = cand.reason;
        if (tier[i] == 2 && cand.current->readable() && published_by_speaker(*cand.current, claim, rules.rules)) {
            tier[i] = 1;
            const SourceText& s = *cand.current;
            reasons[i] =
                fmt::format("{}, published by {}", cand.reason, s.site_name().empty() ? s.publisher() : s.site_name());
        }
        strongest = std::min(strongest, tier[i]);
    }
    std::vector<char> silent;  // per entry of r.candidates: a weaker tie that does not hold the words
    bool any_counted = false;  // a candidate of the strongest tie was read, or another one holds the words
    bool any_partial = false;
    const SourceText* matched = nullptr;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const CandidateText& cand = candidates[i];
        const SourceText& s = *cand.current;
        r.candidates.push_back(s.capture());
        silent.push_back(0);
        const std::string& reason = reasons[i];
        const bool decisive = tier[i] == strongest && strongest < 2;
        if (!s.readable() && cand.versions.empty()) {
            if (decisive && !r.source && !any_counted) {
                r.source = s.capture();
                r.source_reason = reason;
            }
            continue;
        }
        // This run's capture first (when it could be read), then what earlier runs stored for the same URL and
        // archived copies of it; the best passage across all of them decides, and the report says which version
        // it was.
        std::vector<std::pair<const SourceText*, Match>> tried;
        if (s.readable()) tried.emplace_back(&s, s.align(claim.quote, rules.matching));
        for (const SourceText* v : cand.versions)
            tried.emplace_back(v, v->align(claim.quote, rules.matching));
        std::size_t best = 0;
        for (std::size_t k = 1; k < tried.size(); ++k) {
            if (better_match(tried[k].second, tried[best].second)) best = k;
        }
        // A source of a weaker tie says nothing of words it does not hold.
        if (!decisive && tried[best].second.verdict == Verdict::not_found) {
            silent.back() = 1;
            continue;
        }
        if (decisive && s.partial()) {
            any_partial = true;
            if (r.restriction.empty()) r.restriction = s.restriction();
        }
        if (!any_counted || better_match(tried[best].second, *r.match)) {
            r.match = tried[best].second;
            r.source = tried[best].first->capture();
            r.source_reason = reason;
            matched = tried[best].first;
            r.versions.clear();
            if (tried.size() > 1) {
                for (std::size_t k = 0; k < tried.size(); ++k) {
                    const Capture& c = tried[k].first->capture();
                    r.versions.push_back(SourceVersion{
                        c.final_url, c.fetched_at, c.payload_sha256, tried[k].second.verdict, tried[k].second.score,
                        k == best, tried[k].first == &s, c.archived ? c.archived->archived_at : std::string()});
                }
            }
            // An earlier version that decides the verdict is evidence too: its capture becomes a subject.
            if (tried[best].first != &s) {
                r.candidates.push_back(tried[best].first->capture());
                silent.push_back(0);
            }
        }
        any_counted = true;
    }
    if (any_counted) {
        // Sources the article merely cites that do not hold the words say nothing of a claim that a source settled:
        // its candidates (and its record's subjects) are the sources that decided it or are tied to its speaker.
        // A claim no source settles keeps every source tried, which is what explains its verdict.
        std::vector<Capture> kept;
        kept.reserve(r.candidates.size());
        for (std::size_t k = 0; k < r.candidates.size(); ++k) {
            if (silent[k] == 0) kept.push_back(std::move(r.candidates[k]));
        }
        r.candidates = std::move(kept);
    }
    if (!any_counted) {
        if (strongest == 2) {
            // Only sources the article cites elsewhere were tried, and none holds the words.
            r.verdict = Verdict::unsourced;
            r.source.reset();
            r.source_reason.clear();
            return r;
        }
        r.verdict = Verdict::source_unavailable;
        if (r.source && r.source->ok()) {
            // Fetched, but nothing in it can hold text (an image, an empty page).
            r.source->failure = CaptureFailure{FailureClass::io, "the source holds no readable text"};
        }
        return r;
    }
    if (r.match->verdict == Verdict::not_found && any_partial) {
        r.verdict = Verdict::source_restricted;
        return r;
    }
    r.restriction.clear();
    r.verdict = r.match->verdict;
    if (matched != nullptr && r.match->verdict != Verdict::not_found) {
        std::optional<AttributionLookups> own;
        if (lookups == nullptr) lookups = &own.emplace(rules.rules, rules.attribution);
        r.source_speaker = matched->speaker_of(*r.match, *lookups);
        // (An inferred speaker, whom no words of the article name, is no attribution a source can contradict.)
        if (!r.source_speaker.empty() && !claim.speaker.empty() && !claim.speaker_inferred && holds_words(r.verdict) &&
            // A speaker described and not named ("a senior official", "the chief"), in the article or the source,
            // may be anyone a name stands for: no name contradicts it.
            !described_speaker(claim.speaker, rules.attribution) &&
            !described_speaker(r.source_speaker, rules.attribution) &&
            !same_speaker(r.source_speaker, claim.speaker, rules.attribution.titles) &&
            !speaker_is_publisher(*matched, claim, rules.rules)) {
            r.verdict = Verdict::misattributed;
        }
    }
    return r;
}

}  // namespace provcheck
