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
    ClaimResult r = decide(quote_claim(forty_quote), {}, rules().matching);
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
               {{"link beside the quotation", unrelated.get(), {}}, {"bound by --source NYT", nyt.get(), {}}},
               rules().matching);
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
        decide(quote_claim(forty_quote), {{"a", dead_text.get(), {}}, {"b", image_text.get(), {}}}, rules().matching);
    CHECK(r.verdict == Verdict::source_unavailable);
    REQUIRE(r.source);
    CHECK(r.source->failure->cls == FailureClass::http_4xx);  // the first failure is the one reported

    ClaimResult only_image = decide(quote_claim(forty_quote), {{"b", image_text.get(), {}}}, rules().matching);
    CHECK(only_image.verdict == Verdict::source_unavailable);
    REQUIRE(only_image.source->failure);
    CHECK(only_image.source->failure->message == "the source holds no readable text");
}

TEST_CASE("decide: not found in a partial source is source_restricted", "[unit]") {
    Capture cut = page_capture("https://www.nytimes.com/paywalled", "<p>The first paragraph only.</p>");
    cut.truncated = "length";
    auto text = SourceText::read(cut, rules().rules);
    ClaimResult r = decide(quote_claim(forty_quote), {{"bound by --source", text.get(), {}}}, rules().matching);
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
    ClaimResult r =
        decide(quote_claim(forty_quote), {{"bound by --source", current.get(), {earlier.get()}}}, rules().matching);
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
    auto got = candidates_for(c, outlet_links(article, rules().rules), bindings, rules().rules);
    REQUIRE(got.size() == 4);
    CHECK(got[0].url == "https://beside.example/a");
    CHECK(got[0].reason == "link beside the quotation");
    CHECK(got[1].url == "https://t.co/abc");
    CHECK(got[1].reason == "link to The New York Times in the article");
    CHECK(got[2].url == "https://everyone.example/");
    CHECK(got[3].url == "https://bound.example/nyt");
    CHECK(got[3].reason == "bound by --source the New York Times");

    Claim embed;
    embed.kind = ClaimKind::embed;
    embed.embed_status_url = "https://twitter.com/PalestineChron/status/1715024578931212781?ref_src=twsrc";
    auto oembed = candidates_for(embed, outlet_links(article, rules().rules), bindings, rules().rules);
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
