// The main text without page furniture (extract/prune.hpp, rules/sites/default.toml [main_text]), and pages
// wrapped in a <form>.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "extract/extract.hpp"
#include "extract/prune.hpp"
#include "extract/site_rules.hpp"
#include "support/builtin_rules.hpp"

using namespace provcheck;

namespace {

Document extract_body(const std::string& body, const std::string& head = "<title>Dam talks collapse</title>") {
    auto doc = extract_document("<html><head>" + head + "</head><body>" + body + "</body></html>",
                                "https://example.org/news/dam.html", test::builtin_rules());
    REQUIRE(doc.has_value());
    return std::move(*doc);
}

std::vector<std::string> texts(const Document& d) {
    std::vector<std::string> out;
    for (const auto& b : d.blocks)
        out.push_back(b.text);
    return out;
}

bool has(const Document& d, std::string_view text) {
    return std::any_of(d.blocks.begin(), d.blocks.end(), [&](const Block& b) { return b.text == text; });
}

const std::string kStory =
    "<p>Talks over the Norland dam collapsed on Tuesday after the two delegations failed to agree on how much "
    "water each side could draw in dry years.</p>"
    "<p>“We came with an offer and left with nothing,” said Amara Osei, who led the northern delegation.</p>"
    "<p>Engineers have warned that the reservoir will fall below its minimum level by August unless rain comes.</p>";

}  // namespace

TEST_CASE("furniture: the headline again, a dateline, a credit and controls leave the main text", "[unit]") {
    const auto doc = extract_body(
        "<article><h1>Dam talks collapse</h1><p>Updated 5:27 am CST, Wednesday, November 20, "
        "2019</p><p>Photo: Hau Dinh, AP</p><p>Caption</p><p>Close</p><p>Share this story</p>" +
        kStory +
        "<p>New, 15 comments</p><p>Facebook Twitter Google+ Whatsapp</p><p>Loading content ...</p><p>sexta-feira, 22 "
        "de outubro de 2010 às 20:13</p><p>Copyright @ 2019 The Norland Courier.</p></article>");
    CHECK(texts(doc).size() == 3);
    CHECK(doc.blocks.front().text.starts_with("Talks over the Norland dam"));
    CHECK(doc.blocks.back().text.starts_with("Engineers have warned"));
    // Offsets are those of the blocks kept.
    CHECK(doc.blocks[1].start == doc.blocks[0].text.size() + 2);
    REQUIRE(doc.quotations.size() == 1);
    CHECK(doc.quotations[0].block == 1);
}

TEST_CASE("furniture: what only looks like it stays", "[unit]") {
    // A heading that is not the title; "Picture-in-Picture" is no credit; a date inside the story is a table's
    // or a timeline's; a row of figures is no dateline; a line that merely opens with "By" is prose.
    const auto doc = extract_body(
        "<article><p>By the time the delegations met again, the river had dropped two "
        "metres.</p>" +
            kStory + kStory + "<h2>Picture-in-Picture</h2><p>Le 15 Mai</p><p>1964</p>" + kStory + kStory + "</article>",
        "<title>Dam talks collapse</title><meta name=\"author\" content=\"Chaim Gartenberg\">");
    CHECK(has(doc, "Picture-in-Picture"));
    CHECK(has(doc, "Le 15 Mai"));
    CHECK(has(doc, "1964"));
    CHECK(has(doc, "By the time the delegations met again, the river had dropped two metres."));
}

TEST_CASE("furniture: captions, teasers and links to other stories", "[unit]") {
    const auto doc = extract_body(
        "<article>" + kStory +
        "<p>A 14th century plague doctor (Image: GETTY)</p>"
        "<p>Natalie Naccache | Bloomberg | Getty Images</p><p>© Aaron Schwartz</p>"
        "<p>A row of unsold cars at a dealership in Littleton, Colo. (AP Photo/David Zalubowski)</p>"
        "<p>READ MORE: China plague outbreak confirmed in Beijing</p>"
        "<h3><a href=\"/other-story.html\">Audi e-Tron Sportback makes electric crossovers look good</a></h3>"
        "<p><a href=\"/app\">CLICK HERE TO GET THE NEWS APP</a></p>"
        "<p><a href=\"https://norlandwater.gov/report.pdf\">Read the full report</a></p>"
        "<ul><li><a href=\"https://example.org/a\">BBEdit</a></li><li><a href=\"https://example.org/b\">Acorn</a></li>"
        "</ul><figure><img src=\"x.jpg\"><figcaption>The dam at dawn, in a file picture</figcaption></figure>"
        "</article>");
    CHECK_FALSE(has(doc, "A 14th century plague doctor (Image: GETTY)"));
    CHECK_FALSE(has(doc, "Natalie Naccache | Bloomberg | Getty Images"));
    CHECK_FALSE(has(doc, "© Aaron Schwartz"));
    CHECK_FALSE(has(doc, "A row of unsold cars at a dealership in Littleton, Colo. (AP Photo/David Zalubowski)"));
    CHECK_FALSE(has(doc, "READ MORE: China plague outbreak confirmed in Beijing"));
    CHECK_FALSE(has(doc, "Audi e-Tron Sportback makes electric crossovers look good"));
    CHECK_FALSE(has(doc, "CLICK HERE TO GET THE NEWS APP"));
    CHECK_FALSE(has(doc, "The dam at dawn, in a file picture"));
    // A paragraph that is one link cites a source; a list of links is text (software lists, references).
    CHECK(has(doc, "Read the full report"));
    CHECK(has(doc, "BBEdit"));
    CHECK(has(doc, "Acorn"));
    // The links of dropped blocks leave with them; those kept point at their blocks' new places.
    for (const auto& l : doc.links) {
        CHECK(l.url.find("other-story") == std::string::npos);
        CHECK(l.url.find("/app") == std::string::npos);
        REQUIRE(l.block >= 0);
        REQUIRE(static_cast<std::size_t>(l.block) < doc.blocks.size());
        CHECK(doc.blocks[static_cast<std::size_t>(l.block)].text.substr(l.start, l.end - l.start) == l.anchor_text);
    }
    CHECK(std::any_of(doc.links.begin(), doc.links.end(),
                      [](const Link& l) { return l.url == "https://norlandwater.gov/report.pdf"; }));
}

TEST_CASE("furniture: newsletter boxes, affiliate notes, promotions and labels", "[unit]") {
    const auto doc = extract_body(
        "<article>" + kStory +
        "<h3>Subscribe to the Morning Review newsletter</h3>"
        "<p>Get the day’s top headlines delivered to your inbox every morning by subscribing to our newsletter.</p>"
        "<p>Let our news meet your inbox. The news and stories that matter, delivered weekday mornings.</p>"
        "<p>We may earn a commission on products purchased through affiliate links in this article.</p>"
        "<p>Follow us on Twitter and Instagram.</p><p>Tags: water, dams, Norland</p><p>Filed Under: Drought</p>"
        "<p>[Related: Norland reservoir hits record low]</p></article>");
    CHECK(texts(doc).size() == 3);
    CHECK(doc.blocks.back().text.starts_with("Engineers have warned"));
    // One signup word is prose's; a link to another site cites it, and a quotation is what provcheck checks.
    const auto prose = extract_body(
        "<article>" + kStory +
        "<p>The newsletter, first printed in 1998, reached 4,000 farmers along the river.</p>"
        "<p>Sign up for updates <a href=\"https://norlandwater.gov/alerts\">on the water board's site</a>.</p>"
        "<p>“Sign up for the newsletter and read it,” said Osei.</p></article>");
    CHECK(texts(prose).size() == 6);
}

TEST_CASE("furniture: a list of other stories under its head leaves; a list of facts stays", "[unit]") {
    const auto doc = extract_body(
        "<article>" + kStory +
        "<p>More Great Norland Stories</p><ul><li>Farmers fear a dry summer, <a href=\"/farmers.html\">and "
        "say why</a></li><li><a href=\"/levels.html\">Reservoir levels</a> in one chart</li>"
        "<li><a href=\"https://hydro.example.net/\">The hydrology lab's data</a></li></ul>"
        "<h4><a href=\"/tech\">Next Up</a> In Water</h4></article>");
    CHECK(texts(doc).size() == 4);
    CHECK_FALSE(has(doc, "More Great Norland Stories"));
    CHECK_FALSE(has(doc, "Reservoir levels in one chart"));
    CHECK_FALSE(has(doc, "Next Up In Water"));
    // An item linking to another site cites it and stays.
    CHECK(has(doc, "The hydrology lab's data"));
    const auto facts = extract_body("<article>" + kStory +
                                    "<h3>More on the dam</h3><ul><li>Built in 1964</li><li>Holds 2 billion cubic "
                                    "metres</li></ul><p>Officials will meet again in May.</p></article>");
    CHECK(texts(facts).size() == 7);
}

TEST_CASE("furniture: a signed dateline and the credits closing the story", "[unit]") {
    const auto doc =
        extract_body("<article><p>By Louis Jacobson on Monday, November 18th, 2019 at 11:04 a.m.</p>" + kStory +
                     "<p>Associated Press writers Alan Fram and Zeke Miller contributed to this report.</p>"
                     "<p>Keith Bradsher contributed reporting from Hong Kong.</p></article>");
    CHECK(texts(doc).size() == 3);
    CHECK(doc.blocks.front().text.starts_with("Talks over"));
    CHECK(doc.blocks.back().text.starts_with("Engineers have warned"));
    // A year after "By" is prose's; credits inside the story are its text.
    const auto prose = extract_body(
        "<article><p>By 2030 the dam will hold twice as much water.</p><p>Farmers contributed "
        "reporting of their own wells.</p>" +
        kStory + kStory + kStory + "</article>");
    CHECK(has(prose, "By 2030 the dam will hold twice as much water."));
    CHECK(has(prose, "Farmers contributed reporting of their own wells."));
}

TEST_CASE("furniture: a share bar handing this page to a network cites nothing and leaves", "[unit]") {
    const auto doc = extract_body(
        "<article>" + kStory +
        "<p><a href=\"https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fexample.org%2Fnews%2Fdam.html\">"
        "Facebook</a> <a href=\"whatsapp://send/?text=Dam%20talks%20-%20https://example.org/news/dam.html\">"
        "WhatsApp</a></p><p><a href=\"https://twitter.com/intent/tweet?url=https://example.org/news/dam.html\">"
        "Share this on Twitter</a></p><p><a href=\"https://www.facebook.com/norlandwater\">Facebook</a></p>"
        "</article>");
    CHECK_FALSE(has(doc, "Facebook WhatsApp"));
    CHECK_FALSE(has(doc, "Share this on Twitter"));
    // A link to the water board's own page on the network cites it.
    CHECK(has(doc, "Facebook"));
    CHECK(texts(doc).size() == 4);

    // A citation whose tracking parameter names this site, or whose host holds this one's, is no share button.
    const auto cited =
        extract_body("<article>" + kStory +
                     "<p><a href=\"https://www.norlandwater.gov/report?utm_source=example.org\">Report</a> <a "
                     "href=\"https://news.site/?u=https://notexample.org/x\">Copy</a></p></article>");
    CHECK(has(cited, "Report Copy"));
}

TEST_CASE("furniture: an image's alt text printed under it is its caption", "[unit]") {
    const auto doc =
        extract_body("<article>" + kStory +
                     "<div><div class=\"img\"><img src=\"a.jpg\" alt=\"The dam's spillway at dawn\"></div><br>"
                     "<span>The dam's spillway at dawn</span></div><p><img src=\"b.jpg\" alt=\"Reservoir\">"
                     "</p><p>Reservoir</p><p><img src=\"c.jpg\" alt=\"Talks over the Norland dam\"> Talks "
                     "over the Norland dam went on.</p></article>");
    CHECK_FALSE(has(doc, "The dam's spillway at dawn"));
    // One word of alt text says nothing; a block saying more than the alt text is prose.
    CHECK(has(doc, "Reservoir"));
    CHECK(has(doc, "Talks over the Norland dam went on."));
}

TEST_CASE("furniture: the headline worded apart from the title leaves; a section heading stays", "[unit]") {
    const auto doc = extract_body(
        "<article><p>Updated November 20, 2019</p><h1>Dam talks collapse over water "
        "shares</h1>" +
        kStory + "<h2>Talks to resume</h2>" + kStory + "</article>");
    CHECK_FALSE(has(doc, "Dam talks collapse over water shares"));
    CHECK(has(doc, "Talks to resume"));
    // A first heading sharing a word or two with the title is the story's own.
    const auto section = extract_body("<article><h2>Why the dam matters</h2>" + kStory + "</article>");
    CHECK(has(section, "Why the dam matters"));
}

TEST_CASE("furniture: the byline printed near the top", "[unit]") {
    const auto doc = extract_body(
        "<article><p>By Chaim Gartenberg @cgartenberg Nov 19, 2019, 7:53pm EST</p>" + kStory + "</article>",
        "<title>Dam talks collapse</title><meta name=\"author\" content=\"Chaim Gartenberg\">");
    CHECK(doc.byline == "Chaim Gartenberg");
    CHECK(doc.blocks.size() == 3);
    CHECK(doc.blocks.front().text.starts_with("Talks over"));
}

TEST_CASE("a page wrapped in a <form> is read; a form inside the story is not", "[unit]") {
    std::string paragraphs;
    for (int i = 0; i < 3; ++i)
        paragraphs += kStory;
    const auto doc =
        extract_body("<form id=\"aspnetForm\" action=\"/post\"><div class=\"page\"><article>" + paragraphs +
                     "</article></div></form><form><p>Sign up for our newsletter</p><input name=\"email\"></form>");
    CHECK(doc.blocks.size() == 9);
    CHECK_FALSE(has(doc, "Sign up for our newsletter"));
    // A form of a paragraph or two inside the story is a form.
    const auto inner = extract_body("<article>" + kStory +
                                    "<form><p>Sign up for our newsletter</p><input name=\"email\"></form></article>");
    CHECK(inner.blocks.size() == 3);
    CHECK_FALSE(has(inner, "Sign up for our newsletter"));
}

TEST_CASE("[main_text] rules: words compare folded, and a bad entry names file and key", "[unit]") {
    CHECK(folded_words("Share this:  STORY!") == "share this story");
    CHECK(folded_words("Élan, ÉTÉ") == "élan été");
    CHECK(lowered_text("  Photo:   Hau  DINH ") == "photo: hau dinh");
    auto sites = load_site_rules(test::builtin_rules());
    REQUIRE(sites);
    CHECK(sites->prune.title_repeat);
    CHECK(std::find(sites->prune.chrome_phrases.begin(), sites->prune.chrome_phrases.end(), "share this story") !=
          sites->prune.chrome_phrases.end());

    auto bad_key = load_rules_from({{"sites/default.toml", "id = \"site.default\"\n[main_text]\nlink_words = 3\n"}});
    REQUIRE(bad_key);
    auto e = load_site_rules(*bad_key);
    REQUIRE_FALSE(e);
    CHECK(e.error().code == ErrorCode::config);
    CHECK(e.error().message.find("link_words") != std::string::npos);
    CHECK(e.error().message.find("sites/default.toml") != std::string::npos);

    auto empty =
        load_rules_from({{"sites/default.toml", "id = \"site.default\"\n[main_text]\nlead_phrases = [\"  \"]\n"}});
    REQUIRE(empty);
    auto e2 = load_site_rules(*empty);
    REQUIRE_FALSE(e2);
    CHECK(e2.error().message.find("lead_phrases") != std::string::npos);
}

TEST_CASE("the one <article> whose microdata says it is the article wins over longer teasers", "[unit]") {
    std::string teasers;
    for (int i = 0; i < 3; ++i)
        teasers += "<article class=\"postbox\">" + kStory + kStory + "</article>";
    const auto doc = extract_body(
        "<div id=\"primary\"><article itemscope itemtype=\"http://schema.org/BlogPosting\"><p>Viver "
        "uma verdadeira experiência amorosa é um dos maiores prazeres da vida.</p></article>" +
        teasers + "</div>");
    REQUIRE(doc.blocks.size() == 1);
    CHECK(doc.blocks[0].text.starts_with("Viver uma verdadeira"));
    CHECK(doc.extraction_stage == "article-element");
    // Without the declaration no <article> holds enough of the page's prose, and their container is read whole.
    const auto plain = extract_body(
        "<div id=\"primary\"><article><p>Viver uma verdadeira experiência amorosa é um dos "
        "maiores prazeres da vida.</p></article>" +
        teasers + "</div>");
    CHECK(plain.blocks.size() == 19);
    CHECK(plain.extraction_stage == "density");
}

TEST_CASE("a slideshow's captions leave with every copy; prose a page repeats in paragraphs stays", "[unit]") {
    const std::string caption = "U.S. Defense Secretary Mark Esper, left, shakes hands in Hanoi, Vietnam, Wednesday.";
    const auto doc = extract_body("<article><ul class=\"slides\"><li>" + caption + "</li><li>" + caption +
                                  "</li></ul><p>" + caption + "</p>" + kStory + "<p>" + caption + "</p></article>");
    CHECK_FALSE(has(doc, caption));
    CHECK(doc.blocks.size() == 3);
    const std::string lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor.";
    const auto repeated = extract_body("<article><p>" + lorem + "</p><p>" + lorem + "</p>" + kStory + "</article>");
    CHECK(repeated.blocks.size() == 5);
}

TEST_CASE("furniture tests never take what provcheck checks or cites", "[unit]") {
    // A quotation printed in a list of key points and again in the body stays, both times.
    const std::string said = "“We are ready to build,” the mayor said on Tuesday.";
    const auto twice =
        extract_body("<article><ul><li>" + said + "</li></ul>" + kStory + "<p>" + said + "</p></article>");
    CHECK(std::count_if(twice.blocks.begin(), twice.blocks.end(), [&](const Block& b) { return b.text == said; }) == 2);
    // Links to other sites cite sources: a paragraph, a capitals link, a teaser-like phrase, a heading.
    const auto cited =
        extract_body("<article>" + kStory +
                     "<p><a href=\"https://courts.example.gov/ruling.pdf\">Click here to read the full "
                     "ruling.</a></p><p><a href=\"https://courts.example.gov/full\">FULL TEXT OF THE "
                     "RULING</a></p><p>Read more about the study <a href=\"https://journal.example.net/a\">in "
                     "the journal</a>.</p><h3><a href=\"https://www.who.int/report\">WHO report on measles, "
                     "2019</a></h3></article>");
    CHECK(has(cited, "Click here to read the full ruling."));
    CHECK(has(cited, "FULL TEXT OF THE RULING"));
    CHECK(has(cited, "Read more about the study in the journal."));
    CHECK(has(cited, "WHO report on measles, 2019"));
    CHECK(cited.links.size() == 4);
    // A quotation whose words are the headline's, a quotation ending in an agency's initials, a list of firms.
    const auto quoted =
        extract_body("<article><h1>‘We will not back down’</h1><p>“We will not back down.”</p>" + kStory +
                         "<p>“We will protect the children,” said the head of the Environmental Protection "
                         "Agency (EPA)</p><p>The companies fined were:</p><ul><li>Google</li><li>Facebook"
                         "</li><li>Twitter</li></ul></article>",
                     "<title>We will not back down</title>");
    CHECK(has(quoted, "“We will not back down.”"));
    CHECK(has(quoted, "“We will protect the children,” said the head of the Environmental Protection Agency (EPA)"));
    CHECK(has(quoted, "Twitter"));
    // A one-word byline is an agency's name, not a line to look for.
    const auto agency =
        extract_body("<article>" + kStory + "<p>The company told Reuters it would appeal.</p></article>",
                     "<title>Dam talks collapse</title><meta name=\"author\" content=\"Reuters\">");
    CHECK(has(agency, "The company told Reuters it would appeal."));
}

TEST_CASE("a teaser card declared an article after the story does not replace it", "[unit]") {
    const auto doc =
        extract_body("<article>" + kStory + kStory +
                     "</article><aside class=\"x\"></aside><div><article "
                     "itemscope itemtype=\"https://schema.org/NewsArticle\"><h3>Other story</h3><p>A teaser of "
                     "another story.</p></article></div>");
    CHECK(doc.blocks.front().text.starts_with("Talks over the Norland dam"));
    CHECK_FALSE(has(doc, "A teaser of another story."));
}

TEST_CASE("forms nested by broken markup are read once each", "[unit]") {
    // <form><p>x</p><div></form> leaves the <div> open, so each next form is parsed inside the one before.
    std::string html;
    for (int i = 0; i < 300; ++i)
        html += "<form><p>x</p><div></form>";
    auto doc =
        extract_document("<html><body>" + html + "</body></html>", "https://example.org/f.html", test::builtin_rules());
    REQUIRE(doc.has_value());
}
