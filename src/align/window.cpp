#include "align/window.hpp"

#include <algorithm>
#include <limits>
#include <tuple>
#include <utility>

#include "align/normalize.hpp"

namespace provcheck::align {

namespace {

// A match earns what an edit costs, so that keeping a word and dropping its neighbour ("Adding [even] more")
// beats replacing the word by its neighbour.
constexpr long match_cost = -1;
constexpr long edit_cost = 1;

// The edit-distance matrix of one window: the operation chosen in each cell, the costs of the last row, and for
// each joint the column that each column's skip comes from.
struct EditTable {
    std::size_t stride = 0;
    std::vector<std::uint8_t> op;
    std::vector<long> last_row;
    std::vector<std::size_t> joint_at_row;
    std::vector<std::vector<std::uint32_t>> jump;
};

// The matrix of align_in_window, row by row (a row per quoted word, a column per word of the window); after the
// row of the word before a joint, each column takes the cheapest of the `limit` columns before it.
EditTable fill_table(const ParsedQuote& pq, const SourceIndex& index, Window w) {
    const std::size_t n = pq.tokens.size();
    const std::size_t width = w.hi - w.lo;
    const std::size_t stride = width + 1;
    std::vector<std::uint8_t> op((n + 1) * stride, 0);
    std::vector<long> prev(stride, 0);  // costs after the previous row's joint skip
    std::vector<long> cur(stride, 0);
    std::vector<std::size_t> joint_at_row(n + 1, npos);
    for (std::size_t k = 0; k < pq.joints.size(); ++k)
        joint_at_row[pq.joints[k].after] = k;
    std::vector<std::vector<std::uint32_t>> jump(pq.joints.size());
    std::vector<std::size_t> deque(stride);

    for (std::size_t i = 1; i <= n; ++i) {
        const std::uint32_t qid = pq.tokens[i - 1].id;
        cur[0] = prev[0] + edit_cost;
        op[i * stride] = static_cast<std::uint8_t>(OpKind::quote_only);
        for (std::size_t j = 1; j <= width; ++j) {
            const bool eq = qid != no_id && qid == index.ids[w.lo + j - 1];
            long best = prev[j - 1] + (eq ? match_cost : edit_cost);
            auto kind = eq ? OpKind::match : OpKind::substitute;
            if (prev[j] + edit_cost < best) {
                best = prev[j] + edit_cost;
                kind = OpKind::quote_only;
            }
            if (cur[j - 1] + edit_cost < best) {
                best = cur[j - 1] + edit_cost;
                kind = OpKind::source_only;
            }
            cur[j] = best;
            op[i * stride + j] = static_cast<std::uint8_t>(kind);
        }
        const std::size_t jk = joint_at_row[i];
        if (jk != npos && i < n) {
            // Sliding-window minimum over the last `limit` columns; on ties the latest column wins, so that a
            // joint stands for as few words as it must.
            const std::size_t limit = pq.joints[jk].limit;
            auto& jmp = jump[jk];
            jmp.assign(stride, 0);
            std::size_t head = 0;
            std::size_t tail = 0;
            for (std::size_t j = 0; j <= width; ++j) {
                while (tail > head && cur[deque[tail - 1]] >= cur[j])
                    --tail;
                deque[tail++] = j;
                while (deque[head] + limit < j)
                    ++head;
                prev[j] = cur[deque[head]];
                jmp[j] = static_cast<std::uint32_t>(deque[head]);
            }
        } else {
            std::swap(prev, cur);
        }
    }
    EditTable table;
    table.stride = stride;
    table.op = std::move(op);
    table.last_row = std::move(prev);
    table.joint_at_row = std::move(joint_at_row);
    table.jump = std::move(jump);
    return table;
}

// The operations and joint boundaries of the cheapest alignment, read back from its end.
Alignment trace_back(const ParsedQuote& pq, Window w, const EditTable& table) {
    const std::size_t n = pq.tokens.size();
    const std::size_t width = w.hi - w.lo;
    const std::size_t stride = table.stride;
    const std::vector<std::uint8_t>& op = table.op;
    const std::vector<long>& prev = table.last_row;
    const std::vector<std::size_t>& joint_at_row = table.joint_at_row;
    const std::vector<std::vector<std::uint32_t>>& jump = table.jump;

    Alignment a;
    // The cheapest end; on a tie, one where the last quoted word faces a source word, so that "in 2012"
    // against "in 2011" reads as a replaced number rather than an added one.
    std::size_t j = 0;
    auto faces_source = [&](std::size_t k) {
        const auto kind = static_cast<OpKind>(op[n * stride + k]);
        return k > 0 && (kind == OpKind::match || kind == OpKind::substitute);
    };
    for (std::size_t k = 1; k <= width; ++k) {
        if (prev[k] < prev[j] || (prev[k] == prev[j] && faces_source(k) && !faces_source(j))) j = k;
    }
    a.cost = prev[j];
    std::size_t i = n;
    bool after_joint = true;
    while (i > 0) {
        if (after_joint) {
            after_joint = false;
            const std::size_t jk = joint_at_row[i];
            if (jk != npos && i < n) {
                const std::size_t j0 = jump[jk][j];
                a.boundaries.push_back(Boundary{jk, w.lo + j0, w.lo + j});
                j = j0;
            }
            continue;
        }
        if (j == 0) {
            a.ops.push_back(Op{OpKind::quote_only, i - 1, npos});
            --i;
            after_joint = true;
            continue;
        }
        const auto kind = static_cast<OpKind>(op[i * stride + j]);
        switch (kind) {
            case OpKind::match:
            case OpKind::substitute:
                a.ops.push_back(Op{kind, i - 1, w.lo + j - 1});
                --i;
                --j;
                after_joint = true;
                break;
            case OpKind::quote_only:
                a.ops.push_back(Op{kind, i - 1, npos});
                --i;
                after_joint = true;
                break;
            case OpKind::source_only:
                a.ops.push_back(Op{kind, npos, w.lo + j - 1});
                --j;
                break;
        }
    }
    std::reverse(a.ops.begin(), a.ops.end());
    std::reverse(a.boundaries.begin(), a.boundaries.end());
    return a;
}

// Matched words, those matched as printed (and the gaps between adjacent ones as folded), and the first source
// word facing a quoted one.
void count_matches(Alignment& a, const ParsedQuote& pq, const SourceIndex& index) {
    std::size_t first_match = npos;
    std::size_t last_match = 0;
    for (const auto& o : a.ops) {
        if (o.kind == OpKind::match) {
            first_match = std::min(first_match, o.s);
            last_match = std::max(last_match, o.s);
        }
    }
    const std::vector<SourceToken> spans =
        first_match == npos ? std::vector<SourceToken>{} : index.tokens(first_match, last_match + 1);
    const Op* prev_op = nullptr;
    for (const auto& o : a.ops) {
        if (o.kind == OpKind::match) {
            ++a.matched;
            const auto& qt = pq.tokens[o.q];
            const SourceToken st = o.s - first_match < spans.size() ? spans[o.s - first_match] : index.token(o.s);
            const std::string_view qtext = pq.text.substr(qt.start, qt.end - qt.start);
            const std::string_view stext = index.text.substr(st.start, st.end - st.start);
            if (qtext == stext) ++a.exact;
            // The punctuation between two adjacent words, as evaluate() compares it: of several passages with
            // the same words, the one punctuated as quoted is the verbatim one.
            if (prev_op != nullptr && prev_op->q + 1 == o.q && prev_op->s + 1 == o.s) {
                const auto& pqt = pq.tokens[prev_op->q];
                const SourceToken pst =
                    prev_op->s - first_match < spans.size() ? spans[prev_op->s - first_match] : index.token(prev_op->s);
                if (fold_gap(pq.text.substr(pqt.end, qt.start - pqt.end)) ==
                    fold_gap(index.text.substr(pst.end, st.start - pst.end)))
                    ++a.exact;
            }
            prev_op = &o;
        } else {
            prev_op = nullptr;
        }
        if ((o.kind == OpKind::match || o.kind == OpKind::substitute) && a.first_source == npos) a.first_source = o.s;
    }
}

// Source words all joints together may stand for, bounded so that a quotation full of marks cannot make
// the aligned window (and its matrix) grow without limit; past the bound the segments are found apart.
std::size_t total_gap_allowance(const ParsedQuote& pq, const MatchingRules& rules) {
    std::size_t total = 0;
    for (const auto& j : pq.joints)
        total += j.limit;
    return std::min(total, 4 * rules.elision_max_span_words + pq.tokens.size());
}

}  // namespace

Alignment align_in_window(const ParsedQuote& pq, const SourceIndex& index, Window w) {
    const EditTable table = fill_table(pq, index, w);
    Alignment a = trace_back(pq, w, table);
    count_matches(a, pq, index);
    return a;
}

std::optional<Alignment> best_alignment(const ParsedQuote& pq, const SourceIndex& index, const MatchingRules& rules,
                                        const std::vector<Window>& extra_windows) {
    std::vector<std::uint32_t> ids;
    ids.reserve(pq.tokens.size());
    for (const auto& t : pq.tokens)
        ids.push_back(t.id);
    const auto segments = segments_of(pq);
    const std::size_t gap_allowance = total_gap_allowance(pq, rules);
    std::vector<Window> windows = candidate_windows(index, ids, segments, gap_allowance, rules, rules.max_candidates);
    const bool truncated = windows.size() >= rules.max_candidates;
    windows.insert(windows.end(), extra_windows.begin(), extra_windows.end());
    const std::size_t n = pq.tokens.size();
    const std::size_t all_exact = 2 * n - 1 - std::min(n - 1, pq.joints.size());
    std::optional<Alignment> best;
    auto perfect = [&](const Alignment& x) {
        return x.matched == n && x.exact >= all_exact && x.cost == -static_cast<long>(n);
    };
    auto try_windows = [&](const std::vector<Window>& list, std::size_t from) {
        for (std::size_t k = from; k < list.size(); ++k) {
            Alignment a = align_in_window(pq, index, list[k]);
            if (a.matched == 0) continue;
            auto rank = [](const Alignment& x) {
                return std::tuple(x.matched, -x.cost, x.exact,
                                  std::numeric_limits<std::size_t>::max() - x.first_source);
            };
            if (!best || rank(a) > rank(*best)) best = std::move(a);
            // Every word and gap matched as printed: later windows could only tie, and the earlier passage
            // wins ties.
            if (perfect(*best)) return;
        }
    };
    try_windows(windows, 0);
    // Every word found but not as punctuated: a short quotation of common words occurs in many passages, and
    // the one quoted may be further down the list.
    if (best && !perfect(*best) && truncated && best->matched == n && best->cost == -static_cast<long>(n)) {
        const std::size_t more = rules.max_candidates * 8;
        try_windows(candidate_windows(index, ids, segments, gap_allowance, rules, more), rules.max_candidates);
    }
    return best;
}

}  // namespace provcheck::align
