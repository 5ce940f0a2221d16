// `provcheck key show` and `provcheck key export`: the public half of the signing key that `check` uses, for
// whoever must verify what it signs (`verify --trust FILE`, a bundle's reader, a published checkpoint).
#include <fmt/format.h>

#include <cstdio>

#include "cli/command.hpp"
#include "cli/keys.hpp"
#include "core/fs.hpp"
#include "core/hash.hpp"
#include "crypto/archive_key.hpp"

namespace provcheck {

namespace {

struct KeyState {
    std::optional<std::filesystem::path> key_file;
    std::filesystem::path out;
    bool force = false;
};

int cmd_key_show(const KeyState& st) {
    auto key = load_signing_key(KeyChoice{st.key_file, false});
    if (!key) return report_error(key.error());
    std::printf("key id  %s\nfrom    %s\n\n%s", key->key.key_id().c_str(), key->origin.c_str(),
                key->key.public_pem().c_str());
    // The archive key derived from it, which signs bundles for web-archive players (ECDSA P-384).
    auto archive = ArchiveKey::derive(key->key);
    if (!archive) return report_error(archive.error());
    std::printf("\narchive key  %s (ECDSA P-384, signs bundles)\npublicKey    %s\n", archive->fingerprint().c_str(),
                base64_encode(archive->public_spki()).c_str());
    return exit_ok;
}

int cmd_key_export(const KeyState& st) {
    auto key = load_signing_key(KeyChoice{st.key_file, false});
    if (!key) return report_error(key.error());
    using std::filesystem::perms;
    if (st.out == "-") {
        std::fputs(key->key.public_pem().c_str(), stdout);
        return exit_ok;
    }
    // Created anew, never through a link; only --force replaces a file already there.
    if (auto r =
            write_new_file(st.out, key->key.public_pem(),
                           perms::owner_read | perms::owner_write | perms::group_read | perms::others_read, st.force);
        !r) {
        return report_error(Error{ErrorCode::usage, r.error().message});
    }
    std::fprintf(stderr, "provcheck: public key %s written to %s\n", key->key.key_id().c_str(), st.out.c_str());
    return exit_ok;
}

}  // namespace

Command add_key_command(CLI::App& app) {
    auto st = std::make_shared<KeyState>();
    auto* key = app.add_subcommand("key", "The signing key's public half: show it, or export it for verifiers.");
    key->require_subcommand(1);
    key->fallthrough();
    key->add_option("--key", st->key_file,
                    "Signing key (default $PROVCHECK_KEY, else $XDG_CONFIG_HOME/provcheck/signing-key.pem)");
    auto* show = key->add_subcommand("show", "Print the key id and the public key (PEM).");
    auto* exp = key->add_subcommand("export", "Write the public key (PEM) to a file, for `verify --trust FILE`.");
    exp->add_option("--out", st->out, "Where to write it (- for standard output)")->required();
    exp->add_flag("--force", st->force, "Replace a file already there (never writes through a link)");
    return {key, [st, show] { return show->parsed() ? cmd_key_show(*st) : cmd_key_export(*st); }};
}

}  // namespace provcheck
