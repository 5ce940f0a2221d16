#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstdio>

#include "cli/command.hpp"
#include "cli/keys.hpp"
#include "core/fs.hpp"

namespace provcheck {

namespace {

struct KeygenOptions {
    std::optional<std::filesystem::path> out;
    bool force = false;
};

// Both files are created anew (O_CREAT | O_EXCL | O_NOFOLLOW): a file or a symbolic link already at either
// path is refused before anything is written, so that keygen never writes through a link someone planted
// and never leaves a private key without its public half. --force replaces what is there (a link itself,
// never what it points to).
int cmd_keygen(const KeygenOptions& o) {
    auto path = o.out.value_or(default_key_path());
    auto pub = path;
    pub += ".pub";
    if (!o.force) {
        for (const auto& p : {path, pub}) {
            struct stat st {};
            if (::lstat(p.c_str(), &st) == 0) {
                return report_error(
                    Error{ErrorCode::usage, fmt::format("{}: already exists{}; not replacing it (--force replaces it)",
                                                        p.string(), S_ISLNK(st.st_mode) ? " as a symbolic link" : "")});
            }
        }
    }
    auto key = SigningKey::generate();
    if (!key) return report_error(key.error());
    if (auto r = key->save_file(path, o.force); !r) return report_error(r.error());
    using std::filesystem::perms;
    if (auto r =
            write_new_file(pub, key->public_pem(),
                           perms::owner_read | perms::owner_write | perms::group_read | perms::others_read, o.force);
        !r) {
        ::unlink(path.c_str());  // no private key without its public half
        return report_error(r.error());
    }
    std::printf("private key %s (mode 0600)\npublic key  %s\nkey id      %s\n", path.c_str(), pub.c_str(),
                key->key_id().c_str());
    return exit_ok;
}

}  // namespace

Command add_keygen_command(CLI::App& app) {
    auto o = std::make_shared<KeygenOptions>();
    auto* keygen = app.add_subcommand(
        "keygen", "Create a new Ed25519 signing key (private file mode 0600) and its public key beside it (.pub).");
    keygen->add_option("--out", o->out, "Where to write it (default $XDG_CONFIG_HOME/provcheck/signing-key.pem)");
    keygen->add_flag("--force", o->force,
                     "Replace files (or symbolic links) already at the key's path and at its .pub; never writes "
                     "through a link");
    return {keygen, [o] { return cmd_keygen(*o); }};
}

}  // namespace provcheck
