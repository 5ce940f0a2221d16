// The crawler's behaviour on a hostile or busy web, measured from the fixture server's own records
// (arrival times, headers, connections): retries, Retry-After, giving up on a host, bounds on time and
// size, charsets, bot walls, connection reuse. Only 127.0.0.1 is ever contacted.
#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <ctime>
#include <memory>
#include <set>
#include <thread>

#include "capture/capturer.hpp"
#include "core/hash.hpp"
#include "support/builtin_rules.hpp"
#include "support/fixture_server.hpp"
#include "support/loopback.hpp"

namespace provcheck {

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using test::FixtureServer;
using test::Route;

struct CrawlWeb {
    FixtureServer server{test::FixtureServerOptions{}};

    [[nodiscard]] FetchOptions options() const { return test::loopback_fetch_options(server, 20); }
    [[nodiscard]] std::vector<test::RecordedRequest> requests_to(std::string_view host) const {
        auto all = server.requests();
        std::vector<test::RecordedRequest> out;
        std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const auto& r) { return r.host == host; });
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.arrival < b.arrival; });
        return out;
    }
};

// A route that answers with `statuses[i]` on its i-th request (the last one from then on).
Route sequence(std::string host, std::string path, std::vector<std::pair<int, std::vector<Header>>> answers) {
    Route r = test::page_route(std::move(host), std::move(path), "");
    auto calls = std::make_shared<std::atomic<std::size_t>>(0);
    r.handler = [calls, answers = std::move(answers)](const httplib::Request&, httplib::Response& res) {
        const std::size_t i = std::min(calls->fetch_add(1), answers.size() - 1);
        res.status = answers[i].first;
        for (const auto& h : answers[i].second)
            res.set_header(h.name.c_str(), h.value);
        res.set_content(fmt::format("<p>answer {} with status {}</p>", i + 1, answers[i].first),
                        "text/html; charset=utf-8");
    };
    return r;
}

std::string http_date(std::chrono::system_clock::time_point t) {
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    std::array<char, 64> buf{};
    std::strftime(buf.data(), buf.size(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buf.data();
}

std::string gzip_zeros(std::size_t n) {
    z_stream zs{};
    REQUIRE(deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string in(1 << 20, '\0');
    std::string out;
    std::array<char, 65536> buf{};
    std::size_t left = n;
    while (true) {
        const std::size_t chunk = std::min(left, in.size());
        zs.next_in = reinterpret_cast<Bytef*>(in.data());
        zs.avail_in = static_cast<uInt>(chunk);
        left -= chunk;
        const int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        int rc = Z_OK;
        do {
            zs.next_out = reinterpret_cast<Bytef*>(buf.data());
            zs.avail_out = static_cast<uInt>(buf.size());
            rc = deflate(&zs, flush);
            out.append(buf.data(), buf.size() - zs.avail_out);
        } while (zs.avail_out == 0);
        if (rc == Z_STREAM_END) break;
    }
    deflateEnd(&zs);
    return out;
}

}  // namespace

TEST_CASE("A 503 is retried with back-off until it succeeds", "[integration]") {
    CrawlWeb web;
    web.server.add_route(sequence("flaky.example", "/story", {{503, {}}, {502, {}}, {200, {}}}));
    Capturer capturer(web.options(), test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    Capture c = test::capture_only(capturer, "http://flaky.example/story");
    REQUIRE(c.ok());
    CHECK(c.status == 200);
    CHECK(c.body == "<p>answer 3 with status 200</p>");
    CHECK(c.chain.size() == 1);  // retries are attempts of one hop, not hops
    CHECK(web.requests_to("flaky.example").size() == 3);
}

TEST_CASE("Retries are counted and bounded by --retries", "[integration]") {
    CrawlWeb web;
    web.server.add_route(sequence("down.example", "/a", {{500, {}}}));
    FetchOptions opts = web.options();
    SECTION("two retries by default") {
        Capturer capturer(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
        Capture c = test::capture_only(capturer, "http://down.example/a");
        REQUIRE(c.failure.has_value());
        CHECK(c.failure->cls == FailureClass::http_5xx);
        CHECK(web.requests_to("down.example").size() == 3);
    }
    SECTION("none with --retries 0") {
        opts.retries = 0;
        Capturer capturer(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
        CHECK(test::capture_only(capturer, "http://down.example/a").failure->cls == FailureClass::http_5xx);
        CHECK(web.requests_to("down.example").size() == 1);
    }
    SECTION("a 404 is an answer, never retried") {
        Capturer capturer(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
        CHECK(test::capture_only(capturer, "http://down.example/missing").failure->cls == FailureClass::http_4xx);
        CHECK(web.requests_to("down.example").size() == 1);
    }
}

TEST_CASE("each retry is told as it is scheduled: URL, wait, attempt and reason (what -v prints)", "[integration]") {
    CrawlWeb web;
    web.server.add_route(sequence("busy.example", "/told", {{429, {{"Retry-After", "1"}}}, {200, {}}}));
    FetchOptions options = web.options();
    std::vector<std::string> told;
    options.on_retry = [&told](std::string_view line) { told.emplace_back(line); };
    Capturer capturer(options, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    Capture c = test::capture_only(capturer, "http://busy.example/told");
    REQUIRE(c.ok());
    REQUIRE(told.size() == 1);
    INFO(told[0]);
    CHECK(told[0].starts_with("retry http://busy.example/told in "));
    CHECK(told[0].find("(attempt 2 of 3): HTTP 429, Retry-After 1000 ms") != std::string::npos);
}

TEST_CASE("Retry-After is obeyed, in seconds and as an HTTP date", "[integration]") {
    CrawlWeb web;
    web.server.add_route(sequence("busy.example", "/seconds", {{429, {{"Retry-After", "1"}}}, {200, {}}}));
    Capturer capturer(web.options(), test::builtin_rules(), nullptr, nullptr, test::wall_clock());

    SECTION("delta-seconds") {
        Capture c = test::capture_only(capturer, "http://busy.example/seconds");
        REQUIRE(c.ok());
        auto reqs = web.requests_to("busy.example");
        REQUIRE(reqs.size() == 2);
        CHECK(reqs[1].arrival - reqs[0].arrival >= milliseconds(950));
    }
    SECTION("an HTTP date, two seconds ahead (one-second resolution)") {
        const auto at = std::chrono::system_clock::now() + std::chrono::seconds(2);
        web.server.add_route(sequence("busy.example", "/date", {{503, {{"Retry-After", http_date(at)}}}, {200, {}}}));
        Capture c = test::capture_only(capturer, "http://busy.example/date");
        REQUIRE(c.ok());
        auto reqs = web.requests_to("busy.example");
        REQUIRE(reqs.size() == 2);
        CHECK(reqs[1].arrival - reqs[0].arrival >= milliseconds(900));
    }
}

TEST_CASE("Retry-After holds the whole host, is capped by the timeout, and a 429 ends rate_limited", "[integration]") {
    CrawlWeb web;
    web.server.add_route(sequence("limit.example", "/a", {{429, {{"Retry-After", "3600"}}}}));
    web.server.add_route(test::page_route("limit.example", "/b", "<p>b</p>"));
    FetchOptions opts = web.options();
    opts.timeout_s = 1;
    opts.retries = 1;
    opts.host_parallel_max = 1;
    Capturer capturer(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    const auto start = steady_clock::now();
    auto caps = capturer.capture_urls({"http://limit.example/a", "http://limit.example/b"});
    CHECK(steady_clock::now() - start < std::chrono::seconds(5));
    REQUIRE(caps[0].failure.has_value());
    CHECK(caps[0].failure->cls == FailureClass::rate_limited);
    CHECK(caps[0].status == 429);
    CHECK(caps[1].ok());
    auto reqs = web.requests_to("limit.example");
    REQUIRE(reqs.size() == 3);
    CHECK(reqs[0].target == "/a");
    // /b waited out the host's Retry-After (capped at the one-second timeout) like the retry of /a.
    CHECK(reqs[1].arrival - reqs[0].arrival >= milliseconds(950));
    CHECK(reqs[2].arrival - reqs[0].arrival >= milliseconds(950));
}

TEST_CASE("A host that keeps failing is given up and every remaining link says so", "[integration]") {
    CrawlWeb web;
    std::vector<std::string> urls;
    for (int i = 0; i < 10; ++i)
        urls.push_back(fmt::format("http://broken.example/{}", i));
    web.server.add_route(test::page_route("fine.example", "/", "<p>fine</p>"));
    urls.push_back("http://fine.example/");
    for (int i = 0; i < 10; ++i)
        web.server.add_route(sequence("broken.example", fmt::format("/{}", i), {{502, {}}}));
    FetchOptions opts = web.options();
    opts.host_parallel_max = 1;
    opts.retries = 1;
    opts.host_failure_limit = 3;
    Capturer capturer(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    auto caps = capturer.capture_urls(urls);
    CHECK(web.requests_to("broken.example").size() == 6);  // three requests, each tried twice
    std::size_t given_up = 0;
    for (std::size_t i = 0; i < 10; ++i) {
        INFO(urls[i]);
        REQUIRE(caps[i].failure.has_value());
        CHECK(caps[i].failure->cls == FailureClass::http_5xx);
        if (caps[i].failure->message.find("host given up") != std::string::npos) {
            ++given_up;
            CHECK(caps[i].failure->message.find("broken.example failed 3 requests in a row") != std::string::npos);
            CHECK(caps[i].status == 0);
        }
    }
    CHECK(given_up == 7);
    CHECK(caps[10].ok());
}

TEST_CASE("A connection refused is retried, then the host is given up", "[integration]") {
    // A port that was just bound and released: nothing listens there, so every connection is refused.
    int closed_port = 0;
    {
        FixtureServer gone{test::FixtureServerOptions{}};
        closed_port = gone.port();
    }
    FetchOptions opts;
    opts.connect_to = {fmt::format("::127.0.0.1:{}", closed_port)};
    opts.allow_private_addresses = true;
    opts.host_interval_ms = 0;
    opts.retry_base_ms = 20;
    opts.host_failure_limit = 1;
    opts.host_parallel_max = 1;
    Capturer capturer(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    auto caps = capturer.capture_urls({"http://refused.example/1", "http://refused.example/2"});
    REQUIRE(caps[0].failure.has_value());
    CHECK(caps[0].failure->cls == FailureClass::connect);
    REQUIRE(caps[1].failure.has_value());
    CHECK(caps[1].failure->cls == FailureClass::connect);
    CHECK(caps[1].failure->message.find("host given up") != std::string::npos);
}

TEST_CASE("A server dripping a byte a second is cut off and marked truncated \"time\"", "[integration]") {
    CrawlWeb web;
    Route drip = test::page_route("drip.example", "/", "");
    drip.handler = [](const httplib::Request&, httplib::Response& res) {
        // An opaque media type: a compressed stream would hold the drops back in the server's compressor.
        res.set_chunked_content_provider("application/x-fixture", [](std::size_t offset, httplib::DataSink& sink) {
            if (offset >= 30) {
                sink.done();
                return true;
            }
            if (offset > 0) std::this_thread::sleep_for(milliseconds(1000));
            return sink.write(offset == 0 ? "<p>" : "x", offset == 0 ? 3 : 1);
        });
    };
    web.server.add_route(drip);
    FetchOptions opts = web.options();

    SECTION("by the low-speed limit") {
        opts.speed_limit = 100;
        opts.speed_time_s = 2;
    }
    SECTION("by the transfer's deadline") {
        opts.speed_limit = 0;
        opts.timeout_s = 2;
    }
    Capturer capturer(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    const auto start = steady_clock::now();
    Capture c = test::capture_only(capturer, "http://drip.example/");
    const auto took = steady_clock::now() - start;
    CHECK(took < std::chrono::seconds(5));
    CHECK(c.ok());
    CHECK(c.truncated == "time");
    CHECK(c.body.starts_with("<p>"));
    CHECK(c.body.size() < 10);
    CHECK(web.requests_to("drip.example").size() == 1);  // a response that began is not retried
}

TEST_CASE("A gzip bomb stops at max_filesize after decoding", "[integration]") {
    CrawlWeb web;
    Route bomb = test::page_route("bomb.example", "/", "");
    bomb.handler = [compressed = gzip_zeros(std::size_t{64} << 20)](const httplib::Request&, httplib::Response& res) {
        res.set_header("Content-Encoding", "gzip");
        res.set_content(compressed, "application/x-fixture");
    };
    web.server.add_route(bomb);
    FetchOptions opts = web.options();
    opts.max_filesize = 1 << 20;
    Capturer capturer(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    Capture c = test::capture_only(capturer, "http://bomb.example/");
    CHECK(c.ok());
    CHECK(c.truncated == "length");
    // Not text: the megabyte kept waited on disk and was hashed there, never read into memory.
    CHECK(c.body.empty());
    CHECK(c.payload_sha256 == sha256_hex(std::string(opts.max_filesize, '\0')));
    CHECK(web.requests_to("bomb.example").size() == 1);
}

TEST_CASE("windows-1252 and Shift_JIS pages reach the text stages as UTF-8, archived as served", "[integration]") {
    CrawlWeb web;
    const std::string cp1252 =
        "<html><head><title>x</title></head><body><p>\x93The chaotic environment of Gaza\x94 \x97 "
        "officials\x92 words</p></body></html>";
    Route western = test::page_route("www.nytimes.com", "/1252.html", cp1252);
    western.content_type = "text/html; charset=windows-1252";
    web.server.add_route(western);
    const std::string sjis =
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\"></head>"
        "<body><p>\x81u\x88\xf8\x97p\x81v\x93\x8c\x8b\x9e</p></body></html>";
    Route japanese = test::page_route("www.asahi.com", "/sjis.html", sjis);
    japanese.content_type = "text/html";
    web.server.add_route(japanese);

    struct Kept final : ExchangeSink {
        std::vector<Exchange> exchanges;
        Result<Stored> store(const Exchange& e) override {
            exchanges.push_back(e);
            Stored s;
            s.payload_sha256 = sha256_hex(e.body);
            s.block_sha256 = sha256_hex(e.status_line + e.body);
            return s;
        }
    } sink;
    Capturer capturer(web.options(), test::builtin_rules(), &sink, nullptr, test::wall_clock());
    auto caps = capturer.capture_urls({"http://www.nytimes.com/1252.html", "http://www.asahi.com/sjis.html"});
    REQUIRE(caps[0].ok());
    CHECK(caps[0].charset == "windows-1252");
    CHECK(caps[0].body.find("\u201cThe chaotic environment of Gaza\u201d \u2014 officials\u2019 words") !=
          std::string::npos);
    CHECK(caps[0].payload_sha256 == sha256_hex(cp1252));  // the digest is of the bytes as served
    REQUIRE(caps[1].ok());
    CHECK(caps[1].charset == "shift_jis");
    CHECK(caps[1].body.find("<p>\u300c\u5f15\u7528\u300d\u6771\u4eac</p>") != std::string::npos);
    REQUIRE(sink.exchanges.size() == 2);
    for (const auto& e : sink.exchanges)
        CHECK(e.body == (e.url.find("1252") != std::string::npos ? cp1252 : sjis));
}

TEST_CASE("Challenge pages are bot_challenge, by header or by markup", "[integration]") {
    CrawlWeb web;
    Route cf = test::page_route("www.nytimes.com", "/cf", "<p>Checking your browser</p>");
    cf.status = 403;
    cf.headers = {{"cf-mitigated", "challenge"}};
    web.server.add_route(cf);
    Route markup = test::page_route("www.reuters.com", "/dd",
                                    "<html><script src=\"https://ct.captcha-delivery.com/c.js\">"
                                    "</script></html>");
    markup.status = 403;
    web.server.add_route(markup);
    Route moment = test::page_route("www.wsj.com", "/m", "<html><head><title>Just a moment...</title></head></html>");
    moment.status = 503;
    web.server.add_route(moment);
    FetchOptions opts = web.options();
    Capturer capturer(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    auto caps =
        capturer.capture_urls({"http://www.nytimes.com/cf", "http://www.reuters.com/dd", "http://www.wsj.com/m"});
    const char* rule[] = {"challenge.cloudflare.cf-mitigated", "challenge.datadome.captcha",
                          "challenge.cloudflare.just-a-moment"};
    for (std::size_t i = 0; i < caps.size(); ++i) {
        INFO(caps[i].requested_url);
        REQUIRE(caps[i].failure.has_value());
        CHECK(caps[i].failure->cls == FailureClass::bot_challenge);
        CHECK(caps[i].failure->message.find(rule[i]) != std::string::npos);
    }
}

TEST_CASE("Connections are reused: at most host_parallel_max per host for many requests", "[integration]") {
    CrawlWeb web;
    std::vector<std::string> urls;
    for (int i = 0; i < 60; ++i) {
        const std::string host = fmt::format("r{}.example", i % 3);
        Route r = test::page_route(host, fmt::format("/{}", i), fmt::format("<p>{}</p>", i));
        r.delay_ms = 20;
        web.server.add_route(r);
        urls.push_back(fmt::format("http://{}/{}", host, i));
    }
    FetchOptions opts = web.options();
    opts.host_parallel_max = 2;
    Capturer capturer(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    auto caps = capturer.capture_urls(urls);
    for (const auto& c : caps)
        REQUIRE(c.ok());
    auto reqs = web.server.requests();
    REQUIRE(reqs.size() == 60);
    std::set<std::string> connections;
    for (const auto& r : reqs)
        connections.insert(r.connection);
    CHECK(connections.size() <= 6);
}

}  // namespace provcheck

namespace provcheck {

TEST_CASE("Progress is reported while fetching, with the hosts that wait, and ends with a final report",
          "[integration]") {
    CrawlWeb web;
    web.server.add_route(sequence("slow.example", "/a", {{503, {{"Retry-After", "1"}}}, {200, {}}}));
    for (int i = 0; i < 4; ++i)
        web.server.add_route(test::page_route("quick.example", fmt::format("/{}", i), "<p>q</p>"));
    FetchOptions opts = web.options();
    std::vector<FetchProgress> reports;
    opts.progress = [&reports](const FetchProgress& p) { reports.push_back(p); };
    Capturer capturer(opts, test::builtin_rules(), nullptr, nullptr, test::wall_clock());
    auto caps = capturer.capture_urls({"http://slow.example/a", "http://slow.example/b", "http://quick.example/0",
                                       "http://quick.example/1", "http://quick.example/2", "http://quick.example/3"});
    for (const auto& c : caps)
        CHECK(c.status != 0);
    REQUIRE_FALSE(reports.empty());
    CHECK(reports.back().final);
    CHECK(reports.back().done == 6);
    CHECK(reports.back().failed == 1);  // slow.example/b is a 404
    CHECK(reports.back().queued == 0);
    const bool slow_waited = std::any_of(reports.begin(), reports.end(), [](const FetchProgress& p) {
        return !p.waits.empty() && p.waits.front().host == "slow.example" && p.queued > 0;
    });
    CHECK(slow_waited);
}

}  // namespace provcheck
