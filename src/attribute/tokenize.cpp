#include "attribute/tokenize.hpp"

#include <algorithm>
#include <utility>

#include "attribute/attribution_rules.hpp"
#include "core/text.hpp"
#include "extract/utf8.hpp"

namespace provcheck::attribute::detail {

namespace {

struct QuoteRange {
    std::size_t start;
    std::size_t end;
    int quotation;
};

bool word_cp(char32_t cp) noexcept {
    return utf8::is_letter(cp) || utf8::is_digit(cp);
}

bool joiner_cp(char32_t cp) noexcept {
    return cp == '\'' || cp == 0x2019 || cp == '-' || cp == '.' || cp == '&';
}

// Bytes of one block, and of all blocks together, that are tokenized (see prepare_blocks).
constexpr std::size_t max_block_tokenized = 64 * 1024;
constexpr std::size_t max_document_tokenized = 1024 * 1024;

std::vector<Token> tokenize(std::string_view text, const std::vector<QuoteRange>& quotes,
                            const AttributionRules& rules) {
    std::vector<Token> out;
    std::size_t qi = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        while (qi < quotes.size() && quotes[qi].end <= i)
            ++qi;
        if (qi < quotes.size() && quotes[qi].start <= i) {
            Token t;
            t.kind = Token::Kind::quote;
            t.start = quotes[qi].start;
            t.end = quotes[qi].end;
            t.quotation = quotes[qi].quotation;
            std::string_view span = text.substr(t.start, t.end - t.start);
            for (const std::string_view mark : {"\u201D", "\u201C", "\u2019", "\u00BB", "\"", "'"}) {
                if (span.ends_with(mark)) {
                    span.remove_suffix(mark.size());
                    break;
                }
            }
            t.comma_inside = span.ends_with(',');
            out.push_back(std::move(t));
            i = quotes[qi].end;
            ++qi;
            continue;
        }
        const auto c = utf8::at(text, i);
        if (utf8::is_space(c.cp)) {
            i += c.len;
            continue;
        }
        Token t;
        t.start = i;
        if (word_cp(c.cp)) {
            // An ASCII digit at byte k (none past the text's end).
            auto digit = [&](std::size_t k) { return k < text.size() && text[k] >= '0' && text[k] <= '9'; };
            std::size_t j = i + c.len;
            while (j < text.size()) {
                const auto d = utf8::at(text, j);
                if (word_cp(d.cp)) {
                    j += d.len;
                } else if (joiner_cp(d.cp) && word_cp(utf8::at(text, j + d.len).cp)) {
                    // Not a footnote's number after a word's full stop ("Barry Allen.1 I", "Quicksilver.19 We"): the
                    // sentence ends there.
                    if (d.cp == '.' && utf8::is_letter(utf8::at(text, j - 1).cp) && digit(j + 1)) {
                        std::size_t n = j + 1;
                        while (digit(n))
                            ++n;
                        if (n - j - 1 <= 3 && (n == text.size() || text[n] == ' ')) break;
                    }
                    j += d.len;
                } else if (d.cp == ',' && j > i && digit(j - 1) && digit(j + 1) && digit(j + 2) && digit(j + 3) &&
                           !digit(j + 4)) {
                    // A thousands separator inside a number ("$240,000") is no clause's comma.
                    j += 1;
                } else {
                    break;
                }
            }
            // A plural's possessive before a capitalised word keeps its apostrophe, so that a body's name runs on
            // across it ("the Country Farmers’ Union said", "Teachers' Pension Fund"); a quotation's closing mark
            // never reaches here (quotations are one token).
            if (j > i + 1 && j < text.size() && (text[j - 1] == 's' || text[j - 1] == 'S') && utf8::is_upper(c.cp)) {
                const auto ap = utf8::at(text, j);
                if ((ap.cp == U'\'' || ap.cp == U'\u2019') && j + ap.len + 1 < text.size() && text[j + ap.len] == ' ' &&
                    utf8::is_upper(utf8::at(text, j + ap.len + 1).cp)) {
                    j += ap.len;
                }
            }
            // An initial ("William G. Gale", "C. Eugene Steuerle") keeps its full stop, so that a name runs on
            // across it.
            if (j == i + c.len && utf8::is_upper(c.cp) && j + 1 < text.size() && text[j] == '.' &&
                utf8::is_space(utf8::at(text, j + 1).cp)) {
                j += 1;
            } else if (j < text.size() && text[j] == '.' &&
                       contains(rules.abbreviations, to_lower_ascii(text.substr(i, j - i))) &&
                       (j + 1 == text.size() || utf8::is_space(utf8::at(text, j + 1).cp) || text[j + 1] == ',' ||
                        text[j + 1] == ';' || text[j + 1] == ')') &&
                       // "No. 10", but "Is it? No. You just …": an abbreviation for "number" only before a figure.
                       (!contains(rules.number_abbreviations, to_lower_ascii(text.substr(i, j - i))) ||
                        (j + 2 < text.size() && text[j + 2] >= '0' && text[j + 2] <= '9'))) {
                // A title's or a suffix's abbreviation keeps its full stop ("said Mr. Reeves", "explains Dr.
                // Shadlen", "Okafor Jr. said", "Patrick Carlineo Jr., 55, of Addison").
                j += 1;
            } else if (j + 1 < text.size() && text[j] == '.' && (text[j + 1] == ',' || text[j + 1] == ';')) {
                // A full stop before a comma ends no sentence: an abbreviation's ("Sen. Ben Sasse, R-Neb., called").
                j += 1;
            } else if (j + 2 < text.size() && text[j] == '.' && text[j + 1] == ' ' &&
                       utf8::is_upper(utf8::at(text, j + 2).cp) &&
                       text.substr(i, j - i).find('.') != std::string_view::npos) {
                // So does an abbreviation with stops before a capital ("U.S. Attorney Erin Nealy Cox"): the name
                // runs on across it, whole.
                j += 1;
            }
            t.end = j;
            t.kind = Token::Kind::word;
            t.lower = utf8::to_lower(text.substr(i, j - i));
            t.capital = utf8::is_upper(c.cp) || utf8::is_digit(c.cp);
            // A particle joined to a name by a hyphen ("al-Harithi", "el-Sisi", "bin-Salman") is a name's word.
            if (!t.capital) {
                const auto dash = t.lower.find('-');
                if (dash != std::string::npos && dash > 0 && t.start + dash + 1 < t.end &&
                    contains(rules.name_connectors, std::string_view(t.lower).substr(0, dash)) &&
                    utf8::is_upper(utf8::at(text, t.start + dash + 1).cp)) {
                    t.capital = true;
                }
            }
        } else {
            t.end = i + c.len;
            t.kind = Token::Kind::punct;
            t.lower = std::string(text.substr(i, c.len));
        }
        i = t.end;
        // A pronoun joined to its verb by a hyphen, as French inverts them ("dit-il", "a-t-elle ajouté"): the
        // verb, then the pronoun, as two words (the euphonic "-t-" dropped), so that "dit-il" reads as
        // "dit il" and "a-t-il dit" as "a il dit".
        if (t.kind == Token::Kind::word) {
            const auto dash = t.lower.rfind('-');
            if (dash != std::string::npos && dash > 0 && contains(rules.pronouns, t.lower.substr(dash + 1))) {
                std::size_t verb_end = dash;
                if (verb_end >= 2 && t.lower.compare(verb_end - 2, 2, "-t") == 0) verb_end -= 2;
                Token verb = t;
                verb.end = t.start + verb_end;
                verb.lower = t.lower.substr(0, verb_end);
                Token pronoun = t;
                pronoun.start = t.start + dash + 1;
                pronoun.lower = t.lower.substr(dash + 1);
                pronoun.capital = false;
                out.push_back(std::move(verb));
                out.push_back(std::move(pronoun));
                continue;
            }
        }
        // An elided article or preposition before a capitalised word, as French writes them ("l’Association
        // pour …", "d’Île-de-France", "à l'AFP"): the article, then the name, as two words, so that the name reads
        // as one and the article as a name's connector.
        if (t.kind == Token::Kind::word && t.lower.size() > 3) {
            std::size_t elision = 0;
            for (std::string_view e : {"l'", "d'", "l\u2019", "d\u2019"}) {
                if (t.lower.starts_with(e)) elision = e.size();
            }
            if (elision > 0 && t.start + elision < t.end && utf8::is_upper(utf8::at(text, t.start + elision).cp)) {
                Token article = t;
                article.end = t.start + elision;
                article.lower = t.lower.substr(0, elision);
                Token name = t;
                name.start = t.start + elision;
                name.lower = t.lower.substr(elision);
                name.capital = true;
                out.push_back(std::move(article));
                out.push_back(std::move(name));
                continue;
            }
        }
        out.push_back(std::move(t));
    }
    return out;
}

bool abbreviation(const Token& t, const AttributionRules& rules) {
    if (t.kind != Token::Kind::word) return false;
    return contains(rules.abbreviations, t.lower) || t.lower.find('.') != std::string::npos ||
           (t.lower.size() == 1 && t.capital);
}

// Whether a speech verb of the rules (its first word, for one of several) starts at word token w.
bool opens_speech_verb(const Token& w, const AttributionRules& rules) {
    return std::any_of(rules.speech_verbs.begin(), rules.speech_verbs.end(),
                       [&](const std::vector<std::string>& verb) { return !verb.empty() && verb.front() == w.lower; });
}

// Whether one of the next few words from `from`, before any punctuation, is a speech verb; an appositive between
// commas after the first words is passed over ("“Why?” He Jianxiong, the former director at the IMF, said").
bool speech_verb_follows(const std::vector<Token>& t, std::size_t from, const AttributionRules& rules) {
    constexpr std::size_t window = 6;
    constexpr std::size_t appositive = 20;
    for (std::size_t k = from; k < t.size() && k < from + window; ++k) {
        if (t[k].kind == Token::Kind::punct && t[k].lower == "," && k > from) {
            std::size_t c = k + 1;
            while (c < t.size() && c < k + appositive && t[c].kind == Token::Kind::word)
                ++c;
            if (c + 1 >= t.size() || c == k + 1 || t[c].kind != Token::Kind::punct || t[c].lower != ",") return false;
            for (std::size_t v = c + 1; v < t.size() && v < c + 3 && t[v].kind == Token::Kind::word; ++v) {
                if (opens_speech_verb(t[v], rules)) return true;
            }
            return false;
        }
        if (t[k].kind != Token::Kind::word) return false;
        if (opens_speech_verb(t[k], rules)) return true;
    }
    return false;
}

// Whether the words from `from` are a whole sentence that only says who spoke: a speech verb among its first words
// and its full stop (or the block's end) a few words after it, with nothing else between ("Jane Smith said.",
// "she told reporters on Monday.").
bool bare_tag_follows(const std::vector<Token>& t, std::size_t from, const AttributionRules& rules) {
    constexpr std::size_t kMaxBefore = 5;
    constexpr std::size_t kMaxAfter = 4;
    std::size_t k = from;
    bool verb = false;
    while (k < t.size() && k < from + kMaxBefore && t[k].kind == Token::Kind::word) {
        verb = opens_speech_verb(t[k], rules);
        ++k;
        if (verb) break;
    }
    if (!verb) return false;
    const std::size_t v = k;
    // After the verb, only where or how it was said ("in a statement", "on Monday", "later"), or to whom after
    // "told"; not an object ("It ruled his death a homicide.").
    if (v < t.size() && t[v].kind == Token::Kind::word &&
        !(contains(rules.prepositions, t[v].lower) || t[v].lower.ends_with("ly") ||
          contains(rules.post_verb_adverbs, t[v].lower) || contains(rules.addressee_verbs, t[v - 1].lower))) {
        return false;
    }
    while (k < t.size() && k < v + kMaxAfter && t[k].kind == Token::Kind::word)
        ++k;
    return k >= t.size() || (t[k].kind == Token::Kind::punct && t[k].lower == ".");
}

// A dateline opening a paragraph: a place in capitals, maybe a date and the agency in parentheses, then a dash
// ("Montpellier (SID) – Tennis-Olympiasieger Alexander Zverev hat …", "WASHINGTON (Reuters) — The Senate …"); the
// index of the dash, or no_token. What follows the dash opens the first sentence.
std::size_t dateline_dash(const std::vector<Token>& t) {
    constexpr std::size_t kMaxDateline = 8;
    bool place = false;
    for (std::size_t k = 0; k < t.size() && k <= kMaxDateline; ++k) {
        const Token& x = t[k];
        if (x.quotation >= 0 || x.kind == Token::Kind::quote) return no_token;
        if (x.kind == Token::Kind::word) {
            if (!x.capital && !is_number_token(x)) return no_token;
            place = place || (k == 0 && x.capital);
            continue;
        }
        if (x.lower == "\u2013" || x.lower == "\u2014" || x.lower == "-") {
            const bool opens = k + 1 < t.size() && t[k + 1].kind == Token::Kind::word && t[k + 1].capital;
            return place && k > 0 && opens ? k : no_token;
        }
        if (x.lower != "," && x.lower != "(" && x.lower != ")" && x.lower != ".") return no_token;
    }
    return no_token;
}

// Whether the full stop at k closes a day printed as an ordinal before a month ("am 27. Februar", "des 27.
// Februars"), which ends no sentence.
bool ordinal_date(const std::vector<Token>& t, std::size_t k, const AttributionRules& rules) {
    constexpr std::size_t kMaxDayDigits = 2;
    if (k == 0 || k + 1 >= t.size() || t[k].lower != "." || t[k - 1].kind != Token::Kind::word ||
        t[k + 1].kind != Token::Kind::word || t[k - 1].end != t[k].start || t[k - 1].lower.size() > kMaxDayDigits ||
        !std::all_of(t[k - 1].lower.begin(), t[k - 1].lower.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return false;
    }
    std::string_view month = t[k + 1].lower;
    if (contains(rules.ordinal_date_months, month)) return true;
    return month.size() > 1 && month.back() == 's' &&
           contains(rules.ordinal_date_months, month.substr(0, month.size() - 1));
}

std::vector<Sentence> split_sentences(const std::vector<Token>& t, const Document& doc, const AttributionRules& rules) {
    std::vector<Sentence> out;
    std::size_t begin = 0;
    if (const std::size_t dash = dateline_dash(t); dash != no_token) {
        out.push_back({0, dash + 1});
        begin = dash + 1;
    }
    for (std::size_t k = begin; k < t.size(); ++k) {
        bool boundary = false;
        // (Or a sentence in parentheses: ". (It’s worth noting …")
        const bool next_opens = k + 1 >= t.size() || t[k + 1].kind == Token::Kind::quote ||
                                (t[k + 1].kind == Token::Kind::word && t[k + 1].capital) ||
                                (t[k + 1].kind == Token::Kind::punct && t[k + 1].lower == "(" && k + 2 < t.size() &&
                                 t[k + 2].kind == Token::Kind::word && t[k + 2].capital);
        if (t[k].kind == Token::Kind::punct &&
            (t[k].lower == "." || t[k].lower == "!" || t[k].lower == "?" || t[k].lower == "\u3002" ||
             t[k].lower == "\uFF01" || t[k].lower == "\uFF1F")) {
            boundary = next_opens && !(k > 0 && abbreviation(t[k - 1], rules) && t[k].lower == ".") &&
                       !ordinal_date(t, k, rules);
            // A sentence in parentheses ends after its closing one: "(It’s worth noting … overseas.) During …".
            if (!boundary && k + 2 < t.size() && t[k + 1].kind == Token::Kind::punct && t[k + 1].lower == ")" &&
                ((t[k + 2].kind == Token::Kind::word && t[k + 2].capital) || t[k + 2].kind == Token::Kind::quote)) {
                ++k;
                boundary = true;
            }
        } else if (t[k].kind == Token::Kind::quote && k + 1 < t.size() && t[k + 1].kind == Token::Kind::word &&
                   t[k + 1].capital) {
            const std::string& q = doc.quotations[static_cast<std::size_t>(t[k].quotation)].text;
            // A quoted question or exclamation is followed by its attribution without a comma ("“Why?” Forte
            // said."): the sentence runs on when a speech verb comes within the next few words.
            // Nor is a quoted statement that only a bare tag of its own follows ("“…we will not back down.” Jane
            // Smith said."), as some writers print it.
            boundary = !q.empty() && ((q.back() == '.' && !bare_tag_follows(t, k + 1, rules)) ||
                                      ((q.back() == '!' || q.back() == '?') && !speech_verb_follows(t, k + 1, rules)));
        }
        if (boundary) {
            out.push_back({begin, k + 1});
            begin = k + 1;
        }
    }
    if (begin < t.size()) out.push_back({begin, t.size()});
    return out;
}

}  // namespace

std::size_t sentence_of(const BlockInfo& block, std::size_t tok) {
    const auto& ss = block.sentences;
    for (std::size_t s = 0; s < ss.size(); ++s) {
        if (tok >= ss[s].begin && tok < ss[s].end) return s;
    }
    return 0;
}

std::size_t first_word(const std::vector<Token>& toks, std::size_t from, std::size_t limit) {
    while (from < limit && toks[from].kind != Token::Kind::word)
        ++from;
    return from;
}

std::size_t after_conjunctions(const std::vector<Token>& toks, std::size_t from, std::size_t limit,
                               const AttributionRules& rules) {
    std::size_t k = from;
    while (k < limit && toks[k].kind == Token::Kind::word && contains(rules.sentence_conjunctions, toks[k].lower)) {
        ++k;
        if (k < limit && toks[k].kind == Token::Kind::punct && toks[k].lower == ",") ++k;
    }
    return k < limit && toks[k].kind == Token::Kind::word ? k : from;
}

bool number_in_words(std::string_view lower, const AttributionRules& rules) {
    if (lower.empty()) return false;
    std::size_t from = 0;
    while (from <= lower.size()) {
        const std::size_t dash = lower.find('-', from);
        const std::string_view part =
            lower.substr(from, dash == std::string_view::npos ? std::string_view::npos : dash - from);
        if (part.empty() || !contains(rules.number_words, part)) return false;
        if (dash == std::string_view::npos) break;
        from = dash + 1;
    }
    return true;
}

std::size_t age_suffix_length(std::string_view w, const AttributionRules& rules) {
    for (const auto& suffix : rules.age_suffixes) {
        if (w.size() > suffix.size() && w.ends_with(suffix)) return suffix.size();
    }
    return 0;
}

bool affiliation_particle(const std::vector<Token>& toks, std::size_t k, std::size_t first,
                          const AttributionRules& rules) {
    if (k >= toks.size() || k < first + 2 || toks[k].kind != Token::Kind::word ||
        !contains(rules.affiliation_particles, toks[k].lower)) {
        return false;
    }
    const std::string& before = toks[k - 1].lower;
    return !rules.given_name_word(before);
}

bool genitive_tail_word(std::string_view w, const AttributionRules& rules) {
    if (!is_cyrillic(w)) return true;
    return ends_with_any(w, rules.cyrillic_tail_endings) && !ends_with_any(w, rules.cyrillic_verb_endings);
}

bool cyrillic_tail_preposition(std::string_view w, bool any_case, const AttributionRules& rules) {
    return contains(rules.cyrillic_tail_prepositions, w) || (any_case && w == "в");
}

bool cyrillic_tail_word(std::string_view w, bool any_case, const AttributionRules& rules) {
    return genitive_tail_word(w, rules) || (any_case && !ends_with_any(w, rules.cyrillic_verb_endings));
}

std::size_t cyrillic_name_first(const std::vector<Token>& toks, std::string_view text, std::size_t first,
                                std::size_t last, const AttributionRules& rules) {
    auto cyrillic = [&](std::size_t i) { return is_cyrillic(toks[i].lower); };
    if (last >= toks.size() || last < first + 2 || !cyrillic(last)) return first;
    // "Юрьевич", "Леонидович", "Викторовна": the given name before it opens the name.
    for (std::size_t i = first + 2; i < last; ++i) {
        if (!cyrillic(i)) continue;
        if (ends_with_any(toks[i].lower, rules.patronymic_endings, 1)) {
            return i - 1;
        }
    }
    // "ВМЗ", "ЖКХ": every letter in capitals, two at least (Cyrillic capitals are U+0401 and U+0410 to U+042F).
    const std::string_view printed = text.substr(toks[first].start, toks[first].end - toks[first].start);
    std::size_t letters = 0;
    for (std::size_t i = 0; i < printed.size();) {
        const auto c = static_cast<unsigned char>(printed[i]);
        if (c >= 'A' && c <= 'Z') {
            ++letters;
            ++i;
            continue;
        }
        if (i + 1 < printed.size() && (c == 0xD0 || c == 0xD0 + 1)) {
            const auto d = static_cast<unsigned char>(printed[i + 1]);
            const bool upper = (c == 0xD0 && (d == 0x81 || (d >= 0x90 && d <= 0xAF)));
            if (!upper) return first;
            ++letters;
            i += 2;
            continue;
        }
        return first;
    }
    return letters >= 2 ? first + 1 : first;
}

bool tail_connected(const std::vector<Token>& toks, std::size_t head, std::size_t last, const AttributionRules& rules) {
    if (!contains(rules.organisation_words, toks[head].lower)) return true;
    for (std::size_t x = head + 1; x <= last && x < toks.size(); ++x) {
        if (contains(rules.organisation_tail_connectors, toks[x].lower)) return true;
    }
    return false;
}

bool tail_names_place(const std::vector<Token>& toks, std::size_t head, std::size_t last,
                      const AttributionRules& rules) {
    for (std::size_t x = head + 2; x <= last && x < toks.size() && toks[x].kind == Token::Kind::word; ++x) {
        if (!toks[x].capital || is_number_token(toks[x])) continue;
        if (contains(rules.organisation_tail_connectors, toks[x - 1].lower)) return true;
        // An article between: "la chambre d’agriculture de la Gironde".
        if (x >= head + 3 && contains(rules.institution_articles, toks[x - 1].lower) &&
            contains(rules.organisation_tail_connectors, toks[x - 2].lower))
            return true;
    }
    return false;
}

std::size_t opening_phrase_comma(const std::vector<Token>& toks, std::size_t first, std::size_t limit,
                                 std::size_t max_tokens) {
    for (std::size_t k = first + 1; k < limit && k < first + max_tokens; ++k) {
        if (toks[k].kind == Token::Kind::punct && toks[k].lower == ",") return k;
        // (A quotation inside the phrase whose words end with a comma: "Following a performance of “Black Water,”
        // Simmons teed up …".)
        if (toks[k].kind == Token::Kind::quote && toks[k].comma_inside) return k;
    }
    return no_token;
}

std::size_t tokens_before(const std::vector<Token>& toks, std::size_t pos) {
    return static_cast<std::size_t>(
        std::partition_point(toks.begin(), toks.end(), [&](const Token& t) { return t.start < pos; }) - toks.begin());
}

PreparedBlocks prepare_blocks(const Document& doc, const AttributionRules& rules) {
    PreparedBlocks out;
    std::vector<std::vector<QuoteRange>> ranges(doc.blocks.size());
    for (std::size_t qi = 0; qi < doc.quotations.size(); ++qi) {
        const Quotation& q = doc.quotations[qi];
        if (q.block < 0 || static_cast<std::size_t>(q.block) >= doc.blocks.size()) continue;
        const std::string& text = doc.blocks[static_cast<std::size_t>(q.block)].text;
        std::size_t s = q.start;
        if (!q.open_mark.empty()) {
            const std::size_t at = text.rfind(q.open_mark, q.start);
            if (at != std::string::npos) s = at;
        }
        std::size_t e = q.end;
        if (!q.close_mark.empty()) {
            const std::size_t at = text.find(q.close_mark, q.end);
            if (at != std::string::npos) e = at + q.close_mark.size();
        } else if (!q.open_mark.empty()) {
            e = text.size();
        }
        ranges[static_cast<std::size_t>(q.block)].push_back({s, std::min(e, text.size()), static_cast<int>(qi)});
    }
    out.blocks.resize(doc.blocks.size());
    out.quote_token.assign(doc.quotations.size(), no_token);
    // Tokens take some twenty times the bytes of their text, so a hostile page (megabytes in one paragraph,
    // or hundreds of thousands of paragraphs) must not have all of its text tokenized. The blocks around
    // quotations (the two before, which may introduce them, and the one after) come first, then the others
    // in order while the budget lasts (their names serve pronouns and later attributions); each block is read
    // up to max_block_tokenized bytes, and a quotation past that is left unattributed.
    std::vector<bool> near_quote(doc.blocks.size(), false);
    for (const auto& q : doc.quotations) {
        if (q.block < 0 || static_cast<std::size_t>(q.block) >= doc.blocks.size()) continue;
        const auto b = static_cast<std::size_t>(q.block);
        for (std::size_t k = b >= 2 ? b - 2 : 0; k <= std::min(b + 1, doc.blocks.size() - 1); ++k)
            near_quote[k] = true;
    }
    std::size_t budget = max_document_tokenized;
    auto prefix = [](std::string_view text) {
        if (text.size() <= max_block_tokenized) return text;
        std::size_t cut = max_block_tokenized;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
            --cut;
        return text.substr(0, cut);
    };
    std::vector<bool> chosen(doc.blocks.size(), false);
    for (int pass = 0; pass < 2; ++pass) {
        for (std::size_t b = 0; b < doc.blocks.size() && budget > 0; ++b) {
            if (doc.blocks[b].kind == BlockKind::embed || chosen[b] || (pass == 0 && !near_quote[b])) continue;
            const std::size_t n = prefix(doc.blocks[b].text).size();
            if (n > budget) continue;
            budget -= n;
            chosen[b] = true;
        }
    }
    for (std::size_t b = 0; b < doc.blocks.size(); ++b) {
        if (!chosen[b]) continue;
        auto& r = ranges[b];
        std::sort(r.begin(), r.end(), [](const QuoteRange& x, const QuoteRange& y) { return x.start < y.start; });
        const std::string_view text = prefix(doc.blocks[b].text);
        std::erase_if(r, [&](const QuoteRange& x) { return x.end > text.size(); });
        BlockInfo& info = out.blocks[b];
        info.tokens = tokenize(text, r, rules);
        info.sentences = split_sentences(info.tokens, doc, rules);
        info.ends_with_colon =
            !info.tokens.empty() && info.tokens.back().kind == Token::Kind::punct && info.tokens.back().lower == ":";
        for (std::size_t k = 0; k < info.tokens.size(); ++k) {
            if (info.tokens[k].quotation >= 0) out.quote_token[static_cast<std::size_t>(info.tokens[k].quotation)] = k;
        }
    }
    return out;
}

}  // namespace provcheck::attribute::detail
