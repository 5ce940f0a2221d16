#include "check/sources.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <unordered_map>

#include "core/text.hpp"
#include "core/url.hpp"
#include "extract/quotes.hpp"

namespace provcheck {

namespace {

void add_candidate(std::vector<Candidate>& out, std::string url, std::string reason, SourceTie tie) {
    if (url.empty()) return;
    for (const auto& c : out) {
        if (c.url == url) return;
    }
    out.push_back({std::move(url), std::move(reason), tie});
}

bool alnum(char c) noexcept {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || (static_cast<unsigned char>(c) & 0x80) != 0;
}

// `word` as a whole word of `text` (both compared as they are).
bool has_word(std::string_view text, std::string_view word) {
    if (word.empty()) return false;
    for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
        const bool left = at == 0 || !alnum(text[at - 1]);
        const std::size_t end = at + word.size();
        const bool right = end >= text.size() || !alnum(text[end]);
        if (left && right) return true;
    }
    return false;
}

std::string_view strip_leading_the(std::string_view s) {
    s = trim(s);
    if (s.size() > 4 && iequals(s.substr(0, 4), "the ")) s.remove_prefix(4);
    return s;
}

// Lower-case words of a name: letters and digits only ("U.S." gives "us"), "the" and `skip` left out.
std::vector<std::string> name_words(std::string_view name, const std::vector<std::string>& skip = {}) {
    std::vector<std::string> out;
    for (auto part : split(strip_leading_the(name), ' ')) {
        std::string w;
        for (char c : part) {
            if (alnum(c)) w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (w.empty() || w == "the" || std::find(skip.begin(), skip.end(), w) != skip.end()) continue;
        out.push_back(std::move(w));
    }
    return out;
}

std::size_t letters(std::string_view w) {
    return static_cast<std::size_t>(std::count_if(w.begin(), w.end(), alnum));
}

}  // namespace

bool binding_applies(const SourceBinding& b, const Claim& claim, const RuleSet& rules) {
    if (b.name.empty()) return true;
    // An inferred speaker (Claim::speaker_inferred) is no one the article attributes the words to.
    if (claim.speaker_inferred) return false;
    if (same_name(b.name, claim.speaker) || same_name(b.name, claim.outlet)) return true;
    const Outlet* bound = rules.find_outlet(b.name);
    if (bound == nullptr) return false;
    return bound == rules.find_outlet(claim.outlet) || bound == rules.find_outlet(claim.speaker);
}

std::optional<std::string> oembed_url(const RuleSet& rules, std::string_view status_url) {
    auto parts = parse_url(status_url);
    if (!parts) return std::nullopt;
    for (const RuleFile* f : rules.site_files()) {
        const auto* oembed = f->table["oembed"].as_table();
        if (oembed == nullptr) continue;
        std::string endpoint = (*oembed)["endpoint"].value_or(std::string{});
        const auto* match = (*oembed)["match"].as_array();
        if (endpoint.empty() || match == nullptr) continue;
        bool applies = false;
        for (const auto& m : *match)
            applies = applies || host_in_domain(parts->host, m.value_or(std::string{}));
        if (!applies) continue;
        // The status URL without tracking query (ref_src=…) and fragment, percent-encoded whole.
        std::string bare(status_url.substr(0, status_url.find_first_of("?#")));
        char* escaped = curl_easy_escape(nullptr, bare.c_str(), static_cast<int>(bare.size()));
        if (escaped == nullptr) return std::nullopt;
        std::string enc(escaped);
        curl_free(escaped);
        auto pos = endpoint.find("{url}");
        if (pos == std::string::npos) return std::nullopt;
        endpoint.replace(pos, 5, enc);
        return endpoint;
    }
    return std::nullopt;
}

bool names_speaker(std::string_view text, std::string_view speaker, const SourceRules& rules) {
    const std::string_view name = strip_leading_the(speaker);
    if (name.empty()) return false;
    if (has_word(to_lower_ascii(text), to_lower_ascii(name))) return true;
    const auto space = name.rfind(' ');
    if (space == std::string_view::npos) return false;
    const std::string_view last = name.substr(space + 1);
    if (letters(last) < rules.surname_min_letters || !std::isupper(static_cast<unsigned char>(last.front()))) {
        return false;
    }
    return has_word(text, last);
}

bool host_named_after(std::string_view host, std::string_view name, const SourceRules& rules) {
    const auto words = name_words(name, rules.skip_words);
    if (words.empty()) return false;
    std::vector<std::string> keys;
    std::string all;
    for (const auto& w : words)
        all += w;
    if (all.size() >= rules.site_name_min_letters) keys.push_back(all);
    if (words.size() >= 3) {
        std::string head;
        for (std::size_t i = 0; i + 1 < words.size(); ++i)
            head += words[i];
        if (head.size() >= rules.site_name_min_letters) keys.push_back(head);
    }
    if (words.size() >= 3) {
        std::string initials;
        for (const auto& w : words)
            initials += w.front();
        keys.push_back(initials);
    }
    auto labels = split(host, '.');
    if (labels.size() < 2) return false;
    labels.pop_back();  // the top-level domain names no one
    for (auto label : labels) {
        std::string l;
        for (char c : label) {
            if (c != '-') l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (l == "www") continue;
        if (std::find(keys.begin(), keys.end(), l) != keys.end()) return true;
    }
    return false;
}

bool same_speaker(std::string_view a, std::string_view b, const std::vector<std::string>& titles) {
    std::vector<std::string> bare_titles;  // "Sen." as "sen", like the words of a name
    for (const auto& t : titles) {
        for (auto& w : name_words(t))
            bare_titles.push_back(std::move(w));
    }
    auto words = [&](std::string_view s) {
        std::vector<std::string> out;
        for (auto& w : name_words(s)) {
            if (std::find(bare_titles.begin(), bare_titles.end(), w) == bare_titles.end()) out.push_back(std::move(w));
        }
        return out;
    };
    auto x = words(a);
    auto y = words(b);
    if (x.empty() || y.empty()) return false;
    if (x.size() > y.size()) std::swap(x, y);
    // Every word of the shorter name is in the longer one: "Osei" and "Amara Osei", not "Kwame Osei".
    return std::all_of(x.begin(), x.end(),
                       [&](const std::string& w) { return std::find(y.begin(), y.end(), w) != y.end(); });
}

ArticleSources::ArticleSources(const ArticleResult& article, const std::vector<Claim>& claims, const RuleSet& rules)
    : article_(article), claims_(claims) {
    std::unordered_map<std::string_view, const std::string*> final_url;
    for (const auto& l : article.links) {
        const std::string& to = l.capture.final_url.empty() ? l.link.url : l.capture.final_url;
        final_url.emplace(l.link.url, &to);
        const Outlet* leads = rules.outlet_for_url(to);
        const Outlet* named = rules.outlet_for_url(l.link.url);
        if (leads != nullptr) by_outlet_[leads].push_back(&l.link.url);
        if (named != nullptr && named != leads) by_outlet_[named].push_back(&l.link.url);
    }
    for (const auto& l : article.document.links) {
        if (l.block < 0 || !is_http_url(l.url)) continue;
        auto it = final_url.find(l.url);
        auto parts = parse_url(it != final_url.end() ? std::string_view(*it->second) : std::string_view(l.url));
        cited_.push_back({&l, parts ? parts->host : std::string(), l.anchor_text + "\n" + sentence_of(l)});
        if (article.links.empty()) {
            // The links were not followed (--depth 0): where they name an outlet is all that is known.
            if (const Outlet* named = rules.outlet_for_url(l.url)) by_outlet_[named].push_back(&l.url);
        }
    }
}

std::string ArticleSources::sentence_of(const Link& link) const {
    const auto& blocks = article_.document.blocks;
    if (link.block < 0 || static_cast<std::size_t>(link.block) >= blocks.size()) return {};
    const std::string_view text = blocks[static_cast<std::size_t>(link.block)].text;
    auto boundary = [&](std::size_t i) {
        return (text[i] == '.' || text[i] == '!' || text[i] == '?') && i + 1 < text.size() && text[i + 1] == ' ';
    };
    const std::size_t from = std::min(link.start, text.size());
    const std::size_t to = std::min(std::max(link.end, from), text.size());
    std::size_t begin = from;
    while (begin > 0 && from - begin < max_context_bytes && !boundary(begin - 1))
        --begin;
    std::size_t end = to;
    while (end < text.size() && end - to < max_context_bytes && !boundary(end))
        ++end;
    return std::string(text.substr(begin, std::min(end + 1, text.size()) - begin));
}

void ArticleSources::speaker_links(const Claim& claim, const SourceRules& rules, std::vector<Candidate>& out) const {
    // Names as the reasons print them: "the site of Kestrel Institute", not "of the Kestrel Institute".
    std::vector<std::string> names{std::string(strip_leading_the(claim.speaker))};
    if (!claim.outlet.empty() && !same_name(claim.outlet, claim.speaker)) {
        names.emplace_back(strip_leading_the(claim.outlet));
    }
    std::size_t taken = 0;
    auto add = [&](const std::string& url, std::string reason) {
        if (taken >= rules.speaker_max_links || !is_http_url(url)) return;
        const std::size_t before = out.size();
        add_candidate(out, url, std::move(reason), SourceTie::speaker);
        taken += out.size() - before;
    };
    // Another quotation of the same speaker that has a link.
    for (const auto& other : claims_) {
        if (&other == &claim || other.id == claim.id || other.linked_urls.empty() || other.speaker_inferred) continue;
        if (!names_speaker(other.speaker, claim.speaker, rules) && !names_speaker(claim.speaker, other.speaker, rules))
            continue;
        for (const auto& url : other.linked_urls)
            add(url, fmt::format("link of another quotation of {}", names.front()));
    }
    // A link whose anchor text or sentence names the speaker.
    for (const auto& c : cited_) {
        for (const auto& name : names) {
            if (names_speaker(c.context, name, rules)) {
                add(c.link->url, fmt::format("link in a sentence naming {}", name));
                break;
            }
        }
    }
    // A link to a site named after the speaker.
    for (const auto& c : cited_) {
        for (const auto& name : names) {
            if (host_named_after(c.host, name, rules)) {
                add(c.link->url, fmt::format("link to {}, the site of {}", c.host, name));
                break;
            }
        }
    }
}

std::vector<Candidate> ArticleSources::candidates_for(const Claim& claim, const std::vector<SourceBinding>& bindings,
                                                      const RuleSet& rules, const SourceRules& source_rules) const {
    std::vector<Candidate> out;
    if (claim.kind == ClaimKind::embed) {
        if (auto url = oembed_url(rules, claim.embed_status_url)) {
            add_candidate(out, *url, "the post's oEmbed answer", SourceTie::beside);
        }
        return out;
    }
    for (const auto& b : bindings) {
        if (binding_applies(b, claim, rules)) {
            add_candidate(
                out, b.target,
                b.name.empty() ? std::string("bound by --source") : fmt::format("bound by --source {}", b.name),
                SourceTie::bound);
        }
    }
    for (const auto& url : claim.linked_urls) {
        if (is_http_url(url)) add_candidate(out, url, "link beside the quotation", SourceTie::beside);
    }
    // A speaker the article names ties sources to the claim; one inferred from the names around it does not.
    const bool attributed = !claim.speaker.empty() && !claim.speaker_inferred;
    if (attributed) speaker_links(claim, source_rules, out);
    const Outlet* outlet = attributed ? rules.find_outlet(claim.outlet) : nullptr;
    if (outlet == nullptr && attributed) outlet = rules.find_outlet(claim.speaker);
    if (auto it = outlet != nullptr ? by_outlet_.find(outlet) : by_outlet_.end(); it != by_outlet_.end()) {
        std::size_t taken = 0;
        for (const std::string* url : it->second) {
            if (taken++ == max_outlet_candidates) break;
            add_candidate(out, *url, fmt::format("link to {} in the article", outlet->name), SourceTie::outlet);
        }
    }
    if (claim.kind == ClaimKind::quote && count_words(claim.quote) >= source_rules.cited_min_words &&
        source_rules.cited_max_sources > 0) {
        // The article's other cited sources, nearest to the quotation first (then in reading order).
        std::vector<const CitedLink*> rest;
        for (const auto& c : cited_) {
            if (std::none_of(out.begin(), out.end(), [&](const Candidate& x) { return x.url == c.link->url; }))
                rest.push_back(&c);
        }
        std::stable_sort(rest.begin(), rest.end(), [&](const CitedLink* a, const CitedLink* b) {
            return std::abs(a->link->block - claim.block) < std::abs(b->link->block - claim.block);
        });
        std::size_t taken = 0;
        for (const CitedLink* c : rest) {
            if (taken == source_rules.cited_max_sources) break;
            const std::size_t before = out.size();
            add_candidate(out, c->link->url, "another source the article cites", SourceTie::cited);
            taken += out.size() - before;
        }
    }
    return out;
}

}  // namespace provcheck
