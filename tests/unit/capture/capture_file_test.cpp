#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "capture/capturer.hpp"
#include "core/hash.hpp"
#include "core/url.hpp"
#include "support/temp_dir.hpp"

namespace provcheck {

namespace {

class RecordingSink final : public ExchangeSink {
public:
    std::vector<Exchange> stored;
    Result<Stored> store(const Exchange& e) override {
        stored.push_back(e);
        Stored s;
        s.ref.record_id = "<urn:uuid:test-" + std::to_string(stored.size()) + ">";
        s.payload_sha256 = sha256_hex(e.body);
        s.block_sha256 = sha256_hex("block:" + e.body);
        return s;
    }
};

RuleSet no_rules() {
    return load_rules_from({}).value();
}

const FixedClock fixed_clock(std::chrono::system_clock::time_point(std::chrono::seconds(1697703300)));

}  // namespace

TEST_CASE("A local file becomes a one-hop capture stored as a resource", "[unit]") {
    test::TempDir dir;
    const auto path = dir / "article.html";
    std::ofstream(path) << "<p>Hello</p>";
    RuleSet rules = no_rules();
    RecordingSink sink;
    Capturer capturer(FetchOptions{}, rules, &sink, nullptr, fixed_clock);

    Capture c = capturer.capture_file(path, "article.html");
    REQUIRE(c.ok());
    CHECK(c.requested_url == "article.html");
    CHECK(c.final_url == file_uri(path.string()));
    CHECK(c.final_url.starts_with("file:///"));
    CHECK(c.status == 200);
    CHECK(c.content_type == "text/html");
    CHECK(c.body == "<p>Hello</p>");
    CHECK(c.fetched_at == "2023-10-19T08:15:00Z");
    REQUIRE(c.chain.size() == 1);
    CHECK(c.chain[0].url == c.final_url);
    CHECK(c.chain[0].status == 200);
    CHECK(c.chain[0].via == HopVia::start);
    CHECK(c.payload_sha256 == sha256_hex("<p>Hello</p>"));
    CHECK(c.block_sha256 == sha256_hex("block:<p>Hello</p>"));
    REQUIRE(c.stored.has_value());
    REQUIRE(sink.stored.size() == 1);
    CHECK(sink.stored[0].is_resource);
    // Archived under the name it was given ("article.html", in the working directory), never its path here.
    CHECK(sink.stored[0].url == "file:///article.html");
    CHECK(sink.stored[0].url.find(path.parent_path().string()) == std::string::npos);
    CHECK(capturer.error() == std::nullopt);
}

TEST_CASE("A local file's type comes from its extension; a missing file is an io failure", "[unit]") {
    test::TempDir dir;
    RuleSet rules = no_rules();
    Capturer capturer(FetchOptions{}, rules, nullptr, nullptr, fixed_clock);
    for (const auto& [name, type] :
         std::vector<std::pair<std::string, std::string>>{{"notes.txt", "text/plain"},
                                                          {"notes.md", "text/markdown"},
                                                          {"report.PDF", "application/pdf"},
                                                          {"photo.jpg", "application/octet-stream"},
                                                          {"noextension", "application/octet-stream"}}) {
        std::ofstream(dir / name) << "x";
        Capture c = capturer.capture_file(dir / name, name);
        INFO(name);
        CHECK(c.content_type == type);
        CHECK(c.payload_sha256 == sha256_hex("x"));
    }

    Capture missing = capturer.capture_file(dir / "missing.html", "missing.html");
    REQUIRE(missing.failure.has_value());
    CHECK(missing.failure->cls == FailureClass::io);
    CHECK(missing.failure->message.find("missing.html") != std::string::npos);
}

TEST_CASE("Inputs that are not http(s) URLs fail without any request", "[unit]") {
    RuleSet rules = no_rules();
    RecordingSink sink;
    Capturer capturer(FetchOptions{}, rules, &sink, nullptr, fixed_clock);
    auto caps = capturer.capture_urls({"file:///etc/passwd", "ftp://example.org/x", "not a url"});
    REQUIRE(caps.size() == 3);
    for (const auto& c : caps) {
        INFO(c.requested_url);
        REQUIRE(c.failure.has_value());
        CHECK(c.failure->cls == FailureClass::unsupported_scheme);
        CHECK(c.chain.empty());
        CHECK(c.body.empty());
    }
    CHECK(caps[0].requested_url == "file:///etc/passwd");
    CHECK(sink.stored.empty());
}

TEST_CASE("Invalid options are reported as the capturer's error", "[unit]") {
    RuleSet rules = no_rules();
    FetchOptions opts;
    opts.connect_to = {"broken"};
    Capturer capturer(opts, rules, nullptr, nullptr, fixed_clock);
    REQUIRE(capturer.error().has_value());
    CHECK(capturer.error()->code == ErrorCode::usage);
    auto caps = capturer.capture_urls({"https://example.org/"});
    REQUIRE(caps.size() == 1);
    REQUIRE(caps[0].failure.has_value());
    CHECK(caps[0].failure->message.find("broken") != std::string::npos);
}

}  // namespace provcheck
