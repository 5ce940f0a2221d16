// A set of WARC files seen as one archive that answers "what did this URL serve?" (the --replay source).
//
// Input: WARC files, or directories whose *.warc and *.warc.gz files are taken in name order.
// Output: for a URL (compared after normalize_url(): scheme and host case, fragment ignored) the Exchange of
// the latest response or resource record by WARC-Date (ties: the later one read). A revisit record stands
// for the record it refers to (WARC-Refers-To, else WARC-Refers-To-Target-URI and -Date, else the same URL's
// latest earlier response): its own HTTP head, if it has one, with the referenced payload.
// Only the index (URL, file, offset) is held in memory; each find() re-reads its record from disk, so the
// files must stay in place while the archive is used, decoding the payload as it streams and keeping at most
// the bound it is given (read_payload_at). A record that cannot be read or decoded at find() time is passed
// over for the next older one; when none can be read, find() says why instead of saying nothing is there.
// What it never does: write to the files, or reach the network.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "core/exchange.hpp"

namespace provcheck {

struct ArchiveEntry {
    std::string url;         // normalize_url() of the target URI (the target URI itself if it does not parse)
    std::string target_uri;  // as recorded, without <…>
    std::filesystem::path file;
    std::uint64_t offset = 0;  // as WarcRecord::offset and inner_offset: read_record_at(file, offset, inner_offset)
    std::uint64_t inner_offset = 0;
    std::string type;  // "response", "resource" or "revisit"
    std::string date;  // WARC-Date as recorded
};

enum class OnDamage {
    fail,           // a damaged file makes load() fail
    keep_readable,  // its records before the damage are indexed and the Error is kept in problems()
};

class WarcArchive final : public ReplaySource {
public:
    [[nodiscard]] static Result<WarcArchive> load(const std::vector<std::filesystem::path>& paths,
                                                  OnDamage on_damage = OnDamage::fail);

    // The Exchange to replay for `url`: status, status line, headers as received (the writer's framing
    // changes undone), body decoded and cut at `max_body` (then truncated "length"), request head when the
    // request record is present, remote_ip, fetched_at (WARC-Date), truncated (WARC-Truncated). A resource
    // record gives is_resource with its Content-Type.
    [[nodiscard]] Result<std::optional<Exchange>> find(std::string_view url, std::uint64_t max_body) const override;

    [[nodiscard]] std::size_t size() const noexcept;          // how many distinct URLs find() can answer
    [[nodiscard]] std::vector<ArchiveEntry> entries() const;  // every indexed record, by URL then date
    [[nodiscard]] const std::vector<std::filesystem::path>& files() const noexcept { return files_; }
    [[nodiscard]] const std::vector<Error>& problems() const noexcept { return problems_; }

private:
    struct Location {
        std::uint32_t file = 0;
        std::uint64_t offset = 0;
        std::uint64_t inner_offset = 0;
    };
    struct Indexed {
        Location at;
        std::string type;
        std::string target_uri;
        std::string date;
        std::int64_t time = 0;    // WARC-Date in seconds since the epoch (0 when it does not parse)
        std::uint64_t order = 0;  // position in reading order, to break ties
        std::string record_id;
        std::vector<std::string> concurrent_to;
        std::string refers_to;
        std::string refers_to_uri;
        std::string refers_to_date;
    };

    [[nodiscard]] Result<Exchange> build(const Indexed& entry, std::uint64_t max_body) const;
    [[nodiscard]] Result<Exchange> from_record(const Indexed& entry, const Indexed* revisit,
                                               std::uint64_t max_body) const;
    [[nodiscard]] const Indexed* resolve_revisit(const Indexed& revisit) const;
    [[nodiscard]] std::string request_head_for(const Indexed& response) const;

    std::vector<std::filesystem::path> files_;
    std::unordered_map<std::string, std::vector<Indexed>> by_url_;                // oldest first
    std::unordered_map<std::string, std::pair<std::string, std::size_t>> by_id_;  // id -> (url key, index)
    std::unordered_map<std::string, Location> requests_;  // request id and the ids it is concurrent to
    std::vector<Error> problems_;
};

// Writes the records of `in` (every file whole, all gzip or all plain) one after another into `out`,
// atomically (a temporary file renamed into place). gzip members concatenate into a valid WARC file.
[[nodiscard]] Result<void> concatenate(const std::vector<std::filesystem::path>& in, const std::filesystem::path& out);

// The response (or resource) record `ref` names, under the workspace directory, as an Exchange the way find()
// gives it (no request head). An Error when the record is missing, damaged, another record, not a response,
// or (when `payload_sha256` is given, hex) holds a payload with another digest.
[[nodiscard]] Result<Exchange> load_stored_exchange(const std::filesystem::path& warc_dir, const StoredRecordRef& ref,
                                                    std::string_view payload_sha256 = {});

}  // namespace provcheck
