// Log checkpoints as C2SP signed notes (c2sp.org/signed-note, c2sp.org/tlog-checkpoint), Ed25519 signatures.
//
// A note is the checkpoint body, a blank line, and signature lines:
//     <origin>\n<tree size, decimal>\n<base64 root hash>\n
//     \n
//     — <key name> <base64(key hash (4 bytes) || Ed25519 signature (64 bytes))>\n
// The signature covers the body bytes, final newline included. The key hash is the first 4 bytes of
// SHA-256(key name || "\n" || 0x01 || raw public key); it lets a verifier skip other keys' lines cheaply.
//
// Preconditions of sign_checkpoint (violating them yields a note that verify_checkpoint rejects, never a
// crash): origin is non-empty and has no newline; key_name is non-empty with no space, newline or '+'.
// verify_checkpoint accepts notes carrying signatures by other keys and checkpoint extension lines after the
// root hash (both are in the formats); only the named key's signature is checked.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "crypto/ed25519.hpp"

namespace provcheck {

struct Checkpoint {
    std::string origin;  // identifies the log, e.g. "provcheck.example/log"
    std::uint64_t size = 0;
    Sha256 root{};
};

[[nodiscard]] std::string sign_checkpoint(const Checkpoint& checkpoint, const SigningKey& key,
                                          std::string_view key_name);

// Errors: parse for a malformed note or body; crypto when no line is signed by (key_name, public_raw) or
// when that signature does not verify. The message says which.
[[nodiscard]] Result<Checkpoint> verify_checkpoint(std::string_view note, std::string_view key_name,
                                                   std::string_view public_raw);
// The same, with a key parsed once: `verify` checks every checkpoint the log ever signed.
[[nodiscard]] Result<Checkpoint> verify_checkpoint(std::string_view note, std::string_view key_name,
                                                   const VerifyingKey& key);

}  // namespace provcheck
