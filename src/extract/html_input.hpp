// Preparing page bytes for the HTML parser: what cannot be HTML, and nesting the parser cannot afford.
// Pure functions over bytes; used by extract.cpp, declared here so they can be tested alone.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace provcheck {

// True for bytes that are not text: more than 1% NUL bytes or more than 5% other control bytes
// (tab, line feed, form feed and carriage return excluded) in the first 64 KiB.
[[nodiscard]] bool looks_binary(std::string_view bytes) noexcept;

// Blanks (overwrites with spaces, so every other offset stays the same) the start and end tags of elements
// opened deeper than `max_depth`; their content then belongs to the deepest kept ancestor. Tag-level scan:
// comments, <!…>, <?…> and raw-text elements (script, style, textarea, title, …) are skipped, void elements
// and elements whose end tag HTML implies (p, li, td, …) are not counted. Returns how many tags were blanked.
std::size_t flatten_deep_nesting(std::string& html, std::size_t max_depth);

}  // namespace provcheck
