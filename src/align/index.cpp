#include "align/index.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>

#include "align/normalize.hpp"

namespace provcheck::align {

namespace {

std::vector<std::string> keys_of(std::string_view text) {
    std::vector<std::string> out;
    for (auto& t : tokenize(text))
        out.push_back(std::move(t.key));
    return out;
}

struct Hit {
    std::int64_t diag = 0;  // source position minus quote position
    std::uint32_t qpos = 0;
};

}  // namespace

Lexicon::Lexicon(const MatchingRules& rules) {
    if (rules.number_words_are_numbers) {
        for (const auto& [word, value] : rules.number_words) {
            for (auto& key : keys_of(word)) {
                std::string digits = "#";
                digits += std::to_string(value);
                number_words_[key] = std::move(digits);
            }
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

std::uint32_t Vocabulary::find(std::string_view key) const noexcept {
    if (slots_.empty()) return no_id;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = std::hash<std::string_view>{}(key)&mask;; at = (at + 1) & mask) {
        const Slot& slot = slots_[at];
        if (slot.id == no_id) return no_id;
        if (key_at(slot.offset) == key) return slot.id;
    }
}

void Vocabulary::insert(std::string_view key, std::uint32_t id) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    const auto offset = static_cast<std::uint32_t>(arena_.size());
    // Length prefix: one byte below 255, else 255 and four bytes.
    if (key.size() < 255) {
        arena_ += static_cast<char>(key.size());
    } else {
        arena_ += static_cast<char>(255);
        const auto len = static_cast<std::uint32_t>(key.size());
        arena_.append(reinterpret_cast<const char*>(&len), sizeof len);
    }
    arena_.append(key);
    const std::size_t mask = slots_.size() - 1;
    std::size_t at = std::hash<std::string_view>{}(key)&mask;
    while (slots_[at].id != no_id)
        at = (at + 1) & mask;
    slots_[at] = Slot{offset, id};
    ++count_;
}

std::string_view Vocabulary::key_at(std::uint32_t offset) const noexcept {
    const auto len = static_cast<unsigned char>(arena_[offset]);
    if (len < 255) return std::string_view(arena_).substr(offset + 1, len);
    std::uint32_t long_len = 0;
    std::memcpy(&long_len, arena_.data() + offset + 1, sizeof long_len);
    return std::string_view(arena_).substr(offset + 1 + sizeof long_len, long_len);
}

void Vocabulary::grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
        if (slot.id == no_id) continue;
        std::size_t at = std::hash<std::string_view>{}(key_at(slot.offset)) & mask;
        while (slots_[at].id != no_id)
            at = (at + 1) & mask;
        slots_[at] = slot;
    }
}

std::size_t Vocabulary::memory_bytes() const noexcept {
    return slots_.capacity() * sizeof(Slot) + arena_.capacity();
}

SourceIndex::SourceIndex(std::string_view source_text, const MatchingRules& rules)
    : text(source_text.substr(0, std::numeric_limits<std::uint32_t>::max())), lexicon(rules) {
    source_text = text;
    ids.reserve(source_text.size() / 6 + 16);
    checkpoints.reserve(ids.capacity() / checkpoint_every + 1);
    for_each_token(source_text, {}, [&](Token&& t) {
        if (ids.size() % checkpoint_every == 0) checkpoints.push_back(static_cast<std::uint32_t>(t.start));
        std::uint32_t id = vocabulary.find(t.key);
        if (id == no_id) {
            // A key seen for the first time: its canonical form decides its id, and the raw form is kept as
            // an alias so that later occurrences need one lookup.
            const std::string canon = lexicon.canonical(t.key);
            id = canon == t.key ? no_id : vocabulary.find(canon);
            if (id == no_id) {
                id = static_cast<std::uint32_t>(id_is_negation.size());
                id_is_negation.push_back(lexicon.is_negation(t.key) ? 1 : 0);
                id_is_number.push_back(canon.starts_with('#') ? 1 : 0);
                vocabulary.insert(canon, id);
            }
            if (canon != t.key) vocabulary.insert(t.key, id);
        }
        ids.push_back(id);
    });
    ids.shrink_to_fit();
    checkpoints.shrink_to_fit();

    // Postings by counting sort: one pass to count, one to place, positions ascending within an id.
    posting_offsets.assign(id_is_negation.size() + 1, 0);
    for (const std::uint32_t id : ids)
        ++posting_offsets[id + 1];
    for (std::size_t k = 1; k < posting_offsets.size(); ++k)
        posting_offsets[k] += posting_offsets[k - 1];
    posting_positions.resize(ids.size());
    std::vector<std::uint32_t> fill(posting_offsets.begin(), posting_offsets.end() - 1);
    for (std::size_t p = 0; p < ids.size(); ++p)
        posting_positions[fill[ids[p]]++] = static_cast<std::uint32_t>(p);

    frequent_above = rules.max_seed_occurrences;
    id_is_frequent.resize(id_is_negation.size());
    for (std::size_t id = 0; id < id_is_frequent.size(); ++id)
        id_is_frequent[id] = occurrences(static_cast<std::uint32_t>(id)) > frequent_above ? 1 : 0;
    // Only trigrams at even positions: every run of four words holds one, and the table costs half as much.
    auto all_frequent = [&](std::size_t p) {
        return p % 2 == 0 && frequent(ids[p]) && frequent(ids[p + 1]) && frequent(ids[p + 2]);
    };
    std::size_t entries = 0;
    for (std::size_t p = 0; p + 2 < ids.size(); ++p)
        entries += all_frequent(p) ? 1 : 0;
    std::size_t buckets = 1;
    while (buckets * 4 < entries)
        buckets *= 2;
    kgram_offsets.assign(buckets + 1, 0);
    if (entries == 0) return;
    const std::size_t mask = buckets - 1;
    for (std::size_t p = 0; p + 2 < ids.size(); ++p) {
        if (all_frequent(p)) ++kgram_offsets[(trigram_hash(ids[p], ids[p + 1], ids[p + 2]) & mask) + 1];
    }
    for (std::size_t k = 1; k < kgram_offsets.size(); ++k)
        kgram_offsets[k] += kgram_offsets[k - 1];
    kgram_positions.resize(entries);
    fill.assign(kgram_offsets.begin(), kgram_offsets.end() - 1);
    for (std::size_t p = 0; p + 2 < ids.size(); ++p) {
        if (all_frequent(p))
            kgram_positions[fill[trigram_hash(ids[p], ids[p + 1], ids[p + 2]) & mask]++] =
                static_cast<std::uint32_t>(p);
    }
}

std::uint64_t trigram_hash(std::uint32_t a, std::uint32_t b, std::uint32_t c) noexcept {
    auto mix = [](std::uint64_t x) {
        x += 0x9e3779b97f4a7c15ULL;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
        return x ^ (x >> 31);
    };
    return mix(mix(mix(a) ^ b) ^ c);
}

SourceToken SourceIndex::token(std::size_t s) const {
    const auto all = tokens(s, s + 1);
    return all.empty() ? SourceToken{text.size(), text.size(), ids[s]} : all.front();
}

std::vector<SourceToken> SourceIndex::tokens(std::size_t lo, std::size_t hi) const {
    std::vector<SourceToken> out;
    hi = std::min(hi, ids.size());
    if (lo >= hi) return out;
    const std::size_t from = checkpoints[lo / checkpoint_every];
    const auto bounds = token_bounds(text.substr(from), lo % checkpoint_every, hi - lo);
    out.reserve(bounds.size());
    for (std::size_t k = 0; k < bounds.size(); ++k)
        out.push_back(SourceToken{from + bounds[k].first, from + bounds[k].second, ids[lo + k]});
    return out;
}

std::uint32_t SourceIndex::lookup(const std::string& canonical_key) const {
    return vocabulary.find(canonical_key);
}

std::size_t SourceIndex::occurrences(std::uint32_t id) const {
    if (id == no_id) return 0;
    return posting_offsets[id + 1] - posting_offsets[id];
}

std::size_t SourceIndex::memory_bytes() const noexcept {
    return vocabulary.memory_bytes() + id_is_negation.capacity() + id_is_number.capacity() + id_is_frequent.capacity() +
           ids.capacity() * 4 + checkpoints.capacity() * 4 + posting_offsets.capacity() * 4 +
           posting_positions.capacity() * 4 + kgram_offsets.capacity() * 4 + kgram_positions.capacity() * 4;
}

std::vector<Window> candidate_windows(const SourceIndex& index, const std::vector<std::uint32_t>& ids,
                                      const std::vector<std::pair<std::size_t, std::size_t>>& segments,
                                      std::size_t gap_allowance, const MatchingRules& rules) {
    const std::size_t n = ids.size();
    const std::size_t cap = rules.max_seed_occurrences;
    const auto total = static_cast<std::int64_t>(index.size());
    std::vector<Hit> hits;
    // Seeds: each segment's words from the rarest up. Every occurrence of a seed word gives a diagonal, and
    // the segment's words on it are checked against the token ids: the lookup of every k-gram of the segment
    // that contains the seed, at the cost of one posting list. A frequent seed word is read up to `cap`
    // occurrences, so that a quotation of common words still finds some of its occurrences in bounded time.
    // Once a segment is found whole the other seeds add nothing: every occurrence of it holds that word.
    constexpr std::size_t seeds_per_segment = 4;
    constexpr std::size_t late_seed_occurrences = 256;
    std::vector<std::size_t> order;
    // Pushes the hits of the segment [b, e) on `diag` when at least two of its words (or its only word) lie
    // there: one shared frequent word is noise. Returns whether the whole segment lies there.
    std::size_t best_here = 0;
    auto on_diagonal = [&](std::int64_t diag, std::size_t b, std::size_t e) {
        const std::size_t before = hits.size();
        for (std::size_t q = b; q < e; ++q) {
            const std::int64_t p = diag + static_cast<std::int64_t>(q);
            if (p >= 0 && p < total && index.ids[static_cast<std::size_t>(p)] == ids[q])
                hits.push_back(Hit{diag, static_cast<std::uint32_t>(q)});
        }
        const std::size_t here = hits.size() - before;
        best_here = std::max(best_here, here);
        if (here < std::min<std::size_t>(2, e - b)) hits.resize(before);
        return here == e - b;
    };
    for (const auto& [b, e] : segments) {
        order.clear();
        for (std::size_t i = b; i < e; ++i) {
            if (index.occurrences(ids[i]) > 0) order.push_back(i);
        }
        std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
            return index.occurrences(ids[x]) < index.occurrences(ids[y]);
        });
        if (order.size() > seeds_per_segment) order.resize(seeds_per_segment);
        bool whole = false;
        // Every seed word frequent: the segment's trigrams in the k-gram table say where it is far better than
        // the first occurrences of its words.
        const bool truncated = order.empty() || index.frequent(ids[order.front()]);
        if (truncated && e - b >= 3 && !index.kgram_positions.empty()) {
            const std::size_t mask = index.kgram_offsets.size() - 2;
            for (std::size_t i = b; i + 3 <= e && !whole; ++i) {
                if (!index.frequent(ids[i]) || !index.frequent(ids[i + 1]) || !index.frequent(ids[i + 2])) continue;
                const std::size_t bucket = trigram_hash(ids[i], ids[i + 1], ids[i + 2]) & mask;
                std::size_t seen_here = 0;
                for (std::size_t k = index.kgram_offsets[bucket];
                     k < index.kgram_offsets[bucket + 1] && seen_here < cap; ++k) {
                    const std::uint32_t p = index.kgram_positions[k];
                    if (index.ids[p] != ids[i] || index.ids[p + 1] != ids[i + 1] || index.ids[p + 2] != ids[i + 2])
                        continue;
                    ++seen_here;
                    whole = on_diagonal(static_cast<std::int64_t>(p) - static_cast<std::int64_t>(i), b, e) || whole;
                }
            }
            if (whole) continue;
        }
        std::size_t budget = cap;  // postings read for this segment, over all its seeds
        best_here = 0;
        for (const std::size_t i : order) {
            // Half the segment already lies on one diagonal: further seeds only help place the rest (after a
            // word added or dropped), and only rare ones are worth reading for that.
            if (best_here * 2 >= e - b && index.occurrences(ids[i]) > late_seed_occurrences) break;
            const std::uint32_t* positions = index.posting_positions.data() + index.posting_offsets[ids[i]];
            const std::size_t count = std::min(index.occurrences(ids[i]), budget);
            budget -= count;
            for (std::size_t k = 0; k < count; ++k) {
                const std::int64_t diag = static_cast<std::int64_t>(positions[k]) - static_cast<std::int64_t>(i);
                whole = on_diagonal(diag, b, e) || whole;
            }
            if (whole || budget == 0) break;
        }
    }
    if (hits.empty()) return {};

    std::sort(hits.begin(), hits.end(),
              [](const Hit& a, const Hit& b) { return a.diag != b.diag ? a.diag < b.diag : a.qpos < b.qpos; });
    hits.erase(std::unique(hits.begin(), hits.end(),
                           [](const Hit& a, const Hit& b) { return a.diag == b.diag && a.qpos == b.qpos; }),
               hits.end());
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
    std::vector<Band> chosen;
    std::vector<Window> out;
    for (const auto& bnd : bands) {
        if (out.size() >= rules.max_candidates) break;
        // A region explaining less than half of what the best one does cannot align better than it.
        if (bnd.worth * 2 < bands.front().worth) break;
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
