#include "align/verdict.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "align/normalize.hpp"
#include "core/text.hpp"

namespace provcheck::align {

namespace {

struct SourceWord {
    std::string raw_key;
    std::string shape;
    bool capital_mid_sentence = false;
};

SourceWord describe_source(const SourceIndex& index, const SourceToken& t) {
    const Folded f = fold_token(index.text.substr(t.start, t.end - t.start));
    SourceWord w;
    w.raw_key = f.key;
    w.shape = f.shape;
    w.capital_mid_sentence = starts_with_capital(f.shape) && !at_sentence_start(index.text, t.start);
    return w;
}

// Text from `start` to `end`, with the period of an abbreviation ending in a one-letter word ("U.S.").
std::string words_text(std::string_view text, std::size_t start, std::size_t last_start, std::size_t end) {
    if (end - last_start == 1 && end < text.size() && text[end] == '.') ++end;
    return clean_copy(text.substr(start, end - start));
}

// What a mark stands for, without the punctuation the quotation kept on either side of it: "tide. (...)
// When" stands for the sentences between, not for the period after "tide".
std::string omitted_text(const ParsedQuote& pq, const Joint& j, std::string between) {
    const std::size_t before_end = pq.tokens[j.after - 1].end;
    const std::size_t after_start = pq.tokens[j.after].start;
    const std::string kept_before = fold_gap(pq.text.substr(before_end, j.start - before_end));
    const std::string kept_after = fold_gap(pq.text.substr(j.end, after_start - j.end));
    if (!kept_before.empty() && between.starts_with(kept_before))
        between = clean_copy(between.substr(kept_before.size()));
    if (!kept_after.empty() && between.ends_with(kept_after)) {
        between = clean_copy(between.substr(0, between.size() - kept_after.size()));
    }
    return between;
}

// Offsets of the aligned source words, recovered once: each would otherwise tokenise from its checkpoint.
// (ev.first moves when a spelling variant takes in neighbouring words: the spans keep their own origin.)
class PassageTokens {
public:
    PassageTokens(const SourceIndex& index, std::size_t first, std::size_t last)
        : index_(index), spans_from_(first), spans_(index.tokens(first, last + 1)) {}

    SourceToken operator()(std::size_t s) const {
        return s >= spans_from_ && s - spans_from_ < spans_.size() ? spans_[s - spans_from_] : index_.token(s);
    }

private:
    const SourceIndex& index_;
    std::size_t spans_from_;
    std::vector<SourceToken> spans_;
};

// The source words facing quoted words, [ev.first, ev.last]; npos when there are none.
void find_passage(const Alignment& a, Evaluation& ev) {
    for (const auto& o : a.ops) {
        if (o.kind == OpKind::match || o.kind == OpKind::substitute) {
            if (ev.first == npos) ev.first = o.s;
            ev.last = o.s;
        }
    }
}

std::vector<std::string> source_keys(const SourceIndex& index, const PassageTokens& source_token,
                                     const std::vector<std::size_t>& span) {
    std::vector<std::string> keys;
    for (std::size_t s : span)
        keys.push_back(describe_source(index, source_token(s)).raw_key);
    return keys;
}

// The keys of quoted words [span_q], as printed (before number words and listed spellings are folded).
std::vector<std::string> quote_keys(const ParsedQuote& pq, const std::vector<std::size_t>& span_q) {
    std::vector<std::string> out;
    for (std::size_t q : span_q)
        out.push_back(pq.tokens[q].raw_key);
    return out;
}

// Whether quoted keys and source keys are the same letters: the same once joined, listed spellings of each other,
// or the same without diacritics.
bool alike(const SourceIndex& index, const std::vector<std::string>& qk, const std::vector<std::string>& sk) {
    auto concat = [](const std::vector<std::string>& v) {
        std::string out;
        for (const auto& x : v)
            out += x;
        return out;
    };
    return !qk.empty() && !sk.empty() &&
           (concat(qk) == concat(sk) || index.lexicon.same_spelling(qk, sk) ||
            strip_marks(concat(qk)) == strip_marks(concat(sk)) ||
            (qk.size() == 1 && sk.size() == 1 && index.lexicon.ending_variants(qk.front(), sk.front())));
}

// Whether changed quoted words and source words write the same number otherwise: "thirty-seven" for "37",
// "1.2 million" for "1,200,000".
bool same_number(const ParsedQuote& pq, const SourceIndex& index, const PassageTokens& source_token,
                 const std::vector<std::size_t>& span_q, const std::vector<std::size_t>& span_s) {
    if (span_q.empty() || span_s.empty()) return false;
    const auto qv = index.lexicon.number_value(quote_keys(pq, span_q));
    const auto sv = index.lexicon.number_value(source_keys(index, source_token, span_s));
    return qv && sv && std::abs(*qv - *sv) <= 1e-9 * std::max(1.0, std::abs(*sv));
}

// Whether the source text an elision mark stands for is whole sentences: it begins where a sentence the
// quotation kept ends and ends where the next one it kept begins (". Spending rose by 12 percent. ").
bool whole_sentences(std::string_view between) {
    constexpr std::string_view space = " \n\t";
    constexpr std::string_view ends = ".!?";
    const std::size_t first = between.find_first_not_of(space);
    if (first == std::string_view::npos || ends.find(between[first]) == std::string_view::npos) return false;
    // The last sentence's end, before any closing quotation marks and brackets that follow it.
    std::string_view rest = between.substr(first + 1);
    for (bool trimmed = true; trimmed;) {
        trimmed = false;
        for (std::string_view tail : {" ", "\n", "\t", "\"", "'", ")", "\u201d", "\u2019"}) {
            if (rest.ends_with(tail)) {
                rest.remove_suffix(tail.size());
                trimmed = true;
            }
        }
    }
    return !rest.empty() && ends.find(rest.back()) != std::string_view::npos &&
           std::any_of(rest.begin(), rest.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

// Whether changed quoted words [span_q] are the source words [span_s] spelt otherwise. At an edge of the quotation
// span_s may take in up to three more source words (and the passage with it).
bool same_letters(const ParsedQuote& pq, const SourceIndex& index, const PassageTokens& source_token,
                  const std::vector<std::size_t>& span_q, std::vector<std::size_t>& span_s, Evaluation& ev) {
    const std::size_t n = pq.tokens.size();
    const std::vector<std::string> qk = quote_keys(pq, span_q);
    if (alike(index, qk, source_keys(index, source_token, span_s))) return true;
    // At the edges of the quotation the source words around the passage were free to skip, so "US"
    // quoted at the start may face only the "S" of "U.S.": look a few words further out.
    constexpr std::size_t reach = 3;
    if (!span_q.empty() && span_q.front() == 0) {
        const std::size_t anchor = span_s.empty() ? ev.first : span_s.front();
        for (std::size_t k = 1; k <= reach && k <= anchor; ++k) {
            std::vector<std::size_t> ext;
            for (std::size_t s = anchor - k; s < anchor; ++s)
                ext.push_back(s);
            ext.insert(ext.end(), span_s.begin(), span_s.end());
            if (alike(index, qk, source_keys(index, source_token, ext))) {
                span_s = std::move(ext);
                ev.first = std::min(ev.first, span_s.front());
                return true;
            }
        }
    }
    if (!span_q.empty() && span_q.back() + 1 == n) {
        const std::size_t anchor = span_s.empty() ? ev.last + 1 : span_s.back() + 1;
        for (std::size_t k = 1; k <= reach && anchor + k <= index.size(); ++k) {
            std::vector<std::size_t> ext = span_s;
            for (std::size_t s = anchor; s < anchor + k; ++s)
                ext.push_back(s);
            if (alike(index, qk, source_keys(index, source_token, ext))) {
                span_s = std::move(ext);
                ev.last = std::max(ev.last, span_s.back());
                return true;
            }
        }
    }
    return false;
}

// What changed words change: a number, a negation (when the counts of negations differ), a name (a capital
// that does not start a sentence), or else just a word.
DiffKind kind_of_change(const ParsedQuote& pq, const SourceIndex& index, const PassageTokens& source_token,
                        const std::vector<std::size_t>& span_q, const std::vector<std::size_t>& span_s) {
    std::vector<SourceWord> sw;
    for (std::size_t s : span_s)
        sw.push_back(describe_source(index, source_token(s)));
    bool number = false;
    std::size_t neg_q = 0;
    std::size_t neg_s = 0;
    bool name = false;
    for (std::size_t q : span_q) {
        const QuoteToken& t = pq.tokens[q];
        number = number || t.number;
        neg_q += t.negation ? 1 : 0;
        name = name || (starts_with_capital(t.shape) && !t.sentence_start);
    }
    for (std::size_t k = 0; k < span_s.size(); ++k) {
        const std::uint32_t id = index.ids[span_s[k]];
        number = number || index.is_number(id);
        neg_s += index.is_negation(id) ? 1 : 0;
        name = name || sw[k].capital_mid_sentence;
    }
    if (number) return DiffKind::number;
    if (neg_q != neg_s) return DiffKind::negation;
    if (name) return DiffKind::name;
    return DiffKind::word;
}

// One run of changed words, between matched words or joints, as a Difference. The same letters spelt otherwise
// are a spelling difference and their quoted words count as matched (the number returned); any other change is a
// word difference, critical unless it is just a word.
std::size_t classify_change(const ParsedQuote& pq, const SourceIndex& index, const PassageTokens& source_token,
                            const std::vector<std::size_t>& span_q, std::vector<std::size_t>& span_s, Evaluation& ev,
                            bool passage_start, bool passage_end) {
    Difference d;
    const bool spelling = same_letters(pq, index, source_token, span_q, span_s, ev);
    // A number written in more words than the source's digits ("Thirty-seven" for "37") can pull a word of the
    // sentence before into the passage's edge ("March. 37"): that word is outside the passage, not a change.
    if (!spelling && !span_q.empty() && span_s.size() > 1 && !same_number(pq, index, source_token, span_q, span_s)) {
        for (std::size_t k = 1; k < span_s.size(); ++k) {
            if (passage_start && span_s.front() == ev.first) {
                std::vector<std::size_t> tail(span_s.begin() + static_cast<std::ptrdiff_t>(k), span_s.end());
                if (same_number(pq, index, source_token, span_q, tail)) {
                    ev.first = tail.front();
                    span_s = std::move(tail);
                    break;
                }
            }
            if (passage_end && span_s.back() == ev.last) {
                std::vector<std::size_t> head(span_s.begin(), span_s.end() - static_cast<std::ptrdiff_t>(k));
                if (same_number(pq, index, source_token, span_q, head)) {
                    ev.last = head.back();
                    span_s = std::move(head);
                    break;
                }
            }
        }
    }
    d.quote = span_q.empty() ? std::string{} : quote_span(pq, span_q.front(), span_q.back());
    d.source = span_s.empty() ? std::string{} : source_span(index, span_s.front(), span_s.back());
    d.op = span_q.empty() ? "delete" : span_s.empty() ? "insert" : "replace";
    std::size_t matched = 0;
    if (spelling || same_number(pq, index, source_token, span_q, span_s)) {
        d.kind = DiffKind::spelling;
        matched = span_q.size();
    } else {
        d.kind = kind_of_change(pq, index, source_token, span_q, span_s);
        d.critical = d.kind != DiffKind::word;
        ev.word_differences = true;
    }
    ev.match.differences.push_back(std::move(d));
    return matched;
}

// A matched word printed otherwise than in the source: another spelling, a number punctuated otherwise, or a
// change of case (which the editor's brackets and the start of a segment are free to make).
std::optional<Difference> matched_word_difference(const ParsedQuote& pq, const SourceIndex& index, const QuoteToken& qt,
                                                  const SourceToken& st, const MatchingRules& rules) {
    const SourceWord sw = describe_source(index, st);
    const std::string qtext(pq.text.substr(qt.start, qt.end - qt.start));
    const std::string stext(index.text.substr(st.start, st.end - st.start));
    std::optional<DiffKind> minor;
    if (qt.raw_key != sw.raw_key) {
        // Same canonical word, different form: a number word for digits, or a listed spelling.
        minor = DiffKind::spelling;
    } else if (qt.shape != sw.shape) {
        if (qt.number) {
            minor = DiffKind::punctuation;
        } else if (!(qt.editorial || (qt.segment_first && rules.first_word_case_free))) {
            minor = DiffKind::case_change;
        }
    }
    if (minor) return Difference{"replace", clean_copy(qtext), clean_copy(stext), *minor, false};
    return std::nullopt;
}

// The punctuation between two adjacent matched words, when the quotation's is not the source's.
std::optional<Difference> gap_difference(const ParsedQuote& pq, const SourceIndex& index, const QuoteToken& pqt,
                                         const SourceToken& pst, const QuoteToken& qt, const SourceToken& st) {
    const std::string qgap = fold_gap(pq.text.substr(pqt.end, qt.start - pqt.end));
    const std::string sgap = fold_gap(index.text.substr(pst.end, st.start - pst.end));
    if (qgap == sgap) return std::nullopt;
    return Difference{qgap.empty()   ? "delete"
                      : sgap.empty() ? "insert"
                                     : "replace",
                      qgap, sgap, DiffKind::punctuation, false};
}

struct WordCounts {
    std::size_t matched = 0;   // quoted words found, spelling variants included
    std::size_t best_run = 0;  // the longest run of adjacent matched words
};

// Every difference between the quoted words and the passage, in reading order, into ev.match.differences.
WordCounts classify_differences(const ParsedQuote& pq, const SourceIndex& index, const Alignment& a,
                                const MatchingRules& rules, const PassageTokens& source_token, Evaluation& ev) {
    const std::size_t n = pq.tokens.size();
    std::vector<bool> joint_before(n + 1, false);
    for (const auto& j : pq.joints)
        joint_before[j.after] = true;

    WordCounts counts;
    std::size_t run = 0;
    const Op* prev_match = nullptr;

    std::vector<std::size_t> span_q;
    std::vector<std::size_t> span_s;
    bool seen_match = false;
    auto flush = [&](bool passage_end) {
        if (span_q.empty() && span_s.empty()) return;
        counts.matched += classify_change(pq, index, source_token, span_q, span_s, ev, !seen_match, passage_end);
        span_q.clear();
        span_s.clear();
    };

    for (const auto& o : a.ops) {
        if (o.q != npos && joint_before[o.q]) {
            flush(false);
            prev_match = nullptr;
            run = 0;
        }
        if (o.kind != OpKind::match) {
            if (o.q != npos) span_q.push_back(o.q);
            if (o.s != npos) span_s.push_back(o.s);
            prev_match = nullptr;
            run = 0;
            continue;
        }
        flush(false);
        seen_match = true;
        ++counts.matched;
        const QuoteToken& qt = pq.tokens[o.q];
        const SourceToken st = source_token(o.s);
        if (auto d = matched_word_difference(pq, index, qt, st, rules)) ev.match.differences.push_back(std::move(*d));

        const bool adjacent = prev_match != nullptr && prev_match->q + 1 == o.q && prev_match->s + 1 == o.s;
        if (adjacent) {
            if (auto d = gap_difference(pq, index, pq.tokens[prev_match->q], source_token(prev_match->s), qt, st)) {
                ev.match.differences.push_back(std::move(*d));
            }
            ++run;
        } else {
            run = 1;
        }
        counts.best_run = std::max(counts.best_run, run);
        prev_match = &o;
    }
    flush(true);
    return counts;
}

// What each joint stands for: an Elision per elision mark with the words it left out, and a critical difference
// when those words hold a negation or a number that no insertion accounts for.
void check_elisions(const ParsedQuote& pq, const SourceIndex& index, const Alignment& a, const MatchingRules& rules,
                    Evaluation& ev) {
    Match& m = ev.match;
    for (const auto& b : a.boundaries) {
        const Joint& j = pq.joints[b.joint];
        bool negation = false;
        bool number = false;
        std::vector<std::string> inserted_keys;
        if (!j.elision) {
            for (auto& t : tokenize(j.insertion))
                inserted_keys.push_back(index.lexicon.canonical(t.key));
        }
        auto inserted = [&](std::uint32_t id) {
            return std::any_of(inserted_keys.begin(), inserted_keys.end(),
                               [&](const std::string& k) { return index.lookup(k) == id; });
        };
        for (std::size_t s = b.from; s < b.to; ++s) {
            const std::uint32_t id = index.ids[s];
            negation = negation || (index.is_negation(id) && !inserted(id));
            number = number || (index.is_number(id) && !inserted(id));
        }
        const std::string between = source_between(index, b.from, b.to);
        const std::string omitted = omitted_text(pq, j, between);
        // Whole sentences left out change no sentence the quotation prints: listed, never critical.
        if (j.elision && !rules.whole_sentences_critical && whole_sentences(between)) {
            negation = false;
            number = false;
        }
        bool critical = false;
        auto hidden = [&](DiffKind kind, const char* rule) {
            critical = true;
            ev.hidden_critical = true;
            if (ev.hidden_rule.empty()) ev.hidden_rule = rule;
            m.differences.push_back(Difference{j.elision ? "elided" : "replace", j.marker, omitted, kind, true});
        };
        if (negation && rules.hidden_negation_critical) hidden(DiffKind::negation, "elision.hidden_negation_critical");
        if (number && rules.hidden_number_critical) hidden(DiffKind::number, "elision.hidden_number_critical");
        if (j.elision) m.elisions.push_back(Elision{j.marker, omitted, critical});
    }
}

// The verdict, and the rule of rules/matching.toml that decided it, from the score and the differences found.
void choose_verdict(Evaluation& ev, const ParsedQuote& pq, std::size_t best_run, const MatchingRules& rules) {
    Match& m = ev.match;
    const std::size_t n = pq.tokens.size();
    const std::size_t needed_run = std::min(rules.altered_min_run, n);
    if (m.score < rules.altered_min_score) {
        m.verdict = Verdict::not_found;
        m.decided_by = "matching.altered_min_score";
    } else if (best_run < needed_run && ev.word_differences) {
        m.verdict = Verdict::not_found;
        m.decided_by = "matching.altered_min_run";
    } else if (ev.hidden_critical) {
        m.verdict = Verdict::altered;
        m.decided_by = ev.hidden_rule;
    } else if (ev.word_differences) {
        m.verdict = Verdict::altered;
        m.decided_by = "matching.altered_min_score";
    } else if (!m.differences.empty()) {
        m.verdict = Verdict::minor_variation;
        m.decided_by = "minor_variation";
    } else if (!m.elisions.empty()) {
        m.verdict = Verdict::elided;
        m.decided_by = "elision.segments_in_order";
    } else if (pq.standalone_insertions > 0) {
        m.verdict = Verdict::elided;
        m.decided_by = "elision.insertion_max_words";
    } else {
        m.verdict = Verdict::verbatim;
        m.decided_by = "exact";
    }
}

}  // namespace

std::string source_between(const SourceIndex& index, std::size_t before_token_end_of, std::size_t next_token) {
    // Bytes between the end of source token `before_token_end_of` - 1 and the start of `next_token`.
    const std::size_t from = before_token_end_of == 0 ? 0 : index.token(before_token_end_of - 1).end;
    const std::size_t to = next_token < index.size() ? index.token(next_token).start : index.text.size();
    if (to <= from) return {};
    return clean_copy(index.text.substr(from, to - from));
}

std::string source_span(const SourceIndex& index, std::size_t first, std::size_t last) {
    const SourceToken last_token = index.token(last);
    return words_text(index.text, index.token(first).start, last_token.start, last_token.end);
}

std::string quote_span(const ParsedQuote& pq, std::size_t first, std::size_t last) {
    return words_text(pq.text, pq.tokens[first].start, pq.tokens[last].start, pq.tokens[last].end);
}

void set_passage(Match& m, const SourceIndex& index, std::size_t first, std::size_t last, const MatchingRules& rules) {
    m.start = index.token(first).start;
    m.end = index.token(last).end;
    m.text = sanitize_utf8(index.text.substr(m.start, m.end - m.start));
    std::size_t b = m.start > rules.context_bytes ? m.start - rules.context_bytes : 0;
    while (b < m.start && (static_cast<unsigned char>(index.text[b]) & 0xc0) == 0x80)
        ++b;
    m.context_before = sanitize_utf8(index.text.substr(b, m.start - b));
    const std::size_t e = codepoint_floor(index.text, std::min(index.text.size(), m.end + rules.context_bytes));
    m.context_after = sanitize_utf8(index.text.substr(m.end, e - m.end));
}

Evaluation evaluate(const ParsedQuote& pq, const SourceIndex& index, const Alignment& a, const MatchingRules& rules) {
    Evaluation ev;
    Match& m = ev.match;
    const std::size_t n = pq.tokens.size();
    find_passage(a, ev);
    if (ev.first == npos) return ev;
    const PassageTokens source_token(index, ev.first, ev.last);
    const WordCounts counts = classify_differences(pq, index, a, rules, source_token, ev);
    set_passage(m, index, ev.first, ev.last, rules);
    check_elisions(pq, index, a, rules, ev);
    m.insertions = pq.insertions;

    m.score = n == 0 ? 0.0 : static_cast<double>(std::min(counts.matched, n)) / static_cast<double>(n);
    choose_verdict(ev, pq, counts.best_run, rules);
    if (m.verdict == Verdict::not_found) {
        // The weak passage stays for context; its differences would only be noise.
        m.differences.clear();
        m.elisions.clear();
    }
    return ev;
}

}  // namespace provcheck::align
