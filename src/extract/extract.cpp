#include "extract/extract.hpp"

#include <fmt/format.h>
#include <gumbo.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/text.hpp"
#include "core/url.hpp"
#include "extract/html_input.hpp"
#include "extract/quotes.hpp"
#include "extract/site_rules.hpp"
#include "extract/utf8.hpp"

namespace provcheck {

namespace {

constexpr std::size_t kMaxDepth = 256;

struct GumboOutputDeleter {
    void operator()(GumboOutput* out) const noexcept { gumbo_destroy_output(&kGumboDefaultOptions, out); }
};
using GumboOutputPtr = std::unique_ptr<GumboOutput, GumboOutputDeleter>;

// ---------------------------------------------------------------------------------------------
// Node helpers

bool is_element(const GumboNode* n) noexcept {
    return n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE;
}

bool is_text(const GumboNode* n) noexcept {
    return n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA;
}

const GumboVector& children_of(const GumboNode* n) noexcept {
    return n->type == GUMBO_NODE_DOCUMENT ? n->v.document.children : n->v.element.children;
}

const GumboNode* child(const GumboVector& v, unsigned i) noexcept {
    return static_cast<const GumboNode*>(v.data[i]);
}

std::string tag_name(const GumboNode* n) {
    if (!is_element(n)) return {};
    if (n->v.element.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(n->v.element.tag);
    GumboStringPiece piece = n->v.element.original_tag;
    gumbo_tag_from_original_text(&piece);
    return to_lower_ascii(std::string_view(piece.data, piece.length));
}

bool has_tag(const GumboNode* n, GumboTag tag) noexcept {
    return is_element(n) && n->v.element.tag == tag;
}

std::optional<std::string_view> attr(const GumboNode* n, std::string_view name) {
    if (!is_element(n)) return std::nullopt;
    const GumboVector& attrs = n->v.element.attributes;
    for (unsigned i = 0; i < attrs.length; ++i) {
        const auto* a = static_cast<const GumboAttribute*>(attrs.data[i]);
        if (iequals(a->name, name)) return std::string_view(a->value);
    }
    return std::nullopt;
}

bool has_class(const GumboNode* n, std::string_view cls) {
    const auto c = attr(n, "class");
    if (!c) return false;
    for (auto part : split(*c, ' ')) {
        if (iequals(trim(part), cls)) return true;
    }
    return false;
}

std::size_t element_offset(const GumboNode* n) noexcept {
    return is_element(n) ? n->v.element.start_pos.offset : (is_text(n) ? n->v.text.start_pos.offset : 0);
}

// Pre-order visit of a subtree with an explicit stack; `visit` returns false to skip a node's children.
template <class Visit>
void preorder(const GumboNode* root, Visit&& visit) {
    std::vector<const GumboNode*> stack{root};
    while (!stack.empty()) {
        const GumboNode* n = stack.back();
        stack.pop_back();
        if (!visit(n)) continue;
        if (n->type != GUMBO_NODE_DOCUMENT && !is_element(n)) continue;
        const GumboVector& kids = children_of(n);
        for (unsigned i = kids.length; i > 0; --i)
            stack.push_back(child(kids, i - 1));
    }
}

bool never_text(const GumboNode* n) {
    return has_tag(n, GUMBO_TAG_SCRIPT) || has_tag(n, GUMBO_TAG_STYLE) || has_tag(n, GUMBO_TAG_TEMPLATE) ||
           n->type == GUMBO_NODE_TEMPLATE;
}

std::string subtree_text(const GumboNode* root) {
    std::string out;
    preorder(root, [&](const GumboNode* n) {
        if (is_text(n)) out += n->v.text.text;
        if (has_tag(n, GUMBO_TAG_BR)) out += ' ';
        return n == root || !never_text(n);  // a <script>'s own text is read only when asked for
    });
    return out;
}

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

Collapsed collapse_with_map(std::string_view raw) {
    Collapsed c;
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
    return c;
}

// ---------------------------------------------------------------------------------------------
// Metadata

struct PageMeta {
    std::string title_tag, og_title, og_url, canonical, lang, meta_author, article_author, published_meta,
        modified_meta, base_href;
    std::string ld_headline, ld_published, ld_modified, ld_author, ld_article_body;
    std::string time_datetime;  // the first <time datetime> of the page
    std::string og_type;
    std::vector<std::string> ld_locked_parts;  // cssSelector of each hasPart that is not free
    std::size_t ld_word_count = 0;
    std::size_t ld_body_offset = 0;  // start tag of the JSON-LD script holding articleBody
    bool ld_not_free = false;
    bool ld_seen = false;
    bool paywall_element = false;   // an element matching a paywall selector
    std::string truncation_marker;  // the first truncation marker found in a short text
};

bool false_value(const nlohmann::json& v) {
    if (v.is_boolean()) return !v.get<bool>();
    if (v.is_string()) return iequals(v.get<std::string>(), "false");
    return false;
}

std::string json_string(const nlohmann::json& obj, const char* key) {
    const auto it = obj.find(key);
    if (it == obj.end()) return {};
    if (it->is_string()) return collapse_whitespace(it->get<std::string>());
    return {};
}

std::string json_author(const nlohmann::json& obj) {
    const auto it = obj.find("author");
    if (it == obj.end()) return {};
    std::vector<const nlohmann::json*> items;
    if (it->is_array()) {
        for (const auto& x : *it)
            items.push_back(&x);
    } else {
        items.push_back(&*it);
    }
    std::string out;
    for (const auto* x : items) {
        std::string name = x->is_string() ? collapse_whitespace(x->get<std::string>())
                                          : (x->is_object() ? json_string(*x, "name") : std::string{});
        if (name.empty()) continue;
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

bool article_type(const nlohmann::json& obj) {
    const auto it = obj.find("@type");
    if (it == obj.end()) return false;
    auto one = [](const nlohmann::json& t) {
        if (!t.is_string()) return false;
        const std::string s = t.get<std::string>();
        return s.ends_with("Article") || s == "BlogPosting" || s == "LiveBlogPosting" || s == "Report";
    };
    if (it->is_array()) return std::any_of(it->begin(), it->end(), one);
    return one(*it);
}

void read_json_ld(std::string_view text, std::size_t offset, PageMeta& m) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return;
    // Arrays and @graph nest only a few levels in practice; the visit budget bounds hostile input.
    std::vector<const nlohmann::json*> stack{&j};
    std::size_t budget = 10000;
    while (!stack.empty() && budget-- > 0) {
        const nlohmann::json* node = stack.back();
        stack.pop_back();
        if (node->is_array()) {
            for (auto it = node->rbegin(); it != node->rend(); ++it)
                stack.push_back(&*it);
            continue;
        }
        if (!node->is_object()) continue;
        if (const auto g = node->find("@graph"); g != node->end()) stack.push_back(&*g);
        if (!article_type(*node) || m.ld_seen) continue;
        m.ld_seen = true;
        m.ld_headline = json_string(*node, "headline");
        m.ld_published = json_string(*node, "datePublished");
        m.ld_modified = json_string(*node, "dateModified");
        m.ld_author = json_author(*node);
        if (const auto body = node->find("articleBody"); body != node->end() && body->is_string()) {
            m.ld_article_body = body->get<std::string>();
            m.ld_body_offset = offset;
        }
        if (const auto wc = node->find("wordCount"); wc != node->end()) {
            if (wc->is_number_unsigned()) {
                m.ld_word_count = wc->get<std::size_t>();
            } else if (wc->is_string()) {
                const std::string w = wc->get<std::string>();
                std::size_t n = 0;
                bool digits = !w.empty() && w.size() < 10;
                for (char c : w) {
                    digits = digits && c >= '0' && c <= '9';
                    if (digits) n = n * 10 + static_cast<std::size_t>(c - '0');
                }
                if (digits) m.ld_word_count = n;
            }
        }
        if (const auto f = node->find("isAccessibleForFree"); f != node->end() && false_value(*f)) {
            m.ld_not_free = true;
        }
        if (const auto parts = node->find("hasPart"); parts != node->end()) {
            auto check = [&](const nlohmann::json& p) {
                if (p.is_object()) {
                    if (const auto f = p.find("isAccessibleForFree"); f != p.end() && false_value(*f)) {
                        m.ld_not_free = true;
                        const std::string sel = json_string(p, "cssSelector");
                        if (!sel.empty()) m.ld_locked_parts.push_back(sel);
                    }
                }
            };
            if (parts->is_array()) {
                for (const auto& p : *parts)
                    check(p);
            } else {
                check(*parts);
            }
        }
    }
}

bool matches_any(const GumboNode* n, const std::vector<Selector>& selectors) {
    if (selectors.empty()) return false;
    const std::string tag = tag_name(n);
    auto lookup = [n](std::string_view name) { return attr(n, name); };
    return std::any_of(selectors.begin(), selectors.end(),
                       [&](const Selector& s) { return selector_matches(s, tag, lookup); });
}

// Metadata of the whole page, and the partial-text signals that live outside the main text (a paywall box is
// usually dropped as boilerplate before the main text is read).
PageMeta read_metadata(const GumboNode* root, const SiteRules& site_rules, const SiteRule* site) {
    PageMeta m;
    std::vector<Selector> paywall = site_rules.defaults.paywall_selectors;
    if (site != nullptr) paywall.insert(paywall.end(), site->paywall_selectors.begin(), site->paywall_selectors.end());
    if (const auto lang = attr(root, "lang")) m.lang = std::string(trim(*lang));
    auto set_once = [](std::string& field, std::string_view v) {
        if (field.empty()) field = collapse_whitespace(v);
    };
    preorder(root, [&](const GumboNode* n) {
        if (n->type == GUMBO_NODE_TEXT && m.truncation_marker.empty() && !site_rules.truncation_markers.empty()) {
            const std::string_view t = n->v.text.text;
            if (t.size() < 300) {
                const std::string lower = collapse_whitespace(to_lower_ascii(t));
                for (const auto& marker : site_rules.truncation_markers) {
                    if (lower.find(marker) != std::string::npos) {
                        m.truncation_marker = marker;
                        break;
                    }
                }
            }
        }
        if (!is_element(n)) return false;
        if (!m.paywall_element && matches_any(n, paywall)) m.paywall_element = true;
        switch (n->v.element.tag) {
            case GUMBO_TAG_TIME:
                if (const auto dt = attr(n, "datetime")) set_once(m.time_datetime, *dt);
                return true;
            case GUMBO_TAG_TITLE:
                set_once(m.title_tag, subtree_text(n));
                return false;
            case GUMBO_TAG_BASE:
                if (const auto h = attr(n, "href")) set_once(m.base_href, *h);
                return false;
            case GUMBO_TAG_LINK: {
                const auto rel = attr(n, "rel");
                const auto href = attr(n, "href");
                if (rel && href) {
                    for (auto r : split(*rel, ' ')) {
                        if (iequals(trim(r), "canonical")) set_once(m.canonical, *href);
                    }
                }
                return false;
            }
            case GUMBO_TAG_META: {
                const auto content = attr(n, "content");
                if (!content) return false;
                const std::string key = to_lower_ascii(
                    attr(n, "property").value_or(attr(n, "name").value_or(attr(n, "itemprop").value_or(""))));
                if (key == "og:title") set_once(m.og_title, *content);
                if (key == "og:type") set_once(m.og_type, to_lower_ascii(*content));
                if (key == "og:url") set_once(m.og_url, *content);
                if (key == "author") set_once(m.meta_author, *content);
                if (key == "article:author") set_once(m.article_author, *content);
                if (key == "article:published_time" || key == "datepublished" || key == "date") {
                    set_once(m.published_meta, *content);
                }
                if (key == "article:modified_time" || key == "datemodified") set_once(m.modified_meta, *content);
                return false;
            }
            case GUMBO_TAG_SCRIPT: {
                const auto type = attr(n, "type");
                if (type && iequals(trim(*type), "application/ld+json"))
                    read_json_ld(subtree_text(n), element_offset(n), m);
                return false;
            }
            default:
                return !has_tag(n, GUMBO_TAG_STYLE);
        }
    });
    return m;
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
    std::vector<const Selector*> selectors;
    const std::vector<std::string>* words = nullptr;  // nullptr: class/id words not applied
};

// An inline style that hides the element: readers never see its text.
bool hidden_style(std::string_view style) {
    std::string compact;
    for (char c : style) {
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') compact += c;
    }
    compact = to_lower_ascii(compact);
    return compact.find("display:none") != std::string::npos || compact.find("visibility:hidden") != std::string::npos;
}

bool dropped(const GumboNode* n, const DropRules& d) {
    if (n->type == GUMBO_NODE_TEMPLATE) return true;
    if (!is_element(n)) return false;
    if (never_text(n)) return true;
    if (const auto style = attr(n, "style"); style && hidden_style(*style)) return true;
    const GumboTag t = n->v.element.tag;
    if (t == GUMBO_TAG_HTML || t == GUMBO_TAG_BODY) return false;
    const std::string tag = tag_name(n);
    auto lookup = [n](std::string_view name) { return attr(n, name); };
    for (const Selector* s : d.selectors) {
        if (selector_matches(*s, tag, lookup)) return true;
    }
    // The page's own containers carry words like "has-sidebar" about their neighbours, not themselves.
    if (d.words != nullptr && t != GUMBO_TAG_MAIN && t != GUMBO_TAG_ARTICLE) {
        if (const auto c = attr(n, "class"); c && marks_boilerplate(*c, *d.words)) return true;
        if (const auto id = attr(n, "id"); id && marks_boilerplate(*id, *d.words)) return true;
    }
    return false;
}

bool is_status_url(std::string_view url) {
    const auto parts = parse_url(url);
    return parts && (host_in_domain(parts->host, "twitter.com") || host_in_domain(parts->host, "x.com")) &&
           parts->path.find("/status/") != std::string::npos;
}

bool is_tweet(const GumboNode* n) {
    return has_tag(n, GUMBO_TAG_BLOCKQUOTE) && (has_class(n, "twitter-tweet") || has_class(n, "twitter-video"));
}

// ---------------------------------------------------------------------------------------------
// Choosing the article container

struct Choice {
    const GumboNode* node = nullptr;
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

Choice choose_container(const GumboNode* body, const DropRules& drop, const SiteRule* site) {
    std::vector<const GumboNode*> site_matches(site != nullptr ? site->body_selectors.size() : 0, nullptr);
    std::vector<const GumboNode*> articles;
    std::vector<const GumboNode*> paragraphs;
    preorder(body, [&](const GumboNode* n) {
        if (!is_element(n)) return false;
        if (n != body && dropped(n, drop)) return false;
        const std::string tag = tag_name(n);
        auto lookup = [n](std::string_view name) { return attr(n, name); };
        for (std::size_t i = 0; i < site_matches.size(); ++i) {
            if (site_matches[i] == nullptr && selector_matches(site->body_selectors[i], tag, lookup)) {
                site_matches[i] = n;
            }
        }
        const auto itemprop = attr(n, "itemprop");
        if (n->v.element.tag == GUMBO_TAG_ARTICLE || (itemprop && iequals(trim(*itemprop), "articleBody"))) {
            articles.push_back(n);
        }
        if (n->v.element.tag == GUMBO_TAG_P) {
            paragraphs.push_back(n);
            return false;
        }
        return true;
    });

    // Paragraph text held by every element, and the density score of paragraph parents.
    std::unordered_map<const GumboNode*, double> ptext;
    std::unordered_map<const GumboNode*, double> score;
    double total = 0;
    for (const GumboNode* p : paragraphs) {
        const double len = static_cast<double>(collapse_whitespace(subtree_text(p)).size());
        if (len == 0) continue;
        double link_len = 0;
        preorder(p, [&](const GumboNode* n) {
            if (has_tag(n, GUMBO_TAG_A)) {
                link_len += static_cast<double>(collapse_whitespace(subtree_text(n)).size());
                return false;
            }
            return is_element(n);
        });
        total += len;
        for (const GumboNode* a = p->parent; a != nullptr; a = a->parent)
            ptext[a] += len;
        if (link_len / len < 0.5 && p->parent != nullptr) {
            score[p->parent] += len;
            if (p->parent->parent != nullptr) score[p->parent->parent] += len / 2;
        }
    }
    auto has_text = [](const GumboNode* n) { return !collapse_whitespace(subtree_text(n)).empty(); };

    for (std::size_t i = 0; i < site_matches.size(); ++i) {
        if (site_matches[i] != nullptr && has_text(site_matches[i])) {
            std::string_view id = site->id;
            if (id.starts_with("site.")) id.remove_prefix(5);
            return {site_matches[i], "site:" + std::string(id)};
        }
    }
    const GumboNode* best_article = nullptr;
    for (const GumboNode* a : articles) {
        if (best_article == nullptr || ptext[a] > ptext[best_article]) best_article = a;
    }
    // An <article> holding little of the page's prose is a teaser card, not the story.
    if (best_article != nullptr && ptext[best_article] > 0 && ptext[best_article] >= 0.4 * total) {
        return {best_article, "article-element"};
    }
    const GumboNode* best = nullptr;
    double best_score = 0;
    for (const auto& [node, s] : score) {
        if (s > best_score || (s == best_score && best != nullptr && element_offset(node) < element_offset(best))) {
            best = node;
            best_score = s;
        }
    }
    if (best != nullptr && best_score > 0) return {best, "density"};
    return {body, "whole-body"};
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

class Walker {
public:
    Walker(Document& doc, std::vector<std::vector<TextRange>>& element_quotes, const DropRules& drop, std::string base)
        : doc_(doc), element_quotes_(element_quotes), drop_(drop), base_(std::move(base)) {}

    void walk(const GumboNode* root) {
        ctx_.clear();
        cur_ = RawBlock{};
        run(root, false);
        flush();
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
            tweet(n);
            return false;
        }
        if (t == GUMBO_TAG_A) {
            if (const auto href = attr(n, "href")) {
                std::string url = resolve(*href);
                if (!url.empty()) {
                    cur_.links.push_back({std::string(trim(*href)), std::move(url), cur_.raw.size(), 0, n, true});
                }
            }
        } else if (t == GUMBO_TAG_Q) {
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
        if (t == GUMBO_TAG_A) {
            for (auto& l : cur_.links) {
                if (l.node == n && l.open) {
                    l.raw_end = cur_.raw.size();
                    l.open = false;
                }
            }
        } else if (t == GUMBO_TAG_Q) {
            for (auto& q : cur_.quotes) {
                if (q.node == n && q.open) {
                    q.raw_end = cur_.raw.size();
                    q.open = false;
                }
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
        const Collapsed c = collapse_with_map(cur_.raw);
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
        const BlockKind next = inherited();
        cur_ = RawBlock{};
        cur_.kind = next;
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
    RawBlock cur_;
    std::vector<BlockKind> ctx_;
};

// ---------------------------------------------------------------------------------------------
// URLs printed as text ("… on Thursday.https://t.co/QTXysZZmQN")

bool url_char(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return false;
    return std::string_view("<>\"{}|\\^`").find(c) == std::string_view::npos;
}

void add_bare_urls(Document& doc) {
    std::vector<Link> found;
    for (std::size_t b = 0; b < doc.blocks.size(); ++b) {
        const std::string& text = doc.blocks[b].text;
        const int bi = static_cast<int>(b);
        std::vector<TextRange> taken;
        for (const auto& l : doc.links) {
            if (l.block == bi && l.end > l.start) taken.emplace_back(l.start, l.end);
        }
        std::size_t i = 0;
        while (i < text.size()) {
            std::size_t at = std::string::npos;
            for (std::string_view scheme : {"https://", "http://", "pic.twitter.com/"}) {
                at = std::min(at, text.find(scheme, i));
            }
            if (at == std::string::npos) break;
            std::size_t end = at;
            while (end < text.size() && url_char(text[end]))
                ++end;
            std::string_view printed = std::string_view(text).substr(at, end - at);
            while (!printed.empty() && std::string_view(".,;:!?'\")]").find(printed.back()) != std::string_view::npos) {
                // A closing parenthesis belongs to the URL only when the URL opened one ("…/a_(b)").
                if (printed.back() == ')' && std::count(printed.begin(), printed.end(), '(') >=
                                                 std::count(printed.begin(), printed.end(), ')')) {
                    break;
                }
                printed.remove_suffix(1);
            }
            end = at + printed.size();
            const bool inside = std::any_of(taken.begin(), taken.end(),
                                            [&](const TextRange& r) { return at < r.second && r.first < end; });
            i = std::max(end, at + 1);
            if (inside) continue;
            const std::string candidate =
                printed.starts_with("pic.") ? "https://" + std::string(printed) : std::string(printed);
            const auto url = normalize_url(candidate);
            const auto parts = url ? parse_url(*url) : std::nullopt;
            if (!url || !parts || parts->host.find('.') == std::string::npos) continue;
            Link l;
            l.href = std::string(printed);
            l.url = *url;
            l.anchor_text = std::string(printed);
            l.block = bi;
            l.start = at;
            l.end = end;
            for (auto& e : doc.embeds) {
                if (e.block == bi) e.links.push_back(l);
            }
            found.push_back(std::move(l));
        }
    }
    for (auto& l : found)
        doc.links.push_back(std::move(l));
    std::stable_sort(doc.links.begin(), doc.links.end(), [](const Link& a, const Link& b) {
        const int ab = a.block < 0 ? INT_MAX : a.block;
        const int bb = b.block < 0 ? INT_MAX : b.block;
        return ab != bb ? ab < bb : a.start < b.start;
    });
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
        if (!t.empty()) out.push_back(Block{BlockKind::paragraph, std::move(t), 0, html_offset});
    }
    return out;
}

}  // namespace

Result<Document> extract_document(std::string_view html, std::string_view url, const RuleSet& rules) {
    if (trim(html).empty()) return fail(ErrorCode::parse, "empty input: no HTML to read");
    if (looks_binary(html)) return fail(ErrorCode::parse, "input is binary data, not HTML");
    auto site_rules = load_site_rules(rules);
    if (!site_rules) return std::unexpected(site_rules.error());

    std::string src = sanitize_utf8(html);
    flatten_deep_nesting(src, kMaxDepth);
    GumboOutputPtr out(gumbo_parse_with_options(&kGumboDefaultOptions, src.data(), src.size()));
    if (!out || out->root == nullptr) return fail(ErrorCode::parse, "the HTML parser produced no document");

    Document doc;
    doc.url = std::string(url);
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
    doc.title = first_of({&meta.ld_headline, &meta.og_title, &meta.title_tag});
    const std::string canonical = absolute(meta.canonical);
    const std::string og_url = absolute(meta.og_url);
    doc.canonical_url = first_of({&canonical, &og_url});
    const std::string article_author = is_http_url(meta.article_author) ? std::string{} : meta.article_author;
    doc.byline = first_of({&meta.ld_author, &meta.meta_author, &article_author});
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
    for (const auto& s : site_rules->defaults.drop_selectors)
        drop.selectors.push_back(&s);
    if (site != nullptr) {
        for (const auto& s : site->drop_selectors)
            drop.selectors.push_back(&s);
    }
    drop.words = &site_rules->boilerplate_words;

    const GumboNode* body = find_body(out->root);
    const Choice choice = choose_container(body, drop, site);
    std::vector<std::vector<TextRange>> element_quotes;
    Walker walker(doc, element_quotes, drop, base);
    walker.walk(choice.node);
    doc.extraction_stage = choice.stage;
    if (doc.blocks.empty() || (words_in(doc.blocks) < kRescueWords && !choice.stage.starts_with("site:"))) {
        // Rescue: too little came out, as on a page whose every container carries a boilerplate word
        // ("content-with-sidebar"). The body read without class/id words wins when it holds clearly more.
        Document loose_doc;
        loose_doc.url = doc.url;
        std::vector<std::vector<TextRange>> loose_quotes;
        DropRules loose = drop;
        loose.words = nullptr;
        // The container is chosen again as well: without the words, the density stage sees the whole page.
        const Choice loose_choice = choose_container(body, loose, site);
        Walker again(loose_doc, loose_quotes, loose, base);
        again.walk(loose_choice.node);
        const std::size_t have = words_in(doc.blocks);
        if (doc.blocks.empty() || words_in(loose_doc.blocks) >= 3 * have + 10) {
            doc.blocks = std::move(loose_doc.blocks);
            doc.links = std::move(loose_doc.links);
            doc.embeds = std::move(loose_doc.embeds);
            element_quotes = std::move(loose_quotes);
            doc.extraction_stage = "rescue";
        }
    }
    // JSON-LD articleBody: the publisher's own plain text, taken when the markup gave clearly less of it.
    if (!meta.ld_article_body.empty() && !doc.extraction_stage.starts_with("site:")) {
        std::vector<Block> ld_blocks = blocks_from_plain_text(meta.ld_article_body, meta.ld_body_offset);
        if (2 * words_in(doc.blocks) < words_in(ld_blocks)) {
            doc.blocks = std::move(ld_blocks);
            doc.links.erase(
                std::remove_if(doc.links.begin(), doc.links.end(), [](const Link& l) { return l.block >= 0; }),
                doc.links.end());
            doc.embeds.clear();
            element_quotes.assign(doc.blocks.size(), {});
            doc.extraction_stage = "json-ld";
        }
    }
    const std::size_t main_words = words_in(doc.blocks);
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
        b.start = offset;
        offset += b.text.size() + 2;
    }
    add_bare_urls(doc);
    element_quotes.resize(doc.blocks.size());
    doc.quotations = find_quotations(doc.blocks, element_quotes);
    return doc;
}

}  // namespace provcheck
