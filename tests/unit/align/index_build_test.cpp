// The index build's fast paths: the token views of the ASCII path agree with the general tokeniser, the
// vocabulary finds every key it was given (through growth, hash collisions in a bucket and long keys), and
// the ids of an index are exactly the vocabulary's ids of its tokens' canonical keys.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "align/index.hpp"
#include "align/normalize.hpp"
#include "unit/align/generated_text.hpp"

using namespace provcheck;
using namespace provcheck::align;

namespace {

struct Seen {
    std::size_t start;
    std::size_t end;
    std::string key;
    bool is_number;
    bool operator==(const Seen&) const = default;
};

std::vector<Seen> by_views(std::string_view text) {
    std::vector<Seen> out;
    for_each_token_view(text, [&](const TokenView& t) {
        out.push_back(Seen{t.start, t.end, std::string(t.key), t.is_number});
    });
    return out;
}

std::vector<Seen> by_tokens(std::string_view text) {
    std::vector<Seen> out;
    for (const auto& t : tokenize(text))
        out.push_back(Seen{t.start, t.end, t.key, t.is_number});
    return out;
}

}  // namespace

TEST_CASE("token views give the tokens, offsets and keys of the general tokeniser", "[unit]") {
    const std::vector<std::string> texts = {
        "U.S. officials said 1,400 people, not 1.5 million, don't agree; rock'n'roll.",
        "Trailing word",
        "ends in digits 2024",
        "'quoted' and \"double\" -- dashes - and O'Brien's 30,000.",
        "mixed \xc3\xa9t\xc3\xa9 caf\xc3\xa9 na\xc3\xafve \xe2\x80\x9cIsrael\xe2\x80\x99s\xe2\x80\x9d 3\xc2\xa0"
        "000",
        "soft\xc2\xadhyphen zero\xe2\x80\x8bwidth \xe2\x80\x8bleading \xef\xac\x81nal",
        "invalid \xff bytes\xfe in\xc3 the middle",
        "ABC123 123abc 1,2,3 1,234,567.89 a.b.c 7.",
        "",
        "   ...   ",
    };
    for (const auto& text : texts) {
        INFO(text);
        CHECK(by_views(text) == by_tokens(text));
    }
    test::FillerText filler(3);
    const std::string prose = filler.text(50'000);
    CHECK(by_views(prose) == by_tokens(prose));
}

TEST_CASE("nth_token_bounds finds one token without a list", "[unit]") {
    const std::string text = "One, two\xe2\x80\x94three 4,000 five.";
    const auto all = token_bounds(text, 0, 10);
    REQUIRE(all.size() == 5);
    for (std::size_t k = 0; k < all.size(); ++k) {
        const auto one = nth_token_bounds(text, k);
        REQUIRE(one.has_value());
        CHECK(*one == all[k]);
    }
    CHECK_FALSE(nth_token_bounds(text, 5).has_value());
    CHECK_FALSE(nth_token_bounds("", 0).has_value());
}

TEST_CASE("key_hash depends on every byte and on the length", "[unit]") {
    CHECK(key_hash("abc") == key_hash(std::string("abc")));
    std::set<std::uint32_t> hashes;
    const std::vector<std::string> keys = {"",          "a",          "b",       "ab",       "ba",       "abc",
                                           "abcd",      "abce",       "abcdefg", "abcdefgh", "abcdefgi", "abcdefghi",
                                           "bbcdefghi", "abcdefghij", "#1400",   "#14000"};
    for (const auto& k : keys)
        hashes.insert(key_hash(k));
    CHECK(hashes.size() == keys.size());
    // Tails shorter than a word are read in overlapping loads: a change anywhere in them still counts.
    CHECK(key_hash(std::string("a\0b", 3)) != key_hash(std::string("a\0c", 3)));
    CHECK(key_hash(std::string("abcdefghijk")) != key_hash(std::string("abcdefghijl")));
}

TEST_CASE("the vocabulary finds every key through growth, shared hashes and long keys", "[unit]") {
    Vocabulary vocabulary;
    std::vector<std::string> keys;
    for (int k = 0; k < 5000; ++k)
        keys.push_back("w" + std::to_string(k * 7919));
    keys.push_back(std::string(300, 'x'));  // longer than a one-byte length prefix
    keys.push_back(std::string(255, 'y'));
    for (std::size_t k = 0; k < keys.size(); ++k)
        vocabulary.insert(keys[k], static_cast<std::uint32_t>(k));
    // Keys given the same hash on purpose share a probe sequence: only their bytes tell them apart.
    vocabulary.insert("collide-a", 12345, 90001);
    vocabulary.insert("collide-b", 12345, 90002);
    vocabulary.shrink_to_fit();
    CHECK(vocabulary.size() == keys.size() + 2);
    for (std::size_t k = 0; k < keys.size(); ++k)
        CHECK(vocabulary.find(keys[k]) == k);
    CHECK(vocabulary.find("collide-a", 12345) == 90001);
    CHECK(vocabulary.find("collide-b", 12345) == 90002);
    CHECK(vocabulary.find("collide-c", 12345) == no_id);
    CHECK(vocabulary.find("absent") == no_id);
    CHECK(vocabulary.find(std::string(299, 'x')) == no_id);
    CHECK(vocabulary.memory_bytes() > 0);
}

TEST_CASE("the index gives every token the id of its canonical key, and counts it", "[unit]") {
    test::FillerText filler(9);
    // Number words, spelling variants and digits among the filler: keys that take another key's id.
    const std::string text = filler.text(120'000) + " Thirty people, 30 people; color and colour, US and U.S. " +
                             filler.text(20'000) + " thirty 1,400 1400.";
    const MatchingRules rules = default_matching_rules();
    const SourceIndex index(text, rules);
    const auto toks = tokenize(text);
    REQUIRE(index.size() == toks.size());
    std::vector<std::uint32_t> counts(index.id_counts.size(), 0);
    for (std::size_t p = 0; p < toks.size(); ++p) {
        const std::uint32_t id = index.ids[p];
        REQUIRE(id < counts.size());
        CHECK(id == index.lookup(index.lexicon.canonical(toks[p].key)));
        ++counts[id];
        if (p % 97 == 0) {
            const SourceToken t = index.token(p);
            CHECK(t.start == toks[p].start);
            CHECK(t.end == toks[p].end);
        }
    }
    CHECK(counts == index.id_counts);
    CHECK(index.is_number(index.lookup("#30")));
    CHECK(index.lookup("thirty") == index.lookup("#30"));
    CHECK(index.lookup("#1400") != no_id);
    CHECK(index.memory_bytes() < 2 * text.size());
}
