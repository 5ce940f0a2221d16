// Bundles: one file that holds a workspace's records, the WARC captures they point to, the public keys that
// signed them, the log and its signed checkpoints, so that a machine with nothing else can verify them.
//
// The layout is a WACZ (Web Archive Collection Zipped, 1.1.1): a ZIP with datapackage.json (every file's
// sha256 and size), archive/*.warc.gz, indexes/index.cdxj and pages/pages.jsonl, so that web-archive
// players open the captures as they are; provcheck's own part sits under provcheck/ (records.jsonl, log.json,
// checkpoints.json, keys/<key id>.pub). A ZIP rather than a tar because WACZ is the format the web-archiving
// tools already read, and a ZIP's central directory lets a reader take one capture without the rest.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "record/verify.hpp"
#include "store/db.hpp"

namespace provcheck {

struct BundleSummary {
    std::size_t records = 0;
    std::size_t warc_files = 0;
    std::uint64_t bytes = 0;
};

[[nodiscard]] Result<BundleSummary> export_bundle(Database& db, const std::filesystem::path& workspace,
                                                  const std::filesystem::path& out, const Clock& clock);

struct BundleVerification {
    VerifyResult result;
    std::vector<std::string> bundle_key_ids;  // keys the bundle carries
    bool trusted_bundle_keys = false;         // no keyring was given: the bundle's own keys were trusted
};

// Unpacks into a temporary workspace and verifies it as `provcheck verify --all` would, after checking every
// file against datapackage.json. `keys` empty: trust the keys the bundle carries (and say so).
// `earlier_checkpoints`: signed notes saved earlier; the bundle's log must still hold what each signed.
[[nodiscard]] Result<BundleVerification> verify_bundle(const std::filesystem::path& bundle, const TrustedKeys& keys,
                                                       const std::vector<std::string>& earlier_checkpoints = {});

// SubjectPublicKeyInfo PEM of a raw Ed25519 public key.
[[nodiscard]] std::string ed25519_public_pem(std::string_view public_raw);

}  // namespace provcheck
