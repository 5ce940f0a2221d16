#include "attribute/attribute.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <unordered_set>
#include <utility>

#include "core/text.hpp"
#include "extract/utf8.hpp"
#include "rules/rule_reader.hpp"

namespace provcheck {

namespace {

Result<std::vector<std::string>> word_list(const RuleTable& t, std::string_view key) {
    auto list = t.strings(key);
    if (!list) return std::unexpected(list.error());
    std::vector<std::string> out;
    for (const auto& v : list->value_or(std::vector<std::string>{})) {
        const std::string w = collapse_whitespace(to_lower_ascii(v));
        if (!w.empty()) out.push_back(w);
    }
    return out;
}

std::vector<std::vector<std::string>> sequences(const std::vector<std::string>& words) {
    std::vector<std::vector<std::string>> out;
    for (const auto& w : words) {
        std::vector<std::string> seq;
        for (auto part : split(w, ' ')) {
            if (!part.empty()) seq.emplace_back(part);
        }
        if (!seq.empty()) out.push_back(std::move(seq));
    }
    // Longest first, so that "the American newspaper" wins over "the".
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
    return out;
}

std::optional<AttributionScope> scope_from(std::string_view s) {
    if (s == "after") return AttributionScope::after;
    if (s == "before") return AttributionScope::before;
    if (s == "sentence") return AttributionScope::sentence;
    if (s == "previous-sentence") return AttributionScope::previous_sentence;
    if (s == "intro") return AttributionScope::intro;
    if (s == "context") return AttributionScope::context;
    return std::nullopt;
}

std::optional<AttributionShape> shape_from(std::string_view s) {
    if (s == "speaker verb") return AttributionShape::speaker_verb;
    if (s == "verb speaker") return AttributionShape::verb_speaker;
    if (s == "according to") return AttributionShape::according_to;
    if (s == "last outlet") return AttributionShape::last_outlet;
    if (s == "colon subject") return AttributionShape::colon_subject;
    if (s == "sentence subject") return AttributionShape::sentence_subject;
    if (s == "sentence person") return AttributionShape::sentence_person;
    if (s == "speaker tag") return AttributionShape::speaker_tag;
    if (s == "dash credit") return AttributionShape::dash_credit;
    if (s == "name appositive") return AttributionShape::name_appositive;
    if (s == "nearest person") return AttributionShape::nearest_person;
    return std::nullopt;
}

// One [[pattern]]: its id, a known scope and shape, and "last outlet" with scope "context" only.
Result<AttributionPattern> parse_pattern(const RuleTable& pt) {
    if (auto known = pt.allow_only({"id", "scope", "shape"}); !known) return std::unexpected(known.error());
    AttributionPattern p;
    auto id = pt.required_string("id");
    if (!id) return std::unexpected(id.error());
    p.id = std::move(*id);
    auto scope_text = pt.required_string("scope");
    if (!scope_text) return std::unexpected(scope_text.error());
    auto shape_text = pt.required_string("shape");
    if (!shape_text) return std::unexpected(shape_text.error());
    const auto scope = scope_from(*scope_text);
    if (!scope) {
        return std::unexpected(pt.error("scope", fmt::format("\"{}\" is not a scope (after, before, sentence, "
                                                             "previous-sentence, intro, context)",
                                                             *scope_text)));
    }
    const auto shape = shape_from(*shape_text);
    if (!shape) {
        return std::unexpected(
            pt.error("shape", fmt::format("\"{}\" is not a shape (speaker verb, verb speaker, "
                                          "according to, last outlet, colon subject, "
                                          "sentence subject, sentence person, speaker tag, dash credit, "
                                          "name appositive, nearest person)",
                                          *shape_text)));
    }
    if ((*shape == AttributionShape::last_outlet || *shape == AttributionShape::nearest_person) !=
        (*scope == AttributionScope::context)) {
        return std::unexpected(
            pt.error("shape", "\"last outlet\" and \"nearest person\" go with scope \"context\", and only there"));
    }
    if (*shape == AttributionShape::colon_subject && *scope != AttributionScope::before) {
        return std::unexpected(pt.error("shape", "\"colon subject\" goes with scope \"before\""));
    }
    if ((*shape == AttributionShape::sentence_subject || *shape == AttributionShape::sentence_person) &&
        *scope != AttributionScope::sentence) {
        return std::unexpected(pt.error("shape", fmt::format("\"{}\" goes with scope \"sentence\"", *shape_text)));
    }
    if ((*shape == AttributionShape::speaker_tag || *shape == AttributionShape::dash_credit ||
         *shape == AttributionShape::name_appositive) &&
        *scope != AttributionScope::after) {
        return std::unexpected(pt.error("shape", fmt::format("\"{}\" goes with scope \"after\"", *shape_text)));
    }
    p.scope = *scope;
    p.shape = *shape;
    return p;
}

}  // namespace

Result<AttributionRules> load_attribution_rules(const RuleSet& rules) {
    const RuleTable t(rules.table("attribution.toml"), "rules/attribution.toml");
    AttributionRules r;
    struct ListField {
        const char* key;
        std::vector<std::string>* words;
        std::vector<std::vector<std::string>>* seqs;
    };
    std::vector<std::string> verbs, fillers, refs, person_refs, according, as_saying, words_of, subject_refs, separable,
        not_speech, auxiliaries_perfect, participles, opinion_words, conversation, asides, adjuncts, leaders;
    const ListField fields[] = {
        {"speech_verbs", &verbs, &r.speech_verbs},
        {"perfect_auxiliaries", &auxiliaries_perfect, nullptr},
        {"speech_participles", &participles, nullptr},
        {"not_speech", &not_speech, &r.not_speech},
        {"fillers", &fillers, &r.fillers},
        {"reference_words", &refs, &r.reference_words},
        {"person_references", &person_refs, &r.person_references},
        {"subject_references", &subject_refs, &r.subject_references},
        {"according_to", &according, nullptr},
        {"words_of", &words_of, &r.words_of},
        {"quoting_verbs", &r.quoting_verbs, nullptr},
        {"as_saying", &as_saying, &r.as_saying},
        {"conversation_phrases", &conversation, &r.conversation_phrases},
        {"verb_asides", &asides, &r.verb_asides},
        {"verb_adjuncts", &adjuncts, &r.verb_adjuncts},
        {"led_by", &leaders, &r.led_by},
        {"team_nouns", &r.team_nouns, nullptr},
        {"aside_openers", &r.aside_openers, nullptr},
        {"intensifiers", &r.intensifiers, nullptr},
        {"recalling_verbs", &r.recalling_verbs, nullptr},
        {"recalled_saying", &r.recalled_saying, nullptr},
        {"object_pronouns", &r.object_pronouns, nullptr},
        {"first_person_pronouns", &r.first_person_pronouns, nullptr},
        {"saying_nouns", &r.saying_nouns, nullptr},
        {"company_suffixes", &r.company_suffixes, nullptr},
        {"title_verbs", &r.title_verbs, nullptr},
        {"pronoun_tag_words", &r.pronoun_tag_words, nullptr},
        {"quote_tag_openers", &r.quote_tag_openers, nullptr},
        {"group_articles", &r.group_articles, nullptr},
        {"document_nouns", &r.document_nouns, nullptr},
        {"pronouns", &r.pronouns, nullptr},
        {"organisation_words", &r.organisation_words, nullptr},
        {"tailed_organisation_words", &r.tailed_organisation_words, nullptr},
        {"organisation_tail_stops", &r.organisation_tail_stops, nullptr},
        {"organisation_tail_connectors", &r.organisation_tail_connectors, nullptr},
        {"institution_articles", &r.institution_articles, nullptr},
        {"cyrillic_tail_endings", &r.cyrillic_tail_endings, nullptr},
        {"cyrillic_verb_endings", &r.cyrillic_verb_endings, nullptr},
        {"cyrillic_tail_prepositions", &r.cyrillic_tail_prepositions, nullptr},
        {"cyrillic_adjective_endings", &r.cyrillic_adjective_endings, nullptr},
        {"patronymic_endings", &r.patronymic_endings, nullptr},
        {"topic_heads", &r.topic_heads, nullptr},
        {"appositive_openers", &r.appositive_openers, nullptr},
        {"relative_pronouns", &r.relative_pronouns, nullptr},
        {"made_documents", &r.made_documents, nullptr},
        {"agent_endings", &r.agent_endings, nullptr},
        {"capitalised_role_endings", &r.capitalised_role_endings, nullptr},
        {"pronoun_surnames", &r.pronoun_surnames, nullptr},
        {"addressee_prepositions", &r.addressee_prepositions, nullptr},
        {"addressee_determiners", &r.addressee_determiners, nullptr},
        {"media_nouns", &r.media_nouns, nullptr},
        {"own_medium_determiners", &r.own_medium_determiners, nullptr},
        {"sentence_conjunctions", &r.sentence_conjunctions, nullptr},
        {"narrative_infinitives", &r.narrative_infinitives, nullptr},
        {"number_words", &r.number_words, nullptr},
        {"party_members", &r.party_members, nullptr},
        {"male_relations", &r.male_relations, nullptr},
        {"pro_drop_complementizers", &r.pro_drop_complementizers, nullptr},
        {"reported_speech_verbs", &r.reported_speech_verbs, nullptr},
        {"affiliation_particles", &r.affiliation_particles, nullptr},
        {"compound_organisation_endings", &r.compound_organisation_endings, nullptr},
        {"authorship_participles", &r.authorship_participles, nullptr},
        {"object_articles", &r.object_articles, nullptr},
        {"company_kinds", &r.company_kinds, nullptr},
        {"team_name_endings", &r.team_name_endings, nullptr},
        {"place_name_endings", &r.place_name_endings, nullptr},
        {"named_body_nouns", &r.named_body_nouns, nullptr},
        {"staff_nouns", &r.staff_nouns, nullptr},
        {"verb_second_openers", &r.verb_second_openers, nullptr},
        {"opinion_phrases", &opinion_words, &r.opinion_phrases},
        {"time_determiners", &r.time_determiners, nullptr},
        {"time_words", &r.time_words, nullptr},
        {"subject_adjuncts", &r.subject_adjuncts, nullptr},
        {"neuter_articles", &r.neuter_articles, nullptr},
        {"abstract_noun_endings", &r.abstract_noun_endings, nullptr},
        {"person_nouns", &r.person_nouns, nullptr},
        {"inner_tag_languages", &r.inner_tag_languages, nullptr},
        {"tag_verb_languages", &r.tag_verb_languages, nullptr},
        {"reflexive_tag_pronouns", &r.reflexive_tag_pronouns, nullptr},
        {"prodrop_tag_languages", &r.prodrop_tag_languages, nullptr},
        {"plural_article_languages", &r.plural_article_languages, nullptr},
        {"indirect_question_openers", &r.indirect_question_openers, nullptr},
        {"credit_markers", &r.credit_markers, nullptr},
        {"medium_participles", &r.medium_participles, nullptr},
        {"medium_prepositions", &r.medium_prepositions, nullptr},
        {"prodrop_tag_endings", &r.prodrop_tag_endings, nullptr},
        {"tag_verb_endings", &r.tag_verb_endings, nullptr},
        {"tag_verb_followers", &r.tag_verb_followers, nullptr},
        {"calendar_words", &r.calendar_words, nullptr},
        {"ordinal_date_months", &r.ordinal_date_months, nullptr},
        {"proper_adjective_endings", &r.proper_adjective_endings, nullptr},
        {"verb_first_openers", &r.verb_first_openers, nullptr},
        {"number_abbreviations", &r.number_abbreviations, nullptr},
        {"title_suffixes", &r.title_suffixes, nullptr},
        {"echo_openers", &r.echo_openers, nullptr},
        {"body_locatives", &r.body_locatives, nullptr},
        {"female_relations", &r.female_relations, nullptr},
        {"narrative_infinitive_markers", &r.narrative_infinitive_markers, nullptr},
        {"dative_articles", &r.dative_articles, nullptr},
        {"body_articles", &r.body_articles, nullptr},
        {"body_qualifiers", &r.body_qualifiers, nullptr},
        {"name_connectors", &r.name_connectors, nullptr},
        {"leading_name_particles", &r.leading_name_particles, nullptr},
        {"separable_verbs", &separable, &r.separable_verbs},
        {"quote_tag_words", &r.quote_tag_words, nullptr},
        {"role_articles", &r.role_articles, nullptr},
        {"noun_articles", &r.noun_articles, nullptr},
        {"capitalised_noun_languages", &r.capitalised_noun_languages, nullptr},
        {"inverting_determiners", &r.inverting_determiners, nullptr},
        {"post_verb_adverbs", &r.post_verb_adverbs, nullptr},
        {"auxiliaries", &r.auxiliaries, nullptr},
        {"copulas", &r.copulas, nullptr},
        {"saint_words", &r.saint_words, nullptr},
        {"not_names", &r.not_names, nullptr},
        {"titles", &r.titles, nullptr},
        {"nationalities", &r.nationalities, nullptr},
        {"abbreviations", &r.abbreviations, nullptr},
        {"possessives", &r.possessives, nullptr},
        {"possessive_pronouns", &r.possessive_pronouns, nullptr},
        {"according_to_ambiguous", &r.according_to_ambiguous, nullptr},
        {"owner_agents", &r.owner_agents, nullptr},
        {"group_speakers", &r.group_speakers, nullptr},
        {"indefinite_pronouns", &r.indefinite_pronouns, nullptr},
        {"participle_auxiliaries", &r.participle_auxiliaries, nullptr},
        {"participle_perfect_auxiliaries", &r.participle_perfect_auxiliaries, nullptr},
        {"continuing_openers", &r.continuing_openers, nullptr},
        {"verb_second_phrases", &r.verb_second_phrases, nullptr},
        {"place_prepositions", &r.place_prepositions, nullptr},
        {"platform_prepositions", &r.platform_prepositions, nullptr},
        {"addressee_verbs", &r.addressee_verbs, nullptr},
        {"telling_verbs", &r.telling_verbs, nullptr},
        {"same_documents", &r.same_documents, nullptr},
        {"source_words", &r.source_words, nullptr},
        {"claim_nouns", &r.claim_nouns, nullptr},
        {"epithets", &r.epithets, nullptr},
        {"role_time_modifiers", &r.role_time_modifiers, nullptr},
        {"demonstratives", &r.demonstratives, nullptr},
        {"appositive_possessives", &r.appositive_possessives, nullptr},
        {"masculine_articles", &r.masculine_articles, nullptr},
        {"feminine_articles", &r.feminine_articles, nullptr},
        {"term_openers", &r.term_openers, nullptr},
        {"going_on_verbs", &r.going_on_verbs, nullptr},
        {"work_nouns", &r.work_nouns, nullptr},
        {"description_postmodifiers", &r.description_postmodifiers, nullptr},
        {"male_forms", &r.male_forms, nullptr},
        {"female_forms", &r.female_forms, nullptr},
        {"name_suffixes", &r.name_suffixes, nullptr},
        {"impersonal_verbs", &r.impersonal_verbs, nullptr},
        {"impersonal_pronouns", &r.impersonal_pronouns, nullptr},
        {"body_conjunctions", &r.body_conjunctions, nullptr},
        {"agent_prepositions", &r.agent_prepositions, nullptr},
        {"passive_auxiliaries", &r.passive_auxiliaries, nullptr},
        {"naming_participles", &r.naming_participles, nullptr},
        {"naming_connectors", &r.naming_connectors, nullptr},
        {"male_role_words", &r.male_role_words, nullptr},
        {"female_role_words", &r.female_role_words, nullptr},
        {"male_pronouns", &r.male_pronouns, nullptr},
        {"female_pronouns", &r.female_pronouns, nullptr},
        {"male_words", &r.male_words, nullptr},
        {"female_words", &r.female_words, nullptr},
        {"female_surname_endings", &r.female_surname_endings, nullptr},
        {"male_surname_endings", &r.male_surname_endings, nullptr},
        {"clause_openers", &r.clause_openers, nullptr},
        {"indefinite_determiners", &r.indefinite_determiners, nullptr},
        {"title_minor_words", &r.title_minor_words, nullptr},
        {"prepositions", &r.prepositions, nullptr},
        {"lede_openers", &r.lede_openers, nullptr},
        {"words_openers", &r.words_openers, nullptr},
        {"opinion_openers", &r.opinion_openers, nullptr},
        {"inverted_pronouns", &r.inverted_pronouns, nullptr},
        {"age_suffixes", &r.age_suffixes, nullptr},
        {"coordinators", &r.coordinators, nullptr},
        {"noun_determiners", &r.noun_determiners, nullptr},
        {"honorifics", &r.honorifics, nullptr},
        {"pro_drop_followers", &r.pro_drop_followers, nullptr},
        {"lede_links", &r.lede_links, nullptr},
        {"ideographic_speech_verbs", &r.ideographic_speech_verbs, nullptr},
        {"ideographic_titles", &r.ideographic_titles, nullptr},
        {"ideographic_pronouns", &r.ideographic_pronouns, nullptr},
        {"ideographic_not_names", &r.ideographic_not_names, nullptr},
    };
    // The keys are the word lists above and these: each is named once.
    std::vector<std::string_view> keys{"id",
                                       "partial_max_words",
                                       "max_run_words",
                                       "unattributed_min_words",
                                       "context_blocks",
                                       "embed",
                                       "continuation",
                                       "credit",
                                       "pattern"};
    for (const auto& f : fields)
        keys.emplace_back(f.key);
    if (auto allowed = t.allow_only(keys); !allowed) return std::unexpected(allowed.error());
    if (auto id = t.string("id"); !id) return std::unexpected(id.error());
    for (const auto& f : fields) {
        auto list = word_list(t, f.key);
        if (!list) return std::unexpected(list.error());
        *f.words = std::move(*list);
    }
    // Words derived from other lists are appended to a list in order, each once. The lists run to thousands of
    // entries (every auxiliary before every participle), so what a list holds is kept in a set beside it.
    const auto appender = [](std::vector<std::string>& list) {
        return [&list, seen = std::unordered_set<std::string>(list.begin(), list.end())](std::string w) mutable {
            if (seen.insert(w).second) list.push_back(std::move(w));
        };
    };
    auto add_verb = appender(verbs);
    // A perfect tense of a speech verb: each auxiliary before each participle ("ha lamentado", "han precisado",
    // "a estimé").
    for (const auto& aux : auxiliaries_perfect) {
        for (const auto& part : participles)
            add_verb(aux + " " + part);
    }
    // French inverts the pronoun between the auxiliary and the participle ("a-t-elle lancé", read as "a elle
    // lancé"): the participle after the pronoun is the verb, as "dit" is in "dit-il".
    for (const auto& part : participles)
        add_verb(part);
    auto add_ref = appender(refs);
    // "the authority" points back like "the report" does (to the organisation named with that word).
    for (const auto& w : r.organisation_words)
        add_ref("the " + w);
    // "the site", "the firm" point back as "the report" does (to the body named near them, or the article's).
    for (const auto& ref : subject_refs)
        add_ref(ref);
    for (const auto& f : fields) {
        if (f.seqs != nullptr) *f.seqs = sequences(*f.words);
    }
    if (!according.empty()) r.according_to = sequences(according);
    r.perfect_auxiliaries = auxiliaries_perfect;
    auto partial = t.integer("partial_max_words", 0, 1000);
    if (!partial) return std::unexpected(partial.error());
    if (*partial) r.partial_max_words = static_cast<std::size_t>(**partial);
    auto run_words = t.integer("max_run_words", 1, 1000000);
    if (!run_words) return std::unexpected(run_words.error());
    if (*run_words) r.max_run_words = static_cast<std::size_t>(**run_words);
    auto unattributed = t.integer("unattributed_min_words", 0, 1000);
    if (!unattributed) return std::unexpected(unattributed.error());
    if (*unattributed) r.unattributed_min_words = static_cast<std::size_t>(**unattributed);
    auto context = t.integer("context_blocks", 0, 1000);
    if (!context) return std::unexpected(context.error());
    if (*context) r.context_blocks = static_cast<int>(**context);
    auto embed = t.table("embed");
    if (!embed) return std::unexpected(embed.error());
    if (*embed) {
        if (auto known = (*embed)->allow_only({"id", "instagram_id"}); !known) return std::unexpected(known.error());
        auto id = (*embed)->string("id");
        if (!id) return std::unexpected(id.error());
        if (*id) r.embed_rule = **id;
        auto instagram = (*embed)->string("instagram_id");
        if (!instagram) return std::unexpected(instagram.error());
        if (*instagram) r.instagram_embed_rule = **instagram;
    }
    // A table holding only the rule id of one step ([continuation], [credit]): the id, when given, replaces `rule`.
    auto rule_id = [&](std::string_view name, std::string& rule) -> std::optional<Error> {
        auto table = t.table(name);
        if (!table) return table.error();
        if (!*table) return std::nullopt;
        if (auto known = (*table)->allow_only({"id"}); !known) return known.error();
        auto id = (*table)->string("id");
        if (!id) return id.error();
        if (*id) rule = **id;
        return std::nullopt;
    };
    if (auto e = rule_id("continuation", r.continuation_rule)) return std::unexpected(*e);
    if (auto e = rule_id("credit", r.credit_rule)) return std::unexpected(*e);
    auto patterns = t.tables("pattern");
    if (!patterns) return std::unexpected(patterns.error());
    for (const auto& pt : *patterns) {
        auto p = parse_pattern(pt);
        if (!p) return std::unexpected(p.error());
        r.patterns.push_back(std::move(*p));
    }
    for (auto* names : {&r.male_words, &r.female_words}) {
        std::sort(names->begin(), names->end());
        names->erase(std::unique(names->begin(), names->end()), names->end());
    }
    // A name in Latin letters is often printed without its accents ("Celine Dion", "Jose Mourinho"): each listed
    // with one is known without it too, unless that spelling is a name of the other gender. (Not in another script:
    // "й" is a letter of its own, and "Геннадии" no given name.)
    auto latin = [](std::string_view w) {
        for (std::size_t i = 0; i < w.size();) {
            const utf8::CodePoint c = utf8::at(w, i);
            if (c.len == 0) break;
            if (c.cp >= 0x80 && !(c.cp >= 0xC0 && c.cp <= 0x24F) && !(c.cp >= 0x1E00 && c.cp <= 0x1EFF)) return false;
            i += c.len;
        }
        return true;
    };
    for (auto [names, other] : {std::pair{&r.male_words, &r.female_words}, std::pair{&r.female_words, &r.male_words}}) {
        std::vector<std::string> plain;
        for (const auto& n : *names) {
            if (!latin(n)) continue;
            std::string bare = utf8::without_marks(n);
            if (bare != n && !std::binary_search(other->begin(), other->end(), bare)) plain.push_back(std::move(bare));
        }
        names->insert(names->end(), plain.begin(), plain.end());
        std::sort(names->begin(), names->end());
        names->erase(std::unique(names->begin(), names->end()), names->end());
    }
    return r;
}

}  // namespace provcheck
