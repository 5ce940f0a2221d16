// fuzz-modules: core rules extract attribute
// fuzz-libs: gumbo libutf8proc tomlplusplus libcurl
// fuzz-seeds: fixtures/**/*.html fixtures/quotes/cases.toml
// fuzz-options: -max_len=262144
//
// libFuzzer target for the extract and attribute stages: any bytes give a Document or a clear Error, and every
// offset the result holds lies inside the text it indexes, with no more links or quotations than the bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "attribute/attribute.hpp"
#include "extract/extract.hpp"
#include "extract/html_input.hpp"
#include "rules/rules.hpp"

namespace {

const provcheck::RuleSet& rules() {
    static const provcheck::RuleSet r = [] {
        auto loaded = provcheck::load_rules();
        if (!loaded) __builtin_trap();
        return std::move(*loaded);
    }();
    return r;
}

const provcheck::AttributionRules& attribution() {
    static const provcheck::AttributionRules a = [] {
        auto loaded = provcheck::load_attribution_rules(rules());
        if (!loaded) __builtin_trap();
        return std::move(*loaded);
    }();
    return a;
}

// Small bounds, so that inputs reach them.
constexpr provcheck::ExtractLimits limits{64, 64};

void require(bool ok) {
    if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view html(reinterpret_cast<const char*>(data), size);
    auto doc = provcheck::extract_document(html, "https://www.example.org/news/story.html", rules(), limits);
    if (!doc) return 0;
    const std::string text = doc->text();
    const bool clean = provcheck::clean_utf8(html);
    for (const auto& b : doc->blocks) {
        require(b.start + b.text.size() <= text.size());
        require(text.compare(b.start, b.text.size(), b.text) == 0);
        // Offsets index the input itself when it needed no repair (else the repaired copy, as extract.hpp says).
        require(!clean || b.html_offset < html.size());
    }
    const auto nblocks = static_cast<int>(doc->blocks.size());
    for (const auto& q : doc->quotations) {
        require(q.block >= 0 && q.block < nblocks && q.last_block >= q.block && q.last_block < nblocks);
        require(q.start <= doc->blocks[static_cast<std::size_t>(q.block)].text.size());
        require(q.end <= doc->blocks[static_cast<std::size_t>(q.last_block)].text.size());
    }
    for (const auto& l : doc->links) {
        if (l.block < 0) continue;
        require(l.block < nblocks && l.start <= l.end &&
                l.end <= doc->blocks[static_cast<std::size_t>(l.block)].text.size());
    }
    require(doc->links.size() <= limits.max_links && doc->quotations.size() <= limits.max_quotations &&
            doc->embeds.size() <= limits.max_quotations);
    for (const auto& c : provcheck::attribute_claims(*doc, rules(), attribution())) {
        require(c.id.size() == 16);
        require(c.block >= 0 && c.block < nblocks);
    }
    return 0;
}
