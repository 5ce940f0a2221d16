// The seed article end to end through the built binary, offline (--replay), every expectation of the seed
// case checked field by field; then the tamper cases of `verify`.
#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <set>

#include "core/hash.hpp"
#include "crypto/dsse.hpp"
#include "support/run.hpp"
#include "support/seed.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace provcheck;
using test::run;
using test::RunResult;

namespace {

struct Workspace {
    test::TempDir dir;
    std::map<std::string, std::string> env() const { return {{"XDG_CONFIG_HOME", (dir / "config").string()}}; }
    std::string ws() const { return (dir / "ws").string(); }

    RunResult check(std::vector<std::string> extra = {}) const {
        std::vector<std::string> argv{test::provcheck_binary(),
                                      "check",
                                      test::source_path("fixtures/seed/article.html").string(),
                                      "--replay",
                                      test::source_path("fixtures/seed/sources.warc").string(),
                                      "--source",
                                      "NYT=" + test::seed_nyt_url,
                                      "--workspace",
                                      ws()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return run(argv, env());
    }
    RunResult verify(std::vector<std::string> extra = {}) const {
        std::vector<std::string> argv{test::provcheck_binary(), "verify", "--workspace", ws()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return run(argv, env());
    }
};

using test::claim_containing;

struct SeedDb {
    sqlite3* raw = nullptr;
    explicit SeedDb(const std::string& path) { REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK); }
    ~SeedDb() { sqlite3_close(raw); }
    void exec(const std::string& sql) {
        char* err = nullptr;
        INFO(sql);
        int rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &err);
        std::string msg = err != nullptr ? err : "";
        sqlite3_free(err);
        REQUIRE(msg == "");
        REQUIRE(rc == SQLITE_OK);
    }
};

}  // namespace

TEST_CASE("the seed article gives the expected verdicts, links and records", "[cli]") {
    Workspace w;
    RunResult r = w.check({"--format", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 2);  // an altered quote with the default --fail-on
    json report = json::parse(r.out);

    CHECK(report["tool"]["name"] == "provcheck");
    REQUIRE(report["articles"].size() == 1);
    const json& article = report["articles"][0];
    CHECK(article["title"] == "Washington resorts to Doha as rescue mission looks impossible – NYT");
    CHECK(article["published"].get<std::string>().starts_with("2023-10-19"));
    CHECK(article["sha256"].get<std::string>().size() == 64);

    SECTION("40 countries is altered: 30 became 40, critical") {
        const json& c = claim_containing(report, "more than 40 countries");
        CHECK(c["verdict"] == "altered");
        CHECK(c["outlet"] == "The New York Times");
        CHECK(c["attribution"].get<std::string>().find("it added") != std::string::npos);
        bool found = false;
        for (const auto& d : c["match"]["differences"]) {
            if (d["quote"] == "40" && d["source"] == "30" && d["kind"] == "number" && d["critical"] == true)
                found = true;
        }
        CHECK(found);
        CHECK(c["source"]["final_url"] == test::seed_nyt_url);
        CHECK(c["source"]["status"] == 200);
    }
    SECTION("the chaotic environment quote is elided and names what (..) stands for") {
        const json& c = claim_containing(report, "chaotic environment");
        CHECK(c["verdict"] == "elided");
        REQUIRE(c["match"]["elisions"].size() == 1);
        CHECK(c["match"]["elisions"][0]["marker"] == "(..)");
        CHECK(c["match"]["elisions"][0]["source"].get<std::string>().find(
                  "and the base where Hamas launched devastating attacks on Israel this month") != std::string::npos);
        CHECK(c["match"]["elisions"][0]["critical"] == false);
    }
    SECTION("verbatim quotes, with Baskin as speaker and the NYT as outlet") {
        CHECK(claim_containing(report, "In the talks so far")["verdict"] == "verbatim");
        const json& baskin = claim_containing(report, "To sacrifice hostages");
        CHECK(baskin["verdict"] == "verbatim");
        CHECK(baskin["speaker"] == "Gershon Baskin");
        CHECK(baskin["outlet"] == "The New York Times");
        const json& best = claim_containing(report, "best option");
        CHECK(best["kind"] == "partial_quote");
        CHECK(best["outlet"] == "The New York Times");
        CHECK(best["verdict"] == "verbatim");
        CHECK(claim_containing(report, "impossible")["verdict"] == "verbatim");
    }
    SECTION("guests has no source") {
        const json& c = claim_containing(report, "guests");
        CHECK(c["verdict"] == "unsourced");
        CHECK(c["source"].is_null());
    }
    SECTION("both tweets' t.co links are resolved with every hop") {
        for (std::string id : {"g4TcNbYW6U", "QTXysZZmQN"}) {
            const json* link = nullptr;
            for (const auto& l : article["links"]) {
                if (l["url"] == "https://t.co/" + id) link = &l;
            }
            INFO(id);
            REQUIRE(link != nullptr);
            CHECK((*link)["final_url"].get<std::string>().starts_with("https://www.palestinechronicle.com/"));
            CHECK((*link)["status"] == 200);
            CHECK((*link)["error"].is_null());
            const json& chain = (*link)["chain"];
            REQUIRE(chain.size() >= 2);
            CHECK(chain[0]["url"] == "https://t.co/" + id);
            CHECK(chain[0]["via"] == "start");
            CHECK(chain[0]["status"] == 301);
            CHECK(chain.back()["status"] == 200);
            CHECK(chain.back()["url"] == (*link)["final_url"]);
        }
    }
    SECTION("every claim carries its record") {
        std::set<std::uint64_t> indices;
        for (const auto& c : article["claims"]) {
            CHECK(c["record"]["envelope_sha256"].get<std::string>().size() == 64);
            CHECK(c["record"]["key_id"].get<std::string>().size() == 64);
            indices.insert(c["record"]["log_index"].get<std::uint64_t>());
        }
        CHECK(indices.size() == article["claims"].size());
        CHECK(report["summary"]["claims"] == article["claims"].size());
    }
}

TEST_CASE("--fail-on none exits 0 and the text report names the altered number", "[cli]") {
    Workspace w;
    RunResult r = w.check({"--fail-on", "none"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("ALTERED") != std::string::npos);
    CHECK(r.out.find("“40” → source “30”") != std::string::npos);
    CHECK(r.out.find("UNSOURCED") != std::string::npos);
    CHECK(r.out.find("\x1b[") == std::string::npos);  // no colour when stdout is not a terminal
}

TEST_CASE("verify passes on a fresh workspace and names every kind of tampering", "[cli]") {
    Workspace w;
    REQUIRE(w.check({"--fail-on", "none", "--quiet"}).exit_code == 0);
    RunResult clean = w.verify({"--all"});
    INFO(clean.out << clean.err);
    REQUIRE(clean.exit_code == 0);
    CHECK(clean.out.find("all verify") != std::string::npos);
    const std::string db_path = w.ws() + "/store.db";

    SECTION("a byte of a stored envelope") {
        {
            SeedDb db(db_path);
            db.exec(
                "UPDATE records SET envelope = CAST(replace(CAST(envelope AS TEXT), '\"payload\":\"ey', "
                "'\"payload\":\"fy') AS BLOB) WHERE log_index = 2");
        }
        RunResult r = w.verify({"--all"});
        CHECK(r.exit_code == 2);
        CHECK(r.out.find("(log #2) envelope") != std::string::npos);
    }
    SECTION("a log entry") {
        {
            SeedDb db(db_path);
            db.exec("UPDATE log SET envelope_sha256 = zeroblob(32) WHERE idx = 3");
        }
        RunResult r = w.verify({"--all"});
        CHECK(r.exit_code == 2);
        CHECK(r.out.find("(log #3) log") != std::string::npos);
    }
    SECTION("a deleted record") {
        {
            SeedDb db(db_path);
            db.exec("DELETE FROM records WHERE log_index = 1");
        }
        RunResult r = w.verify({"--all"});
        CHECK(r.exit_code == 2);
        CHECK(r.out.find("log entry 1 has no record") != std::string::npos);
    }
    SECTION("two records swapped") {
        {
            SeedDb db(db_path);
            db.exec("UPDATE records SET log_index = -1 WHERE log_index = 1");
            db.exec("UPDATE records SET log_index = 1 WHERE log_index = 4");
            db.exec("UPDATE records SET log_index = 4 WHERE log_index = -1");
        }
        RunResult r = w.verify({"--all"});
        CHECK(r.exit_code == 2);
        CHECK(r.out.find("(log #1) log") != std::string::npos);
        CHECK(r.out.find("(log #4) log") != std::string::npos);
    }
    SECTION("a byte of a captured body in the WARC") {
        // Flip one byte inside the compressed data of the NYT response: its record no longer reads back, or
        // reads back with another digest; either way the claims that rest on it fail on their capture.
        std::string warc_file;
        std::int64_t offset = 0;
        std::int64_t length = 0;
        {
            SeedDb db(db_path);
            sqlite3_stmt* st = nullptr;
            REQUIRE(sqlite3_prepare_v2(db.raw,
                                       "SELECT warc_file, warc_offset, warc_length FROM captures WHERE final_url = ? "
                                       "AND warc_file IS NOT NULL LIMIT 1",
                                       -1, &st, nullptr) == SQLITE_OK);
            sqlite3_bind_text(st, 1, test::seed_nyt_url.c_str(), -1, SQLITE_TRANSIENT);
            REQUIRE(sqlite3_step(st) == SQLITE_ROW);
            warc_file = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
            offset = sqlite3_column_int64(st, 1);
            length = sqlite3_column_int64(st, 2);
            sqlite3_finalize(st);
        }
        std::string path = w.ws() + "/" + warc_file;
        std::FILE* f = std::fopen(path.c_str(), "r+b");
        REQUIRE(f != nullptr);
        std::fseek(f, static_cast<long>(offset + length / 2), SEEK_SET);
        int c = std::fgetc(f);
        std::fseek(f, static_cast<long>(offset + length / 2), SEEK_SET);
        std::fputc(c ^ 0x5a, f);
        std::fclose(f);
        RunResult r = w.verify({"--all"});
        CHECK(r.exit_code == 2);
        CHECK(r.out.find(") capture: ") != std::string::npos);
        CHECK(r.out.find(test::seed_nyt_url) != std::string::npos);
    }
    SECTION("a record re-signed with another key is not trusted") {
        RunResult other = run({test::provcheck_binary(), "keygen", "--out", (w.dir / "other.pem").string()});
        REQUIRE(other.exit_code == 0);
        RunResult r = w.verify({"--all", "--trust", (w.dir / "other.pem.pub").string()});
        CHECK(r.exit_code == 2);
        CHECK(r.out.find("not signed by a trusted key") != std::string::npos);
        CHECK(r.out.find(" key: ") != std::string::npos);
    }
}

TEST_CASE("bad input gets a clear one-line error and exit code 1 or 3", "[cli]") {
    Workspace w;
    auto bin = test::provcheck_binary();
    SECTION("a missing article file") {
        RunResult r = run({bin, "check", "/nonexistent/article.html", "--workspace", w.ws()}, w.env());
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("/nonexistent/article.html") != std::string::npos);
    }
    SECTION("an unreadable replay archive") {
        RunResult r = w.check({"--replay", test::source_path("fixtures/seed/article.html").string()});
        CHECK((r.exit_code == 1 || r.exit_code == 3));
        CHECK(r.err.find("provcheck: ") == 0);
    }
    SECTION("an unknown verdict in --fail-on") {
        RunResult r = w.check({"--fail-on", "wrong"});
        CHECK(r.exit_code == 3);
        CHECK(r.err.find("wrong") != std::string::npos);
    }
    SECTION("an unknown option") {
        RunResult r = run({bin, "check", "--no-such-option", "x"}, w.env());
        CHECK(r.exit_code == 3);
    }
    SECTION("an unwritable workspace") {
        RunResult r = run({bin, "check", test::source_path("fixtures/seed/article.html").string(), "--workspace",
                           "/proc/provcheck-workspace"},
                          w.env());
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("/proc/provcheck-workspace") != std::string::npos);
    }
    SECTION("a bad key file") {
        std::FILE* f = std::fopen((w.dir / "bad.pem").c_str(), "w");
        std::fputs("not a key\n", f);
        std::fclose(f);
        std::filesystem::permissions(w.dir / "bad.pem",
                                     std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        RunResult r = w.check({"--key", (w.dir / "bad.pem").string()});
        CHECK((r.exit_code == 1 || r.exit_code == 3));
        CHECK(r.err.find("bad.pem") != std::string::npos);
        CHECK(r.err.find('\n') == r.err.size() - 1);
    }
    SECTION("a key file readable by others is refused") {
        RunResult made = run({bin, "keygen", "--out", (w.dir / "k.pem").string()});
        REQUIRE(made.exit_code == 0);
        std::filesystem::permissions(w.dir / "k.pem", std::filesystem::perms::others_read,
                                     std::filesystem::perm_options::add);
        RunResult r = w.check({"--key", (w.dir / "k.pem").string()});
        CHECK(r.exit_code == 3);
        CHECK(r.err.find("k.pem") != std::string::npos);
    }
    SECTION("verify without a workspace") {
        RunResult r = run({bin, "verify", "--all", "--workspace", (w.dir / "none").string()}, w.env());
        CHECK(r.exit_code == 3);
    }
    SECTION("a non-HTML file as the article") {
        std::FILE* f = std::fopen((w.dir / "binary.html").c_str(), "wb");
        for (int i = 0; i < 4096; ++i)
            std::fputc(0, f);
        std::fclose(f);
        RunResult r = run({bin, "check", (w.dir / "binary.html").string(), "--workspace", w.ws()}, w.env());
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("binary.html") != std::string::npos);
    }
}

namespace {

// RFC 9162 section 2.1.3.2, written out here independently of src/record so that a proof printed by
// `provcheck log prove` is checked by other code than the code that made it.
std::string rfc9162_root_from_inclusion(std::uint64_t index, std::uint64_t size, std::string leaf,
                                        const std::vector<std::string>& proof) {
    auto node = [](const std::string& l, const std::string& r) {
        return as_bytes(sha256(std::string(1, '\x01') + l + r));
    };
    if (index >= size) return {};
    std::uint64_t fn = index;
    std::uint64_t sn = size - 1;
    std::string r = std::move(leaf);
    for (const auto& p : proof) {
        if (sn == 0) return {};
        if ((fn & 1) == 1 || fn == sn) {
            r = node(p, r);
            if ((fn & 1) == 0) {
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = node(r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 ? r : std::string{};
}

}  // namespace

TEST_CASE("show, log prove and log consistency on the seed workspace", "[cli]") {
    Workspace w;
    RunResult r = w.check({"--format", "json", "--fail-on", "none", "--quiet"});
    REQUIRE(r.exit_code == 0);
    json report = json::parse(r.out);
    const json& altered = claim_containing(report, "more than 40 countries");
    const std::string id = altered["id"];
    auto bin = test::provcheck_binary();

    RunResult show = run({bin, "show", id.substr(0, 8), "--workspace", w.ws()}, w.env());
    INFO(show.err);
    REQUIRE(show.exit_code == 0);
    CHECK(show.out.find("verdict altered") != std::string::npos);
    CHECK(show.out.find("differs replace “40” → “30” (number, critical)") != std::string::npos);

    RunResult prove = run({bin, "log", "prove", id, "--workspace", w.ws()}, w.env());
    INFO(prove.err);
    REQUIRE(prove.exit_code == 0);
    json proofs = json::parse(prove.out);
    REQUIRE(proofs.size() == 1);
    const json& p = proofs[0];
    CHECK(p["log_index"] == altered["record"]["log_index"]);
    std::vector<std::string> path;
    for (const auto& h : p["inclusion_proof"])
        path.push_back(base64_decode(h.get<std::string>()).value());
    // The leaf is H(0x00 || envelope digest), the envelope digest the one the report printed.
    std::string leaf = as_bytes(
        sha256(std::string(1, '\x00') + from_hex(altered["record"]["envelope_sha256"].get<std::string>()).value()));
    CHECK(base64_decode(p["leaf_hash"].get<std::string>()).value() == leaf);
    std::string root = rfc9162_root_from_inclusion(p["log_index"], p["tree_size"], leaf, path);
    // The checkpoint note: origin, size, base64 root, blank line, signature line.
    auto lines = p["checkpoint"].get<std::string>();
    auto first = lines.find('\n');
    auto second = lines.find('\n', first + 1);
    auto third = lines.find('\n', second + 1);
    CHECK(lines.substr(first + 1, second - first - 1) == std::to_string(p["tree_size"].get<std::uint64_t>()));
    CHECK(base64_encode(root) == lines.substr(second + 1, third - second - 1));

    RunResult consistency = run({bin, "log", "consistency", "3", "--workspace", w.ws()}, w.env());
    REQUIRE(consistency.exit_code == 0);
    json c = json::parse(consistency.out);
    CHECK(c["old_size"] == 3);
    // One entry per claim, and the archive manifest signed before them.
    CHECK(c["new_size"] == report["summary"]["claims"].get<int>() + 1);
    CHECK_FALSE(c["consistency_proof"].empty());
    CHECK(run({bin, "log", "consistency", "0", "--workspace", w.ws()}, w.env()).exit_code == 3);

    RunResult checkpoint = run({bin, "log", "checkpoint", "--workspace", w.ws()}, w.env());
    REQUIRE(checkpoint.exit_code == 0);
    CHECK(checkpoint.out.find("provcheck.local/log/") == 0);
    CHECK(checkpoint.out.find("\n\n\u2014 provcheck-") != std::string::npos);
}

TEST_CASE("provcheck help COMMAND prints the command's help", "[cli]") {
    auto bin = test::provcheck_binary();
    auto top = run({bin, "help"});
    CHECK(top.exit_code == 0);
    CHECK(top.out.find("Subcommands:") != std::string::npos);
    auto check = run({bin, "help", "check"});
    CHECK(check.exit_code == 0);
    CHECK(check.out.find("--fail-on") != std::string::npos);
    auto prove = run({bin, "help", "log", "prove"});
    CHECK(prove.exit_code == 0);
    CHECK(prove.out.find("CLAIM_ID") != std::string::npos);
    CHECK(run({bin, "help", "nosuch"}).exit_code == 3);
}

TEST_CASE("verify names a record re-signed with a key it does not trust", "[cli]") {
    Workspace w;
    REQUIRE(w.check({"--fail-on", "none", "--quiet"}).exit_code == 0);
    const std::string db_path = w.ws() + "/store.db";
    std::string claim_id;
    std::string envelope;
    {
        SeedDb db(db_path);
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db.raw, "SELECT claim_id, envelope FROM records WHERE log_index = 2", -1, &st,
                                   nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        claim_id = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        envelope.assign(static_cast<const char*>(sqlite3_column_blob(st, 1)),
                        static_cast<std::size_t>(sqlite3_column_bytes(st, 1)));
        sqlite3_finalize(st);
    }
    // The same statement, validly signed by a stranger's key, put in place of the original envelope with the
    // row's digest and key id made to match.
    auto original = parse_envelope(envelope);
    REQUIRE(original);
    SigningKey stranger = SigningKey::from_seed(std::string(32, '\x33')).value();
    const std::string forged = envelope_json(sign_envelope(original->payload_type, original->payload, stranger));
    {
        SeedDb db(db_path);
        db.exec("UPDATE records SET envelope = X'" + to_hex(forged) + "', envelope_sha256 = '" + sha256_hex(forged) +
                "', key_id = '" + stranger.key_id() + "' WHERE log_index = 2");
    }
    RunResult r = w.verify({"--all"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.find("claim " + claim_id + " (log #2) key: signed by key " + stranger.key_id() +
                     ", which is not trusted") != std::string::npos);
    // Trusting the stranger's key does not make the record whole: the log still holds the original digest.
    test::TempDir keys;
    {
        std::FILE* f = std::fopen((keys / "stranger.pub").c_str(), "w");
        REQUIRE(f != nullptr);
        const std::string pem = stranger.public_pem();
        std::fwrite(pem.data(), 1, pem.size(), f);
        std::fclose(f);
    }
    RunResult trusted = w.verify({"--all", "--trust", (keys / "stranger.pub").string()});
    CHECK(trusted.exit_code == 2);
    CHECK(trusted.out.find("(log #2) log: ") != std::string::npos);
}
