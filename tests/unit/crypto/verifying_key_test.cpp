#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "core/hash.hpp"
#include "crypto/dsse.hpp"
#include "crypto/ed25519.hpp"
#include "support/values.hpp"

using namespace provcheck;
using provcheck::test::must;

namespace {

std::string flipped(std::string s, std::size_t at) {
    s[at] = static_cast<char>(s[at] ^ 0x01);
    return s;
}

}  // namespace

TEST_CASE("a key parsed once answers every check as ed25519_verify does", "[unit][crypto]") {
    SigningKey signer = must(SigningKey::from_seed(std::string(32, '\x11')));
    SigningKey other = must(SigningKey::from_seed(std::string(32, '\x22')));
    const VerifyingKey key(signer.public_raw());
    REQUIRE(key.valid());
    CHECK(key.public_raw() == signer.public_raw());

    // One key object, many messages, good and bad interleaved: no state may carry over between checks.
    for (int i = 0; i < 40; ++i) {
        const std::string message = "record " + std::to_string(i) + std::string(static_cast<std::size_t>(i) * 37, 'm');
        const std::string good = signer.sign(message);
        const std::string stranger = other.sign(message);
        INFO("message " << i);
        CHECK(key.verify(message, good));
        CHECK(key.verify(message, good) == ed25519_verify(signer.public_raw(), message, good));
        CHECK_FALSE(key.verify(message, flipped(good, static_cast<std::size_t>(i) % 64)));
        CHECK_FALSE(key.verify(message + "x", good));
        CHECK_FALSE(key.verify(message, stranger));
        CHECK(key.verify(message, good));
    }
}

TEST_CASE("a malformed or moved-from key verifies nothing", "[unit][crypto]") {
    SigningKey signer = must(SigningKey::generate());
    const std::string sig = signer.sign("m");
    for (const std::string& raw : {signer.public_raw().substr(0, 31), signer.public_raw() + "0", std::string()}) {
        const VerifyingKey bad(raw);
        CHECK_FALSE(bad.valid());
        CHECK_FALSE(bad.verify("m", sig));
    }
    VerifyingKey key(signer.public_raw());
    CHECK_FALSE(key.verify("m", sig.substr(0, 63)));
    CHECK_FALSE(key.verify("m", sig + "0"));
    CHECK_FALSE(key.verify("m", ""));
    VerifyingKey moved = std::move(key);
    CHECK(moved.verify("m", sig));
    CHECK_FALSE(key.valid());  // NOLINT(bugprone-use-after-move): a moved-from key is specified to verify nothing
    CHECK_FALSE(key.verify("m", sig));
}

TEST_CASE("envelopes checked against parsed keys give the same answers as a key lookup", "[unit][crypto]") {
    constexpr std::string_view type = "application/vnd.in-toto+json";
    SigningKey a = must(SigningKey::from_seed(std::string(32, '\x31')));
    SigningKey b = must(SigningKey::from_seed(std::string(32, '\x32')));
    SigningKey stranger = must(SigningKey::from_seed(std::string(32, '\x33')));

    VerifyingKeys trusted;
    trusted.emplace(a.key_id(), VerifyingKey(a.public_raw()));
    trusted.emplace(b.key_id(), VerifyingKey(b.public_raw()));
    auto lookup = [&](std::string_view keyid) -> std::optional<std::string> {
        if (keyid == a.key_id()) return a.public_raw();
        if (keyid == b.key_id()) return b.public_raw();
        return std::nullopt;
    };

    Envelope by_a = sign_envelope(type, R"({"n":1})", a);
    Envelope by_both = by_a;
    by_both.signatures.push_back(sign_envelope(type, by_a.payload, b).signatures.front());
    Envelope changed = by_both;
    changed.payload = R"({"n":2})";
    Envelope one_bad = by_both;
    one_bad.signatures[1].sig = flipped(one_bad.signatures[1].sig, 5);
    Envelope by_stranger = sign_envelope(type, by_a.payload, stranger);
    Envelope stranger_and_a = by_stranger;
    stranger_and_a.signatures.push_back(by_a.signatures.front());
    Envelope unsigned_envelope = by_a;
    unsigned_envelope.signatures.clear();
    Envelope no_keyid = by_a;
    no_keyid.signatures[0].keyid.clear();

    const std::vector<std::pair<const Envelope*, EnvelopeCheck>> cases = {
        {&by_a, EnvelopeCheck::ok},
        {&by_both, EnvelopeCheck::ok},
        {&changed, EnvelopeCheck::bad_signature},
        {&one_bad, EnvelopeCheck::bad_signature},
        {&by_stranger, EnvelopeCheck::unknown_key},
        {&stranger_and_a, EnvelopeCheck::ok},
        {&unsigned_envelope, EnvelopeCheck::malformed},
        {&no_keyid, EnvelopeCheck::unknown_key},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        INFO("case " << i);
        CHECK(verify_envelope(*cases[i].first, trusted) == cases[i].second);
        CHECK(verify_envelope(*cases[i].first, lookup) == cases[i].second);
    }
    CHECK(verify_envelope(by_a, VerifyingKeys{}) == EnvelopeCheck::unknown_key);
}
