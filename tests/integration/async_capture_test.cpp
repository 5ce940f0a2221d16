// The Capturer's asynchronous form: completions that submit more while other transfers run, one fetch per
// URL however it is asked for, and bodies released and read back from the archive instead of refetched.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "capture/capturer.hpp"
#include "core/hash.hpp"
#include "support/fixture_server.hpp"
#include "support/loopback.hpp"
#include "support/temp_dir.hpp"
#include "warc/warc_reader.hpp"
#include "warc/warc_writer.hpp"

namespace provcheck {

namespace {

const SystemClock async_clock;

FetchOptions loopback(const test::FixtureServer& server) {
    FetchOptions o;
    o.connect_to = {fmt::format("::127.0.0.1:{}", server.port())};
    o.allow_private_addresses = true;
    o.timeout_s = 10;
    o.host_interval_ms = 0;
    return o;
}

std::size_t requests_for(const test::FixtureServer& server, std::string_view target) {
    std::size_t n = 0;
    for (const auto& r : server.requests())
        n += r.target == target ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("Completions submit follow-ups that go out while slower transfers run", "[integration]") {
    test::FixtureServer server{test::FixtureServerOptions{}};
    server.add_route(test::page_route("slow.example", "/page", "<p>slow</p>", 600));
    server.add_route(test::page_route("fast.example", "/page", "<p><a href=\"/next\">next</a></p>"));
    server.add_route(test::page_route("fast.example", "/next", "<p>next</p>"));
    const RuleSet rules = load_rules().value();
    Capturer capturer(loopback(server), rules, nullptr, nullptr, async_clock);

    std::vector<std::string> order;
    capturer.submit("http://slow.example/page", [&](Capture c) {
        CHECK(c.ok());
        order.push_back("slow");
    });
    capturer.submit("http://fast.example/page", [&](Capture c) {
        CHECK(c.ok());
        order.push_back("fast");
        capturer.submit("http://fast.example/next", [&](Capture next) {
            CHECK(next.body == "<p>next</p>");
            order.push_back("next");
        });
        // Asked for again while it is under way, and with another spelling: one fetch, two answers.
        capturer.submit("http://FAST.example/next#top", [&](Capture again) {
            CHECK(again.requested_url == "http://FAST.example/next#top");
            order.push_back("next again");
        });
    });
    REQUIRE(capturer.run().has_value());
    // The follow-up did not wait for the slow page: it was answered before it.
    CHECK(order == std::vector<std::string>{"fast", "next", "next again", "slow"});
    CHECK(requests_for(server, "/next") == 1);
    // Nothing left: a second run returns at once, and a URL asked for later comes from memory.
    REQUIRE(capturer.run().has_value());
    auto later = capturer.capture_urls({"http://fast.example/next"});
    CHECK(later[0].body == "<p>next</p>");
    CHECK(requests_for(server, "/next") == 1);
}

TEST_CASE("A released body is read back from the archive, never fetched again", "[integration]") {
    test::FixtureServer server{test::FixtureServerOptions{}};
    const std::string body = "<html><head><meta charset=\"windows-1252\"></head><body><p>caf\xe9</p></body></html>";
    test::Route r = test::page_route("src.example", "/report", body);
    r.content_type = "text/html; charset=windows-1252";
    server.add_route(r);
    test::TempDir dir;
    // As in a workspace: stored references are relative to the directory above the archive's.
    auto writer = WarcWriter::open(dir.path() / "warc", async_clock);
    REQUIRE(writer.has_value());
    const RuleSet rules = load_rules().value();
    Capturer capturer(loopback(server), rules, &*writer, nullptr, async_clock);

    Capture first = capturer.capture_urls({"http://src.example/report"})[0];
    REQUIRE(first.ok());
    REQUIRE(first.stored.has_value());
    CHECK(first.body.find("caf\xc3\xa9") != std::string::npos);  // decoded to UTF-8

    SECTION("without a loader, release keeps the body") {
        capturer.release("http://src.example/report");
        CHECK(capturer.capture_urls({"http://src.example/report"})[0].body == first.body);
    }
    SECTION("with a loader, the body comes back from the archive, decoded again") {
        std::size_t loads = 0;
        capturer.set_body_loader([&](const Capture& c) -> Result<std::string> {
            ++loads;
            auto record = read_record_at(dir.path() / c.stored->warc_file, c.stored->offset);
            if (!record) return std::unexpected(record.error());
            auto response = parse_http_response(record->block);
            if (!response) return std::unexpected(response.error());
            return response->body;
        });
        capturer.release("http://src.example/report");
        Capture again = capturer.capture_urls({"http://src.example/report"})[0];
        CHECK(loads == 1);
        CHECK(again.ok());
        CHECK(again.body == first.body);
        CHECK(again.payload_sha256 == first.payload_sha256);
        CHECK(again.charset == first.charset);
    }
    SECTION("a loader that fails gives a failed capture that says why") {
        capturer.set_body_loader(
            [](const Capture&) -> Result<std::string> { return fail(ErrorCode::io, "the archive file is gone"); });
        capturer.release("http://src.example/report");
        Capture again = capturer.capture_urls({"http://src.example/report"})[0];
        REQUIRE_FALSE(again.ok());
        CHECK(again.failure->cls == FailureClass::io);
        CHECK(again.failure->message.find("the archive file is gone") != std::string::npos);
    }
    CHECK(requests_for(server, "/report") == 1);
}

}  // namespace provcheck
