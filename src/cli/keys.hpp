// Where the signing key comes from: --key FILE, else PROVCHECK_KEY (a PEM itself, for CI secrets, or a path),
// else $XDG_CONFIG_HOME/provcheck/signing-key.pem (~/.config/…), created on first use with a notice, because
// workspaces get committed and shared and the key must not live in them.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "crypto/ed25519.hpp"

namespace provcheck {

[[nodiscard]] std::filesystem::path default_key_path();

struct KeyChoice {
    std::optional<std::filesystem::path> file;  // --key
    bool create_if_missing = true;              // `check` creates the default key; `verify` never does
};

struct LoadedKey {
    SigningKey key;
    std::string origin;  // where it came from, for messages ("PROVCHECK_KEY", a path)
    bool created = false;
};

[[nodiscard]] Result<LoadedKey> load_signing_key(const KeyChoice& choice);

}  // namespace provcheck
