// The attribution rules in the form the speech patterns read them (internal to src/attribute).
//
// load_attribution_rules (attribute.hpp) reads attribution.toml once per run, before anything is fetched, so that
// a malformed file stops the run instead of leaving every claim unattributed. What it read is compiled here, once
// per article, into look-ups by word that the tokenizer, the speech patterns and the resolver share.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "attribute/attribute.hpp"
#include "core/text.hpp"
#include "rules/rules.hpp"

namespace provcheck::attribute::detail {

inline bool contains(const std::vector<std::string>& list, std::string_view w) {
    return std::find(list.begin(), list.end(), w) != list.end();
}

// A document's language as the rules list it: its primary subtag in lower case ("fr" of "fr-CA", "de" of "DE_at").
inline std::string language_code(std::string_view language) {
    return to_lower_ascii(language.substr(0, language.find_first_of("-_")));
}

// A span of running text written as a name: with a capital letter, a digit or a dot in it ("the Post", "+972
// Magazine", "nytimes.com"), or in a script without case. An outlet's name is looked for only in such spans: "a
// blog post" names no Post.
inline bool written_as_name(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c >= 0x80;
    });
}

// ---------------------------------------------------------------------------------------------
// Look-ups built once per article: every word of every block is tried as the start of an outlet's name and of a
// speech verb, so a scan over the whole lists there would cost lists × words.

// Outlet names and aliases by their folded form: ASCII white space trimmed, a leading "the " dropped, ASCII lower
// case, which is how RuleSet::find_outlet compares them. The first outlet naming a form wins, as there.
class OutletIndex {
public:
    explicit OutletIndex(const std::vector<Outlet>& outlets) {
        for (const auto& o : outlets) {
            add(o.name, &o, false);
            for (const auto& a : o.aliases)
                add(a, &o, istarts_with(trim(a), "the "));
        }
    }

    [[nodiscard]] const Outlet* find(std::string_view name) const {
        if (map_.empty() || name.size() > longest_ + 16 || !could_start(name)) return nullptr;
        thread_local std::string key;  // reused: a look-up allocates nothing once it has grown; one per thread
        fold(name, key);
        if (const auto it = map_.find(key); it != map_.end()) return it->second;
        // "told the Post": an alias written with its article names the outlet only with it ("die Deutsche Post"
        // is not The Washington Post).
        if (istarts_with(trim(name), "the ")) {
            if (const auto it = with_article_.find(key); it != with_article_.end()) return it->second;
        }
        return nullptr;
    }

    // Whether some outlet's name could start as `text` starts: its first word (the first run of ASCII letters,
    // digits and non-ASCII bytes, a leading "the " dropped, ASCII lower case) is some name's first word. Most
    // words of a page start none, and this costs one short look-up where find() folds the whole span.
    [[nodiscard]] bool could_start(std::string_view text) const {
        thread_local std::string word;
        first_word(text, word);
        return !word.empty() && first_words_.contains(word);
    }

private:
    static void first_word(std::string_view s, std::string& out) {
        s = trim(s);
        if (istarts_with(s, "the ")) s = trim(s.substr(4));
        out.clear();
        for (const char ch : s) {
            const auto c = static_cast<unsigned char>(ch);
            const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
            if (!alnum && out.empty()) continue;  // "+972 Magazine", "@nytimes": the first word after the sign
            if (!alnum) break;
            out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : ch);
        }
    }

    static void fold(std::string_view s, std::string& out) {
        s = trim(s);
        if (istarts_with(s, "the ")) s.remove_prefix(4);
        s = trim(s);
        out.assign(s);
        for (char& c : out) {
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
    }

    void add(std::string_view name, const Outlet* o, bool needs_article) {
        if (trim(name).empty()) return;
        std::string key;
        fold(name, key);
        longest_ = std::max(longest_, name.size());
        (needs_article ? with_article_ : map_).emplace(std::move(key), o);
        std::string word;
        first_word(name, word);
        first_words_.insert(std::move(word));
    }

    std::unordered_map<std::string, const Outlet*> map_;
    std::unordered_map<std::string, const Outlet*> with_article_;  // aliases written with "the": "the Post"
    std::unordered_set<std::string> first_words_;                  // first_word() of every name and alias
    std::size_t longest_ = 0;
};

// A list of word sequences (longest first) with the indices of those starting and ending with each word.
struct WordSeqs {
    explicit WordSeqs(const std::vector<std::vector<std::string>>& list) : seqs(&list) {
        for (std::uint32_t i = 0; i < list.size(); ++i) {
            by_first[list[i].front()].push_back(i);
            by_last[list[i].back()].push_back(i);
        }
    }
    const std::vector<std::vector<std::string>>* seqs;
    std::unordered_map<std::string_view, std::vector<std::uint32_t>> by_first;
    std::unordered_map<std::string_view, std::vector<std::uint32_t>> by_last;

    // Whether "<first> <last>" is one of the sequences ("the spokesman", "el diputado"); an empty first matches any
    // sequence of two words ending in last.
    [[nodiscard]] bool pair(std::string_view first, std::string_view last) const {
        const auto it = by_last.find(last);
        if (it == by_last.end()) return false;
        return std::any_of(it->second.begin(), it->second.end(), [&](std::uint32_t x) {
            const auto& seq = (*seqs)[x];
            return seq.size() == 2 && (first.empty() || seq[0] == first);
        });
    }
    // Whether the word alone is one of the sequences ("l’association").
    [[nodiscard]] bool single(std::string_view word) const {
        const auto it = by_first.find(word);
        return it != by_first.end() && std::any_of(it->second.begin(), it->second.end(),
                                                   [&](std::uint32_t x) { return (*seqs)[x].size() == 1; });
    }
};

struct Lexicon {
    explicit Lexicon(const AttributionRules& r, const RuleSet& rule_set)
        : outlets(rule_set.outlets),
          speech_verbs(r.speech_verbs),
          not_speech(r.not_speech),
          fillers(r.fillers),
          reference_words(r.reference_words),
          person_references(r.person_references),
          according_to(r.according_to),
          opinion_phrases(r.opinion_phrases),
          words_of(r.words_of),
          subject_references(r.subject_references),
          as_saying(r.as_saying),
          conversation_phrases(r.conversation_phrases),
          verb_asides(r.verb_asides),
          verb_adjuncts(r.verb_adjuncts),
          led_by(r.led_by) {
        for (const auto& seq : r.speech_verbs) {
            // A verb of one word, or the verb a perfect's auxiliary or a reflexive pronoun comes before ("a
            // déclaré", "se félicite"); not a particle ("spoke of", "went on", "pointed out") nor an object ("put
            // it", "issued a statement").
            if (seq.size() == 1 || contains(r.perfect_auxiliaries, seq.front()) ||
                contains(r.reflexive_tag_pronouns, seq.front())) {
                speech_verb_ends.insert(seq.back());
            }
        }
    }
    OutletIndex outlets;
    WordSeqs speech_verbs;
    WordSeqs not_speech;
    WordSeqs fillers;
    WordSeqs reference_words;
    WordSeqs person_references;
    WordSeqs according_to;
    WordSeqs opinion_phrases;
    WordSeqs words_of;
    WordSeqs subject_references;
    WordSeqs as_saying;
    WordSeqs conversation_phrases;
    WordSeqs verb_asides;
    WordSeqs verb_adjuncts;
    WordSeqs led_by;
    // The words that stand for a speech verb ("said", "déclaré" of "a déclaré"), never for someone described: not
    // the particle or the object a phrase ends with ("A Ministry of Defence spokesman", "A ministry statement").
    std::unordered_set<std::string> speech_verb_ends;

    [[nodiscard]] bool speech_verb_end(const std::string& w) const { return speech_verb_ends.contains(w); }

    // Whether `w` (lower case) ends with the noun of a role of person_references of `min_role` bytes at least, as
    // a compound does ("vorstandschef", "bundesgeschäftsführer"); a German role made of an adjective may take an
    // "r" without its article ("vorstandsvorsitzender" for "der Vorsitzende").
    [[nodiscard]] bool ends_in_role(std::string_view w, std::size_t min_role) const {
        for (const auto& [role, seqs] : person_references.by_last) {
            if (role.size() < min_role) continue;
            if (w.ends_with(role) ||
                (role.ends_with('e') && w.ends_with('r') && w.substr(0, w.size() - 1).ends_with(role))) {
                return true;
            }
        }
        return false;
    }
};

}  // namespace provcheck::attribute::detail
