// Trusted timestamps over the log's signed checkpoints: asking a Time-Stamp Authority for one, and reading back,
// per record, the earliest time a TSA vouches the record existed by (see crypto/timestamp.hpp).
//
// A record at log index i is covered by every checkpoint of more than i entries: the checkpoint's signed note
// commits to the Merkle root of a log that holds it, and a token over the note says the note existed at the
// token's time. The earliest such time is the record's "existed by".
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "crypto/timestamp.hpp"
#include "record/verify.hpp"
#include "store/db.hpp"

namespace provcheck {

// Sends a DER TimeStampReq to the TSA and returns its DER TimeStampResp (the network is the caller's).
using TsaExchange = std::function<Result<std::string>(std::string_view request)>;

// Asks the TSA at `tsa_url` (through `exchange`) for a token over `checkpoint`'s signed note, checks the answer
// against the request, and stores it. Errors: the exchange failed, or the answer is refused or does not match.
[[nodiscard]] Result<StoredTimestamp> timestamp_checkpoint(Database& db, const StoredCheckpoint& checkpoint,
                                                           std::string_view tsa_url, const TsaExchange& exchange,
                                                           const Clock& clock);

struct VouchedTimes {
    std::size_t tokens = 0;                              // tokens stored
    std::map<std::uint64_t, std::string> by_checkpoint;  // checkpoint size → genTime, tokens that verified
    std::vector<VerifyProblem> problems;                 // part "timestamp": a token that does not verify

    // The earliest time a verified token vouches the entry at `log_index` existed by; nullopt when none covers it.
    [[nodiscard]] std::optional<std::string> existed_by(std::uint64_t log_index) const;
};

// Checks one token against the TSA certificates in `tsa_certs`, over the signed note of the checkpoint it names
// (`notes`: checkpoint size → note), adding it to `into` (a verified time, or a problem).
void check_timestamp(const StoredTimestamp& token, const std::map<std::uint64_t, std::string>& notes,
                     const TsaCertificates& tsa_certs, VouchedTimes& into);

// Verifies every stored token against the TSA certificates in `tsa_certs` (PEM), each over the signed note of
// the checkpoint it names. A token whose checkpoint is missing, or that does not verify, is a problem naming
// the checkpoint and why.
[[nodiscard]] Result<VouchedTimes> verify_timestamps(Database& db, const TsaCertificates& tsa_certs);

}  // namespace provcheck
