#include "model/locate.hpp"

#include <algorithm>
#include <string_view>

namespace provcheck {

namespace {

// Up to `n` leading words of `s` (split on ASCII space).
std::string_view leading_words(std::string_view s, std::size_t n) {
    std::size_t pos = 0;
    for (std::size_t i = 0; i < n; ++i) {
        auto next = s.find(' ', pos);
        if (next == std::string_view::npos) return s;
        pos = next + 1;
    }
    return s.substr(0, pos == 0 ? s.size() : pos - 1);
}

void line_and_column(std::string_view text, std::size_t offset, std::size_t& line, std::size_t& column) {
    line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    column = 1;
    for (std::size_t i = line_start; i < offset && i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
    }
}

}  // namespace

std::optional<HtmlPosition> locate_quote(const ArticleResult& article, const ClaimResult& claim) {
    const std::string& html = article.capture.body;
    const auto& blocks = article.document.blocks;
    if (html.empty() || claim.claim.block < 0 || static_cast<std::size_t>(claim.claim.block) >= blocks.size()) {
        return std::nullopt;
    }
    const auto bi = static_cast<std::size_t>(claim.claim.block);
    const std::size_t from = std::min(blocks[bi].html_offset, html.size());
    // The quotation lies before the next block's start tag (or, for the last block, soon after its own).
    std::size_t until = html.size();
    for (std::size_t j = bi + 1; j < blocks.size(); ++j) {
        if (blocks[j].html_offset > from) {
            until = blocks[j].html_offset;
            break;
        }
    }
    std::string_view window = std::string_view(html).substr(from, until - from);
    HtmlPosition p;
    p.offset = from;
    std::size_t length = 0;
    const std::string_view quote = claim.claim.quote;
    // The whole quotation first; the HTML may spell it with entities or markup, so fall back on ever
    // fewer leading words.
    for (std::size_t words = 64; words >= 1; words = words > 8 ? 8 : words - 1) {
        std::string_view needle = words == 64 ? quote : leading_words(quote, words);
        if (needle.empty()) break;
        if (auto at = window.find(needle); at != std::string_view::npos) {
            p.offset = from + at;
            length = needle.size();
            p.found = true;
            break;
        }
    }
    line_and_column(html, p.offset, p.line, p.column);
    line_and_column(html, p.offset + length, p.end_line, p.end_column);
    return p;
}

}  // namespace provcheck
