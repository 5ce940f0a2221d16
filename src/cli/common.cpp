#include "cli/command.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "cli/keys.hpp"
#include "core/fs.hpp"

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

Result<Database> open_workspace(const std::filesystem::path& ws, bool create) {
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
