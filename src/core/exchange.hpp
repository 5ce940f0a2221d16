// One HTTP exchange as made (or a local file read), the unit that the workspace archive stores and that
// --replay serves back. The capture stage produces them; the store stage writes and reads them as WARC.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
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
    std::string remote_ip;
    std::string fetched_at;                // RFC 3339 UTC
    std::optional<std::string> truncated;  // "length" | "time" | "disconnect" (WARC-Truncated)
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
};

// What --replay answers requests from: the latest stored exchange for a URL.
class ReplaySource {
public:
    virtual ~ReplaySource() = default;
    // `url` is compared after normalize_url() (lower-case scheme/host, no fragment).
    [[nodiscard]] virtual std::optional<Exchange> find(std::string_view url) const = 0;
};

}  // namespace provcheck
