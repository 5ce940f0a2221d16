// zlib for the archive code, in the one file that calls it. The reader inflates record members and HTTP bodies
// and the writer deflates records; rather than each driving a raw z_stream with deleters and return-code checks of
// its own, both get streams that are owned (the state is freed with the object, also on an early return), set-up
// failures as Errors, and zlib's return codes as the few cases they tell apart, without including zlib.h.
// The wrappers stay thin on purpose: where input and output go, how much of each is left and when a stream is
// reset stay in the callers' hands, which is where their limits (body caps, member boundaries) live.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>

#include "core/error.hpp"

struct z_stream_s;  // zlib's z_stream, kept opaque so zlib stays out of this header

namespace provcheck::detail {

struct InflateDeleter {
    void operator()(z_stream_s* z) const noexcept;
};
struct DeflateDeleter {
    void operator()(z_stream_s* z) const noexcept;
};

// One inflate stream: gzip, zlib-wrapped or raw deflate by `window_bits` as inflateInit2 takes them (15 + 16,
// 15, -15).
class InflateStream {
public:
    // What one inflate() call did.
    enum class Status {
        ok,          // progress (Z_OK)
        stalled,     // no progress was possible: more input or more room is needed (Z_BUF_ERROR)
        stream_end,  // the stream (a gzip member) ended in this call (Z_STREAM_END)
        corrupt,     // the data does not decode (any other code); message() says why
    };
    struct Step {
        Status status = Status::ok;
        std::size_t produced = 0;  // bytes written to the output, also when corrupt
    };

    [[nodiscard]] static Result<InflateStream> open(int window_bits);

    // Starts the next stream with the same window bits (inflateReset).
    [[nodiscard]] Result<void> reset();
    // The bytes inflate() reads next; it keeps its place in them from call to call until given others.
    void input(std::string_view bytes) noexcept;
    // What is left of them.
    [[nodiscard]] std::string_view unread() const noexcept;
    // Inflates into `out` (`n` bytes of room), without flushing.
    [[nodiscard]] Step inflate(char* out, std::size_t n) noexcept;
    // zlib's description of what went wrong; nullptr when it gave none.
    [[nodiscard]] const char* message() const noexcept;

private:
    explicit InflateStream(std::unique_ptr<z_stream_s, InflateDeleter> z) noexcept : z_(std::move(z)) {}
    std::unique_ptr<z_stream_s, InflateDeleter> z_;
};

// One deflate state, reused stream after stream. Empty until restart() first sets it up.
class DeflateStream {
public:
    static constexpr int default_level = -1;  // Z_DEFAULT_COMPRESSION
    static constexpr int no_compression = 0;  // Z_NO_COMPRESSION: the bytes go in deflate's stored blocks

    enum class Flush { none, sync, finish };  // Z_NO_FLUSH, Z_SYNC_FLUSH, Z_FINISH

    // Ready for a new stream at `level`: set up on first use (`window_bits` as deflateInit2 takes them: 15 + 16
    // for gzip, -15 for raw deflate), else reset. Nothing is compressed after a reset, so a changed level applies
    // at once, without output. On failure the state is freed; the next restart() sets it up anew.
    [[nodiscard]] Result<void> restart(int window_bits, int level);
    // Primes the stream with `dictionary` (deflateSetDictionary); before any input.
    [[nodiscard]] Result<void> set_dictionary(std::string_view dictionary);
    // The most `n` more input bytes can compress to (deflateBound).
    [[nodiscard]] std::size_t bound(std::size_t n) const noexcept;
    // The bytes deflate() reads next, and how many of them are left.
    void input(std::string_view bytes) noexcept;
    [[nodiscard]] std::size_t input_left() const noexcept;
    // Where deflate() writes next (`n` bytes of room), and how much room is left.
    void output(char* out, std::size_t n) noexcept;
    [[nodiscard]] std::size_t output_left() const noexcept;
    // One deflate call: true when the stream ended in it (Z_STREAM_END); an Error when zlib finds the stream
    // inconsistent (Z_STREAM_ERROR).
    [[nodiscard]] Result<bool> deflate(Flush flush);
    // Frees the state; the next restart() sets it up anew.
    void close() noexcept { z_.reset(); }

private:
    std::unique_ptr<z_stream_s, DeflateDeleter> z_;
};

// CRC-32 as the gzip trailer holds it.
[[nodiscard]] std::uint32_t crc32_start() noexcept;  // the CRC of no bytes
[[nodiscard]] std::uint32_t crc32_add(std::uint32_t crc, std::string_view bytes) noexcept;
// The CRC of two runs of bytes from the CRCs of each and the second one's length (crc32_combine).
[[nodiscard]] std::uint32_t crc32_join(std::uint32_t first, std::uint32_t second, std::uint64_t second_length) noexcept;

}  // namespace provcheck::detail
