// Memory bounds of the capture stage: large bodies wait on disk while they arrive and are archived from
// there; only text is read into memory; the bodies remembered for asking again stay within their bound.
#include <fmt/format.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <string>

#include "capture/capturer.hpp"
#include "core/hash.hpp"
#include "support/fixture_server.hpp"
#include "support/gzip.hpp"
#include "support/loopback.hpp"
#include "support/temp_dir.hpp"
#include "warc/warc_archive.hpp"
#include "warc/warc_writer.hpp"

namespace provcheck {

namespace {

const SystemClock spool_clock;

const RuleSet& spool_rules() {
    static const RuleSet rules = load_rules().value();
    return rules;
}

test::Route route(std::string host, std::string path, std::string body, std::string content_type) {
    test::Route r;
    r.host = std::move(host);
    r.path = std::move(path);
    r.body = std::move(body);
    r.content_type = std::move(content_type);
    return r;
}

// A long HTML page whose last paragraph is the one a quotation would come from.
std::string long_page(std::size_t at_least) {
    std::string s = "<!doctype html><html><head><title>Long</title></head><body><article>";
    for (int i = 0; s.size() < at_least; ++i)
        s += fmt::format("<p>Paragraph {} of the long report, kept for the record.</p>\n", i);
    return s + "<p>The last paragraph says more than 30 countries.</p></article></body></html>";
}

std::string noise(std::size_t n) {
    std::string s(n, '\0');
    std::uint32_t x = 2463534242U;
    for (auto& c : s) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = static_cast<char>(x & 0xff);
    }
    return s;
}

// Loopback options that spool any body past `above` bytes into `spool_dir`.
FetchOptions spooling_options(const test::FixtureServer& server, const std::filesystem::path& spool_dir,
                              std::size_t above = 64 * 1024) {
    FetchOptions opts = test::loopback_fetch_options(server, 10);
    // Megabytes from a sanitizer-built server on a busy machine: the deadline is for a server that hangs, not for
    // a slow one.
    opts.timeout_s = 120;
    opts.speed_time_s = 120;
    opts.spool_above = above;
    opts.spool_dir = spool_dir;
    return opts;
}

std::size_t entries_in(const std::filesystem::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir))
        ++n;
    return n;
}

}  // namespace

TEST_CASE("A body larger than spool_above waits on disk, is archived from there, and text is read whole",
          "[integration]") {
    test::FixtureServer server{test::FixtureServerOptions{}};
    const std::string html = long_page(3 << 20);
    const std::string video = noise(2 << 20);
    const std::string pdf = "%PDF-1.7\n" + noise(2 << 20);
    server.add_route(route("big.example", "/report.html", html, "text/html; charset=utf-8"));
    server.add_route(route("big.example", "/briefing.mp4", video, "video/mp4"));
    server.add_route(route("big.example", "/report.pdf", pdf, "application/pdf"));
    server.add_route(route("big.example", "/download", pdf, "application/octet-stream"));
    server.add_route(route("big.example", "/small.html", "<p>small</p>", "text/html"));
    test::TempDir dir;
    auto writer = WarcWriter::open(dir / "warc", spool_clock);
    REQUIRE(writer.has_value());
    FetchOptions opts = spooling_options(server, dir / "spool");
    Capturer capturer(opts, spool_rules(), &*writer, nullptr, spool_clock);

    auto caps = capturer.capture_urls({"http://big.example/report.html", "http://big.example/briefing.mp4",
                                       "http://big.example/small.html", "http://big.example/report.pdf",
                                       "http://big.example/download"});
    REQUIRE(caps.size() == 5);
    const Capture& page = caps[0];
    const Capture& doc = caps[1];
    INFO((page.failure ? page.failure->message : std::string("ok")));
    INFO((doc.failure ? doc.failure->message : std::string("ok")));
    REQUIRE(page.ok());
    REQUIRE(doc.ok());
    REQUIRE(caps[2].ok());

    // Text comes back whole, as if it had never left memory.
    CHECK(page.body == html);
    CHECK(page.payload_sha256 == sha256_hex(html));
    // A video is archived and hashed, but never read into memory; a PDF is read whole, to be read as a source.
    CHECK(doc.body.empty());
    CHECK(doc.content_type == "video/mp4");
    CHECK(doc.payload_sha256 == sha256_hex(video));
    CHECK(caps[2].body == "<p>small</p>");
    REQUIRE(caps[3].ok());
    CHECK(caps[3].content_type == "application/pdf");
    CHECK(caps[3].body == pdf);
    // A PDF served as a download of no particular type is known by its first bytes, and read the same.
    REQUIRE(caps[4].ok());
    CHECK(caps[4].content_type == "application/octet-stream");
    CHECK(caps[4].body == pdf);

    // The archive holds the bytes as served, under the digests the captures carry.
    for (const auto& [c, served] :
         {std::pair{&page, &html}, std::pair{&doc, &video}, std::pair{static_cast<const Capture*>(&caps[3]), &pdf}}) {
        REQUIRE(c->stored.has_value());
        auto back = load_stored_exchange(dir / "warc", *c->stored, c->payload_sha256);
        REQUIRE(back.has_value());
        CHECK(back->body == *served);
    }
    // Spool files are unnamed: nothing is left where they were.
    REQUIRE(std::filesystem::exists(dir / "spool"));
    CHECK(entries_in(dir / "spool") == 0);
}

TEST_CASE("The body cap holds for a spooled body: a gzip bomb is cut at max_filesize on disk", "[integration]") {
    test::FixtureServer server{test::FixtureServerOptions{}};
    const std::string text(6 << 20, 'a');
    test::Route r = route("bomb.example", "/", "", "text/plain");
    r.handler = [compressed = test::gzip_bytes(text)](const httplib::Request&, httplib::Response& res) {
        res.set_header("Content-Encoding", "gzip");
        res.set_content(compressed, "text/plain");
    };
    server.add_route(r);
    test::TempDir dir;
    auto writer = WarcWriter::open(dir / "warc", spool_clock);
    REQUIRE(writer.has_value());
    FetchOptions opts = spooling_options(server, dir / "spool", 100 * 1000);
    opts.max_filesize = 1 << 20;
    Capturer capturer(opts, spool_rules(), &*writer, nullptr, spool_clock);
    Capture c = capturer.capture_urls({"http://bomb.example/"})[0];
    CHECK(c.ok());
    CHECK(c.truncated == "length");
    CHECK(c.body == text.substr(0, opts.max_filesize));
    REQUIRE(c.stored.has_value());
    auto back = load_stored_exchange(dir / "warc", *c.stored, c.payload_sha256);
    REQUIRE(back.has_value());
    CHECK(back->body.size() == opts.max_filesize);
    CHECK(back->truncated == "length");
}

TEST_CASE("A large body cut off by the server is kept from disk, marked truncated \"disconnect\"", "[integration]") {
    test::FixtureServer server{test::FixtureServerOptions{}};
    const std::string half = long_page(1 << 20);
    test::Route r = route("cut.example", "/", "", "text/html");
    r.handler = [&half](const httplib::Request&, httplib::Response& res) {
        // Promises twice what it sends, then hangs up.
        res.set_content_provider(half.size() * 2, "text/html",
                                 [&half](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                                     if (offset >= half.size()) return false;
                                     sink.write(half.data() + offset, half.size() - offset);
                                     return true;
                                 });
    };
    server.add_route(r);
    test::TempDir dir;
    auto writer = WarcWriter::open(dir / "warc", spool_clock);
    REQUIRE(writer.has_value());
    FetchOptions opts = spooling_options(server, dir / "spool");
    opts.retries = 0;
    Capturer capturer(opts, spool_rules(), &*writer, nullptr, spool_clock);
    Capture c = capturer.capture_urls({"http://cut.example/"})[0];
    REQUIRE_FALSE(c.ok());
    CHECK(c.truncated == "disconnect");
    REQUIRE(c.stored.has_value());
    auto back = load_stored_exchange(dir / "warc", *c.stored, c.payload_sha256);
    REQUIRE(back.has_value());
    CHECK(back->truncated == "disconnect");
    CHECK(back->body == half);
}

TEST_CASE("A body that cannot be spooled fails its capture as io, saying where", "[integration]") {
    test::FixtureServer server{test::FixtureServerOptions{}};
    server.add_route(route("big.example", "/", long_page(1 << 20), "text/html"));
    test::TempDir dir;
    {
        std::FILE* f = std::fopen((dir / "not-a-dir").c_str(), "w");
        REQUIRE(f != nullptr);
        std::fclose(f);
    }
    FetchOptions opts = spooling_options(server, dir / "not-a-dir" / "spool");
    opts.retries = 0;
    Capturer capturer(opts, spool_rules(), nullptr, nullptr, spool_clock);
    Capture c = capturer.capture_urls({"http://big.example/"})[0];
    REQUIRE_FALSE(c.ok());
    CHECK(c.failure->cls == FailureClass::io);
    CHECK_THAT(c.failure->message, Catch::Contains("not-a-dir"));
}

TEST_CASE("Bodies remembered for asking again stay within the loader's bound", "[integration]") {
    test::FixtureServer server{test::FixtureServerOptions{}};
    const std::string one = long_page(100 * 1000);
    const std::string two = long_page(120 * 1000);
    server.add_route(route("src.example", "/one", one, "text/html"));
    server.add_route(route("src.example", "/two", two, "text/html"));
    test::TempDir dir;
    auto writer = WarcWriter::open(dir / "warc", spool_clock);
    REQUIRE(writer.has_value());
    Capturer capturer(test::loopback_fetch_options(server, 10), spool_rules(), &*writer, nullptr, spool_clock);
    std::size_t loads = 0;
    capturer.set_body_loader(
        [&](const Capture& c) -> Result<std::string> {
            ++loads;
            auto back = load_stored_exchange(dir / "warc", *c.stored, c.payload_sha256);
            if (!back) return std::unexpected(back.error());
            return std::move(back->body);
        },
        150 * 1000);

    // Both are delivered whole the first time; only the first fits the bound and is kept.
    auto first = capturer.capture_urls({"http://src.example/one"});
    auto second = capturer.capture_urls({"http://src.example/two"});
    CHECK(first[0].body == one);
    CHECK(second[0].body == two);
    CHECK(loads == 0);

    CHECK(capturer.capture_urls({"http://src.example/one"})[0].body == one);
    CHECK(loads == 0);
    CHECK(capturer.capture_urls({"http://src.example/two"})[0].body == two);
    CHECK(loads == 1);
    // Neither was fetched twice.
    std::size_t requests = 0;
    for (const auto& r : server.requests())
        requests += r.host == "src.example" ? 1 : 0;
    CHECK(requests == 2);
}

}  // namespace provcheck
