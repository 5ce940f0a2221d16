// Attacks by whoever can write to a workspace (it is committed, shared, copied around) or author a bundle:
// only what is signed is evidence. Each test tampers as an attacker would, with SQLite and file writes of its
// own, and checks that provcheck names the change or ignores the planted bytes, and never shows or signs them.
#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "core/clock.hpp"
#include "support/fixture_web.hpp"
#include "support/run.hpp"
#include "support/seed.hpp"
#include "support/temp_dir.hpp"
#include "warc/warc_reader.hpp"
#include "warc/warc_writer.hpp"

using nlohmann::json;
using namespace provcheck;

namespace {

struct Db {
    sqlite3* raw = nullptr;
    explicit Db(const std::filesystem::path& path) { REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK); }
    ~Db() { sqlite3_close(raw); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    void exec(const std::string& sql) {
        char* err = nullptr;
        INFO(sql);
        int rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &err);
        std::string msg = err != nullptr ? err : "";
        sqlite3_free(err);
        REQUIRE(msg.empty());
        REQUIRE(rc == SQLITE_OK);
    }
    std::string one(const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        INFO(sql);
        REQUIRE(sqlite3_prepare_v2(raw, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
        std::string out;
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr) {
            out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        }
        sqlite3_finalize(st);
        return out;
    }
};

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The seed article checked offline into a fresh workspace, signed by a key of the test's own.
struct WorkspaceSeed {
    test::TempDir dir;
    std::filesystem::path ws = dir / "ws";
    std::map<std::string, std::string> env() const { return {{"XDG_CONFIG_HOME", (dir / "config").string()}}; }

    test::RunResult provcheck(std::vector<std::string> args) const {
        args.insert(args.begin(), test::provcheck_binary());
        return test::run(args, env());
    }
    test::RunResult check(std::vector<std::string> extra = {}) const {
        std::vector<std::string> args{"check",       test::source_path("fixtures/seed/article.html").string(),
                                      "--replay",    test::source_path("fixtures/seed/sources.warc").string(),
                                      "--source",    "NYT=" + test::seed_nyt_url,
                                      "--workspace", ws.string(),
                                      "--format",    "json",
                                      "--fail-on",   "none",
                                      "--quiet"};
        args.insert(args.end(), extra.begin(), extra.end());
        return provcheck(args);
    }
    test::RunResult verify(std::vector<std::string> extra = {}) const {
        std::vector<std::string> args{"verify", "--all", "--workspace", ws.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return provcheck(args);
    }
    json checked() const {
        auto r = check();
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return json::parse(r.out);
    }
};

// A response for `url` whose page prints `text`, written by a WARC writer of the test's own into a new file of
// the workspace: bytes no manifest of provcheck's signs.
StoredRecordRef plant_response(const std::filesystem::path& ws, const std::string& url, const std::string& text,
                               std::string* payload_sha256) {
    FixedClock clock{std::chrono::sys_days{std::chrono::year{2023} / 10 / 17}};
    auto writer = WarcWriter::open(ws / "warc", clock);
    REQUIRE(writer);
    Exchange e;
    e.url = url;
    e.request_head = "GET / HTTP/1.1\r\nHost: www.nytimes.com\r\n\r\n";
    e.status = 200;
    e.status_line = "HTTP/1.1 200 OK";
    e.headers = {{"Content-Type", "text/html; charset=utf-8"}, {"ETag", "\"planted\""}};
    e.content_type = "text/html";
    e.body = "<html><head><title>t</title></head><body><article><p>" + text + "</p></article></body></html>";
    e.remote_ip = "127.0.0.1";
    e.fetched_at = "2023-10-17T09:00:00Z";
    auto stored = writer->store(e);
    REQUIRE(stored);
    REQUIRE(writer->sync());
    *payload_sha256 = stored->payload_sha256;
    return stored->ref;
}

const std::string forty_sentence =
    "Adding even more complexity to the talks, people from more than 40 countries are among the hostages.";

}  // namespace

TEST_CASE("a forged verdict, article or key column is named by verify and never shown", "[security]") {
    WorkspaceSeed s;
    json report = s.checked();
    const json& altered = test::claim_containing(report, "more than 40 countries");
    REQUIRE(altered["verdict"] == "altered");
    const std::string id = altered["id"];
    const auto db_path = s.ws / "store.db";

    SECTION("verdict") {
        Db(db_path).exec("UPDATE records SET verdict = 'verbatim' WHERE claim_id = '" + id + "'");
        auto v = s.verify();
        CHECK(v.exit_code == 2);
        CHECK(v.out.find("verdict 'verbatim', but the signed record says 'altered'") != std::string::npos);
        // show reads the signed statement, not the column.
        auto shown = s.provcheck({"show", id, "--workspace", s.ws.string()});
        INFO(shown.err);
        CHECK(shown.exit_code == 0);
        CHECK(shown.out.find("verdict altered") != std::string::npos);
        CHECK(shown.out.find("verbatim") == std::string::npos);
        auto as_json = s.provcheck({"show", id, "--workspace", s.ws.string(), "--format", "json"});
        CHECK(json::parse(as_json.out)["verdict"] == "altered");
    }
    SECTION("article") {
        Db(db_path).exec("UPDATE records SET article = 'https://elsewhere.example/' WHERE claim_id = '" + id + "'");
        auto v = s.verify();
        CHECK(v.exit_code == 2);
        CHECK(v.out.find("article 'https://elsewhere.example/'") != std::string::npos);
    }
    SECTION("key id") {
        Db(db_path).exec("UPDATE records SET key_id = '" + std::string(64, 'a') + "' WHERE claim_id = '" + id + "'");
        auto v = s.verify();
        CHECK(v.exit_code == 2);
        CHECK(v.out.find("which did not sign it") != std::string::npos);
    }
    SECTION("a manifest's bounds") {
        Db(db_path).exec("UPDATE manifests SET end_offset = end_offset + 10");
        auto v = s.verify();
        CHECK(v.exit_code == 2);
        CHECK(v.out.find("but the signed manifest says") != std::string::npos);
    }
}

TEST_CASE("a planted earlier version of a source is never aligned or signed", "[security]") {
    WorkspaceSeed s;
    json first = s.checked();
    REQUIRE(test::claim_containing(first, "more than 40 countries")["verdict"] == "altered");
    // A "version" of the NYT page that prints 40, with a captures row that points at it.
    std::string digest;
    StoredRecordRef ref = plant_response(s.ws, test::seed_nyt_url, forty_sentence, &digest);
    {
        Db db(s.ws / "store.db");
        db.exec(fmt::format(
            "INSERT INTO captures(run_id, requested_url, final_url, status, fetched_at, remote_ip, content_type, "
            "payload_sha256, block_sha256, chain, warc_file, warc_offset, warc_length, warc_record_id) VALUES "
            "(1, '{0}', '{0}', 200, '2023-10-17T09:00:00Z', '127.0.0.1', 'text/html', '{1}', '', '[]', '{2}', {3}, "
            "{4}, '{5}')",
            test::seed_nyt_url, digest, ref.warc_file, ref.offset, ref.length, ref.record_id));
    }
    json second = s.checked();
    const json& c = test::claim_containing(second, "more than 40 countries");
    CHECK(c["verdict"] == "altered");
    CHECK_FALSE(c.contains("versions"));
    // The planted bytes are no evidence and verify says they are not covered; the signed records still verify.
    auto v = s.verify();
    INFO(v.out);
    CHECK(v.out.find("no signed manifest") != std::string::npos);
    CHECK(v.exit_code == 0);
}

TEST_CASE("a planted HTTP cache entry is never reused, even within --max-age", "[security]") {
    test::FixtureWeb web(test::source_path("fixtures/web"));
    WorkspaceSeed s;
    auto live = [&](std::vector<std::string> extra) {
        std::vector<std::string> args{"check",       test::source_path("fixtures/seed/article.html").string(),
                                      "--source",    "NYT=" + test::seed_nyt_url,
                                      "--workspace", s.ws.string(),
                                      "--format",    "json",
                                      "--fail-on",   "none",
                                      "--quiet"};
        auto client = web.client_args();
        args.insert(args.end(), client.begin(), client.end());
        args.insert(args.end(), extra.begin(), extra.end());
        auto r = s.provcheck(args);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        return json::parse(r.out);
    };
    auto nyt_requests = [&] {
        std::size_t n = 0;
        for (const auto& r : web.https().requests())
            n += r.host == "www.nytimes.com" ? 1 : 0;
        return n;
    };
    REQUIRE(test::claim_containing(live({}), "more than 40 countries")["verdict"] == "altered");
    const std::size_t asked = nyt_requests();
    std::string digest;
    StoredRecordRef ref = plant_response(s.ws, test::seed_nyt_url, forty_sentence, &digest);
    {
        Db db(s.ws / "store.db");
        REQUIRE(db.one("SELECT count(*) FROM http_cache WHERE url = '" + test::seed_nyt_url + "'") == "1");
        db.exec(
            fmt::format("UPDATE http_cache SET warc_file = '{}', warc_offset = {}, warc_length = {}, "
                        "warc_record_id = '{}', payload_sha256 = '{}', validated_at = '2999-01-01T00:00:00Z' "
                        "WHERE url = '{}'",
                        ref.warc_file, ref.offset, ref.length, ref.record_id, digest, test::seed_nyt_url));
    }
    json again = live({"--max-age", "1h"});
    const json& c = test::claim_containing(again, "more than 40 countries");
    CHECK(c["verdict"] == "altered");
    CHECK_FALSE(c["source"].contains("cache"));
    CHECK(nyt_requests() > asked);  // the server was asked again
}

TEST_CASE("an edited redirect hop, which no claim's record names, is found by verify", "[security]") {
    WorkspaceSeed s;
    s.checked();
    // The t.co 301 of the first tweet link: a capture only the report's links use.
    std::filesystem::path file;
    std::uint64_t offset = 0, length = 0;
    for (const auto& e : std::filesystem::directory_iterator(s.ws / "warc")) {
        for (const auto& rec : scan_warc(e.path()).records) {
            if (rec.type() == "response" && rec.target_uri().starts_with("https://t.co/")) {
                file = e.path();
                offset = rec.offset;
                length = rec.length;
                break;
            }
        }
        if (!file.empty()) break;
    }
    REQUIRE_FALSE(file.empty());
    REQUIRE(s.verify().exit_code == 0);
    {
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(static_cast<std::streamoff>(offset + length / 2));
        char b = 0;
        f.read(&b, 1);
        f.seekp(static_cast<std::streamoff>(offset + length / 2));
        b = static_cast<char>(b ^ 0x20);
        f.write(&b, 1);
    }
    auto v = s.verify();
    INFO(v.out);
    CHECK(v.exit_code == 2);
    CHECK(v.out.find("were signed as") != std::string::npos);
    CHECK(v.out.find("the archive was changed") != std::string::npos);
}

TEST_CASE("export packs only signed archive bytes: never a link planted in warc/", "[security]") {
    WorkspaceSeed s;
    s.checked();
    const std::string secret = "-----BEGIN PRIVATE KEY-----\nnot-for-export\n-----END PRIVATE KEY-----\n";
    { std::ofstream(s.dir / "secret.pem") << secret; }
    std::filesystem::create_symlink(s.dir / "secret.pem", s.ws / "warc" / "provcheck-x.warc.gz");
    // A tail no manifest covers: appended garbage after the last signed span.
    std::filesystem::path signed_file;
    for (const auto& e : std::filesystem::directory_iterator(s.ws / "warc")) {
        if (!e.is_symlink()) signed_file = e.path();
    }
    const std::uintmax_t signed_size = std::filesystem::file_size(signed_file);
    { std::ofstream(signed_file, std::ios::app | std::ios::binary) << "unsigned tail"; }
    auto bundle = s.dir / "b.wacz";
    auto exported = s.provcheck({"export", "--bundle", bundle.string(), "--workspace", s.ws.string()});
    INFO(exported.err);
    REQUIRE(exported.exit_code == 0);
    const std::string bytes = slurp(bundle);
    CHECK(bytes.find("not-for-export") == std::string::npos);
    CHECK(bytes.find("provcheck-x.warc.gz") == std::string::npos);
    CHECK(bytes.find("unsigned tail") == std::string::npos);
    auto v = s.provcheck({"verify", "--bundle", bundle.string()});
    INFO(v.out << v.err);
    CHECK(v.exit_code == 0);
    // The workspace itself: the tail is noted, not evidence, and fails nothing.
    auto w = s.verify();
    CHECK(w.out.find(fmt::format("the last {} bytes are covered by no signed manifest",
                                 std::filesystem::file_size(signed_file) - signed_size)) != std::string::npos);
}

TEST_CASE("a rolled-back workspace or bundle is caught against a checkpoint saved earlier", "[security]") {
    WorkspaceSeed s;
    s.checked();
    auto saved_first = s.provcheck({"log", "checkpoint", "--workspace", s.ws.string()});
    REQUIRE(saved_first.exit_code == 0);
    s.checked();  // a second run appends a manifest and 10 records
    auto saved = s.provcheck({"log", "checkpoint", "--workspace", s.ws.string()});
    REQUIRE(saved.exit_code == 0);
    const auto cp_file = s.dir / "checkpoint.txt";
    { std::ofstream(cp_file) << saved.out; }
    REQUIRE(s.verify({"--checkpoint", cp_file.string()}).exit_code == 0);

    SECTION("the newest records, log entries and checkpoints removed") {
        {
            Db db(s.ws / "store.db");
            const std::string keep = db.one("SELECT max(log_index) + 1 FROM records WHERE run_id = 1");
            db.exec("DELETE FROM records WHERE log_index >= " + keep);
            db.exec("DELETE FROM manifests WHERE log_index >= " + keep);
            db.exec("DELETE FROM log WHERE idx >= " + keep);
            db.exec("DELETE FROM checkpoints WHERE size > " + keep);
        }
        // On its own the shortened workspace is consistent: only a checkpoint from before tells.
        auto alone = s.verify();
        INFO(alone.out);
        CHECK(alone.exit_code == 0);
        auto against = s.verify({"--checkpoint", cp_file.string()});
        INFO(against.out);
        CHECK(against.exit_code == 2);
        CHECK(against.out.find("entries were removed (the workspace was rolled back)") != std::string::npos);

        auto bundle = s.dir / "rolled.wacz";
        REQUIRE(s.provcheck({"export", "--bundle", bundle.string(), "--workspace", s.ws.string()}).exit_code == 0);
        auto b = s.provcheck({"verify", "--bundle", bundle.string(), "--checkpoint", cp_file.string()});
        INFO(b.out << b.err);
        CHECK(b.exit_code == 2);
        CHECK(b.out.find("rolled back") != std::string::npos);
    }
    SECTION("store.db deleted") {
        std::filesystem::remove(s.ws / "store.db");
        std::filesystem::remove(s.ws / "store.db-wal");
        std::filesystem::remove(s.ws / "store.db-shm");
        auto v = s.verify();
        CHECK(v.exit_code == 2);
        CHECK(v.out.find("store.db is missing") != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(s.ws / "store.db"));  // verify never creates an empty store
    }
    SECTION("a checkpoint of another key proves nothing") {
        auto stranger = s.provcheck({"keygen", "--out", (s.dir / "other.pem").string()});
        REQUIRE(stranger.exit_code == 0);
        auto other_cp =
            s.provcheck({"log", "checkpoint", "--workspace", s.ws.string(), "--key", (s.dir / "other.pem").string()});
        REQUIRE(other_cp.exit_code == 0);
        { std::ofstream(s.dir / "other-cp.txt") << other_cp.out; }
        auto v = s.verify({"--checkpoint", (s.dir / "other-cp.txt").string()});
        CHECK(v.exit_code == 2);
        CHECK(v.out.find("--checkpoint is not signed by a trusted key") != std::string::npos);
    }
    CHECK(saved_first.out != saved.out);
}

TEST_CASE("an empty workspace does not pass for a verified one", "[security]") {
    test::TempDir dir;
    std::filesystem::create_directories(dir / "ws");
    {
        // A store with a schema and nothing in it.
        Db db(dir / "ws" / "store.db");
        db.exec("CREATE TABLE t(x)");
    }
    auto r = test::run({test::provcheck_binary(), "keygen", "--out", (dir / "k.pem").string()});
    REQUIRE(r.exit_code == 0);
    auto v = test::run({test::provcheck_binary(), "verify", "--all", "--workspace", (dir / "ws").string(), "--key",
                        (dir / "k.pem").string()});
    INFO(v.out << v.err);
    CHECK(v.exit_code == 2);
    CHECK(v.out.find("holds no records") != std::string::npos);
}

TEST_CASE("show refuses an empty or ambiguous claim id prefix", "[security]") {
    WorkspaceSeed s;
    json report = s.checked();
    std::map<char, std::set<std::string>> by_first;
    for (const auto& c : report["articles"][0]["claims"])
        by_first[c["id"].get<std::string>()[0]].insert(c["id"].get<std::string>());
    std::string shared;
    for (const auto& [first, ids] : by_first) {
        if (ids.size() > 1) shared = std::string(1, first);
    }
    REQUIRE_FALSE(shared.empty());
    auto ambiguous = s.provcheck({"show", shared, "--workspace", s.ws.string()});
    CHECK(ambiguous.exit_code == 3);
    CHECK(ambiguous.err.find("is the start of") != std::string::npos);
    for (const auto& id : by_first[shared[0]])
        CHECK(ambiguous.err.find(id) != std::string::npos);
    auto empty = s.provcheck({"show", "", "--workspace", s.ws.string()});
    CHECK(empty.exit_code == 3);
    CHECK(empty.out.empty());
}
