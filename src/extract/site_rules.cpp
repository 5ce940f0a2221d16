#include "extract/site_rules.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "core/url.hpp"
#include "rules/rule_reader.hpp"

namespace provcheck {

namespace {

bool name_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == ':';
}

Result<std::vector<std::string>> string_list(const RuleTable& t, std::string_view key) {
    auto list = t.strings(key);
    if (!list) return std::unexpected(list.error());
    return list->value_or(std::vector<std::string>{});
}

// A list of class/id words, each trimmed and in lower case.
Result<std::vector<std::string>> word_list(const RuleTable& t, std::string_view key) {
    auto list = string_list(t, key);
    if (!list) return std::unexpected(list.error());
    for (auto& w : *list)
        w = to_lower_ascii(trim(w));
    return list;
}

Result<std::vector<Selector>> selector_list(const RuleTable& t, std::string_view key) {
    auto texts = string_list(t, key);
    if (!texts) return std::unexpected(texts.error());
    std::vector<Selector> out;
    for (const auto& s : *texts) {
        auto sel = parse_selector(s);
        if (!sel) return std::unexpected(t.error(key, sel.error().message));
        out.push_back(std::move(*sel));
    }
    return out;
}

// The [oembed] table of a site file (read by the pipeline for embedded posts): `match`, the hosts whose status
// URLs it answers, and `endpoint`, an http(s) URL holding {url}.
Result<void> check_oembed(const RuleTable& site) {
    auto oembed = site.table("oembed");
    if (!oembed) return std::unexpected(oembed.error());
    if (!*oembed) return {};
    const RuleTable& t = **oembed;
    if (auto known = t.allow_only({"match", "endpoint"}); !known) return std::unexpected(known.error());
    auto match = t.strings("match", true);
    if (!match) return std::unexpected(match.error());
    if (!*match || (*match)->empty()) return std::unexpected(t.error("match", "is required (host names)"));
    auto endpoint = t.required_string("endpoint");
    if (!endpoint) return std::unexpected(endpoint.error());
    if (!is_absolute_http_url(*endpoint) || endpoint->find("{url}") == std::string::npos) {
        return std::unexpected(t.error("endpoint", "must be an http(s) URL holding {url}"));
    }
    return {};
}

Result<SiteRule> parse_site(const RuleFile& f) {
    const RuleTable t(f.table, "rules/" + f.name);
    const bool is_default = f.name == "sites/default.toml";
    auto known = is_default
                     ? t.allow_only({"id", "hosts", "body_selectors", "drop_selectors", "paywall_selectors", "oembed",
                                     "boilerplate_words", "rescue_boilerplate_words", "layout_modifiers",
                                     "body_classes", "callout_labels", "partial", "main_text"})
                     : t.allow_only({"id", "hosts", "body_selectors", "drop_selectors", "paywall_selectors", "oembed"});
    if (!known) return std::unexpected(known.error());
    SiteRule r;
    auto id = t.required_string("id");
    if (!id) return std::unexpected(id.error());
    r.id = std::move(*id);
    auto hosts = string_list(t, "hosts");
    if (!hosts) return std::unexpected(hosts.error());
    for (auto& h : *hosts)
        r.hosts.push_back(to_lower_ascii(trim(h)));
    auto body = selector_list(t, "body_selectors");
    if (!body) return std::unexpected(body.error());
    r.body_selectors = std::move(*body);
    auto drop = selector_list(t, "drop_selectors");
    if (!drop) return std::unexpected(drop.error());
    r.drop_selectors = std::move(*drop);
    auto paywall = selector_list(t, "paywall_selectors");
    if (!paywall) return std::unexpected(paywall.error());
    r.paywall_selectors = std::move(*paywall);
    if (auto oembed = check_oembed(t); !oembed) return std::unexpected(oembed.error());
    return r;
}

// Phrases compared with folded_words(): each rule phrase is folded the same way, so "Share this:" in the file and
// "SHARE THIS" on a page meet.
Result<std::vector<std::string>> folded_list(const RuleTable& t, std::string_view key) {
    auto list = string_list(t, key);
    if (!list) return std::unexpected(list.error());
    std::vector<std::string> out;
    for (const auto& s : *list) {
        std::string f = folded_words(s);
        if (f.empty()) return std::unexpected(t.error(key, fmt::format("`{}` has no letters or digits", s)));
        out.push_back(std::move(f));
    }
    return out;
}

Result<PruneRules> parse_main_text(const RuleTable& t) {
    if (auto known = t.allow_only(
            {"title_repeat",        "date_line_max_words",   "date_line_edge_blocks", "date_words",
             "chrome_phrases",      "credit_prefixes",       "credit_suffixes",       "credit_max_words",
             "caption_max_words",   "lead_phrases",          "lead_max_words",        "link_block_max_words",
             "byline_extra_words",  "slideshow_captions",    "signup_phrases",        "signup_max_words",
             "disclosure_phrases",  "disclosure_max_words",  "related_heads",         "related_head_max_words",
             "contributor_phrases", "contributor_max_words", "signature_words",       "image_alt_captions",
             "title_variant_share"});
        !known) {
        return std::unexpected(known.error());
    }
    PruneRules r;
    auto title = t.boolean("title_repeat");
    if (!title) return std::unexpected(title.error());
    r.title_repeat = title->value_or(false);
    auto slides = t.boolean("slideshow_captions");
    if (!slides) return std::unexpected(slides.error());
    r.slideshow_captions = slides->value_or(false);
    auto alt_captions = t.boolean("image_alt_captions");
    if (!alt_captions) return std::unexpected(alt_captions.error());
    r.image_alt_captions = alt_captions->value_or(false);
    for (auto [key, into] : {std::pair<std::string_view, std::size_t*>{"date_line_max_words", &r.date_line_max_words},
                             {"date_line_edge_blocks", &r.date_line_edge_blocks},
                             {"credit_max_words", &r.credit_max_words},
                             {"caption_max_words", &r.caption_max_words},
                             {"lead_max_words", &r.lead_max_words},
                             {"link_block_max_words", &r.link_block_max_words},
                             {"byline_extra_words", &r.byline_extra_words},
                             {"signup_max_words", &r.signup_max_words},
                             {"disclosure_max_words", &r.disclosure_max_words},
                             {"related_head_max_words", &r.related_head_max_words},
                             {"contributor_max_words", &r.contributor_max_words},
                             {"title_variant_share", &r.title_variant_share}}) {
        auto v = t.integer(key, 0, 1000);
        if (!v) return std::unexpected(v.error());
        *into = static_cast<std::size_t>(v->value_or(0));
    }
    for (auto [key, into] : {std::pair<std::string_view, std::vector<std::string>*>{"date_words", &r.date_words},
                             {"chrome_phrases", &r.chrome_phrases},
                             {"signup_phrases", &r.signup_phrases},
                             {"disclosure_phrases", &r.disclosure_phrases},
                             {"related_heads", &r.related_heads},
                             {"contributor_phrases", &r.contributor_phrases},
                             {"signature_words", &r.signature_words}}) {
        auto list = folded_list(t, key);
        if (!list) return std::unexpected(list.error());
        *into = std::move(*list);
    }
    for (auto [key, into] :
         {std::pair<std::string_view, std::vector<std::string>*>{"credit_prefixes", &r.credit_prefixes},
          {"credit_suffixes", &r.credit_suffixes},
          {"lead_phrases", &r.lead_phrases}}) {
        auto list = string_list(t, key);
        if (!list) return std::unexpected(list.error());
        for (const auto& c : *list) {
            std::string lowered = lowered_text(trim(c));
            if (lowered.empty()) return std::unexpected(t.error(key, "holds an empty phrase"));
            into->push_back(std::move(lowered));
        }
    }
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
            const RuleTable t(f->table, "rules/" + f->name);
            for (auto [key, list] :
                 {std::pair{"boilerplate_words", &out.boilerplate_words},
                  std::pair{"rescue_boilerplate_words", &out.rescue_boilerplate_words},
                  std::pair{"body_classes", &out.body_classes}, std::pair{"layout_modifiers", &out.layout_modifiers},
                  std::pair{"callout_labels", &out.callout_labels}}) {
                auto words = word_list(t, key);
                if (!words) return std::unexpected(words.error());
                *list = std::move(*words);
            }
            auto partial = t.table("partial");
            if (!partial) return std::unexpected(partial.error());
            if (*partial) {
                const RuleTable& p = **partial;
                if (auto known = p.allow_only({"truncation_markers", "short_body_words"}); !known) {
                    return std::unexpected(known.error());
                }
                auto markers = string_list(p, "truncation_markers");
                if (!markers) return std::unexpected(markers.error());
                for (auto& m : *markers) {
                    std::string lower = collapse_whitespace(to_lower_ascii(m));
                    if (!lower.empty()) out.truncation_markers.push_back(std::move(lower));
                }
                auto words_min = p.integer("short_body_words", 0, 100000);
                if (!words_min) return std::unexpected(words_min.error());
                if (*words_min) out.short_body_words = static_cast<std::size_t>(**words_min);
            }
            auto main_text = t.table("main_text");
            if (!main_text) return std::unexpected(main_text.error());
            if (*main_text) {
                auto prune = parse_main_text(**main_text);
                if (!prune) return std::unexpected(prune.error());
                out.prune = std::move(*prune);
            }
            out.defaults = std::move(*site);
        } else if (!site->hosts.empty()) {
            out.sites.push_back(std::move(*site));
        }
    }
    return out;
}

namespace {

// `part` is `word`, or `word` with a plural 's' when `plural` allows one.
bool same_part(std::string_view part, std::string_view word, bool plural) noexcept {
    return iequals(part, word) || (plural && part.size() == word.size() + 1 && istarts_with(part, word) &&
                                   (part.back() == 's' || part.back() == 'S'));
}

// Class names are set apart by white space.
bool class_gap(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n';
}

bool part_gap(char c) noexcept {
    return c == '-' || c == '_';
}

std::vector<std::string_view> split_parts(std::string_view s, bool (*gap)(char)) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i <= s.size()) {
        std::size_t j = i;
        while (j < s.size() && !gap(s[j]))
            ++j;
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

}  // namespace

bool has_class(std::string_view classes, const std::vector<std::string>& names) {
    for (const auto one : split_parts(classes, class_gap)) {
        if (!one.empty() &&
            std::any_of(names.begin(), names.end(), [&](const std::string& w) { return iequals(one, w); }))
            return true;
    }
    return false;
}

bool marks_boilerplate(std::string_view class_or_id, const std::vector<std::string>& words,
                       const std::vector<std::string>& layout_modifiers) {
    // Each class name (or the id) is read on its own; its parts are the runs between '-' and '_'. A word of
    // several parts ("author-box", "more-stories") matches the same parts in a row inside one name
    // ("elementor-author-box__bio"), never across two names.
    for (const auto name : split_parts(class_or_id, class_gap)) {
        auto parts = split_parts(name, part_gap);
        // A modifier after "--" (the BEM convention) that names a layout says where the element stands, not what
        // it is: "row-content--sidebar--gutter" is a row of content set beside a sidebar.
        if (!layout_modifiers.empty() && name.find("--") != std::string_view::npos && !name.starts_with("--")) {
            std::vector<std::string_view> kept;
            std::size_t at = 0;
            bool first = true;
            while (at <= name.size()) {
                std::size_t next = name.find("--", at);
                if (next == std::string_view::npos) next = name.size();
                const std::string_view segment = name.substr(at, next - at);
                const bool layout = !first && std::any_of(layout_modifiers.begin(), layout_modifiers.end(),
                                                          [&](const std::string& w) { return iequals(segment, w); });
                if (!layout) {
                    for (const auto part : split_parts(segment, part_gap))
                        kept.push_back(part);
                }
                first = false;
                at = next + 2;
            }
            parts = std::move(kept);
        }
        for (const auto& w : words) {
            if (w.empty()) continue;
            if (w.back() == '-') {
                const std::string_view bare = std::string_view(w).substr(0, w.size() - 1);
                for (const auto part : parts) {
                    if (iequals(part, bare)) return true;
                }
                continue;
            }
            const auto wparts = split_parts(w, part_gap);
            if (wparts.empty()) continue;
            for (std::size_t i = 0; i + wparts.size() <= parts.size(); ++i) {
                bool all = true;
                for (std::size_t k = 0; k < wparts.size() && all; ++k)
                    all = same_part(parts[i + k], wparts[k], k + 1 == wparts.size());
                if (all) return true;
            }
        }
    }
    return false;
}

}  // namespace provcheck
