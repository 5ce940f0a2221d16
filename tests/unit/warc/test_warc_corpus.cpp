// Conformance over WARC files written by other tools (/work/shared/corpora/warc): the well-formed ones are
// read to the end with every record's HTTP block decodable and no SHA-256 digest wrong; the broken ones give
// an Error naming the offset, never a crash. Skipped, saying so, where the corpus is not present.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>

#include "core/text.hpp"
#include "support/replay.hpp"
#include "warc/warc_archive.hpp"
#include "warc/warc_reader.hpp"

using namespace provcheck;

namespace {

const std::filesystem::path corpus_dir = "/work/shared/corpora/warc";

struct Expectation {
    bool readable;        // the whole file reads without an Error
    std::size_t records;  // records returned before the end or the damage
    std::string damage;   // part of the Error message when not readable
};

// What each file is, from its name and the tests of the tool it comes from. Files not listed (a newer corpus)
// are only required not to crash.
const std::map<std::string, Expectation>& expectations() {
    static const std::map<std::string, Expectation> e{
        {"jwarc/test-resources/org/netpreserve/jwarc/cc.warc.gz", {true, 1, ""}},
        // gzip header with an extra field ("sl"), which zlib must skip
        {"jwarc/test-resources/org/netpreserve/jwarc/gzip_extra_sl.warc.gz", {true, 1, ""}},
        {"warcio/test/data/bad.arc", {false, 0, "ARC file"}},
        // whole file compressed as one gzip member
        {"warcio/test/data/example-bad-non-chunked.warc.gz", {true, 6, ""}},
        {"warcio/test/data/example-bad.warc.gz.bad", {true, 6, ""}},
        {"warcio/test/data/example-digest.warc", {true, 4, ""}},
        {"warcio/test/data/example-iana.org-chunked.warc", {true, 3, ""}},
        {"warcio/test/data/example-resource.warc.gz", {true, 3, ""}},
        {"warcio/test/data/example-space-in-target-uri.warc.gz", {true, 2, ""}},
        {"warcio/test/data/example-space-in-url.arc", {false, 0, "ARC file"}},
        // Content-Length two bytes short of the block
        {"warcio/test/data/example-trunc.warc", {false, 2, "offset 1197: Content-Length 973"}},
        {"warcio/test/data/example-wget-bad-target-uri.warc.gz", {true, 6, ""}},
        // gzip members that do not line up with records
        {"warcio/test/data/example-wrong-chunks.warc.gz", {true, 2, ""}},
        {"warcio/test/data/example.arc", {false, 0, "ARC file"}},
        {"warcio/test/data/example.arc.gz", {false, 0, "ARC file"}},
        {"warcio/test/data/example.warc", {true, 6, ""}},
        {"warcio/test/data/example.warc.gz", {true, 6, ""}},
        {"warcio/test/data/post-test.warc.gz", {true, 6, ""}},
        // Content-Length one byte short of the block
        {"warcio.js/test/data/example-bad-length.warc", {false, 2, "offset 1197: Content-Length 974"}},
        {"warcio.js/test/data/example-iana.org-chunked.warc", {true, 3, ""}},
        {"warcio.js/test/data/example-resource.warc.gz", {true, 1, ""}},
        // a member whose record has no terminator after its block
        {"warcio.js/test/data/example-url-agnostic-revisit.warc.gz", {true, 2, ""}},
        {"warcio.js/test/data/example-wget-bad-target-uri.warc.gz", {true, 6, ""}},
        {"warcio.js/test/data/example.warc", {true, 7, ""}},
        {"warcio.js/test/data/example.warc.gz", {true, 6, ""}},
        {"warcio.js/test/data/post-test-more.warc", {true, 6, ""}},
        {"warcio.js/test/data/post-test.warc.gz", {true, 6, ""}},
        {"warcio.js/test/data/redirect.warc", {true, 2, ""}},
        {"webarchive-commons/src/test/resources/org/archive/format/arc/"
         "IAH-20080430204825-00000-blackbook-truncated.arc",
         {false, 0, "ARC file"}},
        {"webarchive-commons/src/test/resources/org/archive/format/gzip/IAH-urls-wget.warc.gz", {true, 36, ""}},
        {"webarchive-commons/src/test/resources/org/archive/format/warc/IAH-urls-wget.warc", {true, 36, ""}},
        {"webarchive-commons/src/test/resources/org/archive/format/warc/mutliple-headers.warc", {true, 1, ""}},
        // Content-Lengths one short, the missing byte being a line end
        {"webarchive-commons/src/test/resources/org/archive/resource/html/link-extraction-test.warc", {true, 8, ""}},
    };
    return e;
}

std::vector<std::filesystem::path> corpus_files() {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(corpus_dir)) {
        auto name = e.path().filename().string();
        if (e.is_regular_file() && name != "LICENSE" && !name.starts_with("README")) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

TEST_CASE("corpus: other tools' WARC files read fully or fail with the offset", "[unit][warc][corpus]") {
    if (!std::filesystem::is_directory(corpus_dir)) {
        WARN("skipped: " << corpus_dir << " is not present (it is not part of a checkout)");
        return;
    }
    std::size_t checked = 0;
    for (const auto& f : corpus_files()) {
        auto rel = std::filesystem::relative(f, corpus_dir).string();
        CAPTURE(rel);
        auto scan = scan_warc(f);
        auto it = expectations().find(rel);
        if (it == expectations().end()) {
            WARN("not in the expectation table, only read: " << rel);
            continue;
        }
        ++checked;
        const Expectation& want = it->second;
        CHECK(scan.records.size() == want.records);
        if (want.readable) {
            CHECK_FALSE(scan.error.has_value());
            if (scan.error) FAIL_CHECK(scan.error->message);
        } else {
            REQUIRE(scan.error.has_value());
            CHECK_THAT(scan.error->message, Catch::Contains(want.damage) && Catch::Contains(f.string()));
        }
        for (const auto& r : scan.records) {
            CHECK(r.version.starts_with("WARC/1."));
            CHECK(r.block.size() == r.block_length);
            CHECK(verify_digests(r).ok());
            if (iequals(r.type(), "response") && istarts_with(r.content_type(), "application/http")) {
                auto http = parse_http_response(r.block);
                CHECK(http.has_value());
                if (http) CHECK(http->status >= 100);
            }
            // Every record can be found again on its own from its position, as verify does.
            auto again = read_record_at(f, r.offset, r.inner_offset);
            REQUIRE(again.has_value());
            CHECK(again->record_id() == r.record_id());
            CHECK(again->block == r.block);
        }
    }
    CHECK(checked == expectations().size());
}

TEST_CASE("corpus: readable files load as a replay archive", "[unit][warc][corpus]") {
    if (!std::filesystem::is_directory(corpus_dir)) {
        WARN("skipped: " << corpus_dir << " is not present (it is not part of a checkout)");
        return;
    }
    auto chunked = corpus_dir / "warcio/test/data/example-iana.org-chunked.warc";
    auto archive = WarcArchive::load({chunked});
    REQUIRE(archive.has_value());
    auto ex = test::replay_find(*archive, "http://www.iana.org/");
    REQUIRE(ex.has_value());
    CHECK(ex->status == 200);
    CHECK(ex->body.find("</html>") != std::string::npos);
    CHECK(ex->body.find("\r\n0\r\n") == std::string::npos);  // de-chunked
    CHECK(ex->fetched_at == "2017-03-06T16:54:09Z");

    // A revisit that names its original by target URI and date (uri-agnostic).
    auto gz = corpus_dir / "warcio/test/data/example.warc.gz";
    auto with_revisit = WarcArchive::load({gz});
    REQUIRE(with_revisit.has_value());
    for (const auto& e : with_revisit->entries()) {
        CAPTURE(e.url, e.type);
        auto found = test::replay_find(*with_revisit, e.target_uri);
        if (e.type != "revisit") {
            REQUIRE(found.has_value());
            CHECK_FALSE(found->body.empty());
        }
    }
    auto wget = corpus_dir / "warcio/test/data/example-wget-bad-target-uri.warc.gz";
    auto bracketed = WarcArchive::load({wget});
    REQUIRE(bracketed.has_value());
    auto page = test::replay_find(*bracketed, "http://example.com/");
    REQUIRE(page.has_value());
    CHECK(page->body.find("Example Domain") != std::string::npos);
    CHECK(page->request_head.starts_with("GET / HTTP/1.1"));
}
