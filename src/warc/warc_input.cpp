#include "warc/warc_input.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <utility>

#include <fmt/format.h>

#include "core/handles.hpp"

namespace provcheck::detail {

namespace {

// A WARC file of its own, read through stdio.
class FileBytes final : public WarcBytes {
public:
    FileBytes(FilePtr file, std::filesystem::path path) : file_(std::move(file)), path_(std::move(path)) {
        struct stat st {};
        if (::fstat(::fileno(file_.get()), &st) == 0) size_ = static_cast<std::uint64_t>(st.st_size);
    }
    Result<std::size_t> read_at(std::uint64_t offset, char* buf, std::size_t n) override {
        if (offset != pos_) {
            if (::fseeko(file_.get(), static_cast<off_t>(offset), SEEK_SET) != 0) {
                return fail(ErrorCode::parse, fmt::format("{}: offset {} is outside the file", path_.string(), offset));
            }
            pos_ = offset;
        }
        std::size_t got = std::fread(buf, 1, n, file_.get());
        if (got == 0 && std::ferror(file_.get()) != 0) {
            return fail(ErrorCode::io, fmt::format("{}: read error at offset {}", path_.string(), offset));
        }
        pos_ += got;
        return got;
    }
    [[nodiscard]] std::uint64_t size() const noexcept override { return size_; }

private:
    FilePtr file_;
    std::filesystem::path path_;
    std::uint64_t size_ = 0;
    std::uint64_t pos_ = 0;
};

}  // namespace

Result<Input> Input::open(const std::filesystem::path& path, std::uint64_t offset) {
    FilePtr file(std::fopen(path.c_str(), "rb"));
    if (!file) {
        return fail(ErrorCode::io, fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
    }
    auto bytes = std::make_unique<FileBytes>(std::move(file), path);
    WarcBytes* raw = bytes.get();
    return start(std::move(bytes), *raw, path, offset);
}

Result<Input> Input::open(WarcBytes& bytes, const std::string& name, std::uint64_t offset) {
    return start(nullptr, bytes, name, offset);
}

void Input::forget_members_before(std::uint64_t u) {
    auto it = std::find_if(members_.begin(), members_.end(), [u](const Member& m) { return !m.u_end || *m.u_end > u; });
    members_.erase(members_.begin(), it);
}

Result<bool> Input::ensure(std::size_t n) {
    while (available() < n) {
        auto r = pull();
        if (!r) return r;
        if (!*r) return false;
    }
    return true;
}

Result<bool> Input::read_through(std::uint64_t n, BlockConsumer& consumer) {
    return read_pieces(n, [&consumer](std::string_view piece) { consumer.piece(piece); });
}

Result<bool> Input::read_into(std::uint64_t n, std::string* dest) {
    return read_pieces(n, [dest](std::string_view piece) {
        if (dest != nullptr) dest->append(piece);
    });
}

Result<bool> Input::read_pieces(std::uint64_t n, const std::function<void(std::string_view)>& each) {
    while (n > 0) {
        if (available() == 0) {
            auto r = pull();
            if (!r) return r;
            if (!*r) return false;
        }
        auto take = static_cast<std::size_t>(std::min<std::uint64_t>(n, available()));
        each(std::string_view(buf_.data() + cur_, take));
        consume(take);
        n -= take;
    }
    return true;
}

Result<Input> Input::start(std::unique_ptr<WarcBytes> owned, WarcBytes& bytes, const std::filesystem::path& path,
                           std::uint64_t offset) {
    Input in;
    in.path_ = path;
    in.owned_ = std::move(owned);
    in.bytes_ = &bytes;
    if (offset > 0 && offset >= bytes.size()) {
        return fail(ErrorCode::parse, fmt::format("{}: offset {} is outside the file", path.string(), offset));
    }
    in.file_pos_ = offset;
    in.in_buf_.resize(chunk_size);
    if (auto got = in.fill_in(2); !got) return std::unexpected(got.error());
    in.gzip_ = in.avail_in() >= 2 && in.in_buf_[in.in_start_] == 0x1f && in.in_buf_[in.in_start_ + 1] == 0x8b;
    if (in.gzip_) {
        auto z = InflateStream::open(15 + 16);
        if (!z) return std::unexpected(z.error());
        in.z_ = std::move(*z);
    } else {
        // A plain file's decompressed positions are its file offsets.
        in.pos_ = offset;
        in.total_out_ = offset;
    }
    return in;
}

Result<std::size_t> Input::fill_in(std::size_t need) {
    if (avail_in() >= need || eof_) return avail_in();
    std::memmove(in_buf_.data(), in_buf_.data() + in_start_, avail_in());
    in_end_ -= in_start_;
    in_start_ = 0;
    while (in_end_ < need && !eof_) {
        auto got =
            bytes_->read_at(file_pos_, reinterpret_cast<char*>(in_buf_.data() + in_end_), in_buf_.size() - in_end_);
        if (!got) return std::unexpected(got.error());
        if (*got == 0) eof_ = true;
        in_end_ += *got;
        file_pos_ += *got;
    }
    return avail_in();
}

Result<bool> Input::pull_plain() {
    if (avail_in() == 0) {
        auto got = fill_in(1);
        if (!got) return std::unexpected(got.error());
        if (*got == 0) return false;
    }
    buf_.append(reinterpret_cast<const char*>(in_buf_.data() + in_start_), avail_in());
    total_out_ += avail_in();
    in_start_ = in_end_;
    return true;
}

Result<bool> Input::pull_gzip() {
    std::string out(chunk_size, '\0');
    for (;;) {
        if (!in_member_) {
            auto got = fill_in(2);
            if (!got) return std::unexpected(got.error());
            if (*got == 0) return false;
            if (*got < 2 || in_buf_[in_start_] != 0x1f || in_buf_[in_start_ + 1] != 0x8b) {
                return fail(
                    ErrorCode::parse,
                    fmt::format("{}: offset {}: bytes after a gzip member that are not gzip ({})", path_.string(),
                                c_pos(),
                                excerpt({reinterpret_cast<const char*>(in_buf_.data() + in_start_), avail_in()})));
            }
            if (auto reset = z_->reset(); !reset) return std::unexpected(reset.error());
            members_.push_back(Member{total_out_, c_pos(), std::nullopt, std::nullopt});
            in_member_ = true;
        }
        if (avail_in() == 0) {
            auto got = fill_in(1);
            if (!got) return std::unexpected(got.error());
            if (*got == 0) {
                return fail(ErrorCode::parse, fmt::format("{}: offset {}: gzip member is truncated", path_.string(),
                                                          members_.back().c_start));
            }
        }
        z_->input({reinterpret_cast<const char*>(in_buf_.data() + in_start_), avail_in()});
        const auto step = z_->inflate(out.data(), out.size());
        in_start_ = in_end_ - z_->unread().size();
        std::size_t produced = step.produced;
        buf_.append(out.data(), produced);
        total_out_ += produced;
        if (step.status == InflateStream::Status::stream_end) {
            members_.back().u_end = total_out_;
            members_.back().c_end = c_pos();
            in_member_ = false;
        } else if (step.status == InflateStream::Status::corrupt) {
            return fail(ErrorCode::parse,
                        fmt::format("{}: offset {}: corrupt gzip member: {}", path_.string(), members_.back().c_start,
                                    z_->message() != nullptr ? z_->message() : "inflate failed"));
        }
        if (produced > 0) return true;
    }
}

}  // namespace provcheck::detail
