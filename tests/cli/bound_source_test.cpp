// The files --source names are read once per run, and only when a claim may be checked against them: a batch of
// local articles bound to one source captures it once, an article without quotations never opens it, and a
// binding with a NAME= whose speaker no claim has is never captured.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>

#include "core/hash.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace provcheck;

namespace {

std::string page(const std::string& body) {
    return "<!doctype html><html><head><meta charset=utf-8><title>Water</title></head><body><article>" + body +
           "</article></body></html>\n";
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

struct Batch {
    test::TempDir dir;
    std::filesystem::path src = dir / "report.html";
    std::filesystem::path other = dir / "other.html";
    Batch() {
        test::write_text(src,
                         page("<h1>Annual report</h1><p>Reservoir levels fell by twelve percent over the summer.</p>"
                              "<p>Rationing could follow if rain does not come soon.</p>"));
        test::write_text(other, page("<p>Nothing here is quoted by anyone.</p>"));
        test::write_text(dir / "one.html",
                         page("<p>“Reservoir levels fell by twelve percent over the summer,” Jane Roe said."
                              "</p><p>It was a dry year.</p>"));
        test::write_text(dir / "none.html", page("<p>The water authority published its annual report on Monday.</p>"));
        test::write_text(dir / "two.html",
                         page("<p>“Rationing could follow if rain does not come soon,” Jane Roe said.</p>"));
    }
    test::RunResult check(std::vector<std::string> inputs) const {
        std::vector<std::string> argv{test::provcheck_binary(), "check"};
        for (const auto& i : inputs)
            argv.push_back((dir / i).string());
        const std::vector<std::string> rest{
            "--source",    src.string(),          "--source", "Bob Jones=" + other.string(),
            "--workspace", (dir / "ws").string(), "--format", "json",
            "--verbose",   "--fail-on",           "none"};
        argv.insert(argv.end(), rest.begin(), rest.end());
        return test::run(argv, {{"XDG_CONFIG_HOME", (dir / "config").string()}});
    }
};

}  // namespace

TEST_CASE("a bound source is read once for the whole batch, and only when a claim may need it", "[cli]") {
    Batch b;
    auto r = b.check({"one.html", "none.html", "two.html"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    // Captured once (the fetch line of the verbose log), for the first article that holds quotations.
    CHECK(count(r.err, "fetch " + b.src.string()) == 1);
    // No claim is Bob Jones's: his file is never opened.
    CHECK(count(r.err, "fetch " + b.other.string()) == 0);
    const json report = json::parse(r.out);
    REQUIRE(report["articles"].size() == 3);
    for (int k : {0, 2}) {
        const json& claims = report["articles"][k]["claims"];
        REQUIRE(claims.size() == 1);
        CHECK(claims[0]["verdict"] == "verbatim");
        CHECK(claims[0]["source_reason"] == "bound by --source");
        // The file's text is read from a copy while the file is archived: the source still names the archived
        // record and the digest of the bytes read.
        std::ifstream in(b.src, std::ios::binary);
        const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        const json& source = claims[0]["source"];
        CHECK(source["sha256"] == sha256_hex(bytes));
        REQUIRE(source.contains("warc"));
        CHECK(source["warc"]["offset"].is_number());
        CHECK(source["block_sha256"].is_string());
    }
    CHECK(report["articles"][1]["claims"].empty());
    auto v = test::run({test::provcheck_binary(), "verify", "--all", "--workspace", (b.dir / "ws").string()},
                       {{"XDG_CONFIG_HOME", (b.dir / "config").string()}});
    INFO(v.out << v.err);
    CHECK(v.exit_code == 0);
    CHECK(v.out.find("2 records") != std::string::npos);
}

TEST_CASE("an article without quotations never opens a bound source", "[cli]") {
    Batch b;
    auto r = b.check({"none.html"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(count(r.err, "fetch " + b.src.string()) == 0);
    CHECK(count(r.err, "fetch " + b.other.string()) == 0);
}
