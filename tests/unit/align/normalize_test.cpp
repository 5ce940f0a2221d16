// Tokenisation and folding: every token maps back to the exact original bytes, and typographic variants
// share a key.
#include <catch2/catch.hpp>

#include "align/normalize.hpp"

using namespace provcheck;
using namespace provcheck::align;

namespace {

std::vector<std::string> keys(std::string_view text) {
    std::vector<std::string> out;
    for (const auto& t : tokenize(text))
        out.push_back(t.key);
    return out;
}

std::vector<std::string> originals(std::string_view text) {
    std::vector<std::string> out;
    for (const auto& t : tokenize(text))
        out.emplace_back(text.substr(t.start, t.end - t.start));
    return out;
}

}  // namespace

TEST_CASE("tokens keep the byte offsets of the original text", "[unit]") {
    const std::string text =
        "\xe2\x80\x9cIsrael\xe2\x80\x99s army\xc2\xa0said \xef\xbc\xae\xef\xbc\xa1\xef\xbc\xb4\xef\xbc\xaf\xe2\x80\x94"
        "human\xc2\xadi\xe2\x80\x8btarian 1,400 people, \xef\xac\x81nal\xe2\x80\x9d";
    const auto toks = tokenize(text);
    REQUIRE(toks.size() == 8);
    CHECK(originals(text) == std::vector<std::string>{"Israel\xe2\x80\x99s", "army", "said",
                                                      "\xef\xbc\xae\xef\xbc\xa1\xef\xbc\xb4\xef\xbc\xaf",
                                                      "human\xc2\xadi\xe2\x80\x8btarian", "1,400", "people",
                                                      "\xef\xac\x81nal"});
    CHECK(keys(text) ==
          std::vector<std::string>{"israel's", "army", "said", "nato", "humanitarian", "#1400", "people", "final"});
    for (const auto& t : toks) {
        INFO("token " << t.key);
        // Folding the original bytes of the token gives the token's key again: offsets are exact.
        CHECK(fold_token(std::string_view(text).substr(t.start, t.end - t.start)).key == t.key);
        // Offsets sit on code point boundaries.
        CHECK(codepoint_floor(text, t.start) == t.start);
        CHECK((t.end == text.size() || codepoint_floor(text, t.end) == t.end));
    }
    CHECK(toks[5].is_number);
    CHECK_FALSE(toks[6].is_number);
}

TEST_CASE("numbers: thousands separators fold, decimal points do not", "[unit]") {
    CHECK(keys("1,400 1400 1.5 1,5 1.400.000 1,400.25 30") ==
          std::vector<std::string>{"#1400", "#1400", "#1.5", "#1.5", "#1400000", "#1400.25", "#30"});
    // An apostrophe joins letters only: the year stays a number.
    CHECK(keys("30, 40. 2011's") == std::vector<std::string>{"#30", "#40", "#2011", "s"});
    CHECK(keys("\xef\xbc\x93\xef\xbc\x90 countries") == std::vector<std::string>{"#30", "countries"});
}

TEST_CASE("words split at dashes, spaces and invalid bytes but not at in-word apostrophes", "[unit]") {
    CHECK(keys("long-time mediator\xe2\x80\x94the") == std::vector<std::string>{"long", "time", "mediator", "the"});
    CHECK(keys("don\xe2\x80\x99t 'quoted' rock\xe2\x80\x99n\xe2\x80\x99roll") ==
          std::vector<std::string>{"don't", "quoted", "rock'n'roll"});
    const std::string invalid =
        "ab\xff"
        "cd \xc3 ef\xe2\x80";
    CHECK(keys(invalid) == std::vector<std::string>{"ab", "cd", "ef"});
    CHECK(originals(invalid) == std::vector<std::string>{"ab", "cd", "ef"});
    CHECK(tokenize("").empty());
    CHECK(tokenize("\xe2\x80\x9c \xe2\x80\xa6 -- \xe2\x80\x8b").empty());
}

TEST_CASE("masked bytes are editorial and stay inside the word", "[unit]") {
    const std::string text = "[T]he Israel[i] army";
    ByteMask mask(text.size(), false);
    mask[0] = mask[2] = true;
    mask[12] = mask[14] = true;
    const auto toks = tokenize(text, mask);
    REQUIRE(toks.size() == 3);
    CHECK(toks[0].key == "the");
    CHECK(toks[0].start == 0);
    CHECK(toks[0].editorial);
    CHECK(toks[1].key == "israeli");
    CHECK(text.substr(toks[1].start, toks[1].end - toks[1].start) == "Israel[i]");
    CHECK_FALSE(toks[2].editorial);
}

TEST_CASE("the punctuation between words folds dashes and drops quotation marks", "[unit]") {
    CHECK(fold_gap(", ") == ",");
    CHECK(fold_gap(" \xe2\x80\x94 ") == "-");
    CHECK(fold_gap(" -- ") == "-");
    CHECK(fold_gap("\xe2\x80\x9d ") == "");
    CHECK(fold_gap(",\xe2\x80\x9d ") == ",");
    CHECK(fold_gap("\xc2\xa0\xe2\x80\x8b") == "");
    CHECK(fold_gap("\xef\xbc\x8c") == ",");
}

TEST_CASE("sentence starts and capitals", "[unit]") {
    const std::string text = "He left. \xe2\x80\x9cThe talks\xe2\x80\x9d said Baskin";
    CHECK(at_sentence_start(text, 0));
    CHECK(at_sentence_start(text, text.find("The")));
    CHECK_FALSE(at_sentence_start(text, text.find("Baskin")));
    CHECK(starts_with_capital("Baskin"));
    CHECK(starts_with_capital("\xc3\x89mile"));
    CHECK_FALSE(starts_with_capital("baskin"));
    CHECK_FALSE(starts_with_capital(""));
    CHECK(strip_marks("jos\xc3\xa9") == "jose");
}

TEST_CASE("clean copies replace invalid bytes and trim Unicode spaces", "[unit]") {
    CHECK(clean_copy("\xc2\xa0 and analysts \n") == "and analysts");
    CHECK(clean_copy("a\xff") == "a\xef\xbf\xbd");
    CHECK(clean_copy("") == "");
}
