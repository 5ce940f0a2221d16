// The bytes the WARC reader reads records from: a file (or WarcBytes) from a start offset, decompressed when it is
// gzip, with the boundaries of its gzip members seen. A record's position is given in members and offsets inside
// them, and a record whose member is torn must never be returned, so the reader has to know where each member
// starts and ends, which no ordinary decompressing stream tells. Internal to the warc module.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "warc/reader_common.hpp"
#include "warc/warc_reader.hpp"
#include "warc/zlib_stream.hpp"

namespace provcheck::detail {

// The decompressed byte stream of a file, from a start offset, with the gzip member boundaries seen.
class Input {
public:
    struct Member {
        std::uint64_t u_start = 0;  // decompressed position where the member starts
        std::uint64_t c_start = 0;  // file offset of its gzip header
        std::optional<std::uint64_t> u_end;
        std::optional<std::uint64_t> c_end;
    };

    static Result<Input> open(const std::filesystem::path& path, std::uint64_t offset);

    static Result<Input> open(WarcBytes& bytes, const std::string& name, std::uint64_t offset);

    [[nodiscard]] bool gzip() const noexcept { return gzip_; }
    [[nodiscard]] std::uint64_t pos() const noexcept { return pos_; }
    [[nodiscard]] std::size_t available() const noexcept { return buf_.size() - cur_; }
    [[nodiscard]] std::string_view view() const noexcept { return {buf_.data() + cur_, buf_.size() - cur_}; }
    [[nodiscard]] const std::vector<Member>& members() const noexcept { return members_; }

    void consume(std::size_t n) noexcept {
        cur_ += n;
        pos_ += n;
        if (cur_ >= chunk_size && cur_ * 2 >= buf_.size()) {
            buf_.erase(0, cur_);
            cur_ = 0;
        }
    }

    // Forgets the members that end before `u`; keeps the bookkeeping bounded on long files.
    void forget_members_before(std::uint64_t u);

    // Adds decompressed bytes: true if some were added, false at the clean end of the input.
    Result<bool> pull() { return gzip_ ? pull_gzip() : pull_plain(); }

    Result<bool> ensure(std::size_t n);

    // Consumes `n` bytes, handing them to `consumer` piece by piece; false when the input ends first.
    Result<bool> read_through(std::uint64_t n, BlockConsumer& consumer);

    // Consumes `n` bytes, appending them to `dest` when given; false when the input ends first.
    Result<bool> read_into(std::uint64_t n, std::string* dest);

private:
    // Consumes `n` bytes, handing them to `each` piece by piece; false when the input ends first. What
    // read_through() and read_into() share.
    Result<bool> read_pieces(std::uint64_t n, const std::function<void(std::string_view)>& each);

    static Result<Input> start(std::unique_ptr<WarcBytes> owned, WarcBytes& bytes, const std::filesystem::path& path,
                               std::uint64_t offset);

    [[nodiscard]] std::size_t avail_in() const noexcept { return in_end_ - in_start_; }

    // Makes at least `need` unread compressed bytes available when the file has them.
    Result<std::size_t> fill_in(std::size_t need);

    // File offset of the next compressed byte not yet given to inflate.
    [[nodiscard]] std::uint64_t c_pos() const noexcept { return file_pos_ - avail_in(); }

    Result<bool> pull_plain();

    Result<bool> pull_gzip();

    std::filesystem::path path_;
    std::unique_ptr<WarcBytes> owned_;  // when the input is a file of its own
    WarcBytes* bytes_ = nullptr;
    std::optional<InflateStream> z_;
    bool gzip_ = false;
    bool eof_ = false;
    bool in_member_ = false;
    std::vector<unsigned char> in_buf_;
    std::size_t in_start_ = 0;
    std::size_t in_end_ = 0;
    std::uint64_t file_pos_ = 0;  // file offset just past the last byte read into in_buf_
    std::string buf_;             // decompressed bytes; buf_[cur_] is at position pos_
    std::size_t cur_ = 0;
    std::uint64_t pos_ = 0;
    std::uint64_t total_out_ = 0;  // decompressed position just past buf_'s end
    std::vector<Member> members_;
};

}  // namespace provcheck::detail
