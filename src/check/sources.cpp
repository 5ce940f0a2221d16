#include "check/sources.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include "core/url.hpp"

namespace provcheck {

namespace {

void add_candidate(std::vector<Candidate>& out, std::string url, std::string reason) {
    if (url.empty()) return;
    for (const auto& c : out) {
        if (c.url == url) return;
    }
    out.push_back({std::move(url), std::move(reason)});
}

}  // namespace

bool binding_applies(const SourceBinding& b, const Claim& claim, const RuleSet& rules) {
    if (b.name.empty()) return true;
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

OutletLinks outlet_links(const ArticleResult& a, const RuleSet& rules) {
    OutletLinks out;
    for (const auto& l : a.links) {
        const Outlet* to = rules.outlet_for_url(l.capture.final_url.empty() ? l.link.url : l.capture.final_url);
        const Outlet* named = rules.outlet_for_url(l.link.url);
        if (to != nullptr) out[to].push_back(&l.link.url);
        if (named != nullptr && named != to) out[named].push_back(&l.link.url);
    }
    return out;
}

std::vector<Candidate> candidates_for(const Claim& claim, const OutletLinks& links,
                                      const std::vector<SourceBinding>& bindings, const RuleSet& rules) {
    std::vector<Candidate> out;
    if (claim.kind == ClaimKind::embed) {
        if (auto url = oembed_url(rules, claim.embed_status_url)) add_candidate(out, *url, "the post's oEmbed answer");
        return out;
    }
    for (const auto& url : claim.linked_urls) {
        if (is_http_url(url)) add_candidate(out, url, "link beside the quotation");
    }
    const Outlet* outlet = rules.find_outlet(claim.outlet);
    if (outlet == nullptr) outlet = rules.find_outlet(claim.speaker);
    if (auto it = outlet != nullptr ? links.find(outlet) : links.end(); it != links.end()) {
        std::size_t taken = 0;
        for (const std::string* url : it->second) {
            if (taken++ == max_outlet_candidates) break;
            add_candidate(out, *url, fmt::format("link to {} in the article", outlet->name));
        }
    }
    for (const auto& b : bindings) {
        if (binding_applies(b, claim, rules)) {
            add_candidate(
                out, b.target,
                b.name.empty() ? std::string("bound by --source") : fmt::format("bound by --source {}", b.name));
        }
    }
    return out;
}

}  // namespace provcheck
