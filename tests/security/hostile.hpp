// What the attack tests share: running provcheck with its key and workspace in a scratch directory, and
// writing the files an attacker would hand it.
#pragma once

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace provcheck::test {

// `provcheck ARGS` with the signing key under `dir`/config, at most `seconds` seconds (exit code 124 past it).
inline RunResult provcheck(const TempDir& dir, std::vector<std::string> args, int seconds = 300) {
    std::vector<std::string> argv{"/usr/bin/timeout", "-s", "KILL", std::to_string(seconds), provcheck_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, {{"XDG_CONFIG_HOME", (dir / "config").string()}});
}

// `provcheck check ARGS --workspace DIR/ws --format json --fail-on none`, which must succeed: the JSON report.
inline nlohmann::json check_json(const TempDir& dir, std::vector<std::string> args, int seconds = 300) {
    std::vector<std::string> all{"check",     "--workspace", (dir / "ws").string(), "--format", "json",
                                 "--fail-on", "none"};
    all.insert(all.end(), args.begin(), args.end());
    RunResult r = provcheck(dir, all, seconds);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
}

// An HTML page whose article holds `body` (markup), for the local articles the tests make.
inline std::string article_page(std::string_view body) {
    return "<!doctype html><html><head><title>Hostile page</title></head><body><article>" + std::string(body) +
           "</article></body></html>";
}

}  // namespace provcheck::test
