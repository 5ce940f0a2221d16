#include "check/source_text.hpp"

#include <nlohmann/json.hpp>

#include <utility>

#include "capture/stored.hpp"
#include "core/text.hpp"
#include "extract/extract.hpp"

namespace provcheck {

std::unique_ptr<SourceText> SourceText::read(Capture c, const RuleSet& rules) {
    std::unique_ptr<SourceText> s(new SourceText);
    std::string body = std::exchange(c.body, std::string());
    s->capture_ = std::move(c);
    const Capture& cap = s->capture_;
    if (!cap.ok()) return s;
    std::string html;
    if (cap.content_type.find("json") != std::string::npos) {
        // An oEmbed answer: the post's markup is in "html".
        auto j = nlohmann::json::parse(body, nullptr, false);
        if (j.is_discarded() || !j.is_object() || !j.contains("html") || !j["html"].is_string()) return s;
        html = j["html"].get<std::string>();
    } else if (!may_hold_text(cap.content_type)) {
        return s;  // images and other media carry no text to align against
    } else {
        html = std::move(body);
    }
    free_string(body);
    auto doc = extract_document(html, cap.final_url, rules);
    if (!doc) return s;
    s->text_ = doc->text();
    s->partial_ = doc->partial || cap.truncated.has_value();
    s->readable_ = true;
    return s;
}

void SourceText::prepare(const MatchingRules& rules) const {
    if (readable_ && !index_) index_.emplace(text_, rules);
}

Match SourceText::align(std::string_view quote, const MatchingRules& rules) const {
    if (!index_) index_.emplace(text_, rules);
    return align_quote(quote, *index_);
}

std::size_t SourceText::memory_bytes() const noexcept {
    return text_.capacity() + (index_ ? index_->memory_bytes() : 0);
}

}  // namespace provcheck
