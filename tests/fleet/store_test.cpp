// The store interface, the same cases on both back-ends: SQLite (a workspace's store.db) and PostgreSQL (a server
// started for the test binary).
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <memory>
#include <set>
#include <thread>

#include "core/hash.hpp"
#include "fleet/pg_server.hpp"
#include "store/db.hpp"
#include "support/temp_dir.hpp"

using namespace provcheck;
using provcheck::test::pg;

namespace {

// A fresh, empty store of `kind`, and how to open more connections to it.
struct Fresh {
    test::TempDir dir;
    std::string kind;
    std::string url;  // PostgreSQL only
    explicit Fresh(std::string k) : kind(std::move(k)) {
        if (kind == "postgresql") url = pg().fresh_database();
    }
    [[nodiscard]] Database open() const {
        auto db = kind == "postgresql" ? Database::connect(url) : Database::open(dir / "store.db");
        if (!db) FAIL(db.error().message);
        return std::move(*db);
    }
};

StoredRecord record(std::uint64_t idx, std::string claim) {
    return StoredRecord{0,
                        std::move(claim),
                        "https://a.example/x",
                        "verbatim",
                        std::string("{\"p\":\"\0\xff\"}", 10),
                        "00",
                        "key",
                        idx,
                        "2026-12-03T00:00:00Z"};
}

}  // namespace

TEST_CASE("both stores keep the log, records, manifests, checkpoints and keys alike", "[fleet]") {
    const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    Fresh f(kind);
    {
        Database db = f.open();
        CHECK(db.kind() == kind);
        auto run = db.begin_run("2026-12-03T00:00:00Z", "provcheck check x", "digest");
        REQUIRE(run);
        Database::Transaction tx(db);
        REQUIRE(tx.begin());
        for (int i = 0; i < 3; ++i) {
            auto idx = db.append_log_entry(sha256(std::to_string(i)));
            REQUIRE(idx);
            CHECK(*idx == static_cast<std::uint64_t>(i));
            REQUIRE(db.save_record(*run, record(*idx, "claim" + std::to_string(i))));
        }
        const std::string raw_key("\x00\x01\xfe\xff key", 8);
        REQUIRE(db.save_public_key("k1", raw_key, "2026-12-03T00:00:00Z"));
        REQUIRE(db.save_public_key("k1", "other", "2026-12-03T00:00:01Z"));  // the first one stays
        REQUIRE(db.save_manifest(*run, StoredManifest{2, "warc/a.warc.gz", 0, 100, "env", "ab", "k1", "now"}));
        REQUIRE(db.save_checkpoint({3, "note", "now"}));
        REQUIRE(db.save_checkpoint({3, "note again", "now"}));  // replaced
        REQUIRE(db.save_timestamp({3, "http://tsa.example", std::string("\x30\x00\x82", 3), "gen", "req"}));
        REQUIRE(tx.commit());

        Capture c;
        c.requested_url = "https://a.example/x";
        c.final_url = "https://a.example/x";
        c.status = 200;
        c.fetched_at = "2026-12-03T00:00:00Z";
        c.payload_sha256 = "p1";
        c.block_sha256 = "b1";
        c.stored = StoredRecordRef{"warc/a.warc.gz", 10, 20, "<urn:uuid:1>"};
        REQUIRE(db.save_capture(*run, c));
        CachedResponse cached;
        cached.url = "https://a.example/x";
        cached.etag = "\"e1\"";
        cached.stored = *c.stored;
        REQUIRE(db.save_cached_response(cached));
        cached.etag = "\"e2\"";
        REQUIRE(db.save_cached_response(cached));
    }
    Database db = f.open();  // a second open finds the schema migrated and everything in place
    CHECK(db.log_size().value() == 3);
    auto entries = db.log_entries();
    REQUIRE(entries);
    REQUIRE(entries->size() == 3);
    CHECK((*entries)[2] == as_bytes(sha256("2")));
    auto recs = db.records();
    REQUIRE(recs);
    REQUIRE(recs->size() == 3);
    CHECK((*recs)[1].envelope == record(1, "").envelope);  // binary bytes, NUL included, round-trip
    CHECK(db.records_for_claim("claim1").value().size() == 1);
    CHECK(db.records_for_claim("claim").value().size() == 3);
    CHECK(db.records_for_claim("nope").value().empty());
    auto keys = db.public_keys().value();
    REQUIRE(keys.size() == 1);
    CHECK(keys[0].second == std::string("\x00\x01\xfe\xff key", 8));
    CHECK(db.manifests_covering("warc/a.warc.gz", 50).value().size() == 1);
    CHECK(db.manifests_covering("warc/a.warc.gz", 100).value().empty());
    CHECK(db.latest_checkpoint().value()->note == "note again");
    CHECK(db.checkpoints().value().size() == 1);
    CHECK(db.timestamps().value().at(0).token == std::string("\x30\x00\x82", 3));
    auto versions = db.stored_captures("https://a.example/x", 5).value();
    REQUIRE(versions.size() == 1);
    CHECK(versions[0].stored.offset == 10);
    CHECK(db.cached_response("https://a.example/x").value()->etag == "\"e2\"");
    CHECK_FALSE(db.cached_response("https://a.example/y").value().has_value());
}

TEST_CASE("both stores roll back an uncommitted transaction", "[fleet]") {
    const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    Fresh f(kind);
    Database db = f.open();
    {
        Database::Transaction tx(db);
        REQUIRE(tx.begin());
        REQUIRE(db.append_log_entry(sha256("x")));
    }
    CHECK(db.log_size().value() == 0);
}

TEST_CASE("both stores refuse a schema newer than this provcheck", "[fleet]") {
    const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    Fresh f(kind);
    { Database db = f.open(); }
    if (kind == "postgresql") {
        (void)test::PgServer::query(f.url, "UPDATE provcheck_schema SET version = 99");
        auto db = Database::connect(f.url);
        REQUIRE_FALSE(db);
        CHECK_THAT(db.error().message, Catch::Contains("newer"));
    } else {
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open((f.dir / "store.db").c_str(), &raw) == SQLITE_OK);
        REQUIRE(sqlite3_exec(raw, "PRAGMA user_version=99", nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(raw);
        auto db = Database::open(f.dir / "store.db");
        REQUIRE_FALSE(db);
        CHECK_THAT(db.error().message, Catch::Contains("newer"));
    }
}

TEST_CASE("writers on many connections append one log with no gap and no repeat", "[fleet]") {
    const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    Fresh f(kind);
    { Database db = f.open(); }
    constexpr int writers = 4;
    constexpr int each = 25;
    std::vector<std::thread> threads;
    std::vector<std::string> errors(writers);
    for (int w = 0; w < writers; ++w) {
        threads.emplace_back([&, w] {
            auto db = f.kind == "postgresql" ? Database::connect(f.url) : Database::open(f.dir / "store.db");
            if (!db) {
                errors[w] = db.error().message;
                return;
            }
            auto run = db->begin_run("now", "w", "d");
            for (int i = 0; i < each; ++i) {
                Database::Transaction tx(*db);
                if (!tx.begin()) {
                    errors[w] = "begin";
                    return;
                }
                auto idx = db->append_log_entry(sha256(fmt::format("{}/{}", w, i)));
                if (!idx || !db->save_record(*run, record(*idx, fmt::format("c{}-{}", w, i))) || !tx.commit()) {
                    errors[w] = "append";
                    return;
                }
            }
        });
    }
    for (auto& t : threads)
        t.join();
    for (const auto& e : errors)
        CHECK(e.empty());
    Database db = f.open();
    CHECK(db.log_size().value() == writers * each);
    CHECK(db.log_entries().value().size() == writers * each);  // log_entries() fails on any gap
    std::set<std::string> claims;
    const auto recs = db.records().value();
    for (const auto& r : recs)
        claims.insert(r.claim_id);
    CHECK(claims.size() == writers * each);
}

TEST_CASE(
    "the queue leases each item to one worker, takes back what a dead worker held, and fails what keeps "
    "dying",
    "[fleet]") {
    const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    Fresh f(kind);
    Database a = f.open();
    Database b = f.open();
    CHECK(a.enqueue({"https://n.example/1", "https://n.example/2", "https://n.example/3"}, "t0").value() == 3);
    CHECK(a.enqueue({"https://n.example/1", "https://n.example/4"}, "t0").value() == 1);  // 1 is pending already

    auto first = a.lease("wa", 2, 60'000, 3).value();
    auto second = b.lease("wb", 10, 60'000, 3).value();
    REQUIRE(first.size() == 2);
    REQUIRE(second.size() == 2);
    std::set<std::int64_t> ids;
    for (const auto& i : first)
        ids.insert(i.id);
    for (const auto& i : second)
        ids.insert(i.id);
    CHECK(ids.size() == 4);  // nobody got an item twice
    CHECK(b.lease("wb", 10, 60'000, 3).value().empty());

    // Finishing needs the lease's own token.
    QueueItem forged = first[0];
    forged.token = "not-the-token";
    CHECK_FALSE(a.finish(forged, true, 1, "", "t1").value());
    CHECK(a.finish(first[0], true, 1, "", "t1").value());
    CHECK(a.renew(first, 60'000).value() == 1);  // only the one still leased
    CHECK(a.finish(first[1], false, 0, "HTTP 404", "t1").value());

    // b's leases run out (as if b died): they are leased again, attempt 2, and b can no longer finish them.
    for (auto& i : second)
        REQUIRE(b.renew({i}, -1).value() == 1);  // a lease that ended a millisecond ago
    auto counts = a.queue_counts().value();
    CHECK(counts.expired == 2);
    auto retaken = a.lease("wa", 10, 60'000, 3).value();
    REQUIRE(retaken.size() == 2);
    CHECK(retaken[0].attempts == 2);
    CHECK_FALSE(b.finish(second[0], true, 1, "", "t2").value());
    CHECK(a.finish(retaken[0], true, 1, "", "t2").value());

    // An item whose lease keeps running out is failed once it has had max_attempts leases.
    REQUIRE(a.renew({retaken[1]}, -1).value() == 1);
    auto third = a.lease("wa", 10, 60'000, 3).value();
    REQUIRE(third.size() == 1);
    CHECK(third[0].attempts == 3);
    REQUIRE(a.renew(third, -1).value() == 1);
    CHECK(a.lease("wa", 10, 60'000, 3).value().empty());
    auto failed = a.queue_entries(QueueState::failed, 10).value();
    REQUIRE(failed.size() == 2);
    CHECK(failed[0].error == "HTTP 404");
    CHECK_THAT(failed[1].error, Catch::Contains("abandoned"));

    // A lease given back is pending again at once; a done article may be queued again.
    CHECK(a.enqueue({"https://n.example/5"}, "t3").value() == 1);
    auto fifth = a.lease("wa", 1, 60'000, 3).value();
    REQUIRE(fifth.size() == 1);
    REQUIRE(a.release(fifth[0], "the store went away"));
    counts = a.queue_counts().value();
    CHECK(counts.pending == 1);
    CHECK(counts.done == 2);
    CHECK(counts.failed == 2);
    CHECK(a.enqueue({"https://n.example/1"}, "t4").value() == 1);

    // A lease given back after a failed run counts as an attempt: past max_attempts the item is failed, saying why.
    CHECK(a.lease("wa", 0, 60'000, 1).value().empty());
    auto given_up = a.queue_entries(QueueState::failed, 10).value();
    REQUIRE(given_up.size() == 3);
    CHECK_THAT(given_up[2].error, Catch::Contains("abandoned after 1 attempt (the last: the store went away)") &&
                                      Catch::Contains("the store went away"));
    CHECK(a.queue_counts().value().pending == 1);  // the article queued again is a new item
}

TEST_CASE("a run key is claimed once", "[fleet]") {
    const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    Fresh f(kind);
    Database db = f.open();
    CHECK(db.claim_run_key("queue/1", "t").value());
    CHECK_FALSE(db.claim_run_key("queue/1", "t").value());
    CHECK(db.claim_run_key("queue/2", "t").value());
    CHECK(db.run_key_claimed("queue/1").value());
    CHECK_FALSE(db.run_key_claimed("queue/3").value());
}

TEST_CASE("host slots hold a parallel limit and an interval for every connection together", "[fleet]") {
    const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
    CAPTURE(kind);
    Fresh f(kind);
    Database a = f.open();
    Database b = f.open();
    auto s1 = a.take_host_slot("h.example", 2, 0, 60'000, "wa").value();
    auto s2 = b.take_host_slot("h.example", 2, 0, 60'000, "wb").value();
    auto s3 = b.take_host_slot("h.example", 2, 0, 60'000, "wb").value();
    CHECK_FALSE(s1.token.empty());
    CHECK_FALSE(s2.token.empty());
    CHECK(s3.token.empty());
    CHECK(s3.wait_ms > 0);
    CHECK_FALSE(a.take_host_slot("other.example", 2, 0, 60'000, "wa").value().token.empty());  // hosts apart
    REQUIRE(a.give_host_slot(s1.token));
    CHECK_FALSE(b.take_host_slot("h.example", 2, 0, 60'000, "wb").value().token.empty());

    // An interval: the next start from anyone waits for it.
    auto p1 = a.take_host_slot("paced.example", 8, 5'000, 60'000, "wa").value();
    REQUIRE_FALSE(p1.token.empty());
    auto p2 = b.take_host_slot("paced.example", 8, 5'000, 60'000, "wb").value();
    CHECK(p2.token.empty());
    CHECK(p2.wait_ms > 4'000);
    CHECK(p2.wait_ms <= 5'000);

    // Retry-After from one worker holds the host for all.
    REQUIRE(a.defer_host("busy.example", 30'000));
    auto busy = b.take_host_slot("busy.example", 8, 0, 60'000, "wb").value();
    CHECK(busy.token.empty());
    CHECK(busy.wait_ms > 25'000);

    // A slot whose holder died frees itself when its lease runs out.
    auto d1 = a.take_host_slot("dead.example", 1, 0, 1, "wa").value();
    REQUIRE_FALSE(d1.token.empty());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK_FALSE(b.take_host_slot("dead.example", 1, 0, 60'000, "wb").value().token.empty());
}

TEST_CASE("a store URL that is not PostgreSQL's, or a server that is not there, is a clear error", "[fleet]") {
    CHECK(Database::is_server_url("postgresql://u@h/db"));
    CHECK(Database::is_server_url("postgres://h/db"));
    CHECK_FALSE(Database::is_server_url("/tmp/store.db"));
    CHECK(Database::redact_url("postgresql://me:secret@db.example/x") == "postgresql://me:***@db.example/x");
    CHECK(Database::redact_url("postgresql:///x?host=/tmp&password=secret") ==
          "postgresql:///x?host=/tmp&password=***");
    CHECK(Database::redact_url("postgresql://me:pa?ss#w/rd@db.example/x") == "postgresql://me:***@db.example/x");
    CHECK(Database::redact_url("postgresql://db.example/x?sslpassword=k&user=me") ==
          "postgresql://db.example/x?sslpassword=***&user=me");
    CHECK(Database::redact_url("postgresql://me@db.example/x") == "postgresql://me@db.example/x");
    test::TempDir dir;
    auto db = Database::connect(fmt::format("postgresql://me:secret@/x?host={}", (dir / "nowhere").string()));
    REQUIRE_FALSE(db);
    CHECK(db.error().code == ErrorCode::store);
    CHECK_THAT(db.error().message, Catch::Contains("cannot connect"));
    CHECK_THAT(db.error().message, !Catch::Contains("secret"));
}
