#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>

#include "core/fs.hpp"
#include "core/text.hpp"
#include "extract/extract.hpp"
#include "extract/html_input.hpp"
#include "extract/quotes.hpp"
#include "extract/site_rules.hpp"
#include "support/builtin_rules.hpp"
#include "support/temp_dir.hpp"

using namespace provcheck;

namespace {

const RuleSet& builtin() {
    return test::builtin_rules();
}

Document extract(const std::string& html, const std::string& url = "https://example.org/news/story.html") {
    auto doc = extract_document(html, url, builtin());
    REQUIRE(doc.has_value());
    return std::move(*doc);
}

std::vector<Quotation> quotes_in(const std::vector<std::string>& paragraphs) {
    std::string html = "<html><body><article>";
    for (const auto& p : paragraphs)
        html += "<p>" + p + "</p>";
    return extract(html + "</article></body></html>").quotations;
}

// Prose long enough that a page calling itself an article is not "very short".
const std::string kFiftyWords =
    "The council met on Monday to discuss the budget for the coming year, and after a long debate the members "
    "agreed to fund the new clinic, repair two bridges on the river road, hire more teachers for the schools in "
    "the north, and keep the library open late on weekdays through the winter months ahead.";

const std::string kSeedUrl =
    "https://www.palestinechronicle.com/washington-resorts-to-doha-as-rescue-mission-looks-impossible-nyt/";

}  // namespace

TEST_CASE("metadata from meta tags", "[unit]") {
    const auto doc = extract(R"(<html lang="de"><head><title>Site | Headline</title>
        <meta property="og:title" content="The  headline">
        <meta property="og:url" content="https://example.org/og">
        <link rel="canonical" href="/news/canonical.html">
        <meta name="author" content="Jane Roe">
        <meta property="article:published_time" content="2023-10-17T09:00:00Z">
        <meta property="article:modified_time" content="2023-10-18T10:00:00Z">
        </head><body><p>Text.</p></body></html>)");
    CHECK(doc.title == "The headline");
    CHECK(doc.canonical_url == "https://example.org/news/canonical.html");
    CHECK(doc.byline == "Jane Roe");
    CHECK(doc.published == "2023-10-17T09:00:00Z");
    CHECK(doc.modified == "2023-10-18T10:00:00Z");
    CHECK(doc.language == "de");
    CHECK_FALSE(doc.partial);

    const auto bare = extract("<html><head><title> Only\n title </title></head><body><p>x</p></body></html>");
    CHECK(bare.title == "Only title");
    CHECK(bare.canonical_url.empty());
    const auto og = extract(
        "<html><head><meta property='og:url' content='https://example.org/og'>"
        "<meta property='article:author' content='https://example.org/author/x'></head><body><p>x</p></body></html>");
    CHECK(og.canonical_url == "https://example.org/og");
    CHECK(og.byline.empty());  // an author URL is not a byline
}

TEST_CASE("rel=amphtml: resolved against the base URL, first one wins", "[unit]") {
    const auto doc = extract(R"(<html><head><base href="https://m.example.org/base/">
        <link rel="canonical" href="/news/canonical.html">
        <link rel="AMPHTML" href="amp/story.amp.html">
        <link rel="amphtml" href="https://other.example.org/second.amp">
        </head><body><p>Text.</p></body></html>)");
    CHECK(doc.amp_url == "https://m.example.org/base/amp/story.amp.html");
    CHECK(doc.canonical_url == "https://m.example.org/news/canonical.html");

    // rel holds a list of link types; a page without one has no AMP URL.
    const auto listed = extract(R"(<html><head><link rel=" alternate amphtml " href="/amp/x">
        </head><body><p>Text.</p></body></html>)");
    CHECK(listed.amp_url == "https://example.org/amp/x");
    CHECK(
        extract("<html><head><link rel='alternate' href='/feed'></head><body><p>x</p></body></html>").amp_url.empty());
}

TEST_CASE("metadata: Dublin Core, listed properties, the site's name off <title>, bylines in the page", "[unit]") {
    auto page = [](const std::string& head, const std::string& body = "<p>x</p>") {
        return extract("<html><head>" + head + "</head><body>" + body + "</body></html>");
    };
    CHECK(page("<meta property='og:title' content='OG'><meta name='DC.title' content='DC'>").title == "DC");
    CHECK(page("<meta property='og:title dc:title' content='Both'><title>T</title>").title == "Both");
    CHECK(page("<meta name='twitter:title' content='Tw'><title>T</title>").title == "Tw");
    CHECK(page("<meta name='dc.creator' content='Creator Name'><meta name='author' content='Meta'>").byline ==
          "Creator Name");

    CHECK(page("<title>Lorem ipsum dolor sit amet \u2013 My website</title>").title == "Lorem ipsum dolor sit amet");
    CHECK(page("<title>My website | Lorem ipsum dolor sit amet</title>").title == "Lorem ipsum dolor sit amet");
    // Too few words left: the title stays whole.
    CHECK(page("<title>New Zealand - Wikipedia</title>").title == "New Zealand - Wikipedia");

    // JSON-LD name over headline, unless only the headline is the page's title; CDATA around the JSON.
    CHECK(page("<title>List of films - Wiki</title><script type='application/ld+json'><![CDATA["
               "{\"@type\":\"Article\",\"name\":\"List of films\",\"headline\":\"Wikimedia list article\"}]]>"
               "</script>")
              .title == "List of films");
    CHECK(page("<title>The real headline here</title><script type='application/ld+json'>"
               "{\"@type\":\"NewsArticle\",\"name\":\"Site\",\"headline\":\"The real headline here\"}</script>")
              .title == "The real headline here");

    // No byline in the metadata: the page's own author line (not a class word inside another word).
    const auto by = page("", "<div id='Authority_control'>Authority control</div><article><p>" + kFiftyWords +
                                 "</p><span class='byline'>By Jane Roe</span></article>");
    CHECK(by.byline == "By Jane Roe");
    CHECK(page("", "<a rel='author' href='/jr'>Jane Roe</a>").byline == "Jane Roe");
    CHECK(page("<meta name='author' content='Meta Author'>", "<span class='byline'>By Jane Roe</span>").byline ==
          "Meta Author");
}

TEST_CASE("metadata from JSON-LD: object, array, @graph, author forms, isAccessibleForFree", "[unit]") {
    auto with_ld = [](const std::string& json) {
        return extract("<html><head><title>Tag title</title><script type='application/ld+json'>" + json +
                       "</script></head><body><p>" + kFiftyWords + "</p></body></html>");
    };
    SECTION("plain NewsArticle object") {
        const auto doc = with_ld(R"({"@type":"NewsArticle","headline":"LD headline","datePublished":"2023-10-17",
            "dateModified":"2023-10-18","author":{"@type":"Person","name":"A. Writer"},"isAccessibleForFree":true})");
        CHECK(doc.title == "LD headline");
        CHECK(doc.published == "2023-10-17");
        CHECK(doc.modified == "2023-10-18");
        CHECK(doc.byline == "A. Writer");
        CHECK_FALSE(doc.partial);
    }
    SECTION("top-level array, @type as an array, several authors, paywalled") {
        const auto doc = with_ld(R"([{"@type":"WebPage"},{"@type":["Article","Thing"],"headline":"Arr",
            "author":[{"name":"One"},"Two"],"isAccessibleForFree":false}])");
        CHECK(doc.title == "Arr");
        CHECK(doc.byline == "One, Two");
        CHECK(doc.partial);
        REQUIRE(doc.partial_reasons.size() == 1);
        CHECK(doc.partial_reasons[0].find("isAccessibleForFree") != std::string::npos);
    }
    SECTION("@graph and string 'False' in hasPart") {
        const auto doc = with_ld(R"({"@context":"https://schema.org","@graph":[{"@type":"BreadcrumbList"},
            {"@type":"NewsArticle","headline":"Graph","hasPart":{"@type":"WebPageElement",
            "isAccessibleForFree":"False","cssSelector":".paywall"}}]})");
        CHECK(doc.title == "Graph");
        CHECK(doc.partial);
        REQUIRE(doc.partial_reasons.size() == 2);
        CHECK(doc.partial_reasons[1] == "hasPart .paywall is not free (JSON-LD)");
    }
    SECTION("broken JSON is ignored") {
        const auto doc = with_ld(R"({"@type":"NewsArticle","headline":)");
        CHECK(doc.title == "Tag title");
        CHECK_FALSE(doc.partial);
    }
}

TEST_CASE("boilerplate is dropped: tags, drop selectors and class/id words", "[unit]") {
    const auto doc = extract(R"(<html><body>
        <header><p>Site header text</p></header><nav><p>Menu text</p></nav>
        <div class="content-area">
          <p>First paragraph of the story.</p>
          <script>var x = "not text";</script><style>p { color: red }</style><noscript>Enable JS</noscript>
          <div class="share-buttons"><p>Share this</p></div>
          <div id="comments"><p>A reader comment</p></div>
          <div class="ad-slot"><p>Buy now</p></div>
          <div class="related-posts"><p>Related story</p></div>
          <div class="entry-author-bio"><h4>Ann Lee</h4><p>Ann joined the paper in 2017.</p></div>
          <div class="elementor-author-box__bio"><p>Ann Lee is an author and speaker.</p></div>
          <div class="image"><img src="a.jpg" alt=""><span class="image-caption">Crowds at the gate</span></div>
          <div class="address"><p>Second paragraph of the story.</p></div>
          <form><p>Newsletter form</p></form>
        </div>
        <aside><p>Sidebar</p></aside><footer><p>Footer</p></footer></body></html>)");
    const std::string text = doc.text();
    CHECK(text == "First paragraph of the story.\n\nSecond paragraph of the story.");
    CHECK(doc.extraction_stage == "density");
}

TEST_CASE("a story inside a content row laid out with a sidebar is read, and the sidebar is not", "[unit]") {
    // As on pagina12.com.ar: the row around the story carries the BEM modifier "--sidebar"; read as a sidebar, the
    // story was dropped and the supplements' teaser cards became the main text.
    std::string teasers;
    for (int i = 0; i < 6; ++i) {
        const std::string href = "/suplementos/" + std::to_string(i);
        teasers += "<article class=\"card\"><h3><a href=\"" + href +
                   "\">Una economía de la guerra</a></h3><p><a href=\"" + href +
                   "\">En sólo diecisiete años desde su independencia el país no dejó de invertir en armas.</a>"
                   "</p></article>";
    }
    std::string story;
    for (int i = 0; i < 4; ++i) {
        story +=
            "<p>Las organizaciones de derechos humanos reclaman una reforma profunda del Poder Judicial y la "
            "ampliación de la Corte Suprema.</p>";
    }
    const auto doc = extract("<html><body><div class=\"supplements\">" + teasers +
                             R"(</div><div class="row-content--sidebar--gutter first-row"><div class="content">
        <article class="article-full"><div class="article-text">
          <p>“Esto ya no es justicia”, lamenta Iris Avellaneda, presidenta de la Liga Argentina por los Derechos
          Humanos. “En la Corte Suprema cajonean las causas”, dice.</p>)" +
                             story + R"(<p>Marcharán el jueves hacia el Palacio de Tribunales.</p>
        </div></article></div>
        <div class="sidebar--right"><p>Lo más leído de la semana en todas las secciones del diario.</p></div>
        </div></body></html>)");
    const std::string text = doc.text();
    CHECK(text.find("Esto ya no es justicia") != std::string::npos);
    CHECK(text.find("Palacio de Tribunales") != std::string::npos);
    CHECK(text.find("Una economía de la guerra") == std::string::npos);
    CHECK(text.find("Lo más leído") == std::string::npos);
}

TEST_CASE("an entry whose classes also carry a boilerplate word is read", "[unit]") {
    // As a WordPress theme prints it ("entry themeform share": the entry, with a share bar inside it): the class
    // naming the article's body wins over "share"; the share bar itself is still left out.
    std::string story;
    for (int i = 0; i < 4; ++i) {
        story +=
            "<p>Zutritt zur DB Lounge gibt es künftig nur noch mit BahnComfort-Status oder einem Flexpreis der "
            "ersten Klasse, bestätigte eine Bahn-Sprecherin.</p>";
    }
    const auto doc = extract(R"(<html><body><div class="main"><article class="post type-post">
        <h1 class="post-title">DB Lounge: Kein Zutritt mehr mit Sparpreis-Tickets</h1>
        <div class="entry themeform share"><div class="entry-inner">)" +
                             story + R"(<div class="sharrre-container"><span>Teilen</span></div>
          <div class="share-buttons"><p>Auf Facebook teilen</p></div></div></div></article></div>
        <aside class="sidebar"><p>Hol dir meine gratis Bahn-Tipps mit meinem kostenlosen Newsletter.</p></aside>
        </body></html>)");
    const std::string text = doc.text();
    CHECK(text.find("Zutritt zur DB Lounge") != std::string::npos);
    CHECK(text.find("Auf Facebook teilen") == std::string::npos);
    CHECK(text.find("gratis Bahn-Tipps") == std::string::npos);
}

TEST_CASE("class/id words and selectors", "[unit]") {
    const std::vector<std::string> words = {"sidebar", "comment", "ad-", "share"};
    CHECK(marks_boilerplate("widget-area sidebar", words));
    CHECK(marks_boilerplate("post-comments", words));
    CHECK(marks_boilerplate("ad-slot", words));
    CHECK(marks_boilerplate("top_ad", words));
    CHECK_FALSE(marks_boilerplate("address", words));
    CHECK_FALSE(marks_boilerplate("commentary-body", words));
    CHECK_FALSE(marks_boilerplate("sharpen", words));
    // A word of several parts matches them in a row inside one class name.
    const std::vector<std::string> runs = {"author-box", "more-stories"};
    CHECK(marks_boilerplate("elementor-author-box__bio", runs));
    CHECK(marks_boilerplate("widget more_stories", runs));
    CHECK(marks_boilerplate("site-more-stories", runs));
    CHECK_FALSE(marks_boilerplate("author box", runs));
    CHECK_FALSE(marks_boilerplate("box-author", runs));
    CHECK_FALSE(marks_boilerplate("author-boxer", runs));
    // A layout modifier after "--" says where the element stands: the content row of a page with a sidebar is no
    // sidebar; a sidebar block with a modifier still is one, and another modifier still marks.
    const std::vector<std::string> layout = {"sidebar"};
    CHECK_FALSE(marks_boilerplate("row-content--sidebar--gutter--marginBottom first-row", words, layout));
    CHECK(marks_boilerplate("row-content--sidebar--gutter--marginBottom first-row", words));
    CHECK(marks_boilerplate("sidebar--left", words, layout));
    CHECK(marks_boilerplate("card--share", words, layout));

    auto s = parse_selector("div.entry-content[itemprop=articleBody]");
    REQUIRE(s.has_value());
    CHECK(s->tag == "div");
    CHECK(s->classes == std::vector<std::string>{"entry-content"});
    CHECK(s->attr == "itemprop");
    CHECK(s->attr_value == std::optional<std::string>("articleBody"));
    auto attrs = [](std::string_view n) -> std::optional<std::string_view> {
        if (n == "class") return std::string_view("x entry-content");
        if (n == "itemprop") return std::string_view("articleBody");
        return std::nullopt;
    };
    CHECK(selector_matches(*s, "DIV", attrs));
    CHECK_FALSE(selector_matches(*s, "section", attrs));
    auto id = parse_selector("#main");
    REQUIRE(id.has_value());
    CHECK(id->id == "main");
    CHECK_FALSE(parse_selector("div > p").has_value());
    CHECK_FALSE(parse_selector("").has_value());
    CHECK_FALSE(parse_selector("[open").has_value());

    auto bad = load_rules_from(
        {{"sites/bad.toml", "id = \"site.bad\"\nhosts = [\"bad.example\"]\nbody_selectors = [\"a b\"]\n"}});
    REQUIRE(bad.has_value());
    auto doc = extract_document("<p>x</p>", "https://bad.example/", *bad);
    REQUIRE_FALSE(doc.has_value());
    CHECK(doc.error().code == ErrorCode::config);
}

TEST_CASE("site rules: twitter oEmbed endpoint and per-site files", "[unit]") {
    const auto& tw = builtin().table("sites/twitter.toml");
    CHECK(tw["id"].value_or(std::string{}) == "site.twitter");
    CHECK(tw["oembed"]["endpoint"].value_or(std::string{}) == "https://publish.twitter.com/oembed?url={url}");
    const auto* match = tw["oembed"]["match"].as_array();
    REQUIRE(match != nullptr);
    CHECK(match->size() == 2);
    auto sites = load_site_rules(builtin());
    REQUIRE(sites.has_value());
    CHECK(sites->defaults.id == "site.default");
    CHECK_FALSE(sites->boilerplate_words.empty());
    const SiteRule* pc = sites->for_url("https://www.palestinechronicle.com/x/");
    REQUIRE(pc != nullptr);
    CHECK(pc->id == "site.palestinechronicle");
    CHECK(sites->for_url("https://example.org/") == nullptr);
}

TEST_CASE("blocks: kinds, collapsed text, offsets into text() and into the HTML", "[unit]") {
    const std::string html =
        "<html><body><article>\n<h2>A  heading</h2>\n<p>First\n line<br>after break</p>"
        "<ul><li>One item</li><li>Two <b>items</b></li></ul>"
        "<blockquote><p>Quoted block</p></blockquote><div>Loose text<p>Inner para</p>tail text</div>"
        "</article></body></html>";
    const auto doc = extract(html);
    REQUIRE(doc.blocks.size() == 8);
    CHECK(doc.blocks[0].kind == BlockKind::heading);
    CHECK(doc.blocks[0].text == "A heading");
    CHECK(doc.blocks[1].kind == BlockKind::paragraph);
    CHECK(doc.blocks[1].text == "First line after break");
    CHECK(doc.blocks[2].kind == BlockKind::list_item);
    CHECK(doc.blocks[3].text == "Two items");
    CHECK(doc.blocks[4].kind == BlockKind::blockquote);
    CHECK(doc.blocks[5].text == "Loose text");
    CHECK(doc.blocks[6].text == "Inner para");
    CHECK(doc.blocks[7].text == "tail text");
    const std::string text = doc.text();
    for (const auto& b : doc.blocks) {
        CHECK(text.substr(b.start, b.text.size()) == b.text);
        CHECK(b.text == collapse_whitespace(b.text));
    }
    CHECK(html.compare(doc.blocks[0].html_offset, 3, "<h2") == 0);
    CHECK(html.compare(doc.blocks[1].html_offset, 2, "<p") == 0);
    CHECK(html.compare(doc.blocks[2].html_offset, 3, "<li") == 0);
    CHECK(html.compare(doc.blocks[7].html_offset, 9, "tail text") == 0);
    CHECK(doc.extraction_stage == "article-element");
}

TEST_CASE("links: resolved against the page or <base>, anchor text and offsets", "[unit]") {
    const auto doc = extract(
        "<html><body><article><p>See <a href='/a/b.html'>the  first</a> and <a href='c.html#frag'>second</a>"
        " or <a href='#top'>top</a> or <a href='javascript:void(0)'>js</a>.</p></article></body></html>",
        "https://example.org/news/story.html");
    REQUIRE(doc.links.size() == 2);
    CHECK(doc.links[0].url == "https://example.org/a/b.html");
    CHECK(doc.links[0].href == "/a/b.html");
    CHECK(doc.links[0].anchor_text == "the first");
    CHECK(doc.links[1].url.starts_with("https://example.org/news/c.html"));
    for (const auto& l : doc.links) {
        REQUIRE(l.block == 0);
        CHECK(doc.blocks[0].text.substr(l.start, l.end - l.start) == l.anchor_text);
    }
    const auto based = extract(
        "<html><head><base href='https://cdn.example.net/root/'></head><body><p><a href='x'>x</a></p></body></html>");
    REQUIRE(based.links.size() == 1);
    CHECK(based.links[0].url == "https://cdn.example.net/root/x");
}

TEST_CASE("bare URLs printed in the text are links, even glued to a word", "[unit]") {
    const auto doc = extract(
        "<html><body><article><p>The Times reported on Thursday.https://t.co/QTXysZZmQN pic.twitter.com/idrzZAKijm "
        "(see http://example.com/a_(b)).</p></article></body></html>");
    REQUIRE(doc.links.size() == 3);
    CHECK(doc.links[0].url == "https://t.co/QTXysZZmQN");
    CHECK(doc.links[0].anchor_text == "https://t.co/QTXysZZmQN");
    CHECK(doc.blocks[0].text.substr(doc.links[0].start, doc.links[0].end - doc.links[0].start) ==
          "https://t.co/QTXysZZmQN");
    CHECK(doc.links[1].url == "https://pic.twitter.com/idrzZAKijm");
    CHECK(doc.links[2].anchor_text == "http://example.com/a_(b)");
    // A printed URL that is already a link's text is not counted twice.
    const auto linked = extract("<p>Read <a href='https://t.co/abc'>https://t.co/abc</a>.</p>");
    CHECK(linked.links.size() == 1);
}

TEST_CASE("seed article: stage, blocks, embeds, links and quotations", "[unit]") {
    auto html = read_file(test::source_path("fixtures/seed/article.html"));
    REQUIRE(html.has_value());
    auto doc = extract_document(*html, kSeedUrl, builtin());
    REQUIRE(doc.has_value());
    CHECK(doc->extraction_stage == "site:palestinechronicle");
    CHECK(doc->title == "Washington resorts to Doha as rescue mission looks impossible – NYT");
    CHECK(doc->published == "2023-10-19T14:12:37+00:00");
    CHECK(doc->canonical_url == kSeedUrl);
    CHECK(doc->language == "en-US");
    REQUIRE(doc->blocks.size() == 13);
    CHECK(doc->blocks[0].text.starts_with("After realizing"));
    CHECK(doc->blocks[12].text == "(The Palestine Chronicle)");
    const std::string text = doc->text();
    CHECK(text.find("Share on Facebook") == std::string::npos);
    CHECK(text.find("Related Articles") == std::string::npos);
    CHECK(text.find("Skip to content") == std::string::npos);
    CHECK(text.find("dataLayer") == std::string::npos);

    REQUIRE(doc->embeds.size() == 2);
    const Embed& t1 = doc->embeds[0];
    CHECK(t1.kind == "tweet");
    CHECK(t1.block == 4);
    CHECK(doc->blocks[4].kind == BlockKind::embed);
    CHECK(t1.text.starts_with("ISRAELI BROADCASTING CORPORATION: #Israel evacuated"));
    CHECK(t1.text.ends_with("FOLLOW OUR LIVE BLOG: https://t.co/g4TcNbYW6U pic.twitter.com/lHKwvFs8WG"));
    CHECK(t1.author == "The Palestine Chronicle");
    CHECK(t1.handle == "@PalestineChron");
    CHECK(t1.date == "October 19, 2023");
    CHECK(t1.status_url.starts_with("https://twitter.com/PalestineChron/status/1714974432137298349"));
    auto has_link = [](const std::vector<Link>& links, std::string_view url) {
        return std::any_of(links.begin(), links.end(), [&](const Link& l) { return l.url == url; });
    };
    CHECK(has_link(t1.links, "https://t.co/g4TcNbYW6U"));
    CHECK(has_link(t1.links, "https://t.co/lHKwvFs8WG"));
    const Embed& t2 = doc->embeds[1];
    CHECK(t2.block == 8);
    CHECK(t2.text.find("reported on Thursday.https://t.co/QTXysZZmQN") != std::string::npos);
    CHECK(has_link(t2.links, "https://t.co/QTXysZZmQN"));
    CHECK(has_link(t2.links, "https://t.co/idrzZAKijm"));
    CHECK(has_link(doc->links, "https://t.co/QTXysZZmQN"));
    for (const auto& l : doc->links) {
        REQUIRE(l.block >= 0);
        CHECK(l.end <= doc->blocks[static_cast<std::size_t>(l.block)].text.size());
    }

    // Exactly the article's quotations: no apostrophe (Abu Obeida’s, Administration’s) makes one.
    const auto& q = doc->quotations;
    REQUIRE(q.size() == 9);
    CHECK(q[0].text == "impossible");
    CHECK(q[0].open_mark == "\u2018");
    CHECK(q[1].text.starts_with("The chaotic environment"));
    CHECK(q[1].text.ends_with("soldiers alike,"));
    CHECK(q[2].text == "best option");
    CHECK(q[2].words == 2);
    CHECK(q[3].text.starts_with("In the talks so far"));
    CHECK(q[4].text.ends_with("among the hostages,"));
    CHECK(q[5].text == "guests");
    CHECK(q[5].block == 6);
    CHECK(q[6].text.starts_with("To sacrifice"));
    CHECK(q[7].text.starts_with("Several former U.S. officials"));
    CHECK(q[7].close_mark.empty());
    CHECK(q[7].block == 10);
    CHECK(q[8].text.starts_with("Given those hazards"));
    CHECK(q[8].text.ends_with("the central effort."));
    CHECK(q[8].block == 11);
    for (const auto& x : q) {
        const std::string& bt = doc->blocks[static_cast<std::size_t>(x.block)].text;
        CHECK(bt.substr(x.start, x.end - x.start) == x.text);
    }

    // Read as a local file the site rule does not apply; the <article> does.
    auto local = extract_document(*html, "file:///fixtures/seed/article.html", builtin());
    REQUIRE(local.has_value());
    CHECK(local->extraction_stage == "article-element");
    CHECK(local->text() == doc->text());
}

TEST_CASE("quotation marks of every kind", "[unit]") {
    SECTION("curly double, straight double, curly single, guillemets, low-high") {
        const auto q = quotes_in({"He said “one two”, then \"three four\" and ‘five six’.",
                                  "« sept huit » et „neun zehn“ und „elf zwölf”."});
        REQUIRE(q.size() == 6);
        CHECK(q[0].text == "one two");
        CHECK(q[1].text == "three four");
        CHECK(q[1].open_mark == "\"");
        CHECK(q[2].text == "five six");
        CHECK(q[3].text == "sept huit");
        CHECK(q[3].open_mark == "\u00AB");
        CHECK(q[4].text == "neun zehn");
        CHECK(q[5].text == "elf zwölf");
        CHECK(q[0].words == 2);
    }
    SECTION("a page mixing the conventions closes a “ with a “ glued to the word before it, as German prints it") {
        const auto q =
            quotes_in({"“Die Kapazitäten sind beschränkt“, erklärte eine Sprecherin. “Das gilt ab "
                       "Dezember.”",
                       "Rollen in „The Normal Heart“ und „Angels“: A Gay Fantasia“. Dann „Hobbit“."});
        REQUIRE(q.size() == 5);
        CHECK(q[0].text == "Die Kapazitäten sind beschränkt");
        CHECK(q[0].close_mark == "\u201C");
        CHECK(q[1].text == "Das gilt ab Dezember.");
        // A “ in a closing place opens nothing ("Fantasia“."), where a stray one is left over.
        CHECK(q[2].text == "The Normal Heart");
        CHECK(q[3].text == "Angels");
        CHECK(q[4].text == "Hobbit");
    }
    SECTION("inner punctuation is kept, marks are not") {
        const auto q = quotes_in({"“Trailing comma,” she said."});
        REQUIRE(q.size() == 1);
        CHECK(q[0].text == "Trailing comma,");
        CHECK(q[0].open_mark == "\u201C");
        CHECK(q[0].close_mark == "\u201D");
    }
    SECTION("a dialogue tag between dashes inside one pair of guillemets, as Russian prints it, splits it") {
        const auto q =
            quotes_in({"«Городу, — продолжила Мирошниченко, — нужен независимый аудит». Потом «Это, — "
                       "рассказал он. — Первая комета»."});
        REQUIRE(q.size() == 4);
        CHECK(q[0].text == "Городу,");
        CHECK(q[0].open_mark == "\u00AB");
        CHECK(q[0].close_mark == "\u2014");
        CHECK(q[1].text == "нужен независимый аудит");
        CHECK(q[1].open_mark == "\u2014");
        CHECK(q[1].close_mark == "\u00BB");
        CHECK(q[2].text == "Это,");
        CHECK(q[3].text == "Первая комета");
        // Dashes of the speaker's own, with no comma before the first, and a tag too long: one quotation each.
        CHECK(quotes_in({"«Мы решили — и это было трудно — закрыть завод»."}).size() == 1);
        CHECK(quotes_in({"«Да, — это правда, и мы все знали об этом заранее, задолго до того, как всё случилось, "
                         "— закрыть завод»."})
                  .size() == 1);
    }
    SECTION("apostrophes and primes are never marks") {
        CHECK(quotes_in({"Don’t mind Israel’s ’90s rock ’n’ roll, or the players’ union."}).empty());
        CHECK(quotes_in({"He is 5′10″ tall, 5'10\" in ASCII, and 6' 2\" later."}).empty());
        CHECK(quotes_in({"rock ‘n’ roll"}).empty());
        CHECK(quotes_in({"It’s ‘90s nostalgia."}).empty());
    }
    SECTION("a quotation nested in another is part of it") {
        const auto q = quotes_in({"“He called them ‘guests’ twice,” she said."});
        REQUIRE(q.size() == 1);
        CHECK(q[0].text == "He called them ‘guests’ twice,");
    }
    SECTION("unbalanced marks quote nothing and do not swallow the next paragraph") {
        const auto q = quotes_in({"An open “mark with no end, then “a real one” here.", "Next “para” text."});
        REQUIRE(q.size() == 2);
        CHECK(q[0].text == "a real one");
        CHECK(q[1].text == "para");
        CHECK(q[1].block == 1);
        CHECK(quotes_in({"Stray “ mark.", "“Opened paragraph without end.", "Plain text."}).empty());
        CHECK(quotes_in({"A closing mark alone” here, and ’ too."}).empty());
    }
    SECTION("multi-paragraph quotation: one Quotation per paragraph") {
        const auto q = quotes_in({"“First paragraph runs on.", "“Second one too.", "“Third closes,” she said."});
        REQUIRE(q.size() == 3);
        CHECK(q[0].text == "First paragraph runs on.");
        CHECK(q[0].close_mark.empty());
        CHECK(q[1].close_mark.empty());
        CHECK(q[2].text == "Third closes,");
        CHECK(q[2].close_mark == "\u201D");
        for (int i = 0; i < 3; ++i) {
            CHECK(q[static_cast<std::size_t>(i)].block == i);
            CHECK(q[static_cast<std::size_t>(i)].last_block == i);
        }
    }
    SECTION("<q> and <blockquote> without marks") {
        const auto doc = extract(
            "<html><body><article><p>She called it <q>a turning point</q> today.</p>"
            "<blockquote>No marks in this block.</blockquote>"
            "<blockquote><p>“Marked,” inside a blockquote.</p></blockquote></article></body></html>");
        REQUIRE(doc.quotations.size() == 3);
        CHECK(doc.quotations[0].text == "a turning point");
        CHECK(doc.quotations[0].open_mark.empty());
        CHECK(doc.quotations[1].text == "No marks in this block.");
        CHECK(doc.quotations[1].block == 1);
        CHECK(doc.quotations[2].text == "Marked,");
    }
    SECTION("straight and curly double marks mixed on one page close each other") {
        const auto doc = extract(
            "<html><body><article><p>“When all the evidence is presented about how short-staffed they were,\" he "
            "said, \"maybe you will have a different appreciation.” Then he left.</p><p>She called it \"a “fine” "
            "mess\" and left.</p><p>\"Who are we as a nation if we answer threats with threats? \" she wrote in "
            "her letter.</p></article></body></html>");
        std::vector<std::string> texts;
        for (const auto& q : doc.quotations)
            texts.push_back(q.text);
        CHECK(texts == std::vector<std::string>{
                           "When all the evidence is presented about how short-staffed they were,",
                           "maybe you will have a different appreciation.",
                           "a “fine” mess",
                           "Who are we as a nation if we answer threats with threats?",
                       });
        // A stray space after an opening mark that follows a sentence's end, before a capital.
        const auto spaced = extract(
            "<html><body><article><p>\"I run my business on my phone,\" he told Cook. \" You guys have done such a "
            "good job.\"</p></article></body></html>");
        REQUIRE(spaced.quotations.size() == 2);
        CHECK(spaced.quotations[1].text == "You guys have done such a good job.");
    }
    SECTION("a block quotation of prose with terms in marks is one quotation") {
        const auto doc = extract(
            "<html><body><article><p>Ines Maalouf, a recruiter, noted:</p><blockquote><p>I wonder how many of these "
            "skills are gone from the listings because they are “table stakes” now. Nobody writes HTML on a job "
            "description today.</p></blockquote><blockquote><p>“We close at six,” she said, “and open at nine "
            "again the next morning.”</p></blockquote></article></body></html>");
        REQUIRE(doc.quotations.size() == 3);
        CHECK(doc.quotations[0].text.starts_with("I wonder how many"));
        CHECK(doc.quotations[0].text.ends_with("today."));
        CHECK(doc.quotations[0].open_mark.empty());
        CHECK(doc.quotations[1].text == "We close at six,");
        CHECK(doc.quotations[2].text == "and open at nine again the next morning.");
    }
    SECTION("blocks know the block quotation that holds them") {
        const auto doc = extract(
            "<html><body><article><p>Before.</p><blockquote><p>One.</p><pre>code</pre><blockquote><p>Nested.</p>"
            "</blockquote><p>Two.</p></blockquote><p>Between.</p><blockquote><p>Another.</p></blockquote>"
            "</article></body></html>");
        std::vector<std::pair<std::string, int>> groups;
        for (const auto& b : doc.blocks)
            groups.emplace_back(b.text, b.quote_group);
        CHECK(groups == std::vector<std::pair<std::string, int>>{{"Before.", -1},
                                                                 {"One.", 0},
                                                                 {"code", 0},
                                                                 {"Nested.", 1},
                                                                 {"Two.", 0},
                                                                 {"Between.", -1},
                                                                 {"Another.", 2}});
    }
    SECTION("a block quotation's credit line is a block of its own that credits it, and quotes nothing") {
        const auto doc = extract(
            "<html><body><article><p>Letters.</p><blockquote><p>One.</p><footer class='blockquote-footer'>— Ann "
            "Lee, Riverside</footer></blockquote><blockquote><p>“Two.”</p><p>— <cite>Bo Chen</cite></p>"
            "</blockquote><blockquote><p>I reread <cite>Middlemarch</cite> each winter.</p></blockquote><figure>"
            "<blockquote><p>Three.</p></blockquote><figcaption>Cy Ray</figcaption></figure><blockquote><p>Four."
            "</p><small>Dee Roe</small> and a line after it.</blockquote></article></body></html>");
        std::vector<std::tuple<std::string, int, int>> blocks;
        for (const auto& b : doc.blocks)
            blocks.emplace_back(b.text, b.quote_group, b.credit_of);
        CHECK(blocks == std::vector<std::tuple<std::string, int, int>>{{"Letters.", -1, -1},
                                                                       {"One.", 0, -1},
                                                                       {"— Ann Lee, Riverside", 0, 0},
                                                                       {"“Two.”", 1, -1},
                                                                       {"— Bo Chen", 1, 1},
                                                                       {"I reread Middlemarch each winter.", 2, -1},
                                                                       {"Three.", 3, -1},
                                                                       {"Cy Ray", -1, 3},
                                                                       {"Four.", 4, -1},
                                                                       {"Dee Roe and a line after it.", 4, -1}});
        std::vector<std::string> quoted;
        for (const auto& q : doc.quotations)
            quoted.push_back(q.text);
        CHECK(quoted == std::vector<std::string>{"One.", "Two.", "I reread Middlemarch each winter.", "Three.", "Four.",
                                                 "Dee Roe and a line after it."});
    }
    SECTION(
        "a paragraph opening with a dash signs what comes before it in a block quotation; dialogue and long "
        "paragraphs do not") {
        std::string long_line = "– ";
        for (int i = 0; i < 20000; ++i)
            long_line += "word ";
        const auto doc = extract(
            "<html><body><article><p>Three writers on the record.</p><blockquote><p>Good.</p>"
            "<p><strong>– Kyle Hughes, Writer</strong></p><p>Fine.</p><p>– Are you coming?</p>"
            "<p>" +
            long_line + "</p></blockquote></article></body></html>");
        std::vector<int> credits;
        for (const auto& b : doc.blocks)
            credits.push_back(b.credit_of);
        REQUIRE(doc.blocks.size() == 6);
        CHECK(doc.blocks[2].text == "– Kyle Hughes, Writer");
        CHECK(credits == std::vector<int>{-1, -1, 0, -1, -1, -1});
    }
    SECTION("a table or code set off in a blockquote is no one's words") {
        const auto doc = extract(
            "<html><body><article><p>The release schedule:</p><blockquote><table><tr><th>Release</th><th>Date</th>"
            "</tr><tr><td>4.2.3</td><td>April 2014</td></tr></table><pre>make install</pre></blockquote>"
            "<blockquote><p>Words someone wrote, set off as a block.</p></blockquote></article></body></html>");
        REQUIRE(doc.quotations.size() == 1);
        CHECK(doc.quotations[0].text == "Words someone wrote, set off as a block.");
    }
    SECTION("tweets are not searched for quotations") {
        const auto doc = extract(
            "<html><body><article><blockquote class='twitter-tweet'><p>“Quoted” in a tweet</p>&mdash; A (@a) "
            "<a href='https://twitter.com/a/status/1'>May 1</a></blockquote></article></body></html>");
        CHECK(doc.quotations.empty());
        REQUIRE(doc.embeds.size() == 1);
    }
    SECTION("an Instagram post: its caption, author, handle, date and address; its furniture is no text") {
        const auto doc = extract(
            "<html><body><article><p>She posted it on Monday, and it went round the world within hours.</p>"
            "<blockquote class='instagram-media' data-instgrm-permalink="
            "'https://www.instagram.com/p/B_fa/?utm_source=ig_embed'><div><a href='https://www.instagram.com/p/B_fa/'>"
            "<div>View this post on Instagram</div></a><p><a href='https://www.instagram.com/p/B_fa/'>You cannot "
            "imagine what I did today</a></p><p>A post shared by <a href='https://www.instagram.com/z.t/'>Zashay "
            "Tastas</a> (@z.t) on <time>Apr 27, 2020 at 9:24am PDT</time></p></div></blockquote>"
            "<blockquote class='instagram-media'><div><a href='https://www.instagram.com/p/C/'>View this post on "
            "Instagram</a></div></blockquote></article></body></html>");
        CHECK(doc.quotations.empty());
        REQUIRE(doc.embeds.size() == 1);
        const Embed& e = doc.embeds[0];
        CHECK(e.kind == "instagram");
        CHECK(e.text == "You cannot imagine what I did today");
        CHECK(e.author == "Zashay Tastas");
        CHECK(e.handle == "@z.t");
        CHECK(e.date == "Apr 27, 2020 at 9:24am PDT");
        CHECK(e.status_url == "https://www.instagram.com/p/B_fa/");
        CHECK(doc.text().find("View this post") == std::string::npos);
    }
    SECTION("a site's placeholder for an Instagram post it loads later is the post's furniture, no quotation") {
        const auto doc = extract(
            "<html><body><article><p>Fans were quick to point out the changes to the picture she shared.</p>"
            "<blockquote class='js-instagram__container instagram__container'><a href='https://www.instagram.com/p/"
            "BO4/'><div class='subbuzz__media-cta'>View this photo on Instagram</div></a></blockquote>"
            "</article></body></html>");
        CHECK(doc.quotations.empty());
        CHECK(doc.text().find("View this photo") == std::string::npos);
    }
}

TEST_CASE("word count", "[unit]") {
    CHECK(count_words("") == 0);
    CHECK(count_words("best option") == 2);
    CHECK(count_words("a – b (..) c") == 3);
    CHECK(count_words("  ’90s  ") == 1);
}

TEST_CASE("extraction stages: density and whole-body", "[unit]") {
    const auto dense = extract(
        "<html><body><div class='links'><p><a href='/1'>one link</a></p><p><a href='/2'>two link</a></p></div>"
        "<div class='story'><p>A long paragraph of real prose about events.</p><p>Another one of them.</p></div>"
        "</body></html>");
    CHECK(dense.extraction_stage == "density");
    CHECK(dense.text() == "A long paragraph of real prose about events.\n\nAnother one of them.");

    const auto body = extract("<html><body>Just text<br>in the body</body></html>");
    CHECK(body.extraction_stage == "whole-body");
    REQUIRE(body.blocks.size() == 1);
    CHECK(body.blocks[0].text == "Just text in the body");

    // Every container carries a boilerplate word: the body is read again without them.
    const auto rescued =
        extract("<html><body><div class='content-with-sidebar'><p>Story text.</p></div></body></html>");
    CHECK(rescued.extraction_stage == "rescue");
    CHECK(rescued.text() == "Story text.");
    // Read again, a comment thread and a share bar are still not the story.
    const auto thread = extract(
        "<html><body><div class='content-with-sidebar'><p>Story text.</p><ol class='comment-list'><li "
        "class='comment'><p>I made this jam today and it turned out really good.</p></li></ol><div "
        "class='share-buttons'><p>Share on Facebook</p></div></div></body></html>");
    CHECK(thread.extraction_stage == "rescue");
    CHECK(thread.text() == "Story text.");
}

TEST_CASE("density: paragraphs written as divs, stories split over sections, declared bodies", "[unit]") {
    const std::string para =
        "A paragraph of the story that runs long enough, with commas, clauses and all, to read as prose. ";
    SECTION("every paragraph a <div> of its own") {
        std::string html = "<html><body><div class='notes'><p>A note.</p></div><div class='chapter'>";
        for (int i = 0; i < 6; ++i)
            html += "<div><div>Chapter text " + std::to_string(i) + ". " + para + "</div></div>";
        const auto doc = extract(html + "</div></body></html>");
        CHECK(doc.extraction_stage == "density");
        REQUIRE(doc.blocks.size() == 6);
        CHECK(doc.blocks[0].text.starts_with("Chapter text 0."));
    }
    SECTION("the lead kept apart from the rest by the markup comes along") {
        std::string html =
            "<html><body><ul class='links'><li><a href='/a'>Elsewhere</a></li></ul><div class='story'>"
            "<div class='intro'><p>The lead. " +
            para + "</p></div><div class='more'>";
        for (int i = 0; i < 5; ++i)
            html += "<p>Body " + std::to_string(i) + ". " + para + "</p>";
        const auto doc = extract(html + "</div></div></body></html>");
        REQUIRE(doc.blocks.size() == 6);
        CHECK(doc.blocks[0].text.starts_with("The lead."));
        CHECK(doc.blocks[5].text.starts_with("Body 4."));
    }
    SECTION("sections of one story, each a candidate of its own, are read together") {
        std::string html = "<html><body><div class='nav'><a href='/1'>One</a> <a href='/2'>Two</a></div><div>";
        for (int i = 0; i < 4; ++i)
            html += "<section><h2>Part " + std::to_string(i) + "</h2><p>" + para + "</p><p>" + para + "</p></section>";
        const auto doc = extract(html + "</div></body></html>");
        CHECK(doc.blocks.size() == 12);
        CHECK(doc.blocks.front().text == "Part 0");
    }
    SECTION("an element declared articleBody is read whatever its id says; so is a heading's slug") {
        const auto doc = extract("<html><body><div id='share-buttons-container' itemprop='articleBody'><p>" + para +
                                 "</p></div></body></html>");
        CHECK(doc.blocks.size() == 1);
        const auto slug = extract("<html><body><div class='doc'><div id='sharing-with-a-single-developer'><p>" + para +
                                  "</p></div><div id='share-bar'><p>Share this</p></div></div></body></html>");
        REQUIRE(slug.blocks.size() == 1);
        CHECK(slug.blocks[0].text.starts_with("A paragraph"));
    }
}

TEST_CASE("bad input: empty, binary, random bytes, invalid UTF-8", "[unit]") {
    CHECK_FALSE(extract_document("", "https://example.org/", builtin()).has_value());
    CHECK(extract_document(" \n\t ", "https://example.org/", builtin()).error().code == ErrorCode::parse);
    CHECK_FALSE(extract_document(std::string(4096, '\0'), "https://example.org/", builtin()).has_value());

    std::mt19937 rng(12345);
    for (int round = 0; round < 20; ++round) {
        std::string bytes(2000 + static_cast<std::size_t>(round) * 100, '\0');
        for (auto& c : bytes)
            c = static_cast<char>(rng() & 0xff);
        auto r = extract_document(bytes, "https://example.org/", builtin());
        CHECK_FALSE(r.has_value());
        // Printable noise with stray tags is HTML-ish: it gives a Document, never a crash.
        std::string noise;
        for (int i = 0; i < 3000; ++i) {
            const char alphabet[] = "<>/=\"' abcdpq“”‘’\n&;#";
            noise += alphabet[rng() % (sizeof(alphabet) - 1)];
        }
        auto d = extract_document(noise, "https://example.org/", builtin());
        REQUIRE(d.has_value());
        const std::string text = d->text();
        for (const auto& b : d->blocks)
            CHECK(text.substr(b.start, b.text.size()) == b.text);
    }

    const auto doc = extract("<p>Bad \xff\xfe bytes and a NUL\x01 here \xe2\x80 end</p>");
    REQUIRE(doc.blocks.size() == 1);
    CHECK(doc.blocks[0].text.find("\xEF\xBF\xBD") != std::string::npos);
    CHECK(sanitize_utf8(doc.blocks[0].text) == doc.blocks[0].text);
}

TEST_CASE("100,000 nested divs: linear, no deep recursion", "[unit]") {
    std::string html = "<html><body><article>";
    for (int i = 0; i < 100000; ++i)
        html += "<div>";
    html += "<p>Deep “quoted words” here</p>";
    for (int i = 0; i < 100000; ++i)
        html += "</div>";
    html += "<p>After the nest.</p></article></body></html>";
    const auto doc = extract(html);
    REQUIRE(doc.blocks.size() == 2);
    CHECK(doc.blocks[0].text == "Deep “quoted words” here");
    CHECK(doc.blocks[1].text == "After the nest.");
    REQUIRE(doc.quotations.size() == 1);
    CHECK(doc.quotations[0].text == "quoted words");
}

TEST_CASE("flatten_deep_nesting blanks only tags beyond the depth, keeping offsets", "[unit]") {
    std::string html = "<div><div><div><p>x</p></div></div></div><!-- <div> --><script>'<div>'</script>";
    const std::string before = html;
    CHECK(flatten_deep_nesting(html, 2) == 2);
    CHECK(html.size() == before.size());
    CHECK(html == "<div><div>     <p>x</p>      </div></div><!-- <div> --><script>'<div>'</script>");
    std::string shallow = "<div><span><b>x</b></span></div><br><img src=x>";
    CHECK(flatten_deep_nesting(shallow, 256) == 0);
    CHECK(looks_binary(std::string(100, '\0')));
    CHECK_FALSE(looks_binary("<html>\n\t<p>ok</p>\r\n</html>"));
}

TEST_CASE("strip_unread: script and style contents go, JSON-LD and the tags stay, offsets map back", "[unit]") {
    std::string html =
        "<head><STYLE>p { color: red }</STYLE><script type='application/ld+json'>{\"@type\":\"NewsArticle\"}</script>"
        "<title>a <script> in a title</title></head><body><!-- <script>kept comment</script> -->"
        "<script src='x.js'>var s = '<p>not a tag</p>';</script><p>Text</p><script>never closed";
    const std::string before = html;
    const OffsetMap map = strip_unread(html);
    CHECK(html ==
          "<head><STYLE></STYLE><script type='application/ld+json'>{\"@type\":\"NewsArticle\"}</script>"
          "<title>a <script> in a title</title></head><body><!-- <script>kept comment</script> -->"
          "<script src='x.js'></script><p>Text</p><script>");
    // Every kept byte maps back to the same byte of the input.
    for (std::size_t i = 0; i < html.size(); ++i) {
        REQUIRE(before[map.original(i)] == html[i]);
    }
    std::string plain = "<p>no scripts</p>";
    const OffsetMap same = strip_unread(plain);
    CHECK(plain == "<p>no scripts</p>");
    CHECK(same.original(5) == 5);

    // Block offsets point into the page as it was given.
    const std::string page = "<html><head><script>" + std::string(500, 'x') +
                             "</script></head><body><style>b{}</style><article><p>First.</p><p>Second.</p>"
                             "</article></body></html>";
    const auto doc = extract(page);
    REQUIRE(doc.blocks.size() == 2);
    CHECK(page.compare(doc.blocks[0].html_offset, 2, "<p") == 0);
    CHECK(page.compare(doc.blocks[1].html_offset, 10, "<p>Second.") == 0);
}

TEST_CASE("clean_utf8: valid UTF-8 without NUL, decided as sanitize_utf8 would", "[unit]") {
    CHECK(clean_utf8(""));
    CHECK(clean_utf8("plain ASCII text that runs over more than eight bytes"));
    CHECK(clean_utf8("caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D \xF0\x9F\x98\x80"));
    CHECK_FALSE(clean_utf8(std::string("ab\0cdefghijk", 12)));
    CHECK_FALSE(clean_utf8("abcdefgh\xC3"));               // truncated sequence
    CHECK_FALSE(clean_utf8("\xC0\xAF overlong"));          // overlong '/'
    CHECK_FALSE(clean_utf8("\xED\xA0\x80 surrogate"));     // U+D800
    CHECK_FALSE(clean_utf8("\xF4\x90\x80\x80 too high"));  // past U+10FFFF
    CHECK_FALSE(clean_utf8("\x80 stray continuation"));
    for (const std::string s : {"caf\xC3\xA9", "x\xC3", "\xFF\xFE", "ok"})
        CHECK(clean_utf8(s) == (sanitize_utf8(s) == s));
}

TEST_CASE("partial text: paywall elements, truncation markers, short bodies, declared word counts", "[unit]") {
    auto page = [](const std::string& head, const std::string& body) {
        return extract("<html><head><title>t</title>" + head + "</head><body>" + body + "</body></html>");
    };
    const std::string article_ld = R"(<script type="application/ld+json">{"@type":"NewsArticle"}</script>)";
    SECTION("a free article of ordinary length is whole") {
        const auto doc = page(article_ld, "<article><p>" + kFiftyWords + "</p></article>");
        CHECK_FALSE(doc.partial);
        CHECK(doc.partial_reasons.empty());
    }
    SECTION("a paywall element, even one dropped as boilerplate") {
        const auto doc =
            page("", "<article><p>" + kFiftyWords + "</p><div class='paywall subscribe-box'>Join us</div></article>");
        CHECK(doc.partial);
        REQUIRE(doc.partial_reasons.size() == 1);
        CHECK(doc.partial_reasons[0] == "paywall element in the page");
        CHECK(doc.text().find("Join us") == std::string::npos);
    }
    SECTION("a truncation marker in a short text, ignoring case") {
        const auto doc =
            page("", "<article><p>" + kFiftyWords + "</p></article><div><h2>Subscribe to  Continue Reading</h2></div>");
        CHECK(doc.partial);
        REQUIRE(doc.partial_reasons.size() == 1);
        CHECK(doc.partial_reasons[0] == "truncation marker: \"subscribe to continue reading\"");
    }
    SECTION("the marker phrase inside a long paragraph is prose, not a box") {
        std::string prose = kFiftyWords + " Readers saw a box saying subscribe to continue reading. " + kFiftyWords;
        const auto doc = page("", "<article><p>" + prose + "</p></article>");
        CHECK_FALSE(doc.partial);
    }
    SECTION("an article with a very short body") {
        const auto doc = page(article_ld, "<article><p>Only the first lines are here.</p></article>");
        CHECK(doc.partial);
        REQUIRE(doc.partial_reasons.size() == 1);
        CHECK(doc.partial_reasons[0] == "very short body (6 words)");
        // The same text on a page that does not call itself an article is whole.
        CHECK_FALSE(page("", "<article><p>Only the first lines are here.</p></article>").partial);
        CHECK(page("<meta property='og:type' content='article'>", "<p>Only the first lines are here.</p>").partial);
    }
    SECTION("a body much shorter than the declared wordCount") {
        const auto doc =
            page(R"(<script type="application/ld+json">{"@type":"NewsArticle","wordCount":"900"}</script>)",
                 "<article><p>" + kFiftyWords + "</p></article>");
        CHECK(doc.partial);
        REQUIRE(doc.partial_reasons.size() == 1);
        CHECK(doc.partial_reasons[0].find("900") != std::string::npos);
    }
}

TEST_CASE("metadata gaps: <time datetime>, schema.org URL forms of @context and @type", "[unit]") {
    const auto timed = extract(
        "<html><head><title>t</title></head><body><article><p>By A. Writer, <time datetime='2024-02-03T10:00:00Z'>"
        "Feb. 3</time></p><p>Text.</p><time datetime='2024-02-04'>later</time></article></body></html>");
    CHECK(timed.published == "2024-02-03T10:00:00Z");
    const auto meta_wins = extract(
        "<html><head><meta property='article:published_time' content='2024-01-01'></head><body><time "
        "datetime='2024-02-03'>x</time><p>Text.</p></body></html>");
    CHECK(meta_wins.published == "2024-01-01");

    const auto slash = extract(
        R"(<html><head><script type="application/ld+json">{"@context":"http://schema.org/","@type":"http://schema.org/NewsArticle",
        "headline":"Slash context","datePublished":"2024-03-01"}</script></head><body><p>)" +
        kFiftyWords + "</p></body></html>");
    CHECK(slash.title == "Slash context");
    CHECK(slash.published == "2024-03-01");
}

TEST_CASE("JSON-LD articleBody is used when the markup gives clearly less", "[unit]") {
    const std::string ld =
        R"(<script type="application/ld+json">{"@type":"NewsArticle","articleBody":"First paragraph of the story. )" +
        kFiftyWords + R"(\nSecond paragraph, “with a quotation in it,” Reuters reported."}</script>)";
    const auto doc = extract("<html><head>" + ld + "</head><body><div id='app'><p>Loading…</p></div></body></html>");
    CHECK(doc.extraction_stage == "json-ld");
    REQUIRE(doc.blocks.size() == 2);
    CHECK(doc.blocks[0].text.starts_with("First paragraph of the story."));
    CHECK(doc.blocks[1].text == "Second paragraph, “with a quotation in it,” Reuters reported.");
    REQUIRE(doc.quotations.size() == 1);
    CHECK(doc.quotations[0].text == "with a quotation in it,");

    // The markup holding the same story wins: it carries links and offsets.
    const auto markup = extract("<html><head>" + ld + "</head><body><article><p>First paragraph of the story. " +
                                kFiftyWords + "</p><p>Second.</p></article></body></html>");
    CHECK(markup.extraction_stage == "article-element");
}

TEST_CASE("quotation marks: single guillemets, corner brackets, nesting, open marks mid-paragraph", "[unit]") {
    auto q = quotes_in({"‹Oui›, dit-il. 「停戦は近い」 and 『本』.", "«Il a dit “jamais” hier», puis rien."});
    REQUIRE(q.size() == 4);
    CHECK(q[0].text == "Oui");
    CHECK(q[0].open_mark == "\u2039");
    CHECK(q[0].close_mark == "\u203A");
    CHECK(q[1].text == "停戦は近い");
    CHECK(q[2].text == "本");
    CHECK(q[3].text == "Il a dit “jamais” hier");

    // »…« as German prints guillemets, beside French « … » and Swiss «…».
    auto reversed = quotes_in({"»Wir haben Nächte, in denen 40 Patienten liegen«, sagt sie. »Ältere warten.«",
                               "« Pas du tout », a-t-il dit. «Jamais», répond-elle. Le score: 3 » 2."});
    REQUIRE(reversed.size() == 4);
    CHECK(reversed[0].text == "Wir haben Nächte, in denen 40 Patienten liegen");
    CHECK(reversed[0].open_mark == "\u00BB");
    CHECK(reversed[0].close_mark == "\u00AB");
    CHECK(reversed[1].text == "Ältere warten.");
    CHECK(reversed[2].text == "Pas du tout");
    CHECK(reversed[3].text == "Jamais");

    // ”…” as Swedish and Finnish print it, and a right mark typed for the left one; a right mark after a word
    // still only closes.
    auto right =
        quotes_in({"”Det är en katastrof”, säger Anna Berg.", "The odds were ”dwindling.” He was “sure,” he said."});
    REQUIRE(right.size() == 3);
    CHECK(right[0].text == "Det är en katastrof");
    CHECK(right[0].open_mark == "\u201D");
    CHECK(right[1].text == "dwindling.");
    CHECK(right[2].text == "sure,");

    // A mark left open mid-paragraph quotes nothing, even when the next paragraph opens a quotation.
    auto typo = quotes_in({"He said it was “over and left.", "“We ran,” she said."});
    REQUIRE(typo.size() == 1);
    CHECK(typo[0].text == "We ran,");
    CHECK(typo[0].block == 1);

    // After a colon the convention holds: the quotation runs on.
    auto runs = quotes_in({"She said: “The first part.", "“The second part.”"});
    REQUIRE(runs.size() == 2);
    CHECK(runs[0].close_mark.empty());
    CHECK(runs[1].text == "The second part.");

    // So it does for a partial quotation that runs to the end of its paragraph, its sentence ended, when the next
    // paragraph is all quotation (news agencies' style).
    auto agency = quotes_in({"Pompeo said the release “gives us hope for the talks, which we support.",
                             "“We see these developments as hopeful signs.”"});
    REQUIRE(agency.size() == 2);
    CHECK(agency[0].text == "gives us hope for the talks, which we support.");
    CHECK(agency[0].close_mark.empty());
    CHECK(agency[1].block == 1);
    // Not when the paragraph's sentence goes on unended, or another mark opens after it.
    CHECK(quotes_in({"Pompeo said the release “gives us hope for the talks", "“We see signs.”"}).size() == 1);

    // A closing mark left out at the end of a paragraph: a “ after a colon runs to the paragraph's end when the
    // rest is one sentence-ended stretch with no other mark.
    auto unclosed = quotes_in({"Fire chief Leontyne Arkwright-Soto was blunt: “This fire was started deliberately.",
                               "Police have arrested two men."});
    REQUIRE(unclosed.size() == 1);
    CHECK(unclosed[0].text == "This fire was started deliberately.");
    CHECK(unclosed[0].close_mark.empty());
    CHECK(quotes_in({"He said it was “over and left, and then: “went home."}).empty());
    CHECK(quotes_in({"Mayor Blom-Achebe called the ruling “a victory for every tenant in the city."}).empty());
    CHECK(quotes_in({"He said it was “over and left"}).empty());

    // British papers: a plural possessive inside single marks closes nothing, and a quotation in single marks runs
    // on into a paragraph that is all quotation.
    auto british = quotes_in({"Councillor Haskett said: ‘It’s the residents’ money, not the council’s,’ and left.",
                              "The chief constable said: ‘This was a cowardly attack.",
                              "‘I would urge anyone who saw it to come forward.’"});
    REQUIRE(british.size() == 3);
    CHECK(british[0].text == "It’s the residents’ money, not the council’s,");
    CHECK(british[1].close_mark.empty());
    CHECK(british[2].text == "I would urge anyone who saw it to come forward.");

    // An opening mark the page left out (a drop cap set it apart): a paragraph whose first mark closes, after a
    // comma or a stop and a few words, quotes from its start; the marks after it are read as usual.
    auto drop_cap =
        quotes_in({"We just needed time to get the mechanism right,\" admits Andrew Hill. \"Even the hinge "
                   "is the same idea,\" says Groene.",
                   "It's a different brand, different choices,” says Groene."});
    REQUIRE(drop_cap.size() == 3);
    CHECK(drop_cap[0].text == "We just needed time to get the mechanism right,");
    CHECK(drop_cap[0].open_mark.empty());
    CHECK(drop_cap[1].text == "Even the hinge is the same idea,");
    CHECK(drop_cap[2].text == "It's a different brand, different choices,");
    // Not an even number of straight marks, a mark right after a word, or too few words before it.
    CHECK(quotes_in({"He called it \"a disaster,\" and left."}).size() == 1);
    CHECK(quotes_in({"The report was titled Safe Streets\" by mistake."}).empty());
    CHECK(quotes_in({"No way,” he said."}).empty());

    // Two right single marks close a “ as a ” would.
    auto two = quotes_in({"“It was an attempt to mislead voters,’’ Will Moy told the BBC. ‘Yes’’s no."});
    REQUIRE(!two.empty());
    CHECK(two[0].text == "It was an attempt to mislead voters,");
    CHECK(two[0].close_mark == "\u2019\u2019");
}

TEST_CASE("a page hidden whole until its script runs is read as shown; other hidden text stays dropped", "[unit]") {
    // A head <noscript> message lands in the body (the parser closes the head at its text), and every story
    // element sits in a wrapper with display: none that the page's script removes.
    const std::string page =
        "<html><head><noscript>JavaScript is disabled in your web browser. " + kFiftyWords +
        "</noscript></head><body><div style='display: none' id='page'><nav>Home</nav><article><p>" + kFiftyWords +
        "</p><p>" + kFiftyWords +
        "</p><p>“The systems are down,” the company said.</p><p style='display:none'>Hidden: “forged words,” the "
        "minister said.</p></article></div></body></html>";
    const auto doc = extract(page);
    CHECK(doc.extraction_stage == "rescue");
    std::string text;
    for (const auto& b : doc.blocks)
        text += b.text + "\n";
    CHECK(text.find("The systems are down") != std::string::npos);
    CHECK(text.find("forged words") == std::string::npos);
    CHECK(text.find("JavaScript is disabled") == std::string::npos);

    // A hidden element holding less than most of the page is not a wrapper: its text stays out.
    const auto part = extract("<html><body><article><p>" + kFiftyWords + "</p><div style='display:none'><p>" +
                              kFiftyWords.substr(0, 60) +
                              " “hidden quotation,” she said.</p></div></article>"
                              "</body></html>");
    for (const auto& b : part.blocks)
        CHECK(b.text.find("hidden quotation") == std::string::npos);
}

TEST_CASE("code and boxes the page sets its own words in hold no quotations", "[unit]") {
    auto quoted = [](const Document& doc) {
        std::vector<std::string> out;
        for (const auto& q : doc.quotations)
            out.push_back(q.text);
        return out;
    };
    // Strings in <code>, <pre>, <kbd> and <samp>, however the code is laid out, are a program's, not anyone's words;
    // a quotation in the same paragraph is still found.
    const auto code = extract("<html><body><article><p>" + kFiftyWords +
                              "</p><p>The script prints <code>\"hello world\"</code> and, as the author said, \"it "
                              "just works.\"</p><pre>query = \"how to scrape\"\n<div>print(\"another\")</div></pre>"
                              "<p>Press <kbd>\"Enter\"</kbd> twice.</p></article></body></html>");
    CHECK(quoted(code) == std::vector<std::string>{"it just works."});
    std::size_t ranges = 0;
    for (const auto& b : code.blocks) {
        for (const auto& [from, to] : b.code) {
            REQUIRE(from < to);
            REQUIRE(to <= b.text.size());
            ++ranges;
        }
    }
    CHECK(ranges == 4);  // the <code>, the <pre>'s two blocks, the <kbd>
    // Code printed as text: a call's argument and a value after an equals sign.
    const auto printed = extract("<html><body><article><p>" + kFiftyWords +
                                 "</p><p>console.log(\"[*] skip native unlink function\");</p><p>url = \"https://"
                                 "example.org/?q=x\" then (\"a real aside\") and \"words\" said.</p></article></body>"
                                 "</html>");
    CHECK(quoted(printed) == std::vector<std::string>{"a real aside", "words"});
    // A blockquote headed "Summary" in bold is the page's box; one headed by a name, or by nothing, quotes.
    const auto box = extract("<html><body><article><p>" + kFiftyWords +
                             "</p><blockquote><strong>Summary</strong><p>Calipers are cheap and simple to use.</p>"
                             "</blockquote><blockquote><p><strong>Key takeaways:</strong> Water weighing is "
                             "accurate.</p></blockquote><blockquote><p>We measured everyone twice.</p></blockquote>"
                             "<blockquote><strong>Dr Ana Ruiz</strong><p>Nobody likes the water tank.</p>"
                             "</blockquote></article></body></html>");
    CHECK(quoted(box) ==
          std::vector<std::string>{"We measured everyone twice.", "Dr Ana Ruiz", "Nobody likes the water tank."});
}
