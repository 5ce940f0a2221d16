#include "rules/rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "core/fs.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"
#include "core/url.hpp"
#include "rules/builtin_rules.hpp"

namespace provcheck {

namespace {

const toml::table& empty_table() {
    static const toml::table empty;
    return empty;
}

// Deep merge: tables merge key by key, arrays of tables append, anything else replaces.
void merge_into(toml::table& base, const toml::table& over) {
    for (auto&& [key, value] : over) {
        toml::node* existing = base.get(key);
        if (existing != nullptr && existing->is_table() && value.is_table()) {
            merge_into(*existing->as_table(), *value.as_table());
        } else if (existing != nullptr && existing->is_array_of_tables() && value.is_array_of_tables()) {
            for (auto&& elem : *value.as_array())
                existing->as_array()->push_back(elem);
        } else {
            base.insert_or_assign(key, value);
        }
    }
}

std::string_view strip_the(std::string_view s) noexcept {
    s = trim(s);
    if (istarts_with(s, "the ")) s.remove_prefix(4);
    return trim(s);
}

Result<toml::table> parse(const std::string& name, const std::string& text) {
    try {
        return toml::parse(text, name);
    } catch (const toml::parse_error& e) {
        const auto& src = e.source();
        return fail(ErrorCode::config,
                    fmt::format("rules/{}:{}:{}: {}", name, src.begin.line, src.begin.column, e.description()));
    }
}

Result<void> parse_outlets(RuleSet& rs) {
    const auto* arr = rs.table("outlets.toml")["outlet"].as_array();
    if (arr == nullptr) return {};
    for (const auto& node : *arr) {
        const auto* t = node.as_table();
        if (t == nullptr) return fail(ErrorCode::config, "rules/outlets.toml: every [[outlet]] must be a table");
        Outlet o;
        o.id = (*t)["id"].value_or(std::string{});
        o.name = (*t)["name"].value_or(std::string{});
        if (o.id.empty() || o.name.empty()) {
            return fail(ErrorCode::config, "rules/outlets.toml: an [[outlet]] lacks `id` or `name`");
        }
        if (const auto* a = (*t)["aliases"].as_array()) {
            for (const auto& x : *a)
                o.aliases.push_back(x.value_or(std::string{}));
        }
        if (const auto* d = (*t)["domains"].as_array()) {
            for (const auto& x : *d)
                o.domains.push_back(to_lower_ascii(x.value_or(std::string{})));
        }
        rs.outlets.push_back(std::move(o));
    }
    return {};
}

Result<void> parse_shorteners(RuleSet& rs) {
    const auto* arr = rs.table("shorteners.toml")["shortener"].as_array();
    if (arr == nullptr) return {};
    for (const auto& node : *arr) {
        const auto* t = node.as_table();
        if (t == nullptr) return fail(ErrorCode::config, "rules/shorteners.toml: every [[shortener]] must be a table");
        Shortener s;
        s.host = to_lower_ascii((*t)["host"].value_or(std::string{}));
        s.user_agent = (*t)["user_agent"].value_or(std::string{});
        if (s.host.empty()) return fail(ErrorCode::config, "rules/shorteners.toml: a [[shortener]] lacks `host`");
        rs.shorteners.push_back(std::move(s));
    }
    return {};
}

}  // namespace

const toml::table& RuleSet::table(std::string_view name) const {
    for (const auto& f : files) {
        if (f.name == name) return f.table;
    }
    return empty_table();
}

std::vector<const RuleFile*> RuleSet::site_files() const {
    std::vector<const RuleFile*> out;
    for (const auto& f : files) {
        if (f.name.starts_with("sites/")) out.push_back(&f);
    }
    return out;
}

bool same_name(std::string_view a, std::string_view b) noexcept {
    return iequals(strip_the(a), strip_the(b));
}

const Outlet* RuleSet::find_outlet(std::string_view name) const {
    if (trim(name).empty()) return nullptr;
    for (const auto& o : outlets) {
        if (same_name(o.name, name)) return &o;
        for (const auto& a : o.aliases) {
            if (same_name(a, name)) return &o;
        }
    }
    return nullptr;
}

const Outlet* RuleSet::outlet_for_url(std::string_view url) const {
    auto parts = parse_url(url);
    if (!parts) return nullptr;
    for (const auto& o : outlets) {
        for (const auto& d : o.domains) {
            if (host_in_domain(parts->host, d)) return &o;
        }
    }
    return nullptr;
}

const Shortener* RuleSet::shortener_for_host(std::string_view host) const {
    for (const auto& s : shorteners) {
        if (iequals(s.host, host)) return &s;
    }
    return nullptr;
}

Result<RuleSet> load_rules_from(const std::vector<std::pair<std::string, std::string>>& builtin,
                                const std::vector<std::pair<std::string, std::string>>& extra) {
    std::map<std::string, RuleFile> by_name;
    for (const auto& [name, text] : builtin) {
        auto t = parse(name, text);
        if (!t) return std::unexpected(t.error());
        by_name[name] = RuleFile{name, text, std::move(*t)};
    }
    for (const auto& [name, text] : extra) {
        auto t = parse(name, text);
        if (!t) return std::unexpected(t.error());
        auto it = by_name.find(name);
        if (it == by_name.end()) {
            by_name[name] = RuleFile{name, text, std::move(*t)};
        } else {
            merge_into(it->second.table, *t);
            it->second.text += "\n# --rules\n" + text;
        }
    }
    RuleSet rs;
    Sha256Stream digest;
    for (auto& [name, file] : by_name) {
        digest.update(name);
        digest.update(std::string_view("\0", 1));
        digest.update(file.text);
        digest.update(std::string_view("\0", 1));
        rs.files.push_back(std::move(file));
    }
    rs.digest = to_hex(digest.finish());
    if (auto r = parse_outlets(rs); !r) return std::unexpected(r.error());
    if (auto r = parse_shorteners(rs); !r) return std::unexpected(r.error());
    return rs;
}

Result<RuleSet> load_rules(const std::optional<std::filesystem::path>& extra_dir) {
    std::vector<std::pair<std::string, std::string>> extra;
    if (extra_dir) {
        std::error_code ec;
        if (!std::filesystem::is_directory(*extra_dir, ec)) {
            return fail(ErrorCode::usage, fmt::format("--rules {}: not a directory", extra_dir->string()));
        }
        for (auto it = std::filesystem::recursive_directory_iterator(*extra_dir, ec);
             !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
            if (!it->is_regular_file() || it->path().extension() != ".toml") continue;
            auto text = read_file(it->path());
            if (!text) return std::unexpected(text.error());
            extra.emplace_back(std::filesystem::relative(it->path(), *extra_dir).generic_string(), std::move(*text));
        }
        std::sort(extra.begin(), extra.end());
    }
    return load_rules_from(builtin_rule_files(), extra);
}

}  // namespace provcheck
