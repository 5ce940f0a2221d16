// What a careful reader would not call altered: British and American spellings, a number written in words or
// with a scale word, and an elision that leaves out whole sentences. And what stays altered next to them.
#include <catch2/catch.hpp>

#include "align/align.hpp"

using namespace provcheck;

namespace {

Match check(std::string_view quote, std::string_view source) {
    return align_quote(quote, source, default_matching_rules());
}

}  // namespace

TEST_CASE("British and American spellings of one word are a minor variation", "[unit]") {
    const Match m = check("The council will prioritise flood defences this year",
                          "The council will prioritize flood defences this year, the mayor said.");
    CHECK(m.verdict == Verdict::minor_variation);
    REQUIRE(m.differences.size() == 1);
    CHECK(m.differences[0].kind == DiffKind::spelling);
    CHECK_FALSE(m.differences[0].critical);
    CHECK(check("the centre of the colourful town was travelling well",
                "the center of the colorful town was traveling well")
              .verdict == Verdict::minor_variation);
    // Endings alone do not make two words one: "four" is not "for", and a changed word stays changed.
    CHECK(check("we waited four hours at the station gate", "we waited for hours at the station gate").verdict ==
          Verdict::altered);
    CHECK(check("the council will prioritise flood defences this year",
                "the council will postpone flood defences this year")
              .verdict == Verdict::altered);
}

TEST_CASE("a number in words at a quotation's edge does not pull the sentence before into the passage", "[unit]") {
    const Match start = check("Thirty-seven reservoirs are below a quarter of their capacity",
                              "Restrictions stay until the end of March. 37 reservoirs are below a quarter of their "
                              "capacity, and six of them are below a tenth.");
    CHECK(start.verdict == Verdict::minor_variation);
    CHECK(start.text == "37 reservoirs are below a quarter of their capacity");
    const Match end = check("The reservoirs below a quarter of their capacity number thirty-seven",
                            "The reservoirs below a quarter of their capacity number 37. Officials expect rain.");
    CHECK(end.verdict == Verdict::minor_variation);
    CHECK(end.text == "The reservoirs below a quarter of their capacity number 37");
    // A different number stays a changed number.
    CHECK(check("Thirty-eight reservoirs are below a quarter of their capacity",
                "The end of March. 37 reservoirs are below a quarter of their capacity.")
              .verdict == Verdict::altered);
}

TEST_CASE("a number in words or with a scale word is the same number", "[unit]") {
    CHECK(check("The board counted thirty-seven new cases in the district",
                "The board counted 37 new cases in the district over the summer.")
              .verdict == Verdict::minor_variation);
    CHECK(
        check("Funding rose to 1.2 million pounds over the period", "Funding rose to 1,200,000 pounds over the period.")
            .verdict == Verdict::minor_variation);
    CHECK(check("about three hundred and five families were moved", "about 305 families were moved").verdict ==
          Verdict::minor_variation);
    // Another number is altered, however it is written.
    const Match m = check("The board counted thirty-eight new cases in the district",
                          "The board counted 37 new cases in the district over the summer.");
    CHECK(m.verdict == Verdict::altered);
    REQUIRE_FALSE(m.differences.empty());
    CHECK(m.differences[0].critical);
    CHECK(
        check("Funding rose to 1.3 million pounds over the period", "Funding rose to 1,200,000 pounds over the period.")
            .verdict == Verdict::altered);
}

TEST_CASE("an elision of whole sentences is elided, its numbers noted, not critical", "[unit]") {
    const std::string source =
        "We will not cut the budget. Spending on roads rose by 12 percent last year. Schools come first in every plan.";
    const Match m = check("We will not cut the budget ... Schools come first in every plan", source);
    CHECK(m.verdict == Verdict::elided);
    REQUIRE(m.elisions.size() == 1);
    CHECK(m.elisions[0].source.find("12 percent") != std::string::npos);
    CHECK_FALSE(m.elisions[0].critical);
    // Inside one sentence, leaving out a number or a negation still changes what the sentence says.
    CHECK(check("Spending on roads rose ... last year", source).verdict == Verdict::altered);
    CHECK(check("We will ... cut the budget", source).verdict == Verdict::altered);
}
