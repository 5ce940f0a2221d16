#include "warc/zlib_stream.hpp"

#include <zlib.h>

namespace provcheck::detail {

static_assert(DeflateStream::default_level == Z_DEFAULT_COMPRESSION);
static_assert(DeflateStream::no_compression == Z_NO_COMPRESSION);

void InflateDeleter::operator()(z_stream* z) const noexcept {
    inflateEnd(z);
    delete z;
}

void DeflateDeleter::operator()(z_stream* z) const noexcept {
    deflateEnd(z);
    delete z;
}

// ---------------------------------------------------------------------------------------------
// Inflate

Result<InflateStream> InflateStream::open(int window_bits) {
    auto* z = new z_stream{};
    if (inflateInit2(z, window_bits) != Z_OK) {
        delete z;
        return fail(ErrorCode::internal, "zlib: cannot initialise inflate");
    }
    return InflateStream(std::unique_ptr<z_stream, InflateDeleter>(z));
}

Result<void> InflateStream::reset() {
    if (inflateReset(z_.get()) != Z_OK) return fail(ErrorCode::internal, "zlib: inflateReset failed");
    return {};
}

void InflateStream::input(std::string_view bytes) noexcept {
    z_->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    z_->avail_in = static_cast<uInt>(bytes.size());
}

std::string_view InflateStream::unread() const noexcept {
    return {reinterpret_cast<const char*>(z_->next_in), z_->avail_in};
}

InflateStream::Step InflateStream::inflate(char* out, std::size_t n) noexcept {
    z_->next_out = reinterpret_cast<Bytef*>(out);
    z_->avail_out = static_cast<uInt>(n);
    const int rc = ::inflate(z_.get(), Z_NO_FLUSH);
    Step step;
    step.produced = n - z_->avail_out;
    switch (rc) {
        case Z_OK:
            step.status = Status::ok;
            break;
        case Z_BUF_ERROR:
            step.status = Status::stalled;
            break;
        case Z_STREAM_END:
            step.status = Status::stream_end;
            break;
        default:
            step.status = Status::corrupt;
            break;
    }
    return step;
}

const char* InflateStream::message() const noexcept {
    return z_->msg;
}

// ---------------------------------------------------------------------------------------------
// Deflate

Result<void> DeflateStream::restart(int window_bits, int level) {
    if (!z_) {
        auto* raw = new z_stream{};
        if (deflateInit2(raw, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
            delete raw;
            return fail(ErrorCode::internal, "zlib: cannot initialise deflate");
        }
        z_.reset(raw);
        return {};
    }
    if (deflateReset(z_.get()) != Z_OK || deflateParams(z_.get(), level, Z_DEFAULT_STRATEGY) != Z_OK) {
        z_.reset();
        return fail(ErrorCode::internal, "zlib: cannot reset deflate");
    }
    return {};
}

Result<void> DeflateStream::set_dictionary(std::string_view dictionary) {
    if (deflateSetDictionary(z_.get(), reinterpret_cast<const Bytef*>(dictionary.data()),
                             static_cast<uInt>(dictionary.size())) != Z_OK) {
        return fail(ErrorCode::internal, "zlib: cannot set a dictionary");
    }
    return {};
}

std::size_t DeflateStream::bound(std::size_t n) const noexcept {
    return deflateBound(z_.get(), static_cast<uLong>(n));
}

void DeflateStream::input(std::string_view bytes) noexcept {
    z_->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    z_->avail_in = static_cast<uInt>(bytes.size());
}

std::size_t DeflateStream::input_left() const noexcept {
    return z_->avail_in;
}

void DeflateStream::output(char* out, std::size_t n) noexcept {
    z_->next_out = reinterpret_cast<Bytef*>(out);
    z_->avail_out = static_cast<uInt>(n);
}

std::size_t DeflateStream::output_left() const noexcept {
    return z_->avail_out;
}

Result<bool> DeflateStream::deflate(Flush flush) {
    int mode = Z_NO_FLUSH;
    if (flush == Flush::sync) mode = Z_SYNC_FLUSH;
    if (flush == Flush::finish) mode = Z_FINISH;
    const int rc = ::deflate(z_.get(), mode);
    if (rc == Z_STREAM_ERROR) return fail(ErrorCode::internal, "zlib: deflate failed");
    return rc == Z_STREAM_END;
}

// ---------------------------------------------------------------------------------------------
// CRC-32

std::uint32_t crc32_start() noexcept {
    return static_cast<std::uint32_t>(crc32(0L, Z_NULL, 0));
}

std::uint32_t crc32_add(std::uint32_t crc, std::string_view bytes) noexcept {
    return static_cast<std::uint32_t>(crc32_z(crc, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

std::uint32_t crc32_join(std::uint32_t first, std::uint32_t second, std::uint64_t second_length) noexcept {
    return static_cast<std::uint32_t>(crc32_combine(first, second, static_cast<z_off_t>(second_length)));
}

}  // namespace provcheck::detail
