#include "extract/extract.hpp"

#include <fmt/format.h>
#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "core/text.hpp"
#include "core/url.hpp"
#include "extract/density.hpp"
#include "extract/dom.hpp"
#include "extract/embeds.hpp"
#include "extract/html_input.hpp"
#include "extract/metadata.hpp"
#include "extract/prune.hpp"
#include "extract/quotes.hpp"
#include "extract/site_rules.hpp"
#include "extract/tag_selector.hpp"
#include "extract/walker.hpp"

namespace provcheck {

using namespace extract_detail;

namespace {

constexpr std::size_t kMaxDepth = 256;

std::string first_of(std::initializer_list<const std::string*> options) {
    for (const auto* o : options) {
        if (!o->empty()) return *o;
    }
    return {};
}

constexpr std::size_t kRescueWords = 50;

std::size_t words_in(const std::vector<Block>& blocks) noexcept {
    std::size_t n = 0;
    for (const auto& b : blocks) {
        if (b.kind != BlockKind::embed) n += count_words(b.text);
    }
    return n;
}

// Paragraphs of a plain-text article body: one per non-blank line.
std::vector<Block> blocks_from_plain_text(std::string_view text, std::size_t html_offset) {
    std::vector<Block> out;
    for (auto line : split(text, '\n')) {
        std::string t = collapse_whitespace(line);
        if (!t.empty()) out.push_back(Block{BlockKind::paragraph, std::move(t), 0, html_offset, -1});
    }
    return out;
}

}  // namespace

Result<Document> extract_document(std::string_view html, std::string_view url, const RuleSet& rules,
                                  const ExtractLimits& limits) {
    if (trim(html).empty()) return fail(ErrorCode::parse, "empty input: no HTML to read");
    if (looks_binary(html)) return fail(ErrorCode::parse, "input is binary data, not HTML");
    auto site_rules = load_site_rules(rules);
    if (!site_rules) return std::unexpected(site_rules.error());

    // Most pages are valid UTF-8 already: then a copy is enough.
    std::string src = clean_utf8(html) ? std::string(html) : sanitize_utf8(html);
    const OffsetMap offsets = strip_unread(src);
    flatten_deep_nesting(src, kMaxDepth);
    // The parser keeps a node of some hundreds of bytes per tag: a page of hundreds of thousands of tags is cut
    // at the tag past the bound, and its text counts as partial.
    std::size_t tags = 0;
    bool tags_cut = false;
    for (std::size_t i = 0; i + 1 < src.size(); ++i) {
        if (src[i] != '<') continue;
        // Start tags only: an end tag or a comment makes no node.
        if (std::isalpha(static_cast<unsigned char>(src[i + 1])) == 0) continue;
        if (++tags > limits.max_tags) {
            src.resize(i);
            tags_cut = true;
            break;
        }
    }
    const dom::GumboOutputPtr out = dom::parse_html(src);
    if (!out || out->root == nullptr) return fail(ErrorCode::parse, "the HTML parser produced no document");

    Document doc;
    doc.url = std::string(url);
    if (tags_cut) {
        doc.partial = true;
        doc.partial_reasons.push_back(
            fmt::format("the page has more than {} tags; what follows was not read", limits.max_tags));
    }
    const SiteRule* site = site_rules->for_url(doc.url);
    const PageMeta meta = read_metadata(out->root, *site_rules, site);
    std::string base = doc.url;
    if (!meta.base_href.empty()) {
        if (auto b = resolve_url(doc.url, meta.base_href)) {
            base = *b;
        } else if (is_http_url(meta.base_href)) {
            base = meta.base_href;
        }
    }
    auto absolute = [&](const std::string& u) -> std::string {
        if (u.empty()) return {};
        if (auto r = resolve_url(base, u)) return *r;
        return u;
    };
    const std::string page_title = cleaned_title(meta.title_tag);
    const std::string ld_title = json_ld_title(meta.ld_name, meta.ld_headline, page_title);
    doc.title = first_of({&ld_title, &meta.dc_title, &meta.og_title, &meta.meta_title, &meta.twitter_title,
                          &meta.parsely_title, &page_title});
    const std::string canonical = absolute(meta.canonical);
    const std::string og_url = absolute(meta.og_url);
    doc.canonical_url = first_of({&canonical, &og_url});
    doc.amp_url = absolute(meta.amp);
    const std::string article_author = is_http_url(meta.article_author) ? std::string{} : meta.article_author;
    doc.byline = first_of({&meta.ld_author, &meta.dc_creator, &meta.meta_author, &meta.parsely_author, &article_author,
                           &meta.page_byline});
    doc.site_name = collapse_whitespace(meta.site_name);
    doc.publisher = first_of({&meta.ld_publisher, &meta.ld_organization});
    doc.published = first_of({&meta.ld_published, &meta.published_meta, &meta.time_datetime});
    doc.modified = first_of({&meta.ld_modified, &meta.modified_meta});
    doc.language = meta.lang;
    if (meta.ld_not_free) {
        doc.partial = true;
        doc.partial_reasons.emplace_back("isAccessibleForFree: false (JSON-LD)");
        for (const auto& sel : meta.ld_locked_parts)
            doc.partial_reasons.push_back("hasPart " + sel + " is not free (JSON-LD)");
    }
    if (meta.paywall_element) {
        doc.partial = true;
        doc.partial_reasons.emplace_back("paywall element in the page");
    }
    if (!meta.truncation_marker.empty()) {
        doc.partial = true;
        doc.partial_reasons.push_back("truncation marker: \"" + meta.truncation_marker + "\"");
    }
    DropRules drop;
    drop.selectors = with_tags(site_rules->defaults.drop_selectors);
    if (site != nullptr) {
        const auto more = with_tags(site->drop_selectors);
        drop.selectors.insert(drop.selectors.end(), more.begin(), more.end());
    }
    drop.words = &site_rules->boilerplate_words;
    drop.layout_modifiers = &site_rules->layout_modifiers;
    drop.body_classes = &site_rules->body_classes;
    drop.callout_labels = &site_rules->callout_labels;

    const GumboNode* body = find_body(out->root);
    if (limits.page_text && body != nullptr) doc.page_text = dom::visible_text(body);
    const Choice choice = choose_container(body, drop, site);
    std::vector<std::vector<TextRange>> element_quotes;
    Walker walker(doc, element_quotes, drop, base, limits);
    walker.walk(choice.nodes);
    std::vector<bool> image_captions = walker.image_captions();
    doc.extraction_stage = choice.stage;
    std::size_t main_words = words_in(doc.blocks);
    // A page hidden whole by a style its script removes once loaded ("display: none" on a wrapper of nearly
    // everything) reads as the browser shows it then: only text outside the wrapper came out.
    const GumboNode* hidden_wrapper = choice.stage.starts_with("site:") ? nullptr : hidden_page_wrapper(body);
    if (doc.blocks.empty() || hidden_wrapper != nullptr ||
        (main_words < kRescueWords && !choice.stage.starts_with("site:"))) {
        // Rescue: too little came out, as on a page whose every container carries a boilerplate word
        // ("content-with-sidebar"). The body read without class/id words wins when it holds clearly more.
        Document loose_doc;
        loose_doc.url = doc.url;
        std::vector<std::vector<TextRange>> loose_quotes;
        DropRules loose = drop;
        loose.words = site_rules->rescue_boilerplate_words.empty() ? nullptr : &site_rules->rescue_boilerplate_words;
        loose.shown = hidden_wrapper;
        // The container is chosen again as well: without the words, the density stage sees the whole page.
        const Choice loose_choice = choose_container(body, loose, site);
        Walker again(loose_doc, loose_quotes, loose, base, limits);
        again.walk(loose_choice.nodes);
        const std::size_t loose_words = words_in(loose_doc.blocks);
        // Read with the hidden wrapper shown, the page holds most of its words there: more words win.
        if (doc.blocks.empty() || loose_words >= 3 * main_words + 10 ||
            (hidden_wrapper != nullptr && loose_words > main_words)) {
            main_words = loose_words;
            doc.blocks = std::move(loose_doc.blocks);
            doc.links = std::move(loose_doc.links);
            doc.embeds = std::move(loose_doc.embeds);
            doc.links_dropped = loose_doc.links_dropped;
            doc.quotations_dropped = loose_doc.quotations_dropped;
            element_quotes = std::move(loose_quotes);
            image_captions = again.image_captions();
            doc.extraction_stage = "rescue";
        }
    }
    // JSON-LD articleBody: the publisher's own plain text, taken when the markup gave clearly less of it.
    if (!meta.ld_article_body.empty() && !doc.extraction_stage.starts_with("site:")) {
        std::vector<Block> ld_blocks = blocks_from_plain_text(meta.ld_article_body, meta.ld_body_offset);
        const std::size_t ld_words = words_in(ld_blocks);
        if (2 * main_words < ld_words) {
            main_words = ld_words;
            doc.blocks = std::move(ld_blocks);
            doc.links.erase(
                std::remove_if(doc.links.begin(), doc.links.end(), [](const Link& l) { return l.block >= 0; }),
                doc.links.end());
            doc.embeds.clear();
            element_quotes.assign(doc.blocks.size(), {});
            image_captions.clear();
            doc.extraction_stage = "json-ld";
        }
    }
    // The headline printed again, datelines, repeated captions, credits and controls (rules/sites/default.toml
    // [main_text]); a site rule's body selector names the story exactly and is read as it is.
    if (!doc.extraction_stage.starts_with("site:") &&
        prune_blocks(doc, element_quotes, site_rules->prune, image_captions) > 0) {
        main_words = words_in(doc.blocks);
    }
    const bool is_article = meta.ld_seen || meta.og_type == "article";
    if (is_article && site_rules->short_body_words > 0 && main_words < site_rules->short_body_words) {
        doc.partial = true;
        doc.partial_reasons.push_back(fmt::format("very short body ({} words)", main_words));
    } else if (meta.ld_word_count > 0 && main_words * 2 < meta.ld_word_count) {
        doc.partial = true;
        doc.partial_reasons.push_back(fmt::format("body of {} words where the page declares {} (JSON-LD wordCount)",
                                                  main_words, meta.ld_word_count));
    }

    std::size_t offset = 0;
    for (auto& b : doc.blocks) {
        b.html_offset = offsets.original(b.html_offset);
        b.start = offset;
        offset += b.text.size() + 2;
    }
    add_bare_urls(doc, limits.max_links);
    element_quotes.resize(doc.blocks.size());
    std::size_t quotes_dropped = 0;
    doc.quotations = find_quotations(doc.blocks, element_quotes, limits.max_quotations, &quotes_dropped);
    doc.quotations_dropped += quotes_dropped;
    return doc;
}

}  // namespace provcheck
