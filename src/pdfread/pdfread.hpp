// Text of a PDF in reading order, page by page (poppler), or read from its pictures by OCR (Tesseract): what
// alignment searches when a source is a PDF. Words hyphenated at a line end are joined, lines of one paragraph
// are joined with a space, and running headers and footers (a line at the top or bottom of most pages, page
// numbers aside) are dropped.
//
// Bounded: at most PdfLimits::max_pages pages are read, OCR reads at most max_ocr_pages and renders no page
// above max_ocr_pixels, and the whole read stops at its deadline; a document cut by a limit is read as far as
// it got and says so (PdfText::cut). Never throws; poppler's and Tesseract's own messages are kept off stderr.
//
// Linked only into the reader process (provcheck-pdf-reader) and its tests: the checker asks that process
// (pdf/isolated.hpp), so that a hostile PDF cannot take the checker with it, and so that every other command
// starts without loading poppler, Tesseract and the libraries they bring.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "pdf/pdf.hpp"

namespace provcheck {

[[nodiscard]] std::expected<PdfText, PdfFailure> read_pdf(std::string_view bytes, const PdfLimits& limits = {});

// The paragraphs of lines as laid out on pages, joined as read_pdf does (exposed for tests): each page is a list
// of lines, an empty line marking a paragraph break. Running headers and footers are dropped, hyphenated line
// ends joined, and a paragraph that does not end at the foot of a page runs on into the next page.
[[nodiscard]] PdfText join_pdf_lines(const std::vector<std::vector<std::string>>& pages);

}  // namespace provcheck
