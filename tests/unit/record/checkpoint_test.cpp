#include <catch2/catch.hpp>

#include <string>

#include "core/hash.hpp"
#include "record/checkpoint.hpp"
#include "record/merkle.hpp"

using namespace provcheck;

namespace {

constexpr std::string_view key_name = "provcheck.test/log";
const std::string em_dash = "\xE2\x80\x94";

SigningKey key_from_seed(char fill) {
    auto key = SigningKey::from_seed(std::string(32, fill));
    REQUIRE(key);
    return std::move(*key);
}

Checkpoint sample() {
    std::vector<Sha256> leaves{leaf_hash("a"), leaf_hash("b"), leaf_hash("c")};
    return Checkpoint{"provcheck.test/log", 3, root_hash(leaves)};
}

// A signature line built by hand from the signed-note rules, for bodies that sign_checkpoint would not write.
std::string signed_by_hand(const std::string& body, const SigningKey& key, std::string_view name) {
    std::string material(name);
    material += "\n\x01";
    material += key.public_raw();
    std::string blob = as_bytes(sha256(material)).substr(0, 4) + key.sign(body);
    return body + "\n" + em_dash + " " + std::string(name) + " " + base64_encode(blob) + "\n";
}

}  // namespace

TEST_CASE("a checkpoint note has the C2SP layout and verifies", "[unit][record]") {
    SigningKey key = key_from_seed('k');
    const Checkpoint cp = sample();
    const std::string note = sign_checkpoint(cp, key, key_name);

    const std::string body = "provcheck.test/log\n3\n" + base64_encode(as_bytes(cp.root)) + "\n";
    REQUIRE(note.starts_with(body + "\n" + em_dash + " provcheck.test/log "));
    CHECK(note.back() == '\n');
    // The line is exactly what the signed-note rules give for this key and body.
    CHECK(note == signed_by_hand(body, key, key_name));

    auto verified = verify_checkpoint(note, key_name, key.public_raw());
    REQUIRE(verified);
    CHECK(verified->origin == cp.origin);
    CHECK(verified->size == cp.size);
    CHECK(verified->root == cp.root);
}

TEST_CASE("large and empty trees", "[unit][record]") {
    SigningKey key = key_from_seed('k');
    Checkpoint big{"o", 18446744073709551615ULL, sha256("x")};
    auto v = verify_checkpoint(sign_checkpoint(big, key, key_name), key_name, key.public_raw());
    REQUIRE(v);
    CHECK(v->size == big.size);
    Checkpoint empty{"o", 0, root_hash({})};
    auto e = verify_checkpoint(sign_checkpoint(empty, key, key_name), key_name, key.public_raw());
    REQUIRE(e);
    CHECK(e->size == 0);
}

TEST_CASE("a changed checkpoint fails, saying why", "[unit][record]") {
    SigningKey key = key_from_seed('k');
    const std::string note = sign_checkpoint(sample(), key, key_name);
    const std::size_t body_end = note.find("\n\n") + 1;

    SECTION("any changed byte of the body") {
        for (std::size_t i = 0; i < body_end - 1; ++i) {
            std::string bad = note;
            if (bad[i] == '\n') continue;
            bad[i] = bad[i] == '3' ? '4' : (bad[i] == 'A' ? 'B' : 'A');
            INFO("byte " << i);
            auto v = verify_checkpoint(bad, key_name, key.public_raw());
            REQUIRE_FALSE(v);
            CHECK(v.error().code == ErrorCode::crypto);
            CHECK(v.error().message.find("bad checkpoint signature") != std::string::npos);
        }
    }
    SECTION("a changed signature") {
        std::string line = note.substr(body_end + 1);
        auto blob = base64_decode(line.substr(line.rfind(' ') + 1, line.size() - line.rfind(' ') - 2));
        REQUIRE(blob);
        REQUIRE(blob->size() == 68);
        (*blob)[40] = static_cast<char>((*blob)[40] ^ 0x04);
        std::string bad =
            note.substr(0, body_end) + "\n" + em_dash + " " + std::string(key_name) + " " + base64_encode(*blob) + "\n";
        auto v = verify_checkpoint(bad, key_name, key.public_raw());
        REQUIRE_FALSE(v);
        CHECK(v.error().message.find("bad checkpoint signature") != std::string::npos);
    }
    SECTION("another key, or another key name") {
        SigningKey other = key_from_seed('o');
        auto v = verify_checkpoint(note, key_name, other.public_raw());
        REQUIRE_FALSE(v);
        CHECK(v.error().code == ErrorCode::crypto);
        CHECK(v.error().message.find("no signature by key") != std::string::npos);
        auto w = verify_checkpoint(note, "someone.else/log", key.public_raw());
        REQUIRE_FALSE(w);
        CHECK(w.error().message.find("no signature by key") != std::string::npos);
    }
}

TEST_CASE("signatures by other keys are passed over", "[unit][record]") {
    SigningKey key = key_from_seed('k');
    SigningKey witness = key_from_seed('w');
    const std::string note = sign_checkpoint(sample(), key, key_name);
    const std::string witness_note = sign_checkpoint(sample(), witness, "witness.example");
    // Both signature lines under one body, the witness first.
    const std::string both = note.substr(0, note.find("\n\n") + 2) +
                             witness_note.substr(witness_note.find("\n\n") + 2) + note.substr(note.find("\n\n") + 2);
    CHECK(verify_checkpoint(both, key_name, key.public_raw()).has_value());
    CHECK(verify_checkpoint(both, "witness.example", witness.public_raw()).has_value());
}

TEST_CASE("extension lines are accepted; malformed bodies are refused", "[unit][record]") {
    SigningKey key = key_from_seed('k');
    const std::string root = base64_encode(as_bytes(sample().root));

    CHECK(verify_checkpoint(signed_by_hand("o\n3\n" + root + "\nextension line\n", key, key_name), key_name,
                            key.public_raw())
              .has_value());

    const std::string bad_bodies[] = {
        "o\n3\n",                                   // no root
        "\n3\n" + root + "\n",                      // empty origin
        "o\n03\n" + root + "\n",                    // leading zero
        "o\n-3\n" + root + "\n",                    // not a number
        "o\n18446744073709551616\n" + root + "\n",  // beyond 64 bits
        "o\n3\n" + root.substr(0, 40) + "\n",       // short root
        "o\n3\n" + root.substr(0, 43) + "\n",       // unpadded root
        "o\n3\n" + root + "\n\n",                   // a blank line at the end of the body
    };
    for (const std::string& body : bad_bodies) {
        INFO(body);
        auto v = verify_checkpoint(signed_by_hand(body, key, key_name), key_name, key.public_raw());
        REQUIRE_FALSE(v);
        CHECK(v.error().code == ErrorCode::parse);
    }
}

TEST_CASE("malformed notes are errors, never crashes", "[unit][record]") {
    SigningKey key = key_from_seed('k');
    const std::string note = sign_checkpoint(sample(), key, key_name);
    const std::string cases[] = {
        "",
        "\n",
        "no signatures\n",
        note.substr(0, note.size() - 1),                            // no final newline
        note.substr(0, note.find("\n\n") + 2),                      // blank line, no signature lines
        std::string(note).replace(note.find("\n\n") + 2, 3, "--"),  // not an em dash
        std::string(note).insert(2, 1, '\t'),                       // a control character
        note.substr(0, note.find("\n\n") + 2) + em_dash + " name\n",
        note.substr(0, note.find("\n\n") + 2) + em_dash + " name !!!\n",
    };
    for (const std::string& text : cases) {
        INFO(text);
        auto v = verify_checkpoint(text, key_name, key.public_raw());
        REQUIRE_FALSE(v);
        CHECK(v.error().code == ErrorCode::parse);
        CHECK(v.error().message.starts_with("malformed checkpoint"));
    }
}

TEST_CASE("a checkpoint checked with a key parsed once gives the same answers", "[unit][record]") {
    SigningKey key = key_from_seed('\x05');
    SigningKey other = key_from_seed('\x06');
    const VerifyingKey parsed(key.public_raw());
    const std::string note = sign_checkpoint(sample(), key, key_name);
    auto good = verify_checkpoint(note, key_name, parsed);
    REQUIRE(good);
    CHECK(good->size == 3);
    CHECK(good->root == sample().root);

    std::string changed = note;
    changed[changed.find("\n3\n") + 1] = '4';
    auto by_bytes = verify_checkpoint(changed, key_name, key.public_raw());
    auto by_parsed = verify_checkpoint(changed, key_name, parsed);
    REQUIRE_FALSE(by_parsed);
    REQUIRE_FALSE(by_bytes);
    CHECK(by_parsed.error().message == by_bytes.error().message);

    auto wrong_key = verify_checkpoint(note, key_name, VerifyingKey(other.public_raw()));
    REQUIRE_FALSE(wrong_key);
    CHECK(wrong_key.error().message.find("no signature by key") != std::string::npos);
    CHECK_FALSE(verify_checkpoint(note, key_name, VerifyingKey(std::string(31, 'k'))));
}
