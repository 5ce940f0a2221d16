// --replay applies --max-filesize as a live fetch does: a .warc.gz of a few kilobytes can hold a body of hundreds
// of megabytes, which is cut at the cap as it streams out of the archive, never inflated whole into memory; and
// a record that is in the archive is never reported as missing.
#include <catch2/catch.hpp>

#include <zlib.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <functional>
#include <string>

#include "security/hostile.hpp"
#include "warc/warc_archive.hpp"
#include "warc/warc_reader.hpp"

using nlohmann::json;
using namespace provcheck;

namespace {

// One WARC response record as one gzip member, its body made piece by piece by `piece(i)` for i < pieces, so
// that a record of hundreds of megabytes is written in a few kilobytes of memory (and of file, when the pieces
// repeat): the kind of archive a hostile source hands over.
void write_gzip_record(std::ofstream& out, const std::string& url, const std::string& http_head,
                       std::uint64_t body_bytes, const std::function<std::string(std::uint64_t)>& piece,
                       std::uint64_t piece_bytes) {
    const std::uint64_t block = http_head.size() + body_bytes;
    const std::string header =
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: " + url +
        "\r\nWARC-Date: 2023-10-17T12:00:00Z\r\nWARC-Record-ID: <urn:uuid:" +
        std::to_string(std::hash<std::string>{}(url)) +
        ">\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: " + std::to_string(block) +
        "\r\n\r\n" + http_head;
    z_stream zs{};
    REQUIRE(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string buf(1 << 16, '\0');
    auto feed = [&](const std::string& in, int flush) {
        zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
        zs.avail_in = static_cast<uInt>(in.size());
        do {
            zs.next_out = reinterpret_cast<Bytef*>(buf.data());
            zs.avail_out = static_cast<uInt>(buf.size());
            REQUIRE(deflate(&zs, flush) != Z_STREAM_ERROR);
            out.write(buf.data(), static_cast<std::streamsize>(buf.size() - zs.avail_out));
        } while (zs.avail_out == 0 || (flush == Z_FINISH && zs.avail_in != 0));
    };
    feed(header, Z_NO_FLUSH);
    for (std::uint64_t i = 0; i < body_bytes / piece_bytes; ++i)
        feed(piece(i), Z_NO_FLUSH);
    feed("\r\n\r\n", Z_FINISH);
    deflateEnd(&zs);
}

const std::string filler_paragraph = "<p>Nothing in these paragraphs was ever quoted by anyone at all.</p>\n";

// A source page of `size_mib` MiB that never says what the article quotes.
std::filesystem::path bomb_archive(const test::TempDir& dir, std::uint64_t size_mib) {
    const auto path = dir / ("bomb-" + std::to_string(size_mib) + ".warc.gz");
    std::ofstream out(path, std::ios::binary);
    const std::string piece = [] {
        std::string p;
        while (p.size() + filler_paragraph.size() <= 65536)
            p += filler_paragraph;
        p.resize(65536, ' ');
        return p;
    }();
    write_gzip_record(
        out, "https://www.nytimes.com/bomb", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n", size_mib << 20,
        [&](std::uint64_t) { return piece; }, 65536);
    REQUIRE(out.good());
    return path;
}

}  // namespace

TEST_CASE("--replay cuts a body at --max-filesize as a live fetch does, and never reads past it", "[security]") {
    test::TempDir dir;
    const auto archive_path = bomb_archive(dir, 60);
    CHECK(std::filesystem::file_size(archive_path) < (1u << 20));  // 60 MB of body in a small file

    // The reader the archive uses keeps the cap and says it cut there.
    auto archive = WarcArchive::load({archive_path});
    REQUIRE(archive.has_value());
    auto found = archive->find("https://www.nytimes.com/bomb", 1 << 20);
    REQUIRE(found.has_value());
    REQUIRE(found->has_value());
    CHECK((*found)->body.size() == (1u << 20));
    CHECK((*found)->truncated == "length");
    CHECK((*found)->status == 200);

    // Through the command: the claim is source_restricted (the source was cut), as with a live fetch, never
    // not_found after reading the whole body, nor "not in the replay archive".
    test::write_text(
        dir / "article.html",
        test::article_page("<p>“The mission was impossible from the start,” The New York Times "
                           "reported, <a href=\"https://www.nytimes.com/bomb\">citing officials</a>.</p>"));
    json report = test::check_json(
        dir, {(dir / "article.html").string(), "--replay", archive_path.string(), "--max-filesize", "1048576"});
    const json& claim = report["articles"][0]["claims"][0];
    INFO(claim.dump());
    CHECK(claim["verdict"] == "source_restricted");
    CHECK(claim["source"]["error"].is_null());
}

TEST_CASE("--replay: a record past the reader's block limit is replayed cut, not taken for missing", "[security]") {
    test::TempDir dir;
    const auto archive_path = bomb_archive(dir, 300);  // a Content-Length over 256 MiB
    auto archive = WarcArchive::load({archive_path});
    REQUIRE(archive.has_value());
    auto found = archive->find("https://www.nytimes.com/bomb", 4096);
    REQUIRE(found.has_value());
    REQUIRE(found->has_value());
    CHECK((*found)->body.size() == 4096u);
    CHECK((*found)->truncated == "length");
}

TEST_CASE("--replay: a record that is there but cannot be read says so instead of 'not in the archive'", "[security]") {
    test::TempDir dir;
    const auto path = dir / "odd.warc.gz";
    {
        std::ofstream out(path, std::ios::binary);
        write_gzip_record(
            out, "https://www.nytimes.com/odd",
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\n\r\n", 16,
            [](std::uint64_t) { return std::string(16, 'x'); }, 16);
    }
    auto archive = WarcArchive::load({path});
    REQUIRE(archive.has_value());
    auto found = archive->find("https://www.nytimes.com/odd", 1 << 20);
    REQUIRE_FALSE(found.has_value());
    CHECK(found.error().message.find("cannot replay it") != std::string::npos);
    CHECK(found.error().message.find("unsupported coding") != std::string::npos);
    auto missing = archive->find("https://www.nytimes.com/elsewhere", 1 << 20);
    REQUIRE(missing.has_value());
    CHECK_FALSE(missing->has_value());
}

TEST_CASE("read_payload_at undoes chunking and gzip as the record streams, and stops at the bound", "[security]") {
    test::TempDir dir;
    const auto path = dir / "coded.warc.gz";
    // 2 MiB of text, gzip'd, then chunked in pieces of 1000 bytes: as some crawlers store it.
    std::string text;
    while (text.size() < (2u << 20))
        text += filler_paragraph;
    std::string gz;
    {
        z_stream zs{};
        REQUIRE(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
        gz.resize(deflateBound(&zs, static_cast<uLong>(text.size())));
        zs.next_in = reinterpret_cast<Bytef*>(text.data());
        zs.avail_in = static_cast<uInt>(text.size());
        zs.next_out = reinterpret_cast<Bytef*>(gz.data());
        zs.avail_out = static_cast<uInt>(gz.size());
        REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
        gz.resize(zs.total_out);
        deflateEnd(&zs);
    }
    std::string chunked;
    for (std::size_t i = 0; i < gz.size(); i += 1000) {
        const std::string part = gz.substr(i, 1000);
        char size[32];
        std::snprintf(size, sizeof size, "%zx\r\n", part.size());
        chunked += size + part + "\r\n";
    }
    chunked += "0\r\n\r\n";
    {
        std::ofstream out(path, std::ios::binary);
        write_gzip_record(
            out, "https://example.org/coded",
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
            "Content-Encoding: gzip\r\n\r\n",
            chunked.size(), [&](std::uint64_t) { return chunked; }, chunked.size());
    }
    auto whole = read_payload_at(path, 0, 0, 8u << 20);
    REQUIRE(whole.has_value());
    CHECK_FALSE(whole->truncated);
    CHECK(whole->body == text);
    auto full_read = read_record_at(path, 0);
    REQUIRE(full_read.has_value());
    CHECK(parse_http_response(full_read->block)->body == text);  // the same as the reader that keeps it all

    auto cut = read_payload_at(path, 0, 0, 100000);
    REQUIRE(cut.has_value());
    CHECK(cut->truncated);
    CHECK(cut->body == text.substr(0, 100000));
}
