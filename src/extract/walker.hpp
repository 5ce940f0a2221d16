// Reading the chosen container into Blocks, the links in them and the <q> ranges, in reading order: what the
// quotation finder and the attribution stage see. What is never read (boilerplate, hidden or never-text elements)
// is decided here too, because the density stage must leave out the same elements when it scores the page.
// Internal to src/extract.
#pragma once

#include <gumbo.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/types.hpp"
#include "extract/extract.hpp"
#include "extract/quotes.hpp"
#include "extract/tag_selector.hpp"

namespace provcheck::extract_detail {

// ---------------------------------------------------------------------------------------------
// Whitespace collapsing that remembers where each input byte went, so that link and <q> offsets taken while
// reading can be moved into the collapsed text. Same folding as core collapse_whitespace.

struct Collapsed {
    std::string text;
    // pos[i]: output size when input byte i is reached. Four bytes for each byte of a block's raw text (a hostile
    // paragraph of millions of quotations is some tens of megabytes); collapse_with_map cuts a block's raw text at
    // 4 GiB.
    std::vector<std::uint32_t> pos;
    std::vector<bool> pending;  // a folded space is waiting to be written before the next character

    [[nodiscard]] std::size_t start_of(std::size_t raw) const noexcept {
        std::size_t s = std::size_t{pos[raw]} + (pending[raw] ? 1 : 0);
        s = std::min(s, text.size());
        while (s < text.size() && text[s] == ' ')
            ++s;
        return s;
    }
    [[nodiscard]] std::size_t end_of(std::size_t raw) const noexcept {
        return std::min<std::size_t>(pos[raw], text.size());
    }
};

// Into `c`, whose buffers are reused from block to block.
void collapse_with_map(std::string_view raw, Collapsed& c);

// ---------------------------------------------------------------------------------------------
// What to drop

struct DropRules {
    std::vector<TagSelector> selectors;
    const std::vector<std::string>* words = nullptr;             // nullptr: class/id words not applied
    const std::vector<std::string>* layout_modifiers = nullptr;  // modifiers that do not mark (marks_boilerplate)
    const std::vector<std::string>* body_classes = nullptr;      // a class naming the article's body: no marking
    const std::vector<std::string>* callout_labels = nullptr;    // a blockquote headed so is a box (callout_box)
    // An element read although an inline style hides it: the wrapper around a whole page that its script shows
    // once loaded (hidden_page_wrapper); every other hidden element stays dropped.
    const GumboNode* shown = nullptr;
};

// An element the page declares to be the article's body: [itemprop=articleBody].
[[nodiscard]] bool declared_body(const GumboNode* n);
// A node skipped with its subtree: a template, an element that never holds text or that an inline style hides,
// and below <body> an element matching a drop selector or (when `d.words` is set) whose class or id holds a
// boilerplate word.
[[nodiscard]] bool dropped(const GumboNode* n, const DropRules& d);
// The outermost element under `body` that an inline style hides and that holds most of the page's words (at least
// three in five), as on pages that hide everything until their script has run; nullptr when there is none.
[[nodiscard]] const GumboNode* hidden_page_wrapper(const GumboNode* body);

// ---------------------------------------------------------------------------------------------
// Reading the main text

// Elements that end the block being read and start one of their own.
[[nodiscard]] bool block_tag(GumboTag t) noexcept;
// A <blockquote> that a box's label opens, set apart in bold or as a heading and one of `labels` (lower case,
// without a closing colon): "<blockquote><strong>Summary</strong><p>…</p></blockquote>" holds the page's own words.
[[nodiscard]] bool callout_box(const GumboNode* bq, const std::vector<std::string>& labels);
// Elements that set text as code: <code>, <pre>, <kbd>, <samp>.
[[nodiscard]] bool code_tag(GumboTag t) noexcept;
// `s` holds a character that is not white space.
[[nodiscard]] bool has_visible_text(std::string_view s);

// Reads the chosen nodes into `doc`: blocks, their links and tweet embeds, and each block's <q> ranges into
// `element_quotes`. Links past limits.max_links and embeds past limits.max_quotations are counted in `doc`.
// Everything passed in must outlive the Walker.
class Walker {
public:
    Walker(Document& doc, std::vector<std::vector<TextRange>>& element_quotes, const DropRules& drop, std::string base,
           const ExtractLimits& limits)
        : doc_(doc), element_quotes_(element_quotes), drop_(drop), base_(std::move(base)), limits_(limits) {}

    void walk(const std::vector<const GumboNode*>& roots);

    // For each block read, whether it is the first text after an <img> and says what the image's alt text says:
    // the picture's caption, printed under it ("The slimmer bezels of the 16-inch MacBook Pro").
    [[nodiscard]] const std::vector<bool>& image_captions() const noexcept { return image_captions_; }

private:
    struct RawLink {
        std::string href;
        std::string url;
        std::size_t raw_start = 0;
        std::size_t raw_end = 0;
        const GumboNode* node = nullptr;
        bool open = true;
    };
    struct RawQuote {
        std::size_t raw_start = 0;
        std::size_t raw_end = 0;
        const GumboNode* node = nullptr;
        bool open = true;
    };
    struct RawBlock {
        BlockKind kind = BlockKind::paragraph;
        std::string raw;
        std::size_t html_offset = 0;
        bool has_offset = false;
        std::vector<RawLink> links;
        std::vector<RawQuote> quotes;
        std::vector<std::pair<std::size_t, std::size_t>> code;  // raw offsets of code closed in the block
    };

    [[nodiscard]] BlockKind inherited() const noexcept { return ctx_.empty() ? BlockKind::paragraph : ctx_.back(); }
    [[nodiscard]] BlockKind kind_for(GumboTag t) const noexcept;
    [[nodiscard]] std::string resolve(std::string_view href) const;

    // Walks `root` with an explicit stack. In inline mode (a tweet's text) block elements only separate words.
    void run(const GumboNode* root, bool inline_only);
    void text(const GumboNode* n);
    // Returns whether to descend into the element.
    bool enter(const GumboNode* n, bool is_root, bool inline_only);
    void leave(const GumboNode* n, bool inline_only);
    // The number of the block quotation that element `n` credits, or -1: a <footer>, or a <cite> or <small> that
    // ends its parent, opening a line inside a <blockquote> ("— Jane Smith, Riverside"); or the <figcaption> of a
    // <figure> right after the <blockquote> it holds.
    [[nodiscard]] int credit_group(const GumboNode* n) const;
    // Ends the block being read: appends it (if it has text) and its links. Returns its index or -1.
    int flush();
    // A <blockquote class="twitter-tweet">: the post's text (its <p>), then "— Name (@handle) <a>date</a>".
    void tweet(const GumboNode* bq);
    // A <blockquote class="instagram-media">: the caption (its first <p> that is not the signature), then
    // "A post shared by <a>Name</a> (@handle) on <date>"; the post's address in data-instgrm-permalink. Its
    // "View this post on Instagram" and the like are no text of the article.
    void instagram(const GumboNode* bq);

    Document& doc_;
    std::vector<std::vector<TextRange>>& element_quotes_;
    const DropRules& drop_;
    std::string base_;
    const ExtractLimits& limits_;
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    // For each <a> and <q> element being read, innermost last: its entry in cur_ (npos: none, or gone with a
    // block that ended inside it).
    std::vector<std::size_t> open_links_;
    std::vector<std::size_t> open_quotes_;
    // Code elements open around the walk (<code> inside <pre> counts once), and where in the block's raw text the
    // outermost began.
    std::size_t code_depth_ = 0;
    std::size_t code_start_ = 0;
    RawBlock cur_;
    std::vector<BlockKind> ctx_;
    std::vector<int> open_blockquotes_;             // numbers of the <blockquote> elements open, innermost last
    int blockquotes_ = 0;                           // how many have been opened, for Block::quote_group
    const GumboNode* closed_blockquote_ = nullptr;  // the last <blockquote> closed, and its number
    int closed_blockquote_number_ = -1;
    const GumboNode* credit_node_ = nullptr;  // the credit line being read (credit_group), and what it credits
    int credit_of_ = -1;
    Collapsed collapsed_;
    std::string alt_;                   // folded alt text of the last <img>, until the next block with text
    std::vector<bool> image_captions_;  // by block index
};

}  // namespace provcheck::extract_detail
