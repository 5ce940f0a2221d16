#include "record/timestamps.hpp"

#include <fmt/format.h>

#include "crypto/timestamp.hpp"

namespace provcheck {

Result<StoredTimestamp> timestamp_checkpoint(Database& db, const StoredCheckpoint& checkpoint, std::string_view tsa_url,
                                             const TsaExchange& exchange, const Clock& clock) {
    auto request = make_timestamp_request(checkpoint.note);
    if (!request) return std::unexpected(request.error());
    const std::string requested_at = format_rfc3339(clock.now());
    auto answer = exchange(request->der);
    if (!answer) return std::unexpected(answer.error());
    auto token = read_timestamp_response(*answer, *request);
    if (!token) {
        return fail(token.error().code, fmt::format("{}: {}", tsa_url, token.error().message));
    }
    StoredTimestamp stored{checkpoint.size, std::string(tsa_url), std::move(token->der), token->gen_time, requested_at};
    if (auto r = db.save_timestamp(stored); !r) return std::unexpected(r.error());
    return stored;
}

std::optional<std::string> VouchedTimes::existed_by(std::uint64_t log_index) const {
    std::optional<std::string> earliest;
    for (auto it = by_checkpoint.upper_bound(log_index); it != by_checkpoint.end(); ++it) {
        if (!earliest || it->second < *earliest) earliest = it->second;
    }
    return earliest;
}

void check_timestamp(const StoredTimestamp& t, const std::map<std::uint64_t, std::string>& notes,
                     const TsaCertificates& tsa_certs, VouchedTimes& into) {
    ++into.tokens;
    auto problem = [&](std::string message) {
        into.problems.push_back({"", 0, "timestamp",
                                 fmt::format("the token over the checkpoint of {} entries ({}): {}", t.checkpoint_size,
                                             t.tsa_url, message)});
    };
    auto note = notes.find(t.checkpoint_size);
    if (note == notes.end()) {
        problem("its checkpoint is missing");
        return;
    }
    auto verified = verify_timestamp(t.token, note->second, tsa_certs);
    if (!verified) {
        problem(verified.error().message);
        return;
    }
    if (verified->gen_time != t.gen_time) {
        problem(fmt::format("the token says {}, the record of it {}", verified->gen_time, t.gen_time));
        return;
    }
    into.by_checkpoint[t.checkpoint_size] = verified->gen_time;
}

Result<VouchedTimes> verify_timestamps(Database& db, const TsaCertificates& tsa_certs) {
    auto stamps = db.timestamps();
    if (!stamps) return std::unexpected(stamps.error());
    auto checkpoints = db.checkpoints();
    if (!checkpoints) return std::unexpected(checkpoints.error());
    std::map<std::uint64_t, std::string> notes;
    for (auto& c : *checkpoints)
        notes[c.size] = std::move(c.note);
    VouchedTimes out;
    for (const auto& t : *stamps)
        check_timestamp(t, notes, tsa_certs, out);
    return out;
}

}  // namespace provcheck
