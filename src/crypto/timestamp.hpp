// Trusted timestamps (RFC 3161) over provcheck's signed checkpoints, through OpenSSL's TS API.
//
// A checkpoint is signed by the checker's own key, so its date is the checker's word. A Time-Stamp Authority
// (TSA) signs, with a key and certificate of its own, that a given SHA-256 digest existed at a time it read
// from its own clock. provcheck asks for a token over each checkpoint's signed note: anyone who trusts the TSA
// then knows that every record the checkpoint covers existed by that time, whoever holds the checker's key.
//
// The request asks for SHA-256, a random 64-bit nonce and the TSA's certificate in the answer (certReq); the
// answer is checked against the request (granted, same digest, same nonce) before its token is kept. The token
// (a CMS SignedData, DER) is what is stored and exported; verify_timestamp() checks it against the TSA's
// certificate chain as `openssl ts -verify -CAfile` does.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"

struct x509_store_st;  // OpenSSL's X509_STORE

namespace provcheck {

struct TimestampRequest {
    std::string der;     // the TimeStampReq to send (Content-Type: application/timestamp-query)
    std::string digest;  // SHA-256 of the data, raw
    std::string nonce;   // the nonce, big-endian bytes
};

struct TimestampToken {
    std::string der;       // the TimeStampToken (CMS ContentInfo), DER
    std::string gen_time;  // the TSA's genTime, RFC 3339 UTC ("2026-12-03T10:15:00Z")
    std::string serial;    // the token's serial number, hexadecimal
};

// A request for a token over `data` (the bytes of a signed note).
[[nodiscard]] Result<TimestampRequest> make_timestamp_request(std::string_view data);

// Reads a TSA's answer (a TimeStampResp, DER) to `request`: the status must be granted and the token must be
// over the request's digest and carry its nonce. Errors (ErrorCode::crypto) say which of these failed, with
// the TSA's own status text when it refused. The token's signature is not checked here (no trust anchor is
// needed to store it); verify_timestamp() does that.
[[nodiscard]] Result<TimestampToken> read_timestamp_response(std::string_view response,
                                                             const TimestampRequest& request);

// The certificates a TSA's tokens are checked against (PEM, one or more: its CA, or its chain), read once.
class TsaCertificates {
public:
    // Errors (ErrorCode::usage) when the file cannot be read or holds no certificate.
    [[nodiscard]] static Result<TsaCertificates> load(const std::filesystem::path& pem);
    TsaCertificates(TsaCertificates&&) noexcept;
    TsaCertificates& operator=(TsaCertificates&&) noexcept;
    ~TsaCertificates();
    [[nodiscard]] x509_store_st* store() const noexcept { return store_; }

private:
    explicit TsaCertificates(x509_store_st* store) : store_(store) {}
    x509_store_st* store_ = nullptr;
};

// Checks `token` (DER) as a timestamp over `data`: the TSA's signature, its certificate chain up to one of
// `trusted`, the certificate's timeStamping purpose, and the digest. The chain is checked at the token's own
// time, as a timestamp must outlive its TSA's certificate: a token made while the certificate was valid stays
// valid. Returns the token's facts. Errors (ErrorCode::crypto) name what did not hold, with OpenSSL's reason.
// Not for use from two threads with the same `trusted` at once.
[[nodiscard]] Result<TimestampToken> verify_timestamp(std::string_view token, std::string_view data,
                                                      const TsaCertificates& trusted);

// The token's facts without checking anything (for listing what a workspace or bundle holds).
[[nodiscard]] Result<TimestampToken> read_timestamp_token(std::string_view token);

}  // namespace provcheck
