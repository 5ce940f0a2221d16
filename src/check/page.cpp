#include "check/page.hpp"

#include <fmt/format.h>

#include "attribute/attribute.hpp"
#include "core/url.hpp"

namespace provcheck {

Result<Document> read_document(const Capture& capture, std::string_view input, const RuleSet& rules,
                               const ExtractLimits& limits) {
    auto doc = extract_document(capture.body, capture.final_url, rules, limits);
    if (!doc) return fail(doc.error().code, fmt::format("{}: {}", input, doc.error().message));
    if (!is_http_url(input) && is_http_url(doc->canonical_url)) {
        if (auto again = extract_document(capture.body, doc->canonical_url, rules, limits)) doc = std::move(again);
    }
    return doc;
}

Result<PageRead> read_page(const Capture& capture, std::string_view input, const CheckRules& rules,
                           const ExtractLimits& limits) {
    auto doc = read_document(capture, input, rules.rules, limits);
    if (!doc) return std::unexpected(doc.error());
    PageRead page{std::move(*doc), {}};
    page.claims = attribute_claims(page.document, rules.rules, rules.attribution);
    return page;
}

}  // namespace provcheck
