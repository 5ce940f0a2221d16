// The workspace under stress: several `provcheck check` processes on one workspace at once, and processes
// killed (SIGKILL) at random moments, must leave a workspace that opens, verifies, and takes further runs.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <random>
#include <regex>
#include <thread>

#include "support/run.hpp"
#include "support/seed.hpp"
#include "support/temp_dir.hpp"

using namespace provcheck;

namespace {

const std::string& nyt_url = test::seed_nyt_url;

std::vector<std::string> check_argv(const std::filesystem::path& ws) {
    return {test::provcheck_binary(),
            "check",
            test::source_path("fixtures/seed/article.html").string(),
            "--replay",
            test::source_path("fixtures/seed/sources.warc").string(),
            "--source",
            "NYT=" + nyt_url,
            "--workspace",
            ws.string(),
            "--quiet"};
}

// Starts a process with its output discarded; returns its pid.
pid_t spawn(const std::vector<std::string>& argv, const std::string& config_home) {
    pid_t pid = ::fork();
    if (pid == 0) {
        int devnull = ::open("/dev/null", O_RDWR);
        ::dup2(devnull, STDIN_FILENO);
        ::dup2(devnull, STDOUT_FILENO);
        ::dup2(devnull, STDERR_FILENO);
        ::setenv("XDG_CONFIG_HOME", config_home.c_str(), 1);
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    return pid;
}

std::size_t records_verified(const test::RunResult& r) {
    std::smatch m;
    static const std::regex count(R"((\d+) records?, )");
    return std::regex_search(r.out, m, count) ? std::stoul(m[1]) : 0;
}

}  // namespace

TEST_CASE("several checks on one workspace at once wait for each other", "[cli]") {
    test::TempDir dir;
    std::map<std::string, std::string> env{{"XDG_CONFIG_HOME", (dir / "config").string()}};
    // The key is made first, so that the three processes do not race to create it.
    REQUIRE(test::run({test::provcheck_binary(), "keygen"}, env).exit_code == 0);
    std::vector<test::RunResult> results(3);
    std::vector<std::thread> threads;
    for (auto& r : results) {
        threads.emplace_back([&r, &dir, &env] { r = test::run(check_argv(dir / "ws"), env); });
    }
    for (auto& t : threads)
        t.join();
    for (const auto& r : results) {
        INFO(r.err);
        CHECK(r.exit_code == 2);
    }
    auto v = test::run({test::provcheck_binary(), "verify", "--all", "--workspace", (dir / "ws").string()}, env);
    INFO(v.out);
    CHECK(v.exit_code == 0);
    CHECK(records_verified(v) == 30);
}

TEST_CASE("checks killed at random moments leave a workspace that verifies and completes", "[cli]") {
    test::TempDir dir;
    const std::string config = (dir / "config").string();
    std::map<std::string, std::string> env{{"XDG_CONFIG_HOME", config}};
    REQUIRE(test::run({test::provcheck_binary(), "keygen"}, env).exit_code == 0);
    // One complete run first, so that later kills land in a workspace that already holds records.
    REQUIRE(test::run(check_argv(dir / "ws"), env).exit_code == 2);
    std::mt19937 rng(20231019);
    std::uniform_int_distribution<int> delay_ms(0, 1200);
    for (int i = 0; i < 8; ++i) {
        pid_t pid = spawn(check_argv(dir / "ws"), config);
        REQUIRE(pid > 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
    }
    auto before = test::run({test::provcheck_binary(), "verify", "--all", "--workspace", (dir / "ws").string()}, env);
    INFO(before.out << before.err);
    REQUIRE(before.exit_code == 0);
    const std::size_t n = records_verified(before);
    // Every run either recorded all of the article's 10 claims or none of them.
    CHECK(n % 10 == 0);
    CHECK(n >= 10);

    auto rerun = test::run(check_argv(dir / "ws"), env);
    INFO(rerun.err);
    CHECK(rerun.exit_code == 2);
    auto after = test::run({test::provcheck_binary(), "verify", "--all", "--workspace", (dir / "ws").string()}, env);
    INFO(after.out);
    CHECK(after.exit_code == 0);
    CHECK(records_verified(after) == n + 10);
}
