#include "align/quote.hpp"

#include <algorithm>
#include <array>

#include "align/normalize.hpp"

namespace provcheck::align {

namespace {

struct RawJoint {
    std::size_t start = 0;
    std::size_t end = 0;
    bool elision = true;
    std::string marker;
    std::string insertion;
};

bool only_dots(std::string_view s) {
    bool any = false;
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] == '.') {
            any = true;
            ++i;
        } else if (s[i] == ' ') {
            ++i;
        } else if (s.substr(i).starts_with("…")) {
            any = true;
            i += std::string_view("…").size();
        } else {
            return false;
        }
    }
    return any;
}

// The editor's marks in a quotation, in order: elision markers and bracketed insertions (RawJoint), and the
// brackets of editorial letters inside a word, which are masked so that the word is compared without them.
struct Marks {
    std::vector<RawJoint> raw;
    std::vector<std::pair<std::size_t, std::string>> inword;  // (position, text) of in-word insertions
    std::vector<std::pair<std::size_t, std::size_t>> inword_ranges;
};

Marks find_marks(std::string_view quote, const MatchingRules& rules, ByteMask& mask) {
    Marks marks;
    std::vector<std::string> markers = rules.elision_markers;
    std::stable_sort(markers.begin(), markers.end(),
                     [](const std::string& a, const std::string& b) { return a.size() > b.size(); });

    // Only a byte that starts some marker is worth comparing markers at: most bytes of a quotation start none.
    std::array<bool, 256> starts_marker{};
    for (const auto& m : markers)
        if (!m.empty()) starts_marker[static_cast<unsigned char>(m.front())] = true;

    for (std::size_t pos = 0; pos < quote.size();) {
        const std::string_view rest = quote.substr(pos);
        auto marker = markers.end();
        if (starts_marker[static_cast<unsigned char>(quote[pos])]) {
            marker = std::find_if(markers.begin(), markers.end(),
                                  [&](const std::string& m) { return !m.empty() && rest.starts_with(m); });
        }
        if (marker != markers.end()) {
            marks.raw.push_back(RawJoint{pos, pos + marker->size(), true, *marker, {}});
            pos += marker->size();
            continue;
        }
        if (quote[pos] == '[') {
            const std::size_t close = quote.find_first_of("[]", pos + 1);
            if (close != std::string_view::npos && quote[close] == ']') {
                const std::string content = clean_copy(quote.substr(pos + 1, close - pos - 1));
                const bool standalone = !word_char_before(quote, pos) && !word_char_at(quote, close + 1);
                if (only_dots(content)) {
                    marks.raw.push_back(
                        RawJoint{pos, close + 1, true, std::string(quote.substr(pos, close + 1 - pos)), {}});
                } else if (standalone) {
                    marks.raw.push_back(
                        RawJoint{pos, close + 1, false, std::string(quote.substr(pos, close + 1 - pos)), content});
                } else {
                    // "[T]he", "Israel[i]": an editorial letter inside a word; the word is compared without
                    // the brackets and its capitalisation is the editor's.
                    mask[pos] = true;
                    mask[close] = true;
                    marks.inword.emplace_back(pos, content);
                    marks.inword_ranges.emplace_back(pos, close + 1);
                }
                pos = close + 1;
                continue;
            }
        }
        ++pos;
    }
    return marks;
}

// The quotation's own words: the tokens outside every joint.
std::vector<Token> quote_words(std::string_view quote, const std::vector<RawJoint>& raw, ByteMask& mask) {
    std::vector<Token> toks;
    for (const auto& j : raw) {
        // Tokens never straddle a joint: a marker's bytes are punctuation, an insertion's are skipped.
        for (std::size_t k = j.start; k < j.end; ++k)
            mask[k] = mask[k] || !j.elision;
    }
    for (auto& t : tokenize(quote, mask)) {
        // A word inside an insertion is the editor's; one overlapping a mark (a marker of letters set in the
        // rules) is the mark.
        const bool in_joint =
            std::any_of(raw.begin(), raw.end(), [&](const RawJoint& j) { return t.start < j.end && t.end > j.start; });
        if (!in_joint) toks.push_back(std::move(t));
    }
    return toks;
}

// The joints between words, each with the most source words it may stand for, and every insertion in order.
// Marks next to each other make one joint; a mark before the first or after the last word stands for nothing.
void place_joints(ParsedQuote& pq, const Marks& marks, const std::vector<Token>& toks, const MatchingRules& rules) {
    const std::string_view quote = pq.text;
    const std::size_t n = toks.size();
    std::size_t next_inword = 0;
    auto flush_inword_before = [&](std::size_t pos) {
        while (next_inword < marks.inword.size() && marks.inword[next_inword].first < pos) {
            pq.insertions.push_back(marks.inword[next_inword++].second);
        }
    };
    for (const auto& j : marks.raw) {
        flush_inword_before(j.start);
        if (!j.elision) {
            pq.insertions.push_back(j.insertion);
            ++pq.standalone_insertions;
        }
        const std::size_t after = static_cast<std::size_t>(
            std::count_if(toks.begin(), toks.end(), [&](const Token& t) { return t.end <= j.start; }));
        if (after == 0 || after >= n) continue;  // a mark before the first or after the last word stands for nothing
        const std::size_t limit = j.elision ? rules.elision_max_span_words : rules.insertion_max_words;
        if (!pq.joints.empty() && pq.joints.back().after == after) {
            Joint& prev = pq.joints.back();
            prev.limit += limit;
            if (j.elision && !prev.elision) {
                prev.elision = true;
                prev.marker = j.marker;
            }
            continue;
        }
        pq.joints.push_back(Joint{after, j.elision, j.marker, j.insertion, limit, j.start, j.end});
    }
    flush_inword_before(quote.size() + 1);
}

// Each word as the alignment compares it: its id in the source's index (for "believe[s]", the id of the word
// without the editor's letters when only that one is in the source), and whether it is a number, a negation, or
// the first word of a segment or a sentence.
void describe_words(ParsedQuote& pq, std::vector<Token>& toks, const ByteMask& mask, const Marks& marks,
                    const SourceIndex& index) {
    const std::string_view quote = pq.text;
    const std::size_t n = toks.size();
    std::size_t next_joint = 0;
    for (std::size_t i = 0; i < n; ++i) {
        Token& t = toks[i];
        QuoteToken q;
        q.start = t.start;
        q.end = t.end;
        q.editorial = t.editorial;
        const Folded f = fold_token(quote.substr(t.start, t.end - t.start), mask, t.start);
        q.shape = f.shape;
        q.raw_key = std::move(t.key);
        std::string canon = index.lexicon.canonical(q.raw_key);
        q.id = index.lookup(canon);
        if (q.editorial && q.id == no_id) {
            // "believe[s]": the editor added letters; the source may have the word without them.
            ByteMask without = mask;
            for (const auto& [b, e] : marks.inword_ranges) {
                for (std::size_t k = b; k < e; ++k)
                    without[k] = true;
            }
            const Folded alt = fold_token(quote.substr(t.start, t.end - t.start), without, t.start);
            const std::string alt_canon = index.lexicon.canonical(alt.key);
            if (const std::uint32_t alt_id = index.lookup(alt_canon); alt_id != no_id) {
                q.id = alt_id;
                q.shape = alt.shape;
                q.raw_key = alt.key;
                canon = alt_canon;
            }
        }
        q.number = canon.starts_with('#');
        q.negation = index.lexicon.is_negation(q.raw_key);
        while (next_joint < pq.joints.size() && pq.joints[next_joint].after < i)
            ++next_joint;
        q.segment_first = i == 0 || (next_joint < pq.joints.size() && pq.joints[next_joint].after == i);
        q.sentence_start = q.segment_first || at_sentence_start(quote, t.start);
        pq.tokens.push_back(std::move(q));
    }
}

}  // namespace

ParsedQuote parse_quote(std::string_view quote, const SourceIndex& index, const MatchingRules& rules) {
    ParsedQuote pq;
    pq.text = quote;
    ByteMask mask(quote.size(), false);
    const Marks marks = find_marks(quote, rules, mask);
    std::vector<Token> toks = quote_words(quote, marks.raw, mask);
    place_joints(pq, marks, toks, rules);
    describe_words(pq, toks, mask, marks, index);
    return pq;
}

std::vector<std::pair<std::size_t, std::size_t>> segments_of(const ParsedQuote& pq) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    std::size_t b = 0;
    for (const auto& j : pq.joints) {
        out.emplace_back(b, j.after);
        b = j.after;
    }
    out.emplace_back(b, pq.tokens.size());
    return out;
}

}  // namespace provcheck::align
