// The compact JSON text of a document, byte for byte what nlohmann::json::dump() gives with its defaults (no
// whitespace, object members in the document's key order, UTF-8 left as is, control characters escaped), but
// written in one pass over each string instead of one UTF-8 decoder step per byte. The record stage signs and
// hashes these bytes for every claim, so they must never differ from dump(): a test compares the two on
// varied documents.
//
// A document that dump() refuses (a string that is not valid UTF-8) is handed to dump() itself, so the same
// nlohmann::json::type_error is thrown. Keeps no reference to its argument.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace provcheck {

[[nodiscard]] std::string compact_json(const nlohmann::json& document);
// Appends compact_json(value) to `out`; throws as compact_json() does, leaving `out` as it was.
void append_compact_json(std::string& out, const nlohmann::json& value);

// Length of the well-formed UTF-8 sequence that starts at s[i] (Unicode table 3-7: no overlong forms, no
// surrogates, nothing above U+10FFFF; the rule nlohmann-json applies when reading and writing), or 0 if there
// is none. The JSON readers and writers of this module share it.
[[nodiscard]] std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept;

}  // namespace provcheck
