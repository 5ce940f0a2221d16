// The fast reader of parse_envelope() against its general JSON reader: same Envelope for every envelope this
// project writes, and no answer at all for anything else.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "core/hash.hpp"
#include "crypto/dsse.hpp"

using namespace provcheck;

namespace {

bool same(const Envelope& a, const Envelope& b) {
    if (a.payload != b.payload || a.payload_type != b.payload_type || a.signatures.size() != b.signatures.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.signatures.size(); ++i) {
        if (a.signatures[i].keyid != b.signatures[i].keyid || a.signatures[i].sig != b.signatures[i].sig) return false;
    }
    return true;
}

// The same JSON with one insignificant space: only the general reader accepts it.
std::string spaced(std::string json) {
    json.insert(1, " ");
    return json;
}

std::string random_bytes(std::mt19937& rng, std::size_t n) {
    std::uniform_int_distribution<int> byte(0, 255);
    std::string out(n, '\0');
    for (auto& c : out)
        c = static_cast<char>(byte(rng));
    return out;
}

}  // namespace

TEST_CASE("the fast reader and the general reader agree on envelopes made here", "[unit][crypto]") {
    SigningKey key = SigningKey::from_seed(std::string(32, '\x11')).value();
    std::mt19937 rng(20231019);
    for (std::size_t n : {0, 1, 2, 3, 4, 5, 63, 64, 65, 1000, 3333}) {
        Envelope env = sign_envelope("application/vnd.in-toto+json", random_bytes(rng, n), key);
        const std::string json = envelope_json(env);
        auto fast = parse_canonical_envelope(json);
        REQUIRE(fast);
        CHECK(same(*fast, env));
        auto general = parse_envelope(spaced(json));
        REQUIRE(general);
        CHECK(same(*general, *fast));
    }
    SECTION("several signatures, and one without a key id") {
        Envelope env = sign_envelope("t", "payload", key);
        env.signatures.push_back(Signature{"", std::string(64, '\x01')});
        env.signatures.push_back(Signature{"other key", std::string(64, '\x02')});
        auto fast = parse_canonical_envelope(envelope_json(env));
        REQUIRE(fast);
        CHECK(same(*fast, env));
        CHECK(same(*fast, parse_envelope(spaced(envelope_json(env))).value()));
    }
}

TEST_CASE("the fast reader leaves every other form to the general reader", "[unit][crypto]") {
    SigningKey key = SigningKey::from_seed(std::string(32, '\x12')).value();
    const std::string json = envelope_json(sign_envelope("application/vnd.in-toto+json", "{\"a\":1}", key));
    const std::string sig_b64 = json.substr(json.find("\"sig\":\"") + 7, 88);
    const std::string others[] = {
        spaced(json),
        json + " ",
        json + "x",
        json.substr(0, json.size() - 1),
        // Members in another order, an escaped payload type, a key id with non-ASCII, no key id, no signature.
        "{\"payloadType\":\"t\",\"payload\":\"eyJ9\",\"signatures\":[{\"keyid\":\"k\",\"sig\":\"" + sig_b64 + "\"}]}",
        "{\"payload\":\"eyJ9\",\"payloadType\":\"t\\u0041\",\"signatures\":[{\"keyid\":\"k\",\"sig\":\"" + sig_b64 +
            "\"}]}",
        "{\"payload\":\"eyJ9\",\"payloadType\":\"t\",\"signatures\":[{\"keyid\":\"k\xC3\xA9\",\"sig\":\"" + sig_b64 +
            "\"}]}",
        "{\"payload\":\"eyJ9\",\"payloadType\":\"t\",\"signatures\":[{\"sig\":\"" + sig_b64 + "\"}]}",
        "{\"payload\":\"eyJ9\",\"payloadType\":\"t\",\"signatures\":[]}",
        // Not base64: the general reader names the member.
        "{\"payload\":\"e!J9\",\"payloadType\":\"t\",\"signatures\":[{\"keyid\":\"k\",\"sig\":\"" + sig_b64 + "\"}]}",
        "",
        "{}",
    };
    for (const auto& text : others) {
        INFO(text);
        CHECK_FALSE(parse_canonical_envelope(text));
    }
    CHECK(parse_envelope(others[0]));
    CHECK(parse_envelope(others[4]));
    CHECK(parse_envelope(others[5]).value().payload_type == "tA");
    CHECK(parse_envelope(others[7]).value().signatures.at(0).keyid.empty());
    auto not_base64 = parse_envelope(others[9]);
    REQUIRE_FALSE(not_base64);
    CHECK(not_base64.error().message.find("\"payload\"") != std::string::npos);
}

TEST_CASE("both base64 alphabets decode exactly as core's decoder, padded or not", "[unit][crypto]") {
    std::mt19937 rng(7);
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=!";
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::uniform_int_distribution<std::size_t> length(0, 12);
    for (int round = 0; round < 5000; ++round) {
        std::string text;
        for (std::size_t n = length(rng); n > 0; --n)
            text += alphabet[pick(rng)];
        std::string standard = text;
        for (auto& c : standard) {
            if (c == '-') c = '+';
            if (c == '_') c = '/';
        }
        auto want = base64_decode(standard);
        const std::string json = "{\"payload\":\"" + text +
                                 "\",\"payloadType\":\"t\",\"signatures\":[{\"keyid\":\"k\","
                                 "\"sig\":\"AAAA\"}]}";
        INFO(text);
        auto fast = parse_canonical_envelope(json);
        auto general = parse_envelope(spaced(json));
        CHECK(fast.has_value() == want.has_value());
        CHECK(general.has_value() == want.has_value());
        if (want && fast && general) {
            CHECK(fast->payload == *want);
            CHECK(general->payload == *want);
        }
    }
}
