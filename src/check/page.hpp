// An article's page as read: its document (main text, links, embeds, metadata) and its claims. The one place
// both `check` and `extract` take these steps, so that what `extract` shows is what `check` checks.
#pragma once

#include <string_view>
#include <vector>

#include "check/rules.hpp"
#include "core/error.hpp"
#include "core/types.hpp"
#include "extract/extract.hpp"

namespace provcheck {

struct PageRead {
    Document document;
    std::vector<Claim> claims;
};

// Extracts a successful capture of an article, keeping at most `limits` links and quotations (the Document
// counts those dropped). A saved page's relative links mean what they meant at its published address: when the
// input is a local file and the page names an http(s) canonical URL, it is read again against that URL. An
// Error when the page cannot be parsed.
[[nodiscard]] Result<Document> read_document(const Capture& capture, std::string_view input, const RuleSet& rules,
                                             const ExtractLimits& limits = {});

// read_document() and the claims attributed in it.
[[nodiscard]] Result<PageRead> read_page(const Capture& capture, std::string_view input, const CheckRules& rules,
                                         const ExtractLimits& limits = {});

}  // namespace provcheck
