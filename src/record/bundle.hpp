// Bundles: one file that holds a workspace's records, the WARC captures they point to, the public keys that
// signed them, the log and its signed checkpoints, so that a machine with nothing else can verify them.
//
// The layout is a WACZ (Web Archive Collection Zipped, 1.1.1): a ZIP with datapackage.json (every file's
// sha256 and size), archive/*.warc.gz, indexes/index.cdxj and pages/pages.jsonl, so that web-archive
// players open the captures as they are; provcheck's own part sits under provcheck/ (records.jsonl, log.json,
// checkpoints.json, keys/<key id>.pub, manifests.jsonl). A ZIP rather than a tar because WACZ is the format the
// web-archiving tools already read, and a ZIP's central directory lets a reader take one capture without the rest.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/archive_key.hpp"
#include "record/timestamps.hpp"
#include "record/verify.hpp"
#include "store/db.hpp"
#include "store/zip.hpp"

namespace provcheck {

struct BundleSummary {
    std::size_t records = 0;
    std::size_t warc_files = 0;
    std::uint64_t bytes = 0;
};

// Only signed bytes leave the workspace: of each archive file a manifest names, the bytes up to the end of its last
// manifest; a file only records of provcheck 0.1 name (written before manifests existed), whole. Files are opened
// as regular files without following links; nothing else in warc/ is looked at.
// Who signs a bundle: the archive key signs datapackage.json's hash in datapackage-digest.json's signedData, as
// web-archive players check a WACZ (crypto/archive_key.hpp), and the signing key endorses that archive key and
// hash in its "provcheck" member (archive_endorsement()), which `verify --bundle` requires of a signed bundle.
struct BundleSigner {
    const SigningKey& key;
    const ArchiveKey& archive;
};

// The bytes the signing key signs to endorse an archive key (DER SubjectPublicKeyInfo) and the package hash it
// signed.
[[nodiscard]] std::string archive_endorsement(std::string_view package_hash, std::string_view archive_spki);

// `signer` null: the bundle carries no archive signature.
[[nodiscard]] Result<BundleSummary> export_bundle(Database& db, const std::filesystem::path& warc_dir,
                                                  const std::filesystem::path& out, const Clock& clock,
                                                  const BundleSigner* signer = nullptr);

struct BundleVerification {
    VerifyResult result;
    // With TSA certificates given: the bundle's trusted timestamps checked (problems are in `timestamps`), and
    // every record's claim id and log index, to say when each existed by.
    std::optional<VouchedTimes> timestamps;
    std::vector<std::pair<std::string, std::uint64_t>> records;
    // The fingerprint of the archive key whose signature over datapackage.json verified and which a trusted
    // signing key endorses (its id in archive_endorsed_by); empty when the bundle carries no archive signature
    // (a bad or unendorsed one is a problem in `result`).
    std::string archive_key;
    std::string archive_endorsed_by;
    std::vector<std::string> bundle_key_ids;  // keys the bundle carries
    bool trusted_bundle_keys = false;         // no keyring was given: the bundle's own keys were trusted
};

// What verify_bundle() reads of a bundle, besides the ZIP limits (store/zip.hpp). Every cap keeps what a hostile
// bundle can make the verifier hold in memory to a few tens of MiB each, and lets honest bundles of a million
// records through.
struct BundleLimits {
    ZipLimits zip;
    // datapackage.json, read into one JSON document: about 200 bytes per file for the 100,000 files a bundle
    // may hold.
    std::uint64_t max_manifest_bytes = std::uint64_t{32} << 20;
    // provcheck/checkpoints.json, read into one document: about 400 bytes per signed checkpoint, one per article
    // checked (80,000 of them).
    std::uint64_t max_checkpoints_bytes = std::uint64_t{32} << 20;
    // Values (objects, arrays, strings, numbers) in one such document: a document of tiny values ("[{},{},…]")
    // costs about 45 bytes of memory per value where its text has 3, while honest ones have one value per 80
    // bytes of text or more (a checkpoint is 4 values, a datapackage.json resource 5).
    std::uint64_t max_json_values = 600'000;
    // provcheck/log.json is read piece by piece; its entries are kept, 64 bytes each (digest and leaf hash).
    std::uint64_t max_log_bytes = std::uint64_t{80} << 20;
    std::uint64_t max_log_entries = 1'000'000;
    // One line of provcheck/records.jsonl (a record with its DSSE envelope: a few KiB; the lines are read one by
    // one, never the whole entry).
    std::uint64_t max_record_bytes = std::uint64_t{4} << 20;
    // A public key (PEM) under provcheck/keys/, and datapackage-digest.json.
    std::uint64_t max_small_bytes = 64 << 10;
};

// Verifies a bundle as `provcheck verify --all` would verify the workspace it was made from, after checking every
// file against datapackage.json. `keys` empty: trust the keys the bundle carries (and say so).
//
// The bundle may have been written by an attacker. The ZIP is read as ZipReader does (store/zip.hpp: limits,
// names, duplicates, links). Nothing the bundle says ever becomes a local path: a capture's WARC file
// ("warc/<name>") is looked up among the bundle's own entries ("archive/<name>") and read in place from the
// bundle when stored, or through an unnamed temporary file (O_TMPFILE, or unlinked at once) when deflated. Nothing
// is unpacked and no named file is created, so a verify killed at any point leaves nothing behind.
// Every member read from the bundle's JSON (datapackage.json, datapackage-digest.json, provcheck/log.json,
// checkpoints.json, records.jsonl) is checked for its type, and a bundle whose JSON is not what provcheck writes
// is a problem naming the entry, the line or item, and the key: never an exception.
//
// Errors: the file cannot be opened or is not a ZIP that ZipReader accepts, an entry is damaged (CRC, sizes), or
// the manifest or provcheck/ files are missing (not a provcheck bundle). Everything else is a problem in the result.
// `earlier_checkpoints`: signed notes saved earlier; the bundle's log must still hold what each of them signed.
// The bundle's archive bytes must all be covered by its signed archive manifests (provcheck/manifests.jsonl).
// `tsa_certs` (null: not checked): the TSA certificates that provcheck/timestamps.jsonl's tokens must verify
// against, each over the signed note of the bundle's checkpoint it names.
[[nodiscard]] Result<BundleVerification> verify_bundle(const std::filesystem::path& bundle, const TrustedKeys& keys,
                                                       const std::vector<std::string>& earlier_checkpoints = {},
                                                       const BundleLimits& limits = {},
                                                       const TsaCertificates* tsa_certs = nullptr);

// The key of a URL in a bundle's CDXJ index, as web-archive players compute it when they look a URL up (SURT,
// as ReplayWeb.page and pywb do): lower case throughout, the host's labels reversed and comma-joined (an IP
// address too) with a leading "www." (or "www2." …) dropped, the port kept unless it is the scheme's default,
// ")", the path, and the query with its arguments sorted by name; no scheme, credentials or fragment.
// "https://www.NYTimes.com:8443/A/b?z=1&a=2#x" → "com,nytimes:8443)/a/b?a=2&z=1". A URL that is not http(s) (a
// local file's "file:///name") is its own key, as players key it.
[[nodiscard]] std::string cdxj_key(std::string_view url);

// SubjectPublicKeyInfo PEM of a raw Ed25519 public key.
[[nodiscard]] std::string ed25519_public_pem(std::string_view public_raw);

}  // namespace provcheck
