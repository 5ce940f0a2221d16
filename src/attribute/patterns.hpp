// Speech patterns over the tokens of a block (internal to src/attribute).
//
// An attribution is a speaker next to a speech verb ("NYT reported", "said Gershon Baskin", "according to the
// report"), with fillers, an appositive or the outlet spoken to around them. The Parser finds such phrases in a
// stretch of tokens and says which words name the speaker, without deciding who that is: a pronoun or "the
// report" is resolved later (resolve.hpp), against the people and outlets named before it. The occurrences_*
// functions give, for each scope of attribution.toml, the phrases around a quotation in the order they are tried.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "attribute/attribute.hpp"
#include "attribute/attribution_rules.hpp"
#include "attribute/tokenize.hpp"

namespace provcheck::attribute::detail {

enum class SpeakerKind { outlet, reference, person_reference, pronoun, name, phrase };

struct SpeakerRef {
    SpeakerKind kind = SpeakerKind::name;
    std::size_t first = 0;
    std::size_t last = 0;  // inclusive
    const Outlet* outlet = nullptr;
    bool group = false;       // named by what it is ("police", "the researchers"): group_ending
    bool possessive = false;  // the last word ends in 's, which is not the speaker's ("In Dr. Shadlen's words")
    bool described = false;   // a person_reference the rules do not list ("the insider"): described_person_start
    bool epithet = false;     // "the teenager", "the Welshman": the person the story is about, named before
    bool claimed = false;     // the owner of a claim the sentence names ("rejected Brackett’s claim that “…”")
    bool unnamed = false;     // described, and said not to be named ("the woman, who cannot be named,"): as printed
    // Two names joined by a conjunction before one verb ("Smith and Doe said"): the conjunction's token, else 0.
    std::size_t conjunction = 0;
    // A person_reference qualified by what the role is of ("Le ministre de l’Agriculture"): the qualification's last
    // token, printed with the role when no one named fits; else 0.
    std::size_t qualified_last = 0;
};

struct Occurrence {
    std::size_t first = 0;  // token span of the attribution phrase, inclusive
    std::size_t last = 0;
    SpeakerRef speaker;
    std::optional<SpeakerRef> object;  // "told NYT"
};

class Parser {
public:
    Parser(const AttributionRules& rules, const Lexicon& lexicon, std::string_view text,
           const std::vector<Token>& tokens)
        : rules_(rules), lex_(lexicon), text_(text), t_(tokens) {}

    // The speaker a clause opens with at token `i` (a name, an outlet, a pronoun or a reference like "the
    // statement"), within [i, b).
    // A possessive ("His message was clear:") opens no subject, nor a person described and not named.
    [[nodiscard]] std::optional<SpeakerRef> subject(std::size_t i, std::size_t b) const;
    [[nodiscard]] std::vector<Occurrence> find(AttributionShape shape, std::size_t a, std::size_t b) const;

    // A word in lower case that may name an occupation before a name ("astronomer", "skipper"): not a number,
    // pronoun, possessive, article or preposition, name connector, listed non-name or "-ly" adverb.
    [[nodiscard]] bool occupation_word(std::size_t k) const;
    // A name of three words or more read over [first, last] right after a role and "to" ("ambassador to Britain Liu
    // Xiaming", "envoy to the United States Kelly Craft"): the place the role is to comes first; the token the
    // person's name starts at (a given name the rules know, else the last two words). Else first.
    [[nodiscard]] std::size_t after_destination(std::size_t first, std::size_t last) const;

    // A name or an outlet's name ending at token j (within [a, j]), as a speaker before a verb would be read.
    [[nodiscard]] std::optional<SpeakerRef> name_ending(std::size_t j, std::size_t a) const {
        auto r = back_plain(j, a);
        if (r && r->kind != SpeakerKind::name && r->kind != SpeakerKind::outlet) r.reset();
        return r;
    }

    // "a White House official" ending at token k, its determiner opening a clause (within [a, k]; with
    // `anywhere`, also after a word: "spoke to one mother"): the determiner's token, else no_token.
    [[nodiscard]] std::size_t indefinite_start(std::size_t k, std::size_t a, bool anywhere = false) const;

    [[nodiscard]] const AttributionRules& rules() const noexcept { return rules_; }
    [[nodiscard]] std::string_view text() const noexcept { return text_; }
    [[nodiscard]] const std::vector<Token>& tokens() const noexcept { return t_; }
    // Token k is a quotation whose words end with a comma inside its closing mark ("“biased,”").
    [[nodiscard]] bool quote_ends_with_comma(std::size_t k) const;
    // Token k joins two parts of a body's name that opens at token `first`: "&" between words in capitals ("Calder &
    // Voss"), or a conjunction of body_conjunctions after the tail of a body's word ("Ministerio de Ciencia y
    // Tecnología", "Observatorio Joven de Vivienda y Empleo").
    [[nodiscard]] bool body_conjunction(std::size_t k, std::size_t first) const;

    // The document's language as the rules list it ("es" of "es-AR"); empty when unknown. Patterns that hold for
    // some languages only read it (prodrop_tag_languages).
    void set_language(std::string code) { language_ = std::move(code); }
    [[nodiscard]] const std::string& language() const noexcept { return language_; }

    // A speech verb starts at token i (inside [i, b)), joined or separated ("teilte … mit").
    [[nodiscard]] bool speech_verb_at(std::size_t i, std::size_t b) const {
        return seq_at(lex_.speech_verbs, i, b) > 0 || separable_at(i, b) > 0;
    }
    // How many tokens the speech verb at token i takes (within [i, b)), joined ("ha afirmado") or separated
    // ("fügte … hinzu"); 0 when none starts there.
    [[nodiscard]] std::size_t speech_verb_length(std::size_t i, std::size_t b) const;

    [[nodiscard]] std::string printed(std::size_t first, std::size_t last) const {
        return std::string(text_.substr(t_[first].start, t_[last].end - t_[first].start));
    }

    // A word in lower case that names a person by what they do: a role of person_references, or a word with an
    // ending of agent_endings ("dispatcher", "operative", "official").
    [[nodiscard]] bool agent_noun(std::size_t k) const;
    // Whether the description first..last (after its article) names the person the story is about: an epithet
    // ("the teenager"), or a listed role after one ("the veteran aid official").
    [[nodiscard]] bool epithet_role(std::size_t first, std::size_t last) const;
    // The first given name inside the name first..last, after its first word and not after a saint's word: where a
    // person's name starts after a body's ("Convergencia Social Diego Ibáñez"); no_token for none.
    [[nodiscard]] std::size_t given_name_inside(std::size_t first, std::size_t last) const;

    // A phrase of someone described and not named (first to last, opening with an indefinite determiner: "one GOP
    // operative in the state", "a spokesman for the ministry") whose head names a person or a group: not "one line
    // from it struck me as …".
    [[nodiscard]] bool describes_someone(std::size_t first, std::size_t last) const;

    // Tokens [first, verb) are what German puts before a verb in second place, its subject after it: one adverb of
    // verb_second_openers ("Zugleich mahnte sie"), or a phrase of verb_second_phrases ("Darüber hinaus sagte der
    // Präsident"), opening with a capital.
    [[nodiscard]] bool verb_second_opening(std::size_t first, std::size_t verb) const;

    // A word in lower case that may describe a body between its name and its word ("intelligence" in "the Senate
    // intelligence committee"): no small word, preposition, auxiliary, speech verb or adverb.
    [[nodiscard]] bool body_modifier(std::size_t i) const;

    // Length of the longest sequence starting at token i (inside [i, b)), 0 if none.
    [[nodiscard]] std::size_t seq_at(const WordSeqs& seqs, std::size_t i, std::size_t b) const;

private:
    [[nodiscard]] bool word(std::size_t i) const noexcept { return i < t_.size() && t_[i].kind == Token::Kind::word; }
    // Token i is an ordinal in digits ("8th", "2nd", "21st").
    [[nodiscard]] bool ordinal_at(std::size_t i) const noexcept {
        if (!word(i) || !is_number_token(t_[i])) return false;
        const std::string& w = t_[i].lower;
        return w.size() > 2 && (w.ends_with("st") || w.ends_with("nd") || w.ends_with("rd") || w.ends_with("th")) &&
               w[w.size() - 3] >= '0' && w[w.size() - 3] <= '9';
    }
    // Token i is an acronym as printed ("EU", "UN", "U.N.", "TD").
    [[nodiscard]] bool acronym_at(std::size_t i) const noexcept {
        return word(i) && acronym(text_.substr(t_[i].start, t_[i].end - t_[i].start));
    }
    // A word that may be part of a name: capitalised, and not a number ("38", "2024"), which the tokenizer counts
    // as capital so that sentences may start with one.
    // A forum or social handle written in lower case with digits ("elmo666", "jayk1984") is a name too.
    // Nor a number in words joined by a hyphen ("Twenty-three senators from both parties urged …").
    // A word in lower case between a word in capitals and a name's word: a small word inside a name ("Department
    // for Education").
    [[nodiscard]] bool small_word_in_name(std::size_t k) const noexcept {
        return k > 0 && word(k) && !t_[k].capital && t_[k - 1].capital && name_word(k + 1);
    }
    [[nodiscard]] bool name_word(std::size_t i) const noexcept {
        return word(i) && !is_number_token(t_[i]) && (t_[i].capital || handle(t_[i].lower)) &&
               !contraction(t_[i].lower) &&
               !(t_[i].lower.find('-') != std::string::npos && number_in_words(t_[i].lower, rules_));
    }
    // A pronoun or verb contracted with what follows it ("you’ve", "I’m", "they're", "don't"): no name's word, though
    // a sentence may open with it in capitals.
    [[nodiscard]] static bool contraction(std::string_view w) noexcept {
        for (std::string_view e : {"\u2019ve", "'ve", "\u2019re", "'re", "\u2019ll", "'ll", "\u2019m", "'m", "\u2019d",
                                   "'d", "n\u2019t", "n't"}) {
            if (w.size() > e.size() && w.ends_with(e)) return true;
        }
        return false;
    }
    [[nodiscard]] static bool handle(std::string_view w) noexcept {
        if (w.size() < 4) return false;
        bool letter = false, digit = false;
        for (const char c : w) {
            if (c >= 'a' && c <= 'z') {
                letter = true;
            } else if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '_') {
                return false;
            }
        }
        return letter && digit && w.front() >= 'a' && w.front() <= 'z';
    }

    [[nodiscard]] bool is_punct(std::size_t i, std::string_view p) const noexcept {
        return i < t_.size() && t_[i].kind == Token::Kind::punct && t_[i].lower == p;
    }

    // "in", a speaker's possessive and one of words_of ("In Dr. Shadlen's words", "in his own words"), from i.
    [[nodiscard]] std::optional<Occurrence> words_of(std::size_t i, std::size_t b) const;

    // 1 when the word at i is a separable verb whose particle closes its clause a few words on ("teilte das
    // Ministerium mit."), else 0: the verb is one word long, and the subject is read after it as after any verb.
    [[nodiscard]] std::size_t separable_at(std::size_t i, std::size_t b) const;

    // Length of the longest sequence ending at token j (inside [a, j]), 0 if none.
    [[nodiscard]] std::size_t seq_ending(const WordSeqs& seqs, std::size_t j, std::size_t a) const;
    // A word of a language that joins its nouns ending in a body's word after a few letters (rules'
    // compound_organisation_endings: "landratsamt", "robert-koch-institut").
    [[nodiscard]] bool ends_in_body_word(std::string_view lower) const;
    // Token `k` is one of aside_openers opening its clause ("As one commentator argued, …").
    [[nodiscard]] bool opens_aside(std::size_t k, std::size_t a) const;
    // Words from token `from` (a few, before `b`) end with a colon right before a quotation's opening mark.
    [[nodiscard]] bool colon_introduces(std::size_t from, std::size_t b) const;
    // Length of a phrase of time or circumstance ending at token j (inside (a, j]) that stands between a subject and
    // its verb ("at the time", "on Tuesday", "in 2009"; rules' subject_adjuncts), 0 if none.
    [[nodiscard]] std::size_t subject_adjunct_ending(std::size_t j, std::size_t a) const;

    [[nodiscard]] const Outlet* outlet_span(std::size_t first, std::size_t last) const;

    // A name connector ("bin", "van"), or "of" between a title and a capital ("Secretary of State Mike Pompeo").
    [[nodiscard]] bool connector(std::size_t i) const;
    // A relative clause opens at token `k`, after a comma, or after a bracket and a comma ("(D-Mass.), who").
    [[nodiscard]] bool relative_after(std::size_t k) const;
    // Token `k` names a medium: a word of media_nouns ("Zeitung") or an outlet of the rules ("dpa").
    [[nodiscard]] bool medium(std::size_t k) const;
    // A party and state of American usage: "R-Texas", "D-Calif".
    [[nodiscard]] bool party_tag(std::size_t i) const;

    // Tokens [first, last] name no one: only titles and nationalities ("Syrian claims", "the President said"
    // with no name). The name keeps them otherwise ("Prime Minister Ahmed Salem").
    [[nodiscard]] bool only_titles(std::size_t first, std::size_t last) const;
    // A nationality: listed in nationalities, or a capitalised word with a demonym's ending ("Nigerian",
    // "Congolese", "Flemish").
    [[nodiscard]] bool nationality(std::size_t i) const;
    // The last of one to three lower-case words after a nationality that describe a group ("officials", "state
    // media", "health workers"), stopping at a preposition, a relative ("in", "who") or an adverb ("-ly");
    // no_token when there is none.
    [[nodiscard]] std::size_t described_group_end(std::size_t i, std::size_t b) const;
    // Tokens [first, last] after an indefinite determiner describe someone: one to four words, lower case but for
    // nationalities, ending in lower case ("senior American official", "Western diplomat"), with no preposition,
    // relative, adverb or number among them.
    [[nodiscard]] bool indefinite_description(std::size_t first, std::size_t last) const;
    // "the insider", "the veteran Democrat", "the 38-year-old pop star": "the", up to two words in lower case or
    // nationalities, and a noun in lower case ending at token j (within [a, j]) that is no organisation word, group,
    // subject reference or speech verb: a person described and not named, whom the rules' person_references do not
    // list. The first token ("the"), else no_token. Not after a preposition ("a friend of the family").
    [[nodiscard]] std::size_t described_person_start(std::size_t j, std::size_t a) const;
    // A role of up to six words from i in lower case, a comma and a name ending the sentence: that name
    // ("le ministre de l’Intérieur, Gérald Lemaire.").
    [[nodiscard]] std::optional<SpeakerRef> role_then_name(std::size_t i, std::size_t b) const;
    // A participle after a comma ("Whitfield retweeted the story, saying, “…”", "The authority issued a
    // statement, adding that …") or a verb after "and" ("he asked about it and said, “…”"): the subject that opens
    // the clause (from a, or after an opening phrase and its comma), when the verb at i ends in -ing and token
    // j - 1 is the comma, or token j - 1 is "and".
    [[nodiscard]] std::optional<SpeakerRef> participle_subject(std::size_t i, std::size_t j, std::size_t a) const;
    // "the Rev. Cuthbert Amadi-Hale of St. Swithun’s Church in Lower Fenmoor said": a person's name of two words
    // or more before up to three names each after "of", "from" or a place's preposition, ending at token j.
    // Token i, a speech verb of m words in a German text, is a participle: an auxiliary of participle_auxiliaries
    // after it past a run of participles ("bedauert und bewertet werden": no_token), or before it in its clause,
    // which it ends ("hatte die Managerin … beklagt": the auxiliary's token); nullopt when it is not one.
    [[nodiscard]] std::optional<std::size_t> german_participle(std::size_t i, std::size_t m, std::size_t a,
                                                               std::size_t b) const;
    [[nodiscard]] std::optional<SpeakerRef> past_places(std::size_t j, std::size_t a) const;
    // A preposition of place ("in", "au") or a particle of affiliation that opens no one's name ("vom"; not "von",
    // as in "Alexander von Preen"): a name after it is where someone is or works, never who speaks.
    [[nodiscard]] bool place_word(std::string_view w) const;
    // "Kurinji Selvaraj, a research analyst at the … think tank told CBS News": an appositive whose closing comma
    // is missing before the verb at j; the name before its opening comma, when nothing but words stands between.

    // Token k, a pronoun in capitals that is a surname before a given name up to j ("He Jianxiong", "He Lifeng").
    [[nodiscard]] bool pronoun_surname(std::size_t k, std::size_t j) const;
    [[nodiscard]] std::optional<SpeakerRef> unclosed_appositive(std::size_t j, std::size_t a) const;
    // After the speech verb at i (m tokens long): a quoting verb, the person quoted and "as saying" ("quoted
    // Gershon Baskin as saying"): that person, and the last token of the phrase.
    [[nodiscard]] std::optional<std::pair<SpeakerRef, std::size_t>> quoted_as_saying(std::size_t i, std::size_t m,
                                                                                     std::size_t b) const;

    // After a name in the possessive ending at `name_last`, one to three words in lower case that end in an
    // organisation or group word or a role ("Russia's foreign ministry", "Acme's chief executive"): the last one's
    // token, else no_token.
    [[nodiscard]] std::size_t owned_body_end(std::size_t name_last, std::size_t b) const;
    // A role in lower case: a title or the last word of a listed person reference ("executive", "lawyer").
    [[nodiscard]] bool role_word(std::size_t k) const;

    // A group named by what it is, ending at token j (within [a, j]): "police", "the researchers", "Los Angeles
    // police", "senior health officials" (rules' group_speakers). The description is the speaker. `placed`: words
    // after it say where the group is ("Fuentes del entorno de …"), so a word in capitals alone is no surname.
    [[nodiscard]] std::optional<SpeakerRef> group_ending(std::size_t j, std::size_t a, bool placed = false) const;

    // The name ending right before the comma at `comma` comes after a place's preposition ("in Durham,"): a name
    // set off after it is that place's state or country.
    [[nodiscard]] bool placed_name_before(std::size_t comma, std::size_t a) const;
    // A speaker ending at token j, with an appositive between commas skipped: "X, who …, told".
    [[nodiscard]] std::optional<SpeakerRef> back(std::size_t j, std::size_t a) const;
    // Whether token k is the role of a "the <role>" person reference ("champion" of "the champion").
    [[nodiscard]] bool person_role(std::size_t k) const;
    // A role of person_references ending at token j (within [a, j]) with one or two of rules' role_time_modifiers
    // between its article and its noun ("the former president", "le nouveau ministre"): the article's token, else
    // no_token.
    [[nodiscard]] std::size_t timed_role_start(std::size_t j, std::size_t a) const;

    [[nodiscard]] std::optional<SpeakerRef> back_plain(std::size_t j, std::size_t a) const;
    // "its statement", "its report" at token i (within [i, b)): "its" and the head of one of reference_words' "the
    // …" of one word; the body's own document, as "the statement" is. 2 when so, else 0.
    [[nodiscard]] std::size_t its_document_at(std::size_t i, std::size_t b) const;
    // Token j is one of owner_agents after one of possessive_pronouns ("Her office"): the owner speaks.
    [[nodiscard]] bool owner_agent_at(std::size_t j) const;
    // A body described, not named (`r`, read by back_plain: "the grid operator", "California’s grid operator"), after
    // "of" and a role (within [a, …]): the role, what it is of with it ("The CEO of California’s grid operator
    // said"); else none.
    [[nodiscard]] std::optional<SpeakerRef> role_of_described_body(const SpeakerRef& r, std::size_t a) const;
    // A body's name in capitals that goes on in lower case, ending at token j (within [a, j]): "l’Association pour
    // une fin de vie choisie a salué", "le Tribunal cantonal valaisan a suspendu".
    [[nodiscard]] std::optional<SpeakerRef> tailed_organisation(std::size_t j, std::size_t a) const;

    [[nodiscard]] std::optional<SpeakerRef> forward(std::size_t i, std::size_t b, bool allow_phrase) const;
    // The maker of a document named from token i, in the genitive after it, as German prints a source after
    // "heißt es": "in einer Mitteilung der Stadt Köln", "im Bericht des Bundesamts" (rules' document_nouns).
    [[nodiscard]] std::optional<SpeakerRef> document_maker(std::size_t i, std::size_t b) const;
    // A reference of two words or more to a body by what it is ("the club", "le syndicat"): its last word is one
    // of organisation_words or ends a subject reference.
    [[nodiscard]] bool body_reference(const SpeakerRef& r) const;
    // "said author and activist Jane Doe", "so die nicaraguanische Frauenrechtlerin und Pädagogin María Teresa
    // Blandón", "sagte Gewerkschafterin und Betriebsrätin Anna Berger": an article and a modifier or two at most, a
    // role, a coordinator, a role of a word or two, then a name of two words or more from a given name, which speaks.
    [[nodiscard]] std::optional<SpeakerRef> coordinated_roles(std::size_t i, std::size_t b) const;

    // The outlet a speaker spoke to: "told NYT", "told the New York Times", "spoke to the newspaper".
    [[nodiscard]] std::optional<SpeakerRef> object(std::size_t i, std::size_t b) const;

    const AttributionRules& rules_;
    const Lexicon& lex_;
    std::string_view text_;
    const std::vector<Token>& t_;
    std::string language_;
};

// Occurrences of a pattern's shape in its scope around a quotation, in the order they are tried: the first whose
// speaker resolves attributes the quotation. `block` is the block the Parser reads; `quote_token` the
// quotation's token there.

// scope "after": those starting right after the closing mark (and any punctuation but "." and ":") in its
// sentence.
[[nodiscard]] std::vector<Occurrence> occurrences_after(const Parser& p, const BlockInfo& block, AttributionShape shape,
                                                        std::size_t quote_token);
// shape "speaker tag" in scope "after": a name, a pronoun or a role right after the closing mark of a quotation whose
// words end with a comma inside it, then a word in lower case with one of the rules' tag_verb_endings that
// ends the sentence, or is followed by a comma, an adverb in -ly or one of tag_verb_followers ("“…,” he advised",
// "“…,” Trump simpered in a morning tweet"). The caller checks the document's language.
[[nodiscard]] std::vector<Occurrence> occurrences_unlisted_tag(const Parser& p, const BlockInfo& block,
                                                               std::size_t quote_token);
// "“Our agents continue to interdict …,” Augusto Reyes, Director of the Caribbean Air and Marine Branch.": a tag
// whose verb was left out. The quotation opens its sentence and its words end with a comma inside the marks; a name
// of two words or more follows it, then nothing but a description set off by a comma (no verb, no quotation) up to
// the sentence's end.
[[nodiscard]] std::vector<Occurrence> occurrences_name_appositive(const Parser& p, const BlockInfo& block,
                                                                  std::size_t quote_token);
// shape "dash credit" in scope "after": a dash right after the closing mark, then a name or an outlet that closes
// the paragraph, alone or with a description after a comma or in parentheses ("“…” — Kai Dörfner", "“…” – Jane
// Smith, author of The Long Road"); or a name alone in parentheses that close the paragraph ("“…” (Strify)"). The
// quotation opens the paragraph, after a list's number at most.
[[nodiscard]] std::vector<Occurrence> occurrences_dash_credit(const Parser& p, const BlockInfo& block,
                                                              std::size_t quote_token);
// scope "before": those in its sentence with nothing but punctuation or "that" between them and the opening
// mark, the nearest first.
[[nodiscard]] std::vector<Occurrence> occurrences_before(const Parser& p, const BlockInfo& block,
                                                         AttributionShape shape, std::size_t quote_token);
// scope "sentence": anywhere in its sentence near it, the nearest first.
[[nodiscard]] std::vector<Occurrence> occurrences_in_sentence(const Parser& p, const BlockInfo& block,
                                                              AttributionShape shape, std::size_t quote_token);
// scope "previous-sentence": in the sentence before it in the same block, the last first.
[[nodiscard]] std::vector<Occurrence> occurrences_in_previous_sentence(const Parser& p, const BlockInfo& block,
                                                                       AttributionShape shape, std::size_t quote_token);
// Tokens [from, to) of the Parser's block, the last first (scope "intro", over the block before the quotation).
[[nodiscard]] std::vector<Occurrence> occurrences_last_first(const Parser& p, AttributionShape shape, std::size_t from,
                                                             std::size_t to);
// scope "context": whether the block holds nothing but the quotation (token `qt`) and punctuation.
[[nodiscard]] bool whole_paragraph(const BlockInfo& block, std::size_t qt);

}  // namespace provcheck::attribute::detail
