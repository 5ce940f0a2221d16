// read_pdf in a child process of its own, so that a hostile PDF cannot take the checker with it: the child has
// an address-space and a CPU-time limit, and is killed when the reader's wall-clock deadline (plus a grace
// period) passes, whatever poppler or Tesseract are doing inside one page. The signing key and the workspace are
// never touched by the child, which only reads the bytes it was given and writes its result to a pipe.
#pragma once

#include <chrono>
#include <cstddef>
#include <expected>
#include <string_view>

#include "pdf/pdf.hpp"

namespace provcheck {

struct IsolationLimits {
    std::size_t address_space = std::size_t{3} << 30;  // bytes of virtual memory the child may map (not under ASan)
    std::chrono::milliseconds grace{5000};             // past PdfLimits::deadline before the child is killed
};

// As read_pdf, in a child process. A child that runs out of memory, crashes or is killed gives PdfProblem::broken
// with a message saying which ("the PDF could not be read within 65 s; the reader was stopped").
[[nodiscard]] std::expected<PdfText, PdfFailure> read_pdf_isolated(std::string_view bytes, const PdfLimits& limits = {},
                                                                   const IsolationLimits& isolation = {});

}  // namespace provcheck
