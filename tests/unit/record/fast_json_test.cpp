// The record stage writes statements with compact_json() and verify reads them with read_statement_facts();
// both must agree byte for byte and fact for fact with nlohmann-json, which they stand in for.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <random>
#include <string>

#include "record/compact_json.hpp"
#include "record/record.hpp"
#include "record/statement_facts.hpp"

using namespace provcheck;
using nlohmann::json;

namespace {

Capture capture(std::string url, int n) {
    Capture c;
    c.requested_url = url;
    c.final_url = url + "?final";
    c.status = 200;
    c.fetched_at = "2023-10-19T08:00:0" + std::to_string(n) + "Z";
    c.payload_sha256 = std::string(64, static_cast<char>('a' + n));
    c.block_sha256 = std::string(64, static_cast<char>('0' + n));
    c.chain = {{"https://t.co/x" + std::to_string(n), 301, HopVia::http}, {url, 200, HopVia::start}};
    c.stored = StoredRecordRef{"warc/provcheck-0.warc.gz", 1234567ULL * static_cast<unsigned>(n + 1), 999,
                               "<urn:uuid:0000-" + std::to_string(n) + ">"};
    return c;
}

// Statements that exercise every kind of value the record stage writes: escapes, non-ASCII, control
// characters, empty strings, floats of every notation, large offsets, failures, several candidates.
std::vector<std::pair<ArticleResult, ClaimResult>> varied_statements() {
    std::vector<std::pair<ArticleResult, ClaimResult>> out;
    const std::string texts[] = {
        "",
        "plain ASCII",
        "“40 countries,” it said — naïve café 😀 \xE2\x80\xA8",
        "quote \" backslash \\ slash / tab\t newline\n cr\r bs\b ff\f nul\x01 us\x1F del\x7F",
        std::string("embedded \0 zero", 16),
    };
    const double scores[] = {0.0, 0.93, 1.0, 30.0, 1e20, 1e-7, 0.1 + 0.2, 123456.789};
    int n = 0;
    for (const auto& text : texts) {
        for (double score : scores) {
            ArticleResult a;
            a.input = "article " + text + ".html";
            a.capture = capture("https://news.example/" + std::to_string(n), n % 7);
            a.document.title = text;
            if (n % 2 == 0) a.document.canonical_url = "https://news.example/canonical";
            ClaimResult c;
            c.claim.id = "claim-" + std::to_string(n);
            c.claim.quote = text + " quote";
            c.claim.speaker = text;
            c.claim.outlet = "The New York Times";
            c.claim.attribution = "it added";
            c.claim.block = n % 3 - 1;
            if (n % 3 == 2) c.claim.last_block = c.claim.block + 2;  // a quotation over several paragraphs
            c.verdict = n % 2 == 0 ? Verdict::altered : Verdict::not_found;
            Match m;
            m.score = score;
            m.text = text;
            m.start = static_cast<std::size_t>(n);
            m.end = std::numeric_limits<std::size_t>::max() - static_cast<std::size_t>(n);
            m.differences.push_back({"replace", text, "30", DiffKind::number, true});
            m.elisions.push_back({"(..)", text, false});
            if (n % 3 == 0) m.insertions = {"[sic]", text};
            m.decided_by = "altered_threshold";
            c.match = m;
            c.source = capture("https://nyt.example/" + text, (n + 1) % 7);
            c.candidates = {*c.source};
            if (n % 4 == 0) {
                Capture failed;
                failed.requested_url = "https://down.example/";
                failed.failure = CaptureFailure{FailureClass::timeout, "timed out after " + text};
                failed.truncated = "length";
                c.candidates.push_back(failed);
                c.candidates.push_back(capture("https://mirror.example/", 3));
                c.source_reason = "the first live link";
            }
            if (n % 5 == 0) c.record = RecordRef{"ab", "cd", 7};  // never part of the statement
            out.emplace_back(std::move(a), std::move(c));
            ++n;
        }
    }
    return out;
}

json random_document(std::mt19937& rng, int depth) {
    std::uniform_int_distribution<int> kind(0, depth > 3 ? 5 : 7);
    auto random_string = [&] {
        static const std::string pieces[] = {"a", "Z", " ", "\"", "\\", "/", "\n", "\x01", "\x7F", "é", "€", "😀", "\t"};
        std::uniform_int_distribution<std::size_t> pick(0, std::size(pieces) - 1);
        std::uniform_int_distribution<int> len(0, 6);
        std::string s;
        for (int i = len(rng); i > 0; --i)
            s += pieces[pick(rng)];
        return s;
    };
    switch (kind(rng)) {
        case 0:
            return nullptr;
        case 1:
            return rng() % 2 == 0;
        case 2:
            return static_cast<std::int64_t>(rng()) - static_cast<std::int64_t>(rng()) * 4096;
        case 3:
            return static_cast<std::uint64_t>(rng()) << 32 | rng();
        case 4:
            return std::uniform_real_distribution<double>(-1e9, 1e9)(rng);
        case 5:
            return random_string();
        case 6: {
            json a = json::array();
            for (int i = static_cast<int>(rng() % 4); i > 0; --i)
                a.push_back(random_document(rng, depth + 1));
            return a;
        }
        default: {
            json o = json::object();
            for (int i = static_cast<int>(rng() % 4); i > 0; --i)
                o[random_string()] = random_document(rng, depth + 1);
            return o;
        }
    }
}

}  // namespace

TEST_CASE(
    "a claim's statement is dump()'s bytes of its own document, whether its article's parts were written "
    "before or not",
    "[unit][record]") {
    auto statements = varied_statements();
    REQUIRE(statements.size() == 40);
    for (const auto& [article, claim] : statements) {
        // The article's claims do not hold this one: its captures are written as it is.
        const std::string alone =
            claim_statement(StatementParts(article, std::string(64, 'd'), "2023-10-19T08:00:00Z"), claim);
        INFO(alone);
        const json statement = json::parse(alone);
        REQUIRE_FALSE(statement["predicate"]["claim"].contains("record"));
        CHECK(statement.dump() == alone);  // members in key order, nothing left out, nothing added
        CHECK(compact_json(statement) == alone);
        // The article holds it (and another claim): its captures were written once, before.
        ArticleResult holding = article;
        holding.claims = {claim, claim};
        holding.claims.back().candidates.clear();
        const StatementParts parts(holding, std::string(64, 'd'), "2023-10-19T08:00:00Z");
        CHECK(claim_statement(parts, holding.claims.front()) == alone);
        CHECK(claim_statement(parts, claim) == alone);
        // Read back, the claim's place is where it was written.
        const auto read = read_claim_statement(alone);
        REQUIRE(read);
        CHECK(read->result.claim.block == claim.claim.block);
        CHECK(read->result.claim.last_block == claim.claim.last_block);
        CHECK(statement["predicate"]["claim"].contains("last_block") == (claim.claim.last_block >= 0));
    }
}

TEST_CASE("compact_json gives dump()'s bytes for random documents", "[unit][record]") {
    std::mt19937 rng(42);
    for (int i = 0; i < 2000; ++i) {
        json doc = random_document(rng, 0);
        INFO(doc.dump());
        CHECK(compact_json(doc) == doc.dump());
    }
}

TEST_CASE("compact_json refuses invalid UTF-8 as dump() does", "[unit][record]") {
    for (std::string bad : {"\xC3", "\xC0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "a\xFF", "\xE2\x82"}) {
        json doc = {{"quote", bad}};
        CHECK_THROWS_AS(doc.dump(), json::type_error);
        CHECK_THROWS_AS(compact_json(doc), json::type_error);
        json key_doc = {{bad, 1}};
        CHECK_THROWS_AS(compact_json(key_doc), json::type_error);
    }
}

TEST_CASE("read_statement_facts reads what claim_statement writes", "[unit][record]") {
    for (const auto& [article, claim] : varied_statements()) {
        const std::string payload = claim_statement(StatementParts(article, "d", "2023-10-19T08:00:00Z"), claim);
        StatementFacts facts = read_statement_facts(payload);
        CHECK(facts == read_statement_facts_reference(payload));
        REQUIRE(facts.statement);
        CHECK(facts.claim_id == claim.claim.id);
        CHECK(facts.quote == claim.claim.quote);
        REQUIRE(facts.subjects.size() >= 3);
        CHECK(facts.subjects.front().name == "article");
        CHECK(facts.subjects.back().name == "quote");
        // Every subject but the quote is a capture of that role; failed captures are described but no subject.
        REQUIRE(facts.captures.size() == claim.candidates.size() + 1);
        for (const auto& subject : facts.subjects) {
            if (subject.name == "quote") continue;
            CHECK(std::any_of(facts.captures.begin(), facts.captures.end(),
                              [&](const auto& c) { return c.role == subject.name; }));
        }
        CHECK(facts.verdict == to_string(claim.verdict));
        CHECK(facts.checked_at == "2023-10-19T08:00:00Z");
        CHECK(facts.captures[0].has_warc);
        CHECK(facts.captures[0].warc_offset == article.capture.stored->offset);
        CHECK(facts.captures[0].warc_record_id == article.capture.stored->record_id);
    }
}

TEST_CASE("read_statement_facts agrees with nlohmann-json on odd and hostile payloads", "[unit][record]") {
    const std::string warc = R"("warc":{"file":"w.gz","offset":12,"record_id":"<r>"})";
    const std::string payloads[] = {
        "",
        "not json",
        "[]",
        "{}",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[],"predicate":{}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[],"predicate":{}} trailing)",
        R"({"_type":"https://in-toto.io/Statement/v2","subject":[],"predicate":{}})",
        R"({"_type":1,"subject":[],"predicate":{}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":{},"predicate":{}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[]})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[],"predicate":[]})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[],"predicate":{"claim":"x"}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[],"predicate":{"claim":{"id":5}}})",
        // Escapes, whitespace, duplicate names (the last one counts), \u escapes and surrogate pairs.
        " { \"_type\" : \"https://in-toto.io/Statement/v1\" ,\n\"subject\":[ {\"name\":\"quote\",\"digest\":"
        "{\"sha256\":\"ab\"}} , 3, \"x\" ],\"predicate\":{\"claim\":{\"id\":\"a\\\"b\\\\c\\/d\\n\",\"id\":\"e\","
        "\"quote\":\"\\u00e9\\ud83d\\ude00\"}}}\t",
        R"({"_type":"https:\/\/in-toto.io\/Statement\/v1","subject":[{"name":"quote"}],"predicate":{"claim":{"quote":"\ud800"}}})",
        // Capture references: offsets of every kind of number, a missing or mistyped warc.
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"article","uri":"u","digest":{"sha256":"s"}}],)"
        R"("predicate":{"captures":[{"role":"article",)" +
            warc + "}]}}",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"article","uri":"u"}],)"
        R"("predicate":{"captures":[{"role":"article","warc":{"file":"f","offset":12.75,"record_id":"r"}}]}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"article","uri":"u"}],)"
        R"("predicate":{"captures":[{"role":"article","warc":{"file":"f","offset":-3,"record_id":"r"}}]}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"article","uri":"u"}],)"
        R"("predicate":{"captures":[{"role":"article","warc":{"file":"f","offset":1e3,"record_id":"r"}}]}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"article","uri":"u"}],)"
        R"("predicate":{"captures":[{"role":"article","warc":{"file":"f","offset":18446744073709551615}}]}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"article","uri":"u"}],)"
        R"("predicate":{"captures":[{"role":"article","warc":{"file":"f","offset":"12"}}]}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"article","uri":"u"}],)"
        R"("predicate":{"captures":[{"role":"article","warc":"nowhere"}]}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"article","uri":7}],"predicate":{}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"quote","uri":7}],"predicate":{}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"quote","digest":"ab"}],"predicate":{}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[],"predicate":{"captures":{"role":"article"}}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[],"predicate":{"captures":[1]}})",
        // Invalid JSON of several kinds: both say "not a statement".
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[],"predicate":{"x":01}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[],"predicate":{"x":"a)"
        "\x01"
        R"("}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[],"predicate":{"x":"\xC3\x28"}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[],"predicate":{"x":tru}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[],"predicate":{"x":[1,]}})",
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[],"predicate":{"x":"\q"}})",
        std::string(100, '[') + std::string(100, ']'),
        R"({"_type":"https://in-toto.io/Statement/v1","subject":[],"predicate":{"deep":)" + std::string(60, '[') +
            std::string(60, ']') + "}}",
    };
    for (const auto& payload : payloads) {
        INFO(payload);
        StatementFacts fast = read_statement_facts(payload);
        StatementFacts reference = read_statement_facts_reference(payload);
        CHECK(fast == reference);
    }
    CHECK(read_statement_facts(payloads[4]).statement);
    CHECK_FALSE(read_statement_facts(payloads[5]).statement);
    CHECK_FALSE(read_statement_facts(payloads[7]).statement);
    CHECK(read_statement_facts(payloads[13]).claim_id == "e");
    CHECK(read_statement_facts(payloads[13]).quote == "\xC3\xA9\xF0\x9F\x98\x80");
    CHECK(read_statement_facts(payloads[15]).captures.at(0).warc_offset == 12);
    CHECK(read_statement_facts(payloads[16]).captures.at(0).warc_offset == 12);
    CHECK(read_statement_facts(payloads[19]).captures.at(0).warc_offset == std::numeric_limits<std::uint64_t>::max());
    CHECK_FALSE(read_statement_facts(payloads[20]).statement);
    CHECK_FALSE(read_statement_facts(payloads[21]).captures.at(0).has_warc);
    CHECK(read_statement_facts(payloads[23]).statement);  // a quote subject has no uri to read
}
