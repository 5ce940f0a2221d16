// What the checker and the PDF reader process say to each other over the reader's standard input and output:
// a request (the limits, then the document's bytes) and an answer (the text, or why there is none). Both are
// length-prefixed fields behind a tag; a decoder checks every length against what is left, so a cut or garbled
// message is an error, never a read past the end.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "pdf/pdf.hpp"

namespace provcheck::pdf_wire {

struct Request {
    PdfLimits limits;
    std::uint64_t cpu_seconds = 0;    // the reader's own CPU-time limit (0: none)
    std::uint64_t address_space = 0;  // bytes of virtual memory it may map (0: none)
    std::string_view bytes;           // the document, inside the decoded message
};

// The request without the document's bytes, which follow it on the wire (they are not copied into it).
[[nodiscard]] std::string encode_request_head(const Request& r, std::uint64_t byte_count);
[[nodiscard]] std::optional<Request> decode_request(std::string_view message);

[[nodiscard]] std::string encode_answer(const std::expected<PdfText, PdfFailure>& r);
[[nodiscard]] std::expected<PdfText, PdfFailure> decode_answer(std::string_view message);

}  // namespace provcheck::pdf_wire
