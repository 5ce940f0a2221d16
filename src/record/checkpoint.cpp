#include "record/checkpoint.hpp"

#include <charconv>
#include <optional>
#include <vector>

#include <fmt/format.h>

namespace provcheck {

namespace {

constexpr std::string_view em_dash_space = "\xE2\x80\x94 ";  // U+2014 and a space open every signature line
constexpr std::size_t key_hash_size = 4;
constexpr std::size_t signature_size = 64;
// Generous for a checkpoint; a bound keeps a hostile "note" from costing more than a glance.
constexpr std::size_t max_note_size = 1 << 20;
constexpr std::size_t max_signature_lines = 100;

std::string key_hash(std::string_view key_name, std::string_view public_raw) {
    std::string material(key_name);
    material += '\n';
    material += '\x01';  // signature type: Ed25519
    material.append(public_raw);
    return as_bytes(sha256(material)).substr(0, key_hash_size);
}

Result<Checkpoint> malformed(std::string_view what) {
    return fail(ErrorCode::parse, fmt::format("malformed checkpoint: {}", what));
}

std::vector<std::string_view> split_lines(std::string_view text) {
    // `text` ends with '\n'; each line is returned without it.
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        std::size_t nl = text.find('\n');
        lines.push_back(text.substr(0, nl));
        text.remove_prefix(nl + 1);
    }
    return lines;
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
    if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

Result<Checkpoint> parse_body(std::string_view body) {
    std::vector<std::string_view> lines = split_lines(body);
    if (lines.size() < 3) return malformed("the body needs an origin, a tree size and a root hash line");
    Checkpoint checkpoint;
    if (lines[0].empty()) return malformed("empty origin line");
    checkpoint.origin = std::string(lines[0]);
    auto size = parse_size(lines[1]);
    if (!size) return malformed(fmt::format("tree size line is not a decimal number: \"{}\"", lines[1]));
    checkpoint.size = *size;
    auto root = base64_decode(lines[2]);
    if (!root || root->size() != checkpoint.root.size() || base64_encode(*root) != lines[2]) {
        return malformed("the root hash line is not 32 bytes in padded standard base64");
    }
    std::copy(root->begin(), root->end(), checkpoint.root.begin());
    for (std::size_t i = 3; i < lines.size(); ++i) {
        if (lines[i].empty()) return malformed("empty extension line");
    }
    return checkpoint;
}

}  // namespace

std::string sign_checkpoint(const Checkpoint& checkpoint, const SigningKey& key, std::string_view key_name) {
    std::string body =
        fmt::format("{}\n{}\n{}\n", checkpoint.origin, checkpoint.size, base64_encode(as_bytes(checkpoint.root)));
    std::string blob = key_hash(key_name, key.public_raw()) + key.sign(body);
    std::string note = body;
    note += '\n';
    note += em_dash_space;
    note += key_name;
    note += ' ';
    note += base64_encode(blob);
    note += '\n';
    return note;
}

Result<Checkpoint> verify_checkpoint(std::string_view note, std::string_view key_name, std::string_view public_raw) {
    return verify_checkpoint(note, key_name, VerifyingKey(public_raw));
}

Result<Checkpoint> verify_checkpoint(std::string_view note, std::string_view key_name, const VerifyingKey& key) {
    const std::string_view public_raw = key.public_raw();
    if (note.size() > max_note_size) return malformed("larger than any checkpoint");
    for (char c : note) {
        auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\n') || u == 0x7f) return malformed("contains a control character");
    }
    if (note.empty() || note.back() != '\n') return malformed("does not end with a newline");
    // Signature lines never hold a blank line, so the last blank line separates the body from them.
    std::size_t gap = note.rfind("\n\n");
    if (gap == std::string_view::npos) return malformed("no blank line before the signatures");
    std::string_view body = note.substr(0, gap + 1);
    std::string_view block = note.substr(gap + 2);
    if (block.empty()) return malformed("no signature lines");

    std::vector<std::string_view> lines = split_lines(block);
    if (lines.size() > max_signature_lines) return malformed("too many signature lines");
    const std::string wanted_hash = key_hash(key_name, public_raw);
    std::optional<std::string> signature;
    for (std::string_view line : lines) {
        if (!line.starts_with(em_dash_space))
            return malformed("a signature line does not start with an em dash and a space");
        line.remove_prefix(em_dash_space.size());
        std::size_t space = line.find(' ');
        if (space == std::string_view::npos || space == 0) return malformed("a signature line has no key name");
        std::string_view name = line.substr(0, space);
        auto blob = base64_decode(line.substr(space + 1));
        if (!blob || blob->size() < key_hash_size) return malformed("a signature is not valid base64");
        if (name != key_name || blob->substr(0, key_hash_size) != wanted_hash) continue;
        if (blob->size() != key_hash_size + signature_size) {
            return fail(ErrorCode::crypto, fmt::format("bad checkpoint signature by key '{}': wrong length", key_name));
        }
        signature = blob->substr(key_hash_size);
        break;
    }
    if (!signature) {
        return fail(ErrorCode::crypto, fmt::format("checkpoint has no signature by key '{}' (key id {})", key_name,
                                                   key_id_of(public_raw)));
    }
    if (!key.verify(body, *signature)) {
        return fail(
            ErrorCode::crypto,
            fmt::format("bad checkpoint signature by key '{}': the checkpoint or its signature was changed", key_name));
    }
    return parse_body(body);
}

}  // namespace provcheck
