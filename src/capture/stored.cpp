#include "capture/stored.hpp"

#include "capture/charset.hpp"
#include "capture/html_redirect.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"

namespace provcheck {

namespace {

bool is_text(std::string_view media_type, std::string_view body) {
    return media_type.starts_with("text/") || media_type.find("html") != std::string_view::npos ||
           media_type.find("xml") != std::string_view::npos || is_html(media_type, body);
}

}  // namespace

bool may_hold_text(std::string_view media_type) noexcept {
    return media_type.empty() || media_type.find("html") != std::string_view::npos ||
           media_type.find("xml") != std::string_view::npos || media_type.find("json") != std::string_view::npos ||
           media_type.find("text") != std::string_view::npos || media_type.find("pdf") != std::string_view::npos ||
           media_type.find("link-format") != std::string_view::npos;
}

std::string media_type_of(std::string_view content_type) {
    return to_lower_ascii(trim(content_type.substr(0, content_type.find(';'))));
}

void decode_capture_body(Capture& c, std::string_view content_type) {
    if (c.body.empty() || !is_text(c.content_type, c.body)) return;
    DecodedText decoded = decode_text(c.body, content_type, is_html(c.content_type, c.body));
    c.body = std::move(decoded.text);
    c.charset = std::move(decoded.charset);
}

Capture capture_from_stored(const Exchange& ex, const StoredRecordRef& stored, std::string_view block_sha256) {
    Capture c;
    c.requested_url = ex.url;
    c.final_url = ex.url;
    c.chain.push_back(Hop{ex.url, ex.status, HopVia::start});
    c.status = ex.status;
    c.headers = ex.headers;
    c.content_type = media_type_of(ex.content_type);
    c.fetched_at = ex.fetched_at;
    c.remote_ip = ex.remote_ip;
    c.body = ex.body;
    c.payload_sha256 = sha256_hex(c.body);
    c.block_sha256 = std::string(block_sha256);
    c.truncated = ex.truncated;
    c.stored = stored;
    decode_capture_body(c, ex.content_type);
    return c;
}

}  // namespace provcheck
