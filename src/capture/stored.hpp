// Captures made from responses stored earlier: the workspace archive (HTTP cache, earlier versions of a
// source) or a replay archive. The text is decoded exactly as the capture stage decodes a fresh response,
// so a stored response aligns the same way it did when it was fetched.
#pragma once

#include <string>
#include <string_view>

#include "core/exchange.hpp"
#include "core/types.hpp"

namespace provcheck {

// "text/html; charset=utf-8" -> "text/html": lower case, parameters dropped.
[[nodiscard]] std::string media_type_of(std::string_view content_type);

// Whether a body of this media type (media_type_of() form) may hold text to read: none given, or HTML, XML,
// JSON, text/*, PDF or a Memento TimeMap (application/link-format). Other bodies (images, video) are archived but never
// read, nor held in memory.
[[nodiscard]] bool may_hold_text(std::string_view media_type) noexcept;

// Converts a text capture's body to UTF-8 in place from the charset of `content_type` (the header as
// received), its BOM or its meta tag, and sets `charset`; other bodies are left alone.
void decode_capture_body(Capture& capture, std::string_view content_type);

// A single-hop Capture of a stored exchange: requested and final URL, status, headers, media type,
// fetched_at, remote IP, truncation, the digests and where it is stored, body decoded. `payload_sha256`
// is recomputed from the stored body, never taken on trust.
[[nodiscard]] Capture capture_from_stored(const Exchange& exchange, const StoredRecordRef& stored,
                                          std::string_view block_sha256);

}  // namespace provcheck
