// A source as alignment reads it: the capture, the text extracted from it once, and the alignment index built
// from that text once, on first use, shared by every claim, stored version and article that cites it.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "align/align.hpp"
#include "attribute/attribute.hpp"
#include "core/types.hpp"
#include "pdf/pdf.hpp"
#include "rules/rules.hpp"

namespace provcheck {

// How sources that are not web pages are read.
struct SourceReading {
    bool ocr = false;  // a PDF without a text layer is read by OCR (--ocr)
    PdfLimits pdf;     // bounds on reading one PDF (pdf/pdf.hpp); pdf.ocr is set from `ocr`
};

class SourceText {
public:
    // Reads what a capture gives to align against: the main text of HTML (or of the markup in an oEmbed
    // answer); a PDF's text page by page (by OCR when `reading.ocr` and it has no text layer); plain text and
    // Markdown as they are, paragraph by paragraph; nothing for a failed capture or a body that cannot hold text
    // (an image). A PDF that cannot be read (encrypted, damaged, a scan without --ocr) is readable but restricted:
    // its text is empty and restriction() says why. The body is taken from the capture and dropped once read:
    // the workspace archive keeps the bytes.
    [[nodiscard]] static std::unique_ptr<SourceText> read(Capture capture, const RuleSet& rules,
                                                          const SourceReading& reading = {});

    [[nodiscard]] const Capture& capture() const noexcept { return capture_; }
    // Takes the digests and archive reference of `archived`, the same capture once stored, for a text read from
    // a copy made before the bytes were archived (Capturer::capture_file's early copy).
    void adopt_archival(const Capture& archived) {
        capture_.payload_sha256 = archived.payload_sha256;
        capture_.block_sha256 = archived.block_sha256;
        capture_.stored = archived.stored;
    }
    [[nodiscard]] const std::string& text() const noexcept { return text_; }
    [[nodiscard]] bool readable() const noexcept { return readable_; }
    // The text is incomplete: paywall markup or a truncated body.
    [[nodiscard]] bool partial() const noexcept { return partial_; }
    // Why the text is incomplete when it is not paywall markup or a cut body: "no text layer (a scan; --ocr reads
    // it)", "the PDF is encrypted …", "page limit: …". Empty otherwise.
    [[nodiscard]] const std::string& restriction() const noexcept { return restriction_; }
    // The PDF's pages: where each begins in text() (empty for anything but a PDF).
    [[nodiscard]] const std::vector<std::size_t>& page_starts() const noexcept { return page_starts_; }
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
    // found there has Match::region "outside_main_text" and offsets into that text. A passage in a PDF has
    // Match::page (and Match::ocr when its text was read by OCR).
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
    std::string restriction_;
    std::vector<std::size_t> page_starts_;
    bool ocr_ = false;
    std::string site_name_;
    std::string publisher_;
    std::string page_text_;  // everything the page shows; empty when it is the main text
    mutable std::once_flag page_once_;
    mutable std::optional<PreparedSource> page_index_;
    // Keeps a view of text_: a SourceText never moves (it lives behind a unique_ptr).
    mutable std::optional<PreparedSource> index_;
};

}  // namespace provcheck
