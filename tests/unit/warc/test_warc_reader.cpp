#include <catch2/catch.hpp>

#include <cctype>
#include <cstdio>
#include <string>

#include "core/hash.hpp"
#include "support/temp_dir.hpp"
#include "warc/warc_reader.hpp"
#include "warc_test_util.hpp"

using namespace provcheck;
using provcheck::test::TempDir;

namespace {

// The example records of the WARC 1.1 specification (Annex C), with Content-Length set to the blocks as
// written here. Field names are given in the spec's mixed case and, for the response, in lower case.
std::string spec_examples() {
    std::string warcinfo_block =
        "software: Heritrix 1.12.0 http://crawler.archive.org\r\n"
        "hostname: crawling017.archive.org\r\n"
        "ip: 207.241.227.234\r\n"
        "isPartOf: testcrawl-20050708\r\n"
        "description: testcrawl with WARC output\r\n"
        "operator: IA_Admin\r\n"
        "http-header-user-agent:\r\n"
        " Mozilla/5.0 (compatible; heritrix/1.4.0 +http://crawler.archive.org)\r\n"
        "format: WARC file version 1.0\r\n"
        "conformsTo:\r\n"
        " http://www.archive.org/documents/WarcFileFormat-1.0.html\r\n";
    std::string request_block =
        "GET /images/logoc.jpg HTTP/1.0\r\n"
        "User-Agent: Mozilla/5.0 (compatible; heritrix/1.10.0)\r\n"
        "From: stack@example.org\r\n"
        "Connection: close\r\n"
        "Referer: http://www.archive.org/\r\n"
        "Host: www.archive.org\r\n"
        "Cookie: PHPSESSID=009d7bb11022f80605aa87e18224d824\r\n\r\n";
    std::string image(1662, '\xff');
    std::string response_block =
        "HTTP/1.1 200 OK\r\n"
        "Date: Tue, 19 Sep 2006 17:18:40 GMT\r\n"
        "Server: Apache/2.0.54 (Ubuntu)\r\n"
        "Last-Modified: Mon, 16 Jun 2003 22:28:51 GMT\r\n"
        "ETag: \"3e45-67e-2ed02ec0\"\r\n"
        "Accept-Ranges: bytes\r\n"
        "Content-Length: 1662\r\n"
        "Connection: close\r\n"
        "Content-Type: image/jpeg\r\n\r\n" +
        image;
    std::string revisit_block =
        "HTTP/1.x 304 Not Modified\r\n"
        "Date: Tue, 06 Mar 2007 00:43:35 GMT\r\n"
        "Server: Apache/2.0.54 (Ubuntu) PHP/5.0.5-2ubuntu1.4\r\n"
        "Connection: Keep-Alive\r\n"
        "Keep-Alive: timeout=15, max=100\r\n"
        "Etag: \"3e45-67e-2ed02ec0\"\r\n\r\n";
    using test::plain_record;
    return plain_record(
               "WARC-Type: warcinfo\r\n"
               "WARC-Date: 2006-09-19T17:20:14Z\r\n"
               "WARC-Record-ID: <urn:uuid:d7ae5c10-e6b3-4d27-967d-34780c58ba39>\r\n"
               "Content-Type: application/warc-fields\r\n",
               warcinfo_block, "WARC/1.0") +
           plain_record(
               "WARC-Type: request\r\n"
               "WARC-Target-URI: http://www.archive.org/images/logoc.jpg\r\n"
               "WARC-Warcinfo-ID: <urn:uuid:d7ae5c10-e6b3-4d27-967d-34780c58ba39>\r\n"
               "WARC-Date: 2006-09-19T17:20:24Z\r\n"
               "WARC-Record-ID: <urn:uuid:4885803b-eebd-4b27-a090-144450c11594>\r\n"
               "Content-Type: application/http;msgtype=request\r\n"
               "WARC-Concurrent-To: <urn:uuid:92283950-ef2f-4d72-b224-f54c6ec90bb0>\r\n",
               request_block, "WARC/1.0") +
           plain_record(
               "warc-type: response\r\n"
               "warc-target-uri: http://www.archive.org/images/logoc.jpg\r\n"
               "warc-warcinfo-id: <urn:uuid:d7ae5c10-e6b3-4d27-967d-34780c58ba39>\r\n"
               "warc-date: 2006-09-19T17:20:24Z\r\n"
               "warc-block-digest: sha1:UZY6ND6CCHXETFVJD2MSS7ZENMWF7KQ2\r\n"
               "warc-payload-digest: sha1:CCHXETFVJD2MUZY6ND6SS7ZENMWF7KQ2\r\n"
               "warc-ip-address: 207.241.233.58\r\n"
               "warc-record-id: <urn:uuid:92283950-ef2f-4d72-b224-f54c6ec90bb0>\r\n"
               "content-type: application/http;msgtype=response\r\n"
               "warc-identified-payload-type: image/jpeg\r\n",
               response_block, "WARC/1.0") +
           plain_record(
               "WARC-Type: resource\r\n"
               "WARC-Target-URI: file://var/www/htdoc/images/logoc.jpg\r\n"
               "WARC-Date: 2006-09-30T16:40:32Z\r\n"
               "WARC-Record-ID: <urn:uuid:23200706-de3e-3c61-a131-g65d7fd80cc1>\r\n"
               "Content-Type: image/jpeg\r\n"
               "WARC-Payload-Digest: sha1:DBXHDRBXLF4OMUZ5DN4JJ2KFUAOB6VK8\r\n"
               "WARC-Block-Digest: sha1:DBXHDRBXLF4OMUZ5DN4JJ2KFUAOB6VK8\r\n",
               image, "WARC/1.1") +
           plain_record(
               "WARC-Type: revisit\r\n"
               "WARC-Target-URI: http://www.archive.org/images/logoc.jpg\r\n"
               "WARC-Date: 2007-03-06T00:43:35Z\r\n"
               "WARC-Profile: http://netpreserve.org/warc/1.0/server-not-modified\r\n"
               "WARC-Record-ID: <urn:uuid:16da6da0-bcdc-49c3-927e-57494593bbbb>\r\n"
               "WARC-Refers-To: <urn:uuid:92283950-ef2f-4d72-b224-f54c6ec90bb0>\r\n"
               "Content-Type: message/http\r\n",
               revisit_block, "WARC/1.1");
}

std::string chunk(std::string_view data) {
    std::string out;
    std::size_t half = data.size() / 2;
    for (auto part : {data.substr(0, half), data.substr(half)}) {
        char size[32];
        std::snprintf(size, sizeof size, "%zx", part.size());
        out += std::string(size) + ";ext=1\r\n" + std::string(part) + "\r\n";
    }
    return out + "0\r\nX-Trailer: t\r\n\r\n";
}

}  // namespace

TEST_CASE("reader: the WARC 1.1 specification's example records", "[unit][warc]") {
    TempDir tmp;
    auto path = tmp / "spec.warc";
    const std::string bytes = spec_examples();
    test::write_bytes(path, bytes);
    auto scan = scan_warc(path);
    REQUIRE_FALSE(scan.error.has_value());
    REQUIRE(scan.records.size() == 5);
    const auto& info = scan.records[0];
    CHECK(info.version == "WARC/1.0");
    CHECK(info.type() == "warcinfo");
    CHECK(info.offset == 0);
    CHECK(info.record_id() == "<urn:uuid:d7ae5c10-e6b3-4d27-967d-34780c58ba39>");
    CHECK_THAT(info.block, Catch::EndsWith("WarcFileFormat-1.0.html\r\n"));

    const auto& request = scan.records[1];
    CHECK(request.type() == "request");
    CHECK(request.offset == info.offset + info.length);
    REQUIRE(request.concurrent_to().size() == 1);
    CHECK(request.concurrent_to()[0] == "<urn:uuid:92283950-ef2f-4d72-b224-f54c6ec90bb0>");
    CHECK(http_head_length(request.block) == request.block.size());

    const auto& response = scan.records[2];
    CHECK(response.type() == "response");  // lower-case field names
    CHECK(response.header("WARC-Identified-Payload-Type") != nullptr);
    CHECK(response.target_uri() == "http://www.archive.org/images/logoc.jpg");
    CHECK(response.ip_address() == "207.241.233.58");
    CHECK(response.date() == "2006-09-19T17:20:24Z");
    CHECK(response.block_length == response.block.size());
    auto digests = verify_digests(response);
    CHECK(digests.block == DigestStatus::not_checkable);  // sha1
    CHECK(digests.payload == DigestStatus::not_checkable);
    CHECK(digests.ok());
    auto http = parse_http_response(response.block);
    REQUIRE(http.has_value());
    CHECK(http->status == 200);
    CHECK(http->status_line == "HTTP/1.1 200 OK");
    CHECK(http->headers.size() == 8);
    CHECK(http->body == std::string(1662, '\xff'));

    CHECK(scan.records[3].version == "WARC/1.1");
    CHECK(scan.records[3].type() == "resource");
    CHECK(scan.records[3].target_uri() == "file://var/www/htdoc/images/logoc.jpg");
    const auto& revisit = scan.records[4];
    CHECK(revisit.refers_to() == "<urn:uuid:92283950-ef2f-4d72-b224-f54c6ec90bb0>");
    auto head = parse_http_response_head(revisit.block);
    REQUIRE(head.has_value());
    CHECK(head->status == 304);
    CHECK(revisit.offset + revisit.length == bytes.size());

    // Every record again from its offset.
    for (const auto& r : scan.records) {
        auto again = read_record_at(path, r.offset);
        REQUIRE(again.has_value());
        CHECK(again->record_id() == r.record_id());
        CHECK(again->block == r.block);
    }
}

TEST_CASE("reader: one gzip member for the whole file", "[unit][warc]") {
    TempDir tmp;
    auto path = tmp / "whole.warc.gz";
    test::write_bytes(path, test::gzip_bytes(spec_examples()));
    auto scan = scan_warc(path);
    REQUIRE_FALSE(scan.error.has_value());
    REQUIRE(scan.records.size() == 5);
    CHECK(scan.records[0].inner_offset == 0);
    for (const auto& r : scan.records) {
        CHECK(r.offset == 0);
        CHECK(r.shares_member);
        auto again = read_record_at(path, r.offset, r.inner_offset);
        REQUIRE(again.has_value());
        CHECK(again->record_id() == r.record_id());
    }
    CHECK(scan.records[4].inner_offset > scan.records[3].inner_offset);
}

TEST_CASE("reader: damage anywhere gives records then an Error, never a crash", "[unit][warc]") {
    TempDir tmp;
    const std::string plain = spec_examples();
    std::string per_record;
    {
        auto scan_path = tmp / "spec.warc";
        test::write_bytes(scan_path, plain);
        auto scan = scan_warc(scan_path);
        REQUIRE(scan.records.size() == 5);
        for (const auto& r : scan.records)
            per_record += test::gzip_bytes(plain.substr(r.offset, r.length));
    }
    auto path = tmp / "cut.warc";
    // Every prefix of the plain and of the gzip-per-record file.
    for (const std::string* whole : {&plain, static_cast<const std::string*>(&per_record)}) {
        for (std::size_t n = 0; n < whole->size(); n += (whole == &plain ? 7 : 3)) {
            test::write_bytes(path, std::string_view(*whole).substr(0, n));
            auto scan = scan_warc(path);
            CHECK(scan.records.size() <= 5);
            if (scan.error) CHECK_THAT(scan.error->message, Catch::Contains("offset"));
        }
    }
    // Assorted non-WARC input.
    for (std::string junk : {std::string(), std::string("\r\n\r\n"), std::string("WARC/1.1\r\n"),
                             std::string("WARC/1.1\r\nContent-Length: x\r\n\r\n"),
                             std::string("WARC/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n"),
                             std::string("WARC/1.1\r\nWARC-Type: resource\r\n\r\nabc"),
                             std::string("WARC/1.1\r\nno colon here\r\nContent-Length: 0\r\n\r\n\r\n\r\n"),
                             std::string("\x1f\x8b\x08\x00garbage", 12), std::string("HTTP/1.1 200 OK\r\n\r\n")}) {
        test::write_bytes(path, junk);
        auto scan = scan_warc(path);
        CHECK(scan.records.empty());
        if (!junk.empty() && junk != "\r\n\r\n") CHECK(scan.error.has_value());
    }
    CHECK_FALSE(WarcReader::open(tmp / "missing.warc").has_value());
    CHECK_FALSE(read_record_at(path, 1 << 20).has_value());
}

TEST_CASE("reader: a record over the size limit is refused", "[unit][warc]") {
    TempDir tmp;
    auto path = tmp / "big.warc";
    test::write_bytes(path, test::plain_record("WARC-Type: resource\r\n", std::string(5000, 'x')));
    WarcReadOptions small;
    small.max_block = 4096;
    auto scan = scan_warc(path, small);
    CHECK(scan.records.empty());
    REQUIRE(scan.error.has_value());
    CHECK_THAT(scan.error->message, Catch::Contains("over the limit"));
    WarcReadOptions headers_only;
    headers_only.load_block = false;
    auto light = scan_warc(path, headers_only);
    REQUIRE(light.records.size() == 1);
    CHECK(light.records[0].block.empty());
    CHECK(light.records[0].block_length == 5000);
}

TEST_CASE("reader: chunked and compressed stored bodies are decoded", "[unit][warc]") {
    const std::string body = "Qatar is acting as a mediator between Hamas and officials from the United States.";
    SECTION("chunked") {
        auto r = parse_http_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk(body));
        REQUIRE(r.has_value());
        CHECK(r->body == body);
    }
    SECTION("gzip inside chunked") {
        auto r = parse_http_response("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" +
                                     chunk(test::gzip_bytes(body)));
        REQUIRE(r.has_value());
        CHECK(r->body == body);
    }
    SECTION("deflate, zlib-wrapped and raw") {
        for (int bits : {15, -15}) {
            auto r =
                parse_http_response("HTTP/1.1 200 OK\nContent-Encoding: deflate\n\n" + test::gzip_bytes(body, bits));
            REQUIRE(r.has_value());
            CHECK(r->body == body);
        }
    }
    SECTION("folded header lines and LF-only heads") {
        auto r = parse_http_response("HTTP/1.0 404 Not Found\nX-Long: a\n  b\n\nnope");
        REQUIRE(r.has_value());
        CHECK(r->status == 404);
        CHECK(r->headers.at(0).value == "a b");
        CHECK(r->body == "nope");
    }
    SECTION("codings that cannot be undone are Errors") {
        CHECK_FALSE(parse_http_response("HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx").has_value());
        CHECK_FALSE(parse_http_response("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\nnot gzip").has_value());
        auto gz = test::gzip_bytes(body);
        CHECK_FALSE(
            parse_http_response("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n" + gz.substr(0, gz.size() / 2))
                .has_value());
        CHECK_FALSE(parse_http_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n")
                        .has_value());
        CHECK_FALSE(
            parse_http_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nff\r\nab\r\n").has_value());
        CHECK_FALSE(parse_http_response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab").has_value());
        CHECK_FALSE(parse_http_response("HTTP/1.1 OK\r\n\r\n").has_value());
        CHECK_FALSE(parse_http_response("HTTP/1.1 200 OK\r\nno blank line").has_value());
        CHECK_FALSE(
            parse_http_response(
                "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n" + test::gzip_bytes(std::string(10000, 'a')), 100)
                .has_value());
    }
}

TEST_CASE("reader: SHA-256 digests in hex and base32", "[unit][warc]") {
    const std::string body = "<p>the best option</p>";
    const std::string block = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk(body);
    const std::string raw_payload = chunk(body);
    auto make = [&](std::string block_digest, std::string payload_digest) {
        WarcRecord r;
        r.version = "WARC/1.1";
        r.headers = {{"WARC-Type", "response"},
                     {"Content-Type", "application/http; msgtype=response"},
                     {"WARC-Block-Digest", std::move(block_digest)},
                     {"WARC-Payload-Digest", std::move(payload_digest)}};
        r.block = block;
        r.block_length = block.size();
        return r;
    };
    std::string block_hex = test::openssl_sha256_hex(block);
    std::string block_b32 = base32_encode(*from_hex(block_hex));
    CHECK(base32_decode(block_b32) == from_hex(block_hex));
    std::string upper_hex = block_hex;
    for (auto& c : upper_hex)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));

    // Payload digests over the raw chunked bytes and over the de-chunked body are both seen in the wild.
    auto raw = make("sha256:" + block_hex, "sha256:" + test::openssl_sha256_hex(raw_payload));
    CHECK(verify_digests(raw).block == DigestStatus::match);
    CHECK(verify_digests(raw).payload == DigestStatus::match);
    auto dechunked = make("SHA256:" + upper_hex, "sha256:" + base32_encode(*from_hex(test::openssl_sha256_hex(body))));
    CHECK(verify_digests(dechunked).block == DigestStatus::match);
    CHECK(verify_digests(dechunked).payload == DigestStatus::match);
    auto b32 = make("sha256:" + block_b32, "sha1:CCHXETFVJD2MUZY6ND6SS7ZENMWF7KQ2");
    CHECK(verify_digests(b32).block == DigestStatus::match);
    CHECK(verify_digests(b32).payload == DigestStatus::not_checkable);
    auto wrong = make("sha256:" + test::openssl_sha256_hex("other"), "sha256:zz");
    CHECK(verify_digests(wrong).block == DigestStatus::mismatch);
    CHECK(verify_digests(wrong).payload == DigestStatus::malformed);
    CHECK_FALSE(verify_digests(wrong).ok());
    auto none = make("", "");
    none.headers.resize(2);
    CHECK(verify_digests(none).block == DigestStatus::absent);
    CHECK(verify_digests(none).ok());
}
