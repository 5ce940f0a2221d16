// The independent WARC reader of the CLI tests: warcio (npm), through tests/node/warcio-check.mjs, over every
// file of a workspace's archive directory.
#pragma once

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace provcheck::test {

// warcio's summary of the WARC files in `warc_dir` (records, digests recomputed, revisits resolved, payload
// bytes by target URI); nullopt, after a WARN saying so, when node or npm is not available.
inline std::optional<nlohmann::json> warcio_summary(const std::filesystem::path& warc_dir) {
    RunResult install = run({"/bin/sh", source_path("tests/node/install.sh").string()});
    if (install.exit_code == 77) {
        WARN("node/npm not available: the warcio read-back is skipped");
        return std::nullopt;
    }
    REQUIRE(install.exit_code == 0);
    std::vector<std::string> argv{"/usr/bin/env", "node", source_path("tests/node/warcio-check.mjs").string()};
    for (const auto& f : std::filesystem::directory_iterator(warc_dir))
        argv.push_back(f.path().string());
    RunResult read_back = run(argv);
    INFO(read_back.err);
    REQUIRE(read_back.exit_code == 0);
    return nlohmann::json::parse(read_back.out);
}

}  // namespace provcheck::test
