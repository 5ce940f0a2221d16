// File helpers that turn failures into Errors with the path in the message.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace provcheck {

[[nodiscard]] Result<std::string> read_file(const std::filesystem::path& path);
// Writes to a temporary file beside `path`, fsyncs it and renames it over `path`. A symbolic link is followed
// (the file it names is replaced, the link stays); a device, pipe or socket (/dev/null, /dev/stdout) is written
// to in place, never replaced.
[[nodiscard]] Result<void> write_file_atomic(const std::filesystem::path& path, std::string_view bytes,
                                             std::filesystem::perms perms = std::filesystem::perms::owner_read |
                                                                            std::filesystem::perms::owner_write |
                                                                            std::filesystem::perms::group_read |
                                                                            std::filesystem::perms::others_read);

// Where a file built beside `path` and renamed into place must go: `path` itself, or, through a symbolic link,
// the file the link names. ErrorCode::io naming `path` when it is a directory, device, pipe or socket, which a
// renamed file must never replace (think of /dev/null).
[[nodiscard]] Result<std::filesystem::path> replaceable_path(const std::filesystem::path& path);

}  // namespace provcheck
