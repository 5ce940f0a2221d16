#include "warc/warc_reader.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/text.hpp"
#include "warc/http_message.hpp"
#include "warc/reader_common.hpp"
#include "warc/zlib_stream.hpp"

namespace provcheck {

// ---------------------------------------------------------------------------------------------
// Payloads decoded as they stream (read_payload_at)

namespace {

using detail::chunk_size;
using detail::codings;
using detail::excerpt;
using detail::InflateStream;

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

}  // namespace provcheck
