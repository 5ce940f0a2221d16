// Articles of one run move on independently: an article whose source the fixture server holds back does
// not keep the others from being checked and stored. Asserted on what the workspace database holds while
// the source is held, never on how long anything took.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "support/fixture_web.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace provcheck;

namespace {

// A gate the fixture server's handler waits at until the test opens it (or, so that a broken build can
// never hang the suite, a minute has passed).
struct Gate {
    std::mutex m;
    std::condition_variable cv;
    bool open = false;
    int waiting = 0;

    void wait() {
        std::unique_lock lock(m);
        ++waiting;
        cv.wait_for(lock, std::chrono::minutes(1), [this] { return open; });
        --waiting;
    }
    void release() {
        {
            std::lock_guard lock(m);
            open = true;
        }
        cv.notify_all();
    }
    int held() {
        std::lock_guard lock(m);
        return waiting;
    }
};

std::string article_page(int i, const std::string& source) {
    const std::string id = std::to_string(i);
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Harbour report " + id +
           "</title></head><body><article><h1>Harbour report " + id +
           "</h1><p>The port authority released its figures.</p><p>“Traffic rose by 8 percent this spring,” the "
           "harbour master Lena Berg said in <a href=\"" +
           source + "\">the authority's report</a>.</p></article></body></html>";
}

const std::string source_page =
    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Spring figures</title></head>"
    "<body><article><h1>Spring figures</h1><p>Traffic rose by 8 percent this spring, the harbour master "
    "said.</p></article></body></html>";

// The articles with records in the workspace, read the way any other reader would while provcheck writes.
std::set<std::string> recorded_articles(const std::filesystem::path& db_path) {
    std::set<std::string> out;
    if (!std::filesystem::exists(db_path)) return out;
    sqlite3* raw = nullptr;
    if (sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(raw);
        return out;
    }
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
    sqlite3_busy_timeout(db.get(), 2000);
    sqlite3_stmt* raw_stmt = nullptr;
    if (sqlite3_prepare_v2(db.get(), "SELECT DISTINCT article FROM records", -1, &raw_stmt, nullptr) != SQLITE_OK) {
        return out;  // not created yet
    }
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> stmt(raw_stmt, &sqlite3_finalize);
    while (sqlite3_step(stmt.get()) == SQLITE_ROW)
        out.emplace(reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0)));
    return out;
}

}  // namespace

TEST_CASE("a held-back source holds up only its own article; the others are checked and stored meanwhile", "[cli]") {
    test::FixtureWeb web{test::source_path("fixtures/web")};
    test::TempDir dir;
    constexpr int n = 24;  // more than one of the old windows of 16, so the held article is not alone in one
    auto gate = std::make_shared<Gate>();
    test::Route held;
    held.host = "slow.example";
    held.path = "/report";
    held.handler = [gate](const httplib::Request&, httplib::Response& res) {
        gate->wait();
        res.set_content(source_page, "text/html; charset=utf-8");
    };
    web.http().add_route(held);
    test::Route quick;
    quick.host = "quick.example";
    quick.path = "/report";
    quick.body = source_page;
    web.http().add_route(quick);
    std::string list;
    for (int i = 0; i < n; ++i) {
        test::Route page;
        page.host = "news.example";
        page.path = "/h/" + std::to_string(i);
        // The first article cites the held source: the report must still list it first.
        page.body = article_page(i, i == 0 ? "http://slow.example/report" : "http://quick.example/report");
        web.http().add_route(page);
        list += "http://news.example/h/" + std::to_string(i) + "\n";
    }
    { std::ofstream(dir / "list.txt") << list; }
    std::vector<std::string> argv{test::provcheck_binary(),
                                  "check",
                                  "--input-list",
                                  (dir / "list.txt").string(),
                                  "--workspace",
                                  (dir / "ws").string(),
                                  "--host-interval",
                                  "0",
                                  "--format",
                                  "json",
                                  "--output",
                                  (dir / "report.json").string(),
                                  "--quiet"};
    auto client = web.client_args();
    argv.insert(argv.end(), client.begin(), client.end());

    test::RunResult result;
    std::thread checker([&] { result = test::run(argv, {{"XDG_CONFIG_HOME", (dir / "config").string()}}); });

    // Wait (bounded) until every other article is stored; the held request must still be waiting then.
    const auto db_path = dir / "ws" / "store.db";
    std::set<std::string> stored;
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(50);
    while (std::chrono::steady_clock::now() < give_up) {
        stored = recorded_articles(db_path);
        if (stored.size() >= n - 1) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const int still_held = gate->held();
    gate->release();
    checker.join();

    CHECK(still_held == 1);
    CHECK(stored.size() == n - 1);
    CHECK_FALSE(stored.contains("http://news.example/h/0"));
    for (int i = 1; i < n; ++i)
        CHECK(stored.contains("http://news.example/h/" + std::to_string(i)));

    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    std::ifstream in(dir / "report.json");
    std::stringstream text;
    text << in.rdbuf();
    const json report = json::parse(text.str());
    REQUIRE(report["articles"].size() == n);
    for (int i = 0; i < n; ++i) {
        const auto& a = report["articles"][i];
        CHECK(a["input"] == "http://news.example/h/" + std::to_string(i));
        REQUIRE(a["claims"].size() == 1);
        CHECK(a["claims"][0]["verdict"] == "verbatim");
    }
    CHECK(report["articles"][0]["claims"][0]["source"]["url"] == "http://slow.example/report");
    // After the release, the held article was stored too, and each source was fetched once.
    CHECK(recorded_articles(db_path).contains("http://news.example/h/0"));
    std::size_t quick_fetches = 0;
    for (const auto& r : web.http().requests())
        quick_fetches += r.host == "quick.example" ? 1 : 0;
    CHECK(quick_fetches == 1);
}
