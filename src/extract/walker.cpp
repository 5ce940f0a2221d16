#include "extract/walker.hpp"

#include <limits>

#include "core/text.hpp"
#include "core/url.hpp"
#include "extract/dom.hpp"
#include "extract/embeds.hpp"
#include "extract/site_rules.hpp"
#include "extract/utf8.hpp"

namespace provcheck::extract_detail {

using namespace dom;

void collapse_with_map(std::string_view raw, Collapsed& c) {
    if (raw.size() >= std::numeric_limits<std::uint32_t>::max())
        raw = raw.substr(0, std::numeric_limits<std::uint32_t>::max() - 1);
    c.text.clear();
    c.text.reserve(raw.size());
    c.pos.assign(raw.size() + 1, 0);
    c.pending.assign(raw.size() + 1, false);
    bool pending = false;
    std::size_t i = 0;
    while (i < raw.size()) {
        const auto cp = utf8::at(raw, i);
        for (std::size_t k = i; k < i + cp.len; ++k) {
            c.pos[k] = static_cast<std::uint32_t>(c.text.size());
            c.pending[k] = pending && !c.text.empty();
        }
        if (utf8::is_space(cp.cp)) {
            pending = !c.text.empty();
        } else if (cp.cp == 0xAD || cp.cp == 0x2060 || cp.cp == 0xFEFF) {
            // A soft hyphen, a word joiner or a stray byte-order mark: invisible inside a word ("Wal\u00ADcott"
            // reads "Walcott"), so the text a reader copies holds none of them.
        } else {
            if (pending) c.text.push_back(' ');
            pending = false;
            c.text.append(raw.substr(i, cp.len));
        }
        i += cp.len;
    }
    c.pos[raw.size()] = static_cast<std::uint32_t>(c.text.size());
}

namespace {

// An inline style that hides the element: readers never see its text.
bool hidden_style(std::string_view style) {
    // Compared with white space removed and ASCII case folded, without building the folded copy.
    auto matches_at = [&](std::size_t i, std::string_view want) {
        std::size_t k = 0;
        for (; i < style.size() && k < want.size(); ++i) {
            const char c = style[i];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
            const char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
            if (l != want[k++]) return false;
        }
        return k == want.size();
    };
    for (std::size_t i = 0; i < style.size(); ++i) {
        const char c = style[i];
        if ((c == 'd' || c == 'D') && matches_at(i, "display:none")) return true;
        if ((c == 'v' || c == 'V') && matches_at(i, "visibility:hidden")) return true;
    }
    return false;
}

// An id of five or more words ("sharing-with-a-single-developer") is made from a heading's text, as documentation
// generators and wikis make them; its words say what the section is about, not what role the element plays.
bool heading_slug(std::string_view id) noexcept {
    std::size_t parts = 1;
    for (const char c : id) {
        if (c == '-' || c == '_') ++parts;
    }
    return parts >= 5;
}

// A <form> around the whole page, as ASP.NET WebForms pages have, is a wrapper and not a form a reader fills
// in: it holds the story (an <article>, <main> or [itemprop=articleBody]) or at least five paragraphs. Only a form
// inside no other form can be one (a form inside another, which broken markup makes possible, is a form), so the
// forms searched hold disjoint parts of the page and the work stays linear; the search stops at the answer.
bool page_wrapping_form(const GumboNode* form) {
    for (const GumboNode* p = form->parent; p != nullptr; p = p->parent) {
        if (is_element(p) && p->v.element.tag == GUMBO_TAG_FORM) return false;
    }
    constexpr int kParagraphs = 5;
    int paragraphs = 0;
    std::vector<const GumboNode*> stack{form};
    while (!stack.empty()) {
        const GumboNode* n = stack.back();
        stack.pop_back();
        if (!is_element(n)) continue;
        const GumboTag t = n->v.element.tag;
        if (n != form && (t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_MAIN || declared_body(n))) return true;
        if (t == GUMBO_TAG_P && ++paragraphs >= kParagraphs) return true;
        const GumboVector& kids = n->v.element.children;
        for (unsigned i = kids.length; i > 0; --i)
            stack.push_back(static_cast<const GumboNode*>(kids.data[i - 1]));
    }
    return false;
}

}  // namespace

const GumboNode* hidden_page_wrapper(const GumboNode* body) {
    if (body == nullptr) return nullptr;
    // Words under each node, counted once bottom-up over an explicit stack (no recursion on deep pages).
    struct Frame {
        const GumboNode* node;
        std::size_t words_before;
        bool expanded;
    };
    std::size_t words = 0;
    const GumboNode* best = nullptr;
    std::size_t best_words = 0;
    std::vector<Frame> stack{{body, 0, false}};
    while (!stack.empty()) {
        Frame& f = stack.back();
        const GumboNode* n = f.node;
        if (f.expanded) {
            if (is_element(n)) {
                if (const auto style = attr(n, "style"); style && hidden_style(*style)) {
                    const std::size_t inside = words - f.words_before;
                    if (inside >= best_words) {  // an ancestor closes after its descendants, so the outermost wins
                        best = n;
                        best_words = inside;
                    }
                }
            }
            stack.pop_back();
            continue;
        }
        f.expanded = true;
        f.words_before = words;
        if (n->type == GUMBO_NODE_TEXT) {
            bool in_word = false;
            for (const char c : std::string_view(n->v.text.text)) {
                const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
                if (!space && !in_word) ++words;
                in_word = !space;
            }
            continue;
        }
        if (!is_element(n) || never_text(n)) continue;
        const GumboVector& kids = n->v.element.children;
        for (unsigned i = kids.length; i > 0; --i)
            stack.push_back({static_cast<const GumboNode*>(kids.data[i - 1]), 0, false});
    }
    constexpr std::size_t kShareNum = 3, kShareDen = 5;
    return best != nullptr && best_words * kShareDen >= words * kShareNum ? best : nullptr;
}

bool declared_body(const GumboNode* n) {
    const auto itemprop = attr(n, "itemprop");
    return itemprop && iequals(trim(*itemprop), "articleBody");
}

bool dropped(const GumboNode* n, const DropRules& d) {
    if (n->type == GUMBO_NODE_TEMPLATE) return true;
    if (!is_element(n)) return false;
    if (never_text(n)) return true;
    if (const auto style = attr(n, "style"); style && hidden_style(*style) && n != d.shown) return true;
    const GumboTag t = n->v.element.tag;
    if (t == GUMBO_TAG_HTML || t == GUMBO_TAG_BODY) return false;
    if (matches_any(n, d.selectors)) return t != GUMBO_TAG_FORM || !page_wrapping_form(n);
    // The page's own containers carry words like "has-sidebar" about their neighbours, not themselves; and an
    // element the page declares to be the article's body is that whatever its class or id says.
    if (d.words != nullptr && t != GUMBO_TAG_MAIN && t != GUMBO_TAG_ARTICLE && !declared_body(n)) {
        static const std::vector<std::string> none;
        const auto& layout = d.layout_modifiers != nullptr ? *d.layout_modifiers : none;
        if (const auto c = attr(n, "class"); c && marks_boilerplate(*c, *d.words, layout) &&
                                             !(d.body_classes != nullptr && has_class(*c, *d.body_classes)))
            return true;
        if (const auto id = attr(n, "id"); id && !heading_slug(*id) && marks_boilerplate(*id, *d.words, layout))
            return true;
    }
    return false;
}

bool callout_box(const GumboNode* bq, const std::vector<std::string>& labels) {
    if (labels.empty()) return false;
    // The first words the box shows, and the element that sets them apart.
    const GumboNode* first = nullptr;
    preorder(bq, [&](const GumboNode* n) {
        if (first != nullptr || never_text(n)) return false;
        if (is_text(n) && has_visible_text(n->v.text.text)) first = n;
        return first == nullptr;
    });
    if (first == nullptr || first->parent == nullptr || first->parent == bq) return false;
    const GumboNode* label = first->parent;
    switch (label->v.element.tag) {
        case GUMBO_TAG_STRONG:
        case GUMBO_TAG_B:
        case GUMBO_TAG_H2:
        case GUMBO_TAG_H3:
        case GUMBO_TAG_H4:
        case GUMBO_TAG_H5:
        case GUMBO_TAG_H6:
            break;
        default:
            return false;
    }
    constexpr std::size_t kMaxLabel = 40;  // a label is a few words; a bold sentence is read as it is
    // (Read no further than a label's length with room for the page's white space.)
    constexpr std::size_t kMaxLabelBytes = 256;
    constexpr std::size_t kMaxLabelNodes = 32;
    const auto shown = short_text(label, kMaxLabelBytes, kMaxLabelNodes);
    if (!shown) return false;
    const std::string lowered = lowered_text(*shown);
    std::string_view text = trim(lowered);
    while (!text.empty() && (text.back() == ':' || text.back() == ' '))
        text.remove_suffix(1);
    return text.size() <= kMaxLabel && std::find(labels.begin(), labels.end(), text) != labels.end();
}

bool code_tag(GumboTag t) noexcept {
    return t == GUMBO_TAG_CODE || t == GUMBO_TAG_PRE || t == GUMBO_TAG_KBD || t == GUMBO_TAG_SAMP;
}

bool block_tag(GumboTag t) noexcept {
    switch (t) {
        case GUMBO_TAG_ADDRESS:
        case GUMBO_TAG_ARTICLE:
        case GUMBO_TAG_ASIDE:
        case GUMBO_TAG_BLOCKQUOTE:
        case GUMBO_TAG_CENTER:
        case GUMBO_TAG_DETAILS:
        case GUMBO_TAG_DD:
        case GUMBO_TAG_DIV:
        case GUMBO_TAG_DL:
        case GUMBO_TAG_DT:
        case GUMBO_TAG_FIELDSET:
        case GUMBO_TAG_FIGCAPTION:
        case GUMBO_TAG_FIGURE:
        case GUMBO_TAG_FOOTER:
        case GUMBO_TAG_FORM:
        case GUMBO_TAG_H1:
        case GUMBO_TAG_H2:
        case GUMBO_TAG_H3:
        case GUMBO_TAG_H4:
        case GUMBO_TAG_H5:
        case GUMBO_TAG_H6:
        case GUMBO_TAG_HEADER:
        case GUMBO_TAG_HGROUP:
        case GUMBO_TAG_HR:
        case GUMBO_TAG_LI:
        case GUMBO_TAG_MAIN:
        case GUMBO_TAG_NAV:
        case GUMBO_TAG_OL:
        case GUMBO_TAG_P:
        case GUMBO_TAG_PRE:
        case GUMBO_TAG_SECTION:
        case GUMBO_TAG_SUMMARY:
        case GUMBO_TAG_TABLE:
        case GUMBO_TAG_CAPTION:
        case GUMBO_TAG_TBODY:
        case GUMBO_TAG_THEAD:
        case GUMBO_TAG_TFOOT:
        case GUMBO_TAG_TR:
        case GUMBO_TAG_TD:
        case GUMBO_TAG_TH:
        case GUMBO_TAG_UL:
        case GUMBO_TAG_BODY:
        case GUMBO_TAG_HTML:
            return true;
        default:
            return false;
    }
}

bool has_visible_text(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = utf8::at(s, i);
        if (!utf8::is_space(c.cp)) return true;
        i += c.len;
    }
    return false;
}

void Walker::walk(const std::vector<const GumboNode*>& roots) {
    for (const GumboNode* root : roots) {
        ctx_.clear();
        open_blockquotes_.clear();
        closed_blockquote_ = nullptr;
        credit_node_ = nullptr;
        credit_of_ = -1;
        open_links_.clear();
        open_quotes_.clear();
        code_depth_ = 0;
        code_start_ = 0;
        cur_ = RawBlock{};
        alt_.clear();
        run(root, false);
        flush();
    }
}

BlockKind Walker::kind_for(GumboTag t) const noexcept {
    switch (t) {
        case GUMBO_TAG_H1:
        case GUMBO_TAG_H2:
        case GUMBO_TAG_H3:
        case GUMBO_TAG_H4:
        case GUMBO_TAG_H5:
        case GUMBO_TAG_H6:
            return BlockKind::heading;
        case GUMBO_TAG_LI:
        case GUMBO_TAG_DT:
        case GUMBO_TAG_DD:
            return BlockKind::list_item;
        case GUMBO_TAG_BLOCKQUOTE:
            return BlockKind::blockquote;
        // A table's cells and preformatted text are not prose, even inside a blockquote (a release table or a
        // code listing set off as a block is no one's words).
        case GUMBO_TAG_TABLE:
        case GUMBO_TAG_TR:
        case GUMBO_TAG_CAPTION:
        case GUMBO_TAG_PRE:
            return inherited() == BlockKind::blockquote ? BlockKind::paragraph : inherited();
        default:
            return inherited();
    }
}

std::string Walker::resolve(std::string_view href) const {
    const std::string_view h = trim(href);
    if (h.empty() || h.front() == '#' || istarts_with(h, "javascript:")) return {};
    if (auto r = resolve_url(base_, h)) return *r;
    if (is_http_url(h)) return normalize_url(h).value_or(std::string(h));
    return {};
}

void Walker::run(const GumboNode* root, bool inline_only) {
    std::vector<std::pair<const GumboNode*, bool>> stack{{root, false}};
    while (!stack.empty()) {
        const auto [n, leaving] = stack.back();
        stack.pop_back();
        if (leaving) {
            leave(n, inline_only);
            continue;
        }
        if (is_text(n)) {
            text(n);
            continue;
        }
        // A block quotation's credit line is read whatever its class says ("blockquote-footer"): it names who
        // spoke, not the page.
        if (!is_element(n) || (n != root && dropped(n, drop_) && (inline_only || credit_group(n) < 0))) continue;
        if (!enter(n, n == root, inline_only)) continue;
        stack.emplace_back(n, true);
        const GumboVector& kids = children_of(n);
        for (unsigned i = kids.length; i > 0; --i)
            stack.emplace_back(child(kids, i - 1), false);
    }
}

void Walker::text(const GumboNode* n) {
    const std::string_view t = n->v.text.text;
    if (!cur_.has_offset && has_visible_text(t)) {
        cur_.html_offset = n->v.text.start_pos.offset;
        cur_.has_offset = true;
    }
    cur_.raw += t;
}

namespace {

// Only white space and dashes: what may stand before a credit's name on its line ("— <cite>Jane Smith</cite>").
bool dashes_only(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = utf8::at(s, i);
        if (!utf8::is_space(c.cp) && c.cp != U'-' && c.cp != U'\u2013' && c.cp != U'\u2014' && c.cp != U'\u2015')
            return false;
        i += c.len;
    }
    return true;
}

// No text after element `n` inside its parent: it ends the parent.
// Looked at a few nodes at most: a page of thousands of empty elements after each <cite> must not be read again for
// every one; past the bound the element is taken not to end its parent. (Depth first, each node's children taken one
// at a time, so that no node's children are all listed.)
bool ends_parent(const GumboNode* n) {
    constexpr std::size_t kMaxNodes = 64;
    const GumboNode* parent = n->parent;
    if (parent == nullptr || !is_element(parent)) return false;
    std::vector<std::pair<const GumboNode*, unsigned>> stack{{parent, n->index_within_parent + 1}};
    std::size_t seen = 0;
    while (!stack.empty()) {
        auto& [node, next] = stack.back();
        const GumboVector& kids = children_of(node);
        if (next >= kids.length) {
            stack.pop_back();
            continue;
        }
        const GumboNode* k = child(kids, next++);
        if (++seen > kMaxNodes) return false;
        if (is_text(k) && has_visible_text(k->v.text.text)) return false;
        if (is_element(k) && !never_text(k)) stack.emplace_back(k, 0U);
    }
    return true;
}

// The element before `n` in its parent, white space and comments skipped.
const GumboNode* previous_element(const GumboNode* n) {
    const GumboNode* parent = n->parent;
    if (parent == nullptr || !is_element(parent)) return nullptr;
    const GumboVector& kids = children_of(parent);
    for (unsigned i = n->index_within_parent; i > 0; --i) {
        const GumboNode* k = child(kids, i - 1);
        if (is_element(k)) return k;
        if (is_text(k) && has_visible_text(k->v.text.text)) return nullptr;
    }
    return nullptr;
}

// A paragraph that signs a testimonial: its text opens with a dash and is a few words ("– Kyle Hughes, Writer").
// Read over a bounded number of nodes and bytes.
bool dash_signature(const GumboNode* n) {
    constexpr std::size_t kMaxNodes = 32;
    constexpr std::size_t kMaxBytes = 160;
    constexpr std::size_t kMaxWords = 12;
    const auto text = short_text(n, kMaxBytes, kMaxNodes);
    if (!text) return false;
    const std::string_view t = trim(*text);
    const bool dash = t.starts_with("\u2013") || t.starts_with("\u2014") || t.starts_with("- ");
    // (A line of dialogue opens with a dash too, and ends a sentence: "– Are you coming? – Yes.")
    const bool sentence_end = !t.empty() && (t.back() == '.' || t.back() == '?' || t.back() == '!');
    return dash && !sentence_end && count_words(t) <= kMaxWords;
}

}  // namespace

int Walker::credit_group(const GumboNode* n) const {
    if (credit_node_ != nullptr || !is_element(n)) return -1;
    const GumboTag t = n->v.element.tag;
    if (t == GUMBO_TAG_FIGCAPTION) {
        const GumboNode* parent = n->parent;
        return parent != nullptr && has_tag(parent, GUMBO_TAG_FIGURE) && closed_blockquote_ != nullptr &&
                       previous_element(n) == closed_blockquote_
                   ? closed_blockquote_number_
                   : -1;
    }
    if (open_blockquotes_.empty() || !dashes_only(cur_.raw)) return -1;
    if (t == GUMBO_TAG_FOOTER) return open_blockquotes_.back();
    if ((t == GUMBO_TAG_CITE || t == GUMBO_TAG_SMALL) && ends_parent(n)) return open_blockquotes_.back();
    // A paragraph after others, opening with a dash, that signs those before it: "<blockquote><p>…</p><p>– Kyle
    // Hughes, Writer</p><p>…</p><p>– Augustus Welby, Writer</p></blockquote>".
    if (t == GUMBO_TAG_P && previous_element(n) != nullptr && dash_signature(n)) return open_blockquotes_.back();
    return -1;
}

bool Walker::enter(const GumboNode* n, bool is_root, bool inline_only) {
    const GumboTag t = n->v.element.tag;
    if (!inline_only && !is_root) {
        if (const int g = credit_group(n); g >= 0) {
            if (block_tag(t)) flush();  // a footer or a caption is a block of its own; a <cite> keeps its dash
            credit_node_ = n;
            credit_of_ = g;
        }
    }
    if (t == GUMBO_TAG_BR) {
        cur_.raw += ' ';
        return false;
    }
    if (t == GUMBO_TAG_IMG) {
        // Text already read into the block stands before the image: the caption is what comes after it.
        const auto alt = attr(n, "alt");
        // (Past a few hundred bytes of the block, text stands before the image: a page of blank runs between
        // thousands of images must not rescan them at each.)
        constexpr std::size_t kMaxLeading = 512;
        alt_ =
            alt && cur_.raw.size() <= kMaxLeading && !has_visible_text(cur_.raw) ? folded_words(*alt) : std::string{};
        return false;
    }
    if (!inline_only && !is_root && (is_tweet(n) || is_instagram(n))) {
        flush();
        if (doc_.embeds.size() >= limits_.max_quotations) {
            ++doc_.quotations_dropped;  // past the bound: neither a claim nor text
            return false;
        }
        if (is_tweet(n)) {
            tweet(n);
        } else {
            instagram(n);
        }
        return false;
    }
    if (t == GUMBO_TAG_A) {
        std::size_t index = npos;
        if (const auto href = attr(n, "href")) {
            if (doc_.links.size() + cur_.links.size() >= limits_.max_links) {
                const std::string_view h = trim(*href);
                if (!h.empty() && h.front() != '#' && !istarts_with(h, "javascript:")) ++doc_.links_dropped;
            } else if (std::string url = resolve(*href); !url.empty()) {
                index = cur_.links.size();
                cur_.links.push_back({std::string(trim(*href)), std::move(url), cur_.raw.size(), 0, n, true});
            }
        }
        open_links_.push_back(index);
    } else if (t == GUMBO_TAG_Q) {
        open_quotes_.push_back(cur_.quotes.size());
        cur_.quotes.push_back({cur_.raw.size(), 0, n, true});
    } else if (block_tag(t)) {
        if (inline_only) {
            cur_.raw += ' ';
        } else {
            flush();
            BlockKind k =
                t == GUMBO_TAG_P && inherited() == BlockKind::blockquote ? BlockKind::blockquote : kind_for(t);
            // A box the page sets its own words in ("Summary", "Key takeaways") reads as paragraphs.
            if (t == GUMBO_TAG_BLOCKQUOTE && drop_.callout_labels != nullptr && callout_box(n, *drop_.callout_labels)) {
                k = inherited() == BlockKind::blockquote ? BlockKind::paragraph : inherited();
            }
            ctx_.push_back(k);
            if (t == GUMBO_TAG_BLOCKQUOTE) open_blockquotes_.push_back(blockquotes_++);
            cur_.kind = k;
            cur_.html_offset = element_offset(n);
            cur_.has_offset = true;
        }
    }
    // (After a <pre>'s block has begun: its code starts the new block.)
    if (code_tag(t) && code_depth_++ == 0) code_start_ = cur_.raw.size();
    return true;
}

void Walker::leave(const GumboNode* n, bool inline_only) {
    const GumboTag t = n->v.element.tag;
    // (Before a <pre>'s block ends: its code is the block's.)
    if (code_tag(t) && code_depth_ > 0 && --code_depth_ == 0 && cur_.raw.size() > code_start_)
        cur_.code.emplace_back(code_start_, cur_.raw.size());
    // <a> and <q> elements open and close in tree order, so the entry an element opened is the top of its
    // stack when it closes: no search, however many links or quotations a block holds.
    if (t == GUMBO_TAG_A) {
        if (open_links_.empty()) return;
        const std::size_t i = open_links_.back();
        open_links_.pop_back();
        if (i < cur_.links.size() && cur_.links[i].node == n && cur_.links[i].open) {
            cur_.links[i].raw_end = cur_.raw.size();
            cur_.links[i].open = false;
        }
    } else if (t == GUMBO_TAG_Q) {
        if (open_quotes_.empty()) return;
        const std::size_t i = open_quotes_.back();
        open_quotes_.pop_back();
        if (i < cur_.quotes.size() && cur_.quotes[i].node == n && cur_.quotes[i].open) {
            cur_.quotes[i].raw_end = cur_.raw.size();
            cur_.quotes[i].open = false;
        }
    } else if (block_tag(t)) {
        if (inline_only) {
            cur_.raw += ' ';
        } else {
            flush();
            if (!ctx_.empty()) ctx_.pop_back();
            if (t == GUMBO_TAG_BLOCKQUOTE && !open_blockquotes_.empty()) {
                closed_blockquote_ = n;
                closed_blockquote_number_ = open_blockquotes_.back();
                open_blockquotes_.pop_back();
            }
            cur_.kind = inherited();
        }
    }
    if (n == credit_node_) {
        flush();
        credit_node_ = nullptr;
        credit_of_ = -1;
    }
}

int Walker::flush() {
    Collapsed& c = collapsed_;
    collapse_with_map(cur_.raw, c);
    int index = -1;
    if (!c.text.empty()) {
        index = static_cast<int>(doc_.blocks.size());
        doc_.blocks.push_back(Block{cur_.kind, c.text, 0, cur_.html_offset,
                                    open_blockquotes_.empty() ? -1 : open_blockquotes_.back(), credit_of_});
        element_quotes_.resize(doc_.blocks.size());
        // One word of alt text ("photo", "logo") says nothing of the picture; a caption names what it shows.
        const bool caption = alt_.find(' ') != std::string::npos && folded_words(c.text) == alt_;
        image_captions_.resize(doc_.blocks.size(), false);
        image_captions_.back() = caption;
        alt_.clear();
    }
    for (auto& l : cur_.links) {
        if (l.open) l.raw_end = cur_.raw.size();
        Link link;
        link.href = std::move(l.href);
        link.url = std::move(l.url);
        link.block = index;
        if (index >= 0) {
            link.start = c.start_of(l.raw_start);
            link.end = std::max(link.start, c.end_of(l.raw_end));
            link.anchor_text = c.text.substr(link.start, link.end - link.start);
        }
        doc_.links.push_back(std::move(link));
    }
    if (index >= 0) {
        for (const auto& q : cur_.quotes) {
            const std::size_t end = q.open ? cur_.raw.size() : q.raw_end;
            const std::size_t s = c.start_of(q.raw_start);
            const std::size_t e = std::max(s, c.end_of(end));
            if (e > s) element_quotes_[static_cast<std::size_t>(index)].emplace_back(s, e);
        }
        // Code still open runs to the block's end, and goes on in the next block.
        if (code_depth_ > 0 && cur_.raw.size() > code_start_) cur_.code.emplace_back(code_start_, cur_.raw.size());
        auto& code = doc_.blocks.back().code;
        for (const auto& [from, to] : cur_.code) {
            const std::size_t s = c.start_of(from);
            const std::size_t e = std::max(s, c.end_of(to));
            if (e > s) code.emplace_back(s, e);
        }
    }
    code_start_ = 0;
    cur_.code.clear();
    // Cleared, not replaced: the buffers serve the next block. Elements still open lose their entries.
    cur_.raw.clear();
    cur_.links.clear();
    cur_.quotes.clear();
    std::fill(open_links_.begin(), open_links_.end(), npos);
    std::fill(open_quotes_.begin(), open_quotes_.end(), npos);
    cur_.html_offset = 0;
    cur_.has_offset = false;
    cur_.kind = inherited();
    return index;
}

void Walker::tweet(const GumboNode* bq) {
    const GumboNode* para = nullptr;
    preorder(bq, [&](const GumboNode* n) {
        if (para != nullptr || !is_element(n)) return false;
        if (n != bq && has_tag(n, GUMBO_TAG_P)) {
            para = n;
            return false;
        }
        return true;
    });
    // The signature: text and links of the embed outside its <p>.
    std::string signature;
    std::vector<const GumboNode*> outside_links;
    preorder(bq, [&](const GumboNode* n) {
        if (n == para) return false;
        if (is_text(n)) signature += n->v.text.text;
        if (has_tag(n, GUMBO_TAG_A)) outside_links.push_back(n);
        return is_element(n) && !never_text(n);
    });

    const std::size_t first_link = doc_.links.size();
    cur_ = RawBlock{};
    cur_.kind = BlockKind::embed;
    cur_.html_offset = element_offset(bq);
    cur_.has_offset = true;
    if (para != nullptr) {
        run(para, true);
    } else {
        // No <p>: the signature is everything from the last dash on.
        run(bq, true);
    }
    const std::size_t before_blocks = doc_.blocks.size();
    const int index = flush();
    cur_.kind = inherited();

    Embed e;
    e.kind = "tweet";
    e.block = index;
    if (para == nullptr && index >= 0) {
        Block& b = doc_.blocks[before_blocks];
        const std::size_t dash = b.text.rfind("\u2014");
        if (dash != std::string::npos) {
            signature = b.text.substr(dash);
            b.text = std::string(trim(std::string_view(b.text).substr(0, dash)));
            for (std::size_t i = first_link; i < doc_.links.size(); ++i) {
                auto& l = doc_.links[i];
                if (l.start >= b.text.size()) {
                    l.start = b.text.size();
                    l.end = b.text.size();
                    if (is_status_url(l.url)) {
                        e.status_url = l.url;
                        if (!l.anchor_text.empty()) e.date = l.anchor_text;
                    }
                }
                l.end = std::min(l.end, b.text.size());
            }
        } else {
            signature.clear();
        }
        outside_links.clear();
    }
    if (index >= 0) e.text = doc_.blocks[static_cast<std::size_t>(index)].text;

    std::string sig = collapse_whitespace(signature);
    std::string_view s = sig;
    while (!s.empty()) {
        if (s.starts_with("\u2014") || s.starts_with("\u2013")) {
            s.remove_prefix(3);
        } else if (s.front() == '-' || s.front() == ' ') {
            s.remove_prefix(1);
        } else {
            break;
        }
    }
    std::string rest(s);
    if (const auto lp = s.find("(@"); lp != std::string_view::npos) {
        const auto rp = s.find(')', lp);
        if (rp != std::string_view::npos) {
            e.author = std::string(trim(s.substr(0, lp)));
            e.handle = std::string(s.substr(lp + 1, rp - lp - 1));
            rest = std::string(trim(s.substr(rp + 1)));
        }
    }
    if (e.date.empty()) e.date = rest;

    const std::size_t text_end = index >= 0 ? e.text.size() : 0;
    for (const GumboNode* a : outside_links) {
        const auto href = attr(a, "href");
        if (!href) continue;
        std::string url = resolve(*href);
        if (url.empty()) continue;
        Link l;
        l.href = std::string(trim(*href));
        l.url = url;
        l.anchor_text = collapse_whitespace(subtree_text(a));
        l.block = index;
        l.start = text_end;
        l.end = text_end;
        if (is_status_url(url)) {
            e.status_url = url;
            if (!l.anchor_text.empty()) e.date = l.anchor_text;
        }
        if (doc_.links.size() >= limits_.max_links) {
            ++doc_.links_dropped;
            continue;
        }
        doc_.links.push_back(std::move(l));
    }
    for (std::size_t i = first_link; i < doc_.links.size(); ++i)
        e.links.push_back(doc_.links[i]);
    doc_.embeds.push_back(std::move(e));
}

void Walker::instagram(const GumboNode* bq) {
    constexpr std::string_view kShared = "A post shared by";
    const GumboNode* caption = nullptr;
    const GumboNode* signature = nullptr;
    preorder(bq, [&](const GumboNode* n) {
        if (!is_element(n)) return false;
        if (n != bq && has_tag(n, GUMBO_TAG_P)) {
            const std::string text = collapse_whitespace(subtree_text(n));
            const std::string_view t = trim(text);
            if (t.starts_with(kShared)) {
                if (signature == nullptr) signature = n;
            } else if (caption == nullptr && !t.empty()) {
                caption = n;
            }
            return false;
        }
        return true;
    });
    Embed e;
    e.kind = "instagram";
    if (const auto link = attr(bq, "data-instgrm-permalink")) {
        std::string url = resolve(*link);
        e.status_url = url.substr(0, url.find_first_of("?#"));
    }
    if (signature != nullptr) {
        // "A post shared by <a>Name</a> (@handle) on Apr 27, 2020 at 9:24am PDT"
        const std::string sig = collapse_whitespace(subtree_text(signature));
        std::string_view s = trim(std::string_view(sig).substr(std::min(sig.size(), kShared.size())));
        if (const auto lp = s.find("(@"); lp != std::string_view::npos) {
            const auto rp = s.find(')', lp);
            if (rp != std::string_view::npos) {
                e.author = std::string(trim(s.substr(0, lp)));
                e.handle = std::string(s.substr(lp + 1, rp - lp - 1));
                s = trim(s.substr(rp + 1));
            }
        } else {
            e.author = std::string(s);
            s = {};
        }
        if (s.starts_with("on ")) s.remove_prefix(3);
        e.date = std::string(s);
    }
    int index = -1;
    const std::size_t first_link = doc_.links.size();
    if (caption != nullptr) {
        cur_ = RawBlock{};
        cur_.kind = BlockKind::embed;
        cur_.html_offset = element_offset(bq);
        cur_.has_offset = true;
        run(caption, true);
        index = flush();
        cur_.kind = inherited();
    }
    // A caption without a signature is the article's quoting of a post all the same; with neither, the embed
    // gives no words and is left out.
    if (index < 0) return;
    e.block = index;
    e.text = doc_.blocks[static_cast<std::size_t>(index)].text;
    for (std::size_t i = first_link; i < doc_.links.size(); ++i)
        e.links.push_back(doc_.links[i]);
    doc_.embeds.push_back(std::move(e));
}

}  // namespace provcheck::extract_detail
