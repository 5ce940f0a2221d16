#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <regex>
#include <string>

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

std::string big_body() {
    std::string s = "<html><body>";
    for (int i = 0; i < 2000; ++i)
        s += "<p>Adding even more complexity to the talks " + std::to_string(i) + "</p>\n";
    return s + "</body></html>";
}

}  // namespace

TEST_CASE("writer: file name, warcinfo and a fresh file per writer", "[unit][warc]") {
    TempDir tmp;
    auto clock = test::capture_clock();
    auto w1 = WarcWriter::open(tmp / "warc", clock);
    REQUIRE(w1.has_value());
    auto w2 = WarcWriter::open(tmp / "warc", clock);
    REQUIRE(w2.has_value());
    std::string pid = std::to_string(::getpid());
    CHECK(w1->path().filename() == "provcheck-20231019081500-" + pid + "-0.warc.gz");
    CHECK(w2->path().filename() == "provcheck-20231019081500-" + pid + "-1.warc.gz");

    auto scan = scan_warc(w1->path());
    REQUIRE_FALSE(scan.error.has_value());
    REQUIRE(scan.records.size() == 1);
    const auto& info = scan.records[0];
    CHECK(info.version == "WARC/1.1");
    CHECK(info.type() == "warcinfo");
    CHECK(info.date() == "2023-10-19T08:15:00Z");
    CHECK_THAT(info.block, Catch::Contains(std::string("software: provcheck/") + PROVCHECK_VERSION + "\r\n"));
    CHECK_THAT(info.block, Catch::Contains("format: WARC File Format 1.1\r\n"));
    CHECK(verify_digests(info).block == DigestStatus::match);
}

TEST_CASE("writer: round trip of HTTP and resource exchanges", "[unit][warc]") {
    TempDir tmp;
    auto clock = test::capture_clock();
    auto writer = WarcWriter::open(tmp / "warc", clock);
    REQUIRE(writer.has_value());

    Exchange http = test::sample_exchange("https://www.nytimes.com/2023/10/17/us/politics/hostages.html", big_body());
    Exchange redirect = test::sample_exchange("https://t.co/g4TcNbYW6U", "");
    redirect.status = 301;
    redirect.status_line = "HTTP/1.1 301 Moved Permanently";
    redirect.headers = {{"Location", "https://palestinechronicle.com/live"}, {"Content-Length", "0"}};
    redirect.content_type = "";
    redirect.fetched_at = "2023-10-19T08:15:01.250Z";
    Exchange cut = test::sample_exchange("https://example.org/large", "partial");
    cut.headers = {{"Content-Type", "text/plain"}, {"Content-Length", "99999"}};
    cut.content_type = "text/plain";
    cut.truncated = "length";
    Exchange file;
    file.url = "file:///home/u/source.html";
    file.is_resource = true;
    file.status = 200;
    file.content_type = "text/html";
    file.body = "<p>\xe2\x80\x9cTo sacrifice hostages\xe2\x80\x9d</p>";
    file.fetched_at = "2023-10-19T08:16:00Z";

    std::vector<Exchange> all{http, redirect, cut, file};
    std::vector<ExchangeSink::Stored> stored;
    for (const auto& ex : all) {
        auto s = writer->store(ex);
        REQUIRE(s.has_value());
        stored.push_back(*s);
    }
    const std::string file_name = writer->path().filename().string();
    const std::string raw = test::read_bytes(writer->path());

    for (std::size_t i = 0; i < all.size(); ++i) {
        const auto& ex = all[i];
        const auto& s = stored[i];
        CAPTURE(ex.url);
        CHECK(s.ref.warc_file == "warc/" + file_name);
        CHECK(std::regex_match(
            s.ref.record_id,
            std::regex("<urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}>")));
        // Each record is a gzip member of its own, readable from its offset alone.
        REQUIRE(s.ref.offset + s.ref.length <= raw.size());
        std::string member = test::gunzip_member(std::string_view(raw).substr(s.ref.offset, s.ref.length));
        CHECK(member.starts_with("WARC/1.1\r\n"));
        CHECK(member.ends_with("\r\n\r\n"));

        auto rec = read_record_at(writer->path(), s.ref.offset);
        REQUIRE(rec.has_value());
        CHECK(rec->record_id() == s.ref.record_id);
        CHECK(rec->length == s.ref.length);
        CHECK_FALSE(rec->shares_member);
        CHECK(rec->target_uri() == ex.url);
        // Digests as an independent computation gives them.
        CHECK(s.payload_sha256 == test::openssl_sha256_hex(ex.body));
        CHECK(s.block_sha256 == test::openssl_sha256_hex(rec->block));
        CHECK(rec->block_digest() == "sha256:" + s.block_sha256);
        CHECK(rec->payload_digest() == "sha256:" + s.payload_sha256);
        auto check = verify_digests(*rec);
        CHECK(check.block == DigestStatus::match);
        CHECK(check.payload == DigestStatus::match);
        CHECK(rec->truncated() == (ex.truncated ? *ex.truncated : ""));
        if (ex.is_resource) {
            CHECK(rec->type() == "resource");
            CHECK(rec->content_type() == "text/html");
            CHECK(rec->block == ex.body);
            continue;
        }
        CHECK(rec->type() == "response");
        CHECK(rec->content_type() == "application/http;msgtype=response");
        CHECK(rec->ip_address() == "127.0.0.1");
        CHECK(rec->date() == ex.fetched_at);
        auto http_rec = parse_http_response(rec->block);
        REQUIRE(http_rec.has_value());
        CHECK(http_rec->body == ex.body);
        // The stored head describes the stored (decoded) body.
        CHECK(find_header(http_rec->headers, "Content-Encoding") == nullptr);
        CHECK(find_header(http_rec->headers, "Transfer-Encoding") == nullptr);
        REQUIRE(find_header(http_rec->headers, "Content-Length") != nullptr);
        CHECK(*find_header(http_rec->headers, "Content-Length") == std::to_string(ex.body.size()));
        // The request record names the response and the response the request.
        auto concurrent = rec->concurrent_to();
        REQUIRE(concurrent.size() == 1);
    }
    // The first exchange's original framing headers are kept aside.
    auto first = read_record_at(writer->path(), stored[0].ref.offset);
    REQUIRE(first.has_value());
    auto head = parse_http_response_head(first->block);
    REQUIRE(head.has_value());
    REQUIRE(find_header(head->headers, "X-Provcheck-Original-Content-Encoding") != nullptr);
    CHECK(*find_header(head->headers, "X-Provcheck-Original-Content-Encoding") == "gzip");
    CHECK(*find_header(head->headers, "X-Provcheck-Original-Transfer-Encoding") == "chunked");
    // A head that already fits its body is stored unchanged.
    auto second = read_record_at(writer->path(), stored[1].ref.offset);
    REQUIRE(second.has_value());
    CHECK(second->block ==
          "HTTP/1.1 301 Moved Permanently\r\nLocation: https://palestinechronicle.com/live\r\n"
          "Content-Length: 0\r\n\r\n");

    // Request and response name each other.
    auto scan = scan_warc(writer->path());
    REQUIRE_FALSE(scan.error.has_value());
    REQUIRE(scan.records.size() == 1 + 2 + 2 + 2 + 1);
    const auto& request = scan.records[1];
    const auto& response = scan.records[2];
    CHECK(request.type() == "request");
    CHECK(request.block == http.request_head);
    CHECK(request.concurrent_to().at(0) == response.record_id());
    CHECK(response.concurrent_to().at(0) == request.record_id());
    CHECK(request.header("WARC-Warcinfo-ID") != nullptr);
    CHECK(*request.header("WARC-Warcinfo-ID") == scan.records[0].record_id());

    // Replay gives back every field of every exchange.
    auto archive = WarcArchive::load({tmp / "warc"});
    REQUIRE(archive.has_value());
    CHECK(archive->size() == 4);
    for (const auto& ex : all) {
        CAPTURE(ex.url);
        auto back = test::replay_find(*archive, ex.url);
        REQUIRE(back.has_value());
        CHECK(back->url == ex.url);
        CHECK(back->is_resource == ex.is_resource);
        CHECK(back->request_head == ex.request_head);
        CHECK(back->status == ex.status);
        CHECK(back->status_line == ex.status_line);
        REQUIRE(back->headers.size() == ex.headers.size());
        for (std::size_t h = 0; h < ex.headers.size(); ++h) {
            CHECK(back->headers[h].name == ex.headers[h].name);
            CHECK(back->headers[h].value == ex.headers[h].value);
        }
        CHECK(back->content_type == ex.content_type);
        CHECK(back->body == ex.body);
        CHECK(back->remote_ip == ex.remote_ip);
        CHECK(back->fetched_at == ex.fetched_at);
        CHECK(back->truncated == ex.truncated);
    }
}

TEST_CASE("writer: a torn last record is detected and never trusted", "[unit][warc]") {
    TempDir tmp;
    auto clock = test::capture_clock();
    auto writer = WarcWriter::open(tmp / "warc", clock);
    REQUIRE(writer.has_value());
    auto a = writer->store(test::sample_exchange("https://example.org/a", "first body"));
    auto b = writer->store(test::sample_exchange("https://example.org/b", big_body()));
    REQUIRE(a.has_value());
    REQUIRE(b.has_value());
    const auto path = writer->path();
    const std::string whole = test::read_bytes(path);
    REQUIRE(b->ref.offset + b->ref.length == whole.size());

    // Cut inside the last member's data, and cut only its 8-byte gzip trailer: both are torn.
    for (std::size_t cut : {b->ref.length / 2, std::size_t{4}, std::size_t{1}}) {
        CAPTURE(cut);
        test::write_bytes(path, std::string_view(whole).substr(0, whole.size() - cut));
        auto scan = scan_warc(path);
        REQUIRE(scan.error.has_value());
        CHECK_THAT(scan.error->message,
                   Catch::Contains(path.string()) && Catch::Contains("offset " + std::to_string(b->ref.offset)));
        // warcinfo, the first request/response pair, the second request; never the torn response.
        REQUIRE(scan.records.size() == 4);
        CHECK(scan.records.back().type() == "request");
        auto torn = read_record_at(path, b->ref.offset);
        CHECK_FALSE(torn.has_value());
        auto intact = read_record_at(path, a->ref.offset);
        REQUIRE(intact.has_value());
        CHECK(verify_digests(*intact).ok());
        auto strict = WarcArchive::load({path});
        CHECK_FALSE(strict.has_value());
        auto lenient = WarcArchive::load({path}, OnDamage::keep_readable);
        REQUIRE(lenient.has_value());
        CHECK(lenient->problems().size() == 1);
        CHECK(test::replay_find(*lenient, "https://example.org/a").has_value());
        CHECK_FALSE(test::replay_find(*lenient, "https://example.org/b").has_value());
    }
    // Bytes that are not gzip after the last member.
    test::write_bytes(path, whole + "garbage");
    auto scan = scan_warc(path);
    CHECK(scan.records.size() == 5);
    REQUIRE(scan.error.has_value());
    CHECK_THAT(scan.error->message, Catch::Contains("offset " + std::to_string(whole.size())));
}

TEST_CASE("writer: a flipped byte in a stored body fails verify_digests", "[unit][warc]") {
    TempDir tmp;
    auto clock = test::capture_clock();
    auto writer = WarcWriter::open(tmp / "warc", clock);
    REQUIRE(writer.has_value());
    REQUIRE(writer->store(test::sample_exchange("https://example.org/a", "30 countries are among the hostages")));
    std::string plain = test::gunzip_all(test::read_bytes(writer->path()));
    auto at = plain.find("30 countries");
    REQUIRE(at != std::string::npos);
    plain[at] = '4';
    auto flipped = tmp / "flipped.warc";
    test::write_bytes(flipped, plain);
    auto scan = scan_warc(flipped);
    REQUIRE_FALSE(scan.error.has_value());
    REQUIRE(scan.records.size() == 3);
    auto check = verify_digests(scan.records[2]);
    CHECK(check.block == DigestStatus::mismatch);
    CHECK(check.payload == DigestStatus::mismatch);
    CHECK_FALSE(check.ok());
    CHECK(verify_digests(scan.records[1]).ok());  // the request is untouched
}

TEST_CASE("writer: bad input and unwritable places are Errors", "[unit][warc]") {
    TempDir tmp;
    auto clock = test::capture_clock();
    test::write_bytes(tmp / "plain-file", "x");
    CHECK_FALSE(WarcWriter::open(tmp / "plain-file", clock).has_value());
    CHECK_FALSE(WarcWriter::open(tmp / "plain-file" / "warc", clock).has_value());

    auto writer = WarcWriter::open(tmp / "warc", clock);
    REQUIRE(writer.has_value());
    auto size_before = std::filesystem::file_size(writer->path());
    auto injected = test::sample_exchange("https://example.org/a", "body");
    injected.headers.push_back({"X-Evil", "a\r\nWARC-Type: resource"});
    CHECK_FALSE(writer->store(injected).has_value());
    auto no_status = test::sample_exchange("https://example.org/a", "body");
    no_status.status_line.clear();
    CHECK_FALSE(writer->store(no_status).has_value());
    auto bad_date = test::sample_exchange("https://example.org/a", "body");
    bad_date.fetched_at = "yesterday";
    CHECK_FALSE(writer->store(bad_date).has_value());
    auto bad_url = test::sample_exchange("https://example.org/a\r\nX: y", "body");
    CHECK_FALSE(writer->store(bad_url).has_value());
    CHECK(std::filesystem::file_size(writer->path()) == size_before);

    // Offsets in another time zone are written in UTC.
    auto zoned = test::sample_exchange("https://example.org/z", "body");
    zoned.fetched_at = "2023-10-19T10:15:00+02:00";
    auto s = writer->store(zoned);
    REQUIRE(s.has_value());
    auto rec = read_record_at(writer->path(), s->ref.offset);
    REQUIRE(rec.has_value());
    CHECK(rec->date() == "2023-10-19T08:15:00Z");

    // A moved writer keeps writing to the same file.
    WarcWriter moved = std::move(*writer);
    REQUIRE(moved.store(test::sample_exchange("https://example.org/m", "moved")).has_value());
    CHECK(scan_warc(moved.path()).records.size() == 1 + 2 + 2);
}

TEST_CASE("writer: a 304 is a server-not-modified revisit that replays as the original", "[unit][warc]") {
    TempDir tmp;
    auto clock = test::capture_clock();
    auto w = WarcWriter::open(tmp / "warc", clock);
    REQUIRE(w.has_value());

    Exchange first;
    first.url = "https://www.nytimes.com/x";
    first.request_head = "GET /x HTTP/1.1\r\nHost: www.nytimes.com\r\n\r\n";
    first.status = 200;
    first.status_line = "HTTP/1.1 200 OK";
    first.headers = {{"Content-Type", "text/html"}, {"ETag", "\"v1\""}};
    first.content_type = "text/html";
    first.body = "<p>more than 30 countries</p>";
    first.fetched_at = "2023-10-19T08:15:00Z";
    auto original = w->store(first);
    REQUIRE(original.has_value());

    CachedResponse entry;
    entry.url = first.url;
    entry.etag = "\"v1\"";
    entry.stored = original->ref;
    entry.block_sha256 = original->block_sha256;
    entry.payload_sha256 = original->payload_sha256;
    entry.fetched_at = first.fetched_at;
    entry.validated_at = first.fetched_at;

    Exchange not_modified;
    not_modified.url = first.url;
    not_modified.request_head = "GET /x HTTP/1.1\r\nHost: www.nytimes.com\r\nIf-None-Match: \"v1\"\r\n\r\n";
    not_modified.status = 304;
    not_modified.status_line = "HTTP/1.1 304 Not Modified";
    not_modified.headers = {{"ETag", "\"v1\""}};
    not_modified.fetched_at = "2023-10-20T09:00:00Z";
    auto revisit = w->store_revisit(not_modified, entry);
    REQUIRE(revisit.has_value());
    CHECK(revisit->payload_sha256 == original->payload_sha256);
    CHECK(revisit->ref.record_id != original->ref.record_id);
    REQUIRE(w->sync().has_value());

    auto scan = scan_warc(w->path());
    REQUIRE_FALSE(scan.error.has_value());
    REQUIRE(scan.records.size() == 5);  // warcinfo, request, response, request, revisit
    const WarcRecord& rec = scan.records[4];
    CHECK(rec.type() == "revisit");
    REQUIRE(rec.header("WARC-Profile") != nullptr);
    CHECK(*rec.header("WARC-Profile") == "http://netpreserve.org/warc/1.1/revisit/server-not-modified");
    CHECK(rec.refers_to() == original->ref.record_id);
    CHECK(rec.refers_to_target_uri() == "https://www.nytimes.com/x");
    CHECK(rec.refers_to_date() == "2023-10-19T08:15:00Z");
    CHECK(rec.date() == "2023-10-20T09:00:00Z");
    CHECK(verify_digests(rec).block == DigestStatus::match);
    CHECK_THAT(rec.block, Catch::StartsWith("HTTP/1.1 304 Not Modified\r\n"));

    // Replay stands the revisit for the original: status and body as first served.
    auto archive = WarcArchive::load({tmp / "warc"});
    REQUIRE(archive.has_value());
    auto replayed = test::replay_find(*archive, "https://www.nytimes.com/x");
    REQUIRE(replayed.has_value());
    CHECK(replayed->status == 200);
    CHECK(replayed->body == first.body);

    // The stored original is loaded back by its reference.
    auto loaded = load_stored_exchange(tmp / "warc", original->ref);
    REQUIRE(loaded.has_value());
    CHECK(loaded->status == 200);
    CHECK(loaded->body == first.body);
    CHECK(loaded->fetched_at == "2023-10-19T08:15:00Z");
    auto etag =
        std::find_if(loaded->headers.begin(), loaded->headers.end(), [](const Header& h) { return h.name == "ETag"; });
    REQUIRE(etag != loaded->headers.end());
    CHECK(etag->value == "\"v1\"");
    // A reference naming another record is refused, not served.
    StoredRecordRef wrong = original->ref;
    wrong.record_id = revisit->ref.record_id;
    CHECK_FALSE(load_stored_exchange(tmp / "warc", wrong).has_value());
    CHECK_FALSE(load_stored_exchange(tmp / "warc", revisit->ref).has_value());  // a revisit holds no response
}

TEST_CASE("writer: a revisit without the original's id or digest is refused", "[unit][warc]") {
    TempDir tmp;
    auto clock = test::capture_clock();
    auto w = WarcWriter::open(tmp / "warc", clock);
    REQUIRE(w.has_value());
    Exchange not_modified;
    not_modified.url = "https://www.nytimes.com/x";
    not_modified.status = 304;
    not_modified.status_line = "HTTP/1.1 304 Not Modified";
    not_modified.fetched_at = "2023-10-20T09:00:00Z";
    CachedResponse entry;
    entry.url = not_modified.url;
    CHECK_FALSE(w->store_revisit(not_modified, entry).has_value());
    auto scan = scan_warc(w->path());
    CHECK(scan.records.size() == 1);  // only the warcinfo
}

TEST_CASE("writer: a payload spooled to disk is stored exactly as the same payload in memory", "[unit][warc]") {
    TempDir tmp;
    auto clock = test::capture_clock();
    auto writer = WarcWriter::open(tmp / "warc", clock);
    REQUIRE(writer.has_value());

    // Several megabytes, so compression runs over many pieces of the spool file.
    std::string body;
    for (int i = 0; body.size() < 5'000'000; ++i)
        body += "<p>Paragraph " + std::to_string(i * 7919 % 100003) + " of a long page</p>\n";
    Exchange in_memory = test::sample_exchange("https://example.org/long", body);
    Exchange on_disk = in_memory;
    on_disk.body.clear();
    auto spool = SpoolFile::create(tmp / "spool");
    REQUIRE(spool.has_value());
    REQUIRE((*spool)->append(body).has_value());
    on_disk.spooled = *spool;
    Exchange binary = test::sample_exchange("https://example.org/photo.jpg", "");
    binary.headers = {{"Content-Type", "image/jpeg"}};
    binary.content_type = "image/jpeg";
    binary.truncated = "length";
    auto binary_spool = SpoolFile::create(tmp / "spool");
    REQUIRE(binary_spool.has_value());
    std::string pixels(1'500'000, '\0');
    for (std::size_t i = 0; i < pixels.size(); ++i)
        pixels[i] = static_cast<char>((i * 2654435761U) >> 13);
    REQUIRE((*binary_spool)->append(pixels).has_value());
    binary.spooled = *binary_spool;

    auto a = writer->store(in_memory);
    auto b = writer->store(on_disk);
    auto c = writer->store(binary);
    REQUIRE(a.has_value());
    REQUIRE(b.has_value());
    REQUIRE(c.has_value());
    CHECK(b->payload_sha256 == a->payload_sha256);
    CHECK(b->block_sha256 == a->block_sha256);
    CHECK(b->payload_sha256 == test::openssl_sha256_hex(body));
    CHECK(c->payload_sha256 == test::openssl_sha256_hex(pixels));
    // Text is compressed; bytes that look compressed already are stored as they are, not squeezed in vain.
    CHECK(b->ref.length < body.size() / 4);
    CHECK(c->ref.length > pixels.size());
    CHECK(c->ref.length < pixels.size() + 4096);

    // The payload in memory was compressed two pieces at a time: one gzip member all the same, which
    // zlib's own reader inflates whole, about as small as the one compressed in one go.
    const std::string raw = test::read_bytes(writer->path());
    const std::string joined = test::gunzip_member(std::string_view(raw).substr(a->ref.offset, a->ref.length));
    CHECK(joined.ends_with(body + "\r\n\r\n"));
    CHECK(static_cast<double>(a->ref.length) < 1.02 * static_cast<double>(b->ref.length));
    auto whole = read_record_at(writer->path(), a->ref.offset);
    REQUIRE(whole.has_value());
    CHECK(whole->length == a->ref.length);
    CHECK(verify_digests(*whole).block == DigestStatus::match);
    CHECK(verify_digests(*whole).payload == DigestStatus::match);

    auto rec = read_record_at(writer->path(), b->ref.offset);
    REQUIRE(rec.has_value());
    CHECK(rec->length == b->ref.length);
    CHECK(rec->record_id() == b->ref.record_id);
    auto check = verify_digests(*rec);
    CHECK(check.block == DigestStatus::match);
    CHECK(check.payload == DigestStatus::match);
    auto http = parse_http_response(rec->block);
    REQUIRE(http.has_value());
    CHECK(http->body == body);
    CHECK(*find_header(http->headers, "Content-Length") == std::to_string(body.size()));

    auto photo = read_record_at(writer->path(), c->ref.offset);
    REQUIRE(photo.has_value());
    CHECK(photo->truncated() == "length");
    CHECK(verify_digests(*photo).payload == DigestStatus::match);
    auto loaded = load_stored_exchange(tmp / "warc", c->ref, c->payload_sha256);
    REQUIRE(loaded.has_value());
    CHECK(loaded->body == pixels);
}

TEST_CASE("writer: a spooled payload that cannot be read is an Error and writes nothing", "[unit][warc]") {
    TempDir tmp;
    auto clock = test::capture_clock();
    auto writer = WarcWriter::open(tmp / "warc", clock);
    REQUIRE(writer.has_value());
    REQUIRE(writer->store(test::sample_exchange("https://example.org/before", "kept")).has_value());
    const auto size_before = std::filesystem::file_size(writer->path());

    // A spool file whose recorded size runs past its real end, as a file cut short under it would.
    auto spool = SpoolFile::create(tmp / "spool");
    REQUIRE(spool.has_value());
    REQUIRE((*spool)->append(std::string(3'000'000, 'x')).has_value());
    Exchange ex = test::sample_exchange("https://example.org/cut", "");
    ex.spooled = *spool;
    // Shorten the file behind the spool's back through /proc: the spool still believes its size.
    const auto fd_dir = std::filesystem::path("/proc/self/fd");
    bool shortened = false;
    for (const auto& e : std::filesystem::directory_iterator(fd_dir)) {
        std::error_code ec;
        auto target = std::filesystem::read_symlink(e.path(), ec);
        if (!ec && target.string().find((tmp / "spool").string()) == 0) {
            std::filesystem::resize_file(e.path(), 1'500'000, ec);
            shortened = !ec;
        }
    }
    REQUIRE(shortened);

    auto stored = writer->store(ex);
    REQUIRE_FALSE(stored.has_value());
    CHECK(stored.error().code == ErrorCode::io);
    CHECK(std::filesystem::file_size(writer->path()) == size_before);
    REQUIRE(writer->store(test::sample_exchange("https://example.org/after", "kept too")).has_value());
    auto scan = scan_warc(writer->path());
    REQUIRE_FALSE(scan.error.has_value());
    CHECK(scan.records.size() == 1 + 2 + 2);
}

TEST_CASE("writer: payloads compressed in pieces read back whole at every piece count", "[unit][warc]") {
    TempDir tmp;
    auto clock = test::capture_clock();
    auto writer = WarcWriter::open(tmp / "warc", clock);
    REQUIRE(writer.has_value());
    // Two pieces exactly, three with a short last one, five with one byte in the last.
    for (std::size_t size : {std::size_t{512} * 1024, std::size_t{700} * 1024, std::size_t{1024} * 1024 + 1}) {
        CAPTURE(size);
        std::string body;
        for (int i = 0; body.size() < size; ++i)
            body += "<li>item " + std::to_string(i * 31 % 977) + "</li>";
        body.resize(size);
        auto s = writer->store(test::sample_exchange("https://example.org/" + std::to_string(size), body));
        REQUIRE(s.has_value());
        CHECK(s->payload_sha256 == test::openssl_sha256_hex(body));
        const std::string raw = test::read_bytes(writer->path());
        const std::string member = test::gunzip_member(std::string_view(raw).substr(s->ref.offset, s->ref.length));
        CHECK(member.starts_with("WARC/1.1\r\n"));
        CHECK(member.ends_with(body + "\r\n\r\n"));
        auto rec = read_record_at(writer->path(), s->ref.offset);
        REQUIRE(rec.has_value());
        CHECK(verify_digests(*rec).block == DigestStatus::match);
        CHECK(verify_digests(*rec).payload == DigestStatus::match);
    }
}
