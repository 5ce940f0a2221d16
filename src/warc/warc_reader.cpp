#include "warc/warc_reader.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

#include <fmt/format.h>

#include "core/text.hpp"
#include "warc/http_message.hpp"
#include "warc/reader_common.hpp"
#include "warc/warc_input.hpp"

namespace provcheck {

namespace {

// A record's header section larger than this is not a header section (binary garbage, or a wrong offset).
constexpr std::size_t max_header_bytes = 1 << 20;

using detail::add_header_line;
using detail::excerpt;
using detail::Input;

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

}  // namespace provcheck
