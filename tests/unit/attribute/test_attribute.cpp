#include <toml++/toml.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "attribute/attribute.hpp"
#include "core/fs.hpp"
#include "extract/extract.hpp"
#include "support/builtin_rules.hpp"
#include "support/temp_dir.hpp"

using namespace provcheck;

namespace {

const RuleSet& builtin() {
    return test::builtin_rules();
}

// The built-in attribution rules compiled once for the program, as a run of `check` does: the cases below attribute
// hundreds of small pages.
const AttributionLookups& builtin_lookups() {
    static const AttributionLookups lookups = [] {
        auto attribution = load_attribution_rules(builtin());
        REQUIRE(attribution.has_value());
        return AttributionLookups(builtin(), *attribution);
    }();
    return lookups;
}

std::string escape_html(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '<') {
            out += "&lt;";
        } else if (c == '>') {
            out += "&gt;";
        } else if (c == '&') {
            out += "&amp;";
        } else {
            out += c;
        }
    }
    return out;
}

std::string raw_page(const std::vector<std::string>& elements, const std::string& lang = "",
                     const std::string& title = "t");

std::string page(const std::vector<std::string>& paragraphs, const std::string& lang = "",
                 const std::string& title = "t") {
    std::vector<std::string> elements;
    for (const auto& p : paragraphs)
        elements.push_back("<p>" + escape_html(p) + "</p>");
    return raw_page(elements, lang, title);
}

std::string raw_page(const std::vector<std::string>& elements, const std::string& lang, const std::string& title) {
    std::string html = "<!DOCTYPE html><html" + (lang.empty() ? std::string() : " lang=\"" + lang + "\"") +
                       "><head><title>" + escape_html(title) + "</title></head><body><article>";
    for (const auto& e : elements)
        html += e + "\n";
    return html + "</article></body></html>";
}

std::vector<Claim> claims_of(const std::string& html, const std::string& url = "https://example.org/story") {
    auto doc = extract_document(html, url, builtin());
    REQUIRE(doc.has_value());
    return attribute_claims(*doc, builtin_lookups());
}

const Claim* find_claim(const std::vector<Claim>& claims, std::string_view starts_with) {
    for (const auto& c : claims) {
        if (c.quote.starts_with(starts_with)) return &c;
    }
    return nullptr;
}

// The project's rule files as (name, text) pairs, to be edited and loaded again; `attribution` points at the text of
// attribution.toml among them.
struct EditableRules {
    std::vector<std::pair<std::string, std::string>> files;
    std::string* attribution = nullptr;
};

EditableRules editable_rules() {
    EditableRules out;
    auto base = load_rules();
    REQUIRE(base.has_value());
    for (const auto& f : base->files)
        out.files.emplace_back(f.name, f.text);
    for (auto& [name, text] : out.files) {
        if (name == "attribution.toml") out.attribution = &text;
    }
    REQUIRE(out.attribution != nullptr);
    return out;
}

}  // namespace

TEST_CASE("seed article: every claim, speaker, outlet and rule", "[unit]") {
    auto html = read_file(test::source_path("fixtures/seed/article.html"));
    REQUIRE(html.has_value());
    const std::string url =
        "https://www.palestinechronicle.com/washington-resorts-to-doha-as-rescue-mission-looks-impossible-nyt/";
    auto doc = extract_document(*html, url, builtin());
    REQUIRE(doc.has_value());
    const auto claims = attribute_claims(*doc, builtin()).value();
    REQUIRE(claims.size() == 10);
    const std::string nyt = "The New York Times";

    struct Expect {
        std::string_view start;
        ClaimKind kind;
        std::string speaker;
        std::string outlet;
        std::string_view rule;
    };
    const Expect expected[] = {
        {"impossible", ClaimKind::partial_quote, nyt, nyt, "sentence.speaker-verb"},
        {"The chaotic environment of Gaza", ClaimKind::quote, nyt, nyt, "after.speaker-verb"},
        {"best option", ClaimKind::partial_quote, nyt, nyt, "sentence.speaker-verb"},
        {"In the talks so far", ClaimKind::quote, nyt, nyt, "previous-sentence.speaker-verb"},
        {"Adding even more complexity", ClaimKind::quote, nyt, nyt, "after.speaker-verb"},
        {"ISRAELI BROADCASTING CORPORATION", ClaimKind::embed, "@PalestineChron", "Twitter", "embed.tweet"},
        {"guests", ClaimKind::partial_quote, "Abu Obeida", "", "sentence.speaker-verb"},
        {"A #US State Department official", ClaimKind::embed, "@PalestineChron", "Twitter", "embed.tweet"},
        {"To sacrifice hostages", ClaimKind::quote, "Gershon Baskin", nyt, "after.speaker-verb"},
        // The closing quotation runs over two paragraphs (an opening mark on each, the closing one on the last).
        {"Several former U.S. officials", ClaimKind::quote, nyt, nyt, "context.last-outlet"},
    };
    for (std::size_t i = 0; i < claims.size(); ++i) {
        INFO("claim " << i << ": " << claims[i].quote);
        CHECK(claims[i].quote.starts_with(expected[i].start));
        CHECK(claims[i].kind == expected[i].kind);
        CHECK(claims[i].speaker == expected[i].speaker);
        CHECK(claims[i].outlet == expected[i].outlet);
        CHECK(claims[i].rule == expected[i].rule);
        CHECK(claims[i].id.size() == 16);
    }
    CHECK(claims[0].quote == "impossible");
    CHECK(claims[0].attribution == "the New York Times reported");
    CHECK(claims[1].quote.ends_with("hostages and soldiers alike,"));
    CHECK(claims[1].quote.find("(..)") != std::string::npos);
    CHECK(claims[1].attribution == "NYT reported");
    CHECK(claims[2].quote == "best option");
    CHECK(claims[2].attribution == "the report said");
    CHECK(claims[4].attribution == "it added");
    CHECK(claims[6].quote == "guests");
    CHECK(claims[6].attribution == "he also said");
    CHECK(claims[8].attribution ==
          "Gershon Baskin, who negotiated the release of the Israeli soldier Gilad Schalit in 2011, told NYT");

    // The tweets: status URL, and the t.co / pic.twitter.com links as candidate sources.
    CHECK(claims[5].embed_status_url.starts_with("https://twitter.com/PalestineChron/status/1714974432137298349"));
    CHECK(std::find(claims[5].linked_urls.begin(), claims[5].linked_urls.end(), "https://t.co/g4TcNbYW6U") !=
          claims[5].linked_urls.end());
    CHECK(std::find(claims[5].linked_urls.begin(), claims[5].linked_urls.end(), claims[5].embed_status_url) ==
          claims[5].linked_urls.end());
    CHECK(claims[7].embed_status_url.starts_with("https://twitter.com/PalestineChron/status/1714991385727582208"));
    CHECK(std::find(claims[7].linked_urls.begin(), claims[7].linked_urls.end(), "https://t.co/QTXysZZmQN") !=
          claims[7].linked_urls.end());
    // The article links no source of its own quotations.
    CHECK(claims[1].linked_urls.empty());

    // Ids are stable across runs and differ between claims.
    const auto again = attribute_claims(*doc, builtin()).value();
    for (std::size_t i = 0; i < claims.size(); ++i)
        CHECK(claims[i].id == again[i].id);
    for (std::size_t i = 1; i < claims.size(); ++i)
        CHECK(claims[i].id != claims[i - 1].id);
}

TEST_CASE("paragraph cases in fixtures/quotes all come out as expected", "[unit]") {
    auto text = read_file(test::source_path("fixtures/quotes/cases.toml"));
    REQUIRE(text.has_value());
    const toml::table cases = toml::parse(*text);
    const auto* arr = cases["case"].as_array();
    REQUIRE(arr != nullptr);
    REQUIRE(arr->size() >= 20);
    std::size_t passed = 0;
    std::size_t total_paragraphs = 0;
    std::vector<std::string> failures;
    for (const auto& node : *arr) {
        const auto& c = *node.as_table();
        const std::string name = c["name"].value_or(std::string{});
        // `paragraphs` are plain text, each one <p>; `html` is markup taken as it is (blockquote, q).
        std::vector<std::string> paragraphs;
        const bool raw = c["html"].as_array() != nullptr;
        const auto* list = raw ? c["html"].as_array() : c["paragraphs"].as_array();
        REQUIRE(list != nullptr);
        for (const auto& p : *list)
            paragraphs.push_back(p.value_or(std::string{}));
        total_paragraphs += paragraphs.size();
        // `lang`: the page's language tag, for rules that depend on it (German writes its nouns in capitals).
        const std::string lang = c["lang"].value_or(std::string{});
        // `title`: the page's <title> (the headline may name whom the text calls only by a surname or a pronoun).
        const std::string title = c["title"].value_or(std::string{"t"});
        const auto claims = claims_of(raw ? raw_page(paragraphs, lang, title) : page(paragraphs, lang, title));
        std::vector<const toml::table*> expect;
        if (const auto* e = c["expect"].as_array()) {
            for (const auto& x : *e)
                expect.push_back(x.as_table());
        }
        bool ok = claims.size() == expect.size();
        std::string detail = "got " + std::to_string(claims.size()) + " claims";
        for (std::size_t i = 0; ok && i < expect.size(); ++i) {
            const auto& e = *expect[i];
            const Claim& got = claims[i];
            const std::string kind(to_string(got.kind));
            const bool same =
                got.quote == e["quote"].value_or(std::string{}) && kind == e["kind"].value_or(std::string{}) &&
                got.speaker == e["speaker"].value_or(std::string{}) &&
                got.outlet == e["outlet"].value_or(std::string{}) && got.rule == e["rule"].value_or(std::string{}) &&
                got.speaker_inferred == e["inferred"].value_or(false);
            if (!same) {
                ok = false;
                detail = "claim " + std::to_string(i) + ": [" + got.quote + "] " + kind + " speaker=" + got.speaker +
                         " outlet=" + got.outlet + " rule=" + got.rule + (got.speaker_inferred ? " (inferred)" : "");
            }
        }
        if (ok) {
            ++passed;
        } else {
            failures.push_back(name + ": " + detail);
        }
    }
    for (const auto& f : failures)
        UNSCOPED_INFO(f);
    CHECK(failures.empty());
    CHECK(passed == arr->size());
    CHECK(total_paragraphs >= 60);
}

TEST_CASE("linked URLs: own block first, then the block introducing the quotation", "[unit]") {
    const std::string html =
        "<html><body><article>"
        "<p>The full text is on <a href='https://www.reuters.com/report'>the agency's site</a>, Reuters said:</p>"
        "<p>“Aid is not reaching the north,” <a href='https://example.org/map'>the map</a> shows.</p>"
        "</article></body></html>";
    const auto claims = claims_of(html);
    REQUIRE(claims.size() == 1);
    REQUIRE(claims[0].linked_urls.size() == 2);
    CHECK(claims[0].linked_urls[0] == "https://example.org/map");
    CHECK(claims[0].linked_urls[1] == "https://www.reuters.com/report");
}

TEST_CASE("multi-paragraph quotation: one claim, its paragraphs joined, with the links of all of them", "[unit]") {
    const std::string html =
        "<html><body><article>"
        "<p>“The first part, with <a href='https://example.org/a'>a link</a>, runs on.</p>"
        "<p>“The second, with <a href='https://example.org/b'>another</a>, too.</p>"
        "<p>“And ends here,” the BBC reported.</p>"
        "<p>“A new quotation, a paragraph of its own,” Amara Okafor said.</p>"
        "</article></body></html>";
    const auto claims = claims_of(html);
    REQUIRE(claims.size() == 2);
    CHECK(claims[0].quote == "The first part, with a link, runs on. The second, with another, too. And ends here,");
    CHECK(claims[0].kind == ClaimKind::quote);
    CHECK(claims[0].block == 0);
    CHECK(claims[0].start == std::string_view("“").size());
    CHECK(claims[0].last_block == 2);
    CHECK(claims[0].end == std::string_view("“And ends here,").size());
    CHECK(claims[0].speaker == "BBC");
    CHECK(claims[0].linked_urls == std::vector<std::string>{"https://example.org/a", "https://example.org/b"});
    CHECK(claims[0].id == claim_id("https://example.org/story", 0, claims[0].quote));
    CHECK(claims[1].quote == "A new quotation, a paragraph of its own,");
    CHECK(claims[1].last_block == -1);
}

TEST_CASE("multi-paragraph quotation: a mark left open after a dialogue tag runs on into the next paragraph",
          "[unit]") {
    const auto claims = claims_of(page({
        "“I joined the fire service in 1989,” said station officer Dermot Kiely, “and I have never seen a summer "
        "like this.",
        "“We had eleven grass fires in one afternoon.”",
        "“It was,” she said. “Then it rained.",
        "“For a week.”",
    }));
    REQUIRE(claims.size() == 4);
    CHECK(claims[0].quote == "I joined the fire service in 1989,");
    CHECK(claims[1].quote == "and I have never seen a summer like this. We had eleven grass fires in one afternoon.");
    CHECK(claims[1].last_block == 1);
    CHECK(claims[1].speaker == "Dermot Kiely");
    CHECK(claims[3].quote == "Then it rained. For a week.");
    CHECK(claims[3].block == 2);
    CHECK(claims[3].last_block == 3);
    // A mark left open in the middle of a sentence is a typo: the next paragraph's quotation stays its own.
    const auto typo = claims_of(
        page({"The minister called it “a mistake and moved on.", "“We will appeal the ruling,” Amara Okafor said."}));
    REQUIRE(typo.size() == 1);
    CHECK(typo[0].quote == "We will appeal the ruling,");
    CHECK(typo[0].last_block == -1);
}

TEST_CASE("a block quotation of several paragraphs is one claim; two block quotations are two", "[unit]") {
    const std::string html =
        "<html><body><article>"
        "<p>Ammar Askar explained the flaw in a blog post. Here is how it works.</p>"
        "<blockquote><p>The client is allowed to send the server information about certain slots.</p>"
        "<pre>rekt: { list: [ ] }</pre>"
        "<p>The root of the object contains 300 lists.</p>"
        "<p>\u2014 Ammar Askar</p></blockquote>"
        "<blockquote><p>A second quotation, from another post, stands on its own.</p></blockquote>"
        "</article></body></html>";
    const auto claims = claims_of(html);
    REQUIRE(claims.size() >= 2);
    CHECK(claims[0].quote ==
          "The client is allowed to send the server information about certain slots. rekt: { list: [ ] } The root "
          "of the object contains 300 lists.");
    CHECK(claims[0].block == 1);
    CHECK(claims[0].last_block == 3);
    const auto second = std::find_if(claims.begin(), claims.end(), [](const Claim& c) {
        return c.quote == "A second quotation, from another post, stands on its own.";
    });
    REQUIRE(second != claims.end());
    CHECK(second->last_block == -1);
    for (const auto& c : claims)
        CHECK(c.quote.find("\u2014") == std::string::npos);  // the signature is no part of the quotation
}

TEST_CASE("what is not one quotation over several paragraphs stays apart", "[unit]") {
    // A mark opened after a dialogue tag runs on only into a paragraph that is all quotation: one that closes its
    // quotation early and names its own speaker holds someone else's words.
    const auto two_people = claims_of(page({
        "“We won the vote fairly,” said Mayor John Smith. “It was a great night for the town and its people.",
        "“We lost because the count was rigged,” said councillor Mary Jones, who opposed the budget.",
    }));
    REQUIRE(two_people.size() == 2);
    CHECK(two_people[0].quote == "We won the vote fairly,");
    CHECK(two_people[1].quote == "We lost because the count was rigged,");
    CHECK(two_people[1].speaker == "Mary Jones");
    // A blockquote's signature line, a blockquote quoted inside another, and words set off that are no one's.
    const auto signed_off = claims_of(
        "<html><body><article><p>The minister wrote to the workers on Monday.</p>"
        "<blockquote><p>We will keep every job at the plant and we will reopen it within a year.</p>"
        "<p>Robert Green, Minister of Industry</p></blockquote>"
        "<blockquote><p>Thank you for your letter, which we read with care and answer in full.</p>"
        "<blockquote><p>Will the plant close before the end of the year, as the papers say?</p></blockquote>"
        "</blockquote><blockquote><p>Menu</p><p>Home</p></blockquote></article></body></html>");
    std::vector<std::string> quotes;
    for (const auto& c : signed_off)
        quotes.push_back(c.quote);
    CHECK(std::find(quotes.begin(), quotes.end(),
                    "We will keep every job at the plant and we will reopen it within a year.") != quotes.end());
    CHECK(std::find(quotes.begin(), quotes.end(),
                    "Thank you for your letter, which we read with care and answer in full.") != quotes.end());
    CHECK(std::find(quotes.begin(), quotes.end(),
                    "Will the plant close before the end of the year, as the papers say?") != quotes.end());
    for (const auto& q : quotes) {
        CHECK(q.find("Robert Green") == std::string::npos);
        CHECK(q.find("Menu") == std::string::npos);
    }
}

TEST_CASE("a long block quotation is checked in parts of at most max_run_words", "[unit]") {
    std::string html = "<html><body><article><p>The report’s full text follows.</p><blockquote>";
    for (int i = 0; i < 300; ++i)
        html += "<p>Paragraph " + std::to_string(i) + " of the report runs to ten words here.</p>";
    html += "</blockquote></article></body></html>";
    const auto claims = claims_of(html);
    // 3,000 words in paragraphs of ten: 2,000 in the first claim, the rest in the second.
    REQUIRE(claims.size() == 2);
    CHECK(claims[0].block == 1);
    CHECK(claims[0].last_block == 200);
    CHECK(claims[1].block == 201);
    CHECK(claims[1].last_block == 300);
    CHECK(claims[1].speaker == claims[0].speaker);
}

TEST_CASE("an outlet's name in running text is written as a name: a blog post is no Post", "[unit]") {
    const auto lower = claims_of(
        "<html><body><article><p>The developer explained the flaw in a blog post published Thursday.</p>"
        "<blockquote><p>The client is allowed to send the server information about certain slots.</p></blockquote>"
        "</article></body></html>");
    REQUIRE(lower.size() == 1);
    CHECK(lower[0].speaker != "The Washington Post");
    const auto named = claims_of(
        "<html><body><article><p>The Post published the developer's account on Thursday.</p>"
        "<blockquote><p>The client is allowed to send the server information about certain slots.</p></blockquote>"
        "</article></body></html>");
    REQUIRE(named.size() == 1);
    CHECK(named[0].speaker == "The Washington Post");
    // Nor in a speaker's place.
    const auto speaker = claims_of(page({"“The client is trusted with far too much,” a blog post said."}));
    REQUIRE(speaker.size() == 1);
    CHECK(speaker[0].speaker != "The Washington Post");
}

TEST_CASE("claim ids: first 16 hex digits of SHA-256 over url, block and quote", "[unit]") {
    const std::string id = claim_id("https://example.org/story", 3, "best option");
    CHECK(id.size() == 16);
    CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(id == claim_id("https://example.org/story", 3, "best option"));
    CHECK(id != claim_id("https://example.org/story", 4, "best option"));
    CHECK(id != claim_id("https://example.org/other", 3, "best option"));
    const auto claims = claims_of(page({"Residents described the night as “hell on earth”."}));
    REQUIRE(claims.size() == 1);
    CHECK(claims[0].id == claim_id("https://example.org/story", 0, "hell on earth"));
}

TEST_CASE("'the report' with no outlet or maker named is the speaker as printed, and no outlet", "[unit]") {
    const auto claims = claims_of(page({"“Nothing is decided yet,” the report said."}));
    REQUIRE(claims.size() == 1);
    CHECK(claims[0].speaker == "the report");
    CHECK(claims[0].outlet.empty());
    CHECK(claims[0].rule == "after.speaker-verb");
    // "it" names nothing by itself.
    const auto it = claims_of(page({"“Nothing is decided yet,” it said."}));
    REQUIRE(it.size() == 1);
    CHECK(it[0].speaker.empty());
}

TEST_CASE("titles and nationalities stay with a name, and are no speaker alone", "[unit]") {
    const auto claims = claims_of(page({
        "<p>“This is a serious crime that endangers lives,” U.S. Attorney Erin Nealy Cox said.</p>",
        "<p>“The talks will go on,” said Prime Minister Ana Ruiz.</p>",
        "<p>“We never met them,” Syrian claims notwithstanding.</p>",
        "<p>“The pipes are old,” Syrian President Omar Haddad said.</p>",
    }));
    REQUIRE(claims.size() == 4);
    CHECK(claims[0].speaker.ends_with("Attorney Erin Nealy Cox"));
    CHECK(claims[1].speaker == "Prime Minister Ana Ruiz");
    CHECK(claims[2].speaker.empty());
    CHECK(claims[3].speaker == "Syrian President Omar Haddad");
}

TEST_CASE("a pronoun with no person named before it gives no attribution", "[unit]") {
    const auto claims = claims_of(page({"“We are leaving tonight,” he said."}));
    REQUIRE(claims.size() == 1);
    CHECK(claims[0].speaker.empty());
}

TEST_CASE("tweet on x.com: outlet X", "[unit]") {
    const std::string html =
        "<html><body><article><p>Text before the post.</p>"
        "<blockquote class='twitter-tweet'><p>Hello from the border</p>&mdash; Jane Roe (@janeroe) "
        "<a href='https://x.com/janeroe/status/123?ref_src=tw'>May 1, 2024</a></blockquote>"
        "</article></body></html>";
    const auto claims = claims_of(html);
    REQUIRE(claims.size() == 1);
    CHECK(claims[0].kind == ClaimKind::embed);
    CHECK(claims[0].quote == "Hello from the border");
    CHECK(claims[0].speaker == "@janeroe");
    CHECK(claims[0].outlet == "X");
    CHECK(claims[0].attribution == "Jane Roe (@janeroe)");
    CHECK(claims[0].embed_status_url == "https://x.com/janeroe/status/123?ref_src=tw");
    CHECK(claims[0].rule == "embed.tweet");
}

TEST_CASE("attribution rules: loaded from attribution.toml; malformed rules are reported", "[unit]") {
    auto r = load_attribution_rules(builtin());
    REQUIRE(r.has_value());
    CHECK(r->patterns.size() >= 8);
    CHECK(r->patterns.front().id == "after.speaker-verb");
    CHECK(r->partial_max_words == 3);
    CHECK(r->embed_rule == "embed.tweet");

    auto bad = load_rules_from(
        {{"attribution.toml", "[[pattern]]\nid = \"x\"\nscope = \"nowhere\"\nshape = \"speaker verb\"\n"}});
    REQUIRE(bad.has_value());
    auto loaded = load_attribution_rules(*bad);
    REQUIRE_FALSE(loaded.has_value());
    CHECK(loaded.error().code == ErrorCode::config);

    auto mismatched = load_rules_from(
        {{"attribution.toml", "[[pattern]]\nid = \"y\"\nscope = \"after\"\nshape = \"last outlet\"\n"}});
    REQUIRE(mismatched.has_value());
    CHECK_FALSE(load_attribution_rules(*mismatched).has_value());
    // A tag with an unlisted verb is read only right after the quotation.
    auto misplaced_tag = load_rules_from(
        {{"attribution.toml", "[[pattern]]\nid = \"z\"\nscope = \"before\"\nshape = \"speaker tag\"\n"}});
    REQUIRE(misplaced_tag.has_value());
    auto tag_rules = load_attribution_rules(*misplaced_tag);
    REQUIRE_FALSE(tag_rules.has_value());
    CHECK(tag_rules.error().message.find("\"speaker tag\" goes with scope \"after\"") != std::string::npos);
    // The one person a sentence names is read inside that sentence only.
    auto misplaced_person = load_rules_from(
        {{"attribution.toml", "[[pattern]]\nid = \"p\"\nscope = \"after\"\nshape = \"sentence person\"\n"}});
    REQUIRE(misplaced_person.has_value());
    auto person_rules = load_attribution_rules(*misplaced_person);
    REQUIRE_FALSE(person_rules.has_value());
    CHECK(person_rules.error().message.find("\"sentence person\" goes with scope \"sentence\"") != std::string::npos);
    // The person named last before a quotation is read from the article around it.
    auto misplaced_nearest = load_rules_from(
        {{"attribution.toml", "[[pattern]]\nid = \"n\"\nscope = \"sentence\"\nshape = \"nearest person\"\n"}});
    REQUIRE(misplaced_nearest.has_value());
    auto nearest_rules = load_attribution_rules(*misplaced_nearest);
    REQUIRE_FALSE(nearest_rules.has_value());
    CHECK(nearest_rules.error().message.find("\"nearest person\" go with scope \"context\"") != std::string::npos);

    // Rules that cannot be read are an error, never claims quietly left unattributed.
    auto doc = extract_document(page({"“We will not stop,” Reuters reported."}), "https://example.org/s", builtin());
    REQUIRE(doc.has_value());
    const auto claims = attribute_claims(*doc, *bad);
    REQUIRE_FALSE(claims.has_value());
    CHECK(claims.error().code == ErrorCode::config);
}

TEST_CASE("extra rules extend the speech verbs", "[unit]") {
    auto rules = editable_rules();
    const auto claims_before = claims_of(page({"“Enough is enough, and we are done,” Reuters harrumphs."}));
    REQUIRE(claims_before.size() == 1);
    // (A verb in the present tense: "“…,” Reuters harrumphed" is read as a tag with no list, after.speaker-tag.)
    CHECK(claims_before[0].speaker.empty());

    rules.attribution->replace(rules.attribution->find("speech_verbs = ["), 16, "speech_verbs = [\"harrumphs\", ");
    auto extended = load_rules_from(rules.files);
    REQUIRE(extended.has_value());
    auto doc = extract_document(page({"“Enough is enough, and we are done,” Reuters harrumphs."}),
                                "https://example.org/s", *extended);
    REQUIRE(doc.has_value());
    const auto claims = attribute_claims(*doc, *extended).value();
    REQUIRE(claims.size() == 1);
    CHECK(claims[0].speaker == "Reuters");
    CHECK(claims[0].rule == "after.speaker-verb");
}

TEST_CASE("a block quotation's credit line: read by default, off with an empty id, unknown keys an error", "[unit]") {
    const std::string html =
        "<!DOCTYPE html><html><head><title>t</title></head><body><article><p>Letters reached us from every "
        "district this week.</p><blockquote><p>The reading room is the best thing the council has built.</p>"
        "<footer>— Margaret Olsen, Riverside</footer></blockquote></article></body></html>";
    auto rules = editable_rules();
    const std::string on = "[credit]\nid = \"block-credit\"";
    const auto at = rules.attribution->find(on);
    REQUIRE(at != std::string::npos);

    const RuleSet& base = builtin();
    auto doc = extract_document(html, "https://example.org/s", base);
    REQUIRE(doc.has_value());
    auto claims = attribute_claims(*doc, base).value();
    REQUIRE(claims.size() == 1);
    CHECK(claims[0].speaker == "Margaret Olsen");
    CHECK(claims[0].rule == "block-credit");

    rules.attribution->replace(at, on.size(), "[credit]\nid = \"\"");
    auto off = load_rules_from(rules.files);
    REQUIRE(off.has_value());
    claims = attribute_claims(*doc, *off).value();
    REQUIRE(claims.size() == 1);
    CHECK(claims[0].rule != "block-credit");

    auto unknown = load_rules_from({{"attribution.toml", "[credit]\nid = \"c\"\nscope = \"after\"\n"}});
    REQUIRE(unknown.has_value());
    auto loaded = load_attribution_rules(*unknown);
    REQUIRE_FALSE(loaded.has_value());
    CHECK(loaded.error().code == ErrorCode::config);
}

TEST_CASE("blockquote without marks is a quotation attributed by its introduction", "[unit]") {
    const std::string html =
        "<html><body><article><p>The Guardian published the memo in full. The memo said:</p>"
        "<blockquote><p>All crossings will stay closed until further notice.</p></blockquote>"
        "</article></body></html>";
    const auto claims = claims_of(html);
    REQUIRE(claims.size() == 1);
    const Claim* c = find_claim(claims, "All crossings");
    REQUIRE(c != nullptr);
    CHECK(c->kind == ClaimKind::quote);
    // "The memo said" names a document: whoever the sentence naming the memo opens with issued it.
    CHECK(c->speaker == "The Guardian");
    CHECK(c->rule == "intro.speaker-verb");
}

TEST_CASE("a number, a month or a preposition before the speaker is no part of the name", "[unit]") {
    auto claims = claims_of(page({"In 2019 Jones said “the dam will hold”.",
                                  "On Monday Laura Kim told reporters: “We will reopen the school.”"}));
    REQUIRE(claims.size() == 2);
    CHECK(claims[0].speaker == "Jones");
    CHECK(claims[1].speaker == "Laura Kim");
    // A nationality and the group it describes is a speaker; an adverb between a name and the verb is passed over
    // (the name speaks), and is never read as a group the name describes.
    for (auto [text, speaker] :
         {std::pair{"“There is no evidence of a second device,” American officials said.", "American officials"},
          {"Syrian state media claimed the strike had hit “only military targets”.", "Syrian state media"},
          {"“The talks have paused,” said French diplomats in Brussels.", "French diplomats"},
          {"“We are not leaving,” Brian quickly said.", "Brian"}}) {
        auto group = claims_of(page({text}));
        REQUIRE(group.size() == 1);
        CHECK(group[0].speaker == speaker);
    }
    // Alone on their pages, so that no earlier speaker is continued.
    for (const char* p : {"“The count is not over,” By said.", "“Nothing has changed at all,” October said."}) {
        auto alone = claims_of(page({p}));
        REQUIRE(alone.size() == 1);
        CHECK(alone[0].speaker.empty());
    }
}

TEST_CASE("organisations, people named without a speech verb, continuation and other languages", "[unit]") {
    // "the report", "it" and "the authority" point back to the organisation named last.
    auto org = claims_of(page({"In its outlook, the Norland Water Authority said reservoirs were “low”.",
                               "“Demand rose by 12 percent over the summer,” the authority said.",
                               "The report added that “abstraction fell by a third in the east”.",
                               "Hose bans “will remain in place until March”, it said."}));
    REQUIRE(org.size() == 4);
    for (const auto& c : org) {
        CHECK(c.speaker == "Norland Water Authority");
        CHECK(c.outlet.empty());
    }
    // A person named as the subject of a sentence, with a title, is who "he" and "the mayor" point to.
    auto people = claims_of(page({"Senator Obinna Eze left the chamber before the vote.",
                                  "“I will not vote for a bill I have not read,” he told reporters.",
                                  "Mayor Ines Duarte opened the new tram line on Saturday.",
                                  "“Twenty years of waiting ends today,” the mayor said."}));
    REQUIRE(people.size() == 2);
    CHECK(people[0].speaker == "Senator Obinna Eze");
    CHECK(people[1].speaker == "Mayor Ines Duarte");
    // A place in running text is no one: "he" still points to the person.
    auto place = claims_of(
        page({"Ahmed Salem said the talks would resume in Gaza City next week.", "“We are ready,” he added."}));
    REQUIRE(place.size() == 1);
    CHECK(place[0].speaker == "Ahmed Salem");
    // A quotation with no attribution continues the speaker before it, in its paragraph or opening the next.
    auto cont =
        claims_of(page({"“The process is quite boring,” Lladanosa says. But one part surprises her: “Every "
                        "time it is something different.”",
                        "“We test about a hundred samples every month, sometimes more.”"}));
    REQUIRE(cont.size() == 3);
    CHECK(cont[1].speaker == "Lladanosa");
    CHECK(cont[2].speaker == "Lladanosa");
    CHECK(cont[2].rule == "continuation");
    // Speech verbs and "according to" in French, German, Spanish and Russian.
    auto intl = claims_of(page({"„Wir verhandeln nicht mit Erpressern“, sagte Innenministerin Petra Lange.",
                                "Según el Banco Central, la inflación fue “la más baja en una década”.",
                                "«Мы не отступим», — заявил Игорь Петров."}));
    REQUIRE(intl.size() == 3);
    CHECK(intl[0].speaker.find("Petra Lange") != std::string::npos);
    CHECK(intl[1].speaker.find("Banco Central") != std::string::npos);
    CHECK(intl[2].speaker == "Игорь Петров");
}

TEST_CASE("a subject without a speech verb, a person described, a document's issuer", "[unit]") {
    // A quotation inside a sentence that no speech verb attributes is the words of its subject, when the article
    // names that subject as someone.
    auto subject = claims_of(page({"Marc Benioff said the event was a success.",
                                   "On stage, Benioff introduced Tim Cook as “someone who has redefined what it "
                                   "means to be a chief executive officer” and thanked him.",
                                   "Stephanie Grisham did not answer. Grisham, by her own accounting, has given "
                                   "“plenty of statements that were truthful and accurate.”"}));
    REQUIRE(subject.size() == 2);
    CHECK(subject[0].speaker == "Benioff");
    CHECK(subject[0].rule == "sentence.subject");
    CHECK(subject[1].speaker == "Grisham");
    // Not a thing, not a word the article gives no one, not after "claims that", not "Il s'agit".
    auto none = claims_of(page(
        {"The price of halibut was “as low as I have ever seen it in years,” one trader "
         "thought.",
         "Cheeky horror game “Until Dawn” was a hit, channeling the classic “dumb teens in "
         "the woods, screaming” trope.",
         "Kyiv rejected Russian claims that the dam was “destroyed by shelling from the "
         "other bank.”",
         "Kyiv called the report “a lie”.", "Il s’agit de « la prévention du terrorisme et des atteintes graves »."}));
    for (const auto& c : none) {
        INFO(c.quote);
        CHECK(c.rule != "sentence.subject");
    }
    CHECK(find_claim(none, "destroyed by")->speaker.empty());
    CHECK(find_claim(none, "la prévention")->speaker.empty());
    // "called" is a speech verb: "a lie" is Kyiv's word, by that verb and not as the sentence's subject.
    REQUIRE(find_claim(none, "a lie") != nullptr);
    CHECK(find_claim(none, "a lie")->speaker == "Kyiv");
    // A person described and not named, whom the rules do not list, is the description, not the person named last.
    auto described = claims_of(page({"Scooter Braun has been trying to reach Taylor Swift for weeks.",
                                     "“This fight with Taylor is not something Scooter agrees with,” the insider "
                                     "added.",
                                     "“He wants to talk to her directly,” said the longtime confidant."}));
    REQUIRE(described.size() == 2);
    CHECK(described[0].speaker == "the insider");
    CHECK(described[1].speaker == "the longtime confidant");
    // "the statement read": the subject of the sentence that names the statement, resolved as it is.
    auto issued = claims_of(page({"Big Machine Records denied the allegations in a statement on Friday.",
                                  "“At no point did we say Taylor could not perform,” the statement read."}));
    REQUIRE(issued.size() == 1);
    CHECK(issued[0].speaker == "Big Machine Records");
    // A name whose last words are titles or a suffix: the organisation whole, and the surname before "Jr.".
    auto whole = claims_of(page({"The Ministry of Defence said the drill had been “planned for months and months.”",
                                 "Patrick W. Carlineo Jr. pleaded guilty on Monday.",
                                 "Carlineo was arrested in April for a call in which he said he would “put a "
                                 "bullet in her skull, no doubt about it.”"}));
    REQUIRE(whole.size() == 2);
    CHECK(whole[0].speaker == "Ministry of Defence");
    CHECK(whole[1].speaker == "Patrick W. Carlineo Jr.");
}

TEST_CASE("titles with \"of\", an appositive left open, a document's issuer, a sentence after its subject", "[unit]") {
    auto claims = claims_of(
        page({"Secretary of State Mike Pompeo said the release “gives us hope for the success of the negotiations.”",
              "“This is mainly due to the change in wind direction from north-westerly to south-easterly,” Kurinji "
              "Selvaraj, a research analyst at the Delhi-based Council on Energy think tank told the BBC.",
              "\"The market is largely factoring in a reasonable recovery,\" said a report from Kotak Institutional "
              "Equities.",
              "Jim Bridenstine leads the agency.",
              "Bridenstine expects to produce three rockets through 2024. “Adding an additional rocket into the mix "
              "could, I am not confident that could happen.”"}));
    REQUIRE(claims.size() == 4);
    CHECK(claims[0].speaker == "Secretary of State Mike Pompeo");
    CHECK(claims[1].speaker == "Kurinji Selvaraj");
    CHECK(claims[1].outlet == "BBC");
    CHECK(claims[2].speaker == "Kotak Institutional Equities");
    CHECK(claims[3].speaker == "Jim Bridenstine");
    CHECK(claims[3].rule == "continuation");
    // A sentence after a subject the article gives no one, or a few words, carries nothing on.
    auto none = claims_of(page({"The price rose again. “Nobody expected it to go this far, not even the traders.”"}));
    REQUIRE(none.size() == 1);
    CHECK(none[0].speaker.empty());
}

TEST_CASE("pronouns: a person's learnt gender, a person named in passing, a surname after an opening phrase",
          "[unit]") {
    // Gaiman's gender is not told; Teresa Nielsen Hayden, named in passing, is a woman by her given name.
    auto passing =
        claims_of(page({"“He would make art in the most surprising places,” Neil Gaiman told me. When "
                        "Ford visited his editor Teresa Nielsen Hayden at her office, he left poems. “Life "
                        "was not long enough,” she recalled."}));
    REQUIRE(passing.size() == 2);
    CHECK(passing[1].speaker == "Teresa Nielsen Hayden");
    // "As it turned out, Steenburgen had spent …": the subject after an opening phrase, not the name compared.
    auto opening = claims_of(page({"Oscar-winning actress Mary Steenburgen wrote the song.",
                                   "As it turned out, Steenburgen had spent years on music, and she was more nervous "
                                   "than Rose-Lynn Harlan has ever been. “It was terrifying,” she said."}));
    REQUIRE(opening.size() == 1);
    CHECK(opening[0].speaker == "Mary Steenburgen");
    // A gender learnt from "his" after a name no title or given name tells: "she" passes over him.
    auto learnt = claims_of(page({"Kwabena Mensah said his team was ready. Abena Owusu disagreed with Mensah.",
                                  "Later Mensah spoke to Owusu again. “We are not ready at all, not yet,” she said."}));
    REQUIRE(learnt.size() == 1);
    CHECK(learnt[0].speaker == "Abena Owusu");
}

TEST_CASE("people described and not named: a company spokesman, a source familiar, her lawyer, the official again",
          "[unit]") {
    auto claims =
        claims_of(page({"Acme Corp makes anvils. Its sales fell last year.",
                        "“We remain committed to our customers,” said a company spokesman.",
                        "“We have no comment on ongoing litigation,” a White House official said.",
                        "“We have no comment on that either,” the official told reporters.",
                        "“The talks have stalled again,” a source familiar with the matter said.",
                        "“She will appeal the ruling,” her lawyer said.",
                        "“Margins will recover next year,” Acme’s chief executive said.", "Jane Roe sang on Friday.",
                        "“We were never in it for the money,” said the 38-year-old singer."}));
    REQUIRE(claims.size() == 7);
    CHECK(claims[0].speaker == "a company spokesman");
    CHECK(claims[1].speaker == "a White House official");
    CHECK(claims[2].speaker == "a White House official");
    CHECK(claims[3].speaker == "a source familiar with the matter");
    CHECK(claims[4].speaker == "her lawyer");
    CHECK(claims[5].speaker == "Acme’s chief executive");
    CHECK(claims[6].speaker == "Jane Roe");
    CHECK(claims[6].attribution == "said the 38-year-old singer");
}

TEST_CASE("a speaker described and not named is never compared with a name", "[unit]") {
    const auto rules = load_attribution_rules(builtin());
    REQUIRE(rules.has_value());
    for (const char* described : {"the insider", "a source familiar with the matter", "one resident", "her lawyer",
                                  "their spokesman", "Acme’s chief executive", "China's ambassador"}) {
        INFO(described);
        CHECK(described_speaker(described, *rules));
    }
    for (const char* named : {"Ilhan Omar", "Norland Water Authority", "Osei", "Jeanine Pirro’s Office"}) {
        INFO(named);
        CHECK_FALSE(described_speaker(named, *rules));
    }
}

TEST_CASE("a pronoun for someone described in its own paragraph; a description opening a sentence", "[unit]") {
    auto claims = claims_of(page({"As both NBC News and Bloomberg have reported, business accounts are a risk.",
                                  "WIRED spoke to one mother, who knew her children used such accounts. “I am so "
                                  "ahead of every other parent I know,” she said.",
                                  "A company spokesperson said in an email that “we have received an inquiry and are "
                                  "cooperating in the matter.”"}));
    REQUIRE(claims.size() == 2);
    CHECK(claims[0].speaker == "one mother");
    CHECK(claims[1].speaker == "A company spokesperson");
}

TEST_CASE("names with particles, appositives between dashes or after a parenthesis, places after the name", "[unit]") {
    auto claims = claims_of(page(
        {"“The pumps were running again by four in the morning,” duty engineer Yousef al-Harithi said.",
         "Dr Oluwatobi Fashanu — a cardiologist at St. Bride’s Infirmary who led the trial — said the results were "
         "“better than any of us dared to hope.”",
         "Hilde Brakstad (pictured), the chair of the Vennesund Fisheries Board, said the quota cut was “a slow death "
         "for the coastal villages.”",
         "“The bells will ring again by Christmas,” the Rev. Cuthbert Amadi-Hale of St. Swithun’s Church in Lower "
         "Fenmoor said.",
         "After four days of evidence, the last word went to the defendant, Radomir Kessel: “I am sorry for what I "
         "did to that family.”",
         "The Coastal Health Alliance runs the clinics. A report released on Tuesday by the Coastal Health Alliance "
         "(CHA) found that waiting times had “more than doubled since 2019.”",
         "The agency wants to ban the so-called “forever chemicals” by 2030."}));
    REQUIRE(claims.size() == 6);
    CHECK(claims[0].speaker == "Yousef al-Harithi");
    CHECK(claims[1].speaker == "Dr Oluwatobi Fashanu");
    CHECK(claims[2].speaker == "Hilde Brakstad");
    CHECK(claims[3].speaker == "Rev. Cuthbert Amadi-Hale");
    CHECK(claims[4].speaker == "Radomir Kessel");
    CHECK(claims[5].speaker == "Coastal Health Alliance");
    CHECK(find_claim(claims, "forever chemicals") == nullptr);
}

TEST_CASE("\"they\" after two people named together", "[unit]") {
    auto claims =
        claims_of(page({"The parents of Ayo Adebayo, Funmi and Segun Adebayo, attended every day of the inquest.",
                        "“We want to know why nobody came for forty minutes,” they said."}));
    REQUIRE(claims.size() == 1);
    CHECK(claims[0].speaker == "Funmi and Segun Adebayo");
}

TEST_CASE("epithets for the person a story is about; a company named again by its first word", "[unit]") {
    auto claims =
        claims_of(page({"Lewis Adeyemi retained his title on Saturday, stopping the Welsh challenger Rhys "
                        "Pritchard in the ninth round.",
                        "Pritchard had been knocked down twice. “I wanted to keep going, but he did the "
                        "right thing,” the Welshman said.",
                        "Sixteen-year-old Arjun Nair won the Kessling Open on Sunday.",
                        "“I offered the draw because I could not calculate any more,” the teenager said.",
                        "Brennwald Logistics has agreed to buy its rival for £310 million.",
                        "Brennwald said in a statement that it had “no plans for compulsory redundancies.”"}));
    REQUIRE(claims.size() == 3);
    CHECK(claims[0].speaker == "Rhys Pritchard");
    CHECK(claims[1].speaker == "Arjun Nair");
    CHECK(claims[2].speaker == "Brennwald Logistics");
}

TEST_CASE("the words of a claim named by whose it is are the owner's", "[unit]") {
    auto claims =
        claims_of(page({"Senator Hal Ostrow rejected Governor Leni Brackett’s claim that the new fuel tax was "
                        "“the fairest in the region.”",
                        "Kyiv rejected Russian claims that the dam was “destroyed by shelling from the other "
                        "bank.”"}));
    REQUIRE(claims.size() == 2);
    CHECK(claims[0].speaker == "Governor Leni Brackett");
    CHECK(claims[1].speaker.empty());
}

TEST_CASE("a passive speech verb, an age for the subject, a given name for the person named in full", "[unit]") {
    auto claims = claims_of(page(
        {"Mourners were told by the Rev Gillian Aske that Mr Dorrell had ‘never once turned anyone away from his "
         "door’.",
         "“I felt like I was playing with someone else’s arm in the first set,” Kateryna Voss-Almeida said after her "
         "win over Ines Dufresne.",
         "“They were all for Ines, which is fair and right,” the 21-year-old added.",
         "Sir Malcolm Reddaway told the inquiry: “I was never shown the report before the meeting.”",
         "“I signed a great many things in those years,” Sir Malcolm replied."}));
    REQUIRE(claims.size() == 5);
    CHECK(claims[0].speaker == "Rev Gillian Aske");
    CHECK(claims[2].speaker == "Kateryna Voss-Almeida");
    CHECK(claims[4].speaker == "Sir Malcolm Reddaway");
}
