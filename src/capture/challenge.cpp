#include "capture/challenge.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.hpp"

namespace provcheck {

namespace {

Result<std::vector<std::string>> strings(const toml::table& t, std::string_view key, std::string_view where) {
    std::vector<std::string> out;
    const toml::node* node = t.get(key);
    if (node == nullptr) return out;
    const auto* arr = node->as_array();
    if (arr == nullptr) return fail(ErrorCode::config, fmt::format("{}: `{}` must be an array of strings", where, key));
    for (const auto& v : *arr) {
        auto s = v.value<std::string>();
        if (!s || s->empty()) {
            return fail(ErrorCode::config, fmt::format("{}: `{}` must hold non-empty strings", where, key));
        }
        out.push_back(std::move(*s));
    }
    return out;
}

}  // namespace

Result<ChallengeRules> parse_challenge_rules(const toml::table& table) {
    ChallengeRules rules;
    if (const auto* arr = table["header"].as_array()) {
        std::size_t n = 0;
        for (const auto& node : *arr) {
            const std::string where = fmt::format("challenges.toml: header #{}", ++n);
            const auto* t = node.as_table();
            if (t == nullptr) return fail(ErrorCode::config, where + ": not a table");
            ChallengeHeaderRule r;
            r.id = (*t)["id"].value_or(std::string{});
            r.name = (*t)["name"].value_or(std::string{});
            if (r.id.empty() || r.name.empty())
                return fail(ErrorCode::config, where + ": `id` and `name` are required");
            auto values = strings(*t, "values", where);
            if (!values) return std::unexpected(values.error());
            r.values = std::move(*values);
            rules.headers.push_back(std::move(r));
        }
    }
    if (const auto* arr = table["markup"].as_array()) {
        std::size_t n = 0;
        for (const auto& node : *arr) {
            const std::string where = fmt::format("challenges.toml: markup #{}", ++n);
            const auto* t = node.as_table();
            if (t == nullptr) return fail(ErrorCode::config, where + ": not a table");
            ChallengeMarkupRule r;
            r.id = (*t)["id"].value_or(std::string{});
            auto contains = strings(*t, "contains", where);
            if (!contains) return std::unexpected(contains.error());
            r.contains = std::move(*contains);
            if (r.id.empty() || r.contains.empty()) {
                return fail(ErrorCode::config, where + ": `id` and a non-empty `contains` are required");
            }
            if (const auto* st = (*t)["statuses"].as_array()) {
                for (const auto& v : *st) {
                    auto code = v.value<std::int64_t>();
                    if (!code || *code < 100 || *code > 599) {
                        return fail(ErrorCode::config, where + ": `statuses` must hold HTTP status codes");
                    }
                    r.statuses.push_back(static_cast<int>(*code));
                }
            }
            if (auto max = (*t)["max_bytes"].value<std::int64_t>()) {
                if (*max <= 0) return fail(ErrorCode::config, where + ": `max_bytes` must be positive");
                r.max_bytes = static_cast<std::size_t>(*max);
            }
            rules.markup.push_back(std::move(r));
        }
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
