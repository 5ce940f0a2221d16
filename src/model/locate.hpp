// Where a quotation stands in the article's HTML as served, for reports that point into the page (SARIF's
// regions). The check library works it out for every claim while it still holds the HTML, and then lets the
// HTML go, so that a batch of thousands of articles keeps only what its reports show.
#pragma once

#include <optional>
#include <vector>

#include "model/result.hpp"

namespace provcheck {

// The position of `claim`'s quotation in `article`'s HTML (article.capture.body), searched for within its
// block; nullopt when the HTML is gone or the claim has no block.
[[nodiscard]] std::optional<HtmlPosition> locate_quote(const ArticleResult& article, const ClaimResult& claim);
// The same for every claim of the article, in one pass over its HTML.
[[nodiscard]] std::vector<std::optional<HtmlPosition>> locate_quotes(const ArticleResult& article);

}  // namespace provcheck
