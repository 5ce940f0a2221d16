#include "align/align.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "align/index.hpp"
#include "align/quote.hpp"
#include "align/verdict.hpp"
#include "align/window.hpp"

namespace provcheck {

namespace align {

namespace {

// ---------------------------------------------------------------------------------------------
// Segments found on their own: out of order, or stitched from far-apart passages.

ParsedQuote segment_quote(const ParsedQuote& pq, std::size_t b, std::size_t e) {
    ParsedQuote sub;
    sub.text = pq.text;
    sub.tokens.assign(pq.tokens.begin() + static_cast<std::ptrdiff_t>(b),
                      pq.tokens.begin() + static_cast<std::ptrdiff_t>(e));
    if (!sub.tokens.empty()) {
        sub.tokens.front().segment_first = true;
        sub.tokens.front().sentence_start = true;
    }
    return sub;
}

struct Placement {
    std::size_t first = 0;  // source tokens [first, last]
    std::size_t last = 0;
    Evaluation eval;
};

std::optional<Match> explain_segments(const ParsedQuote& pq, const SourceIndex& index, const MatchingRules& rules) {
    const auto segments = segments_of(pq);
    std::vector<Placement> placements;
    for (const auto& [b, e] : segments) {
        const ParsedQuote sub = segment_quote(pq, b, e);
        auto a = best_alignment(sub, index, rules);
        if (!a) return std::nullopt;
        Evaluation ev = evaluate(sub, index, *a, rules);
        if (ev.word_differences || ev.match.score < 1.0 || ev.first == npos) return std::nullopt;
        placements.push_back(Placement{ev.first, ev.last, std::move(ev)});
    }

    const std::size_t bound = rules.elision_max_span_words;
    bool stitched = false;
    bool reordered = false;
    for (std::size_t k = 1; k < placements.size(); ++k) {
        const Placement& p = placements[k - 1];
        const Placement& c = placements[k];
        const std::size_t limit = pq.joints[k - 1].limit;
        if (c.first > p.last) {
            stitched = stitched || c.first - p.last - 1 > limit;
        } else {
            reordered = true;
            const std::size_t distance = p.first > c.last ? p.first - c.last - 1 : 0;
            stitched = stitched || distance > bound;
        }
    }
    if (!stitched && !reordered) {
        // In order and close enough: align the whole quotation over the stretch the segments cover.
        const std::size_t slack = rules.window_slack_words;
        const std::size_t lo = placements.front().first > slack ? placements.front().first - slack : 0;
        const std::size_t hi = std::min(index.size(), placements.back().last + 1 + slack);
        Alignment a = align_in_window(pq, index, Window{lo, hi});
        Evaluation ev = evaluate(pq, index, a, rules);
        if (!ev.word_differences) return std::move(ev.match);
        return std::nullopt;
    }

    Match m;
    const DiffKind kind = stitched ? DiffKind::stitched : DiffKind::order;
    m.verdict = Verdict::altered;
    m.decided_by = stitched ? "elision.max_span_words" : "elision.segments_in_order";
    m.score = 1.0;
    std::size_t first = placements.front().first;
    std::size_t last = placements.front().last;
    if (!stitched) {
        for (const auto& p : placements) {
            first = std::min(first, p.first);
            last = std::max(last, p.last);
        }
    }
    set_passage(m, index, first, last, rules);
    for (std::size_t k = 0; k < placements.size(); ++k) {
        for (const auto& d : placements[k].eval.match.differences)
            m.differences.push_back(d);
        if (k == 0) continue;
        const Placement& p = placements[k - 1];
        const Placement& c = placements[k];
        const Joint& j = pq.joints[k - 1];
        const bool in_place = c.first > p.last && c.first - p.last - 1 <= j.limit;
        const std::string seg_text = quote_span(pq, segments[k].first, segments[k].second - 1);
        if (in_place) {
            if (j.elision) m.elisions.push_back(Elision{j.marker, source_between(index, p.last + 1, c.first), false});
            continue;
        }
        m.differences.push_back(Difference{"elided", seg_text, source_span(index, c.first, c.last), kind, true});
        if (j.elision) m.elisions.push_back(Elision{j.marker, std::string{}, true});
    }
    m.insertions = pq.insertions;
    return m;
}

// The token starting at byte `at` of the source, or npos when no token starts there.
std::size_t token_starting_at(const SourceIndex& index, std::size_t at) {
    const auto& cps = index.checkpoints;
    const auto it = std::upper_bound(cps.begin(), cps.end(), at);
    if (it == cps.begin()) return npos;
    const std::size_t lo = static_cast<std::size_t>(it - cps.begin() - 1) * SourceIndex::checkpoint_every;
    const auto toks = index.tokens(lo, lo + SourceIndex::checkpoint_every);
    for (std::size_t k = 0; k < toks.size(); ++k) {
        if (toks[k].start == at) return lo + k;
    }
    return npos;
}

// A quotation whose best passage differs only in punctuation or case may be printed exactly somewhere else in
// the source, as common words often are ("hofi. Hofi" found first as "hofi hofi"): the exact occurrence wins.
std::optional<Match> exact_elsewhere(const ParsedQuote& pq, const SourceIndex& index, const MatchingRules& rules) {
    const std::string_view words =
        pq.text.substr(pq.tokens.front().start, pq.tokens.back().end - pq.tokens.front().start);
    const std::size_t at = index.text.find(words);
    if (at == std::string_view::npos) return std::nullopt;
    const std::size_t first = token_starting_at(index, at);
    if (first == npos) return std::nullopt;
    const std::size_t slack = rules.window_slack_words;
    const Window w{first > slack ? first - slack : 0, std::min(index.size(), first + pq.tokens.size() + slack)};
    Evaluation ev = evaluate(pq, index, align_in_window(pq, index, w), rules);
    if (ev.first == npos || ev.match.verdict != Verdict::verbatim) return std::nullopt;
    return std::move(ev.match);
}

// A joint alignment whose only differences are typographic or hidden by elisions is the answer; one with
// changed words may still be explained better by its segments found apart.
bool settled(const Evaluation& ev) {
    return ev.first != npos && !ev.word_differences;
}

}  // namespace

}  // namespace align

// ---------------------------------------------------------------------------------------------

PreparedSource::PreparedSource(std::string_view source_text, MatchingRules rules)
    : rules_(std::move(rules)), index_(std::make_unique<align::SourceIndex>(source_text, rules_)) {}
PreparedSource::~PreparedSource() = default;
PreparedSource::PreparedSource(PreparedSource&&) noexcept = default;
PreparedSource& PreparedSource::operator=(PreparedSource&&) noexcept = default;

std::string_view PreparedSource::text() const noexcept {
    return index_->text;
}
std::size_t PreparedSource::word_count() const noexcept {
    return index_->size();
}
std::size_t PreparedSource::memory_bytes() const noexcept {
    return index_->memory_bytes();
}

Match align_quote(std::string_view quote, const PreparedSource& source) {
    using namespace align;
    const SourceIndex& index = source.index();
    const MatchingRules& rules = source.rules();
    Match none;
    none.verdict = Verdict::not_found;
    const ParsedQuote pq = parse_quote(quote, index, rules);
    if (pq.tokens.empty()) {
        none.decided_by = "input.quote_without_words";
        return none;
    }
    if (index.size() == 0) {
        none.decided_by = "input.source_without_words";
        return none;
    }
    if (pq.tokens.size() > rules.max_quote_words) {
        none.decided_by = "matching.max_quote_words";
        return none;
    }
    none.decided_by = "matching.altered_min_score";

    std::optional<Evaluation> joint;
    if (auto a = best_alignment(pq, index, rules)) joint = evaluate(pq, index, *a, rules);
    if (joint && settled(*joint)) {
        if (joint->match.verdict == Verdict::minor_variation && pq.joints.empty()) {
            if (auto exact = exact_elsewhere(pq, index, rules)) return std::move(*exact);
        }
        return std::move(joint->match);
    }
    if (!pq.joints.empty()) {
        if (auto explained = explain_segments(pq, index, rules)) return std::move(*explained);
    }
    if (joint) return std::move(joint->match);
    return none;
}

Match align_quote(std::string_view quote, std::string_view source_text, const MatchingRules& rules) {
    const PreparedSource prepared(source_text, rules);
    return align_quote(quote, prepared);
}

bool better_match(const Match& a, const Match& b) noexcept {
    auto rank = [](Verdict v) noexcept {
        switch (v) {
            case Verdict::verbatim:
                return 0;
            case Verdict::elided:
                return 1;
            case Verdict::minor_variation:
                return 2;
            case Verdict::altered:
            case Verdict::misattributed:
                return 3;
            case Verdict::source_restricted:
                return 4;
            case Verdict::not_found:
                return 5;
            case Verdict::source_unavailable:
                return 6;
            case Verdict::unsourced:
                return 7;
        }
        return 8;
    };
    if (rank(a.verdict) != rank(b.verdict)) return rank(a.verdict) < rank(b.verdict);
    return a.score > b.score;
}

}  // namespace provcheck
