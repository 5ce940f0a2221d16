#include <catch2/catch.hpp>

#include <fstream>

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
