// attribute: from a Document's quotations and embeds to Claims (DESIGN.md "Data types": Claim).
//
// Input: a Document from extract_document and the rules in force (attribution.toml for the patterns and word
// lists, outlets.toml compared as RuleSet::find_outlet compares names). Output: one Claim per quotation (kind
// partial_quote when it has at most `partial_max_words` words, else quote; none for a quotation with no
// attribution and fewer than `unattributed_min_words` words, a term or scare quote) and one per tweet embed (kind
// embed, speaker the handle, outlet "Twitter" or "X", rule from [embed] id), sorted by block and offset.
//
// How a speaker is found: the [[pattern]]s of attribution.toml are tried in order (scopes and shapes are
// described in that file); the first whose speaker resolves wins and its id is Claim::rule. A speaker that is
// an outlet's name or alias gives speaker = outlet = the outlet's canonical name; a reference word ("the report",
// "it") resolves to the outlet named last before it, a person reference ("the spokesman") to the person named last
// in a sentence holding its last word ("Abu Obeida, the spokesman for …, said"), else to the person named last,
// an organisation reference ("the authority") to the last organisation whose name holds that word (an
// organisation is a capitalised name holding one of organisation_words, named anywhere in the text; a reference
// word also reaches the organisation named last when it was named after the last outlet, and the claim's speaker
// is then the organisation, with no outlet), a pronoun (he, she) to the person named last before it
// (a person is named by a speech pattern: "Abu Obeida, had said"); "told NYT" sets the outlet of a person.
// An unresolvable reference does not attribute; with no pattern the claim has empty speaker, outlet and rule.
// A multi-paragraph quotation (one Quotation per paragraph, see extract/quotes.hpp) is attributed as a whole:
// every paragraph gets the attribution found after its last closing mark or before/around its first paragraph.
//
// Claim::linked_urls: http(s) links of the quotation's own block, then of the paragraph opening a
// multi-paragraph quotation, then of the block right before it when that block ends with ":". No duplicates,
// and at most max_linked_urls (a paragraph of a real article has a handful of links; a page of thousands of
// links in one paragraph must not give each of its claims thousands of sources).
// Claim::id: the first 16 hex digits of SHA-256 over url "\n" block "\n" quote (claim_id below).
//
// Never: network access, exceptions for odd text, claims left unattributed because the rules could not be
// read: malformed attribution rules (an unknown key, a wrong type, an unknown scope or shape; the Error names
// the file, line and key) are an Error of load_attribution_rules and of attribute_claims, never an empty
// rule set. A run reads them once, before anything is fetched, and passes them to attribute_claims.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <memory>
#include "core/error.hpp"

#include "core/types.hpp"
#include "rules/rules.hpp"

namespace provcheck {

enum class AttributionScope { after, before, sentence, previous_sentence, intro, context };
// colon_subject: "Osei was blunt: “…”", the subject of the clause a colon ends, just before the quotation.
// sentence_subject: "Benioff introduced Cook as “someone who …”", the person or body that opens the quotation's
// sentence as its subject, for a quotation inside the sentence that no speech verb attributes.
// sentence_person: "allowed Adam Mosseri to claim that … “…”", the one person the quotation's sentence names before it,
// when no other pattern, continuation or introduction attributes the quotation (tried last).
// speaker tag: "“…,” Trump simpered in a morning tweet", a name or pronoun and a verb no list holds, right after a
// quotation that ends with a comma inside its marks (AttributionRules' tag_verb_*).
// dash credit: "“The best book of the year.” — Jane Smith", a dash and a name or an outlet closing the paragraph
// right after the quotation, as blurbs, testimonials and epigraphs credit their words.
// nearest person: a quotation that nothing else attributes, long enough to be said, goes to the person named last
// before it in its paragraph (or, when it opens its paragraph, in the paragraph before): the closest mention, the last
// sieve of Muzny et al. A guess, not an attribution: Claim::speaker_inferred, which ties no source to the speaker
// and lets no source's speaker contradict it.
enum class AttributionShape {
    speaker_verb,
    verb_speaker,
    according_to,
    last_outlet,
    colon_subject,
    sentence_subject,
    sentence_person,
    speaker_tag,
    dash_credit,
    name_appositive,
    nearest_person
};

struct AttributionPattern {
    std::string id;
    AttributionScope scope = AttributionScope::after;
    AttributionShape shape = AttributionShape::speaker_verb;
};

// attribution.toml, parsed. Word lists are lower case; multi-word entries are split at spaces.
struct AttributionRules {
    std::vector<std::vector<std::string>> speech_verbs;
    // A speech verb with the words after it that make it no saying: "related to", "added to".
    std::vector<std::vector<std::string>> not_speech;
    std::vector<std::vector<std::string>> fillers;
    std::vector<std::vector<std::string>> reference_words;
    std::vector<std::vector<std::string>> person_references;  // "the spokesman": the last fitting person
    // "the company", "the site": a body named in the paragraph or the one before, else the one the article is about.
    std::vector<std::vector<std::string>> subject_references;
    // Words that open an "according to" attribution: "according to", "selon", "laut", "según", "по словам".
    std::vector<std::vector<std::string>> opinion_phrases;  // "a su juicio", "in her view"
    std::vector<std::vector<std::string>> according_to{{"according", "to"}};
    // After "in" and a speaker's possessive, the words that make an "according to" of them: "In Dr. Shadlen's
    // words, “…”", "in his own words".
    std::vector<std::vector<std::string>> words_of;
    std::vector<std::string> pronouns;
    // "The Times quoted Gershon Baskin as saying …": after a quoting verb, the person quoted and one of as_saying;
    // that person is the speaker and the subject the outlet the words came through.
    std::vector<std::string> quoting_verbs;
    std::vector<std::vector<std::string>> as_saying;
    // "Роман Ушаков в разговоре с РБК оценил", "Ana Ruiz, en entrevista con EFE, dijo": the phrase before the medium
    // spoken to; the speaker is the name before it.
    std::vector<std::vector<std::string>> conversation_phrases;
    // Words set off by commas between a speech verb and who speaks: "lamenta, por su parte, Iris Avellaneda".
    std::vector<std::vector<std::string>> verb_asides;
    std::vector<std::vector<std::string>> verb_adjuncts;
    // A team and who leads it: "Forscher um Aneta Afelt", "researchers led by Dr Mira Patel"; the leader speaks.
    std::vector<std::vector<std::string>> led_by;
    std::vector<std::string> team_nouns;
    // Words that open an aside of who said it, the verb right after ("como dijo Boric", "wie Merkel sagte").
    std::vector<std::string> aside_openers;
    // Words that stress a pronoun before its verb ("él mismo dijo", "he himself said").
    std::vector<std::string> intensifiers;
    // "she recalls him saying “…”": verbs of memory, the participles of saying after whom, and object pronouns.
    std::vector<std::string> recalling_verbs;
    std::vector<std::string> recalled_saying;
    std::vector<std::string> object_pronouns;
    // The writer speaking of themself ("I remember thinking: “…”", "we said, “…”"): the words are the writer's.
    std::vector<std::string> first_person_pronouns;
    // Words for a saying someone owns, before a comma or a colon and the quotation ("his famous line, “…”").
    std::vector<std::string> saying_nouns;
    // A company's legal suffix, set off by a comma after its name ("Dräger, Inc.", "Acme Holdings, Ltd.").
    std::vector<std::string> company_suffixes;
    // After a work's noun, the verbs that give its title: "a TV show called Fat Actress".
    std::vector<std::string> title_verbs;
    // Words that tag a quotation after a pronoun that follows it ("“…,” she shares").
    std::vector<std::string> pronoun_tag_words;
    // German documents printed as one name with their maker's ("Bericht der Landespolizeidirektion Wien").
    std::vector<std::string> document_nouns;
    // The articles before a group ("the experts", "die Experten", "los expertos"), part of the speaker as printed.
    std::vector<std::string> group_articles;
    // A word that right after a quotation and its comma says whose words they were: "„…“, so Rees."
    std::vector<std::string> quote_tag_openers;
    // A name holding one of these words is an organisation's ("Norland Water Authority"): a reference word ("the
    // report", "it") can point back to it, a pronoun cannot, and "the <word>" ("the authority") points back to the
    // last organisation named with that word.
    std::vector<std::string> organisation_words;
    // Heads of a body's name that French, Spanish, Italian and Portuguese go on after in lower case ("Association
    // pour une fin de vie choisie", "Tribunal cantonal valaisan"), and the words that end such a name.
    std::vector<std::string> tailed_organisation_words;
    std::vector<std::string> organisation_tail_stops;
    std::vector<std::string> organisation_tail_connectors;
    std::vector<std::string> institution_articles;  // "le", "la", "l’": before an institution in lower case
    std::vector<std::string> cyrillic_tail_endings;
    std::vector<std::string> cyrillic_tail_prepositions;  // "по", "при": any case after them in a body's name
    std::vector<std::string> cyrillic_adjective_endings;  // "Велижанский моторный завод": adjectives before a head
    std::vector<std::string> patronymic_endings;  // "Юрьевич": the given name before it opens the name
    std::vector<std::string> cyrillic_verb_endings;
    // Organisation words that take "on" and a topic inside the name ("Council on Foreign Relations").
    std::vector<std::string> topic_heads;
    std::vector<std::string> appositive_openers;
    std::vector<std::string> relative_pronouns;
    std::vector<std::string> made_documents;  // "the IMF report said": a document its maker's name speaks for
    std::vector<std::string> agent_endings;
    // Endings of a role in capitals, as German writes it, besides agent_endings ("Pädagogin", "Politologin"): what
    // stands before "und" in "die Frauenrechtlerin und Pädagogin María Teresa Blandón".
    std::vector<std::string> capitalised_role_endings;
    std::vector<std::string> pronoun_surnames;
    std::vector<std::string> addressee_prepositions;
    std::vector<std::string> addressee_determiners;
    std::vector<std::string> media_nouns;
    std::vector<std::string> own_medium_determiners;
    std::vector<std::string> sentence_conjunctions;
    std::vector<std::string> narrative_infinitives;
    std::vector<std::string> number_words;
    std::vector<std::string> party_members;
    std::vector<std::string> male_relations;
    std::vector<std::string> pro_drop_complementizers;
    std::vector<std::string> reported_speech_verbs;
    std::vector<std::string> affiliation_particles;
    std::vector<std::string> compound_organisation_endings;
    std::vector<std::string> authorship_participles;
    std::vector<std::string> object_articles;
    std::vector<std::string> company_kinds;
    std::vector<std::string> team_name_endings;
    std::vector<std::string> place_name_endings;  // "Powder River Basin": a place, no one
    std::vector<std::string> named_body_nouns;
    std::vector<std::string> staff_nouns;
    std::vector<std::string> verb_second_openers;
    std::vector<std::string> time_determiners;
    std::vector<std::string> time_words;
    // A phrase of time or circumstance between a subject and its verb ("Obama at the time called", "Lopez on Tuesday
    // said"): opened by one of subject_adjuncts, its words in lower case, figures or calendar_words.
    std::vector<std::string> subject_adjuncts;
    // Auxiliaries of a perfect tense before a speech verb's participle ("a dit", "ha dicho"), and before an inverted
    // pronoun ("a-t-il promis", read "a", "il", "promis").
    std::vector<std::string> perfect_auxiliaries;
    // Languages that print a speech tag inside the marks ("« Nous sommes inquiets, explique Marie Dupont. Les
    // salaires ne suivent pas. »"): there the quotation is split around it.
    std::vector<std::string> inner_tag_languages;
    std::vector<std::string> tag_verb_languages;
    std::vector<std::string> reflexive_tag_pronouns;
    std::vector<std::string> prodrop_tag_languages;
    std::vector<std::string> plural_article_languages;
    std::vector<std::string> indirect_question_openers;
    std::vector<std::string> credit_markers;
    std::vector<std::string> medium_participles;
    std::vector<std::string> medium_prepositions;
    std::vector<std::string> prodrop_tag_endings;
    std::vector<std::string> tag_verb_endings;
    std::vector<std::string> tag_verb_followers;
    // Nouns for a person that no ending of agent_endings tells ("said a woman who lives nearby", "one neighbour
    // who asked not to be named").
    std::vector<std::string> person_nouns;
    // Endings of abstract nouns in a language that writes its nouns in capitals ("-ung", "-heit", "-nisse"): a
    // phrase opening with one names no person ("Anpassungen der Beiträge").
    std::vector<std::string> abstract_noun_endings;
    // German articles of a neuter noun, which names no person ("erklärte das Landratsamt").
    std::vector<std::string> neuter_articles;
    std::vector<std::string> calendar_words;
    // Months after a day printed as an ordinal with a full stop ("am 27. Februar", "des 27. Februars"), which ends
    // no sentence.
    std::vector<std::string> ordinal_date_months;
    // Endings of an adjective that a language writing its nouns in capitals writes so only inside a name ("die
    // Deutsche Post", "die Europäische Zentralbank").
    std::vector<std::string> proper_adjective_endings;
    // Adverbs and an object's pronouns that may stand before a speech verb whose subject follows it, before a colon
    // ("Así lo explicó María Naddeo: “…”", "So formulierte es Maria Naddeo:").
    std::vector<std::string> verb_first_openers;
    // Abbreviations of "number", which keep their full stop only before a figure ("No. 10"; "… ? No. You …").
    std::vector<std::string> number_abbreviations;
    // Endings a title takes and stays one ("President-elect Donald Trump", "Governor-designate").
    std::vector<std::string> title_suffixes;
    std::vector<std::string> echo_openers;
    std::vector<std::string> body_locatives;
    std::vector<std::string> female_relations;
    std::vector<std::string> narrative_infinitive_markers;
    std::vector<std::string> dative_articles;
    std::vector<std::string> body_articles;
    std::vector<std::string> body_qualifiers;
    std::vector<std::string> name_connectors;
    // Connectors that may open a name said without its given name ("sagte von Preen", "said van Rijn"): unlike
    // "de" or "la", never an article or a preposition in front of a name.
    std::vector<std::string> leading_name_particles;
    // Words that tag a quotation only right after its closing mark, the speaker following ("„…“, so Müller").
    std::vector<std::string> quote_tag_words;
    // Articles that stand before a role in lower case after a speech verb ("apuntó la vicepresidenta"): the role
    // is someone named before, as "said the spokesman" is.
    std::vector<std::string> role_articles;
    // German articles before a person described by a noun in capitals ("so der 15-malige Major-Sieger").
    std::vector<std::string> noun_articles;
    // Languages that write every noun in capitals (by the page's language tag): there a capitalised phrase opening
    // a sentence need be no one's name.
    std::vector<std::string> capitalised_noun_languages;
    // Determiners before a noun in front of the verb that make the sentence put its subject after the verb
    // ("In ihrer Bewerbungsrede nannte Stetter-Karp", "Im Interview sagte Müller").
    std::vector<std::string> inverting_determiners;
    // Adverbs that may stand between a speech verb and its subject ("dijo primero el secretario general").
    std::vector<std::string> post_verb_adverbs;
    // Auxiliary verbs: never an occupation between an employer and a name ("Eastfield Rovers have suspended …").
    std::vector<std::string> auxiliaries;
    // Copulas: never a word of a role described after an article ("el proyecto es").
    std::vector<std::string> copulas;
    // A given name after one of these is a place's or a saint's ("San Martín de Valdelobos").
    std::vector<std::string> saint_words;
    // A verb whose particle closes the clause after the subject, as German separates them ("teilte das
    // Ministerium mit", "fügte sie hinzu"): the verb's word, then the particle.
    std::vector<std::vector<std::string>> separable_verbs;
    std::vector<std::string> not_names;
    // Titles and nationalities: part of a name they stand before ("Prime Minister Ahmed Salem"), but a speaker
    // of nothing but these ("Syrian claims") is no speaker.
    std::vector<std::string> titles;
    std::vector<std::string> nationalities;
    std::vector<std::string> abbreviations;
    std::vector<std::string> possessives;             // "his", "their": open no subject ("His message was clear:")
    std::vector<std::string> possessive_pronouns;     // "his", "her": "in his words" is the person named last
    std::vector<std::string> according_to_ambiguous;  // "segundo": an according_to word only before a name
    std::vector<std::string> owner_agents;            // "Her office said": the one "her" means speaks
    std::vector<std::string> group_speakers;          // "police", "officials": "police said" names a group
    std::vector<std::string> indefinite_pronouns;     // "someone", "jemand": "said someone at the meeting"
    std::vector<std::string> participle_auxiliaries;  // "werden", "hatte": a German participle, not a tag
    std::vector<std::string> participle_perfect_auxiliaries;  // "hatte": "hatte die Managerin … beklagt"
    std::vector<std::string> continuing_openers;              // "that": "That process led to a realization: “…”"
    std::vector<std::string> verb_second_phrases;    // "darüber hinaus": "Darüber hinaus mahnte der Präsident"
    std::vector<std::string> place_prepositions;     // "in", "au": a name after one is a place, no speaker
    std::vector<std::string> platform_prepositions;  // "on": "One user on Weibo" is the user, never Weibo
    std::vector<std::string> addressee_verbs;        // "telling": "telling Cook, “…”" is not Cook's
    std::vector<std::string> telling_verbs;          // "told": its object heard the words, it names nothing
    std::vector<std::string> same_documents;         // "lawsuit suit complaint": words for one document
    std::vector<std::string> source_words;           // "came": "The strongest words came from Mary Smith: “…”"
    std::vector<std::string> claim_nouns;  // "claims": "Kyiv rejected Russian claims that “…”" is not Kyiv's
    // Words that go on describing someone after "a source", "a spokesman" ("familiar with the matter", "for the
    // ministry"): the whole is the speaker.
    std::vector<std::string> description_postmodifiers;
    // Words a story uses for the person it is about, named before ("the teenager", "the left-hander"): "the
    // <word>" is the last person named as a subject nearby, not a description of someone unnamed.
    std::vector<std::string> epithets;
    // "former", "new", "nouveau": between a role's article and its noun, the role all the same ("the former president")
    std::vector<std::string> role_time_modifiers;
    std::vector<std::string> demonstratives;          // "Das kündigte X an": alone before the verb, no name
    std::vector<std::string> appositive_possessives;  // "a confirmé son agent, Dirk Claessens,": the name speaks
    // The articles of person_references' roles that tell a man ("el diputado") and a woman ("la ministra")
    std::vector<std::string> masculine_articles;
    std::vector<std::string> feminine_articles;
    std::vector<std::string> term_openers;  // "so-called": the marked words after it name something
    // Verbs by which a document goes on from one quotation to the next ("the statement continued", "the report
    // concludes"): the document of the quotation before, whoever the reference would point to by itself.
    std::vector<std::string> going_on_verbs;
    std::vector<std::string> work_nouns;     // "the film “Lanterns”": marked words after it, capitalised, a title
    std::vector<std::string> name_suffixes;  // "jr", "iii": "Carlineo" is the surname of "Patrick W. Carlineo Jr."
    std::vector<std::string> impersonal_verbs;     // "s’agit": "Il s’agit de « … »" is no one's
    std::vector<std::string> male_role_words;      // "spokesman": "X, a spokesman for …" is a man
    std::vector<std::string> female_role_words;    // "spokeswoman", "actress", "Sprecherin"
    std::vector<std::string> agent_prepositions;   // "by", "por": "fue abordado por el Presidente Boric"
    std::vector<std::string> passive_auxiliaries;  // "was", "fue", "wurde": a clause in the passive
    // "named", "nommé", "ernannt": after a passive auxiliary and before a quotation, the words are a name or a post
    // given to the subject ("Yves Lévy a été nommé « conseiller d’Etat … »"), not its words.
    std::vector<std::string> naming_participles;
    std::vector<std::string> naming_connectors;    // "as", "comme": "was described as “…”"
    std::vector<std::string> body_conjunctions;    // "y": "Ministerio de Ciencia y Tecnología" is one body
    std::vector<std::string> impersonal_pronouns;  // "es": "Bei Wikipedia klingt es so: „…“" is no one's
    // Pronouns of one gender, and the titles and given names that tell a person's: "he" passes over a person
    // named "Virginia Giuffre" or "Ms Patel".
    std::vector<std::string> male_pronouns;
    std::vector<std::string> female_pronouns;
    // Other forms of those pronouns ("his", "him", "her"): a person whose sentences go on with them is of that
    // gender, where no title or given name tells.
    std::vector<std::string> male_forms;
    std::vector<std::string> female_forms;
    // Sorted once loaded (some two thousand given names): male_word and female_word search them.
    std::vector<std::string> male_words;
    std::vector<std::string> female_words;
    [[nodiscard]] bool male_word(std::string_view w) const {
        return std::binary_search(male_words.begin(), male_words.end(), w);
    }
    [[nodiscard]] bool female_word(std::string_view w) const {
        return std::binary_search(female_words.begin(), female_words.end(), w);
    }
    [[nodiscard]] bool given_name_word(std::string_view w) const { return male_word(w) || female_word(w); }
    // Endings of a surname in Cyrillic that tell a woman's ("Соколова") or a man's ("Соколов"), where no title or
    // given name does.
    std::vector<std::string> female_surname_endings;
    std::vector<std::string> male_surname_endings;
    std::vector<std::string> indefinite_determiners;  // "a", "one": "one user wrote" names no one
    std::vector<std::string> clause_openers;          // "that", "because": a surname after one is a clause's subject
    // Words a title in title case leaves in lower case ("Rush of Blood"): a quotation whose other words all open
    // with a capital is a title or a name, not words someone said ("“Until Dawn: Rush of Blood”").
    std::vector<std::string> title_minor_words;
    // A quotation that opens a story, its speaker named in the next paragraph's first sentence, which opens with
    // one of lede_openers and names them after one of lede_links ("So says Adaeze Kolawole-Hart", "Those were the
    // words of Mariam Haddad", "That was the message from Ruth Calloway").
    // Titles that make a person of one surname after them ("el Presidente Boric", "Mr. Scott").
    std::vector<std::string> honorifics;
    // Words before a noun in a language that capitalises nouns, making it no name ("Die Beweislage", "Zahlreiche
    // Rechnungen").
    std::vector<std::string> noun_determiners;
    // "and" joining two verbs of one subject ("… y ha asegurado que", "… and said"), in each language.
    std::vector<std::string> coordinators;
    // Pronouns that are the subject when right after a speech verb ("Als Gründe nannte er …").
    std::vector<std::string> inverted_pronouns;
    // Endings of a word that gives an age ("38-year-old", "61-jährige").
    std::vector<std::string> age_suffixes;
    std::vector<std::string> lede_openers;
    // Phrases that open the sentence after a quotation and point back to its words ("With those words, …", "Con
    // esa frase, …"): the subject after the comma spoke them.
    std::vector<std::string> words_openers;
    // Words that open a sentence with the person whose view it gives ("Pour Julien Favre, …", "Para la ministra, …").
    std::vector<std::string> opinion_openers;
    // Words after a speech verb whose subject is left out, right after a quotation ("“…”, dijo al ser consultado").
    std::vector<std::string> pro_drop_followers;
    std::vector<std::string> lede_links;
    // Prepositions: a possessive name after one is inside a phrase, not a clause's subject ("asked about Vollmer’s
    // remarks").
    std::vector<std::string> prepositions;
    // Text written without spaces between words (Chinese): the verbs that follow a speaker's name ("卢宇表示：“…”",
    // "”卢宇说，“…"), the titles that may stand before the name ("委员张近东"), and the pronouns that point back to
    // the person named last ("他说：“…”"). The rule id of what they find is `ideographic_rule`.
    std::vector<std::string> ideographic_speech_verbs;
    std::vector<std::string> ideographic_titles;
    std::vector<std::string> ideographic_pronouns;
    // Words found before a speech verb that are no one's name ("人们认为": people think).
    std::vector<std::string> ideographic_not_names;
    std::string ideographic_rule = "ideographic.speaker-verb";
    // A paragraph that opens with a person's name and a colon right before its quotation, as interviews and headlines
    // print who speaks ("Mosbacher: „…“"): the rule id of what it finds.
    std::string label_rule = "label.speaker";
    // A quotation that is a sentence of its own after sentences reporting speech in the subjunctive ("Diese
    // Solidarität habe er gespürt. „…“"): the rule id of what it finds (their subject).
    std::string reported_rule = "reported.subject";
    std::size_t partial_max_words = 3;
    // A quotation over several paragraphs is one claim of at most this many words; the paragraphs past them make
    // claims of their own.
    std::size_t max_run_words = 2000;
    // An unattributed quotation of fewer words is a term or scare quote, not a claim (0: keep all).
    std::size_t unattributed_min_words = 4;
    int context_blocks = 3;
    std::string embed_rule = "embed.tweet";
    std::string instagram_embed_rule = "embed.instagram";
    // The rule id of a quotation that continues the speaker of the quotation before it (in its paragraph, or
    // opening the next one); empty: no continuation.
    std::string continuation_rule = "continuation";
    // The rule id of a block quotation's speaker read from its credit line (Block::credit_of); empty: not read.
    std::string credit_rule = "block-credit";
    std::vector<AttributionPattern> patterns;
};

inline constexpr std::size_t max_linked_urls = 32;

[[nodiscard]] Result<AttributionRules> load_attribution_rules(const RuleSet& rules);

// A speaker the text describes and does not name ("a senior official", "one user", "the ministry", "the
// chief", "her lawyer", "Acme's chief executive"): it opens with an indefinite determiner, "the" or a possessive,
// or an owner in the possessive before a word in lower case. Such a speaker names no one another name can be
// compared with.
[[nodiscard]] bool described_speaker(std::string_view speaker, const AttributionRules& rules);

namespace attribute::detail {
struct Lexicon;
}

// The rules' word look-ups (outlet names and aliases, speech verbs, fillers, reference words), built once and
// read by any number of threads at once. It keeps its own copy of the outlets and the attribution rules, so it
// outlives the values it was built from. attribute_claims without it builds one per call, which is what a
// caller attributing many small documents (a source's passage per claim) avoids.
class AttributionLookups {
public:
    AttributionLookups(const RuleSet& rules, const AttributionRules& attribution);
    ~AttributionLookups();
    AttributionLookups(const AttributionLookups&) = delete;
    AttributionLookups& operator=(const AttributionLookups&) = delete;

    [[nodiscard]] const RuleSet& rules() const noexcept;
    [[nodiscard]] const AttributionRules& attribution() const noexcept;
    [[nodiscard]] const attribute::detail::Lexicon& lexicon() const noexcept;

private:
    struct Data;
    std::unique_ptr<Data> d_;
};

[[nodiscard]] std::vector<Claim> attribute_claims(const Document& doc, const RuleSet& rules,
                                                  const AttributionRules& attribution);
[[nodiscard]] std::vector<Claim> attribute_claims(const Document& doc, const AttributionLookups& lookups);
// Reads attribution.toml of `rules` first; its Error when they are malformed.
[[nodiscard]] Result<std::vector<Claim>> attribute_claims(const Document& doc, const RuleSet& rules);

[[nodiscard]] std::string claim_id(std::string_view url, int block, std::string_view quote);

}  // namespace provcheck
