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
#include "rules/rule_reader.hpp"

namespace provcheck {

namespace {

const toml::table& empty_table() {
    static const toml::table empty;
    return empty;
}

// Deep merge: tables merge key by key, arrays of tables append, anything else replaces. The nodes of `over` are
// moved, not copied, so that they keep where they were read (toml++ drops the source region of a copy) and an
// error found in them later names the --rules file and line. A value that would change what the built-in
// rules hold into something else (a table, or the [[entries]] rules add to, replaced by a plain value or the
// other way round) is an error: replacing them silently would drop every built-in entry.
Result<void> merge_into(toml::table& base, toml::table&& over, const std::string& path = {}) {
    for (auto&& entry : over) {
        const toml::key& key = entry.first;
        toml::node& value = entry.second;  // named, not bound, so that the lambda below may use it
        const std::string key_path = path.empty() ? std::string(key.str()) : fmt::format("{}.{}", path, key.str());
        toml::node* existing = base.get(key);
        if (existing == nullptr) {
            base.insert_or_assign(key, std::move(value));
            continue;
        }
        auto clash = [&](std::string_view want) -> Result<void> {
            return fail(ErrorCode::config,
                        fmt::format("{}: {}: is {} here, but the built-in rules ({}) hold {}; extra rules {}",
                                    rule_location(value, "--rules"), key_path, rule_node_kind(value),
                                    rule_location(*existing, "built in"), rule_node_kind(*existing), want));
        };
        if (existing->is_table()) {
            if (!value.is_table()) return clash(fmt::format("add to it or change it with a [{}] table", key_path));
            if (auto r = merge_into(*existing->as_table(), std::move(*value.as_table()), key_path); !r) return r;
        } else if (existing->is_array_of_tables()) {
            if (!value.is_array_of_tables()) return clash(fmt::format("add [[{}]] entries to it", key_path));
            for (auto&& elem : *value.as_array())
                existing->as_array()->push_back(std::move(elem));
        } else if (value.is_table() || value.is_array_of_tables()) {
            return clash("replace it with a value of that kind");
        } else {
            base.insert_or_assign(key, std::move(value));
        }
    }
    return {};
}

std::string_view strip_the(std::string_view s) noexcept {
    s = trim(s);
    if (istarts_with(s, "the ")) s.remove_prefix(4);
    return trim(s);
}

// `origin` is how messages name the file: rules/NAME for a built-in one, the path of a --rules file.
Result<toml::table> parse(const std::string& origin, const std::string& text) {
    try {
        return toml::parse(text, origin);
    } catch (const toml::parse_error& e) {
        const auto& src = e.source();
        return fail(ErrorCode::config,
                    fmt::format("{}:{}:{}: {}", origin, src.begin.line, src.begin.column, e.description()));
    }
}

Result<void> parse_outlets(RuleSet& rs) {
    const RuleTable top(rs.table("outlets.toml"), "rules/outlets.toml");
    if (auto r = top.allow_only({"outlet"}); !r) return r;
    auto entries = top.tables("outlet");
    if (!entries) return std::unexpected(entries.error());
    for (const auto& t : *entries) {
        if (auto r = t.allow_only({"id", "name", "aliases", "domains"}); !r) return r;
        Outlet o;
        auto id = t.required_string("id");
        if (!id) return std::unexpected(id.error());
        auto name = t.required_string("name");
        if (!name) return std::unexpected(name.error());
        auto aliases = t.strings("aliases", true);
        if (!aliases) return std::unexpected(aliases.error());
        auto domains = t.strings("domains", true);
        if (!domains) return std::unexpected(domains.error());
        o.id = std::move(*id);
        o.name = std::move(*name);
        o.aliases = aliases->value_or(std::vector<std::string>{});
        for (const auto& d : domains->value_or(std::vector<std::string>{}))
            o.domains.push_back(to_lower_ascii(d));
        rs.outlets.push_back(std::move(o));
    }
    return {};
}

Result<void> parse_shorteners(RuleSet& rs) {
    const RuleTable top(rs.table("shorteners.toml"), "rules/shorteners.toml");
    if (auto r = top.allow_only({"defaults", "shortener"}); !r) return r;
    auto defaults = top.table("defaults");
    if (!defaults) return std::unexpected(defaults.error());
    if (*defaults) {
        if (auto r = (*defaults)->allow_only({"user_agent"}); !r) return r;
        if (auto ua = (*defaults)->string("user_agent"); !ua) return std::unexpected(ua.error());
    }
    auto entries = top.tables("shortener");
    if (!entries) return std::unexpected(entries.error());
    for (const auto& t : *entries) {
        if (auto r = t.allow_only({"host", "user_agent"}); !r) return r;
        auto host = t.required_string("host");
        if (!host) return std::unexpected(host.error());
        auto ua = t.string("user_agent");
        if (!ua) return std::unexpected(ua.error());
        if (ua->value_or("").find_first_of("\r\n") != std::string::npos) {
            return std::unexpected(t.error("user_agent", "must be one line"));
        }
        rs.shorteners.push_back(Shortener{to_lower_ascii(*host), ua->value_or("")});
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
                                const std::vector<std::pair<std::string, std::string>>& extra,
                                std::string_view extra_origin) {
    std::map<std::string, RuleFile> by_name;
    for (const auto& [name, text] : builtin) {
        auto t = parse("rules/" + name, text);
        if (!t) return std::unexpected(t.error());
        by_name[name] = RuleFile{name, text, std::move(*t)};
    }
    for (const auto& [name, text] : extra) {
        const std::string origin = fmt::format("{}/{}", extra_origin, name);
        // A file no stage reads is a mistake (a misspelt name), not something to pass over.
        if (!by_name.contains(name) && !(name.starts_with("sites/") && name.ends_with(".toml"))) {
            std::string known;
            for (const auto& [n, f] : by_name) {
                if (!n.starts_with("sites/")) known += n + ", ";
            }
            return fail(ErrorCode::config, fmt::format("{}: not a rules file provcheck reads (those are {}and "
                                                       "sites/*.toml)",
                                                       origin, known));
        }
        auto t = parse(origin, text);
        if (!t) return std::unexpected(t.error());
        auto it = by_name.find(name);
        if (it == by_name.end()) {
            by_name[name] = RuleFile{name, text, std::move(*t)};
        } else {
            if (auto merged = merge_into(it->second.table, std::move(*t)); !merged) {
                return std::unexpected(merged.error());
            }
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
            if (it->path().extension() != ".toml" || it->is_directory(ec)) continue;
            // A rules file must be a regular file of sensible size: a link to /dev/zero is refused, not read.
            auto text = read_file(it->path(), {.max_bytes = max_rule_file_bytes});
            if (!text) return fail(ErrorCode::config, fmt::format("--rules: {}", text.error().message));
            extra.emplace_back(std::filesystem::relative(it->path(), *extra_dir).generic_string(), std::move(*text));
        }
        if (ec)
            return fail(ErrorCode::config,
                        fmt::format("--rules {}: cannot list: {}", extra_dir->string(), ec.message()));
        std::sort(extra.begin(), extra.end());
    }
    return load_rules_from(builtin_rule_files(), extra, extra_dir ? extra_dir->string() : std::string("--rules"));
}

}  // namespace provcheck
