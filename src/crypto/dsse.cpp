#include "crypto/dsse.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/hash.hpp"

namespace provcheck {

namespace {

using nlohmann::json;

std::string json_string(std::string_view s) {
    return json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
}

// DSSE readers must accept both base64 alphabets.
std::optional<std::string> decode_any_base64(std::string text) {
    std::replace(text.begin(), text.end(), '-', '+');
    std::replace(text.begin(), text.end(), '_', '/');
    return base64_decode(text);
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
    auto bytes = decode_any_base64(std::move(*text));
    if (!bytes) {
        return fail(ErrorCode::parse, fmt::format("DSSE envelope: \"{}\" in {} is not valid base64", name, where));
    }
    return std::move(*bytes);
}

}  // namespace

std::string pae(std::string_view payload_type, std::string_view payload) {
    std::string out = fmt::format("DSSEv1 {} ", payload_type.size());
    out.append(payload_type);
    out += fmt::format(" {} ", payload.size());
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
    std::string out = "{\"payload\":\"";
    out += base64_encode(envelope.payload);
    out += "\",\"payloadType\":";
    out += json_string(envelope.payload_type);
    out += ",\"signatures\":[";
    for (std::size_t i = 0; i < envelope.signatures.size(); ++i) {
        if (i > 0) out += ',';
        out += "{\"keyid\":";
        out += json_string(envelope.signatures[i].keyid);
        out += ",\"sig\":\"";
        out += base64_encode(envelope.signatures[i].sig);
        out += "\"}";
    }
    out += "]}";
    return out;
}

Result<Envelope> parse_envelope(std::string_view text) {
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
