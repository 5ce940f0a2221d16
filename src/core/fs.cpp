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

namespace {

Result<void> write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
    while (!bytes.empty()) {
        ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail(ErrorCode::io, fmt::format("{}: write failed: {}", path.string(), std::strerror(errno)));
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

// The temporary file beside `path` and the rename over it.
Result<void> write_file_replacing(const std::filesystem::path& path, std::string_view bytes,
                                  std::filesystem::perms perms) {
    auto tmp = path;
    tmp += fmt::format(".tmp{}", ::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(perms));
    if (fd < 0) {
        return fail(ErrorCode::io, fmt::format("{}: cannot create: {}", tmp.string(), std::strerror(errno)));
    }
    if (auto written = write_all(fd, bytes, tmp); !written) {
        ::close(fd);
        ::unlink(tmp.c_str());
        return written;
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

}  // namespace

Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view bytes,
                               std::filesystem::perms perms) {
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);  // of what a symbolic link points to
    if (!ec && std::filesystem::exists(st) && !std::filesystem::is_regular_file(st) &&
        !std::filesystem::is_directory(st)) {
        // A device, pipe or socket (/dev/null, /dev/stdout, a named pipe) is written to where it is: a file
        // renamed over it would put a plain file in its place.
        int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0) return fail(ErrorCode::io, fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
        auto written = write_all(fd, bytes, path);
        ::close(fd);
        return written;
    }
    auto target = replaceable_path(path);
    if (!target) return std::unexpected(target.error());
    return write_file_replacing(*target, bytes, perms);
}

Result<std::filesystem::path> replaceable_path(const std::filesystem::path& path) {
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    if (!ec && std::filesystem::exists(st) && !std::filesystem::is_regular_file(st)) {
        return fail(ErrorCode::io,
                    fmt::format("{}: {}; give the path of a file", path.string(),
                                std::filesystem::is_directory(st) ? "is a directory" : "is not a regular file"));
    }
    // Through a symbolic link, the file it names is replaced and the link stays.
    if (std::filesystem::is_symlink(std::filesystem::symlink_status(path, ec))) {
        auto resolved = std::filesystem::weakly_canonical(path, ec);
        if (!ec) return resolved;
    }
    return path;
}

}  // namespace provcheck
