// align_quote's contract beyond the labelled cases: each elision marker, better_match, bad input, and the
// rules file.
#include <catch2/catch.hpp>

#include "align/align.hpp"
#include "rules/rules.hpp"

using namespace provcheck;

namespace {

const char* const nyt_passage =
    "Several former U.S. officials and analysts said that while that mission was extremely dangerous, it would "
    "not compare to the perils of a military rescue operation in Gaza.";

Match make(Verdict v, double score) {
    Match m;
    m.verdict = v;
    m.score = score;
    return m;
}

}  // namespace

TEST_CASE("every elision marker of the rules splits the quotation and reports what it stands for", "[unit]") {
    const MatchingRules rules = default_matching_rules();
    REQUIRE(rules.elision_markers.size() >= 7);
    for (const auto& marker : rules.elision_markers) {
        INFO("marker " << marker);
        const std::string quote = "Several former U.S. officials " + marker + " said that while that mission";
        const Match m = align_quote(quote, nyt_passage, rules);
        CHECK(m.verdict == Verdict::elided);
        REQUIRE(m.elisions.size() == 1);
        CHECK(m.elisions[0].marker == marker);
        CHECK(m.elisions[0].source == "and analysts");
        CHECK_FALSE(m.elisions[0].critical);
        CHECK(m.differences.empty());
        CHECK(m.score == Approx(1.0));
        CHECK(m.text == "Several former U.S. officials and analysts said that while that mission");
        CHECK(std::string_view(nyt_passage).substr(m.start, m.end - m.start) == m.text);
    }
}

TEST_CASE("a marker written without spaces around it still splits the quotation", "[unit]") {
    const Match m = align_quote("former U.S. officials(...)said that while", nyt_passage, default_matching_rules());
    CHECK(m.verdict == Verdict::elided);
    REQUIRE(m.elisions.size() == 1);
    CHECK(m.elisions[0].source == "and analysts");
}

TEST_CASE("an elision longer than elision.max_span_words is not one passage", "[unit]") {
    MatchingRules rules = default_matching_rules();
    rules.elision_max_span_words = 3;
    const Match m =
        align_quote("Several former U.S. officials … it would not compare to the perils", nyt_passage, rules);
    CHECK(m.verdict == Verdict::altered);
    CHECK(m.decided_by == "elision.max_span_words");
    REQUIRE_FALSE(m.differences.empty());
    CHECK(m.differences.back().kind == DiffKind::stitched);
    CHECK(m.differences.back().critical);
}

TEST_CASE("the passage comes with its context and offsets", "[unit]") {
    MatchingRules rules = default_matching_rules();
    rules.context_bytes = 10;
    const Match m = align_quote("that mission was extremely dangerous", nyt_passage, rules);
    CHECK(m.verdict == Verdict::verbatim);
    CHECK(m.text == "that mission was extremely dangerous");
    const std::string text(nyt_passage);
    CHECK(m.context_before == text.substr(m.start - 10, 10));
    CHECK(m.context_after == text.substr(m.end, 10));
    CHECK(m.start == std::string_view(nyt_passage).find("that mission"));
    CHECK(m.end == m.start + m.text.size());
}

TEST_CASE("context never cuts a character in two", "[unit]") {
    MatchingRules rules = default_matching_rules();
    rules.context_bytes = 4;
    const std::string text = "\xe2\x80\x94\xe2\x80\x94 best option \xe2\x80\x94\xe2\x80\x94";
    const Match m = align_quote("best option", text, rules);
    CHECK(m.verdict == Verdict::verbatim);
    CHECK(m.context_before == "\xe2\x80\x94 ");
    CHECK(m.context_after == " \xe2\x80\x94");
}

TEST_CASE("bad input gives a not_found match that says why", "[unit]") {
    const MatchingRules rules = default_matching_rules();
    SECTION("empty quotation") {
        const Match m = align_quote("", nyt_passage, rules);
        CHECK(m.verdict == Verdict::not_found);
        CHECK(m.decided_by == "input.quote_without_words");
    }
    SECTION("quotation of only marks") {
        for (const char* q : {"\xe2\x80\x9c\xe2\x80\x9d", "...", "(\xe2\x80\xa6)", " [...] ", "\xe2\x80\x94 ,"}) {
            const Match m = align_quote(q, nyt_passage, rules);
            CHECK(m.verdict == Verdict::not_found);
            CHECK(m.decided_by == "input.quote_without_words");
        }
    }
    SECTION("empty source") {
        const Match m = align_quote("best option", "", rules);
        CHECK(m.verdict == Verdict::not_found);
        CHECK(m.decided_by == "input.source_without_words");
    }
    SECTION("invalid UTF-8 in the source") {
        const std::string bad = std::string("\xff\xfe officials and \xc3 analysts said that \xed\xa0\x80 while");
        const Match m = align_quote("officials and analysts said", bad, rules);
        CHECK(m.verdict == Verdict::verbatim);
        CHECK(bad.substr(m.start, m.end - m.start).starts_with("officials and"));
        CHECK(m.text == "officials and \xef\xbf\xbd analysts said");
    }
    SECTION("invalid UTF-8 in the quotation") {
        const Match m = align_quote("officials \xff and analysts\xc3", nyt_passage, rules);
        CHECK(m.verdict == Verdict::verbatim);
    }
    SECTION("a quotation longer than matching.max_quote_words") {
        MatchingRules small = rules;
        small.max_quote_words = 5;
        const Match m = align_quote("Several former U.S. officials and analysts said", nyt_passage, small);
        CHECK(m.verdict == Verdict::not_found);
        CHECK(m.decided_by == "matching.max_quote_words");
    }
    SECTION("a quotation with a mark between every word") {
        std::string q;
        for (int i = 0; i < 300; ++i)
            q += "officials \xe2\x80\xa6 analysts (...) ";
        const Match m = align_quote(q, nyt_passage, rules);
        CHECK(m.verdict == Verdict::altered);
    }
    SECTION("an unbalanced bracket is punctuation") {
        const Match m = align_quote("officials [and analysts said", nyt_passage, rules);
        CHECK(m.verdict == Verdict::minor_variation);
        REQUIRE(m.differences.size() == 1);
        CHECK(m.differences[0].kind == DiffKind::punctuation);
        CHECK(m.differences[0].quote == "[");
    }
}

TEST_CASE("better_match ranks by verdict, then score", "[unit]") {
    CHECK(better_match(make(Verdict::verbatim, 1.0), make(Verdict::elided, 1.0)));
    CHECK(better_match(make(Verdict::elided, 1.0), make(Verdict::minor_variation, 1.0)));
    CHECK(better_match(make(Verdict::minor_variation, 1.0), make(Verdict::altered, 1.0)));
    CHECK(better_match(make(Verdict::altered, 0.6), make(Verdict::source_restricted, 0.0)));
    CHECK(better_match(make(Verdict::source_restricted, 0.0), make(Verdict::not_found, 0.4)));
    CHECK(better_match(make(Verdict::not_found, 0.0), make(Verdict::source_unavailable, 0.0)));
    CHECK(better_match(make(Verdict::source_unavailable, 0.0), make(Verdict::unsourced, 0.0)));
    CHECK(better_match(make(Verdict::altered, 0.9), make(Verdict::altered, 0.7)));
    CHECK_FALSE(better_match(make(Verdict::altered, 0.7), make(Verdict::altered, 0.9)));
    CHECK_FALSE(better_match(make(Verdict::altered, 0.7), make(Verdict::altered, 0.7)));
    CHECK_FALSE(better_match(make(Verdict::not_found, 0.9), make(Verdict::altered, 0.6)));

    // Picking across sources: the best of several is found with better_match as the order.
    std::vector<Match> found{make(Verdict::not_found, 0.3), make(Verdict::altered, 0.93), make(Verdict::altered, 0.8),
                             make(Verdict::source_unavailable, 0.0)};
    const auto best = std::min_element(found.begin(), found.end(), better_match);
    CHECK(best->verdict == Verdict::altered);
    CHECK(best->score == Approx(0.93));
}

TEST_CASE("a prepared source aligns many quotations with the same result as one-off alignment", "[unit]") {
    const MatchingRules rules = default_matching_rules();
    const PreparedSource prepared(nyt_passage, rules);
    CHECK(prepared.word_count() == 29);
    CHECK(prepared.text() == nyt_passage);
    for (const char* q : {"extremely dangerous", "it would compare to the perils", "Several former U.S. officials"}) {
        const Match a = align_quote(q, prepared);
        const Match b = align_quote(q, nyt_passage, rules);
        CHECK(a.verdict == b.verdict);
        CHECK(a.start == b.start);
        CHECK(a.differences.size() == b.differences.size());
    }
}

TEST_CASE("the built-in matching.toml parses to the default rules", "[unit]") {
    auto rules = load_rules();
    REQUIRE(rules);
    auto parsed = parse_matching_rules(rules->table("matching.toml"));
    REQUIRE(parsed);
    CHECK(*parsed == default_matching_rules());
    CHECK(parsed->altered_min_score == Approx(0.6));
    CHECK(parsed->number_words.at("thirty") == 30);
}

TEST_CASE("matching rules override defaults and reject bad values", "[unit]") {
    auto parse = [](std::string_view text) { return parse_matching_rules(toml::parse(text)); };
    auto ok = parse("[matching]\naltered_min_score = 0.75\n[elision]\nmax_span_words = 10\n");
    REQUIRE(ok);
    CHECK(ok->altered_min_score == Approx(0.75));
    CHECK(ok->elision_max_span_words == 10);
    CHECK(ok->negations == default_matching_rules().negations);
    CHECK(parse("[matching]\naltered_min_score = 1\n")->altered_min_score == Approx(1.0));

    for (const char* bad : {"[matching]\naltered_min_score = 1.5\n", "[matching]\naltered_min_score = \"high\"\n",
                            "[matching]\naltred_min_score = 0.5\n", "[matching]\nmax_candidates = 0\n",
                            "[elision]\nmarkers = [\"...\", 3]\n", "[elision]\nmarkers = [\"\"]\n",
                            "[words]\nspelling_variants = [[\"color\"]]\n", "[words.number_words]\nthirty = -30\n",
                            "[thresholds]\nkeep = 1\n", "matching = 3\n", "[elision]\nhidden_number_critical = 1\n"}) {
        INFO(bad);
        auto r = parse(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::config);
        CHECK(r.error().message.starts_with("rules/matching.toml: "));
    }
}

TEST_CASE("rules change verdicts: thresholds and number words", "[unit]") {
    MatchingRules strict = default_matching_rules();
    strict.altered_min_score = 0.95;
    const char* quote = "Several former U.S. officials and experts said that while that mission";
    CHECK(align_quote(quote, nyt_passage, default_matching_rules()).verdict == Verdict::altered);
    const Match m = align_quote(quote, nyt_passage, strict);
    CHECK(m.verdict == Verdict::not_found);
    CHECK(m.decided_by == "matching.altered_min_score");
    CHECK(m.differences.empty());
    CHECK_FALSE(m.text.empty());

    MatchingRules literal = default_matching_rules();
    literal.number_words_are_numbers = false;
    const char* text = "People from more than thirty countries are among the hostages.";
    CHECK(align_quote("people from more than 30 countries", text, default_matching_rules()).verdict ==
          Verdict::minor_variation);
    CHECK(align_quote("people from more than 30 countries", text, literal).verdict == Verdict::altered);

    MatchingRules lenient = default_matching_rules();
    lenient.hidden_negation_critical = false;
    const Match e = align_quote("it would … compare to the perils", nyt_passage, lenient);
    CHECK(e.verdict == Verdict::elided);
    REQUIRE(e.elisions.size() == 1);
    CHECK(e.elisions[0].source == "not");
}

TEST_CASE("arbitrary bytes never break the alignment's invariants", "[unit]") {
    const MatchingRules rules = default_matching_rules();
    const std::string pieces[] = {"the ", "talks ", "30 ",         "1,400 ", "\xe2\x80\xa6", "(..)", "[",
                                  "]",    "[...]",  "\xff",        "\xc3",   "\xe2\x80\x9c", "not ", "Qatar ",
                                  ". ",   ", ",     "\xc2\xad",    "...",    "\xe2\x80\x8b", "[T]",  "so ",
                                  "far ", "\n",     "\xef\xbc\xae"};
    std::uint64_t state = 88172645463325252ULL;
    auto next = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    std::string text;
    for (int i = 0; i < 3000; ++i)
        text += pieces[next() % std::size(pieces)];
    const PreparedSource prepared(text, rules);
    for (int round = 0; round < 300; ++round) {
        std::string quote;
        const auto len = next() % 40;
        for (std::uint64_t i = 0; i < len; ++i)
            quote += pieces[next() % std::size(pieces)];
        INFO("quote [" << quote << "]");
        const Match m = align_quote(quote, prepared);
        CHECK(m.score >= 0.0);
        CHECK(m.score <= 1.0);
        CHECK(m.start <= m.end);
        CHECK(m.end <= text.size());
        CHECK((m.verdict == Verdict::verbatim || m.verdict == Verdict::elided ||
               m.verdict == Verdict::minor_variation || m.verdict == Verdict::altered ||
               m.verdict == Verdict::not_found));
        CHECK_FALSE(m.decided_by.empty());
        if (m.verdict != Verdict::not_found) CHECK_FALSE(m.text.empty());
    }
}

TEST_CASE("a short quotation printed exactly later in the source is verbatim there", "[unit]") {
    // The first passage holding the words differs in punctuation and case; the exact one comes later.
    const std::string text =
        "The harbour master spoke first. Every boat stayed in. The council met later, and the vote was close: "
        "every boat, stayed in.";
    const Match m = align_quote("every boat, stayed in", text, MatchingRules{});
    CHECK(m.verdict == Verdict::verbatim);
    CHECK(text.substr(m.start, m.end - m.start) == "every boat, stayed in");
    // With no exact occurrence, the variation stands.
    const Match v = align_quote("every boat; stayed in", text, MatchingRules{});
    CHECK(v.verdict == Verdict::minor_variation);
}
