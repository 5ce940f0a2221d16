#include <fmt/format.h>

#include <cstdio>
#include <optional>

#include "cli/command.hpp"
#include "cli/keys.hpp"
#include "core/clock.hpp"
#include "crypto/archive_key.hpp"
#include "record/bundle.hpp"

namespace provcheck {

Command add_export_command(CLI::App& app) {
    struct State {
        StoreLocation location;
        std::filesystem::path bundle;
        std::optional<std::filesystem::path> key_file;
        bool unsigned_archive = false;
    };
    auto st = std::make_shared<State>();
    auto* exp = app.add_subcommand(
        "export",
        "Write every record, the captures they rest on, the public keys, the log and its checkpoints into "
        "one file (a WACZ: a ZIP with datapackage.json) that `provcheck verify --bundle` checks offline.");
    exp->add_option("--bundle", st->bundle, "The file to write (its name ends in .wacz)")->required();
    add_store_options(*exp, st->location);
    exp->add_option("--key", st->key_file,
                    "Signing key the archive key is derived from (default as for check); the archive is signed "
                    "for web-archive players");
    exp->add_flag("--unsigned", st->unsigned_archive,
                  "Write the bundle without an archive signature (the records inside stay signed)");
    return {exp, [st] {
                if (auto resolved = resolve_store(st->location); resolved) {
                    st->location = std::move(*resolved);
                } else {
                    return report_error(resolved.error());
                }
                auto db = open_store(st->location, false);
                if (!db) return report_error(db.error());
                SystemClock clock;
                std::optional<LoadedKey> key;
                std::optional<ArchiveKey> archive_key;
                if (!st->unsigned_archive) {
                    auto loaded = load_signing_key(KeyChoice{st->key_file, false});
                    if (!loaded) return report_error(loaded.error());
                    key.emplace(std::move(*loaded));
                    auto derived = ArchiveKey::derive(key->key);
                    if (!derived) return report_error(derived.error());
                    archive_key.emplace(std::move(*derived));
                }
                std::optional<BundleSigner> signer;
                if (archive_key) signer.emplace(BundleSigner{key->key, *archive_key});
                Database::ReadSnapshot snapshot(*db);  // one moment of a store that workers may be writing to
                if (auto r = snapshot.begin(); !r) return report_error(r.error());
                auto summary =
                    export_bundle(*db, st->location.archive_dir(), st->bundle, clock, signer ? &*signer : nullptr);
                if (!summary) return report_error(summary.error());
                std::printf("%s: %zu records, %zu WARC files, %llu bytes\n", st->bundle.c_str(), summary->records,
                            summary->warc_files, static_cast<unsigned long long>(summary->bytes));
                if (archive_key) std::printf("archive signed by key %s\n", archive_key->fingerprint().c_str());
                return exit_ok;
            }};
}

}  // namespace provcheck
