#include <fmt/format.h>

#include <cstdio>

#include "cli/command.hpp"
#include "cli/keys.hpp"
#include "core/fs.hpp"

namespace provcheck {

namespace {

int cmd_keygen(const std::optional<std::filesystem::path>& out) {
    auto path = out.value_or(default_key_path());
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        return report_error(
            Error{ErrorCode::usage, fmt::format("{}: already exists; not replacing a key", path.string())});
    }
    auto key = SigningKey::generate();
    if (!key) return report_error(key.error());
    if (auto r = key->save_file(path); !r) return report_error(r.error());
    auto pub = path;
    pub += ".pub";
    if (auto r = write_file_atomic(pub, key->public_pem()); !r) return report_error(r.error());
    std::printf("private key %s (mode 0600)\npublic key  %s\nkey id      %s\n", path.c_str(), pub.c_str(),
                key->key_id().c_str());
    return exit_ok;
}

}  // namespace

Command add_keygen_command(CLI::App& app) {
    auto out = std::make_shared<std::optional<std::filesystem::path>>();
    auto* keygen = app.add_subcommand("keygen", "Create a new Ed25519 signing key (private file mode 0600).");
    keygen->add_option("--out", *out, "Where to write it (default $XDG_CONFIG_HOME/provcheck/signing-key.pem)");
    return {keygen, [out] { return cmd_keygen(*out); }};
}

}  // namespace provcheck
