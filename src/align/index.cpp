#include "align/index.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
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
    for (const auto& group : rules.spelling_endings) {
        for (const auto& x : group) {
            for (const auto& y : group) {
                if (x != y) endings_.emplace_back(x, y);
            }
        }
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

bool Lexicon::ending_variants(std::string_view a, std::string_view b) const {
    constexpr std::size_t min_stem = 3;  // "four"/"for" and "hour"/"hor" are not spellings of one word
    if (a == b) return false;
    // The endings may be followed by more of the word, the same in both: "colourful"/"colorful".
    std::size_t common = 0;
    while (common < a.size() && common < b.size() && a[a.size() - 1 - common] == b[b.size() - 1 - common])
        ++common;
    for (std::size_t tail = 0; tail <= common; ++tail) {
        const std::string_view ha = a.substr(0, a.size() - tail);
        const std::string_view hb = b.substr(0, b.size() - tail);
        for (const auto& [x, y] : endings_) {
            if (ha.size() >= x.size() + min_stem && hb.size() >= y.size() + min_stem && ha.ends_with(x) &&
                hb.ends_with(y) && ha.substr(0, ha.size() - x.size()) == hb.substr(0, hb.size() - y.size())) {
                return true;
            }
        }
    }
    return false;
}

std::optional<double> Lexicon::number_value(const std::vector<std::string>& keys) const {
    // Words for 100 and above multiply what precedes them ("1.2 million", "three hundred"); the others add.
    double total = 0;
    double current = 0;
    bool any = false;
    for (const auto& key : keys) {
        const std::string c = canonical(key);
        if (key == "and" && any) continue;  // "one hundred and five"
        if (c.size() < 2 || c.front() != '#') return std::nullopt;
        char* end = nullptr;
        const double v = std::strtod(c.c_str() + 1, &end);
        if (end == c.c_str() + 1 || *end != '\0') return std::nullopt;
        const bool word = key.front() != '#';
        if (word && v >= 100 && any) {
            if (v == 100) {
                current = (current == 0 ? 1 : current) * v;
            } else {
                total += (current == 0 ? 1 : current) * v;
                current = 0;
            }
        } else {
            current += v;
        }
        any = true;
    }
    if (!any) return std::nullopt;
    return total + current;
}

bool Lexicon::same_spelling(const std::vector<std::string>& a, const std::vector<std::string>& b) const {
    for (const auto& members : groups_) {
        const bool has_a = std::find(members.begin(), members.end(), a) != members.end();
        const bool has_b = std::find(members.begin(), members.end(), b) != members.end();
        if (has_a && has_b) return true;
    }
    return false;
}

void Vocabulary::insert(std::string_view key, std::uint32_t hash, std::uint32_t id) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    const auto offset = static_cast<std::uint32_t>(arena_.size());
    // Record: the id, then a length prefix (one byte below 255, else 255 and four bytes), then the key.
    arena_.append(reinterpret_cast<const char*>(&id), sizeof id);
    if (key.size() < 255) {
        arena_ += static_cast<char>(key.size());
    } else {
        arena_ += static_cast<char>(255);
        const auto len = static_cast<std::uint32_t>(key.size());
        arena_.append(reinterpret_cast<const char*>(&len), sizeof len);
    }
    arena_.append(key);
    const std::size_t mask = slots_.size() - 1;
    std::size_t at = hash & mask;
    while (slots_[at].offset != empty)
        at = (at + 1) & mask;
    slots_[at] = Slot{hash, offset};
    ++count_;
}

void Vocabulary::grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
        if (slot.offset == empty) continue;
        std::size_t at = slot.hash & mask;
        while (slots_[at].offset != empty)
            at = (at + 1) & mask;
        slots_[at] = slot;
    }
}

void Vocabulary::shrink_to_fit() {
    arena_.shrink_to_fit();
}

std::size_t Vocabulary::memory_bytes() const noexcept {
    return slots_.capacity() * sizeof(Slot) + arena_.capacity();
}

namespace {

constexpr std::size_t varint_size(std::uint32_t v) noexcept {
    std::size_t n = 1;
    while (v >= 0x80U) {
        v >>= 7;
        ++n;
    }
    return n;
}

// Positions per block of the trigram passes: their buckets are computed and prefetched a block ahead of the
// scattered reads and writes, which otherwise wait on memory for most entries once the table outgrows the
// cache.
constexpr std::size_t trigram_block = 64;

}  // namespace

SourceIndex::SourceIndex(std::string_view source_text, const MatchingRules& rules)
    : text(source_text.substr(0, max_indexed_bytes)), lexicon(rules) {
    source_text = text;
    // English-like text has a token every six bytes or so; a text of short words grows the vector once.
    ids.reserve(source_text.size() / 5 + 16);
    checkpoints.reserve(ids.capacity() / checkpoint_every + 1);
    // Per id while tokenising: occurrences, the last position and the bytes of its gap-coded postings.
    std::vector<std::uint32_t> last;
    std::vector<std::uint32_t> sizes;
    for_each_token_view(source_text, [&](const TokenView& t) {
        const auto pos = static_cast<std::uint32_t>(ids.size());
        if (pos % checkpoint_every == 0) checkpoints.push_back(static_cast<std::uint32_t>(t.start));
        const std::uint32_t hash = key_hash(t.key);
        std::uint32_t id = vocabulary.find(t.key, hash);
        if (id == no_id) {
            // A key seen for the first time: its canonical form decides its id, and the raw form is kept as
            // an alias so that later occurrences need one lookup.
            const std::string raw(t.key);
            const std::string canon = lexicon.canonical(raw);
            id = canon == raw ? no_id : vocabulary.find(canon);
            if (id == no_id) {
                id = static_cast<std::uint32_t>(id_flags.size());
                std::uint8_t flags = 0;
                if (lexicon.is_negation(raw)) flags |= flag_negation;
                if (canon.starts_with('#')) flags |= flag_number;
                id_flags.push_back(flags);
                id_counts.push_back(0);
                last.push_back(0);
                sizes.push_back(0);
                vocabulary.insert(canon, id);
            }
            if (canon != raw) vocabulary.insert(raw, hash, id);
        }
        ids.push_back(id);
        ++id_counts[id];
        sizes[id] += static_cast<std::uint32_t>(varint_size(pos - last[id]));
        last[id] = pos;
    });
    ids.shrink_to_fit();
    checkpoints.shrink_to_fit();
    id_flags.shrink_to_fit();
    id_counts.shrink_to_fit();
    vocabulary.shrink_to_fit();

    // Postings: every id's list written at its offset, positions ascending. The same pass counts the
    // trigrams of frequent words, which size the trigram table.
    const std::size_t vocab_size = id_flags.size();
    frequent_above = rules.max_seed_occurrences;
    for (std::size_t id = 0; id < vocab_size; ++id) {
        if (id_counts[id] > frequent_above) id_flags[id] |= flag_frequent;
    }
    posting_offsets.assign(vocab_size + 1, 0);
    for (std::size_t k = 0; k < vocab_size; ++k)
        posting_offsets[k + 1] = posting_offsets[k] + sizes[k];
    posting_bytes.resize(posting_offsets.back());
    std::vector<std::uint32_t>& cursor = sizes;  // reused: the write position of every list
    std::copy(posting_offsets.begin(), posting_offsets.end() - 1, cursor.begin());
    std::fill(last.begin(), last.end(), 0);
    std::size_t entries = 0;
    std::uint32_t run = 0;  // frequent tokens in a row, ending at p
    for (std::size_t p = 0; p < ids.size(); ++p) {
        const std::uint32_t id = ids[p];
        const auto pos = static_cast<std::uint32_t>(p);
        std::uint32_t gap = pos - last[id];
        last[id] = pos;
        std::uint32_t at = cursor[id];
        while (gap >= 0x80U) {
            posting_bytes[at++] = static_cast<std::uint8_t>((gap & 0x7fU) | 0x80U);
            gap >>= 7;
        }
        posting_bytes[at++] = static_cast<std::uint8_t>(gap);
        cursor[id] = at;
        run = (id_flags[id] & flag_frequent) != 0 ? run + 1 : 0;
        entries += run >= 3 ? 1 : 0;
    }
    last = {};
    sizes = {};

    // The trigram table: its entries start at every position whose trigram is made of frequent words.
    std::size_t buckets = 1;
    // About eight entries per bucket: the offsets cost half a byte per entry, and a lookup reads one line.
    while (buckets * 8 < entries)
        buckets *= 2;
    kgram_offsets.assign(buckets + 1, 0);
    if (entries == 0) return;
    const std::size_t mask = buckets - 1;
    std::uint32_t block_positions[trigram_block];
    std::uint32_t block_buckets[trigram_block];
    // Calls `fn(count)` for every block of trigram entries, with their positions and buckets filled in.
    auto for_each_block = [&](auto&& fn) {
        std::size_t count = 0;
        for (std::size_t p = 0; p + 2 < ids.size(); ++p) {
            if (!frequent(ids[p]) || !frequent(ids[p + 1]) || !frequent(ids[p + 2])) continue;
            block_positions[count] = static_cast<std::uint32_t>(p);
            block_buckets[count] = static_cast<std::uint32_t>(trigram_hash(ids[p], ids[p + 1], ids[p + 2]) & mask);
            if (++count == trigram_block) {
                fn(count);
                count = 0;
            }
        }
        if (count > 0) fn(count);
    };
    for_each_block([&](std::size_t count) {
        for (std::size_t k = 0; k < count; ++k)
            __builtin_prefetch(&kgram_offsets[block_buckets[k] + 1], 1);
        for (std::size_t k = 0; k < count; ++k)
            ++kgram_offsets[block_buckets[k] + 1];
    });
    for (std::size_t k = 1; k < kgram_offsets.size(); ++k)
        kgram_offsets[k] += kgram_offsets[k - 1];
    kgram_positions.resize(entries);
    std::vector<std::uint32_t> fill(kgram_offsets.begin(), kgram_offsets.end() - 1);
    std::uint32_t block_slots[trigram_block];
    for_each_block([&](std::size_t count) {
        for (std::size_t k = 0; k < count; ++k)
            __builtin_prefetch(&fill[block_buckets[k]], 1);
        for (std::size_t k = 0; k < count; ++k) {
            block_slots[k] = fill[block_buckets[k]]++;
            __builtin_prefetch(&kgram_positions[block_slots[k]], 1);
        }
        for (std::size_t k = 0; k < count; ++k)
            kgram_positions[block_slots[k]] = block_positions[k];
    });
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
    const std::size_t from = checkpoints[s / checkpoint_every];
    const auto bounds = nth_token_bounds(text.substr(from), s % checkpoint_every);
    if (!bounds) return SourceToken{text.size(), text.size(), ids[s]};
    return SourceToken{from + bounds->first, from + bounds->second, ids[s]};
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

std::uint32_t SourceIndex::lookup(std::string_view canonical_key) const {
    return vocabulary.find(canonical_key);
}

PostingCursor SourceIndex::postings(std::uint32_t id) const noexcept {
    if (id == no_id) return {};
    return PostingCursor(posting_bytes.data() + posting_offsets[id], posting_bytes.data() + posting_offsets[id + 1]);
}

std::pair<const std::uint32_t*, const std::uint32_t*> SourceIndex::kgram_bucket(std::uint32_t a, std::uint32_t b,
                                                                                std::uint32_t c) const noexcept {
    if (kgram_positions.empty()) return {nullptr, nullptr};
    const std::size_t bucket = trigram_hash(a, b, c) & (kgram_offsets.size() - 2);
    return {kgram_positions.data() + kgram_offsets[bucket], kgram_positions.data() + kgram_offsets[bucket + 1]};
}

std::size_t SourceIndex::memory_bytes() const noexcept {
    return vocabulary.memory_bytes() + id_flags.capacity() + id_counts.capacity() * 4 + ids.capacity() * 4 +
           checkpoints.capacity() * 4 + posting_offsets.capacity() * 4 + posting_bytes.capacity() +
           kgram_offsets.capacity() * 4 + kgram_positions.capacity() * 4;
}

std::vector<Window> candidate_windows(const SourceIndex& index, const std::vector<std::uint32_t>& ids,
                                      const std::vector<std::pair<std::size_t, std::size_t>>& segments,
                                      std::size_t gap_allowance, const MatchingRules& rules, std::size_t max_windows) {
    const std::size_t n = ids.size();
    const std::size_t cap = rules.max_seed_occurrences;
    const auto total = static_cast<std::int64_t>(index.size());
    std::vector<Hit> hits;
    // Anchors: the rare words of each segment (read through their postings: every k-gram holding the word at
    // the cost of one short list) and its trigrams of frequent words (read through the trigram table). Each
    // occurrence of an anchor gives a diagonal, and the segment's words on it are checked against the token
    // ids. Anchors are read cheapest first, so that the rarest k-grams of the quotation locate it; anchors
    // occurring more than `cap` times are over-frequent and only read when nothing cheaper exists.
    struct Anchor {
        std::size_t cost = 0;  // entries to read
        std::size_t q = 0;     // quotation position of its first word
        bool trigram = false;
    };
    std::vector<Anchor> anchors;
    constexpr std::size_t npos_q = std::numeric_limits<std::size_t>::max();
    // Entries read per segment: cheap anchors up to four full lists, over-frequent ones up to sixteen.
    const std::size_t read_budget = 4 * cap;
    const std::size_t fallback_budget = 16 * cap;
    const std::size_t late_anchor_occurrences = cap / 8;
    std::size_t best_here = 0;  // most words of the current segment on one diagonal
    // Pushes the hits of the segment [b, e) on `diag` when at least two of its words (or its only word) lie
    // there: one shared frequent word is noise. Returns whether the whole segment lies there.
    auto on_diagonal = [&](std::int64_t diag, std::size_t b, std::size_t e) {
        const std::size_t before = hits.size();
        for (std::size_t q = b; q < e; ++q) {
            const std::int64_t p = diag + static_cast<std::int64_t>(q);
            if (p >= 0 && p < total && index.ids[static_cast<std::size_t>(p)] == ids[q])
                hits.push_back(Hit{diag, static_cast<std::uint32_t>(q)});
        }
        const std::size_t here = hits.size() - before;
        if (here < std::min<std::size_t>(2, e - b)) {
            hits.resize(before);
        } else {
            best_here = std::max(best_here, here);
        }
        return here == e - b;
    };
    // Whether at most `allowed` words of the segment [b, e) differ on `diag`, stopping as soon as more do.
    auto misses_at_most = [&](std::int64_t diag, std::size_t b, std::size_t e, std::size_t allowed) {
        std::size_t misses = 0;
        for (std::size_t q = b; q < e && misses <= allowed; ++q) {
            const std::int64_t p = diag + static_cast<std::int64_t>(q);
            if (p < 0 || p >= total || index.ids[static_cast<std::size_t>(p)] != ids[q]) ++misses;
        }
        return misses <= allowed;
    };
    // Calls `fn(diagonal)` for the occurrences of `a` in ascending order until it returns false.
    auto visit = [&](const Anchor& a, auto&& fn) {
        const auto q = static_cast<std::int64_t>(a.q);
        if (a.trigram) {
            const auto [first, last] = index.kgram_bucket(ids[a.q], ids[a.q + 1], ids[a.q + 2]);
            for (const std::uint32_t* it = first; it != last; ++it) {
                const std::uint32_t p = *it;
                if (index.ids[p] != ids[a.q] || index.ids[p + 1] != ids[a.q + 1] || index.ids[p + 2] != ids[a.q + 2])
                    continue;
                if (!fn(static_cast<std::int64_t>(p) - q)) return;
            }
            return;
        }
        PostingCursor cursor = index.postings(ids[a.q]);
        for (std::uint32_t p = 0; cursor.next(p);) {
            if (!fn(static_cast<std::int64_t>(p) - q)) return;
        }
    };

    for (const auto& [b, e] : segments) {
        const std::size_t len = e - b;
        anchors.clear();
        for (std::size_t i = b; i < e; ++i) {
            if (ids[i] != no_id) anchors.push_back(Anchor{index.occurrences(ids[i]), i, false});
        }
        for (std::size_t i = b; i + 3 <= e; ++i) {
            if (!index.frequent(ids[i]) || !index.frequent(ids[i + 1]) || !index.frequent(ids[i + 2])) continue;
            const auto [first, last] = index.kgram_bucket(ids[i], ids[i + 1], ids[i + 2]);
            if (first != last) anchors.push_back(Anchor{static_cast<std::size_t>(last - first), i, true});
        }
        std::stable_sort(anchors.begin(), anchors.end(),
                         [](const Anchor& x, const Anchor& y) { return x.cost < y.cost; });

        best_here = 0;
        bool whole = false;
        std::size_t read = 0;
        // Quotation positions [lo, hi) of the anchors read in full: two that do not overlap find any passage
        // with at most one word changed, so only a quotation without such a pair needs the fallback below.
        std::size_t earliest_end = npos_q;
        std::size_t latest_start = 0;
        for (const Anchor& a : anchors) {
            // Whole, or all but one word on one diagonal: further anchors could only find weaker passages.
            if (whole || (best_here >= 2 && best_here + 1 >= len)) break;
            if (a.cost > cap || read + a.cost > read_budget) break;
            // Half the segment already lies on one diagonal: further anchors only help place the rest (after
            // a word added or dropped), and only rare ones are worth reading for that.
            if (best_here * 2 >= len && a.cost > late_anchor_occurrences) break;
            read += a.cost;
            earliest_end = std::min(earliest_end, a.q + (a.trigram ? 3 : 1));
            latest_start = std::max(latest_start, a.q);
            // Every occurrence of the anchor is read even once the segment is found whole: another one may
            // match its punctuation too.
            visit(a, [&](std::int64_t diag) {
                whole = on_diagonal(diag, b, e) || whole;
                return true;
            });
        }
        if (whole || (best_here >= 2 && best_here + 1 >= len) || earliest_end <= latest_start) continue;
        // The cheap anchors cannot have found every passage close to the segment: it is made of over-frequent
        // words and k-grams, which occur nearly everywhere if at all (or its only rare words are the ones the
        // quotation changed). Read their occurrences in order until one holds every word of the segment the
        // source has, keeping those that miss one more on the way.
        const auto known = static_cast<std::size_t>(std::count_if(ids.begin() + static_cast<std::ptrdiff_t>(b),
                                                                  ids.begin() + static_cast<std::ptrdiff_t>(e),
                                                                  [](std::uint32_t id) { return id != no_id; }));
        // Words the source lacks can never match: a segment made mostly of them is no passage of it.
        if (static_cast<double>(known) < rules.altered_min_score * static_cast<double>(len)) continue;
        const std::size_t misses_allowed = len - known + 1;
        std::size_t seen = 0;
        bool all_known = false;
        // A changed word lies in every anchor read in full (or they would have found the passage): only
        // anchors apart from all of them are worth reading, and when none was read, fewer occurrences are.
        const std::size_t budget = earliest_end == npos_q ? fallback_budget : read_budget;
        for (const Anchor& a : anchors) {
            if ((all_known && seen >= cap) || seen >= budget) break;
            const std::size_t end = a.q + (a.trigram ? 3 : 1);
            if (a.cost <= cap || (earliest_end != npos_q && end > latest_start && a.q < earliest_end)) continue;
            visit(a, [&](std::int64_t diag) {
                ++seen;
                if (misses_at_most(diag, b, e, misses_allowed)) {
                    const std::size_t before = hits.size();
                    on_diagonal(diag, b, e);
                    all_known = all_known || hits.size() - before >= known;
                }
                // Past the first such passage, read on a little: another may be punctuated as quoted.
                return (!all_known || seen < cap) && seen < budget;
            });
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
        if (out.size() >= max_windows) break;
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
