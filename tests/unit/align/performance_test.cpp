// Performance sanity: many quotations against one large prepared source. Times are reported, not asserted;
// the outcomes are.
#include <catch2/catch.hpp>

#include <chrono>

#include "align/align.hpp"
#include "unit/align/generated_text.hpp"

using namespace provcheck;

namespace {

// Offsets of the spaces of `text`, so that a run of words can be cut without scanning from the start.
std::vector<std::size_t> spaces_of(const std::string& text) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == ' ') out.push_back(i);
    }
    return out;
}

// `count` words starting after the `first`-th space.
std::string words_from(const std::string& text, const std::vector<std::size_t>& spaces, std::size_t first,
                       std::size_t count) {
    if (first + count >= spaces.size()) return {};
    return text.substr(spaces[first] + 1, spaces[first + count] - spaces[first] - 1);
}

}  // namespace

TEST_CASE("a thousand quotations against a 2 MB source", "[unit]") {
    test::FillerText filler(42);
    const std::string source = filler.text(2'000'000);
    const MatchingRules rules = default_matching_rules();
    const std::vector<std::size_t> spaces = spaces_of(source);

    const auto t0 = std::chrono::steady_clock::now();
    const PreparedSource prepared(source, rules);
    const auto t1 = std::chrono::steady_clock::now();

    std::size_t verbatim = 0;
    std::size_t altered = 0;
    std::size_t not_found = 0;
    std::size_t asked_verbatim = 0;
    std::size_t asked_altered = 0;
    std::size_t asked_absent = 0;
    test::FillerText other(4242);
    for (std::size_t i = 0; i < 1000; ++i) {
        const std::size_t first = static_cast<std::size_t>(filler.next() % 300000);
        const std::size_t count = 4 + static_cast<std::size_t>(filler.next() % 40);
        std::string quote = words_from(source, spaces, first, count);
        REQUIRE_FALSE(quote.empty());
        switch (i % 4) {
            case 0:
            case 1: {
                ++asked_verbatim;
                const Match m = align_quote(quote, prepared);
                // The generated prose repeats short phrases; any occurrence is the quotation, word for word.
                INFO("quote: " << quote << " -> " << to_string(m.verdict) << " " << m.score << " [" << m.text << "]");
                CHECK((m.verdict == Verdict::verbatim || m.verdict == Verdict::minor_variation));
                if (m.verdict == Verdict::verbatim) ++verbatim;
                break;
            }
            case 2: {
                // One word replaced by a number that the generator never writes.
                ++asked_altered;
                const std::size_t space = quote.find(' ', quote.size() / 2);
                if (space == std::string::npos) break;
                const std::size_t next = quote.find(' ', space + 1);
                quote.replace(space + 1, (next == std::string::npos ? quote.size() : next) - space - 1, "1234567");
                const Match m = align_quote(quote, prepared);
                INFO("quote: " << quote << " -> " << to_string(m.verdict) << " " << m.score << " " << m.decided_by
                               << " [" << m.text << "]");
                CHECK(m.verdict == Verdict::altered);
                if (m.verdict == Verdict::altered) ++altered;
                break;
            }
            default: {
                ++asked_absent;
                const Match m = align_quote("Zyxwv " + other.sentence() + " Qqqq rrrr ssss tttt uuuu", prepared);
                CHECK(m.verdict == Verdict::not_found);
                if (m.verdict == Verdict::not_found) ++not_found;
                break;
            }
        }
    }
    const auto t2 = std::chrono::steady_clock::now();
    using ms = std::chrono::milliseconds;
    WARN("2 MB source: " << prepared.word_count() << " words prepared in "
                         << std::chrono::duration_cast<ms>(t1 - t0).count() << " ms; 1000 quotations aligned in "
                         << std::chrono::duration_cast<ms>(t2 - t1).count() << " ms (" << verbatim << "/"
                         << asked_verbatim << " verbatim, " << altered << "/" << asked_altered << " altered, "
                         << not_found << "/" << asked_absent << " not found)");
}
