#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/formats.hpp"
#include "report/writer.hpp"

namespace provcheck {

using nlohmann::json;

namespace {

// Google's ClaimReview guidelines and schema.org: a ClaimReview rates one claim (here, a quotation as an
// article printed it) on a numeric scale with a plain-words name; the Claim it reviews says who made it
// (author) and where it appeared (appearance, firstAppearance: the article). Claims that could not be checked
// get a name ("Unverifiable: …") and no number, so that no scale ranks them against checked ones.
struct Rating {
    std::optional<int> value;  // 1 (worst) to 5; none for a claim that could not be checked
    std::string name;
};

constexpr int best_rating = 5;
constexpr int worst_rating = 1;

// What a critical difference did, as a reader would say it.
std::string what_changed(const ClaimResult& c) {
    if (!c.match) return "the words differ from the source";
    for (const auto& d : c.match->differences) {
        if (!d.critical) continue;
        switch (d.kind) {
            case DiffKind::number:
                return "a number was changed";
            case DiffKind::negation:
                return "a negation was added or removed";
            case DiffKind::name:
                return "a name was changed";
            case DiffKind::stitched:
                return "separate passages were joined as one";
            case DiffKind::order:
                return "the words were reordered";
            default:
                return d.op == "elided" ? "the words left out change the meaning" : "words were changed";
        }
    }
    return "words were changed";
}

std::optional<Rating> rating_for(const ClaimResult& c) {
    switch (c.verdict) {
        case Verdict::altered:
            return has_critical_difference(c) ? Rating{1, "Misquoted: " + what_changed(c)}
                                              : Rating{3, "Misquoted: the wording differs, the meaning does not"};
        case Verdict::misattributed:
            return Rating{1, "Misattributed: the source gives these words to " + c.source_speaker};
        case Verdict::not_found:
            return Rating{1, "Not in the cited source"};
        case Verdict::source_restricted:
            return Rating{std::nullopt, "Unverifiable: the source could be read only in part"};
        case Verdict::source_unavailable:
            return Rating{std::nullopt, "Unverifiable: the source could not be read"};
        case Verdict::unsourced:
            return Rating{std::nullopt, "Unverifiable: no source given"};
        default:
            return std::nullopt;
    }
}

// Speakers quoted through an outlet are people unless their name says otherwise; the outlet itself, and names
// of bodies (a county, an authority, a ministry), are organisations.
bool is_organisation(const Claim& c) {
    if (c.speaker == c.outlet) return true;
    static const std::vector<std::string_view> words{
        "Agency",  "Association",  "Authority",    "Bank",       "Board",      "Bureau",     "Campaign",
        "Center",  "Centre",       "Commission",   "Committee",  "Company",    "Corp",       "Corporation",
        "Council", "County",       "Court",        "Department", "Foundation", "Government", "Group",
        "Inc",     "Institute",    "League",       "Ltd",        "Ministry",   "Network",    "News",
        "Office",  "Organisation", "Organization", "Parliament", "Party",      "Police",     "Post",
        "Press",   "Service",      "Times",        "Trust",      "Union",      "University", "Water"};
    std::string_view name = c.speaker;
    std::size_t i = 0;
    while (i < name.size()) {
        const std::size_t j = std::min(name.find_first_of(" ,.-", i), name.size());
        const std::string_view word = name.substr(i, j - i);
        for (const auto& w : words) {
            if (word == w) return true;
        }
        i = j + 1;
    }
    // An acronym (NASA, WHO, AP) names a body, not a person.
    return name.size() >= 2 && name.size() <= 6 &&
           name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ&") == std::string_view::npos;
}

std::string source_url(const ClaimResult& c) {
    if (!c.source) return {};
    return c.source->final_url.empty() ? c.source->requested_url : c.source->final_url;
}

// The review in plain language: what the article printed, what the source says, what differs.
std::string review_body(const ClaimResult& c, std::string_view article_title) {
    // (A speaker inferred from the names around the quotation is not whom the article quotes.)
    const std::string who =
        c.claim.speaker.empty() || c.claim.speaker_inferred ? std::string("someone it does not name") : c.claim.speaker;
    const std::string article =
        article_title.empty() ? std::string("The article") : fmt::format("The article “{}”", article_title);
    const std::string printed = fmt::format("{} quotes {} as saying “{}”", article, who, c.claim.quote);
    std::string url = source_url(c);
    if (const std::string where = passage_locator(c); !where.empty()) url += ", " + where;
    switch (c.verdict) {
        case Verdict::altered: {
            std::string out = fmt::format("{}. The source it cites ({}) says “{}”.", printed, url,
                                          c.match ? c.match->text : std::string());
            if (c.match) {
                std::vector<std::string> changes;
                for (const auto& d : c.match->differences) {
                    if (!d.critical) continue;
                    if (d.op == "replace") {
                        changes.push_back(fmt::format("“{}” where the source has “{}”", d.quote, d.source));
                    } else if (d.op == "insert") {
                        changes.push_back(fmt::format("“{}”, which the source does not have", d.quote));
                    } else if (d.op == "delete") {
                        changes.push_back(fmt::format("no “{}”, which the source has", d.source));
                    } else if (d.op == "elided") {
                        changes.push_back(fmt::format("leaves out “{}”, which changes the meaning", d.source));
                    }
                }
                if (!changes.empty()) {
                    out += " The quotation has ";
                    for (std::size_t i = 0; i < changes.size(); ++i)
                        out += (i == 0 ? "" : i + 1 == changes.size() ? " and " : ", ") + changes[i];
                    out += ".";
                } else {
                    out += " The wording differs; the meaning does not.";
                }
            }
            return out;
        }
        case Verdict::misattributed:
            return fmt::format("{}. The source it cites ({}) has these words, but gives them to {}.", printed, url,
                               c.source_speaker);
        case Verdict::not_found:
            return fmt::format("{}. These words do not appear in the source it cites ({}).", printed, url);
        case Verdict::source_restricted:
            if (!c.restriction.empty()) {
                return fmt::format(
                    "{}. The source it cites ({}) could not be read in full ({}), and the quotation is "
                    "not in what could be read, so it could not be checked.",
                    printed, url, c.restriction);
            }
            return fmt::format(
                "{}. Only part of the source it cites ({}) could be read (a paywall or a size limit), and the "
                "quotation is not in that part, so it could not be checked.",
                printed, url);
        case Verdict::source_unavailable:
            return fmt::format(
                "{}. The source it cites{} could not be read when it was checked, so the quotation "
                "could not be checked.",
                printed, url.empty() ? std::string() : fmt::format(" ({})", url));
        case Verdict::unsourced:
            return fmt::format("{}. The article gives no link or source for it, so it could not be checked.", printed);
        default:
            return printed + ".";
    }
}

// The reviews of an article's claims that get a rating.
void article_reviews(const ArticleResult& a, const ClaimReviewOptions& options,
                     const std::function<void(json)>& emit_review) {
    if (a.error) return;
    const std::string url = article_url(a);
    for (const auto& c : a.claims) {
        auto rating = rating_for(c);
        if (!rating) continue;
        // Where the claim appeared: the article that printed the quotation.
        json appearance = {{"@type", "NewsArticle"}, {"url", url}};
        if (!a.document.title.empty()) appearance["headline"] = a.document.title;
        if (!a.document.published.empty()) appearance["datePublished"] = a.document.published;
        json item = {{"@type", "Claim"}, {"appearance", json::array({appearance})}, {"firstAppearance", appearance}};
        if (!a.document.published.empty()) item["datePublished"] = a.document.published;
        if (!c.claim.speaker.empty() && !c.claim.speaker_inferred) {
            item["author"] = {{"@type", is_organisation(c.claim) ? "Organization" : "Person"},
                              {"name", c.claim.speaker}};
        }
        json rated = {{"@type", "Rating"}, {"alternateName", rating->name}};
        if (rating->value) {
            rated["ratingValue"] = *rating->value;
            rated["bestRating"] = best_rating;
            rated["worstRating"] = worst_rating;
        }
        json review = {{"@type", "ClaimReview"},
                       {"claimReviewed", c.claim.quote},
                       {"author", {{"@type", "Organization"}, {"name", options.reviewer}}},
                       {"reviewRating", rated},
                       {"reviewBody", review_body(c, a.document.title)},
                       {"itemReviewed", item}};
        // The fact-check's own page, when the caller publishes one; a ClaimReview never points at the
        // article it reviews as if that were the review.
        if (!options.url.empty()) review["url"] = options.url;
        if (!options.date.empty()) review["datePublished"] = options.date;
        emit_review(std::move(review));
    }
}

// ClaimReview as report_claimreview(...).dump(2) writes it, the reviews spooled as articles come.
class ClaimReviewWriter final : public ReportWriter {
public:
    ClaimReviewWriter(Spool graph, ClaimReviewOptions options)
        : graph_(std::move(graph)), options_(std::move(options)) {}

    void add(const ArticleResult& a, const std::vector<ClaimGate>*) override {
        article_reviews(a, options_, [&](json review) {
            std::string part = nested_item_prefix(count_++, 1);
            append_nested(part, review.dump(2), 2);
            graph_.append(part);
        });
    }

    Result<void> finish(const ReportTotals&, const GateTotals*, const Emit& emit) override {
        if (auto r = emit("{\n  \"@context\": \"https://schema.org\",\n  \"@graph\": "); !r) return r;
        if (auto r = emit_nested_array(graph_, 1, emit); !r) return r;
        return emit("\n}\n");
    }

private:
    Spool graph_;
    ClaimReviewOptions options_;
    std::size_t count_ = 0;
};

}  // namespace

Result<std::unique_ptr<ReportWriter>> claimreview_report_writer(bool in_memory, ClaimReviewOptions options) {
    auto spool = Spool::open(in_memory);
    if (!spool) return std::unexpected(spool.error());
    return std::make_unique<ClaimReviewWriter>(std::move(*spool), std::move(options));
}

json report_claimreview(const Report& report, const ClaimReviewOptions& options) {
    json graph = json::array();
    for (const auto& a : report.articles)
        article_reviews(a, options, [&](json review) { graph.push_back(std::move(review)); });
    return {{"@context", "https://schema.org"}, {"@graph", graph}};
}

}  // namespace provcheck
