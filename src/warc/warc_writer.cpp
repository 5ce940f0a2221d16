#include "warc/warc_writer.hpp"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/handles.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"
#include "warc/gzip_members.hpp"
#include "warc/zlib_stream.hpp"

namespace provcheck {

namespace {

using detail::DeflateStream;
using detail::GzipMembers;
using detail::TwoWayGzip;

// Bits of information per byte in `sample` (the Shannon entropy of its byte histogram): near 8 for data that
// is already compressed or encrypted (JPEG, PNG, video, zip), which deflate spends its time on in vain.
double byte_entropy(std::string_view sample) {
    std::array<std::size_t, 256> counts{};
    for (char c : sample)
        ++counts[static_cast<unsigned char>(c)];
    double bits = 0;
    const auto n = static_cast<double>(sample.size());
    for (std::size_t k : counts) {
        if (k == 0) continue;
        const double p = static_cast<double>(k) / n;
        bits -= p * std::log2(p);
    }
    return bits;
}

// How a payload is compressed: stored when its first 64 KiB look incompressible, else at zlib's default level.
// Text and markup sit far below the threshold (5 to 6.5 bits per byte, multi-byte scripts included).
Result<int> compression_level(const Exchange& ex) {
    constexpr std::size_t sample_bytes = 64 * 1024;
    constexpr double incompressible_bits = 7.8;
    if (body_size(ex) < sample_bytes) return DeflateStream::default_level;
    std::string from_disk;
    std::string_view sample;
    if (ex.spooled) {
        auto read = ex.spooled->read(0, sample_bytes);
        if (!read) return std::unexpected(read.error());
        from_disk = std::move(*read);
        sample = from_disk;
    } else {
        sample = std::string_view(ex.body).substr(0, sample_bytes);
    }
    return byte_entropy(sample) > incompressible_bits ? DeflateStream::no_compression : DeflateStream::default_level;
}

// Printable start of a URL for messages: control bytes would break the message's own lines.
std::string excerpt_url(std::string_view url) {
    std::string out;
    for (char c : url.substr(0, 200))
        out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
    return out;
}

bool has_line_break(std::string_view s) noexcept {
    return s.find_first_of("\r\n", 0) != std::string_view::npos || s.find('\0') != std::string_view::npos;
}

// A record's header: version line, fields, Content-Length of a block of `block_size` bytes, empty line.
std::string frame_head(const std::vector<Header>& fields, std::uint64_t block_size) {
    std::string out = "WARC/1.1\r\n";
    for (const auto& f : fields)
        out += fmt::format("{}: {}\r\n", f.name, f.value);
    out += fmt::format("Content-Length: {}\r\n\r\n", block_size);
    return out;
}

constexpr std::string_view record_end = "\r\n\r\n";

std::string frame(const std::vector<Header>& fields, std::string_view block) {
    std::string out = frame_head(fields, block.size());
    out += block;
    out += record_end;
    return out;
}

std::string digest_field(std::string_view bytes) {
    return "sha256:" + sha256_hex(bytes);
}

bool is_framing_header(std::string_view name) {
    return iequals(name, "Content-Encoding") || iequals(name, "Transfer-Encoding") || iequals(name, "Content-Length");
}

// The head of a response block: status line and headers made true for the decoded body (see the header).
std::string response_head(const Exchange& ex) {
    const std::uint64_t size = body_size(ex);
    bool rewrite = false;
    bool has_length = false;
    for (const auto& h : ex.headers) {
        if (iequals(h.name, "Content-Encoding") || iequals(h.name, "Transfer-Encoding")) rewrite = true;
        if (iequals(h.name, "Content-Length")) {
            has_length = true;
            if (trim(h.value) != std::to_string(size)) rewrite = true;
        }
    }
    if (!has_length) rewrite = true;
    std::string out = ex.status_line + "\r\n";
    for (const auto& h : ex.headers) {
        bool keep_aside = rewrite && is_framing_header(h.name);
        out += fmt::format("{}{}: {}\r\n", keep_aside ? original_header_prefix : "", h.name, h.value);
    }
    if (rewrite) out += fmt::format("Content-Length: {}\r\n", size);
    out += "\r\n";
    return out;
}

Result<void> check_exchange(const Exchange& ex) {
    auto bad = [&](std::string_view what) {
        return fail(ErrorCode::internal,
                    fmt::format("exchange for {} cannot be stored: {}", excerpt_url(ex.url), what));
    };
    if (ex.url.empty() || has_line_break(ex.url) || ex.url.find(' ') != std::string::npos) return bad("invalid URL");
    if (has_line_break(ex.remote_ip) || has_line_break(ex.content_type) ||
        (ex.truncated && (ex.truncated->empty() || has_line_break(*ex.truncated)))) {
        return bad("a line break inside a record field");
    }
    if (ex.is_resource) return {};
    if (!ex.status_line.starts_with("HTTP/") || has_line_break(ex.status_line)) return bad("no valid status line");
    if (!ex.request_head.empty() && !ex.request_head.ends_with("\r\n\r\n")) {
        return bad("request head does not end with an empty line");
    }
    for (const auto& h : ex.headers) {
        if (h.name.empty() || h.name.find(':') != std::string::npos ||
            h.name.find_first_of(" \t") != std::string::npos || has_line_break(h.name) || has_line_break(h.value)) {
            return bad(fmt::format("malformed header \"{}\"", h.name));
        }
    }
    return {};
}

// WARC-Date of an exchange: its fetched_at in UTC (kept as written when already UTC, so fractions survive).
Result<std::string> warc_date(const Exchange& ex, const Clock& clock) {
    if (ex.fetched_at.empty()) return format_rfc3339(clock.now());
    auto t = parse_rfc3339(ex.fetched_at);
    if (!t)
        return fail(ErrorCode::internal, fmt::format("exchange for {}: fetched_at \"{}\" is not RFC 3339",
                                                     excerpt_url(ex.url), excerpt_url(ex.fetched_at)));
    if (ex.fetched_at.size() >= 20 && ex.fetched_at[10] == 'T' && ex.fetched_at.back() == 'Z') return ex.fetched_at;
    return format_rfc3339(*t);
}
}  // namespace

Result<std::string> new_record_id() {
    std::array<unsigned char, 16> b{};
    if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) {
        return fail(ErrorCode::crypto, "no random bytes for a record id");
    }
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
    std::string hex = to_hex(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
    return fmt::format("<urn:uuid:{}-{}-{}-{}-{}>", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4),
                       hex.substr(16, 4), hex.substr(20));
}

class WarcWriter::Impl {
public:
    Impl(std::filesystem::path path, std::string relative, UniqueFd file, const Clock& clock)
        : path_(std::move(path)), relative_(std::move(relative)), file_(std::move(file)), clock_(&clock) {}

    Result<void> write_warcinfo() {
        auto id = new_record_id();
        if (!id) return std::unexpected(id.error());
        warcinfo_id_ = *id;
        std::string block = fmt::format(
            "software: provcheck/{}\r\nformat: WARC File Format 1.1\r\n"
            "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n",
            PROVCHECK_VERSION);
        std::vector<Header> fields{{"WARC-Type", "warcinfo"},
                                   {"WARC-Record-ID", warcinfo_id_},
                                   {"WARC-Date", format_rfc3339(clock_->now())},
                                   {"WARC-Filename", path_.filename().string()},
                                   {"Content-Type", "application/warc-fields"},
                                   {"WARC-Block-Digest", digest_field(block)}};
        auto member = gzip_.member(frame(fields, block));
        if (!member) return std::unexpected(member.error());
        return append(*member);
    }

    Result<Stored> store(const Exchange& ex) {
        if (auto ok = check_exchange(ex); !ok) return std::unexpected(ok.error());
        auto date = warc_date(ex, *clock_);
        if (!date) return std::unexpected(date.error());
        auto main_id = new_record_id();
        if (!main_id) return std::unexpected(main_id.error());

        Stored stored;
        stored.ref.warc_file = relative_;
        stored.ref.record_id = *main_id;
        // The block is the HTTP head (none for a resource) and the payload; a spooled payload is read twice
        // from its file, once for the digests that go in the record's header and once to compress it.
        const std::string head = ex.is_resource ? std::string() : response_head(ex);
        if (ex.spooled) {
            Sha256Stream block_hash;
            Sha256Stream payload_hash;
            block_hash.update(head);
            auto hashed = ex.spooled->for_each_chunk([&](std::string_view piece) -> Result<void> {
                block_hash.update(piece);
                payload_hash.update(piece);
                return {};
            });
            if (!hashed) return std::unexpected(hashed.error());
            stored.block_sha256 = to_hex(block_hash.finish());
            stored.payload_sha256 = to_hex(payload_hash.finish());
        } else {
            stored.payload_sha256 = sha256_hex(ex.body);
            Sha256Stream block_hash;
            block_hash.update(head);
            block_hash.update(ex.body);
            stored.block_sha256 = to_hex(block_hash.finish());
        }
        std::string request_member;
        std::vector<Header> fields;
        if (ex.is_resource) {
            fields = {{"WARC-Type", "resource"},
                      {"WARC-Record-ID", *main_id},
                      {"WARC-Date", *date},
                      {"WARC-Target-URI", ex.url},
                      {"WARC-Warcinfo-ID", warcinfo_id_},
                      {"Content-Type", ex.content_type.empty() ? "application/octet-stream" : ex.content_type}};
        } else {
            fields = {{"WARC-Type", "response"},
                      {"WARC-Record-ID", *main_id},
                      {"WARC-Date", *date},
                      {"WARC-Target-URI", ex.url}};
            if (!ex.remote_ip.empty()) fields.push_back({"WARC-IP-Address", ex.remote_ip});
            auto request = request_record(ex, *date, *main_id, fields);
            if (!request) return std::unexpected(request.error());
            request_member = std::move(*request);
            fields.push_back({"WARC-Warcinfo-ID", warcinfo_id_});
            fields.push_back({"Content-Type", "application/http;msgtype=response"});
        }
        fields.push_back({"WARC-Block-Digest", "sha256:" + stored.block_sha256});
        fields.push_back({"WARC-Payload-Digest", "sha256:" + stored.payload_sha256});
        if (ex.truncated) fields.push_back({"WARC-Truncated", *ex.truncated});

        auto level = compression_level(ex);
        if (!level) return std::unexpected(level.error());
        stored.ref.offset = size_ + request_member.size();
        auto written = write_record([&](const GzipMembers::Emit& emit) -> Result<void> {
            if (auto ok = emit(request_member); !ok) return ok;
            // A large payload held in memory (text, which compresses) is compressed two pieces at a time, unless
            // the other core is busy with it already.
            if (!ex.spooled && !ex.shares_cores && *level != DeflateStream::no_compression &&
                ex.body.size() >= 2 * TwoWayGzip::piece_bytes) {
                return two_way_.member(frame_head(fields, head.size() + body_size(ex)) + head, ex.body, record_end,
                                       *level, emit);
            }
            if (auto ok = gzip_.begin(*level); !ok) return ok;
            if (auto ok = gzip_.add(frame_head(fields, head.size() + body_size(ex)) + head, false, emit); !ok) {
                return ok;
            }
            if (ex.spooled) {
                auto ok = ex.spooled->for_each_chunk(
                    [&](std::string_view piece) -> Result<void> { return gzip_.add(piece, false, emit); });
                if (!ok) return ok;
            } else if (auto ok = gzip_.add(ex.body, false, emit); !ok) {
                return ok;
            }
            return gzip_.add(record_end, true, emit);
        });
        if (!written) return std::unexpected(written.error());
        stored.ref.length = *written - request_member.size();
        return stored;
    }

    Result<Stored> store_revisit(const Exchange& ex, const CachedResponse& original) {
        if (auto ok = check_exchange(ex); !ok) return std::unexpected(ok.error());
        if (original.stored.record_id.empty() || original.payload_sha256.size() != 64) {
            return fail(ErrorCode::store,
                        fmt::format("{}: a revisit needs the original record's id and payload digest", ex.url));
        }
        auto date = warc_date(ex, *clock_);
        if (!date) return std::unexpected(date.error());
        auto revisit_id = new_record_id();
        if (!revisit_id) return std::unexpected(revisit_id.error());
        // The block of a server-not-modified revisit is the 304's head alone: there is no payload to keep.
        Exchange head_only = ex;
        head_only.body.clear();
        head_only.spooled.reset();
        std::string block = response_head(head_only);

        Stored stored;
        stored.ref.warc_file = relative_;
        stored.ref.record_id = *revisit_id;
        stored.block_sha256 = sha256_hex(block);
        stored.payload_sha256 = original.payload_sha256;
        std::vector<Header> fields{{"WARC-Type", "revisit"},
                                   {"WARC-Record-ID", *revisit_id},
                                   {"WARC-Date", *date},
                                   {"WARC-Target-URI", ex.url},
                                   {"WARC-Profile", "http://netpreserve.org/warc/1.1/revisit/server-not-modified"},
                                   {"WARC-Refers-To", original.stored.record_id},
                                   {"WARC-Refers-To-Target-URI", original.url},
                                   {"WARC-Refers-To-Date", original.fetched_at}};
        if (!ex.remote_ip.empty()) fields.push_back({"WARC-IP-Address", ex.remote_ip});
        auto request_member = request_record(ex, *date, *revisit_id, fields);
        if (!request_member) return std::unexpected(request_member.error());
        fields.push_back({"WARC-Warcinfo-ID", warcinfo_id_});
        fields.push_back({"Content-Type", "application/http;msgtype=response"});
        fields.push_back({"WARC-Block-Digest", "sha256:" + stored.block_sha256});
        fields.push_back({"WARC-Payload-Digest", "sha256:" + stored.payload_sha256});
        auto member = gzip_.member(frame(fields, block));
        if (!member) return std::unexpected(member.error());
        stored.ref.offset = size_ + request_member->size();
        stored.ref.length = member->size();
        if (auto ok = append(*request_member + *member); !ok) return std::unexpected(ok.error());
        return stored;
    }

    Result<void> sync() {
        if (synced_size_ == size_) return {};  // nothing written since the last sync
        if (::fsync(file_.get()) != 0) {
            return fail(ErrorCode::io,
                        fmt::format("{}: cannot make the archive durable: {}", path_.string(), std::strerror(errno)));
        }
        synced_size_ = size_;
        return {};
    }

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

private:
    // The gzip member of the request record that `ex` was answered for ("" when no request head was kept),
    // naming the record `concurrent_id` and named by it: a WARC-Concurrent-To is added to `main_fields`.
    Result<std::string> request_record(const Exchange& ex, const std::string& date, const std::string& concurrent_id,
                                       std::vector<Header>& main_fields) {
        if (ex.request_head.empty()) return std::string();
        auto request_id = new_record_id();
        if (!request_id) return std::unexpected(request_id.error());
        main_fields.push_back({"WARC-Concurrent-To", *request_id});
        std::vector<Header> request_fields{{"WARC-Type", "request"},
                                           {"WARC-Record-ID", *request_id},
                                           {"WARC-Date", date},
                                           {"WARC-Target-URI", ex.url},
                                           {"WARC-Concurrent-To", concurrent_id},
                                           {"WARC-Warcinfo-ID", warcinfo_id_},
                                           {"Content-Type", "application/http;msgtype=request"},
                                           {"WARC-Block-Digest", digest_field(ex.request_head)}};
        return gzip_.member(frame(request_fields, ex.request_head));
    }

    // Writes `bytes` at the end and hands them to the OS (a killed process loses nothing written; sync()
    // makes them durable against power loss); on failure cuts the file back to where it was.
    Result<void> append(std::string_view bytes) {
        auto written = write_record([&](const GzipMembers::Emit& emit) { return emit(bytes); });
        if (!written) return std::unexpected(written.error());
        return {};
    }

    // Writes what `produce` hands to its emitter at the end of the file, in writes of about a megabyte, and
    // returns how many bytes that was. Should producing or writing fail, the file is cut back to where it
    // was, so it ends with a whole record again.
    Result<std::uint64_t> write_record(const std::function<Result<void>(const GzipMembers::Emit&)>& produce) {
        constexpr std::size_t batch = 1 << 20;
        std::uint64_t written = 0;
        pending_.clear();
        Sha256Stream span_hash;
        auto flush = [&]() -> Result<void> {
            span_hash.update(pending_);
            std::string_view left = pending_;
            while (!left.empty()) {
                ssize_t n = ::pwrite(file_.get(), left.data(), left.size(), static_cast<off_t>(size_ + written));
                if (n < 0) {
                    if (errno == EINTR) continue;
                    return fail(ErrorCode::io,
                                fmt::format("{}: write failed: {}", path_.string(), std::strerror(errno)));
                }
                written += static_cast<std::uint64_t>(n);
                left.remove_prefix(static_cast<std::size_t>(n));
            }
            pending_.clear();
            return {};
        };
        auto emit = [&](std::string_view bytes) -> Result<void> {
            if (pending_.size() + bytes.size() > batch && !pending_.empty()) {
                if (auto ok = flush(); !ok) return ok;
            }
            if (bytes.size() > batch) {
                pending_.assign(bytes);
                return flush();
            }
            pending_.append(bytes);
            return {};
        };
        auto ok = produce(emit);
        if (ok) ok = flush();
        if (pending_.capacity() > 2 * batch) free_string(pending_);
        if (!ok) {
            if (::ftruncate(file_.get(), static_cast<off_t>(size_)) != 0) {
                return fail(ErrorCode::io, fmt::format("{} and the partial record could not be removed: {}",
                                                       ok.error().message, std::strerror(errno)));
            }
            return std::unexpected(ok.error());
        }
        if (written > 0) unsealed_.push_back(ArchiveSpan{size_, written, to_hex(span_hash.finish())});
        size_ += written;
        return written;
    }

public:
    [[nodiscard]] const std::string& relative_path() const noexcept { return relative_; }
    [[nodiscard]] const std::vector<ArchiveSpan>& unsealed() const noexcept { return unsealed_; }
    void seal(std::size_t n) {
        unsealed_.erase(unsealed_.begin(),
                        unsealed_.begin() + static_cast<std::ptrdiff_t>(std::min(n, unsealed_.size())));
    }

private:
    std::filesystem::path path_;
    std::string relative_;
    UniqueFd file_;
    const Clock* clock_;
    std::string warcinfo_id_;
    std::uint64_t size_ = 0;
    std::uint64_t synced_size_ = 0;  // size_ at the last fsync
    GzipMembers gzip_;
    TwoWayGzip two_way_;
    std::string pending_;  // bytes of the record being written, not yet handed to the OS
    std::vector<ArchiveSpan> unsealed_;
};

WarcWriter::WarcWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WarcWriter::WarcWriter(WarcWriter&&) noexcept = default;
WarcWriter& WarcWriter::operator=(WarcWriter&&) noexcept = default;
WarcWriter::~WarcWriter() = default;

Result<WarcWriter> WarcWriter::open(const std::filesystem::path& dir, const Clock& clock) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail(ErrorCode::io, fmt::format("{}: cannot create directory: {}", dir.string(), ec.message()));
    auto abs = std::filesystem::absolute(dir, ec).lexically_normal();
    if (ec) return fail(ErrorCode::io, fmt::format("{}: {}", dir.string(), ec.message()));
    if (!abs.has_filename()) abs = abs.parent_path();

    using namespace std::chrono;
    auto secs = floor<seconds>(clock.now());
    auto days = floor<std::chrono::days>(secs);
    year_month_day ymd{days};
    hh_mm_ss hms{secs - days};
    std::string stamp = fmt::format("{:04}{:02}{:02}{:02}{:02}{:02}", static_cast<int>(ymd.year()),
                                    static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                                    hms.hours().count(), hms.minutes().count(), hms.seconds().count());
    // Several writers of one process may open in the same second: the counter keeps their files apart, and
    // the exclusive open (O_EXCL) makes sure no existing file is ever reused.
    for (int n = 0; n < 10000; ++n) {
        std::string name = fmt::format("provcheck-{}-{}-{}.warc.gz", stamp, ::getpid(), n);
        auto path = abs / name;
        UniqueFd file(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
        if (!file) {
            if (errno == EEXIST) continue;
            return fail(ErrorCode::io, fmt::format("{}: cannot create: {}", path.string(), std::strerror(errno)));
        }
        auto impl = std::make_unique<Impl>(path, "warc/" + name, std::move(file), clock);
        if (auto ok = impl->write_warcinfo(); !ok) {
            impl.reset();
            std::filesystem::remove(path, ec);
            return std::unexpected(ok.error());
        }
        return WarcWriter(std::move(impl));
    }
    return fail(ErrorCode::io, fmt::format("{}: no free file name for {}", abs.string(), stamp));
}

Result<ExchangeSink::Stored> WarcWriter::store(const Exchange& exchange) {
    return impl_->store(exchange);
}
Result<ExchangeSink::Stored> WarcWriter::store_revisit(const Exchange& not_modified, const CachedResponse& original) {
    return impl_->store_revisit(not_modified, original);
}
Result<void> WarcWriter::sync() {
    return impl_->sync();
}
const std::filesystem::path& WarcWriter::path() const noexcept {
    return impl_->path();
}
const std::string& WarcWriter::relative_path() const noexcept {
    return impl_->relative_path();
}
const std::vector<ArchiveSpan>& WarcWriter::unsealed() const noexcept {
    return impl_->unsealed();
}
void WarcWriter::seal(std::size_t n) {
    impl_->seal(n);
}

std::filesystem::path archive_file_path(const std::filesystem::path& warc_dir, std::string_view relative) {
    constexpr std::string_view dir = "warc/";
    if (relative.starts_with(dir)) relative.remove_prefix(dir.size());
    return warc_dir / std::string(relative);
}

}  // namespace provcheck
