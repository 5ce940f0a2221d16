// DSSE v1 envelopes (github.com/secure-systems-lab/dsse, "protocol.md" and "envelope.md"), Ed25519 only.
//
// A signature covers PAE(payloadType, payload), never the JSON text, so an envelope can be re-serialised
// without invalidating it. envelope_json() still produces one fixed byte form, because the record log hashes
// those bytes: keys in the order payload, payloadType, signatures (and keyid, sig inside each signature),
// standard base64 with padding, no whitespace, no trailing newline, non-ASCII UTF-8 left as is.
//
// payload_type and keyid are JSON strings and must be valid UTF-8; an invalid sequence is written as U+FFFD,
// so such an envelope no longer verifies after a round trip (it never crashes). The payload is arbitrary bytes.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "crypto/ed25519.hpp"

namespace provcheck {

// "DSSEv1" SP len(type) SP type SP len(payload) SP payload, lengths as ASCII decimal byte counts.
[[nodiscard]] std::string pae(std::string_view payload_type, std::string_view payload);

struct Signature {
    std::string keyid;  // hex SHA-256 of the raw public key for envelopes made here; "" when absent
    std::string sig;    // raw bytes (64 for Ed25519)
};

struct Envelope {
    std::string payload_type;
    std::string payload;  // raw bytes
    std::vector<Signature> signatures;
};

// One signature by `key`, with key.key_id() as keyid.
[[nodiscard]] Envelope sign_envelope(std::string_view payload_type, std::string payload, const SigningKey& key);

[[nodiscard]] std::string envelope_json(const Envelope& envelope);

// Accepts standard or URL-safe base64, with or without padding, as the DSSE spec asks of readers. Unknown
// members are ignored. Errors (code parse) for: not JSON, a missing or mistyped member, bad base64, no signature.
[[nodiscard]] Result<Envelope> parse_envelope(std::string_view json);

// The fast path of parse_envelope(): reads only the exact byte form envelope_json() writes when the payload
// type and key ids are printable ASCII without a quote or backslash (every envelope made here), with no JSON library.
// nullopt for any other text, valid or not. Whatever it accepts, parse_envelope()'s general reader reads to
// the same Envelope.
[[nodiscard]] std::optional<Envelope> parse_canonical_envelope(std::string_view json);

enum class EnvelopeCheck {
    ok,             // at least one signature by a known key, and every signature by a known key verifies
    bad_signature,  // a signature by a known key does not verify (the envelope was changed)
    unknown_key,    // no signature is by a key that the lookup knows
    malformed,      // no signatures at all
};

// `public_raw_for_keyid` maps a keyid to a raw 32-byte public key, or nullopt if the key is not trusted.
// Strict on purpose: one failing signature by a trusted key fails the envelope even if another verifies,
// because in a tamper-evident record a broken signature is evidence, not noise.
[[nodiscard]] EnvelopeCheck verify_envelope(
    const Envelope& envelope,
    const std::function<std::optional<std::string>(std::string_view keyid)>& public_raw_for_keyid);

// Trusted keys by key id (hex), each parsed once: what a verifier of many envelopes holds for the whole run.
using VerifyingKeys = std::map<std::string, VerifyingKey, std::less<>>;

// The same check, against keys parsed in advance: a keyid is trusted when `trusted` holds it.
[[nodiscard]] EnvelopeCheck verify_envelope(const Envelope& envelope, const VerifyingKeys& trusted);

[[nodiscard]] std::string_view to_string(EnvelopeCheck check) noexcept;

}  // namespace provcheck
