// The word index of a source text (internal to src/align).
//
// Input: a source text and the matching rules. Output: its word tokens with ids (equal ids = the same word
// after folding, number words and single-word spelling variants) and postings per id, from which
// candidate_windows() picks the few regions worth aligning with a quotation. A word k-gram of the quotation
// is looked up through the postings of its rarest word and checked against the token ids on the same
// diagonal; only k-grams made of frequent words, whose postings are too long to read, have a hash table of
// their own. A full k-gram table would cost 16 bytes per token, four times the budget of the whole index.
// Offsets are 32-bit: text past the first GiB is not indexed (captures are capped far below that), which
// also keeps the gap-coded postings under 4 GiB.
// Lifetime: views the source text, which must outlive the index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "align/align.hpp"

namespace provcheck::align {

inline constexpr std::uint32_t no_id = 0xffffffffU;
inline constexpr std::size_t max_indexed_bytes = std::size_t{1} << 30;

// Rules about single words: which are negations, which name numbers, which spellings are the same word.
class Lexicon {
public:
    explicit Lexicon(const MatchingRules& rules);
    // The key that decides equality: number words become "#<value>", spelling variants their first form.
    [[nodiscard]] std::string canonical(const std::string& key) const;
    [[nodiscard]] bool is_negation(std::string_view key) const;
    // Whether two token-key sequences are listed spellings of the same word(s).
    [[nodiscard]] bool same_spelling(const std::vector<std::string>& a, const std::vector<std::string>& b) const;
    // Whether two words differ only in a pair of endings that spell one word two ways (words.spelling_endings).
    [[nodiscard]] bool ending_variants(std::string_view a, std::string_view b) const;
    // The value of token keys that spell one number ("thirty", "seven"; "1.2", "million"; "#1200000"), or
    // nullopt when any key is not part of a number.
    [[nodiscard]] std::optional<double> number_value(const std::vector<std::string>& keys) const;

private:
    std::vector<std::pair<std::string, std::string>> endings_;  // every ordered pair of one group
    std::unordered_map<std::string, std::string> number_words_;
    std::unordered_map<std::string, std::string> variants_;
    std::vector<std::vector<std::vector<std::string>>> groups_;  // keys of every member of every group
    std::unordered_set<std::string> negations_;
    std::vector<std::string> negation_suffixes_;
};

struct SourceToken {
    std::size_t start = 0;
    std::size_t end = 0;
    std::uint32_t id = no_id;
};

// A region of source tokens [lo, hi) worth aligning.
struct Window {
    std::size_t lo = 0;
    std::size_t hi = 0;
};

namespace detail {

constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    return x ^ (x >> 32);
}

template <typename T>
T load(const char* p) noexcept {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

}  // namespace detail

// A 32-bit hash of a folded key, computed once per source token: whole words of eight bytes, then the tail
// in at most two overlapping loads, so that a short word costs a few instructions and no loop.
[[nodiscard]] inline std::uint32_t key_hash(std::string_view key) noexcept {
    const char* p = key.data();
    std::size_t n = key.size();
    // The length is mixed in first, spread over every bit: xored into the low bits, it could cancel a byte.
    std::uint64_t h = detail::mix64(0x9e3779b97f4a7c15ULL ^ n);
    for (; n > 8; n -= 8, p += 8)
        h = detail::mix64(h ^ detail::load<std::uint64_t>(p)) + 0x9e3779b97f4a7c15ULL;
    std::uint64_t tail = 0;
    if (n >= 4) {
        tail = detail::load<std::uint32_t>(p) | (std::uint64_t{detail::load<std::uint32_t>(p + n - 4)} << 32);
    } else if (n > 0) {
        tail = static_cast<unsigned char>(p[0]) | (std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
               (std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16);
    }
    return static_cast<std::uint32_t>(detail::mix64(h ^ tail));
}

// Folded words to ids: open addressing over one byte arena, a few bytes per distinct word, because the
// index must stay smaller than twice the source text. A slot keeps the key's hash, so that a probe only
// reads the arena (where the id is stored next to the key's bytes) for a key with the same hash, and
// growing never hashes a key again.
class Vocabulary {
public:
    [[nodiscard]] std::uint32_t find(std::string_view key) const noexcept { return find(key, key_hash(key)); }
    // `hash` must be key_hash(key).
    [[nodiscard]] std::uint32_t find(std::string_view key, std::uint32_t hash) const noexcept {
        if (slots_.empty()) return no_id;
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
            const Slot& slot = slots_[at];
            if (slot.offset == empty) return no_id;
            if (slot.hash == hash && key_at(slot.offset) == key) return id_at(slot.offset);
        }
    }
    // `key` must not be present yet.
    void insert(std::string_view key, std::uint32_t id) { insert(key, key_hash(key), id); }
    void insert(std::string_view key, std::uint32_t hash, std::uint32_t id);
    // Releases the arena's spare capacity once every key is in.
    void shrink_to_fit();
    [[nodiscard]] std::size_t size() const noexcept { return count_; }
    [[nodiscard]] std::size_t memory_bytes() const noexcept;

private:
    static constexpr std::uint32_t empty = 0xffffffffU;
    [[nodiscard]] std::string_view key_at(std::uint32_t offset) const noexcept {
        const std::size_t at = offset + sizeof(std::uint32_t);
        const auto len = static_cast<unsigned char>(arena_[at]);
        if (len < 255) return std::string_view(arena_).substr(at + 1, len);
        return std::string_view(arena_).substr(at + 1 + sizeof(std::uint32_t),
                                               detail::load<std::uint32_t>(arena_.data() + at + 1));
    }
    [[nodiscard]] std::uint32_t id_at(std::uint32_t offset) const noexcept {
        return detail::load<std::uint32_t>(arena_.data() + offset);
    }
    void grow();

    struct Slot {
        std::uint32_t hash = 0;
        std::uint32_t offset = empty;  // of the key's record in arena_: id, length, bytes
    };
    std::vector<Slot> slots_;
    std::string arena_;
    std::size_t count_ = 0;
};

// Reads the ascending positions of one id, stored as gaps in LEB128 bytes (most gaps of a frequent word fit
// in one byte, so the postings cost under 2 bytes per token instead of 4).
class PostingCursor {
public:
    PostingCursor() = default;
    PostingCursor(const std::uint8_t* begin, const std::uint8_t* end) noexcept : at_(begin), end_(end) {}
    // The next position, or false at the end of the list.
    [[nodiscard]] bool next(std::uint32_t& position) noexcept {
        if (at_ == end_) return false;
        std::uint32_t gap = 0;
        unsigned shift = 0;
        while (at_ != end_) {
            const std::uint8_t byte = *at_++;
            gap |= static_cast<std::uint32_t>(byte & 0x7fU) << shift;
            if ((byte & 0x80U) == 0) break;
            shift += 7;
        }
        last_ += gap;
        position = last_;
        return true;
    }

private:
    const std::uint8_t* at_ = nullptr;
    const std::uint8_t* end_ = nullptr;
    std::uint32_t last_ = 0;  // the first gap is the first position itself
};

// Ids of every token (4 bytes each), gap-coded postings per id, and the byte offset of every eighth token:
// the offsets of the others are found again by tokenising from there (SourceIndex::tokens). Together well
// under 2 bytes per byte of English-like text, however large.
struct SourceIndex {
    // Linear in the text: one tokenising pass assigns ids and sizes the postings, one pass over the ids
    // writes them, and two over the trigrams of frequent words fill their table.
    SourceIndex(std::string_view source_text, const MatchingRules& rules);

    static constexpr std::size_t checkpoint_every = 8;
    static constexpr std::uint8_t flag_negation = 1;
    static constexpr std::uint8_t flag_number = 2;
    static constexpr std::uint8_t flag_frequent = 4;

    std::string_view text;
    Lexicon lexicon;
    Vocabulary vocabulary;                       // raw and canonical keys to ids
    std::vector<std::uint8_t> id_flags;          // flag_* per id
    std::vector<std::uint32_t> id_counts;        // occurrences per id
    std::vector<std::uint32_t> ids;              // of every token, in order
    std::vector<std::uint32_t> checkpoints;      // byte offset of tokens 0, 8, 16, ...
    std::vector<std::uint32_t> posting_offsets;  // postings of id k: posting_bytes[offsets[k] .. offsets[k+1])
    std::vector<std::uint8_t> posting_bytes;
    // Word trigrams made only of frequent words (more than matching.max_seed_occurrences occurrences each),
    // whose postings are too long to read: positions by hash bucket (kgram_offsets has one entry per bucket
    // plus one), ascending within a bucket, checked against `ids` on lookup. Trigrams holding a rarer word are
    // found through that word's postings instead, so the table stays a small share of the text, and every
    // trigram of the source is found one way or the other.
    std::size_t frequent_above = 0;
    std::vector<std::uint32_t> kgram_offsets;
    std::vector<std::uint32_t> kgram_positions;

    [[nodiscard]] std::size_t size() const noexcept { return ids.size(); }
    // Offsets and id of token `s` (< size()).
    [[nodiscard]] SourceToken token(std::size_t s) const;
    // Offsets and ids of tokens [lo, hi), tokenising the stretch once.
    [[nodiscard]] std::vector<SourceToken> tokens(std::size_t lo, std::size_t hi) const;
    [[nodiscard]] std::uint32_t lookup(std::string_view canonical_key) const;
    [[nodiscard]] std::size_t occurrences(std::uint32_t id) const noexcept { return id == no_id ? 0 : id_counts[id]; }
    [[nodiscard]] PostingCursor postings(std::uint32_t id) const noexcept;
    // Positions of the trigram table's bucket for (a, b, c): a superset of the occurrences of a trigram of
    // frequent words.
    [[nodiscard]] std::pair<const std::uint32_t*, const std::uint32_t*> kgram_bucket(std::uint32_t a, std::uint32_t b,
                                                                                     std::uint32_t c) const noexcept;
    [[nodiscard]] std::size_t memory_bytes() const noexcept;
    [[nodiscard]] bool frequent(std::uint32_t id) const noexcept {
        return id != no_id && (id_flags[id] & flag_frequent) != 0;
    }
    [[nodiscard]] bool is_number(std::uint32_t id) const noexcept {
        return id != no_id && (id_flags[id] & flag_number) != 0;
    }
    [[nodiscard]] bool is_negation(std::uint32_t id) const noexcept {
        return id != no_id && (id_flags[id] & flag_negation) != 0;
    }
};

[[nodiscard]] std::uint64_t trigram_hash(std::uint32_t a, std::uint32_t b, std::uint32_t c) noexcept;

// Up to `max_windows` candidate regions, best first, for a quotation given as token ids (no_id for words the
// source lacks) split into segments ([begin, end) ranges, in order). `gap_allowance` is the most source words
// all elisions and insertions together may stand for. The work per quotation is bounded by
// matching.max_seed_occurrences (entries read per segment), not by the size of the source.
[[nodiscard]] std::vector<Window> candidate_windows(const SourceIndex& index, const std::vector<std::uint32_t>& ids,
                                                    const std::vector<std::pair<std::size_t, std::size_t>>& segments,
                                                    std::size_t gap_allowance, const MatchingRules& rules,
                                                    std::size_t max_windows);

}  // namespace provcheck::align
