#include "warc/warc_reader.hpp"

#include <cstring>
#include <expected>
#include <initializer_list>
#include <string>
#include <utility>

#include "core/hash.hpp"
#include "core/text.hpp"
#include "warc/http_message.hpp"

namespace provcheck {

// ---------------------------------------------------------------------------------------------
// Digests

namespace {
using detail::codings;
using detail::dechunk;
using detail::parse_head;

constexpr char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

enum class Parsed { not_sha256, malformed };

// The 32 digest bytes of "sha256:<hex|base32>".
std::expected<std::string, Parsed> parse_sha256_digest(std::string_view value) {
    value = trim(value);
    auto colon = value.find(':');
    if (colon == std::string_view::npos) return std::unexpected(Parsed::malformed);
    std::string alg = to_lower_ascii(value.substr(0, colon));
    if (alg != "sha256" && alg != "sha-256") return std::unexpected(Parsed::not_sha256);
    std::string_view text = value.substr(colon + 1);
    std::optional<std::string> bytes;
    if (text.size() == 64) bytes = from_hex(text);
    if (!bytes) bytes = base32_decode(text);
    if (!bytes || bytes->size() != 32) return std::unexpected(Parsed::malformed);
    return *bytes;
}

DigestStatus check(std::string_view declared, std::initializer_list<std::string_view> candidates) {
    if (declared.empty()) return DigestStatus::absent;
    auto want = parse_sha256_digest(declared);
    if (!want) return want.error() == Parsed::not_sha256 ? DigestStatus::not_checkable : DigestStatus::malformed;
    for (auto bytes : candidates) {
        if (as_bytes(sha256(bytes)) == *want) return DigestStatus::match;
    }
    return DigestStatus::mismatch;
}
}  // namespace

DigestCheck verify_digests(const WarcRecord& record) {
    DigestCheck out;
    std::string_view block_digest = record.block_digest();
    std::string_view payload_digest = record.payload_digest();
    if (record.block.size() != record.block_length) {
        // Read without its block: nothing to recompute.
        out.block = block_digest.empty() ? DigestStatus::absent : DigestStatus::not_checkable;
        out.payload = payload_digest.empty() ? DigestStatus::absent : DigestStatus::not_checkable;
        return out;
    }
    out.block = check(block_digest, {record.block});
    if (payload_digest.empty()) return out;
    std::string type = to_lower_ascii(record.type());
    if (type == "revisit") {
        out.payload = DigestStatus::not_checkable;  // the payload is in the record it refers to
        return out;
    }
    bool http = istarts_with(trim(record.content_type()), "application/http");
    if (!http || (type != "response" && type != "request")) {
        out.payload = check(payload_digest, {record.block});
        return out;
    }
    auto head = parse_head(record.block);
    if (!head) {
        out.payload = DigestStatus::not_checkable;
        return out;
    }
    std::string_view raw = std::string_view(record.block).substr(head->length);
    std::string dechunked;
    for (const auto& c : codings(head->headers, "Transfer-Encoding")) {
        if (iequals(c, "chunked")) {
            if (auto d = dechunk(raw, record.block_length)) dechunked = std::move(*d);
        }
    }
    out.payload = dechunked.empty() ? check(payload_digest, {raw}) : check(payload_digest, {raw, dechunked});
    return out;
}

std::string_view to_string(DigestStatus s) noexcept {
    switch (s) {
        case DigestStatus::absent:
            return "absent";
        case DigestStatus::match:
            return "match";
        case DigestStatus::mismatch:
            return "mismatch";
        case DigestStatus::not_checkable:
            return "not_checkable";
        case DigestStatus::malformed:
            return "malformed";
    }
    return "unknown";
}

std::optional<std::string> base32_decode(std::string_view text) {
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        char u = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
        const char* at = std::strchr(base32_alphabet, u);
        if (u == '\0' || at == nullptr) return std::nullopt;
        acc = (acc << 5) | static_cast<std::uint32_t>(at - base32_alphabet);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xff));
        }
        acc &= (1U << bits) - 1;
    }
    if (bits >= 5) return std::nullopt;  // a dangling character cannot encode a byte
    return out;
}

std::string base32_encode(std::string_view bytes) {
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char b : bytes) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out += base32_alphabet[(acc >> bits) & 31];
        }
        acc &= (1U << bits) - 1;
    }
    if (bits > 0) out += base32_alphabet[(acc << (5 - bits)) & 31];
    while (out.size() % 8 != 0)
        out += '=';
    return out;
}

}  // namespace provcheck
