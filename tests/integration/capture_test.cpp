// The capture stage end to end: real libcurl against the fixture server on 127.0.0.1, with real-looking
// URLs routed there by connect_to. Nothing here reaches any other address.
#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <optional>

#include "capture/capturer.hpp"
#include "core/hash.hpp"
#include "core/url.hpp"
#include "support/builtin_rules.hpp"
#include "support/fixture_server.hpp"
#include "support/gzip.hpp"
#include "support/loopback.hpp"
#include "support/temp_dir.hpp"
#include "support/test_ca.hpp"

namespace provcheck {

namespace {

using std::chrono::milliseconds;
using test::FixtureServer;
using test::Route;

// Holds every stored exchange in memory and serves the latest one per URL back, like the archive does.
class MemoryArchive final : public ExchangeSink, public ReplaySource {
public:
    std::vector<Exchange> exchanges;

    Result<Stored> store(const Exchange& e) override {
        exchanges.push_back(e);
        Stored s;
        s.ref.warc_file = "memory";
        s.ref.offset = exchanges.size() - 1;
        s.ref.record_id = fmt::format("<urn:uuid:memory-{}>", exchanges.size());
        s.payload_sha256 = sha256_hex(e.body);
        s.block_sha256 = sha256_hex(e.status_line + "\r\n" + e.body);
        return s;
    }

    Result<std::optional<Exchange>> find(std::string_view url, std::uint64_t max_body) const override {
        const auto want = normalize_url(url);
        for (auto it = exchanges.rbegin(); it != exchanges.rend(); ++it) {
            if (normalize_url(it->url) != want) continue;
            Exchange ex = *it;
            if (ex.body.size() > max_body) {
                ex.body.resize(max_body);
                ex.truncated = "length";
            }
            return std::optional<Exchange>(std::move(ex));
        }
        return std::optional<Exchange>{};
    }
};

Route redirect(std::string host, std::string path, int status, std::string location) {
    Route r;
    r.host = std::move(host);
    r.path = std::move(path);
    r.status = status;
    r.headers = {{"Location", std::move(location)}};
    return r;
}

const std::string article_body =
    "<!doctype html><html><head><title>Article</title></head><body><article><p>The chaotic environment of "
    "Gaza has made such a mission unlikely, officials said on Tuesday in Washington.</p></article></body></html>";

struct CaptureWeb {
    FixtureServer server{test::FixtureServerOptions{}};

    [[nodiscard]] FetchOptions options() const { return test::loopback_fetch_options(server); }
    [[nodiscard]] std::size_t count(std::string_view host, std::string_view target) const {
        auto reqs = server.requests();
        return static_cast<std::size_t>(std::count_if(
            reqs.begin(), reqs.end(), [&](const auto& r) { return r.host == host && r.target == target; }));
    }
};

void check_chain(const Capture& c, const std::vector<Hop>& want) {
    INFO("capture of " << c.requested_url << (c.failure ? " failed: " + c.failure->message : std::string{}));
    REQUIRE(c.chain.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        INFO("hop " << i);
        CHECK(c.chain[i].url == want[i].url);
        CHECK(c.chain[i].status == want[i].status);
        CHECK(to_string(c.chain[i].via) == to_string(want[i].via));
    }
}

}  // namespace

TEST_CASE("HTTP redirects are followed hop by hop and every hop is stored", "[integration]") {
    CaptureWeb web;
    web.server.add_route(redirect("www.nytimes.com", "/a", 301, "/b?x=1"));
    web.server.add_route(redirect("www.nytimes.com", "/b?x=1", 302, "http://www.nytimes.com/2023/10/17/story.html"));
    web.server.add_route(test::page_route("www.nytimes.com", "/2023/10/17/story.html", article_body));
    MemoryArchive archive;
    Capturer capturer(web.options(), test::builtin_rules(), &archive, nullptr, test::wall_clock());

    Capture c = test::capture_only(capturer, "http://www.nytimes.com/a");
    REQUIRE(c.ok());
    check_chain(c, {{"http://www.nytimes.com/a", 301, HopVia::start},
                    {"http://www.nytimes.com/b?x=1", 302, HopVia::http},
                    {"http://www.nytimes.com/2023/10/17/story.html", 200, HopVia::http}});
    CHECK(c.final_url == "http://www.nytimes.com/2023/10/17/story.html");
    CHECK(c.status == 200);
    CHECK(c.content_type == "text/html");
    CHECK(c.body == article_body);
    CHECK(c.remote_ip == "127.0.0.1");
    CHECK(parse_rfc3339(c.fetched_at).has_value());
    REQUIRE(archive.exchanges.size() == 3);
    CHECK(c.payload_sha256 == sha256_hex(article_body));
    CHECK(c.block_sha256 == sha256_hex(archive.exchanges[2].status_line + "\r\n" + article_body));
    REQUIRE(c.stored.has_value());
    CHECK(c.stored->offset == 2);

    const Exchange& first = archive.exchanges[0];
    CHECK(first.status == 301);
    CHECK(first.status_line.starts_with("HTTP/1.1 301"));
    CHECK(first.request_head.starts_with("GET /a HTTP/1.1\r\nHost: www.nytimes.com\r\n"));
    CHECK(first.request_head.find("User-Agent: Mozilla/5.0 (compatible; provcheck/0.1)\r\n") != std::string::npos);
    CHECK(first.request_head.find("Accept-Encoding: ") != std::string::npos);
    CHECK(first.request_head.ends_with("\r\n\r\n"));
    REQUIRE(find_header(first.headers, "location") != nullptr);
    CHECK(*find_header(first.headers, "location") == "/b?x=1");
}

TEST_CASE("Client-side redirects: Refresh header, meta refresh, script location, clicked link", "[integration]") {
    CaptureWeb web;
    Route refresh = test::page_route("a.example", "/refresh", "<p>Moved</p>");
    refresh.headers = {{"Refresh", "0; url=/meta"}};
    web.server.add_route(refresh);
    web.server.add_route(
        test::page_route("a.example", "/meta",
                         R"(<html><head><noscript><META HTTP-EQUIV="Refresh" CONTENT="0;URL=/js"></noscript>)"
                         R"(</head><body></body></html>)"));
    web.server.add_route(test::page_route("a.example", "/js",
                                          R"(<head><title>x</title></head><script>window.opener = null; )"
                                          R"(location.replace("http:\/\/b.example\/click")</script>)"));
    web.server.add_route(test::page_route("c.example", "/final", article_body));
    web.server.add_route(test::page_route("b.example", "/click",
                                          R"(<body><a href="http://c.example/final" id="l">http://c.example/final</a>)"
                                          R"(<script>document.getElementById("l").click()</script></body>)"));
    MemoryArchive archive;
    Capturer capturer(web.options(), test::builtin_rules(), &archive, nullptr, test::wall_clock());

    Capture c = test::capture_only(capturer, "http://a.example/refresh");
    REQUIRE(c.ok());
    check_chain(c, {{"http://a.example/refresh", 200, HopVia::start},
                    {"http://a.example/meta", 200, HopVia::refresh_header},
                    {"http://a.example/js", 200, HopVia::meta_refresh},
                    {"http://b.example/click", 200, HopVia::js_location},
                    {"http://c.example/final", 200, HopVia::js_location}});
    CHECK(archive.exchanges.size() == 5);
    CHECK(c.body == article_body);
}

TEST_CASE("t.co: a plain client gets a 301, a browser gets the meta-refresh page", "[integration]") {
    CaptureWeb web;
    const std::string target = "http://www.palestinechronicle.com/live-blog/";
    Route browser =
        test::page_route("t.co", "/g4TcNbYW6U",
                         fmt::format(R"(<head><meta name="referrer" content="always"><noscript><META )"
                                     R"(http-equiv="refresh" content="0;URL={0}"></noscript><title>{0}</title></head>)"
                                     R"(<script>window.opener = null; location.replace("{1}")</script>)",
                                     target, "http:\\/\\/www.palestinechronicle.com\\/live-blog\\/"));
    browser.user_agent_contains = "Mozilla";
    web.server.add_route(redirect("t.co", "/g4TcNbYW6U", 301, target));
    web.server.add_route(browser);
    web.server.add_route(test::page_route("www.palestinechronicle.com", "/live-blog/", article_body));

    SECTION("with the shortener rules, the first request uses the shortener's User-Agent") {
        Capturer capturer(web.options(), test::builtin_rules(), nullptr, nullptr, test::wall_clock());
        Capture c = test::capture_only(capturer, "http://t.co/g4TcNbYW6U");
        REQUIRE(c.ok());
        check_chain(c, {{"http://t.co/g4TcNbYW6U", 301, HopVia::start}, {target, 200, HopVia::http}});
        auto reqs = web.server.requests();
        REQUIRE(reqs.size() == 2);
        const auto* ua = find_header(reqs[0].headers, "User-Agent");
        REQUIRE(ua != nullptr);
        CHECK(*ua == test::builtin_rules().shortener_for_host("t.co")->user_agent);
        CHECK(*find_header(reqs[1].headers, "User-Agent") == FetchOptions{}.user_agent);
    }
    SECTION("without them, the browser page's meta refresh is followed") {
        const RuleSet no_shorteners = load_rules_from({}).value();
        Capturer capturer(web.options(), no_shorteners, nullptr, nullptr, test::wall_clock());
        Capture c = test::capture_only(capturer, "http://t.co/g4TcNbYW6U");
        REQUIRE(c.ok());
        check_chain(c, {{"http://t.co/g4TcNbYW6U", 200, HopVia::start}, {target, 200, HopVia::meta_refresh}});
    }
}

TEST_CASE("A chain across two shorteners ends at the article", "[integration]") {
    CaptureWeb web;
    web.server.add_route(redirect("bit.ly", "/3xYz", 301, "http://t.co/abc"));
    web.server.add_route(redirect("t.co", "/abc", 301, "http://www.nytimes.com/story"));
    web.server.add_route(test::page_route("www.nytimes.com", "/story", article_body));
    Capturer capturer(web.options(), test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    Capture c = test::capture_only(capturer, "http://bit.ly/3xYz");
    REQUIRE(c.ok());
    check_chain(c, {{"http://bit.ly/3xYz", 301, HopVia::start},
                    {"http://t.co/abc", 301, HopVia::http},
                    {"http://www.nytimes.com/story", 200, HopVia::http}});
}

TEST_CASE("Loops, too many hops and non-http targets stop the chain", "[integration]") {
    CaptureWeb web;
    web.server.add_route(redirect("loop.example", "/a", 302, "/b"));
    web.server.add_route(redirect("loop.example", "/b", 302, "http://LOOP.example/a#again"));
    for (int i = 0; i < 6; ++i) {
        web.server.add_route(redirect("hops.example", fmt::format("/{}", i), 301, fmt::format("/{}", i + 1)));
    }
    web.server.add_route(test::page_route("hops.example", "/6", article_body));
    web.server.add_route(redirect("evil.example", "/passwd", 302, "file:///etc/passwd"));
    web.server.add_route(redirect("bytes.example", "/r", 302, "mailto:\xff\xfe@x"));
    FetchOptions opts = web.options();
    opts.max_redirs = 3;
    Capturer capturer(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    auto caps = capturer.capture_urls(
        {"http://loop.example/a", "http://hops.example/0", "http://evil.example/passwd", "http://bytes.example/r"});
    REQUIRE(caps.size() == 4);

    REQUIRE(caps[0].failure.has_value());
    CHECK(caps[0].failure->cls == FailureClass::too_many_redirects);
    CHECK(caps[0].failure->message.find("loop") != std::string::npos);
    CHECK(caps[0].chain.size() == 2);
    CHECK(web.count("loop.example", "/a") == 1);

    REQUIRE(caps[1].failure.has_value());
    CHECK(caps[1].failure->cls == FailureClass::too_many_redirects);
    CHECK(caps[1].failure->message.find("more than 3 redirects") != std::string::npos);
    CHECK(caps[1].chain.size() == 4);
    CHECK(caps[1].status == 301);
    CHECK(web.count("hops.example", "/4") == 0);

    REQUIRE(caps[2].failure.has_value());
    CHECK(caps[2].failure->cls == FailureClass::unsupported_scheme);
    CHECK(caps[2].failure->message.find("file:///etc/passwd") != std::string::npos);
    CHECK(caps[2].chain.size() == 1);
    CHECK(caps[2].body.find("root:") == std::string::npos);

    // The server's bytes in the message are made UTF-8, which every report and record needs.
    REQUIRE(caps[3].failure.has_value());
    CHECK(caps[3].failure->cls == FailureClass::unsupported_scheme);
    CHECK(caps[3].failure->message.find("mailto:\xEF\xBF\xBD\xEF\xBF\xBD@x") != std::string::npos);
}

TEST_CASE("Loopback is refused unless private addresses are allowed", "[integration]") {
    CaptureWeb web;
    web.server.add_route(test::page_route("www.nytimes.com", "/story", article_body));
    FetchOptions opts = web.options();
    opts.allow_private_addresses = false;
    Capturer refused(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    Capture c = test::capture_only(refused, "http://www.nytimes.com/story");
    REQUIRE(c.failure.has_value());
    CHECK(c.failure->cls == FailureClass::blocked_address);
    CHECK(c.failure->message.find("127.0.0.1") != std::string::npos);
    CHECK(c.failure->message.find("loopback") != std::string::npos);
    CHECK(web.server.requests().empty());

    Capturer allowed(web.options(), test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    CHECK(test::capture_only(allowed, "http://www.nytimes.com/story").ok());
    CHECK(web.server.requests().size() == 1);
}

TEST_CASE("A redirect to the cloud metadata address is refused before connecting", "[integration]") {
    CaptureWeb web;
    web.server.add_route(redirect("t.co", "/meta", 301, "http://169.254.169.254/latest/meta-data/"));
    FetchOptions opts = web.options();
    // Only t.co goes to the fixture server; the metadata address is left as it is, so the check must
    // refuse it before any connection is made.
    opts.connect_to = {fmt::format("t.co:80:127.0.0.1:{}", web.server.port())};
    opts.timeout_s = 5;
    Capturer capturer(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    Capture c = test::capture_only(capturer, "http://t.co/meta");
    REQUIRE(c.failure.has_value());
    CHECK(c.failure->cls == FailureClass::blocked_address);
    CHECK(c.failure->message.find("169.254.169.254") != std::string::npos);
    check_chain(c, {{"http://t.co/meta", 301, HopVia::start},
                    {"http://169.254.169.254/latest/meta-data/", std::nullopt, HopVia::http}});
}

TEST_CASE("HTTP error statuses and challenge pages are failures with their body kept", "[integration]") {
    CaptureWeb web;
    Route gone = test::page_route("www.nytimes.com", "/gone", "<p>Not here</p>");
    gone.status = 404;
    Route broken = test::page_route("www.nytimes.com", "/broken", "oops");
    broken.status = 503;
    Route slow_down = test::page_route("www.nytimes.com", "/busy", "slow down");
    slow_down.status = 429;
    slow_down.headers = {{"Retry-After", "30"}};
    Route challenge = test::page_route("www.nytimes.com", "/challenge", "<p>Just a moment...</p>");
    challenge.status = 403;
    challenge.headers = {{"cf-mitigated", "challenge"}};
    for (auto& r : {gone, broken, slow_down, challenge})
        web.server.add_route(r);
    MemoryArchive archive;
    FetchOptions opts = web.options();
    opts.retries = 0;  // retrying is tested on its own; here each status is seen once
    Capturer capturer(opts, test::builtin_rules(), &archive, nullptr, test::wall_clock());
    auto caps = capturer.capture_urls({"http://www.nytimes.com/gone", "http://www.nytimes.com/broken",
                                       "http://www.nytimes.com/busy", "http://www.nytimes.com/challenge",
                                       "http://www.nytimes.com/missing"});
    const FailureClass want[] = {FailureClass::http_4xx, FailureClass::http_5xx, FailureClass::rate_limited,
                                 FailureClass::bot_challenge, FailureClass::http_4xx};
    for (std::size_t i = 0; i < caps.size(); ++i) {
        INFO(caps[i].requested_url);
        REQUIRE(caps[i].failure.has_value());
        CHECK(to_string(caps[i].failure->cls) == to_string(want[i]));
        CHECK_FALSE(caps[i].body.empty());
        CHECK(caps[i].stored.has_value());
    }
    CHECK(caps[0].failure->message.find("404") != std::string::npos);
    CHECK(caps[0].status == 404);
    CHECK(archive.exchanges.size() == 5);
}

TEST_CASE("Bodies over max_filesize are cut at the cap, also when compressed", "[integration]") {
    CaptureWeb web;
    const std::string big(200'000, 'a');
    web.server.add_route(test::page_route("big.example", "/page.html", "<p>" + big + "</p>"));
    FetchOptions opts = web.options();
    opts.max_filesize = 10'000;
    Capturer capturer(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    Capture c = test::capture_only(capturer, "http://big.example/page.html");
    REQUIRE(c.ok());
    CHECK(c.truncated == "length");
    CHECK(c.body.size() == 10'000);
    CHECK(c.body.starts_with("<p>aaa"));
    CHECK(c.payload_sha256 == sha256_hex(c.body));
}

TEST_CASE("A gzip-encoded body is decoded", "[integration]") {
    CaptureWeb web;
    Route r;
    r.host = "zip.example";
    r.path = "/data";
    const std::string text = "<p>" + std::string(5000, 'z') + " compressed body</p>";
    r.handler = [compressed = test::gzip_bytes(text)](const httplib::Request&, httplib::Response& res) {
        res.set_header("Content-Encoding", "gzip");
        // An opaque media type keeps the server from compressing the body a second time.
        res.set_content(compressed, "application/x-fixture");
    };
    web.server.add_route(r);
    Capturer capturer(web.options(), test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    Capture c = test::capture_only(capturer, "http://zip.example/data");
    REQUIRE(c.ok());
    CHECK(c.body == text);
    REQUIRE(find_header(c.headers, "Content-Encoding") != nullptr);
    CHECK(*find_header(c.headers, "Content-Encoding") == "gzip");
}

TEST_CASE("A dropped connection is a connect failure", "[integration]") {
    CaptureWeb web;
    Route r;
    r.host = "drop.example";
    r.path = "/";
    r.handler = [](const httplib::Request&, httplib::Response& res) {
        res.set_content_provider(1000, "application/octet-stream",
                                 [](std::size_t, std::size_t, httplib::DataSink& sink) {
                                     sink.write("partial", 7);
                                     return false;
                                 });
    };
    web.server.add_route(r);
    Capturer capturer(web.options(), test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    Capture c = test::capture_only(capturer, "http://drop.example/");
    REQUIRE(c.failure.has_value());
    CHECK(c.failure->cls == FailureClass::connect);
}

TEST_CASE("Many URLs are fetched concurrently and returned in input order", "[integration]") {
    CaptureWeb web;
    std::vector<std::string> urls;
    for (int i = 0; i < 32; ++i) {
        const std::string host = fmt::format("h{}.example", i % 8);
        web.server.add_route(test::page_route(host, fmt::format("/{}", i), fmt::format("<p>page {}</p>", i), 150));
        urls.push_back(fmt::format("http://{}/{}", host, i));
    }
    Capturer capturer(web.options(), test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    auto caps = capturer.capture_urls(urls);
    REQUIRE(caps.size() == urls.size());
    for (std::size_t i = 0; i < caps.size(); ++i) {
        INFO(urls[i]);
        REQUIRE(caps[i].ok());
        CHECK(caps[i].requested_url == urls[i]);
        CHECK(caps[i].body == fmt::format("<p>page {}</p>", i));
    }
    // Concurrency is read from the server's own record of overlapping requests, not from a stopwatch:
    // one after another, no two of them would overlap.
    CHECK(test::most_in_flight(web.server.requests()) > 4);
}

TEST_CASE("Within one Capturer a URL is fetched once", "[integration]") {
    CaptureWeb web;
    web.server.add_route(test::page_route("www.nytimes.com", "/story", article_body));
    Capturer capturer(web.options(), test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    auto first = capturer.capture_urls({"http://www.nytimes.com/story", "http://WWW.NYTIMES.COM/story#frag"});
    auto again = capturer.capture_urls({"http://www.nytimes.com/story"});
    REQUIRE(first.size() == 2);
    REQUIRE(again.size() == 1);
    CHECK(web.server.requests().size() == 1);
    CHECK(first[1].requested_url == "http://WWW.NYTIMES.COM/story#frag");
    CHECK(first[1].body == article_body);
    CHECK(again[0].fetched_at == first[0].fetched_at);
    CHECK(again[0].body == article_body);
}

TEST_CASE("Per-host parallelism and interval are respected", "[integration]") {
    CaptureWeb web;
    std::vector<std::string> urls;
    for (int i = 0; i < 10; ++i) {
        web.server.add_route(test::page_route("busy.example", fmt::format("/{}", i), "<p>x</p>", 200));
        urls.push_back(fmt::format("http://busy.example/{}", i));
    }
    FetchOptions opts = web.options();
    opts.host_parallel_max = 2;

    SECTION("never more than host_parallel_max at once") {
        Capturer capturer(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
        auto caps = capturer.capture_urls(urls);
        for (const auto& c : caps)
            REQUIRE(c.ok());
        auto reqs = web.server.requests();
        REQUIRE(reqs.size() == 10);
        CHECK(test::most_in_flight(reqs) == 2);
    }
    SECTION("starts to one host are at least host_interval_ms apart") {
        opts.host_interval_ms = 120;
        opts.host_parallel_max = 4;
        Capturer capturer(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
        auto caps = capturer.capture_urls(urls);
        for (const auto& c : caps)
            REQUIRE(c.ok());
        auto reqs = web.server.requests();
        REQUIRE(reqs.size() == 10);
        std::sort(reqs.begin(), reqs.end(), [](const auto& a, const auto& b) { return a.arrival < b.arrival; });
        for (std::size_t i = 1; i < reqs.size(); ++i) {
            // The client spaces the starts; arrival jitter on loopback is far below the margin allowed here.
            CHECK(reqs[i].arrival - reqs[i - 1].arrival > milliseconds(80));
        }
        CHECK(test::most_in_flight(reqs) <= 4);
    }
}

TEST_CASE("Credentials in a URL are never sent", "[integration]") {
    CaptureWeb web;
    web.server.add_route(test::page_route("www.nytimes.com", "/private", article_body));
    Capturer capturer(web.options(), test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    Capture c = test::capture_only(capturer, "http://alice:secret@www.nytimes.com/private");
    REQUIRE(c.ok());
    CHECK(c.requested_url == "http://alice:secret@www.nytimes.com/private");
    CHECK(c.final_url == "http://www.nytimes.com/private");
    auto reqs = web.server.requests();
    REQUIRE(reqs.size() == 1);
    CHECK(find_header(reqs[0].headers, "Authorization") == nullptr);
}

TEST_CASE("A canonical URL on the final page is recorded, not fetched", "[integration]") {
    CaptureWeb web;
    web.server.add_route(
        test::page_route("www.nytimes.com", "/amp/story.html",
                         R"(<html><head><link rel="canonical" href="/2023/10/17/world/story.html"></head><body>)" +
                             article_body + "</body></html>"));
    web.server.add_route(test::page_route(
        "same.example", "/", R"(<html><head><meta property="og:url" content="http://same.example/"></head></html>)"));
    Capturer capturer(web.options(), test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    auto caps = capturer.capture_urls({"http://www.nytimes.com/amp/story.html", "http://same.example/"});
    check_chain(caps[0], {{"http://www.nytimes.com/amp/story.html", 200, HopVia::start},
                          {"http://www.nytimes.com/2023/10/17/world/story.html", std::nullopt, HopVia::canonical}});
    CHECK(caps[0].final_url == "http://www.nytimes.com/amp/story.html");
    check_chain(caps[1], {{"http://same.example/", 200, HopVia::start}});
    CHECK(web.server.requests().size() == 2);
}

TEST_CASE("HTTPS with a CA made at test time", "[integration]") {
    test::TempDir dir;
    auto ca = test::make_test_ca(dir.path(), {"t.co", "www.nytimes.com"});
    REQUIRE(ca.has_value());
    FixtureServer tls({{}, true, ca->server_cert, ca->server_key});
    tls.add_route(redirect("t.co", "/QTXysZZmQN", 301, "https://www.nytimes.com/2023/10/19/us/resign.html"));
    tls.add_route(test::page_route("www.nytimes.com", "/2023/10/19/us/resign.html", article_body));
    FetchOptions opts;
    opts.connect_to = {fmt::format(":443:127.0.0.1:{}", tls.port())};
    opts.allow_private_addresses = true;
    opts.timeout_s = 10;

    SECTION("trusted through cacert") {
        opts.cacert = ca->ca_cert;
        Capturer capturer(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
        Capture c = test::capture_only(capturer, "https://t.co/QTXysZZmQN");
        REQUIRE(c.ok());
        check_chain(c, {{"https://t.co/QTXysZZmQN", 301, HopVia::start},
                        {"https://www.nytimes.com/2023/10/19/us/resign.html", 200, HopVia::http}});
        CHECK(c.body == article_body);
    }
    SECTION("trusting another CA, the certificate is a tls failure") {
        auto other = test::make_test_ca(dir / "other", {"t.co"});
        REQUIRE(other.has_value());
        opts.cacert = other->ca_cert;
        Capturer capturer(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
        Capture c = test::capture_only(capturer, "https://t.co/QTXysZZmQN");
        REQUIRE(c.failure.has_value());
        CHECK(c.failure->cls == FailureClass::tls);
        CHECK(tls.requests().empty());
    }
}

TEST_CASE("Replay answers every hop from the archive without the network", "[integration]") {
    MemoryArchive recorded;
    Capture live;
    {
        CaptureWeb web;
        web.server.add_route(redirect("t.co", "/g4TcNbYW6U", 301, "http://www.palestinechronicle.com/live/"));
        web.server.add_route(test::page_route("www.palestinechronicle.com", "/live/", article_body));
        Capturer capturer(web.options(), test::builtin_rules(), &recorded, nullptr, test::wall_clock());
        live = test::capture_only(capturer, "http://t.co/g4TcNbYW6U");
        REQUIRE(live.ok());
    }  // the server is gone: any network use now fails

    MemoryArchive workspace;
    FetchOptions opts;
    opts.connect_to = {"::127.0.0.1:9"};  // would be refused anyway; replay must not even try
    opts.timeout_s = 1;
    Capturer replaying(opts, test::builtin_rules(), &workspace, &recorded, test::wall_clock());
    auto caps = replaying.capture_urls({"http://t.co/g4TcNbYW6U", "http://t.co/not-archived"});
    REQUIRE(caps.size() == 2);
    const Capture& c = caps[0];
    REQUIRE(c.ok());
    CHECK(c.from_replay);
    check_chain(c, {{"http://t.co/g4TcNbYW6U", 301, HopVia::start},
                    {"http://www.palestinechronicle.com/live/", 200, HopVia::http}});
    CHECK(c.body == live.body);
    CHECK(c.fetched_at == live.fetched_at);
    CHECK(c.payload_sha256 == live.payload_sha256);
    CHECK(workspace.exchanges.size() == 2);

    REQUIRE(caps[1].failure.has_value());
    CHECK(caps[1].failure->cls == FailureClass::replay_missing);
    CHECK(caps[1].from_replay);
}

}  // namespace provcheck
