// The archive key: derived from the signing key (same key, same archive key; another key, another), and its
// signatures in the r‖s form web-archive players check.
#include <catch2/catch.hpp>

#include "crypto/archive_key.hpp"
#include "crypto/ed25519.hpp"

using namespace provcheck;

TEST_CASE("the archive key is derived from the signing key", "[unit]") {
    auto a = SigningKey::from_seed(std::string(32, '\x01')).value();
    auto a2 = SigningKey::from_seed(std::string(32, '\x01')).value();
    auto b = SigningKey::from_seed(std::string(32, '\x02')).value();
    auto ka = ArchiveKey::derive(a).value();
    auto ka2 = ArchiveKey::derive(a2).value();
    auto kb = ArchiveKey::derive(b).value();
    CHECK(ka.public_spki() == ka2.public_spki());
    CHECK(ka.public_spki() != kb.public_spki());
    CHECK(ka.fingerprint().starts_with("sha256:"));
    // Derived bytes for two purposes are independent.
    CHECK(a.derive_secret("one", 32) != a.derive_secret("two", 32));
    CHECK(a.derive_secret("one", 32) == a2.derive_secret("one", 32));
}

TEST_CASE("archive signatures verify, and nothing else does", "[unit]") {
    auto key = ArchiveKey::derive(SigningKey::from_seed(std::string(32, '\x05')).value()).value();
    const std::string message = "sha256:0123456789abcdef";
    auto sig = key.sign(message).value();
    CHECK(sig.size() == 96);
    CHECK(verify_archive_signature(key.public_spki(), message, sig));
    CHECK_FALSE(verify_archive_signature(key.public_spki(), message + "0", sig));
    std::string flipped = sig;
    flipped[10] = static_cast<char>(flipped[10] ^ 1);
    CHECK_FALSE(verify_archive_signature(key.public_spki(), message, flipped));
    CHECK_FALSE(verify_archive_signature(key.public_spki(), message, sig.substr(0, 95)));
    auto other = ArchiveKey::derive(SigningKey::from_seed(std::string(32, '\x06')).value()).value();
    CHECK_FALSE(verify_archive_signature(other.public_spki(), message, sig));
    CHECK_FALSE(verify_archive_signature("not a key", message, sig));
    // An Ed25519 public key is not an archive key.
    auto ed = SigningKey::from_seed(std::string(32, '\x05')).value();
    auto r = verify_archive_signature(
        std::string("\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00", 12) + ed.public_raw(), message, sig);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("P-384") != std::string::npos);
}
