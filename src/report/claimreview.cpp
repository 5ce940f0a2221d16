#include <fmt/format.h>

#include "report/formats.hpp"

namespace provcheck {

using nlohmann::json;

namespace {

struct Rating {
    int value;  // 1 (worst) to 5
    std::string_view name;
};

std::optional<Rating> rating_for(const ClaimResult& c) {
    switch (c.verdict) {
        case Verdict::altered:
            return has_critical_difference(c) ? Rating{1, "Altered quotation"} : Rating{2, "Misquoted"};
        case Verdict::not_found:
            return Rating{2, "Not found in the cited source"};
        case Verdict::source_restricted:
            return Rating{3, "Unverifiable: the source's text is restricted"};
        case Verdict::source_unavailable:
            return Rating{3, "Unverifiable: the source is unavailable"};
        case Verdict::unsourced:
            return Rating{3, "Unverifiable: no source given"};
        default:
            return std::nullopt;
    }
}

}  // namespace

json report_claimreview(const Report& report, const ClaimReviewOptions& options) {
    json graph = json::array();
    for (const auto& a : report.articles) {
        if (a.error) continue;
        const std::string url = article_url(a);
        for (const auto& c : a.claims) {
            auto rating = rating_for(c);
            if (!rating) continue;
            json appearance = {{"@type", "NewsArticle"}, {"url", url}};
            if (!a.document.title.empty()) appearance["headline"] = a.document.title;
            if (!a.document.published.empty()) appearance["datePublished"] = a.document.published;
            json item = {{"@type", "Claim"}, {"appearance", json::array({appearance})}};
            if (!c.claim.speaker.empty()) {
                // A speaker who is the outlet itself is an organisation; anyone quoted through it a person.
                const bool organisation = c.claim.outlet == c.claim.speaker;
                item["author"] = {{"@type", organisation ? "Organization" : "Person"}, {"name", c.claim.speaker}};
            }
            if (c.source && c.source->ok()) {
                item["firstAppearance"] = {
                    {"@type", "CreativeWork"},
                    {"url", c.source->final_url.empty() ? c.source->requested_url : c.source->final_url}};
            }
            json review = {{"@type", "ClaimReview"},
                           {"url", fmt::format("{}#provcheck-{}", url, c.claim.id)},
                           {"claimReviewed", c.claim.quote},
                           {"author", {{"@type", "Organization"}, {"name", options.reviewer}}},
                           {"reviewRating",
                            {{"@type", "Rating"},
                             {"ratingValue", rating->value},
                             {"bestRating", 5},
                             {"worstRating", 1},
                             {"alternateName", rating->name}}},
                           {"reviewBody", describe_claim(c)},
                           {"itemReviewed", item}};
            if (!options.date.empty()) review["datePublished"] = options.date;
            graph.push_back(std::move(review));
        }
    }
    return {{"@context", "https://schema.org"}, {"@graph", graph}};
}

}  // namespace provcheck
