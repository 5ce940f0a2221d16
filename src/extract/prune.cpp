#include "extract/prune.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "core/text.hpp"
#include "core/url.hpp"
#include "extract/utf8.hpp"

namespace provcheck {

namespace {

// "2019", "20", "20th", "1st": a number, or a day with its ordinal suffix.
bool number_word(std::string_view word) noexcept {
    std::size_t i = 0;
    while (i < word.size() && word[i] >= '0' && word[i] <= '9')
        ++i;
    if (i == 0) return false;
    const std::string_view rest = word.substr(i);
    return rest.empty() || rest == "st" || rest == "nd" || rest == "rd" || rest == "th";
}

std::vector<std::string_view> words_of(std::string_view folded) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < folded.size()) {
        const std::size_t sp = folded.find(' ', i);
        const std::size_t end = sp == std::string_view::npos ? folded.size() : sp;
        if (end > i) out.push_back(folded.substr(i, end - i));
        i = end + 1;
    }
    return out;
}

bool listed(const std::vector<std::string>& list, std::string_view w) {
    return std::find(list.begin(), list.end(), w) != list.end();
}

bool year_word(std::string_view w) noexcept {
    return w.size() == 4 && (w.starts_with("19") || w.starts_with("20")) && number_word(w);
}

// Every word a number or a date word, with a number, and with a date word or a year: a row of figures in a
// table ("1 24 318") is not a dateline.
bool date_line(const std::vector<std::string_view>& words, const PruneRules& r) {
    if (words.empty() || words.size() > r.date_line_max_words) return false;
    bool number = false, dated = false;
    for (const auto w : words) {
        if (number_word(w)) {
            number = true;
            dated = dated || year_word(w);
        } else if (listed(r.date_words, w)) {
            dated = true;
        } else {
            return false;
        }
    }
    return number && dated;
}

// Datelines stand under the headline or close the story; inside it, a short run of dates is a table's or a
// timeline's ("1964", "Le 15 Mai").
bool near_edge(std::size_t i, std::size_t n, const PruneRules& r) noexcept {
    return i < r.date_line_edge_blocks || i + r.date_line_edge_blocks >= n;
}

// `lowered` starts with `phrase`, and a phrase ending in a letter or digit ends at a word's end there ("photo"
// starts "photo: …" and "photo by …", not "photographer").
bool starts_with_phrase(std::string_view lowered, std::string_view phrase) noexcept {
    if (!lowered.starts_with(phrase)) return false;
    if (lowered.size() == phrase.size() || phrase.empty()) return true;
    const unsigned char last = static_cast<unsigned char>(phrase.back());
    const unsigned char next = static_cast<unsigned char>(lowered[phrase.size()]);
    const bool word_end = std::isalnum(last) != 0;
    return !word_end || (std::isalnum(next) == 0 && next < 0x80);
}

bool credit_line(std::string_view text, std::size_t words, const PruneRules& r) {
    if (words == 0 || words > r.credit_max_words) return false;
    const std::string lowered = lowered_text(text);
    for (const auto& p : r.credit_prefixes) {
        if (starts_with_phrase(lowered, p)) return true;
    }
    for (const auto& p : r.credit_suffixes) {
        if (lowered.ends_with(p)) return true;
    }
    return false;
}

// Controls: the block's words, numbers left out ("New, 15 comments"), are one of the chrome phrases, or every
// word is a one-word chrome phrase ("Facebook Twitter Google+ Whatsapp").
bool chrome_line(const std::vector<std::string_view>& words, const PruneRules& r) {
    std::string joined;
    bool all_single = true;
    std::size_t kept = 0;
    for (const auto w : words) {
        if (number_word(w)) continue;
        if (!joined.empty()) joined += ' ';
        joined.append(w);
        ++kept;
        all_single = all_single && listed(r.chrome_phrases, w);
    }
    return kept > 0 && (listed(r.chrome_phrases, joined) || all_single);
}

// A byline longer than this is no name; a block of a byline and a few words is at most four times as long.
constexpr std::size_t kMaxBylineBytes = 120;

// The byline printed in the text ("By Chaim Gartenberg @cgartenberg Nov 19, 2019, 7:53pm EST", or the author's
// name over an author box): a block near the edge holding the byline's words in order, with at most
// byline_extra_words words more.
bool byline_line(std::string_view folded, std::size_t words, std::string_view byline, const PruneRules& r) {
    const std::size_t byline_words = static_cast<std::size_t>(std::count(byline.begin(), byline.end(), ' ')) + 1;
    if (words > byline_words + r.byline_extra_words || folded.size() > kMaxBylineBytes * 4) return false;
    const std::size_t at = folded.find(byline);
    if (at == std::string_view::npos) return false;
    const std::size_t end = at + byline.size();
    return (at == 0 || folded[at - 1] == ' ') && (end == folded.size() || folded[end] == ' ');
}

bool lead_line(std::string_view text, std::size_t words, const PruneRules& r) {
    if (words == 0 || words > r.lead_max_words) return false;
    const std::string lowered = lowered_text(text.substr(0, 64));
    for (const auto& p : r.lead_phrases) {
        if (starts_with_phrase(lowered, p)) return true;
    }
    return false;
}

// How many of `phrases` occur in `folded` as whole words.
std::size_t phrases_in(std::string_view folded, const std::vector<std::string>& phrases) {
    std::string padded;
    padded.reserve(folded.size() + 2);
    padded += ' ';
    padded += folded;
    padded += ' ';
    std::size_t n = 0;
    for (const auto& p : phrases) {
        if (p.empty()) continue;
        const std::string needle = ' ' + p + ' ';
        if (padded.find(needle) != std::string::npos) ++n;
    }
    return n;
}

// A newsletter's sign-up box: a short block naming two of the signup phrases ("Sign up for the free daily
// newsletter", "Let our news meet your inbox … delivered weekday mornings"). One alone is prose's ("the
// newsletter said").
bool signup_line(std::string_view folded, std::size_t words, const PruneRules& r) {
    return words > 0 && words <= r.signup_max_words && phrases_in(folded, r.signup_phrases) >= 2;
}

// The publisher's note on the money it makes from the story's links ("… may earn commission on products purchased
// through affiliate links").
bool disclosure_line(std::string_view folded, std::size_t words, const PruneRules& r) {
    return words > 0 && words <= r.disclosure_max_words && phrases_in(folded, r.disclosure_phrases) >= 1;
}

// Credits closing the story ("Associated Press writers … contributed to this report.").
bool contributor_line(std::string_view folded, std::size_t words, const PruneRules& r) {
    return words > 0 && words <= r.contributor_max_words && phrases_in(folded, r.contributor_phrases) >= 1;
}

// Longest name before the date in a signed dateline.
constexpr std::size_t kSignatureNameWords = 4;

// "By Louis Jacobson on Monday, November 18th, 2019 at 11:04 a.m.": a signature word, a name of one to four words,
// then a dateline with a year. "By 2030 the dam will hold …" is prose: no name before a dateline ends it.
bool signed_date_line(const std::vector<std::string_view>& words, const PruneRules& r) {
    if (words.size() < 3 || words.size() > r.date_line_max_words + kSignatureNameWords + 1 ||
        !listed(r.signature_words, words.front())) {
        return false;
    }
    for (std::size_t name = 1; name <= kSignatureNameWords && name + 1 < words.size(); ++name) {
        if (number_word(words[name]) || listed(r.date_words, words[name])) break;
        const std::vector<std::string_view> rest(words.begin() + static_cast<std::ptrdiff_t>(name) + 1, words.end());
        const bool year = std::any_of(rest.begin(), rest.end(), year_word);
        if (year && date_line(rest, r)) return true;
    }
    return false;
}

// Share (percent) of the words of `a` found among the words of `b`.
std::size_t share_in(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
    // A headline or title of more words than this is no headline (and would cost a * b comparisons).
    constexpr std::size_t kMaxWords = 64;
    if (a.empty() || a.size() > kMaxWords || b.size() > kMaxWords) return 0;
    std::size_t found = 0;
    for (const auto w : a)
        found += std::find(b.begin(), b.end(), w) != b.end() ? 1 : 0;
    return found * 100 / a.size();
}

// The headline as printed over the story, worded apart from the <title> ("Two federal prison officers charged …"
// under "Prison guards charged …"): most of its words are the title's and most of the title's are its.
bool title_variant(const std::vector<std::string_view>& words, const std::vector<std::string_view>& title,
                   const PruneRules& r) {
    return r.title_variant_share > 0 && !title.empty() && share_in(words, title) >= r.title_variant_share &&
           share_in(title, words) >= r.title_variant_share;
}

// `folded` opens with one of `phrases`, ending at a word's end.
bool opens_with(std::string_view folded, const std::vector<std::string>& phrases) {
    for (const auto& p : phrases) {
        if (!p.empty() && folded.starts_with(p) && (folded.size() == p.size() || folded[p.size()] == ' ')) return true;
    }
    return false;
}

// A caption: a short block ending in a parenthesis that credits the picture ("… (Image: GETTY)").
bool caption_line(std::string_view text, std::size_t words, const PruneRules& r) {
    if (words == 0 || words > r.caption_max_words) return false;
    const std::string_view t = trim(text);
    if (!t.ends_with(')')) return false;
    const std::size_t open = t.rfind('(');
    if (open == std::string_view::npos) return false;
    const std::string lowered = lowered_text(t.substr(open, 64));
    for (const auto& p : r.credit_prefixes) {
        if (p.starts_with('(') && starts_with_phrase(lowered, p)) return true;
    }
    return false;
}

// Letters of `text` in upper case, as a share of its letters (ASCII only: shouted English headlines).
bool shouted(std::string_view text) noexcept {
    std::size_t upper = 0, letters = 0;
    for (const char c : text) {
        if (c >= 'A' && c <= 'Z') {
            ++upper;
            ++letters;
        } else if (c >= 'a' && c <= 'z') {
            ++letters;
        }
    }
    return letters >= 8 && upper * 10 >= letters * 9;
}

// A block that is nothing but a link to another story of the same site (the caller keeps blocks linking
// elsewhere): a heading whose text is all link text, or such a paragraph written in capitals (a "related"
// teaser). A plain paragraph that is one link stays, and so do lists of links: in reference pages they are text.
bool link_line(const Block& b, std::size_t linked, std::size_t words, const PruneRules& r) {
    if (words == 0 || words > r.link_block_max_words || !mostly_link_text(b, linked)) return false;
    return b.kind == BlockKind::heading || (b.kind == BlockKind::paragraph && shouted(b.text));
}

std::string_view without_www(std::string_view host) noexcept {
    return host.starts_with("www.") ? host.substr(4) : host;
}

// `s` with its %XX escapes decoded and ASCII letters lower-cased.
std::string decoded_lower(std::string_view s) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
            i += 2;
        } else {
            out.push_back(s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i]);
        }
    }
    return out;
}

// A link to another site whose query carries this page's own host ("facebook.com/sharer.php?u=https://this.site/…",
// "whatsapp://send?text=… https://this.site/…") is a share button: it hands the page to a network, it cites nothing.
bool shares_page(const UrlParts& to, std::string_view own_host) {
    if (own_host.find('.') == std::string_view::npos) return false;
    const std::size_t q = to.path.find('?');
    if (q == std::string::npos) return false;
    // The page's address in full ("//this.site" then its path, its end or a separator), not the host as a word of
    // a tracking parameter ("?utm_source=this.site") or inside another host ("ft.com" in "microsoft.com").
    const std::string query = decoded_lower(std::string_view(to.path).substr(q + 1));
    for (std::size_t at = query.find(own_host); at != std::string::npos; at = query.find(own_host, at + 1)) {
        const std::size_t end = at + own_host.size();
        const bool starts = at >= 2 && query.compare(at - 2, 2, "//") == 0;
        const bool ends = end == query.size() || query[end] == '/' || query[end] == '&' || query[end] == '?' ||
                          query[end] == ':' || query[end] == '#' || query[end] == ' ';
        if (starts && ends) return true;
    }
    return false;
}

// The block holds quotation marks, or a quotation the markup marks (<q>, <blockquote>): what provcheck checks is
// never furniture.
bool quotes_something(const Block& b, bool element_quote) {
    if (element_quote || b.kind == BlockKind::blockquote) return true;
    static constexpr std::string_view marks[] = {"\"", "\u201c", "\u201d", "\u201e", "\u00ab", "\u00bb", "\u2018"};
    for (const auto m : marks) {
        if (b.text.find(m) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

bool mostly_link_text(const Block& b, std::size_t linked) noexcept {
    return !b.text.empty() && linked * 10 >= b.text.size() * 9;
}

namespace {

// `text` lower-cased (Unicode simple case folding), with every run of the characters `gap` picks out written as one
// space between what is kept, and none at either end.
template <class Gap>
std::string lowered_runs(std::string_view text, Gap gap) {
    std::string out;
    out.reserve(text.size());
    bool pending = false;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = utf8::at(text, i);
        i += c.len == 0 ? 1 : c.len;
        if (gap(c.cp)) {
            pending = true;
            continue;
        }
        if (pending && !out.empty()) out.push_back(' ');
        pending = false;
        utf8::append(out, static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c.cp))));
    }
    return out;
}

}  // namespace

std::string lowered_text(std::string_view text) {
    return lowered_runs(text, [](char32_t cp) { return utf8::is_space(cp); });
}

std::string folded_words(std::string_view text) {
    return lowered_runs(text, [](char32_t cp) { return !utf8::is_letter(cp) && !utf8::is_digit(cp); });
}

std::size_t prune_blocks(Document& doc, std::vector<std::vector<TextRange>>& element_quotes, const PruneRules& r,
                         const std::vector<bool>& image_captions) {
    const std::string title = r.title_repeat ? folded_words(doc.title) : std::string{};
    const std::string title_folded = folded_words(doc.title);
    const auto title_words = words_of(title_folded);
    // The headline stands over the story: only the text's first heading, among its first blocks, is compared.
    std::size_t first_heading = doc.blocks.size();
    for (std::size_t i = 0; i < doc.blocks.size() && first_heading == doc.blocks.size(); ++i) {
        if (doc.blocks[i].kind == BlockKind::heading) first_heading = i;
    }
    // A byline of one word ("Reuters") is an agency's name, found in any sentence about it: only names of two words
    // or more are looked for.
    std::string byline =
        r.byline_extra_words > 0 && doc.byline.size() <= kMaxBylineBytes ? folded_words(doc.byline) : std::string{};
    if (byline.find(' ') == std::string::npos) byline.clear();
    // Bytes of each block's text inside links.
    std::vector<std::size_t> linked(doc.blocks.size(), 0);
    for (const auto& l : doc.links) {
        if (l.block >= 0 && static_cast<std::size_t>(l.block) < linked.size() && l.end > l.start) {
            linked[static_cast<std::size_t>(l.block)] += l.end - l.start;
        }
    }
    // Captions of a slideshow: a text printed more than once, one of the times as a list item (one slide of the
    // gallery's <ul>). A paragraph repeated as paragraphs only is left alone: pages do repeat prose.
    std::unordered_map<std::string, std::pair<std::size_t, bool>> copies;  // text -> (count, one in a list)
    if (r.slideshow_captions) {
        for (const auto& b : doc.blocks) {
            if (b.kind == BlockKind::embed || b.text.size() < 20) continue;
            auto& c = copies[b.text];
            ++c.first;
            c.second = c.second || b.kind == BlockKind::list_item;
        }
    }
    auto slide = [&](const Block& b) {
        const auto it = copies.find(b.text);
        return it != copies.end() && it->second.first > 1 && it->second.second;
    };
    // Blocks that link to another site cite a source and stay; the article's own site is its canonical URL's. A link
    // handing this page to a network (its query carries the page's host) is a share button and cites nothing.
    const auto site = parse_url(doc.canonical_url.empty() ? doc.url : doc.canonical_url);
    std::vector<bool> cites(doc.blocks.size(), false);
    for (const auto& l : doc.links) {
        if (l.block < 0 || static_cast<std::size_t>(l.block) >= cites.size()) continue;
        const auto to = parse_url(l.url);
        if (!to || to->host.empty()) continue;
        const bool same = site && !site->host.empty() &&
                          (host_in_domain(without_www(to->host), without_www(site->host)) ||
                           host_in_domain(without_www(site->host), without_www(to->host)));
        if (!same && !(site && shares_page(*to, without_www(site->host))))
            cites[static_cast<std::size_t>(l.block)] = true;
    }
    // Lists of other stories: a short head ("More Great WIRED Stories", "Related coverage", "Next Up In Tech")
    // over two or more short blocks that each hold a link, or the head alone closing the text. A list of facts under
    // "More on the candidates" stays: its items do not each link.
    std::vector<bool> related(doc.blocks.size(), false);
    if (r.related_head_max_words > 0) {
        const std::size_t n = doc.blocks.size();
        auto teaser = [&](std::size_t j) {
            const Block& b = doc.blocks[j];
            return b.kind != BlockKind::embed && linked[j] > 0 &&
                   words_of(folded_words(b.text)).size() <= r.link_block_max_words;
        };
        for (std::size_t i = 0; i < n; ++i) {
            const Block& b = doc.blocks[i];
            if (b.kind != BlockKind::heading && b.kind != BlockKind::paragraph) continue;
            const std::string folded = folded_words(b.text);
            if (words_of(folded).size() > r.related_head_max_words || !opens_with(folded, r.related_heads)) continue;
            std::size_t j = i + 1;
            while (j < n && teaser(j))
                ++j;
            if (j - i - 1 >= 2 || i + 1 == n) {
                std::fill(related.begin() + static_cast<std::ptrdiff_t>(i),
                          related.begin() + static_cast<std::ptrdiff_t>(j), true);
                i = j - 1;
            }
        }
    }
    std::vector<int> new_index(doc.blocks.size(), -1);
    std::vector<Block> kept;
    std::vector<std::vector<TextRange>> kept_quotes;
    kept.reserve(doc.blocks.size());
    for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
        Block& b = doc.blocks[i];
        bool drop = false;
        const bool element_quote = i < element_quotes.size() && !element_quotes[i].empty();
        if (b.kind != BlockKind::embed && !cites[i] && !quotes_something(b, element_quote)) {
            const std::string folded = folded_words(b.text);
            const auto words = words_of(folded);
            // A list item is a control only when it is a link ("Twitter" in a share bar, not in a list of firms).
            const bool control =
                (b.kind != BlockKind::list_item || mostly_link_text(b, linked[i])) && chrome_line(words, r);
            drop = (!title.empty() && folded == title) ||
                   (r.date_line_max_words > 0 && near_edge(i, doc.blocks.size(), r) && date_line(words, r)) ||
                   control ||
                   (!byline.empty() && near_edge(i, doc.blocks.size(), r) &&
                    byline_line(folded, words.size(), byline, r)) ||
                   credit_line(b.text, words.size(), r) || lead_line(b.text, words.size(), r) ||
                   caption_line(b.text, words.size(), r) || link_line(b, linked[i], words.size(), r) || slide(b) ||
                   signup_line(folded, words.size(), r) || disclosure_line(folded, words.size(), r) || related[i] ||
                   (i + r.date_line_edge_blocks >= doc.blocks.size() && contributor_line(folded, words.size(), r)) ||
                   (near_edge(i, doc.blocks.size(), r) && signed_date_line(words, r)) ||
                   (r.image_alt_captions && i < image_captions.size() && image_captions[i]) ||
                   (b.kind == BlockKind::heading && i == first_heading && i < r.date_line_edge_blocks &&
                    title_variant(words, title_words, r));
        }
        if (drop) continue;
        new_index[i] = static_cast<int>(kept.size());
        kept.push_back(std::move(b));
        kept_quotes.push_back(i < element_quotes.size() ? std::move(element_quotes[i]) : std::vector<TextRange>{});
    }
    const std::size_t removed = doc.blocks.size() - kept.size();
    doc.blocks = std::move(kept);
    element_quotes = std::move(kept_quotes);
    if (removed == 0) return 0;
    auto moved = [&](int block) { return block < 0 ? block : new_index[static_cast<std::size_t>(block)]; };
    // A link of a pruned block leaves with it; a link outside the main text (-1) stays.
    doc.links.erase(std::remove_if(doc.links.begin(), doc.links.end(),
                                   [&](const Link& l) { return l.block >= 0 && moved(l.block) < 0; }),
                    doc.links.end());
    for (auto& l : doc.links)
        l.block = moved(l.block);
    for (auto& e : doc.embeds) {
        e.block = moved(e.block);
        for (auto& l : e.links)
            l.block = moved(l.block);
    }
    return removed;
}

}  // namespace provcheck
