// A source as alignment reads it: the capture, the text extracted from it once, and the alignment index built
// from that text once, on first use, shared by every claim, stored version and article that cites it.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "align/align.hpp"
#include "attribute/attribute.hpp"
#include "core/types.hpp"
#include "rules/rules.hpp"

namespace provcheck {

class SourceText {
public:
    // Reads what a capture gives to align against: the main text of HTML (or of the markup in an oEmbed
    // answer), nothing for a failed capture or a body that cannot hold text (an image). The body is taken from
    // the capture and dropped once read: the workspace archive keeps the bytes.
    [[nodiscard]] static std::unique_ptr<SourceText> read(Capture capture, const RuleSet& rules);

    [[nodiscard]] const Capture& capture() const noexcept { return capture_; }
    [[nodiscard]] const std::string& text() const noexcept { return text_; }
    [[nodiscard]] bool readable() const noexcept { return readable_; }
    // The text is incomplete: paywall markup or a truncated body.
    [[nodiscard]] bool partial() const noexcept { return partial_; }
    // Who the page says publishes it: og:site_name and the JSON-LD publisher (extract/extract.hpp); empty
    // strings when it does not say.
    [[nodiscard]] const std::string& site_name() const noexcept { return site_name_; }
    [[nodiscard]] const std::string& publisher() const noexcept { return publisher_; }

    // Who the text gives a matched passage to: the speaker of the quotation holding it (a pronoun or description
    // resolved in the paragraphs before), or, when it is not quoted, a speaker that an attribution rule of its own
    // sentence names ("…, Jones said"; an "after.", "before." or "sentence." rule): prose is the page's own voice
    // unless a speaker is named right there. Empty when no one is named.
    [[nodiscard]] std::string speaker_of(const Match& passage, const AttributionLookups& lookups) const;

    // Builds the alignment index if it is not built yet. After this, align() only reads, so several threads
    // may align against one source at once; before it, align() must not be called from two threads.
    void prepare(const MatchingRules& rules) const;
    // Aligns a quotation with the main text; the index is built on the first call (see prepare()) and kept. When
    // the main text holds no passage, the page's whole visible text is searched too (its index built once, on
    // first need, safely from several threads), so that an extraction miss never turns into not_found: a passage
    // found there has Match::region "outside_main_text" and offsets into that text.
    [[nodiscard]] Match align(std::string_view quote, const MatchingRules& rules) const;
    // Bytes held: the text and, once built, the index.
    [[nodiscard]] std::size_t memory_bytes() const noexcept;

    SourceText(const SourceText&) = delete;
    SourceText& operator=(const SourceText&) = delete;

private:
    SourceText() = default;
    Capture capture_;
    std::string text_;
    bool readable_ = false;
    bool partial_ = false;
    std::string site_name_;
    std::string publisher_;
    std::string page_text_;  // everything the page shows; empty when it is the main text
    mutable std::once_flag page_once_;
    mutable std::optional<PreparedSource> page_index_;
    // Keeps a view of text_: a SourceText never moves (it lives behind a unique_ptr).
    mutable std::optional<PreparedSource> index_;
};

}  // namespace provcheck
