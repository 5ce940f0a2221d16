// Ed25519 signing keys and signature checks (RFC 8032, pure Ed25519: the message is signed as is, no pre-hash).
//
// SigningKey owns one private key. It is move-only; a moved-from key may only be destroyed or assigned to.
// Key material never appears in an Error message, a log line or an exception: errors name the file and the
// problem, not the bytes. The only way key material leaves a SigningKey is private_pem(), which exists so that
// save_file() and `provcheck keygen` can write it.
//
// A key file must be a regular file owned by the current user and readable by nobody else (mode 0600 or
// stricter), the rule ssh applies to its identity files: a signing key that others can read proves nothing.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, named here only so that the owning pointer can hold it

namespace provcheck {

class SigningKey {
public:
    // A fresh key from the system's random source.
    [[nodiscard]] static Result<SigningKey> generate();
    // The 32-byte private seed of RFC 8032 (what its test vectors call SECRET KEY).
    [[nodiscard]] static Result<SigningKey> from_seed(std::string_view seed32);
    // A PKCS#8 "PRIVATE KEY" PEM holding an Ed25519 key. Encrypted PEMs are refused (no prompt is ever shown).
    [[nodiscard]] static Result<SigningKey> from_pem(std::string_view pem);
    // Reads and parses a key file after checking its owner and mode (see above).
    // Errors: io (missing, unreadable, not a regular file), config (owner or mode too open),
    // parse (not a private key PEM), crypto (a private key of another type).
    [[nodiscard]] static Result<SigningKey> load_file(const std::filesystem::path& path);

    // Writes private_pem() to `path` with mode 0600, creating missing parent directories with mode 0700.
    // The file appears complete or not at all, created anew: never written through a symbolic link. Without
    // `replace`, anything already at `path` (a file, or a link, dangling or not) is an error; with it, a file or
    // link there is replaced by the new file (the link itself, never what it points to), a directory never.
    [[nodiscard]] Result<void> save_file(const std::filesystem::path& path, bool replace = false) const;

    [[nodiscard]] std::string private_pem() const;                                        // PKCS#8, unencrypted
    [[nodiscard]] const std::string& public_raw() const noexcept { return public_raw_; }  // 32 bytes
    [[nodiscard]] std::string public_pem() const;                                         // SubjectPublicKeyInfo PEM
    [[nodiscard]] const std::string& key_id() const noexcept { return key_id_; }          // hex SHA-256 of public_raw()
    [[nodiscard]] std::string sign(std::string_view message) const;                       // 64 bytes
    // `length` bytes derived from the private key for one purpose named by `label` (HKDF-SHA-384, RFC 5869,
    // with the 32-byte seed as input keying material and `label` as info): a key of another kind that belongs
    // to this one (the bundle's archive key) without a second secret to keep. Different labels give
    // independent bytes; nothing about the seed can be learned from them.
    [[nodiscard]] std::string derive_secret(std::string_view label, std::size_t length) const;

    SigningKey(SigningKey&&) noexcept = default;
    SigningKey& operator=(SigningKey&&) noexcept = default;
    SigningKey(const SigningKey&) = delete;
    SigningKey& operator=(const SigningKey&) = delete;
    ~SigningKey() = default;

    struct PkeyFree {
        void operator()(evp_pkey_st* pkey) const noexcept;
    };
    // Zeroes the signing secret before its memory is given back.
    struct SecretFree {
        void operator()(unsigned char* secret) const noexcept;
    };

private:
    using PkeyPtr = std::unique_ptr<evp_pkey_st, PkeyFree>;
    using SecretPtr = std::unique_ptr<unsigned char[], SecretFree>;
    SigningKey(PkeyPtr pkey, SecretPtr secret, std::string public_raw);

    static Result<SigningKey> adopt(PkeyPtr pkey);

    // OpenSSL's key reads and writes the PEM forms and derives; signatures are made by libsodium from the same
    // seed (its 64-byte secret: the seed, then the public key), which signs Ed25519 in about 60% of the time
    // OpenSSL 3's EVP interface takes on this project's machine. Ed25519 signatures are deterministic: both give
    // the same bytes, and OpenSSL checks them.
    PkeyPtr pkey_;
    SecretPtr secret_;
    std::string public_raw_;
    std::string key_id_;  // computed once: every envelope and record names it
};

// One Ed25519 public key, parsed once, for checking many signatures. OpenSSL 3 builds a key object from raw
// bytes through a provider key-management lookup; a verifier that checks many records keeps one VerifyingKey
// per trusted key for the whole run instead of paying for that lookup with every ed25519_verify() call.
//
// A key of the wrong size, or bytes OpenSSL refuses, give a key that verifies nothing (valid() is false), the
// same answer ed25519_verify() gives for them. verify() is const and may be called from several threads at
// once. Move-only; a moved-from key verifies nothing.
class VerifyingKey {
public:
    explicit VerifyingKey(std::string_view public_raw);

    [[nodiscard]] bool valid() const noexcept { return pkey_ != nullptr; }
    [[nodiscard]] const std::string& public_raw() const noexcept { return public_raw_; }
    // True only for a valid signature of `message` under this key.
    [[nodiscard]] bool verify(std::string_view message, std::string_view signature) const;

    VerifyingKey(VerifyingKey&&) noexcept = default;
    VerifyingKey& operator=(VerifyingKey&&) noexcept = default;
    VerifyingKey(const VerifyingKey&) = delete;
    VerifyingKey& operator=(const VerifyingKey&) = delete;
    ~VerifyingKey() = default;

private:
    std::unique_ptr<evp_pkey_st, SigningKey::PkeyFree> pkey_;
    std::string public_raw_;
};

// SubjectPublicKeyInfo PEM of an Ed25519 key -> its 32 raw bytes.
[[nodiscard]] Result<std::string> public_raw_from_pem(std::string_view pem);

// True only for a valid signature of `message` under `public_raw`. Wrong sizes and malformed keys are simply
// false: a verifier has nothing to do with the reason beyond "not valid". Builds the key for this one call;
// see VerifyingKey for checking many signatures.
[[nodiscard]] bool ed25519_verify(std::string_view public_raw, std::string_view message, std::string_view signature);

// Hex SHA-256 of a raw public key: the key id of DSSE signatures and of records.
[[nodiscard]] std::string key_id_of(std::string_view public_raw);

}  // namespace provcheck
