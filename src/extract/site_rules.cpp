#include "extract/site_rules.hpp"

#include <fmt/format.h>

#include "core/url.hpp"

namespace provcheck {

namespace {

bool name_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == ':';
}

Result<std::vector<std::string>> string_list(const toml::table& t, std::string_view key, const std::string& file) {
    std::vector<std::string> out;
    const toml::node* node = t.get(key);
    if (node == nullptr) return out;
    const auto* arr = node->as_array();
    if (arr == nullptr) return fail(ErrorCode::config, fmt::format("rules/{}: `{}` must be an array", file, key));
    for (const auto& x : *arr) {
        const auto v = x.value<std::string>();
        if (!v) return fail(ErrorCode::config, fmt::format("rules/{}: `{}` must hold strings", file, key));
        out.push_back(*v);
    }
    return out;
}

Result<std::vector<Selector>> selector_list(const toml::table& t, std::string_view key, const std::string& file) {
    auto texts = string_list(t, key, file);
    if (!texts) return std::unexpected(texts.error());
    std::vector<Selector> out;
    for (const auto& s : *texts) {
        auto sel = parse_selector(s);
        if (!sel) return fail(ErrorCode::config, fmt::format("rules/{}: {}", file, sel.error().message));
        out.push_back(std::move(*sel));
    }
    return out;
}

Result<SiteRule> parse_site(const RuleFile& f) {
    SiteRule r;
    r.id = f.table["id"].value_or(std::string{});
    if (r.id.empty()) return fail(ErrorCode::config, fmt::format("rules/{}: missing top-level `id`", f.name));
    auto hosts = string_list(f.table, "hosts", f.name);
    if (!hosts) return std::unexpected(hosts.error());
    for (auto& h : *hosts)
        r.hosts.push_back(to_lower_ascii(trim(h)));
    auto body = selector_list(f.table, "body_selectors", f.name);
    if (!body) return std::unexpected(body.error());
    r.body_selectors = std::move(*body);
    auto drop = selector_list(f.table, "drop_selectors", f.name);
    if (!drop) return std::unexpected(drop.error());
    r.drop_selectors = std::move(*drop);
    auto paywall = selector_list(f.table, "paywall_selectors", f.name);
    if (!paywall) return std::unexpected(paywall.error());
    r.paywall_selectors = std::move(*paywall);
    return r;
}

}  // namespace

Result<Selector> parse_selector(std::string_view text) {
    const std::string_view s = trim(text);
    if (s.empty()) return fail(ErrorCode::config, "empty selector");
    Selector sel;
    std::size_t i = 0;
    auto read_name = [&]() {
        const std::size_t start = i;
        while (i < s.size() && name_char(s[i]))
            ++i;
        return std::string(s.substr(start, i - start));
    };
    if (s[0] == '*') {
        ++i;
    } else if (name_char(s[0])) {
        sel.tag = to_lower_ascii(read_name());
    }
    while (i < s.size()) {
        const char c = s[i++];
        if (c == '.' || c == '#') {
            std::string name = read_name();
            if (name.empty()) return fail(ErrorCode::config, fmt::format("selector `{}`: empty name after `{}`", s, c));
            if (c == '.') {
                sel.classes.push_back(std::move(name));
            } else {
                sel.id = std::move(name);
            }
        } else if (c == '[' && sel.attr.empty()) {
            const std::size_t close = s.find(']', i);
            if (close == std::string_view::npos)
                return fail(ErrorCode::config, fmt::format("selector `{}`: no `]`", s));
            const std::string_view inside = s.substr(i, close - i);
            const std::size_t eq = inside.find('=');
            sel.attr = to_lower_ascii(trim(inside.substr(0, eq)));
            if (sel.attr.empty()) return fail(ErrorCode::config, fmt::format("selector `{}`: empty attribute", s));
            if (eq != std::string_view::npos) {
                std::string_view v = trim(inside.substr(eq + 1));
                if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
                    v = v.substr(1, v.size() - 2);
                }
                sel.attr_value = std::string(v);
            }
            i = close + 1;
        } else {
            return fail(ErrorCode::config,
                        fmt::format("selector `{}`: only simple selectors (tag, .class, #id, [attr=value])", s));
        }
    }
    return sel;
}

const SiteRule* SiteRules::for_url(std::string_view url) const {
    const auto parts = parse_url(url);
    if (!parts || parts->host.empty()) return nullptr;
    for (const auto& site : sites) {
        for (const auto& h : site.hosts) {
            if (host_in_domain(parts->host, h)) return &site;
        }
    }
    return nullptr;
}

Result<SiteRules> load_site_rules(const RuleSet& rules) {
    SiteRules out;
    for (const RuleFile* f : rules.site_files()) {
        auto site = parse_site(*f);
        if (!site) return std::unexpected(site.error());
        if (f->name == "sites/default.toml") {
            auto words = string_list(f->table, "boilerplate_words", f->name);
            if (!words) return std::unexpected(words.error());
            for (auto& w : *words)
                out.boilerplate_words.push_back(to_lower_ascii(trim(w)));
            if (const toml::node* node = f->table.get("partial")) {
                const toml::table* partial = node->as_table();
                if (partial == nullptr)
                    return fail(ErrorCode::config, "rules/sites/default.toml: `partial` must be a table");
                auto markers = string_list(*partial, "truncation_markers", f->name);
                if (!markers) return std::unexpected(markers.error());
                for (auto& m : *markers) {
                    std::string lower = collapse_whitespace(to_lower_ascii(m));
                    if (!lower.empty()) out.truncation_markers.push_back(std::move(lower));
                }
                if (const toml::node* n = partial->get("short_body_words")) {
                    const auto v = n->value<std::int64_t>();
                    if (!v || *v < 0 || *v > 100000) {
                        return fail(ErrorCode::config,
                                    "rules/sites/default.toml: `partial.short_body_words` must be a count");
                    }
                    out.short_body_words = static_cast<std::size_t>(*v);
                }
            }
            out.defaults = std::move(*site);
        } else if (!site->hosts.empty()) {
            out.sites.push_back(std::move(*site));
        }
    }
    return out;
}

bool marks_boilerplate(std::string_view class_or_id, const std::vector<std::string>& words) {
    std::size_t i = 0;
    while (i <= class_or_id.size()) {
        std::size_t j = i;
        while (j < class_or_id.size() && class_or_id[j] != ' ' && class_or_id[j] != '-' && class_or_id[j] != '_' &&
               class_or_id[j] != '\t' && class_or_id[j] != '\n') {
            ++j;
        }
        const std::string_view part = class_or_id.substr(i, j - i);
        if (!part.empty()) {
            for (const auto& w : words) {
                if (w.empty()) continue;
                if (w.back() == '-') {
                    if (iequals(part, std::string_view(w).substr(0, w.size() - 1))) return true;
                } else if (iequals(part, w) || (part.size() == w.size() + 1 && istarts_with(part, w) &&
                                                (part.back() == 's' || part.back() == 'S'))) {
                    return true;
                }
            }
        }
        i = j + 1;
    }
    return false;
}

}  // namespace provcheck
