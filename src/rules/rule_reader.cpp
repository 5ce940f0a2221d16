#include "rules/rule_reader.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace provcheck {

std::string rule_location(const toml::node& node, std::string_view fallback) {
    const auto& src = node.source();
    if (src.path && !src.path->empty() && src.begin.line > 0) return fmt::format("{}:{}", *src.path, src.begin.line);
    return std::string(fallback);
}

std::string_view rule_node_kind(const toml::node& node) {
    if (node.is_string()) return "a string";
    if (node.is_integer()) return "an integer";
    if (node.is_floating_point()) return "a number";
    if (node.is_boolean()) return "a boolean";
    if (node.is_date() || node.is_time() || node.is_date_time()) return "a date or time";
    if (node.is_table()) return "a table";
    if (node.is_array_of_tables()) return "an array of tables";
    if (node.is_array()) return "an array";
    return "a value";
}

RuleTable::RuleTable(const toml::table& table, std::string file, std::string path)
    : table_(&table), file_(std::move(file)), path_(std::move(path)) {}

std::string RuleTable::key_path(std::string_view key) const {
    if (path_.empty()) return std::string(key);
    return fmt::format("{}.{}", path_, key);
}

Error RuleTable::error(std::string_view key, std::string_view what) const {
    const toml::node* at = table_->get(key);
    const std::string where = rule_location(at != nullptr ? *at : static_cast<const toml::node&>(*table_), file_);
    return Error{ErrorCode::config, fmt::format("{}: {}: {}", where, key_path(key), what)};
}

Result<void> RuleTable::allow_only(std::initializer_list<std::string_view> known) const {
    return allow_only(std::span<const std::string_view>(known.begin(), known.size()));
}

Result<void> RuleTable::allow_only(std::span<const std::string_view> known) const {
    for (const auto& [k, v] : *table_) {
        if (std::find(known.begin(), known.end(), k.str()) != known.end()) continue;
        std::string list;
        for (auto name : known)
            list += fmt::format("{}{}", list.empty() ? "" : ", ", name);
        const std::string where = rule_location(v, file_);
        return fail(ErrorCode::config, fmt::format("{}: {}: unknown key (known here: {})", where, key_path(k.str()),
                                                   list.empty() ? "none" : list));
    }
    return {};
}

Result<std::optional<std::string>> RuleTable::string(std::string_view key) const {
    const toml::node* n = table_->get(key);
    if (n == nullptr) return std::optional<std::string>{};
    const auto* s = n->as_string();
    if (s == nullptr) return std::unexpected(error(key, fmt::format("must be a string, not {}", rule_node_kind(*n))));
    return std::optional<std::string>(s->get());
}

Result<std::string> RuleTable::required_string(std::string_view key) const {
    auto s = string(key);
    if (!s) return std::unexpected(s.error());
    if (!*s || (*s)->empty()) return std::unexpected(error(key, "is required (a non-empty string)"));
    return std::move(**s);
}

Result<std::optional<std::vector<std::string>>> RuleTable::strings(std::string_view key, bool non_empty_items) const {
    const toml::node* n = table_->get(key);
    if (n == nullptr) return std::optional<std::vector<std::string>>{};
    const auto* arr = n->as_array();
    if (arr == nullptr) {
        return std::unexpected(error(key, fmt::format("must be an array of strings, not {}", rule_node_kind(*n))));
    }
    std::vector<std::string> out;
    for (const auto& item : *arr) {
        const auto* s = item.as_string();
        if (s == nullptr) {
            return std::unexpected(
                error(key, fmt::format("must be an array of strings; it holds {}", rule_node_kind(item))));
        }
        if (non_empty_items && s->get().empty()) return std::unexpected(error(key, "holds an empty string"));
        out.push_back(s->get());
    }
    return std::optional<std::vector<std::string>>(std::move(out));
}

Result<std::optional<std::int64_t>> RuleTable::integer(std::string_view key, std::int64_t lo, std::int64_t hi) const {
    const toml::node* n = table_->get(key);
    if (n == nullptr) return std::optional<std::int64_t>{};
    const auto* i = n->as_integer();
    if (i == nullptr) return std::unexpected(error(key, fmt::format("must be an integer, not {}", rule_node_kind(*n))));
    if (i->get() < lo || i->get() > hi) {
        return std::unexpected(error(key, fmt::format("must be from {} to {}, not {}", lo, hi, i->get())));
    }
    return std::optional<std::int64_t>(i->get());
}

Result<std::optional<bool>> RuleTable::boolean(std::string_view key) const {
    const toml::node* n = table_->get(key);
    if (n == nullptr) return std::optional<bool>{};
    const auto* b = n->as_boolean();
    if (b == nullptr) {
        return std::unexpected(error(key, fmt::format("must be true or false, not {}", rule_node_kind(*n))));
    }
    return std::optional<bool>(b->get());
}

Result<std::optional<RuleTable>> RuleTable::table(std::string_view key) const {
    const toml::node* n = table_->get(key);
    if (n == nullptr) return std::optional<RuleTable>{};
    const auto* t = n->as_table();
    if (t == nullptr) {
        return std::unexpected(
            error(key, fmt::format("must be a table ([{}]), not {}", key_path(key), rule_node_kind(*n))));
    }
    return std::optional<RuleTable>(RuleTable(*t, file_, key_path(key)));
}

Result<std::vector<RuleTable>> RuleTable::tables(std::string_view key) const {
    std::vector<RuleTable> out;
    const toml::node* n = table_->get(key);
    if (n == nullptr) return out;
    const auto* arr = n->as_array();
    if (arr == nullptr || !std::all_of(arr->begin(), arr->end(), [](const toml::node& x) { return x.is_table(); })) {
        return std::unexpected(error(key, fmt::format("must be an array of tables ([[{}]] entries), not {}",
                                                      key_path(key), rule_node_kind(*n))));
    }
    std::size_t index = 0;
    for (const auto& item : *arr)
        out.emplace_back(*item.as_table(), file_, fmt::format("{}[{}]", key_path(key), ++index));
    return out;
}

}  // namespace provcheck
