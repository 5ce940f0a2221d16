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
[[nodiscard]] Result<VerifyResult> verify_workspace(Database& db, const std::filesystem::path& workspace,
                                                    const TrustedKeys& keys, const std::vector<std::string>& claim_ids);

}  // namespace provcheck
