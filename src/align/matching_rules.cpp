#include <fmt/format.h>

#include <limits>

#include "align/align.hpp"
#include "rules/rule_reader.hpp"

namespace provcheck {

namespace {

// "FILE:LINE: KEY: what" (rules/rule_reader.hpp), FILE being the file the value was read from.
Error config_error(const toml::node& at, std::string_view key, std::string_view what) {
    return Error{ErrorCode::config, fmt::format("{}: {}: {}", rule_location(at, "rules/matching.toml"), key, what)};
}

Result<double> read_fraction(const toml::node& n, std::string_view key) {
    std::optional<double> v;
    if (n.is_floating_point()) v = n.as_floating_point()->get();
    if (n.is_integer()) v = static_cast<double>(n.as_integer()->get());
    if (!v || !(*v >= 0.0 && *v <= 1.0)) return std::unexpected(config_error(n, key, "must be a number in [0, 1]"));
    return *v;
}

Result<std::size_t> read_count(const toml::node& n, std::string_view key, std::int64_t min, std::int64_t max) {
    if (!n.is_integer()) return std::unexpected(config_error(n, key, "must be an integer"));
    const std::int64_t v = n.as_integer()->get();
    if (v < min || v > max) {
        return std::unexpected(config_error(n, key, fmt::format("must be between {} and {}", min, max)));
    }
    return static_cast<std::size_t>(v);
}

Result<bool> read_bool(const toml::node& n, std::string_view key) {
    if (!n.is_boolean()) return std::unexpected(config_error(n, key, "must be true or false"));
    return n.as_boolean()->get();
}

Result<std::vector<std::string>> read_strings(const toml::node& n, std::string_view key, bool allow_empty_items) {
    const auto* arr = n.as_array();
    if (arr == nullptr) return std::unexpected(config_error(n, key, "must be an array of strings"));
    std::vector<std::string> out;
    for (const auto& item : *arr) {
        const auto* s = item.as_string();
        if (s == nullptr) return std::unexpected(config_error(n, key, "must be an array of strings"));
        if (!allow_empty_items && s->get().empty())
            return std::unexpected(config_error(n, key, "holds an empty string"));
        out.push_back(s->get());
    }
    return out;
}

// Applies one [section] of the file; every key must be known, so that a misspelt threshold is an error
// rather than a silently ignored line.
template <class Apply>
Result<void> each_key(const toml::table& section, std::string_view section_name, Apply&& apply) {
    for (auto&& [k, v] : section) {
        const std::string key = fmt::format("{}.{}", section_name, k.str());
        auto r = apply(k.str(), v, key);
        if (!r) return std::unexpected(r.error());
    }
    return {};
}

template <class T>
Result<void> assign(T& field, Result<T> value) {
    if (!value) return std::unexpected(value.error());
    field = std::move(*value);
    return {};
}

Result<void> apply_matching(const toml::table& s, MatchingRules& r) {
    constexpr std::int64_t big = std::numeric_limits<std::int32_t>::max();
    return each_key(s, "matching",
                    [&](std::string_view k, const toml::node& v, const std::string& key) -> Result<void> {
                        if (k == "altered_min_score") return assign(r.altered_min_score, read_fraction(v, key));
                        if (k == "altered_min_run") return assign(r.altered_min_run, read_count(v, key, 1, 1000));
                        if (k == "max_candidates") return assign(r.max_candidates, read_count(v, key, 1, 1000));
                        if (k == "max_seed_occurrences")
                            return assign(r.max_seed_occurrences, read_count(v, key, 1, big));
                        if (k == "window_slack_words")
                            return assign(r.window_slack_words, read_count(v, key, 0, 100000));
                        if (k == "context_bytes") return assign(r.context_bytes, read_count(v, key, 0, 100000));
                        if (k == "max_quote_words") return assign(r.max_quote_words, read_count(v, key, 1, 100000));
                        if (k == "first_word_case_free") return assign(r.first_word_case_free, read_bool(v, key));
                        if (k == "number_words_are_numbers")
                            return assign(r.number_words_are_numbers, read_bool(v, key));
                        return std::unexpected(config_error(v, key, "is not a known key"));
                    });
}

Result<void> apply_elision(const toml::table& s, MatchingRules& r) {
    return each_key(s, "elision", [&](std::string_view k, const toml::node& v, const std::string& key) -> Result<void> {
        if (k == "markers") return assign(r.elision_markers, read_strings(v, key, false));
        if (k == "max_span_words") return assign(r.elision_max_span_words, read_count(v, key, 0, 1000000));
        if (k == "insertion_max_words") return assign(r.insertion_max_words, read_count(v, key, 0, 1000));
        if (k == "hidden_negation_critical") return assign(r.hidden_negation_critical, read_bool(v, key));
        if (k == "hidden_number_critical") return assign(r.hidden_number_critical, read_bool(v, key));
        if (k == "whole_sentences_critical") return assign(r.whole_sentences_critical, read_bool(v, key));
        return std::unexpected(config_error(v, key, "is not a known key"));
    });
}

Result<void> apply_words(const toml::table& s, MatchingRules& r) {
    return each_key(s, "words", [&](std::string_view k, const toml::node& v, const std::string& key) -> Result<void> {
        if (k == "negations") return assign(r.negations, read_strings(v, key, false));
        if (k == "negation_suffixes") return assign(r.negation_suffixes, read_strings(v, key, false));
        if (k == "number_words") {
            const auto* t = v.as_table();
            if (t == nullptr) return std::unexpected(config_error(v, key, "must be a table of word = value"));
            std::map<std::string, std::uint64_t> words;
            for (auto&& [w, n] : *t) {
                if (!n.is_integer() || n.as_integer()->get() < 0) {
                    return std::unexpected(
                        config_error(n, fmt::format("{}.{}", key, w.str()), "must be an integer >= 0"));
                }
                words[std::string(w.str())] = static_cast<std::uint64_t>(n.as_integer()->get());
            }
            r.number_words = std::move(words);
            return {};
        }
        if (k == "spelling_variants" || k == "spelling_endings") {
            const auto* arr = v.as_array();
            if (arr == nullptr) return std::unexpected(config_error(v, key, "must be an array of arrays of strings"));
            std::vector<std::vector<std::string>> groups;
            for (const auto& g : *arr) {
                auto strings = read_strings(g, key, false);
                if (!strings) return std::unexpected(strings.error());
                if (strings->size() < 2) return std::unexpected(config_error(g, key, "needs two spellings per entry"));
                groups.push_back(std::move(*strings));
            }
            (k == "spelling_variants" ? r.spelling_variants : r.spelling_endings) = std::move(groups);
            return {};
        }
        return std::unexpected(config_error(v, key, "is not a known key"));
    });
}

}  // namespace

Result<MatchingRules> parse_matching_rules(const toml::table& t) {
    MatchingRules r = default_matching_rules();
    for (auto&& [k, v] : t) {
        const auto* section = v.as_table();
        if (section == nullptr) return std::unexpected(config_error(v, k.str(), "must be a table"));
        Result<void> applied;
        if (k.str() == "matching") {
            applied = apply_matching(*section, r);
        } else if (k.str() == "elision") {
            applied = apply_elision(*section, r);
        } else if (k.str() == "words") {
            applied = apply_words(*section, r);
        } else {
            return std::unexpected(config_error(v, k.str(), "is not a known section"));
        }
        if (!applied) return std::unexpected(applied.error());
    }
    return r;
}

MatchingRules default_matching_rules() {
    MatchingRules r;
    r.elision_markers = {"...", "…", ". . .", "(..)", "(...)", "(…)", "[...]", "[…]", "[..]"};
    r.negations = {"not", "no", "never", "nor", "neither", "none", "nobody", "nothing", "nowhere", "cannot", "without"};
    r.negation_suffixes = {"n't"};
    r.number_words = {{"zero", 0},      {"one", 1},         {"two", 2},           {"three", 3},
                      {"four", 4},      {"five", 5},        {"six", 6},           {"seven", 7},
                      {"eight", 8},     {"nine", 9},        {"ten", 10},          {"eleven", 11},
                      {"twelve", 12},   {"thirteen", 13},   {"fourteen", 14},     {"fifteen", 15},
                      {"sixteen", 16},  {"seventeen", 17},  {"eighteen", 18},     {"nineteen", 19},
                      {"twenty", 20},   {"thirty", 30},     {"forty", 40},        {"fifty", 50},
                      {"sixty", 60},    {"seventy", 70},    {"eighty", 80},       {"ninety", 90},
                      {"hundred", 100}, {"thousand", 1000}, {"million", 1000000}, {"billion", 1000000000}};
    r.spelling_variants = {{"U.S.", "US"},
                           {"U.K.", "UK"},
                           {"U.N.", "UN"},
                           {"E.U.", "EU"},
                           {"color", "colour"},
                           {"honor", "honour"},
                           {"favor", "favour"},
                           {"labor", "labour"},
                           {"neighbor", "neighbour"},
                           {"center", "centre"},
                           {"defense", "defence"},
                           {"offense", "offence"},
                           {"program", "programme"},
                           {"organize", "organise"},
                           {"recognize", "recognise"},
                           {"realize", "realise"},
                           {"apologize", "apologise"},
                           {"criticize", "criticise"},
                           {"analyze", "analyse"},
                           {"traveled", "travelled"},
                           {"canceled", "cancelled"},
                           {"gray", "grey"},
                           {"judgment", "judgement"},
                           {"toward", "towards"},
                           {"percent", "per cent"},
                           {"email", "e-mail"},
                           {"OK", "okay"}};
    r.spelling_endings = {
        {"ise", "ize"},           {"ised", "ized"},  {"ises", "izes"},    {"ising", "izing"},  {"isation", "ization"},
        {"isations", "izations"}, {"yse", "yze"},    {"ysed", "yzed"},    {"ysing", "yzing"},  {"our", "or"},
        {"ours", "ors"},          {"oured", "ored"}, {"ouring", "oring"}, {"ourite", "orite"}, {"ourable", "orable"},
        {"tre", "ter"},           {"tres", "ters"},  {"bre", "ber"},      {"bres", "bers"},    {"ence", "ense"},
        {"ogue", "og"},           {"ogues", "ogs"},  {"lled", "led"},     {"lling", "ling"},   {"ller", "ler"},
        {"llers", "lers"}};
    return r;
}

}  // namespace provcheck
