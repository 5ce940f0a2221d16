// What a PDF source gives: its text in reading order, page by page, and where each page starts in it, so that
// a match can name its page; or why it gave none. The types are shared by the checker and the reader
// (pdfread/, poppler and Tesseract), which runs as a process of its own: the checker never links them
// (pdf/isolated.hpp).
#pragma once

#include <chrono>
#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace provcheck {

struct PdfLimits {
    int max_pages = 2000;
    int max_threads = 4;  // a document of 64 pages or more is read on up to this many cores
    std::chrono::milliseconds deadline{60000};
    bool ocr = false;  // read pages without a text layer by OCR
    int max_ocr_pages = 50;
    int ocr_dpi = 200;
    long long max_ocr_pixels = 40'000'000;  // a page bigger than this at ocr_dpi is rendered smaller
    std::string ocr_language = "eng";
};

// Why a PDF gave no text. `no_text_layer` is a document whose pages hold no text (a scan) read without OCR.
enum class PdfProblem { broken, encrypted, no_text_layer, ocr_failed };

struct PdfFailure {
    PdfProblem problem = PdfProblem::broken;
    std::string message;  // one sentence, for the report ("the PDF is encrypted and needs a password")
};

struct PdfText {
    std::string text;                      // paragraphs separated by "\n\n"
    std::vector<std::size_t> page_starts;  // offset in `text` where each page's text begins (page 1 first)
    int pages = 0;                         // pages in the document
    bool ocr = false;                      // some of the text was read by OCR
    std::string cut;                       // empty, or why not every page was read ("page limit", "time limit")
    std::string title;                     // the document's Title, if it names one
    std::string author;                    // its Author
};

// The 1-based page holding `offset` of PdfText::text (0 when there are no pages).
[[nodiscard]] int page_at(const std::vector<std::size_t>& page_starts, std::size_t offset) noexcept;

// Whether bytes are a PDF by their first bytes ("%PDF-" within the first 1 KiB, as readers accept). Inline so
// that the capture stage can tell a PDF served without its type without linking the reader.
[[nodiscard]] inline bool looks_like_pdf(std::string_view bytes) noexcept {
    return bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos;
}

[[nodiscard]] std::string_view to_string(PdfProblem p) noexcept;

}  // namespace provcheck
