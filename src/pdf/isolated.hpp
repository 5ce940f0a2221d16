// A PDF read by the reader process, provcheck-pdf-reader (pdfread/ and src/pdf_reader.cpp, poppler and
// Tesseract), so that a hostile PDF cannot take the checker with it: the reader runs with an address-space and
// a CPU-time limit and no core dump, dies with the checker, and is killed when the read's wall-clock deadline
// (plus a grace period) passes, whatever poppler or Tesseract are doing inside one page, or when its answer
// grows past IsolationLimits::max_answer. It is started with posix_spawn (no fork of the threaded checker), in a
// process group of its own, with no descriptor open but its standard input and output and no environment but
// the path, the locale and Tesseract's: no signing key, store password or report file reaches it. It runs as
// the same user, so this bounds a crash or a runaway read; it is no sandbox against code a PDF might make it
// run, which could read what that user can.
//
// The reader is looked for beside the running executable (where the build and `cmake --install` put it), then
// where this build made it. A missing reader is a clear failure of that source, never a crash.
#pragma once

#include <chrono>
#include <cstddef>
#include <expected>
#include <string_view>

#include "pdf/pdf.hpp"

namespace provcheck {

struct IsolationLimits {
    std::size_t address_space = std::size_t{3} << 30;  // bytes of virtual memory the reader may map (not under ASan)
    std::chrono::milliseconds grace{5000};             // past PdfLimits::deadline before the reader is killed
    std::size_t max_answer = std::size_t{256} << 20;   // bytes of answer read before the reader is stopped
};

// The text of a PDF, as pdfread's read_pdf gives it, from the reader process. A reader that runs out of memory,
// crashes or is killed gives PdfProblem::broken with a message saying which ("the PDF could not be read within
// 65 s; the reader was stopped").
[[nodiscard]] std::expected<PdfText, PdfFailure> read_pdf_isolated(std::string_view bytes, const PdfLimits& limits = {},
                                                                   const IsolationLimits& isolation = {});

}  // namespace provcheck
