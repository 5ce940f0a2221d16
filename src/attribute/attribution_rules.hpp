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
#include <utility>
#include <vector>

#include "attribute/attribute.hpp"
#include "core/text.hpp"
#include "rules/rules.hpp"

namespace provcheck::attribute::detail {

inline bool contains(const std::vector<std::string>& list, std::string_view w) {
    return std::find(list.begin(), list.end(), w) != list.end();
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
            add(o.name, &o);
            for (const auto& a : o.aliases)
                add(a, &o);
        }
    }

    [[nodiscard]] const Outlet* find(std::string_view name) const {
        if (map_.empty() || trim(name).empty() || name.size() > longest_ + 16) return nullptr;
        fold(name, key_);
        const auto it = map_.find(key_);
        return it == map_.end() ? nullptr : it->second;
    }

private:
    static void fold(std::string_view s, std::string& out) {
        s = trim(s);
        if (istarts_with(s, "the ")) s.remove_prefix(4);
        s = trim(s);
        out.assign(s);
        for (char& c : out) {
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
    }

    void add(std::string_view name, const Outlet* o) {
        if (trim(name).empty()) return;
        std::string key;
        fold(name, key);
        longest_ = std::max(longest_, name.size());
        map_.emplace(std::move(key), o);
    }

    std::unordered_map<std::string, const Outlet*> map_;
    std::size_t longest_ = 0;
    mutable std::string key_;  // reused: a look-up allocates nothing once it has grown
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
};

struct Lexicon {
    explicit Lexicon(const AttributionRules& r, const RuleSet& rule_set)
        : outlets(rule_set.outlets),
          speech_verbs(r.speech_verbs),
          fillers(r.fillers),
          reference_words(r.reference_words),
          person_references(r.person_references),
          according_to(r.according_to) {}
    OutletIndex outlets;
    WordSeqs speech_verbs;
    WordSeqs fillers;
    WordSeqs reference_words;
    WordSeqs person_references;
    WordSeqs according_to;
};

}  // namespace provcheck::attribute::detail
