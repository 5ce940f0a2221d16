#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "core/hash.hpp"
#include "crypto/dsse.hpp"
#include "support/temp_dir.hpp"
#include "support/values.hpp"

using namespace provcheck;
using provcheck::test::must;

namespace {

constexpr std::string_view in_toto = "application/vnd.in-toto+json";

// A trust store holding the given keys, looked up by key id as a verifier would.
auto trusting(std::initializer_list<const SigningKey*> keys) {
    std::map<std::string, std::string, std::less<>> by_id;
    for (const SigningKey* k : keys)
        by_id.emplace(k->key_id(), k->public_raw());
    return [by_id](std::string_view keyid) -> std::optional<std::string> {
        auto it = by_id.find(keyid);
        if (it == by_id.end()) return std::nullopt;
        return it->second;
    };
}

void write_bytes(const std::filesystem::path& p, std::string_view bytes) {
    std::ofstream out(p, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Runs a shell command; its exit status, or -1 if it did not exit normally.
int run(const std::string& command) {
    int status = std::system(command.c_str());
    if (status == -1 || !WIFEXITED(status)) return -1;
    return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("PAE matches the DSSE specification's example", "[unit][crypto]") {
    CHECK(pae("http://example.com/HelloWorld", "hello world") ==
          "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    CHECK(pae("", "") == "DSSEv1 0  0 ");
    // Lengths count bytes, not characters, and the payload may hold anything.
    CHECK(pae("t\xC3\xA9", std::string("a\0b", 3)) == std::string("DSSEv1 3 t\xC3\xA9 3 a\0b", 18));
}

TEST_CASE("an envelope survives JSON and verifies", "[unit][crypto]") {
    SigningKey key = must(SigningKey::generate());
    const std::string payload = R"({"_type":"https://in-toto.io/Statement/v1","subject":[]})";
    Envelope envelope = sign_envelope(in_toto, payload, key);
    REQUIRE(envelope.signatures.size() == 1);
    CHECK(envelope.signatures[0].keyid == key.key_id());
    CHECK(envelope.signatures[0].sig.size() == 64);
    CHECK(verify_envelope(envelope, trusting({&key})) == EnvelopeCheck::ok);

    const std::string json = envelope_json(envelope);
    CHECK(json == "{\"payload\":\"" + base64_encode(payload) + "\",\"payloadType\":\"application/vnd.in-toto+json\"," +
                      "\"signatures\":[{\"keyid\":\"" + key.key_id() + "\",\"sig\":\"" +
                      base64_encode(envelope.signatures[0].sig) + "\"}]}");

    auto parsed = parse_envelope(json);
    REQUIRE(parsed);
    CHECK(parsed->payload == payload);
    CHECK(parsed->payload_type == in_toto);
    REQUIRE(parsed->signatures.size() == 1);
    CHECK(parsed->signatures[0].keyid == key.key_id());
    CHECK(parsed->signatures[0].sig == envelope.signatures[0].sig);
    CHECK(verify_envelope(*parsed, trusting({&key})) == EnvelopeCheck::ok);
    // The byte form is stable: the log hashes it.
    CHECK(envelope_json(*parsed) == json);
}

TEST_CASE("any changed byte breaks the envelope", "[unit][crypto]") {
    SigningKey key = must(SigningKey::generate());
    const Envelope good = sign_envelope(in_toto, "{\"claim\":\"the quote\"}", key);
    auto trust = trusting({&key});

    SECTION("one byte of the payload") {
        for (std::size_t i = 0; i < good.payload.size(); ++i) {
            Envelope e = good;
            e.payload[i] = static_cast<char>(e.payload[i] ^ 0x01);
            CHECK(verify_envelope(e, trust) == EnvelopeCheck::bad_signature);
        }
        Envelope longer = good;
        longer.payload += ' ';
        CHECK(verify_envelope(longer, trust) == EnvelopeCheck::bad_signature);
    }
    SECTION("one byte of the signature") {
        for (std::size_t i = 0; i < 64; ++i) {
            Envelope e = good;
            e.signatures[0].sig[i] = static_cast<char>(e.signatures[0].sig[i] ^ 0x80);
            CHECK(verify_envelope(e, trust) == EnvelopeCheck::bad_signature);
        }
    }
    SECTION("one byte of the payload type") {
        Envelope e = good;
        e.payload_type[0] = 'b';
        CHECK(verify_envelope(e, trust) == EnvelopeCheck::bad_signature);
        e = good;
        e.payload_type = "application/json";
        CHECK(verify_envelope(e, trust) == EnvelopeCheck::bad_signature);
    }
    SECTION("a change made in the JSON text") {
        std::string json = envelope_json(good);
        auto pos = json.find("\"payload\":\"") + 12;
        json[pos] = json[pos] == 'A' ? 'B' : 'A';
        auto parsed = parse_envelope(json);
        REQUIRE(parsed);
        CHECK(verify_envelope(*parsed, trust) == EnvelopeCheck::bad_signature);
    }
}

TEST_CASE("keys the verifier does not know, and several signatures", "[unit][crypto]") {
    SigningKey a = must(SigningKey::generate());
    SigningKey b = must(SigningKey::generate());
    Envelope one = sign_envelope(in_toto, "payload", a);

    CHECK(verify_envelope(one, trusting({})) == EnvelopeCheck::unknown_key);
    CHECK(verify_envelope(one, trusting({&b})) == EnvelopeCheck::unknown_key);
    // A lookup that hands out the wrong key for the id is caught by the signature check.
    auto wrong = [&](std::string_view) -> std::optional<std::string> { return b.public_raw(); };
    CHECK(verify_envelope(one, wrong) == EnvelopeCheck::bad_signature);

    Envelope two = one;
    two.signatures.push_back(Signature{b.key_id(), b.sign(pae(two.payload_type, two.payload))});
    CHECK(verify_envelope(two, trusting({&a, &b})) == EnvelopeCheck::ok);
    CHECK(verify_envelope(two, trusting({&b})) == EnvelopeCheck::ok);
    two.signatures[1].sig[0] = static_cast<char>(two.signatures[1].sig[0] ^ 1);
    CHECK(verify_envelope(two, trusting({&a})) == EnvelopeCheck::ok);
    CHECK(verify_envelope(two, trusting({&a, &b})) == EnvelopeCheck::bad_signature);

    Envelope none = one;
    none.signatures.clear();
    CHECK(verify_envelope(none, trusting({&a})) == EnvelopeCheck::malformed);
    CHECK(to_string(EnvelopeCheck::unknown_key) == "unknown_key");
}

TEST_CASE("parse_envelope reads what other DSSE writers produce", "[unit][crypto]") {
    SigningKey key = must(SigningKey::generate());
    // Bytes whose base64 uses '+' and '/' so that the URL-safe alphabet differs.
    const std::string payload("\xfb\xff\xbf\xfe", 4);
    Envelope e = sign_envelope("application/octet-stream", payload, key);
    std::string std_b64 = base64_encode(payload);
    REQUIRE(std_b64.find_first_of("+/") != std::string::npos);
    std::string url_b64 = std_b64;
    for (char& c : url_b64) {
        if (c == '+') c = '-';
        if (c == '/') c = '_';
    }
    std::string sig_b64 = base64_encode(e.signatures[0].sig);
    sig_b64.erase(sig_b64.find_last_not_of('=') + 1);
    const std::string json = "{ \"signatures\": [ {\"sig\": \"" + sig_b64 + "\", \"keyid\": \"" + key.key_id() +
                             "\", \"extra\": 1} ],\n \"payloadType\": \"application/octet-stream\", \"payload\": \"" +
                             url_b64 + "\" }\n";
    auto parsed = parse_envelope(json);
    REQUIRE(parsed);
    CHECK(parsed->payload == payload);
    CHECK(verify_envelope(*parsed, trusting({&key})) == EnvelopeCheck::ok);

    auto no_keyid = parse_envelope("{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"AAAA\"}]}");
    REQUIRE(no_keyid);
    CHECK(no_keyid->signatures[0].keyid.empty());
}

TEST_CASE("malformed envelopes are errors, never crashes", "[unit][crypto]") {
    const char* bad[] = {
        "",
        "not json",
        "[]",
        "{\"payload\":\"\",\"payloadType\":\"t\"}",
        "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[]}",
        "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":{}}",
        "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[1]}",
        "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[{\"keyid\":\"k\"}]}",
        "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[{\"keyid\":7,\"sig\":\"\"}]}",
        "{\"payload\":\"!!\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"\"}]}",
        "{\"payload\":\"\",\"payloadType\":5,\"signatures\":[{\"sig\":\"\"}]}",
        "{\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"\"}]}",
        "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"A\"}]}",
        "{\"payload\":\"\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"\"}]",
    };
    for (const char* text : bad) {
        INFO(text);
        auto parsed = parse_envelope(text);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == ErrorCode::parse);
        CHECK(parsed.error().message.starts_with("DSSE envelope: "));
    }
}

TEST_CASE("invalid UTF-8 in the payload type cannot break the JSON", "[unit][crypto]") {
    SigningKey key = must(SigningKey::generate());
    Envelope e = sign_envelope("bad\xff", "p", key);
    auto parsed = parse_envelope(envelope_json(e));
    REQUIRE(parsed);
    CHECK(verify_envelope(*parsed, trusting({&key})) == EnvelopeCheck::bad_signature);
}

// An implementation that shares no code with this one (Python's cryptography package over OpenSSL's
// public API, with its own JSON, base64 and PAE) must accept the envelope and reject a tampered one.
TEST_CASE("python3-cryptography verifies an envelope independently", "[unit][crypto]") {
    if (run("python3 -c 'import cryptography.hazmat.primitives.asymmetric.ed25519' >/dev/null 2>&1") != 0) {
        WARN("python3 with the cryptography module is not available; independent check skipped");
        return;
    }
    test::TempDir dir;
    SigningKey key = must(SigningKey::generate());
    Envelope e = sign_envelope(in_toto, R"({"predicate":{"quote":"“We will not”"}})", key);
    write_bytes(dir / "envelope.json", envelope_json(e));
    write_bytes(dir / "key.pub.pem", key.public_pem());
    Envelope tampered = e;
    tampered.payload[3] = 'X';
    write_bytes(dir / "tampered.json", envelope_json(tampered));

    const std::string script =
        "import sys, json, base64, hashlib\n"
        "from cryptography.hazmat.primitives.serialization import load_pem_public_key, Encoding, PublicFormat\n"
        "env = json.load(open(sys.argv[1], \"rb\"))\n"
        "pub = load_pem_public_key(open(sys.argv[2], \"rb\").read())\n"
        "raw = pub.public_bytes(Encoding.Raw, PublicFormat.Raw)\n"
        "payload = base64.b64decode(env[\"payload\"], validate=True)\n"
        "ptype = env[\"payloadType\"].encode()\n"
        "m = b\"DSSEv1 %d %s %d %s\" % (len(ptype), ptype, len(payload), payload)\n"
        "sig = env[\"signatures\"][0]\n"
        "assert sig[\"keyid\"] == hashlib.sha256(raw).hexdigest(), \"keyid\"\n"
        "try:\n"
        "    pub.verify(base64.b64decode(sig[\"sig\"], validate=True), m)\n"
        "except Exception:\n"
        "    sys.exit(1)\n";
    const std::string command = "python3 -c '" + script + "' ";
    CHECK(run(command + (dir / "envelope.json").string() + " " + (dir / "key.pub.pem").string()) == 0);
    CHECK(run(command + (dir / "tampered.json").string() + " " + (dir / "key.pub.pem").string() + " 2>/dev/null") == 1);
}
