// Numeric options of `check` cannot lift a limit: zero and negative values of size, count and time options are
// usage errors (exit 3) naming the option and the value, on the command line and in provcheck.toml alike, and
// "-1" never wraps round into a huge unsigned cap.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "security/hostile.hpp"

using namespace provcheck;

TEST_CASE("numeric options of check refuse zero and negative values instead of lifting a limit", "[security]") {
    test::TempDir dir;
    const std::string article = test::source_path("fixtures/seed/article.html").string();
    // clang-format off
    const std::vector<std::pair<std::string, std::string>> bad{
        {"--max-filesize", "-1"}, {"--max-filesize", "0"}, {"--max-filesize", "1e9"},
        {"--timeout", "0"}, {"--timeout", "-5"},
        {"--max-redirs", "-1"},
        {"--parallel-max", "0"}, {"--host-parallel-max", "-1"}, {"--host-interval", "-10"},
        {"--retries", "-1"}, {"--speed-limit", "-1"}, {"--speed-time", "-1"},
        {"--depth", "-1"},
        {"--max-age", "0"}, {"--max-age", "-5m"},
        {"--max-claims", "0"}, {"--max-claims", "-3"}, {"--max-links", "0"},
    };
    // clang-format on
    for (const auto& [option, value] : bad) {
        INFO(option << " " << value);
        auto r =
            test::provcheck(dir, {"check", article, option + "=" + value, "--workspace", (dir / "ws").string()}, 60);
        CHECK(r.exit_code == 3);
        CHECK(r.err.find(option) != std::string::npos);
        CHECK(r.err.find(value) != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(dir / "ws" / "store.db"));  // refused before anything was done
    }
    // The same from provcheck.toml.
    test::write_text(dir / "provcheck.toml", "max-filesize = -1\n");
    auto r = test::provcheck(
        dir, {"check", article, "--config", (dir / "provcheck.toml").string(), "--workspace", (dir / "ws").string()},
        60);
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("max-filesize") != std::string::npos);
}
