// Workspaces written by earlier schema versions (fixtures/store/vN) open, migrate and still verify.
#include <catch2/catch.hpp>

#include "support/run.hpp"
#include "support/temp_dir.hpp"

using namespace provcheck;

TEST_CASE("a stored workspace of every schema version migrates and verifies", "[cli]") {
    for (const auto& version : {"v1", "v3"}) {
        INFO(version);
        test::TempDir dir;
        // Work on a copy: opening migrates the file in place.
        std::filesystem::copy(test::source_path("fixtures/store") / version, dir / "ws",
                              std::filesystem::copy_options::recursive);
        auto key = dir / "key.pem";
        std::filesystem::copy_file(test::source_path("fixtures/store") / (std::string(version) + "-signing-key.pem"),
                                   key);
        std::filesystem::permissions(key, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        auto r = test::run(
            {test::provcheck_binary(), "verify", "--all", "--workspace", (dir / "ws").string(), "--key", key.string()});
        INFO(r.out << r.err);
        CHECK(r.exit_code == 0);
        CHECK(r.out.find("11 records") != std::string::npos);
        // And the migrated workspace takes new records.
        auto again =
            test::run({test::provcheck_binary(), "check", test::source_path("fixtures/seed/article.html").string(),
                       "--replay", test::source_path("fixtures/seed/sources.warc").string(), "--workspace",
                       (dir / "ws").string(), "--key", key.string(), "--quiet", "--fail-on", "none"});
        INFO(again.err);
        CHECK(again.exit_code == 0);
    }
}
