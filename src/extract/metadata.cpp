#include "extract/metadata.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>

#include "core/text.hpp"
#include "extract/dom.hpp"
#include "extract/tag_selector.hpp"
#include "extract/utf8.hpp"

namespace provcheck::extract_detail {

using namespace dom;

namespace {

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

// The name of an object, or of the first object of an array, that a JSON-LD property holds ("publisher": {...}).
std::string json_named(const nlohmann::json& obj, const char* key) {
    const auto it = obj.find(key);
    if (it == obj.end()) return {};
    const nlohmann::json& v = it->is_array() && !it->empty() ? it->front() : *it;
    if (v.is_string()) return collapse_whitespace(v.get<std::string>());
    return v.is_object() ? json_string(v, "name") : std::string{};
}

bool organization_type(const nlohmann::json& obj) {
    const auto it = obj.find("@type");
    if (it == obj.end()) return false;
    auto one = [](const nlohmann::json& t) {
        if (!t.is_string()) return false;
        const std::string s = t.get<std::string>();
        return s.ends_with("Organization") || s == "Corporation" || s == "NGO" || s == "GovernmentOffice" ||
               s == "Newspaper";
    };
    if (it->is_array()) return std::any_of(it->begin(), it->end(), one);
    return one(*it);
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
    // Some pages wrap the JSON in a CDATA section, as XHTML wanted.
    text = trim(text);
    if (text.starts_with("<![CDATA[")) text.remove_prefix(9);
    if (text.ends_with("]]>")) text.remove_suffix(3);
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
        if (m.ld_organization.empty() && organization_type(*node)) m.ld_organization = json_string(*node, "name");
        if (!article_type(*node) || m.ld_seen) continue;
        m.ld_seen = true;
        m.ld_headline = json_string(*node, "headline");
        m.ld_name = json_string(*node, "name");
        m.ld_published = json_string(*node, "datePublished");
        m.ld_modified = json_string(*node, "dateModified");
        m.ld_author = json_author(*node);
        m.ld_publisher = json_named(*node, "publisher");
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

bool contains_ascii_ci(std::string_view hay, std::string_view needle) noexcept {
    auto lower = [](char x) { return (x >= 'A' && x <= 'Z') ? static_cast<char>(x - 'A' + 'a') : x; };
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                       [&](char a, char b) { return lower(a) == lower(b); }) != hay.end();
}

// `text` with ASCII letters lower-cased and white space runs as single spaces, into `out` (whose buffer is reused):
// the form truncation markers are written in.
void fold_for_markers(std::string_view text, std::string& out) {
    out.clear();
    bool gap = false;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = utf8::at(text, i);
        if (utf8::is_space(c.cp)) {
            gap = !out.empty();
        } else {
            if (gap) out.push_back(' ');
            gap = false;
            if (c.len == 1) {
                const char b = text[i];
                out.push_back((b >= 'A' && b <= 'Z') ? static_cast<char>(b - 'A' + 'a') : b);
            } else {
                out.append(text.substr(i, c.len));
            }
        }
        i += c.len;
    }
}

// An element the page marks as its author's line: rel=author, an itemprop naming the author, or a class or id
// holding the word "byline", "author", "dateline" or "writtenby".
bool marks_byline(const GumboNode* n) {
    if (n->v.element.attributes.length == 0) return false;
    if (const auto rel = attr(n, "rel"); rel && has_token(*rel, "author", true)) return true;
    if (const auto ip = attr(n, "itemprop"); ip && contains_ascii_ci(*ip, "author")) return true;
    // Words of the class or id, not substrings: "Authority_control" is no author.
    static const std::vector<std::string> kWords = {"byline", "author", "dateline", "writtenby", "authorname"};
    for (const char* a : {"class", "id"}) {
        if (const auto v = attr(n, a); v && marks_boilerplate(*v, kWords)) return true;
    }
    return false;
}

}  // namespace

PageMeta read_metadata(const GumboNode* root, const SiteRules& site_rules, const SiteRule* site) {
    PageMeta m;
    std::vector<TagSelector> paywall = with_tags(site_rules.defaults.paywall_selectors);
    if (site != nullptr) {
        const auto more = with_tags(site->paywall_selectors);
        paywall.insert(paywall.end(), more.begin(), more.end());
    }
    std::string folded;  // reused for every short text
    if (const auto lang = attr(root, "lang")) m.lang = std::string(trim(*lang));
    auto set_once = [](std::string& field, std::string_view v) {
        if (field.empty()) field = collapse_whitespace(v);
    };
    preorder(root, [&](const GumboNode* n) {
        if (n->type == GUMBO_NODE_TEXT && m.truncation_marker.empty() && !site_rules.truncation_markers.empty()) {
            const std::string_view t = n->v.text.text;
            if (t.size() < 300) {
                fold_for_markers(t, folded);
                for (const auto& marker : site_rules.truncation_markers) {
                    if (folded.find(marker) != std::string::npos) {
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
                        if (iequals(trim(r), "amphtml")) set_once(m.amp, *href);
                    }
                }
                return false;
            }
            case GUMBO_TAG_META: {
                const auto content = attr(n, "content");
                if (!content) return false;
                // `property` may list several names ("dc:title og:title"); `name` is one, and Dublin Core is also
                // written with dots ("DC.title").
                auto use = [&](std::string_view raw) {
                    std::string key = to_lower_ascii(trim(raw));
                    if (key.starts_with("dc.") || key.starts_with("dcterm."))
                        std::replace(key.begin(), key.end(), '.', ':');
                    if (key == "og:title") set_once(m.og_title, *content);
                    if (key == "dc:title" || key == "dcterm:title") set_once(m.dc_title, *content);
                    if (key == "title") set_once(m.meta_title, *content);
                    if (key == "twitter:title") set_once(m.twitter_title, *content);
                    if (key == "parsely-title") set_once(m.parsely_title, *content);
                    if (key == "og:type") set_once(m.og_type, to_lower_ascii(*content));
                    if (key == "og:url") set_once(m.og_url, *content);
                    if (key == "og:site_name" || key == "application-name") set_once(m.site_name, *content);
                    if (key == "author") set_once(m.meta_author, *content);
                    if (key == "dc:creator" || key == "dcterm:creator") set_once(m.dc_creator, *content);
                    if (key == "parsely-author") set_once(m.parsely_author, *content);
                    if (key == "article:author") set_once(m.article_author, *content);
                    if (key == "article:published_time" || key == "datepublished" || key == "date") {
                        set_once(m.published_meta, *content);
                    }
                    if (key == "article:modified_time" || key == "datemodified") set_once(m.modified_meta, *content);
                };
                if (const auto property = attr(n, "property")) {
                    for (auto part : split(*property, ' '))
                        if (!trim(part).empty()) use(part);
                }
                if (const auto name = attr(n, "name")) use(*name);
                if (const auto itemprop = attr(n, "itemprop")) use(*itemprop);
                return false;
            }
            case GUMBO_TAG_SCRIPT: {
                const auto type = attr(n, "type");
                if (type && iequals(trim(*type), "application/ld+json"))
                    read_json_ld(subtree_text(n), element_offset(n), m);
                return false;
            }
            default:
                if (m.page_byline.empty() && marks_byline(n)) {
                    std::string text = collapse_whitespace(subtree_text(n));
                    if (!text.empty() && text.size() < 100) m.page_byline = std::move(text);
                }
                return !has_tag(n, GUMBO_TAG_STYLE);
        }
    });
    return m;
}

namespace {

std::size_t word_count(std::string_view s) {
    std::size_t n = 0;
    for (auto w : split(s, ' '))
        n += trim(w).empty() ? 0 : 1;
    return n;
}

}  // namespace

std::string cleaned_title(const std::string& title) {
    static constexpr std::string_view kSeparators[] = {" | ",  " - ", " \u2013 ", " \u2014 ",
                                                       " \\ ", " / ", " > ",      " \u00BB "};
    static constexpr std::string_view kHierarchical[] = {" \\ ", " / ", " > ", " \u00BB "};
    auto last_sep = [&](std::string_view t) {
        std::pair<std::size_t, std::size_t> best{std::string_view::npos, 0};
        for (auto sep : kSeparators) {
            const std::size_t at = t.rfind(sep);
            if (at != std::string_view::npos && (best.first == std::string_view::npos || at > best.first))
                best = {at, sep.size()};
        }
        return best;
    };
    auto first_sep = [&](std::string_view t) {
        std::pair<std::size_t, std::size_t> best{std::string_view::npos, 0};
        for (auto sep : kSeparators) {
            const std::size_t at = t.find(sep);
            if (at != std::string_view::npos && at < best.first) best = {at, sep.size()};
        }
        return best;
    };
    const auto [at, len] = last_sep(title);
    if (at == std::string_view::npos) return title;
    bool hierarchical = false;
    for (auto sep : kHierarchical)
        hierarchical = hierarchical || title.find(sep) != std::string::npos;
    std::string cur(trim(std::string_view(title).substr(0, at)));
    if (word_count(cur) < 3) {
        const auto [f, flen] = first_sep(title);
        cur = std::string(trim(std::string_view(title).substr(f + flen)));
    }
    const std::size_t words = word_count(cur);
    if (words <= 4 && (!hierarchical || words + 1 != word_count(title))) return title;
    return cur;
}

namespace {

// How much of `b`'s words `a` also has, by length: 1 when every word of `b` is in `a`.
double similarity(std::string_view a, std::string_view b) {
    auto words = [](std::string_view s) {
        std::vector<std::string> out;
        std::string cur;
        for (const char c : s) {
            const auto u = static_cast<unsigned char>(c);
            if (std::isalnum(u) != 0 || u >= 0x80 || c == '_') {
                cur.push_back(static_cast<char>(std::tolower(u)));
            } else if (!cur.empty()) {
                out.push_back(std::move(cur));
                cur.clear();
            }
        }
        if (!cur.empty()) out.push_back(std::move(cur));
        return out;
    };
    const auto wa = words(a);
    const auto wb = words(b);
    std::size_t all = 0;
    std::size_t unique = 0;
    std::size_t unique_words = 0;
    for (const auto& w : wb) {
        all += w.size();
        if (std::find(wa.begin(), wa.end(), w) == wa.end()) {
            unique += w.size();
            ++unique_words;
        }
    }
    if (wb.empty()) return 0;
    // Lengths as the words joined by single spaces.
    const double joined_all = static_cast<double>(all + wb.size() - 1);
    const double joined_unique = unique_words == 0 ? 0 : static_cast<double>(unique + unique_words - 1);
    return 1 - joined_unique / joined_all;
}

}  // namespace

std::string json_ld_title(const std::string& name, const std::string& headline, const std::string& page_title) {
    if (!name.empty() && !headline.empty() && name != headline) {
        const bool name_matches = similarity(name, page_title) > 0.75;
        const bool headline_matches = similarity(headline, page_title) > 0.75;
        return headline_matches && !name_matches ? headline : name;
    }
    return name.empty() ? headline : name;
}

}  // namespace provcheck::extract_detail
