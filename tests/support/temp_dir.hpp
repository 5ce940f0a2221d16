// A directory under the system temp dir, removed with everything in it when the object dies.
#pragma once

#include <filesystem>

namespace provcheck::test {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    [[nodiscard]] std::filesystem::path operator/(const std::filesystem::path& rel) const { return path_ / rel; }

private:
    std::filesystem::path path_;
};

// Absolute path of a file in the source tree ("fixtures/seed/article.html").
[[nodiscard]] std::filesystem::path source_path(const std::filesystem::path& rel);

}  // namespace provcheck::test
