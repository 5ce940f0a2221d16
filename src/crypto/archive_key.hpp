// The key that signs a bundle as a whole, the way web-archive players check a WACZ (Webrecorder's "WACZ
// Signing and Verification", anonymous signature): ECDSA on P-384 with SHA-256 over the text of the
// datapackage.json hash ("sha256:…"), the signature as r‖s (48 bytes each, as WebCrypto wants it), the public
// key as a base64 SubjectPublicKeyInfo. ReplayWeb.page imports that key as P-384 and verifies with WebCrypto,
// so the curve and the encodings are fixed by what it does, not chosen here.
//
// provcheck's records are signed with Ed25519, which players do not check. The archive key is derived from the
// Ed25519 signing key (SigningKey::derive_secret), so one secret stays the only one to keep, and the same signing
// key always gives the same archive key: its public half (`provcheck key show`) can be published and pinned.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "crypto/ed25519.hpp"

namespace provcheck {

class ArchiveKey {
public:
    // The archive key belonging to `key`.
    [[nodiscard]] static Result<ArchiveKey> derive(const SigningKey& key);

    [[nodiscard]] const std::string& public_spki() const noexcept { return spki_; }  // DER
    [[nodiscard]] std::string fingerprint() const;  // "sha256:" and the hex SHA-256 of public_spki()
    // ECDSA P-384 / SHA-256 over `message`, as r‖s (96 bytes).
    [[nodiscard]] Result<std::string> sign(std::string_view message) const;

    ArchiveKey(ArchiveKey&&) noexcept = default;
    ArchiveKey& operator=(ArchiveKey&&) noexcept = default;
    ~ArchiveKey() = default;

private:
    struct Free {
        void operator()(evp_pkey_st* p) const noexcept;
    };
    ArchiveKey(std::unique_ptr<evp_pkey_st, Free> pkey, std::string spki)
        : pkey_(std::move(pkey)), spki_(std::move(spki)) {}
    std::unique_ptr<evp_pkey_st, Free> pkey_;
    std::string spki_;
};

// Checks an archive signature: `public_spki` (DER) must be an ECDSA P-384 key and `signature` (r‖s) its
// signature of `message` with SHA-256. Errors (ErrorCode::crypto) say which part does not hold.
[[nodiscard]] Result<void> verify_archive_signature(std::string_view public_spki, std::string_view message,
                                                    std::string_view signature);

}  // namespace provcheck
