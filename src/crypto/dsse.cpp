#include "crypto/dsse.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/hash.hpp"

namespace provcheck {

namespace {

using nlohmann::json;

constexpr char base64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Both DSSE alphabets at once: '+' and '-' are 62, '/' and '_' are 63, anything else -1.
constexpr std::array<std::int8_t, 256> base64_values = [] {
    std::array<std::int8_t, 256> t{};
    t.fill(-1);
    for (int i = 0; i < 64; ++i)
        t[static_cast<unsigned char>(base64_alphabet[i])] = static_cast<std::int8_t>(i);
    t['-'] = 62;
    t['_'] = 63;
    return t;
}();

// Bytes a JSON string holds as they are: printable ASCII other than '"' and '\'. A string made only of these
// is written and read back without any escaping, so it needs no general JSON code.
bool plain_json_char(char c) noexcept {
    return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\';
}

bool plain_json_text(std::string_view s) noexcept {
    return std::all_of(s.begin(), s.end(), plain_json_char);
}

void append_json_string(std::string& out, std::string_view s) {
    if (plain_json_text(s)) {
        out += '"';
        out.append(s);
        out += '"';
        return;
    }
    out += json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
}

// Standard base64 with padding, written straight into `out`: an envelope holds a few kilobytes of it.
void append_base64(std::string& out, std::string_view bytes) {
    const std::size_t start = out.size();
    out.resize(start + (bytes.size() + 2) / 3 * 4);
    char* o = out.data() + start;
    const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const unsigned v = (unsigned{in[i]} << 16) | (unsigned{in[i + 1]} << 8) | in[i + 2];
        *o++ = base64_alphabet[(v >> 18) & 63];
        *o++ = base64_alphabet[(v >> 12) & 63];
        *o++ = base64_alphabet[(v >> 6) & 63];
        *o++ = base64_alphabet[v & 63];
    }
    if (const std::size_t rest = bytes.size() - i; rest > 0) {
        const unsigned v = (unsigned{in[i]} << 16) | (rest == 2 ? unsigned{in[i + 1]} << 8 : 0U);
        *o++ = base64_alphabet[(v >> 18) & 63];
        *o++ = base64_alphabet[(v >> 12) & 63];
        *o++ = rest == 2 ? base64_alphabet[(v >> 6) & 63] : '=';
        *o++ = '=';
    }
}

// DSSE readers must accept both base64 alphabets. Same acceptance as base64_decode() of core/hash.hpp after
// mapping the URL-safe alphabet to the standard one: trailing '=' are dropped, every other byte must be in the
// alphabet, and a single dangling character is refused.
std::optional<std::string> decode_any_base64(std::string_view text) {
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    if (text.size() % 4 == 1) return std::nullopt;
    std::string out(text.size() * 3 / 4, '\0');
    char* o = out.data();
    // Whole groups of four characters first, three bytes each: a payload is kilobytes of them.
    const auto* in = reinterpret_cast<const unsigned char*>(text.data());
    std::size_t i = 0;
    for (; i + 4 <= text.size(); i += 4) {
        const int a = base64_values[in[i]];
        const int b = base64_values[in[i + 1]];
        const int c = base64_values[in[i + 2]];
        const int d = base64_values[in[i + 3]];
        if ((a | b | c | d) < 0) return std::nullopt;
        const auto v = (static_cast<unsigned>(a) << 18) | (static_cast<unsigned>(b) << 12) |
                       (static_cast<unsigned>(c) << 6) | static_cast<unsigned>(d);
        *o++ = static_cast<char>((v >> 16) & 0xff);
        *o++ = static_cast<char>((v >> 8) & 0xff);
        *o++ = static_cast<char>(v & 0xff);
    }
    unsigned acc = 0;
    int bits = 0;
    for (char c : text.substr(i)) {
        const int v = base64_values[static_cast<unsigned char>(c)];
        if (v < 0) return std::nullopt;
        acc = (acc << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *o++ = static_cast<char>((acc >> bits) & 0xff);
        }
    }
    return out;
}

Result<std::string> string_member(const json& object, const char* name, std::string_view where) {
    auto it = object.find(name);
    if (it == object.end()) return fail(ErrorCode::parse, fmt::format("DSSE envelope: {} has no \"{}\"", where, name));
    if (!it->is_string()) {
        return fail(ErrorCode::parse, fmt::format("DSSE envelope: \"{}\" in {} is not a string", name, where));
    }
    return it->get<std::string>();
}

Result<std::string> base64_member(const json& object, const char* name, std::string_view where) {
    auto text = string_member(object, name, where);
    if (!text) return text;
    auto bytes = decode_any_base64(*text);
    if (!bytes) {
        return fail(ErrorCode::parse, fmt::format("DSSE envelope: \"{}\" in {} is not valid base64", name, where));
    }
    return std::move(*bytes);
}

}  // namespace

std::string pae(std::string_view payload_type, std::string_view payload) {
    // Sized once: every envelope verified builds this copy of its payload.
    std::string out;
    out.reserve(payload_type.size() + payload.size() + 48);
    auto sink = std::back_inserter(out);
    fmt::format_to(sink, "DSSEv1 {} ", payload_type.size());
    out.append(payload_type);
    fmt::format_to(sink, " {} ", payload.size());
    out.append(payload);
    return out;
}

Envelope sign_envelope(std::string_view payload_type, std::string payload, const SigningKey& key) {
    Envelope envelope;
    envelope.payload_type = std::string(payload_type);
    envelope.signatures.push_back(Signature{key.key_id(), key.sign(pae(payload_type, payload))});
    envelope.payload = std::move(payload);
    return envelope;
}

std::string envelope_json(const Envelope& envelope) {
    std::string out;
    out.reserve(envelope.payload.size() * 4 / 3 + envelope.payload_type.size() + envelope.signatures.size() * 180 + 64);
    out += "{\"payload\":\"";
    append_base64(out, envelope.payload);
    out += "\",\"payloadType\":";
    append_json_string(out, envelope.payload_type);
    out += ",\"signatures\":[";
    for (std::size_t i = 0; i < envelope.signatures.size(); ++i) {
        if (i > 0) out += ',';
        out += "{\"keyid\":";
        append_json_string(out, envelope.signatures[i].keyid);
        out += ",\"sig\":\"";
        append_base64(out, envelope.signatures[i].sig);
        out += "\"}";
    }
    out += "]}";
    return out;
}

namespace {

// Reads the exact byte form envelope_json() writes when every string in it is plain, which is every envelope
// this project makes, without building a JSON document. nullopt for any other text, even valid JSON: the
// general parser then decides. Whatever this accepts, the general parser reads to the same Envelope, since
// the text is then a JSON object with exactly these members and strings that need no unescaping.
class CanonicalReader {
public:
    explicit CanonicalReader(std::string_view text) : rest_(text) {}

    std::optional<Envelope> read() {
        Envelope envelope;
        auto payload = literal("{\"payload\":\"") ? base64_until_quote() : std::nullopt;
        if (!payload || !literal(",\"payloadType\":\"")) return std::nullopt;
        auto type = plain_until_quote();
        if (!type || !literal(",\"signatures\":[")) return std::nullopt;
        envelope.payload = std::move(*payload);
        envelope.payload_type = std::string(*type);
        do {
            if (!literal("{\"keyid\":\"")) return std::nullopt;
            auto keyid = plain_until_quote();
            if (!keyid || !literal(",\"sig\":\"")) return std::nullopt;
            auto sig = base64_until_quote();
            if (!sig || !literal("}")) return std::nullopt;
            envelope.signatures.push_back(Signature{std::string(*keyid), std::move(*sig)});
        } while (literal(","));
        if (!literal("]}") || !rest_.empty()) return std::nullopt;
        return envelope;
    }

private:
    bool literal(std::string_view expected) {
        if (!rest_.starts_with(expected)) return false;
        rest_.remove_prefix(expected.size());
        return true;
    }

    // Up to the closing quote, which is consumed. nullopt if a byte on the way is not plain.
    std::optional<std::string_view> plain_until_quote() {
        std::size_t n = 0;
        while (n < rest_.size() && plain_json_char(rest_[n]))
            ++n;
        if (n == rest_.size() || rest_[n] != '"') return std::nullopt;
        std::string_view text = rest_.substr(0, n);
        rest_.remove_prefix(n + 1);
        return text;
    }

    std::optional<std::string> base64_until_quote() {
        auto text = plain_until_quote();
        if (!text) return std::nullopt;
        return decode_any_base64(*text);
    }

    std::string_view rest_;
};

}  // namespace

std::optional<Envelope> parse_canonical_envelope(std::string_view text) {
    return CanonicalReader(text).read();
}

Result<Envelope> parse_envelope(std::string_view text) {
    if (auto canonical = parse_canonical_envelope(text)) return std::move(*canonical);
    json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded()) return fail(ErrorCode::parse, "DSSE envelope: not valid JSON");
    if (!doc.is_object()) return fail(ErrorCode::parse, "DSSE envelope: not a JSON object");

    Envelope envelope;
    auto payload = base64_member(doc, "payload", "the envelope");
    if (!payload) return std::unexpected(payload.error());
    envelope.payload = std::move(*payload);
    auto type = string_member(doc, "payloadType", "the envelope");
    if (!type) return std::unexpected(type.error());
    envelope.payload_type = std::move(*type);

    auto sigs = doc.find("signatures");
    if (sigs == doc.end() || !sigs->is_array()) {
        return fail(ErrorCode::parse, "DSSE envelope: \"signatures\" is missing or not an array");
    }
    if (sigs->empty()) return fail(ErrorCode::parse, "DSSE envelope: no signatures");
    for (std::size_t i = 0; i < sigs->size(); ++i) {
        const json& entry = (*sigs)[i];
        std::string where = fmt::format("signature {}", i);
        if (!entry.is_object()) return fail(ErrorCode::parse, fmt::format("DSSE envelope: {} is not an object", where));
        Signature signature;
        // keyid is optional in DSSE: an unauthenticated hint.
        if (entry.contains("keyid")) {
            auto keyid = string_member(entry, "keyid", where);
            if (!keyid) return std::unexpected(keyid.error());
            signature.keyid = std::move(*keyid);
        }
        auto sig = base64_member(entry, "sig", where);
        if (!sig) return std::unexpected(sig.error());
        signature.sig = std::move(*sig);
        envelope.signatures.push_back(std::move(signature));
    }
    return envelope;
}

EnvelopeCheck verify_envelope(
    const Envelope& envelope,
    const std::function<std::optional<std::string>(std::string_view keyid)>& public_raw_for_keyid) {
    if (envelope.signatures.empty()) return EnvelopeCheck::malformed;
    const std::string message = pae(envelope.payload_type, envelope.payload);
    bool any_known = false;
    for (const Signature& signature : envelope.signatures) {
        std::optional<std::string> key = public_raw_for_keyid(signature.keyid);
        if (!key) continue;
        any_known = true;
        if (!ed25519_verify(*key, message, signature.sig)) return EnvelopeCheck::bad_signature;
    }
    return any_known ? EnvelopeCheck::ok : EnvelopeCheck::unknown_key;
}

EnvelopeCheck verify_envelope(const Envelope& envelope, const VerifyingKeys& trusted) {
    if (envelope.signatures.empty()) return EnvelopeCheck::malformed;
    std::string message;
    bool any_known = false;
    for (const Signature& signature : envelope.signatures) {
        auto key = trusted.find(signature.keyid);
        if (key == trusted.end()) continue;
        any_known = true;
        if (message.empty()) message = pae(envelope.payload_type, envelope.payload);
        if (!key->second.verify(message, signature.sig)) return EnvelopeCheck::bad_signature;
    }
    return any_known ? EnvelopeCheck::ok : EnvelopeCheck::unknown_key;
}

std::string_view to_string(EnvelopeCheck check) noexcept {
    switch (check) {
        case EnvelopeCheck::ok:
            return "ok";
        case EnvelopeCheck::bad_signature:
            return "bad_signature";
        case EnvelopeCheck::unknown_key:
            return "unknown_key";
        case EnvelopeCheck::malformed:
            return "malformed";
    }
    return "malformed";
}

}  // namespace provcheck
