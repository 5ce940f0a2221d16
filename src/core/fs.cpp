#include "core/fs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace provcheck {

Result<std::string> read_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return fail(ErrorCode::io, fmt::format("{}: is a directory", path.string()));
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail(ErrorCode::io, fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return fail(ErrorCode::io, fmt::format("{}: read error", path.string()));
    return std::move(ss).str();
}

Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view bytes,
                               std::filesystem::perms perms) {
    auto tmp = path;
    tmp += fmt::format(".tmp{}", ::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(perms));
    if (fd < 0) {
        return fail(ErrorCode::io, fmt::format("{}: cannot create: {}", tmp.string(), std::strerror(errno)));
    }
    const char* p = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            return fail(ErrorCode::io, fmt::format("{}: write failed: {}", tmp.string(), std::strerror(err)));
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    ::fchmod(fd, static_cast<mode_t>(perms));
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(tmp.c_str());
        return fail(ErrorCode::io, fmt::format("{}: cannot flush: {}", tmp.string(), std::strerror(errno)));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return fail(ErrorCode::io, fmt::format("{}: cannot rename into place: {}", path.string(), std::strerror(err)));
    }
    return {};
}

}  // namespace provcheck
