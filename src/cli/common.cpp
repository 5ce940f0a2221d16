#include "cli/command.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cli/keys.hpp"
#include "core/fs.hpp"
#include "core/text.hpp"
#include "core/url.hpp"

namespace provcheck {

int report_error(const Error& e) {
    std::fprintf(stderr, "provcheck: %s\n", e.message.c_str());
    return exit_code_for(e.code);
}

Result<void> apply_config_options(CLI::App& parser, const CheckConfig& cfg, bool unknown_is_error) {
    for (const auto& o : cfg.options) {
        CLI::Option* opt = parser.get_option_no_throw("--" + o.key);
        if (opt == nullptr) {
            if (unknown_is_error)
                return fail(ErrorCode::config, fmt::format("{}: unknown key '{}'", cfg.origin, o.key));
            continue;
        }
        if (opt->count() > 0) continue;  // the command line wins
        try {
            for (const auto& v : o.values)
                opt->add_result(v);
            opt->run_callback();
        } catch (const CLI::Error& e) {
            return fail(ErrorCode::config, fmt::format("{}: {}: {}", cfg.origin, o.key, e.what()));
        }
    }
    return {};
}

Result<void> write_output(const std::optional<std::string>& path, const ByteProducer& produce) {
    if (!path || *path == "-") {
        auto r = produce([](std::string_view bytes) -> Result<void> {
            if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size()) {
                return fail(ErrorCode::io, "cannot write the report to standard output");
            }
            return {};
        });
        std::fflush(stdout);
        return r;
    }
    return write_file_atomic(*path, produce);
}

Result<void> write_output(const std::optional<std::string>& path, const std::string& text) {
    if (!path || *path == "-") {
        std::fwrite(text.data(), 1, text.size(), stdout);
        std::fflush(stdout);
        return {};
    }
    return write_file_atomic(*path, text);
}

void add_store_options(CLI::App& cmd, StoreLocation& loc) {
    loc.workspace_option =
        cmd.add_option("--workspace", loc.workspace, "Workspace directory (store.db and warc/)")->capture_default_str();
    loc.store_option =
        cmd.add_option(
               "--store", loc.store,
               "A PostgreSQL store shared by many workers (postgresql://USER@HOST/DB); default: the workspace's "
               "store.db")
            ->type_name("URL");
    loc.warc_dir_option =
        cmd.add_option(
               "--warc-dir", loc.warc_dir,
               "Directory of the WARC files (with --store, one every worker reaches); default: the workspace's warc/")
            ->type_name("DIR");
}

namespace {

// `loc` with what the command line left unset taken from ./provcheck.toml, so that `store = "postgresql://…"` there
// holds for verify, show, log, export and queue status as it does for check.
// A location once resolved has no option pointers left, so resolving it again (open_store after resolve_store, a
// worker's further connections) reads nothing.
Result<StoreLocation> with_config(const StoreLocation& given) {
    StoreLocation loc = given;
    if (loc.store_option == nullptr) return loc;
    auto cfg = load_check_config(std::nullopt, [](std::string_view) { return true; });
    if (!cfg) return std::unexpected(cfg.error());
    if (*cfg) {
        for (const auto& o : (*cfg)->options) {
            if (o.values.empty()) continue;
            if (o.key == "store" && loc.store_option->count() == 0) loc.store = o.values.front();
            if (o.key == "warc-dir" && loc.warc_dir_option->count() == 0) loc.warc_dir = o.values.front();
            if (o.key == "workspace" && loc.workspace_option->count() == 0) loc.workspace = o.values.front();
        }
    }
    loc.workspace_option = loc.store_option = loc.warc_dir_option = nullptr;
    return loc;
}

}  // namespace

Result<StoreLocation> resolve_store(const StoreLocation& given) {
    return with_config(given);
}

Result<Database> open_store(const StoreLocation& given, bool create) {
    auto configured = with_config(given);
    if (!configured) return std::unexpected(configured.error());
    const StoreLocation& loc = *configured;
    if (loc.server()) {
        if (!Database::is_server_url(loc.store)) {
            // The value is not echoed: a mistyped connection string may hold a password.
            return fail(ErrorCode::usage,
                        "--store: not a postgresql:// URL (without --store the workspace's store.db "
                        "is used)");
        }
        // Nothing local is made here: the archive directory is made by whoever writes WARC files into it.
        return Database::connect(loc.store);
    }
    const std::filesystem::path& ws = loc.workspace;
    std::error_code ec;
    if (!std::filesystem::is_directory(ws, ec)) {
        if (!create) {
            return fail(
                ErrorCode::usage,
                fmt::format("{}: no workspace here (run `provcheck check` first or give --workspace)", ws.string()));
        }
        std::filesystem::create_directories(ws, ec);
        if (ec)
            return fail(ErrorCode::io, fmt::format("{}: cannot create the workspace: {}", ws.string(), ec.message()));
    }
    return Database::open(ws / "store.db", create ? Database::Open::create : Database::Open::existing);
}

namespace {
// An input list may hold at most this much: a URL a line, half a million lines and more.
constexpr std::uint64_t max_input_list_bytes = 64ULL << 20;
}  // namespace

// The URLs of an input list. Like a sitemap, a list only names pages on the web: a line that is not an
// absolute http(s) URL is skipped (never opened as a file); local files are named on the command line.
Result<InputList> read_input_list(const std::string& where) {
    std::string text;
    if (where == "-") {
        char buf[64 * 1024];
        std::size_t n = 0;
        while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
            if (text.size() + n > max_input_list_bytes) {
                return fail(ErrorCode::usage,
                            fmt::format("--input-list -: more than {} bytes on standard input", max_input_list_bytes));
            }
            text.append(buf, n);
        }
        if (std::ferror(stdin) != 0) {
            return fail(ErrorCode::usage,
                        fmt::format("--input-list -: cannot read standard input: {}", std::strerror(errno)));
        }
    } else {
        auto r = read_file(where, {.max_bytes = max_input_list_bytes, .allow_pipe = true});
        if (!r) return fail(ErrorCode::usage, fmt::format("--input-list: {}", r.error().message));
        text = std::move(*r);
    }
    InputList out;
    for (auto line : split(text, '\n')) {
        line = trim(line);
        if (line.empty() || line.front() == '#') continue;
        if (is_absolute_http_url(line)) {
            out.urls.emplace_back(line);
        } else {
            out.skipped.emplace_back(line);
        }
    }
    return out;
}

// Options of provcheck.toml that `parser` has, or that `check` has (the network settings, the store); the
// command line wins.
Result<void> apply_shared_config(CLI::App& parser, const std::optional<std::filesystem::path>& config,
                                 FetchOptions* fetch) {
    const CLI::App* check_parser = nullptr;
    for (const CLI::App* sub : parser.get_parent()->get_subcommands({})) {
        if (sub->get_name() == "check") check_parser = sub;
    }
    auto cfg = load_check_config(config, [&](std::string_view k) {
        const std::string opt = "--" + std::string(k);
        return k != "config" && k != "help" &&
               (parser.get_option_no_throw(opt) != nullptr ||
                (check_parser != nullptr && check_parser->get_option_no_throw(opt) != nullptr));
    });
    if (!cfg) return std::unexpected(cfg.error());
    if (!*cfg) return {};
    if (auto r = apply_config_options(parser, **cfg, false); !r) return r;
    if (fetch != nullptr) fetch->hosts = (*cfg)->hosts;
    return {};
}

Result<TrustedKeys> trusted_keys(const std::optional<std::filesystem::path>& key_file,
                                 const std::vector<std::filesystem::path>& trust_files) {
    TrustedKeys keys;
    for (const auto& f : trust_files) {
        // A keyring holds a few PEM blocks; 16 MiB is thousands of keys.
        auto text = read_file(f, {.max_bytes = 16ULL << 20});
        if (!text) return std::unexpected(text.error());
        // A keyring file: one or more public (or private) key PEM blocks.
        std::string_view rest = *text;
        bool any = false;
        while (true) {
            auto begin = rest.find("-----BEGIN ");
            if (begin == std::string_view::npos) break;
            auto end_marker = rest.find("-----END ", begin);
            if (end_marker == std::string_view::npos) break;
            auto end = rest.find('\n', end_marker);
            std::string_view block =
                rest.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin + 1);
            if (block.find("PRIVATE KEY") != std::string_view::npos) {
                auto k = SigningKey::from_pem(block);
                if (!k) return fail(ErrorCode::config, fmt::format("--trust {}: {}", f.string(), k.error().message));
                keys.by_id[k->key_id()] = k->public_raw();
            } else {
                auto raw = public_raw_from_pem(block);
                if (!raw)
                    return fail(ErrorCode::config, fmt::format("--trust {}: {}", f.string(), raw.error().message));
                keys.by_id[key_id_of(*raw)] = *raw;
            }
            any = true;
            if (end == std::string_view::npos) break;
            rest = rest.substr(end);
        }
        if (!any) return fail(ErrorCode::config, fmt::format("--trust {}: no PEM public key in it", f.string()));
    }
    if (key_file || trust_files.empty()) {
        auto loaded = load_signing_key(KeyChoice{key_file, false});
        if (loaded) {
            keys.by_id[loaded->key.key_id()] = loaded->key.public_raw();
        } else if (trust_files.empty()) {
            return std::unexpected(loaded.error());
        }
    }
    return keys;
}

}  // namespace provcheck
