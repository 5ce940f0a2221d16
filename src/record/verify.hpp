// `provcheck verify`: re-checks stored records against trusted keys, the captures in the workspace WARC files
// and the Merkle log's latest signed checkpoint. Reads only; never repairs. Each failure names the claim and
// the part that no longer verifies: envelope, key, capture, quote, log.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "store/db.hpp"
#include "warc/warc_reader.hpp"

namespace provcheck {

struct VerifyProblem {
    std::string claim_id;  // empty for a problem of the log as a whole
    std::uint64_t log_index = 0;
    std::string part;  // "envelope", "key", "capture", "quote", "log", "record", "archive"
    std::string message;
};

struct VerifyResult {
    std::size_t records_checked = 0;
    std::size_t captures_checked = 0;
    std::size_t manifests_checked = 0;
    std::uint64_t archive_bytes_checked = 0;  // archive bytes re-hashed against signed manifests
    std::uint64_t checkpoint_size = 0;
    std::vector<VerifyProblem> problems;
    // What is not a failure but not evidence either: archive bytes no manifest covers (an interrupted run's
    // tail, a workspace written before manifests existed).
    std::vector<std::string> notes;
};

struct VerifyOptions {
    // Empty: every record. Otherwise the records of those claims (an id prefix is accepted).
    std::vector<std::string> claim_ids;
    // Checkpoints saved or published earlier (signed notes): the log must still hold what each of them signed.
    // A log with fewer entries, or other ones, was rolled back or rewritten.
    std::vector<std::string> earlier_checkpoints;
    // Every byte of every archive file that manifests name must be covered (a bundle, which export writes
    // only covered bytes into). Off for a workspace, whose last file may end with an interrupted run's tail.
    bool require_full_coverage = false;
};

struct TrustedKeys {
    std::map<std::string, std::string> by_id;  // key id (hex) → raw public key
};

// Checks every record and archive manifest against `keys`, the log against its checkpoints (and the earlier
// ones given), every database column that repeats a signed value, and every capture and archive byte against
// its signed digest. An Error is the tool's own failure (the database cannot be read), never a finding.
// Captures are read from the workspace's warc/ directory only: a record whose capture reference names any
// other file (an absolute path, a "../", a subdirectory), or a file there that is not a regular file or is a
// link, fails its capture check without that file being opened.
[[nodiscard]] Result<VerifyResult> verify_workspace(Database& db, const std::filesystem::path& warc_dir,
                                                    const TrustedKeys& keys, const VerifyOptions& options = {});

// Where the WARC records that captures point to are read from. `file` is the capture reference's file name as
// the signed statement gives it ("warc/<name>"): a name to look up among the files the archive holds, which
// must never be opened as a path as it stands.
class CaptureArchive {
public:
    virtual ~CaptureArchive() = default;
    [[nodiscard]] virtual Result<WarcRecord> record_at(std::string_view file, std::uint64_t offset) = 0;
    // SHA-256 (hex) of bytes [offset, offset + length) of `file` as stored.
    [[nodiscard]] virtual Result<std::string> hash_range(std::string_view file, std::uint64_t offset,
                                                         std::uint64_t length) = 0;
    // Every archive file it holds, as "warc/<name>", with its size.
    [[nodiscard]] virtual std::vector<std::pair<std::string, std::uint64_t>> files() = 0;
};

// The checks of verify_workspace() over records handed in one at a time, for stores that are not a workspace
// database (a bundle): the log's entries and checkpoints are given first, then each record is checked as it
// comes, and nothing of it is kept but the problems found and which log entries were claimed.
class RecordVerifier {
public:
    // Checks the checkpoints against `keys` and the log at once.
    RecordVerifier(const TrustedKeys& keys, std::vector<Sha256> log, const std::vector<StoredCheckpoint>& checkpoints,
                   CaptureArchive& captures);
    RecordVerifier(const RecordVerifier&) = delete;
    RecordVerifier& operator=(const RecordVerifier&) = delete;
    ~RecordVerifier();

    [[nodiscard]] std::uint64_t log_size() const noexcept;
    // How messages name what holds the unsigned copies of signed values ("the database", the default).
    void set_holder(std::string holder);
    // A checkpoint saved or published earlier: the log must still begin with what it signed.
    void check_earlier(std::string_view note);
    void check(const StoredRecord& record);
    // The same for many records, their signatures verified on the machine's cores.
    void check(std::span<const StoredRecord> records);
    // An archive manifest: its envelope, log entry and columns like a record's, and every span it signs
    // re-hashed from the archive.
    void check_manifest(const StoredManifest& manifest);
    // `whole_log`: every record and manifest was checked, so a log entry that none of them sits at is reported (a
    // record was deleted), before the problems of the records themselves, and the archive's coverage is checked:
    // each file's manifests run from byte 0 without gap. `require_full_coverage` (a bundle): a byte past the last
    // manifest, or a file no manifest names, is a problem; otherwise (a workspace) it is a note.
    [[nodiscard]] VerifyResult finish(bool whole_log, bool require_full_coverage = false);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace provcheck
