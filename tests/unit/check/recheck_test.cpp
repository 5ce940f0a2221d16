// Rechecking stored claims without sockets or files: the schedule, the selection and the comparison of a
// claim's latest record with what a new check found.
#include <catch2/catch.hpp>

#include "check/recheck.hpp"
#include "core/clock.hpp"
#include "support/values.hpp"

using namespace provcheck;
using provcheck::test::at;
using namespace std::chrono_literals;

namespace {

struct ClaimSpec {
    std::string id;
    std::string quote;
    int block = 3;
    std::string speaker = "Norland Water Authority";
    Verdict verdict = Verdict::verbatim;
    std::string source = "https://www.norlandwater.example/news/reservoir-update.html";
    std::string sha = "aaaa";
    std::string passage;
    bool failed = false;
};

ClaimSpec spec(std::string id, std::string quote, int block = 3, std::string speaker = "Norland Water Authority",
               Verdict verdict = Verdict::verbatim,
               std::string source = "https://www.norlandwater.example/news/reservoir-update.html",
               std::string sha = "aaaa", std::string passage = {}) {
    ClaimSpec s;
    s.id = std::move(id);
    s.quote = std::move(quote);
    s.block = block;
    s.speaker = std::move(speaker);
    s.verdict = verdict;
    s.source = std::move(source);
    s.sha = std::move(sha);
    s.passage = std::move(passage);
    return s;
}

ClaimResult claim_result(const ClaimSpec& s) {
    ClaimResult r;
    r.claim.id = s.id;
    r.claim.quote = s.quote;
    r.claim.block = s.block;
    r.claim.speaker = s.speaker;
    r.verdict = s.verdict;
    Capture c;
    c.requested_url = s.source;
    c.final_url = s.source;
    c.fetched_at = "2026-12-01T10:00:00Z";
    if (s.failed) {
        c.failure = CaptureFailure{FailureClass::http_4xx, "404 Not Found"};
    } else {
        c.payload_sha256 = s.sha;
    }
    r.source = c;
    if (!s.passage.empty()) {
        Match m;
        m.verdict = s.verdict;
        m.text = s.passage;
        r.match = m;
    }
    return r;
}

PriorClaim prior_claim(const ClaimSpec& s, const std::string& article_sha, std::uint64_t log_index) {
    PriorClaim p;
    p.signed_claim.version = 2;
    p.signed_claim.article.input = "https://www.valleyherald.example/news/reservoir-levels.html";
    p.signed_claim.result = claim_result(s);
    p.signed_claim.article_capture.payload_sha256 = article_sha;
    p.signed_claim.article_capture.fetched_at = "2026-12-01T10:00:00Z";
    p.signed_claim.checked_at = "2026-12-01T10:00:05Z";
    p.log_index = log_index;
    return p;
}

PriorArticle prior_article(std::vector<PriorClaim> claims, const char* first = "2026-12-01T10:00:05Z",
                           const char* last = "2026-12-01T10:00:05Z") {
    PriorArticle a;
    a.input = "https://www.valleyherald.example/news/reservoir-levels.html";
    a.first_checked = at(first);
    a.last_checked = at(last);
    a.last_checked_at = last;
    a.claims = std::move(claims);
    return a;
}

ArticleResult article_now(std::vector<ClaimSpec> claims, const std::string& article_sha) {
    ArticleResult a;
    a.input = "https://www.valleyherald.example/news/reservoir-levels.html";
    a.capture.payload_sha256 = article_sha;
    a.capture.fetched_at = "2026-12-02T10:00:00Z";
    for (const auto& c : claims)
        a.claims.push_back(claim_result(c));
    return a;
}

SelectedArticle all_of(const PriorArticle& a) {
    SelectedArticle s{&a, {}};
    for (const auto& c : a.claims)
        s.claims.push_back(&c);
    return s;
}

const std::string reservoir = "The Kell reservoir is at 62 percent of capacity and no hosepipe ban is planned.";
const std::string farms_40 = "More than 40 farms in the valley have already drilled new boreholes,";
const std::string farms_30 = "More than 30 farms in the valley have already drilled new boreholes,";

}  // namespace

TEST_CASE("the schedule looks again 1h, 3h, 12h, 1d, 3d, 7d and 30d after the first check", "[unit]") {
    const TimePoint first = at("2026-12-01T10:00:00Z");
    CHECK(next_recheck(first, first) == first + 1h);
    CHECK(next_recheck(first, first + 1h) == first + 3h);  // checked exactly at 1 h: the next step
    CHECK(next_recheck(first, first + 2h) == first + 3h);
    CHECK(next_recheck(first, first + 13h) == first + 24h);
    CHECK(next_recheck(first, first + 25h) == first + 72h);
    CHECK(next_recheck(first, first + 100h) == first + 168h);
    CHECK(next_recheck(first, first + 200h) == first + 720h);
    CHECK_FALSE(next_recheck(first, first + 720h));  // past the schedule
}

TEST_CASE("an article is due when a scheduled time has passed since its last check", "[unit]") {
    PriorRecords prior;
    prior.articles.push_back(prior_article({prior_claim(spec("a1", reservoir), "art1", 1)}));
    const TimePoint first = prior.articles[0].first_checked;

    SECTION("not yet due") {
        auto s = select_for_recheck(prior, {}, first + 30min);
        REQUIRE(s);
        CHECK(s->empty());
        CHECK(next_due(prior, first + 30min, {}) == first + 1h);
    }
    SECTION("due after an hour, with all its claims") {
        auto s = select_for_recheck(prior, {}, first + 61min);
        REQUIRE(s);
        REQUIRE(s->size() == 1);
        CHECK((*s)[0].claims.size() == 1);
        // Once rechecked at 61 min, the next is at 3 h.
        CHECK(next_due(prior, first + 61min, {prior.articles[0].input}) == first + 3h);
    }
    SECTION("--now takes it whatever the time") {
        RecheckSelection sel;
        sel.now = true;
        auto s = select_for_recheck(prior, sel, first + 1min);
        REQUIRE(s);
        CHECK(s->size() == 1);
    }
    SECTION("--since takes the articles first checked on or after the date") {
        RecheckSelection sel;
        sel.since = at("2026-12-01T00:00:00Z");
        CHECK(select_for_recheck(prior, sel, first)->size() == 1);
        sel.since = at("2026-12-02T00:00:00Z");
        CHECK(select_for_recheck(prior, sel, first)->empty());
    }
    SECTION("past the last step nothing is due") {
        prior.articles[0].last_checked = first + 721h;
        auto s = select_for_recheck(prior, {}, first + 2000h);
        REQUIRE(s);
        CHECK(s->empty());
        CHECK_FALSE(next_due(prior, first + 2000h, {}));
    }
}

TEST_CASE("claim ids select their articles; an unknown, ambiguous or superseded id is a usage error", "[unit]") {
    PriorRecords prior;
    prior.articles.push_back(prior_article(
        {prior_claim(spec("a155e0", reservoir), "art1", 1), prior_claim(spec("a17700", farms_40, 4), "art1", 2)}));
    prior.superseded.emplace("b40000", prior.articles[0].input);
    RecheckSelection sel;
    sel.claim_ids = {"a17"};
    auto s = select_for_recheck(prior, sel, prior.articles[0].first_checked);
    REQUIRE(s);
    REQUIRE(s->size() == 1);
    // The whole article is checked again and recorded, so every claim of it is compared.
    CHECK((*s)[0].claims.size() == 2);

    sel.claim_ids = {"a1"};
    auto ambiguous = select_for_recheck(prior, sel, prior.articles[0].first_checked);
    REQUIRE_FALSE(ambiguous);
    CHECK(ambiguous.error().code == ErrorCode::usage);
    CHECK(ambiguous.error().message.find("start of 2 claim ids") != std::string::npos);

    sel.claim_ids = {"ffff"};
    auto unknown = select_for_recheck(prior, sel, prior.articles[0].first_checked);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().message.find("no claim ffff") != std::string::npos);

    sel.claim_ids = {"b4"};
    auto superseded = select_for_recheck(prior, sel, prior.articles[0].first_checked);
    REQUIRE_FALSE(superseded);
    CHECK(superseded.error().message.find("claim b40000 is no longer in the latest check") != std::string::npos);
}

TEST_CASE("an article gone lists its claims as article_gone", "[unit]") {
    const PriorArticle prior = prior_article({prior_claim(spec("r1", reservoir), "art1", 1)});
    const auto c = article_gone(all_of(prior), "http_4xx: 404 Not Found");
    REQUIRE(c.size() == 1);
    CHECK(c[0].kind == ChangeKind::article_gone);
    CHECK(c[0].summary == "the article is gone (http_4xx: 404 Not Found); its sources were not looked at");
    CHECK(c[0].before->claim_id == "r1");
    CHECK_FALSE(c[0].after);
}

TEST_CASE("a source edited under a quotation is a stealth edit with the words that changed", "[unit]") {
    const PriorArticle prior = prior_article(
        {prior_claim(spec("a1", reservoir, 3, "Norland Water Authority", Verdict::verbatim,
                          "https://www.norlandwater.example/news/reservoir-update.html", "aaaa",
                          "The Kell reservoir is at 62 percent of capacity and no hosepipe ban is planned"),
                     "art1", 1)});
    const ArticleResult now =
        article_now({spec("a1", reservoir, 3, "Norland Water Authority", Verdict::altered,
                          "https://www.norlandwater.example/news/reservoir-update.html", "bbbb",
                          "The Kell reservoir is at 48 percent of capacity and a hosepipe ban may follow")},
                    "art1");
    const auto changes = compare_claims(all_of(prior), now, "2026-12-02T10:00:05Z", true);
    REQUIRE(changes.size() == 1);
    const ClaimChange& c = changes[0];
    CHECK(c.kind == ChangeKind::stealth_edit);
    CHECK(c.summary == "the source now words it differently (verbatim → altered)");
    REQUIRE(c.before);
    REQUIRE(c.after);
    CHECK(c.before->source_sha256 == "aaaa");
    CHECK(c.after->source_sha256 == "bbbb");
    CHECK(c.before->log_index == 1u);
    CHECK(c.after->checked_at == "2026-12-02T10:00:05Z");
    const std::vector<WordEdit> expected{
        {WordEdit::Op::same, "The Kell reservoir is at"},
        {WordEdit::Op::removed, "62"},
        {WordEdit::Op::added, "48"},
        {WordEdit::Op::same, "percent of capacity and"},
        {WordEdit::Op::removed, "no"},
        {WordEdit::Op::added, "a"},
        {WordEdit::Op::same, "hosepipe ban"},
        {WordEdit::Op::removed, "is planned"},
        {WordEdit::Op::added, "may follow"},
    };
    CHECK(c.diff == expected);
}

TEST_CASE("the words gone from a source, an edit that leaves the verdict, a source gone and a verdict changed alone",
          "[unit]") {
    const ClaimSpec before = spec("a1", reservoir, 3, "Norland Water Authority", Verdict::verbatim,
                                  "https://www.norlandwater.example/news/reservoir-update.html", "aaaa", "the passage");
    const PriorArticle prior = prior_article({prior_claim(before, "art1", 1)});

    ClaimSpec after = before;
    SECTION("gone from the page") {
        after.verdict = Verdict::not_found;
        after.sha = "bbbb";
        after.passage.clear();
        const auto c = compare_claims(all_of(prior), article_now({after}, "art1"), "t", true);
        REQUIRE(c.size() == 1);
        CHECK(c[0].kind == ChangeKind::stealth_edit);
        CHECK(c[0].summary == "the source no longer holds the words");
        REQUIRE(c[0].diff.size() == 1);
        CHECK(c[0].diff[0].op == WordEdit::Op::removed);
        CHECK(c[0].diff[0].text == "the passage");
    }
    SECTION("edited elsewhere on the page") {
        after.sha = "bbbb";
        const auto c = compare_claims(all_of(prior), article_now({after}, "art1"), "t", true);
        CHECK(c[0].kind == ChangeKind::source_changed);
        CHECK(c[0].diff.empty());
    }
    SECTION("the same bytes") {
        const auto c = compare_claims(all_of(prior), article_now({after}, "art1"), "t", true);
        CHECK(c[0].kind == ChangeKind::unchanged);
    }
    SECTION("now a 404") {
        after.failed = true;
        after.verdict = Verdict::source_unavailable;
        const auto c = compare_claims(all_of(prior), article_now({after}, "art1"), "t", true);
        CHECK(c[0].kind == ChangeKind::source_gone);
        CHECK(c[0].summary == "the source is gone (http_4xx: 404 Not Found)");
    }
    SECTION("a source that answers again") {
        const ClaimSpec dead = spec("a1", reservoir, 3, "Norland Water Authority", Verdict::source_unavailable);
        ClaimSpec dead_spec = dead;
        dead_spec.failed = true;
        const PriorArticle was_dead = prior_article({prior_claim(dead_spec, "art1", 1)});
        const auto c = compare_claims(all_of(was_dead), article_now({after}, "art1"), "t", true);
        CHECK(c[0].kind == ChangeKind::verdict_changed);
        CHECK(c[0].summary == "the source answers again (source_unavailable → verbatim)");
    }
    SECTION("another source decides") {
        after.source = "https://www.norland.gov.example/statement.html";
        after.sha = "cccc";
        after.verdict = Verdict::altered;
        const auto c = compare_claims(all_of(prior), article_now({after}, "art1"), "t", true);
        CHECK(c[0].kind == ChangeKind::verdict_changed);
        CHECK(c[0].summary == "verbatim → altered: another source decides now");
    }
}

TEST_CASE("a changed article: a correction, a withdrawal, a moved quotation and an added one", "[unit]") {
    const PriorArticle prior = prior_article({
        prior_claim(spec("r1", reservoir, 3), "art1", 1),
        prior_claim(spec("f1", farms_40, 4, "Norland Farmers Union", Verdict::altered,
                         "https://www.norlandfarmers.example/statements/boreholes.html", "ffff"),
                    "art1", 2),
        prior_claim(spec("m1", "We will protect every household's supply.", 5, "Tomas Berg"), "art1", 3),
    });
    // The corrected article: a paragraph inserted at the top moves every block down by one, so the
    // reservoir quotation has a new id; the farms quotation is corrected; the minister's is gone; a
    // new one is added.
    const ArticleResult now = article_now(
        {
            spec("r2", reservoir, 4),
            spec("f2", farms_30, 5, "Norland Farmers Union", Verdict::verbatim,
                 "https://www.norlandfarmers.example/statements/boreholes.html", "ffff"),
            spec("n2", "Rain is expected in the second week of December.", 7, "the Met Office"),
        },
        "art2");
    const auto changes = compare_claims(all_of(prior), now, "t", true);
    REQUIRE(changes.size() == 4);
    CHECK(changes[0].kind == ChangeKind::unchanged);  // found again by its words
    CHECK(changes[0].after->claim_id == "r2");
    CHECK(changes[1].kind == ChangeKind::correction);
    CHECK(changes[1].after->claim_id == "f2");
    CHECK(changes[1].after->verdict == Verdict::verbatim);
    CHECK(changes[1].summary == "the article now prints “" + farms_30 + "” (verbatim)");
    const std::vector<WordEdit> words{{WordEdit::Op::same, "More than"},
                                      {WordEdit::Op::removed, "40"},
                                      {WordEdit::Op::added, "30"},
                                      {WordEdit::Op::same, "farms in the valley have already drilled new boreholes,"}};
    CHECK(changes[1].diff == words);
    CHECK(changes[2].kind == ChangeKind::withdrawn);
    CHECK_FALSE(changes[2].after);
    CHECK(changes[2].summary == "the article no longer prints the quotation");
    CHECK(changes[3].kind == ChangeKind::added);
    CHECK(changes[3].after->claim_id == "n2");

    // Selected by claim id: nothing is reported as added.
    CHECK(compare_claims(all_of(prior), now, "t", false).size() == 3);
}

TEST_CASE("an unchanged article that no longer yields a quotation says the rules changed", "[unit]") {
    const PriorArticle prior = prior_article({prior_claim(spec("r1", reservoir, 3), "art1", 1)});
    const auto c = compare_claims(all_of(prior), article_now({}, "art1"), "t", true);
    REQUIRE(c.size() == 1);
    CHECK(c[0].kind == ChangeKind::withdrawn);
    CHECK(c[0].summary == "the article is unchanged but no longer yields the quotation (the rules changed)");
}

TEST_CASE("word differences", "[unit]") {
    using Op = WordEdit::Op;
    CHECK(word_diff("", "").empty());
    CHECK(word_diff("a b c", "a b c") == std::vector<WordEdit>{{Op::same, "a b c"}});
    CHECK(word_diff("a b c", "a  b\nc") == std::vector<WordEdit>{{Op::same, "a b c"}});
    CHECK(word_diff("", "new words") == std::vector<WordEdit>{{Op::added, "new words"}});
    CHECK(word_diff("old words", "") == std::vector<WordEdit>{{Op::removed, "old words"}});
    CHECK(word_diff("x a y", "x b y") ==
          std::vector<WordEdit>{{Op::same, "x"}, {Op::removed, "a"}, {Op::added, "b"}, {Op::same, "y"}});
    // Very long texts are compared as one removed and one added run, in bounded time and
    // memory.
    std::string a;
    std::string b;
    for (int i = 0; i < 3000; ++i) {
        a += "w" + std::to_string(i) + " ";
        b += "v" + std::to_string(i) + " ";
    }
    const auto d = word_diff(a, b);
    REQUIRE(d.size() == 2);
    CHECK(d[0].op == Op::removed);
    CHECK(d[1].op == Op::added);
}

TEST_CASE("change kinds round-trip through their names", "[unit]") {
    for (auto k : {ChangeKind::unchanged, ChangeKind::source_changed, ChangeKind::stealth_edit, ChangeKind::source_gone,
                   ChangeKind::verdict_changed, ChangeKind::correction, ChangeKind::withdrawn, ChangeKind::added,
                   ChangeKind::article_gone}) {
        CHECK(parse_change_kind(to_string(k)) == k);
    }
    CHECK_FALSE(parse_change_kind("stealth-edit"));
}
