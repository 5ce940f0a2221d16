// fuzz-modules: core rules extract attribute align/matching_rules.cpp capture/challenge.cpp check/rules.cpp
// fuzz-libs: gumbo libutf8proc tomlplusplus libcurl
// fuzz-seeds: fuzz/seeds/rules/*.toml rules/**/*.toml
// fuzz-options: -max_len=65536
//
// libFuzzer target for the rules loader: arbitrary TOML as an extra rules file, merged over the built-in rules
// and read by every stage's reader: the validation pass `check` and `extract` run before anything else. Which
// file the text stands for: the input's first line when that names one ("outlets.toml\n…", as the seeds in
// fuzz/seeds/rules/ do), else its first byte. Whatever the text, the pass either fails with an
// ErrorCode::config naming the file, or gives rules that the stages then use without fault on a page.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "attribute/attribute.hpp"
#include "check/rules.hpp"
#include "extract/extract.hpp"
#include "rules/builtin_rules.hpp"
#include "rules/rules.hpp"

namespace {

void require(bool ok) {
    if (!ok) __builtin_trap();
}

constexpr const char* names[] = {"outlets.toml",    "shorteners.toml",    "attribution.toml",   "matching.toml",
                                 "challenges.toml", "sites/default.toml", "sites/twitter.toml", "sites/fuzz.toml"};

const std::string page =
    "<html><head><title>T</title></head><body><article><p>“We will not stop,” Reuters reported, citing "
    "<a href=\"https://www.nytimes.com/x\">The New York Times</a>.</p><p>‘Impossible’, she said.</p>"
    "<blockquote class=\"twitter-tweet\"><p>A post</p>&mdash; Jane (@jane) <a "
    "href=\"https://twitter.com/jane/status/1\">May 1</a></blockquote></article></body></html>";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::string name = names[data[0] % (sizeof names / sizeof names[0])];
    std::string text(input.substr(1));
    const std::string_view first_line = input.substr(0, input.find('\n'));
    for (const char* n : names) {
        if (first_line == n && first_line.size() < input.size()) {
            name = n;
            text = std::string(input.substr(first_line.size() + 1));
        }
    }
    auto merged = provcheck::load_rules_from(provcheck::builtin_rule_files(), {{name, text}}, "fuzz-rules");
    if (!merged) {
        require(merged.error().code == provcheck::ErrorCode::config);
        return 0;
    }
    auto checked = provcheck::check_rules(std::move(*merged));
    if (!checked) {
        require(checked.error().code == provcheck::ErrorCode::config);
        require(checked.error().message.find(".toml") != std::string::npos);
        return 0;
    }
    // Rules that pass are rules the stages can use.
    for (const char* url : {"https://www.example.org/news/story.html", "https://twitter.com/jane/status/1"}) {
        auto doc = provcheck::extract_document(page, url, checked->rules);
        require(doc.has_value());
        static_cast<void>(provcheck::attribute_claims(*doc, checked->rules, checked->attribution));
    }
    return 0;
}
