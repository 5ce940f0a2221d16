#include "capture/challenge.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.hpp"
#include "rules/rule_reader.hpp"

namespace provcheck {

Result<ChallengeRules> parse_challenge_rules(const toml::table& table) {
    const RuleTable top(table, "rules/challenges.toml");
    if (auto known = top.allow_only({"header", "markup"}); !known) return std::unexpected(known.error());
    ChallengeRules rules;
    auto headers = top.tables("header");
    if (!headers) return std::unexpected(headers.error());
    for (const auto& t : *headers) {
        if (auto known = t.allow_only({"id", "name", "values"}); !known) return std::unexpected(known.error());
        ChallengeHeaderRule r;
        auto id = t.required_string("id");
        if (!id) return std::unexpected(id.error());
        auto name = t.required_string("name");
        if (!name) return std::unexpected(name.error());
        auto values = t.strings("values", true);
        if (!values) return std::unexpected(values.error());
        r.id = std::move(*id);
        r.name = std::move(*name);
        r.values = values->value_or(std::vector<std::string>{});
        rules.headers.push_back(std::move(r));
    }
    auto markup = top.tables("markup");
    if (!markup) return std::unexpected(markup.error());
    for (const auto& t : *markup) {
        if (auto known = t.allow_only({"id", "contains", "statuses", "max_bytes"}); !known) {
            return std::unexpected(known.error());
        }
        ChallengeMarkupRule r;
        auto id = t.required_string("id");
        if (!id) return std::unexpected(id.error());
        auto contains = t.strings("contains", true);
        if (!contains) return std::unexpected(contains.error());
        if (!*contains || (*contains)->empty()) {
            return std::unexpected(t.error("contains", "is required (a non-empty array of strings)"));
        }
        r.id = std::move(*id);
        r.contains = std::move(**contains);
        if (const toml::node* st = t.table().get("statuses")) {
            const auto* arr = st->as_array();
            if (arr == nullptr) return std::unexpected(t.error("statuses", "must be an array of HTTP status codes"));
            for (const auto& v : *arr) {
                auto code = v.value_exact<std::int64_t>();
                if (!code || *code < 100 || *code > 599) {
                    return std::unexpected(t.error("statuses", "must hold HTTP status codes (100 to 599)"));
                }
                r.statuses.push_back(static_cast<int>(*code));
            }
        }
        auto max = t.integer("max_bytes", 1, std::int64_t{1} << 40);
        if (!max) return std::unexpected(max.error());
        if (*max) r.max_bytes = static_cast<std::size_t>(**max);
        rules.markup.push_back(std::move(r));
    }
    return rules;
}

std::optional<std::string> detect_challenge(const ChallengeRules& rules, int status, const std::vector<Header>& headers,
                                            std::string_view body) {
    for (const auto& r : rules.headers) {
        for (const auto& h : headers) {
            if (!iequals(h.name, r.name)) continue;
            if (r.values.empty()) return r.id;
            const std::string_view value = trim(h.value);
            if (std::any_of(r.values.begin(), r.values.end(), [&](const auto& v) { return iequals(value, v); })) {
                return r.id;
            }
        }
    }
    for (const auto& r : rules.markup) {
        if (r.max_bytes && body.size() > *r.max_bytes) continue;
        if (!r.statuses.empty() && std::find(r.statuses.begin(), r.statuses.end(), status) == r.statuses.end()) {
            continue;
        }
        if (std::all_of(r.contains.begin(), r.contains.end(),
                        [&](const auto& s) { return body.find(s) != std::string_view::npos; })) {
            return r.id;
        }
    }
    return std::nullopt;
}

}  // namespace provcheck
