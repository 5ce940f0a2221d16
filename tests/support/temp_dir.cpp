#include "support/temp_dir.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace provcheck::test {

TempDir::TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "provcheck-test-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = templ;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::filesystem::path source_path(const std::filesystem::path& rel) {
    return std::filesystem::path(PROVCHECK_SOURCE_DIR) / rel;
}

}  // namespace provcheck::test
