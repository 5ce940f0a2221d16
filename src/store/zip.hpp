// ZIP archives, as far as provcheck bundles need them: writing stored (uncompressed) entries, whose contents
// are already compressed WARC files or small JSON, and reading stored or deflated entries, with every CRC
// checked. No ZIP64: an archive or entry of 4 GiB or more is an Error, never a corrupt file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace provcheck {

class ZipWriter {
public:
    [[nodiscard]] static Result<ZipWriter> create(const std::filesystem::path& path);
    ZipWriter(ZipWriter&&) noexcept = default;
    ZipWriter& operator=(ZipWriter&&) noexcept = default;
    ~ZipWriter() = default;

    [[nodiscard]] Result<void> add(std::string_view name, std::string_view data);
    // Writes the central directory and closes the file; the archive is incomplete until then.
    [[nodiscard]] Result<void> finish();

private:
    struct Entry {
        std::string name;
        std::uint32_t crc = 0;
        std::uint32_t size = 0;
        std::uint32_t offset = 0;
    };
    ZipWriter(std::filesystem::path path, std::ofstream out) : path_(std::move(path)), out_(std::move(out)) {}
    std::filesystem::path path_;
    std::ofstream out_;
    std::vector<Entry> entries_;
    std::uint64_t written_ = 0;
};

struct ZipEntry {
    std::string name;
    std::string data;
};

// Reads every entry. Names that would escape a directory ("../x", "/x") are refused.
[[nodiscard]] Result<std::vector<ZipEntry>> read_zip(const std::filesystem::path& path);

}  // namespace provcheck
