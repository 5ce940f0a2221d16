#include "core/fs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>

#include <fmt/format.h>

namespace provcheck {

namespace {

std::string_view kind_of(mode_t mode) noexcept {
    if (S_ISREG(mode)) return "a regular file";
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
    if (S_ISFIFO(mode)) return "a named pipe";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

// Reads `path` (checked to be a regular file, or a pipe when allowed) up to `max_bytes` bytes; `more` says
// whether the file held more than that.
Result<std::string> read_bounded(const std::filesystem::path& path, std::uint64_t max_bytes, const ReadOptions& options,
                                 bool& more) {
    const std::string shown = path.string();
    more = false;
    // The kind is checked before opening, since opening a pipe waits for a writer and opening a device may do
    // anything; and again on what was opened, in case the path changed in between.
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return fail(ErrorCode::io, fmt::format("{}: cannot open: {}", shown, std::strerror(errno)));
    }
    auto acceptable = [&](mode_t mode) { return S_ISREG(mode) || (options.allow_pipe && S_ISFIFO(mode)); };
    auto refuse = [&](mode_t mode) {
        return fail(ErrorCode::io, fmt::format("{}: is {}, not a regular file; not read", shown, kind_of(mode)));
    };
    if (!acceptable(st.st_mode)) return refuse(st.st_mode);
    Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY)};
    if (f.fd < 0) return fail(ErrorCode::io, fmt::format("{}: cannot open: {}", shown, std::strerror(errno)));
    if (::fstat(f.fd, &st) != 0) {
        return fail(ErrorCode::io, fmt::format("{}: cannot stat: {}", shown, std::strerror(errno)));
    }
    if (!acceptable(st.st_mode)) return refuse(st.st_mode);
    std::string out;
    try {
        if (S_ISREG(st.st_mode) && st.st_size > 0) {
            out.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(static_cast<std::uint64_t>(st.st_size),
                                                                         std::min<std::uint64_t>(max_bytes, 1 << 30))));
        }
        char buf[64 * 1024];
        for (;;) {
            const ssize_t n = ::read(f.fd, buf, sizeof buf);
            if (n < 0) {
                if (errno == EINTR) continue;
                return fail(ErrorCode::io, fmt::format("{}: read error: {}", shown, std::strerror(errno)));
            }
            if (n == 0) break;
            const auto got = static_cast<std::uint64_t>(n);
            if (out.size() + got > max_bytes) {
                out.append(buf, static_cast<std::size_t>(max_bytes - out.size()));
                more = true;
                break;
            }
            out.append(buf, static_cast<std::size_t>(n));
        }
    } catch (const std::bad_alloc&) {
        return fail(ErrorCode::io, fmt::format("{}: out of memory after reading {} bytes", shown, out.size()));
    }
    return out;
}

}  // namespace

Result<std::string> read_file(const std::filesystem::path& path, const ReadOptions& options) {
    bool more = false;
    auto bytes = read_bounded(path, options.max_bytes, options, more);
    if (!bytes) return bytes;
    if (more) {
        return fail(ErrorCode::io, fmt::format("{}: larger than the limit of {} bytes for this file; not read",
                                               path.string(), options.max_bytes));
    }
    return bytes;
}

Result<FileHead> read_file_head(const std::filesystem::path& path, std::uint64_t max_bytes,
                                const ReadOptions& options) {
    FileHead head;
    auto bytes = read_bounded(path, max_bytes, options, head.truncated);
    if (!bytes) return std::unexpected(bytes.error());
    head.bytes = std::move(*bytes);
    return head;
}

std::string_view file_kind(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return "missing";
    return kind_of(st.st_mode);
}

Result<void> require_regular_file(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return fail(ErrorCode::io, fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
    }
    if (!S_ISREG(st.st_mode)) {
        return fail(ErrorCode::io,
                    fmt::format("{}: is {}, not a regular file; not read", path.string(), kind_of(st.st_mode)));
    }
    return {};
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
Result<void> write_file_replacing(const std::filesystem::path& path, const ByteProducer& produce,
                                  std::filesystem::perms perms) {
    auto tmp = path;
    tmp += fmt::format(".tmp{}", ::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(perms));
    if (fd < 0) {
        return fail(ErrorCode::io, fmt::format("{}: cannot create: {}", tmp.string(), std::strerror(errno)));
    }
    if (auto written = produce([&](std::string_view bytes) { return write_all(fd, bytes, tmp); }); !written) {
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
    return write_file_atomic(
        path, [bytes](const ByteSink& write) { return write(bytes); }, perms);
}

Result<void> write_file_atomic(const std::filesystem::path& path, const ByteProducer& produce,
                               std::filesystem::perms perms) {
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);  // of what a symbolic link points to
    if (!ec && std::filesystem::exists(st) && !std::filesystem::is_regular_file(st) &&
        !std::filesystem::is_directory(st)) {
        // A device, pipe or socket (/dev/null, /dev/stdout, a named pipe) is written to where it is: a file
        // renamed over it would put a plain file in its place.
        int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0) return fail(ErrorCode::io, fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
        auto written = produce([&](std::string_view bytes) { return write_all(fd, bytes, path); });
        ::close(fd);
        return written;
    }
    auto target = replaceable_path(path);
    if (!target) return std::unexpected(target.error());
    return write_file_replacing(*target, produce, perms);
}

Result<void> write_new_file(const std::filesystem::path& path, std::string_view bytes, std::filesystem::perms perms,
                            bool replace) {
    const std::string shown = path.string();
    struct stat st {};
    const bool present = ::lstat(path.c_str(), &st) == 0;
    if (present && S_ISDIR(st.st_mode)) return fail(ErrorCode::io, fmt::format("{}: is a directory", shown));
    if (present && !replace) {
        return fail(ErrorCode::io, fmt::format("{}: already exists{}; not replaced", shown,
                                               S_ISLNK(st.st_mode) ? " (a symbolic link)" : ""));
    }
    const auto mode = static_cast<mode_t>(perms);
    // Without `replace` the file is created in place; with it, beside and renamed over what is there.
    std::filesystem::path target = path;
    if (replace) target += fmt::format(".tmp{}", ::getpid());
    Fd f{::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)};
    if (f.fd < 0) {
        const int err = errno;
        if (err == EEXIST) return fail(ErrorCode::io, fmt::format("{}: already exists; not replaced", target.string()));
        return fail(ErrorCode::io, fmt::format("{}: cannot create: {}", target.string(), std::strerror(err)));
    }
    auto give_up = [&](Error e) -> Result<void> {
        ::close(f.fd);
        f.fd = -1;
        ::unlink(target.c_str());
        return std::unexpected(std::move(e));
    };
    if (auto written = write_all(f.fd, bytes, target); !written) return give_up(written.error());
    if (::fchmod(f.fd, mode) != 0 || ::fsync(f.fd) != 0) {
        return give_up(
            Error{ErrorCode::io, fmt::format("{}: cannot flush: {}", target.string(), std::strerror(errno))});
    }
    if (::close(f.fd) != 0) {
        f.fd = -1;
        ::unlink(target.c_str());
        return fail(ErrorCode::io, fmt::format("{}: cannot close: {}", target.string(), std::strerror(errno)));
    }
    f.fd = -1;
    if (replace && ::rename(target.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(target.c_str());
        return fail(ErrorCode::io, fmt::format("{}: cannot rename into place: {}", shown, std::strerror(err)));
    }
    return {};
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
