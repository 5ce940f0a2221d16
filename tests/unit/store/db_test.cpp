#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <fstream>
#include <memory>

#include "core/hash.hpp"
#include "store/db.hpp"
#include "support/temp_dir.hpp"

using namespace provcheck;

TEST_CASE("a new workspace database is migrated and keeps its log in order", "[unit]") {
    test::TempDir dir;
    {
        auto db = Database::open(dir / "store.db");
        REQUIRE(db);
        auto run = db->begin_run("2023-10-19T00:00:00Z", "provcheck check x", "digest");
        REQUIRE(run);
        Database::Transaction tx(*db);
        REQUIRE(tx.begin());
        for (int i = 0; i < 3; ++i) {
            auto idx = db->append_log_entry(sha256(std::to_string(i)));
            REQUIRE(idx);
            CHECK(*idx == static_cast<std::uint64_t>(i));
            StoredRecord r{0, "claim" + std::to_string(i), "a.html", "verbatim", "{}", "00", "key", *idx, "now"};
            REQUIRE(db->save_record(*run, r));
        }
        REQUIRE(db->save_checkpoint({3, "note", "now"}));
        REQUIRE(tx.commit());
    }
    auto db = Database::open(dir / "store.db");
    REQUIRE(db);
    CHECK(db->log_size().value() == 3);
    auto entries = db->log_entries();
    REQUIRE(entries);
    CHECK((*entries)[2] == as_bytes(sha256("2")));
    CHECK(db->records_for_claim("claim1").value().size() == 1);
    CHECK(db->records_for_claim("claim").value().size() == 3);
    CHECK(db->latest_checkpoint().value()->size == 3);
}

TEST_CASE("an uncommitted transaction leaves nothing behind", "[unit]") {
    test::TempDir dir;
    auto db = Database::open(dir / "store.db");
    REQUIRE(db);
    {
        Database::Transaction tx(*db);
        REQUIRE(tx.begin());
        REQUIRE(db->append_log_entry(sha256("x")));
    }
    CHECK(db->log_size().value() == 0);
}

TEST_CASE("a file that is not a database is a clear error and is left untouched", "[unit]") {
    test::TempDir dir;
    std::string garbage(4096, 'x');
    { std::ofstream(dir / "store.db", std::ios::binary) << garbage; }
    auto db = Database::open(dir / "store.db");
    REQUIRE_FALSE(db);
    CHECK(db.error().code == ErrorCode::store);
    CHECK(db.error().message.find("store.db") != std::string::npos);
    std::ifstream in(dir / "store.db", std::ios::binary);
    std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(after == garbage);
}

TEST_CASE("a database from a newer provcheck is refused", "[unit]") {
    test::TempDir dir;
    {
        auto db = Database::open(dir / "store.db");
        REQUIRE(db);
    }
    {
        // Raise the version behind the library's back, as a newer release would.
        auto db = Database::open(dir / "store.db");
        REQUIRE(db);
    }
    std::string cmd =
        "python3 -c \"import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
        "c.execute('PRAGMA user_version=99'); c.commit()\" " +
        (dir / "store.db").string();
    if (std::system(cmd.c_str()) != 0) {
        WARN("python3 with sqlite3 is not available; skipping");
        return;
    }
    auto db = Database::open(dir / "store.db");
    REQUIRE_FALSE(db);
    CHECK(db.error().message.find("newer") != std::string::npos);
}

TEST_CASE("the HTTP cache keeps one entry per URL, the latest", "[unit]") {
    test::TempDir dir;
    auto db = Database::open(dir / "store.db");
    REQUIRE(db);
    CHECK_FALSE(db->cached_response("https://www.nytimes.com/x").value().has_value());
    CachedResponse c;
    c.url = "https://www.nytimes.com/x";
    c.etag = "\"v1\"";
    c.last_modified = "Thu, 19 Oct 2023 08:00:00 GMT";
    c.stored = {"warc/a.warc.gz", 120, 340, "<urn:uuid:1>"};
    c.block_sha256 = std::string(64, 'b');
    c.payload_sha256 = std::string(64, 'p');
    c.fetched_at = "2023-10-19T08:15:00Z";
    c.validated_at = c.fetched_at;
    REQUIRE(db->save_cached_response(c));
    c.validated_at = "2023-10-20T09:00:00Z";
    c.etag = "\"v2\"";
    REQUIRE(db->save_cached_response(c));
    auto got = db->cached_response("https://www.nytimes.com/x");
    REQUIRE(got);
    REQUIRE(got->has_value());
    const CachedResponse& e = **got;
    CHECK(e.etag == "\"v2\"");
    CHECK(e.last_modified == "Thu, 19 Oct 2023 08:00:00 GMT");
    CHECK(e.stored.warc_file == "warc/a.warc.gz");
    CHECK(e.stored.offset == 120);
    CHECK(e.stored.length == 340);
    CHECK(e.stored.record_id == "<urn:uuid:1>");
    CHECK(e.payload_sha256 == std::string(64, 'p'));
    CHECK(e.fetched_at == "2023-10-19T08:15:00Z");
    CHECK(e.validated_at == "2023-10-20T09:00:00Z");
}

TEST_CASE("a version 1 workspace database migrates to the current schema and keeps its records", "[unit]") {
    test::TempDir dir;
    std::filesystem::copy_file(test::source_path("fixtures/store/v1/store.db"), dir / "store.db");
    {
        auto db = Database::open(dir / "store.db");
        REQUIRE(db);
        CHECK(db->records().value().size() == 11);
        CHECK(db->log_size().value() == 11);
        // The tables of version 2 are there and usable.
        CHECK_FALSE(db->cached_response("https://www.nytimes.com/x").value().has_value());
        auto run = db->begin_run("2023-10-20T00:00:00Z", "provcheck check x", "digest");
        REQUIRE(run);
        Capture cap;
        cap.requested_url = cap.final_url = "https://www.nytimes.com/x";
        cap.status = 200;
        cap.fetched_at = "2023-10-19T08:15:00Z";
        cap.cache = CacheUse{CacheState::revalidated, "2023-10-20T09:00:00Z"};
        REQUIRE(db->save_capture(*run, cap));
    }
    // Read back with SQLite itself, not through the class under test.
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open_v2((dir / "store.db").c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> handle(raw, sqlite3_close);
    auto one_row = [&](const char* sql) {
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(raw, sql, -1, &st, nullptr) == SQLITE_OK);
        std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(st, sqlite3_finalize);
        REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        std::string row;
        for (int i = 0; i < sqlite3_column_count(st); ++i) {
            const auto* text = sqlite3_column_text(st, i);
            row += (i > 0 ? "|" : "") + std::string(text != nullptr ? reinterpret_cast<const char*>(text) : "");
        }
        return row;
    };
    CHECK(one_row("PRAGMA user_version") == std::to_string(Database::schema_version));
    // Version 3's table is there, empty: a workspace written before manifests has none.
    CHECK(one_row("SELECT count(*) FROM manifests") == "0");
    CHECK(one_row("SELECT cache_state, validated_at FROM captures ORDER BY id DESC LIMIT 1") ==
          "revalidated|2023-10-20T09:00:00Z");
}
