// provcheck.toml read without running anything: [host."NAME"] tables and what is refused in them.
#include <catch2/catch.hpp>

#include "cli/config.hpp"

namespace provcheck {

namespace {

bool any_option(std::string_view key) {
    return key == "fail-on" || key == "host-parallel-max";
}

Result<CheckConfig> parse(std::string_view text) {
    return parse_check_config(text, "provcheck.toml", any_option);
}

std::string error_of(std::string_view text) {
    auto r = parse(text);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::config);
    return r.error().message;
}

}  // namespace

TEST_CASE("config: [host.\"NAME\"] tables become per-host overrides, in file order", "[cli][config]") {
    auto cfg = parse(R"toml(
fail-on = "none"
host-parallel-max = 4

[host."Slow.Example"]
parallel_max = 1
interval-ms = 250
timeout = 60
retries = 0
user_agent = "NewsroomBot/2 (+https://news.example/bot)"

[host."cdn.example"]
max_filesize = 1048576
speed_limit = 10
speed-time = 5
)toml");
    REQUIRE(cfg.has_value());
    CHECK(cfg->options.size() == 2);
    REQUIRE(cfg->hosts.size() == 2);
    const HostOverride& slow = cfg->hosts[0];
    CHECK(slow.name == "slow.example");
    CHECK(slow.parallel_max == 1);
    CHECK(slow.interval_ms == 250);
    CHECK(slow.timeout_s == 60L);
    CHECK(slow.retries == 0);
    CHECK(slow.user_agent == "NewsroomBot/2 (+https://news.example/bot)");
    CHECK_FALSE(slow.max_filesize.has_value());
    const HostOverride& cdn = cfg->hosts[1];
    CHECK(cdn.name == "cdn.example");
    CHECK(cdn.max_filesize == 1048576u);
    CHECK(cdn.speed_limit == 10L);
    CHECK(cdn.speed_time_s == 5L);
    CHECK_FALSE(cdn.parallel_max.has_value());
}

TEST_CASE("config: dotted keys name the same host table", "[cli][config]") {
    auto cfg = parse("host.\"a.example\".parallel_max = 2\n");
    REQUIRE(cfg.has_value());
    REQUIRE(cfg->hosts.size() == 1);
    CHECK(cfg->hosts[0].name == "a.example");
    CHECK(cfg->hosts[0].parallel_max == 2);
}

TEST_CASE("config: bad host tables are errors that name the key", "[cli][config]") {
    CHECK(error_of("[host.\"a.example\"]\nparallel = 2\n").find("unknown key 'host.\"a.example\".parallel'") !=
          std::string::npos);
    CHECK(error_of("[host.\"a.example\"]\nparallel_max = \"two\"\n")
              .find("host.\"a.example\".parallel_max must be "
                    "an integer") != std::string::npos);
    CHECK(error_of("[host.\"a.example\"]\nparallel_max = 0\n").find("parallel_max must be from 1 to 256") !=
          std::string::npos);
    CHECK(error_of("[host.\"a.example\"]\ntimeout = 0\n").find("timeout") != std::string::npos);
    CHECK(error_of("[host.\"a.example\"]\nretries = 99\n").find("retries") != std::string::npos);
    CHECK(error_of("[host.\"a.example\"]\nuser_agent = 7\n").find("user_agent must be a string") != std::string::npos);
    CHECK(error_of("[host.\"a.example\"]\nuser_agent = \"a\\r\\nX: y\"\n").find("user_agent must be one line") !=
          std::string::npos);
    CHECK(error_of("[host.\"a.example:8080\"]\nretries = 1\n").find("not a host name") != std::string::npos);
    CHECK(error_of("[host.\"\"]\nretries = 1\n").find("not a host name") != std::string::npos);
    CHECK(error_of("host = \"a.example\"\n").find("'host' must be tables") != std::string::npos);
    CHECK(error_of("[host]\n\"a.example\" = 3\n").find("'host.\"a.example\"' must be a table") != std::string::npos);
    CHECK(error_of("[hosts.\"a.example\"]\nretries = 1\n").find("unknown key 'hosts'") != std::string::npos);
}

}  // namespace provcheck
