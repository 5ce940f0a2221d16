#include "warc/warc_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "core/hash.hpp"
#include "core/text.hpp"
#include "warc/http_message.hpp"
#include "warc/reader_common.hpp"
#include "warc/warc_input.hpp"

namespace provcheck {

namespace {

// A record's header section larger than this is not a header section (binary garbage, or a wrong offset).
constexpr std::size_t max_header_bytes = 1 << 20;

using detail::add_header_line;
using detail::codings;
using detail::dechunk;
using detail::excerpt;
using detail::Input;
using detail::parse_head;

std::optional<std::uint64_t> parse_decimal(std::string_view s) {
    s = trim(s);
    std::uint64_t v = 0;
    if (s.empty()) return std::nullopt;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

bool is_crlf(char c) noexcept {
    return c == '\r' || c == '\n';
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// WarcRecord

const std::string* WarcRecord::header(std::string_view name) const {
    return find_header(headers, name);
}

namespace {
std::string_view header_or_empty(const WarcRecord& r, std::string_view name) {
    const std::string* v = r.header(name);
    return v != nullptr ? std::string_view(*v) : std::string_view();
}
}  // namespace

std::string_view WarcRecord::type() const {
    return header_or_empty(*this, "WARC-Type");
}
std::string_view WarcRecord::target_uri() const {
    std::string_view v = trim(header_or_empty(*this, "WARC-Target-URI"));
    // WARC/1.0 examples and wget write the URI in angle brackets.
    if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
    return v;
}
std::string_view WarcRecord::record_id() const {
    return header_or_empty(*this, "WARC-Record-ID");
}
std::string_view WarcRecord::date() const {
    return header_or_empty(*this, "WARC-Date");
}
std::string_view WarcRecord::block_digest() const {
    return header_or_empty(*this, "WARC-Block-Digest");
}
std::string_view WarcRecord::payload_digest() const {
    return header_or_empty(*this, "WARC-Payload-Digest");
}
std::string_view WarcRecord::ip_address() const {
    return header_or_empty(*this, "WARC-IP-Address");
}
std::string_view WarcRecord::truncated() const {
    return header_or_empty(*this, "WARC-Truncated");
}
std::string_view WarcRecord::content_type() const {
    return header_or_empty(*this, "Content-Type");
}
std::string_view WarcRecord::refers_to() const {
    return header_or_empty(*this, "WARC-Refers-To");
}
std::string_view WarcRecord::refers_to_target_uri() const {
    std::string_view v = trim(header_or_empty(*this, "WARC-Refers-To-Target-URI"));
    if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
    return v;
}
std::string_view WarcRecord::refers_to_date() const {
    return header_or_empty(*this, "WARC-Refers-To-Date");
}
std::vector<std::string_view> WarcRecord::concurrent_to() const {
    std::vector<std::string_view> out;
    for (const auto& h : headers) {
        if (iequals(h.name, "WARC-Concurrent-To")) out.emplace_back(h.value);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// WarcReader

class WarcReader::Impl {
public:
    Impl(std::filesystem::path path, Input input, WarcReadOptions options)
        : path_(std::move(path)), input_(std::move(input)), options_(options) {}

    Result<std::optional<WarcRecord>> next() {
        if (finished_) return std::nullopt;
        if (pending_error_) {
            finished_ = true;
            return std::unexpected(*std::exchange(pending_error_, std::nullopt));
        }
        auto r = read_one();
        if (!r || !*r) finished_ = true;
        return r;
    }

    // Positions the stream `n` decompressed bytes further (read_record_at's inner offset).
    Result<bool> skip(std::uint64_t n) { return input_.read_into(n, nullptr); }

    [[nodiscard]] bool gzip() const noexcept { return input_.gzip(); }
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

private:
    [[nodiscard]] std::unexpected<Error> damage(std::uint64_t offset, std::string_view what) const {
        return fail(ErrorCode::parse, fmt::format("{}: offset {}: {}", path_.string(), offset, what));
    }

    // The next line without its CR/LF; nullopt when the input ends first.
    Result<std::optional<std::string>> read_line(std::uint64_t record_offset, std::size_t& header_bytes) {
        std::size_t scanned = 0;
        for (;;) {
            std::string_view v = input_.view();
            auto nl = v.find('\n', scanned);
            if (nl != std::string_view::npos) {
                std::string line(v.substr(0, nl));
                if (!line.empty() && line.back() == '\r') line.pop_back();
                header_bytes += nl + 1;
                if (header_bytes > max_header_bytes) return damage(record_offset, "header section too large");
                input_.consume(nl + 1);
                return line;
            }
            scanned = v.size();
            if (header_bytes + scanned > max_header_bytes) return damage(record_offset, "header section too large");
            auto more = input_.pull();
            if (!more) return std::unexpected(more.error());
            if (!*more) return std::optional<std::string>();
        }
    }

    Result<std::optional<WarcRecord>> read_one() {
        // Writers disagree on the blank lines between records; any run of CR/LF is accepted there.
        for (;;) {
            auto got = input_.ensure(1);
            if (!got) return std::unexpected(got.error());
            if (!*got) return std::nullopt;
            if (!is_crlf(input_.view()[0])) break;
            input_.consume(1);
        }
        const std::uint64_t start = input_.pos();
        WarcRecord rec;
        rec.offset = start;
        const Input::Member* first_member = nullptr;
        if (input_.gzip()) {
            input_.forget_members_before(start);
            for (const auto& m : input_.members()) {
                if (m.u_start <= start) first_member = &m;
            }
            if (first_member == nullptr) return damage(start, "record outside any gzip member");
            rec.offset = first_member->c_start;
            rec.inner_offset = start - first_member->u_start;
        }
        const std::uint64_t first_u_start = first_member != nullptr ? first_member->u_start : start;

        std::size_t header_bytes = 0;
        auto first = read_line(rec.offset, header_bytes);
        if (!first) return std::unexpected(first.error());
        if (!*first) return damage(rec.offset, "file ends inside a record header");
        if (!(*first)->starts_with("WARC/")) {
            if (rec.offset == 0 && (*first)->starts_with("filedesc://")) {
                return damage(rec.offset, "an ARC file, not a WARC file");
            }
            return damage(rec.offset, fmt::format("not a WARC record (starts with \"{}\")", excerpt(**first)));
        }
        rec.version = std::move(**first);
        for (;;) {
            auto line = read_line(rec.offset, header_bytes);
            if (!line) return std::unexpected(line.error());
            if (!*line) return damage(rec.offset, "file ends inside a record header");
            if ((*line)->empty()) break;
            const std::string& l = **line;
            if (!add_header_line(rec.headers, l)) {
                return damage(rec.offset, fmt::format("malformed header line \"{}\"", excerpt(l)));
            }
        }
        const std::string* cl = rec.header("Content-Length");
        if (cl == nullptr) return damage(rec.offset, "record has no Content-Length");
        auto length = parse_decimal(*cl);
        if (!length) return damage(rec.offset, fmt::format("invalid Content-Length \"{}\"", excerpt(*cl)));
        if (*length > options_.max_block) {
            return damage(rec.offset, fmt::format("record block of {} bytes is over the limit of {} bytes", *length,
                                                  options_.max_block));
        }
        rec.block_length = *length;
        const bool keep = options_.load_block && options_.consumer == nullptr;
        if (keep) rec.block.reserve(static_cast<std::size_t>(*length));
        const std::uint64_t block_start = input_.pos();
        if (options_.consumer != nullptr) options_.consumer->begin(rec);
        auto complete = options_.consumer != nullptr ? input_.read_through(*length, *options_.consumer)
                                                     : input_.read_into(*length, keep ? &rec.block : nullptr);
        if (!complete) return std::unexpected(complete.error());
        if (!*complete) {
            return damage(rec.offset, fmt::format("record is truncated: block has {} of {} bytes",
                                                  input_.pos() - block_start, *length));
        }
        const std::uint64_t block_end = input_.pos();

        // The terminator. Reading past it also makes the decompressor reach the end of the record's gzip
        // member, which checks its CRC: a record whose member is torn is never returned.
        auto member_done = [&] {
            return std::any_of(input_.members().begin(), input_.members().end(),
                               [&](const Input::Member& m) { return m.u_end && *m.u_end >= block_end; });
        };
        std::optional<Error> later;
        auto settle = [&](const Error& e) -> bool {
            if (input_.gzip() && member_done()) {
                later = e;  // this record is whole; the damage belongs to what follows
                return true;
            }
            return false;
        };
        bool at_end = false;
        for (;;) {
            auto got = input_.ensure(1);
            if (!got) {
                if (!settle(got.error())) return std::unexpected(got.error());
                at_end = true;
                break;
            }
            if (!*got) {
                at_end = true;
                break;
            }
            if (!is_crlf(input_.view()[0])) break;
            input_.consume(1);
        }
        const std::uint64_t end = input_.pos();
        if (!at_end) {
            auto got = input_.ensure(5);
            if (!got) {
                if (!settle(got.error())) return std::unexpected(got.error());
            } else if (!input_.view().starts_with("WARC/")) {
                return damage(rec.offset, fmt::format("Content-Length {} does not end the record (followed by \"{}\")",
                                                      *length, excerpt(input_.view())));
            }
        }
        if (input_.gzip()) {
            const Input::Member* last = nullptr;
            for (const auto& m : input_.members()) {
                if (m.u_end && *m.u_end == end) last = &m;
            }
            rec.shares_member = last == nullptr || first_u_start != start;
            rec.length = rec.shares_member ? end - start : *last->c_end - rec.offset;
        } else {
            rec.length = end - start;
        }
        pending_error_ = std::move(later);
        return rec;
    }

    std::filesystem::path path_;
    Input input_;
    WarcReadOptions options_;
    bool finished_ = false;
    std::optional<Error> pending_error_;
};

WarcReader::WarcReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WarcReader::WarcReader(WarcReader&&) noexcept = default;
WarcReader& WarcReader::operator=(WarcReader&&) noexcept = default;
WarcReader::~WarcReader() = default;

Result<WarcReader> WarcReader::open(const std::filesystem::path& path, WarcReadOptions options) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return fail(ErrorCode::io, fmt::format("{}: is a directory", path.string()));
    }
    auto input = Input::open(path, 0);
    if (!input) return std::unexpected(input.error());
    return WarcReader(std::make_unique<Impl>(path, std::move(*input), options));
}

Result<std::optional<WarcRecord>> WarcReader::next() {
    return impl_->next();
}
bool WarcReader::gzip() const noexcept {
    return impl_->gzip();
}
const std::filesystem::path& WarcReader::path() const noexcept {
    return impl_->path();
}

WarcScan scan_warc(const std::filesystem::path& path, WarcReadOptions options) {
    WarcScan scan;
    auto reader = WarcReader::open(path, options);
    if (!reader) {
        scan.error = reader.error();
        return scan;
    }
    for (;;) {
        auto rec = reader->next();
        if (!rec) {
            scan.error = rec.error();
            break;
        }
        if (!*rec) break;
        scan.records.push_back(std::move(**rec));
    }
    return scan;
}

namespace {

Result<WarcRecord> record_from(Result<Input> input, const std::filesystem::path& path, std::uint64_t offset,
                               std::uint64_t inner_offset, WarcReadOptions options) {
    if (!input) return std::unexpected(input.error());
    WarcReader::Impl impl(path, std::move(*input), options);
    if (inner_offset > 0) {
        auto skipped = impl.skip(inner_offset);
        if (!skipped) return std::unexpected(skipped.error());
        if (!*skipped) {
            return fail(ErrorCode::parse, fmt::format("{}: offset {}+{}: beyond the end of the data", path.string(),
                                                      offset, inner_offset));
        }
    }
    auto rec = impl.next();
    if (!rec) return std::unexpected(rec.error());
    if (!*rec) return fail(ErrorCode::parse, fmt::format("{}: offset {}: no record there", path.string(), offset));
    return std::move(**rec);
}

}  // namespace

Result<WarcRecord> read_record_at(const std::filesystem::path& path, std::uint64_t offset, std::uint64_t inner_offset,
                                  WarcReadOptions options) {
    return record_from(Input::open(path, offset), path, offset, inner_offset, options);
}

Result<WarcRecord> read_record_at(WarcBytes& bytes, const std::string& name, std::uint64_t offset,
                                  std::uint64_t inner_offset, WarcReadOptions options) {
    return record_from(Input::open(bytes, name, offset), name, offset, inner_offset, options);
}

// ---------------------------------------------------------------------------------------------
// Digests

namespace {
constexpr char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

enum class Parsed { not_sha256, malformed };

// The 32 digest bytes of "sha256:<hex|base32>".
std::expected<std::string, Parsed> parse_sha256_digest(std::string_view value) {
    value = trim(value);
    auto colon = value.find(':');
    if (colon == std::string_view::npos) return std::unexpected(Parsed::malformed);
    std::string alg = to_lower_ascii(value.substr(0, colon));
    if (alg != "sha256" && alg != "sha-256") return std::unexpected(Parsed::not_sha256);
    std::string_view text = value.substr(colon + 1);
    std::optional<std::string> bytes;
    if (text.size() == 64) bytes = from_hex(text);
    if (!bytes) bytes = base32_decode(text);
    if (!bytes || bytes->size() != 32) return std::unexpected(Parsed::malformed);
    return *bytes;
}

DigestStatus check(std::string_view declared, std::initializer_list<std::string_view> candidates) {
    if (declared.empty()) return DigestStatus::absent;
    auto want = parse_sha256_digest(declared);
    if (!want) return want.error() == Parsed::not_sha256 ? DigestStatus::not_checkable : DigestStatus::malformed;
    for (auto bytes : candidates) {
        if (as_bytes(sha256(bytes)) == *want) return DigestStatus::match;
    }
    return DigestStatus::mismatch;
}
}  // namespace

DigestCheck verify_digests(const WarcRecord& record) {
    DigestCheck out;
    std::string_view block_digest = record.block_digest();
    std::string_view payload_digest = record.payload_digest();
    if (record.block.size() != record.block_length) {
        // Read without its block: nothing to recompute.
        out.block = block_digest.empty() ? DigestStatus::absent : DigestStatus::not_checkable;
        out.payload = payload_digest.empty() ? DigestStatus::absent : DigestStatus::not_checkable;
        return out;
    }
    out.block = check(block_digest, {record.block});
    if (payload_digest.empty()) return out;
    std::string type = to_lower_ascii(record.type());
    if (type == "revisit") {
        out.payload = DigestStatus::not_checkable;  // the payload is in the record it refers to
        return out;
    }
    bool http = istarts_with(trim(record.content_type()), "application/http");
    if (!http || (type != "response" && type != "request")) {
        out.payload = check(payload_digest, {record.block});
        return out;
    }
    auto head = parse_head(record.block);
    if (!head) {
        out.payload = DigestStatus::not_checkable;
        return out;
    }
    std::string_view raw = std::string_view(record.block).substr(head->length);
    std::string dechunked;
    for (const auto& c : codings(head->headers, "Transfer-Encoding")) {
        if (iequals(c, "chunked")) {
            if (auto d = dechunk(raw, record.block_length)) dechunked = std::move(*d);
        }
    }
    out.payload = dechunked.empty() ? check(payload_digest, {raw}) : check(payload_digest, {raw, dechunked});
    return out;
}

std::string_view to_string(DigestStatus s) noexcept {
    switch (s) {
        case DigestStatus::absent:
            return "absent";
        case DigestStatus::match:
            return "match";
        case DigestStatus::mismatch:
            return "mismatch";
        case DigestStatus::not_checkable:
            return "not_checkable";
        case DigestStatus::malformed:
            return "malformed";
    }
    return "unknown";
}

std::optional<std::string> base32_decode(std::string_view text) {
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        char u = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
        const char* at = std::strchr(base32_alphabet, u);
        if (u == '\0' || at == nullptr) return std::nullopt;
        acc = (acc << 5) | static_cast<std::uint32_t>(at - base32_alphabet);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xff));
        }
        acc &= (1U << bits) - 1;
    }
    if (bits >= 5) return std::nullopt;  // a dangling character cannot encode a byte
    return out;
}

std::string base32_encode(std::string_view bytes) {
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char b : bytes) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out += base32_alphabet[(acc >> bits) & 31];
        }
        acc &= (1U << bits) - 1;
    }
    if (bits > 0) out += base32_alphabet[(acc << (5 - bits)) & 31];
    while (out.size() % 8 != 0)
        out += '=';
    return out;
}

}  // namespace provcheck
