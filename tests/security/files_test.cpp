// read_file has a size bound, refuses what is not a regular file (a device, pipe, directory or socket is never
// opened for reading) and never takes a failure for the end of a file: --config /dev/zero once never ended, and a
// --rules file linked to /dev/zero filled the memory.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <chrono>
#include <string>

#include "core/fs.hpp"
#include "security/hostile.hpp"

using namespace provcheck;

TEST_CASE("read_file is bounded, reads regular files only and reports read errors", "[security]") {
    test::TempDir dir;
    test::write_text(dir / "ten.txt", "0123456789");
    CHECK(read_file(dir / "ten.txt", {.max_bytes = 10}).value() == "0123456789");
    auto over = read_file(dir / "ten.txt", {.max_bytes = 9});
    REQUIRE_FALSE(over);
    CHECK(over.error().message.find("larger than the limit of 9 bytes") != std::string::npos);
    auto head = read_file_head(dir / "ten.txt", 4);
    REQUIRE(head);
    CHECK(head->bytes == "0123");
    CHECK(head->truncated);

    // /dev/zero would never end: it is refused before a byte is read, by name.
    const auto started = std::chrono::steady_clock::now();
    auto zero = read_file("/dev/zero");
    REQUIRE_FALSE(zero);
    CHECK(zero.error().message == "/dev/zero: is a device, not a regular file; not read");
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));

    REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
    auto fifo = read_file(dir / "fifo");  // would block for a writer if it were opened
    REQUIRE_FALSE(fifo);
    CHECK(fifo.error().message.find("is a named pipe") != std::string::npos);
    auto folder = read_file(dir.path());
    REQUIRE_FALSE(folder);
    CHECK(folder.error().message.find("is a directory") != std::string::npos);

    // A file whose read fails (reading address 0 of the process's own memory gives EIO) is an error, not the
    // empty file an end of file would make it.
    auto mem = read_file("/proc/self/mem");
    REQUIRE_FALSE(mem);
    CHECK(mem.error().message.find("read error") != std::string::npos);
}

TEST_CASE("--config refuses a device and an oversized file instead of reading forever", "[security]") {
    test::TempDir dir;
    const std::string article = test::source_path("fixtures/seed/article.html").string();
    auto config =
        test::provcheck(dir, {"check", article, "--config", "/dev/zero", "--workspace", (dir / "ws").string()}, 60);
    CHECK(config.exit_code == 3);
    CHECK(config.err.find("/dev/zero: is a device") != std::string::npos);

    test::write_text(dir / "provcheck.toml", "# " + std::string(5u << 20, 'x') + "\n");
    auto huge = test::provcheck(
        dir, {"check", article, "--config", (dir / "provcheck.toml").string(), "--workspace", (dir / "ws").string()},
        60);
    CHECK(huge.exit_code == 3);
    CHECK(huge.err.find("larger than the limit") != std::string::npos);
}
