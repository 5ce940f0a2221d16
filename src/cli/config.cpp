#include "cli/config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/fs.hpp"
#include "core/text.hpp"

namespace provcheck {

namespace {

// A provcheck.toml is a page of settings; anything larger is not one (think of --config /dev/zero).
constexpr std::uint64_t max_config_bytes = 4ULL << 20;

std::optional<std::string> scalar_text(const toml::node& n) {
    if (const auto* s = n.as_string()) return s->get();
    if (const auto* i = n.as_integer()) return fmt::format("{}", i->get());
    if (const auto* f = n.as_floating_point()) return fmt::format("{}", f->get());
    if (const auto* b = n.as_boolean()) return std::string(b->get() ? "true" : "false");
    return std::nullopt;
}

// One [host."NAME"] table. Values are range-checked by validate_fetch_options() through a FetchOptions
// that holds only this override, so the file and the fetcher agree on what is allowed.
Result<HostOverride> parse_host_table(const std::string& raw_name, const toml::table& t, std::string_view origin) {
    HostOverride h;
    h.name = to_lower_ascii(raw_name);
    auto where = [&](std::string_view key) { return fmt::format("{}: host.\"{}\".{}", origin, raw_name, key); };
    auto integer = [&](std::string_view key, const toml::node& v, std::int64_t lo,
                       std::int64_t hi) -> Result<std::int64_t> {
        const auto* i = v.as_integer();
        if (i == nullptr) return fail(ErrorCode::config, fmt::format("{} must be an integer", where(key)));
        if (i->get() < lo || i->get() > hi) {
            return fail(ErrorCode::config, fmt::format("{} must be from {} to {}", where(key), lo, hi));
        }
        return i->get();
    };
    for (const auto& [k, v] : t) {
        std::string key(k.str());
        for (auto& ch : key) {
            if (ch == '-') ch = '_';
        }
        Result<std::int64_t> n = 0;
        if (key == "parallel_max") {
            n = integer(key, v, 1, 256);
            if (n) h.parallel_max = static_cast<int>(*n);
        } else if (key == "interval_ms") {
            n = integer(key, v, 0, 600000);
            if (n) h.interval_ms = static_cast<int>(*n);
        } else if (key == "timeout") {
            n = integer(key, v, 1, 3600);
            if (n) h.timeout_s = static_cast<long>(*n);
        } else if (key == "retries") {
            n = integer(key, v, 0, 10);
            if (n) h.retries = static_cast<int>(*n);
        } else if (key == "max_filesize") {
            n = integer(key, v, 1, std::int64_t{1} << 40);
            if (n) h.max_filesize = static_cast<std::uint64_t>(*n);
        } else if (key == "speed_limit") {
            n = integer(key, v, 0, std::int64_t{1} << 40);
            if (n) h.speed_limit = static_cast<long>(*n);
        } else if (key == "speed_time") {
            n = integer(key, v, 0, 3600);
            if (n) h.speed_time_s = static_cast<long>(*n);
        } else if (key == "user_agent") {
            const auto* text = v.as_string();
            if (text == nullptr) return fail(ErrorCode::config, fmt::format("{} must be a string", where(key)));
            h.user_agent = text->get();
        } else {
            return fail(ErrorCode::config,
                        fmt::format("{}: unknown key 'host.\"{}\".{}' (a [host.\"NAME\"] table has parallel_max, "
                                    "interval_ms, timeout, retries, user_agent, max_filesize, speed_limit, "
                                    "speed_time)",
                                    origin, raw_name, k.str()));
        }
        if (!n) return std::unexpected(n.error());
    }
    FetchOptions only;
    only.hosts.push_back(h);
    if (auto valid = validate_fetch_options(only); !valid) {
        return fail(ErrorCode::config, fmt::format("{}: {}", origin, valid.error().message));
    }
    return h;
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
        if (key == "host") {
            const auto* hosts = node.as_table();
            if (hosts == nullptr) {
                return fail(ErrorCode::config,
                            fmt::format("{}: 'host' must be tables of host settings, [host.\"NAME\"]", origin));
            }
            for (const auto& [name, settings] : *hosts) {
                const auto* t = settings.as_table();
                if (t == nullptr) {
                    return fail(ErrorCode::config,
                                fmt::format("{}: 'host.\"{}\"' must be a table of settings", origin, name.str()));
                }
                auto h = parse_host_table(std::string(name.str()), *t, origin);
                if (!h) return std::unexpected(h.error());
                cfg.hosts.push_back(std::move(*h));
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
    // A ./provcheck.toml that is there but not a regular file is refused by read_file, not passed over.
    if (!explicit_path && !std::filesystem::exists(std::filesystem::symlink_status(path, ec))) {
        return std::optional<CheckConfig>{};
    }
    auto text = read_file(path, {.max_bytes = max_config_bytes});
    if (!text) return fail(ErrorCode::config, text.error().message);
    auto cfg = parse_check_config(*text, path.string(), is_option);
    if (!cfg) return std::unexpected(cfg.error());
    return std::optional<CheckConfig>(std::move(*cfg));
}

}  // namespace provcheck
