// A body kept on disk while it arrives, so that a transfer in flight holds a bounded amount of memory
// whatever the size of the response: an unnamed temporary file (O_TMPFILE where the file system has it,
// else created and unlinked at once), so nothing is left behind by a crash. Written by one owner, then read
// by any number of readers (pread: reads do not move a shared position, and a const SpoolFile may be read
// from several threads).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace provcheck {

class SpoolFile {
public:
    // A new, empty spool file in `dir` (created if needed). ErrorCode::io naming `dir` when it cannot be made.
    [[nodiscard]] static Result<std::shared_ptr<SpoolFile>> create(const std::filesystem::path& dir);

    SpoolFile(const SpoolFile&) = delete;
    SpoolFile& operator=(const SpoolFile&) = delete;
    ~SpoolFile();  // closes the file, which frees its space

    // Adds `bytes` at the end. On failure (a full disk) the file keeps what it had before the call.
    [[nodiscard]] Result<void> append(std::string_view bytes);
    [[nodiscard]] std::uint64_t size() const noexcept { return size_; }

    // Up to `n` bytes from `offset` (fewer at the end).
    [[nodiscard]] Result<std::string> read(std::uint64_t offset, std::size_t n) const;
    // The whole content.
    [[nodiscard]] Result<std::string> read_all() const;
    // Hands the content to `take` in order, in pieces of at most `chunk` bytes; stops at the first Error
    // that `take` returns and returns it.
    [[nodiscard]] Result<void> for_each_chunk(const std::function<Result<void>(std::string_view)>& take,
                                              std::size_t chunk = 1 << 20) const;

private:
    SpoolFile(int fd, std::filesystem::path dir) noexcept;
    int fd_;
    std::filesystem::path dir_;  // for messages
    std::uint64_t size_ = 0;
};

}  // namespace provcheck
