#include "cli/config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/fs.hpp"

namespace provcheck {

namespace {

std::optional<std::string> scalar_text(const toml::node& n) {
    if (const auto* s = n.as_string()) return s->get();
    if (const auto* i = n.as_integer()) return fmt::format("{}", i->get());
    if (const auto* f = n.as_floating_point()) return fmt::format("{}", f->get());
    if (const auto* b = n.as_boolean()) return std::string(b->get() ? "true" : "false");
    return std::nullopt;
}

}  // namespace

Result<CheckConfig> parse_check_config(std::string_view toml_text, std::string_view origin,
                                       const std::function<bool(std::string_view)>& is_option) {
    toml::table table;
    try {
        table = toml::parse(toml_text, origin);
    } catch (const toml::parse_error& e) {
        return fail(ErrorCode::config, fmt::format("{}:{}:{}: {}", origin, e.source().begin.line,
                                                   e.source().begin.column, e.description()));
    }
    CheckConfig cfg;
    cfg.origin = std::string(origin);
    for (const auto& [raw_key, node] : table) {
        std::string key(raw_key.str());
        for (auto& ch : key) {
            if (ch == '_') ch = '-';
        }
        if (key == "source" && node.is_array_of_tables()) {
            for (const auto& entry : *node.as_array()) {
                const auto& t = *entry.as_table();
                SourceBinding b;
                for (const auto& [k, v] : t) {
                    const std::string_view name = k.str();
                    const auto text = v.as_string();
                    if (name != "name" && name != "url" && name != "path") {
                        return fail(ErrorCode::config, fmt::format("{}: unknown key 'source.{}' (a [[source]] "
                                                                   "has name, and url or path)",
                                                                   origin, name));
                    }
                    if (text == nullptr) {
                        return fail(ErrorCode::config, fmt::format("{}: 'source.{}' must be a string", origin, name));
                    }
                    (name == "name" ? b.name : b.target) = text->get();
                }
                if (b.target.empty()) {
                    return fail(ErrorCode::config, fmt::format("{}: a [[source]] without url or path", origin));
                }
                cfg.sources.push_back(std::move(b));
            }
            continue;
        }
        if (!is_option(key)) return fail(ErrorCode::config, fmt::format("{}: unknown key '{}'", origin, raw_key.str()));
        ConfigOption opt{key, {}};
        if (const auto* arr = node.as_array()) {
            for (const auto& item : *arr) {
                auto text = scalar_text(item);
                if (!text) {
                    return fail(ErrorCode::config,
                                fmt::format("{}: '{}' must hold strings, numbers or booleans", origin, key));
                }
                opt.values.push_back(std::move(*text));
            }
        } else if (auto text = scalar_text(node)) {
            opt.values.push_back(std::move(*text));
        } else {
            return fail(ErrorCode::config, fmt::format("{}: '{}' must be a string, number, boolean or array of "
                                                       "them",
                                                       origin, key));
        }
        cfg.options.push_back(std::move(opt));
    }
    return cfg;
}

Result<std::optional<CheckConfig>> load_check_config(const std::optional<std::filesystem::path>& explicit_path,
                                                     const std::function<bool(std::string_view)>& is_option) {
    std::filesystem::path path = explicit_path.value_or("provcheck.toml");
    std::error_code ec;
    if (!explicit_path && !std::filesystem::is_regular_file(path, ec)) return std::optional<CheckConfig>{};
    auto text = read_file(path);
    if (!text) return fail(ErrorCode::config, text.error().message);
    auto cfg = parse_check_config(*text, path.string(), is_option);
    if (!cfg) return std::unexpected(cfg.error());
    return std::optional<CheckConfig>(std::move(*cfg));
}

}  // namespace provcheck
