// Verdict assembly and source choice, as plain functions: no sockets, no files, no clock.
#include <catch2/catch.hpp>

#include "check/decide.hpp"
#include "check/options.hpp"
#include "check/sources.hpp"

using namespace provcheck;

namespace {

const CheckRules& rules() {
    static const CheckRules r = [] {
        auto loaded = load_check_rules(std::nullopt);
        REQUIRE(loaded);
        return std::move(*loaded);
    }();
    return r;
}

Capture page_capture(std::string url, std::string paragraphs, std::string fetched_at = "2023-10-19T08:00:00Z") {
    Capture c;
    c.requested_url = url;
    c.final_url = url;
    c.status = 200;
    c.content_type = "text/html";
    c.fetched_at = std::move(fetched_at);
    c.body =
        "<!DOCTYPE html><html><head><title>t</title></head><body><article>" + paragraphs + "</article></body></html>";
    c.payload_sha256 = std::string(64, url.size() % 2 == 0 ? 'a' : 'b');
    c.chain = {{url, 200, HopVia::start}};
    return c;
}

Claim quote_claim(std::string quote) {
    Claim c;
    c.id = "c1";
    c.quote = std::move(quote);
    c.speaker = "The New York Times";
    c.outlet = "The New York Times";
    return c;
}

const std::string thirty =
    "<p>Adding even more complexity to the talks, people from more than 30 countries are among the hostages.</p>"
    "<p>Qatar has been a mediator for years, officials said.</p>";
const std::string forty_quote =
    "Adding even more complexity to the talks, people from more than 40 countries are among the hostages,";

}  // namespace

TEST_CASE("decide: no candidate is unsourced", "[unit]") {
    ClaimResult r = decide(quote_claim(forty_quote), {}, rules());
    CHECK(r.verdict == Verdict::unsourced);
    CHECK_FALSE(r.source);
    CHECK(r.candidates.empty());
}

TEST_CASE("decide: the best passage over the candidates decides, and the source says why it was chosen", "[unit]") {
    auto unrelated =
        SourceText::read(page_capture("https://a.example/x", "<p>Nothing about hostages here.</p>"), rules().rules);
    auto nyt = SourceText::read(page_capture("https://www.nytimes.com/y", thirty), rules().rules);
    ClaimResult r =
        decide(quote_claim(forty_quote),
               {{"link beside the quotation", unrelated.get(), {}}, {"bound by --source NYT", nyt.get(), {}}}, rules());
    CHECK(r.verdict == Verdict::altered);
    REQUIRE(r.source);
    CHECK(r.source->final_url == "https://www.nytimes.com/y");
    CHECK(r.source_reason == "bound by --source NYT");
    CHECK(r.candidates.size() == 2);
    REQUIRE(r.match);
    REQUIRE(r.match->differences.size() == 1);
    CHECK(r.match->differences[0].quote == "40");
    CHECK(r.match->differences[0].critical);
    CHECK(r.versions.empty());
}

TEST_CASE("decide: nothing readable is source_unavailable; a page without text says so", "[unit]") {
    Capture dead;
    dead.requested_url = "https://dead.example/";
    dead.failure = CaptureFailure{FailureClass::http_4xx, "HTTP 404"};
    auto dead_text = SourceText::read(dead, rules().rules);
    Capture image = page_capture("https://img.example/p.png", "");
    image.content_type = "image/png";
    auto image_text = SourceText::read(image, rules().rules);

    ClaimResult r =
        decide(quote_claim(forty_quote), {{"a", dead_text.get(), {}}, {"b", image_text.get(), {}}}, rules());
    CHECK(r.verdict == Verdict::source_unavailable);
    REQUIRE(r.source);
    CHECK(r.source->failure->cls == FailureClass::http_4xx);  // the first failure is the one reported

    ClaimResult only_image = decide(quote_claim(forty_quote), {{"b", image_text.get(), {}}}, rules());
    CHECK(only_image.verdict == Verdict::source_unavailable);
    REQUIRE(only_image.source->failure);
    CHECK(only_image.source->failure->message == "the source holds no readable text");
}

TEST_CASE("decide: not found in a partial source is source_restricted", "[unit]") {
    Capture cut = page_capture("https://www.nytimes.com/paywalled", "<p>The first paragraph only.</p>");
    cut.truncated = "length";
    auto text = SourceText::read(cut, rules().rules);
    ClaimResult r = decide(quote_claim(forty_quote), {{"bound by --source", text.get(), {}}}, rules());
    CHECK(r.verdict == Verdict::source_restricted);
}

TEST_CASE("decide: an earlier version that matches decides, is listed and becomes a candidate", "[unit]") {
    auto current =
        SourceText::read(page_capture("https://www.nytimes.com/y", thirty, "2023-10-20T08:00:00Z"), rules().rules);
    const std::string forty =
        "<p>Adding even more complexity to the talks, people from more than 40 countries are among the "
        "hostages.</p>";
    Capture earlier_capture = page_capture("https://www.nytimes.com/y", forty, "2023-10-17T08:00:00Z");
    earlier_capture.payload_sha256 = std::string(64, 'e');
    auto earlier = SourceText::read(earlier_capture, rules().rules);
    ClaimResult r = decide(quote_claim(forty_quote), {{"bound by --source", current.get(), {earlier.get()}}}, rules());
    CHECK(r.verdict == Verdict::verbatim);
    REQUIRE(r.versions.size() == 2);
    CHECK(r.versions[0].current);
    CHECK_FALSE(r.versions[0].matched);
    CHECK(r.versions[0].verdict == Verdict::altered);
    CHECK(r.versions[1].matched);
    CHECK(r.versions[1].fetched_at == "2023-10-17T08:00:00Z");
    REQUIRE(r.source);
    CHECK(r.source->payload_sha256 == std::string(64, 'e'));
    CHECK(r.candidates.size() == 2);  // this run's capture, and the earlier version that decided
}

TEST_CASE("a source is indexed once for every quotation aligned with it", "[unit]") {
    auto nyt = SourceText::read(page_capture("https://www.nytimes.com/y", thirty), rules().rules);
    const std::size_t before = nyt->memory_bytes();
    Match a = nyt->align(forty_quote, rules().matching);
    const std::size_t indexed = nyt->memory_bytes();
    Match b = nyt->align("Qatar has been a mediator for years", rules().matching);
    CHECK(indexed > before);
    CHECK(nyt->memory_bytes() == indexed);
    CHECK(a.verdict == Verdict::altered);
    CHECK(b.verdict == Verdict::verbatim);
}

TEST_CASE("candidates: bindings by name and alias, links to the outlet, an embed's oEmbed answer", "[unit]") {
    ArticleResult article;
    LinkResult to_nyt;
    to_nyt.link.url = "https://t.co/abc";
    to_nyt.capture.final_url = "https://www.nytimes.com/2023/10/17/x.html";
    LinkResult elsewhere;
    elsewhere.link.url = "https://example.org/other";
    elsewhere.capture.final_url = "https://example.org/other";
    article.links = {to_nyt, elsewhere};

    Claim c = quote_claim(forty_quote);
    c.outlet = "NYT";
    c.speaker = "NYT";
    c.linked_urls = {"https://beside.example/a", "mailto:x@example.org"};
    std::vector<SourceBinding> bindings{{"", "https://everyone.example/"},
                                        {"the New York Times", "https://bound.example/nyt"},
                                        {"Reuters", "https://bound.example/reuters"}};
    const std::vector<Claim> claims{c};
    const ArticleSources sources(article, claims, rules().rules);
    auto got = sources.candidates_for(c, bindings, rules().rules, rules().sources);
    REQUIRE(got.size() == 4);
    CHECK(got[0].url == "https://everyone.example/");
    CHECK(got[0].tie == SourceTie::bound);
    CHECK(got[1].url == "https://bound.example/nyt");
    CHECK(got[1].reason == "bound by --source the New York Times");
    CHECK(got[2].url == "https://beside.example/a");
    CHECK(got[2].reason == "link beside the quotation");
    CHECK(got[3].url == "https://t.co/abc");
    CHECK(got[3].reason == "link to The New York Times in the article");
    CHECK(got[3].tie == SourceTie::outlet);
    for (const auto& g : got)
        CHECK(g.tied());

    Claim embed;
    embed.kind = ClaimKind::embed;
    embed.embed_status_url = "https://twitter.com/PalestineChron/status/1715024578931212781?ref_src=twsrc";
    auto oembed = sources.candidates_for(embed, bindings, rules().rules, rules().sources);
    REQUIRE(oembed.size() == 1);
    CHECK(oembed[0].url.starts_with("https://publish.twitter.com/oembed?url="));
    CHECK(oembed[0].url.find("ref_src") == std::string::npos);
}

TEST_CASE("--source and durations are checked where they are parsed", "[unit]") {
    auto named = parse_source_binding("NYT=https://www.nytimes.com/a?b=c");
    REQUIRE(named);
    CHECK(named->name == "NYT");
    CHECK(named->target == "https://www.nytimes.com/a?b=c");
    auto bare = parse_source_binding("https://example.org/?q=a=b");
    REQUIRE(bare);
    CHECK(bare->name.empty());
    for (const char* bad : {"htp:/broken", "htps://example.org/x", "NWA=", "www.example.org/x", "", "NYT=htp://x"}) {
        INFO(bad);
        auto r = parse_source_binding(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::usage);
    }
    CHECK(parse_duration("30s", "--timeout").value() == std::chrono::seconds(30));
    CHECK(parse_duration("2m", "--timeout").value() == std::chrono::seconds(120));
    CHECK(parse_duration("90", "--max-age").value() == std::chrono::seconds(90));
    CHECK(parse_duration("7d", "--max-age").value() == std::chrono::hours(7 * 24));
    for (const char* bad : {"", "s", "-1", "1.5h", "soon", "99999999d"}) {
        INFO(bad);
        auto r = parse_duration(bad, "--max-age");
        REQUIRE_FALSE(r);
        CHECK(r.error().message.find("--max-age") != std::string::npos);
    }
}

namespace {

Block paragraph(std::string text) {
    Block b;
    b.text = std::move(text);
    return b;
}

Link link_in(int block, const std::string& text, std::string_view anchor, std::string url) {
    Link l;
    l.url = std::move(url);
    l.href = l.url;
    l.anchor_text = std::string(anchor);
    l.block = block;
    l.start = text.find(anchor);
    l.end = l.start + anchor.size();
    return l;
}

Claim said_by(std::string id, std::string speaker, std::string quote, int block) {
    Claim c;
    c.id = std::move(id);
    c.speaker = std::move(speaker);
    c.quote = std::move(quote);
    c.block = block;
    return c;
}

}  // namespace

TEST_CASE("candidates: links tied to the speaker, then the article's other cited sources nearest first", "[unit]") {
    ArticleResult article;
    Document& d = article.document;
    const std::string p0 = "In its winter outlook, the Norland Water Authority said reservoirs were low.";
    const std::string p1 = "Dr Amara Osei gave an interview to the Daily Ledger this week.";
    const std::string p2 = "Read the institute's full report here.";
    const std::string p3 = "Unrelated: the weather in the south, and a map of the region.";
    d.blocks = {paragraph(p0), paragraph(p1), paragraph(p2), paragraph(p3), paragraph("“…” more text.")};
    d.links = {link_in(0, p0, "winter outlook", "https://www.norlandwater.example/outlook"),
               link_in(1, p1, "interview", "https://www.dailyledger.example/osei"),
               link_in(2, p2, "full report", "https://www.kestrel-institute.example/report"),
               link_in(3, p3, "map", "https://maps.example/region")};

    std::vector<Claim> claims{
        said_by("a", "Norland Water Authority", "at their lowest point since records began in 1952", 0),
        said_by("b", "Norland Water Authority", "Household demand rose by 12 percent over the summer", 4),
        said_by("c", "Osei", "The rivers are not dying, but they are changing faster", 4),
        said_by("d", "Kestrel Institute", "One in five homes built since 2000 stands on flood land", 4),
        said_by("e", "Mara Lind", "We are watching the sky every morning and praying for snow", 4),
        said_by("f", "Mara Lind", "guests", 4)};
    claims[0].linked_urls = {"https://www.norlandwater.example/outlook"};
    claims[5].kind = ClaimKind::partial_quote;
    const ArticleSources sources(article, claims, rules().rules);
    auto of = [&](const Claim& c) { return sources.candidates_for(c, {}, rules().rules, rules().sources); };

    // Another quotation of the same speaker had the link; the link's sentence names the speaker too.
    auto b = of(claims[1]);
    REQUIRE_FALSE(b.empty());
    CHECK(b[0].url == "https://www.norlandwater.example/outlook");
    CHECK(b[0].tie == SourceTie::speaker);
    CHECK(b[0].reason == "link of another quotation of Norland Water Authority");

    // A surname in the link's sentence.
    auto c = of(claims[2]);
    REQUIRE_FALSE(c.empty());
    CHECK(c[0].url == "https://www.dailyledger.example/osei");
    CHECK(c[0].reason == "link in a sentence naming Osei");

    // A site named after the speaker, with nothing in the text tying the link.
    auto dd = of(claims[3]);
    REQUIRE_FALSE(dd.empty());
    CHECK(dd[0].url == "https://www.kestrel-institute.example/report");
    CHECK(dd[0].reason == "link to www.kestrel-institute.example, the site of Kestrel Institute");
    CHECK(dd[0].tied());

    // No tie: every cited source, nearest first, none tied.
    auto e = of(claims[4]);
    REQUIRE(e.size() == 4);
    CHECK(e[0].url == "https://maps.example/region");  // block 3, nearest to block 4
    for (const auto& x : e) {
        CHECK(x.tie == SourceTie::cited);
        CHECK(x.reason == "another source the article cites");
    }
    // A fragment of a few words is never looked for in sources not tied to its speaker.
    CHECK(of(claims[5]).empty());

    // A speaker inferred from the names around the quotation ties nothing: the link of Osei's interview is one of
    // the cited sources, not hers, and a --source bound to her name does not apply.
    Claim inferred = said_by("g", "Osei", "The rivers are not dying, but they are changing faster", 4);
    inferred.speaker_inferred = true;
    auto g = sources.candidates_for(inferred, {SourceBinding{"Osei", "https://bound.example/osei"}}, rules().rules,
                                    rules().sources);
    REQUIRE(g.size() == 4);
    for (const auto& x : g) {
        CHECK(x.tie == SourceTie::cited);
        CHECK_FALSE(x.tied());
    }
    // Nor does another quotation whose speaker was inferred lend its link to the speaker's other quotations.
    std::vector<Claim> guessed{said_by("h", "Mara Lind", "at their lowest point since records began in 1952", 0),
                               said_by("i", "Mara Lind", "We are watching the sky every morning and praying", 4)};
    guessed[0].linked_urls = {"https://www.norlandwater.example/outlook"};
    guessed[0].speaker_inferred = true;
    const ArticleSources from_guess(article, guessed, rules().rules);
    for (const auto& x : from_guess.candidates_for(guessed[1], {}, rules().rules, rules().sources))
        CHECK(x.tie == SourceTie::cited);
}

TEST_CASE("names, sites and speakers compare as a fact-checker reads them", "[unit]") {
    const SourceRules& r = rules().sources;
    CHECK(names_speaker("Dr Amara Osei gave an interview", "Osei", r));
    CHECK(names_speaker("as Osei put it", "Dr Amara Osei", r));
    CHECK(names_speaker("the norland water authority said", "The Norland Water Authority", r));
    CHECK_FALSE(names_speaker("osei-like words", "Dr Amara Osei", r));  // a surname must be capitalised
    CHECK_FALSE(names_speaker("Li said", "Wei Li", r));                 // and long enough to mean someone
    CHECK_FALSE(names_speaker("Oseiland", "Osei", r));

    CHECK(host_named_after("www.kestrel-institute.example", "Kestrel Institute", r));
    CHECK(host_named_after("norlandwater.gov", "the Norland Water Authority", r));
    CHECK(host_named_after("www.nwa.example", "Norland Water Authority", r));
    CHECK_FALSE(host_named_after("www.example.org", "Norland Water Authority", r));
    CHECK_FALSE(host_named_after("kestrel.example", "Kestrel Institute", r));  // one word of two is not the name

    const auto& titles = rules().attribution.titles;
    CHECK(same_speaker("Osei", "Dr Amara Osei", titles));
    CHECK(same_speaker("the Kestrel Institute", "Kestrel Institute", titles));
    CHECK_FALSE(same_speaker("Tomas Brandt", "Osei", titles));
    CHECK_FALSE(same_speaker("Kwame Osei", "Amara Osei", titles));
}

TEST_CASE("decide: an untied source counts only when it holds the words or says the speaker publishes it", "[unit]") {
    auto report = SourceText::read(
        page_capture("https://reports.example/outlook",
                     "<p>Household demand rose by 12 percent over the summer, driven by the heat.</p>"),
        rules().rules);
    Claim claim = said_by("c", "Norland Water Authority", "Household demand rose by 12 percent over the summer", 0);

    ClaimResult found =
        decide(claim, {{"another source the article cites", report.get(), {}, SourceTie::cited}}, rules());
    CHECK(found.verdict == Verdict::verbatim);
    CHECK(found.source_reason == "another source the article cites");

    Claim other = said_by("d", "Mara Lind", "We are watching the sky every morning and praying for snow", 0);
    ClaimResult missing =
        decide(other, {{"another source the article cites", report.get(), {}, SourceTie::cited}}, rules());
    CHECK(missing.verdict == Verdict::unsourced);
    CHECK_FALSE(missing.source);
    CHECK(missing.candidates.size() == 1);  // tried, and listed as tried

    Capture dead;
    dead.requested_url = "https://dead.example/";
    dead.failure = CaptureFailure{FailureClass::http_4xx, "HTTP 404"};
    auto dead_text = SourceText::read(dead, rules().rules);
    CHECK(
        decide(other, {{"another source the article cites", dead_text.get(), {}, SourceTie::cited}}, rules()).verdict ==
        Verdict::unsourced);

    // The same page published by the speaker is tied: its not holding the words is news.
    Capture own = page_capture("https://nwa.example/outlook", "<p>Reservoirs are low.</p>");
    own.body.insert(own.body.find("<title>"), "<meta property=\"og:site_name\" content=\"Norland Water Authority\">");
    auto own_text = SourceText::read(own, rules().rules);
    CHECK(own_text->site_name() == "Norland Water Authority");
    ClaimResult not_there =
        decide(claim, {{"another source the article cites", own_text.get(), {}, SourceTie::cited}}, rules());
    CHECK(not_there.verdict == Verdict::not_found);
    CHECK(not_there.source_reason == "another source the article cites, published by Norland Water Authority");
}

TEST_CASE("decide: words the source gives to someone else are misattributed", "[unit]") {
    Capture page =
        page_capture("https://www.dailyledger.example/interview",
                     "<p>We spoke to Dr Amara Osei and her colleague Tomas Brandt.</p>"
                     "<p>“The rivers are changing faster than our models predicted,” Osei said.</p>"
                     "<p>“If nothing changes, the delta will be gone within fifty years,” said Tomas Brandt, who "
                     "leads the station's sampling programme.</p>"
                     "<p>Brandt was asked about the funding. “We now have money for 14 stations,” he said.</p>");
    page.body.insert(page.body.find("<title>"), "<meta property=\"og:site_name\" content=\"The Daily Ledger\">");
    auto interview = SourceText::read(page, rules().rules);
    auto check = [&](std::string speaker, std::string quote) {
        return decide(said_by("x", std::move(speaker), std::move(quote), 0),
                      {{"link beside the quotation", interview.get(), {}}}, rules());
    };
    ClaimResult brandt = check("Osei", "If nothing changes, the delta will be gone within fifty years");
    CHECK(brandt.verdict == Verdict::misattributed);
    CHECK(brandt.source_speaker == "Tomas Brandt");

    ClaimResult hers = check("Dr Amara Osei", "The rivers are changing faster than our models predicted");
    CHECK(hers.verdict == Verdict::verbatim);
    CHECK(hers.source_speaker == "Osei");

    // A pronoun in the source is resolved before it is compared.
    ClaimResult pronoun = check("Osei", "We now have money for 14 stations");
    CHECK(pronoun.verdict == Verdict::misattributed);
    CHECK(pronoun.source_speaker == "Tomas Brandt");

    // The publisher quoting someone is no misattribution ("the Daily Ledger reported “…”"), nor is a claim with no
    // speaker, nor narrative text that names no one.
    Claim by_paper = said_by("p", "Daily Ledger", "If nothing changes, the delta will be gone within fifty years", 0);
    CHECK(decide(by_paper, {{"link beside the quotation", interview.get(), {}}}, rules()).verdict == Verdict::verbatim);
    CHECK(check("", "If nothing changes, the delta will be gone within fifty years").verdict == Verdict::verbatim);
    // Nor a speaker inferred from the names around the quotation: no words of the article gave Osei these words.
    Claim inferred = said_by("i", "Osei", "If nothing changes, the delta will be gone within fifty years", 0);
    inferred.speaker_inferred = true;
    ClaimResult guessed = decide(inferred, {{"link beside the quotation", interview.get(), {}}}, rules());
    CHECK(guessed.verdict == Verdict::verbatim);
    CHECK(guessed.source_speaker == "Tomas Brandt");  // the report still says whose words the source gives
    // Someone the article only describes may be whoever the source names.
    ClaimResult described = check("one researcher", "If nothing changes, the delta will be gone within fifty years");
    CHECK(described.verdict == Verdict::verbatim);
    CHECK(described.source_speaker == "Tomas Brandt");
    ClaimResult narrative = check("Osei", "We spoke to Dr Amara Osei and her colleague Tomas Brandt");
    CHECK(narrative.verdict == Verdict::verbatim);
    CHECK(narrative.source_speaker.empty());
}

TEST_CASE("decide: prose is the page's own voice unless its own sentence names a speaker", "[unit]") {
    Capture page =
        page_capture("https://www.dailyledger.example/budget",
                     "<p>Finance minister Ana Ruiz spoke at length about the tariff on Monday, and he said little.</p>"
                     "<p>The budget leaves the tariff where it was and adds nothing for the ports this year.</p>"
                     "<p>Ruiz said the ports would have to wait for the spring review before any new money.</p>"
                     "<p>By then the harbour will have closed two of its four berths for repairs.</p>");
    auto text = SourceText::read(page, rules().rules);
    auto check = [&](std::string quote) {
        return decide(said_by("x", "Tomas Brandt", std::move(quote), 0),
                      {{"link beside the quotation", text.get(), {}}}, rules());
    };
    // Plain prose after a paragraph that names someone: the page's words, not Ruiz's.
    ClaimResult prose = check("The budget leaves the tariff where it was and adds nothing for the ports this year");
    CHECK(prose.verdict == Verdict::verbatim);
    CHECK(prose.source_speaker.empty());
    // Reported speech in the passage's own sentence names its speaker.
    ClaimResult reported = check("the ports would have to wait for the spring review before any new money");
    CHECK(reported.verdict == Verdict::misattributed);
    CHECK(reported.source_speaker == "Ruiz");
    // "By then …" names no one called By.
    ClaimResult by = check("the harbour will have closed two of its four berths for repairs");
    CHECK(by.verdict == Verdict::verbatim);
    CHECK(by.source_speaker.empty());
}

TEST_CASE("decide: the strongest tie present decides what a source without the words means", "[unit]") {
    Capture dead;
    dead.requested_url = "https://radio.example/gone";
    dead.failure = CaptureFailure{FailureClass::http_4xx, "HTTP 404"};
    auto dead_text = SourceText::read(dead, rules().rules);
    auto report = SourceText::read(
        page_capture("https://ministry.example/report", "<p>Exports grew by 12 percent in the third quarter.</p>"),
        rules().rules);
    // The link beside the quotation is dead; the speaker's other source does not hold the words: the claim's own
    // source could not be read, which is not the same as its words not being found.
    Claim tariff = said_by("t", "Ana Ruiz", "We will keep the tariff where it is this year", 0);
    ClaimResult r = decide(tariff,
                           {{"link beside the quotation", dead_text.get(), {}, SourceTie::beside},
                            {"link of another quotation of Ana Ruiz", report.get(), {}, SourceTie::speaker}},
                           rules());
    CHECK(r.verdict == Verdict::source_unavailable);
    REQUIRE(r.source);
    CHECK(r.source->requested_url == "https://radio.example/gone");
    // The speaker's other source holding the words settles it.
    Claim exports = said_by("e", "Ana Ruiz", "Exports grew by 12 percent in the third quarter", 0);
    ClaimResult found = decide(exports,
                               {{"link beside the quotation", dead_text.get(), {}, SourceTie::beside},
                                {"link of another quotation of Ana Ruiz", report.get(), {}, SourceTie::speaker}},
                               rules());
    CHECK(found.verdict == Verdict::verbatim);
    CHECK(found.source_reason == "link of another quotation of Ana Ruiz");
    // With only the speaker's source, not holding the words is not_found.
    CHECK(decide(tariff, {{"link of another quotation of Ana Ruiz", report.get(), {}, SourceTie::speaker}}, rules())
              .verdict == Verdict::not_found);
}

TEST_CASE("decide: a passage outside the source's main text is found there and says so", "[unit]") {
    Capture c;
    c.requested_url = c.final_url = "https://www.dailyledger.example/flood";
    c.status = 200;
    c.content_type = "text/html";
    c.fetched_at = "2026-11-30T08:00:00Z";
    c.payload_sha256 = std::string(64, 'c');
    c.chain = {{c.final_url, 200, HopVia::start}};
    c.body =
        "<!DOCTYPE html><html><head><title>t</title></head><body><article><h1>Floods</h1>"
        "<p>The river rose overnight and the old bridge was closed to traffic before dawn on Tuesday.</p>"
        "<p>Engineers will inspect the piers once the water falls, the council said in a short notice.</p>"
        "<p>Residents of the lower town were told to move cars away from the quay until Thursday.</p>"
        "</article><aside class=\"sidebar related\"><p>“We have never seen the water this high in March,” said "
        "Tomas Brandt, the harbour master.</p></aside></body></html>";
    auto page = SourceText::read(c, rules().rules);
    REQUIRE(page->text().find("never seen the water") == std::string::npos);  // not in the main text
    ClaimResult r = decide(said_by("h", "Tomas Brandt", "We have never seen the water this high in March", 0),
                           {{"link beside the quotation", page.get(), {}, SourceTie::beside}}, rules());
    CHECK(r.verdict == Verdict::verbatim);
    REQUIRE(r.match);
    CHECK(r.match->region == "outside_main_text");
    CHECK(r.source_speaker == "Tomas Brandt");
    // Words in neither are still not found.
    CHECK(decide(said_by("n", "Tomas Brandt", "The harbour will stay closed for a whole month", 0),
                 {{"link beside the quotation", page.get(), {}, SourceTie::beside}}, rules())
              .verdict == Verdict::not_found);
}

TEST_CASE("decide: a dead source's archived copy decides, and the claim names the copy", "[unit]") {
    Capture dead;
    dead.requested_url = "https://www.nytimes.com/gone";
    dead.failure = CaptureFailure{FailureClass::http_4xx, "HTTP 404"};
    auto dead_text = SourceText::read(dead, rules().rules);
    Capture copy = page_capture("https://web.archive.org/web/20231019080000id_/https://www.nytimes.com/gone", thirty,
                                "2026-12-01T10:00:00Z");
    copy.archived = ArchivedCopy{"https://www.nytimes.com/gone", "2023-10-19T08:00:00Z",
                                 "https://web.archive.org/web/timemap/link/https://www.nytimes.com/gone"};
    auto copy_text = SourceText::read(copy, rules().rules);

    ClaimResult r =
        decide(quote_claim(forty_quote), {{"link beside the quotation", dead_text.get(), {copy_text.get()}}}, rules());
    CHECK(r.verdict == Verdict::altered);  // 40 where the copy says 30
    REQUIRE(r.source);
    REQUIRE(r.source->archived);
    CHECK(r.source->archived->archived_at == "2023-10-19T08:00:00Z");
    CHECK(r.source_reason == "link beside the quotation");
    // The copy is a subject of the record, beside the dead capture.
    CHECK(r.candidates.size() == 2);

    // A live source that no longer holds the words, and an archived copy that does: the copy decides, and the
    // versions say which is current and when the copy was made.
    auto edited =
        SourceText::read(page_capture("https://www.nytimes.com/gone", "<p>Nothing about it now.</p>"), rules().rules);
    Capture faithful = copy;
    faithful.body = "<html><body><article><p>" + forty_quote + "</p></article></body></html>";
    auto faithful_text = SourceText::read(faithful, rules().rules);
    ClaimResult v = decide(quote_claim(forty_quote), {{"x", edited.get(), {faithful_text.get()}}}, rules());
    CHECK(v.verdict == Verdict::verbatim);
    REQUIRE(v.versions.size() == 2);
    CHECK(v.versions[0].current);
    CHECK_FALSE(v.versions[0].matched);
    CHECK(v.versions[1].matched);
    CHECK(v.versions[1].archived_at == "2023-10-19T08:00:00Z");
}

TEST_CASE("decide: a PDF that cannot be read is source_restricted, saying why", "[unit]") {
    Capture pdf = page_capture("https://a.example/r.pdf", "");
    pdf.content_type = "application/pdf";
    pdf.body = "%PDF-1.7\nthis is not really a PDF";
    auto text = SourceText::read(pdf, rules().rules);
    REQUIRE(text->readable());
    CHECK(text->partial());
    ClaimResult r = decide(quote_claim(forty_quote), {{"x", text.get(), {}}}, rules());
    CHECK(r.verdict == Verdict::source_restricted);
    CHECK(r.restriction.find("could not be read") != std::string::npos);
}
