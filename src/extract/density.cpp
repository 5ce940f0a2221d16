#include "extract/density.hpp"

#include <algorithm>
#include <cstddef>
#include <string_view>

#include "extract/dom.hpp"
#include "extract/tag_selector.hpp"

namespace provcheck::extract_detail {

using namespace dom;

const GumboNode* find_body(const GumboNode* root) {
    const GumboNode* body = nullptr;
    preorder(root, [&](const GumboNode* n) {
        if (body != nullptr) return false;
        if (has_tag(n, GUMBO_TAG_BODY)) body = n;
        return is_element(n) && body == nullptr && !has_tag(n, GUMBO_TAG_HEAD);
    });
    return body != nullptr ? body : root;
}

namespace {

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

}  // namespace

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
    // The first <article> of the page, when it says in microdata that it is the article (itemtype
    // schema.org/Article, NewsArticle, BlogPosting, …) and no other does, is the story; the <article>s after it are
    // teasers, however long. A teaser card declared so after the story is not taken for it.
    int declared = -1;
    std::size_t declared_count = 0;
    const GumboNode* first_article = nullptr;
    for (const int a : articles) {
        const GumboNode* n = el[static_cast<std::size_t>(a)].node;
        if (n->v.element.tag != GUMBO_TAG_ARTICLE) continue;
        if (first_article == nullptr || n->v.element.start_pos.offset < first_article->v.element.start_pos.offset) {
            first_article = n;
        }
        const auto type = attr(n, "itemtype");
        if (type && (type->ends_with("Article") || type->ends_with("BlogPosting") || type->ends_with("Report"))) {
            declared = a;
            ++declared_count;
        }
    }
    if (declared_count == 1 && el[static_cast<std::size_t>(declared)].node == first_article &&
        el[static_cast<std::size_t>(declared)].paragraphs > 0) {
        return {{el[static_cast<std::size_t>(declared)].node}, "article-element"};
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

}  // namespace provcheck::extract_detail
