#include "model/locate.hpp"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

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

// Up to `n` trailing words of `s` (split on ASCII space).
std::string_view trailing_words(std::string_view s, std::size_t n) {
    std::size_t pos = s.size();
    for (std::size_t i = 0; i < n; ++i) {
        auto prev = pos == 0 ? std::string_view::npos : s.rfind(' ', pos - 1);
        if (prev == std::string_view::npos) return s;
        pos = prev;
    }
    return pos == s.size() ? s : s.substr(pos + 1);
}

// The HTML of block `bi`: from its start tag to the next block's (or, for the last block, to the end).
std::pair<std::size_t, std::size_t> block_window(std::string_view html, const std::vector<Block>& blocks,
                                                 std::size_t bi) {
    const std::size_t from = std::min(blocks[bi].html_offset, html.size());
    std::size_t until = html.size();
    for (std::size_t j = bi + 1; j < blocks.size(); ++j) {
        if (blocks[j].html_offset > from) {
            until = blocks[j].html_offset;
            break;
        }
    }
    return {from, until};
}

// Where in `text` each of `offsets` falls, as 1-based line and column (columns in code points), in one pass:
// an article of thousands of quotations costs one walk over its HTML, not one per quotation.
struct Target {
    std::size_t offset;
    std::size_t* line;
    std::size_t* column;
};
void lines_and_columns(std::string_view text, std::vector<Target>& targets) {
    std::sort(targets.begin(), targets.end(), [](const Target& x, const Target& y) { return x.offset < y.offset; });
    std::size_t line = 1;
    std::size_t column = 1;
    std::size_t i = 0;
    for (const Target& t : targets) {
        const std::size_t until = std::min(t.offset, text.size());
        for (; i < until; ++i) {
            const auto c = static_cast<unsigned char>(text[i]);
            if (c == '\n') {
                ++line;
                column = 1;
            } else if ((c & 0xC0) != 0x80) {
                ++column;
            }
        }
        *t.line = line;
        *t.column = column;
    }
}

// The quotation's place in the HTML, without its line and column; `length` is how much of it was found there.
std::optional<HtmlPosition> find_quote(const ArticleResult& article, const ClaimResult& claim, std::size_t& length) {
    const std::string& html = article.capture.body;
    const auto& blocks = article.document.blocks;
    if (html.empty() || claim.claim.block < 0 || static_cast<std::size_t>(claim.claim.block) >= blocks.size()) {
        return std::nullopt;
    }
    const auto bi = static_cast<std::size_t>(claim.claim.block);
    // The quotation lies before the next block's start tag (or, for the last block, soon after its own).
    const auto [from, until] = block_window(html, blocks, bi);
    std::string_view window = std::string_view(html).substr(from, until - from);
    HtmlPosition p;
    p.offset = from;
    length = 0;
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
    // A quotation over several paragraphs ends in its last block: found there by its trailing words.
    const int lb = claim.claim.last_block;
    if (p.found && lb > claim.claim.block && static_cast<std::size_t>(lb) < blocks.size()) {
        const auto [last_from, last_until] = block_window(html, blocks, static_cast<std::size_t>(lb));
        const std::string_view last_window = std::string_view(html).substr(last_from, last_until - last_from);
        for (std::size_t words = 8; words >= 1; --words) {
            const std::string_view needle = trailing_words(quote, words);
            if (needle.empty()) break;
            if (auto at = last_window.find(needle); at != std::string_view::npos && last_from + at >= p.offset) {
                length = last_from + at + needle.size() - p.offset;
                break;
            }
        }
    }
    return p;
}

}  // namespace

std::optional<HtmlPosition> locate_quote(const ArticleResult& article, const ClaimResult& claim) {
    std::size_t length = 0;
    auto p = find_quote(article, claim, length);
    if (!p) return std::nullopt;
    std::vector<Target> targets{{p->offset, &p->line, &p->column}, {p->offset + length, &p->end_line, &p->end_column}};
    lines_and_columns(article.capture.body, targets);
    return p;
}

std::vector<std::optional<HtmlPosition>> locate_quotes(const ArticleResult& article) {
    std::vector<std::optional<HtmlPosition>> out(article.claims.size());
    std::vector<Target> targets;
    for (std::size_t i = 0; i < out.size(); ++i) {
        std::size_t length = 0;
        out[i] = find_quote(article, article.claims[i], length);
        if (!out[i]) continue;
        HtmlPosition& p = *out[i];
        targets.push_back({p.offset, &p.line, &p.column});
        targets.push_back({p.offset + length, &p.end_line, &p.end_column});
    }
    lines_and_columns(article.capture.body, targets);
    return out;
}

}  // namespace provcheck
