#include "pdf/pdf.hpp"

#include <algorithm>

namespace provcheck {

int page_at(const std::vector<std::size_t>& page_starts, std::size_t offset) noexcept {
    if (page_starts.empty()) return 0;
    const auto it = std::upper_bound(page_starts.begin(), page_starts.end(), offset);
    return static_cast<int>(std::max<std::ptrdiff_t>(1, it - page_starts.begin()));
}

std::string_view to_string(PdfProblem p) noexcept {
    switch (p) {
        case PdfProblem::broken:
            return "pdf_broken";
        case PdfProblem::encrypted:
            return "pdf_encrypted";
        case PdfProblem::no_text_layer:
            return "no_text_layer";
        case PdfProblem::ocr_failed:
            return "ocr_failed";
    }
    return "pdf_broken";
}

}  // namespace provcheck
