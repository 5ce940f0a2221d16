// Preparing page bytes for the HTML parser: what cannot be HTML, and nesting the parser cannot afford.
// Pure functions over bytes; used by extract.cpp, declared here so they can be tested alone.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace provcheck {

// True for bytes that are not text: more than 1% NUL bytes or more than 5% other control bytes
// (tab, line feed, form feed and carriage return excluded) in the first 64 KiB.
[[nodiscard]] bool looks_binary(std::string_view bytes) noexcept;

// True when `bytes` is valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF) holding no NUL:
// sanitize_utf8 (core/text.hpp) would return it unchanged, so a plain copy does. Eight ASCII bytes at a time.
[[nodiscard]] bool clean_utf8(std::string_view bytes) noexcept;

// Blanks (overwrites with spaces, so every other offset stays the same) the start and end tags of elements
// opened deeper than `max_depth`; their content then belongs to the deepest kept ancestor. Tag-level scan:
// comments, <!…>, <?…> and raw-text elements (script, style, textarea, title, …) are skipped, void elements
// and elements whose end tag HTML implies (p, li, td, …) are not counted. Returns how many tags were blanked.
std::size_t flatten_deep_nesting(std::string& html, std::size_t max_depth);

// Where the bytes of a shortened text were before it was shortened.
class OffsetMap {
public:
    // Byte `kept` of the shortened text was byte `original` of the text, and so on up to the next entry.
    void add(std::size_t kept, std::size_t original) { runs_.emplace_back(kept, original); }
    // The offset in the original text of offset `kept` of the shortened one.
    [[nodiscard]] std::size_t original(std::size_t kept) const noexcept;

private:
    std::vector<std::pair<std::size_t, std::size_t>> runs_;  // (kept, original), ascending
};

// Removes what extraction never reads, so the parser spends no time on it: the content of <style> elements and of
// <script> elements other than JSON-LD (a type holding "ld+json"); the start and end tags stay, so the tree has the
// same elements. About a third of a news page's bytes are scripts and styles. The scan is the same tag-level scan
// as flatten_deep_nesting's (comments, <!…>, <?…> and other raw-text elements such as <title> and <textarea> are
// passed over); an element left open runs to the end of the input, as the parser would read it.
// Returns where each kept byte was, for offsets reported against the input.
OffsetMap strip_unread(std::string& html);

}  // namespace provcheck
