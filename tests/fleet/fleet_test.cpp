// Many workers on one PostgreSQL store, through the built binary: a queue of articles over a fixture web whose
// every answer is 50 ms late, four workers, one of them killed with SIGKILL in the middle. Asserted on what the
// store and the fixture server's own record of requests hold afterwards, never on how long anything took.
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "fleet/pg_server.hpp"
#include "support/fixture_server.hpp"
#include "support/loopback.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

using namespace provcheck;
using provcheck::test::pg;

namespace {

// A child process with its output in a file; waited for (or killed) by the test.
class Child {
public:
    Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
          const std::filesystem::path& log)
        : pid_(test::spawn(argv, env, log)) {}
    ~Child() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    void kill_hard() {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
    // The exit code, or -1 when it did not end by `deadline` (then it is killed) or died by a signal.
    int wait(std::chrono::steady_clock::time_point deadline) {
        int status = 0;
        while (std::chrono::steady_clock::now() < deadline) {
            const pid_t r = ::waitpid(pid_, &status, WNOHANG);
            if (r == pid_) {
                pid_ = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        kill_hard();
        return -1;
    }

private:
    pid_t pid_ = -1;
};

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string article_page(int i) {
    return fmt::format(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Harbour report {0}</title></head>"
        "<body><article><h1>Harbour report {0}</h1><p>The port authority released its figures for berth {0}.</p>"
        "<p>“Traffic at berth {0} rose by {0} percent this spring,” the harbour master Lena Berg said in "
        "<a href=\"http://data{1}.example/r{0}.html\">the authority's report</a>.</p></article></body></html>",
        i, i % 5);
}

std::string source_page(int i) {
    return fmt::format(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Spring figures {0}</title></head>"
        "<body><article><h1>Spring figures</h1><p>Traffic at berth {0} rose by {0} percent this spring, the "
        "harbour master said.</p></article></body></html>",
        i);
}

}  // namespace

TEST_CASE("four workers share one PostgreSQL store; one killed midway loses nothing and no claim is recorded twice",
          "[fleet]") {
    constexpr int articles = 200;
    constexpr int host_limit = 2;
    // With --store, nothing is made in the working directory (the commands run in the test's own).
    const bool workspace_before = std::filesystem::exists(".provcheck");
    test::TempDir dir;
    test::FixtureServer server({});
    for (int i = 0; i < articles; ++i) {
        test::Route page;
        page.host = fmt::format("news{}.example", i % 10);
        page.path = fmt::format("/a{}.html", i);
        page.body = article_page(i);
        page.delay_ms = 50;
        server.add_route(page);
        test::Route source;
        source.host = fmt::format("data{}.example", i % 5);
        source.path = fmt::format("/r{}.html", i);
        source.body = source_page(i);
        source.delay_ms = 50;
        server.add_route(source);
    }
    // The server trusts local connections, so the password is never checked, but it must never be stored either.
    const std::string store = pg().fresh_database() + "&password=hunter2";
    const std::map<std::string, std::string> env{{"XDG_CONFIG_HOME", (dir / "config").string()}};
    const std::string bin = test::provcheck_binary();
    auto keygen = test::run({bin, "keygen", "--out", (dir / "key.pem").string()}, env);
    REQUIRE(keygen.exit_code == 0);

    std::string list;
    for (int i = 0; i < articles; ++i)
        list += fmt::format("http://news{}.example/a{}.html\n", i % 10, i);
    { std::ofstream(dir / "list.txt") << list; }
    auto queued = test::run({bin, "enqueue", "--store", store, "--input-list", (dir / "list.txt").string()}, env);
    INFO(queued.err);
    REQUIRE(queued.exit_code == 0);
    CHECK_THAT(queued.out, Catch::Contains("queued 200 articles"));

    const auto worker_args = [&](int n) {
        return std::vector<std::string>{bin,
                                        "worker",
                                        "--store",
                                        store,
                                        "--warc-dir",
                                        (dir / "shared-warc").string(),
                                        "--workspace",
                                        (dir / fmt::format("ws{}", n)).string(),
                                        "--name",
                                        fmt::format("w{}", n),
                                        "--key",
                                        (dir / "key.pem").string(),
                                        "--concurrency",
                                        "8",
                                        "--lease",
                                        "3s",
                                        "--depth",
                                        "0",
                                        "--timeout",
                                        "5",
                                        "--host-parallel-max",
                                        std::to_string(host_limit),
                                        "--host-interval",
                                        "0",
                                        "--connect-to",
                                        fmt::format("::127.0.0.1:{}", server.port()),
                                        "--allow-private-addresses"};
    };
    std::vector<std::unique_ptr<Child>> workers;
    for (int n = 0; n < 4; ++n)
        workers.push_back(std::make_unique<Child>(worker_args(n), env, dir / fmt::format("w{}.log", n)));

    // Kill w0 once the fleet is under way and w0 holds leases.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    int held_at_kill = 0;
    while (std::chrono::steady_clock::now() < give_up) {
        const auto done =
            std::stoi(test::PgServer::query(store, "SELECT COUNT(*) FROM queue WHERE state = 'done'").at(0));
        held_at_kill = std::stoi(
            test::PgServer::query(store, "SELECT COUNT(*) FROM queue WHERE state = 'leased' AND lease_owner = 'w0'")
                .at(0));
        if (done >= 20 && held_at_kill > 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    workers[0]->kill_hard();
    REQUIRE(held_at_kill > 0);
    for (int n = 1; n < 4; ++n) {
        INFO(read_text(dir / fmt::format("w{}.log", n)));
        CHECK(workers[n]->wait(give_up) == 0);
    }

    // Every article done, once; what w0 held was taken over after its lease ran out.
    CHECK(test::PgServer::query(store, "SELECT COUNT(*) FROM queue WHERE state = 'done'").at(0) == "200");
    CHECK(test::PgServer::query(store, "SELECT COUNT(*) FROM queue").at(0) == "200");
    CHECK(std::stoi(test::PgServer::query(store, "SELECT COUNT(*) FROM queue WHERE attempts > 1").at(0)) >= 1);
    // No claim recorded twice: one quotation an article, one record a quotation.
    CHECK(test::PgServer::query(store, "SELECT COUNT(*) FROM records").at(0) == "200");
    CHECK(test::PgServer::query(store, "SELECT COUNT(DISTINCT claim_id) FROM records").at(0) == "200");
    CHECK(test::PgServer::query(store, "SELECT COUNT(DISTINCT article) FROM records").at(0) == "200");
    CHECK(test::PgServer::query(store, "SELECT COUNT(*) FROM records WHERE verdict <> 'verbatim'").at(0) == "0");

    // One log, every record verified against it, captures read from the shared directory.
    auto verified = test::run({bin, "verify", "--all", "--store", store, "--warc-dir", (dir / "shared-warc").string(),
                               "--key", (dir / "key.pem").string()},
                              env);
    INFO(verified.out.substr(verified.out.size() > 2000 ? verified.out.size() - 2000 : 0));
    CHECK(verified.exit_code == 0);
    CHECK_THAT(verified.out, Catch::Contains("200 records") && Catch::Contains("all verify"));

    // The per-host limit held for the fleet as a whole, by the server's own clock.
    std::map<std::string, std::vector<test::RecordedRequest>> by_host;
    for (const auto& r : server.requests())
        by_host[r.host].push_back(r);
    CHECK(by_host.size() == 15);
    for (const auto& [host, reqs] : by_host) {
        INFO(host);
        CHECK(test::most_in_flight(reqs) <= host_limit);
    }

    auto status = test::run({bin, "queue", "status", "--store", store}, env);
    CHECK(status.exit_code == 0);
    CHECK_THAT(status.out, Catch::Contains("done    200") && Catch::Contains("failed  0"));

    CHECK((workspace_before || !std::filesystem::exists(".provcheck")));

    // Each worker's command line is kept with its runs, its store password not.
    const auto argv = test::PgServer::query(store, "SELECT argv FROM runs LIMIT 1");
    REQUIRE(argv.size() == 1);
    CHECK_THAT(argv[0], Catch::Contains("password=***") && !Catch::Contains("hunter2"));
}

TEST_CASE("a queue on a workspace: a worker checks it; a row naming a local file is failed, never read", "[fleet]") {
    test::TempDir dir;
    test::FixtureServer server({});
    for (int i = 0; i < 3; ++i) {
        test::Route page;
        page.host = "news0.example";
        page.path = fmt::format("/a{}.html", i);
        page.body = article_page(i);
        server.add_route(page);
        test::Route source;
        source.host = fmt::format("data{}.example", i % 5);
        source.path = fmt::format("/r{}.html", i);
        source.body = source_page(i);
        server.add_route(source);
    }
    test::Route sitemap;
    sitemap.host = "news0.example";
    sitemap.path = "/sitemap.xml";
    sitemap.content_type = "application/xml";
    sitemap.body =
        "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
        "<url><loc>http://news0.example/a0.html</loc></url><url><loc>/a2.html</loc></url></urlset>";
    server.add_route(sitemap);
    test::Route gone;
    gone.host = "news0.example";
    gone.path = "/gone.html";
    gone.status = 404;
    gone.body = "not here";
    server.add_route(gone);
    const std::map<std::string, std::string> env{{"XDG_CONFIG_HOME", (dir / "config").string()}};
    const std::string bin = test::provcheck_binary();
    const std::string ws = (dir / "ws").string();
    const std::string secret = (dir / "secret.html").string();
    {
        std::ofstream(secret) << "<html><body><p>“Traffic at berth 1 rose by 1 percent this spring,” said the "
                                 "private note.</p></body></html>";
    }

    // Options before, between and after the articles.
    auto queued = test::run({bin, "enqueue", "http://news0.example/a0.html", "--workspace", ws,
                             "http://news0.example/a1.html", "http://news0.example/gone.html", "-q"},
                            env);
    INFO(queued.err);
    REQUIRE(queued.exit_code == 0);
    auto again = test::run({bin, "enqueue", "--workspace", ws, "http://news0.example/a0.html"}, env);
    CHECK_THAT(again.out, Catch::Contains("queued 0 articles (1 already pending or under way)"));
    auto mapped = test::run({bin, "enqueue", "--workspace", ws, "--sitemap", "http://news0.example/sitemap.xml",
                             "--connect-to", fmt::format("::127.0.0.1:{}", server.port()), "--allow-private-addresses"},
                            env);
    INFO(mapped.err);
    CHECK(mapped.exit_code == 0);
    CHECK_THAT(mapped.out, Catch::Contains("queued 1 article (1 already pending or under way)"));
    auto local = test::run({bin, "enqueue", "--workspace", ws, secret}, env);
    CHECK(local.exit_code == 3);
    CHECK_THAT(local.err, Catch::Contains("not an http(s) URL"));
    auto since_alone =
        test::run({bin, "enqueue", "--workspace", ws, "--since", "2026-01-01", "http://news0.example/a0.html"}, env);
    CHECK(since_alone.exit_code == 3);
    CHECK_THAT(since_alone.err, Catch::Contains("--since applies to --sitemap entries"));
    auto bad_store = test::run({bin, "queue", "status", "--store", "mysql://db.example/x"}, env);
    CHECK(bad_store.exit_code == 3);
    CHECK_THAT(bad_store.err, Catch::Contains("not a postgresql:// URL"));

    // Whoever can write the store's rows plants a local file in the queue.
    {
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open((dir / "ws" / "store.db").c_str(), &raw) == SQLITE_OK);
        const std::string sql =
            fmt::format("INSERT INTO queue(article, state, enqueued_at) VALUES ('{}', 'pending', 'now')", secret);
        CHECK(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(raw);
    }

    auto worked =
        test::run({bin, "worker", "--workspace", ws, "--connect-to", fmt::format("::127.0.0.1:{}", server.port()),
                   "--allow-private-addresses", "--host-interval", "0"},
                  env);
    INFO(worked.err);
    CHECK(worked.exit_code == 0);
    CHECK_THAT(worked.err, Catch::Contains("3 done, 2 failed"));

    auto status = test::run({bin, "queue", "status", "--workspace", ws}, env);
    CHECK(status.exit_code == 0);
    CHECK_THAT(status.out, Catch::Contains("done    3") && Catch::Contains("failed  2"));
    CHECK_THAT(status.out, Catch::Contains("gone.html: HTTP/1.1 404 Not Found\n"));
    CHECK_THAT(status.out, Catch::Contains("secret.html: not an http(s) URL"));
    auto json_status = test::run({bin, "queue", "status", "--workspace", ws, "--format", "json"}, env);
    CHECK_THAT(json_status.out, Catch::Contains("\"failed\": 2"));

    // The records are those of the three web articles; the planted file was never read.
    auto verified = test::run({bin, "verify", "--all", "--workspace", ws}, env);
    CHECK(verified.exit_code == 0);
    CHECK_THAT(verified.out, Catch::Contains("3 records"));
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open((dir / "ws" / "store.db").c_str(), &raw) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, "SELECT COUNT(*) FROM captures WHERE requested_url LIKE '%secret%'", -1, &st,
                               nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_int(st, 0) == 0);
    sqlite3_finalize(st);
    sqlite3_close(raw);
}
