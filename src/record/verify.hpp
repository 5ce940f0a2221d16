// `provcheck verify`: re-checks stored records against trusted keys, the captures in the workspace WARC files
// and the Merkle log's latest signed checkpoint. Reads only; never repairs. Each failure names the claim and
// the part that no longer verifies: envelope, key, capture, quote, log.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
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
    std::string part;  // "envelope", "key", "capture", "quote", "log", "record"
    std::string message;
};

struct VerifyResult {
    std::size_t records_checked = 0;
    std::size_t captures_checked = 0;
    std::uint64_t checkpoint_size = 0;
    std::vector<VerifyProblem> problems;
};

struct TrustedKeys {
    std::map<std::string, std::string> by_id;  // key id (hex) → raw public key
};

// `claim_ids` empty: every record. Otherwise the records of those claims (an id prefix is accepted).
// Captures are read from the workspace's warc/ directory only: a record whose capture reference names any
// other file (an absolute path, a "../", a subdirectory), or a file there that is not a regular file, fails
// its capture check without that file being opened.
[[nodiscard]] Result<VerifyResult> verify_workspace(Database& db, const std::filesystem::path& workspace,
                                                    const TrustedKeys& keys, const std::vector<std::string>& claim_ids);

// Where the WARC records that captures point to are read from. `file` is the capture reference's file name as
// the signed statement gives it ("warc/<name>"): a name to look up among the files the archive holds, which
// must never be opened as a path as it stands.
class CaptureArchive {
public:
    virtual ~CaptureArchive() = default;
    [[nodiscard]] virtual Result<WarcRecord> record_at(std::string_view file, std::uint64_t offset) = 0;
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
    void check(const StoredRecord& record);
    // `whole_log`: every record was checked, so a log entry that none of them sits at is reported (a record
    // was deleted), before the problems of the records themselves.
    [[nodiscard]] VerifyResult finish(bool whole_log);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace provcheck
