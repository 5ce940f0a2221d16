// File helpers that turn failures into Errors with the path in the message.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace provcheck {

inline constexpr std::uint64_t no_size_limit = std::numeric_limits<std::uint64_t>::max();

struct ReadOptions {
    // A larger file is an Error naming the bound (read_file_head keeps the first max_bytes instead).
    std::uint64_t max_bytes = no_size_limit;
    // A named pipe is read as well as a regular file (an input list from process substitution); a device,
    // directory or socket never is.
    bool allow_pipe = false;
};

// The whole of a regular file (a symbolic link to one is followed). ErrorCode::io naming `path` when it is
// missing or unreadable, when it is a directory, device, pipe (unless allowed) or socket, which are never
// read (think of /dev/zero), when it holds more than `max_bytes` bytes, and when a read fails or memory runs
// out: a failure is never taken for the end of the file.
[[nodiscard]] Result<std::string> read_file(const std::filesystem::path& path, const ReadOptions& options = {});

// The first `max_bytes` bytes of a file, with the same checks as read_file, and whether there were more.
struct FileHead {
    std::string bytes;
    bool truncated = false;
};
[[nodiscard]] Result<FileHead> read_file_head(const std::filesystem::path& path, std::uint64_t max_bytes,
                                              const ReadOptions& options = {});

// What a path names, for messages: "a directory", "a device", "a named pipe", "a socket", "a regular file",
// "missing".
[[nodiscard]] std::string_view file_kind(const std::filesystem::path& path);

// Whether `path` names a regular file (following a symbolic link); otherwise an ErrorCode::io that names the
// path and what it is instead.
[[nodiscard]] Result<void> require_regular_file(const std::filesystem::path& path);
// Writes to a temporary file beside `path`, fsyncs it and renames it over `path`. A symbolic link is followed
// (the file it names is replaced, the link stays); a device, pipe or socket (/dev/null, /dev/stdout) is written
// to in place, never replaced.
[[nodiscard]] Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view bytes,
                                             std::filesystem::perms perms = std::filesystem::perms::owner_read |
                                                                            std::filesystem::perms::owner_write |
                                                                            std::filesystem::perms::group_read |
                                                                            std::filesystem::perms::others_read);

// The same, with the bytes written piece by piece: `produce` is called once with a sink that writes each piece
// it is given, and its error (or the sink's) leaves `path` as it was.
using ByteSink = std::function<Result<void>(std::string_view)>;
using ByteProducer = std::function<Result<void>(const ByteSink& write)>;
[[nodiscard]] Result<void> write_file_atomic(const std::filesystem::path& path, const ByteProducer& produce,
                                             std::filesystem::perms perms = std::filesystem::perms::owner_read |
                                                                            std::filesystem::perms::owner_write |
                                                                            std::filesystem::perms::group_read |
                                                                            std::filesystem::perms::others_read);

// Creates `path` anew with `bytes` and mode `perms` (O_CREAT | O_EXCL | O_NOFOLLOW): never written through a
// symbolic link, never over an existing file. ErrorCode::io naming `path` when anything is there already (a
// file, a directory, or a link, dangling or not). With `replace`, a file or link already there is replaced by
// the new file, built beside it and renamed into place (the link itself is replaced, never what it points to);
// a directory still is an error.
[[nodiscard]] Result<void> write_new_file(const std::filesystem::path& path, std::string_view bytes,
                                          std::filesystem::perms perms, bool replace = false);

// Where a file built beside `path` and renamed into place must go: `path` itself, or, through a symbolic link,
// the file the link names. ErrorCode::io naming `path` when it is a directory, device, pipe or socket, which a
// renamed file must never replace (think of /dev/null).
[[nodiscard]] Result<std::filesystem::path> replaceable_path(const std::filesystem::path& path);

}  // namespace provcheck
