#include "extract/embeds.hpp"

#include <algorithm>
#include <climits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/text.hpp"
#include "core/url.hpp"
#include "extract/dom.hpp"
#include "extract/quotes.hpp"

namespace provcheck::extract_detail {

using namespace dom;

bool is_status_url(std::string_view url) {
    const auto parts = parse_url(url);
    return parts && (host_in_domain(parts->host, "twitter.com") || host_in_domain(parts->host, "x.com")) &&
           parts->path.find("/status/") != std::string::npos;
}

bool is_tweet(const GumboNode* n) {
    return has_tag(n, GUMBO_TAG_BLOCKQUOTE) && (has_class(n, "twitter-tweet") || has_class(n, "twitter-video"));
}

bool is_instagram(const GumboNode* n) {
    // Instagram's own markup ("instagram-media"), or a site's placeholder for a post it loads later
    // ("js-instagram__container", whose only text is "View this photo on Instagram").
    if (!has_tag(n, GUMBO_TAG_BLOCKQUOTE)) return false;
    const auto c = attr(n, "class");
    return c && to_lower_ascii(*c).find("instagram") != std::string::npos;
}

// ---------------------------------------------------------------------------------------------
// URLs printed as text ("… on Thursday.https://t.co/QTXysZZmQN")

namespace {

bool url_char(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return false;
    return std::string_view("<>\"{}|\\^`").find(c) == std::string_view::npos;
}

}  // namespace

void add_bare_urls(Document& doc, std::size_t max_links) {
    std::vector<Link> found;
    // The text each block's own links already cover, gathered in one pass over the links, by start; with the
    // furthest end reached so far, a URL overlaps some covered range exactly when the furthest end among the
    // ranges starting before the URL's end lies past the URL's start.
    struct Covered {
        std::vector<std::size_t> starts;
        std::vector<std::size_t> reach;  // reach[k]: the largest end among the first k + 1 ranges
    };
    std::vector<std::vector<TextRange>> taken_in(doc.blocks.size());
    for (const auto& l : doc.links) {
        if (l.block >= 0 && static_cast<std::size_t>(l.block) < doc.blocks.size() && l.end > l.start) {
            taken_in[static_cast<std::size_t>(l.block)].emplace_back(l.start, l.end);
        }
    }
    std::vector<std::vector<std::size_t>> embeds_in(doc.blocks.size());
    for (std::size_t e = 0; e < doc.embeds.size(); ++e) {
        const int b = doc.embeds[e].block;
        if (b >= 0 && static_cast<std::size_t>(b) < doc.blocks.size())
            embeds_in[static_cast<std::size_t>(b)].push_back(e);
    }
    for (std::size_t b = 0; b < doc.blocks.size(); ++b) {
        const std::string& text = doc.blocks[b].text;
        const int bi = static_cast<int>(b);
        Covered covered;
        {
            std::vector<TextRange>& taken = taken_in[b];
            std::sort(taken.begin(), taken.end());
            std::size_t reach = 0;
            for (const auto& r : taken) {
                reach = std::max(reach, r.second);
                covered.starts.push_back(r.first);
                covered.reach.push_back(reach);
            }
            std::vector<TextRange>().swap(taken);
        }
        // The next place of each prefix, searched again only once the scan has passed it: a prefix that is rare
        // in the block is not looked for anew at every URL.
        constexpr std::string_view prefixes[] = {"https://", "http://", "pic.twitter.com/"};
        std::size_t next[3];
        for (std::size_t k = 0; k < 3; ++k)
            next[k] = text.find(prefixes[k]);
        std::size_t i = 0;
        while (i < text.size()) {
            std::size_t at = std::string::npos;
            for (std::size_t k = 0; k < 3; ++k) {
                if (next[k] != std::string::npos && next[k] < i) next[k] = text.find(prefixes[k], i);
                at = std::min(at, next[k]);
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
            const auto before_end = static_cast<std::size_t>(
                std::lower_bound(covered.starts.begin(), covered.starts.end(), end) - covered.starts.begin());
            const bool inside = before_end > 0 && covered.reach[before_end - 1] > at;
            i = std::max(end, at + 1);
            if (inside) continue;
            const std::string candidate =
                printed.starts_with("pic.") ? "https://" + std::string(printed) : std::string(printed);
            const auto url = normalize_url(candidate);
            const auto parts = url ? parse_url(*url) : std::nullopt;
            if (!url || !parts || parts->host.find('.') == std::string::npos) continue;
            if (doc.links.size() + found.size() >= max_links) {
                ++doc.links_dropped;
                continue;
            }
            Link l;
            l.href = std::string(printed);
            l.url = *url;
            l.anchor_text = std::string(printed);
            l.block = bi;
            l.start = at;
            l.end = end;
            for (std::size_t e : embeds_in[b])
                doc.embeds[e].links.push_back(l);
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

}  // namespace provcheck::extract_detail
