// `provcheck verify`: re-checks stored records against trusted keys, the captures in the workspace WARC files
// and the Merkle log's latest signed checkpoint. Reads only; never repairs. Each failure names the claim and
// the part that no longer verifies: envelope, key, capture, quote, log.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/db.hpp"

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
[[nodiscard]] Result<VerifyResult> verify_workspace(Database& db, const std::filesystem::path& workspace,
                                                    const TrustedKeys& keys, const VerifyOptions& options = {});

}  // namespace provcheck
