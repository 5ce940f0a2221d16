// The source index: gap-coded postings, the trigram table of frequent words, and candidate search when
// every word of a quotation is over-frequent (matching.max_seed_occurrences).
#include <catch2/catch.hpp>

#include <string>

#include "align/align.hpp"
#include "align/index.hpp"
#include "unit/align/generated_text.hpp"

using namespace provcheck;
using namespace provcheck::align;

TEST_CASE("postings list every position of every word, in order", "[unit]") {
    test::FillerText filler(7);
    const std::string text = filler.text(200'000);
    const SourceIndex index(text, default_matching_rules());
    REQUIRE(index.size() > 1000);
    std::vector<std::size_t> seen(index.size(), 0);
    std::size_t total = 0;
    for (std::uint32_t id = 0; id < index.id_counts.size(); ++id) {
        PostingCursor cursor = index.postings(id);
        std::size_t count = 0;
        std::uint32_t previous = 0;
        for (std::uint32_t p = 0; cursor.next(p); ++count) {
            REQUIRE(p < index.size());
            CHECK(index.ids[p] == id);
            if (count > 0) CHECK(p > previous);
            previous = p;
            ++seen[p];
        }
        CHECK(count == index.occurrences(id));
        total += count;
    }
    CHECK(total == index.size());
    CHECK(std::count(seen.begin(), seen.end(), 1U) == static_cast<std::ptrdiff_t>(index.size()));
}

TEST_CASE("every trigram of frequent words is in its bucket of the table", "[unit]") {
    test::FillerText filler(11);
    const std::string text = filler.text(300'000);
    MatchingRules rules = default_matching_rules();
    rules.max_seed_occurrences = 16;
    const SourceIndex index(text, rules);
    std::size_t frequent_trigrams = 0;
    for (std::size_t p = 0; p + 2 < index.size(); ++p) {
        if (!index.frequent(index.ids[p]) || !index.frequent(index.ids[p + 1]) || !index.frequent(index.ids[p + 2]))
            continue;
        ++frequent_trigrams;
        const auto [first, last] = index.kgram_bucket(index.ids[p], index.ids[p + 1], index.ids[p + 2]);
        CHECK(std::find(first, last, static_cast<std::uint32_t>(p)) != last);
    }
    CHECK(frequent_trigrams > index.size() / 2);
    CHECK(index.memory_bytes() < 2 * text.size());
}

TEST_CASE("quotations made only of over-frequent words are still found, and bounded", "[unit]") {
    test::FillerText filler(5);
    const std::string text = filler.text(400'000);
    MatchingRules rules = default_matching_rules();
    // Every word of the filler's small vocabulary occurs more often than this: no cheap anchor anywhere.
    rules.max_seed_occurrences = 8;
    const PreparedSource prepared(text, rules);
    std::size_t frequent_words = 0;
    for (std::uint32_t id = 0; id < prepared.index().id_counts.size(); ++id)
        frequent_words += prepared.index().frequent(id) ? 1 : 0;
    REQUIRE(frequent_words > prepared.index().id_counts.size() / 2);

    const auto tokens = prepared.index().tokens(5000, 5012);
    REQUIRE(tokens.size() == 12);
    auto words = [&](std::size_t a, std::size_t b) {
        return text.substr(tokens[a].start, tokens[b].end - tokens[a].start);
    };
    SECTION("one and two words: the first occurrence read in order") {
        const Match one = align_quote(words(3, 3), prepared);
        CHECK(one.verdict == Verdict::verbatim);
        const Match two = align_quote(words(3, 4), prepared);
        CHECK((two.verdict == Verdict::verbatim || two.verdict == Verdict::minor_variation));
        CHECK(two.score == Approx(1.0));
    }
    SECTION("a longer passage, verbatim and with a word the source lacks") {
        const Match whole = align_quote(words(0, 11), prepared);
        CHECK((whole.verdict == Verdict::verbatim || whole.verdict == Verdict::minor_variation));
        CHECK(whole.score == Approx(1.0));
        const std::string changed = words(0, 4) + " Zqxwvy " + words(6, 11);
        const Match altered = align_quote(changed, prepared);
        CHECK(altered.verdict == Verdict::altered);
    }
    SECTION("two common words the source never puts side by side are not found") {
        const Match m = align_quote("Zqxwvy Yxwvut Xwvuts", prepared);
        CHECK(m.verdict == Verdict::not_found);
    }
}
