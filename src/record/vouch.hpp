// Whether bytes of the workspace archive are evidence.
//
// A workspace is a directory that others can write to (it is committed, shared, copied around), so neither its
// database rows nor its WARC files are trusted as such: an HTTP cache entry or an earlier version of a source
// is used only when the bytes it names lie within a span of an archive manifest (record/manifest.hpp) signed by
// a trusted key, and still hash to that span's digest. A planted row, a planted WARC record or an edited one
// is then a cache miss or no earlier version, never signed evidence.
//
// What it never does: open a path that is not "warc/<name>.warc.gz" inside the workspace, follow a symbolic
// link, read anything but a regular file, or trust a manifest it has not verified itself.
// Lifetimes: the database must outlive the ArchiveVouch. Not thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "core/error.hpp"
#include "core/types.hpp"
#include "crypto/dsse.hpp"
#include "record/manifest.hpp"
#include "store/db.hpp"
#include "warc/warc_reader.hpp"

namespace provcheck {

class ArchiveVouch {
public:
    // `trusted`: key id → raw Ed25519 public key of the keys whose manifests count.
    ArchiveVouch(Database& db, std::filesystem::path warc_dir, const std::map<std::string, std::string>& trusted);

    // OK when the record at `ref` is covered: an Error says why not (no manifest covers it, the manifest's
    // signature does not verify, the bytes changed). Each manifest is verified once, each span hashed once.
    [[nodiscard]] Result<void> check(const StoredRecordRef& ref);

    // The record at `ref`, once check() passed and its WARC-Record-ID is the one `ref` names.
    [[nodiscard]] Result<WarcRecord> read(const StoredRecordRef& ref);

private:
    Result<const ArchiveManifest*> manifest(const StoredManifest& row);

    Database& db_;
    std::filesystem::path warc_dir_;
    VerifyingKeys trusted_;
    std::map<std::uint64_t, std::optional<ArchiveManifest>> manifests_;  // by log index; nullopt: did not verify
    std::map<std::tuple<std::string, std::uint64_t>, bool> spans_;       // (file, span offset) → hashes right
};

// Opens an archive file of the workspace for reading: `relative` must be an archive name (is_archive_name),
// the file a regular file reached without a symbolic link. Returns the open descriptor (the caller closes it).
[[nodiscard]] Result<int> open_archive_file(const std::filesystem::path& warc_dir, std::string_view relative);

// SHA-256 (hex) of [offset, offset + length) of an open file, read a megabyte at a time.
[[nodiscard]] Result<std::string> hash_file_range(int fd, std::uint64_t offset, std::uint64_t length);

}  // namespace provcheck
