// fuzz-modules: core crypto warc store report record
// fuzz-libs: libzip sqlite3 zlib libcrypto libcurl fmt
// fuzz-seeds: fixtures/hostile/bundles/*.wacz fixtures/**/*.wacz
//
// libFuzzer target for the bundle reader: any bytes, read as a bundle file by `provcheck verify --bundle`'s code
// (ZIP directory, entry names and limits, datapackage.json, the log, checkpoints and records, the WARC captures
// the records point to), give a verification result or a clear Error: never a crash, an exception, a hang or
// unbounded memory. The bytes go to a memory file (memfd) so that nothing is written to disk but what the reader
// itself writes (an unnamed temporary file for a deflated WARC entry).
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "record/bundle.hpp"

namespace {

int memory_file() {
    static const int fd = [] {
        int f = ::memfd_create("bundle", MFD_CLOEXEC);
        if (f < 0) __builtin_trap();
        return f;
    }();
    return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const int fd = memory_file();
    if (::ftruncate(fd, 0) != 0) __builtin_trap();
    std::size_t done = 0;
    while (done < size) {
        ssize_t n = ::pwrite(fd, data + done, size - done, static_cast<off_t>(done));
        if (n <= 0) __builtin_trap();
        done += static_cast<std::size_t>(n);
    }
    // The path opens a new description of the same memory file, as the bundle's own path would.
    static const std::string path = "/proc/self/fd/" + std::to_string(fd);
    auto verified = provcheck::verify_bundle(path, {});
    if (verified) {
        // Every problem is attributed to a part of the bundle and says something.
        for (const auto& p : verified->result.problems) {
            if (p.part.empty() || p.message.empty()) __builtin_trap();
        }
    } else if (verified.error().message.empty()) {
        __builtin_trap();
    }
    return 0;
}
