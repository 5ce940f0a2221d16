// `provcheck keygen` creates both of its files anew: never through a symbolic link someone planted (which
// would let them choose where a key lands, or overwrite a file of theirs choosing), never over an existing
// file unless --force says so, and the private key readable by its owner alone.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "security/hostile.hpp"

using namespace provcheck;

namespace {

test::RunResult keygen(const test::TempDir& dir, std::vector<std::string> args) {
    args.insert(args.begin(), "keygen");
    return test::provcheck(dir, args, 60);
}

bool is_link(const std::filesystem::path& p) {
    return std::filesystem::is_symlink(std::filesystem::symlink_status(p));
}

}  // namespace

TEST_CASE("keygen refuses to write through a symbolic link at the key or at its .pub", "[security]") {
    test::TempDir dir;
    const auto key = dir / "k.pem";
    const auto pub = dir / "k.pem.pub";
    const auto target = dir / "victim.txt";
    test::write_text(target, "precious\n");

    SECTION("a link at .pub") {
        std::filesystem::create_symlink(target, pub);
        auto r = keygen(dir, {"--out", key.string()});
        CHECK(r.exit_code == 3);
        CHECK(r.err.find("k.pem.pub: already exists as a symbolic link") != std::string::npos);
        CHECK(test::read_text(target) == "precious\n");
        CHECK_FALSE(std::filesystem::exists(std::filesystem::symlink_status(key)));  // nothing half made
    }
    SECTION("a link at the private key, dangling or not") {
        std::filesystem::create_symlink(dir / "nowhere.pem", key);
        auto r = keygen(dir, {"--out", key.string()});
        CHECK(r.exit_code == 3);
        CHECK_FALSE(std::filesystem::exists(dir / "nowhere.pem"));
        std::filesystem::remove(key);
        std::filesystem::create_symlink(target, key);
        r = keygen(dir, {"--out", key.string()});
        CHECK(r.exit_code == 3);
        CHECK(test::read_text(target) == "precious\n");
    }
    SECTION("--force replaces the links themselves, never what they point to") {
        std::filesystem::create_symlink(target, key);
        std::filesystem::create_symlink(target, pub);
        auto r = keygen(dir, {"--out", key.string(), "--force"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(test::read_text(target) == "precious\n");
        CHECK_FALSE(is_link(key));
        CHECK_FALSE(is_link(pub));
        CHECK(test::read_text(key).find("PRIVATE KEY") != std::string::npos);
        CHECK(test::read_text(pub).find("PUBLIC KEY") != std::string::npos);
    }
}

TEST_CASE("keygen never replaces existing files without --force; the private key is mode 0600", "[security]") {
    test::TempDir dir;
    const auto key = dir / "k.pem";
    const auto pub = dir / "k.pem.pub";
    test::write_text(pub, "someone's public key\n");
    auto r = keygen(dir, {"--out", key.string()});
    CHECK(r.exit_code == 3);
    CHECK(test::read_text(pub) == "someone's public key\n");
    CHECK_FALSE(std::filesystem::exists(key));

    std::filesystem::remove(pub);
    r = keygen(dir, {"--out", key.string()});
    REQUIRE(r.exit_code == 0);
    struct stat st {};
    REQUIRE(::stat(key.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const std::string first = test::read_text(key);

    r = keygen(dir, {"--out", key.string()});
    CHECK(r.exit_code == 3);
    CHECK(test::read_text(key) == first);
    r = keygen(dir, {"--out", key.string(), "--force"});
    REQUIRE(r.exit_code == 0);
    CHECK(test::read_text(key) != first);
    REQUIRE(::stat(key.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
}
