// The words of a block as attribution reads them (internal to src/attribute).
//
// A speech pattern must never read into or across quoted words, so each quotation, marks included, is one token,
// and the sentences that bound most patterns are split with quotations and abbreviations in mind.
// Tokens take some twenty times the bytes of their text: prepare_blocks tokenizes the blocks around quotations
// first and the rest of a document only while a fixed budget lasts, so a hostile page cannot make them grow
// without bound.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "attribute/attribute.hpp"
#include "core/types.hpp"

namespace provcheck::attribute::detail {

// Tokens of a block: words, single punctuation characters, and one token per quotation (marks included) so
// that no pattern reads into or across quoted words.

// (Members ordered largest first: a hostile paragraph may hold millions of tokens.)
struct Token {
    enum class Kind : std::uint8_t { word, punct, quote };
    std::size_t start = 0;
    std::size_t end = 0;
    std::string lower;
    int quotation = -1;
    Kind kind = Kind::word;
    bool capital = false;
    // A quotation whose words end with a comma inside its marks ("the jam “Black Water,” Simmons …"): the comma
    // sets off what comes before as a comma after the marks would.
    bool comma_inside = false;
};

// A word token that is a number ("38", "2024"): the tokenizer marks it capital, so that a sentence may start
// with one, but no name holds one.
[[nodiscard]] inline bool is_number_token(const Token& t) noexcept {
    return t.kind == Token::Kind::word && !t.lower.empty() && t.lower[0] >= '0' && t.lower[0] <= '9';
}

// A name of one word in capitals, full stops and ampersands allowed ("NASA", "FBI", "U.N.", "AT&T"), as printed: an
// acronym, an organisation's and never a person's.
[[nodiscard]] inline bool acronym(std::string_view name) noexcept {
    std::size_t letters = 0;
    for (const char c : name) {
        if (c >= 'A' && c <= 'Z') {
            ++letters;
        } else if (c != '.' && c != '&') {
            return false;
        }
    }
    return letters >= 2;
}

// A word written in Cyrillic: its first byte leads a code point from U+0400 to U+04FF.
[[nodiscard]] inline bool is_cyrillic(std::string_view w) noexcept {
    return !w.empty() && static_cast<unsigned char>(w.front()) >= 0xD0 && static_cast<unsigned char>(w.front()) <= 0xD3;
}

// Whether the word ends with one of the endings, with at least min_stem bytes before it.
[[nodiscard]] inline bool ends_with_any(std::string_view w, const std::vector<std::string>& endings,
                                        std::size_t min_stem = 0) noexcept {
    for (const auto& e : endings) {
        if (w.size() >= e.size() + min_stem && w.ends_with(e)) return true;
    }
    return false;
}

// "a", "an" or "the" (a token's lower case).
[[nodiscard]] inline bool is_article(std::string_view w) noexcept {
    return w == "a" || w == "an" || w == "the";
}

// Bytes of a possessive ending on a word ("shadlen's", "shadlen’s", "jones'"), 0 when it has none.
[[nodiscard]] inline std::size_t possessive_length(std::string_view w) noexcept {
    if (w.size() > 2 && w.ends_with("'s")) return 2;
    if (w.size() > 4 && w.ends_with("\u2019s")) return 4;
    if (w.size() > 2 && w.ends_with("s'")) return 1;
    if (w.size() > 4 && w.ends_with("s\u2019")) return 3;
    return 0;
}

struct Sentence {
    std::size_t begin;
    std::size_t end;  // token indices, [begin, end)
};

struct BlockInfo {
    std::vector<Token> tokens;
    std::vector<Sentence> sentences;
    bool ends_with_colon = false;
};

// The sentence holding token `tok` of `block` (the first when none does).
[[nodiscard]] std::size_t sentence_of(const BlockInfo& block, std::size_t tok);

inline constexpr std::size_t no_token = static_cast<std::size_t>(-1);

// The first word token at or after `from`, before `limit` (`limit` when there is none).
[[nodiscard]] std::size_t first_word(const std::vector<Token>& toks, std::size_t from, std::size_t limit);

// From the word at `from`: past conjunctions and linking adverbs that open a sentence before its subject ("But",
// "And yet", "Still,": rules' `sentence_conjunctions`), the first word after them (`from` when there are none).
[[nodiscard]] std::size_t after_conjunctions(const std::vector<Token>& toks, std::size_t from, std::size_t limit,
                                             const AttributionRules& rules);

// A number written in words, alone or joined by hyphens ("twenty-three", "elf"): rules' `number_words`.
[[nodiscard]] bool number_in_words(std::string_view lower, const AttributionRules& rules);

// Bytes of an age's ending on a word in lower case ("38-year-old", "61-jährige": rules' `age_suffixes`), 0 when it
// has none.
[[nodiscard]] std::size_t age_suffix_length(std::string_view w, const AttributionRules& rules);

// Reading a body's name that goes on in lower case after its head (rules' `tailed_organisation_words`: "l’Association
// pour une fin de vie choisie", "le ministère des Transports"), as the parser and the resolver both do.
// A word in Cyrillic goes on such a name only in the genitive ("транспорта Приозёрного края", not "объявило"); a
// word in any other script always may.
[[nodiscard]] bool genitive_tail_word(std::string_view w, const AttributionRules& rules);
// A Russian body's tail goes on after a preposition of cyrillic_tail_prepositions, and "в" once one has (`any_case`):
// "Управление по надзору в сфере …". After one, a word in any case but a verb's goes on it too
// (cyrillic_tail_word); before, only a word in the genitive.
[[nodiscard]] bool cyrillic_tail_preposition(std::string_view w, bool any_case, const AttributionRules& rules);
[[nodiscard]] bool cyrillic_tail_word(std::string_view w, bool any_case, const AttributionRules& rules);
// A Cyrillic name read over [first, last] with a role's complement before it ("профкома ВМЗ Николай Ершов", "мэр
// Северореченска Константин Юрьевич Аристов"): the token the person's name starts at, the given name before a
// patronymic (rules' patronymic_endings) or the word after an acronym; else first.
[[nodiscard]] std::size_t cyrillic_name_first(const std::vector<Token>& toks, std::string_view text, std::size_t first,
                                              std::size_t last, const AttributionRules& rules);
// The head at token `head`, with its tail up to token `last`: a head English shares (one of `organisation_words`)
// goes on only with one of `organisation_tail_connectors` in its tail ("Association des locataires").
[[nodiscard]] bool tail_connected(const std::vector<Token>& toks, std::size_t head, std::size_t last,
                                  const AttributionRules& rules);
// A word in capitals after one of `organisation_tail_connectors`, among the words from token `head` + 2 up to token
// `last` ("des Transports", "de Strasbourg"): the tail names the place or body of an institution in lower case.
[[nodiscard]] bool tail_names_place(const std::vector<Token>& toks, std::size_t head, std::size_t last,
                                    const AttributionRules& rules);

// Token `k` is a particle that names where a person works, not part of the name (rules' `affiliation_particles`):
// after two words of the name starting at token `first` or more, the last of them no given name ("Claudia Eckhoff
// von der Bank Lindner", not "Hans von Stein" or "Ursula von der Leyen").
[[nodiscard]] bool affiliation_particle(const std::vector<Token>& toks, std::size_t k, std::size_t first,
                                        const AttributionRules& rules);

// The comma that ends an opening phrase ("In May, Duvall urged …"): the first comma among the tokens after word
// `first`, fewer than `max_tokens` after it and before `limit`; no_token when there is none.
[[nodiscard]] std::size_t opening_phrase_comma(const std::vector<Token>& toks, std::size_t first, std::size_t limit,
                                               std::size_t max_tokens);

// The tokens of `toks` that start before byte `pos`: their count (the tokens are in text order).
[[nodiscard]] std::size_t tokens_before(const std::vector<Token>& toks, std::size_t pos);

struct PreparedBlocks {
    std::vector<BlockInfo> blocks;         // by block of the document; empty tokens for a block not tokenized
    std::vector<std::size_t> quote_token;  // each quotation's token in its block; no_token when not tokenized
};

// The blocks of `doc` tokenized within the budget (the blocks around quotations first), with each quotation's
// token.
[[nodiscard]] PreparedBlocks prepare_blocks(const Document& doc, const AttributionRules& rules);

}  // namespace provcheck::attribute::detail
