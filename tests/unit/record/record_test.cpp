// Records end to end without the network: captures written to a real WARC file, claims recorded into a real
// SQLite workspace, then verify_workspace over it, clean and after tampering.
#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "core/hash.hpp"
#include "crypto/dsse.hpp"
#include "record/checkpoint.hpp"
#include "record/record.hpp"
#include "record/verify.hpp"
#include "support/temp_dir.hpp"
#include "warc/warc_writer.hpp"

using namespace provcheck;
using nlohmann::json;

namespace {

struct Fixture {
    test::TempDir dir;
    FixedClock clock{std::chrono::sys_days{std::chrono::year{2023} / 10 / 19} + std::chrono::hours{8}};
    SigningKey key = SigningKey::from_seed(std::string(32, '\x07')).value();
    Database db = Database::open(dir / "store.db").value();

    Capture stored(WarcWriter& w, std::string url, std::string body) {
        Exchange e;
        e.url = url;
        e.request_head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        e.status = 200;
        e.status_line = "HTTP/1.1 200 OK";
        e.headers = {{"Content-Type", "text/html"}};
        e.body = body;
        e.remote_ip = "127.0.0.1";
        e.fetched_at = "2023-10-19T08:00:00Z";
        auto s = w.store(e);
        REQUIRE(s);
        Capture c;
        c.requested_url = url;
        c.final_url = url;
        c.status = 200;
        c.body = body;
        c.fetched_at = e.fetched_at;
        c.payload_sha256 = s->payload_sha256;
        c.block_sha256 = s->block_sha256;
        c.stored = s->ref;
        c.chain = {{url, 200, HopVia::start}};
        return c;
    }

    ArticleResult article() {
        std::filesystem::create_directories(dir / "warc");
        auto w = WarcWriter::open(dir / "warc", clock);
        REQUIRE(w);
        ArticleResult a;
        a.input = "article.html";
        a.capture = stored(*w, "https://news.example/a", "<p>“more than 40 countries,” it added.</p>");
        Capture src = stored(*w, "https://nyt.example/a", "<p>people from more than 30 countries</p>");
        for (int i = 0; i < 3; ++i) {
            ClaimResult c;
            c.claim.id = "claim" + std::to_string(i);
            c.claim.quote = "more than 40 countries " + std::to_string(i);
            c.verdict = Verdict::altered;
            c.source = src;
            c.candidates = {src};
            a.claims.push_back(c);
        }
        return a;
    }

    // article(), recorded in a run of its own.
    ArticleResult recorded_article() {
        ArticleResult a = article();
        auto run = db.begin_run("2023-10-19T08:00:00Z", "test", "digest");
        REQUIRE(run);
        RecordContext ctx{key, db, *run, "digest", clock};
        REQUIRE(record_article(ctx, a));
        return a;
    }

    VerifyResult verify() {
        TrustedKeys keys;
        keys.by_id[key.key_id()] = key.public_raw();
        auto r = verify_workspace(db, dir / "warc", keys, {});
        REQUIRE(r);
        return *r;
    }

    void sql(const std::string& statement) {
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open((dir / "store.db").c_str(), &raw) == SQLITE_OK);
        REQUIRE(sqlite3_exec(raw, statement.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(raw);
    }
};

}  // namespace

TEST_CASE("a statement names the article, each source capture and the quote as subjects", "[unit]") {
    Fixture f;
    ArticleResult a = f.article();
    json s = json::parse(claim_statement(StatementParts(a, "rulesdigest", "2023-10-19T08:00:00Z"), a.claims[0]));
    CHECK(s["_type"] == "https://in-toto.io/Statement/v1");
    CHECK(s["predicateType"] == claim_predicate_current);
    REQUIRE(s["subject"].size() == 3);
    CHECK(s["subject"][0]["name"] == "article");
    CHECK(s["subject"][0]["digest"]["sha256"] == a.capture.payload_sha256);
    CHECK(s["subject"][1]["name"] == "source:0");
    CHECK(s["subject"][2]["digest"]["sha256"] == sha256_hex(a.claims[0].claim.quote));
    CHECK(s["predicate"]["rules_digest"] == "rulesdigest");
    CHECK(s["predicate"]["tool"]["version"] == PROVCHECK_VERSION);
    CHECK(s["predicate"]["verdict"] == "altered");
    CHECK(s["predicate"]["captures"][1]["warc"]["record_id"] == a.claims[0].source->stored->record_id);
}

TEST_CASE("recorded claims verify, and each tampering is named", "[unit]") {
    Fixture f;
    ArticleResult a = f.recorded_article();
    for (std::size_t i = 0; i < a.claims.size(); ++i) {
        REQUIRE(a.claims[i].record);
        CHECK(a.claims[i].record->log_index == i);
        CHECK(a.claims[i].record->key_id == f.key.key_id());
    }
    VerifyResult clean = f.verify();
    CHECK(clean.problems.empty());
    CHECK(clean.records_checked == 3);
    CHECK(clean.captures_checked == 2);  // the two captures, each re-hashed once however many records share it
    CHECK(clean.checkpoint_size == 3);

    SECTION("the envelope column") {
        f.sql("UPDATE records SET envelope_sha256 = 'x' || substr(envelope_sha256, 2) WHERE log_index = 1");
        auto r = f.verify();
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].claim_id == "claim1");
        CHECK(r.problems[0].part == "envelope");
    }
    SECTION("a log entry") {
        f.sql("UPDATE log SET envelope_sha256 = zeroblob(32) WHERE idx = 2");
        auto r = f.verify();
        bool named = false;
        for (const auto& p : r.problems)
            named = named || (p.claim_id == "claim2" && p.part == "log");
        CHECK(named);
    }
    SECTION("an appended entry not covered by a checkpoint") {
        REQUIRE(f.db.append_log_entry(sha256("stray")));
        auto r = f.verify();
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].message.find("log entry 3 has no record") != std::string::npos);
    }
    SECTION("a signature by an untrusted key") {
        TrustedKeys other;
        auto stranger = SigningKey::generate();
        REQUIRE(stranger);
        other.by_id[stranger->key_id()] = stranger->public_raw();
        auto r = verify_workspace(f.db, f.dir / "warc", other, {});
        REQUIRE(r);
        bool key_named = false;
        for (const auto& p : r->problems)
            key_named = key_named || p.part == "key";
        CHECK(key_named);
    }
    SECTION("one claim by id prefix") {
        TrustedKeys keys;
        keys.by_id[f.key.key_id()] = f.key.public_raw();
        auto r = verify_workspace(f.db, f.dir / "warc", keys, VerifyOptions{{"claim2"}, {}, false});
        REQUIRE(r);
        CHECK(r->records_checked == 1);
        CHECK(r->problems.empty());
        auto missing = verify_workspace(f.db, f.dir / "warc", keys, VerifyOptions{{"nope"}, {}, false});
        CHECK_FALSE(missing);
    }
}

TEST_CASE("a rewritten past shows up against an earlier checkpoint", "[unit]") {
    Fixture f;
    auto run = f.db.begin_run("2023-10-19T08:00:00Z", "test", "digest");
    REQUIRE(run);
    RecordContext ctx{f.key, f.db, *run, "digest", f.clock};
    ArticleResult first = f.article();
    REQUIRE(record_article(ctx, first));  // checkpoint of size 3
    ArticleResult second = f.article();
    REQUIRE(record_article(ctx, second));  // checkpoint of size 6
    CHECK(f.verify().problems.empty());
    CHECK(f.db.checkpoints().value().size() == 2);

    // Re-sign today's checkpoint over a log whose first entry was replaced: the latest checkpoint then agrees
    // with the log, but the earlier one, signed before the change, does not.
    f.sql("UPDATE log SET envelope_sha256 = zeroblob(32) WHERE idx = 0");
    f.sql("DELETE FROM checkpoints WHERE size = 6");
    REQUIRE(write_checkpoint(f.db, f.key, f.clock));
    auto r = f.verify();
    bool inconsistent = false;
    for (const auto& p : r.problems) {
        inconsistent =
            inconsistent || p.message.find("not consistent with the earlier checkpoint of size 3") != std::string::npos;
    }
    CHECK(inconsistent);
}

TEST_CASE("a record re-signed with another key is named by claim and part \"key\"", "[unit]") {
    Fixture f;
    ArticleResult a = f.recorded_article();
    REQUIRE(f.verify().problems.empty());

    // A valid DSSE signature over the same statement by a key nobody trusts replaces the original envelope,
    // and the row is made to agree with it: only the signer gives it away (and the log, which still holds
    // the original envelope's digest).
    auto rows = f.db.records_for_claim("claim1");
    REQUIRE(rows);
    REQUIRE(rows->size() == 1);
    auto original = parse_envelope(rows->front().envelope);
    REQUIRE(original);
    SigningKey stranger = SigningKey::from_seed(std::string(32, '\x5a')).value();
    const std::string forged = envelope_json(sign_envelope(original->payload_type, original->payload, stranger));
    REQUIRE(verify_envelope(parse_envelope(forged).value(), [&](std::string_view id) -> std::optional<std::string> {
                if (id == stranger.key_id()) return stranger.public_raw();
                return std::nullopt;
            }) == EnvelopeCheck::ok);
    f.sql("UPDATE records SET envelope = X'" + to_hex(forged) + "', envelope_sha256 = '" + sha256_hex(forged) +
          "', key_id = '" + stranger.key_id() + "' WHERE claim_id = 'claim1'");

    VerifyResult r = f.verify();
    const VerifyProblem* key_problem = nullptr;
    for (const auto& p : r.problems) {
        CHECK(p.claim_id == "claim1");  // the other records are untouched
        if (p.part == "key") key_problem = &p;
    }
    REQUIRE(key_problem != nullptr);
    CHECK(key_problem->log_index == 1);
    CHECK(key_problem->message.find(stranger.key_id()) != std::string::npos);
    CHECK(key_problem->message.find("not trusted") != std::string::npos);
}

TEST_CASE("records under a signed root the log no longer hashes to are each named as not included", "[unit]") {
    Fixture f;
    ArticleResult a = f.recorded_article();
    REQUIRE(f.verify().problems.empty());

    // Every entry is still the digest of its record's envelope, but the (validly signed) checkpoint commits to
    // another tree: no record may count as included in it.
    const Checkpoint elsewhere{log_origin(f.key), 3, sha256("another tree")};
    const std::string note = sign_checkpoint(elsewhere, f.key, checkpoint_key_name(f.key.key_id()));
    f.sql("UPDATE checkpoints SET note = X'" + to_hex(note) + "' WHERE size = 3");

    VerifyResult r = f.verify();
    bool root_named = false;
    std::vector<std::string> excluded;
    for (const auto& p : r.problems) {
        root_named = root_named || (p.claim_id.empty() && p.message.find("no longer hash to the signed checkpoint's "
                                                                         "root") != std::string::npos);
        if (p.part == "log" &&
            p.message.find("is not included in the signed checkpoint of size 3") != std::string::npos) {
            excluded.push_back(p.claim_id);
        }
    }
    CHECK(root_named);
    CHECK(excluded == std::vector<std::string>{"claim0", "claim1", "claim2"});
    CHECK(r.problems.size() == 4);
}

TEST_CASE("two log entries swapped are named by the claims whose envelopes moved", "[unit]") {
    Fixture f;
    ArticleResult a = f.recorded_article();

    // Swap the log entries of records 0 and 2: each record's own row is intact, the log's order is not.
    f.sql(
        "UPDATE log SET idx = -1 WHERE idx = 0; UPDATE log SET idx = 0 WHERE idx = 2; "
        "UPDATE log SET idx = 2 WHERE idx = -1");
    VerifyResult r = f.verify();
    std::vector<std::string> moved;
    std::vector<std::string> excluded;
    for (const auto& p : r.problems) {
        if (p.part != "log") continue;
        if (p.message.find("not this envelope's digest") != std::string::npos) moved.push_back(p.claim_id);
        if (p.message.find("is not included") != std::string::npos) excluded.push_back(p.claim_id);
    }
    CHECK(moved == std::vector<std::string>{"claim0", "claim2"});
    // The swapped order no longer hashes to the signed root, so the untouched record is not included either.
    CHECK(excluded == std::vector<std::string>{"claim1"});
}
