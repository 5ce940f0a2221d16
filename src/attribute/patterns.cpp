#include "attribute/patterns.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "extract/quotes.hpp"

namespace provcheck::attribute::detail {

namespace {

// How far from a quotation, in tokens, its attribution is looked for: "Gershon Baskin, who negotiated the release
// of …, told NYT" fits, and the work per quotation stays bounded however long a sentence runs.
constexpr std::size_t kWindow = 48;
// The longest run of capitalised words read as one name ("Health Minister Mai al-Kaila").
constexpr std::size_t kMaxNameWords = 8;

// A word no description of someone holds, where one stops: a preposition, a relative, a conjunction, a verb of
// saying ("officials in Kyiv said", "a senior official who …").
bool ends_description(std::string_view lower) {
    static constexpr std::string_view stops[] = {"in",  "at",   "on",    "from", "of", "for",  "to",  "with", "by",
                                                 "who", "that", "which", "and",  "or", "said", "say", "says"};
    return std::find(std::begin(stops), std::end(stops), lower) != std::end(stops);
}

}  // namespace

std::vector<Occurrence> Parser::find(AttributionShape shape, std::size_t a, std::size_t b) const {
    std::vector<Occurrence> out;
    b = std::min(b, t_.size());
    // Right after a quotation and its comma, outside the marks or inside (tags read below: "‘no identificables’ se
    // sumaban a …" is no tag).
    auto comma_before = [&](std::size_t k) { return k > 0 && (is_punct(k - 1, ",") || quote_ends_with_comma(k - 1)); };
    // The quotation before token k opens its sentence, for a tag read below ("Su entrenador, conocido como “el Muro”,
    // elogió …" has its verb's subject before the nickname).
    auto opens_sentence = [&](std::size_t k) {
        std::size_t q = k;
        while (q > 0 && t_[q - 1].kind == Token::Kind::punct && t_[q - 1].lower == ",")
            --q;
        if (q == 0 || t_[q - 1].kind != Token::Kind::quote) return false;
        --q;
        if (q == 0) return true;
        const std::string& before = t_[q - 1].lower;
        return t_[q - 1].kind == Token::Kind::punct &&
               (before == "." || before == ":" || before == "!" || before == "?" || before == "\u2014" ||
                before == "\u2013" || before == "-");
    };
    for (std::size_t i = a; i < b; ++i) {
        if (shape == AttributionShape::according_to) {
            // "Pour Julien Favre, analyste à la banque, ces résultats sont « solides »": a sentence opening with
            // "pour" or "para" and a person, set off by a comma, gives that person's view.
            if (i == a && word(i) && contains(rules_.opinion_openers, t_[i].lower)) {
                // "Para el senador Rodrigo Inostroza, en cambio, …": a role before the name.
                auto role_only = [&](std::size_t from, std::size_t to) {
                    for (std::size_t k = from; k < to; ++k) {
                        if (!word(k)) return false;
                    }
                    return true;
                };
                // "Pour elle, « … »", "Para él, …": a personal pronoun, the person meant before.
                if (i + 2 < b && word(i + 1) && contains(rules_.pronouns, t_[i + 1].lower) && is_punct(i + 2, ",")) {
                    out.push_back({i, i + 1, SpeakerRef{SpeakerKind::pronoun, i + 1, i + 1, nullptr}, std::nullopt});
                    continue;
                }
                auto sp = forward(i + 1, b, true);
                if (sp && sp->first == i + 1 && sp->kind != SpeakerKind::name) {
                    const std::size_t end = std::max(sp->last, sp->qualified_last);
                    // "Pour le syndicat CGT, …": a body's word, then its name; "Pour la secrétaire générale de la
                    // CGT, Sophie Binet, …": a role, then the name set off.
                    const std::size_t at = is_punct(end + 1, ",") ? end + 2 : end + 1;
                    if (auto named = forward(at, b, false); named && named->first == at &&
                                                            named->kind == SpeakerKind::name &&
                                                            is_punct(named->last + 1, ",")) {
                        sp = named;
                    }
                }
                // (A body spoken of again: "Pour le syndicat, …".)
                const bool body = sp && body_reference(*sp);
                // (Or a role, what it is of, and the name set off by commas: "Para el abogado de las comunidades
                // diaguitas, Matías Carvajal Soto, …".)
                const bool set_off = sp && sp->kind == SpeakerKind::name && sp->first > i + 2 &&
                                     is_punct(sp->first - 1, ",") && role_only(i + 1, sp->first - 1);
                if (sp &&
                    (sp->first == i + 1 || set_off || (sp->kind == SpeakerKind::name && role_only(i + 1, sp->first))) &&
                    (sp->kind == SpeakerKind::name || body ||
                     (sp->kind == SpeakerKind::person_reference && seq_at(lex_.person_references, i + 1, b) > 0)) &&
                    is_punct(sp->last + 1, ",")) {
                    out.push_back({i, sp->last, *sp, std::nullopt});
                    continue;
                }
            }
            // "„…“, so Rees.", "… sei ein „Wachstums-Driver“ für die Zukunft, so Rees.": after a comma, one of
            // quote_tag_openers and who said it, right after the quotation or ending the sentence, as German writes
            // "according to" there.
            if (i >= 2 && word(i) && contains(rules_.quote_tag_openers, t_[i].lower) && is_punct(i - 1, ",")) {
                if (auto sp = forward(i + 1, b, false);
                    sp && sp->first == i + 1 && sp->kind != SpeakerKind::pronoun &&
                    (t_[i - 2].kind == Token::Kind::quote || sp->last + 1 >= b || is_punct(sp->last + 1, ".") ||
                     // Or set off inside the sentence, in German: "Die Lage sei, so Merkel, „sehr ernst“" ("so"
                     // there is English "so" too: "It failed, so Smith, angry, left").
                     // (A name: "so der Vorwurf," is a thing said, no one.)
                     (language() == "de" && sp->kind == SpeakerKind::name && is_punct(sp->last + 1, ",")))) {
                    out.push_back({i, sp->last, *sp, std::nullopt});
                    continue;
                }
            }
            // "A su juicio, “…”", "In her view, …": whose view a possessive tells, a pronoun's person.
            if (const std::size_t v = seq_at(lex_.opinion_phrases, i, b); v > 0) {
                out.push_back({i, i + v - 1, SpeakerRef{SpeakerKind::pronoun, i, i + v - 1, nullptr}, std::nullopt});
                continue;
            }
            if (const std::size_t m = seq_at(lex_.according_to, i, b); m > 0) {
                // "Según explicó, “…”": the verb's subject left out, the person meant before; "según informó la
                // Guardia Civil": the subject after the verb.
                if (const std::size_t v = speech_verb_length(i + m, b); v > 0 && !t_[i + m].capital) {
                    if (auto after = forward(i + m + v, b, false);
                        after && after->first == i + m + v && after->kind != SpeakerKind::pronoun) {
                        out.push_back({i, after->last, *after, std::nullopt});
                        continue;
                    }
                    out.push_back({i, i + m + v - 1, SpeakerRef{SpeakerKind::pronoun, i + m, i + m + v - 1, nullptr},
                                   std::nullopt});
                    continue;
                }
                // (After one that is an ordinary word in another language, rules' according_to_ambiguous, the
                // speaker opens with a capital or an article: Spanish "en segundo plano", "el segundo gol" are no
                // "segundo" of Portuguese.)
                const std::size_t at = i + m;
                const bool opens_speaker = m > 1 || !contains(rules_.according_to_ambiguous, t_[i].lower) ||
                                           (word(at) && (t_[at].capital || is_article(t_[at].lower)));
                if (auto sp = opens_speaker ? forward(at, b, true) : std::nullopt)
                    out.push_back({i, sp->last, *sp, std::nullopt});
            } else if (auto in_words = words_of(i, b)) {
                out.push_back(*in_words);
            }
            continue;
        }
        std::size_t m = seq_at(lex_.speech_verbs, i, b);
        // "documents related to …", "added to the list": a verb's form that the word after makes no saying.
        if (m > 0 && seq_at(lex_.not_speech, i, b) > m) m = 0;
        if (m == 0) m = separable_at(i, b);
        // ("…, so Schiffels abschließend: „…“": also after a comma, the speaker introducing the quotation with a
        // colon.)
        if (m == 0 && shape == AttributionShape::verb_speaker &&
            (i == a || (i > a && is_punct(i - 1, ",") && colon_introduces(i + 1, b))) && word(i) && !t_[i].capital &&
            contains(rules_.quote_tag_words, t_[i].lower)) {
            m = 1;
        }
        // "„…“, freut sich Ricking", "“…”, se alegró Ana Ruiz": right after the quotation, a verb with its reflexive
        // pronoun (reflexive_tag_pronouns, after the verb or before it) is a tag, whatever the verb.
        if (m == 0 && shape == AttributionShape::verb_speaker && i == a && i + 2 < b && word(i) && word(i + 1) &&
            !t_[i].capital && !t_[i + 1].capital && comma_before(i) &&
            ((contains(rules_.reflexive_tag_pronouns, t_[i + 1].lower) &&
              !contains(rules_.reflexive_tag_pronouns, t_[i].lower)) ||
             (contains(rules_.reflexive_tag_pronouns, t_[i].lower) &&
              !contains(rules_.reflexive_tag_pronouns, t_[i + 1].lower)))) {
            m = 2;
        }
        // "“…”, complementó.", "“…”, esgrimió el funcionario", "\"…\", sustentou.": in a language that drops the
        // subject, a verb the rules do not list, known by its ending (prodrop_tag_endings), right after a quotation
        // that opens its sentence, and its comma.
        if (m == 0 && shape == AttributionShape::verb_speaker && i == a && word(i) && !t_[i].capital &&
            comma_before(i) && opens_sentence(i) && !language_.empty() &&
            contains(rules_.prodrop_tag_languages, language_) &&
            ends_with_any(t_[i].lower, rules_.prodrop_tag_endings, 3) && !contains(rules_.not_names, t_[i].lower) &&
            !t_[i].lower.ends_with("mente")) {
            m = 1;
        }
        // "“…,” she shares with InStyle.": after the pronoun that follows the quotation.
        if (m == 0 && shape == AttributionShape::speaker_verb && i == a + 1 && word(i) && !t_[i].capital &&
            contains(rules_.pronoun_tag_words, t_[i].lower) && contains(rules_.pronouns, t_[a].lower) && a > 0 &&
            (t_[a - 1].kind == Token::Kind::quote || is_punct(a - 1, ","))) {
            m = 1;
        }
        if (m == 0) continue;
        // "Backhanded comments are …", "Snide remarks say more …": a verb's form in -s right before an auxiliary or
        // another verb of saying is a plural noun, the subject of that verb.
        if (m == 1 && t_[i].lower.size() > 3 && t_[i].lower.ends_with('s') && i + 1 < b && word(i + 1) &&
            !t_[i + 1].capital &&
            (contains(rules_.auxiliaries, t_[i + 1].lower) || seq_at(lex_.speech_verbs, i + 1, b) > 0)) {
            continue;
        }
        // "the United States": a verb with a capital inside a sentence is a name's word.
        if (t_[i].capital && i > a && word(i - 1)) continue;
        // "in an emailed statement", "the posted notice": after an article a participle describes a noun.
        if (i > a && word(i - 1) && (t_[i - 1].lower == "an" || t_[i - 1].lower == "a" || t_[i - 1].lower == "the") &&
            t_[i].lower.ends_with("ed")) {
            continue;
        }
        // German prints a participle as the present's third person ("stigmatisiert, bedauert und bewertet werden",
        // "hatte die Managerin … beklagt"): with an auxiliary of participle_auxiliaries after it, past a run of
        // such forms, or before it in its clause when it ends the clause, it is no one saying anything.
        if (const auto participle = german_participle(i, m, a, b)) {
            const std::size_t aux = *participle;
            // "„…“, hatte die Managerin bereits im Frühjahr beklagt": the perfect's auxiliary opening the clause,
            // its subject right after it, is who said it.
            if (aux != no_token && shape == AttributionShape::speaker_verb &&
                contains(rules_.participle_perfect_auxiliaries, t_[aux].lower) &&
                (aux == a || !word(aux - 1) || t_[aux - 1].kind == Token::Kind::quote)) {
                if (auto sp = forward(aux + 1, b, false); sp && sp->first == aux + 1 && sp->last < i) {
                    out.push_back({aux, i, *sp, std::nullopt});
                }
            }
            continue;
        }
        if (shape == AttributionShape::speaker_verb) {
            std::size_t j = i;
            while (j > a) {
                std::size_t l = seq_ending(lex_.fillers, j - 1, a);
                // An adverb in -ly between the speaker and the verb ("Thomas allegedly told", "she quietly said").
                if (l == 0 && word(j - 1) && !t_[j - 1].capital && t_[j - 1].lower.size() > 4 &&
                    t_[j - 1].lower.ends_with("ly") &&
                    !(j >= a + 2 && word(j - 2) &&
                      (is_article(t_[j - 2].lower) || contains(rules_.possessives, t_[j - 2].lower)))) {
                    l = 1;  // not a noun in -ly after an article ("the daily said", "the weekly reported")
                }
                if (l == 0) l = subject_adjunct_ending(j - 1, a);
                if (l == 0) break;
                j -= l;
            }
            if (j == a) {
                // "Dijo que «…»", "Aseguró que «…»": in a language that drops the subject, a speech verb opening its
                // sentence before a complementizer or a colon has the person meant before as its subject, as a
                // pronoun would.
                const bool sentence_start =
                    i == j && (i == 0 || is_punct(i - 1, ".") || is_punct(i - 1, "!") || is_punct(i - 1, "?"));
                if (!language_.empty() && contains(rules_.prodrop_tag_languages, language_) && sentence_start &&
                    i + m < b && (contains(rules_.pro_drop_complementizers, t_[i + m].lower) || is_punct(i + m, ":"))) {
                    out.push_back(
                        {i, i + m - 1, SpeakerRef{SpeakerKind::pronoun, i, i + m - 1, nullptr}, std::nullopt});
                }
                continue;
            }
            // "the Alberta MP said", "the Dublin Bay South TD said": a member's title in capitals after the place or
            // party they serve is a role, not a name's last word (as below).
            const bool member = j >= a + 3 && acronym_at(j - 1) && person_role(j - 1) && name_word(j - 2);
            auto sp = back(j - 1, a);
            // (Unless someone unnamed holds it: "a Tory MP said".)
            if (member && !(sp && sp->kind == SpeakerKind::phrase && word(sp->first) &&
                            contains(rules_.indefinite_determiners, t_[sp->first].lower))) {
                sp.reset();
            }
            // "he bypassed the question saying “…”": a participle in -ing after an object, with no comma, shares the
            // clause's subject, a pronoun before its verb.
            if (!member && t_[i].lower.ends_with("ing") && !is_punct(j - 1, ",") &&
                (!sp || (sp->kind != SpeakerKind::name && sp->kind != SpeakerKind::pronoun &&
                         sp->kind != SpeakerKind::outlet && sp->first > a && word(sp->first - 1) &&
                         !t_[sp->first - 1].capital))) {
                for (std::size_t k = a; k + 1 < j; ++k) {
                    if (t_[k].kind == Token::Kind::quote) break;
                    if (word(k) && contains(rules_.pronouns, t_[k].lower) && word(k + 1) && !t_[k + 1].capital &&
                        !contains(rules_.pronouns, t_[k + 1].lower)) {
                        sp = SpeakerRef{SpeakerKind::pronoun, k, k, nullptr};
                        break;
                    }
                }
            }
            if (!sp && !member) sp = participle_subject(i, j, a);
            if (!sp && !member) sp = unclosed_appositive(j, a);
            // "The World Bank, acknowledged that …": a stray comma between the name opening the sentence and its
            // verb, a clause ("that") after the verb.
            if (!sp && !member && j >= a + 2 && is_punct(j - 1, ",") && i + m < b && word(i + m) &&
                t_[i + m].lower == "that") {
                if (auto named = back(j - 2, a);
                    named && (named->kind == SpeakerKind::name || named->kind == SpeakerKind::outlet) &&
                    (named->first == a || (named->first == a + 1 && word(a) && is_article(t_[a].lower)))) {
                    sp = named;
                }
            }
            // "the Rivermouth Otters goaltender said": a role after the name of the team or body it serves, the
            // person the paragraphs are about.
            if (!sp && j >= a + 3 && word(j - 1) && (!t_[j - 1].capital || member) && person_role(j - 1) &&
                name_word(j - 2)) {
                std::size_t f = j - 2;
                while (f > a && name_word(f - 1) && j - 2 - f < 4)
                    --f;
                if (f > a && word(f - 1) && t_[f - 1].lower == "the") {
                    SpeakerRef r{SpeakerKind::person_reference, f - 1, j - 1, nullptr};
                    r.epithet = true;
                    sp = r;
                }
            }
            // "Le ministre de l’Agriculture a promis": a role of person_references (its article and noun) qualified by
            // what it is of; the role speaks, not the body. Someone described: the one in that role named before, else
            // the description as printed.
            // So is "the president of the club said", "the chief executive of Brightwell Energy said", "the senator
            // from Ohio said".
            if (sp && (sp->kind == SpeakerKind::name || sp->kind == SpeakerKind::reference) && sp->first >= a + 3) {
                std::size_t c = sp->first - 1;
                // (The body's article between: "de l’Agriculture", "of the Interior"; a reference holds its own.)
                if (sp->kind == SpeakerKind::name && word(c) && !t_[c].capital &&
                    (is_article(t_[c].lower) || contains(rules_.institution_articles, t_[c].lower))) {
                    --c;
                }
                const std::size_t r = c - 1;
                if (c >= a + 2 && word(c) && !t_[c].capital &&
                    (t_[c].lower == "of" || t_[c].lower == "from" ||
                     contains(rules_.organisation_tail_connectors, t_[c].lower)) &&
                    word(r) && !t_[r].capital) {
                    if (const std::size_t l = seq_ending(lex_.person_references, r, a); l >= 2) {
                        SpeakerRef role{SpeakerKind::person_reference, r + 1 - l, r, nullptr};
                        role.described = true;
                        role.qualified_last = sp->last;
                        sp = role;
                    }
                }
            }
            // The article between the preposition and the name: "Luis Arredondo of the … District told".
            std::size_t prep_at = sp && sp->first > a + 1 && word(sp->first - 1) && t_[sp->first - 1].lower == "the" &&
                                          word(sp->first - 2)
                                      ? sp->first - 2
                                      : (sp ? sp->first - 1 : 0);
            // "of the state Court of Appeals": a word in lower case between the article and the name.
            if (sp && sp->first > a + 2 && word(sp->first - 1) && !t_[sp->first - 1].capital &&
                occupation_word(sp->first - 1) && !contains(rules_.prepositions, t_[sp->first - 1].lower) &&
                word(sp->first - 2) && t_[sp->first - 2].lower == "the" && word(sp->first - 3)) {
                prep_at = sp->first - 3;
            }
            if (!sp || (sp->kind == SpeakerKind::name && sp->first > a && word(prep_at) && !t_[prep_at].capital &&
                        (contains(rules_.place_prepositions, t_[prep_at].lower) || t_[prep_at].lower == "of" ||
                         t_[prep_at].lower == "from"))) {
                if (auto person = past_places(sp ? sp->last : j - 1, a)) {
                    sp = person;
                } else if (sp && sp->first == prep_at + 1 && t_[prep_at].lower == "from" && prep_at > a &&
                           // Not a name a relative clause speaks for ("drew fire from Adele Fontaine, who said",
                           // "from Sen. Adele Fontaine (D-Mass.), who told").
                           !relative_after(sp->last + 1) && word(prep_at - 1) && !t_[prep_at - 1].capital &&
                           occupation_word(prep_at - 1) && !contains(rules_.group_speakers, t_[prep_at - 1].lower) &&
                           !role_word(prep_at - 1) && !agent_noun(prep_at - 1)) {
                    // "Police searching for a missing girl from Wiltshire have said": where someone described comes
                    // from is not who speaks; the sentence's subject is read by the other patterns.
                    continue;
                }
            }
            // "Роман Ушаков в разговоре с РБК оценил": the medium spoken to is not who speaks; the name before the
            // phrase is.
            if (sp && (sp->kind == SpeakerKind::outlet || sp->kind == SpeakerKind::name) && sp->first > a + 1) {
                if (const std::size_t l = seq_ending(lex_.conversation_phrases, sp->first - 1, a);
                    l > 0 && sp->first > a + l) {
                    if (auto before = back_plain(sp->first - l - 1, a); before && before->kind == SpeakerKind::name) {
                        sp = before;
                    }
                }
            }
            // "China’s ambassador to Britain Liu Xiaming has said": the place is not the name's.
            bool after_place = false;
            if (sp && sp->kind == SpeakerKind::name) {
                const std::size_t named = after_destination(sp->first, sp->last);
                after_place = named != sp->first;
                sp->first = named;
            }
            // "China’s ambassador to Britain accused", "the envoy to the United States said": the role before the
            // place speaks, not the place ("a spokesman for Wenlow Homes" is read as the body's, above; "ambassador to
            // Britain Liu Xiaming has said" names the ambassador after the place).
            if (sp && !after_place && sp->kind == SpeakerKind::name && sp->first > a + 1 && prep_at > a &&
                word(prep_at) && t_[prep_at].lower == "to" && (sp->first == sp->last || prep_at + 1 < sp->first) &&
                word(prep_at - 1) && !t_[prep_at - 1].capital && role_word(prep_at - 1)) {
                if (auto role = back(prep_at - 1, a);
                    role && (role->kind == SpeakerKind::person_reference || role->kind == SpeakerKind::phrase)) {
                    sp = role;
                }
            }
            // "Consultada por la prensa, sostuvo que “…”": a verb with its subject left out after an opening phrase,
            // before a complementizer, said by the person meant before, as a pronoun would be.
            if (!sp && j == i && i + m < b && word(i + m) &&
                contains(rules_.pro_drop_complementizers, t_[i + m].lower) && is_punct(j - 1, ",")) {
                out.push_back({i, i + m - 1, SpeakerRef{SpeakerKind::pronoun, i, i + m - 1, nullptr}, std::nullopt});
                continue;
            }
            if (!sp) continue;
            // "Als Gründe nannte er …": a pronoun right after the verb, in a language that puts the verb second,
            // is its subject; the noun before is the object.
            if (sp->kind == SpeakerKind::name && j == i && i + m < b && word(i + m) &&
                contains(rules_.inverted_pronouns, t_[i + m].lower)) {
                out.push_back({i, i + m, SpeakerRef{SpeakerKind::pronoun, i + m, i + m, nullptr}, std::nullopt});
                continue;
            }
            // "In ihrer Bewerbungsrede nannte Stetter-Karp …": a noun after a possessive or an article in front of
            // the verb is no subject; the name after the verb is (German puts the verb second, its subject after).
            if (sp->kind == SpeakerKind::name && j == i && sp->first > a && word(sp->first - 1) &&
                (contains(rules_.possessives, t_[sp->first - 1].lower) ||
                 contains(rules_.inverting_determiners, t_[sp->first - 1].lower))) {
                // (Or someone described: "Am Abend schrieb die Sportlerin auf Instagram".)
                if (auto after = forward(i + m, b, false);
                    after && (after->kind == SpeakerKind::name || after->kind == SpeakerKind::person_reference)) {
                    out.push_back({i, after->last, *after, std::nullopt});
                    continue;
                }
            }
            // "The team calls the particle a “ghost neutrino”", "the technique called “mental chronometry”": a
            // thing or a group described names something; its name is a term, not words someone said.
            // (Not one who was told: "the ambassador had been told the visit was “…”".)
            if (sp->described && m == 1 && contains(rules_.addressee_verbs, t_[i].lower) &&
                (!contains(rules_.telling_verbs, t_[i].lower) ||
                 (i > 0 && word(i - 1) && contains(rules_.passive_auxiliaries, t_[i - 1].lower)))) {
                continue;
            }
            // "Epstein’s alleged sex trafficking ring", "Trump's promised wall": after a possessive, a verb in -ed
            // before a word in lower case describes a noun, and no one speaks ("McDonald's said in a statement",
            // "McDonald's said it" still do).
            if (j == i && sp->kind == SpeakerKind::name && possessive_length(t_[sp->last].lower) > 0 && m == 1 &&
                t_[i].lower.ends_with("ed") && word(i + 1) && !t_[i + 1].capital && !is_number_token(t_[i + 1]) &&
                t_[i + 1].lower != "that" && !contains(rules_.title_minor_words, t_[i + 1].lower) &&
                !contains(rules_.pronouns, t_[i + 1].lower) && seq_at(lex_.fillers, i + 1, b) == 0) {
                continue;
            }
            // "Lindahl’s remarks were …", "Trent’s answers at a private meeting had been …": after a possessive, a
            // verb's form with an auxiliary or a word in lower case after it (not "that", a pronoun or an adverb
            // that may open what is said) is a noun; so is one whose owner a preposition governs ("asked about
            // Vollmer’s remarks").
            if (j == i && sp->kind == SpeakerKind::name && possessive_length(t_[sp->last].lower) > 0 && m == 1) {
                const bool noun_after =
                    word(i + 1) && (contains(rules_.auxiliaries, t_[i + 1].lower) ||
                                    (t_[i].lower.ends_with("s") && !t_[i + 1].capital && !is_number_token(t_[i + 1]) &&
                                     t_[i + 1].lower != "that" && !contains(rules_.pronouns, t_[i + 1].lower) &&
                                     seq_at(lex_.fillers, i + 1, b) == 0));
                const bool governed = sp->first > a && word(sp->first - 1) && !t_[sp->first - 1].capital &&
                                      contains(rules_.prepositions, t_[sp->first - 1].lower);
                if (noun_after || governed) continue;
            }
            // "Mary Smith and John Doe said in a joint statement": two people named before one verb speak together.
            // (Not where every noun is written in capitals: "Sportwissenschaftler und Biomechanik-Experte Dr. Josef
            // Kastner" is one person.)
            if (sp->kind == SpeakerKind::name && !sp->possessive && sp->first >= a + 2 && word(sp->first - 1) &&
                !contains(rules_.capitalised_noun_languages, language_) &&
                contains(rules_.body_conjunctions, t_[sp->first - 1].lower)) {
                if (auto other = back_plain(sp->first - 2, a); other && other->kind == SpeakerKind::name &&
                                                               other->last == sp->first - 2 && !other->possessive &&
                                                               possessive_length(t_[other->last].lower) == 0) {
                    sp->conjunction = sp->first - 1;
                    sp->first = other->first;
                }
            }
            if (auto quoted = quoted_as_saying(i, m, b)) {
                // The outlet (or "the report") quoted someone: that person speaks, through it.
                std::optional<SpeakerRef> through;
                if (sp->kind == SpeakerKind::outlet || sp->kind == SpeakerKind::reference) through = sp;
                out.push_back({sp->first, quoted->second, quoted->first, through});
                continue;
            }
            auto obj = object(i + m, b);
            out.push_back({sp->first, obj ? obj->last : i + m - 1, *sp, obj});
        } else if (shape == AttributionShape::verb_speaker) {
            // "Mourners were told by the Rev Gillian Aske that …": a passive verb, the speaker after "by".
            if (i + m + 1 < b && word(i + m) && t_[i + m].lower == "by") {
                std::size_t at = i + m + 1;
                if (at + 1 < b && t_[at].lower == "the" && name_word(at + 1)) ++at;
                if (auto sp = forward(at, b, false); sp && sp->kind == SpeakerKind::name) {
                    out.push_back({i, sp->last, *sp, std::nullopt});
                }
                continue;
            }
            // "said X" only where the verb opens its clause; "X told NYT" is the other shape. German puts one
            // opening adverb before it ("Zugleich mahnte sie: …", "Dann sagte Müller").
            // An aside opens with a word of its own: "un despegue, como dijo Boric, “turbulento”".
            // Or a phrase of a few words the rules list ("Darüber hinaus mahnte der HDE-Präsident … an").
            if (i > a && word(i - 1) && !verb_second_opening(a, i) &&
                !(!t_[i - 1].capital && contains(rules_.aside_openers, t_[i - 1].lower) &&
                  (i - 1 == a || !word(i - 2)))) {
                continue;
            }
            // "su presidente, Patricio Lagos, celebró la demanda: “…”": a name set off by commas right before the verb
            // is its subject; what follows the verb is its object.
            if (i > a + 2 && is_punct(i - 1, ",") && name_word(i - 2)) {
                std::size_t k = i - 2;
                while (k > a && name_word(k - 1))
                    --k;
                if (k > a && is_punct(k - 1, ",")) continue;
            }
            // "telling Cook, “…”": after "tell", the name is who heard the words.
            if (m == 1 && contains(rules_.addressee_verbs, t_[i].lower)) continue;
            // "…”, saying he trusted the courts": the pronoun opens what was said; the participle's subject is the
            // sentence's, found by the other patterns.
            if (t_[i + m - 1].lower.ends_with("ing") && i + m < b && contains(rules_.pronouns, t_[i + m].lower))
                continue;
            // "dijo primero el secretario general", "a ensuite ajouté le ministre": an adverb between.
            std::size_t at = i + m;
            // (Two of them: "sagte jetzt allerdings eine Bahn-Sprecherin".)
            for (int n = 0;
                 n < 2 && at + 1 < b && word(at) && !t_[at].capital && contains(rules_.post_verb_adverbs, t_[at].lower);
                 ++n)
                ++at;
            // "erklärt auf Nachfrage Martin Rölen": a phrase of circumstance the rules list, the longest first.
            if (const std::size_t l = seq_at(lex_.verb_adjuncts, at, b); l > 0 && at + l < b && word(at + l)) at += l;
            // "lamenta, por su parte, Iris Avellaneda": an aside between commas.
            if (is_punct(at, ",")) {
                if (const std::size_t l = seq_at(lex_.verb_asides, at + 1, b); l > 0 && is_punct(at + 1 + l, ","))
                    at += l + 2;
            }
            // "aseguró el lunes la ministra", "a déclaré ce mardi le ministre": a day or a time of day between.
            // Only before who speaks: a name, or an article of a subject ("bestätigte am Dienstag einen Bericht" has
            // an object there).
            if (at + 2 < b && word(at) && !t_[at].capital && contains(rules_.time_determiners, t_[at].lower) &&
                word(at + 1) && contains(rules_.time_words, t_[at + 1].lower) && word(at + 2) &&
                (name_word(at + 2) || contains(rules_.role_articles, t_[at + 2].lower) ||
                 contains(rules_.noun_articles, t_[at + 2].lower) ||
                 contains(rules_.indefinite_determiners, t_[at + 2].lower))) {
                at += 2;
            }
            // "dijo a la prensa Ana Pérez", "indicó a este diario la ministra": to whom, then who.
            // Spanish "a" is that preposition before a determiner or a name ("a la prensa", "a Infobae"), English
            // "a" an article.
            // (Not English "a" before a description that names a place or a body: "said a Florida Democrat", "said
            // a Google spokesperson".)
            auto described_after_a = [&] {
                std::size_t k = at + 1;
                // (A small word inside the name: "said a Department for Education spokesperson".)
                while (k < b && k < at + 1 + kMaxNameWords &&
                       (name_word(k) || (k > at + 1 && k + 1 < b && small_word_in_name(k) &&
                                         contains(rules_.prepositions, t_[k].lower))))
                    ++k;
                const std::size_t last = k - 1;
                return contains(rules_.party_members, t_[last].lower) || person_role(last) ||
                       (k < b && word(k) && !t_[k].capital && (agent_noun(k) || person_role(k)));
            };
            const bool to_whom =
                at + 1 < b && word(at) && !t_[at].capital && contains(rules_.addressee_prepositions, t_[at].lower) &&
                (t_[at].lower != "a" || (word(at + 1) && (contains(rules_.addressee_determiners, t_[at + 1].lower) ||
                                                          (name_word(at + 1) && !described_after_a()))));
            bool addressee_only = false;
            // The medium spoken to, when the words name one: an outlet the rules know ("a la agencia EFE") or a
            // name after a medium's noun ("a la red Erbol"); the claim's outlet.
            std::optional<SpeakerRef> heard;
            if (to_whom) {
                constexpr std::size_t kMaxMedium = 5;
                for (std::size_t x = at + 1; x < b && x <= at + kMaxMedium && word(x) && !heard; ++x) {
                    for (std::size_t n = std::min<std::size_t>(4, b - x); n >= 1 && !heard; --n) {
                        if (const Outlet* o = outlet_span(x, x + n - 1))
                            heard = SpeakerRef{SpeakerKind::outlet, x, x + n - 1, o};
                    }
                    // Not after the article's own medium ("dijo a este medio Javiera Soto": she speaks).
                    if (!heard && name_word(x) && x > at + 1 && !t_[x - 1].capital &&
                        contains(rules_.media_nouns, t_[x - 1].lower) &&
                        !(x > at + 2 && contains(rules_.own_medium_determiners, t_[x - 2].lower))) {
                        std::size_t e = x;
                        while (e + 1 < b && e + 1 < x + kMaxNameWords && name_word(e + 1))
                            ++e;
                        heard = SpeakerRef{SpeakerKind::name, x, e, nullptr};
                    }
                }
            }
            if (to_whom) {
                constexpr std::size_t kMaxAddressee = 4;
                auto subject_at = [&](std::size_t k) {
                    return k < b && word(k) &&
                           (name_word(k) || seq_at(lex_.person_references, k, b) > 0 ||
                            (k + 1 < b && contains(rules_.role_articles, t_[k].lower)));
                };
                std::size_t k = at + 1;
                std::size_t lower_words = 0;
                bool found = false;
                while (k < b && lower_words < kMaxAddressee && word(k) && !t_[k].capital) {
                    if (lower_words > 0 && subject_at(k)) {
                        found = true;
                        break;
                    }
                    ++k;
                    ++lower_words;
                }
                // The addressee's own name: right after "a", after a medium's noun ("a la agencia EFE", "al diario
                // El País") or after a role ("declaró ante el juez Alfonso Meléndez"); who speaks comes after it.
                // So after "a" and a determiner alone ("pidió a la Federación el envío").
                if (!found && name_word(k) &&
                    (lower_words == 0 || (lower_words >= 2 && role_word(k - 1)) ||
                     (lower_words == 1 && contains(rules_.addressee_determiners, t_[k - 1].lower)) ||
                     (contains(rules_.media_nouns, t_[k - 1].lower) &&
                      !(k >= at + 2 && contains(rules_.own_medium_determiners, t_[k - 2].lower))))) {
                    const std::size_t name_start = k;
                    // A medium's acronym, then who speaks ("dijo a RPP Camila Rojas").
                    if (acronym_at(name_start) && name_word(name_start + 1) && !acronym_at(name_start + 1)) {
                        k = name_start + 1;
                    } else {
                        while (k < b && k < name_start + kMaxNameWords &&
                               (name_word(k) || (connector(k) && k + 1 < b && name_word(k + 1))))
                            ++k;
                    }
                }
                found = found || subject_at(k);
                if (found) {
                    at = k;
                } else {
                    addressee_only = true;
                }
            }
            // "afirmó en La Moneda", "dijo en conferencia de prensa": where it was said, not who said it.
            // "a lancé en riant Réjean Fortin": a gerund between the verb and who speaks.
            if (!to_whom && at + 2 < b && word(at) && t_[at].lower == "en" && word(at + 1) && !t_[at + 1].capital &&
                (t_[at + 1].lower.ends_with("ant") || t_[at + 1].lower.ends_with("ando") ||
                 t_[at + 1].lower.ends_with("iendo"))) {
                at += 2;
            }
            // Not a body named by where it is ("— уточнили в ведомстве", "— сообщили в Госавтоинспекции").
            const bool where = !to_whom && at < b && word(at) && !t_[at].capital &&
                               !contains(rules_.body_locatives, t_[at].lower) &&
                               (contains(rules_.place_prepositions, t_[at].lower) ||
                                contains(rules_.pro_drop_followers, t_[at].lower)) &&
                               seq_at(lex_.reference_words, at, b) == 0;
            auto sp = addressee_only || where ? std::nullopt : forward(at, b, false);
            // "„…“, heißt es in einer Mitteilung der Stadt Köln": no one by "es", the document's maker after it.
            if (sp && sp->kind == SpeakerKind::reference && sp->first == sp->last &&
                contains(rules_.impersonal_pronouns, t_[sp->first].lower)) {
                if (auto maker = document_maker(sp->last + 1, b)) sp = maker;
            }
            // A verb alone after the quotation, its subject left out ("“…”, explicó."): the person meant before,
            // as a pronoun would be.
            // So is one with a preposition after it ("“…”, dijo al ser consultado", "“…”, afirmó en rueda de prensa").
            if (!sp && i == a && i + m < t_.size() &&
                // Or a comma before the quotation's second part ("“Confío”, dijo, “en que …”").
                (is_punct(i + m, ".") || addressee_only ||
                 (is_punct(i + m, ",") && i + m + 1 < t_.size() && t_[i + m + 1].kind == Token::Kind::quote) ||
                 (word(i + m) && !t_[i + m].capital && contains(rules_.pro_drop_followers, t_[i + m].lower)) ||
                 // "“No es por pesimismo”, aclara y remarca cuál es la consigna": a second verb of the same subject.
                 (word(i + m) && !t_[i + m].capital && contains(rules_.coordinators, t_[i + m].lower) &&
                  word(i + m + 1) && !t_[i + m + 1].capital))) {
                sp = SpeakerRef{SpeakerKind::pronoun, i, i + m - 1, nullptr};
            }
            // "sagte Berg der Deutschen Presse-Agentur": a person's name after the verb, without an article, ends
            // before a dative article; what follows is to whom (a body after the verb takes an article: "sagte der
            // Verband der Automobilindustrie").
            if (sp && sp->kind == SpeakerKind::name && sp->first == at && !addressee_only) {
                for (std::size_t c = at + 1; c < sp->last; ++c) {
                    if (contains(rules_.organisation_words, t_[c - 1].lower)) break;
                    if (word(c) && !t_[c].capital && contains(rules_.dative_articles, t_[c].lower) &&
                        !(word(c - 1) && !t_[c - 1].capital && connector(c - 1))) {
                        sp->last = c - 1;
                        break;
                    }
                }
            }
            // "said residents had been ‘let down’", "said Scottish households were being “…”": a speaker before or
            // holding an auxiliary is the subject of what was said, not who said it.
            // (A pronoun there is most often the speaker's own: "named Gareth Pryce, said he had been “…”".)
            if (sp && (sp->group || sp->kind != SpeakerKind::pronoun)) {
                bool auxiliary = false;
                for (std::size_t k = sp->first; k <= sp->last + 1 && k < b && !auxiliary; ++k)
                    auxiliary = word(k) && !t_[k].capital && contains(rules_.auxiliaries, t_[k].lower);
                if (auxiliary) continue;
            }
            // "The report … says the risk rose “…”": a person described and not listed, right before a quotation,
            // is what the verb says, not its inverted subject ("“…,” said the insider" follows its quotation).
            if (sp && sp->kind == SpeakerKind::person_reference && sp->described && sp->last + 1 < t_.size() &&
                t_[sp->last + 1].kind == Token::Kind::quote) {
                continue;
            }
            // So is any speaker there after a verb whose quotation does not come before it ("The lawsuit, filed on
            // Tuesday, says the company “knowingly misled investors.”"): what the verb says begins with it.
            if (sp && sp->last + 1 < t_.size() && t_[sp->last + 1].kind == Token::Kind::quote &&
                !(i > 0 && (t_[i - 1].kind == Token::Kind::quote ||
                            (i > 1 && is_punct(i - 1, ",") && t_[i - 2].kind == Token::Kind::quote)))) {
                continue;
            }
            // "asked about Vollmer’s remarks": a name with a possessive after the verb is an owner, not a speaker.
            if (sp && sp->kind == SpeakerKind::name && possessive_length(t_[sp->last].lower) > 0) continue;
            // "teilte ein Sprecher mit": the separable verb's particle ends who speaks.
            if (sp && sp->last > sp->first) {
                for (const auto& v : rules_.separable_verbs) {
                    if (v.size() < 2 || v.front() != t_[i].lower) continue;
                    for (std::size_t c = sp->first + 1; c <= sp->last; ++c) {
                        if (word(c) && !t_[c].capital && t_[c].lower == v[1]) {
                            sp->last = c - 1;
                            break;
                        }
                    }
                }
            }
            // "— заявил ТАСС представитель застройщика", "said CNN anchor Jake Tapper": a medium right after the verb,
            // and who speaks after it; the medium is to whom, or through whom.
            if (sp && sp->kind == SpeakerKind::outlet && sp->last + 1 < b && word(sp->last + 1)) {
                if (auto who = forward(sp->last + 1, b, false);
                    who && who->kind != SpeakerKind::outlet && who->kind != SpeakerKind::pronoun) {
                    out.push_back({i, who->last, *who, *sp});
                    continue;
                }
            }
            if (sp) out.push_back({i, sp->last, *sp, heard});
        }
    }
    return out;
}

bool Parser::verb_second_opening(std::size_t first, std::size_t verb) const {
    constexpr std::size_t kMaxPhrase = 4;
    if (verb <= first || verb - first > kMaxPhrase || !word(first) || !t_[first].capital) return false;
    std::string phrase;
    for (std::size_t k = first; k < verb; ++k) {
        if (!word(k)) return false;
        if (!phrase.empty()) phrase += ' ';
        phrase += t_[k].lower;
    }
    return contains(rules_.verb_second_phrases, phrase) ||
           (verb == first + 1 && contains(rules_.verb_second_openers, phrase));
}

std::optional<std::size_t> Parser::german_participle(std::size_t i, std::size_t m, std::size_t a, std::size_t b) const {
    if (m != 1 || rules_.participle_auxiliaries.empty() || !contains(rules_.capitalised_noun_languages, language_) ||
        !word(i) || t_[i].capital || !t_[i].lower.ends_with('t')) {
        return std::nullopt;
    }
    constexpr std::size_t kMaxRun = 6;
    auto auxiliary = [&](std::size_t k) { return word(k) && contains(rules_.participle_auxiliaries, t_[k].lower); };
    // After it: more participles, commas and "und" or "oder", then the auxiliary.
    for (std::size_t k = i + 1; k < b && k <= i + kMaxRun; ++k) {
        if (auxiliary(k)) return no_token;
        const bool joins = is_punct(k, ",") || (word(k) && !t_[k].capital &&
                                                (t_[k].lower == "und" || t_[k].lower == "oder" ||
                                                 t_[k].lower.ends_with('t') || t_[k].lower.ends_with("en")));
        if (!joins) break;
    }
    // Before it, when it ends its clause: the auxiliary opens the clause after its first phrase.
    const bool ends_clause = i + 1 >= b || is_punct(i + 1, ".") || is_punct(i + 1, ",") || is_punct(i + 1, ";") ||
                             t_[i + 1].kind == Token::Kind::quote;
    if (!ends_clause) return std::nullopt;
    for (std::size_t k = i; k-- > a;) {
        if (!word(k) && !(t_[k].kind == Token::Kind::punct && t_[k].lower != "," && t_[k].lower != "." &&
                          t_[k].lower != ";" && t_[k].lower != ":")) {
            if (t_[k].kind == Token::Kind::quote) continue;
            break;
        }
        if (auxiliary(k)) return k;
    }
    return std::nullopt;
}

std::optional<SpeakerRef> Parser::past_places(std::size_t j, std::size_t a) const {
    constexpr std::size_t kMaxHops = 3;
    std::size_t k = j;
    std::size_t hops = 0;
    while (hops < kMaxHops && k > a && name_word(k)) {
        std::size_t first = k;
        while (first > a && (name_word(first - 1) || connector(first - 1)))
            --first;
        if (first <= a + 1 || !word(first - 1) || t_[first - 1].capital) break;
        // "of the Carver County Fire Protection District": the article between, and a word in lower case after it
        // ("of the state Court of Appeals").
        std::size_t at = first - 1;
        if (t_[at].lower != "the" && at > a + 2 && word(at - 1) && t_[at - 1].lower == "the" && !t_[at].capital &&
            !contains(rules_.prepositions, t_[at].lower) && occupation_word(at)) {
            --at;
        }
        if (t_[at].lower == "the" && at > a + 1 && word(at - 1) && !t_[at - 1].capital) --at;
        const std::string& prep = t_[at].lower;
        if (prep != "of" && prep != "from" && !place_word(prep)) break;
        if (at == 0) break;
        k = at - 1;
        ++hops;
    }
    if (hops == 0) return std::nullopt;
    auto r = back_plain(k, a);
    if (!r || r->kind != SpeakerKind::name || r->last == r->first) return std::nullopt;
    return r;
}

bool Parser::place_word(std::string_view w) const {
    return contains(rules_.place_prepositions, w) ||
           (contains(rules_.affiliation_particles, w) && !contains(rules_.leading_name_particles, w));
}

bool Parser::medium(std::size_t k) const {
    return contains(rules_.media_nouns, t_[k].lower) ||
           lex_.outlets.find(text_.substr(t_[k].start, t_[k].end - t_[k].start)) != nullptr;
}

bool Parser::relative_after(std::size_t k) const {
    constexpr std::size_t kMaxBracket = 6;
    if (is_punct(k, "(")) {
        const std::size_t open = k;
        while (k < t_.size() && k < open + kMaxBracket && !is_punct(k, ")"))
            ++k;
        if (!is_punct(k, ")")) return false;
        ++k;
    }
    return is_punct(k, ",") && word(k + 1) && contains(rules_.relative_pronouns, t_[k + 1].lower);
}

std::optional<SpeakerRef> Parser::unclosed_appositive(std::size_t j, std::size_t a) const {
    // Commas inside the appositive ("at the Council on Energy, Environment and Water think tank") are passed over
    // back to the one an appositive's opener follows.
    for (std::size_t k = j; k > a && j - k < kWindow; --k) {
        const Token& t = t_[k - 1];
        // (A quotation ending with its comma may close the appositive: "Daniel, a senior who didn’t want to give his
        // last name “given the current climate,” said".)
        if (t.kind == Token::Kind::quote && k == j && t.comma_inside) continue;
        if (t.kind == Token::Kind::quote) return std::nullopt;
        if (t.kind != Token::Kind::punct) continue;
        if (t.lower != ",") return std::nullopt;
        // A relative clause may be its verb alone ("Cliff Roberts, who said"); an appositive holds more.
        const bool relative = word(k) && contains(rules_.relative_pronouns, t_[k].lower);
        if (!relative && (k + 1 >= j || !word(k) || !contains(rules_.appositive_openers, t_[k].lower))) continue;
        if (k < a + 2) return std::nullopt;
        std::size_t end = k - 2;
        // A party's tag or an age in brackets before the comma ("Sen. Adele Fontaine (D-Mass.), who told").
        if (is_punct(end, ")")) {
            constexpr std::size_t kMaxBracket = 6;
            std::size_t open = end;
            while (open > a && end - open < kMaxBracket && !is_punct(open, "("))
                --open;
            if (!is_punct(open, "(") || open < a + 1) return std::nullopt;
            end = open - 1;
        }
        // "Judge Rebecca Stahl of the state Court of Appeals, who …, said": the person before the body she is of.
        if (relative) {
            if (auto person = past_places(end, a)) return person;
        }
        // "Owen Pratt, a senior at Pinecrest High, who said": the relative follows an appositive, and speaks for
        // the name before it.
        if (relative) {
            for (std::size_t c = k - 1; c > a + 1; --c) {
                const Token& u = t_[c - 1];
                if (u.kind == Token::Kind::quote || (u.kind == Token::Kind::punct && u.lower != ",")) break;
                if (u.kind != Token::Kind::punct) continue;
                if (word(c) && contains(rules_.appositive_openers, t_[c].lower) &&
                    !contains(rules_.relative_pronouns, t_[c].lower) && c >= a + 2) {
                    end = c - 2;
                }
                break;
            }
        }
        auto r = back_plain(end, a);
        if (r && r->kind == SpeakerKind::name) return r;
        // A group or a government a relative clause is about: "the Obama administration, which has spoken about".
        if (r && r->group && relative) return r;
        return std::nullopt;
    }
    return std::nullopt;
}

std::optional<Occurrence> Parser::words_of(std::size_t i, std::size_t b) const {
    if (!word(i) || t_[i].lower != "in" || i + 2 >= b) return std::nullopt;
    std::optional<SpeakerRef> sp;
    if (contains(rules_.possessive_pronouns, t_[i + 1].lower)) {
        sp = SpeakerRef{SpeakerKind::pronoun, i + 1, i + 1, nullptr};
    } else {
        sp = forward(i + 1, b, false);
        if (!sp || (sp->kind != SpeakerKind::name && sp->kind != SpeakerKind::outlet) ||
            possessive_length(t_[sp->last].lower) == 0) {
            return std::nullopt;
        }
        sp->possessive = true;
    }
    const std::size_t m = seq_at(lex_.words_of, sp->last + 1, b);
    if (m == 0) return std::nullopt;
    return Occurrence{i, sp->last + m, *sp, std::nullopt};
}

std::size_t Parser::seq_at(const WordSeqs& seqs, std::size_t i, std::size_t b) const {
    if (!word(i)) return 0;
    const auto it = seqs.by_first.find(t_[i].lower);
    if (it == seqs.by_first.end()) return 0;
    // The longest that fits ("the chief executive" over "the chief").
    std::size_t best = 0;
    for (const std::uint32_t x : it->second) {
        const auto& s = (*seqs.seqs)[x];
        if (i + s.size() > b || s.size() <= best) continue;
        bool ok = true;
        for (std::size_t k = 1; k < s.size() && ok; ++k)
            ok = word(i + k) && t_[i + k].lower == s[k];
        if (ok) best = s.size();
    }
    return best;
}

std::size_t Parser::separable_at(std::size_t i, std::size_t b) const {
    if (!word(i) || t_[i].capital) return 0;
    constexpr std::size_t kMaxBetween = 6;  // the subject and a time: "teilte das Ministerium am Montag mit"
    for (const auto& v : rules_.separable_verbs) {
        if (v.size() < 2 || v.front() != t_[i].lower) continue;
        for (std::size_t k = i + 1; k < b && k <= i + kMaxBetween + 1 && word(k); ++k) {
            if (t_[k].lower != v[1]) continue;
            std::size_t e = k + 1;
            for (std::size_t w = 2; w < v.size() && e < b && word(e) && t_[e].lower == v[w]; ++w)
                ++e;
            if (e == k + v.size() - 1 && (e >= t_.size() || !word(e))) return 1;
        }
    }
    return 0;
}

bool Parser::person_role(std::size_t k) const {
    // A role of person_references: "the <word>" is listed.
    return lex_.person_references.pair("the", t_[k].lower);
}

std::size_t Parser::timed_role_start(std::size_t j, std::size_t a) const {
    constexpr std::size_t kMaxModifiers = 2;
    if (!word(j)) return no_token;
    for (std::size_t m = 1; m <= kMaxModifiers && j >= a + m + 1; ++m) {
        const std::size_t k = j - m;
        if (!word(k) || !contains(rules_.role_time_modifiers, t_[k].lower)) break;
        const std::size_t article = k - 1;
        if (!word(article)) break;
        if (lex_.person_references.pair(t_[article].lower, t_[j].lower)) return article;
    }
    return no_token;
}

std::size_t Parser::seq_ending(const WordSeqs& seqs, std::size_t j, std::size_t a) const {
    if (!word(j)) return 0;
    const auto it = seqs.by_last.find(t_[j].lower);
    if (it == seqs.by_last.end()) return 0;
    std::size_t best = 0;
    for (const std::uint32_t x : it->second) {
        const auto& s = (*seqs.seqs)[x];
        if (j + 1 < a + s.size() || s.size() <= best) continue;
        const std::size_t first = j + 1 - s.size();
        bool ok = true;
        for (std::size_t k = 0; k + 1 < s.size() && ok; ++k)
            ok = word(first + k) && t_[first + k].lower == s[k];
        if (ok) best = s.size();
    }
    return best;
}

bool Parser::ends_in_body_word(std::string_view lower) const {
    constexpr std::size_t kMinBefore = 3;  // "Landratsamt", "Bundesinstitut", "Robert-Koch-Institut"
    for (const auto& e : rules_.compound_organisation_endings) {
        if (lower.size() >= e.size() + kMinBefore && lower.ends_with(e)) return true;
    }
    return false;
}

bool Parser::opens_aside(std::size_t k, std::size_t a) const {
    // (After a coordinator too: "…, and as one friend of mine remarked".)
    return word(k) && contains(rules_.aside_openers, t_[k].lower) &&
           (k == a || !word(k - 1) || (!t_[k - 1].capital && contains(rules_.coordinators, t_[k - 1].lower)));
}

bool Parser::colon_introduces(std::size_t from, std::size_t b) const {
    constexpr std::size_t kMaxWords = 6;
    for (std::size_t k = from; k < b && k <= from + kMaxWords; ++k) {
        if (is_punct(k, ":")) return k > from && k + 1 < t_.size() && t_[k + 1].kind == Token::Kind::quote;
        if (!word(k)) return false;
    }
    return false;
}

std::size_t Parser::subject_adjunct_ending(std::size_t j, std::size_t a) const {
    constexpr std::size_t kMaxWords = 4;
    if (rules_.subject_adjuncts.empty()) return 0;
    auto figure = [&](std::size_t k) {
        return !t_[k].lower.empty() && std::isdigit(static_cast<unsigned char>(t_[k].lower.front())) != 0;
    };
    for (std::size_t n = 1; n <= kMaxWords && j >= a + n + 1; ++n) {
        const std::size_t k = j + 1 - n;  // the phrase's last n words are [k, j]
        if (!word(k) || !(!t_[k].capital || figure(k) || contains(rules_.calendar_words, t_[k].lower))) return 0;
        if (contains(rules_.pronouns, t_[k].lower)) return 0;  // "Back in 2009 she told": she is the subject
        const std::size_t opener = k - 1;
        if (!word(opener) || t_[opener].capital || !contains(rules_.subject_adjuncts, t_[opener].lower)) continue;
        // After a name in capitals or a pronoun, the subject.
        const std::size_t before = opener - 1;
        if (before < a || !word(before)) return 0;
        if (!(t_[before].capital && !figure(before)) && !contains(rules_.pronouns, t_[before].lower)) return 0;
        if (possessive_length(t_[before].lower) > 0) return 0;  // an owner: "Cooke’s earlier testimony"
        return n + 1;
    }
    return 0;
}

const Outlet* Parser::outlet_span(std::size_t first, std::size_t last) const {
    for (std::size_t k = first; k <= last; ++k) {
        if (!word(k)) return nullptr;
    }
    const std::string_view span = text_.substr(t_[first].start, t_[last].end - t_[first].start);
    // (Not by the capital of an article opening the sentence: "The post says" names no Post.)
    const std::size_t named_from = last > first && is_article(t_[first].lower) ? first + 1 : first;
    const std::string_view name = text_.substr(t_[named_from].start, t_[last].end - t_[named_from].start);
    return written_as_name(name) ? lex_.outlets.find(span) : nullptr;
}

bool Parser::party_tag(std::size_t i) const {
    if (!word(i) || !t_[i].capital) return false;
    const std::string& w = t_[i].lower;
    return w.size() > 2 && (w[0] == 'r' || w[0] == 'd' || w[0] == 'i') && w[1] == '-';
}

bool Parser::connector(std::size_t i) const {
    if (!word(i)) return false;
    if (contains(rules_.name_connectors, t_[i].lower)) return true;
    // "Secretary of State Mike Pompeo", "Chief of Staff Mick Mulvaney": "of" after a title in capitals.
    return t_[i].lower == "of" && i > 0 && name_word(i - 1) && contains(rules_.titles, t_[i - 1].lower) &&
           name_word(i + 1);
}

bool Parser::body_reference(const SpeakerRef& r) const {
    return r.kind == SpeakerKind::reference && r.last > r.first &&
           (contains(rules_.organisation_words, t_[r.last].lower) ||
            lex_.subject_references.by_last.contains(t_[r.last].lower));
}

bool Parser::body_conjunction(std::size_t k, std::size_t first) const {
    if (k <= first || k + 1 >= t_.size() || !name_word(k - 1) || !name_word(k + 1)) return false;
    if (t_[k].kind == Token::Kind::punct && t_[k].lower == "&") return true;
    if (!word(k) || t_[k].capital || !contains(rules_.body_conjunctions, t_[k].lower)) return false;
    // Back over the name before it: a connector of a body's tail, then a body's word before that.
    bool tail = false;
    for (std::size_t j = k; j > first;) {
        --j;
        if (!word(j)) return false;
        if (t_[j].capital) {
            if (tail && (contains(rules_.organisation_words, t_[j].lower) ||
                         contains(rules_.tailed_organisation_words, t_[j].lower)))
                return true;
        } else if (contains(rules_.organisation_tail_connectors, t_[j].lower)) {
            tail = true;
        } else if (!contains(rules_.institution_articles, t_[j].lower)) {
            return false;
        }
    }
    return false;
}

bool Parser::nationality(std::size_t i) const {
    if (!name_word(i)) return false;
    const std::string& w = t_[i].lower;
    if (contains(rules_.nationalities, w)) return true;
    return w.size() >= 5 && (w.ends_with("ian") || w.ends_with("ese") || w.ends_with("ish"));
}

std::size_t Parser::described_group_end(std::size_t i, std::size_t b) const {
    std::size_t k = i;
    while (k < b && k < i + 3 && word(k) && !t_[k].capital && !t_[k].lower.ends_with("ly") &&
           !ends_description(t_[k].lower))
        ++k;
    return k == i ? no_token : k - 1;
}

std::optional<SpeakerRef> Parser::role_then_name(std::size_t i, std::size_t b) const {
    // "la secretaria general del Sindicato Médico Independiente, Beatriz Olmedo": a role qualified by a body's name.
    constexpr std::size_t kMaxRoleWords = 6;
    constexpr std::size_t kMaxQualifiedRoleWords = 10;
    if (!word(i) || t_[i].capital) return std::nullopt;
    std::size_t k = i;
    bool qualified_by_name = false;  // past a preposition, only a name's words and its small words
    while (k < b && word(k) && !contains(rules_.pronouns, t_[k].lower)) {
        if (k >= i + kMaxQualifiedRoleWords || (k >= i + kMaxRoleWords && !qualified_by_name)) break;
        // Two things joined are no one's role ("says therapy and her husband, producer Cal Dyer, helped").
        if (!t_[k].capital && contains(rules_.coordinators, t_[k].lower)) return std::nullopt;
        if (qualified_by_name && !t_[k].capital && !contains(rules_.title_minor_words, t_[k].lower)) break;
        if (k > i && !t_[k].capital && contains(rules_.title_minor_words, t_[k].lower) && k + 1 < b &&
            name_word(k + 1)) {
            qualified_by_name = true;
        }
        ++k;
    }
    if (k == i || k + 1 >= b || !is_punct(k, ",")) return std::nullopt;
    auto named = forward(k + 1, b, false);
    if (!named || named->kind != SpeakerKind::name) return std::nullopt;
    // The name ends the sentence (or the clause): it is the role's, not the start of what follows.
    const std::size_t after = named->last + 1;
    if (after < b && !(is_punct(after, ".") || is_punct(after, ",") || is_punct(after, ";"))) return std::nullopt;
    return named;
}

bool Parser::quote_ends_with_comma(std::size_t k) const {
    return k < t_.size() && t_[k].kind == Token::Kind::quote && t_[k].comma_inside;
}

std::optional<SpeakerRef> Parser::participle_subject(std::size_t i, std::size_t j, std::size_t a) const {
    // "…, saying" and "… and said": the verb shares the subject of the clause ("he asked about the Brotherhood and
    // said, “…”").
    // The comma may close the quotation before it: "rejected the findings as “biased,” saying"; not one inside a
    // clause of what someone else said ("laughed off Carrizo’s suggestion that the team had been “playing
    // scared,” saying").
    bool quoted_comma = quote_ends_with_comma(j - 1);
    for (std::size_t k = a; quoted_comma && k + 1 < j; ++k)
        quoted_comma = !(word(k) && t_[k].lower == "that");
    const bool participle = t_[i].lower.ends_with("ing") && (is_punct(j - 1, ",") || quoted_comma);
    const bool coordinated = word(j - 1) && contains(rules_.coordinators, t_[j - 1].lower);
    if (!participle && !coordinated) return std::nullopt;
    std::size_t first = a;
    // (A subject after other words in marks opens a clause anew: "Gianni fragt: „…“ und Aron lacht und sagt:" is
    // Aron's; "Ruiz called the bill “a disgrace” and said:" is still Ruiz's.)
    if (coordinated) {
        for (std::size_t k = j - 1; k > a; --k) {
            if (t_[k].kind != Token::Kind::quote) continue;
            std::size_t n = k + 1;
            while (n + 1 < j && word(n) && contains(rules_.coordinators, t_[n].lower))
                ++n;
            if (n > k + 1 && n + 1 < j) {
                if (auto own = subject(n, j - 1);
                    own && own->first == n &&
                    (own->kind == SpeakerKind::name || own->kind == SpeakerKind::pronoun ||
                     own->kind == SpeakerKind::person_reference)) {
                    first = n;
                }
            }
            break;
        }
    }
    while (first + 1 < j && !word(first))
        ++first;
    if (first + 2 < j && t_[first].lower == "the" && name_word(first + 1)) ++first;  // "The Norland Water Authority"
    auto sp = subject(first, j - 1);
    bool opening_participle = false;
    // Not an article or a participle opening the sentence in capitals ("El diputado …", "Consultado por un
    // periodista, Biden sonrió y dijo", "Asked about it, Biden smiled and said"): a name's word only by its capital.
    if (sp && sp->kind == SpeakerKind::name && sp->first == sp->last && sp->first == first) {
        const std::string& w = t_[first].lower;
        const bool participle_form = w.size() > 4 && (w.ends_with("ed") || w.ends_with("ado") || w.ends_with("ido") ||
                                                      w.ends_with("ada") || w.ends_with("ida"));
        if (contains(rules_.role_articles, w) || contains(rules_.noun_articles, w) || participle_form) sp.reset();
        opening_participle = participle_form;
    }
    // An opening phrase before the subject: "After the hearing, Hawk Sawyer issued a statement, saying"; a clause
    // it opens runs longer ("When Winfrey asked if he could share the questions posed during the conversation, he
    // declined, saying").
    if (!sp) {
        constexpr std::size_t kMaxOpening = 8;
        constexpr std::size_t kMaxOpeningClause = 20;
        const std::size_t max_opening =
            opening_participle || (word(first) && contains(rules_.clause_openers, t_[first].lower)) ? kMaxOpeningClause
                                                                                                    : kMaxOpening;
        for (std::size_t k = first + 1; k + 2 < j && k < first + max_opening; ++k) {
            if (t_[k].kind == Token::Kind::quote) break;
            if (is_punct(k, ",")) {
                sp = subject(k + 1, j - 1);
                break;
            }
        }
    }
    // "The MP for Hebden Vale, Hannah Greenhalgh, said … and called for …": a role, what it is of or for, then the
    // name set off after it, which the first verb read too.
    if (sp &&
        ((sp->kind == SpeakerKind::name && sp->first == sp->last && acronym_at(sp->first) && person_role(sp->first)) ||
         sp->kind == SpeakerKind::person_reference)) {
        constexpr std::size_t kMaxQualifier = 5;
        for (std::size_t k = sp->last + 1; k + 2 < j && k <= sp->last + kMaxQualifier + 1; ++k) {
            if (is_punct(k, ",")) {
                if (auto named = forward(k + 1, j - 1, false); named && named->kind == SpeakerKind::name &&
                                                               named->first == k + 1 &&
                                                               is_punct(named->last + 1, ",")) {
                    sp = named;
                }
                break;
            }
            if (!word(k)) break;
        }
    }
    if (!sp || sp->last + 1 >= j - 1 || sp->kind == SpeakerKind::phrase) return std::nullopt;
    // An organisation's name goes on after "of" or "to" ("The Ministry of Finance", "the Permanent Mission of
    // Tessaly to the United Nations").
    constexpr std::size_t kMaxQualifiers = 3;
    const bool organisation = sp->kind == SpeakerKind::name && contains(rules_.organisation_words, t_[sp->last].lower);
    for (std::size_t hop = 0; organisation && hop < kMaxQualifiers; ++hop) {
        std::size_t k = sp->last + 1;
        if (!word(k) || (t_[k].lower != "of" && t_[k].lower != "to" && t_[k].lower != "for")) break;
        ++k;
        if (word(k) && t_[k].lower == "the") ++k;
        if (k >= j - 1 || !name_word(k)) break;
        while (k + 1 < j - 1 && name_word(k + 1))
            ++k;
        sp->last = k;
    }
    // The subject's own verb follows it: "Whitfield retweeted the story, saying", not a list of names; a
    // parenthesis may stand between ("House Speaker Garrett Vollmer (R-Ind.) fired back, saying").
    std::size_t verb = sp->last + 1;
    if (is_punct(verb, "(")) {
        while (verb < j && !is_punct(verb, ")") && t_[verb].kind != Token::Kind::quote)
            ++verb;
        if (!is_punct(verb, ")")) return std::nullopt;
        ++verb;
    }
    // A name set off after its role ("El consejero de Sanidad, Luis Miguel Arroyo, ha tachado … y ha asegurado").
    if (is_punct(verb, ",") && sp->first > first && is_punct(sp->first - 1, ",")) ++verb;
    if (verb >= j - 1 || !word(verb) || t_[verb].capital) return std::nullopt;
    return sp;
}

std::optional<std::pair<SpeakerRef, std::size_t>> Parser::quoted_as_saying(std::size_t i, std::size_t m,
                                                                           std::size_t b) const {
    if (m != 1) return std::nullopt;
    // "she recalls him saying", "remembers Ailes telling her": whom the speaker recalls speaks.
    if (contains(rules_.recalling_verbs, t_[i].lower) && i + 2 < b && word(i + 1)) {
        if (contains(rules_.object_pronouns, t_[i + 1].lower) && word(i + 2) &&
            contains(rules_.recalled_saying, t_[i + 2].lower)) {
            return std::pair{SpeakerRef{SpeakerKind::pronoun, i + 1, i + 1, nullptr}, i + 2};
        }
        if (auto recalled = forward(i + 1, b, false); recalled && recalled->kind == SpeakerKind::name &&
                                                      recalled->last + 1 < b && word(recalled->last + 1) &&
                                                      contains(rules_.recalled_saying, t_[recalled->last + 1].lower)) {
            return std::pair{*recalled, recalled->last + 1};
        }
        return std::nullopt;
    }
    if (!contains(rules_.quoting_verbs, t_[i].lower)) return std::nullopt;
    auto quoted = forward(i + 1, b, false);
    if (!quoted || (quoted->kind != SpeakerKind::name && quoted->kind != SpeakerKind::person_reference)) {
        return std::nullopt;
    }
    const std::size_t as = seq_at(lex_.as_saying, quoted->last + 1, b);
    if (as == 0) return std::nullopt;
    return std::pair{*quoted, quoted->last + as};
}

bool Parser::indefinite_description(std::size_t first, std::size_t last) const {
    // (Its last word in lower case, or a member's title in capitals: "a Tory MP".)
    if (first > last || last - first > 3 || (t_[last].capital && !(acronym_at(last) && person_role(last))))
        return false;
    for (std::size_t k = first; k <= last; ++k) {
        // An adverb in -ly only before a word it qualifies ("a particularly nasty troll"), never last. A number only
        // as an age ("a 45-year-old nurse").
        if (!word(k) || (!t_[k].capital && t_[k].lower.ends_with("ly") && k == last) ||
            (is_number_token(t_[k]) && !(k < last && t_[k].lower.ends_with("-year-old"))))
            return false;
        // A name may describe the one who speaks ("one Weibo commenter", "a Google spokesperson", "a Department
        // for Education spokesperson": a small word between its capitals is the name's).
        const bool inside_name = k > first && k < last && small_word_in_name(k);
        if (!t_[k].capital && ends_description(t_[k].lower) && !inside_name) return false;
        // Nor a clause's opening: Spanish "a la vez que anunció" is no one described.
        if (contains(rules_.pro_drop_complementizers, t_[k].lower)) return false;
        // Nor a verb and its subject after French "a": "a déclaré le ministre" is no one described.
        if (!t_[k].capital && lex_.speech_verb_end(t_[k].lower)) return false;
        // Nor where the one described stands, after a noun in capitals as German writes it: "eine Kassiererin vor
        // einer Filiale" ends before "vor". (Not a small word inside a name: "a Department for Education
        // spokesperson".)
        if (k > first && !t_[k].capital && t_[k - 1].capital && !inside_name &&
            (contains(rules_.prepositions, t_[k].lower) || contains(rules_.place_prepositions, t_[k].lower))) {
            return false;
        }
    }
    return true;
}

std::size_t Parser::indefinite_start(std::size_t k, std::size_t a, bool anywhere) const {
    // Where the person is, in names after a place's preposition, goes with the description: "One student at Duke
    // University in Durham", "a nurse in Leeds".
    constexpr std::size_t kMaxPlaces = 3;
    for (std::size_t hops = 0; hops < kMaxPlaces && name_word(k) && !(acronym_at(k) && person_role(k)); ++hops) {
        std::size_t f = k;
        while (f > a && k - f + 1 < kMaxNameWords && name_word(f - 1))
            --f;
        if (f < a + 2 || !word(f - 1) || t_[f - 1].capital ||
            !(contains(rules_.place_prepositions, t_[f - 1].lower) ||
              contains(rules_.platform_prepositions, t_[f - 1].lower)))
            return no_token;
        k = f - 2;
    }
    if (!word(k) || (t_[k].capital && !(acronym_at(k) && person_role(k)))) return no_token;
    for (std::size_t d = k; d > a && k - d < 5;) {
        --d;
        if (!word(d)) return no_token;
        if (contains(rules_.indefinite_determiners, t_[d].lower) && (!t_[d].capital || d == a || !word(d - 1))) {
            // Not Spanish "a" before a plural ("A preguntas del fiscal"): English "a" takes a singular ("a
            // witness", "a boss").
            const std::string& after = t_[d + 1].lower;
            if (t_[d].lower == "a" && after.size() > 3 && after.ends_with('s') && !after.ends_with("ss") &&
                !after.ends_with("us") && !after.ends_with("is")) {
                return no_token;
            }
            return (anywhere || d == a || !word(d - 1) || opens_aside(d - 1, a)) && indefinite_description(d + 1, k)
                       ? d
                       : no_token;
        }
    }
    return no_token;
}

std::size_t Parser::described_person_start(std::size_t j, std::size_t a) const {
    constexpr std::size_t kMaxModifiers = 2;
    if (!occupation_word(j) || contains(rules_.organisation_words, t_[j].lower) ||
        contains(rules_.group_speakers, t_[j].lower) || lex_.subject_references.by_last.contains(t_[j].lower) ||
        lex_.speech_verb_end(t_[j].lower)) {
        return no_token;
    }
    std::size_t k = j;
    // Modifiers: words in lower case, nationalities, an age ("the 38-year-old singer").
    while (k > a && j - k < kMaxModifiers &&
           (occupation_word(k - 1) || nationality(k - 1) ||
            (word(k - 1) && !t_[k - 1].capital && t_[k - 1].lower.find('-') != std::string::npos)))
        --k;
    if (k == a || !word(k - 1) || t_[k - 1].lower != "the") return no_token;
    // "a friend of the family said": the family is not who spoke.
    if (k - 1 > a && word(k - 2) && contains(rules_.title_minor_words, t_[k - 2].lower)) return no_token;
    return k - 1;
}

bool Parser::body_modifier(std::size_t i) const {
    if (!word(i) || t_[i].capital || is_number_token(t_[i]) || t_[i].quotation >= 0) return false;
    const std::string& w = t_[i].lower;
    return !w.ends_with("ly") && possessive_length(w) == 0 && !contains(rules_.title_minor_words, w) &&
           !contains(rules_.prepositions, w) && !contains(rules_.auxiliaries, w) && !contains(rules_.pronouns, w) &&
           !contains(rules_.clause_openers, w) && !lex_.speech_verb_end(w) && !contains(rules_.organisation_words, w);
}

bool Parser::only_titles(std::size_t first, std::size_t last) const {
    for (std::size_t i = first; i <= last; ++i) {
        if (!word(i) || (!contains(rules_.titles, t_[i].lower) && !contains(rules_.nationalities, t_[i].lower))) {
            return false;
        }
    }
    return true;
}

std::optional<SpeakerRef> Parser::tailed_organisation(std::size_t j, std::size_t a) const {
    constexpr std::size_t kMaxTail = 7;
    if (!word(j) || contains(rules_.organisation_tail_stops, t_[j].lower)) return std::nullopt;
    for (std::size_t k = j; k > a && j - k < kMaxTail; --k) {
        const std::size_t h = k - 1;
        if (!word(h) || t_[h].quotation >= 0) return std::nullopt;
        if (contains(rules_.tailed_organisation_words, t_[h].lower)) {
            if (t_[h].capital) {
                if (t_[j].capital || !tail_connected(t_, h, j, rules_)) return std::nullopt;
                // A Russian body's tail is its words in the genitive, and a phrase after a preposition of
                // cyrillic_tail_prepositions ("Управление по надзору в сфере …"); what follows them stands between
                // the body and its verb ("Министерство здравоохранения области в ответ на запрос редакции сообщило").
                if (is_cyrillic(t_[h].lower)) {
                    std::size_t e = h;
                    bool any_case = false;
                    while (e < j) {
                        const std::string& w = t_[e + 1].lower;
                        if (cyrillic_tail_preposition(w, any_case, rules_)) {
                            any_case = true;
                        } else if (!cyrillic_tail_word(w, any_case, rules_)) {
                            break;
                        }
                        ++e;
                    }
                    return SpeakerRef{SpeakerKind::name, h, e, nullptr};
                }
                return SpeakerRef{SpeakerKind::name, h, j, nullptr};
            }
            // French writes an institution in lower case before the place or body that names it: "le ministère
            // des Transports", "le parquet de Strasbourg", after an article.
            if (h > a && word(h - 1) && contains(rules_.institution_articles, t_[h - 1].lower) &&
                tail_names_place(t_, h, j, rules_))
                return SpeakerRef{SpeakerKind::name, h, j, nullptr};
            return std::nullopt;
        }
        if (contains(rules_.organisation_tail_stops, t_[h].lower) || speech_verb_at(h, j + 1)) return std::nullopt;
    }
    return std::nullopt;
}

bool Parser::placed_name_before(std::size_t comma, std::size_t a) const {
    // (In a language that capitalises its nouns, the words before "in" may be a person's role: "des Mitbegründers des
    // Augusta National Clubs in Georgia, Cliff Roberts, der 1933 sagte".)
    if (comma < a + 2 || !name_word(comma - 1) || contains(rules_.capitalised_noun_languages, language_)) return false;
    std::size_t p = comma - 1;
    while (p > a && comma - p < kMaxNameWords && name_word(p - 1))
        --p;
    if (p <= a || !word(p - 1) || t_[p - 1].capital || !contains(rules_.place_prepositions, t_[p - 1].lower))
        return false;
    // (A role's place is no town: "Reform UK’s leader in Wales, Clive Tanner-Bowen, said".)
    if (p >= a + 2 && role_word(p - 2)) return false;
    // (Nor is a name after it a state's when it holds a given name.)
    for (std::size_t k = comma + 1; k < t_.size() && k <= comma + kMaxNameWords && name_word(k); ++k) {
        if (rules_.given_name_word(t_[k].lower)) return false;
    }
    return true;
}

std::optional<SpeakerRef> Parser::back(std::size_t j, std::size_t a) const {
    // A parenthesis before an appositive's comma: "Hilde Brakstad (pictured), the chair of …, said".
    if (is_punct(j, ",") && j > a && is_punct(j - 1, ")")) {
        if (auto r = back(j - 1, a)) return r;
    }
    // An appositive between dashes: "Dr Oluwatobi Fashanu — a cardiologist at … who led the trial — said".
    if (is_punct(j, "\u2014") || is_punct(j, "\u2013")) {
        const std::string_view dash = t_[j].lower;
        for (std::size_t k = j; k > a && j - k < kWindow; --k) {
            const Token& t = t_[k - 1];
            if (t.kind == Token::Kind::quote || (t.kind == Token::Kind::punct && (t.lower == "." || t.lower == ":")))
                return std::nullopt;
            if (t.kind == Token::Kind::punct && t.lower == dash) return k >= a + 2 ? back(k - 2, a) : std::nullopt;
        }
        return std::nullopt;
    }
    // A parenthesis between the speaker and the verb: "Camille Fournier (a public defender in Lyon) said".
    if (is_punct(j, ")")) {
        for (std::size_t k = j; k > a && j - k < kWindow; --k) {
            if (!is_punct(k - 1, "(")) {
                if (t_[k - 1].kind == Token::Kind::quote) return std::nullopt;
                continue;
            }
            if (k < a + 2) return std::nullopt;
            // "l’opposant Mamadou Saliou Bah, président de l’Union pour l’alternance démocratique (UAD), a appelé":
            // the parenthesis ends an appositive that opens with a role in lower case; the name before it speaks.
            for (std::size_t s = k - 2; s > a + 1 && k - 2 - s < kWindow && word(s); --s) {
                if (!is_punct(s - 1, ",")) continue;
                if (!t_[s].capital && occupation_word(s) && !contains(rules_.appositive_openers, t_[s].lower)) {
                    if (auto named = back_plain(s - 2, a); named && named->kind == SpeakerKind::name) return named;
                }
                break;
            }
            return back(k - 2, a);
        }
        return std::nullopt;
    }
    if (!is_punct(j, ",")) {
        auto r = back_plain(j, a);
        if (r) {
            if (auto role = role_of_described_body(*r, a)) return role;
        }
        return r;
    }
    a = std::max(a, j > kWindow ? j - kWindow : 0);
    std::size_t seg = a;  // first token of the comma-enclosed segment
    for (std::size_t k = j; k > a; --k) {
        const Token& t = t_[k - 1];
        if (t.kind == Token::Kind::quote) return std::nullopt;
        if (t.kind == Token::Kind::punct && t.lower == ",") {
            seg = k;
            break;
        }
        if (t.kind == Token::Kind::punct && (t.lower == "." || t.lower == ":" || t.lower == ";")) return std::nullopt;
    }
    if (seg >= j) return std::nullopt;
    // A company's suffix set off by commas belongs to the name before it ("Steve Menet, Senior Vice President of Sales
    // for Dräger, Inc., says"): read as if the name ended the appositive.
    if (seg >= a + 2 && is_punct(seg - 1, ",") && word(seg)) {
        std::string_view w = t_[seg].lower;
        if (w.ends_with('.')) w.remove_suffix(1);
        const std::size_t end = seg + 1 + (is_punct(seg + 1, ".") ? 1 : 0);
        if (end == j && contains(rules_.company_suffixes, w)) return back(seg - 1, a);
    }
    // An aside between commas says how the words stand, not who speaks: "Officials, however, said", "She, for her
    // part, said".
    if (seg >= a + 2 && is_punct(seg - 1, ",") && seq_at(lex_.verb_asides, seg, j) == j - seg) return back(seg - 2, a);
    // Where the person is from, set off after another appositive ("Jane Doe, 54, of Dayton, said", "Ana Ruiz, a
    // nurse, from Leeds, said"): an appositive like any other.
    const bool place = seg + 1 < j && seg >= a + 2 && is_punct(seg - 1, ",") && word(seg) &&
                       (t_[seg].lower == "of" || t_[seg].lower == "from") && word(seg + 1) &&
                       (t_[seg + 1].capital || t_[seg + 1].lower == "the");
    if (place) {
        if (auto r = back(seg - 1, a)) return r;
    }
    if (contains(rules_.appositive_openers, t_[seg].lower)) {
        if (seg < a + 2) return std::nullopt;
        // "The local MP, the Liberal Democrat Rachel Gillies, said": after a role, "the" opening a person's name of two
        // words or more (and what describes them) set off: the name.
        if (t_[seg].lower == "the" && is_punct(seg - 1, ",")) {
            if (auto r = back_plain(j - 1, seg + 1);
                r && r->kind == SpeakerKind::name && r->last + 1 == j && r->last > r->first) {
                const auto before = back_plain(seg - 2, a);
                // (A member's title is a role: "The local MP".)
                const bool member =
                    before && before->first == before->last && acronym_at(before->first) && person_role(before->first);
                // (Or a description the parser reads as no one, when only a role stands between "the" and the
                // name: "as my friend, the labor organizer David Rolf, points out"; not "Hilde Brakstad (pictured),
                // the chair of the Vennesund Fisheries Board, said".)
                bool role_only = true;
                for (std::size_t k = seg + 1; k < r->first && role_only; ++k)
                    role_only = word(k) && !contains(rules_.prepositions, t_[k].lower) && !is_article(t_[k].lower);
                if ((!before && role_only) ||
                    (before &&
                     ((before->kind != SpeakerKind::name && before->kind != SpeakerKind::outlet) || member))) {
                    // The party's member is what describes them ("the Liberal Democrat Rachel Gillies").
                    for (std::size_t k = r->first; k + 2 <= r->last; ++k) {
                        if (contains(rules_.party_members, t_[k].lower)) r->first = k + 1;
                    }
                    return r;
                }
            }
        }
        // Appositives one after another: "Leilani Kahale, 34, a teacher in Hilo, said".
        if (!is_punct(seg - 1, ",")) return back_plain(seg - 2, a);
        if (auto r = back(seg - 1, a)) return r;
        // A group: "Several lawmakers, including Rep. Jim Jordan, called".
        if (auto r = back_plain(seg - 2, a); r && r->group) return r;
        // Someone described by whose they are, and a relative clause: "The woman’s sister, who asked not to be
        // named, said".
        if (contains(rules_.relative_pronouns, t_[seg].lower)) {
            if (auto r = back_plain(seg - 2, a);
                r && (r->kind == SpeakerKind::phrase || r->kind == SpeakerKind::person_reference) &&
                r->last > r->first) {
                for (std::size_t k = r->first; k < r->last; ++k) {
                    if (word(k) && possessive_length(t_[k].lower) > 0) return r;
                }
                // Or someone described and not named, and what places them: "one friend of mine, who wishes to
                // remain anonymous, remarked".
                if (r->kind == SpeakerKind::phrase && contains(rules_.indefinite_determiners, t_[r->first].lower))
                    return r;
                // Or by a role of the rules: "The landowner, who asked not to be named, told", "the woman, who
                // cannot be named, said". One the clause says is not named is the description, never a person
                // named before.
                if (r->kind == SpeakerKind::person_reference) {
                    for (std::size_t k = seg + 1; k < j; ++k) {
                        if (word(k) && contains(rules_.naming_participles, t_[k].lower) && word(k - 1) &&
                            (t_[k - 1].lower == "be" || t_[k - 1].lower == "being")) {
                            r->unnamed = true;
                        }
                    }
                    return r;
                }
            }
        }
        // Someone described and not named: "A neighbour, who asked not to be named, said".
        if (const std::size_t d = indefinite_start(seg - 2, a); d != no_token)
            return SpeakerRef{SpeakerKind::phrase, d, seg - 2, nullptr};
        return std::nullopt;
    }
    auto r = back_plain(j - 1, seg);
    // "Representative Dale Kruger of Kansas", "Pat Doyle from Newry": a name of two words or more, then where the
    // person is from, read without the place.
    std::size_t name_end = j;  // one past the name in the segment
    if (r && r->kind == SpeakerKind::name && r->first > seg + 1 && word(r->first - 1) &&
        (t_[r->first - 1].lower == "of" || t_[r->first - 1].lower == "from") && name_word(r->first - 2)) {
        const std::size_t o = r->first - 1;
        if (auto n = back_plain(o - 1, seg); n && n->kind == SpeakerKind::name && n->last > n->first &&
                                             n->last + 1 == o &&
                                             !contains(rules_.organisation_words, t_[n->last].lower)) {
            r = n;
            name_end = o;
        }
    }
    // "Sen. Ted Cruz, R-Texas, said": a party and state between commas describe the name before them.
    const bool party = j == seg + 1 + (is_punct(seg + 1, ".") ? 1 : 0) && party_tag(seg);
    // "Anna Berger, Sprecherin der Stadtwerke, sagte", "Jane Ruiz, Press Secretary, said": a segment in capitals
    // after a person's name (a given name the rules know, and a surname) is that person's role, unless it opens
    // with a given name itself.
    auto given = [&](std::size_t k) { return rules_.given_name_word(t_[k].lower); };
    if (r && r->first == seg && !party && r->kind == SpeakerKind::name && seg >= a + 2 && is_punct(seg - 1, ",") &&
        !given(seg)) {
        // (Or a title and what it is of, whatever the given name: "Strauss Zelnick, CEO of Take-Two, adds".)
        std::string_view opener = t_[seg].lower;
        if (opener.ends_with('.')) opener.remove_suffix(1);
        bool title_of = false;
        if (contains(rules_.titles, opener)) {
            for (std::size_t k = seg + 1; k < j && !title_of; ++k)
                title_of = word(k) && !t_[k].capital && contains(rules_.prepositions, t_[k].lower);
            // Or a title and a body's name with no given name in it, three words or more or a body's word
            // ("Rob Goldman, President Ascom North America, says"; not "…, Dr Terkaa Iorhemba, said").
            constexpr std::size_t kMinBodyWords = 3;
            bool named_person = false;
            bool body_word = false;
            for (std::size_t k = seg + 1; k <= r->last && !named_person; ++k) {
                named_person = word(k) && given(k);
                body_word = body_word || (word(k) && contains(rules_.organisation_words, t_[k].lower));
            }
            title_of = title_of || (!named_person && (r->last >= seg + kMinBodyWords || body_word));
        }
        if (auto before = back_plain(seg - 2, a); before && before->kind == SpeakerKind::name &&
                                                  before->last > before->first && (given(before->first) || title_of)) {
            return before;
        }
    }
    // A place's state or country set off after it ("One student at Duke University in Durham, North Carolina,
    // said") is where the words before it place someone: what comes before the place speaks.
    if (r && r->first == seg && r->kind == SpeakerKind::name && !party && seg >= a + 3 && is_punct(seg - 1, ",") &&
        placed_name_before(seg - 1, a)) {
        if (auto r2 = back(seg - 1, a)) return r2;
        if (const std::size_t d = indefinite_start(seg - 2, a); d != no_token)
            return SpeakerRef{SpeakerKind::phrase, d, seg - 2, nullptr};
        return std::nullopt;
    }
    if (r && r->first == seg && !party && (r->kind == SpeakerKind::name || r->kind == SpeakerKind::outlet)) return r;
    // "Minister of Industry, Investment and Commerce, Senator the Hon. Aubyn Hill, told": titles and "the" before
    // the name in the segment are the name's.
    if (r && r->kind == SpeakerKind::name && r->last > r->first && r->first > seg && !party) {
        bool titles_only = true;
        for (std::size_t k = seg; k < r->first && titles_only; ++k) {
            std::string_view w = t_[k].lower;
            if (w.ends_with('.')) w.remove_suffix(1);
            // Or a party's member described ("The local MP, the Liberal Democrat Rachel Gillies, told").
            const bool party_member = contains(rules_.party_members, t_[r->first - 1].lower) && t_[k].capital;
            titles_only = word(k) && (w == "the" || contains(rules_.titles, w) || contains(rules_.abbreviations, w) ||
                                      party_member);
        }
        if (titles_only) return r;
    }
    // "His daughter, board member Ksenia Berezhnaya, said", "Его дочь, член совета директоров Ксения Бережная,
    // заявила": a role in lower case (no verb, preposition, article or pronoun: "he asked about the Muslim
    // Brotherhood, called" is none) and the name ending the segment, set off after a description of the same person
    // (no name or outlet), is the speaker.
    if (r && r->kind == SpeakerKind::name && r->last > r->first && r->first > seg && r->last + 1 == name_end &&
        !party && seg >= a + 2 && is_punct(seg - 1, ",")) {
        bool lower_role = true;
        for (std::size_t k = seg; k < r->first && lower_role; ++k) {
            // (A possessive may open the role: "Doyle’s trainer, his uncle Pat Doyle, said".)
            if (k == seg && k + 1 < r->first && contains(rules_.possessive_pronouns, t_[k].lower)) continue;
            lower_role = occupation_word(k) && !contains(rules_.prepositions, t_[k].lower) &&
                         !is_article(t_[k].lower) && !t_[k].lower.ends_with("ed") && !speech_verb_at(k, j);
        }
        const auto before = back_plain(seg - 2, a);
        if (lower_role && !(before && (before->kind == SpeakerKind::name || before->kind == SpeakerKind::outlet))) {
            return r;
        }
    }
    // Any other comma-enclosed segment is an appositive of the speaker before it: "Abebe Girma, 58, said",
    // "Chloé Dubois, fresh from her fourth gold, said".
    // A segment opening with "and" ends a list inside the appositive ("…, Space, and Security, said"): the
    // name is further back.
    const bool list_end = word(seg) && (t_[seg].lower == "and" || t_[seg].lower == "or");
    if (!list_end && seg >= a + 2 && is_punct(seg - 1, ",")) {
        auto before = back_plain(seg - 2, a);
        // Someone described opening the clause after an opening phrase ("According to AFP, one user on Weibo, which
        // is …, posted:"): the described, not the name the phrase ends with.
        if (before && r && r->kind == SpeakerKind::phrase && r->first == seg &&
            contains(rules_.indefinite_determiners, t_[seg].lower) && before->first > a && word(before->first - 1) &&
            !t_[before->first - 1].capital && contains(rules_.prepositions, t_[before->first - 1].lower)) {
            return r;
        }
        if (before && (before->kind == SpeakerKind::name || before->kind == SpeakerKind::outlet)) return before;
        // A group and what places it, then an aside: "Fuentes del entorno de Cabrera, sin embargo, calificaron".
        if (before && before->group && before->last > before->first) return before;
        // An age set off after a description: "the Grammy winner, 38, tells PEOPLE", "the singer, 38, said".
        if (before && before->kind != SpeakerKind::pronoun && j == seg + 1 && word(seg) && is_number_token(t_[seg])) {
            return before;
        }
        // Someone described and not named, then a participle's clause: "A government official, speaking on
        // condition of anonymity, said".
        if (const std::size_t d = indefinite_start(seg - 2, a); d != no_token && word(seg) && !t_[seg].capital &&
                                                                t_[seg].lower.size() > 5 &&
                                                                t_[seg].lower.ends_with("ing")) {
            return SpeakerRef{SpeakerKind::phrase, d, seg - 2, nullptr};
        }
        // Where or how it was said, set off after a description or a pronoun: "The company, in a statement,
        // called", "She, for her part, said": a phrase a preposition in lower case opens, with no verb in it.
        if (before && (before->kind == SpeakerKind::pronoun || before->kind == SpeakerKind::person_reference ||
                       before->kind == SpeakerKind::reference)) {
            bool adjunct = word(seg) && !t_[seg].capital && contains(rules_.prepositions, t_[seg].lower);
            for (std::size_t k = seg + 1; k < j && adjunct; ++k)
                adjunct = word(k) && !speech_verb_at(k, j) && !contains(rules_.relative_pronouns, t_[k].lower) &&
                          !contains(rules_.auxiliaries, t_[k].lower);
            if (adjunct) return before;
        }
    }
    // An appositive with commas of its own: "Jim Chilton, senior vice president at Boeing Defense, Space, and
    // Security, said": back over the segments to the one opening in lower case, and the name before it.
    constexpr int kMaxSegments = 4;
    std::size_t end = seg >= 1 ? seg - 1 : 0;  // the comma opening the segment looked at
    for (int n = 0; n < kMaxSegments && end > a && is_punct(end, ","); ++n) {
        std::size_t c = end;
        bool found = false;
        for (std::size_t k = end; k > a; --k) {
            const Token& t = t_[k - 1];
            if (t.kind == Token::Kind::quote) return std::nullopt;
            if (t.kind == Token::Kind::punct && (t.lower == "." || t.lower == ":" || t.lower == ";"))
                return std::nullopt;
            if (t.kind == Token::Kind::punct && t.lower == ",") {
                c = k - 1;
                found = true;
                break;
            }
        }
        if (!found || c < a + 1) return std::nullopt;
        const std::size_t start = c + 1;
        if (word(start) && !t_[start].capital && t_[start].lower != "and" && t_[start].lower != "or") {
            auto named = back_plain(c - 1, a);
            if (named && named->kind == SpeakerKind::name) return named;
            return std::nullopt;
        }
        end = c;
    }
    return std::nullopt;
}

std::size_t Parser::owned_body_end(std::size_t name_last, std::size_t b) const {
    if (!word(name_last) || possessive_length(t_[name_last].lower) == 0) return no_token;
    std::size_t found = no_token;
    for (std::size_t k = name_last + 1; k < b && k <= name_last + 3 && word(k) && !t_[k].capital; ++k) {
        const bool body =
            contains(rules_.organisation_words, t_[k].lower) || contains(rules_.group_speakers, t_[k].lower);
        if (body || role_word(k)) found = k;  // the last of them: "chief executive", not "chief"
        // (A body's word before a role is the role's: "Rosetta's mission manager".)
        const bool role_next = k + 1 < b && word(k + 1) && !t_[k + 1].capital && role_word(k + 1);
        if ((body && !role_next) || !occupation_word(k)) break;
    }
    return found;
}

bool Parser::role_word(std::size_t k) const {
    return word(k) && !t_[k].capital &&
           (contains(rules_.titles, t_[k].lower) || lex_.person_references.by_last.contains(t_[k].lower));
}

std::optional<SpeakerRef> Parser::group_ending(std::size_t j, std::size_t a, bool placed) const {
    if (!word(j) || !contains(rules_.group_speakers, t_[j].lower)) return std::nullopt;
    // With a capital only where a sentence or clause starts ("Police said"); "Sources" mid-sentence is a name. German
    // writes the noun in capitals after its article ("sagen die Experten").
    const auto article = [&](std::size_t k) {
        return word(k) && !t_[k].capital && contains(rules_.group_articles, t_[k].lower);
    };
    // (Nor after a comma: "“…”, Fuentes dijo" is a surname.)
    if (t_[j].capital && j > 0 && (word(j - 1) ? !article(j - 1) : is_punct(j - 1, ","))) return std::nullopt;
    // Up to two words in lower case that describe the group ("local police", "senior health officials"), then the
    // names and nationalities before them ("Los Angeles police", "Israeli officials") and "the".
    constexpr std::size_t kMaxModifiers = 2;
    std::size_t first = j;
    while (first > a && j - first < kMaxModifiers && occupation_word(first - 1) &&
           !contains(rules_.group_speakers, t_[first - 1].lower) &&
           !contains(rules_.clause_openers, t_[first - 1].lower) && seq_ending(lex_.speech_verbs, first - 1, a) == 0) {
        --first;
    }
    while (first > a && j - first < kMaxNameWords && (name_word(first - 1) || connector(first - 1)) &&
           !contains(rules_.not_names, t_[first - 1].lower))
        --first;
    while (first < j && connector(first))
        ++first;
    // The article ("the police said"), or a possessive pronoun whose owner the group is of ("his family said"); in
    // capitals where the clause opens ("The family said", "His family said").
    if (first > a && word(first - 1)) {
        const Token& d = t_[first - 1];
        const bool determiner =
            contains(rules_.group_articles, d.lower) || contains(rules_.possessive_pronouns, d.lower);
        if (article(first - 1) || (determiner && (!d.capital || first - 1 == a || !word(first - 2)))) --first;
    }
    // "Fuentes dijo": alone in capitals where the plural takes its article, a surname.
    if (first == j && t_[j].capital && !placed && !language_.empty() &&
        contains(rules_.plural_article_languages, language_)) {
        return std::nullopt;
    }
    SpeakerRef group{SpeakerKind::phrase, first, j, nullptr};
    group.group = true;
    return group;
}

bool Parser::owner_agent_at(std::size_t j) const {
    return j > 0 && word(j) && !t_[j].capital && contains(rules_.owner_agents, t_[j].lower) && word(j - 1) &&
           contains(rules_.possessive_pronouns, t_[j - 1].lower);
}

std::size_t Parser::its_document_at(std::size_t i, std::size_t b) const {
    if (i + 1 >= b || !word(i) || t_[i].lower != "its" || !word(i + 1) || t_[i + 1].capital) return 0;
    const auto it = lex_.reference_words.by_last.find(t_[i + 1].lower);
    if (it == lex_.reference_words.by_last.end()) return 0;
    for (const std::uint32_t x : it->second) {
        const auto& seq = (*lex_.reference_words.seqs)[x];
        if (seq.size() == 2 && seq.front() == "the") return 2;
    }
    return 0;
}

std::optional<SpeakerRef> Parser::role_of_described_body(const SpeakerRef& r, std::size_t a) const {
    if ((r.kind != SpeakerKind::phrase && r.kind != SpeakerKind::reference) || r.first < a + 2 || !word(r.first - 1) ||
        t_[r.first - 1].lower != "of" || !word(r.first - 2)) {
        return std::nullopt;
    }
    const std::size_t role_end = r.first - 2;
    const std::size_t l = seq_ending(lex_.person_references, role_end, a);
    if (l == 0) return std::nullopt;
    std::size_t first = role_end + 1 - l;
    if (first > a && word(first - 1) && is_article(t_[first - 1].lower)) --first;
    SpeakerRef role{SpeakerKind::person_reference, first, role_end, nullptr};
    role.qualified_last = r.last;
    return role;
}

std::optional<SpeakerRef> Parser::back_plain(std::size_t j, std::size_t a) const {
    if (!word(j) || j < a) return std::nullopt;
    // "sources familiar with the matter said", "Residents of the town said", "vecinos del barrio aseguran": a group,
    // then up to five words placing it.
    constexpr std::size_t kMaxGroupPostmodifier = 5;
    for (std::size_t p = j; p > a && j - p < kMaxGroupPostmodifier && word(p); --p) {
        // (Not past a clause or a second subject: "les opposants au glyphosate qui invoquent", "people with autism
        // and their parents say".)
        if (contains(rules_.relative_pronouns, t_[p].lower) || contains(rules_.coordinators, t_[p].lower) ||
            contains(rules_.auxiliaries, t_[p].lower))
            break;
        if (t_[p].capital || !contains(rules_.description_postmodifiers, t_[p].lower)) continue;
        if (auto group = group_ending(p - 1, a, true)) {
            group->last = j;
            return group;
        }
    }
    for (std::size_t n = std::min<std::size_t>(6, j - a + 1); n >= 1; --n) {
        if (const Outlet* o = outlet_span(j + 1 - n, j)) return SpeakerRef{SpeakerKind::outlet, j + 1 - n, j, o};
    }
    if (const std::size_t l = seq_ending(lex_.reference_words, j, a)) {
        return SpeakerRef{SpeakerKind::reference, j + 1 - l, j, nullptr};
    }
    // "Its statement claimed": the document of the body named last.
    if (j > a && its_document_at(j - 1, j + 1) == 2) return SpeakerRef{SpeakerKind::reference, j - 1, j, nullptr};
    // "Her office said", "his campaign said": whom the possessive means, speaking through them.
    if (owner_agent_at(j)) return SpeakerRef{SpeakerKind::pronoun, j - 1, j - 1, nullptr};
    // "the IMF report said", "A Pentagon report says", "The IPCC report states": a document named by its maker, in
    // capitals right before it (an article, or nothing, before the name); the maker speaks.
    // (Not a name joined to an adjective: "the Bergen-based firm".)
    auto maker_word = [&](std::size_t k) {
        return name_word(k) && possessive_length(t_[k].lower) == 0 && !contains(rules_.not_names, t_[k].lower) &&
               t_[k].lower.find('-') == std::string::npos;
    };
    if (j > a && word(j) && !t_[j].capital && contains(rules_.made_documents, t_[j].lower) && maker_word(j - 1)) {
        constexpr std::size_t kMaxMakerWords = 4;
        std::size_t f = j - 1;
        while (f > a && j - f < kMaxMakerWords && maker_word(f - 1))
            --f;
        const bool article = f > a && word(f - 1) && is_article(t_[f - 1].lower);
        if (f == a || article || !word(f - 1)) {
            if (const Outlet* o = outlet_span(f, j - 1)) return SpeakerRef{SpeakerKind::outlet, f, j - 1, o};
            return SpeakerRef{SpeakerKind::name, f, j - 1, nullptr};
        }
    }
    // "the production company", "the record label": "the", up to two words describing the body, and the last word
    // of a subject reference.
    if (j >= a + 2 && word(j) && !t_[j].capital && lex_.subject_references.by_last.contains(t_[j].lower)) {
        for (std::size_t k = j; k > a && j - k < 3; --k) {
            if (!word(k - 1)) break;
            if (t_[k - 1].lower == "the") {  // "The production company said" opens a sentence too
                if (k < j) return SpeakerRef{SpeakerKind::reference, k - 1, j, nullptr};
                break;
            }
            if (t_[k - 1].capital || !occupation_word(k - 1)) break;
        }
    }
    if (auto body = tailed_organisation(j, a)) return body;
    if (const std::size_t l = seq_ending(lex_.person_references, j, a)) {
        return SpeakerRef{SpeakerKind::person_reference, j + 1 - l, j, nullptr};
    }
    if (const std::size_t f = timed_role_start(j, a); f != no_token) {
        return SpeakerRef{SpeakerKind::person_reference, f, j, nullptr};
    }
    // A title in marks between "the" and the role: "the “Pose” actor previously said".
    if (j >= a + 2 && t_[j - 1].kind == Token::Kind::quote && word(j - 2) && t_[j - 2].lower == "the" &&
        person_role(j)) {
        return SpeakerRef{SpeakerKind::person_reference, j - 2, j, nullptr};
    }
    // "the 52-year-old", and a role with a hyphenated word before it: "the two-time champion".
    if (j >= a + 1 && word(j - 1) && t_[j - 1].lower == "the" && t_[j].lower.ends_with("-year-old")) {
        return SpeakerRef{SpeakerKind::person_reference, j - 1, j, nullptr};
    }
    // An age starts with a digit, which the tokenizer counts as a capital: "the 38-year-old singer".
    if (j >= a + 2 && word(j - 1) && word(j - 2) && t_[j - 2].lower == "the" &&
        (!t_[j - 1].capital || t_[j - 1].lower.ends_with("-year-old")) &&
        t_[j - 1].lower.find('-') != std::string::npos && seq_ending(lex_.person_references, j, j - 1) == 0 &&
        person_role(j)) {
        return SpeakerRef{SpeakerKind::person_reference, j - 2, j, nullptr};
    }
    if (contains(rules_.pronouns, t_[j].lower)) return SpeakerRef{SpeakerKind::pronoun, j, j, nullptr};
    // "como él mismo dijo", "as he himself put it": the pronoun, stressed.
    if (j > a && contains(rules_.intensifiers, t_[j].lower) && word(j - 1) &&
        contains(rules_.pronouns, t_[j - 1].lower))
        return SpeakerRef{SpeakerKind::pronoun, j - 1, j - 1, nullptr};
    // "Paganini and his team wrote", "Okafor and her colleagues found": the one named speaks for them.
    if (j >= a + 3 && !t_[j].capital && contains(rules_.possessive_pronouns, t_[j - 1].lower) && word(j - 2) &&
        t_[j - 2].lower == "and" && name_word(j - 3)) {
        if (auto named = back_plain(j - 3, a); named && named->kind == SpeakerKind::name) return named;
    }
    if (auto group = group_ending(j, a)) return group;
    // "her lawyer said", "their spokesman said": someone described by whose they are.
    if (j >= a + 1 && role_word(j) && word(j - 1) && contains(rules_.possessives, t_[j - 1].lower) &&
        t_[j - 1].lower != "whose" && t_[j - 1].lower != "its") {
        return SpeakerRef{SpeakerKind::phrase, j - 1, j, nullptr};
    }
    // "the Senate intelligence committee said", "the Commons defence committee said": a name, up to two words in
    // lower case and a body's word; the body speaks.
    if (word(j) && !t_[j].capital &&
        (contains(rules_.organisation_words, t_[j].lower) || contains(rules_.named_body_nouns, t_[j].lower))) {
        std::size_t k = j;
        while (k > a && j - k < 2 && body_modifier(k - 1))
            --k;
        // Not an adjective joined to a name ("the Boston-based biotech", "the Kremlin-backed party"): a body
        // described, which the article names elsewhere.
        const auto hyphen = k > a ? t_[k - 1].lower.find('-') : std::string::npos;
        const bool described = hyphen != std::string::npos && hyphen + 1 < t_[k - 1].lower.size() &&
                               text_[t_[k - 1].start + hyphen + 1] >= 'a' && text_[t_[k - 1].start + hyphen + 1] <= 'z';
        if (k > a && name_word(k - 1) && !described && possessive_length(t_[k - 1].lower) == 0 &&
            !contains(rules_.not_names, t_[k - 1].lower)) {
            std::size_t first = k - 1;
            while (first > a && k - first < kMaxNameWords && name_word(first - 1) &&
                   !contains(rules_.not_names, t_[first - 1].lower))
                --first;
            if (first == a || !word(first - 1) || t_[first - 1].lower == "the")
                return SpeakerRef{SpeakerKind::name, first, j, nullptr};
        }
    }
    if (word(j) && !t_[j].capital && (contains(rules_.organisation_words, t_[j].lower) || role_word(j))) {
        for (std::size_t k = j; k > a && j - k < 3; --k) {
            if (name_word(k - 1) && owned_body_end(k - 1, j + 1) == j) {
                std::size_t first = k - 1;
                while (first > a && name_word(first - 1) && !contains(rules_.not_names, t_[first - 1].lower))
                    --first;
                return SpeakerRef{SpeakerKind::phrase, first, j, nullptr};
            }
            if (!word(k - 1) || t_[k - 1].capital) break;
        }
    }
    if (const std::size_t d = described_person_start(j, a); d != no_token) {
        SpeakerRef r{SpeakerKind::person_reference, d, j, nullptr};
        r.epithet = epithet_role(d + 1, j);
        r.described = !r.epithet;
        return r;
    }
    // "the first-term Democrat said", "the Texas Republican said": a party's member, described, the person the
    // paragraphs are about.
    if (word(j) && contains(rules_.party_members, t_[j].lower)) {
        constexpr std::size_t kMaxModifiers = 3;
        for (std::size_t k = j; k > a && j - k <= kMaxModifiers && word(k - 1); --k) {
            if (t_[k - 1].lower == "the") {
                SpeakerRef r{SpeakerKind::person_reference, k - 1, j, nullptr};
                r.epithet = true;
                return r;
            }
        }
    }
    // "the Welshman said", "the Argentine said".
    if (j >= a + 1 && nationality(j) && !acronym_at(j) && word(j - 1) && t_[j - 1].lower == "the") {
        SpeakerRef r{SpeakerKind::person_reference, j - 1, j, nullptr};
        r.epithet = true;
        return r;
    }
    // "one MP said", "a Tory MP told the BBC": a member's title in capitals (a role of person_references) after an
    // indefinite determiner and up to two words naming a party or a place, someone described and not named.
    if (acronym_at(j) && person_role(j)) {
        constexpr std::size_t kMaxBetween = 2;
        for (std::size_t d = j; d > a && j - d <= kMaxBetween + 1;) {
            --d;
            if (!word(d)) break;
            if (contains(rules_.indefinite_determiners, t_[d].lower) && (!t_[d].capital || d == a || !word(d - 1))) {
                if ((d == a || !word(d - 1) || opens_aside(d - 1, a)) && indefinite_description(d + 1, j)) {
                    return SpeakerRef{SpeakerKind::phrase, d, j, nullptr};
                }
                break;
            }
        }
    }
    if (!name_word(j)) {
        // "American officials said", "Syrian state media claimed": a nationality and the group it describes.
        std::size_t k = j;
        while (k > a && j - k < 3 && word(k - 1) && !t_[k - 1].capital)
            --k;
        // "one user wrote", "a senior official said", "a senior American official said": someone the article
        // describes and does not name. The description is the speaker.
        for (std::size_t d = j; d > a && j - d < 5;) {
            --d;
            if (contains(rules_.indefinite_determiners, t_[d].lower) && (!t_[d].capital || d == a || !word(d - 1))) {
                if ((d == a || !word(d - 1) || opens_aside(d - 1, a)) && indefinite_description(d + 1, j)) {
                    return SpeakerRef{SpeakerKind::phrase, d, j, nullptr};
                }
                break;
            }
            if (!word(d)) break;
        }
        // "a source familiar with the matter said", "a spokesman for the ministry said": the description and what
        // follows it.
        constexpr std::size_t kMaxPostmodifier = 5;
        for (std::size_t p = j; p > a + 1 && j - p < kMaxPostmodifier && word(p); --p) {
            if (!contains(rules_.description_postmodifiers, t_[p].lower) &&
                !contains(rules_.platform_prepositions, t_[p].lower))
                continue;
            for (std::size_t d = p - 1; d > a && p - d <= 4;) {
                --d;
                if (!word(d)) break;
                if (contains(rules_.indefinite_determiners, t_[d].lower) &&
                    (!t_[d].capital || d == a || !word(d - 1))) {
                    // (After "as" too: "as one colleague of mine remarked".)
                    if ((d == a || !word(d - 1) || opens_aside(d - 1, a)) && indefinite_description(d + 1, p - 1)) {
                        return SpeakerRef{SpeakerKind::phrase, d, j, nullptr};
                    }
                    break;
                }
            }
        }
        if (k == a || !nationality(k - 1)) return std::nullopt;
        std::size_t first = k - 1;
        // "the Russian and Syrian defense ministries said": two nationalities joined.
        if (first >= a + 2 && word(first - 1) && contains(rules_.coordinators, t_[first - 1].lower) &&
            nationality(first - 2)) {
            first -= 2;
        }
        if (first > a && word(first - 1) && !contains(rules_.not_names, t_[first - 1].lower)) return std::nullopt;
        if (described_group_end(k, j + 1) != j) return std::nullopt;
        return SpeakerRef{SpeakerKind::phrase, first, j, nullptr};
    }
    std::size_t k = j + 1;
    while (k > a && k + kMaxNameWords > j + 1 &&
           (name_word(k - 1) || connector(k - 1) || (k >= 2 && body_conjunction(k - 1, a))))
        --k;
    while (k <= j && (contains(rules_.not_names, t_[k].lower) || (connector(k) && !t_[k].capital)) &&
           !pronoun_surname(k, j))
        ++k;
    if (k > j) return std::nullopt;
    if (k == j && contains(rules_.demonstratives, t_[k].lower)) return std::nullopt;  // "Das kündigte … an"
    // An organisation's name goes on before "of", "for", "and" or "the" inside it ("Chinese Center for Disease
    // Control and Prevention said", "the Bureau of Prisons said"): taken whole when it holds an organisation word,
    // also when the words after "of" are a title's ("the Ministry of Defence", "the Department of Justice").
    {
        // An ordinal between "the" and the name's last words is inside it: "the U.S. Court of Appeals for the 8th
        // Circuit".
        const std::size_t named_from = k;
        if (k >= a + 2 && ordinal_at(k - 1) && word(k - 2) && t_[k - 2].lower == "the") --k;
        std::size_t start = k;
        bool body = false;
        auto inner = [&](std::size_t x) {
            return word(x) && !t_[x].capital &&
                   (t_[x].lower == "of" || t_[x].lower == "for" || t_[x].lower == "and" || t_[x].lower == "the");
        };
        for (std::size_t x = k; x <= j; ++x)
            body = body || contains(rules_.organisation_words, t_[x].lower);
        while (start >= a + 2 && j + 1 - start < kMaxNameWords + 4 && inner(start - 1) &&
               (name_word(start - 2) || inner(start - 2))) {
            std::size_t x = start - 1;
            while (x > a && inner(x))
                --x;
            if (!name_word(x) || contains(rules_.not_names, t_[x].lower)) break;
            const std::size_t segment_last = x;
            while (x > a && name_word(x - 1) && !contains(rules_.not_names, t_[x - 1].lower))
                --x;
            // "Battalion Chief Luis Arredondo of the Carver County Fire Protection District told": a person
            // (a title or a given name among the words) of the organisation speaks, not the organisation.
            // So is a name of two or three words with no body's word in it ("Brendan Kowalczyk of the Midland
            // Cancer Institute"), as bodies' names before "of" hold one ("Bank of England", "Friends of the Earth").
            if (body) {
                bool person = false;
                bool named = false;  // a word of a name, not only titles ("Acting U.S. Attorney for the District")
                bool body_word = false;
                std::size_t words = 0;
                for (std::size_t y = x; y <= segment_last; ++y) {
                    std::string_view w = t_[y].lower;
                    if (w.size() > 1 && w.back() == '.') w.remove_suffix(1);
                    const bool title = contains(rules_.titles, w);
                    person = person || title || rules_.given_name_word(t_[y].lower);
                    named = named || (!title && !nationality(y) && t_[y].lower.find('.') == std::string::npos);
                    body_word = body_word || contains(rules_.organisation_words, t_[y].lower) ||
                                contains(rules_.tailed_organisation_words, t_[y].lower) || nationality(y);
                    words += !title && word(y) ? 1 : 0;
                }
                constexpr std::size_t kMaxPersonWords = 3;
                person = person || (!body_word && words >= 2 && words <= kMaxPersonWords);
                if (person && named && segment_last > x) {
                    return SpeakerRef{SpeakerKind::name, x, segment_last, nullptr};
                }
            }
            for (std::size_t y = x; y < start; ++y)
                body = body || contains(rules_.organisation_words, t_[y].lower);
            start = x;
        }
        if (start < k && body) {
            k = start;
        } else {
            k = named_from;
        }
    }
    // A title alone is no one ("Syrian claims", "the Minister said", "the future President said"), except a
    // title's word opening its clause, which is a surname ("“…?” King asked Scott." after "Gayle King").
    // Nor is a body's acronym that also qualifies a group ("EU leaders"): "the UN said", "EU said".
    if (only_titles(k, j) &&
        !(k == j && t_[k].capital && contains(rules_.titles, t_[k].lower) &&
          !contains(rules_.nationalities, t_[k].lower) && (k == a || !word(k - 1))) &&
        !(k == j && acronym_at(k))) {
        return std::nullopt;
    }
    // A name after "in", "au", "at" is a place's: "au Népal, emporté par une avalanche, a déclaré …" names no
    // speaker, "Protesters in Gaza said" not Gaza.
    // Someone described there, or on a platform, speaks: "One student at Duke University said", "A nurse in Leeds
    // told", "One user on Weibo posted:".
    // (So is one after a particle of affiliation that opens no one's name: "Meteorologin Sandra Leitgeb vom
    // Wetterdienst Alpinwetter sprach von …" is hers, the service's only where she works.)
    const bool place = k > a && word(k - 1) && !t_[k - 1].capital && place_word(t_[k - 1].lower);
    const bool platform =
        k > a + 1 && word(k - 1) && !t_[k - 1].capital && contains(rules_.platform_prepositions, t_[k - 1].lower);
    if (place || platform) {
        if (const std::size_t d = indefinite_start(j, a); d != no_token)
            return SpeakerRef{SpeakerKind::phrase, d, j, nullptr};
        if (place) return std::nullopt;
    }
    // Nor is a name set off after a place's name, as a town's state or country is ("the college in Middletown,
    // Connecticut, wrote", "One student at Duke University in Durham, North Carolina, said").
    if (k > a && is_punct(k - 1, ",") && placed_name_before(k - 1, a)) return std::nullopt;
    // "El diputado de Convergencia Social Diego Ibáñez planteó": after "de", the body's name, then the person's from
    // a given name.
    if (k > a && j >= k + 2 && word(k - 1) && !t_[k - 1].capital &&
        contains(rules_.organisation_tail_connectors, t_[k - 1].lower)) {
        if (const std::size_t y = given_name_inside(k, j); y != no_token)
            return SpeakerRef{SpeakerKind::name, y, j, nullptr};
    }
    return SpeakerRef{SpeakerKind::name, k, j, nullptr};
}

std::size_t Parser::speech_verb_length(std::size_t i, std::size_t b) const {
    if (const std::size_t m = seq_at(lex_.speech_verbs, i, b); m > 0) return m;
    if (separable_at(i, b) == 0) return 0;
    // The particle closes the clause: the verb runs to the last word before b.
    std::size_t e = i + 1;
    while (e < b && word(e))
        ++e;
    return e - i;
}

bool Parser::describes_someone(std::size_t first, std::size_t last) const {
    std::size_t head = last;
    for (std::size_t k = first + 1; k <= last; ++k) {
        if (word(k) && !t_[k].capital && contains(rules_.description_postmodifiers, t_[k].lower)) {
            head = k - 1;
            break;
        }
    }
    return head > first && (t_[head].capital || agent_noun(head) || contains(rules_.group_speakers, t_[head].lower) ||
                            lex_.reference_words.by_last.contains(t_[head].lower));
}

std::size_t Parser::given_name_inside(std::size_t first, std::size_t last) const {
    for (std::size_t y = first + 1; y < last; ++y) {
        if (rules_.given_name_word(t_[y].lower) && !contains(rules_.saint_words, t_[y - 1].lower)) return y;
    }
    return no_token;
}

bool Parser::epithet_role(std::size_t first, std::size_t last) const {
    // "the teenager", and a role the rules list after an epithet: "the veteran aid official" is the person the story
    // is about, as "the veteran" is.
    if (contains(rules_.epithets, t_[last].lower)) return true;
    if (!person_role(last)) return false;
    for (std::size_t k = first; k < last; ++k) {
        if (word(k) && contains(rules_.epithets, t_[k].lower)) return true;
    }
    return false;
}

bool Parser::agent_noun(std::size_t k) const {
    if (!word(k) || t_[k].capital) return false;
    if (person_role(k) || contains(rules_.person_nouns, t_[k].lower)) return true;
    return std::any_of(rules_.agent_endings.begin(), rules_.agent_endings.end(), [&](const std::string& e) {
        return t_[k].lower.size() > e.size() + 2 && t_[k].lower.ends_with(e);
    });
}

bool Parser::pronoun_surname(std::size_t k, std::size_t j) const {
    return k < j && word(k) && t_[k].capital && contains(rules_.pronoun_surnames, t_[k].lower) && name_word(k + 1) &&
           !contains(rules_.not_names, t_[k + 1].lower) && !contains(rules_.titles, t_[k + 1].lower) &&
           !contains(rules_.nationalities, t_[k + 1].lower) && t_[k + 1].lower.find('.') == std::string::npos;
}

std::size_t Parser::after_destination(std::size_t first, std::size_t last) const {
    if (first < 2 || last < first + 2) return first;
    std::size_t to = first - 1;
    if (word(to) && t_[to].lower == "the") --to;  // "envoy to the United States Kelly Craft"
    if (to < 1 || !word(to) || t_[to].lower != "to") return first;
    const std::size_t role = to - 1;
    if (!word(role) || t_[role].capital || !role_word(role)) return first;
    for (std::size_t k = first + 1; k < last; ++k) {
        if (rules_.given_name_word(t_[k].lower)) return k;
    }
    return last - 1;
}

bool Parser::occupation_word(std::size_t k) const {
    return word(k) && !t_[k].capital && !is_number_token(t_[k]) && !contains(rules_.not_names, t_[k].lower) &&
           !contains(rules_.pronouns, t_[k].lower) && !contains(rules_.possessives, t_[k].lower) &&
           !contains(rules_.title_minor_words, t_[k].lower) && !contains(rules_.name_connectors, t_[k].lower) &&
           // Nor "vom", "für": what a body is of ("Thomas Roth vom Institut für Tropenmedizin").
           !contains(rules_.affiliation_particles, t_[k].lower) && !contains(rules_.body_qualifiers, t_[k].lower) &&
           !contains(rules_.copulas, t_[k].lower) && !t_[k].lower.ends_with("ly");
}

std::optional<SpeakerRef> Parser::coordinated_roles(std::size_t i, std::size_t b) const {
    constexpr std::size_t kMaxModifiers = 2;
    constexpr std::size_t kMaxSecondRole = 2;
    auto coordinator = [&](std::size_t k) {
        return word(k) && !t_[k].capital && contains(rules_.coordinators, t_[k].lower);
    };
    auto role = [&](std::size_t k) {
        if (!word(k) || rules_.given_name_word(t_[k].lower) || contains(rules_.not_names, t_[k].lower)) return false;
        if (!t_[k].capital) return agent_noun(k);
        const std::string& w = t_[k].lower;
        auto ends = [&](const std::vector<std::string>& endings) {
            return std::any_of(endings.begin(), endings.end(),
                               [&](const std::string& e) { return w.size() > e.size() + 3 && w.ends_with(e); });
        };
        return ends(rules_.agent_endings) || ends(rules_.capitalised_role_endings);
    };
    std::size_t n = i;
    if (word(n) && !t_[n].capital && (is_article(t_[n].lower) || contains(rules_.noun_articles, t_[n].lower))) ++n;
    // The coordinator right after the first role, past modifiers in lower case ("die nicaraguanische …").
    std::size_t c = no_token;
    for (std::size_t k = n + 1; k < b && k <= n + 1 + kMaxModifiers; ++k) {
        if (coordinator(k)) {
            c = k;
            break;
        }
        if (!word(k - 1) || t_[k - 1].capital || coordinator(k - 1)) break;
    }
    if (c == no_token || !role(c - 1)) return std::nullopt;
    // The second role, of a word or two, then the name from its given name.
    for (std::size_t g = c + 2; g < b && g <= c + 1 + kMaxSecondRole; ++g) {
        if (!word(g - 1) || rules_.given_name_word(t_[g - 1].lower) || coordinator(g - 1)) return std::nullopt;
        if (!name_word(g) || !rules_.given_name_word(t_[g].lower)) continue;
        if (g + 1 >= b || !name_word(g + 1)) return std::nullopt;
        // A first name the rules do not list before the one they do, after a role of one word ("Pädagogin María
        // Teresa Blandón").
        const std::size_t from = g == c + 3 && name_word(g - 1) && !role(g - 1) ? g - 1 : g;
        if (auto named = forward(from, b, false); named && named->kind == SpeakerKind::name && named->last > from)
            return named;
        return std::nullopt;
    }
    return std::nullopt;
}

std::optional<SpeakerRef> Parser::document_maker(std::size_t i, std::size_t b) const {
    std::size_t k = i;
    // (A day between: "hieß es am Montag aus der Staatskanzlei".)
    if (k + 2 < b && word(k) && t_[k].lower == "am" && name_word(k + 1) && word(k + 2) && !t_[k + 2].capital) k += 2;
    // "hieß es aus der Staatskanzlei": the body it came from, its nouns after the article, as printed.
    if (word(k) && !t_[k].capital && t_[k].lower == "aus" && word(k + 1) && !t_[k + 1].capital &&
        contains(rules_.dative_articles, t_[k + 1].lower) && name_word(k + 2)) {
        std::size_t last = k + 2;
        while (last + 1 < b && name_word(last + 1))
            ++last;
        return SpeakerRef{SpeakerKind::name, k + 2, last, nullptr};
    }
    // "…, heißt es von Crocs.": who says it, right after "von"; one word only where the clause ends with it (not
    // "von Seiten der Stadt").
    if (word(k) && !t_[k].capital && t_[k].lower == "von") {
        auto maker = forward(k + 1, b, false);
        if (!maker || maker->first != k + 1 ||
            (maker->kind != SpeakerKind::name && maker->kind != SpeakerKind::outlet)) {
            return std::nullopt;
        }
        const bool ends = maker->last + 1 >= b || is_punct(maker->last + 1, ".") || is_punct(maker->last + 1, ",") ||
                          is_punct(maker->last + 1, ";");
        if (maker->kind == SpeakerKind::name && maker->first == maker->last && !ends) return std::nullopt;
        return maker;
    }
    if (!word(k) || t_[k].capital || (t_[k].lower != "in" && t_[k].lower != "im")) return std::nullopt;
    ++k;
    // An article and up to one word describing the document ("in einer schriftlichen Mitteilung").
    for (int n = 0; n < 2 && k < b && word(k) && !t_[k].capital; ++n)
        ++k;
    if (k >= b || !word(k) || !contains(rules_.document_nouns, t_[k].lower)) return std::nullopt;
    ++k;
    if (k >= b || !word(k) || t_[k].capital || (t_[k].lower != "der" && t_[k].lower != "des")) return std::nullopt;
    auto maker = forward(k + 1, b, false);
    if (!maker || maker->first != k + 1 || (maker->kind != SpeakerKind::name && maker->kind != SpeakerKind::outlet)) {
        return std::nullopt;
    }
    // A noun alone, as German capitalises it, is a body spoken of again, not named ("des Verbands", "des Clubs"):
    // a name of two words or more, an outlet or an acronym.
    if (maker->kind == SpeakerKind::name && maker->first == maker->last && !acronym_at(maker->first)) {
        return std::nullopt;
    }
    return maker;
}

std::optional<SpeakerRef> Parser::forward(std::size_t i, std::size_t b, bool allow_phrase) const {
    if (!word(i) || i >= b) return std::nullopt;
    for (std::size_t n = std::min<std::size_t>(6, b - i); n >= 1; --n) {
        if (const Outlet* o = outlet_span(i, i + n - 1)) return SpeakerRef{SpeakerKind::outlet, i, i + n - 1, o};
    }
    if (auto named = coordinated_roles(i, b)) return named;
    // "schreiben Forscher um Aneta Afelt", "wrote researchers led by Dr Mira Patel": a team, then who leads it, who
    // speaks for it.
    {
        std::size_t g = i;
        if (word(g) && !t_[g].capital &&
            (is_article(t_[g].lower) || contains(rules_.noun_articles, t_[g].lower) ||
             contains(rules_.indefinite_determiners, t_[g].lower))) {
            ++g;
        }
        if (g + 2 < b && word(g) &&
            (contains(rules_.group_speakers, t_[g].lower) || contains(rules_.team_nouns, t_[g].lower))) {
            if (const std::size_t l = seq_at(lex_.led_by, g + 1, b); l > 0 && name_word(g + 1 + l)) {
                if (auto named = forward(g + 1 + l, b, false); named && named->kind == SpeakerKind::name) return named;
            }
        }
    }
    // A reference or a role qualified by a name after "of" names who it is: "selon le ministère des Affaires
    // étrangères", "a déclaré le ministre de l’Intérieur". Read as a phrase below, not as a pointer back.
    // Where the name after "de" starts, past the body's article ("de la Nación", "of the Interior", "de l’Intérieur").
    auto qualifier_name = [&](std::size_t after) {
        std::size_t n = after + 1;
        if (n + 1 < b && word(n) && !t_[n].capital &&
            (is_article(t_[n].lower) || contains(rules_.institution_articles, t_[n].lower))) {
            ++n;
        }
        return n;
    };
    auto qualified = [&](std::size_t after) {
        if (after + 1 >= b || !word(after)) return false;
        const std::string& w = t_[after].lower;
        if (w != "of" && w != "de" && w != "des" && w != "du" && w != "del" && w != "der" && w != "do" && w != "da")
            return false;
        const std::size_t n = qualifier_name(after);
        // German "der" before a medium is a dative, to whom ("sagte der Minister der Zeitung").
        if (w == "der" && name_word(n) && medium(n)) return false;
        // Or a body by what it is: "the head of the union", "the president of the club".
        if (w == "of" && n == after + 2 && word(n) && !t_[n].capital &&
            (seq_at(lex_.subject_references, after + 1, b) == 2 || contains(rules_.organisation_words, t_[n].lower))) {
            return true;
        }
        return name_word(n);
    };
    // Not a reference word in capitals that opens a name: "según el Banco Central".
    if (const std::size_t l = seq_at(lex_.reference_words, i, b);
        l > 0 && !(t_[i + l - 1].capital && i + l < b && name_word(i + l)) && !qualified(i + l)) {
        return SpeakerRef{SpeakerKind::reference, i, i + l - 1, nullptr};
    }
    if (its_document_at(i, b) == 2 && !qualified(i + 2)) return SpeakerRef{SpeakerKind::reference, i, i + 1, nullptr};
    const std::size_t role_words = seq_at(lex_.person_references, i, b);
    // "a dénoncé le maire de la commune, Thierry Vasseur": a role qualified by a place, then its name.
    if (role_words > 0 && qualified(i + role_words)) {
        if (auto named = role_then_name(t_[i].lower == "the" ? i + 1 : i, b)) return named;
        // "dijo el ministro de Hacienda", "a déclaré le ministre de l’Intérieur": the one in that role named
        // before, else the description as printed, what the role is of with it ("said the chief executive of
        // Brightwell Energy").
        const std::size_t n = qualifier_name(i + role_words);
        std::size_t e = n;
        if (auto named = forward(n, b, false); named && named->kind == SpeakerKind::name) {
            e = named->last;
        } else {
            while (e + 1 < b && name_word(e + 1))
                ++e;
        }
        // "The CEO of California’s grid operator put it simply:": a name that owns, then what it owns, a few words in
        // lower case ending with an agent's or a body's word right before the verb of saying.
        if (word(e) && possessive_length(t_[e].lower) > 0) {
            constexpr std::size_t kMaxOwned = 3;
            for (std::size_t m = e + 1; m < b && m <= e + kMaxOwned && word(m) && !t_[m].capital; ++m) {
                if (m + 1 < b && speech_verb_at(m + 1, b)) {
                    if (agent_noun(m) || contains(rules_.organisation_words, t_[m].lower)) e = m;
                    break;
                }
            }
        }
        // "El diputado de Convergencia Social Diego Ibáñez": the body's name, then the person's, from a given name.
        if (const std::size_t k = given_name_inside(n, e); k != no_token)
            return SpeakerRef{SpeakerKind::name, k, e, nullptr};
        // (Not one with a name set off after it, read below: "Der Trainer der Gäste, Milan Hrubý, haderte",
        // "el secretario de Salud estatal, Gilberto Loya", "el presidente del Sindicato N°1, Claudio Henríquez".)
        constexpr std::size_t kMaxTail = 4;
        bool set_off = false;
        for (std::size_t k = e + 1; k < b && k <= e + kMaxTail; ++k) {
            if (is_punct(k, ",")) {
                set_off = name_word(k + 1);
                break;
            }
            if (!word(k) &&
                (t_[k].kind != Token::Kind::punct || is_punct(k, ".") || is_punct(k, ";") || is_punct(k, ":"))) {
                break;
            }
        }
        if (!set_off) {
            SpeakerRef r{SpeakerKind::person_reference, i, i + role_words - 1, nullptr};
            r.qualified_last = e;
            return r;
        }
    }
    if (const std::size_t l = role_words; l > 0 && !qualified(i + l)) {
        // "dijo la alcaldesa Carmen Ruiz": the name after the role speaks; "el Banco Central": a role's word in
        // capitals before a name is the name's own first word, read below as a name.
        const std::size_t after = i + l;
        if (after < b && name_word(after) && !contains(rules_.not_names, t_[after].lower)) {
            if (!t_[after - 1].capital) {
                if (auto named = forward(after, b, false); named && named->kind == SpeakerKind::name) return named;
            }
        } else {
            // "— пообещал директор завода Виктор Аникеев": the role, a complement of a few words in lower case
            // (a genitive), then a name of two words or more.
            constexpr std::size_t kMaxComplement = 3;
            std::size_t n = after;
            // (A genitive has no preposition: "el secretario general de La Cámpora" names the body the role is of.)
            while (n < b && n < after + kMaxComplement && word(n) && !t_[n].capital &&
                   !contains(rules_.not_names, t_[n].lower) && !speech_verb_at(n, b) &&
                   !contains(rules_.prepositions, t_[n].lower) &&
                   !contains(rules_.organisation_tail_connectors, t_[n].lower))
                ++n;
            if (n > after && n + 1 < b && name_word(n) && name_word(n + 1) &&
                !contains(rules_.not_names, t_[n].lower)) {
                if (auto named = forward(n, b, false); named && named->kind == SpeakerKind::name) return named;
            }
            // "a déclaré le ministre de l’Intérieur, Gérald Lemaire.": the role, then its name in an appositive.
            if (auto named = role_then_name(t_[i].lower == "the" ? i + 1 : i, b)) return named;
            return SpeakerRef{SpeakerKind::person_reference, i, after - 1, nullptr};
        }
    }
    // "a confirmé son agent, Dirk Claessens, au quotidien", "said his lawyer, Jane Ruiz.": the name set off after the
    // role.
    if (word(i) && !t_[i].capital && contains(rules_.appositive_possessives, t_[i].lower)) {
        if (auto named = role_then_name(i + 1, b)) return named;
    }
    // "said the former president", "a déclaré le nouveau ministre": the role, a word for when between.
    for (std::size_t r = i + 2; r < b && r <= i + 3; ++r) {
        if (timed_role_start(r, i) == i && (r + 1 >= b || !name_word(r + 1))) {
            return SpeakerRef{SpeakerKind::person_reference, i, r, nullptr};
        }
    }
    if (i + 1 < b && t_[i].lower == "the" && word(i + 1) && t_[i + 1].lower.ends_with("-year-old")) {
        // "said the 38-year-old singer": the role after the age is part of the description, also after a word
        // in lower case qualifying it ("the 61-year-old former governor").
        std::size_t last = i + 1;
        if (i + 2 < b && word(i + 2) && person_role(i + 2)) {
            last = i + 2;
        } else if (i + 3 < b && word(i + 2) && !t_[i + 2].capital && word(i + 3) && person_role(i + 3)) {
            last = i + 3;
        }
        return SpeakerRef{SpeakerKind::person_reference, i, last, nullptr};
    }
    if (i + 2 < b && t_[i].lower == "the" && word(i + 1) && !t_[i + 1].capital &&
        t_[i + 1].lower.find('-') != std::string::npos && word(i + 2) && person_role(i + 2)) {
        return SpeakerRef{SpeakerKind::person_reference, i, i + 2, nullptr};
    }
    if (contains(rules_.pronouns, t_[i].lower)) return SpeakerRef{SpeakerKind::pronoun, i, i, nullptr};
    // "said someone at the meeting", "said someone close to the talks": someone not named, as printed, with where
    // they are.
    if (word(i) && !t_[i].capital && contains(rules_.indefinite_pronouns, t_[i].lower)) {
        std::size_t end = i;
        if (i + 2 < b && word(i + 1) && word(i + 2) && contains(rules_.description_postmodifiers, t_[i + 1].lower)) {
            constexpr std::size_t kMaxPostmodifier = 8;
            end = i + 2;
            while (end + 1 < b && end < i + kMaxPostmodifier && word(end + 1))
                ++end;
        }
        return SpeakerRef{SpeakerKind::phrase, i, end, nullptr};
    }
    // "said a report from Kotak Institutional Equities", "according to a statement by the ministry": whoever issued
    // the document speaks.
    // "said a company spokesman", "said a source close to the talks": someone described, not named.
    if (word(i) && !t_[i].capital && contains(rules_.indefinite_determiners, t_[i].lower)) {
        std::size_t head = no_token;
        bool head_placed = false;
        // A small word inside a name that describes the one who speaks, a role after it: "a Department for
        // Education spokesperson".
        auto in_name = [&](std::size_t e) {
            return e > i + 1 && e + 2 < b && small_word_in_name(e) && word(e + 2) && !t_[e + 2].capital &&
                   person_role(e + 2);
        };
        for (std::size_t e = i + 1; e < b && e <= i + 4 && word(e); ++e) {
            if (contains(rules_.description_postmodifiers, t_[e].lower) && !in_name(e)) break;
            // "said one backbench TD", "said a Labour MP": a member's title in capitals is the description's head.
            if (e + 1 < b && acronym_at(e + 1) && person_role(e + 1) && (e + 2 >= b || !word(e + 2))) {
                head = e + 1;
                break;
            }
            // "said a Florida Democrat", "added another commonwealth Democrat": a party's member ends it.
            if (e + 1 < b && t_[e + 1].capital && contains(rules_.party_members, t_[e + 1].lower) &&
                (e + 2 >= b || !word(e + 2))) {
                head = e + 1;
                break;
            }
            const bool postmodified = e + 1 < b && word(e + 1) && !t_[e + 1].capital &&
                                      contains(rules_.description_postmodifiers, t_[e + 1].lower);
            // "said one GOP operative in the state", "said a dispatcher on the police scanner": a person's word before
            // where they are.
            const bool placed = e + 1 < b && word(e + 1) && !t_[e + 1].capital &&
                                (t_[e + 1].lower == "on" || contains(rules_.place_prepositions, t_[e + 1].lower)) &&
                                agent_noun(e);
            // Or before a relative clause ("said a shopkeeper who asked not to be named", "contó un comerciante que
            // pidió no ser identificado").
            const bool relative = e + 1 < b && word(e + 1) && !t_[e + 1].capital &&
                                  contains(rules_.relative_pronouns, t_[e + 1].lower) && agent_noun(e);
            // (Not at a word for when, before the words it qualifies: "a former Fox employee".)
            if (indefinite_description(i + 1, e) && !contains(rules_.role_time_modifiers, t_[e].lower) &&
                (e + 1 >= b || !word(e + 1) || t_[e + 1].capital || postmodified || placed || relative)) {
                head = e;
                head_placed = placed && !postmodified;
                break;
            }
            // "ein Sprecher des Klinikums": a noun in capitals, as German writes it, before what qualifies it, or
            // before where the person stands ("eine Kassiererin vor einer Filiale").
            // So before to whom it was said, in the dative ("sagte eine Bahn-Sprecherin dem Zugreiseblog").
            const bool german_placed = e + 1 < b && word(e + 1) && !t_[e + 1].capital &&
                                       (contains(rules_.prepositions, t_[e + 1].lower) ||
                                        contains(rules_.place_prepositions, t_[e + 1].lower) ||
                                        (contains(rules_.dative_articles, t_[e + 1].lower) &&
                                         !contains(rules_.description_postmodifiers, t_[e + 1].lower))) &&
                                       contains(rules_.noun_determiners, t_[i].lower);
            if (e == i + 1 && t_[e].capital && !is_number_token(t_[e]) && (postmodified || german_placed) &&
                !t_[i].capital && !in_name(e + 1)) {
                head = e;
                break;
            }
        }
        // "said another witness in the impeachment probe, former … adviser Fiona Hill": the name in the appositive
        // after the place speaks, read by the patterns below.
        if (head_placed) {
            std::size_t k = head + 1;
            while (k < b && k < head + kMaxNameWords && word(k))
                ++k;
            if (is_punct(k, ",")) head = no_token;
        }
        if (head != no_token && !lex_.reference_words.by_last.contains(t_[head].lower)) {
            std::size_t end = head;
            if (head + 1 < b && word(head + 1) && contains(rules_.description_postmodifiers, t_[head + 1].lower)) {
                // Up to a word in lower case after a name's, other than a small word of one ("ein Sprecher des
                // Klinikums mit", "a Câmara Municipal de Vila Nova de Azenha"); a number is no name's word ("una vecina
                // de 58 años").
                constexpr std::size_t kMaxPostmodifier = 8;
                std::size_t k = head + 1;
                while (k + 1 < b && k < head + kMaxPostmodifier && word(k + 1) &&
                       !(t_[k].capital && !is_number_token(t_[k]) && !t_[k + 1].capital &&
                         !contains(rules_.title_minor_words, t_[k + 1].lower) &&
                         !contains(rules_.description_postmodifiers, t_[k + 1].lower)))
                    ++k;
                end = k;
            }
            return SpeakerRef{SpeakerKind::phrase, i, end, nullptr};
        }
    }
    // Up to two words may describe the document ("a 2018 survey by", "a new report from").
    if (word(i) && contains(rules_.indefinite_determiners, t_[i].lower)) {
        auto document = [&](std::size_t k) {
            return word(k) && !t_[k].capital &&
                   (lex_.reference_words.by_last.contains(t_[k].lower) || contains(rules_.made_documents, t_[k].lower));
        };
        for (std::size_t d = i + 1; d < b && d <= i + 3 && word(d); ++d) {
            // "a police release": a group describing the document put it out.
            if (!t_[d].capital && contains(rules_.group_speakers, t_[d].lower) && document(d + 1)) {
                SpeakerRef group{SpeakerKind::phrase, d, d, nullptr};
                group.group = true;
                return group;
            }
            if (!document(d)) {
                if (t_[d].capital && !is_number_token(t_[d])) break;
                continue;
            }
            // "a report from", "a report by", "a report of", or a few words later "a report released on Tuesday by",
            // "a poll released last week by".
            constexpr std::size_t kMaxBetween = 4;
            for (std::size_t e = d + 1; e + 1 < b && e <= d + 1 + kMaxBetween && word(e); ++e) {
                const std::string& w = t_[e].lower;
                if (w == "from" || w == "by" || (w == "of" && e == d + 1)) {
                    // "by the Coastal Health Alliance": the name after the article.
                    const std::size_t at = e + 2 < b && t_[e + 1].lower == "the" && name_word(e + 2) ? e + 2 : e + 1;
                    // (Or a body spoken of again, ending the phrase: "read a statement from the club".)
                    if (auto issuer = forward(at, b, allow_phrase);
                        issuer && issuer->kind != SpeakerKind::pronoun &&
                        (issuer->kind != SpeakerKind::reference ||
                         (body_reference(*issuer) && (issuer->last + 1 >= b || !word(issuer->last + 1))))) {
                        return issuer;
                    }
                    // "by the district police": a group after the article.
                    if (at == e + 1 && t_[at].lower == "the") {
                        if (auto group = forward(at + 1, b, false); group && group->group) return group;
                    }
                    // "by inspector Karin Lisle": an occupation in lower case, then the name.
                    if (at + 1 < b && occupation_word(at) && name_word(at + 1)) {
                        if (auto named = forward(at + 1, b, false); named && named->kind == SpeakerKind::name) {
                            return named;
                        }
                    }
                    break;
                }
            }
            break;
        }
    }
    // "wrote 43-year-old Martin Taylor": an age before the name.
    if (word(i) && t_[i].lower.ends_with("-year-old") && i + 1 < b && name_word(i + 1)) {
        if (auto named = forward(i + 1, b, false); named && named->kind == SpeakerKind::name) return named;
    }
    // "said police", "said the investigators", "said local officials".
    for (std::size_t k = i; k < b && k < i + 3 && word(k); ++k) {
        if (contains(rules_.group_speakers, t_[k].lower) &&
            (!t_[k].capital ||
             (k > i && word(k - 1) && !t_[k - 1].capital && contains(rules_.group_articles, t_[k - 1].lower)))) {
            // Not a group word that describes a name after it ("said police spokesman John Lee", "said defense
            // attorney Jane Doe"): the name speaks.
            std::size_t after = k + 1;
            while (after < b && after < k + 3 && occupation_word(after) &&
                   !contains(rules_.auxiliaries, t_[after].lower))
                ++after;
            if (after < b && name_word(after)) break;
            if (auto group = group_ending(k, i); group && group->first == i) {
                // What the group is of: "say the residents of Block C", "рассказали рабочие завода" (the words
                // after it ending the clause).
                if (k + 2 < b && word(k + 1) && t_[k + 1].lower == "of" && name_word(k + 2)) {
                    std::size_t last = k + 2;
                    while (last + 1 < b && last < k + 1 + kMaxNameWords && name_word(last + 1))
                        ++last;
                    group->last = last;
                } else if (constexpr std::size_t kMaxPlace = 6;
                           k + 2 < b && word(k + 1) && !t_[k + 1].capital &&
                           contains(rules_.description_postmodifiers, t_[k + 1].lower) && word(k + 2)) {
                    // "said people familiar with the matter", "aseguran fuentes cercanas al alcalde": what places
                    // the group, to the clause's end.
                    std::size_t last = k + 2;
                    while (last + 1 < b && last < k + kMaxPlace && word(last + 1) && !speech_verb_at(last + 1, b) &&
                           !contains(rules_.relative_pronouns, t_[last + 1].lower) &&
                           !contains(rules_.coordinators, t_[last + 1].lower))
                        ++last;
                    group->last = last;
                } else if (after > k + 1 && (after >= b || !word(after))) {
                    group->last = after - 1;
                }
                return group;
            }
            break;
        }
    }
    // "said the charity’s operations manager, Bernadette Ferris.": the role, then the name that ends the clause.
    if (word(i) && t_[i].lower == "the") {
        if (auto named = role_then_name(i + 1, b)) return named;
    }
    // "said the Texas Republican": a party's member, as above.
    if (word(i) && t_[i].lower == "the") {
        constexpr std::size_t kMaxModifiers = 3;
        for (std::size_t k = i + 1; k < b && k <= i + 1 + kMaxModifiers && word(k); ++k) {
            if (contains(rules_.party_members, t_[k].lower) && (k + 1 >= b || !name_word(k + 1))) {
                SpeakerRef r{SpeakerKind::person_reference, i, k, nullptr};
                r.epithet = true;
                return r;
            }
        }
    }
    // "said the Welshman", "the Argentine said": a nationality after "the" describes the person named before.
    if (word(i) && t_[i].lower == "the" && i + 1 < b && nationality(i + 1) && !acronym_at(i + 1) &&
        (i + 2 >= b || !word(i + 2) || !t_[i + 2].capital)) {
        SpeakerRef r{SpeakerKind::person_reference, i, i + 1, nullptr};
        r.epithet = true;
        return r;
    }
    // "added the insider", "said the veteran Democrat": a person described and not named, the noun ending the phrase.
    if (word(i) && t_[i].lower == "the") {
        for (std::size_t j = i + 1; j < b && j < i + 4 && word(j); ++j) {
            const bool ends = j + 1 >= b || !word(j + 1) || contains(rules_.title_minor_words, t_[j + 1].lower) ||
                              contains(rules_.appositive_openers, t_[j + 1].lower) ||
                              contains(rules_.clause_openers, t_[j + 1].lower);
            if (ends && described_person_start(j, i) == i) {
                SpeakerRef r{SpeakerKind::person_reference, i, j, nullptr};
                r.epithet = epithet_role(i + 1, j);
                r.described = !r.epithet;
                return r;
            }
        }
    }
    // "said the Pentagon", "said the Norland Water Authority", "said the U.S. Court of Appeals for the 8th
    // Circuit": a body's name after the article.
    if (word(i) && t_[i].lower == "the" && i + 1 < b && name_word(i + 1) &&
        !contains(rules_.not_names, t_[i + 1].lower)) {
        if (auto named = forward(i + 1, b, false); named && named->kind == SpeakerKind::name) {
            // Its tail after "of" or "for" ("the Court of Appeals for the 8th Circuit"), as the pattern before the
            // verb reads it.
            std::size_t last = named->last;
            for (;;) {
                std::size_t n = last + 1;
                if (!(n + 1 < b && word(n) && !t_[n].capital && (t_[n].lower == "of" || t_[n].lower == "for"))) break;
                ++n;
                if (n < b && word(n) && t_[n].lower == "the") ++n;
                if (n + 1 < b && ordinal_at(n) && name_word(n + 1)) ++n;
                if (!name_word(n)) break;
                while (n + 1 < b && name_word(n + 1))
                    ++n;
                last = n;
            }
            // "said the Senate intelligence committee": up to two words in lower case and a body's word after it.
            for (std::size_t m = last + 1; m < b && m <= last + 3 && word(m) && !t_[m].capital; ++m) {
                if (contains(rules_.organisation_words, t_[m].lower) ||
                    contains(rules_.named_body_nouns, t_[m].lower)) {
                    last = m;
                    break;
                }
                if (!body_modifier(m)) break;
            }
            // Not what a participle says ("saying the Senate plan “spends …”"): the name ends its clause, or a
            // preposition or a clause's word follows it ("said the Pentagon in a statement").
            const std::size_t n = last + 1;
            const bool ends = n >= b || !word(n) ||
                              (!t_[n].capital && (contains(rules_.prepositions, t_[n].lower) ||
                                                  contains(rules_.place_prepositions, t_[n].lower) ||
                                                  contains(rules_.clause_openers, t_[n].lower)));
            if (ends && !(i > 0 && word(i - 1) && t_[i - 1].lower.ends_with("ing"))) {
                named->first = i + 1;
                named->last = last;
                return named;
            }
        }
    }
    // "sagte von Preen", "said van Rijn": a surname with its particle, the given name left out.
    if (word(i) && !t_[i].capital && contains(rules_.leading_name_particles, t_[i].lower) && i + 1 < b &&
        name_word(i + 1)) {
        if (auto named = forward(i + 1, b, false); named && named->kind == SpeakerKind::name) {
            named->first = i;
            return named;
        }
    }
    // "a indiqué le ministère du Travail dans un communiqué", "selon la préfecture du Rhône": an institution French
    // writes in lower case after its article, named by the capital after "de": that institution.
    if (word(i) && !t_[i].capital && contains(rules_.institution_articles, t_[i].lower) && i + 3 < b && word(i + 1) &&
        !t_[i + 1].capital && contains(rules_.tailed_organisation_words, t_[i + 1].lower)) {
        constexpr std::size_t kMaxTail = 7;
        std::size_t best = no_token;
        for (std::size_t j = i + 2; j < b && j < i + 2 + kMaxTail && word(j); ++j) {
            if (contains(rules_.organisation_tail_stops, t_[j].lower)) break;
            if (t_[j].capital) {
                // After "de" ("du Travail"), or "de" and an article ("de l’Intérieur"), or a word of the name.
                const bool after_de = contains(rules_.organisation_tail_connectors, t_[j - 1].lower) ||
                                      (j >= i + 4 && contains(rules_.institution_articles, t_[j - 1].lower) &&
                                       contains(rules_.organisation_tail_connectors, t_[j - 2].lower));
                if (!is_number_token(t_[j]) && (after_de || best == j - 1)) best = j;
            } else if (best == j - 1 && !contains(rules_.prepositions, t_[j].lower) &&
                       !contains(rules_.place_prepositions, t_[j].lower) &&
                       !contains(rules_.pro_drop_followers, t_[j].lower) &&
                       !contains(rules_.organisation_tail_connectors, t_[j].lower)) {
                best = j;  // an adjective after the name's noun: "des Affaires étrangères"
            } else if (!contains(rules_.organisation_tail_connectors, t_[j].lower) &&
                       !contains(rules_.institution_articles, t_[j].lower)) {
                break;
            }
        }
        if (best != no_token) return SpeakerRef{SpeakerKind::name, i + 1, best, nullptr};
    }
    // "apuntó la vicepresidenta", "dijo el secretario general de La Cámpora", "a répondu le porte-parole": an
    // article of a language that puts it before a role in lower case, the role ending the clause or qualified by
    // what follows; the person named last, as "said the spokesman".
    if (word(i) && !t_[i].capital && contains(rules_.role_articles, t_[i].lower)) {
        // The role ends at a word that qualifies it or a preposition ("afirmó el exdelantero en declaraciones a
        // Radio Mitre").
        auto stop = [&](std::size_t k) {
            return contains(rules_.description_postmodifiers, t_[k].lower) ||
                   contains(rules_.title_minor_words, t_[k].lower) || contains(rules_.prepositions, t_[k].lower) ||
                   contains(rules_.pro_drop_followers, t_[k].lower);
        };
        std::size_t j = i + 1;
        while (j < b && j < i + 4 && occupation_word(j) && !stop(j))
            ++j;
        const bool ends = j >= b || !word(j) || stop(j);
        if (j > i + 1 && ends && described_person_start(j - 1, i + 1) == no_token) {
            // "aseguró la consejera, Maite Urquiola Larrañaga.", "ha explicado la secretaria general del Sindicato
            // Médico Independiente, Beatriz Olmedo.": the name in the appositive.
            if (auto named = role_then_name(i, b)) return named;
            // Not one qualified by a name ("selon le parquet de Valcourt"): read as a phrase below.
            if (!qualified(j)) return SpeakerRef{SpeakerKind::person_reference, i, j - 1, nullptr};
        }
    }
    // "so der 15-malige Major-Sieger rückblickend", "sagte die Grünen-Politikerin": a German article, words in
    // lower case describing, and one noun in capitals that ends the clause (an adverb may follow): the person the
    // paragraphs are about. Not a noun before a name ("der Virologe Jonas Weber", read below).
    // "sagte die 61-Jährige": an age as German writes it, a person described (also opening a sentence: "Der
    // 24-Jährige: „…“").
    if (word(i) && contains(rules_.noun_articles, t_[i].lower) && i + 1 < b && word(i + 1) &&
        is_number_token(t_[i + 1]) && age_suffix_length(t_[i + 1].lower, rules_) > 0) {
        SpeakerRef r{SpeakerKind::person_reference, i, i + 1, nullptr};
        r.epithet = true;
        return r;
    }
    if (word(i) && !t_[i].capital && contains(rules_.noun_articles, t_[i].lower)) {
        std::size_t n = i + 1;
        // Modifiers in lower case, or a number joined to one ("15-malige"); a preposition is none ("die aus Sicht
        // von …" opens a relative clause).
        bool prepositional = false;
        while (n < b && n < i + 3 && word(n) &&
               (!t_[n].capital || (is_number_token(t_[n]) && t_[n].lower.find('-') != std::string::npos))) {
            prepositional = prepositional || contains(rules_.prepositions, t_[n].lower) ||
                            contains(rules_.place_prepositions, t_[n].lower);
            ++n;
        }
        // A place's adjective, in capitals ("so die Stuttgarter Sportdirektorin", "der Berliner Senator").
        if (n + 1 < b && name_word(n) && name_word(n + 1) && t_[n].lower.size() > 4 && t_[n].lower.ends_with("er") &&
            !contains(rules_.not_names, t_[n].lower) && !lex_.speech_verbs.by_first.contains(t_[n + 1].lower)) {
            ++n;
        }
        // (Not a group: "sagen die Experten".)
        if (!prepositional && n < b && name_word(n) && !contains(rules_.not_names, t_[n].lower) &&
            !contains(rules_.group_speakers, t_[n].lower)) {
            const std::size_t after = n + 1;
            // (Or where it was said follows: "sagte der gebürtige Österreicher in einer Telefonkonferenz".)
            const bool ends = after >= b || !word(after) ||
                              (!t_[after].capital && (after + 1 >= b || !word(after + 1) ||
                                                      contains(rules_.place_prepositions, t_[after].lower) ||
                                                      contains(rules_.prepositions, t_[after].lower)));
            if (ends) {
                SpeakerRef r{SpeakerKind::person_reference, i, n, nullptr};
                r.epithet = true;
                return r;
            }
        }
    }
    // "sagte der Sportliche Leiter des ÖSV, Mario Stecher": a German article, a role in capitals and what it is of,
    // then the person's name of two words or more in an appositive that ends the clause.
    if (word(i) && !t_[i].capital && contains(rules_.body_articles, t_[i].lower) && i + 2 < b && name_word(i + 1)) {
        constexpr std::size_t kMaxRole = 6;
        std::size_t k = i + 1;
        while (k < b && k < i + 1 + kMaxRole && word(k) &&
               (name_word(k) || contains(rules_.body_qualifiers, t_[k].lower)))
            ++k;
        if (k + 2 < b && k > i + 1 && is_punct(k, ",") && name_word(k + 1) && name_word(k + 2)) {
            if (auto named = forward(k + 1, b, false); named && named->kind == SpeakerKind::name &&
                                                       named->last > named->first &&
                                                       (named->last + 1 >= b || !word(named->last + 1))) {
                return named;
            }
        }
    }
    // "sagte der Verband der Automobilindustrie", "erklärte das Bundesministerium für Gesundheit", "sagte der
    // Sprecher des Ministeriums": a German article, its noun, and what it is of or for, ending the clause. A role
    // so qualified is someone described; any other noun names the body.
    if (word(i) && !t_[i].capital && contains(rules_.body_articles, t_[i].lower) && i + 1 < b && name_word(i + 1) &&
        !contains(rules_.not_names, t_[i + 1].lower)) {
        constexpr std::size_t kMaxQualifiers = 3;
        std::size_t last = i + 1;
        std::size_t qualifiers = 0;
        // Not a medium in the dative, to whom it was said ("sagte der Minister der Zeitung", "der dpa").
        while (qualifiers < kMaxQualifiers && last + 2 < b + 1 && word(last + 1) && !t_[last + 1].capital &&
               contains(rules_.body_qualifiers, t_[last + 1].lower) && name_word(last + 2) && !medium(last + 2)) {
            std::size_t e = last + 2;
            while (e + 1 < b && e < last + 2 + kMaxNameWords && name_word(e + 1))
                ++e;
            last = e;
            ++qualifiers;
        }
        // The clause ends there, or after a few words of when or where in lower case first ("am Montag").
        constexpr std::size_t kMaxTrailing = 3;
        std::size_t after = last + 1;
        if (after < b && word(after) && !t_[after].capital) {
            std::size_t e = after + 1;
            while (e < b && e <= after + kMaxTrailing && word(e))
                ++e;
            if (e >= b || !word(e)) after = e;
        }
        const bool ends = after >= b || !word(after);
        if (qualifiers > 0 && ends) {
            if (seq_at(lex_.person_references, i, b) == 2) return SpeakerRef{SpeakerKind::phrase, i, last, nullptr};
            return SpeakerRef{SpeakerKind::name, i + 1, last, nullptr};
        }
        // "teilte das Robert-Koch-Institut mit", "erklärte das Landratsamt": a neuter article names no person, so the
        // noun after it is a body's name.
        // (A body's word ends it, joined or hyphenated, or it is an acronym: not "das Land", "das Ergebnis".)
        if (qualifiers == 0 && ends && contains(rules_.neuter_articles, t_[i].lower) &&
            (acronym_at(last) || ends_in_body_word(t_[last].lower))) {
            return SpeakerRef{SpeakerKind::name, i + 1, last, nullptr};
        }
    }
    if (name_word(i) && !contains(rules_.not_names, t_[i].lower)) {
        std::size_t k = i;
        // A word that opens a clause ends the name: "Grosbliederstroff Wenn Helmut Kohl …", a dateline run into
        // the sentence, names no one of three words.
        while (k < b && k < i + kMaxNameWords &&
               (name_word(k) || (connector(k) && !affiliation_particle(t_, k, i, rules_)) || body_conjunction(k, i)) &&
               !(k > i && t_[k].capital && t_[k - 1].capital && contains(rules_.not_names, t_[k].lower) &&
                 name_word(k + 1)))
            ++k;
        while (k > i + 1 && connector(k - 1))
            --k;
        if (k == i + 1 && nationality(i)) {
            // "said French diplomats in Brussels": the nationality and the group it describes.
            if (const std::size_t last = described_group_end(k, b); last != no_token) {
                return SpeakerRef{SpeakerKind::phrase, i, last, nullptr};
            }
        }
        // A title's word alone is no one, except right after the verb, where it is a surname ("said King, who
        // resigned" after "Wayne King").
        if (only_titles(i, k - 1) &&
            !(k == i + 1 && t_[i].capital && !contains(rules_.nationalities, t_[i].lower) && i > 0 && word(i - 1) &&
              lex_.speech_verb_end(t_[i - 1].lower)) &&
            !(k == i + 1 && acronym_at(i))) {
            return std::nullopt;
        }
        // "Russia's foreign ministry said": a body named by what it is after an owner's name.
        if (const std::size_t body = owned_body_end(k - 1, b); body != no_token) {
            return SpeakerRef{SpeakerKind::phrase, i, body, nullptr};
        }
        // "responded NASA administrator Jim Bridenstine", "said Google chief executive Sundar Pichai": the name
        // after the occupation is the speaker, the one before it their employer.
        {
            // Not a verb in the past tense after the name: "Benioff introduced Tim Cook as …" names Benioff.
            // Nor a verb's forms: "Eastfield Rovers have suspended midfielder Kieran Doyle" names the club.
            auto verb_form = [&](std::size_t x) {
                return t_[x].lower.ends_with("ed") || contains(rules_.auxiliaries, t_[x].lower);
            };
            std::size_t x = k;
            while (x < b && x < k + 3 && occupation_word(x) && !verb_form(x))
                ++x;
            if (x > k && x < b && name_word(x) && !contains(rules_.not_names, t_[x].lower)) {
                // A person's name of two words at least ("am Abend" after a German name is a time).
                if (auto named = forward(x, b, false);
                    named && named->kind == SpeakerKind::name && named->last > named->first) {
                    return named;
                }
            }
        }
        return SpeakerRef{SpeakerKind::name, i, k - 1, nullptr};
    }
    // An occupation in lower case before the name, after an article or not: "said astronomer Natasha
    // Hurley-Walker", "joked veteran jockey Paddy Flanagan", "dijo la alcaldesa Carmen Ruiz". The name is the
    // speaker. Not across a preposition or an article inside: "ministère des Affaires étrangères" is an
    // organisation named in lower case.
    {
        auto plain = [&](std::size_t k) { return occupation_word(k); };
        std::size_t k = i;
        if (word(k) && !t_[k].capital && contains(rules_.title_minor_words, t_[k].lower) && plain(k + 1)) ++k;
        const std::size_t first = k;
        while (k < b && k < first + 3 && plain(k))
            ++k;
        if (k > first && k < b && name_word(k) && !contains(rules_.not_names, t_[k].lower)) {
            if (auto named = forward(k, b, false); named && named->kind == SpeakerKind::name) return named;
        }
        // An article before a capitalised noun and a name: "sagte der Virologe Jonas Weber" (German writes its
        // nouns with a capital; after an English article a capital opens a name: "the New Zealand Department").
        const std::string& article = t_[i].lower;
        if (word(i) && !t_[i].capital && contains(rules_.title_minor_words, article) && article != "the" &&
            article != "a" && article != "an" && i + 2 < b && name_word(i + 1) && name_word(i + 2) &&
            !contains(rules_.not_names, t_[i + 1].lower)) {
            if (auto named = forward(i + 1, b, false); named && named->kind == SpeakerKind::name) return named;
        }
        // A Romance article before one word in capitals: a name, as those languages write no other noun so ("dijo
        // la CGR", "alertó el Gobierno").
        // Not a name going on in lower case ("secondo la Protezione civile di Valdorsa"): read as a phrase.
        if (word(i) && !t_[i].capital && contains(rules_.role_articles, article) && i + 1 < b && name_word(i + 1) &&
            !contains(rules_.not_names, t_[i + 1].lower) &&
            (i + 2 >= b || !word(i + 2) || t_[i + 2].capital || contains(rules_.title_minor_words, t_[i + 2].lower) ||
             contains(rules_.place_prepositions, t_[i + 2].lower))) {
            if (auto named = forward(i + 1, b, false); named && named->kind == SpeakerKind::name) return named;
        }
        // A role, then the name in an appositive that ends the sentence: "a déclaré le ministre de l’Intérieur,
        // Gérald Lemaire.", "declaró el portavoz del sindicato, Andrés Molina."
        if (auto named = role_then_name(i, b)) return named;
    }
    if (!allow_phrase) return std::nullopt;
    std::size_t k = i;
    // Where every noun is written in capitals, an article and its nouns, each noun maybe with its own ("nach
    // Angaben der Polizei wurde der Mann …", "des Gesundheitsamts der Stadt gibt es"): the phrase ends before the
    // verb in lower case after them.
    if (contains(rules_.capitalised_noun_languages, language_) && word(i) && !t_[i].capital &&
        (is_article(t_[i].lower) || contains(rules_.noun_determiners, t_[i].lower)) && name_word(i + 1)) {
        k = i + 1;
        while (k < b && k - i < 6) {
            if (name_word(k)) {
                ++k;
            } else if (word(k) && !t_[k].capital &&
                       (is_article(t_[k].lower) || contains(rules_.noun_determiners, t_[k].lower) ||
                        contains(rules_.name_connectors, t_[k].lower)) &&
                       name_word(k + 1)) {
                k += 2;
            } else {
                break;
            }
        }
        return SpeakerRef{SpeakerKind::phrase, i, std::min(k, b) - 1, nullptr};
    }
    while (k < b && word(k) && k - i < 6)
        ++k;
    return SpeakerRef{SpeakerKind::phrase, i, k - 1, nullptr};
}

std::optional<SpeakerRef> Parser::subject(std::size_t i, std::size_t b) const {
    // (But "Its statement said": the body's document, as "the statement" is.)
    // ("Her office said": the one "her" means.)
    if (i + 1 < b && owner_agent_at(i + 1)) return SpeakerRef{SpeakerKind::pronoun, i, i, nullptr};
    if (i < t_.size() && contains(rules_.possessives, t_[i].lower) && its_document_at(i, b) == 0) return std::nullopt;
    // "Den Clip kommentierte er und schrieb: …": German opens with an object, its article in the accusative or the
    // dative; the subject follows the verb.
    if (word(i) && t_[i].capital && contains(rules_.object_articles, t_[i].lower)) {
        constexpr std::size_t kMaxObject = 5;
        std::size_t k = i + 1;
        while (k < b && k <= i + kMaxObject && word(k) && (t_[k].capital || is_number_token(t_[k])))
            ++k;
        if (k == i + 1 || k + 1 >= b || !word(k) || t_[k].capital) return std::nullopt;
        if (contains(rules_.pronouns, t_[k + 1].lower)) return SpeakerRef{SpeakerKind::pronoun, k + 1, k + 1, nullptr};
        if (auto named = forward(k + 1, b, false); named && named->kind == SpeakerKind::name) return named;
        return std::nullopt;
    }
    // "El ministro de Hacienda, Orlando Pinzón, celebró …": a role after an article of a language that puts one
    // before it, then the name set off.
    if (word(i) && t_[i].capital && contains(rules_.role_articles, t_[i].lower) && i + 1 < b && word(i + 1) &&
        !t_[i + 1].capital) {
        if (auto named = role_then_name(i + 1, b)) return named;
    }
    auto r = forward(i, b, false);
    // The appositive's name may be followed by where the person works, up to its closing comma ("Dr. Brendan
    // Kowalczyk of the Midland Cancer Institute,").
    auto closes_appositive = [&](std::size_t k) {
        if (is_punct(k, ",")) return true;
        constexpr std::size_t kMaxAffiliation = 8;
        if (!word(k) || !(t_[k].lower == "of" || t_[k].lower == "at" || t_[k].lower == "from")) return false;
        for (std::size_t e = k + 1; e < b && e <= k + kMaxAffiliation; ++e) {
            if (is_punct(e, ",")) return true;
            if (!word(e)) return false;
        }
        return false;
    };
    // The name of two words or more in an appositive from k, after "the" and words in capitals describing the person
    // ("the Liberal Democrat Rachel Gillies"), up to what closes it.
    auto appositive_name = [&](std::size_t k) -> std::optional<SpeakerRef> {
        constexpr std::size_t kMaxDescribing = 3;
        for (std::size_t m = k; m < b && m <= k + kMaxDescribing && word(m); ++m) {
            if (auto named = forward(m, b, false); named && named->kind == SpeakerKind::name &&
                                                   named->last > named->first && closes_appositive(named->last + 1)) {
                return named;
            }
            if (t_[m].lower != "the" && !(t_[m].capital && m > k)) break;
        }
        return std::nullopt;
    };
    // "Bolger’s lawyer, Jeremy Robinson, had …", "Acme’s chief executive, Dana Holt, said": the name in the
    // appositive after a role described by its owner.
    if (r && (r->kind == SpeakerKind::phrase || r->kind == SpeakerKind::person_reference) && !r->described &&
        is_punct(r->last + 1, ",")) {
        if (auto named = appositive_name(r->last + 2)) return named;
    }
    // "The foreman of the jury, Desmond Achterberg, rose": the name in the appositive after a role.
    if (r && r->described) {
        for (std::size_t k = r->last + 1; k < b && k <= r->last + 6; ++k) {
            if (!is_punct(k, ",")) {
                if (!word(k) || t_[k].capital) break;
                continue;
            }
            if (auto named = appositive_name(k + 1); named && is_punct(named->last + 1, ",")) return named;
            break;
        }
    }
    // "China’s ambassador to Britain … warned": the role after an owner is someone the article describes
    // ("China’s ambassador"); the owner stands for what they own otherwise ("Kimura’s verdict was short:").
    if (r && r->kind == SpeakerKind::name && possessive_length(t_[r->last].lower) > 0) {
        const std::size_t role = r->last + 1;
        if (role < b && word(role) && !t_[role].capital &&
            (contains(rules_.titles, t_[role].lower) || lex_.person_references.by_last.contains(t_[role].lower))) {
            return SpeakerRef{SpeakerKind::phrase, r->first, role, nullptr};
        }
    }
    // "The Electoral Commission has long argued …": the name after the article.
    if (!r && word(i) && t_[i].lower == "the" && i + 1 < b && name_word(i + 1)) {
        r = forward(i + 1, b, false);
        if (r && r->kind != SpeakerKind::name && r->kind != SpeakerKind::outlet) r.reset();
    }
    // "the legal footing for a peace deal and said": a described noun opening a clause is as often a thing as a
    // person; only a speech verb right after it ("the insider added") makes it a speaker.
    if (r && r->described) return std::nullopt;
    return r;
}

std::optional<SpeakerRef> Parser::object(std::size_t i, std::size_t b) const {
    if (word(i) && (t_[i].lower == "to" || t_[i].lower == "with")) ++i;
    auto r = forward(i, b, false);
    if (r && (r->kind == SpeakerKind::outlet || r->kind == SpeakerKind::reference) &&
        !(r->kind == SpeakerKind::reference && t_[r->first].lower == "it")) {
        return r;
    }
    return std::nullopt;
}

std::vector<Occurrence> occurrences_after(const Parser& p, const BlockInfo& block, AttributionShape shape,
                                          std::size_t quote_token) {
    const auto& toks = block.tokens;
    const Sentence s = block.sentences[sentence_of(block, quote_token)];
    std::size_t a = quote_token + 1;
    while (a < s.end && toks[a].kind == Token::Kind::punct && toks[a].lower != "." && toks[a].lower != ":") {
        ++a;
    }
    if (a >= s.end) return {};
    auto occs = p.find(shape, a, std::min(s.end, a + kWindow));
    // The article before a title is the phrase's too ("“…,” the Rev. Cuthbert Amadi-Hale said"), and so is a role
    // set before the name with a comma ("“…,” the night manager, Øyvind Castellanos-Reid, testified").
    auto role_before = [&](std::size_t first) {
        constexpr std::size_t kMaxRoleWords = 4;
        if (first < a + 2 || toks[first - 1].kind != Token::Kind::punct || toks[first - 1].lower != ",") return false;
        for (std::size_t k = a; k + 1 < first; ++k) {
            if (toks[k].kind != Token::Kind::word || (toks[k].capital && k != a)) return false;
        }
        return first - 1 - a <= kMaxRoleWords;
    };
    std::erase_if(occs, [&](const Occurrence& occ) {
        return occ.first != a && !(occ.first == a + 1 && toks[a].kind == Token::Kind::word && toks[a].lower == "the") &&
               !role_before(occ.first);
    });
    return occs;
}

std::vector<Occurrence> occurrences_unlisted_tag(const Parser& p, const BlockInfo& block, std::size_t quote_token) {
    if (!p.quote_ends_with_comma(quote_token)) return {};
    const auto& toks = block.tokens;
    const AttributionRules& rules = p.rules();
    const Sentence s = block.sentences[sentence_of(block, quote_token)];
    const std::size_t a = quote_token + 1;
    auto word = [&](std::size_t k) { return k < s.end && toks[k].kind == Token::Kind::word && toks[k].quotation < 0; };
    if (!word(a)) return {};
    const auto sp = p.subject(a, s.end);
    if (!sp || sp->first != a || sp->possessive || (sp->kind == SpeakerKind::phrase && !sp->group)) return {};
    // The verb: in lower case, with a stem of three letters at least before its ending ("advised", "simpered"), and
    // no word the rules hold for something else after a name ("Smith, Jones and …").
    constexpr std::size_t kMinStem = 3;
    const std::size_t v = sp->last + 1;
    if (!word(v) || toks[v].capital || !ends_with_any(toks[v].lower, rules.tag_verb_endings, kMinStem) ||
        contains(rules.not_names, toks[v].lower)) {
        return {};
    }
    // What follows: the sentence's end, a comma, an adverb ("softly") or a word of tag_verb_followers ("in a
    // tweet", "to reporters").
    const std::size_t n = v + 1;
    const bool ends =
        n >= s.end || (toks[n].kind == Token::Kind::punct &&
                       (toks[n].lower == "." || toks[n].lower == "," || toks[n].lower == ";" || toks[n].lower == "!"));
    constexpr std::size_t kMinAdverbStem = 3;
    const bool follows = word(n) && !toks[n].capital &&
                         (contains(rules.tag_verb_followers, toks[n].lower) ||
                          (toks[n].lower.ends_with("ly") && toks[n].lower.size() >= 2 + kMinAdverbStem));
    if (!ends && !follows) return {};
    return {Occurrence{a, v, *sp, std::nullopt}};
}

namespace {

// German puts one phrase before the finite verb and the subject after it ("Trotz der Kritik blieb der Stadtrat bei
// seinem Plan:", "Im Rat hat Hollmann gesagt:", "Und trotz ihrer Lebensfreude war sie nachdenklich:"): in a language
// of capitalised_noun_languages, after an opening word that is no subject (a preposition or an adverb of not_names,
// or a year: "1953 hat Max Frisch … formuliert:"), the first word in lower case right after a word in capitals (a
// noun ending the phrase, or the adverb) or a number that is no
// article or preposition is the verb, and a person, a pronoun or a body right after it is the subject ("es" is
// none: "Bei Wikipedia klingt es so:", "In der Petition heisst es:").
std::optional<SpeakerRef> subject_after_verb(const Parser& p, const std::vector<Token>& toks, std::size_t i,
                                             std::size_t end) {
    constexpr std::size_t kMaxOpening = 8;
    const AttributionRules& rules = p.rules();
    if (i >= end || !contains(rules.capitalised_noun_languages, p.language()) || toks[i].kind != Token::Kind::word ||
        (!contains(rules.not_names, toks[i].lower) && !is_number_token(toks[i]))) {
        return std::nullopt;
    }
    for (std::size_t k = i + 1; k + 1 < end && k <= i + kMaxOpening; ++k) {
        if (toks[k].kind != Token::Kind::word) return std::nullopt;
        if (toks[k].capital || toks[k - 1].kind != Token::Kind::word ||
            (!toks[k - 1].capital && !is_number_token(toks[k - 1])) ||
            contains(rules.noun_determiners, toks[k].lower) || contains(rules.not_names, toks[k].lower) ||
            contains(rules.inverting_determiners, toks[k].lower)) {
            continue;
        }
        // (A reflexive pronoun after the verb comes before the subject: "Danach meldete sich die Weltmeisterin zu
        // Wort:".)
        std::size_t at = k + 1;
        if (at + 1 < end && toks[at].kind == Token::Kind::word &&
            contains(rules.reflexive_tag_pronouns, toks[at].lower)) {
            ++at;
        }
        const auto sp = p.subject(at, end);
        if (!sp || sp->first != at || sp->possessive || (sp->kind == SpeakerKind::phrase && !sp->group) ||
            contains(rules.impersonal_pronouns, toks[sp->first].lower)) {
            return std::nullopt;
        }
        // Not when a relative clause ends at the colon ("ist er ein Denker, der sich an das Motto von Daniela
        // Katzenberger gehalten hat:"): the words are what that clause names.
        for (std::size_t c = sp->last + 1; c + 1 < end; ++c) {
            if (toks[c].kind == Token::Kind::punct && toks[c].lower == "," &&
                contains(rules.relative_pronouns, toks[c + 1].lower)) {
                return std::nullopt;
            }
        }
        return sp;
    }
    return std::nullopt;
}

}  // namespace

std::vector<Occurrence> occurrences_dash_credit(const Parser& p, const BlockInfo& block, std::size_t quote_token) {
    const auto& toks = block.tokens;
    const std::size_t d = quote_token + 1;
    if (d >= toks.size()) return {};
    const bool dash = toks[d].lower == "\u2014" || toks[d].lower == "\u2013" || toks[d].lower == "-";
    const bool parenthesis = toks[d].lower == "(";
    if ((dash || parenthesis) && d + 1 >= toks.size()) return {};
    // Or no dash at all, as a page of testimonials prints them: "“… up and running in six seconds.” David Pogue,
    // Yahoo Tech" (see below).
    const bool bare = !dash && !parenthesis && toks[d].kind == Token::Kind::word && toks[d].capital;
    if (!dash && !parenthesis && !bare) return {};
    // The quotation opens the paragraph, after a list's number at most ("22. „…“ (Maren Kissing)"): "He called it
    // “a disaster” (Reuters)." is his words.
    constexpr std::size_t kMaxLead = 3;
    if (quote_token > kMaxLead) return {};
    for (std::size_t k = 0; k < quote_token; ++k) {
        if (toks[k].kind == Token::Kind::quote || (toks[k].kind == Token::Kind::word && !is_number_token(toks[k])))
            return {};
    }
    const std::size_t a = bare ? d : d + 1;
    // One word in capitals alone after the quotation, closing the paragraph: a publication's name the rules need not
    // know ("“… almost feels like it’s trolling Apple.” Engadget", "“…” 9to5Mac").
    // (Words of a sentence or more, not a term in marks: "“Hardened” Systems"; a name with letters, not a
    // footnote's number.)
    if (bare && d + 1 == toks.size() && !p.rules().given_name_word(toks[d].lower) &&
        !contains(p.rules().not_names, toks[d].lower)) {
        constexpr std::size_t kMinWords = 4;
        constexpr long kMinLetters = 2;
        const std::string_view quoted =
            p.text().substr(toks[quote_token].start, toks[quote_token].end - toks[quote_token].start);
        const auto letters = std::count_if(toks[d].lower.begin(), toks[d].lower.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
        });
        if (count_words(quoted) < kMinWords || letters < kMinLetters) return {};
        return {Occurrence{d, d, SpeakerRef{SpeakerKind::name, d, d, nullptr}, std::nullopt}};
    }
    const auto sp = p.subject(a, toks.size());
    if (!sp || sp->first != a || sp->possessive || (sp->kind != SpeakerKind::name && sp->kind != SpeakerKind::outlet)) {
        return {};
    }
    // With no dash, a name of two words or more (a person's, or a known outlet's), then nothing or what they
    // are (no verb, no clause): "“…” Edward Mendelson, PCMag.com"; not "“…” Smith said.", and not one word alone
    // that something follows ("“…” Engadget reported", the next sentence's start), though one word closing the
    // paragraph credits it ("“…” Engadget"). What they are is a name in capitals after a comma, the title's small
    // words aside ("Yahoo Tech", "Professor of History, University of Leeds").
    if (bare) {
        constexpr std::size_t kMaxAffiliation = 10;
        if (sp->last == sp->first && sp->last + 1 < toks.size()) return {};
        const std::size_t after = sp->last + 1;
        if (after < toks.size() && (toks[after].kind != Token::Kind::punct || toks[after].lower != "," ||
                                    toks.size() - after > kMaxAffiliation)) {
            return {};
        }
        for (std::size_t k = after; k < toks.size(); ++k) {
            if (toks[k].kind == Token::Kind::quote || toks[k].quotation >= 0) return {};
            if (toks[k].kind == Token::Kind::word && !toks[k].capital &&
                !contains(p.rules().title_minor_words, toks[k].lower)) {
                return {};
            }
        }
    }
    // "“…” (Maren Kissing)": the name alone in the parentheses, which close the paragraph.
    if (parenthesis) {
        std::size_t k = sp->last + 1;
        if (k >= toks.size() || toks[k].kind != Token::Kind::punct || toks[k].lower != ")") return {};
        ++k;
        if (k < toks.size() && toks[k].kind == Token::Kind::punct && toks[k].lower == ".") ++k;
        if (k != toks.size()) return {};
        return {Occurrence{d, sp->last + 1, *sp, std::nullopt}};
    }
    // Nothing after the name but a description of who that is, with no quotation or sentence after it.
    constexpr std::size_t kMaxDescription = 16;
    const std::size_t after = sp->last + 1;
    if (after < toks.size()) {
        if (toks[after].kind != Token::Kind::punct || (toks[after].lower != "," && toks[after].lower != "(")) return {};
        if (toks.size() - after > kMaxDescription) return {};
        for (std::size_t k = after; k < toks.size(); ++k) {
            if (toks[k].kind == Token::Kind::quote || toks[k].quotation >= 0) return {};
            if (toks[k].kind == Token::Kind::punct && toks[k].lower == "." && k + 1 < toks.size()) return {};
        }
    }
    return {Occurrence{d, sp->last, *sp, std::nullopt}};
}

std::vector<Occurrence> occurrences_name_appositive(const Parser& p, const BlockInfo& block, std::size_t quote_token) {
    const auto& toks = block.tokens;
    if (!p.quote_ends_with_comma(quote_token)) return {};
    const std::size_t si = sentence_of(block, quote_token);
    if (si >= block.sentences.size()) return {};
    const Sentence& s = block.sentences[si];
    if (first_word(toks, s.begin, s.end) < quote_token) return {};
    for (std::size_t k = s.begin; k < quote_token; ++k) {
        if (toks[k].kind == Token::Kind::word) return {};
    }
    std::size_t a = quote_token + 1;
    if (a < toks.size() && toks[a].kind == Token::Kind::punct && toks[a].lower == ",") ++a;
    if (a >= s.end) return {};
    const auto sp = p.subject(a, s.end);
    if (!sp || sp->first != a || sp->last == sp->first || sp->possessive || sp->kind != SpeakerKind::name) return {};
    const std::size_t after = sp->last + 1;
    if (after >= toks.size() || toks[after].kind != Token::Kind::punct) return {};
    if (toks[after].lower == ",") {
        // The description runs to the sentence's end: no verb, no quotation, no word in lower case that a clause
        // could open with.
        if (after + 1 >= s.end) return {};
        for (std::size_t k = after + 1; k < s.end && k < toks.size(); ++k) {
            if (toks[k].kind == Token::Kind::quote || toks[k].quotation >= 0 || p.speech_verb_at(k, s.end) ||
                contains(p.rules().relative_pronouns, toks[k].lower) ||
                contains(p.rules().auxiliaries, toks[k].lower)) {
                return {};
            }
        }
    } else if (toks[after].lower != "." || after + 1 != s.end) {
        return {};
    }
    return {Occurrence{a, sp->last, *sp, std::nullopt}};
}

std::vector<Occurrence> occurrences_before(const Parser& p, const BlockInfo& block, AttributionShape shape,
                                           std::size_t quote_token) {
    const std::size_t ft = quote_token;
    const auto& toks = block.tokens;
    if (shape == AttributionShape::colon_subject) {
        // "Osei was blunt: “…”", "The statement read: “…”": the subject that opens the clause the colon ends.
        std::vector<Occurrence> out;
        if (ft < 2 || toks[ft - 1].kind != Token::Kind::punct || toks[ft - 1].lower != ":") return out;
        const Sentence cs = block.sentences[sentence_of(block, ft - 1)];
        // "The other side: Councilmember Ben Aguilar, in a statement: “…”": a label ended by a colon of its own opens
        // the sentence; the clause the quotation's colon ends starts after it.
        std::size_t open = first_word(toks, cs.begin, ft - 1);
        for (std::size_t k = ft - 2; k > open; --k) {
            if (toks[k].kind == Token::Kind::punct && toks[k].lower == ":" && toks[k].quotation < 0) {
                open = first_word(toks, k + 1, ft - 1);
                break;
            }
        }
        const std::size_t i = after_conjunctions(toks, open, ft - 1, p.rules());
        if (i >= ft - 1 || ft - 1 - i > kWindow) return out;
        // "the last word went to the defendant, Radomir Kessel: “…”": a name of two words or more set off by a
        // comma right before the colon.
        // Or after "from" and one of the rules' source_words: "The strongest words came from Mary Smith: “…”", "The
        // reaction from Acme Holdings: “…”" (not "He flew in from New York:").
        auto from_source = [&](std::size_t f) {
            return f > i + 1 && toks[f].kind == Token::Kind::word && toks[f].lower == "from" &&
                   toks[f - 1].kind == Token::Kind::word && contains(p.rules().source_words, toks[f - 1].lower);
        };
        if (auto named = p.name_ending(ft - 2, i);
            named && named->last > named->first && named->first > i &&
            ((toks[named->first - 1].kind == Token::Kind::punct && toks[named->first - 1].lower == ",") ||
             from_source(named->first - 1))) {
            out.push_back({named->first, ft - 1, *named, std::nullopt});
            return out;
        }
        // After an opening phrase and its comma: "Asked whether he would stand again, Mayor X’s answer was short:".
        constexpr std::size_t kOpeningPhrase = 12;
        auto sp = p.subject(i, ft - 1);
        // "Ostrava’s head of threat research, Miriam Kowalczyk, offered …:": an owner opens the phrase before the
        // name that is the subject.
        if (!sp || sp->last + 1 >= ft - 1 || sp->possessive || possessive_length(toks[sp->last].lower) > 0) {
            if (const std::size_t comma = opening_phrase_comma(toks, i, ft - 2, kOpeningPhrase); comma != no_token) {
                sp = p.subject(comma + 1, ft - 1);
            }
        }
        // "Y añadió: “…”", "Und fügte hinzu: „…“": a speech verb alone before the colon, its subject left out
        // (after a conjunction or an adverb at most), is said by the person meant before, as a pronoun would be.
        std::size_t v = i;
        while (
            v < ft - 1 && toks[v].kind == Token::Kind::word &&
            (contains(p.rules().coordinators, toks[v].lower) || contains(p.rules().post_verb_adverbs, toks[v].lower)))
            ++v;
        // "Et d’ajouter : « … »": a narrative infinitive after "de".
        // (or one token, "d’ajouter", the elision joined to the verb).
        auto elided_infinitive = [&](std::string_view w) {
            for (const auto& marker : p.rules().narrative_infinitive_markers) {
                if (marker.ends_with('\'') || marker.ends_with("\u2019")) {
                    if (w.starts_with(marker) && contains(p.rules().narrative_infinitives, w.substr(marker.size())))
                        return true;
                }
            }
            return false;
        };
        std::size_t narrative = 0;
        if (v + 2 == ft - 1 && toks[v].kind == Token::Kind::word &&
            contains(p.rules().narrative_infinitive_markers, toks[v].lower) && toks[v + 1].kind == Token::Kind::word &&
            contains(p.rules().narrative_infinitives, toks[v + 1].lower)) {
            narrative = 2;
        } else if (v + 1 == ft - 1 && toks[v].kind == Token::Kind::word && elided_infinitive(toks[v].lower)) {
            narrative = 1;
        }
        if (const std::size_t m = narrative > 0 ? narrative : p.speech_verb_length(v, ft - 1);
            (!sp || sp->last + 1 >= ft - 1) && m > 0 && v + m == ft - 1) {
            out.push_back({i, ft - 1, SpeakerRef{SpeakerKind::pronoun, v, ft - 2, nullptr}, std::nullopt});
            return out;
        }
        // (Or after an opening phrase and its comma: "Y en ese mismo sentido, agregó: “…”".)
        if (const std::size_t comma = opening_phrase_comma(toks, i, ft - 2, kOpeningPhrase);
            comma != no_token && toks[comma].kind == Token::Kind::punct && (!sp || sp->last + 1 >= ft - 1)) {
            if (const std::size_t m = p.speech_verb_length(comma + 1, ft - 1); m > 0 && comma + 1 + m == ft - 1) {
                out.push_back(
                    {comma + 1, ft - 1, SpeakerRef{SpeakerKind::pronoun, comma + 1, ft - 2, nullptr}, std::nullopt});
                return out;
            }
        }
        // "Así lo explicó María Naddeo: “…”", "Luego añadió el ministro:", "So formulierte es Maria Naddeo:": an
        // adverb or an object's pronoun (rules' verb_first_openers) before a speech verb, and its subject after it
        // up to the colon.
        // So is a relative clause after the last comma ("…, que detalla la referente de la APDH: “…”"), its
        // pronoun one of those openers.
        {
            std::vector<std::size_t> starts{i};
            for (std::size_t c = ft - 2; c > i; --c) {
                if (toks[c].kind == Token::Kind::punct && toks[c].lower == "," && toks[c].quotation < 0) {
                    starts.push_back(c + 1);
                    break;
                }
            }
            for (const std::size_t start : starts) {
                std::size_t k = start;
                while (k < ft - 1 && toks[k].kind == Token::Kind::word && k < start + 3 &&
                       contains(p.rules().verb_first_openers, toks[k].lower))
                    ++k;
                // (After a comma, the opener must be there: "…, said Ms Ruiz:" is read elsewhere.)
                if (start != i && k == start) continue;
                const std::size_t m = p.speech_verb_length(k, ft - 1);
                if (m == 0) continue;
                std::size_t at = k + m;
                if (at + 1 < ft - 1 && toks[at].kind == Token::Kind::word &&
                    contains(p.rules().impersonal_pronouns, toks[at].lower)) {
                    ++at;
                }
                if (auto after = p.subject(at, ft - 1);
                    after && after->first == at && after->last + 2 == ft &&
                    (after->kind == SpeakerKind::name || after->kind == SpeakerKind::person_reference ||
                     after->kind == SpeakerKind::outlet)) {
                    out.push_back({after->first, ft - 1, *after, std::nullopt});
                    return out;
                }
            }
        }
        if (sp && sp->kind == SpeakerKind::phrase &&
            contains(p.rules().indefinite_determiners, toks[sp->first].lower) &&
            !p.describes_someone(sp->first, sp->last)) {
            sp.reset();
        }
        if (!sp) {
            if (auto after = subject_after_verb(p, toks, i, ft - 1)) {
                out.push_back({after->first, ft - 1, *after, std::nullopt});
                return out;
            }
        }
        if (sp && sp->last + 1 < ft - 1) {
            // "Mary Smith’s message to voters was simple: “…”": the owner, as "His message was simple" is his.
            if (possessive_length(toks[sp->last].lower) > 0) sp->possessive = true;
            out.push_back({sp->first, ft - 1, *sp, std::nullopt});
        } else if (toks[i].kind == Token::Kind::word && i + 1 < ft - 1 &&
                   contains(p.rules().possessive_pronouns, toks[i].lower) && toks[i + 1].kind == Token::Kind::word) {
            // "His message was simple: “…”": the owner of the words is who "his" means.
            out.push_back({i, ft - 1, SpeakerRef{SpeakerKind::pronoun, i, i, nullptr}, std::nullopt});
        }
        return out;
    }
    const Sentence s = block.sentences[sentence_of(block, ft)];
    auto occs = p.find(shape, std::max(s.begin, ft > kWindow ? ft - kWindow : 0), ft);
    std::vector<Occurrence> out;
    for (auto it = occs.rbegin(); it != occs.rend(); ++it) {
        bool adjacent = true;
        for (std::size_t k = it->last + 1; k < ft; ++k) {
            adjacent = adjacent && (toks[k].kind == Token::Kind::punct || toks[k].lower == "that");
        }
        if (!adjacent) continue;
        out.push_back(*it);
    }
    return out;
}

namespace {

// A claim noun between token `from` and the quotation at token ft that is not the subject's own ("her claim"), and
// who owns it: one named in the possessive ("Governor Leni Brackett’s claim that …"), as an occurrence ending at the
// noun, or no one the sentence names ("Russian claims that …"). With `content`, only a noun whose content follows
// it ("Kvist’s assertion that …"), not one the quotation describes ("Pratt’s claims were “recycled allegations”").
struct ClaimNoun {
    std::optional<Occurrence> owner;
};

std::optional<ClaimNoun> claim_before(const Parser& p, std::size_t from, std::size_t ft, bool content = false) {
    const auto& toks = p.tokens();
    for (std::size_t k = from; k < ft; ++k) {
        if (toks[k].kind != Token::Kind::word || !contains(p.rules().claim_nouns, toks[k].lower)) continue;
        if (toks[k - 1].kind == Token::Kind::word && contains(p.rules().possessives, toks[k - 1].lower)) continue;
        if (content && !(k + 1 < ft && toks[k + 1].lower == "that")) continue;
        ClaimNoun claim;
        if (auto owner = p.name_ending(k - 1, from); owner && possessive_length(toks[owner->last].lower) > 0) {
            owner->possessive = true;
            owner->claimed = true;
            claim.owner = Occurrence{owner->first, k, *owner, std::nullopt};
        }
        return claim;
    }
    return std::nullopt;
}

// "Benioff introduced Cook as “someone who …”", "Grisham, by her own accounting, has given “…”", "In May, Duvall
// urged Mr. Trump to act, saying …": the subject opening the sentence of the quotation at token ft (or the clause
// after an opening phrase and its comma), followed by its verb, a word in lower case that is no preposition, with
// an appositive between commas skipped. Not a name in the possessive ("Trump's approach"), and not when the
// quotation opens the sentence. Both (sentence and clause), when both are found, the sentence first.
std::vector<Occurrence> subject_of_sentence(const Parser& p, const BlockInfo& block, const AttributionRules& rules,
                                            std::size_t ft) {
    constexpr std::size_t kOpeningPhrase = 10;
    const auto& toks = block.tokens;
    const Sentence s = block.sentences[sentence_of(block, ft)];
    auto is = [&](std::size_t k, std::string_view punct) {
        return k < toks.size() && toks[k].kind == Token::Kind::punct && toks[k].lower == punct;
    };
    const std::size_t i = first_word(toks, s.begin, ft);
    std::vector<std::size_t> starts{i};
    if (const std::size_t comma = opening_phrase_comma(toks, i, ft, kOpeningPhrase); comma != no_token) {
        starts.push_back(comma + 1);
        // A list in the opening phrase, its last member after "and" ("Citing John Locke, Edmund Burke, and Thomas
        // Jefferson, she recommended"): the subject follows the comma that closes it.
        std::size_t from = comma + 1;
        for (std::size_t k = from; k < ft && k < comma + kWindow; ++k) {
            if (!is(k, ",")) continue;
            if (from < ft && toks[from].kind == Token::Kind::word && contains(rules.coordinators, toks[from].lower)) {
                starts.push_back(k + 1);
                break;
            }
            from = k + 1;
        }
    }
    std::vector<Occurrence> out;
    for (const std::size_t start : starts) {
        if (start >= ft || ft - start < 2) continue;
        auto sp = p.subject(start, ft);
        // German: the subject after the verb that an opening phrase puts first ("Als ZdK-Chefin will Stetter-Karp
        // „leidenschaftlich für Reformen kämpfen“"), a name (a pronoun there as often means a thing).
        if (!sp) {
            if (auto after = subject_after_verb(p, toks, start, ft); after && after->kind == SpeakerKind::name) {
                out.push_back(Occurrence{after->first, after->last + 1, *after, std::nullopt});
                continue;
            }
        }
        if (!sp || sp->possessive || possessive_length(toks[sp->last].lower) > 0) continue;
        std::size_t v = sp->last + 1;
        // "the Coastal Health Alliance (CHA) found": a parenthesis after the subject.
        if (is(v, "(")) {
            while (v < ft && !is(v, ")"))
                ++v;
            ++v;
        }
        if (is(v, ",")) {
            // (A list's next member is no appositive: "Citing John Locke, Edmund Burke, and Thomas Jefferson, she
            // recommended …" is not Burke's.)
            if (v + 1 < ft && toks[v + 1].kind == Token::Kind::word && contains(rules.coordinators, toks[v + 1].lower))
                continue;
            std::size_t k = v + 1;
            while (k < ft && k < v + kWindow && !is(k, ","))
                ++k;
            if (k >= ft || !is(k, ",")) continue;
            v = k + 1;
        }
        // "President Calvin Ashdown on Thursday signed …": a day between the subject and its verb.
        if (v + 2 < ft && toks[v].kind == Token::Kind::word && toks[v].lower == "on" &&
            toks[v + 1].kind == Token::Kind::word && toks[v + 1].capital &&
            contains(rules.not_names, toks[v + 1].lower)) {
            v += 2;
        }
        if (v >= ft || toks[v].kind != Token::Kind::word || toks[v].capital ||
            contains(rules.title_minor_words, toks[v].lower)) {
            continue;
        }
        // "Kyiv rejected Russian claims that …": words someone else said, unless they are the subject's own ("her
        // claim"). When the claim is named by whose it is ("rejected Governor Leni Brackett’s claim that …"),
        // the words are that owner's.
        if (const auto claim = claim_before(p, v + 1, ft)) {
            if (!claim->owner) return {};
            return {*claim->owner};
        }
        out.push_back(Occurrence{sp->first, v, *sp, std::nullopt});
    }
    return out;
}

}  // namespace

std::vector<Occurrence> occurrences_in_sentence(const Parser& p, const BlockInfo& block, AttributionShape shape,
                                                std::size_t quote_token) {
    const std::size_t ft = quote_token;
    if (shape == AttributionShape::sentence_subject) return subject_of_sentence(p, block, p.rules(), ft);
    const Sentence s = block.sentences[sentence_of(block, ft)];
    auto occs = p.find(shape, std::max(s.begin, ft > kWindow ? ft - kWindow : 0), std::min(s.end, ft + kWindow));
    // "Menon dismissed prosecutor Anders Kvist’s assertion that her client had acted “…”": the words are the
    // claim's owner's, not the speaker's.
    for (auto& o : occs) {
        if (o.last >= ft) continue;
        if (auto claim = claim_before(p, o.last + 1, ft, true); claim && claim->owner) o = *claim->owner;
    }
    // "Gianni fragt Aaron: „Darf ich dich küssen?“ und Aron lacht und sagt: „…“": a clause joined after the words by
    // a coordinator, whose colon opens other words, is theirs.
    const auto& toks = block.tokens;
    std::erase_if(occs, [&](const Occurrence& o) {
        if (o.first <= ft) return false;
        bool apart = false;
        for (std::size_t k = ft + 1; k < o.first && !apart; ++k)
            apart = toks[k].kind == Token::Kind::word && contains(p.rules().coordinators, toks[k].lower);
        if (!apart) return false;
        for (std::size_t k = o.last + 1; k < s.end; ++k) {
            if (toks[k].kind == Token::Kind::quote)
                return toks[k - 1].kind == Token::Kind::punct && toks[k - 1].lower == ":";
        }
        return false;
    });
    std::sort(occs.begin(), occs.end(), [&](const Occurrence& x, const Occurrence& y) {
        auto dist = [&](const Occurrence& o) { return o.last < ft ? ft - o.last : o.first - ft; };
        return dist(x) < dist(y);
    });
    return occs;
}

std::vector<Occurrence> occurrences_in_previous_sentence(const Parser& p, const BlockInfo& block,
                                                         AttributionShape shape, std::size_t quote_token) {
    const std::size_t si = sentence_of(block, quote_token);
    if (si == 0) return {};
    const Sentence s = block.sentences[si - 1];
    return occurrences_last_first(p, shape, s.begin, s.end);
}

std::vector<Occurrence> occurrences_last_first(const Parser& p, AttributionShape shape, std::size_t from,
                                               std::size_t to) {
    auto occs = p.find(shape, from, to);
    std::reverse(occs.begin(), occs.end());
    return occs;
}

bool whole_paragraph(const BlockInfo& block, std::size_t qt) {
    const auto& toks = block.tokens;
    for (std::size_t k = 0; k < toks.size(); ++k) {
        if (k != qt && toks[k].kind != Token::Kind::punct) return false;
    }
    return true;
}

}  // namespace provcheck::attribute::detail
