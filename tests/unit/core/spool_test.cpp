// The on-disk body of a large response: written once, read back whole or in pieces, and gone with its owner.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

#include "core/exchange.hpp"
#include "core/hash.hpp"
#include "core/spool.hpp"
#include "support/temp_dir.hpp"

using namespace provcheck;
using provcheck::test::TempDir;

namespace {

std::size_t entries_in(const std::filesystem::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir))
        ++n;
    return n;
}

std::string pattern(std::size_t n) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i)
        s[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
    return s;
}

}  // namespace

TEST_CASE("a spool file keeps what is appended and reads it back whole, in ranges and in chunks", "[unit]") {
    TempDir tmp;
    auto spool = SpoolFile::create(tmp / "spool");
    REQUIRE(spool.has_value());
    SpoolFile& f = **spool;
    CHECK(f.size() == 0);
    CHECK(f.read_all().value().empty());

    const std::string data = pattern(3 * 1000 * 1000 + 17);
    for (std::size_t at = 0; at < data.size(); at += 65536)
        REQUIRE(f.append(std::string_view(data).substr(at, 65536)).has_value());
    CHECK(f.size() == data.size());
    CHECK(f.read_all().value() == data);
    CHECK(f.read(1000, 10).value() == data.substr(1000, 10));
    CHECK(f.read(data.size() - 5, 100).value() == data.substr(data.size() - 5));
    CHECK(f.read(data.size() + 1, 100).value().empty());

    std::string joined;
    std::size_t pieces = 0;
    auto ok = f.for_each_chunk(
        [&](std::string_view piece) -> Result<void> {
            CHECK(piece.size() <= 1000 * 1000);
            joined += piece;
            ++pieces;
            return {};
        },
        1000 * 1000);
    REQUIRE(ok.has_value());
    CHECK(pieces == 4);
    CHECK(joined == data);

    // An Error from the consumer stops the walk and comes back.
    std::size_t seen = 0;
    auto stopped = f.for_each_chunk(
        [&](std::string_view) -> Result<void> {
            ++seen;
            return fail(ErrorCode::io, "enough");
        },
        1000);
    REQUIRE_FALSE(stopped.has_value());
    CHECK(stopped.error().message == "enough");
    CHECK(seen == 1);
}

TEST_CASE("a spool file leaves nothing behind in its directory", "[unit]") {
    TempDir tmp;
    {
        auto spool = SpoolFile::create(tmp.path());
        REQUIRE(spool.has_value());
        REQUIRE((*spool)->append("some bytes").has_value());
        CHECK(entries_in(tmp.path()) == 0);  // unnamed from the start, or unlinked before the first write
    }
    CHECK(entries_in(tmp.path()) == 0);
}

TEST_CASE("a spool file that cannot be made names its directory", "[unit]") {
    TempDir tmp;
    const auto blocker = tmp / "a-file";
    {
        std::FILE* f = std::fopen(blocker.c_str(), "w");
        REQUIRE(f != nullptr);
        std::fclose(f);
    }
    auto spool = SpoolFile::create(blocker / "below");
    REQUIRE_FALSE(spool.has_value());
    CHECK(spool.error().code == ErrorCode::io);
    CHECK_THAT(spool.error().message, Catch::Contains("a-file"));
}

TEST_CASE("an exchange's payload is measured and hashed wherever it is kept", "[unit]") {
    TempDir tmp;
    const std::string data = pattern(700000);
    Exchange in_memory;
    in_memory.body = data;
    Exchange on_disk;
    auto spool = SpoolFile::create(tmp.path());
    REQUIRE(spool.has_value());
    REQUIRE((*spool)->append(data).has_value());
    on_disk.spooled = *spool;

    CHECK(body_size(in_memory) == data.size());
    CHECK(body_size(on_disk) == data.size());
    CHECK(payload_sha256_hex(in_memory).value() == sha256_hex(data));
    CHECK(payload_sha256_hex(on_disk).value() == sha256_hex(data));
    REQUIRE(load_spooled_body(on_disk).has_value());
    CHECK_FALSE(on_disk.spooled);
    CHECK(on_disk.body == data);
    REQUIRE(load_spooled_body(in_memory).has_value());  // nothing to do
    CHECK(in_memory.body == data);
}
