#include "warc/warc_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <utility>

#include <fmt/format.h>

#include "core/hash.hpp"
#include "core/text.hpp"
#include "warc/http_message.hpp"
#include "warc/reader_common.hpp"
#include "warc/warc_input.hpp"
#include "warc/zlib_stream.hpp"

namespace provcheck {

namespace {

// A record's header section larger than this is not a header section (binary garbage, or a wrong offset).
constexpr std::size_t max_header_bytes = 1 << 20;

using detail::add_header_line;
using detail::chunk_size;
using detail::codings;
using detail::dechunk;
using detail::excerpt;
using detail::InflateStream;
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
// Payloads decoded as they stream (read_payload_at)

namespace {

// Takes decoded bytes; false once it wants no more (the payload reached its bound).
using Emit = std::function<bool(std::string_view)>;

// One coding undone piece by piece. A decoder stops feeding as soon as `out` says it wants no more.
class Decoder {
public:
    virtual ~Decoder() = default;
    virtual Result<void> feed(std::string_view in, const Emit& out) = 0;
    // The input ended: an Error when the coding is incomplete (a missing last chunk, a torn gzip member).
    virtual Result<void> finish() = 0;
};

// Transfer-Encoding: chunked, with dechunk()'s rules: a size line (hex, optional ";ext"), the chunk, a line
// end; a zero size ends the body and whatever follows (trailers) is ignored.
class Dechunker final : public Decoder {
public:
    Result<void> feed(std::string_view in, const Emit& out) override {
        std::size_t i = 0;
        while (i < in.size()) {
            switch (state_) {
                case State::size_line: {
                    const auto nl = in.find('\n', i);
                    const std::string_view part = in.substr(i, nl == std::string_view::npos ? in.size() - i : nl - i);
                    if (line_.size() + part.size() > 4096)
                        return fail(ErrorCode::parse, "chunked body: chunk size line too long");
                    line_.append(part);
                    if (nl == std::string_view::npos) return {};
                    i = nl + 1;
                    std::string_view line = line_;
                    if (auto semi = line.find(';'); semi != std::string_view::npos) line = line.substr(0, semi);
                    line = trim(line);
                    std::uint64_t size = 0;
                    auto [p, ec] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
                    if (line.empty() || ec != std::errc{} || p != line.data() + line.size()) {
                        return fail(ErrorCode::parse,
                                    fmt::format("chunked body: invalid chunk size \"{}\"", excerpt(line)));
                    }
                    line_.clear();
                    left_ = size;
                    state_ = size == 0 ? State::done : State::data;
                    break;
                }
                case State::data: {
                    const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(left_, in.size() - i));
                    if (!out(in.substr(i, take))) {
                        state_ = State::done;  // enough: the rest is not wanted
                        return {};
                    }
                    i += take;
                    left_ -= take;
                    if (left_ == 0) state_ = State::line_end;
                    break;
                }
                case State::line_end:
                    if (in[i] == '\r') {
                        state_ = State::line_feed;
                    } else if (in[i] == '\n') {
                        state_ = State::size_line;
                    } else {
                        return fail(ErrorCode::parse, "chunked body: chunk not followed by a line end");
                    }
                    ++i;
                    break;
                case State::line_feed:
                    if (in[i] != '\n') return fail(ErrorCode::parse, "chunked body: chunk not followed by a line end");
                    state_ = State::size_line;
                    ++i;
                    break;
                case State::done:
                    return {};
            }
        }
        return {};
    }

    Result<void> finish() override {
        if (state_ == State::done) return {};
        if (state_ == State::data) return fail(ErrorCode::parse, "chunked body: chunk runs past the end");
        return fail(ErrorCode::parse, "chunked body: missing chunk size line");
    }

private:
    enum class State { size_line, data, line_end, line_feed, done };
    State state_ = State::size_line;
    std::string line_;
    std::uint64_t left_ = 0;
};

// gzip (with further members after the first), zlib-wrapped or raw deflate ("deflate" is told apart by its
// first two bytes, as browsers do), inflated 64 KiB at a time.
class Inflater final : public Decoder {
public:
    enum class Kind { gzip, deflate };
    explicit Inflater(Kind kind) : kind_(kind), chunk_(chunk_size, '\0') {}

    Result<void> feed(std::string_view in, const Emit& out) override {
        while (!in.empty() && !stopped_) {
            if (!z_) {
                // The first two bytes decide the wrapper (and, after a member ended, whether another follows).
                if (pending_.size() + in.size() < 2) {
                    pending_.append(in);
                    return {};
                }
                const auto b0 = static_cast<unsigned char>(pending_.empty() ? in[0] : pending_[0]);
                const auto b1 = static_cast<unsigned char>(pending_.empty() ? in[1] : in[0]);
                if (members_ > 0 && !(b0 == 0x1f && b1 == 0x8b)) {
                    stopped_ = true;  // bytes after the last member are ignored, as browsers do
                    return {};
                }
                int bits = 15 + 16;
                if (kind_ == Kind::deflate) bits = (b0 & 0x0f) == 8 && ((b0 << 8) | b1) % 31 == 0 ? 15 : -15;
                auto z = InflateStream::open(bits);
                if (!z) return std::unexpected(z.error());
                z_ = std::move(*z);
                in_stream_ = true;
                if (!pending_.empty()) {
                    const std::string first = std::exchange(pending_, {});  // one byte: no stream ends in it
                    auto used = inflate_some(first, out);
                    if (!used) return std::unexpected(used.error());
                    continue;
                }
            }
            auto used = inflate_some(in, out);
            if (!used) return std::unexpected(used.error());
            in.remove_prefix(*used);
        }
        return {};
    }

    Result<void> finish() override {
        if (stopped_ || (!in_stream_ && members_ > 0)) return {};
        return fail(ErrorCode::parse, "compressed body is truncated");
    }

private:
    // Inflates `in` until it is used up or the stream ends in it; returns how many bytes it used.
    Result<std::size_t> inflate_some(std::string_view in, const Emit& out) {
        z_->input(in);
        while (true) {
            const auto step = z_->inflate(chunk_.data(), chunk_.size());
            const std::size_t produced = step.produced;
            const std::size_t used = in.size() - z_->unread().size();
            if (produced > 0 && !out(std::string_view(chunk_.data(), produced))) {
                stopped_ = true;
                return in.size();
            }
            if (step.status == InflateStream::Status::stream_end) {
                ++members_;
                in_stream_ = false;
                z_.reset();
                if (kind_ == Kind::deflate) stopped_ = true;  // one stream; what follows is ignored
                return used;
            }
            if (step.status == InflateStream::Status::corrupt) {
                return fail(ErrorCode::parse, fmt::format("compressed body does not decode: {}",
                                                          z_->message() != nullptr ? z_->message() : "error"));
            }
            // Everything given was used and the output had room: more input is needed.
            if (z_->unread().empty() && (produced != chunk_.size() || step.status == InflateStream::Status::stalled)) {
                return used;
            }
        }
    }

    Kind kind_;
    std::optional<InflateStream> z_;
    std::string chunk_;
    std::string pending_;
    bool in_stream_ = false;
    bool stopped_ = false;
    std::size_t members_ = 0;
};

// The whole of read_payload_at: the block's HTTP head, then its payload through the decoders, kept up to the
// bound. Errors are kept and reported once the record has been read whole.
class PayloadStream final : public BlockConsumer {
public:
    explicit PayloadStream(std::uint64_t max_body) : max_body_(max_body) {}

    void begin(const WarcRecord& record) override {
        type_ = to_lower_ascii(trim(record.type()));
        in_head_ = type_ == "response" || type_ == "request" || type_ == "revisit";
    }

    void piece(std::string_view bytes) override {
        if (error_ || done_) return;
        if (in_head_) {
            // The head ends at the first blank line; the search starts a few bytes back, in case the blank
            // line straddles two pieces.
            const std::size_t from = head_.size() > 3 ? head_.size() - 3 : 0;
            head_.append(bytes);
            const auto len = http_head_length(std::string_view(head_).substr(from));
            if (!len) {
                if (head_.size() <= max_head) return;
                if (type_ == "response") {
                    error_ = Error{ErrorCode::parse, "no HTTP head within 1 MiB"};
                } else {
                    head_.resize(max_head);  // a request or revisit: its head is only shown
                    done_ = true;
                }
                return;
            }
            const std::size_t end = from + *len;
            std::string rest = head_.substr(end);
            head_.resize(end);
            in_head_ = false;
            if (type_ != "response") {
                done_ = true;  // a request or revisit: the head is all that is wanted
                return;
            }
            if (auto r = start_decoding(); !r) {
                error_ = r.error();
                return;
            }
            pass(rest);
            return;
        }
        pass(bytes);
    }

    // After the record was read whole.
    Result<void> finish() {
        if (error_) return std::unexpected(*error_);
        if (in_head_ && type_ == "response") {
            return fail(ErrorCode::parse, "no HTTP head (the blank line after the headers is missing)");
        }
        if (!truncated_) {
            for (auto& d : decoders_) {
                if (auto r = d->finish(); !r) return r;
            }
        }
        return {};
    }

    std::string head_;
    std::string body_;
    bool truncated_ = false;

private:
    static constexpr std::size_t max_head = 1 << 20;
    static constexpr std::size_t max_codings = 8;  // no server applies more; each holds a 64 KiB buffer

    Result<void> start_decoding() {
        auto head = parse_http_response_head(head_);
        if (!head) return std::unexpected(head.error());
        // Undone in parse_http_response's order: transfer codings, then content codings, each last one first.
        for (auto name : {"Transfer-Encoding", "Content-Encoding"}) {
            auto list = codings(head->headers, name);
            if (list.size() + decoders_.size() > max_codings) {
                return fail(ErrorCode::parse, fmt::format("more than {} codings", max_codings));
            }
            for (auto it = list.rbegin(); it != list.rend(); ++it) {
                const std::string c = to_lower_ascii(trim(*it));
                if (c.empty() || c == "identity") continue;
                if (c == "chunked") {
                    decoders_.push_back(std::make_unique<Dechunker>());
                } else if (c == "gzip" || c == "x-gzip") {
                    decoders_.push_back(std::make_unique<Inflater>(Inflater::Kind::gzip));
                } else if (c == "deflate") {
                    decoders_.push_back(std::make_unique<Inflater>(Inflater::Kind::deflate));
                } else {
                    return fail(ErrorCode::parse,
                                fmt::format("{} {}: unsupported coding \"{}\"", name, excerpt(*it), excerpt(c)));
                }
            }
        }
        return {};
    }

    void pass(std::string_view bytes) {
        if (bytes.empty() || done_) return;
        if (auto r = feed_at(0, bytes); !r) error_ = r.error();
    }

    Result<void> feed_at(std::size_t stage, std::string_view bytes) {
        if (stage == decoders_.size()) {
            keep(bytes);
            return {};
        }
        std::optional<Error> inner;
        auto r = decoders_[stage]->feed(bytes, [&](std::string_view out) {
            if (auto next = feed_at(stage + 1, out); !next) {
                inner = next.error();
                return false;
            }
            return !done_;
        });
        if (inner) return std::unexpected(*inner);
        return r;
    }

    void keep(std::string_view bytes) {
        const std::uint64_t room = max_body_ - body_.size();
        if (bytes.size() > room) {
            body_.append(bytes.substr(0, static_cast<std::size_t>(room)));
            truncated_ = true;
            done_ = true;
            return;
        }
        body_.append(bytes);
    }

    std::uint64_t max_body_;
    std::string type_;
    bool in_head_ = false;
    bool done_ = false;
    std::optional<Error> error_;
    std::vector<std::unique_ptr<Decoder>> decoders_;
};

}  // namespace

Result<BoundedPayload> read_payload_at(const std::filesystem::path& path, std::uint64_t offset,
                                       std::uint64_t inner_offset, std::uint64_t max_body) {
    PayloadStream stream(max_body);
    WarcReadOptions options;
    options.load_block = false;
    options.max_block = std::numeric_limits<std::uint64_t>::max();  // nothing past max_body is kept
    options.consumer = &stream;
    auto rec = read_record_at(path, offset, inner_offset, options);
    if (!rec) return std::unexpected(rec.error());
    if (auto done = stream.finish(); !done) {
        return fail(ErrorCode::parse, fmt::format("{}: offset {}: {}", path.string(), offset, done.error().message));
    }
    BoundedPayload out;
    out.record = std::move(*rec);
    out.http_head = std::move(stream.head_);
    out.body = std::move(stream.body_);
    out.truncated = stream.truncated_;
    return out;
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
