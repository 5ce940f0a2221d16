// Every labelled case of fixtures/align/cases.toml must come out exactly as labelled.
#include <fmt/format.h>
#include <toml++/toml.h>
#include <catch2/catch.hpp>

#include <set>
#include <sstream>

#include "align/align.hpp"
#include "support/temp_dir.hpp"
#include "unit/align/generated_text.hpp"

using namespace provcheck;

namespace {

std::string describe(const Match& m) {
    std::ostringstream out;
    out << "verdict " << to_string(m.verdict) << " score " << m.score << " decided_by " << m.decided_by << "\n";
    out << "text [" << m.text << "]\n";
    for (const auto& d : m.differences) {
        out << "  diff {" << d.op << ", [" << d.quote << "], [" << d.source << "], " << to_string(d.kind) << ", "
            << (d.critical ? "critical" : "minor") << "}\n";
    }
    for (const auto& e : m.elisions) {
        out << "  elision {" << e.marker << ", [" << e.source << "], " << (e.critical ? "critical" : "minor") << "}\n";
    }
    for (const auto& i : m.insertions)
        out << "  insertion [" << i << "]\n";
    return out.str();
}

std::string str(const toml::table& t, std::string_view key) {
    return t[key].value_or(std::string{});
}

struct Case {
    std::string id;
    std::string quote;
    std::string source;
    const toml::table* table = nullptr;
};

// The source of a case: its own `source`, or a shared page, optionally inside generated filler text.
std::string source_of(const toml::table& file, const toml::table& c) {
    std::string source = str(c, "source");
    if (const auto page = c["page"].value<std::string>()) {
        source = file["pages"][*page].value_or(std::string{});
        REQUIRE_FALSE(source.empty());
    }
    if (const auto bytes = c["filler_bytes"].value<std::int64_t>()) {
        test::FillerText filler(static_cast<std::uint64_t>(c["filler_seed"].value_or(std::int64_t{1})));
        const auto half = static_cast<std::size_t>(*bytes / 2);
        std::string before = filler.text(half);
        std::string after = filler.text(half);
        source = before + "\n\n" + source + "\n\n" + after;
    }
    return source;
}

}  // namespace

TEST_CASE("every labelled alignment case gives its expected verdict and details", "[unit]") {
    const auto path = test::source_path("fixtures/align/cases.toml");
    toml::table file;
    try {
        file = toml::parse_file(path.string());
    } catch (const toml::parse_error& e) {
        FAIL("cases.toml does not parse: " << e.description() << " at line " << e.source().begin.line);
    }
    const auto* cases = file["case"].as_array();
    REQUIRE(cases != nullptr);
    CHECK(cases->size() >= 150);

    const MatchingRules rules = default_matching_rules();
    std::set<std::string> ids;
    std::set<std::string> verdicts_seen;
    std::set<std::string> kinds_seen;
    for (const auto& node : *cases) {
        const auto* c = node.as_table();
        REQUIRE(c != nullptr);
        const std::string id = str(*c, "id");
        INFO("case " << id);
        REQUIRE_FALSE(id.empty());
        CHECK(ids.insert(id).second);
        const std::string quote = str(*c, "quote");
        const std::string source = source_of(file, *c);
        const Match m = align_quote(quote, source, rules);
        INFO(describe(m));

        CHECK(to_string(m.verdict) == str(*c, "verdict"));
        verdicts_seen.insert(std::string(to_string(m.verdict)));
        for (const auto& d : m.differences)
            kinds_seen.insert(std::string(to_string(d.kind)));
        CHECK(m.score >= (*c)["min_score"].value_or(0.0));
        CHECK(m.score <= (*c)["max_score"].value_or(1.0));
        if (const auto decided = (*c)["decided_by"].value<std::string>()) CHECK(m.decided_by == *decided);
        if (const auto text = (*c)["text"].value<std::string>()) {
            CHECK(m.text == *text);
            CHECK(source.substr(m.start, m.end - m.start) == *text);
        }
        if (const auto* diffs = (*c)["differences"].as_array()) {
            REQUIRE(m.differences.size() == diffs->size());
            for (std::size_t k = 0; k < diffs->size(); ++k) {
                const auto& want = *(*diffs)[k].as_table();
                const Difference& got = m.differences[k];
                CHECK(got.op == str(want, "op"));
                if (want.contains("quote")) CHECK(got.quote == str(want, "quote"));
                if (want.contains("source")) CHECK(got.source == str(want, "source"));
                CHECK(to_string(got.kind) == str(want, "kind"));
                CHECK(got.critical == want["critical"].value_or(false));
            }
        }
        if (const auto* kinds = (*c)["has_kinds"].as_array()) {
            for (const auto& k : *kinds) {
                const std::string kind = k.value_or(std::string{});
                INFO("difference kind " << kind);
                CHECK(std::any_of(m.differences.begin(), m.differences.end(),
                                  [&](const Difference& d) { return to_string(d.kind) == kind; }));
            }
        }
        if (const auto* els = (*c)["elisions"].as_array()) {
            REQUIRE(m.elisions.size() == els->size());
            for (std::size_t k = 0; k < els->size(); ++k) {
                const auto& want = *(*els)[k].as_table();
                CHECK(m.elisions[k].marker == str(want, "marker"));
                if (want.contains("source")) CHECK(m.elisions[k].source == str(want, "source"));
                CHECK(m.elisions[k].critical == want["critical"].value_or(false));
            }
        }
        if (const auto* ins = (*c)["insertions"].as_array()) {
            REQUIRE(m.insertions.size() == ins->size());
            for (std::size_t k = 0; k < ins->size(); ++k)
                CHECK(m.insertions[k] == (*ins)[k].value_or(std::string{}));
        }
    }
    // The cases cover every verdict align_quote gives and every difference kind.
    for (const char* v : {"verbatim", "elided", "minor_variation", "altered", "not_found"}) {
        INFO("verdict " << v);
        CHECK(verdicts_seen.contains(v));
    }
    for (const char* k :
         {"number", "negation", "name", "word", "punctuation", "case", "spelling", "stitched", "order"}) {
        INFO("kind " << k);
        CHECK(kinds_seen.contains(k));
    }
}
