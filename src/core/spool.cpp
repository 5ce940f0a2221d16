#include "core/spool.hpp"

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace provcheck {

namespace {

Error io_error(const std::filesystem::path& dir, std::string_view what, int err) {
    return Error{ErrorCode::io,
                 fmt::format("{}: {} a temporary body file: {}", dir.string(), what, std::strerror(err))};
}

}  // namespace

SpoolFile::SpoolFile(int fd, std::filesystem::path dir) noexcept : fd_(fd), dir_(std::move(dir)) {}

SpoolFile::~SpoolFile() {
    ::close(fd_);
}

Result<std::shared_ptr<SpoolFile>> SpoolFile::create(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail(ErrorCode::io, fmt::format("{}: cannot create directory: {}", dir.string(), ec.message()));
    int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        // No O_TMPFILE on this file system: a named file, unlinked before anything is written to it.
        // mkostemp fills in the six trailing placeholder characters.
        std::string name = (dir / "provcheck-body-").string() + std::string(6, 'X');
        fd = ::mkostemp(name.data(), O_CLOEXEC);
        if (fd >= 0) ::unlink(name.c_str());
    }
    if (fd < 0) return std::unexpected(io_error(dir, "cannot create", errno));
    return std::shared_ptr<SpoolFile>(new SpoolFile(fd, dir));
}

Result<void> SpoolFile::append(std::string_view bytes) {
    std::uint64_t at = size_;
    while (!bytes.empty()) {
        ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(at));
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            // Keep the file as it was, so a reader never sees half of an append.
            static_cast<void>(::ftruncate(fd_, static_cast<off_t>(size_)));
            return std::unexpected(io_error(dir_, "cannot write", err));
        }
        at += static_cast<std::uint64_t>(n);
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    size_ = at;
    return {};
}

Result<std::string> SpoolFile::read(std::uint64_t offset, std::size_t n) const {
    if (offset >= size_) return std::string();
    std::string out(static_cast<std::size_t>(std::min<std::uint64_t>(n, size_ - offset)), '\0');
    std::size_t got = 0;
    while (got < out.size()) {
        ssize_t r = ::pread(fd_, out.data() + got, out.size() - got, static_cast<off_t>(offset + got));
        if (r < 0) {
            if (errno == EINTR) continue;
            return std::unexpected(io_error(dir_, "cannot read", errno));
        }
        if (r == 0) {
            return fail(ErrorCode::io, fmt::format("{}: a temporary body file ended after {} of {} bytes",
                                                   dir_.string(), offset + got, size_));
        }
        got += static_cast<std::size_t>(r);
    }
    return out;
}

Result<std::string> SpoolFile::read_all() const {
    return read(0, static_cast<std::size_t>(size_));
}

Result<void> SpoolFile::for_each_chunk(const std::function<Result<void>(std::string_view)>& take,
                                       std::size_t chunk) const {
    if (chunk == 0) chunk = 1;
    for (std::uint64_t at = 0; at < size_; at += chunk) {
        auto piece = read(at, chunk);
        if (!piece) return std::unexpected(piece.error());
        if (auto ok = take(*piece); !ok) return ok;
    }
    return {};
}

}  // namespace provcheck
