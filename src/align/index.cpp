#include "align/index.hpp"

#include <algorithm>

#include "align/normalize.hpp"

namespace provcheck::align {

namespace {

std::vector<std::string> keys_of(std::string_view text) {
    std::vector<std::string> out;
    for (auto& t : tokenize(text))
        out.push_back(std::move(t.key));
    return out;
}

std::uint64_t mix(std::uint64_t x) noexcept {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

struct Hit {
    std::int64_t diag = 0;  // source position minus quote position
    std::uint32_t qpos = 0;
};

}  // namespace

Lexicon::Lexicon(const MatchingRules& rules) {
    if (rules.number_words_are_numbers) {
        for (const auto& [word, value] : rules.number_words) {
            for (auto& key : keys_of(word))
                number_words_[key] = "#" + std::to_string(value);
        }
    }
    for (const auto& group : rules.spelling_variants) {
        std::vector<std::vector<std::string>> members;
        std::string first_single;
        for (const auto& member : group) {
            members.push_back(keys_of(member));
            if (members.back().size() == 1 && first_single.empty()) first_single = members.back().front();
        }
        for (const auto& m : members) {
            if (m.size() == 1 && !first_single.empty() && m.front() != first_single)
                variants_[m.front()] = first_single;
        }
        groups_.push_back(std::move(members));
    }
    for (const auto& n : rules.negations) {
        for (auto& key : keys_of(n))
            negations_.insert(std::move(key));
    }
    for (const auto& s : rules.negation_suffixes) {
        std::string folded = fold_token(s).key;
        if (!folded.empty()) negation_suffixes_.push_back(std::move(folded));
    }
}

std::string Lexicon::canonical(const std::string& key) const {
    if (auto it = number_words_.find(key); it != number_words_.end()) return it->second;
    if (auto it = variants_.find(key); it != variants_.end()) return it->second;
    return key;
}

bool Lexicon::is_negation(std::string_view key) const {
    if (negations_.contains(std::string(key))) return true;
    return std::any_of(negation_suffixes_.begin(), negation_suffixes_.end(),
                       [&](const std::string& s) { return key.size() > s.size() && key.ends_with(s); });
}

bool Lexicon::same_spelling(const std::vector<std::string>& a, const std::vector<std::string>& b) const {
    for (const auto& members : groups_) {
        const bool has_a = std::find(members.begin(), members.end(), a) != members.end();
        const bool has_b = std::find(members.begin(), members.end(), b) != members.end();
        if (has_a && has_b) return true;
    }
    return false;
}

std::uint64_t trigram_hash(std::uint32_t a, std::uint32_t b, std::uint32_t c) noexcept {
    return mix(mix(mix(a) ^ b) ^ c);
}

SourceIndex::SourceIndex(std::string_view source_text, const MatchingRules& rules) : text(source_text), lexicon(rules) {
    for_each_token(source_text, {}, [&](Token&& t) {
        std::string canon = lexicon.canonical(t.key);
        auto [it, inserted] = ids.try_emplace(std::move(canon), static_cast<std::uint32_t>(ids.size()));
        if (inserted) {
            id_is_negation.push_back(lexicon.is_negation(t.key) ? 1 : 0);
            id_is_number.push_back(it->first.starts_with('#') ? 1 : 0);
        }
        tokens.push_back(SourceToken{t.start, t.end, it->second});
    });

    // Postings by counting sort: one pass to count, one to place, positions ascending within an id.
    posting_offsets.assign(ids.size() + 1, 0);
    for (const auto& t : tokens)
        ++posting_offsets[t.id + 1];
    for (std::size_t k = 1; k < posting_offsets.size(); ++k)
        posting_offsets[k] += posting_offsets[k - 1];
    posting_positions.resize(tokens.size());
    std::vector<std::uint32_t> fill(posting_offsets.begin(), posting_offsets.end() - 1);
    for (std::size_t p = 0; p < tokens.size(); ++p)
        posting_positions[fill[tokens[p].id]++] = static_cast<std::uint32_t>(p);

    if (tokens.size() >= 3) {
        trigrams.reserve(tokens.size() - 2);
        for (std::size_t p = 0; p + 2 < tokens.size(); ++p) {
            trigrams.emplace_back(trigram_hash(tokens[p].id, tokens[p + 1].id, tokens[p + 2].id),
                                  static_cast<std::uint32_t>(p));
        }
        std::sort(trigrams.begin(), trigrams.end());
    }
}

std::uint32_t SourceIndex::lookup(const std::string& canonical_key) const {
    auto it = ids.find(canonical_key);
    return it == ids.end() ? no_id : it->second;
}

std::size_t SourceIndex::occurrences(std::uint32_t id) const {
    if (id == no_id) return 0;
    return posting_offsets[id + 1] - posting_offsets[id];
}

std::vector<Window> candidate_windows(const SourceIndex& index, const std::vector<std::uint32_t>& ids,
                                      const std::vector<std::pair<std::size_t, std::size_t>>& segments,
                                      std::size_t gap_allowance, const MatchingRules& rules) {
    const std::size_t n = ids.size();
    const std::size_t cap = rules.max_seed_occurrences;
    std::vector<Hit> hits;
    auto add_positions = [&](std::size_t qpos, const std::uint32_t* first, std::size_t count) {
        for (std::size_t k = 0; k < count; ++k) {
            hits.push_back(Hit{static_cast<std::int64_t>(first[k]) - static_cast<std::int64_t>(qpos),
                               static_cast<std::uint32_t>(qpos)});
        }
    };
    auto add_word = [&](std::size_t qpos, std::size_t limit) {
        const std::uint32_t id = ids[qpos];
        const std::size_t count = index.occurrences(id);
        if (count == 0 || count > limit) return;
        add_positions(qpos, index.posting_positions.data() + index.posting_offsets[id], count);
    };

    for (const auto& [b, e] : segments) {
        if (e - b >= 3) {
            for (std::size_t i = b; i + 3 <= e; ++i) {
                if (ids[i] == no_id || ids[i + 1] == no_id || ids[i + 2] == no_id) continue;
                const std::uint64_t h = trigram_hash(ids[i], ids[i + 1], ids[i + 2]);
                auto lo = std::lower_bound(index.trigrams.begin(), index.trigrams.end(),
                                           std::pair<std::uint64_t, std::uint32_t>{h, 0});
                auto hi = lo;
                while (hi != index.trigrams.end() && hi->first == h)
                    ++hi;
                const auto count = static_cast<std::size_t>(hi - lo);
                if (count > cap) continue;
                // A trigram explains three words of the quotation, as the diagonal check below counts them.
                for (auto it = lo; it != hi; ++it) {
                    const std::int64_t diag = static_cast<std::int64_t>(it->second) - static_cast<std::int64_t>(i);
                    for (std::size_t k = 0; k < 3; ++k)
                        hits.push_back(Hit{diag, static_cast<std::uint32_t>(i + k)});
                }
            }
        } else {
            for (std::size_t i = b; i < e; ++i)
                add_word(i, cap);
        }
    }
    // Also seed from the two rarest words of the quotation, checking the words around each occurrence on the
    // same diagonal: a short quotation with one changed word shares no trigram with its passage, and a
    // quotation of common words has no trigram rare enough to use.
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < n; ++i) {
        if (index.occurrences(ids[i]) > 0) order.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return index.occurrences(ids[a]) < index.occurrences(ids[b]);
    });
    if (order.size() > 2) order.resize(2);
    const auto total_tokens = static_cast<std::int64_t>(index.tokens.size());
    for (std::size_t i : order) {
        const auto seg = std::find_if(segments.begin(), segments.end(),
                                      [&](const auto& range) { return i >= range.first && i < range.second; });
        const std::uint32_t id = ids[i];
        const std::uint32_t* positions = index.posting_positions.data() + index.posting_offsets[id];
        const std::size_t count = std::min(index.occurrences(id), cap);
        for (std::size_t k = 0; k < count; ++k) {
            const std::int64_t diag = static_cast<std::int64_t>(positions[k]) - static_cast<std::int64_t>(i);
            for (std::size_t q = seg->first; q < seg->second; ++q) {
                const std::int64_t p = diag + static_cast<std::int64_t>(q);
                if (p >= 0 && p < total_tokens && index.tokens[static_cast<std::size_t>(p)].id == ids[q]) {
                    hits.push_back(Hit{diag, static_cast<std::uint32_t>(q)});
                }
            }
        }
    }
    if (hits.empty()) return {};

    std::sort(hits.begin(), hits.end(),
              [](const Hit& a, const Hit& b) { return a.diag != b.diag ? a.diag < b.diag : a.qpos < b.qpos; });
    // Slide a band of diagonals over the hits; a band's worth is the number of distinct quotation positions
    // it explains, so one repeated word cannot outweigh the quotation's own sequence.
    const std::int64_t band = static_cast<std::int64_t>(rules.window_slack_words + gap_allowance);
    std::vector<std::uint32_t> seen(n, 0);
    std::size_t distinct = 0;
    struct Band {
        std::size_t worth;  // distinct quotation words explained within the band
        std::size_t exact;  // distinct quotation words on the band's first diagonal alone
        std::int64_t lo;
        std::int64_t hi;
    };
    std::vector<Band> bands;
    std::size_t r = 0;
    for (std::size_t l = 0; l < hits.size(); ++l) {
        while (r < hits.size() && hits[r].diag - hits[l].diag <= band) {
            if (seen[hits[r].qpos]++ == 0) ++distinct;
            ++r;
        }
        if (l == 0 || hits[l].diag != hits[l - 1].diag) {
            std::size_t exact = 0;
            for (std::size_t k = l; k < hits.size() && hits[k].diag == hits[l].diag; ++k) {
                exact += (k == l || hits[k].qpos != hits[k - 1].qpos) ? 1 : 0;
            }
            bands.push_back(Band{distinct, exact, hits[l].diag, hits[r - 1].diag});
        }
        if (--seen[hits[l].qpos] == 0) --distinct;
    }
    // Common words fill any wide band; among equally full bands the one whose words line up exactly wins.
    std::stable_sort(bands.begin(), bands.end(), [](const Band& a, const Band& b) {
        return a.worth != b.worth ? a.worth > b.worth : a.exact > b.exact;
    });

    const auto slack = static_cast<std::int64_t>(std::max(rules.window_slack_words, n / 4));
    const auto total = static_cast<std::int64_t>(index.tokens.size());
    std::vector<Band> chosen;
    std::vector<Window> out;
    for (const auto& bnd : bands) {
        if (out.size() >= rules.max_candidates) break;
        const bool overlaps = std::any_of(chosen.begin(), chosen.end(), [&](const Band& c) {
            return bnd.lo <= c.hi + slack && c.lo <= bnd.hi + slack;
        });
        if (overlaps) continue;
        chosen.push_back(bnd);
        const std::int64_t lo = std::max<std::int64_t>(0, bnd.lo - slack);
        const std::int64_t hi = std::min<std::int64_t>(
            total, bnd.hi + static_cast<std::int64_t>(n) + static_cast<std::int64_t>(gap_allowance) + slack);
        if (lo < hi) out.push_back(Window{static_cast<std::size_t>(lo), static_cast<std::size_t>(hi)});
    }
    return out;
}

}  // namespace provcheck::align
