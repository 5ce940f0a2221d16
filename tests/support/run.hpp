// Runs a command (argv, no shell) with extra environment variables; captures stdout and stderr.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace provcheck::test {

struct RunResult {
    int exit_code = -1;  // -1 when killed by a signal
    std::string out;
    std::string err;
};

[[nodiscard]] RunResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});

// Starts a command (argv, no shell) with extra environment variables, its standard output and error going to
// `log`; returns at once with its process id, for the caller to wait for or kill.
[[nodiscard]] pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                          const std::filesystem::path& log);

// The provcheck binary built with the tests.
[[nodiscard]] std::string provcheck_binary();

}  // namespace provcheck::test
