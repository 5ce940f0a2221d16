// From the words naming a speaker to a named speaker (internal to src/attribute).
//
// A speech pattern (patterns.hpp) finds the words that name a speaker, but "he", "the report" or "the
// spokesman" names no one by itself. The people and outlets named in the article are collected once per article,
// in reading order, so that each such reference is resolved against those named before it: a pronoun to the
// person named last, a reference word to the outlet named last, a person reference to the person last named in a
// sentence that gave them that role. A quotation that is a paragraph of its own, with no attribution of its own,
// reads the outlet last named in the paragraphs before it (last_mention).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "attribute/attribute.hpp"
#include "attribute/attribution_rules.hpp"
#include "attribute/patterns.hpp"
#include "attribute/tokenize.hpp"
#include "core/types.hpp"

namespace provcheck::attribute::detail {

// Who was named where, in reading order.

enum class Gender : unsigned char { unknown, male, female };

struct Mention {
    int block = 0;
    std::size_t pos = 0;
    bool is_outlet = false;
    bool is_organisation = false;  // a name holding an organisation word ("Norland Water Authority")
    std::string name;              // canonical outlet name, or the person or organisation as printed
    std::string outlet_name;       // for a person: the outlet they spoke to
    std::string printed;
    std::string context;              // for a person: the sentence naming them, lower case ("the spokesman for …")
    bool subject = false;             // a person named as a sentence's subject or as a speaker ("PlutoPete told me")
    Gender gender = Gender::unknown;  // from a title or a given name of the rules ("Prince Andrew", "Virginia")
    bool group = false;               // a body named by what it is ("the US military", "police"): is_organisation
    bool passing = false;  // a surname named again in an object's place ("But for Parata and his family"): not a
                           // pronoun's antecedent, which is most often a subject
    std::string kind{};    // for a body: what an appositive calls it ("Skyloft, the messaging app,": "app")
    // For a surname named again (Resolver::collect_surnames), where the mention it repeats stands, whose sentence
    // `context` is, and whether it was that sentence's subject; -1 for a mention whose context is its own.
    int context_block = -1;
    std::size_t context_pos = 0;
    bool context_subject = false;
    // `printed` in lower case, and its words: set once every mention is collected (Resolver::index_names), for the
    // loops that read all mentions before a reference.
    std::string lower_printed{};
    std::vector<std::string> lower_words{};
    std::size_t first_role_word = 0;  // of lower_words, the first that is a role of person_references; size() if none
};

// What a pattern attributes a quotation to; `rule` is the pattern's id.
struct Attribution {
    std::string speaker;
    std::string outlet;
    std::string phrase;
    std::string rule;
    bool group = false;  // a group named by what it is ("police", "the researchers"): patterns.hpp group_ending
    // For an attribution to what the article named last: where that name stands (block, then byte offset).
    int named_block = -1;
    std::size_t named_at = 0;
    bool claimed = false;   // the owner of a claim named in the sentence: SpeakerRef::claimed
    bool inferred = false;  // no words say so: the person named last before the quotation (Claim::speaker_inferred)
};

class Resolver {
public:
    // Collects the mentions of `doc`, whose tokenized blocks are `blocks`; keeps references to all four.
    Resolver(const Document& doc, const AttributionRules& rules, const Lexicon& lexicon,
             const std::vector<BlockInfo>& blocks);

    // The person (or, with `outlet`, the outlet) named last before byte `pos` of `block`, in block `min_block` or
    // later; nullptr when there is none.
    // A person of the other gender than `gender` (when both are known) is passed over.
    // With `passing` false, a surname named again in passing is passed over too.
    [[nodiscard]] const Mention* last_mention(bool outlet, int block, std::size_t pos, int min_block = 0,
                                              Gender gender = Gender::unknown, bool passing = true) const;
    // The first person named at or after byte `pos` of `block`, in that block or the next; nullptr when none.
    // The one person the sentence holding token `at` of block b names before a quotation in it, as the subject of a
    // verb, when they fit the gender.
    [[nodiscard]] const Mention* sole_subject_in_sentence(std::size_t b, std::size_t at, Gender gender) const;
    // The one person the sentence holding token `at` (a quotation's first) of block b names before it, whom a given
    // name or a title tells is a person; else the one it names after it; nullptr when none or several.
    [[nodiscard]] const Mention* sole_person_in_sentence(std::size_t b, std::size_t at) const;
    // "Hargreave said he had been “terrified” when Mensah approached him. “…,” he said.": for a pronoun whose last
    // candidate `m` opens a clause of its sentence (after one of clause_openers), the person who speaks in that
    // sentence's main clause before it (a name right before a speech verb) and fits the gender; else `m`.
    [[nodiscard]] const Mention* main_speaker_over_clause(const Mention& m, Gender gender) const;
    // Whether a person the article named so before byte `pos` of `block` may be meant by a pronoun of `gender`:
    // neither their given name nor anything said of them tells the other gender.
    [[nodiscard]] bool fits_name(std::string_view name, Gender gender, int block, std::size_t pos) const;
    [[nodiscard]] const Mention* next_person(int block, std::size_t pos, Gender gender = Gender::unknown) const;
    // The one person the document's title names by a given name the rules know and a surname ("Demi Lovato opens
    // up about …"), of `gender`; empty when it names none or more than one. The headline names whom a story is
    // about when its text calls them only "Lovato" or "the singer".
    [[nodiscard]] std::string title_person(Gender gender) const;
    // The person named last before byte `pos` of `block` as a subject or speaker, in that block only.
    [[nodiscard]] const Mention* last_subject(int block, std::size_t pos, Gender gender = Gender::unknown) const;
    // The outlet or organisation named last before byte `pos` of `block`; with `word`, the organisation named last
    // whose name holds that word ("authority"). nullptr when there is none.
    [[nodiscard]] const Mention* last_body(int block, std::size_t pos, std::string_view word = {}) const;
    // Whether `word` names the same document as `head` does, another word for it (rules' same_documents: "the
    // complaint" after "The lawsuit, brought by …").
    [[nodiscard]] bool same_document(std::string_view word, std::string_view head) const;
    // The mention that starts at byte `pos` of `block`, nullptr when none does.
    [[nodiscard]] const Mention* mention_at(int block, std::size_t pos) const;
    // How far back a chain of references to `body` by its word reaches from `block` ("the agency" said again in each
    // paragraph between, no one named since as a subject, kMaxReferenceChain paragraphs at most): the earliest
    // block of the chain, `block` itself when there is none.
    [[nodiscard]] int reference_reach(const Mention* body, int block, std::size_t pos, std::string_view word) const;
    // Block `block` says "the <word>" (or "the <word>’s") outside its quotations: a body referred to by its word.
    [[nodiscard]] bool refers_by_word(int block, std::string_view word) const;
    // Someone or some body other than `from` is named as a sentence's subject after it and before byte `pos` of
    // `block`.
    [[nodiscard]] bool subject_since(const Mention& from, int block, std::size_t pos) const;

    // The name the article is about, when it is a company's or a body's: the capitalised name it prints most
    // often (three times at least), not a person's (no person's surname alone, no title), not a place's (not
    // mostly after "in", "at", "from"); a one-word name printed inside a sentence once at least. "The company said"
    // with no company named near it is this name's ("Whole Foods" of a story about the grocer).
    struct ArticleSubject {
        std::string name;
        int block = 0;  // where it is first named
        std::size_t pos = 0;
        int count = 0;
    };
    [[nodiscard]] const ArticleSubject* article_subject() const;

    // A person or organisation the article names by these words up to byte `pos` of `block`, in full or by
    // surname ("Benioff" after "Marc Benioff"): a name that is someone's, not a place's or a product's.
    [[nodiscard]] bool named_before(std::string_view printed, int block, std::size_t pos) const;
    // Two people named together by "and" before byte `pos` of `block`, in that paragraph or the one before
    // ("Funmi and Segun Adebayo", "Ana Ruiz and Tomas Berg"): the words, for a "they" after them.
    // A relative by whose relative they are ("Her brother", "The woman’s sister") opening the first sentence of
    // block `block` as its subject, of `gender`, with no one named between it and `pos`: the description as printed.
    [[nodiscard]] std::optional<std::string> relative_opening(int block, std::size_t pos, Gender gender) const;
    [[nodiscard]] std::optional<std::string> people_named_together(int block, std::size_t pos) const;

    // Speaker and outlet named by an occurrence, or nullopt when a reference points at nobody.
    [[nodiscard]] std::optional<Attribution> resolve(const Occurrence& occ, std::size_t b, const Parser& p) const;
    // The article's language writes every noun in capitals (German): a capitalised phrase need be no name.
    [[nodiscard]] bool nouns_capitalised() const;
    // Token k of block b, one word the parser read as a name, is an ordinary word opening its sentence that describes
    // the name after it ("Popular drinking hole The Idle Hour", "Iconic Clon spot DeBarras"): that name; else none.
    [[nodiscard]] std::optional<SpeakerRef> described_opener(std::size_t k, std::size_t b, const Parser& p) const;

    // Someone a given name or a title tells is a person, named by more than a title ("Frau" alone names no one).
    [[nodiscard]] bool named_person(const Mention& m) const;
    // The surname (in lower case) of someone the article names in full ("moody" of "John Moody").
    [[nodiscard]] bool known_surname(std::string_view lower) const { return surnames_.contains(std::string(lower)); }
    // A short paragraph holding one of the rules' credit_markers: a photo's credit or its licence, whose names are
    // no one's in the story.
    [[nodiscard]] bool credit_line(std::string_view text) const;

private:
    [[nodiscard]] Parser parser(std::size_t b) const;
    // The last description of someone unnamed ending in `role` ("a White House official" for "official"), or with
    // an empty role in any role of the rules' person_references ("one mother"), before byte `pos` of `block`, in
    // that paragraph or the two before: its block, byte offset and words.
    [[nodiscard]] std::optional<std::pair<int, std::pair<std::size_t, std::string>>> described_before(
        std::string_view role, int block, std::size_t pos) const;
    // "The company denied the allegations in a statement. … “…,” the statement read.": who issued the document
    // `head` names ("statement"): the subject of the last sentence before byte `pos` of `block`, in that paragraph
    // or the one before, that names the document after its subject, resolved as that subject is. A name must be
    // one the article gives someone (named_before); a document opening that sentence issues nothing.
    [[nodiscard]] std::optional<Attribution> issuer(std::string_view head, int block, std::size_t pos) const;
    // The name a sentence of this paragraph or the two before opens with as its subject, before `pos`, that names
    // no person ("Velmar has halted production …" then "the company said"): a body the rules do not know by an
    // organisation word. Nullopt when there is none.
    [[nodiscard]] std::optional<std::string> body_subject(int block, std::size_t pos) const;
    // The body that spoke last in this paragraph before `pos`, as the subject of a speech verb ("Northline said
    // in a statement that …"), when it names no person: whom "the company said" then means.
    [[nodiscard]] std::optional<std::string> speaking_body(int block, std::size_t pos) const;
    // A one-word name of an organisation named in full before `pos` ("Brennwald" after "Brennwald Logistics"): the
    // full name, else the name as it is. With `body` (the name is known to be a body's, as "the club" refers to
    // it), also a name with more words in capitals before it ("Pilots" after "the Fairhaven Pilots").
    [[nodiscard]] std::string full_body_name(const std::string& name, int block, std::size_t pos,
                                             bool body = false) const;
    [[nodiscard]] std::string longer_body_name(const std::string& name, int block, std::size_t pos,
                                               bool body = false) const;
    // The name an acronym abbreviates ("URC": "Utilities Regulatory Commission"), the first the article printed
    // before byte `pos` of `block`; the acronym itself when there is none.
    [[nodiscard]] std::string spelled_out(const std::string& letters, int block, std::size_t pos) const;
    // The name in capitals ending at token `end` whose words' capitals spell the acronym `acronym_word`
    // ("Intergovernmental Panel on Climate Change" before "(IPCC)"), with the small words names hold between them;
    // empty when none does.
    [[nodiscard]] std::string spelled_before(const std::vector<Token>& toks, const std::string& text, std::size_t end,
                                             std::string_view acronym_word) const;
    // A body's short name in full, as the article printed it before byte `pos` of `block`: the name the short one
    // stands after in parentheses, else the one longer name (three words in capitals at least) it opens; the word
    // itself when none.
    [[nodiscard]] std::string short_name_in_full(const std::string& word, int block, std::size_t pos) const;
    // "China’s ambassador to Britain accused …" before "China’s ambassador to Britain Liu Xiaming has said": the
    // first person named after byte `pos` of `block` right after these words (lower case), in apposition or as a
    // title; nullptr when none is.
    // Whether the name as printed holds a role of person_references other than role ("Chairwoman Beatrix Vogel"
    // for "ceo").
    [[nodiscard]] bool titled_otherwise(const Mention& m, std::string_view role) const;
    // A person's name with a title that holds a body's word ("U.S. District Judge Miriam Castellano"), or one whose
    // given name or title tells a gender: not an organisation's.
    [[nodiscard]] bool titled_person(std::string_view name) const;
    [[nodiscard]] const Mention* named_after_description(std::string_view description, int block,
                                                         std::size_t pos) const;
    // The one name of several words, opening with `first_word` (lower case), that the article gave before `pos`;
    // nullptr when it gave none or more than one ("Sir Malcolm" after "Sir Malcolm Reddaway").
    [[nodiscard]] const Mention* only_named_in_full(const std::string& first_word, int block, std::size_t pos) const;
    // A person's name without the nouns in capitals printed before its given name ("Martin Dolzer" of
    // "Linken-Bürgerschaftsabgeordnete Martin Dolzer"); the name itself when none.
    [[nodiscard]] std::string without_role(const std::string& name) const;
    // The body a German document name says made it ("Landespolizeidirektion Wien" of "Bericht der
    // Landespolizeidirektion Wien"); the name itself when it names no document so.
    [[nodiscard]] std::string maker_of_document(const std::string& name) const;
    // The one person named in full (a given name and a surname) with this surname before byte `pos` of `block`;
    // nullptr when none or several.
    [[nodiscard]] const Mention* only_named_in_full_by_surname(std::string_view lower_surname, int block,
                                                               std::size_t pos) const;
    // How many times the name is printed as whole words in the article, up to `enough`.
    [[nodiscard]] int named_times(std::string_view name, int enough) const;
    // Whether tokens first..last (printed `printed`) may be a name in a language that writes its nouns in capitals:
    // a body's name, a titled person, an acronym, a name holding a given name, a title, letters in capitals or a role,
    // a longer name that no article or demonstrative opens, or one word that is a surname of someone named in full,
    // printed twice, or not ending as abstract nouns do (rules' abstract_noun_endings).
    // (`text`: the block's text, which `toks` index.)
    [[nodiscard]] bool plausible_name(std::string_view text, const std::vector<Token>& toks, std::size_t first,
                                      std::size_t last, const std::string& printed) const;
    void collect_mentions();
    void collect_word_cases();
    // A word the article prints in lower case and never in capitals inside a sentence ("popular", "taking").
    [[nodiscard]] bool ordinary_word(std::string_view lower) const;
    // One word opening a sentence that names no one: an ordinary word, not the surname of someone named in full
    // ("Research has hinted …", "Someone once said to me"; not "Obama" after "Barack Obama").
    [[nodiscard]] bool ordinary_opener(std::string_view lower) const;
    // Capitalised names holding an organisation word, wherever they stand ("a report by the Kestrel Institute").
    void collect_organisations(std::size_t b);
    void collect_described_bodies(std::size_t b);
    // A word of a language that joins its nouns ending in a body's word (rules' compound_organisation_endings).
    [[nodiscard]] bool compound_body(std::string_view lower_word) const;
    // A word that says what kind of body something is: one of organisation_words, or the head of a
    // subject_references phrase ("company", "app", "aerolínea").
    [[nodiscard]] bool body_kind(std::string_view lower_word) const;
    // People named without a speech verb, where a name stands for a person: after a title ("Senator Obinna Eze
    // left the chamber"), or as a sentence's subject ("Rui Carvalho had resigned"), or between commas ("Her
    // deputy, Rui Carvalho, had resigned"). Two capitalised words at least; places in running text are not
    // taken ("in Gaza City").
    void collect_people(std::size_t b);
    // A person named before in full, named again by surname alone as a sentence's subject ("Wade Bassi … Bassi,
    // 43 years a fisherman, keeps an eye on it"): a mention of the same person, so that a pronoun after it finds
    // them rather than someone named in between.
    void collect_surnames();
    // A body named in full before, named again without its last word, a body's word ("Big Machine Records" … "Swift
    // accused Braun, Borchetta and Big Machine"): a mention of the same body, so that "the company" after it finds it
    // rather than a body named in between.
    void collect_short_body_names();
    // The gender a relation set off before a mention tells ("his mother, Edna"): male_relations, female_relations.
    // "L’association Automobilistes d’Île-de-France", "L’ONG Aide Sahel": a name over [first, last] opening with the
    // word for what the body is, its article glued to it (a subject reference of one token): the token after it.
    [[nodiscard]] std::size_t past_body_kind(const std::vector<Token>& toks, std::size_t first, std::size_t last) const;
    // "“The Millbrook Police Department is aware …,” the department said": in the paragraph's text (its quotations
    // too), a name in capitals ending with the head word of "the <word>", the body naming itself.
    [[nodiscard]] std::optional<std::string> self_named_body(int block, std::string_view head) const;
    // The gender a role's article before the name tells ("El diputado de la oposición Xosé …"): masculine_articles,
    // feminine_articles.
    // A role of male_role_words or female_role_words set off after the name ("Ashleigh Crane, a spokeswoman for the
    // group"); unknown when none.
    [[nodiscard]] Gender appositive_role_gender(const Mention& m) const;
    [[nodiscard]] Gender role_gender(const Mention& m) const;
    [[nodiscard]] Gender relation_gender(const Mention& m) const;
    // A person's gender from the article where titles and given names tell none: the pronouns ("he", "his",
    // "her") that go on in the sentences naming them and no one else.
    void learn_genders();
    [[nodiscard]] bool nationality_only(std::string_view name) const;
    // Fills first_named_, by_given_name_ and by_first_word_ from the collected mentions, once.
    void index_names();
    // The words of a name in lower case, titles and their full stops left out ("Sir Malcolm Reddaway":
    // "malcolm", "reddaway").
    [[nodiscard]] std::vector<std::string> untitled_words(std::string_view name) const;
    [[nodiscard]] bool organisation_name(std::string_view lower_name) const;
    // A name's gender: a title or given name of the rules' male_words or female_words among its words.
    [[nodiscard]] Gender gender_of(std::string_view name) const;
    // A person named before in two words or more has this (lower-case) word for a surname.
    [[nodiscard]] bool surname_of_named(std::string_view lower_word);
    // Adds the surnames of the mentions collected since the last call to surnames_.
    void note_surnames();

    const Document& doc_;
    const AttributionRules& rules_;
    const Lexicon& lex_;
    const std::vector<BlockInfo>& blocks_;
    std::vector<Mention> mentions_;
    mutable std::optional<std::optional<ArticleSubject>> subject_;  // computed on first use
    // named_times by name, computed on first use, as many claims ask for the same one.
    mutable std::unordered_map<std::string, int> named_times_;
    // refers_by_word by block and word, computed on first use: every "the agency said" of a page may ask.
    mutable std::map<std::pair<int, std::string>, bool> refers_by_word_;
    // Where the mentions named as a sentence's subject stand (not outlets), in reading order, computed on first use.
    mutable std::optional<std::vector<std::pair<int, std::size_t>>> subject_positions_;
    // How many mentions each name has (index_names).
    std::unordered_map<std::string, int> mentions_by_name_;
    // Surnames of the people named in two words or more (note_surnames), of mentions_[0, seen) while they are
    // collected, of all of them after.
    std::unordered_set<std::string> surnames_;
    // Words the article prints in lower case, and words it prints in capitals inside a sentence
    // (collect_word_cases): a word in the first set only is an ordinary word wherever it opens a sentence.
    std::unordered_set<std::string> lower_words_;
    std::unordered_set<std::string> capitals_inside_;
    std::size_t surnames_seen_ = 0;
    // Looked up for every claim, so built once (index_names): where a person's or body's name, as printed or in
    // full and in lower case, is first given (named_before); the people named in full by their given name, and
    // the organisations named in full by their first word, each in reading order (names said again shorter).
    std::unordered_map<std::string, std::pair<int, std::size_t>> first_named_;
    // Names printed as a work's title after its noun and one of rules' title_verbs ("a TV show called Fat Actress").
    std::unordered_set<std::string> works_;
    std::unordered_map<std::string, std::vector<const Mention*>> by_given_name_;
    std::unordered_map<std::string, std::vector<const Mention*>> by_first_word_;
};

}  // namespace provcheck::attribute::detail
