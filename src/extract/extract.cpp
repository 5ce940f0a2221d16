#include "extract/extract.hpp"

#include <fmt/format.h>
#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/text.hpp"
#include "core/url.hpp"
#include "extract/dom.hpp"
#include "extract/embeds.hpp"
#include "extract/html_input.hpp"
#include "extract/metadata.hpp"
#include "extract/quotes.hpp"
#include "extract/site_rules.hpp"
#include "extract/tag_selector.hpp"
#include "extract/utf8.hpp"

namespace provcheck {

namespace {

constexpr std::size_t kMaxDepth = 256;

using namespace dom;
using namespace extract_detail;

// ---------------------------------------------------------------------------------------------
// Whitespace collapsing that remembers where each input byte went, so that link and <q> offsets taken while
// reading can be moved into the collapsed text. Same folding as core collapse_whitespace.

struct Collapsed {
    std::string text;
    std::vector<std::size_t> pos;  // pos[i]: output size when input byte i is reached
    std::vector<bool> pending;     // a folded space is waiting to be written before the next character

    [[nodiscard]] std::size_t start_of(std::size_t raw) const noexcept {
        std::size_t s = pos[raw] + (pending[raw] ? 1 : 0);
        s = std::min(s, text.size());
        while (s < text.size() && text[s] == ' ')
            ++s;
        return s;
    }
    [[nodiscard]] std::size_t end_of(std::size_t raw) const noexcept { return std::min(pos[raw], text.size()); }
};

// Into `c`, whose buffers are reused from block to block.
void collapse_with_map(std::string_view raw, Collapsed& c) {
    c.text.clear();
    c.text.reserve(raw.size());
    c.pos.assign(raw.size() + 1, 0);
    c.pending.assign(raw.size() + 1, false);
    bool pending = false;
    std::size_t i = 0;
    while (i < raw.size()) {
        const auto cp = utf8::at(raw, i);
        for (std::size_t k = i; k < i + cp.len; ++k) {
            c.pos[k] = c.text.size();
            c.pending[k] = pending && !c.text.empty();
        }
        if (utf8::is_space(cp.cp)) {
            pending = !c.text.empty();
        } else {
            if (pending) c.text.push_back(' ');
            pending = false;
            c.text.append(raw.substr(i, cp.len));
        }
        i += cp.len;
    }
    c.pos[raw.size()] = c.text.size();
}

std::string first_of(std::initializer_list<const std::string*> options) {
    for (const auto* o : options) {
        if (!o->empty()) return *o;
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// What to drop

struct DropRules {
    std::vector<TagSelector> selectors;
    const std::vector<std::string>* words = nullptr;  // nullptr: class/id words not applied
};

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

bool declared_body(const GumboNode* n) {
    const auto itemprop = attr(n, "itemprop");
    return itemprop && iequals(trim(*itemprop), "articleBody");
}

bool dropped(const GumboNode* n, const DropRules& d) {
    if (n->type == GUMBO_NODE_TEMPLATE) return true;
    if (!is_element(n)) return false;
    if (never_text(n)) return true;
    if (const auto style = attr(n, "style"); style && hidden_style(*style)) return true;
    const GumboTag t = n->v.element.tag;
    if (t == GUMBO_TAG_HTML || t == GUMBO_TAG_BODY) return false;
    if (matches_any(n, d.selectors)) return true;
    // The page's own containers carry words like "has-sidebar" about their neighbours, not themselves; and an
    // element the page declares to be the article's body is that whatever its class or id says.
    if (d.words != nullptr && t != GUMBO_TAG_MAIN && t != GUMBO_TAG_ARTICLE && !declared_body(n)) {
        if (const auto c = attr(n, "class"); c && marks_boilerplate(*c, *d.words)) return true;
        if (const auto id = attr(n, "id"); id && !heading_slug(*id) && marks_boilerplate(*id, *d.words)) return true;
    }
    return false;
}

// ---------------------------------------------------------------------------------------------
// Reading the main text

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

// ---------------------------------------------------------------------------------------------
// Choosing the article container

struct Choice {
    std::vector<const GumboNode*> nodes;  // read in this order: the container, or it and its kept siblings
    std::string stage;
};

const GumboNode* find_body(const GumboNode* root) {
    const GumboNode* body = nullptr;
    preorder(root, [&](const GumboNode* n) {
        if (body != nullptr) return false;
        if (has_tag(n, GUMBO_TAG_BODY)) body = n;
        return is_element(n) && body == nullptr && !has_tag(n, GUMBO_TAG_HEAD);
    });
    return body != nullptr ? body : root;
}

// Length of `s` as collapse_whitespace would leave it, counting ASCII white space only: the density scores
// compare lengths, and a byte test is enough for that.
double visible_length(std::string_view s) noexcept {
    std::size_t n = 0;
    bool gap = false;
    for (const char c : s) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
            gap = n > 0;
        } else {
            n += gap ? 2 : 1;
            gap = false;
        }
    }
    return static_cast<double>(n);
}

// Elements whose own text reads as a paragraph. A <div> or <section> holding text directly is one as well:
// many pages write every paragraph as a <div>.
bool paragraph_tag(GumboTag t) noexcept {
    switch (t) {
        case GUMBO_TAG_P:
        case GUMBO_TAG_PRE:
        case GUMBO_TAG_DIV:
        case GUMBO_TAG_SECTION:
        case GUMBO_TAG_ARTICLE:
        case GUMBO_TAG_MAIN:
        case GUMBO_TAG_CENTER:
            return true;
        default:
            return false;
    }
}

// One element of the body as the density stage sees it; elements are numbered in document order, so a subtree
// is the index range (index, last].
struct Scored {
    const GumboNode* node = nullptr;
    int parent = -1;
    std::size_t last = 0;      // index of the last element in this subtree
    double own_text = 0;       // text directly inside, not inside a child block element
    double own_link = 0;       // the part of own_text inside links
    double paragraphs = 0;     // paragraph text in the subtree
    double prose = 0;          // the part of it in paragraphs that are not mostly links
    double text = 0;           // all text in the subtree
    double score = 0;          // paragraph text credited to this element as a container
    bool block_child = false;  // holds a block element
};

// A paragraph's text counts for its container in full and for the container's parent by half; text that is mostly
// link text (menus, lists of stories) counts for nothing.
void credit(std::vector<Scored>& el, int container, double len) {
    if (container < 0) return;
    el[static_cast<std::size_t>(container)].score += len;
    const int up = el[static_cast<std::size_t>(container)].parent;
    if (up >= 0) el[static_cast<std::size_t>(up)].score += len / 2;
}

// Paragraphs shorter than this are labels, captions or buttons, unless they are a <p>.
constexpr double kMinParagraph = 25;
// Candidates within this share of the best one that sit under a common ancestor show the text is spread over
// several containers (sections of one story, the cards of a front page); the ancestor is then the container.
constexpr double kNearBest = 0.75;
constexpr int kSpreadCandidates = 3;
// Siblings of the container scoring at least this share of it are part of the text (a story split around a
// figure or a pull quote).
constexpr double kSiblingShare = 0.2;
// An ancestor whose text outside the container is at least this share prose is part of the story.
constexpr double kProseShare = 0.6;

Choice choose_container(const GumboNode* body, const DropRules& drop, const SiteRule* site) {
    const std::vector<TagSelector> site_body =
        site != nullptr ? with_tags(site->body_selectors) : std::vector<TagSelector>{};
    std::vector<const GumboNode*> site_matches(site_body.size(), nullptr);
    std::vector<int> articles;
    std::vector<Scored> el;
    struct Frame {
        const GumboNode* node;
        int parent;  // element index
        int block;   // nearest element whose own text this text is
        bool in_link;
    };
    std::vector<Frame> stack{{body, -1, -1, false}};
    while (!stack.empty()) {
        const Frame f = stack.back();
        stack.pop_back();
        const GumboNode* n = f.node;
        if (is_text(n)) {
            if (f.block < 0) continue;
            const double len = visible_length(n->v.text.text);
            Scored& b = el[static_cast<std::size_t>(f.block)];
            b.own_text += len;
            if (f.in_link) b.own_link += len;
            continue;
        }
        if (!is_element(n)) continue;
        if (n != body && dropped(n, drop)) continue;
        const int index = static_cast<int>(el.size());
        el.push_back(Scored{.node = n, .parent = f.parent});
        const GumboTag t = n->v.element.tag;
        const bool block = block_tag(t) || n == body;
        if (block && f.parent >= 0) el[static_cast<std::size_t>(f.parent)].block_child = true;
        for (std::size_t i = 0; i < site_matches.size(); ++i) {
            if (site_matches[i] == nullptr && matches(n, site_body[i])) site_matches[i] = n;
        }
        if (t == GUMBO_TAG_ARTICLE || declared_body(n)) articles.push_back(index);
        // Inside a <p> everything is the paragraph's own text, whatever the markup nests in it.
        const bool own =
            block && (f.block < 0 || el[static_cast<std::size_t>(f.block)].node->v.element.tag != GUMBO_TAG_P);
        const Frame child_frame{nullptr, index, own ? index : f.block, f.in_link || t == GUMBO_TAG_A};
        const GumboVector& kids = children_of(n);
        for (unsigned i = kids.length; i > 0; --i) {
            Frame c = child_frame;
            c.node = child(kids, i - 1);
            stack.push_back(c);
        }
    }
    if (el.empty()) return {{body}, "whole-body"};

    // Children follow their parent in document order: one backward sweep sums subtrees and credits containers.
    for (std::size_t i = 0; i < el.size(); ++i)
        el[i].last = i;
    for (std::size_t i = el.size(); i-- > 0;) {
        Scored& e = el[i];
        const GumboTag t = e.node->v.element.tag;
        const bool is_p = t == GUMBO_TAG_P;
        e.text += e.own_text;
        if (e.own_text > 0 && paragraph_tag(t) && e.node != body && (is_p || e.own_text >= kMinParagraph)) {
            e.paragraphs += e.own_text;
            if (e.own_link < 0.5 * e.own_text) {
                e.prose += e.own_text;
                // A <p>, or an element holding only text, is a paragraph of its parent; one that mixes text with
                // block children is itself the container of the paragraph its loose text forms.
                credit(el, is_p || t == GUMBO_TAG_PRE || !e.block_child ? e.parent : static_cast<int>(i), e.own_text);
            }
        }
        if (e.parent >= 0) {
            Scored& p = el[static_cast<std::size_t>(e.parent)];
            p.paragraphs += e.paragraphs;
            p.prose += e.prose;
            p.text += e.text;
            p.last = std::max(p.last, e.last);
        }
    }
    const double total = el.front().paragraphs;

    for (std::size_t i = 0; i < site_matches.size(); ++i) {
        if (site_matches[i] != nullptr && has_visible_text(subtree_text(site_matches[i]))) {
            std::string_view id = site->id;
            if (id.starts_with("site.")) id.remove_prefix(5);
            return {{site_matches[i]}, "site:" + std::string(id)};
        }
    }
    int best_article = -1;
    for (const int a : articles) {
        if (best_article < 0 ||
            el[static_cast<std::size_t>(a)].paragraphs > el[static_cast<std::size_t>(best_article)].paragraphs) {
            best_article = a;
        }
    }
    // An <article> holding little of the page's prose is a teaser card, not the story.
    if (best_article >= 0) {
        const double p = el[static_cast<std::size_t>(best_article)].paragraphs;
        if (p > 0 && p >= 0.4 * total) return {{el[static_cast<std::size_t>(best_article)].node}, "article-element"};
    }

    int best = -1;
    for (std::size_t i = 0; i < el.size(); ++i) {
        if (el[i].score > 0 && (best < 0 || el[i].score > el[static_cast<std::size_t>(best)].score))
            best = static_cast<int>(i);
    }
    if (best < 0) return {{body}, "whole-body"};
    const double best_score = el[static_cast<std::size_t>(best)].score;

    // The strongest other candidates close to the best one; their nearest common ancestor with it, if it holds
    // enough of them, is the container.
    std::vector<int> near;
    for (std::size_t i = 0; i < el.size(); ++i) {
        if (static_cast<int>(i) != best && el[i].score >= kNearBest * best_score) near.push_back(static_cast<int>(i));
    }
    std::sort(near.begin(), near.end(), [&](int a, int b) {
        return el[static_cast<std::size_t>(a)].score > el[static_cast<std::size_t>(b)].score;
    });
    if (near.size() > 5) near.resize(5);
    if (static_cast<int>(near.size()) >= kSpreadCandidates) {
        for (int a = el[static_cast<std::size_t>(best)].parent; a >= 0; a = el[static_cast<std::size_t>(a)].parent) {
            const auto& anc = el[static_cast<std::size_t>(a)];
            const auto inside = std::count_if(near.begin(), near.end(),
                                              [&](int c) { return c > a && static_cast<std::size_t>(c) <= anc.last; });
            if (inside >= kSpreadCandidates) {
                best = a;
                break;
            }
        }
    }

    // An ancestor scoring higher than the candidate below it holds more of the story than the candidate does (the
    // story's sections each hold a part); ancestors scoring far less than the best stop the climb.
    {
        const double floor = el[static_cast<std::size_t>(best)].score / 3;
        double last = el[static_cast<std::size_t>(best)].score;
        for (int a = el[static_cast<std::size_t>(best)].parent; a > 0; a = el[static_cast<std::size_t>(a)].parent) {
            const double s = el[static_cast<std::size_t>(a)].score;
            if (s == 0) continue;
            if (s < floor) break;
            if (s > last) {
                best = a;
                break;
            }
            last = s;
        }
    }

    // Up through ancestors whose other content is mostly prose: the story's lead or last paragraphs kept apart from
    // the rest by the page's markup. Not when boilerplate words are off (the rescue): comments are prose too.
    for (int a = drop.words != nullptr ? el[static_cast<std::size_t>(best)].parent : -1; a > 0;
         a = el[static_cast<std::size_t>(a)].parent) {
        const Scored& from = el[static_cast<std::size_t>(best)];
        const Scored& to = el[static_cast<std::size_t>(a)];
        const double added_prose = to.prose - from.prose;
        if (added_prose < kProseShare * (to.text - from.text)) break;
        best = a;
    }

    // Siblings that carry a good share of the text, in document order.
    Choice choice{{}, "density"};
    const int parent = el[static_cast<std::size_t>(best)].parent;
    if (parent < 0) {
        choice.nodes.push_back(el[static_cast<std::size_t>(best)].node);
        return choice;
    }
    const double threshold = std::max(10.0, kSiblingShare * el[static_cast<std::size_t>(best)].score);
    for (std::size_t i = static_cast<std::size_t>(parent) + 1; i <= el[static_cast<std::size_t>(parent)].last;
         i = el[i].last + 1) {
        const Scored& s = el[i];
        const bool own_paragraph =
            s.node->v.element.tag == GUMBO_TAG_P && s.own_text > 80 && s.own_link < 0.25 * s.own_text;
        if (static_cast<int>(i) == best || s.score >= threshold || own_paragraph) choice.nodes.push_back(s.node);
    }
    return choice;
}

class Walker {
public:
    Walker(Document& doc, std::vector<std::vector<TextRange>>& element_quotes, const DropRules& drop, std::string base,
           const ExtractLimits& limits)
        : doc_(doc), element_quotes_(element_quotes), drop_(drop), base_(std::move(base)), limits_(limits) {}

    void walk(const std::vector<const GumboNode*>& roots) {
        for (const GumboNode* root : roots) {
            ctx_.clear();
            open_links_.clear();
            open_quotes_.clear();
            cur_ = RawBlock{};
            run(root, false);
            flush();
        }
    }

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
    };

    [[nodiscard]] BlockKind inherited() const noexcept { return ctx_.empty() ? BlockKind::paragraph : ctx_.back(); }

    [[nodiscard]] BlockKind kind_for(GumboTag t) const noexcept {
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

    [[nodiscard]] std::string resolve(std::string_view href) const {
        const std::string_view h = trim(href);
        if (h.empty() || h.front() == '#' || istarts_with(h, "javascript:")) return {};
        if (auto r = resolve_url(base_, h)) return *r;
        if (is_http_url(h)) return normalize_url(h).value_or(std::string(h));
        return {};
    }

    // Walks `root` with an explicit stack. In inline mode (a tweet's text) block elements only separate words.
    void run(const GumboNode* root, bool inline_only) {
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
            if (!is_element(n) || (n != root && dropped(n, drop_))) continue;
            if (!enter(n, n == root, inline_only)) continue;
            stack.emplace_back(n, true);
            const GumboVector& kids = children_of(n);
            for (unsigned i = kids.length; i > 0; --i)
                stack.emplace_back(child(kids, i - 1), false);
        }
    }

    void text(const GumboNode* n) {
        const std::string_view t = n->v.text.text;
        if (!cur_.has_offset && has_visible_text(t)) {
            cur_.html_offset = n->v.text.start_pos.offset;
            cur_.has_offset = true;
        }
        cur_.raw += t;
    }

    // Returns whether to descend into the element.
    bool enter(const GumboNode* n, bool is_root, bool inline_only) {
        const GumboTag t = n->v.element.tag;
        if (t == GUMBO_TAG_BR) {
            cur_.raw += ' ';
            return false;
        }
        if (!inline_only && !is_root && is_tweet(n)) {
            flush();
            if (doc_.embeds.size() >= limits_.max_quotations) {
                ++doc_.quotations_dropped;  // past the bound: neither a claim nor text
                return false;
            }
            tweet(n);
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
                const BlockKind k =
                    t == GUMBO_TAG_P && inherited() == BlockKind::blockquote ? BlockKind::blockquote : kind_for(t);
                ctx_.push_back(k);
                cur_.kind = k;
                cur_.html_offset = element_offset(n);
                cur_.has_offset = true;
            }
        }
        return true;
    }

    void leave(const GumboNode* n, bool inline_only) {
        const GumboTag t = n->v.element.tag;
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
                cur_.kind = inherited();
            }
        }
    }

    // Ends the block being read: appends it (if it has text) and its links. Returns its index or -1.
    int flush() {
        Collapsed& c = collapsed_;
        collapse_with_map(cur_.raw, c);
        int index = -1;
        if (!c.text.empty()) {
            index = static_cast<int>(doc_.blocks.size());
            doc_.blocks.push_back(Block{cur_.kind, c.text, 0, cur_.html_offset});
            element_quotes_.resize(doc_.blocks.size());
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
        }
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

    // A <blockquote class="twitter-tweet">: the post's text (its <p>), then "— Name (@handle) <a>date</a>".
    void tweet(const GumboNode* bq) {
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
    RawBlock cur_;
    std::vector<BlockKind> ctx_;
    Collapsed collapsed_;
};

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
        if (!t.empty()) out.push_back(Block{BlockKind::paragraph, std::move(t), 0, html_offset});
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
    const GumboOutputPtr out = parse_html(src);
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

    const GumboNode* body = find_body(out->root);
    const Choice choice = choose_container(body, drop, site);
    std::vector<std::vector<TextRange>> element_quotes;
    Walker walker(doc, element_quotes, drop, base, limits);
    walker.walk(choice.nodes);
    doc.extraction_stage = choice.stage;
    std::size_t main_words = words_in(doc.blocks);
    if (doc.blocks.empty() || (main_words < kRescueWords && !choice.stage.starts_with("site:"))) {
        // Rescue: too little came out, as on a page whose every container carries a boilerplate word
        // ("content-with-sidebar"). The body read without class/id words wins when it holds clearly more.
        Document loose_doc;
        loose_doc.url = doc.url;
        std::vector<std::vector<TextRange>> loose_quotes;
        DropRules loose = drop;
        loose.words = nullptr;
        // The container is chosen again as well: without the words, the density stage sees the whole page.
        const Choice loose_choice = choose_container(body, loose, site);
        Walker again(loose_doc, loose_quotes, loose, base, limits);
        again.walk(loose_choice.nodes);
        const std::size_t loose_words = words_in(loose_doc.blocks);
        if (doc.blocks.empty() || loose_words >= 3 * main_words + 10) {
            main_words = loose_words;
            doc.blocks = std::move(loose_doc.blocks);
            doc.links = std::move(loose_doc.links);
            doc.embeds = std::move(loose_doc.embeds);
            doc.links_dropped = loose_doc.links_dropped;
            doc.quotations_dropped = loose_doc.quotations_dropped;
            element_quotes = std::move(loose_quotes);
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
            doc.extraction_stage = "json-ld";
        }
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
