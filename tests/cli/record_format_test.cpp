// The record format is pinned: fixtures/store/v3 is a workspace this release wrote (the seed article, checked
// offline, signed with fixtures/store/v3-signing-key.pem). Whatever later changes in the JSON report, it must
// keep verifying, and its records must read back with the same values, field by field (docs/record-format.md).
#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <map>

#include "crypto/dsse.hpp"
#include "record/claim_statement.hpp"
#include "record/manifest.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

using namespace provcheck;
using nlohmann::json;

namespace {

struct StoredWorkspace {
    test::TempDir dir;
    std::filesystem::path ws = dir / "ws";
    std::filesystem::path key = dir / "key.pem";
    StoredWorkspace() {
        std::filesystem::copy(test::source_path("fixtures/store/v3"), ws, std::filesystem::copy_options::recursive);
        std::filesystem::copy_file(test::source_path("fixtures/store/v3-signing-key.pem"), key);
        std::filesystem::permissions(key, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    }
    test::RunResult provcheck(std::vector<std::string> args) const {
        args.insert(args.begin(), test::provcheck_binary());
        args.insert(args.end(), {"--workspace", ws.string(), "--key", key.string()});
        return test::run(args, {{"XDG_CONFIG_HOME", (dir / "config").string()}});
    }
};

// (envelope, kind) of every row of `table`, read with SQLite itself.
std::vector<std::string> envelopes(const std::filesystem::path& db_path, const char* table) {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    std::vector<std::string> out;
    sqlite3_stmt* st = nullptr;
    std::string sql = std::string("SELECT envelope FROM ") + table + " ORDER BY log_index";
    REQUIRE(sqlite3_prepare_v2(raw, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        out.emplace_back(static_cast<const char*>(sqlite3_column_blob(st, 0)),
                         static_cast<std::size_t>(sqlite3_column_bytes(st, 0)));
    }
    sqlite3_finalize(st);
    sqlite3_close(raw);
    return out;
}

}  // namespace

TEST_CASE("a workspace written by this release keeps verifying, whatever the report does", "[cli]") {
    StoredWorkspace w;
    auto v = w.provcheck({"verify", "--all"});
    INFO(v.out << v.err);
    CHECK(v.exit_code == 0);
    CHECK(v.out.find("11 records") != std::string::npos);
    CHECK(v.out.find("all verify") != std::string::npos);

    auto shown = w.provcheck({"show", "3b82c447629200f3", "--format", "json"});
    INFO(shown.err);
    REQUIRE(shown.exit_code == 0);
    json s = json::parse(shown.out);
    CHECK(s["verdict"] == "altered");
    CHECK(s["article"] == "fixtures/seed/article.html");
    CHECK(s["statement"]["predicateType"] == "https://provcheck.dev/claim-verification/v2");
}

TEST_CASE("the statements of the stored workspace are written again byte for byte from what they hold", "[cli]") {
    StoredWorkspace w;
    // Each statement read back, then written by this release from what it read: the same bytes, whether the
    // article's shared parts are written for the article's claims at once or for one claim alone.
    std::vector<std::pair<std::string, SignedClaim>> stored;
    for (const auto& bytes : envelopes(w.ws / "store.db", "records")) {
        auto env = parse_envelope(bytes);
        REQUIRE(env);
        auto sc = read_claim_statement(env->payload);
        REQUIRE(sc);
        stored.emplace_back(env->payload, std::move(*sc));
    }
    REQUIRE(stored.size() == 11);
    auto article_of = [](const SignedClaim& sc) {
        ArticleResult a;
        a.input = sc.article.input;
        a.capture = sc.article_capture;
        a.document.title = sc.article.title;
        a.document.published = sc.article.published;
        a.document.canonical_url = sc.article.url;
        return a;
    };
    ArticleResult all = article_of(stored.front().second);
    for (const auto& [payload, sc] : stored)
        all.claims.push_back(sc.result);
    const StatementParts shared(all, stored.front().second.rules_digest, stored.front().second.checked_at);
    for (std::size_t i = 0; i < stored.size(); ++i) {
        const auto& [payload, sc] = stored[i];
        INFO(payload);
        const ArticleResult one = article_of(sc);
        CHECK(claim_statement(StatementParts(one, sc.rules_digest, sc.checked_at), sc.result) == payload);
        if (sc.checked_at == stored.front().second.checked_at) CHECK(claim_statement(shared, all.claims[i]) == payload);
    }
}

TEST_CASE("the records of the stored workspace read back field by field", "[cli]") {
    StoredWorkspace w;
    const std::map<std::string, std::string> verdicts{
        {"7d84217fad9e78c5", "verbatim"},  {"fbb32a91ff130de8", "elided"},   {"274f8c46f932ceb1", "verbatim"},
        {"6c60688efbe06933", "verbatim"},  {"3b82c447629200f3", "altered"},  {"90aae7e0ef21617c", "verbatim"},
        {"e1351c2729be18f9", "unsourced"}, {"e1d82e4540a384ae", "verbatim"}, {"f9e39d3dcc1a5b3a", "verbatim"},
        {"df7e0d38fcc910fb", "verbatim"},  {"901a82058ff5bbeb", "verbatim"}};
    std::map<std::string, std::string> read;
    for (const auto& bytes : envelopes(w.ws / "store.db", "records")) {
        auto env = parse_envelope(bytes);
        REQUIRE(env);
        auto sc = read_claim_statement(env->payload);
        INFO(env->payload);
        REQUIRE(sc);
        CHECK(sc->version == 2);
        CHECK(sc->article.input == "fixtures/seed/article.html");
        CHECK(sc->article_capture.requested_url == "fixtures/seed/article.html");
        CHECK(sc->article_capture.final_url == "fixtures/seed/article.html");  // never the checker's own path
        CHECK(sc->article_capture.stored.has_value());
        CHECK(sc->tool_version == "0.1.0");
        CHECK(sc->checked_at.size() == 20);
        read[sc->result.claim.id] = std::string(to_string(sc->result.verdict));

        if (sc->result.claim.id == "3b82c447629200f3") {
            const ClaimResult& c = sc->result;
            CHECK(c.claim.speaker == "The New York Times");
            CHECK(c.claim.attribution == "it added");
            REQUIRE(c.source);
            CHECK(c.source->final_url ==
                  "https://www.nytimes.com/2023/10/17/us/politics/qatar-hamas-hostages-mediator.html");
            CHECK(c.source->payload_sha256 == "6f08a28860ad96874e45268f8e6b9133e9497719e5cad73ae1d241037a3d46b8");
            CHECK(c.source->status == 200);
            CHECK(c.source->from_replay);
            CHECK(c.source_reason == "bound by --source NYT");
            REQUIRE(c.match);
            CHECK(c.match->text.find("more than 30 countries") != std::string::npos);
            REQUIRE(c.match->differences.size() == 1);
            CHECK(c.match->differences[0].op == "replace");
            CHECK(c.match->differences[0].quote == "40");
            CHECK(c.match->differences[0].source == "30");
            CHECK(c.match->differences[0].kind == DiffKind::number);
            CHECK(c.match->differences[0].critical);
        }
        if (sc->result.claim.id == "fbb32a91ff130de8") {
            REQUIRE(sc->result.match);
            REQUIRE(sc->result.match->elisions.size() == 1);
            CHECK(sc->result.match->elisions[0].marker == "(..)");
            CHECK(sc->result.match->elisions[0].source.find("the base where Hamas launched") != std::string::npos);
        }
        if (sc->result.claim.id == "e1351c2729be18f9") {
            CHECK_FALSE(sc->result.source);
            CHECK_FALSE(sc->result.match);
        }
    }
    CHECK(read == verdicts);

    auto manifests = envelopes(w.ws / "store.db", "manifests");
    REQUIRE(manifests.size() == 1);
    auto env = parse_envelope(manifests[0]);
    REQUIRE(env);
    auto m = read_manifest_statement(env->payload);
    REQUIRE(m);
    CHECK(m->start == 0);
    CHECK(m->end == std::filesystem::file_size(w.ws / m->warc_file));
}
