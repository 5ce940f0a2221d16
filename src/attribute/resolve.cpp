#include "attribute/resolve.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <string_view>
#include <tuple>
#include <utility>

#include "core/text.hpp"
#include "extract/quotes.hpp"
#include "extract/utf8.hpp"

namespace provcheck::attribute::detail {

namespace {

const std::string& t_lower(const std::vector<Token>& toks, std::size_t i) {
    return toks[i].lower;
}

// `word` as a whole word of lower-case `text`. A byte of a character beyond ASCII is a letter's: "se" is no word of
// "seán".
bool contains_word(std::string_view text, std::string_view word) {
    if (word.empty()) return false;
    auto letter = [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x80 || std::isalnum(u) != 0;
    };
    std::size_t at = text.find(word);
    while (at != std::string_view::npos) {
        const bool left = at == 0 || !letter(text[at - 1]);
        const std::size_t end = at + word.size();
        const bool right = end >= text.size() || !letter(text[end]);
        if (left && right) return true;
        at = text.find(word, at + 1);
    }
    return false;
}

// An article in lower case inside a body's name, after a connector ("Defensoría Nacional de los Derechos
// Humanos", "Banco de la Nación").
bool lower_article(const std::vector<Token>& toks, std::size_t i, const AttributionRules& rules) {
    return i < toks.size() && toks[i].kind == Token::Kind::word && !toks[i].capital && toks[i].quotation < 0 &&
           (is_article(toks[i].lower) || contains(rules.group_articles, toks[i].lower) ||
            contains(rules.role_articles, toks[i].lower));
}

// The words of a name already in lower case, without the full stops and commas that end them ("u.s." reads
// "u.s", "jr." reads "jr"); views into `lower`.
std::vector<std::string_view> name_words(std::string_view lower) {
    std::vector<std::string_view> out;
    for (std::size_t at = 0; at < lower.size();) {
        const std::size_t space = std::min(lower.find(' ', at), lower.size());
        std::string_view w = lower.substr(at, space - at);
        while (!w.empty() && (w.back() == '.' || w.back() == ','))
            w.remove_suffix(1);
        if (!w.empty()) out.push_back(w);
        at = space + 1;
    }
    return out;
}

bool before(const Mention& m, int block, std::size_t pos) noexcept {
    return m.block < block || (m.block == block && m.pos < pos);
}

// The runs of words in capitals (no figures, none inside a quotation) of sentence `s`, each whole, as [first, last]
// token pairs in reading order.
std::vector<std::pair<std::size_t, std::size_t>> capital_runs(const std::vector<Token>& toks, const Sentence& s) {
    auto name_word = [&](std::size_t i) {
        return i < toks.size() && toks[i].kind == Token::Kind::word && toks[i].capital && !is_number_token(toks[i]) &&
               toks[i].quotation < 0;
    };
    std::vector<std::pair<std::size_t, std::size_t>> runs;
    for (std::size_t k = s.begin; k < s.end && k < toks.size();) {
        if (!name_word(k)) {
            ++k;
            continue;
        }
        std::size_t last = k;
        while (last + 1 < s.end && name_word(last + 1))
            ++last;
        runs.emplace_back(k, last);
        k = last + 1;
    }
    return runs;
}

// A German adjective's inflected form, in lower case ("offenen", "neue", "früheren", "deutsch-französische"): what
// stands between an article and its noun.
bool german_adjective(std::string_view w) {
    return w.size() > 3 &&
           (w.ends_with("en") || w.ends_with("e") || w.ends_with("er") || w.ends_with("es") || w.ends_with("em"));
}

bool listed(const std::vector<std::string>& words, std::string_view w) {
    return std::find(words.begin(), words.end(), w) != words.end();
}

// Tokens [first, last] are exactly one of `seqs` ("the company").
bool exactly(const WordSeqs& seqs, const std::vector<Token>& toks, std::size_t first, std::size_t last) {
    const auto it = seqs.by_first.find(toks[first].lower);
    if (it == seqs.by_first.end()) return false;
    for (const std::uint32_t x : it->second) {
        const auto& seq = (*seqs.seqs)[x];
        if (seq.size() != last - first + 1) continue;
        bool same = true;
        for (std::size_t k = 0; k < seq.size() && same; ++k)
            same = toks[first + k].kind == Token::Kind::word && toks[first + k].lower == seq[k];
        if (same) return true;
    }
    return false;
}

// "the <head>" is one of `seqs` ("the company" for "the production company").
bool described_body(const WordSeqs& seqs, std::string_view head) {
    return seqs.pair("the", head);
}

// A person's surname, in lower case: the last word of the name that is no suffix ("Carlineo" of "Patrick W. Carlineo
// Jr."); the name itself when it is one word.
std::string surname(std::string_view name, const std::vector<std::string>& suffixes) {
    std::string_view rest = name;
    for (;;) {
        while (!rest.empty() && (rest.back() == ' ' || rest.back() == ','))
            rest.remove_suffix(1);
        const auto space = rest.rfind(' ');
        if (space == std::string_view::npos) break;
        std::string last = to_lower_ascii(rest.substr(space + 1));
        if (!last.empty() && last.back() == '.') last.pop_back();
        if (!listed(suffixes, last)) break;
        rest = rest.substr(0, space);
    }
    const auto space = rest.rfind(' ');
    return to_lower_ascii(space == std::string_view::npos ? rest : rest.substr(space + 1));
}

// The capitals of an acronym, in order ("IPCC" of "IPCC", "US" of "U.S."); an acronym spells a body's name with
// this many at least ("U.S." is no body's initials).
std::string ascii_capitals(std::string_view word) {
    std::string out;
    for (const char c : word) {
        if (c >= 'A' && c <= 'Z') out.push_back(c);
    }
    return out;
}
constexpr std::size_t kMinAcronymLetters = 3;

// Paragraphs a chain of references to a body by its word ("the agency" said again in each) reaches back at most.
constexpr int kMaxReferenceChain = 6;

// Words of an organisation's name at most: "Office of the United Nations High Commissioner for Human Rights".
constexpr std::size_t max_organisation_words = 10;

}  // namespace

Resolver::Resolver(const Document& doc, const AttributionRules& rules, const Lexicon& lexicon,
                   const std::vector<BlockInfo>& blocks)
    : doc_(doc), rules_(rules), lex_(lexicon), blocks_(blocks) {
    collect_word_cases();
    collect_mentions();
}

void Resolver::collect_word_cases() {
    // Words printed in lower case, and words printed in capitals inside a sentence (not opening it), over the
    // article's running text (not its embedded posts).
    for (std::size_t b = 0; b < doc_.blocks.size() && b < blocks_.size(); ++b) {
        if (doc_.blocks[b].kind == BlockKind::embed) continue;
        const auto& toks = blocks_[b].tokens;
        for (const auto& s : blocks_[b].sentences) {
            const std::size_t opener = first_word(toks, s.begin, s.end);
            for (std::size_t k = s.begin; k < s.end && k < toks.size(); ++k) {
                if (toks[k].kind != Token::Kind::word || toks[k].quotation >= 0 || is_number_token(toks[k])) continue;
                if (!toks[k].capital) {
                    lower_words_.insert(toks[k].lower);
                } else if (k != opener) {
                    capitals_inside_.insert(toks[k].lower);
                }
            }
        }
    }
}

bool Resolver::credit_line(std::string_view text) const {
    constexpr std::size_t kMaxCreditWords = 30;
    if (count_words(text) > kMaxCreditWords) return false;
    const std::string lower = utf8::to_lower(std::string(text));
    return std::any_of(rules_.credit_markers.begin(), rules_.credit_markers.end(), [&](const std::string& marker) {
        if (marker.empty()) return false;
        // A marker that opens with a letter is a word ("photo:" not in "telephoto:"); a sign is found anywhere.
        return std::isalpha(static_cast<unsigned char>(marker.front())) != 0 ? contains_word(lower, marker)
                                                                             : lower.find(marker) != std::string::npos;
    });
}

bool Resolver::ordinary_word(std::string_view lower) const {
    const std::string w(lower);
    return lower_words_.contains(w) && !capitals_inside_.contains(w);
}

bool Resolver::ordinary_opener(std::string_view lower) const {
    return ordinary_word(lower) && !surnames_.contains(std::string(lower));
}

std::optional<SpeakerRef> Resolver::described_opener(std::size_t k, std::size_t b, const Parser& p) const {
    const auto& toks = blocks_[b].tokens;
    const std::string language = language_code(doc_.language);
    if (!(language.empty() || language == "en") || k >= toks.size() || !toks[k].capital) return std::nullopt;
    if (!ordinary_word(toks[k].lower) || rules_.given_name_word(toks[k].lower) || listed(rules_.titles, toks[k].lower))
        return std::nullopt;
    const auto& sentences = blocks_[b].sentences;
    const auto s =
        std::find_if(sentences.begin(), sentences.end(), [&](const Sentence& x) { return x.begin <= k && k < x.end; });
    if (s == sentences.end() || first_word(toks, s->begin, s->end) != k) return std::nullopt;
    // Up to three words in lower case, then the name.
    constexpr std::size_t kMaxDescribing = 3;
    std::size_t n = k + 1;
    while (n < s->end && n <= k + kMaxDescribing && toks[n].kind == Token::Kind::word && !toks[n].capital)
        ++n;
    if (n == k + 1 || n >= s->end || toks[n].kind != Token::Kind::word || !toks[n].capital) return std::nullopt;
    auto named = p.subject(n, s->end);
    // (The article may open the name: "The Idle Hour".)
    const bool from_n = named && (named->first == n || (named->first == n + 1 && toks[n].lower == "the"));
    if (!from_n || (named->kind != SpeakerKind::name && named->kind != SpeakerKind::outlet)) return std::nullopt;
    return named;
}

bool Resolver::nouns_capitalised() const {
    return listed(rules_.capitalised_noun_languages, language_code(doc_.language));
}

Parser Resolver::parser(std::size_t b) const {
    Parser p(rules_, lex_, doc_.blocks[b].text, blocks_[b].tokens);
    p.set_language(language_code(doc_.language));
    return p;
}

bool Resolver::organisation_name(std::string_view lower_name) const {
    for (const auto& w : rules_.organisation_words) {
        if (contains_word(lower_name, w)) return true;
    }
    const auto words = name_words(lower_name);
    return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return compound_body(w); });
}

bool Resolver::plausible_name(std::string_view text, const std::vector<Token>& toks, std::size_t first,
                              std::size_t last, const std::string& printed) const {
    const std::string lower = to_lower_ascii(printed);
    if (organisation_name(lower) || titled_person(printed) || acronym(printed)) return true;
    // A word of it that tells a person or a body: a given name, a title, letters in capitals ("Der LSVD"), or a role
    // a compound ends with ("Der Vorstandschef", "Der CDU-Vorsitzende Friedrich Merz").
    constexpr std::size_t kMinRole = 4;  // "chef"
    for (std::size_t k = first; k <= last && k < toks.size(); ++k) {
        if (toks[k].kind != Token::Kind::word) continue;
        std::string_view w = toks[k].lower;
        if (w.ends_with('.')) w.remove_suffix(1);
        if (rules_.given_name_word(w) || listed(rules_.titles, w) || lex_.ends_in_role(w, kMinRole) ||
            acronym(std::string(text.substr(toks[k].start, toks[k].end - toks[k].start))))
            return true;
    }
    std::string_view head = toks[first].lower;
    if (head.ends_with('.')) head.remove_suffix(1);
    // A word that ends as the language's abstract nouns do ("Formulierung", "Erkenntnis", "Statement").
    constexpr std::size_t kMinStem = 4;
    auto abstract = [&](std::string_view w) { return ends_with_any(w, rules_.abstract_noun_endings, kMinStem); };
    // An article or a demonstrative opening it: a neuter one makes it a thing's phrase ("Das Problem", "Dieses
    // Poster"), another one when the noun is abstract ("Diese Erkenntnis", "Eine Formulierung"; but "Der Beamte",
    // "Die Nordbahn", "Eine Stammkundin" may be someone).
    if (listed(rules_.noun_determiners, head) || listed(rules_.demonstratives, head)) {
        return !listed(rules_.neuter_articles, head) && !abstract(toks[last].lower);
    }
    // One word: a surname of someone named in full, a name the article prints twice, or a word that is not abstract
    // ("Gnisa sagte").
    if (first == last) return surnames_.contains(lower) || named_times(printed, 2) >= 2 || !abstract(lower);
    return true;
}

bool Resolver::body_kind(std::string_view lower_word) const {
    return listed(rules_.organisation_words, lower_word) || lex_.subject_references.by_last.contains(lower_word);
}

bool Resolver::compound_body(std::string_view lower_word) const {
    // In a language that joins its nouns, a body's word at the end of a longer one ("Kultusministerium",
    // "Bezirksregierung", "Mieterbund"); the word alone ("Ministerium") is the body's kind, not its name.
    if (!nouns_capitalised()) return false;
    constexpr std::size_t kMinPrefix = 3;
    return std::any_of(
        rules_.compound_organisation_endings.begin(), rules_.compound_organisation_endings.end(),
        [&](const std::string& e) { return lower_word.size() >= e.size() + kMinPrefix && lower_word.ends_with(e); });
}

bool Resolver::titled_otherwise(const Mention& m, std::string_view role) const {
    // The first word that is the role or another one decides (first_role_word: the first role, set once).
    for (std::size_t i = 0; i < m.first_role_word; ++i) {
        if (m.lower_words[i] == role) return false;
    }
    return m.first_role_word < m.lower_words.size() && m.lower_words[m.first_role_word] != role;
}

bool Resolver::titled_person(std::string_view name) const {
    if (gender_of(name) != Gender::unknown) return true;
    const std::string lower = to_lower_ascii(name);
    const auto words = name_words(lower);
    // A title, then a name of two words at least whose last word is no body's ("Judge Miriam Castellano").
    if (words.size() < 3 || listed(rules_.organisation_words, words.back())) return false;
    for (std::size_t i = 0; i + 2 < words.size(); ++i) {
        if (listed(rules_.titles, words[i]) && !listed(rules_.titles, words[i + 1]) &&
            !listed(rules_.organisation_words, words[i + 1]))
            return true;
    }
    return false;
}

bool Resolver::named_person(const Mention& m) const {
    if (m.is_organisation || m.is_outlet || !titled_person(m.name)) return false;
    const auto words = untitled_words(m.name);
    return std::any_of(words.begin(), words.end(), [&](const std::string& w) { return !listed(rules_.honorifics, w); });
}

void Resolver::collect_organisations(std::size_t b) {
    const auto& toks = blocks_[b].tokens;
    const std::string& text = doc_.blocks[b].text;
    // Whether a body's head of tailed_organisation_words may stand before more capitals (below): in a declared
    // language other than English, and not where every noun is in capitals ("unter dem Namen Coordinadora
    // Universitaria …" in German).
    const std::string language = language_code(doc_.language);
    const bool capitalised_nouns = nouns_capitalised();
    const bool tailed_heads = !language.empty() && language != "en" && !capitalised_nouns;
    auto word = [&](std::size_t i) { return i < toks.size() && toks[i].kind == Token::Kind::word; };
    auto capital = [&](std::size_t i) { return word(i) && toks[i].capital && !is_number_token(toks[i]); };
    // Lower-case words inside a name: "of", "for", "and", "the" ("Ministry of the Interior").
    auto inner = [&](std::size_t i) {
        return word(i) && (toks[i].lower == "of" || toks[i].lower == "for" || toks[i].lower == "and" ||
                           toks[i].lower == "the" || listed(rules_.name_connectors, toks[i].lower));
    };
    // "on" and a topic after a word that takes one ("Center on Poverty"), not a date ("Board on Monday").
    auto topic = [&](std::size_t i) {
        return word(i) && toks[i].lower == "on" && listed(rules_.topic_heads, toks[i - 1].lower) && capital(i + 1) &&
               !listed(rules_.not_names, toks[i + 1].lower);
    };
    // "l’Association pour une fin de vie choisie", "le Tribunal cantonal valaisan": a head the rules list, then
    // words in lower case (and names) up to a verb, a pronoun, a date or punctuation.
    const Parser p = parser(b);
    // A Russian tail goes on in any case after a preposition of cyrillic_tail_prepositions ("Управление по надзору в
    // сфере защиты прав потребителей"), "в" among them once one has, up to a verb.
    auto tailed = [&](std::size_t k) {
        constexpr std::size_t kMaxTail = 6;
        constexpr std::size_t kMaxPrepositionalTail = 10;
        std::size_t last = k;
        bool any_case = false;
        while (last + 1 < toks.size() && last + 1 - k <= (any_case ? kMaxPrepositionalTail : kMaxTail) &&
               word(last + 1) && toks[last + 1].quotation < 0 &&
               !listed(rules_.organisation_tail_stops, toks[last + 1].lower) &&
               !p.speech_verb_at(last + 1, toks.size())) {
            const std::string& w = toks[last + 1].lower;
            if (cyrillic_tail_preposition(w, any_case, rules_)) {
                if (!word(last + 2) || toks[last + 2].quotation >= 0) break;
                any_case = true;
            } else if (!cyrillic_tail_word(w, any_case, rules_)) {
                break;
            }
            // After a word in capitals, a word in Latin letters and lower case goes on only as a connector ("del
            // Pueblo publicado este martes" ends at "Pueblo"; "de Vivienda y Empleo" goes on).
            if (!is_cyrillic(w) && toks[last].capital && !toks[last + 1].capital &&
                !listed(rules_.organisation_tail_connectors, w) && !listed(rules_.name_connectors, w) &&
                !listed(rules_.institution_articles, w) &&
                !(listed(rules_.coordinators, w) && last + 2 < toks.size() && capital(last + 2))) {
                break;
            }
            ++last;
        }
        // Not ending on a connector ("l’Observatoire genevois du" before a name left out).
        while (last > k && (listed(rules_.name_connectors, toks[last].lower) || is_article(toks[last].lower)))
            --last;
        return tail_connected(toks, k, last, rules_) ? last : k;
    };
    // In lower case after an article, with a connector and a word in capitals in its tail ("le ministère des
    // Transports").
    auto institution = [&](std::size_t h) {
        constexpr std::size_t kMaxTail = 7;
        return !capital(h) && h > 0 && word(h - 1) && listed(rules_.institution_articles, toks[h - 1].lower) &&
               tail_names_place(toks, h, h + kMaxTail, rules_);
    };
    auto cyrillic_adjective = [&](std::size_t i) {
        return word(i) && is_cyrillic(toks[i].lower) && ends_with_any(toks[i].lower, rules_.cyrillic_adjective_endings);
    };
    auto push_body = [&](std::size_t first, std::size_t last) {
        const std::string name = text.substr(toks[first].start, toks[last].end - toks[first].start);
        Mention m{static_cast<int>(b), toks[first].start, false, true, name, "", name, ""};
        for (const auto& sentence : blocks_[b].sentences) {
            if (first_word(toks, sentence.begin, sentence.end) == first) m.subject = true;
        }
        mentions_.push_back(std::move(m));
    };
    // Where every noun is written in capitals, an adjective is written so only inside a name: after an article, one
    // ending as rules' proper_adjective_endings do (on a stem of four letters at least: not "die Flasche Wein"), and
    // the nouns in capitals after it, name a body ("die Deutsche Post", "der Bayerische Rundfunk").
    auto proper_adjective = [&](std::size_t k) {
        constexpr std::size_t kMinStem = 4;
        return capitalised_nouns && capital(k) && k > 0 && word(k - 1) && !toks[k - 1].capital &&
               listed(rules_.body_articles, toks[k - 1].lower) && toks[k].quotation < 0 &&
               // (Not what a role is of, "der Bischof der Evangelischen Kirche …", which the role reads.)
               !(k >= 2 && word(k - 2) &&
                 (lex_.person_references.by_last.contains(toks[k - 2].lower) || p.occupation_word(k - 2))) &&
               ends_with_any(toks[k].lower, rules_.proper_adjective_endings, kMinStem) && capital(k + 1) &&
               toks[k + 1].quotation < 0 && gender_of(toks[k + 1].lower) == Gender::unknown &&
               !listed(rules_.titles, toks[k + 1].lower);
    };
    for (std::size_t k = 0; k < toks.size(); ++k) {
        if (proper_adjective(k)) {
            std::size_t last = k + 1;
            while (last + 1 < toks.size() && last + 1 - k < max_organisation_words && capital(last + 1) &&
                   toks[last + 1].quotation < 0)
                ++last;
            // (A name holding a body's word is read below, as every such name is: "der Evangelischen Kirche …".)
            bool body_word = false;
            for (std::size_t x = k + 1; x <= last && !body_word; ++x)
                body_word = listed(rules_.organisation_words, toks[x].lower) || compound_body(toks[x].lower);
            if (!body_word &&
                lex_.outlets.find(text.substr(toks[k].start, toks[last].end - toks[k].start)) == nullptr) {
                push_body(k, last);
                k = last;
                continue;
            }
        }
        // "The Harlan County elections board voted": opening a sentence in English, a name in capitals, up to two
        // words in lower case and a body's word in lower case, read as the parser reads such a speaker ("the Senate
        // intelligence committee said").
        if ((language.empty() || language == "en") && word(k) && !toks[k].capital && toks[k].quotation < 0 &&
            listed(rules_.organisation_words, toks[k].lower)) {
            std::size_t j = k;
            while (j > 0 && k - j < 2 && p.body_modifier(j - 1))
                --j;
            if (j > 0 && capital(j - 1) && possessive_length(toks[j - 1].lower) == 0 &&
                toks[j - 1].lower.find('-') == std::string::npos && !listed(rules_.not_names, toks[j - 1].lower)) {
                constexpr std::size_t kMaxNameWords = 4;
                std::size_t first = j - 1;
                while (first > 0 && j - first < kMaxNameWords && capital(first - 1) &&
                       !listed(rules_.not_names, toks[first - 1].lower))
                    --first;
                // Not the organ of a body named in full ("the Kestrel Pharmaceuticals board", "the NAU board"):
                // the body itself stays the one meant.
                bool organ = false;
                for (std::size_t i = first; i < j; ++i)
                    organ = organ || listed(rules_.organisation_words, toks[i].lower) || acronym(p.printed(i, i));
                std::size_t opener = first;
                if (opener > 0 && word(opener - 1) && toks[opener - 1].lower == "the") --opener;
                bool opens = false;
                for (const auto& sentence : blocks_[b].sentences) {
                    if (first_word(toks, sentence.begin, sentence.end) == opener) opens = true;
                }
                if (!organ && opens) {
                    const std::string name = text.substr(toks[first].start, toks[k].end - toks[first].start);
                    Mention m{static_cast<int>(b), toks[first].start, false, true, name, "", name, ""};
                    m.subject = true;
                    mentions_.push_back(std::move(m));
                    continue;
                }
            }
        }
        // "Велижанский моторный завод", "Ленинский районный суд Каменнобродска": adjectives, the head in lower case,
        // and its tail.
        if (capital(k) && toks[k].quotation < 0 && cyrillic_adjective(k)) {
            constexpr std::size_t kMaxAdjectives = 2;
            std::size_t h = k + 1;
            while (h <= k + kMaxAdjectives && word(h) && !toks[h].capital &&
                   !listed(rules_.tailed_organisation_words, toks[h].lower) && cyrillic_adjective(h))
                ++h;
            if (word(h) && !toks[h].capital && toks[h].quotation < 0 &&
                listed(rules_.tailed_organisation_words, toks[h].lower)) {
                const std::size_t last = tailed(h);
                push_body(k, last);
                k = last;
                continue;
            }
        }
        if ((capital(k) || institution(k)) && listed(rules_.tailed_organisation_words, toks[k].lower) && word(k + 1) &&
            !toks[k + 1].capital) {
            const std::size_t last = tailed(k);
            if (last > k) {
                const std::string name = text.substr(toks[k].start, toks[last].end - toks[k].start);
                Mention m{static_cast<int>(b), toks[k].start, false, true, name, "", name, ""};
                std::size_t opener = k;
                if (opener > 0 && word(opener - 1) &&
                    (is_article(toks[opener - 1].lower) || listed(rules_.noun_articles, toks[opener - 1].lower) ||
                     listed(rules_.role_articles, toks[opener - 1].lower) || toks[opener - 1].lower == "l'" ||
                     toks[opener - 1].lower == "l\u2019"))
                    --opener;
                for (const auto& sentence : blocks_[b].sentences) {
                    if (first_word(toks, sentence.begin, sentence.end) == opener) m.subject = true;
                }
                mentions_.push_back(std::move(m));
                k = last;
                continue;
            }
        }
        // The head as an owner ("Oakhurst Borough Council’s decision") is the body's word all the same; the name
        // ends there.
        const std::string_view head_word =
            std::string_view(toks[k].lower).substr(0, toks[k].lower.size() - possessive_length(toks[k].lower));
        const bool owner_head = head_word.size() < toks[k].lower.size();
        const bool compound = capital(k) && compound_body(head_word);
        // A head of tailed_organisation_words in capitals before more capitals ("la Fiscalía General del Estado",
        // "la Procuraduría General de la Nación", "le Conseil National"), in a language that prints it so.
        const bool tailed_head = tailed_heads && !owner_head && capital(k) && capital(k + 1) &&
                                 listed(rules_.tailed_organisation_words, head_word);
        if (!capital(k) || (!listed(rules_.organisation_words, head_word) && !compound && !tailed_head)) continue;
        // A plural possessive inside the name ("Meridian Tenants’ Union"): the apostrophe, glued to its word.
        auto apostrophe = [&](std::size_t i) {
            return i < toks.size() && toks[i].kind == Token::Kind::punct &&
                   (toks[i].lower == "’" || toks[i].lower == "'") && i > 0 && toks[i - 1].end == toks[i].start;
        };
        std::size_t first = k;
        while (first > 0 && k - first + 1 < max_organisation_words &&
               (capital(first - 1) ||
                ((inner(first - 1) || apostrophe(first - 1)) && capital(first >= 2 ? first - 2 : toks.size()))))
            --first;
        // Nor a German article in capitals opening the sentence ("Die Niederrhein Energie AG erhöht …").
        while (first < k && (inner(first) || listed(rules_.not_names, toks[first].lower) ||
                             (nouns_capitalised() && listed(rules_.noun_determiners, toks[first].lower))))
            ++first;
        std::size_t last = k;
        while (!owner_head && last - first + 1 < max_organisation_words) {
            if (capital(last + 1)) {
                ++last;
            } else if (topic(last + 1)) {
                last += 2;
            } else if ((inner(last + 1) || p.body_conjunction(last + 1, first)) && capital(last + 2)) {
                // ("Ministerio de Ciencia y Tecnología", "Calder & Voss": Parser::body_conjunction.)
                last += 2;
            } else if (inner(last + 1) && (inner(last + 2) || lower_article(toks, last + 2, rules_)) &&
                       capital(last + 3)) {
                // "Defensoría Nacional de los Derechos Humanos"
                last += 3;
            } else {
                break;
            }
        }
        first = past_body_kind(toks, first, last);
        // A lone organisation word opening a sentence ("Authority figures …") names no one; a compound does
        // ("Das Kultusministerium teilte mit").
        if (first == last && !compound) continue;
        // Nor a person whose title names the body they serve ("Saint Louis County Police Officer Blake Snyder"): a
        // title after the body's word, then two words or more in capitals, none a body's.
        {
            bool person = false;
            for (std::size_t i = k + 1; i + 2 <= last && !person; ++i) {
                if (!listed(rules_.titles, toks[i].lower)) continue;
                person = true;
                for (std::size_t x = i + 1; x <= last && person; ++x)
                    person = capital(x) && !listed(rules_.organisation_words, toks[x].lower) &&
                             !listed(rules_.titles, toks[x].lower);
            }
            if (person) continue;
        }
        std::string name = text.substr(toks[first].start, toks[last].end - toks[first].start);
        // An owner ("building Air Force One’s replacement", "at Ostrava Mining’s meeting"): the body named in
        // passing.
        const std::size_t owner = possessive_length(toks[last].lower);
        name.resize(name.size() - owner);
        Mention m{static_cast<int>(b), toks[first].start, false, true, name, "", name, ""};
        m.passing = owner > 0;
        // Opening its sentence ("Norvale Pharmaceuticals disclosed …", "The Harlan County elections board voted
        // …"): a subject, not an object ("a filing with the Securities Commission").
        std::size_t opener = first;
        if (opener > 0 && word(opener - 1) && toks[opener - 1].lower == "the") --opener;
        for (const auto& sentence : blocks_[b].sentences) {
            if (first_word(toks, sentence.begin, sentence.end) == opener) m.subject = true;
        }
        mentions_.push_back(std::move(m));
        k = last;
    }
    collect_described_bodies(b);
}

void Resolver::collect_described_bodies(std::size_t b) {
    // "Skyloft, the messaging app,", "The United Freight and Rail Workers, a union that represents …": a name the
    // appositive after it calls a body (its last word one of organisation_words or the head of a
    // subject_references phrase) names that body, whatever its own words; "the app" or "the union" after it
    // points back to it. Not a person's appositive ("Kapoor, the company's head of infrastructure", "Yilmaz, a
    // researcher at Netwatch"): the appositive's last word before punctuation or a relative decides.
    const auto& toks = blocks_[b].tokens;
    const std::string& text = doc_.blocks[b].text;
    auto word = [&](std::size_t i) { return i < toks.size() && toks[i].kind == Token::Kind::word; };
    auto capital = [&](std::size_t i) { return word(i) && toks[i].capital && !is_number_token(toks[i]); };
    // Not "for": "Lawyers for Caldris, the ride-hailing company," describes Caldris alone.
    auto inner = [&](std::size_t i) {
        return word(i) && (toks[i].lower == "of" || listed(rules_.coordinators, toks[i].lower) ||
                           listed(rules_.name_connectors, toks[i].lower));
    };
    // Where the appositive's noun phrase ends: a relative, "that", "whose", "based", a preposition.
    auto ends = [&](std::size_t i) {
        const std::string& w = toks[i].lower;
        return listed(rules_.relative_pronouns, w) || listed(rules_.prepositions, w) || w == "that" || w == "whose" ||
               w == "based";
    };
    // The body named by tokens first..last, called `kind`; the subject of a sentence that opens at one of `openers`.
    // Not a person's name (a title, a gender the rules tell), an outlet, or a body already collected there.
    auto add_body = [&](std::size_t first, std::size_t last, const std::string& kind,
                        std::initializer_list<std::size_t> openers) {
        const std::string name = text.substr(toks[first].start, toks[last].end - toks[first].start);
        if (titled_person(name) || gender_of(name) != Gender::unknown || lex_.outlets.find(name) != nullptr) return;
        const bool known = std::any_of(mentions_.begin(), mentions_.end(), [&](const Mention& x) {
            return x.block == static_cast<int>(b) && x.pos == toks[first].start && x.is_organisation;
        });
        if (known) return;
        Mention m{static_cast<int>(b), toks[first].start, false, true, name, "", name, ""};
        m.kind = kind;
        for (const auto& sentence : blocks_[b].sentences) {
            const std::size_t fw = first_word(toks, sentence.begin, sentence.end);
            if (std::find(openers.begin(), openers.end(), fw) != openers.end()) m.subject = true;
        }
        mentions_.push_back(std::move(m));
    };
    // "Engineers from Western Grid worked …", "a spokesperson at Harlow Foods said": who works there names a body.
    constexpr std::size_t kMaxBodyWords = 5;
    for (std::size_t i = 0; i + 3 < toks.size(); ++i) {
        if (!word(i) || toks[i].quotation >= 0 || !listed(rules_.staff_nouns, toks[i].lower)) continue;
        if (!word(i + 1) || (toks[i + 1].lower != "from" && toks[i + 1].lower != "at")) continue;
        const std::size_t first = i + 2;
        if (!capital(first) || toks[first].quotation >= 0 || listed(rules_.not_names, toks[first].lower)) continue;
        std::size_t last = first;
        while (last + 1 < toks.size() && last + 1 - first < kMaxBodyWords && capital(last + 1) &&
               toks[last + 1].quotation < 0)
            ++last;
        if (last == first || possessive_length(toks[last].lower) > 0) continue;
        add_body(first, last, std::string(), {first});
    }
    constexpr std::size_t kMaxDescriptionWords = 4;
    for (std::size_t c = 1; c + 2 < toks.size(); ++c) {
        if (toks[c].kind != Token::Kind::punct || toks[c].lower != "," || !capital(c - 1) || toks[c - 1].quotation >= 0)
            continue;
        if (!word(c + 1) || !(toks[c + 1].lower == "a" || toks[c + 1].lower == "an" || toks[c + 1].lower == "the"))
            continue;
        std::size_t head = c + 1;
        while (head + 1 < toks.size() && head + 1 - (c + 1) <= kMaxDescriptionWords && word(head + 1) &&
               !toks[head + 1].capital && !ends(head + 1))
            ++head;
        if (head == c + 1) continue;
        const std::string& h = toks[head].lower;
        if (!body_kind(h)) continue;
        // The appositive ends there: punctuation or a relative, not a preposition going on ("the bank's chief").
        if (word(head + 1) && !ends(head + 1)) continue;
        if (head + 1 < toks.size() && toks[head + 1].kind == Token::Kind::punct &&
            possessive_length(toks[head].lower) > 0)
            continue;
        std::size_t first = c - 1;
        while (first > 0 && c - first < max_organisation_words &&
               (capital(first - 1) || (inner(first - 1) && first >= 2 && capital(first - 2))))
            --first;
        while (first < c - 1 &&
               (inner(first) || is_article(toks[first].lower) || listed(rules_.not_names, toks[first].lower)))
            ++first;
        std::size_t opener = first;
        if (opener > 0 && word(opener - 1) && is_article(toks[opener - 1].lower)) --opener;
        add_body(first, c - 1, h, {opener});
    }
    // "The operator, Nordkraft Energy, said": the body's kind after an article (or an owner: "The academy’s trust,
    // Horizon Learning Partnership, said"), then its name set off by commas.
    constexpr std::size_t kMaxSetOffWords = 5;
    for (std::size_t h = 1; h + 2 < toks.size(); ++h) {
        const bool owned = word(h - 1) && possessive_length(toks[h - 1].lower) > 0;
        if (!word(h) || toks[h].capital || toks[h].quotation >= 0 || !word(h - 1) ||
            !(is_article(to_lower_ascii(toks[h - 1].lower)) || listed(rules_.role_articles, toks[h - 1].lower) ||
              listed(rules_.body_articles, toks[h - 1].lower) || owned) ||
            toks[h + 1].kind != Token::Kind::punct || toks[h + 1].lower != ",") {
            continue;
        }
        const std::string& kind = toks[h].lower;
        if (!body_kind(kind)) continue;
        const std::size_t first = h + 2;
        if (!capital(first) || toks[first].quotation >= 0 || listed(rules_.not_names, toks[first].lower)) continue;
        std::size_t last = first;
        while (last + 1 < toks.size() && last + 1 - first < kMaxSetOffWords &&
               (capital(last + 1) || (inner(last + 1) && capital(last + 2))) && toks[last + 1].quotation < 0)
            ++last;
        if (last + 1 < toks.size() && !(toks[last + 1].kind == Token::Kind::punct && toks[last + 1].lower == ","))
            continue;
        add_body(first, last, kind, {owned && h >= 2 && is_article(to_lower_ascii(toks[h - 2].lower)) ? h - 2 : h - 1});
    }
    // "La aerolínea de bajo coste Vuelaplus canceló …", "the messaging app Skyloft", "der Konzern Velmar": the
    // body's kind right before its name, with at most three words in lower case between.
    constexpr std::size_t kMaxBetween = 3;
    constexpr std::size_t kMaxNameWords = 3;
    for (std::size_t h = 0; h + 1 < toks.size(); ++h) {
        if (!word(h) || toks[h].capital || toks[h].quotation >= 0) continue;
        const std::string& kind = toks[h].lower;
        if (!body_kind(kind)) continue;
        std::size_t first = h + 1;
        while (first < toks.size() && first <= h + kMaxBetween && word(first) && !toks[first].capital &&
               toks[first].quotation < 0 && !listed(rules_.relative_pronouns, toks[first].lower) &&
               toks[first].lower != "that")
            ++first;
        if (first < toks.size() && word(first) && !capital(first) && listed(rules_.name_connectors, toks[first].lower))
            continue;
        if (!capital(first) || toks[first].quotation >= 0 || listed(rules_.not_names, toks[first].lower)) continue;
        // Not a place or a thing a preposition governs ("la empresa de Madrid", "a court in Minneapolis").
        if (first > h + 1 &&
            (listed(rules_.prepositions, toks[first - 1].lower) ||
             listed(rules_.place_prepositions, toks[first - 1].lower) ||
             listed(rules_.institution_articles, toks[first - 1].lower) || is_article(toks[first - 1].lower))) {
            continue;
        }
        std::size_t last = first;
        while (last + 1 < toks.size() && last + 1 - first < kMaxNameWords && capital(last + 1) &&
               toks[last + 1].quotation < 0)
            ++last;
        if (possessive_length(toks[last].lower) > 0) continue;
        if (listed(rules_.titles, toks[first].lower) ||
            nationality_only(text.substr(toks[first].start, toks[last].end - toks[first].start))) {
            continue;
        }
        // Its phrase opening the sentence makes it the subject ("La aerolínea … Vuelaplus canceló").
        std::size_t opener = h;
        while (opener > 0 && word(opener - 1) && !toks[opener - 1].capital && opener + 3 > h)
            --opener;
        if (opener > 0 && word(opener - 1) && toks[opener - 1].capital &&
            is_article(to_lower_ascii(toks[opener - 1].lower)))
            --opener;
        add_body(first, last, kind, {opener, h - 1, h});
    }
}

void Resolver::note_surnames() {
    // The mentions are only added to while they are collected: those not yet seen add their surnames.
    for (; surnames_seen_ < mentions_.size(); ++surnames_seen_) {
        const Mention& m = mentions_[surnames_seen_];
        if (m.is_outlet || m.is_organisation) continue;
        // (In both lower cases: names compare in ASCII's, a token's word in full Unicode's, which also lowers
        // "Шипилов" and "Álvarez".)
        if (m.name.find(' ') != std::string::npos) {
            const std::string last = surname(m.name, rules_.name_suffixes);
            surnames_.insert(last);
            surnames_.insert(utf8::to_lower(last));
        }
        // Spanish and Portuguese give two surnames, the first the one used alone ("Arteaga" for "Joaquín Arteaga
        // Villalba"): of a name of three words or more, the one before the last too.
        if (const auto words = untitled_words(m.name); words.size() >= 3 &&
                                                       !listed(rules_.name_connectors, words[words.size() - 2]) &&
                                                       gender_of(words[words.size() - 2]) == Gender::unknown) {
            surnames_.insert(words[words.size() - 2]);
            surnames_.insert(utf8::to_lower(words[words.size() - 2]));
        }
    }
}

bool Resolver::surname_of_named(std::string_view lower_word) {
    note_surnames();
    return surnames_.contains(std::string(lower_word));
}

void Resolver::collect_people(std::size_t b) {
    const bool capitalised_nouns = nouns_capitalised();
    const std::string language = language_code(doc_.language);
    const bool english = language.empty() || language == "en";
    const auto& toks = blocks_[b].tokens;
    const std::string& text = doc_.blocks[b].text;
    const Parser occupations = parser(b);
    auto word = [&](std::size_t i) { return i < toks.size() && toks[i].kind == Token::Kind::word; };
    auto capital = [&](std::size_t i) { return word(i) && toks[i].capital && !is_number_token(toks[i]); };
    auto punct = [&](std::size_t i, std::string_view p) {
        return i < toks.size() && toks[i].kind == Token::Kind::punct && toks[i].lower == p;
    };
    // "Rep.", "Sen.", "Dr.": an abbreviated title keeps its full stop in its token.
    auto title = [&](std::size_t i) {
        if (!word(i)) return false;
        std::string_view w = toks[i].lower;
        if (w.size() > 1 && w.back() == '.') w.remove_suffix(1);
        // "President-elect Donald Trump": a title with one of rules' title_suffixes is a title.
        for (const auto& suffix : rules_.title_suffixes) {
            if (w.size() > suffix.size() && w.ends_with(suffix)) {
                w.remove_suffix(suffix.size());
                break;
            }
        }
        return listed(rules_.titles, w);
    };
    for (const auto& s : blocks_[b].sentences) {
        for (std::size_t k = s.begin; k < s.end; ++k) {
            if (!capital(k) || toks[k].quotation >= 0) continue;
            // A role of person_references that prints a word of it in capitals ("le Premier ministre", "Le Premier
            // ministre a assuré"): no name.
            if (const std::size_t from = k > s.begin ? k - 1 : k; word(from)) {
                if (const std::size_t l = occupations.seq_at(lex_.person_references, from, s.end);
                    l > 1 && from + l > k + 1 && !capital(from + l - 1)) {
                    k = from + l - 1;
                    continue;
                }
            }
            std::size_t first = k;
            // "The" and the like open a sentence, not a name; nor does an occupation the rules list that is no title
            // ("Fisherman Teodor Marinescu said": the name is Teodor Marinescu).
            while (first < s.end && capital(first) &&
                   (listed(rules_.not_names, toks[first].lower) || number_in_words(toks[first].lower, rules_)))
                ++first;
            // Nor do the words saying "according to" ("Nach Angaben von Alfa Romeo wird …", where German prints the
            // noun in capitals): the name starts after them.
            for (std::size_t j = first > s.begin + 2 ? first - 2 : s.begin; j <= first && first < s.end; ++j) {
                if (const std::size_t l = occupations.seq_at(lex_.according_to, j, s.end); l > 0 && j + l > first) {
                    first = j + l;
                    break;
                }
            }
            // A word opening the sentence that the article prints in lower case elsewhere, and never in capitals
            // inside a sentence, is an ordinary word ("Popular pub The Mizen …", "Taking Archie to …",
            // "Television executives …"), not a name's, unless it is a given name or a title. In English (or an
            // undeclared language): elsewhere articles and prepositions in capitals open bodies' names ("La
            // Fiscalía", "Le Programme alimentaire mondial").
            // So is a word in -ing that the article never prints in capitals inside a sentence: a participle or a
            // gerund opening it ("Taking Archie outside is his favorite activity"), printed in lower case or not.
            auto participle = [&](const std::string& w) {
                constexpr std::size_t kMinParticiple = 6;  // not "King", "Ming"
                return w.size() >= kMinParticiple && w.ends_with("ing") && !capitals_inside_.contains(w);
            };
            if (english && first == first_word(toks, s.begin, s.end) && first + 1 < s.end && capital(first) &&
                (ordinary_word(toks[first].lower) || participle(toks[first].lower)) &&
                gender_of(toks[first].lower) == Gender::unknown && !title(first) &&
                !rules_.given_name_word(toks[first].lower)) {
                ++first;
                if (!capital(first)) {
                    k = first - 1;
                    continue;
                }
            }
            // "Ella respondió que …": a pronoun opening a sentence names no one, though it is a given name before a
            // surname ("Ella Harper").
            if (first == s.begin && capital(first) && listed(rules_.pronouns, toks[first].lower) &&
                !capital(first + 1)) {
                continue;
            }
            // "Talia “Two Tone” Brennan-Okoro will defend …": a nickname in marks between a given name and the
            // surname; the person is named without it, as the subject.
            // (Or set off by a comma, what the person is after it: "Dolores “Dee” Kaminski, 71, broke the news"; or
            // after a role opening the sentence: "Owner Dolores “Dee” Kaminski".)
            const bool after_role = first == s.begin && first + 3 < s.end && capital(first) && capital(first + 1) &&
                                    toks[first + 2].kind == Token::Kind::quote &&
                                    lex_.person_references.by_last.contains(toks[first].lower);
            if (const std::size_t given = after_role ? first + 1 : first;
                given + 2 < s.end && (given == s.begin || after_role) && capital(given) &&
                toks[given + 1].kind == Token::Kind::quote && capital(given + 2) && toks[given + 2].quotation < 0 &&
                !title(given) && !listed(rules_.not_names, toks[given].lower)) {
                std::size_t last = given + 2;
                while (last + 1 < s.end && capital(last + 1) && !title(last + 1))
                    ++last;
                if ((word(last + 1) && !toks[last + 1].capital) || punct(last + 1, ",")) {
                    const std::string name = text.substr(toks[given].start, toks[given].end - toks[given].start) + " " +
                                             text.substr(toks[given + 2].start, toks[last].end - toks[given + 2].start);
                    Mention m{static_cast<int>(b), toks[given].start, false, false, name, "", name, ""};
                    m.context =
                        to_lower_ascii(text.substr(toks[s.begin].start, toks[s.end - 1].end - toks[s.begin].start));
                    m.subject = true;
                    mentions_.push_back(std::move(m));
                    k = last;
                    continue;
                }
            }
            // "Die Beweislage sei …", "Zahlreiche Rechnungen seien …": a noun phrase in a language that capitalises
            // its nouns; the words after the determiner name no one.
            // But a role or a given name after the determiner opens a person's name ("Die Schauspielerin Anna Tobisch
            // starb", "Der Intendant Roland Weißmann"): the name is read from the word after the role.
            auto opens_person = [&](std::size_t n) {
                return capital(n + 1) &&
                       (lex_.person_references.by_last.contains(toks[n].lower) ||
                        listed(rules_.male_words, toks[n + 1].lower) || listed(rules_.female_words, toks[n + 1].lower));
            };
            if (capitalised_nouns && first < s.end && capital(first) &&
                listed(rules_.noun_determiners, toks[first].lower)) {
                std::size_t n = first + 1;
                while (n < s.end && capital(n) && !title(n) && !opens_person(n))
                    ++n;
                k = n < s.end && capital(n) && !title(n) ? n : (n > first ? n - 1 : first);
                continue;
            }
            // "The actress Mary Smith": after the opening word, a word in lower case; the name is read from the
            // next capital on.
            if (first > k && first < s.end && !capital(first)) {
                k = first - 1;
                continue;
            }
            bool of_organisation = false;
            // "the Ministry of Finance Brian Manning": the word after an organisation's "of" is the organisation's.
            if (first >= s.begin + 2 && word(first - 1) && toks[first - 1].lower == "of" &&
                listed(rules_.organisation_words, toks[first - 2].lower) && capital(first + 1) && capital(first + 2)) {
                ++first;
                of_organisation = true;
            }
            const std::size_t role_at = first;
            bool role = false;
            // A compound role before a name of two words ("Tennis-Olympiasieger Alexander Zverev", "ZdK-Chefin Irme
            // Stetter-Karp"): the role's, not the name's.
            if (first + 2 < s.end && capital(first) && capital(first + 1) && capital(first + 2) &&
                toks[first].lower.find('-') != std::string::npos && !toks[first + 1].lower.ends_with("-") &&
                toks[first + 1].lower.find('-') == std::string::npos) {
                ++first;
                role = true;
            }
            // "La Valaisanne Mélanie Crettenand a remporté …", "El argentino …": an article and a word describing the
            // person (a demonym, capitalised as French writes some) before a given name the rules know.
            if (first + 3 < s.end && word(first) && listed(rules_.role_articles, toks[first].lower) &&
                capital(first + 1) && capital(first + 2) && capital(first + 3) &&
                gender_of(toks[first + 1].lower) == Gender::unknown &&
                gender_of(toks[first + 2].lower) != Gender::unknown) {
                first += 2;
                role = true;
            }
            // So does an age ("Sixteen-year-old Arjun Nair became …").
            while (first + 1 < s.end && capital(first) && capital(first + 1) &&
                   !listed(rules_.titles, toks[first].lower) &&
                   (lex_.person_references.by_last.contains(toks[first].lower) ||
                    toks[first].lower.ends_with("-year-old"))) {
                ++first;
                role = true;
            }
            // So does a noun that opens the sentence before a given name the rules know ("Neighbours Gwen Attwater
            // and Roland Pike have fought …"), when it is neither a title nor a given name itself.
            // Only a plural ("Neighbours", "Residents"): a role in the singular is the name's title
            // ("Oberbürgermeister Ralf Steinacher").
            if (first == s.begin && first + 2 < s.end && capital(first) && capital(first + 1) && capital(first + 2) &&
                !capitalised_nouns && toks[first].lower.ends_with('s') && !title(first) &&
                gender_of(toks[first].lower) == Gender::unknown &&
                gender_of(toks[first + 1].lower) != Gender::unknown &&
                !listed(rules_.nationalities, toks[first].lower)) {
                ++first;
                role = true;
            }
            std::size_t last = first;
            bool two_connectors = false;
            auto connector = [&](std::size_t at) {
                return at < s.end && toks[at].quotation < 0 &&
                       (listed(rules_.name_connectors, toks[at].lower) || (toks[at].lower == "of" && title(last)));
            };
            // How many words the name goes on by at `last`: a word in capitals, or one or two connectors before one
            // ("Bank of England", "Contraloría General de la República", "Ursula von der Leyen"); 0 where it ends.
            auto step = [&]() -> std::size_t {
                if (last + 1 >= s.end || toks[last + 1].quotation >= 0) return 0;
                if (capital(last + 1)) {
                    // A word that opens a clause ends the name ("Grosbliederstroff Wenn Helmut Kohl …").
                    const bool opens_clause =
                        capital(last) && capital(last + 2) && listed(rules_.not_names, toks[last + 1].lower);
                    return opens_clause ? 0 : 1;
                }
                if (!connector(last + 1) || affiliation_particle(toks, last + 1, first, rules_)) return 0;
                if (capital(last + 2) && toks[last + 2].quotation < 0) return 2;
                // The second may be an article in lower case ("Defensoría Nacional de los Derechos Humanos").
                // (In a language that capitalises its nouns, only after a given name: "Ursula von der Leyen", not
                // "unter dem Namen Coordinadora Universitaria por la Democracia".)
                const bool second = (connector(last + 2) || lower_article(toks, last + 2, rules_)) &&
                                    (!capitalised_nouns || rules_.given_name_word(toks[first].lower));
                if (second && capital(last + 3) && toks[last + 3].quotation < 0) {
                    two_connectors = true;
                    return 3;
                }
                return 0;
            };
            for (std::size_t n = step(); n > 0 && last + n - first < max_organisation_words; n = step())
                last += n;
            // (Nor is a run holding a pronoun anyone's name: "Entdecken Sie viele Informationen" opens with an
            // imperative.)
            if (capitalised_nouns && first < s.end) {
                bool pronoun = false;
                for (std::size_t i = first; i <= last && !pronoun; ++i)
                    pronoun = listed(rules_.pronouns, toks[i].lower);
                if (pronoun) {
                    k = std::max(k, last);
                    continue;
                }
            }
            // An owner before the name is not the person's ("Ethiopia’s Tigist Alemu", "Manchester United’s Marcus
            // Rashford"): the name starts after it.
            for (std::size_t i = first; i < last; ++i) {
                if (possessive_length(toks[i].lower) > 0 && capital(i + 1)) first = i + 1;
            }
            // "председатель профкома ВМЗ Николай Ершов": a role's complement before a Cyrillic name is not the name.
            first = cyrillic_name_first(toks, text, first, last, rules_);
            // "ambassador to Britain Liu Xiaming": nor is the place a role is to.
            first = occupations.after_destination(first, last);
            // After an article the name describes what follows ("A New York man pleaded guilty", "The Google
            // team said"): no person's.
            // So is a run after a determiner in a language that capitalises its nouns, when no given name the rules
            // know is in it ("um die Sorgen der Menschen", not "der Virologe Jonas Weber").
            // Adjectives may stand between ("der offenen Grenze Spuren", "die neue Regelung").
            std::size_t det = first;
            constexpr std::size_t kMaxAdjectives = 2;
            while (capitalised_nouns && det > s.begin && det + kMaxAdjectives > first && word(det - 1) &&
                   !toks[det - 1].capital && !listed(rules_.noun_determiners, toks[det - 1].lower) &&
                   german_adjective(toks[det - 1].lower))
                --det;
            bool determined_noun = capitalised_nouns && det > s.begin && word(det - 1) && !toks[det - 1].capital &&
                                   listed(rules_.noun_determiners, toks[det - 1].lower);
            for (std::size_t i = first; determined_noun && i <= last; ++i)
                determined_noun = gender_of(toks[i].lower) == Gender::unknown;
            const bool after_article = first > s.begin && (is_article(toks[first - 1].lower) || determined_noun);
            // One word alone is a person only when it is a given name of the rules opening the sentence before a
            // verb ("Andrew doesn’t remember any of it").
            // Not after an article ("A Virginia man") nor before a group ("Eugene police said").
            const bool given_name =
                first == last && first < s.end && capital(first) && !after_article &&
                !(word(last + 1) && listed(rules_.group_speakers, toks[last + 1].lower)) &&
                // (Nor before what describes someone, as a place or a school does: "Another Duke student, Brittany,
                // said", "Duke students were offered".)
                !(word(last + 1) && !toks[last + 1].capital &&
                  (occupations.agent_noun(last + 1) ||
                   lex_.person_references.by_last.contains(toks[last + 1].lower))) &&
                (first == s.begin || (first == s.begin + 1 && listed(rules_.not_names, toks[s.begin].lower))) &&
                word(last + 1) && !toks[last + 1].capital && gender_of(toks[first].lower) != Gender::unknown &&
                !listed(rules_.titles, toks[first].lower) && !surname_of_named(toks[first].lower);
            // One word after a role that is also an honorific ("por el Presidente Boric", where "presidente" is read
            // as the role): a person, as "el Presidente Boric" with the title would be.
            const bool honorific_role = role && first == last && first > s.begin && capital(first) &&
                                        listed(rules_.honorifics, toks[first - 1].lower) &&
                                        !listed(rules_.not_names, toks[first].lower);
            if (first >= s.end || !capital(first) || (last == first && !given_name && !honorific_role)) {
                k = std::max(k, last);
                continue;
            }
            std::size_t name_words = 0;
            bool titled = false;
            bool named = false;
            bool honoured = false;  // an honorific right before the name's one word ("el Presidente Boric")
            for (std::size_t i = first; i <= last; ++i) {
                if (title(i)) {
                    titled = titled || capital(i + 1);
                    std::string_view w = toks[i].lower;
                    if (w.size() > 1 && w.back() == '.') w.remove_suffix(1);
                    honoured = i + 1 == last && capital(last) && !title(last) && listed(rules_.honorifics, w);
                } else if (capital(i)) {
                    ++name_words;
                    named = named || !listed(rules_.nationalities, toks[i].lower);
                }
            }
            // "In 2003, Marcus Okonkwo-Vale made beats …", "Before he produced records, Marcus …": a name of two
            // words or more after the one comma closing an opening phrase, before its verb.
            bool after_opening = first > s.begin + 1 && punct(first - 1, ",") && word(last + 1) &&
                                 !toks[last + 1].capital && toks[last + 1].lower != "and" &&
                                 toks[last + 1].lower != "or" &&
                                 !listed(rules_.appositive_openers, toks[last + 1].lower);
            for (std::size_t i = s.begin; after_opening && i + 1 < first; ++i)
                after_opening = toks[i].kind != Token::Kind::quote && !punct(i, ",");
            // An opening phrase, not a role set off before its name ("whether the adviser, Clement Ashby, had"): it
            // opens with a preposition, a clause's word, a number, or an adverb or participle ("Depuis l’incendie",
            // "Speaking later").
            if (after_opening) {
                const std::string& w = toks[s.begin].lower;
                after_opening = listed(rules_.clause_openers, w) || listed(rules_.prepositions, w) ||
                                listed(rules_.place_prepositions, w) || is_number_token(toks[s.begin]) ||
                                (w.size() > 4 && (w.ends_with("ly") || w.ends_with("ing") || w.ends_with("ed")));
            }
            // The agent of a passive clause does what the sentence tells ("El asunto fue abordado ayer por el
            // Presidente Boric", "The issue was addressed by President Boric"): its subject in all but form.
            bool agent = false;
            {
                std::size_t p_at = first;
                if (p_at > s.begin && word(p_at - 1) && !toks[p_at - 1].capital && is_article(toks[p_at - 1].lower))
                    --p_at;
                if (p_at > s.begin + 1 && word(p_at - 1) && listed(rules_.agent_prepositions, toks[p_at - 1].lower)) {
                    // The auxiliary of the participle right before "by" ("was first reported by"), not of a clause
                    // before it ("had been out of work since being sacked by Manchester United").
                    constexpr std::size_t kMaxAuxiliaryGap = 4;
                    const std::size_t from = p_at > s.begin + kMaxAuxiliaryGap ? p_at - kMaxAuxiliaryGap : s.begin;
                    for (std::size_t x = from; x + 1 < p_at && !agent; ++x)
                        agent = word(x) && listed(rules_.passive_auxiliaries, toks[x].lower);
                }
            }
            // "His son, Peter Hurd, brought the print": a name set off after an owner and a word opening the
            // sentence is its subject.
            const bool owned_appositive = first == s.begin + 3 && word(s.begin) && word(s.begin + 1) &&
                                          !toks[s.begin + 1].capital && punct(s.begin + 2, ",") &&
                                          listed(rules_.possessives, toks[s.begin].lower) && punct(last + 1, ",");
            // "Jean-Pierre Massé, céréalier, et Camille Robin, porte-parole du collectif, ont débattu", "Ana Ruiz and
            // Tom Hale said": a name of two words or more joined by a coordinator to a person named as the sentence's
            // subject just before (with at most an appositive between) shares the subject's place.
            bool coordinated = false;
            if (last > first && first > s.begin + 1 && word(first - 1) &&
                listed(rules_.coordinators, toks[first - 1].lower)) {
                constexpr std::size_t kMaxAppositiveTokens = 10;
                constexpr std::size_t kMaxBodiesBetween = 8;
                std::size_t looked = 0;
                for (auto it = mentions_.rbegin(); it != mentions_.rend() && looked++ <= kMaxBodiesBetween; ++it) {
                    if (it->block != static_cast<int>(b) || it->pos < toks[s.begin].start) break;
                    if (it->is_organisation || it->is_outlet || it->group) continue;
                    const std::size_t starts = tokens_before(toks, it->pos);
                    const std::size_t ends = tokens_before(toks, it->pos + it->printed.size());
                    // (Or after the comma closing an opening phrase: "Lundi soir, Jean-Pierre Massé, céréalier, et
                    // …".)
                    bool opening_comma = starts > s.begin + 1 && punct(starts - 1, ",");
                    for (std::size_t i = s.begin; opening_comma && i + 1 < starts; ++i)
                        opening_comma = !punct(i, ",") && toks[i].kind != Token::Kind::quote;
                    coordinated = (it->subject || opening_comma) && ends <= first - 1 &&
                                  first - 1 - ends <= kMaxAppositiveTokens &&
                                  (ends == first - 1 || punct(first - 2, ","));
                    break;
                }
            }
            // (Not after an opening preposition, whose object it is, right before the verb: "In Folge der
            // Kontaktbeschränkungen sei …"; "Pour Jan Hamáček, cette attitude est …" gives his view.)
            const bool object_before_verb = (listed(rules_.prepositions, toks[s.begin].lower) ||
                                             listed(rules_.place_prepositions, toks[s.begin].lower)) &&
                                            word(last + 1) && !toks[last + 1].capital;
            const bool subject = first == s.begin || (role && role_at == s.begin) || (after_opening && last > first) ||
                                 (first > s.begin && listed(rules_.not_names, toks[first - 1].lower) &&
                                  first - 1 == s.begin && !after_article && !object_before_verb) ||
                                 agent || owned_appositive || coordinated;
            // A party or an age in parentheses after the name stands between it and its verb ("Oberbürgermeister
            // Ralf Steinacher (CSU) bedauerte", "Andrea Wüthrich (FDP) lehnt … ab").
            std::size_t after_name = last + 1;
            if (punct(after_name, "(")) {
                std::size_t close = after_name + 1;
                while (close < s.end && close < after_name + 6 && !punct(close, ")"))
                    ++close;
                if (punct(close, ")")) after_name = close + 1;
            }
            const bool followed_by_verb = word(after_name) && !toks[after_name].capital;
            // "Ana Ruiz, a nurse, said", and "… Supreme Court justice, Raquel Montoya-Lewis.": a name set off by
            // commas, or after a role in lower case and a comma at the end of the sentence.
            const bool appositive =
                first > s.begin && punct(first - 1, ",") &&
                (punct(last + 1, ",") ||
                 ((last + 1 >= s.end || punct(last + 1, ".") || punct(last + 1, ";")) && first >= s.begin + 2 &&
                  word(first - 2) && !toks[first - 2].capital && occupations.occupation_word(first - 2)));
            // "the brainchild of Fernando Caudevilla, a Spanish physician", "Ana Ruiz, who …": a description
            // set off after the name says it is a person's ("which" would say a thing's; an organisation's name
            // holds an organisation word and is left out below).
            const bool described = punct(last + 1, ",") && word(last + 2) && !toks[last + 2].capital &&
                                   toks[last + 2].lower != "which" &&
                                   listed(rules_.appositive_openers, toks[last + 2].lower);
            // "From the deck of his schooner, skipper Wade Bassi has …": an occupation in lower case, opening the
            // clause after an article or not, before a name that a verb follows.
            auto plain = [&](std::size_t i) { return occupations.occupation_word(i); };
            // So is "Marine biologist Kalani Akana has …", the occupation's first word opening the sentence.
            auto opens_clause = [&](std::size_t i) { return i == s.begin || punct(i - 1, ","); };
            const bool occupied =
                followed_by_verb && first > s.begin && plain(first - 1) &&
                (opens_clause(first - 1) ||
                 (first - 1 > s.begin && word(first - 2) && listed(rules_.title_minor_words, toks[first - 2].lower) &&
                  opens_clause(first - 2)) ||
                 (first - 2 == s.begin && capital(first - 2) && !listed(rules_.not_names, toks[first - 2].lower)));
            // "retired aerospace executive Tom Young,", "astronaut Tom Stafford and …": a name of two or three
            // words right after an occupation in lower case (not a verb's form in -ed, -ing or -s), ending its
            // clause or followed by a verb.
            const std::string& before_name = first > s.begin ? toks[first - 1].lower : std::string();
            const bool verb_like = before_name.ends_with("ed") || before_name.ends_with("ing") ||
                                   (before_name.ends_with("s") && !before_name.ends_with("ss")) ||
                                   lex_.speech_verb_end(before_name);
            // Not after a possessive ("his colleague Mira Patel"): a relation named in passing, whom a later
            // pronoun rarely means.
            const bool related = first > s.begin + 1 && listed(rules_.possessives, toks[first - 2].lower);
            // Not a German noun phrase: "der offenen Grenze Spuren" has an adjective before its nouns.
            const bool after_occupation = first > s.begin && plain(first - 1) && !verb_like && !related &&
                                          !after_article && name_words <= 3 &&
                                          (last + 1 >= s.end || punct(last + 1, ",") || punct(last + 1, ".") ||
                                           punct(last + 1, "(") || followed_by_verb);
            // "… the song that Jessie Buckley performs": a name of two words or more opening a clause, before its
            // verb.
            const bool clause_subject = first > s.begin && word(first - 1) && !toks[first - 1].capital &&
                                        listed(rules_.clause_openers, toks[first - 1].lower) && followed_by_verb &&
                                        !listed(rules_.group_speakers, toks[last + 1].lower) &&
                                        !listed(rules_.not_names, toks[last + 1].lower);
            // "Montpellier (SID) – Tennis-Olympiasieger Alexander Zverev hat …": a name of two or three words opening
            // with a given name the rules know, anywhere but after an article.
            // Not one in an object's place ("… against Yasmin Delacorte"), named in passing (below).
            const bool object_place = first > s.begin && word(first - 1) && !toks[first - 1].capital &&
                                      !listed(rules_.place_prepositions, toks[first - 1].lower);
            // "This is another image Elizabeth Snyder posted to Facebook": a name of two or three words opening a
            // clause with its relative pronoun left out, after a noun (no verb's form) and before a verb in the past
            // in -ed, is that clause's subject, no one named in passing.
            const bool relative_subject =
                named && name_words >= 2 && name_words <= 3 && !titled && first > s.begin + 1 && word(first - 1) &&
                !toks[first - 1].capital && !verb_like && !related && !after_article &&
                !listed(rules_.place_prepositions, toks[first - 1].lower) &&
                !listed(rules_.prepositions, toks[first - 1].lower) && word(last + 1) && !toks[last + 1].capital &&
                toks[last + 1].lower.size() > 4 && toks[last + 1].lower.ends_with("ed") &&
                !(word(last + 2) && toks[last + 2].lower == "by");
            const bool given_first = named && name_words >= 2 && name_words <= 3 && !after_article && !title(first) &&
                                     !object_place && gender_of(toks[first].lower) != Gender::unknown;
            // "Kestrel Park Women", "Oakhill Ladies": a team.
            // So is "Powder River Basin", a place.
            const bool team = last > first && (listed(rules_.team_name_endings, toks[last].lower) ||
                                               (listed(rules_.place_name_endings, toks[last].lower) &&
                                                !rules_.given_name_word(toks[first].lower) && !title(first)));
            const bool person =
                !team &&
                (given_name || given_first || (named && name_words == 1 && (honoured || honorific_role)) ||
                 (named && name_words >= 2 &&
                  (titled || of_organisation || (subject && (followed_by_verb || punct(last + 1, ","))) || appositive ||
                   described || occupied || after_occupation || clause_subject || relative_subject)));
            std::string name = text.substr(toks[first].start, toks[last].end - toks[first].start);
            // "Jeanine Pirro’s office": the person is named as an owner, not as someone who acts.
            const std::size_t owner = possessive_length(name);
            if (owner > 0) name.resize(name.size() - owner);
            // A name of two or three words in an object's place ("his editor Teresa Nielsen Hayden", "I reached
            // Valerie Smith by phone"), not after an article or a place's preposition: a person named in passing,
            // whose surname names them again and whom "she" may mean when no one else fits (Mention::passing).
            const bool in_passing =
                !person && !team && named && name_words >= 2 && name_words <= 3 && !titled && first > s.begin &&
                !after_article && word(first - 1) && !toks[first - 1].capital &&
                !listed(rules_.place_prepositions, toks[first - 1].lower) &&
                !(word(last + 1) && (toks[last + 1].capital || listed(rules_.group_speakers, toks[last + 1].lower)));
            // "Board President Linda Marsh": a title and a given name after an organisation's word name a person.
            bool titled_given_name = false;
            for (std::size_t i = first; i + 1 <= last && !titled_given_name; ++i) {
                titled_given_name = title(i) && capital(i + 1) && !title(i + 1) && i + 2 <= last &&
                                    rules_.given_name_word(toks[i + 1].lower);
            }
            // "su periódico Novaya Gazeta", "the weekly Der Spiegel", "the film Lady Bird": a medium's or a work's
            // name after the word for what it is, no one's.
            // Not the outlet that prints the article ("dijo a este medio Javiera Soto").
            // So is one a participle of speaking was on or to ("Speaking on Morning Ireland, he said"; rules'
            // medium_participles before one of medium_prepositions): the programme or who asked, not who speaks.
            const bool spoken_on = first >= s.begin + 2 && word(first - 1) && word(first - 2) &&
                                   listed(rules_.medium_prepositions, toks[first - 1].lower) &&
                                   listed(rules_.medium_participles, toks[first - 2].lower);
            const bool medium =
                spoken_on || (first > s.begin && word(first - 1) && !toks[first - 1].capital &&
                              (listed(rules_.media_nouns, toks[first - 1].lower) ||
                               listed(rules_.work_nouns, toks[first - 1].lower)) &&
                              !(first > s.begin + 1 && listed(rules_.own_medium_determiners, toks[first - 2].lower)));
            // A name joined by two connectors and opening with a head of tailed_organisation_words is a body's ("al
            // Consejo de la Magistratura").
            const bool tailed_body = two_connectors && listed(rules_.tailed_organisation_words, toks[first].lower);
            if ((person || in_passing) && !medium && !name.empty() && !lex_.outlets.find(name) && !tailed_body &&
                (titled_given_name || titled_person(name) || !organisation_name(to_lower_ascii(name)))) {
                Mention m{static_cast<int>(b), toks[first].start, false, false, name, "", name, ""};
                m.context = to_lower_ascii(text.substr(toks[s.begin].start, toks[s.end - 1].end - toks[s.begin].start));
                m.subject = person && subject && owner == 0;
                // An owner named in an object's place ("He then referred to Cooke’s earlier testimony") is named in
                // passing too: "he" after it still means the subject.
                m.passing = !person || (owner > 0 && !subject);
                mentions_.push_back(std::move(m));
            }
            k = last;
        }
    }
}

void Resolver::collect_mentions() {
    for (std::size_t b = 0; b < doc_.blocks.size(); ++b) {
        if (doc_.blocks[b].kind == BlockKind::embed) continue;
        const std::size_t organisations_from = mentions_.size();
        collect_organisations(b);
        const std::size_t people_from = mentions_.size();
        // A photo's credit ("Menschenmassen vor der Bühne Bild © Johannes Gregor/hr") names a photographer, whom no
        // pronoun of the story means.
        if (!credit_line(doc_.blocks[b].text)) collect_people(b);
        const std::size_t people_to = mentions_.size();
        const auto& toks = blocks_[b].tokens;
        const Parser p = parser(b);
        for (std::size_t k = 0; k < toks.size(); ++k) {
            if (toks[k].kind != Token::Kind::word) continue;
            if (!lex_.outlets.could_start(std::string_view(doc_.blocks[b].text).substr(toks[k].start))) continue;
            for (std::size_t n = std::min<std::size_t>(6, toks.size() - k); n >= 1; --n) {
                bool words = true;
                for (std::size_t x = k; x < k + n; ++x)
                    words = words && toks[x].kind == Token::Kind::word;
                if (!words) continue;
                const std::string_view text =
                    std::string_view(doc_.blocks[b].text).substr(toks[k].start, toks[k + n - 1].end - toks[k].start);
                // In running text an outlet's name is written as a name: "a blog post" names no Post.
                if (!written_as_name(text)) continue;
                if (const Outlet* o = lex_.outlets.find(text)) {
                    mentions_.push_back(
                        {static_cast<int>(b), toks[k].start, true, false, o->name, o->name, std::string(text), ""});
                    k += n - 1;
                    break;
                }
            }
        }
        // A person (or a body) named as the speaker of sentence `s` of this block, with who was told.
        auto collect_speaker = [&](const SpeakerRef& read, const std::optional<SpeakerRef>& object, const Sentence& s) {
            // (The name an ordinary word opening the sentence describes: "Popular drinking hole The Idle Hour".)
            const auto described = read.kind == SpeakerKind::name && read.first == read.last
                                       ? described_opener(read.first, b, p)
                                       : std::nullopt;
            const SpeakerRef& speaker = described ? *described : read;
            // "Someone literally once said to me": one ordinary word opening the sentence (printed in lower case
            // elsewhere, never in capitals inside a sentence) names no one a pronoun may mean later, as resolve()
            // gives it no speaker.
            if (speaker.kind == SpeakerKind::name && speaker.first == speaker.last && !nouns_capitalised() &&
                speaker.first == first_word(toks, s.begin, s.end) && ordinary_opener(toks[speaker.first].lower)) {
                return;
            }
            // "in einem Instagram-Video berichtet": in a language that writes its nouns in capitals, one word
            // after a determiner in lower case (not an article a body's name takes) is a thing, not someone.
            if (nouns_capitalised() && speaker.first == speaker.last && speaker.first > 0) {
                const Token& d = toks[speaker.first - 1];
                if (d.kind == Token::Kind::word && !d.capital && listed(rules_.noun_determiners, d.lower) &&
                    !listed(rules_.body_articles, d.lower)) {
                    return;
                }
            }
            // The person collected in this block inside the same words ("Nurse Amal Nasser told the BBC":
            // Amal Nasser) is this speaker: one mention, with the outlet told.
            const std::size_t from = toks[speaker.first].start;
            const std::size_t to = toks[speaker.last].end;
            Mention* same = nullptr;
            for (std::size_t x = people_from; x < people_to; ++x) {
                Mention& pm = mentions_[x];
                if (!pm.is_outlet && !pm.is_organisation && pm.pos > from && pm.pos < to) same = &pm;
            }
            // Nor is a speaker inside an organisation's name collected whole ("The Freight Drivers’ Union
            // said": not "Union").
            bool inside_body = false;
            for (std::size_t x = organisations_from; x < people_from; ++x) {
                const Mention& om = mentions_[x];
                inside_body =
                    inside_body || (om.pos < from && from < om.pos + om.name.size() && to <= om.pos + om.name.size());
            }
            if (inside_body) return;
            if (same != nullptr) {
                same->subject = true;
                same->passing = false;
                if (object && object->outlet != nullptr && same->outlet_name.empty()) {
                    same->outlet_name = object->outlet->name;
                }
                return;
            }
            Mention m{static_cast<int>(b),
                      toks[speaker.first].start,
                      false,
                      false,
                      p.printed(speaker.first, speaker.last),
                      "",
                      "",
                      ""};
            m.printed = m.name;
            // "U.S. District Judge Miriam Castellano": a body's word in a person's title names no body.
            m.is_organisation =
                (organisation_name(to_lower_ascii(m.name)) && !titled_person(m.name)) || acronym(m.name);
            m.subject = true;
            m.context = to_lower_ascii(p.printed(s.begin, s.end - 1));
            if (object && object->outlet != nullptr) m.outlet_name = object->outlet->name;
            mentions_.push_back(std::move(m));
        };
        for (const auto& s : blocks_[b].sentences) {
            for (auto shape : {AttributionShape::speaker_verb, AttributionShape::verb_speaker}) {
                for (const auto& occ : p.find(shape, s.begin, s.end)) {
                    // A group that speaks as a body ("the US military said"): what "the statement" or "it" after
                    // it points back to.
                    if (occ.speaker.kind == SpeakerKind::phrase && occ.speaker.group) {
                        const std::string printed = p.printed(occ.speaker.first, occ.speaker.last);
                        Mention body{
                            static_cast<int>(b), toks[occ.speaker.first].start, false, true, printed, "", printed, ""};
                        body.group = true;
                        mentions_.push_back(std::move(body));
                        continue;
                    }
                    if (occ.speaker.kind != SpeakerKind::name) continue;
                    // Two people who speak together ("Mary Smith and John Doe said") are each a speaker named.
                    if (const std::size_t c = occ.speaker.conjunction; c != 0) {
                        SpeakerRef first = occ.speaker;
                        first.last = c - 1;
                        SpeakerRef second = occ.speaker;
                        second.first = c + 1;
                        collect_speaker(first, occ.object, s);
                        collect_speaker(second, occ.object, s);
                    } else {
                        collect_speaker(occ.speaker, occ.object, s);
                    }
                }
            }
        }
    }
    // Every surname is noted before the sort reorders the mentions (the mentions collect_surnames adds repeat
    // names already noted).
    note_surnames();
    std::stable_sort(mentions_.begin(), mentions_.end(), [](const Mention& a, const Mention& c) {
        return std::tie(a.block, a.pos) < std::tie(c.block, c.pos);
    });
    // Where every noun is written in capitals, a phrase opening with an abstract noun ("Anpassungen der Beiträge",
    // "Bekämpfung der Pandemie", "Ergebnisse der Studie") names no person, so
    // no pronoun may mean it and no tag names it (rules' abstract_noun_endings).
    if (nouns_capitalised() && !rules_.abstract_noun_endings.empty()) {
        constexpr std::size_t kMinStem = 4;
        std::erase_if(mentions_, [&](const Mention& m) {
            if (m.is_outlet || m.is_organisation) return false;
            const std::string& name = m.printed.empty() ? m.name : m.printed;
            const std::string first = utf8::to_lower(name.substr(0, name.find(' ')));
            return ends_with_any(first, rules_.abstract_noun_endings, kMinStem);
        });
    }
    // A name of one word tells no gender ("Omar" alone may be Ilhan Omar's surname): "he" and "she" both may
    // point to it.
    for (auto& m : mentions_) {
        const std::string& name = m.printed.empty() ? m.name : m.printed;
        if (!m.is_outlet && !m.is_organisation && name.find(' ') != std::string::npos) m.gender = gender_of(name);
        // "his mother, Edna", "her husband, Carl": a name set off after a relation that tells the gender.
        if (m.gender == Gender::unknown && !m.is_outlet && !m.is_organisation) m.gender = relation_gender(m);
        if (m.gender == Gender::unknown && !m.is_outlet && !m.is_organisation) m.gender = role_gender(m);
        if (m.gender == Gender::unknown && !m.is_outlet && !m.is_organisation) m.gender = appositive_role_gender(m);
    }
    collect_surnames();
    collect_short_body_names();
    learn_genders();
    index_names();
}

void Resolver::index_names() {
    // mentions_ is complete: pointers into it stay valid from here on.
    for (auto& m : mentions_) {
        m.lower_printed = to_lower_ascii(m.printed);
        for (const std::string_view w : name_words(m.lower_printed))
            m.lower_words.emplace_back(w);
        m.first_role_word = m.lower_words.size();
        for (std::size_t i = 0; i < m.lower_words.size(); ++i) {
            if (lex_.person_references.pair({}, m.lower_words[i])) {
                m.first_role_word = i;
                break;
            }
        }
    }
    // A name printed right after a work's noun and "called" ("a semi-autobiographical TV show called Fat Actress") is
    // that work's title wherever it stands again: no one a role ("the actress") means.
    for (const auto& m : mentions_) {
        const std::string& text = doc_.blocks[static_cast<std::size_t>(m.block)].text;
        constexpr std::size_t kBefore = 48;
        const std::size_t from = m.pos > kBefore ? m.pos - kBefore : 0;
        const std::string before = to_lower_ascii(text.substr(from, m.pos - from));
        const auto words = name_words(before);
        if (words.size() >= 2 && listed(rules_.title_verbs, words[words.size() - 1]) &&
            listed(rules_.work_nouns, words[words.size() - 2])) {
            works_.insert(m.name);
        }
    }
    for (const auto& m : mentions_) {
        ++mentions_by_name_[m.name];
        if (m.is_outlet || m.group) continue;
        for (const std::string* n : {&m.printed, &m.name}) {
            first_named_.try_emplace(to_lower_ascii(*n), m.block, m.pos);  // in reading order: the first stays
        }
        if (m.is_organisation) {
            if (const auto space = m.name.find(' '); space != std::string::npos) {
                by_first_word_[m.name.substr(0, space)].push_back(&m);
            }
        } else if (const auto words = untitled_words(m.name); words.size() >= 2 && words.front() != words.back()) {
            by_given_name_[words.front()].push_back(&m);
        }
    }
}

std::vector<std::string> Resolver::untitled_words(std::string_view name) const {
    std::vector<std::string> out;
    const std::string lower = to_lower_ascii(name);
    for (const std::string_view w : name_words(lower)) {
        if (!listed(rules_.titles, w)) out.emplace_back(w);
    }
    return out;
}

bool Resolver::nationality_only(std::string_view name) const {
    // "Native American", "Syrian": words of nationality only, a description and no one's name.
    const std::string lower = to_lower_ascii(name);
    std::size_t at = 0;
    bool any = false;
    while (at < lower.size()) {
        const std::size_t space = std::min(lower.find(' ', at), lower.size());
        if (!listed(rules_.nationalities, std::string_view(lower).substr(at, space - at))) return false;
        any = true;
        at = space + 1;
    }
    return any;
}

void Resolver::learn_genders() {
    // Evidence by surname (the person named in full and by surname alone): how often a sentence naming one person and
    // no other goes on with "he", "his" or "him", and how often with "she" or "her", outside quotations (which speak of
    // others); the sentence after it too when it opens with such a pronoun and names no one.
    std::map<std::string, std::pair<int, int>> evidence;  // name -> (male, female)
    auto gender_word = [&](const Token& t) {
        if (t.kind != Token::Kind::word || t.quotation >= 0) return Gender::unknown;
        if (listed(rules_.male_pronouns, t.lower) || listed(rules_.male_forms, t.lower)) return Gender::male;
        if (listed(rules_.female_pronouns, t.lower) || listed(rules_.female_forms, t.lower)) return Gender::female;
        return Gender::unknown;
    };
    std::size_t mi = 0;
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
        const auto& toks = blocks_[b].tokens;
        const auto& sentences = blocks_[b].sentences;
        for (std::size_t si = 0; si < sentences.size(); ++si) {
            const Sentence& s = sentences[si];
            if (s.begin >= s.end) continue;
            const std::size_t from = toks[s.begin].start;
            const std::size_t to = toks[s.end - 1].end;
            while (mi < mentions_.size() && std::tie(mentions_[mi].block, mentions_[mi].pos) < std::tie(b, from))
                ++mi;
            const Mention* person = nullptr;
            bool alone = true;
            for (std::size_t k = mi;
                 k < mentions_.size() && mentions_[k].block == static_cast<int>(b) && mentions_[k].pos < to; ++k) {
                const Mention& m = mentions_[k];
                if (m.is_outlet || m.is_organisation || m.group || nationality_only(m.name)) continue;
                // The same person twice ("Marsh" as the speaker and as "Helena Marsh" by surname) is one.
                if (person != nullptr && person->name != m.name &&
                    surname(person->name, rules_.name_suffixes) != surname(m.name, rules_.name_suffixes)) {
                    alone = false;
                }
                if (person == nullptr) person = &m;
            }
            if (person == nullptr || !alone) continue;
            // "Her manager, Teodor Brannigan, said she …": a name given as someone's relation (a possessive a few
            // words before it) is of another person, whom the pronouns after it may mean too.
            constexpr std::size_t kRelationWords = 4;
            std::size_t at = s.begin;
            while (at < s.end && toks[at].start < person->pos)
                ++at;
            bool relation = false;
            for (std::size_t k = at > s.begin + kRelationWords ? at - kRelationWords : s.begin; k < at && !relation;
                 ++k) {
                if (!listed(rules_.possessive_pronouns, toks[k].lower) || gender_word(toks[k]) == Gender::unknown) {
                    continue;
                }
                // Only a relation's word between, and a comma: "his wife Jane", "Her manager, Teodor".
                relation = true;
                for (std::size_t x = k + 1; x < at && relation; ++x) {
                    relation = (toks[x].kind == Token::Kind::word && !toks[x].capital &&
                                !listed(rules_.prepositions, toks[x].lower)) ||
                               (toks[x].kind == Token::Kind::punct && toks[x].lower == ",");
                }
            }
            if (relation) continue;
            // (References, not a structured binding: a lambda below counts into them, which clang before 16
            // does not let it do through a binding.)
            auto& counts = evidence[surname(person->name, rules_.name_suffixes)];
            int& male = counts.first;
            int& female = counts.second;
            // "Linnea Sato, who produced his final three albums, remembered him as a perfectionist": a pronoun only
            // an object can be ("him", not "her", a possessive too) is someone other than the sentence's subject, as
            // its other forms there likely are: the sentence tells nothing of that gender.
            Gender other = Gender::unknown;
            for (std::size_t k = s.begin; k < s.end; ++k) {
                if (toks[k].start > person->pos && listed(rules_.object_pronouns, toks[k].lower) &&
                    !listed(rules_.possessive_pronouns, toks[k].lower)) {
                    other = gender_word(toks[k]);
                }
            }
            // The forms of each gender after the person, but those of `skip`.
            auto count = [&](std::size_t first, std::size_t last, Gender skip) {
                for (std::size_t k = first; k < last; ++k) {
                    if (toks[k].start <= person->pos) continue;
                    const Gender g = gender_word(toks[k]);
                    if (g == skip) continue;
                    male += g == Gender::male ? 1 : 0;
                    female += g == Gender::female ? 1 : 0;
                }
            };
            count(s.begin, s.end, other);
            if (si + 1 < sentences.size()) {
                const Sentence& n = sentences[si + 1];
                bool names = false;
                for (std::size_t k = mi; k < mentions_.size() && mentions_[k].block == static_cast<int>(b); ++k) {
                    const Mention& m = mentions_[k];
                    names = names || (!m.is_outlet && m.pos >= to && n.begin < n.end && m.pos < toks[n.end - 1].end);
                }
                // "She attended …", and "Her appointment was …" (a possessive opening it).
                if (!names && n.begin < n.end &&
                    (listed(rules_.pronouns, toks[n.begin].lower) ||
                     listed(rules_.possessive_pronouns, toks[n.begin].lower))) {
                    count(n.begin, n.begin + 1, Gender::unknown);
                }
            }
        }
    }
    // One-sided evidence, or three times as much one way: the person's gender, where titles and given names told
    // none.
    for (auto& m : mentions_) {
        if (m.gender != Gender::unknown || m.is_outlet || m.is_organisation) continue;
        const auto it = evidence.find(surname(m.name, rules_.name_suffixes));
        if (it == evidence.end()) continue;
        const auto [male, female] = it->second;
        if (male > 0 && male >= 3 * female) {
            m.gender = Gender::male;
        } else if (female > 0 && female >= 3 * male) {
            m.gender = Gender::female;
        }
    }
    // A surname alone ("Stafford, a member of the Apollo 10 crew, responded") has the gender of the people named in
    // full with it ("former astronaut Tom Stafford"), when they all have one and the same.
    std::map<std::string, Gender> by_surname;
    for (const auto& m : mentions_) {
        if (m.is_outlet || m.is_organisation || m.group || m.gender == Gender::unknown ||
            m.name.find(' ') == std::string::npos) {
            continue;
        }
        const std::string key = surname(m.name, rules_.name_suffixes);
        const auto [it, added] = by_surname.emplace(key, m.gender);
        if (!added && it->second != m.gender) it->second = Gender::unknown;
    }
    for (auto& m : mentions_) {
        if (m.gender != Gender::unknown || m.is_outlet || m.is_organisation || m.group ||
            m.name.find(' ') != std::string::npos) {
            continue;
        }
        if (const auto it = by_surname.find(surname(m.name, rules_.name_suffixes)); it != by_surname.end()) {
            m.gender = it->second;
        }
    }
}

Gender Resolver::relation_gender(const Mention& m) const {
    constexpr std::size_t kBefore = 24;
    const std::string& text = doc_.blocks[static_cast<std::size_t>(m.block)].text;
    if (m.pos < 2 || m.pos > text.size()) return Gender::unknown;
    std::size_t end = m.pos;
    while (end > 0 && text[end - 1] == ' ')
        --end;
    if (end == 0 || text[end - 1] != ',') return Gender::unknown;
    --end;
    const std::size_t from = end > kBefore ? end - kBefore : 0;
    const std::string before = to_lower_ascii(text.substr(from, end - from));
    const std::size_t space = before.find_last_of(' ');
    const std::string word = space == std::string::npos ? before : before.substr(space + 1);
    if (listed(rules_.male_relations, word)) return Gender::male;
    if (listed(rules_.female_relations, word)) return Gender::female;
    return Gender::unknown;
}

std::size_t Resolver::past_body_kind(const std::vector<Token>& toks, std::size_t first, std::size_t last) const {
    if (first >= last || toks[first + 1].kind != Token::Kind::word || !toks[first + 1].capital) return first;
    return lex_.subject_references.single(toks[first].lower) ? first + 1 : first;
}

std::optional<std::string> Resolver::self_named_body(int block, std::string_view head) const {
    // In a language that writes every noun in capitals the word alone tells nothing ("Die Polizei").
    if (nouns_capitalised() || head.empty() || head.front() < 'a' || head.front() > 'z') return std::nullopt;
    constexpr std::size_t kMaxBefore = 4;
    const std::string& text = doc_.blocks[static_cast<std::size_t>(block)].text;
    std::string capitalised(head);
    capitalised.front() = static_cast<char>(capitalised.front() - 'a' + 'A');
    auto letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
    for (std::size_t at = text.find(capitalised); at != std::string::npos; at = text.find(capitalised, at + 1)) {
        const std::size_t end = at + capitalised.size();
        if ((at > 0 && letter(text[at - 1])) || (end < text.size() && letter(text[end]))) continue;
        // Words in capitals before it, separated by single spaces.
        std::size_t first = at;
        std::size_t words = 0;
        while (words < kMaxBefore && first >= 2 && text[first - 1] == ' ' && letter(text[first - 2])) {
            std::size_t w = first - 1;
            while (w > 0 && (letter(text[w - 1]) || text[w - 1] == '-'))
                --w;
            if (!std::isupper(static_cast<unsigned char>(text[w]))) break;
            const std::string lower = to_lower_ascii(text.substr(w, first - 1 - w));
            if (listed(rules_.not_names, lower)) break;
            first = w;
            ++words;
        }
        if (words > 0) return text.substr(first, end - first);
    }
    return std::nullopt;
}

Gender Resolver::role_gender(const Mention& m) const {
    // The role within a few words before the name, in lower case but for what qualifies it ("El diputado de la
    // oposición Xosé …"), or set off by a comma ("la ministra, Ana Ruiz"); not a name after a preposition, someone
    // else's ("el abogado de María López"), nor one after "and" ("la ministra y Pedro Sánchez").
    constexpr std::size_t kMaxBetween = 5;
    const auto& toks = blocks_[static_cast<std::size_t>(m.block)].tokens;
    const auto at = std::lower_bound(toks.begin(), toks.end(), m.pos,
                                     [](const Token& t, std::size_t pos) { return t.start < pos; });
    if (at == toks.begin() || at == toks.end() || at->start != m.pos) return Gender::unknown;
    std::size_t k = static_cast<std::size_t>(at - toks.begin());
    if (toks[k - 1].kind == Token::Kind::punct && toks[k - 1].lower == ",") --k;
    if (k < 2 || toks[k - 1].kind != Token::Kind::word || listed(rules_.prepositions, toks[k - 1].lower) ||
        listed(rules_.organisation_tail_connectors, toks[k - 1].lower) ||
        listed(rules_.coordinators, toks[k - 1].lower)) {
        return Gender::unknown;
    }
    for (std::size_t r = k; r-- > 1 && k - r <= kMaxBetween;) {
        if (toks[r].kind != Token::Kind::word || toks[r].quotation >= 0) break;
        const std::string& article = toks[r - 1].lower;
        if ((!toks[r].capital || nouns_capitalised()) && toks[r - 1].kind == Token::Kind::word &&
            lex_.person_references.pair(article, toks[r].lower)) {
            if (listed(rules_.masculine_articles, article)) return Gender::male;
            if (listed(rules_.feminine_articles, article)) return Gender::female;
        }
    }
    return Gender::unknown;
}

Gender Resolver::appositive_role_gender(const Mention& m) const {
    // "Ashleigh Crane, a spokeswoman for the group": a role of its gender in the few words set off after the name.
    constexpr std::size_t kMaxRoleWords = 4;
    const auto& toks = blocks_[static_cast<std::size_t>(m.block)].tokens;
    const auto at = std::lower_bound(toks.begin(), toks.end(), m.pos,
                                     [](const Token& t, std::size_t pos) { return t.start < pos; });
    if (at == toks.end() || at->start != m.pos) return Gender::unknown;
    std::size_t e = static_cast<std::size_t>(at - toks.begin());
    while (e < toks.size() && toks[e].kind == Token::Kind::word && toks[e].capital && toks[e].quotation < 0)
        ++e;
    if (e >= toks.size() || toks[e].kind != Token::Kind::punct || toks[e].lower != ",") return Gender::unknown;
    for (std::size_t k = e + 1; k < toks.size() && k <= e + kMaxRoleWords; ++k) {
        if (toks[k].kind != Token::Kind::word || toks[k].quotation >= 0) break;
        if (listed(rules_.male_role_words, toks[k].lower)) return Gender::male;
        if (listed(rules_.female_role_words, toks[k].lower)) return Gender::female;
    }
    return Gender::unknown;
}

void Resolver::collect_surnames() {
    // Each person's surname (the last word of the name) and the first mention naming them in full.
    std::map<std::string, const Mention*> full;
    for (const auto& m : mentions_) {
        if (m.is_outlet || m.is_organisation) continue;
        // A one-word name ("ScreamMyName", a forum user's) is its own surname. (Keyed in full Unicode's lower case
        // too, as tokens are: "шипилов" for "Шипилов", "álvarez" for "Álvarez".)
        const std::string last = surname(m.name, rules_.name_suffixes);
        full.emplace(last, &m);
        full.emplace(utf8::to_lower(last), &m);
    }
    if (full.empty()) return;
    std::vector<Mention> found;
    for (std::size_t b = 0; b < doc_.blocks.size(); ++b) {
        if (doc_.blocks[b].kind == BlockKind::embed) continue;
        const auto& toks = blocks_[b].tokens;
        for (const auto& s : blocks_[b].sentences) {
            // The subject: the sentence's first word, or its second after an opening word ("But Bassi said"); or
            // a clause's, after a word that opens one and before a word in lower case ("one of the reasons that
            // ScreamMyName has been pushing").
            auto mention_at = [&](std::size_t k, bool subject) {
                if (k >= s.end || toks[k].kind != Token::Kind::word || !toks[k].capital || toks[k].quotation >= 0) {
                    return false;
                }
                if (k + 1 < s.end && toks[k + 1].kind == Token::Kind::word && toks[k + 1].capital) return false;
                // A possessive ("Cooke's clients") names the person in passing, never as the subject.
                std::string word = toks[k].lower;
                const std::size_t owner = possessive_length(word);
                word.resize(word.size() - owner);
                if (owner > 0) subject = false;
                const auto it = full.find(word);
                if (it == full.end() || !before(*it->second, static_cast<int>(b), toks[k].start)) return false;
                Mention m = *it->second;
                if (m.context_block < 0) {
                    m.context_block = m.block;
                    m.context_pos = m.pos;
                    m.context_subject = m.subject;
                }
                m.block = static_cast<int>(b);
                m.pos = toks[k].start;
                m.printed = doc_.blocks[b].text.substr(toks[k].start, toks[k].end - toks[k].start - owner);
                // The age given here too ("Kolawole-Hart, 27, finished …", for "the 27-year-old").
                if (k + 2 < s.end && toks[k + 1].kind == Token::Kind::punct && toks[k + 1].lower == "," &&
                    is_number_token(toks[k + 2])) {
                    m.context += ' ';
                    m.context += toks[k + 2].lower;
                }
                m.subject = subject;
                m.passing = !subject;
                found.push_back(std::move(m));
                return true;
            };
            std::size_t k = s.begin;
            if (k < s.end && toks[k].kind == Token::Kind::word && listed(rules_.not_names, toks[k].lower)) ++k;
            const bool opens = mention_at(k, true);
            for (std::size_t j = k + 1; j + 2 < s.end; ++j) {
                if (toks[j].kind == Token::Kind::word && !toks[j].capital &&
                    listed(rules_.clause_openers, toks[j].lower) && toks[j + 2].kind == Token::Kind::word &&
                    !toks[j + 2].capital) {
                    mention_at(j + 1, true);
                }
            }
            // Elsewhere in the sentence, a surname alone after a word in lower case ("But for Parata and his
            // family …", "Cooke's clients"): the same person, named in an object's place.
            // After an opening phrase and its comma, before a word in lower case ("As it turned out, Steenburgen
            // had spent …", "Asked by an analyst whether the slowdown reflected competition from larger rivals,
            // Mehta was blunt."): the subject.
            constexpr std::size_t kOpeningPhrase = 20;
            bool opened = opens;
            for (std::size_t j = (opens ? k + 1 : k) + 1; j < s.end; ++j) {
                if (toks[j - 1].kind == Token::Kind::word && !toks[j - 1].capital &&
                    !listed(rules_.clause_openers, toks[j - 1].lower)) {
                    mention_at(j, false);
                } else if (!opened && j - s.begin <= kOpeningPhrase &&
                           ((toks[j - 1].kind == Token::Kind::punct && toks[j - 1].lower == ",") ||
                            (toks[j - 1].kind == Token::Kind::quote && toks[j - 1].comma_inside && j - 1 > s.begin)) &&
                           j + 1 < s.end && toks[j + 1].kind == Token::Kind::word && !toks[j + 1].capital) {
                    opened = mention_at(j, true);
                }
            }
        }
    }
    if (found.empty()) return;
    mentions_.insert(mentions_.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    std::stable_sort(mentions_.begin(), mentions_.end(), [](const Mention& a, const Mention& c) {
        return std::tie(a.block, a.pos) < std::tie(c.block, c.pos);
    });
}

void Resolver::collect_short_body_names() {
    // The short form (the name but its last word) of each body named in full with three words or more, its last a
    // body's word, and the first mention naming it so. Not a person's name ("Dick Clark" of "Dick Clark
    // Productions"), nor one holding a word that is no name's own (a title, a connector, a nationality, another
    // body's word).
    std::map<std::string, const Mention*> full;
    for (const auto& m : mentions_) {
        if (!m.is_organisation || m.group || m.is_outlet || m.passing) continue;
        const std::string lower = to_lower_ascii(m.name);
        const auto words = name_words(lower);
        constexpr std::size_t kMinWords = 3;
        if (words.size() < kMinWords || !listed(rules_.organisation_words, words.back())) continue;
        const std::size_t cut = m.name.rfind(' ');
        if (cut == std::string::npos) continue;
        const std::string short_name = m.name.substr(0, cut);
        const std::string short_lower = to_lower_ascii(short_name);
        bool own_words = true;
        for (std::size_t i = 0; i + 1 < words.size() && own_words; ++i) {
            own_words = !listed(rules_.organisation_words, words[i]) && !listed(rules_.not_names, words[i]) &&
                        !listed(rules_.titles, words[i]) && !listed(rules_.name_connectors, words[i]) &&
                        !listed(rules_.nationalities, words[i]);
        }
        if (!own_words || gender_of(short_name) != Gender::unknown || rules_.given_name_word(words.front()) ||
            lex_.outlets.find(short_name) != nullptr) {
            continue;
        }
        full.emplace(short_lower, &m);
    }
    if (full.empty()) return;
    std::vector<Mention> found;
    std::vector<std::pair<int, std::size_t>> read_as_person;
    for (std::size_t b = 0; b < doc_.blocks.size() && b < blocks_.size(); ++b) {
        if (doc_.blocks[b].kind == BlockKind::embed) continue;
        const auto& toks = blocks_[b].tokens;
        const std::string& text = doc_.blocks[b].text;
        for (const auto& s : blocks_[b].sentences) {
            // The whole run of words in capitals, and only it: "Big Machine" but not "Big Machine Label Group".
            for (const auto& [first, last] : capital_runs(toks, s)) {
                if (first == last) continue;
                std::string name = text.substr(toks[first].start, toks[last].end - toks[first].start);
                const std::size_t owner = possessive_length(name);
                name.resize(name.size() - owner);
                const auto it = full.find(to_lower_ascii(name));
                if (it == full.end() || !before(*it->second, static_cast<int>(b), toks[first].start)) continue;
                // A name read as a person's there ("accused Braun, Borchetta and Big Machine") is the body's.
                if (const Mention* there = mention_at(static_cast<int>(b), toks[first].start); there != nullptr) {
                    if (!there->is_organisation && !there->is_outlet && there->name == name) {
                        read_as_person.emplace_back(static_cast<int>(b), toks[first].start);
                    } else {
                        continue;
                    }
                }
                Mention m = *it->second;
                m.block = static_cast<int>(b);
                m.pos = toks[first].start;
                m.printed = name;
                m.subject = owner == 0 && first == first_word(toks, s.begin, s.end);
                m.passing = owner > 0;
                found.push_back(std::move(m));
            }
        }
    }
    if (found.empty()) return;
    std::erase_if(mentions_, [&](const Mention& m) {
        return !m.is_organisation && !m.is_outlet &&
               std::find(read_as_person.begin(), read_as_person.end(), std::pair{m.block, m.pos}) !=
                   read_as_person.end();
    });
    mentions_.insert(mentions_.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    std::stable_sort(mentions_.begin(), mentions_.end(), [](const Mention& a, const Mention& c) {
        return std::tie(a.block, a.pos) < std::tie(c.block, c.pos);
    });
}

const Resolver::ArticleSubject* Resolver::article_subject() const {
    if (subject_) return subject_->has_value() ? &**subject_ : nullptr;
    subject_.emplace();
    // Surnames of the people named in full (surnames_, complete once the mentions are collected): a one-word name
    // that is one is a person's ("Obama" after "Barack Obama"). A person named in full is rarely named so three
    // times, and a name said to speak ("Whole Foods announced") may be a company's, so whole names are not ruled
    // out.
    // So is one that the article gives a gender by the pronouns after it (learn_genders: "Swift … her").
    std::unordered_set<std::string> people;
    for (const auto& m : mentions_) {
        if (m.is_outlet || m.is_organisation || m.group || m.gender == Gender::unknown) continue;
        people.insert(to_lower_ascii(m.name));
        people.insert(surname(m.name, rules_.name_suffixes));
    }
    auto surname_or_person = [&](std::string_view w) {
        return surnames_.contains(std::string(w)) || people.contains(std::string(w));
    };
    struct Count {
        ArticleSubject at;
        int after_place_word = 0;
        int inside = 0;  // not opening a sentence
    };
    std::map<std::string, Count> counts;
    std::unordered_set<std::string> two_word_tails;
    static constexpr std::string_view place_words[] = {"in", "at", "from", "across", "near", "into", "to", "outside"};
    for (std::size_t b = 0; b < doc_.blocks.size() && b < blocks_.size(); ++b) {
        if (doc_.blocks[b].kind == BlockKind::embed) continue;
        const auto& toks = blocks_[b].tokens;
        const std::string& text = doc_.blocks[b].text;
        for (const auto& s : blocks_[b].sentences) {
            for (auto [first, last] : capital_runs(toks, s)) {
                while (first <= last && listed(rules_.not_names, toks[first].lower))
                    ++first;
                if (first > last) continue;
                // A name of two words, neither a title ("Taylor Swift"): its last word alone is a surname.
                if (last == first + 1 && !listed(rules_.titles, toks[first].lower) &&
                    !organisation_name(toks[last].lower)) {
                    std::string tail = toks[last].lower;
                    tail.resize(tail.size() - possessive_length(tail));
                    two_word_tails.insert(std::move(tail));
                }
                bool person = false;
                for (std::size_t x = first; x <= last && !person; ++x) {
                    std::string w = toks[x].lower;
                    w.resize(w.size() - possessive_length(w));
                    person = listed(rules_.titles, w) || listed(rules_.nationalities, w) ||
                             listed(rules_.not_names, w) || (first == last && surname_or_person(w));
                }
                if (person) continue;
                std::string name = text.substr(toks[first].start, toks[last].end - toks[first].start);
                name.resize(name.size() - possessive_length(name));
                // Not a news outlet (printed in credits and attributions, seldom what "the company" means) nor a
                // person's name ("Virginia Holt").
                if (name.empty() || lex_.outlets.find(name) != nullptr || gender_of(name) != Gender::unknown ||
                    people.contains(to_lower_ascii(name))) {
                    continue;
                }
                // Nor a group named by what it is ("Police said …").
                if (listed(rules_.group_speakers, toks[last].lower)) continue;
                auto [it, fresh] = counts.try_emplace(name);
                if (fresh) it->second.at = ArticleSubject{name, static_cast<int>(b), toks[first].start, 0};
                ++it->second.at.count;
                if (first != s.begin) ++it->second.inside;
                if (first > s.begin && toks[first - 1].kind == Token::Kind::word &&
                    std::find(std::begin(place_words), std::end(place_words), toks[first - 1].lower) !=
                        std::end(place_words)) {
                    ++it->second.after_place_word;
                }
            }
        }
    }
    constexpr int kMinMentions = 3;
    const Count* best = nullptr;
    for (const auto& [name, c] : counts) {
        // A one-word name must stand inside a sentence once at least: any word opens one with a capital.
        const bool one_word = c.at.name.find(' ') == std::string::npos;
        if (c.at.count < kMinMentions || 3 * c.after_place_word >= c.at.count || (c.inside == 0 && one_word) ||
            (one_word && two_word_tails.contains(to_lower_ascii(c.at.name)))) {
            continue;
        }
        if (best == nullptr || c.at.count > best->at.count ||
            (c.at.count == best->at.count && std::tie(c.at.block, c.at.pos) < std::tie(best->at.block, best->at.pos))) {
            best = &c;
        }
    }
    if (best != nullptr) *subject_ = best->at;
    return subject_->has_value() ? &**subject_ : nullptr;
}

namespace {

bool fits(const Mention& m, Gender g) noexcept {
    return g == Gender::unknown || m.gender == Gender::unknown || m.gender == g;
}

}  // namespace

Gender Resolver::gender_of(std::string_view name) const {
    // A title anywhere before the name ("U.S. Attorney Ms Ruiz", "Prince Andrew"), else the first word after the
    // titles, a given name ("Ilhan Omar" is a woman's name whatever "Omar" alone would say; "Anne-Sophie Ruchti"
    // by its first part). Letters beyond ASCII are folded too ("Évelyne", "Анна").
    const std::string lower = utf8::to_lower(name);
    const auto words = name_words(lower);
    auto listed_gender = [&](std::string_view w) {
        const bool male = rules_.male_word(w);
        const bool female = rules_.female_word(w);
        if (male == female) return Gender::unknown;
        return male ? Gender::male : Gender::female;
    };
    for (std::size_t n = 0; n < words.size(); ++n) {
        const std::string_view w = words[n];
        if (const Gender g = listed_gender(w); g != Gender::unknown) return g;
        const std::size_t dash = w.find('-');
        if (dash != std::string_view::npos && dash > 0) {
            if (const Gender g = listed_gender(w.substr(0, dash)); g != Gender::unknown) return g;
        }
        // A compound role before the name ("Tennis-Olympiasieger Alexander Zverev") is read past like a title.
        // So is an organisation's word before a title ("Board President Linda Marsh"), and a place's before a
        // title ("Lakemont County Prosecutor Hugo Ramsay"): a word followed by a title.
        const bool before_title = std::any_of(words.begin() + static_cast<std::ptrdiff_t>(n) + 1, words.end(),
                                              [&](std::string_view x) { return listed(rules_.titles, x); });
        if (!listed(rules_.titles, w) && !listed(rules_.nationalities, w) && dash == std::string_view::npos &&
            !listed(rules_.organisation_words, w) && !before_title) {
            break;
        }
    }
    // A Cyrillic surname's ending after a given name ("Дарья Калугина", "Тимур Бекетов"): the name's last word. A
    // word alone is not read so ("Машина" is a car).
    if (words.size() < 2) return Gender::unknown;
    const std::string_view last = words.back();
    if (is_cyrillic(last)) {
        for (const auto& e : rules_.female_surname_endings) {
            if (last.size() > e.size() + 2 && last.ends_with(e)) return Gender::female;
        }
        for (const auto& e : rules_.male_surname_endings) {
            if (last.size() > e.size() + 2 && last.ends_with(e)) return Gender::male;
        }
    }
    return Gender::unknown;
}

int Resolver::named_times(std::string_view name, int enough) const {
    // Whole-word occurrences of the name, as printed, in the article's blocks; counting stops at `enough`. Each
    // name is counted once per article: a hostile page may ask for the same one thousands of times.
    if (const auto it = named_times_.find(std::string(name)); it != named_times_.end()) return it->second;
    int& n = named_times_[std::string(name)];
    for (const auto& block : doc_.blocks) {
        for (std::size_t at = block.text.find(name); at != std::string::npos; at = block.text.find(name, at + 1)) {
            const auto letter = [&](std::size_t i) {
                const auto c = static_cast<unsigned char>(block.text[i]);
                return std::isalnum(c) != 0 || c >= 0x80;
            };
            const bool starts = at == 0 || !letter(at - 1);
            const bool ends = at + name.size() >= block.text.size() || !letter(at + name.size());
            if (starts && ends && ++n >= enough) return n;
        }
    }
    return n;
}

std::string Resolver::full_body_name(const std::string& name, int block, std::size_t pos, bool body) const {
    if (name.find(' ') != std::string::npos) return longer_body_name(name, block, pos, body);
    std::string full = name;
    if (const auto it = by_first_word_.find(name); it != by_first_word_.end()) {
        for (const Mention* x : it->second) {
            if (!before(*x, block, pos)) break;
            // Not two bodies named together ("Boeing and Lockheed Corp were planning …"): "Boeing" is the first.
            const std::string_view rest = std::string_view(x->name).substr(name.size());
            const std::string second = to_lower_ascii(rest.substr(1, rest.find(' ', 1) - 1));
            if (listed(rules_.body_conjunctions, second)) continue;
            full = x->name;
        }
    }
    // Or a name of more words opening with it that the article gave before, when only one did ("Northline" after
    // "employees of Northline Distribution").
    if (full == name) {
        if (const Mention* only = only_named_in_full(to_lower_ascii(name), block, pos)) full = only->name;
    }
    return full == name ? longer_body_name(name, block, pos, body) : full;
}

std::string Resolver::spelled_before(const std::vector<Token>& toks, const std::string& text, std::size_t end,
                                     std::string_view acronym_word) const {
    const std::string letters = ascii_capitals(acronym_word);
    if (letters.size() < kMinAcronymLetters || letters.size() + 1 < acronym_word.size()) return {};
    // Back from `end`: words in capitals, and small words between them ("of", "on", "for", "and", "the").
    constexpr std::size_t kMaxWords = 14;
    std::size_t matched = 0;
    std::size_t first = end + 1;
    for (std::size_t k = end + 1; k-- > 0 && end + 1 - k <= kMaxWords;) {
        const Token& t = toks[k];
        if (t.kind != Token::Kind::word || t.quotation >= 0) break;
        if (t.capital) {
            const char c = text[t.start];
            if (matched == letters.size() || c != letters[letters.size() - 1 - matched]) break;
            ++matched;
            first = k;
            if (matched == letters.size()) break;
            continue;
        }
        if (!listed(rules_.name_connectors, t.lower) && !listed(rules_.coordinators, t.lower) && t.lower != "of" &&
            t.lower != "on" && t.lower != "for" && t.lower != "the" && t.lower != "and") {
            break;
        }
    }
    if (matched != letters.size()) return {};
    return text.substr(toks[first].start, toks[end].end - toks[first].start);
}

std::string Resolver::short_name_in_full(const std::string& word, int block, std::size_t pos) const {
    const std::string lower = to_lower_ascii(word);
    // A small word inside a body's name, between its words in capitals ("de", "y", "für", "of", "los").
    auto inner_word = [&](const std::string& w) {
        return listed(rules_.name_connectors, w) || listed(rules_.coordinators, w) ||
               listed(rules_.body_qualifiers, w) || w == "of" || w == "los" || w == "las";
    };
    // The capitalised run ending at token `end` of a block, with a body's small words inside ("Secretaría Nacional de
    // Prevención de Desastres", "Instituto de Vulcanología y Meteorología"); its first token, or `end` + 1 for none.
    auto run_before = [&](const std::vector<Token>& toks, std::size_t end) {
        std::size_t first = end + 1;
        std::size_t k = end + 1;
        while (k-- > 0) {
            const Token& t = toks[k];
            if (t.kind != Token::Kind::word || t.quotation >= 0) break;
            if (t.capital) {
                first = k;
                continue;
            }
            if (!inner_word(t.lower) && t.lower != "the") break;
        }
        return first;
    };
    std::string in_parentheses;
    std::string longer;
    int longer_count = 0;
    for (int b = 0; b <= block; ++b) {
        const auto bu = static_cast<std::size_t>(b);
        if (doc_.blocks[bu].kind == BlockKind::embed) continue;
        const auto& toks = blocks_[bu].tokens;
        const std::string& text = doc_.blocks[bu].text;
        for (std::size_t k = 0; k < toks.size(); ++k) {
            if (b == block && toks[k].start >= pos) break;
            if (toks[k].kind != Token::Kind::word || toks[k].lower != lower) continue;
            // "(Senaprede)" right after the full name.
            if (k >= 2 && k + 1 < toks.size() && toks[k - 1].lower == "(" && toks[k + 1].lower == ")") {
                std::size_t first = run_before(toks, k - 2);
                // Not the article that opens the sentence ("La Secretaría …").
                if (first + 2 < k && (listed(rules_.title_minor_words, toks[first].lower) ||
                                      listed(rules_.group_articles, toks[first].lower))) {
                    ++first;
                }
                std::size_t capitals = 0;
                for (std::size_t x = first; x + 1 < k; ++x)
                    capitals += toks[x].kind == Token::Kind::word && toks[x].capital ? 1 : 0;
                if (first + 1 < k && capitals >= 2) {
                    in_parentheses = text.substr(toks[first].start, toks[k - 2].end - toks[first].start);
                }
                // An acronym's letters may reach past a preposition inside the name ("Intergovernmental Panel on
                // Climate Change (IPCC)", "Centers for Disease Control and Prevention (CDC)"): the run whose words'
                // capitals spell it, where there is one.
                if (const std::string spelled = spelled_before(toks, text, k - 2, word); !spelled.empty()) {
                    in_parentheses = spelled;
                }
                continue;
            }
            // The first word of a body's longer name ("Defensoría Nacional de los Derechos Humanos").
            std::size_t e = k;
            std::size_t capitals = 1;
            for (std::size_t x = k + 1; x < toks.size() && toks[x].kind == Token::Kind::word && toks[x].quotation < 0;
                 ++x) {
                if (toks[x].capital) {
                    // Not a day past a preposition ("… und Dienste für Donnerstag").
                    if (listed(rules_.time_words, utf8::to_lower(toks[x].lower))) break;
                    e = x;
                    ++capitals;
                } else if (!inner_word(toks[x].lower)) {
                    break;
                }
            }
            if (capitals >= 3) {
                const std::string full = text.substr(toks[k].start, toks[e].end - toks[k].start);
                if (full != longer) {
                    longer = full;
                    ++longer_count;
                }
            }
        }
    }
    if (!in_parentheses.empty()) return in_parentheses;
    // Only for a body, named so once: "Ministerio" after two ministries stays as printed.
    // The word itself says what the body is ("Defensoría", "Contraloría", "Instituto").
    const std::string folded = utf8::to_lower(word);
    if (longer_count == 1 && (organisation_name(folded) || listed(rules_.tailed_organisation_words, folded) ||
                              listed(rules_.compound_organisation_endings, folded))) {
        return longer;
    }
    return word;
}

std::string Resolver::spelled_out(const std::string& letters, int block, std::size_t pos) const {
    // The capitals of the acronym, in order ("U.S." is no body's initials: at least three letters).
    const std::string initials = ascii_capitals(letters);
    if (initials.size() < kMinAcronymLetters) return letters;
    for (int b = 0; b <= block; ++b) {
        const auto bu = static_cast<std::size_t>(b);
        if (doc_.blocks[bu].kind == BlockKind::embed) continue;
        const auto& toks = blocks_[bu].tokens;
        const std::string& text = doc_.blocks[bu].text;
        auto initial = [&](std::size_t i) {
            if (i >= toks.size() || toks[i].kind != Token::Kind::word || !toks[i].capital || toks[i].quotation >= 0)
                return '\0';
            const char c = text[toks[i].start];
            return c >= 'A' && c <= 'Z' ? c : '\0';
        };
        for (std::size_t k = 0; k < toks.size(); ++k) {
            if (b == block && toks[k].start >= pos) break;
            if (initial(k) != initials.front() || acronym(text.substr(toks[k].start, toks[k].end - toks[k].start)))
                continue;
            // Its words' capitals spell the acronym, with "of", "and" and the like between them ("Bundesamt für
            // Sicherheit", "Ministry of Foreign Affairs").
            std::size_t j = k;
            std::size_t matched = 0;
            while (matched < initials.size() && j < toks.size()) {
                if (initial(j) == initials[matched]) {
                    ++matched;
                    ++j;
                } else if (matched > 0 && toks[j].kind == Token::Kind::word && !toks[j].capital &&
                           (toks[j].lower == "of" || toks[j].lower == "the" ||
                            listed(rules_.coordinators, toks[j].lower) ||
                            listed(rules_.name_connectors, toks[j].lower))) {
                    ++j;
                } else {
                    break;
                }
            }
            // Whole words: the name does not go on in capitals past the acronym's letters.
            if (matched == initials.size() && initial(j) == '\0') {
                // The body's word before that the acronym leaves out ("Department of Housing and Urban
                // Development" for "HUD").
                std::size_t from = k;
                if (k >= 2 && toks[k - 1].lower == "of" && initial(k - 2) != '\0' &&
                    listed(rules_.organisation_words, toks[k - 2].lower)) {
                    from = k - 2;
                }
                std::string name = text.substr(toks[from].start, toks[j - 1].end - toks[from].start);
                name.resize(name.size() - possessive_length(name));
                return name;
            }
        }
    }
    return letters;
}

std::string Resolver::longer_body_name(const std::string& name, int block, std::size_t pos, bool body) const {
    // "Brightline said" after "a former sales director at Brightline Medical", "Sentosa Raya" after "Sentosa Raya
    // Group": the name the article printed first with more words in capitals after these, in running text, when
    // nothing says these words name a person (a given name, a title, the surname of one named in full).
    constexpr std::size_t kMaxNameWords = 3;
    constexpr std::size_t kMaxMore = 3;
    std::vector<std::string> words;
    for (std::size_t at = 0; at <= name.size();) {
        const std::size_t space = std::min(name.find(' ', at), name.size());
        words.push_back(to_lower_ascii(name.substr(at, space - at)));
        at = space + 1;
    }
    // The surname of someone else named in full (not this name itself, read as a person's where it spoke: "Corbin
    // Savings said" after "Corbin Savings Bank").
    const std::string lowered = to_lower_ascii(name);
    const bool someones_surname =
        !words.empty() && surnames_.contains(words.back()) &&
        std::any_of(mentions_.begin(), mentions_.end(), [&](const Mention& m) {
            return !m.is_organisation && !m.is_outlet && m.name.find(' ') != std::string::npos &&
                   surname(m.name, rules_.name_suffixes) == words.back() && to_lower_ascii(m.name) != lowered;
        });
    // (A title's word may open a body's name: "Foreign Ministry".)
    const bool titled_body = body && organisation_name(lowered);
    if (words.empty() || words.size() > kMaxNameWords || someones_surname || gender_of(name) != Gender::unknown ||
        (listed(rules_.titles, words.front()) && !titled_body) || acronym(name)) {
        return name;
    }
    // Words before it only for a body's name, and not for a person's surname ("Brennan" of "Vida Brennan").
    const bool leftward = body && std::none_of(mentions_.begin(), mentions_.end(), [&](const Mention& m) {
                              return !m.is_organisation && !m.is_outlet && m.name.size() > name.size() &&
                                     m.name.ends_with(name) && m.name[m.name.size() - name.size() - 1] == ' ';
                          });
    for (int b = 0; b <= block; ++b) {
        const auto bu = static_cast<std::size_t>(b);
        if (doc_.blocks[bu].kind == BlockKind::embed) continue;
        const auto& toks = blocks_[bu].tokens;
        const std::string& text = doc_.blocks[bu].text;
        auto capital = [&](std::size_t i) {
            return i < toks.size() && toks[i].kind == Token::Kind::word && toks[i].capital &&
                   !is_number_token(toks[i]) && toks[i].quotation < 0;
        };
        for (std::size_t k = 0; k + words.size() < toks.size(); ++k) {
            if (b == block && toks[k].start >= pos) break;
            bool same = true;
            for (std::size_t w = 0; w < words.size() && same; ++w)
                same = capital(k + w) && toks[k + w].lower == words[w];
            if (!same) continue;
            // Inside a person's name given in full ("Ernesto Galvis Duarte" for "Galvis"): that person's.
            if (k > 0 && capital(k - 1) && std::any_of(mentions_.begin(), mentions_.end(), [&](const Mention& m) {
                    return m.block == b && !m.is_organisation && !m.is_outlet && m.pos < toks[k].start &&
                           toks[k].start < m.pos + m.name.size();
                })) {
                return name;
            }
            std::size_t last = k + words.size() - 1;
            // (Past a possessive only when the name holds it: "St. Brendan's" of "St. Brendan's Medical Center", not
            // "Trump" of "Trump's Justice Department".)
            const bool own_possessive = possessive_length(words.back()) > 0;
            while (last + 1 < toks.size() && last + 1 - k < words.size() + kMaxMore && capital(last + 1) &&
                   (possessive_length(toks[last].lower) == 0 || (own_possessive && last + 1 == k + words.size())) &&
                   !listed(rules_.titles, toks[last + 1].lower) && !listed(rules_.not_names, toks[last + 1].lower) &&
                   gender_of(toks[last + 1].lower) == Gender::unknown &&
                   !lex_.person_references.by_last.contains(toks[last + 1].lower))  // "Bloc Québécois MP"
                ++last;
            // Words in capitals before them too ("the Pilots" after "the Fairhaven Pilots first baseman", "Police"
            // after "Dunmore Police"), none a title, an opener, a given name or a surname of someone named.
            std::size_t first = k;
            while (leftward && first > 0 && k - first < kMaxMore && capital(first - 1) &&
                   possessive_length(toks[first - 1].lower) == 0 && !listed(rules_.titles, toks[first - 1].lower) &&
                   !listed(rules_.not_names, toks[first - 1].lower) &&
                   gender_of(toks[first - 1].lower) == Gender::unknown && !surnames_.contains(toks[first - 1].lower) &&
                   !listed(rules_.noun_determiners, toks[first - 1].lower) &&
                   !listed(rules_.role_articles, toks[first - 1].lower))  // "Die Bezirksregierung Köln"
                --first;
            if (last + 1 == k + words.size() && first == k) continue;
            std::string longer = text.substr(toks[first].start, toks[last].end - toks[first].start);
            longer.resize(longer.size() - possessive_length(longer));
            if (titled_person(longer) || gender_of(longer) != Gender::unknown) return name;
            return longer;
        }
    }
    return name;
}

const Mention* Resolver::only_named_in_full(const std::string& first_word, int block, std::size_t pos) const {
    const auto it = by_given_name_.find(first_word);
    if (it == by_given_name_.end()) return nullptr;
    const Mention* only = nullptr;
    for (const Mention* x : it->second) {
        if (!before(*x, block, pos)) break;
        if (only != nullptr && only->name != x->name) return nullptr;
        only = x;
    }
    return only;
}

std::string Resolver::maker_of_document(const std::string& name) const {
    const std::size_t space = name.find(' ');
    if (space == std::string::npos) return name;
    const std::string head = utf8::to_lower(name.substr(0, space));
    std::string_view rest = std::string_view(name).substr(space + 1);
    const std::size_t next = rest.find(' ');
    if (next == std::string_view::npos) return name;
    const std::string_view article = rest.substr(0, next);
    if (article != "der" && article != "des") return name;
    // A document's noun (document_nouns), not a body's ("Verband der Automobilindustrie" is the association).
    return listed(rules_.document_nouns, head) ? std::string(rest.substr(next + 1)) : name;
}

std::string Resolver::without_role(const std::string& name) const {
    std::vector<std::string_view> words;
    for (std::size_t at = 0; at < name.size();) {
        const std::size_t space = std::min(name.find(' ', at), name.size());
        if (space > at) words.push_back(std::string_view(name).substr(at, space - at));
        at = space + 1;
    }
    for (std::size_t k = 1; k + 1 < words.size(); ++k) {
        // Every word before the given name is a noun in capitals, not a given name itself ("Hans Peter Müller").
        if (words[k - 1].empty() || !std::isupper(static_cast<unsigned char>(words[k - 1].front())) ||
            gender_of(words[k - 1]) != Gender::unknown) {
            break;
        }
        if (gender_of(words[k]) == Gender::unknown || listed(rules_.titles, to_lower_ascii(words[k]))) continue;
        return name.substr(static_cast<std::size_t>(words[k].data() - name.data()));
    }
    return name;
}

const Mention* Resolver::only_named_in_full_by_surname(std::string_view lower_surname, int block,
                                                       std::size_t pos) const {
    const Mention* only = nullptr;
    for (const auto& x : mentions_) {
        if (!before(x, block, pos)) break;
        if (x.is_outlet || x.is_organisation || x.name.find(' ') == std::string::npos) continue;
        if (gender_of(x.name) == Gender::unknown && untitled_words(x.name).size() < 2) continue;
        if (surname(x.name, rules_.name_suffixes) != lower_surname) continue;
        if (only != nullptr && only->name != x.name) return nullptr;
        only = &x;
    }
    return only;
}

std::optional<std::string> Resolver::speaking_body(int block, std::size_t pos) const {
    const auto bu = static_cast<std::size_t>(block);
    const BlockInfo& info = blocks_[bu];
    const Parser p = parser(bu);
    constexpr std::size_t kMaxSentences = 20;
    std::size_t read = 0;
    for (auto s = info.sentences.rbegin(); s != info.sentences.rend(); ++s) {
        if (s->begin >= s->end || info.tokens[s->begin].start >= pos) continue;
        if (++read > kMaxSentences) break;
        auto comma = [&](std::size_t k) {
            return k < info.tokens.size() && info.tokens[k].kind == Token::Kind::punct && info.tokens[k].lower == ",";
        };
        // The subject opens the sentence, or follows a short phrase of circumstance set off by a comma ("In a
        // statement, Brightwave said"), opening with one of subject_adjuncts.
        std::size_t opening = first_word(info.tokens, s->begin, s->end);
        if (opening < s->end && listed(rules_.subject_adjuncts, info.tokens[opening].lower)) {
            constexpr std::size_t kOpeningPhrase = 7;
            if (const std::size_t c = opening_phrase_comma(info.tokens, opening, s->end, kOpeningPhrase);
                c != no_token && comma(c)) {
                opening = c + 1;
            }
        }
        const auto sp = p.subject(opening, s->end);
        if (!sp || sp->possessive || (sp->kind != SpeakerKind::name && sp->kind != SpeakerKind::phrase)) continue;
        // The speech verb right after the subject, or after a clause set off by commas ("Southern Coast Rail,
        // which runs the line, said").
        std::size_t v = sp->last + 1;
        if (v < s->end && comma(v)) {
            std::size_t k = v + 1;
            while (k < s->end && k < v + 16 && !comma(k))
                ++k;
            if (k < s->end && comma(k)) v = k + 1;
        }
        if (v >= s->end || !p.speech_verb_at(v, s->end)) continue;
        const std::string name = p.printed(sp->first, sp->last);
        // Not a person: the surname of one named in full, a name with a given name or a title, one the article
        // gives a gender; a name of two words or more that the article names as a person (not only as a speaker).
        const std::string lower = to_lower_ascii(name);
        bool person = surnames_.contains(lower) || gender_of(name) != Gender::unknown;
        for (const auto& m : mentions_) {
            if (person || !before(m, block, pos)) break;
            person = !m.is_outlet && !m.is_organisation && !m.group && to_lower_ascii(m.name) == lower &&
                     (m.gender != Gender::unknown || (sp->last > sp->first && !m.subject));
        }
        if (person || lex_.outlets.find(name) != nullptr) return std::nullopt;
        std::string_view w = info.tokens[sp->first].lower;
        if (listed(rules_.titles, w) || listed(rules_.pronouns, w) || listed(rules_.group_speakers, w) ||
            listed(rules_.group_speakers, info.tokens[sp->last].lower)) {
            return std::nullopt;
        }
        return name;
    }
    return std::nullopt;
}

std::optional<std::string> Resolver::body_subject(int block, std::size_t pos) const {
    constexpr int kParagraphs = 3;
    // A person: the surname of one named in full, a name with a given name or a title, or a name of two words or
    // more named as a person and not only as a speaker ("Corvanta said" makes Corvanta a speaker, not a person).
    // (Not a gender learnt from "he" after it: "Eastfield Rovers have suspended Kieran Doyle after he was filmed"
    // gives the club one.)
    auto person = [&](const std::string& name) {
        const std::string lower = to_lower_ascii(name);
        if (gender_of(name) != Gender::unknown || surnames_.contains(lower)) return true;
        const bool words = lower.find(' ') != std::string::npos;
        // A given name of either gender opening a name of two words or more ("Taylor Swift").
        if (words && rules_.given_name_word(lower.substr(0, lower.find(' ')))) return true;
        for (const auto& m : mentions_) {
            if (m.is_outlet || m.is_organisation || m.group || to_lower_ascii(m.name) != lower) continue;
            if (words && m.passing && to_lower_ascii(m.printed) == lower) return true;  // not "the Rovers manager"
            // A name of two words or more the pronouns after it gave a gender ("Taylor Swift left her label").
            if (words && m.gender != Gender::unknown) return true;
        }
        return false;
    };
    constexpr std::size_t kMaxSentences = 60;  // read back at most this far: a hostile paragraph may be huge
    std::size_t read = 0;
    for (int b = block; b >= 0 && b + kParagraphs > block; --b) {
        const auto bu = static_cast<std::size_t>(b);
        if (doc_.blocks[bu].kind == BlockKind::embed) continue;
        const BlockInfo& info = blocks_[bu];
        const Parser p = parser(bu);
        for (auto s = info.sentences.rbegin(); s != info.sentences.rend(); ++s) {
            if (++read > kMaxSentences) return std::nullopt;
            if (s->begin >= s->end || (b == block && info.tokens[s->begin].start >= pos)) continue;
            // The sentence's subject, a body's name ("Boeing is in the early stages of building Air Force One’s
            // replacement"), first; else an owner's name in it.
            const auto subject_body = [&]() -> std::optional<std::string> {
                // (Past an opening "But" or "However,": "However, Organic Liaison quickly fired back".)
                const auto sp = p.subject(
                    after_conjunctions(info.tokens, first_word(info.tokens, s->begin, s->end), s->end, rules_), s->end);
                if (!sp || sp->kind != SpeakerKind::name || sp->possessive) return std::nullopt;
                std::string name = p.printed(sp->first, sp->last);
                if (const std::size_t owner = possessive_length(name); owner > 0) return std::nullopt;
                if (nationality_only(name) || person(name)) return std::nullopt;
                // Not a title ("Chairman Viktor Halloran"), an article ("La …"), or a dateline in capitals
                // ("DRAMMELSTADT —"); and a body the article is about is named more than once ("Users" is not).
                const Token& head = info.tokens[sp->first];
                std::string_view w = head.lower;
                if (w.ends_with('.')) w.remove_suffix(1);
                if (listed(rules_.titles, w) || listed(rules_.title_minor_words, w) || listed(rules_.not_names, w) ||
                    listed(rules_.group_speakers, w) || listed(rules_.group_speakers, info.tokens[sp->last].lower)) {
                    return std::nullopt;
                }
                constexpr std::size_t kMaxAcronym = 5;
                const std::string_view first_word_text =
                    std::string_view(doc_.blocks[bu].text).substr(head.start, head.end - head.start);
                if (first_word_text.size() > kMaxAcronym && std::none_of(first_word_text.begin(), first_word_text.end(),
                                                                         [](char c) { return c >= 'a' && c <= 'z'; })) {
                    return std::nullopt;
                }
                // Named twice, or a name of several words ("Eastfield Rovers have suspended …"), which a noun opening
                // a sentence ("Users", "Officials") is not.
                if (name.find(' ') == std::string::npos && named_times(name, 2) < 2) return std::nullopt;
                return name;
            }();
            if (subject_body) return subject_body;
            // An owner's name in the sentence ("Users of Tessellate’s “Focus Mode” reported …", "Shareholders at
            // Ostrava Mining’s annual meeting"), the last one first: a body when it names no person.
            constexpr std::size_t kMaxOwnerTokens = 400;  // of a sentence's end: a hostile one may be huge
            const std::size_t end = std::min(s->end, info.tokens.size());
            for (std::size_t k = end; k-- > s->begin && end - k <= kMaxOwnerTokens;) {
                const Token& t = info.tokens[k];
                if (t.kind != Token::Kind::word || !t.capital || t.quotation >= 0 || (b == block && t.start >= pos) ||
                    possessive_length(t.lower) == 0) {
                    continue;
                }
                std::size_t first = k;
                while (first > s->begin && info.tokens[first - 1].kind == Token::Kind::word &&
                       info.tokens[first - 1].capital && info.tokens[first - 1].quotation < 0 && k - first < 4 &&
                       !listed(rules_.not_names, info.tokens[first - 1].lower))
                    --first;
                std::string owner = p.printed(first, k);
                owner.resize(owner.size() - possessive_length(owner));
                const std::string lowered = to_lower_ascii(owner);
                const std::string_view w = std::string_view(lowered).substr(0, lowered.find(' '));
                if (owner.empty() || listed(rules_.not_names, w) || listed(rules_.titles, w) ||
                    listed(rules_.title_minor_words, w) || nationality_only(owner) || person(owner) ||
                    lex_.outlets.find(owner) != nullptr) {
                    continue;
                }
                return owner;
            }
        }
    }
    return std::nullopt;
}

bool Resolver::same_document(std::string_view word, std::string_view head) const {
    if (word == head) return false;
    return std::any_of(rules_.same_documents.begin(), rules_.same_documents.end(), [&](const std::string& group) {
        return contains_word(group, word) && contains_word(group, head);
    });
}

std::optional<Attribution> Resolver::issuer(std::string_view head, int block, std::size_t pos) const {
    constexpr std::size_t kOpeningPhrase = 10;
    constexpr std::size_t kMaxSentences = 60;  // read back at most this far: a hostile paragraph may be huge
    std::size_t read = 0;
    for (int b = block; b >= 0 && b + 1 >= block; --b) {
        const BlockInfo& info = blocks_[static_cast<std::size_t>(b)];
        const auto& toks = info.tokens;
        for (auto s = info.sentences.rbegin(); s != info.sentences.rend(); ++s) {
            if (b == block && s->begin < toks.size() && toks[s->begin].start >= pos) continue;
            if (++read > kMaxSentences) return std::nullopt;
            std::size_t named = no_token;
            for (std::size_t k = s->begin; k < s->end; ++k) {
                if (b == block && toks[k].start >= pos) break;
                if (toks[k].kind == Token::Kind::word && (toks[k].lower == head || same_document(toks[k].lower, head)))
                    named = k;
            }
            if (named == no_token) continue;
            const Parser p = parser(static_cast<std::size_t>(b));
            // "an internal memo from chief executive Lorna Vasquez-Hale": who the document is from. Or who made it,
            // a few words on ("a report released Thursday by the Office of the Inspector General": one of rules'
            // authorship_participles, then "by").
            constexpr std::size_t kMaxAuthorship = 8;
            std::size_t maker_at = no_token;
            if (named + 2 < s->end && toks[named + 1].kind == Token::Kind::word &&
                (toks[named + 1].lower == "from" || toks[named + 1].lower == "by")) {
                maker_at = named + 2;
            }
            bool made = false;
            for (std::size_t k = named + 1; maker_at == no_token && k + 1 < s->end && k <= named + kMaxAuthorship;
                 ++k) {
                // (An appositive's comma may come first: "The lawsuit, brought by the Peachtree Voting Project,".)
                if (k == named + 1 && toks[k].kind == Token::Kind::punct && toks[k].lower == ",") continue;
                if (toks[k].kind != Token::Kind::word || toks[k].quotation >= 0) break;
                if (made && toks[k].lower == "by") maker_at = k + 1;
                made = made || listed(rules_.authorship_participles, toks[k].lower);
            }
            if (maker_at != no_token) {
                if (maker_at + 1 < s->end && toks[maker_at].lower == "the") ++maker_at;
                const auto from = p.subject(maker_at, s->end);
                const bool body =
                    from && std::any_of(toks.begin() + static_cast<std::ptrdiff_t>(from->first),
                                        toks.begin() + static_cast<std::ptrdiff_t>(from->last + 1),
                                        [&](const Token& t) { return listed(rules_.organisation_words, t.lower); });
                if (from && from->kind == SpeakerKind::name && !from->possessive && body) {
                    // A body, named in full as the article names it there ("Office of the Inspector General") or
                    // before.
                    Attribution a;
                    if (const Mention* m = mention_at(b, toks[from->first].start); m != nullptr && m->is_organisation) {
                        a.speaker = m->name;
                    } else {
                        a.speaker = full_body_name(p.printed(from->first, from->last), b, toks[from->first].start);
                    }
                    return a;
                }
                // A person named in full.
                if (from && from->kind == SpeakerKind::name && !from->possessive && from->last > from->first) {
                    auto a = resolve(Occurrence{from->first, from->last, *from, std::nullopt},
                                     static_cast<std::size_t>(b), p);
                    if (a && !a->speaker.empty()) return a;
                }
            }
            const std::size_t i = first_word(toks, s->begin, named);
            // "The governor’s office released a statement", "Gov. Ann Webb’s campaign issued a statement": an
            // owner's office or campaign opening the sentence, as printed.
            constexpr std::size_t kMaxOwnerWords = 5;
            for (std::size_t k = i; k + 1 < named && k < i + kMaxOwnerWords; ++k) {
                if (toks[k].kind != Token::Kind::word || possessive_length(toks[k].lower) == 0) continue;
                const Token& body = toks[k + 1];
                if (body.kind == Token::Kind::word && !body.capital &&
                    (listed(rules_.organisation_words, body.lower) || listed(rules_.named_body_nouns, body.lower))) {
                    Attribution a;
                    a.speaker = p.printed(i, k + 1);
                    return a;
                }
                break;
            }
            // Where the subject may stand, and the token it must end before: the sentence's opening; after an
            // opening phrase's comma; and, when the document is named inside the opening phrase ("In a filing with
            // the Securities Commission, the company said …"), after that phrase, before the sentence's end.
            std::vector<std::pair<std::size_t, std::size_t>> starts;
            if (const std::size_t comma = opening_phrase_comma(toks, i, s->end, kOpeningPhrase);
                comma != no_token && comma > named && comma + 1 < s->end) {
                starts.emplace_back(comma + 1, s->end);
            }
            starts.emplace_back(i, named);
            if (const std::size_t comma = opening_phrase_comma(toks, i, named, kOpeningPhrase); comma != no_token) {
                starts.emplace_back(comma + 1, named);
            }
            for (const auto& [start, bound] : starts) {
                const auto sp = p.subject(start, bound);
                if (!sp || sp->last >= bound) continue;
                if (sp->kind == SpeakerKind::reference) {
                    const std::string& h = toks[sp->last].lower;
                    const bool body = listed(rules_.organisation_words, h) ||
                                      exactly(lex_.subject_references, toks, sp->first, sp->last) ||
                                      (toks[sp->first].lower == "the" && described_body(lex_.subject_references, h));
                    if (!body) continue;  // "The statement was posted …": a document issues nothing
                }
                // (A name of one word must be someone's the article knows; one of more words is a name as it stands:
                // "Goldman Sachs disclosed in a filing", "Marrow & Finch".)
                if (sp->kind == SpeakerKind::name && sp->first == sp->last &&
                    !named_before(p.printed(sp->first, sp->last), b, toks[sp->first].start)) {
                    continue;
                }
                auto a = resolve(Occurrence{sp->first, sp->last, *sp, std::nullopt}, static_cast<std::size_t>(b), p);
                if (a && !a->speaker.empty()) return a;
            }
            return std::nullopt;  // the nearest sentence naming the document says who issued it, or no one does
        }
    }
    return std::nullopt;
}

std::optional<std::pair<int, std::pair<std::size_t, std::string>>> Resolver::described_before(std::string_view role,
                                                                                              int block,
                                                                                              std::size_t pos) const {
    constexpr int kBlocksBack = 2;
    constexpr std::size_t kMaxTokens = 4000;  // read back at most this far: a hostile paragraph may be huge
    std::size_t read = 0;
    for (int b = block; b >= 0 && b + kBlocksBack >= block && read < kMaxTokens; --b) {
        const auto& toks = blocks_[static_cast<std::size_t>(b)].tokens;
        const Parser p = parser(static_cast<std::size_t>(b));
        // In the reference's own block, from the token before it (found by binary search).
        const std::size_t end = b == block ? tokens_before(toks, pos) : toks.size();
        for (std::size_t k = end; k > 0 && read < kMaxTokens; --k, ++read) {
            const Token& t = toks[k - 1];
            if (t.kind != Token::Kind::word || t.quotation >= 0) continue;
            if (role.empty() ? !lex_.person_references.by_last.contains(t.lower) : t.lower != role) continue;
            const std::size_t d = p.indefinite_start(k - 1, 0, true);
            if (d == no_token) continue;
            // "Dana Whitfield, a spokeswoman for the sheriff’s office, said …": the description of someone named in
            // apposition is that person's, whom the mentions find.
            auto name_at = [&](std::size_t i) {
                return i < toks.size() && toks[i].kind == Token::Kind::word && toks[i].capital &&
                       !is_number_token(toks[i]) && toks[i].quotation < 0;
            };
            auto comma_at = [&](std::size_t i) {
                return i < toks.size() && toks[i].kind == Token::Kind::punct && toks[i].lower == ",";
            };
            if (d >= 2 && comma_at(d - 1) && name_at(d - 2)) continue;
            // "A spokesperson for the Global Food Relief Agency said …" then "the spokesperson said": the body the
            // description speaks for, as the first attribution read it. Someone else there is described with it:
            // "a student at Wesleyan University … wrote" then "he explained" is the student, not the university.
            std::size_t n = k;
            if (n < toks.size() && toks[n].kind == Token::Kind::word &&
                (toks[n].lower == "for" || toks[n].lower == "at")) {
                ++n;
                if (n < toks.size() && toks[n].kind == Token::Kind::word && toks[n].lower == "the") ++n;
                std::size_t last = n;
                while (last < toks.size() && toks[last].kind == Token::Kind::word && toks[last].capital &&
                       !is_number_token(toks[last]) && toks[last].quotation < 0)
                    ++last;
                const bool staff = listed(rules_.staff_nouns, t.lower) || listed(rules_.staff_nouns, t.lower + "s");
                if (last > n && staff) return std::pair{b, std::pair{toks[d].start, p.printed(n, last - 1)}};
                if (last > n) return std::pair{b, std::pair{toks[d].start, p.printed(d, last - 1)}};
            }
            return std::pair{b, std::pair{toks[d].start, p.printed(d, k - 1)}};
        }
    }
    return std::nullopt;
}

std::optional<std::string> Resolver::relative_opening(int block, std::size_t pos, Gender gender) const {
    if (gender == Gender::unknown || block < 0) return std::nullopt;
    const BlockInfo& info = blocks_[static_cast<std::size_t>(block)];
    const auto& toks = info.tokens;
    if (info.sentences.empty()) return std::nullopt;
    const Sentence& s = info.sentences.front();
    const std::size_t f = first_word(toks, s.begin, s.end);
    auto word = [&](std::size_t i) {
        return i < toks.size() && toks[i].kind == Token::Kind::word && toks[i].quotation < 0;
    };
    // "Her brother", "His wife", "The woman’s sister", "Ana’s mother": an owner, then the relation.
    std::size_t r = no_token;
    if (word(f) && listed(rules_.possessives, toks[f].lower)) {
        r = f + 1;
    } else {
        for (std::size_t k = f; k < f + 3 && word(k); ++k) {
            if (possessive_length(toks[k].lower) > 0) {
                r = k + 1;
                break;
            }
        }
    }
    if (!word(r) || toks[r].start >= pos) return std::nullopt;
    const Gender g = listed(rules_.male_relations, toks[r].lower)     ? Gender::male
                     : listed(rules_.female_relations, toks[r].lower) ? Gender::female
                                                                      : Gender::unknown;
    if (g != gender) return std::nullopt;
    // The relation opens the sentence's subject: its verb, or an appositive set off by a comma, comes next.
    if (r + 1 >= toks.size() || (toks[r + 1].kind == Token::Kind::word && toks[r + 1].capital)) return std::nullopt;
    // No one named between it and the pronoun.
    for (const auto& m : mentions_) {
        if (m.block == block && m.pos > toks[r].start && m.pos < pos && !m.is_outlet) return std::nullopt;
    }
    // A family shares a surname: when the owner ("Her": the woman named last) and someone of the relative's gender
    // named before bear the same one ("Ines Marr, 63, and Tobias Marr, 66, …" then "Her husband … he said"),
    // that person.
    std::string owner;
    if (listed(rules_.possessives, toks[f].lower)) {
        const Gender owner_gender = toks[f].lower == "her"   ? Gender::female
                                    : toks[f].lower == "his" ? Gender::male
                                                             : Gender::unknown;
        if (owner_gender != Gender::unknown) {
            if (const Mention* o = last_mention(false, block, toks[f].start, 0, owner_gender)) owner = o->name;
        }
    }
    if (const auto words = untitled_words(owner); words.size() >= 2) {
        for (const auto& m : mentions_) {
            if (!before(m, block, toks[f].start)) break;
            if (m.is_outlet || m.is_organisation || m.name == owner || gender_of(m.name) != g) continue;
            if (const auto mw = untitled_words(m.name); mw.size() >= 2 && mw.back() == words.back()) return m.name;
        }
    }
    return std::string(
        doc_.blocks[static_cast<std::size_t>(block)].text.substr(toks[f].start, toks[r].end - toks[f].start));
}

std::optional<std::string> Resolver::people_named_together(int block, std::size_t pos) const {
    constexpr std::size_t kMaxTokens = 400;
    std::size_t read = 0;
    for (int b = block; b >= 0 && b + 1 >= block && read < kMaxTokens; --b) {
        const auto& toks = blocks_[static_cast<std::size_t>(b)].tokens;
        auto capital = [&](std::size_t k) {
            return k < toks.size() && toks[k].kind == Token::Kind::word && toks[k].capital &&
                   !is_number_token(toks[k]) && toks[k].quotation < 0 && !listed(rules_.not_names, toks[k].lower) &&
                   !listed(rules_.titles, toks[k].lower);
        };
        const std::size_t end = b == block ? tokens_before(toks, pos) : toks.size();
        for (std::size_t k = end; k > 1 && read < kMaxTokens; --k, ++read) {
            const std::size_t and_at = k - 1;
            if (toks[and_at].kind != Token::Kind::word || toks[and_at].lower != "and" || !capital(and_at - 1) ||
                !capital(and_at + 1)) {
                continue;
            }
            std::size_t first = and_at - 1;
            while (first > 0 && capital(first - 1))
                --first;
            std::size_t last = and_at + 1;
            while (capital(last + 1))
                ++last;
            if (last - first < 3) continue;  // "Funmi and Segun Adebayo": three capitalised words at least
            const std::string printed = doc_.blocks[static_cast<std::size_t>(b)].text.substr(
                toks[first].start, toks[last].end - toks[first].start);
            if (organisation_name(to_lower_ascii(printed)) || lex_.outlets.find(printed) != nullptr) continue;
            return printed;
        }
    }
    return std::nullopt;
}

const Mention* Resolver::named_after_description(std::string_view description, int block, std::size_t pos) const {
    // The words between the description and the name: a complement of the description's ("to Britain") or an
    // appositive's comma, a few words at most.
    constexpr std::size_t kMaxGap = 24;
    for (const auto& x : mentions_) {
        if (before(x, block, pos) || x.is_outlet || x.is_organisation || x.group) continue;
        const std::string name = to_lower_ascii(x.printed);
        const std::size_t at = x.context.find(name);
        if (name.empty() || at == std::string::npos) continue;
        const std::size_t d = x.context.rfind(description, at);
        if (d == std::string::npos || d + description.size() > at || at - (d + description.size()) > kMaxGap) continue;
        // Nothing but a comma, or a complement opening with a preposition ("to britain"), between them.
        std::string_view gap = std::string_view(x.context).substr(d + description.size(), at - d - description.size());
        while (!gap.empty() && (gap.front() == ' ' || gap.front() == ','))
            gap.remove_prefix(1);
        if (gap.empty() || listed(rules_.prepositions, gap.substr(0, gap.find(' ')))) return &x;
    }
    return nullptr;
}

bool Resolver::named_before(std::string_view printed, int block, std::size_t pos) const {
    const std::string lower = to_lower_ascii(printed);
    if (lower.find(' ') == std::string::npos && surnames_.contains(lower)) return true;
    const auto it = first_named_.find(lower);
    // Named here too counts: "Rui Carvalho had resigned".
    if (it != first_named_.end() && std::tie(it->second.first, it->second.second) <= std::tie(block, pos)) return true;
    // With an owner before the name, which the person's name leaves out ("Delhi’s Chief Minister Arvind Kejriwal").
    for (std::string_view mark : {"\u2019s ", "'s "}) {
        if (const std::size_t at = lower.rfind(mark); at != std::string::npos) {
            const std::size_t rest = at + mark.size();
            const auto named = first_named_.find(lower.substr(rest));
            if (named == first_named_.end()) return false;
            const auto [named_block, named_pos] = named->second;
            return named_block < block || (named_block == block && named_pos <= pos + rest);
        }
    }
    return false;
}

const Mention* Resolver::last_mention(bool outlet, int block, std::size_t pos, int min_block, Gender gender,
                                      bool passing) const {
    const Mention* found = nullptr;
    for (const auto& m : mentions_) {
        if (!before(m, block, pos)) break;
        if (m.is_outlet == outlet && !m.is_organisation && m.block >= min_block && fits(m, gender) &&
            (passing || !m.passing)) {
            found = &m;
        }
    }
    return found;
}

std::string Resolver::title_person(Gender gender) const {
    constexpr std::size_t kMaxTitleBytes = 400;  // a title is a line; a hostile one is not read at length
    constexpr std::size_t kMaxNameWords = 3;
    const std::string_view title = std::string_view(doc_.title).substr(0, kMaxTitleBytes);
    // The title's words, letters and the hyphens and apostrophes inside names ("Abernathy-Jones", "O'Neill").
    std::vector<std::string> words;
    std::string w;
    for (std::size_t i = 0; i < title.size();) {
        const auto c = utf8::at(title, i);
        if (utf8::is_letter(c.cp) || (!w.empty() && (c.cp == '-' || c.cp == '\'' || c.cp == U'\u2019'))) {
            w.append(title.substr(i, c.len));
        } else if (!w.empty()) {
            words.push_back(std::move(w));
            w.clear();
        }
        i += c.len == 0 ? 1 : c.len;
    }
    if (!w.empty()) words.push_back(std::move(w));
    auto capital = [](const std::string& x) { return !x.empty() && utf8::is_upper(utf8::at(x, 0).cp); };
    std::string found;
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
        const std::string lower = utf8::to_lower(words[i]);
        if (!capital(words[i]) || gender_of(lower) != gender || !rules_.given_name_word(lower)) continue;
        std::size_t last = i;
        while (last + 1 < words.size() && last + 1 < i + kMaxNameWords && capital(words[last + 1]) &&
               !listed(rules_.titles, utf8::to_lower(words[last + 1])) &&
               !listed(rules_.not_names, utf8::to_lower(words[last + 1])) &&
               gender_of(utf8::to_lower(words[last + 1])) == Gender::unknown)
            ++last;
        if (last == i) continue;
        std::string name = words[i];
        for (std::size_t k = i + 1; k <= last; ++k)
            name += " " + words[k];
        if (!found.empty() && found != name) return {};  // two people: the title does not say which
        found = std::move(name);
        i = last;
    }
    return found;
}

bool Resolver::fits_name(std::string_view name, Gender gender, int block, std::size_t pos) const {
    if (gender == Gender::unknown) return true;
    Gender known = gender_of(name);
    for (const auto& x : mentions_) {
        if (!before(x, block, pos)) break;
        if (x.name == name && x.gender != Gender::unknown) known = x.gender;
    }
    return known == Gender::unknown || known == gender;
}

const Mention* Resolver::main_speaker_over_clause(const Mention& m, Gender gender) const {
    const auto b = static_cast<std::size_t>(m.block);
    const auto& toks = blocks_[b].tokens;
    const std::size_t k = tokens_before(toks, m.pos);
    if (k == 0 || k >= toks.size()) return &m;
    if (toks[k - 1].kind != Token::Kind::word || !listed(rules_.clause_openers, toks[k - 1].lower)) return &m;
    const auto& sentences = blocks_[b].sentences;
    const auto s =
        std::find_if(sentences.begin(), sentences.end(), [&](const Sentence& x) { return x.begin <= k && k < x.end; });
    if (s == sentences.end()) return &m;
    const Parser p = parser(b);
    for (const auto& x : mentions_) {
        if (x.block != m.block || x.pos < toks[s->begin].start) continue;
        if (x.pos >= m.pos) break;
        if (x.is_outlet || x.is_organisation || x.group || x.name == m.name || !fits(x, gender)) continue;
        const std::size_t end = x.pos + x.printed.size();
        const std::size_t next = tokens_before(toks, end);
        if (next < toks.size() && toks[next].kind == Token::Kind::word && p.speech_verb_at(next, s->end)) {
            return &x;
        }
    }
    return &m;
}

const Mention* Resolver::sole_person_in_sentence(std::size_t b, std::size_t at) const {
    constexpr std::size_t kMaxWordsBetween = 15;
    const auto& toks = blocks_[b].tokens;
    const auto& sentences = blocks_[b].sentences;
    const auto s = std::find_if(sentences.begin(), sentences.end(),
                                [&](const Sentence& x) { return x.begin <= at && at < x.end; });
    if (s == sentences.end()) return nullptr;
    const std::size_t from = toks[s->begin].start;
    const std::size_t quote = toks[at].start;
    const Mention* found = nullptr;
    const Mention* last = nullptr;
    for (const auto& m : mentions_) {
        if (m.block != static_cast<int>(b) || m.pos < from) continue;
        if (m.pos >= quote) break;
        last = &m;
        if (m.is_outlet || m.is_organisation || m.group) continue;
        if (found != nullptr && found->name != m.name) return nullptr;
        found = &m;
    }
    if (found == nullptr || last != found) return nullptr;
    if (gender_of(found->name) == Gender::unknown && !titled_person(found->name) && !found->subject) return nullptr;
    // Named after a preposition of place ("In Cwm Aderyn, …"; not "Für Günther die einzige Alternative: „…“"), or
    // followed by a preposition and the words ("accusing Bramwell of “…”"): a place, or the one the words are about.
    const std::size_t end = found->pos + found->printed.size();
    std::size_t words = 0;
    std::size_t before = no_token;
    std::size_t after = no_token;
    std::size_t last_word = no_token;
    for (std::size_t k = s->begin; k < at; ++k) {
        if (toks[k].start < found->pos) before = k;
        if (toks[k].start < end) last_word = k;
        if (toks[k].start >= end && toks[k].kind == Token::Kind::word) {
            if (after == no_token) after = k;
            ++words;
        }
    }
    auto preposition = [&](std::size_t k) {
        return k != no_token && toks[k].kind == Token::Kind::word && listed(rules_.prepositions, toks[k].lower);
    };
    // (Not an owner: "about George Lucas’s decision to finish each film “…”"; nor "to" marking a verb: "allowed
    // Mosseri to claim that …".)
    auto place_preposition = [&](std::size_t k) {
        return k != no_token && toks[k].kind == Token::Kind::word && listed(rules_.place_prepositions, toks[k].lower);
    };
    if ((place_preposition(before) && (last_word == no_token || possessive_length(toks[last_word].lower) == 0)) ||
        (words == 1 && preposition(after) && toks[after].lower != "to")) {
        return nullptr;
    }
    // Nothing but punctuation between the name and the words is a credit ("Martine Bulard, « En Corée, … »", an
    // exhibition's "Michael Anastassiades ‘Jewels after Jewels’"), not a saying.
    if (words == 0 || words > kMaxWordsBetween) return nullptr;
    std::size_t k = at;
    while (k > s->begin && toks[k - 1].kind != Token::Kind::word)
        --k;
    if (k > s->begin && listed(rules_.naming_connectors, toks[k - 1].lower)) --k;
    if (k >= s->begin + 2 && listed(rules_.naming_participles, toks[k - 1].lower) &&
        listed(rules_.passive_auxiliaries, toks[k - 2].lower)) {
        return nullptr;
    }
    return found;
}

const Mention* Resolver::sole_subject_in_sentence(std::size_t b, std::size_t at, Gender gender) const {
    const auto& toks = blocks_[b].tokens;
    const auto& sentences = blocks_[b].sentences;
    const auto s = std::find_if(sentences.begin(), sentences.end(),
                                [&](const Sentence& x) { return x.begin <= at && at < x.end; });
    if (s == sentences.end()) return nullptr;
    // A quotation between the name and the pronoun.
    std::size_t quote_at = no_token;
    for (std::size_t k = s->begin; k < at; ++k) {
        if (toks[k].quotation >= 0) {
            quote_at = k;
            break;
        }
    }
    if (quote_at == no_token) return nullptr;
    const std::size_t from = toks[s->begin].start;
    const std::size_t to = toks[quote_at].start;
    const Mention* found = nullptr;
    for (const auto& m : mentions_) {
        if (m.block != static_cast<int>(b) || m.pos < from) continue;
        if (m.pos >= to) break;
        if (m.is_outlet || m.is_organisation || m.group) continue;
        if (found != nullptr && found->name != m.name) return nullptr;  // two people: no telling
        found = &m;
    }
    // One that something tells is a person (a given name, a title), not a noun phrase ("Die große Mehrheit der Fans
    // habe sich „absolut friedlich“ verhalten, sagte er").
    if (found == nullptr || !fits(*found, gender) ||
        (gender_of(found->name) == Gender::unknown && !titled_person(found->name))) {
        return nullptr;
    }
    // Its verb right after it.
    const std::size_t end = found->pos + found->printed.size();
    const auto next = std::find_if(toks.begin() + static_cast<std::ptrdiff_t>(s->begin),
                                   toks.begin() + static_cast<std::ptrdiff_t>(quote_at),
                                   [&](const Token& t) { return t.start >= end; });
    if (next == toks.begin() + static_cast<std::ptrdiff_t>(quote_at) || next->kind != Token::Kind::word ||
        next->capital || listed(rules_.auxiliaries, next->lower) || possessive_length(found->printed) > 0 ||
        listed(rules_.prepositions, next->lower) || listed(rules_.coordinators, next->lower)) {
        return nullptr;
    }
    return found;
}

const Mention* Resolver::next_person(int block, std::size_t pos, Gender gender) const {
    for (const auto& m : mentions_) {
        if (m.block > block + 1) break;
        if (!m.is_outlet && !m.is_organisation && !before(m, block, pos) && fits(m, gender)) return &m;
    }
    return nullptr;
}

const Mention* Resolver::last_subject(int block, std::size_t pos, Gender gender) const {
    const Mention* found = nullptr;
    for (const auto& m : mentions_) {
        if (!before(m, block, pos)) break;
        if (m.block == block && m.subject && !m.is_outlet && !m.is_organisation && fits(m, gender)) found = &m;
    }
    return found;
}

bool Resolver::subject_since(const Mention& from, int block, std::size_t pos) const {
    if (!subject_positions_) {
        subject_positions_.emplace();
        for (const auto& x : mentions_) {
            if (x.subject && !x.is_outlet) subject_positions_->emplace_back(x.block, x.pos);
        }
        std::sort(subject_positions_->begin(), subject_positions_->end());
    }
    const auto next =
        std::upper_bound(subject_positions_->begin(), subject_positions_->end(), std::make_pair(from.block, from.pos));
    return next != subject_positions_->end() && *next < std::make_pair(block, pos);
}

int Resolver::reference_reach(const Mention* body, int block, std::size_t pos, std::string_view word) const {
    int reach = block;
    if (body == nullptr || body->block + 1 >= block || subject_since(*body, block, pos)) return reach;
    while (reach > body->block + 1 && block - reach < kMaxReferenceChain && refers_by_word(reach - 1, word))
        --reach;
    return reach;
}

bool Resolver::refers_by_word(int block, std::string_view word) const {
    const auto key = std::make_pair(block, std::string(word));
    if (const auto it = refers_by_word_.find(key); it != refers_by_word_.end()) return it->second;
    const auto& toks = blocks_[static_cast<std::size_t>(block)].tokens;
    bool found = false;
    for (std::size_t k = 1; k < toks.size() && !found; ++k) {
        if (toks[k - 1].lower != "the" || toks[k].kind != Token::Kind::word || toks[k].quotation >= 0) continue;
        const std::string_view w = toks[k].lower;
        found = w.substr(0, w.size() - possessive_length(w)) == word;
    }
    refers_by_word_.emplace(key, found);
    return found;
}

const Mention* Resolver::mention_at(int block, std::size_t pos) const {
    const auto it = std::lower_bound(mentions_.begin(), mentions_.end(), std::pair{block, pos},
                                     [](const Mention& m, const std::pair<int, std::size_t>& at) {
                                         return std::pair{m.block, m.pos} < at;
                                     });
    return it != mentions_.end() && it->block == block && it->pos == pos ? &*it : nullptr;
}

const Mention* Resolver::last_body(int block, std::size_t pos, std::string_view word) const {
    const Mention* found = nullptr;
    for (const auto& m : mentions_) {
        if (!before(m, block, pos)) break;
        if (!word.empty()) {
            if (m.is_organisation && (m.kind == word || contains_word(to_lower_ascii(m.name), word))) found = &m;
        } else if ((m.is_outlet || m.is_organisation) && !m.passing) {
            // Not a body named only as an owner ("on CBC Radio’s The House, Bhullar said the decision …").
            found = &m;
        }
    }
    return found;
}

std::optional<Attribution> Resolver::resolve(const Occurrence& occ, std::size_t b, const Parser& p) const {
    const auto& toks = blocks_[b].tokens;
    const int bi = static_cast<int>(b);
    Attribution a;
    // "Popular drinking hole The Idle Hour … have said": an ordinary word opening the sentence (printed in lower case
    // elsewhere, never in capitals inside a sentence) describes the name after it, which is who speaks.
    if (occ.speaker.kind == SpeakerKind::name && occ.speaker.first == occ.speaker.last) {
        if (const auto named = described_opener(occ.speaker.first, b, p)) {
            Occurrence again = occ;
            again.speaker = *named;
            return resolve(again, b, p);
        }
    }
    // "Research has hinted …", "Games usually seek …": one word opening its sentence that the article prints in
    // lower case elsewhere, and never in capitals inside a sentence, is an ordinary word, no name (unless it is the
    // surname of someone named in full). Not where every noun is written in capitals.
    if (occ.speaker.kind == SpeakerKind::name && occ.speaker.first == occ.speaker.last && !nouns_capitalised() &&
        occ.speaker.first < toks.size()) {
        const std::string& lower = toks[occ.speaker.first].lower;
        const Sentence& s = blocks_[b].sentences[sentence_of(blocks_[b], occ.speaker.first)];
        // (Printed in capitals, nothing but punctuation before it: "“…,” elmo666 wrote" is a user's handle.)
        bool opens = toks[occ.speaker.first].capital;
        for (std::size_t k = s.begin; k < occ.speaker.first && opens; ++k)
            opens = toks[k].kind == Token::Kind::punct;
        if (opens && ordinary_opener(lower)) return std::nullopt;
    }
    const SpeakerRef& sp = occ.speaker;
    std::string printed = p.printed(
        sp.kind == SpeakerKind::name
            ? past_body_kind(toks, cyrillic_name_first(toks, doc_.blocks[b].text, sp.first, sp.last, rules_), sp.last)
            : sp.first,
        sp.last);
    if (sp.possessive) printed.resize(printed.size() - possessive_length(printed));
    if (sp.kind == SpeakerKind::person_reference && sp.qualified_last > sp.last) {
        printed = p.printed(sp.first, sp.qualified_last);
    }
    switch (sp.kind) {
        case SpeakerKind::outlet:
            a.speaker = sp.outlet->name;
            a.outlet = sp.outlet->name;
            break;
        case SpeakerKind::reference: {
            // "the authority": the organisation named with that word; "the report", "it": the outlet or
            // organisation named last.
            const std::string& head = t_lower(toks, sp.last);
            const bool organisation_word = sp.last > sp.first && listed(rules_.organisation_words, head);
            const Mention* m = last_body(bi, toks[sp.first].start, organisation_word ? head : std::string_view{});
            // A body an appositive called another kind of body is not this one ("Asociación Bienestar y Desarrollo,
            // the non-government organization" is not "the group" after it), where both kinds are bodies' words.
            // Companies by their trade are companies all the same ("the messaging app Skyloft" is "the company").
            auto kind_fits = [&](const Mention& x) {
                if (x.kind.empty() || x.kind == head || !body_kind(x.kind) || !body_kind(head)) return true;
                return listed(rules_.company_kinds, x.kind) && listed(rules_.company_kinds, head);
            };
            // "the company", "the site": a body named in this paragraph or the one before, else the company or body
            // the article is about, else one named further back.
            const bool describes_body =
                exactly(lex_.subject_references, toks, sp.first, sp.last) ||
                (t_lower(toks, sp.first) == "the" && lex_.subject_references.by_last.contains(head) &&
                 described_body(lex_.subject_references, head));
            if (!organisation_word && !describes_body && head != "it") {
                // "The report, published on Thursday by the Schools Inspectorate, said": the one its appositive
                // says made it (one of rules' authorship_participles before "by").
                constexpr std::size_t kMaxAppositive = 14;
                if (sp.last + 2 < toks.size() && toks[sp.last + 1].kind == Token::Kind::punct &&
                    toks[sp.last + 1].lower == ",") {
                    for (std::size_t k = sp.last + 2; k < toks.size() && k < sp.last + 2 + kMaxAppositive; ++k) {
                        if (toks[k].kind == Token::Kind::punct || toks[k].quotation >= 0) break;
                        // Or "from" opening the appositive: "The report, from the county medical examiner, said".
                        const bool from = k == sp.last + 2 && toks[k].lower == "from";
                        if (toks[k].lower != "by" && !from) continue;
                        // Made by, not obtained by ("The statement, which was obtained by Variety,").
                        bool made = from;
                        for (std::size_t x = sp.last + 2; x < k && !made; ++x)
                            made = listed(rules_.authorship_participles, toks[x].lower);
                        if (!made) break;
                        std::size_t at = k + 1;
                        if (at < toks.size() && toks[at].lower == "the") ++at;
                        if (auto by = p.subject(at, toks.size());
                            by && by->kind == SpeakerKind::name && !by->possessive) {
                            a.speaker = full_body_name(p.printed(by->first, by->last), bi, toks[by->first].start);
                        }
                        break;
                    }
                    if (!a.speaker.empty()) break;
                }
                if (auto who = issuer(head, bi, toks[sp.first].start)) {
                    a.speaker = who->speaker;
                    a.outlet = who->outlet;
                    break;
                }
            }
            if (describes_body) {
                // "Northline said in a statement that it was “heartbroken” … “…,” the company said": a body that
                // spoke earlier in this paragraph, as a sentence's subject, is the company meant.
                if (auto spoke = speaking_body(bi, toks[sp.first].start)) {
                    a.speaker = full_body_name(*spoke, bi, toks[sp.first].start, true);
                    if (acronym(a.speaker)) a.speaker = spelled_out(a.speaker, bi, toks[sp.first].start);
                    break;
                }
                // A news outlet is not what "the company" means: "Reuters reported … the company said".
                // Nor is a group ("police said … the company said").
                if (m != nullptr && (m->is_outlet || m->group)) m = nullptr;
                const Mention* near = m;
                if (near == nullptr) {
                    // The last organisation named, but one that opened a sentence, in this paragraph or the two
                    // before, wins over one named since as an object ("Norvale Pharmaceuticals disclosed …" then
                    // "In a filing with the Securities Commission, the company said").
                    const Mention* subject = nullptr;
                    for (const auto& x : mentions_) {
                        if (!before(x, bi, toks[sp.first].start)) break;
                        if (x.is_organisation && !x.group && kind_fits(x)) {
                            near = &x;
                            if (x.subject && x.block + 2 >= bi) subject = &x;
                        }
                    }
                    if (subject != nullptr && near != nullptr && !near->subject) near = subject;
                }
                // (A body named only as an owner gives way to a name that opens a sentence there: "Boeing is
                // building Air Force One’s replacement. The company said …".)
                if (near != nullptr && near->passing && near->block + 1 >= bi) {
                    if (const auto named = body_subject(bi, toks[sp.first].start)) {
                        a.speaker = full_body_name(*named, bi, toks[sp.first].start, true);
                        break;
                    }
                }
                // Back over paragraphs that each say "the company" again, with no one named since as a sentence's
                // subject ("Brightline Medical was sued …. The company called …").
                const int reach = reference_reach(near, bi, toks[sp.first].start, head);
                if (near != nullptr && near->block + 1 >= reach) {
                    m = near;
                } else if (const ArticleSubject* about = article_subject();
                           about != nullptr &&
                           std::tie(about->block, about->pos) < std::tie(bi, toks[sp.first].start)) {
                    a.speaker = about->name;
                    break;
                } else if (m == nullptr) {
                    // A body named as a sentence's subject though no organisation word says it is one ("Velmar
                    // has halted …"), else "the firm said" of a firm the article does not name.
                    const auto named = body_subject(bi, toks[sp.first].start);
                    // Else a body named in the paragraphs before ("Taylor Swift left her former label, Big Machine
                    // Records, …" then "the company said").
                    constexpr int kBodyParagraphs = 3;
                    if (!named && near != nullptr && near->block + kBodyParagraphs > bi) {
                        m = near;
                    } else {
                        a.speaker = named ? full_body_name(*named, bi, toks[sp.first].start, true)
                                          : self_named_body(bi, head).value_or(printed);
                        break;
                    }
                }
            }
            // "the agency" after Reuters: a news agency is an outlet, whose name holds no such word; "the company"
            // after "Corvale Mining announced …": the organisation named in this paragraph or the one before, or
            // one that opened a sentence in the paragraph before that ("The Meridian Centre for Disease Control
            // warned …" two paragraphs before "The agency urged").
            // Not one the article calls something else ("the non-government organization" is no group).
            if (m == nullptr && organisation_word) {
                for (const auto& x : mentions_) {
                    if (!before(x, bi, toks[sp.first].start)) break;
                    // Not a group named by what it is ("officials said"): the agency is a body with a name.
                    if ((x.is_outlet || x.is_organisation) && !x.group && kind_fits(x)) m = &x;
                }
                // The paragraphs back to the body may each say "the agency" again ("the agency’s decision"): the
                // chain of references reaches as far as they go.
                const int reach = reference_reach(m, bi, toks[sp.first].start, head);
                if (m != nullptr && !m->is_outlet && m->block + 1 < reach && !(m->subject && m->block + 2 >= reach)) {
                    m = nullptr;
                }
            }
            // "it" after "The Fed said … ." in this paragraph: the body that spoke there, as a sentence's subject,
            // over a body named since in passing.
            if (head == "it") {
                if (auto spoke = speaking_body(bi, toks[sp.first].start);
                    spoke && (m == nullptr || m->block < bi || !m->subject)) {
                    a.speaker = full_body_name(*spoke, bi, toks[sp.first].start, true);
                    break;
                }
            }
            // German "es" ("Es gehe schlicht darum, „…“", "heißt es") is a body's only when the body is named in this
            // paragraph or the one before; a body named pages back is not what the reported speech goes on about.
            if (head == "es" && m != nullptr && !m->is_outlet && m->block + 1 < bi) m = nullptr;
            // "the statement" with no organisation before it: the statement of the person named in this paragraph
            // or the one before ("Senator Obiageli Nnaji issued a statement on Friday night.").
            if (m == nullptr && !organisation_word && head != "it") {
                m = last_mention(false, bi, toks[sp.first].start, bi - 1);
            }
            // "the ministry said" with no ministry named: the ministry the article does not name is the speaker, as
            // printed; so is a report or a statement no one is said to have made ("The review, carried out by
            // independent auditors, found …", "the autopsy report said"), as a reader would name it.
            if (m == nullptr && organisation_word) {
                a.speaker = self_named_body(bi, head).value_or(printed);
                break;
            }
            if (m == nullptr && head != "it" && sp.last > sp.first) {
                a.speaker = printed;
                break;
            }
            // "Its statement claimed": the body named in this paragraph or the one before, else one named there as a
            // sentence's subject though no organisation word says it is one ("However, Organic Liaison quickly fired
            // back."), not one named pages back.
            if (t_lower(toks, sp.first) == "its" && (m == nullptr || m->block + 1 < bi)) {
                if (const auto named = body_subject(bi, toks[sp.first].start)) {
                    a.speaker = *named;
                    break;
                }
                if (m != nullptr && m->block + 1 < bi) m = nullptr;
            }
            if (m == nullptr) return std::nullopt;
            a.speaker = m->name;
            a.outlet = m->is_outlet ? m->name : (m->is_organisation ? std::string() : m->outlet_name);
            // "the company" after "IPS said": the name the acronym stands for, when the article printed it.
            if (!m->is_outlet && acronym(a.speaker)) a.speaker = spelled_out(a.speaker, bi, toks[sp.first].start);
            // "the ministry" after "Foreign Ministry spokeswoman …" and "The Tessalian Foreign Ministry": the body's
            // name as printed in full.
            if (m->is_organisation && !m->group) a.speaker = full_body_name(a.speaker, bi, toks[sp.first].start, true);
            break;
        }
        case SpeakerKind::person_reference: {
            // "the woman, who cannot be named, said": no one named, the description.
            if (sp.unnamed) {
                a.speaker = printed;
                break;
            }
            // "the spokesman added": the last person named in a sentence that gave them that role, else the
            // last person named at all.
            // "the 52-year-old": the person whose sentence gave the age.
            std::string role = t_lower(toks, sp.last);
            const std::size_t age_suffix = age_suffix_length(role, rules_);
            const bool age = age_suffix > 0;
            role.resize(role.size() - age_suffix);
            // The last person whose name holds the role ("Health Minister Rahel Tesfaye"), else the last named
            // in a sentence holding it, else the last named at all.
            const Mention* titled = nullptr;
            const Mention* m = nullptr;
            const Mention* any = nullptr;
            const Mention* any_person = nullptr;  // the last whose name tells a person (a given name, a title)
            // The role's article may tell the gender ("la analista", "el funcionario", "der Mediziner").
            const std::string& article = t_lower(toks, sp.first);
            // What a role is of ("Hacienda" in "el ministro de Hacienda"): a sentence naming it gives the role too.
            const std::string qualifier =
                sp.qualified_last > sp.last ? t_lower(toks, sp.qualified_last) : std::string{};
            const Gender role_gender = listed(rules_.masculine_articles, article)  ? Gender::male
                                       : listed(rules_.feminine_articles, article) ? Gender::female
                                                                                   : Gender::unknown;
            // (Nor the body a role is of: "the chief executive of Brightwell Energy said" names no person.)
            auto role_of = [&](const Mention& y) {
                constexpr std::size_t kBefore = 40;
                const std::string& text = doc_.blocks[static_cast<std::size_t>(y.block)].text;
                const std::size_t from = y.pos > kBefore ? y.pos - kBefore : 0;
                const std::string before_name = to_lower_ascii(text.substr(from, y.pos - from));
                for (const std::string_view tail : {" of ", " of the ", " de ", " del ", " de la ", " des ", " du "}) {
                    if (before_name.ends_with(tail)) {
                        return contains_word(before_name.substr(0, before_name.size() - tail.size()), role);
                    }
                }
                return false;
            };
            // (An age a sentence gives someone else by it, "the 19-year-old" after an article, is not its subject's:
            // "Solheim’s coach, Marek Halloran, said the 19-year-old had been …".)
            auto age_of_another = [&](const Mention& y) {
                if (!age) return false;
                const std::string& aged = t_lower(toks, sp.last);
                for (std::size_t at = y.context.find(aged); at != std::string::npos;
                     at = y.context.find(aged, at + 1)) {
                    std::string_view head = std::string_view(y.context).substr(0, at);
                    if (!head.ends_with(' ')) continue;
                    head.remove_suffix(1);
                    const std::string_view before_age = head.substr(head.rfind(' ') + 1);  // npos + 1: the whole head
                    if (is_article(before_age) || listed(rules_.body_articles, before_age) ||
                        listed(rules_.role_articles, before_age)) {
                        return true;
                    }
                }
                return false;
            };
            for (const auto& x : mentions_) {
                if (!before(x, bi, toks[sp.first].start)) break;
                if (x.is_outlet || x.is_organisation || works_.contains(x.name)) continue;
                // Not one of the other gender ("dijo el mandatario" is not "la ministra Izkia Siches").
                if (role_gender != Gender::unknown && x.gender != Gender::unknown && x.gender != role_gender) continue;
                // Not one named in passing ("sacked by Manchester United"), nor one whose name holds another role
                // ("Chairwoman Beatrix Vogel" is not "the incoming CEO").
                if (!x.passing && !titled_otherwise(x, role)) {
                    any = &x;
                    if (x.gender != Gender::unknown && (role_gender == Gender::unknown || x.gender == role_gender))
                        any_person = &x;
                }
                // Of two named in the sentence that gave the role, its subject ("Rep. Marcus Tillery became the first
                // Democrat to call for the resignation of Housing Secretary Arlene Voss": the Democrat is Tillery).
                // Unless the role stands right before the later one ("… and union leader Dawit Bekele", "his lawyer,
                // Valentina Okoro").
                // (Right before: no name in capitals between, as "President-elect Donald Trump has named Kellyanne
                // Conway" has.)
                // (A surname named again is judged where the context it repeats named the person.)
                auto context_block = [](const Mention& y) { return y.context_block >= 0 ? y.context_block : y.block; };
                auto context_subject = [](const Mention& y) {
                    return y.context_block >= 0 ? y.context_subject : y.subject;
                };
                auto role_right_before = [&](const Mention& y) {
                    constexpr std::size_t kBefore = 40;
                    const std::string& text = doc_.blocks[static_cast<std::size_t>(context_block(y))].text;
                    const std::size_t pos = y.context_block >= 0 ? y.context_pos : y.pos;
                    const std::size_t from = pos > kBefore ? pos - kBefore : 0;
                    const std::string before_name = text.substr(from, pos - from);
                    const std::string lower = to_lower_ascii(before_name);
                    if (!contains_word(lower, role)) return false;
                    const std::size_t at = lower.rfind(role);
                    if (at == std::string::npos) return false;
                    return std::none_of(before_name.begin() + static_cast<std::ptrdiff_t>(at + role.size()),
                                        before_name.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
                };
                // The role of someone the person owns is not theirs ("Nisan Ahmado's source inside the camp said"
                // then "the source said": the source is not Ahmado).
                auto role_possessed = [&](const Mention& y) {
                    constexpr std::size_t kAfter = 40;
                    const std::string& text = doc_.blocks[static_cast<std::size_t>(y.block)].text;
                    const std::size_t at = y.pos + y.printed.size();
                    if (at >= text.size()) return false;
                    const std::string after = to_lower_ascii(text.substr(at, kAfter));
                    if (!after.starts_with("'s ") && !after.starts_with("\xE2\x80\x99s ")) return false;
                    const std::size_t stop = after.find_first_of(",.;:");
                    return contains_word(after.substr(0, stop), role);
                };
                // (Nor a name after it in that sentence that tells no person, where one before it does: "Joel
                // Quesada Mora … se coronó campeón del Mundial Junior de Surf".)
                // (What the role is of, only of one that something tells is a person: "ante la Comisión de
                // Seguridad del Senado, la ministra detalló la estrategia de Interior".)
                if ((contains_word(x.context, role) ||
                     (!qualifier.empty() && (x.gender != Gender::unknown || titled_person(x.name)) &&
                      contains_word(x.context, qualifier))) &&
                    !role_of(x) && !role_possessed(x) && !age_of_another(x) &&
                    !(m != nullptr && context_subject(*m) && !context_subject(x) &&
                      context_block(*m) == context_block(x) && m->context == x.context && !role_right_before(x)) &&
                    !(m != nullptr && m->block == x.block && m->context == x.context && m->gender != Gender::unknown &&
                      x.gender == Gender::unknown)) {
                    m = &x;
                }
                // A compound holding the role counts in a language that joins its nouns ("der Minister" for
                // "Bundesfinanzminister Jörg Albrecht").
                const bool compound_role =
                    nouns_capitalised() && !role.empty() &&
                    std::any_of(x.lower_words.begin(), x.lower_words.end(),
                                [&](const std::string& w) { return w.size() > role.size() && w.ends_with(role); });
                if (contains_word(x.lower_printed, role) || compound_role) titled = &x;
            }
            if (titled != nullptr) m = titled;
            // "the Ukrainian leader", "the Labour leader": a word in capitals describing the role (a nationality, a
            // party) that stood right before a person's name ("Ukrainian President Volodymyr Zelensky addressed
            // Congress"), the last so named.
            if (m == nullptr) {
                constexpr std::size_t kBefore = 40;
                // The last so named: back from the reference (mentions_ is in reading order).
                const auto end = std::partition_point(mentions_.begin(), mentions_.end(), [&](const Mention& x) {
                    return before(x, bi, toks[sp.first].start);
                });
                for (std::size_t k = sp.first + 1; k < sp.last && m == nullptr; ++k) {
                    if (toks[k].kind != Token::Kind::word || !toks[k].capital) continue;
                    const std::string& w = toks[k].lower;
                    for (auto it = end; it != mentions_.begin() && m == nullptr;) {
                        const Mention& x = *--it;
                        if (x.is_outlet || x.is_organisation || x.group || x.passing) continue;
                        const std::string& text = doc_.blocks[static_cast<std::size_t>(x.block)].text;
                        const std::size_t from = x.pos > kBefore ? x.pos - kBefore : 0;
                        if (contains_word(x.lower_printed, w) ||
                            contains_word(to_lower_ascii(text.substr(from, x.pos - from)), w)) {
                            m = &x;
                        }
                    }
                }
            }
            // A role means a person: not a place or an event named since ("la región Loreto", "la presa El
            // Cuchillo", "del Mundial Junior de Surf") over a person the paragraph or the two before named.
            if (any != nullptr && any != any_person && any->gender == Gender::unknown && !titled_person(any->name) &&
                any_person != nullptr && any_person->block + 2 >= bi) {
                any = any_person;
            }
            // "the teenager", "the Welshman": the person the paragraphs are about, the last named as a subject in
            // this paragraph or the two before, when no one named in that role is nearer.
            // So is an age ("the 21-year-old added"), when no sentence gave it.
            // In a language that writes its nouns in capitals, one whose name tells a person (a given name, a
            // title, "he" or "she" learned for it, or the name said twice) wins over one that nothing tells is a
            // person ("Elf Tage nach dem Aus gewann …").
            if ((sp.epithet || age) && m == nullptr) {
                // Named more than once in the article tells it too ("Tiger Woods" … "Woods, der …").
                auto named_again = [&](const Mention& x) {
                    const auto it = mentions_by_name_.find(x.name);
                    return it != mentions_by_name_.end() && it->second >= 2;
                };
                const Mention* told = nullptr;
                for (const auto& x : mentions_) {
                    if (!before(x, bi, toks[sp.first].start)) break;
                    // Not one whose name tells the other gender ("sagte die 31-Jährige" is not Alexander Zverev).
                    // (Only the name: German "ihre" after a name may be "their", and teach it a woman's gender.)
                    if (const Gender named = gender_of(x.name);
                        role_gender != Gender::unknown && named != Gender::unknown && named != role_gender)
                        continue;
                    // (Not one named in passing: "sacked by Manchester United" has no age.)
                    if (!x.is_outlet && !x.is_organisation && !x.group && !x.passing && x.subject &&
                        x.block + 2 >= bi) {
                        m = &x;
                        if (x.gender != Gender::unknown || named_again(x)) told = &x;
                    }
                }
                // (Not over the subject of the quotation's own paragraph: "Landwirt Gerrit Hindriks war sichtlich
                // erschüttert. „…“, sagte der 58-Jährige.")
                if (told != nullptr && nouns_capitalised() && !(m != nullptr && m->block == bi)) m = told;
            }
            // "A White House official said … “…,” the official told reporters": the one described so before, in
            // this paragraph or the two before it, after anyone named in that role.
            // So when the one named in that role was named in the description's own sentence, which gave the role
            // to the one described ("one close associate said it was common for Trump to watch Fox News").
            // Not one described in a sentence that quotes no one and says nothing was said, when a person is named
            // after it as a subject ("A Court of Session judge has rejected …" then "Lord Dunbeath said …" then "the
            // judge wrote"): that person is the one the description introduced.
            auto introduced_since = [&](int eb, std::size_t epos) {
                if (any == nullptr || !any->subject || any->passing ||
                    std::tie(any->block, any->pos) <= std::tie(eb, epos)) {
                    return false;
                }
                const BlockInfo& info = blocks_[static_cast<std::size_t>(eb)];
                const Parser ep = parser(static_cast<std::size_t>(eb));
                for (const auto& es : info.sentences) {
                    if (es.begin >= es.end || info.tokens[es.end - 1].end < epos) continue;
                    if (info.tokens[es.begin].start > epos) break;
                    for (std::size_t k = es.begin; k < es.end; ++k) {
                        const Token& t = info.tokens[k];
                        if (t.kind == Token::Kind::quote || t.quotation >= 0 ||
                            (t.kind == Token::Kind::word && ep.speech_verb_at(k, es.end))) {
                            return false;
                        }
                    }
                    return true;
                }
                return false;
            };
            if (auto earlier = described_before(role, bi, toks[sp.first].start);
                earlier && !(m == nullptr && introduced_since(earlier->first, earlier->second.first)) &&
                (m == nullptr || std::tie(m->block, m->pos) < std::tie(earlier->first, earlier->second.first) ||
                 (m->block == earlier->first && (m->passing || !m->subject) &&
                  m->context.find(to_lower_ascii(earlier->second.second)) != std::string::npos))) {
                a.speaker = earlier->second.second;
                break;
            }
            // A role the rules list ("the spokesman", "the 52-year-old") is most often the person named last; a
            // description they do not list ("the insider", "the source") is someone the article need not name.
            // A role qualified by what it is of ("el ministro de Hacienda") is no one named with another role,
            // unless named in the role's own paragraph ("La ministra de Educación, Verónica Leiva, valoró … “…”,
            // explicó la secretaria de Estado").
            if (m == nullptr && !sp.described && (qualifier.empty() || (any != nullptr && any->block == bi))) m = any;
            // "“…,” the teenager said." in an article that has named no one yet, then "Amelie Osei-Bonsu, who …"
            // or "His name is Elias Brandvold": an epithet, an age or a role the rules list ("the farmer says") is
            // the person named next, in this paragraph or the one after.
            if (m == nullptr && !sp.described) {
                // (For a qualified role, one named next with that role or what it is of.)
                if (const Mention* next = next_person(bi, toks[std::max(sp.last, sp.qualified_last)].end, role_gender);
                    next != nullptr && !next->group &&
                    (qualifier.empty() || contains_word(next->context, role) ||
                     contains_word(next->context, qualifier))) {
                    m = next;
                }
            }
            if (m == nullptr) {
                a.speaker = printed;  // "the spokesman" of an article that names no one: the description
                break;
            }
            a.speaker = m->name;
            a.outlet = m->outlet_name;
            break;
        }
        case SpeakerKind::pronoun: {
            // "they" after an organisation named since the last person ("The Meridian Tenants' Union has organised
            // a rent strike. “…,” they said."): the organisation, named in this paragraph or the one before.
            if (t_lower(toks, sp.first) == "they") {
                // "The lawmakers, however, failed to answer the invitation. Instead, they are praying …": a group
                // named by what it is, the subject opening the sentence before in this paragraph, is whom "they"
                // means (the body named before it is not).
                if (const std::size_t si = sentence_of(blocks_[b], sp.first); si > 0) {
                    const Sentence& before = blocks_[b].sentences[si - 1];
                    const std::size_t opener = first_word(toks, before.begin, before.end);
                    if (opener < before.end && toks[opener].quotation < 0) {
                        if (auto group = p.subject(opener, before.end);
                            group && group->first == opener && group->group && !group->possessive) {
                            a.speaker = p.printed(group->first, group->last);
                            break;
                        }
                    }
                }
                const Mention* body = last_body(bi, toks[sp.first].start);
                const Mention* person = last_mention(false, bi, toks[sp.first].start, 0, Gender::unknown, false);
                if (body != nullptr && !body->is_outlet && body->block + 1 >= bi &&
                    (person == nullptr || std::tie(person->block, person->pos) < std::tie(body->block, body->pos))) {
                    a.speaker = body->name;
                    break;
                }
                // Two people named together ("The parents of Ayo Adebayo, Funmi and Segun Adebayo, attended …"
                // then "“…,” they said."), in this paragraph or the one before.
                if (auto pair = people_named_together(bi, toks[sp.first].start)) {
                    a.speaker = *pair;
                    break;
                }
            }
            // The person named last; but within the paragraph, a subject or speaker before them wins over a
            // name in an object's place ("PlutoPete told me … with Dread Pirate Roberts, … “…,” he lamented").
            // "he" passes over a woman and "she" over a man, when the rules tell (a title or a given name).
            const std::string& pronoun = t_lower(toks, sp.first);
            // (A possessive tells it too: "Seine Botschaft: „…“", "Her verdict: “…”".)
            const Gender gender =
                listed(rules_.male_pronouns, pronoun) || listed(rules_.male_forms, pronoun)       ? Gender::male
                : listed(rules_.female_pronouns, pronoun) || listed(rules_.female_forms, pronoun) ? Gender::female
                                                                                                  : Gender::unknown;
            // "The spokeswoman said she would look again. “…,” she said.": a role opening the paragraph as its
            // subject, with no one named in the paragraph before the pronoun, is whom the pronoun means.
            // No one named as a subject there before it, that is: "The press secretary declined to say whether the
            // adviser, Clement Ashby, had offered to resign. “…,” she said." The role may follow an opening phrase
            // ("Asked about his age, the 61-year-old former governor laughed.").
            if (!blocks_[b].sentences.empty() && last_subject(bi, toks[sp.first].start) == nullptr) {
                constexpr std::size_t kOpeningPhrase = 12;
                const Sentence& first = blocks_[b].sentences.front();
                const std::size_t opener = first_word(toks, first.begin, first.end);
                auto role = p.subject(opener, first.end);
                if (!role || role->kind != SpeakerKind::person_reference) {
                    if (const std::size_t comma = opening_phrase_comma(toks, opener, first.end, kOpeningPhrase);
                        comma != no_token) {
                        role = p.subject(comma + 1, first.end);
                    }
                }
                if (role && role->kind == SpeakerKind::person_reference && role->last < sp.first &&
                    (gender == Gender::unknown || gender_of(t_lower(toks, role->last)) == Gender::unknown ||
                     gender_of(t_lower(toks, role->last)) == gender)) {
                    // (Not to someone of the other gender: "the 61-year-old former governor laughed. “…,” he said"
                    // after a spokeswoman was named last.)
                    if (auto who = resolve(Occurrence{role->first, role->last, *role, std::nullopt}, b, p);
                        who && !who->speaker.empty() && fits_name(who->speaker, gender, bi, toks[sp.first].start)) {
                        a.speaker = who->speaker;
                        a.outlet = who->outlet;
                        break;
                    }
                }
            }
            // "Ella respondió que … «…». «…», zanjó.": a verb alone, its subject left out, goes on with the pronoun
            // that opened the sentence before it in the paragraph.
            if (!listed(rules_.pronouns, pronoun) && !listed(rules_.object_pronouns, pronoun)) {
                const auto& sentences = blocks_[b].sentences;
                for (std::size_t si = 1; si < sentences.size(); ++si) {
                    if (sp.first < sentences[si].begin || sp.first >= sentences[si].end) continue;
                    const std::size_t opener = first_word(toks, sentences[si - 1].begin, sentences[si - 1].end);
                    if (opener < toks.size() && opener < sp.first && toks[opener].quotation < 0 &&
                        listed(rules_.pronouns, toks[opener].lower)) {
                        const SpeakerRef subject{SpeakerKind::pronoun, opener, opener, nullptr};
                        if (auto who = resolve(Occurrence{opener, opener, subject, std::nullopt}, b, p);
                            who && !who->speaker.empty()) {
                            return who;
                        }
                    }
                    break;
                }
            }
            const Mention* m = last_mention(false, bi, toks[sp.first].start, 0, gender, false);

            // A person of the pronoun's gender named since, in passing, in this paragraph or the one before, wins
            // over one whose gender nothing tells ("Gaiman told me … his editor Teresa Nielsen Hayden … she
            // recalled").
            // So does one named there over a match from paragraphs further back ("When I got word …, I thought of
            // Elise Matthesen. …" then "“…,” she replied", Valerie Smith long before).
            if (gender != Gender::unknown && (m == nullptr || m->gender == Gender::unknown || m->block + 1 < bi)) {
                const Mention* known = nullptr;
                for (const auto& x : mentions_) {
                    if (!before(x, bi, toks[sp.first].start)) break;
                    if (!x.is_outlet && !x.is_organisation && x.gender == gender && x.block + 1 >= bi) known = &x;
                }
                if (known != nullptr &&
                    (m == nullptr || std::tie(m->block, m->pos) < std::tie(known->block, known->pos))) {
                    m = known;
                }
            }
            // Two people named together in one sentence, one of the pronoun's gender and the other of none the text
            // tells ("Jean-Pierre Massé, céréalier, et Camille Robin … ont débattu" then "« … », a-t-il assuré"): the
            // one whose gender fits, though named first.
            if (m != nullptr && gender != Gender::unknown && m->gender == Gender::unknown && !m->context.empty()) {
                // Back from it over the mentions of its sentence, a few at most.
                constexpr std::size_t kMaxTogether = 12;
                const auto at = static_cast<std::size_t>(m - mentions_.data());
                for (std::size_t i = at; i-- > 0 && at - i <= kMaxTogether;) {
                    const Mention& x = mentions_[i];
                    if (x.block != m->block) break;
                    if (x.is_outlet || x.is_organisation || x.group) continue;
                    if (x.context != m->context) break;
                    if (!x.passing && x.gender == gender &&
                        !organisation_name(to_lower_ascii(x.name))) {  // not "Paloma Pictures"'s given name
                        m = &x;
                        // A surname alone ("Holloway, who canceled a tour, says …"): the person named in full.
                        if (x.name.find(' ') == std::string::npos) {
                            if (const Mention* full =
                                    only_named_in_full_by_surname(to_lower_ascii(x.name), x.block, x.pos)) {
                                m = full;
                            }
                        }
                        break;
                    }
                }
            }
            // No one fits but a person named in passing in this paragraph ("Among the top performers was Tariq
            // Hussain, 18, who …. “…,” he said."): that person.
            if (m == nullptr) {
                if (const Mention* x = last_mention(false, bi, toks[sp.first].start, bi, gender, true);
                    x != nullptr && x->passing) {
                    m = x;
                }
            }
            if (m != nullptr) m = main_speaker_over_clause(*m, gender);
            if (m != nullptr && !m->subject && m->block == bi) {
                if (const Mention* s = last_subject(bi, toks[sp.first].start, gender)) m = s;
            } else if (m != nullptr && !m->subject && m->block + 1 == bi) {
                // Named last in the paragraph before, in an object's place, and no one since: that paragraph's
                // subject goes on ("Steenburgen had spent years … more nervous than Rose-Lynn Harlan. …" then "But
                // she also felt …").
                // Only that paragraph's own subject, and not over a name the pronoun's gender fits when the
                // subject's does not tell ("a reporter asked Montoya-Lewis, “…?”" then "“…,” she replied").
                if (const Mention* s =
                        last_subject(m->block, doc_.blocks[static_cast<std::size_t>(m->block)].text.size(), gender);
                    s != nullptr && s->block == m->block &&
                    !(gender != Gender::unknown && m->gender == gender && s->gender != gender)) {
                    m = s;
                } else if (s == nullptr && gender != Gender::unknown) {
                    // That paragraph opens with the same pronoun as its subject ("He pointed to a 2004 tax holiday
                    // under President George W. Bush, …" then "“…,” he said."): whom that pronoun means.
                    const auto pb = static_cast<std::size_t>(m->block);
                    const auto& ptoks = blocks_[pb].tokens;
                    const std::size_t opener =
                        blocks_[pb].sentences.empty()
                            ? no_token
                            : first_word(ptoks, blocks_[pb].sentences.front().begin, blocks_[pb].sentences.front().end);
                    if (opener < ptoks.size() && ptoks[opener].quotation < 0 && ptoks[opener].lower == pronoun) {
                        const Parser pp = parser(pb);
                        const SpeakerRef subject{SpeakerKind::pronoun, opener, opener, nullptr};
                        if (auto who = resolve(Occurrence{opener, opener, subject, std::nullopt}, pb, pp);
                            who && !who->speaker.empty()) {
                            a.speaker = who->speaker;
                            a.outlet = who->outlet;
                            break;
                        }
                    }
                }
            }
            // "Then listen to how AT&T’s John Stankey presented the service: “…,” he said.": the one person the
            // pronoun's own sentence names before a quotation, as the subject of a verb (a word in lower case
            // after the name, not an auxiliary), is whom it means.
            if (const Mention* own = sole_subject_in_sentence(b, sp.first, gender)) m = own;
            // A relative by whose relative they are opening the pronoun's paragraph as its subject, of the pronoun's
            // gender, no one named since ("Her brother, who runs the front of house, remembers … “…,” he said", "The
            // woman’s sister, who asked not to be named, said … “…,” she said"): that description.
            if (auto relative = relative_opening(bi, toks[sp.first].start, gender)) {
                a.speaker = *relative;
                break;
            }
            // Someone described and not named since ("WIRED spoke to one mother, who … “…,” she said"): the
            // description, when its words tell no other gender.
            // Only in the pronoun's own paragraph, before which no one is named in it.
            if (auto described = described_before({}, bi, toks[sp.first].start);
                described && described->first == bi && (m == nullptr || m->block < bi) &&
                (gender == Gender::unknown || gender_of(described->second.second) == Gender::unknown ||
                 gender_of(described->second.second) == gender)) {
                a.speaker = described->second.second;
                break;
            }
            // No one named before: the person named next, in this paragraph or the one after ("“The results,” he
            // said, “are better than we hoped.” Physicist Rahul Banerjee led the experiment.").
            if (m == nullptr) m = next_person(bi, toks[sp.first].start, gender);
            // No one in the text: the one person of that gender the headline names ("Demi Lovato opens up …" over
            // "Lovato has spoken out … “…,” she told BuzzFeed").
            if (m == nullptr && gender != Gender::unknown) {
                if (std::string named = title_person(gender); !named.empty()) {
                    a.speaker = std::move(named);
                    break;
                }
            }
            if (m == nullptr) return std::nullopt;
            a.speaker = m->name;
            a.outlet = m->outlet_name;
            // Last named by a given name alone ("se pregunta Iris" after "Iris Avellaneda"): the person named in
            // full whose given name it is, when only one is.
            if (!m->is_organisation && !m->is_outlet) {
                if (const auto words = untitled_words(m->name); words.size() == 1) {
                    if (const Mention* full = only_named_in_full(words.front(), m->block, m->pos))
                        a.speaker = full->name;
                }
            }
            break;
        }
        case SpeakerKind::name:
        case SpeakerKind::phrase:
            // In a language that writes its nouns in capitals, a capitalised phrase is no name by that alone ("Diese
            // Erkenntnis: „…“", "Das Unheil:", "Verkaufsstart" before a speech verb's object): see plausible_name.
            if (sp.kind == SpeakerKind::name && nouns_capitalised() && lex_.outlets.find(printed) == nullptr &&
                !plausible_name(doc_.blocks[b].text, toks, sp.first, sp.last, printed)) {
                return std::nullopt;
            }
            // Two people who speak together ("Vindman and Williams said"), as printed.
            if (sp.conjunction != 0) {
                a.speaker = printed;
                break;
            }
            // "his family said": the family of the person "his" means ("John Doe’s family"), as printed when no one
            // fits.
            if (sp.group && sp.last > sp.first && listed(rules_.possessive_pronouns, t_lower(toks, sp.first))) {
                a.speaker = printed;
                const SpeakerRef owner{SpeakerKind::pronoun, sp.first, sp.first, nullptr};
                if (auto who = resolve(Occurrence{sp.first, sp.first, owner, std::nullopt}, b, p);
                    who && !who->speaker.empty()) {
                    a.speaker = who->speaker + "’s " + p.printed(sp.first + 1, sp.last);
                }
                break;
            }
            // "Police said" after "Dunmore Police": a group of one word that a body named before ends with is that
            // body.
            if (sp.group && sp.first == sp.last) {
                const std::string word = " " + to_lower_ascii(printed);
                const Mention* body = nullptr;
                for (const auto& x : mentions_) {
                    if (!before(x, bi, toks[sp.first].start)) break;
                    if (x.is_organisation && !x.group && to_lower_ascii(x.name).ends_with(word)) body = &x;
                }
                if (body != nullptr) {
                    a.speaker = body->name;
                    break;
                }
            }
            if (const Outlet* o = lex_.outlets.find(printed)) {
                a.speaker = o->name;
                a.outlet = o->name;
            } else {
                a.speaker = printed;
                // "Ethiopia’s Tigist Alemu said", "the WHO’s Tedros Adhanom Ghebreyesus told": an owner before a
                // person's name of two words or more is not theirs (not a body's: "Russia’s Foreign Ministry").
                if (sp.kind == SpeakerKind::name && !sp.possessive) {
                    for (std::size_t k = sp.last; k > sp.first; --k) {
                        if (possessive_length(toks[k - 1].lower) == 0) continue;
                        bool body = false;
                        std::size_t words = 0;
                        for (std::size_t x = k; x <= sp.last; ++x) {
                            body = body || listed(rules_.organisation_words, toks[x].lower);
                            words += toks[x].kind == Token::Kind::word ? 1 : 0;
                        }
                        if (!body && words >= 2) {
                            a.speaker = p.printed(k, sp.last);
                            printed = a.speaker;
                        }
                        break;
                    }
                }
                // "Stuttgarts Sportdirektorin Kim Renkema sagte": in a language that writes its nouns in capitals, a
                // role a compound ends with (not a title the rules list, kept as "Mayor Jane Ruiz" is), before a name
                // of two words or more, is no part of the name, nor is a place's genitive before it.
                if (sp.kind == SpeakerKind::name && !sp.possessive && nouns_capitalised() && sp.last >= sp.first + 2) {
                    constexpr std::size_t kMinRole = 4;  // "chef"
                    for (std::size_t k = sp.last - 1; k > sp.first; --k) {
                        const std::string& w = toks[k - 1].lower;
                        if (toks[k - 1].kind != Token::Kind::word || listed(rules_.titles, w) ||
                            !lex_.ends_in_role(w, kMinRole)) {
                            continue;
                        }
                        // (A name after it, in capitals: not "Geschäftsführer der DGB-Region Ruhr-Mark".)
                        bool name = true;
                        for (std::size_t x = k; x <= sp.last && name; ++x)
                            name = toks[x].kind == Token::Kind::word && toks[x].capital && !is_number_token(toks[x]);
                        if (!name) break;
                        a.speaker = p.printed(k, sp.last);
                        printed = a.speaker;
                        break;
                    }
                }
                // "Sir Malcolm replied" after "Sir Malcolm Reddaway … told the inquiry": the person named in full
                // whose given name this is, when only one is.
                if (sp.kind == SpeakerKind::name) {
                    if (const auto words = untitled_words(printed); words.size() == 1) {
                        if (const Mention* full = only_named_in_full(words.front(), bi, toks[sp.first].start))
                            a.speaker = full->name;
                    }
                }
                // "Trendscout Landowski" after "Karolina Landowski": in a language that writes its nouns in capitals,
                // a role before a surname is printed as one word of the name; the person named in full with that
                // surname, when only one is, is who speaks.
                if (sp.kind == SpeakerKind::name && nouns_capitalised()) {
                    if (const auto words = untitled_words(printed);
                        words.size() == 2 && gender_of(words.front()) == Gender::unknown) {
                        if (const Mention* full = only_named_in_full_by_surname(words.back(), bi, toks[sp.first].start);
                            full != nullptr && to_lower_ascii(full->name) != to_lower_ascii(printed)) {
                            a.speaker = full->name;
                        }
                    }
                }
                // "a decision one council member called “…”" then "That council member, Teresa Okonjo, said": someone
                // described, then named in this paragraph or the next by the same words after "that", "this" or "the".
                if (sp.kind == SpeakerKind::phrase && sp.last > sp.first && !sp.group &&
                    listed(rules_.indefinite_determiners, t_lower(toks, sp.first))) {
                    const std::string description = to_lower_ascii(p.printed(sp.first + 1, sp.last));
                    if (const Mention* later = named_after_description(description, bi, toks[sp.last].end);
                        later != nullptr && later->block <= bi + 1) {
                        const std::string& c = later->context;
                        const std::size_t d = c.rfind(description, c.find(to_lower_ascii(later->printed)));
                        const std::string_view before_description = std::string_view(c).substr(0, d);
                        if (d != std::string::npos &&
                            (before_description.ends_with("that ") || before_description.ends_with("this ") ||
                             before_description.ends_with("the "))) {
                            a.speaker = later->name;
                            a.outlet = later->outlet_name;
                            break;
                        }
                    }
                }
                // "China’s ambassador to Britain accused …", the ambassador named only later ("China’s ambassador to
                // Britain Liu Xiaming has said"): that person, when the same words stand before the name.
                if (sp.kind == SpeakerKind::phrase && sp.last > sp.first && !sp.group && !sp.possessive &&
                    !listed(rules_.indefinite_determiners, t_lower(toks, sp.first))) {
                    if (const Mention* later =
                            named_after_description(to_lower_ascii(printed), bi, toks[sp.last].end)) {
                        a.speaker = later->name;
                        a.outlet = later->outlet_name;
                        break;
                    }
                }
                // "Brennwald said" after "Brennwald Logistics has agreed …": the organisation named in full.
                // A name holding an organisation's word is a body's: words before it too ("Foreign Ministry" after
                // "the Tessalian Foreign Ministry").
                if (sp.kind == SpeakerKind::name) {
                    a.speaker = full_body_name(a.speaker, bi, toks[sp.first].start,
                                               organisation_name(to_lower_ascii(a.speaker)));
                }
                // "URC said" after "the Utilities Regulatory Commission": the name it abbreviates, when the article
                // printed it.
                if (sp.kind == SpeakerKind::name && acronym(a.speaker)) {
                    a.speaker = spelled_out(a.speaker, bi, toks[sp.first].start);
                }
                // "Senaprede" after "la Secretaría Nacional de Prevención de Desastres (Senaprede)", "Defensoría"
                // after "la Defensoría Nacional de los Derechos Humanos": a body's short name, the full one the
                // article gave.
                if (sp.kind == SpeakerKind::name && a.speaker == printed && printed.find(' ') == std::string::npos) {
                    a.speaker = short_name_in_full(a.speaker, bi, toks[sp.first].start);
                }
                // "a ministry statement said", "a police spokesman said" after "the Migration Ministry …": the body
                // named with that word in this paragraph or the two before speaks.
                constexpr int kBodyBlocks = 2;
                if (sp.kind == SpeakerKind::phrase && sp.last > sp.first && !sp.group &&
                    listed(rules_.indefinite_determiners, t_lower(toks, sp.first))) {
                    for (std::size_t k = sp.first + 1; k < sp.last; ++k) {
                        if (toks[k].kind != Token::Kind::word || toks[k].capital ||
                            !listed(rules_.organisation_words, toks[k].lower)) {
                            continue;
                        }
                        if (const Mention* body = last_body(bi, toks[sp.first].start, toks[k].lower);
                            body != nullptr && !body->is_outlet && body->block + kBodyBlocks >= bi) {
                            a.speaker = body->name;
                        }
                        break;
                    }
                }
            }
            break;
    }
    // "Bericht der Landespolizeidirektion Wien", "Aussendung der Landespolizeidirektion Niederösterreich": in a
    // language that writes its nouns in capitals, a document of a body printed as one name; the body made it.
    if (nouns_capitalised() && sp.kind != SpeakerKind::outlet) {
        a.speaker = maker_of_document(a.speaker);
        // "Die VGM" (an article opening the sentence, printed with the name), "die Gewerkschaft" (a body by its
        // noun): the name alone, spelled out or in full as the article gave it before ("Verkehrsgesellschaft
        // Mittelrhein (VGM)", "die Gewerkschaft Nahverkehr und Dienste").
        const std::size_t space = a.speaker.find(' ');
        if (space != std::string::npos && a.speaker.find(' ', space + 1) == std::string::npos &&
            std::isupper(static_cast<unsigned char>(a.speaker[space + 1])) &&
            listed(rules_.noun_articles, utf8::to_lower(std::string_view(a.speaker).substr(0, space)))) {
            const std::string word = a.speaker.substr(space + 1);
            std::string full = acronym(word) ? spelled_out(word, bi, toks[sp.first].start) : word;
            if (full == word) full = short_name_in_full(word, bi, toks[sp.first].start);
            if (full != word || acronym(word)) a.speaker = full;
        }
    }
    // "Linken-Bürgerschaftsabgeordnete Martin Dolzer", "Betriebsratschef Erwin Steinbichler": in a language that
    // writes its nouns in capitals, the role printed before a given name and a surname is not the person's name.
    if (nouns_capitalised() && sp.kind != SpeakerKind::outlet) a.speaker = without_role(a.speaker);
    if (occ.object) {
        if (occ.object->outlet != nullptr) {
            a.outlet = occ.object->outlet->name;
        } else if (occ.object->kind == SpeakerKind::name) {
            a.outlet = p.printed(occ.object->first, occ.object->last);  // "a la red Erbol"
        } else if (const Mention* m = last_mention(true, bi, toks[occ.object->first].start)) {
            a.outlet = m->name;
        }
    }
    // The phrase holds what a role is of when it ends the attribution ("said the chief executive of Brightwell
    // Energy").
    a.phrase = p.printed(occ.first, sp.qualified_last > occ.last && occ.last == sp.last ? sp.qualified_last : occ.last);
    a.group = sp.group;
    a.claimed = sp.claimed;
    return a;
}

}  // namespace provcheck::attribute::detail
