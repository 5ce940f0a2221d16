// `provcheck recheck` through the binary against a web that changes between runs (fixtures/recheck): a source
// edited in place after a check (a stealth edit) and an article that corrects its quotation (a correction),
// with conditional requests, the history in the records and `verify --all` clean afterwards.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>

#include "core/fs.hpp"
#include "core/hash.hpp"
#include "crypto/dsse.hpp"
#include "crypto/ed25519.hpp"
#include "support/fixture_web.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace provcheck;

namespace {

const std::string herald_article = "https://www.valleyherald.example/news/reservoir-levels.html";

struct ChangingWeb {
    test::TempDir dir;
    std::unique_ptr<test::FixtureWeb> web;

    // `routes`: a routes.toml for the web, read when it starts.
    explicit ChangingWeb(const std::string& routes = {}) {
        std::filesystem::copy(test::source_path("fixtures/recheck/before"), dir / "web",
                              std::filesystem::copy_options::recursive);
        if (!routes.empty()) std::ofstream(dir / "web" / "routes.toml") << routes;
        web = std::make_unique<test::FixtureWeb>(dir / "web", std::filesystem::path{}, true);
    }
    // The second state of the web: the source edited, the article corrected.
    void change() const {
        std::filesystem::copy(
            test::source_path("fixtures/recheck/after"), dir / "web",
            std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
    }
    [[nodiscard]] std::string ws() const { return (dir / "ws").string(); }
    test::RunResult provcheck(std::vector<std::string> args, bool network = true) const {
        args.insert(args.begin(), test::provcheck_binary());
        args.push_back("--workspace");
        args.push_back(ws());
        if (network) {
            for (const auto& a : web->client_args())
                args.push_back(a);
        }
        return test::run(args, {{"XDG_CONFIG_HOME", (dir / "config").string()}});
    }
    // Requests the fixture web received for `path` (on either port), in order.
    [[nodiscard]] std::vector<test::RecordedRequest> requests_for(const std::string& path) const {
        std::vector<test::RecordedRequest> out;
        for (auto* s : {&web->http(), &web->https()}) {
            for (const auto& r : s->requests()) {
                if (r.target == path) out.push_back(r);
            }
        }
        return out;
    }
    [[nodiscard]] std::size_t requests_to_host(const std::string& host) const {
        std::size_t n = 0;
        for (auto* s : {&web->http(), &web->https()}) {
            for (const auto& r : s->requests())
                n += r.host == host ? 1 : 0;
        }
        return n;
    }
};

bool has_header(const test::RecordedRequest& r, const std::string& name) {
    return std::any_of(r.headers.begin(), r.headers.end(), [&](const Header& h) {
        std::string n = h.name;
        std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
        return n == name;
    });
}

const json& change_of(const json& report, const std::string& quote_part) {
    for (const auto& a : report["articles"]) {
        for (const auto& c : a["claims"]) {
            const json& side = c.contains("before") ? c["before"] : c["after"];
            if (side["quote"].get<std::string>().find(quote_part) != std::string::npos) return c;
        }
    }
    FAIL("no claim quoting " << quote_part);
    static const json none;
    return none;
}

}  // namespace

TEST_CASE("recheck reports a stealth edit of a source, reading the article as stored", "[cli]") {
    ChangingWeb w;
    auto first = w.provcheck({"check", herald_article, "-q", "--format", "json"});
    INFO(first.err);
    REQUIRE(first.exit_code == 2);  // the farms quotation is altered (40 for 30)
    const std::size_t article_requests = w.requests_for("/news/reservoir-levels.html").size();
    REQUIRE(article_requests == 1);

    // Right after the check nothing is due: the first look is an hour later.
    auto early = w.provcheck({"recheck"});
    INFO(early.err);
    CHECK(early.exit_code == 0);
    CHECK(early.out.empty());
    CHECK(early.err.find("nothing to recheck (due on the schedule); next due ") != std::string::npos);

    w.change();
    auto r = w.provcheck({"recheck", "--now", "--format", "json", "-q"});
    INFO(r.err);
    REQUIRE(r.exit_code == 2);  // a stealth edit fails by default
    const json report = json::parse(r.out);
    CHECK(report["selection"] == "every stored article (--now)");
    CHECK(report["summary"]["stealth_edit"] == 1);
    CHECK(report["summary"]["unchanged"] == 2);

    const json& edit = change_of(report, "Kell reservoir");
    CHECK(edit["kind"] == "stealth_edit");
    CHECK(edit["summary"] == "the source now words it differently (verbatim → altered)");
    CHECK(edit["before"]["verdict"] == "verbatim");
    CHECK(edit["after"]["verdict"] == "altered");
    const std::string before_sha = edit["before"]["source"]["sha256"];
    const std::string after_sha = edit["after"]["source"]["sha256"];
    CHECK(before_sha != after_sha);
    const auto served =
        read_file(test::source_path("fixtures/recheck/after/www.norlandwater.example/news/reservoir-update.html"));
    REQUIRE(served);
    CHECK(after_sha == sha256_hex(*served));
    CHECK(edit["after"]["log_index"].get<int>() > edit["before"]["log_index"].get<int>());
    bool removed_62 = false;
    bool added_48 = false;
    for (const auto& d : edit["diff"]) {
        removed_62 |= d["op"] == "removed" && d["text"] == "62";
        added_48 |= d["op"] == "added" && d["text"] == "48";
    }
    CHECK(removed_62);
    CHECK(added_48);
    // The farms quotation is still altered: the article was read as stored, so its correction is not seen.
    CHECK(change_of(report, "farms")["kind"] == "unchanged");

    // The article was not asked for again; the sources were, conditionally: the unchanged ones answered 304.
    CHECK(w.requests_for("/news/reservoir-levels.html").size() == article_requests);
    const auto debate = w.requests_for("/debates/water.html");
    REQUIRE(debate.size() == 2);
    CHECK(has_header(debate[1], "if-none-match"));

    // The text report names both versions and the words.
    auto text = w.provcheck({"recheck", edit["before"]["claim_id"].get<std::string>(), "--fail-on", "none"});
    INFO(text.err);
    CHECK(text.exit_code == 0);
    // The edit was recorded by the last run: against it, nothing has changed since.
    CHECK(text.out.find("1 article, 3 claims: 3 unchanged") != std::string::npos);

    // The history: one record per look, all verifying.
    auto show = w.provcheck({"show", edit["before"]["claim_id"].get<std::string>()}, false);
    INFO(show.err);
    CHECK(show.exit_code == 0);
    CHECK(show.out.find("history (3 records)") != std::string::npos);
    CHECK(show.out.find(before_sha.substr(0, 12)) != std::string::npos);
    CHECK(show.out.find(after_sha.substr(0, 12)) != std::string::npos);
    auto verify = w.provcheck({"verify", "--all"}, false);
    INFO(verify.out << verify.err);
    CHECK(verify.exit_code == 0);
}

TEST_CASE("recheck --articles reports a correction of the article with the words it changed", "[cli]") {
    ChangingWeb w;
    REQUIRE(w.provcheck({"check", herald_article, "-q", "--fail-on", "none"}).exit_code == 0);
    w.change();
    const auto html_path = (w.dir / "recheck.html").string();
    auto r = w.provcheck({"recheck", "--articles", "--format", "json", "--now", "-q"});
    INFO(r.err);
    REQUIRE(r.exit_code == 2);
    const json report = json::parse(r.out);
    const json& fix = change_of(report, "40 farms");
    CHECK(fix["kind"] == "correction");
    CHECK(fix["before"]["verdict"] == "altered");
    CHECK(fix["after"]["verdict"] == "verbatim");
    CHECK(fix["after"]["quote"] == "More than 30 farms in the valley have already drilled new boreholes,");
    CHECK(fix["before"]["claim_id"] != fix["after"]["claim_id"]);
    CHECK(fix["before"]["article"]["sha256"] != fix["after"]["article"]["sha256"]);
    CHECK(fix["diff"][1] == json{{"op", "removed"}, {"text", "40"}});
    CHECK(fix["diff"][2] == json{{"op", "added"}, {"text", "30"}});
    CHECK(change_of(report, "Kell reservoir")["kind"] == "stealth_edit");
    CHECK(change_of(report, "every household")["kind"] == "unchanged");
    // The article was asked for again, conditionally.
    const auto asked = w.requests_for("/news/reservoir-levels.html");
    REQUIRE(asked.size() == 2);
    CHECK(has_header(asked[1], "if-none-match"));

    // Nothing changed since: the same command passes, and an HTML report is written.
    auto again = w.provcheck({"recheck", "--articles", "--now", "--format", "html", "-o", html_path, "-q"});
    INFO(again.err);
    CHECK(again.exit_code == 0);
    std::ifstream html(html_path);
    const std::string page((std::istreambuf_iterator<char>(html)), {});
    CHECK(page.find("<title>provcheck recheck") != std::string::npos);
    CHECK(page.find("3 unchanged") != std::string::npos);

    // A verdict in --fail-on fails the run as it does for check.
    auto verdicts = w.provcheck({"recheck", "--now", "--fail-on", "altered", "-q"});
    CHECK(verdicts.exit_code == 2);
    CHECK(w.provcheck({"verify", "--all"}, false).exit_code == 0);
}

TEST_CASE("recheck refuses bad selections with exit 3", "[cli]") {
    ChangingWeb w;
    REQUIRE(w.provcheck({"check", herald_article, "-q", "--fail-on", "none"}).exit_code == 0);
    auto since = w.provcheck({"recheck", "--since", "last week"});
    CHECK(since.exit_code == 3);
    CHECK(since.err.find("--since: 'last week' is not a date") != std::string::npos);
    auto unknown = w.provcheck({"recheck", "0000000000"});
    CHECK(unknown.exit_code == 3);
    CHECK(unknown.err.find("no claim 0000000000") != std::string::npos);
    CHECK(w.provcheck({"recheck", "--now", "--since", "2026-01-01"}).exit_code == 3);
    auto fail_on = w.provcheck({"recheck", "--now", "--fail-on", "stealth-edits"});
    CHECK(fail_on.exit_code == 3);
    CHECK(fail_on.err.find("stealth-edits") != std::string::npos);
    test::TempDir empty;
    auto none = test::run({test::provcheck_binary(), "recheck", "--workspace", (empty / "nothing").string()},
                          {{"XDG_CONFIG_HOME", (w.dir / "config").string()}});
    CHECK(none.exit_code == 3);
    // Options after the arguments and --since with a date, as people type them.
    auto typed = w.provcheck({"recheck", "--since", "2026-01-01", "--format", "json", "--fail-on", "none"});
    INFO(typed.err);
    CHECK(typed.exit_code == 0);
    CHECK(json::parse(typed.out)["selection"] == "articles first checked since 2026-01-01");
}

TEST_CASE("recheck never fetches what an unsigned or forged record names", "[cli][security]") {
    ChangingWeb w;
    REQUIRE(w.provcheck({"check", herald_article, "-q", "--fail-on", "none"}).exit_code == 0);
    // A record rewritten to name another article and re-signed with a stranger's key, the row made to match.
    const std::string db_path = w.ws() + "/store.db";
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT envelope FROM records ORDER BY log_index LIMIT 1", -1, &st, nullptr) ==
            SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    const std::string envelope(static_cast<const char*>(sqlite3_column_blob(st, 0)),
                               static_cast<std::size_t>(sqlite3_column_bytes(st, 0)));
    sqlite3_finalize(st);
    auto original = parse_envelope(envelope);
    REQUIRE(original);
    std::string payload = original->payload;
    for (std::size_t at = payload.find(herald_article); at != std::string::npos;
         at = payload.find(herald_article, at + 1))
        payload.replace(at, herald_article.size(), "https://www.attacker.example/x.html");
    SigningKey stranger = SigningKey::from_seed(std::string(32, '\x44')).value();
    const std::string forged = envelope_json(sign_envelope(original->payload_type, payload, stranger));
    const std::string sql = "UPDATE records SET envelope = X'" + to_hex(forged) + "', envelope_sha256 = '" +
                            sha256_hex(forged) + "', key_id = '" + stranger.key_id() +
                            "' WHERE log_index = (SELECT MIN(log_index) FROM records)";
    REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);

    auto r = w.provcheck({"recheck", "--now", "--format", "json"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("1 record was left out: signature or log entry does not verify") != std::string::npos);
    CHECK(w.requests_to_host("www.attacker.example") == 0);
    // The article's other claims are still rechecked; the forged one is not among them.
    const json report = json::parse(r.out);
    CHECK(report["summary"]["unchanged"] == 2);
}

namespace {

struct RecheckDb {
    sqlite3* raw = nullptr;
    explicit RecheckDb(const std::string& path) { REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK); }
    ~RecheckDb() { sqlite3_close(raw); }
    void exec(const std::string& sql) const {
        INFO(sql);
        REQUIRE(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    }
};

}  // namespace

TEST_CASE("recheck refuses a workspace whose log no longer matches its signed checkpoint", "[cli][security]") {
    ChangingWeb w;
    REQUIRE(w.provcheck({"check", herald_article, "-q", "--fail-on", "none"}).exit_code == 0);
    w.change();
    SECTION("an entry rewritten") {
        RecheckDb(w.ws() + "/store.db").exec("UPDATE log SET envelope_sha256 = zeroblob(32) WHERE idx = 0");
        auto r = w.provcheck({"recheck", "--now"});
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("no longer hashes to its signed checkpoint") != std::string::npos);
    }
    SECTION("an entry appended past the checkpoint (a record replayed)") {
        RecheckDb(w.ws() + "/store.db")
            .exec(
                "INSERT INTO log (idx, envelope_sha256) SELECT (SELECT MAX(idx) + 1 FROM log), envelope_sha256 "
                "FROM log WHERE idx = 0");
        auto r = w.provcheck({"recheck", "--now"});
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("past its latest signed checkpoint") != std::string::npos);
    }
    SECTION("a record row deleted") {
        RecheckDb(w.ws() + "/store.db")
            .exec("DELETE FROM records WHERE log_index = (SELECT MIN(log_index) FROM records)");
        auto r = w.provcheck({"recheck", "--now"});
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("1 of the log's entries has no record or manifest row") != std::string::npos);
    }
    // Nothing was fetched, and nothing was signed over the changed log: the run stopped before any request.
    CHECK(w.requests_for("/news/reservoir-update.html").size() == 1);
}

TEST_CASE("recheck without --articles reads an article reached through a redirect as stored", "[cli]") {
    ChangingWeb w(R"([[route]]
host = "www.valleyherald.example"
path = "/r/reservoir"
status = 301
headers = { Location = "https://www.valleyherald.example/news/reservoir-levels.html" }
)");
    const std::string short_url = "https://www.valleyherald.example/r/reservoir";
    REQUIRE(w.provcheck({"check", short_url, "-q", "--fail-on", "none"}).exit_code == 0);
    w.change();
    auto r = w.provcheck({"recheck", "--now", "--format", "json", "-q"});
    INFO(r.err);
    const json report = json::parse(r.out);
    CHECK(report["notes"].empty());
    CHECK(change_of(report, "40 farms")["kind"] == "unchanged");  // the correction is not seen: read as stored
    CHECK(change_of(report, "Kell reservoir")["kind"] == "stealth_edit");
    CHECK(w.requests_for("/r/reservoir").size() == 1);
    CHECK(w.requests_for("/news/reservoir-levels.html").size() == 1);
}

TEST_CASE("recheck: an article gone, verdicts and critical differences in --fail-on, an output with nowhere to go",
          "[cli]") {
    ChangingWeb w;
    REQUIRE(w.provcheck({"check", herald_article, "-q", "--fail-on", "none"}).exit_code == 0);

    // --output into a directory that does not exist: a usage error before anything is fetched or recorded.
    auto nowhere = w.provcheck({"recheck", "--now", "-o", (w.dir / "missing" / "r.txt").string()});
    CHECK(nowhere.exit_code == 3);
    CHECK(nowhere.err.find("no such directory") != std::string::npos);
    CHECK(w.requests_for("/news/reservoir-update.html").size() == 1);
    CHECK(w.provcheck({"recheck", "--now", "0000"}).exit_code == 3);  // --now and ids exclude each other

    // The farms quotation is still altered with a critical number difference: listed when --fail-on names it.
    auto critical = w.provcheck({"recheck", "--now", "--fail-on", "critical"});
    INFO(critical.err);
    CHECK(critical.exit_code == 2);
    CHECK(critical.out.find("gate fails (critical difference)") != std::string::npos);
    CHECK(critical.out.find("gate: 1 failure") != std::string::npos);

    std::filesystem::remove(w.dir / "web/www.valleyherald.example/news/reservoir-levels.html");
    auto gone = w.provcheck({"recheck", "--now", "--articles", "--format", "json", "-q"});
    INFO(gone.err);
    CHECK(gone.exit_code == 2);
    const json report = json::parse(gone.out);
    CHECK(report["summary"]["article_gone"] == 3);
    CHECK(report["failures"] == 3);
    CHECK(
        change_of(report, "Kell reservoir")["summary"].get<std::string>().starts_with("the article is gone (http_4xx"));
}
