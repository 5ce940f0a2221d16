#include "cli/keys.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "core/fs.hpp"

namespace provcheck {

std::filesystem::path default_key_path() {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    std::filesystem::path base;
    if (xdg != nullptr && *xdg != '\0') {
        base = xdg;
    } else {
        const char* home = std::getenv("HOME");
        base = std::filesystem::path(home != nullptr && *home != '\0' ? home : ".") / ".config";
    }
    return base / "provcheck" / "signing-key.pem";
}

Result<LoadedKey> load_signing_key(const KeyChoice& choice) {
    if (choice.file) {
        auto key = SigningKey::load_file(*choice.file);
        if (!key) return std::unexpected(key.error());
        return LoadedKey{std::move(*key), choice.file->string(), false};
    }
    if (const char* env = std::getenv("PROVCHECK_KEY"); env != nullptr && *env != '\0') {
        std::string_view v(env);
        if (v.find("-----BEGIN") != std::string_view::npos) {
            auto key = SigningKey::from_pem(v);
            if (!key) return fail(key.error().code, "PROVCHECK_KEY: " + key.error().message);
            return LoadedKey{std::move(*key), "PROVCHECK_KEY", false};
        }
        auto key = SigningKey::load_file(std::filesystem::path(v));
        if (!key) return std::unexpected(key.error());
        return LoadedKey{std::move(*key), std::string(v), false};
    }
    auto path = default_key_path();
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        auto key = SigningKey::load_file(path);
        if (!key) return std::unexpected(key.error());
        return LoadedKey{std::move(*key), path.string(), false};
    }
    if (!choice.create_if_missing) {
        return fail(
            ErrorCode::usage,
            fmt::format("no signing key: {} does not exist; give --key FILE or set PROVCHECK_KEY", path.string()));
    }
    auto key = SigningKey::generate();
    if (!key) return std::unexpected(key.error());
    if (auto r = key->save_file(path); !r) return std::unexpected(r.error());
    // Its public half beside it, as keygen writes it, for whoever must verify what it signs.
    auto pub = path;
    pub += ".pub";
    using std::filesystem::perms;
    if (auto r = write_new_file(pub, key->public_pem(),
                                perms::owner_read | perms::owner_write | perms::group_read | perms::others_read);
        !r) {
        return std::unexpected(r.error());
    }
    return LoadedKey{std::move(*key), path.string(), true};
}

}  // namespace provcheck
