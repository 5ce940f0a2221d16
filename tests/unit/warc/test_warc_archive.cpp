#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "support/replay.hpp"
#include "support/temp_dir.hpp"
#include "warc/warc_archive.hpp"
#include "warc/warc_reader.hpp"
#include "warc/warc_writer.hpp"
#include "warc_test_util.hpp"

using namespace provcheck;
using provcheck::test::TempDir;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string fields(const Fields& f) {
    std::string out;
    for (const auto& [name, value] : f)
        out += name + ": " + value + "\r\n";
    return out;
}

std::string response(const std::string& uri, const std::string& date, const std::string& id, const std::string& body) {
    return test::plain_record(fields({{"WARC-Type", "response"},
                                      {"WARC-Target-URI", uri},
                                      {"WARC-Date", date},
                                      {"WARC-Record-ID", id},
                                      {"WARC-IP-Address", "192.0.2.7"},
                                      {"Content-Type", "application/http; msgtype=response"}}),
                              "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nETag: \"v1\"\r\nContent-Length: " +
                                  std::to_string(body.size()) + "\r\n\r\n" + body);
}

std::string revisit(const std::string& uri, const std::string& date, const Fields& refers) {
    Fields f{{"WARC-Type", "revisit"},
             {"WARC-Target-URI", uri},
             {"WARC-Date", date},
             {"WARC-Record-ID", "<urn:uuid:" + uri.substr(uri.size() - 1) + "0000000-0000-4000-8000-000000000000>"},
             {"WARC-Profile", "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"},
             {"WARC-Truncated", "length"},
             {"Content-Type", "application/http; msgtype=response"}};
    f.insert(f.end(), refers.begin(), refers.end());
    return test::plain_record(fields(f), "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nETag: \"v2\"\r\n\r\n");
}

}  // namespace

TEST_CASE("archive: the latest capture by WARC-Date wins, whatever the file order", "[unit][warc]") {
    TempDir tmp;
    test::write_bytes(tmp / "a.warc",
                      response("https://www.nytimes.com/x", "2023-10-18T00:00:00Z", "<urn:uuid:2>", "edited") +
                          response("https://www.nytimes.com/x", "2023-10-17T00:00:00Z", "<urn:uuid:1>", "original"));
    test::write_bytes(tmp / "b.warc",
                      response("https://www.nytimes.com/x", "2023-10-17T12:00:00Z", "<urn:uuid:3>", "noon"));
    auto archive = WarcArchive::load({tmp.path()});
    REQUIRE(archive.has_value());
    CHECK(archive->files().size() == 2);
    CHECK(archive->size() == 1);
    auto entries = archive->entries();
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].url == "https://www.nytimes.com/x");
    CHECK(entries[0].date == "2023-10-17T00:00:00Z");
    CHECK(entries[2].date == "2023-10-18T00:00:00Z");
    CHECK(entries[2].file == tmp / "a.warc");
    CHECK(entries[2].offset == 0);
    auto ex = test::replay_find(*archive, "https://www.nytimes.com/x");
    REQUIRE(ex.has_value());
    CHECK(ex->body == "edited");
    CHECK(ex->remote_ip == "192.0.2.7");
    CHECK(ex->fetched_at == "2023-10-18T00:00:00Z");
    CHECK(ex->request_head.empty());
}

TEST_CASE("archive: find() compares URLs after normalisation", "[unit][warc]") {
    TempDir tmp;
    test::write_bytes(tmp / "a.warc",
                      response("https://Example.ORG/Path?q=1", "2023-10-18T00:00:00Z", "<urn:uuid:1>", "found"));
    auto archive = WarcArchive::load({tmp / "a.warc"});
    REQUIRE(archive.has_value());
    CHECK(test::replay_find(*archive, "https://example.org/Path?q=1").has_value());
    CHECK(test::replay_find(*archive, "HTTPS://EXAMPLE.org/Path?q=1#section-2").has_value());
    CHECK(test::replay_find(*archive, "https://example.org/Path?q=1#").has_value());
    CHECK_FALSE(test::replay_find(*archive, "https://example.org/path?q=1").has_value());  // paths are case-sensitive
    CHECK_FALSE(test::replay_find(*archive, "https://example.org/Path?q=2").has_value());
    CHECK_FALSE(test::replay_find(*archive, "not a url").has_value());
}

TEST_CASE("archive: revisit records resolve to the response they refer to", "[unit][warc]") {
    TempDir tmp;
    std::string warc = response("https://example.org/a", "2023-10-17T00:00:00Z", "<urn:uuid:orig>", "payload one") +
                       response("https://example.org/a", "2023-10-18T00:00:00Z", "<urn:uuid:later>", "payload two");
    // By record id.
    warc += revisit("https://example.org/b", "2023-10-19T00:00:00Z", {{"WARC-Refers-To", "<urn:uuid:orig>"}});
    // By target URI and date (URL-agnostic).
    warc += revisit(
        "https://example.org/c", "2023-10-19T00:00:00Z",
        {{"WARC-Refers-To-Target-URI", "https://example.org/a"}, {"WARC-Refers-To-Date", "2023-10-17T00:00:00Z"}});
    // Neither: the same URL's latest earlier capture.
    warc += revisit("https://example.org/a", "2023-10-20T00:00:00Z", {});
    // Refers to nothing in the archive: not answerable.
    warc += revisit("https://example.org/d", "2023-10-19T00:00:00Z",
                    {{"WARC-Refers-To-Target-URI", "https://example.org/elsewhere"}});
    test::write_bytes(tmp / "r.warc", warc);
    auto archive = WarcArchive::load({tmp / "r.warc"});
    REQUIRE(archive.has_value());

    auto b = test::replay_find(*archive, "https://example.org/b");
    REQUIRE(b.has_value());
    CHECK(b->url == "https://example.org/b");
    CHECK(b->body == "payload one");
    CHECK(*find_header(b->headers, "ETag") == "\"v2\"");  // the revisit's own head
    CHECK(b->fetched_at == "2023-10-19T00:00:00Z");
    CHECK(b->truncated == "length");

    auto c = test::replay_find(*archive, "https://example.org/c");
    REQUIRE(c.has_value());
    CHECK(c->body == "payload one");

    auto a = test::replay_find(*archive, "https://example.org/a");
    REQUIRE(a.has_value());
    CHECK(a->body == "payload two");
    CHECK(a->fetched_at == "2023-10-20T00:00:00Z");

    CHECK_FALSE(test::replay_find(*archive, "https://example.org/d").has_value());
}

TEST_CASE("archive: a record that no longer decodes is passed over for an older one", "[unit][warc]") {
    TempDir tmp;
    std::string bad = test::plain_record(fields({{"WARC-Type", "response"},
                                                 {"WARC-Target-URI", "https://example.org/a"},
                                                 {"WARC-Date", "2023-10-19T00:00:00Z"},
                                                 {"Content-Type", "application/http; msgtype=response"}}),
                                         "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\nnot gzip at all");
    test::write_bytes(tmp / "a.warc",
                      response("https://example.org/a", "2023-10-17T00:00:00Z", "<urn:uuid:1>", "ok") + bad);
    auto archive = WarcArchive::load({tmp / "a.warc"});
    REQUIRE(archive.has_value());
    auto ex = test::replay_find(*archive, "https://example.org/a");
    REQUIRE(ex.has_value());
    CHECK(ex->body == "ok");
}

TEST_CASE("archive: load errors", "[unit][warc]") {
    TempDir tmp;
    CHECK_FALSE(WarcArchive::load({tmp / "missing.warc"}).has_value());
    CHECK_FALSE(WarcArchive::load({tmp.path()}).has_value());  // a directory without WARC files
    test::write_bytes(tmp / "broken.warc", "WARC/1.1\r\nContent-Length: 10\r\n\r\nshort");
    auto strict = WarcArchive::load({tmp / "broken.warc"});
    REQUIRE_FALSE(strict.has_value());
    CHECK_THAT(strict.error().message, Catch::Contains("broken.warc") && Catch::Contains("offset 0"));
}

TEST_CASE("archive: concatenate joins files into one valid WARC", "[unit][warc]") {
    TempDir tmp;
    auto clock = test::capture_clock();
    auto w1 = WarcWriter::open(tmp / "ws" / "warc", clock);
    auto w2 = WarcWriter::open(tmp / "ws" / "warc", clock);
    REQUIRE(w1.has_value());
    REQUIRE(w2.has_value());
    REQUIRE(w1->store(test::sample_exchange("https://t.co/g4TcNbYW6U", "one")).has_value());
    REQUIRE(w2->store(test::sample_exchange("https://palestinechronicle.com/live", "two")).has_value());
    auto out = tmp / "sources.warc.gz";
    REQUIRE(concatenate({w1->path(), w2->path()}, out).has_value());
    CHECK(test::read_bytes(out) == test::read_bytes(w1->path()) + test::read_bytes(w2->path()));
    auto scan = scan_warc(out);
    REQUIRE_FALSE(scan.error.has_value());
    CHECK(scan.records.size() == 6);
    for (const auto& r : scan.records)
        CHECK(verify_digests(r).ok());
    auto archive = WarcArchive::load({out});
    REQUIRE(archive.has_value());
    CHECK(test::replay_find(*archive, "https://t.co/g4TcNbYW6U")->body == "one");
    CHECK(test::replay_find(*archive, "https://palestinechronicle.com/live")->body == "two");

    // Mixed compression, damaged inputs, and writing over an input are refused, leaving no output.
    test::write_bytes(tmp / "plain.warc",
                      response("https://example.org/", "2023-10-17T00:00:00Z", "<urn:uuid:1>", "p"));
    CHECK_FALSE(concatenate({w1->path(), tmp / "plain.warc"}, tmp / "mixed.warc").has_value());
    test::write_bytes(tmp / "broken.warc", "WARC/1.1\r\nContent-Length: 10\r\n\r\nshort");
    CHECK_FALSE(concatenate({tmp / "plain.warc", tmp / "broken.warc"}, tmp / "mixed.warc").has_value());
    CHECK_FALSE(std::filesystem::exists(tmp / "mixed.warc"));
    CHECK_FALSE(concatenate({out}, out).has_value());
    CHECK_FALSE(concatenate({}, tmp / "empty.warc").has_value());
    // A pipe (as /dev/null or /dev/stdout would be) is never replaced by the joined file.
    REQUIRE(::mkfifo((tmp / "pipe").c_str(), 0600) == 0);
    auto onto_pipe = concatenate({w1->path()}, tmp / "pipe");
    REQUIRE_FALSE(onto_pipe.has_value());
    CHECK_THAT(onto_pipe.error().message, Catch::Contains("not a regular file"));
    CHECK(std::filesystem::is_fifo(std::filesystem::symlink_status(tmp / "pipe")));
}
