// One HTTP exchange as made (or a local file read), the unit that the workspace archive stores and that
// --replay serves back. The capture stage produces them; the store stage writes and reads them as WARC.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/spool.hpp"
#include "core/types.hpp"

namespace provcheck {

struct Exchange {
    std::string url;              // the request URL (file: URI for a local file)
    bool is_resource = false;     // a local file: no request, no HTTP framing (stored as a WARC resource record)
    std::string request_head;     // request line and headers exactly as sent, CRLF-terminated, "" for a resource
    int status = 0;               // HTTP status, 200 for a resource
    std::string status_line;      // "HTTP/1.1 301 Moved Permanently" as received ("" for a resource)
    std::vector<Header> headers;  // response headers as received, in order
    std::string content_type;     // for a resource: the media type to record; else from the headers
    std::string body;             // the payload after transfer- and content-decoding
    // A large payload as it arrived, on disk instead of in `body` (which is then empty); see core/spool.hpp.
    std::shared_ptr<const SpoolFile> spooled;
    std::string remote_ip;
    std::string fetched_at;                // RFC 3339 UTC
    std::optional<std::string> truncated;  // "length" | "time" | "disconnect" (WARC-Truncated)
    // Another thread works on this payload meanwhile (a local file's text read while it is archived): a sink
    // compresses it on the calling thread only, leaving the other core to that work.
    bool shares_cores = false;
};

// The payload's length, wherever it is kept.
[[nodiscard]] std::uint64_t body_size(const Exchange& ex) noexcept;
// Moves a spooled payload into `body` (a no-op when it is there already).
[[nodiscard]] Result<void> load_spooled_body(Exchange& ex);
// SHA-256 (hex) of the payload, wherever it is kept.
[[nodiscard]] Result<std::string> payload_sha256_hex(const Exchange& ex);

// A response kept in the workspace by an earlier run, with what revalidating it needs.
struct CachedResponse {
    std::string url;             // the request URL it answered, after normalize_url()
    std::string etag;            // the ETag as sent, "" when none
    std::string last_modified;   // the Last-Modified as sent, "" when none
    StoredRecordRef stored;      // the response record that holds its bytes
    std::string block_sha256;    // hex, of that record's block
    std::string payload_sha256;  // hex, of its payload
    std::string fetched_at;      // RFC 3339 UTC, when the stored response arrived
    std::string validated_at;    // RFC 3339 UTC, when the origin last confirmed it (fetched_at until then)
    // The revisit record of the 304 that last confirmed it; its WARC-Date is validated_at. None until then.
    std::optional<StoredRecordRef> confirmed_by;
};

// Responses from earlier runs (the workspace's HTTP cache). Used from one thread.
class ResponseCache {
public:
    virtual ~ResponseCache() = default;
    // The entry for `url` (compared after normalize_url()), if any.
    [[nodiscard]] virtual std::optional<CachedResponse> lookup(std::string_view url) = 0;
    // The stored exchange an entry names, as received (headers as sent, body decoded).
    [[nodiscard]] virtual Result<Exchange> load(const CachedResponse& entry) = 0;
    // Adds or replaces the entry for entry.url. It may be held back until flush(): an entry must not be
    // kept before the archive records it names are durable.
    [[nodiscard]] virtual Result<void> remember(const CachedResponse& entry) = 0;
    // Keeps every entry remembered so far; called after the archive was synced.
    [[nodiscard]] virtual Result<void> flush() { return {}; }
    // How many remembered entries flush() has still to keep.
    [[nodiscard]] virtual std::size_t unflushed() const noexcept { return 0; }
};

// Where captures are written (the workspace WARC). Implementations must be safe to call from one thread.
class ExchangeSink {
public:
    virtual ~ExchangeSink() = default;
    // Stores the exchange; returns where it went. Also reports the digests computed on the stored bytes.
    struct Stored {
        StoredRecordRef ref;
        std::string block_sha256;    // hex, of the WARC block (HTTP head + body as stored)
        std::string payload_sha256;  // hex, of the payload (body)
    };
    [[nodiscard]] virtual Result<Stored> store(const Exchange& exchange) = 0;
    // Stores a 304 answer to a conditional request as a revisit of `original` (the WARC profile
    // server-not-modified); `not_modified` carries the 304's head. The Stored ref names the revisit record,
    // its payload digest is the original's. A sink that keeps no revisits says so with an Error.
    [[nodiscard]] virtual Result<Stored> store_revisit(const Exchange& not_modified, const CachedResponse& original);
    // Makes everything stored so far durable. Called before anything that refers to the stored records is
    // committed elsewhere (the workspace database), and never needed for correctness after a mere crash.
    [[nodiscard]] virtual Result<void> sync() { return {}; }
};

// What --replay answers requests from: the latest stored exchange for a URL.
class ReplaySource {
public:
    virtual ~ReplaySource() = default;
    // `url` is compared after normalize_url() (lower-case scheme/host, no fragment). The body is cut at
    // `max_body` bytes, as a live fetch cuts it at --max-filesize (truncated = "length"), and never more than
    // that is read into memory. nullopt when the source holds nothing for the URL; an Error (naming what is
    // wrong) when it holds something for it that cannot be read, so that what exists is never reported missing.
    [[nodiscard]] virtual Result<std::optional<Exchange>> find(std::string_view url, std::uint64_t max_body) const = 0;
};

}  // namespace provcheck
