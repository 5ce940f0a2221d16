// The Capturer with an HTTP cache, against the fixture server on 127.0.0.1: conditional requests, a 304
// standing for the stored response (archived as a revisit), a stored copy that cannot be read back (the URL
// asked again unconditionally), --max-age reuse without a request, and responses remembered for later runs.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <map>

#include "capture/capturer.hpp"
#include "core/hash.hpp"
#include "core/url.hpp"
#include "support/builtin_rules.hpp"
#include "support/fixture_server.hpp"
#include "support/loopback.hpp"

namespace provcheck {

namespace {

using test::FixtureServer;
using test::Route;

// Stores exchanges and revisits in memory; the cache reads its entries' bytes back from here.
class MemorySink final : public ExchangeSink {
public:
    std::vector<Exchange> exchanges;
    std::vector<std::pair<Exchange, CachedResponse>> revisits;

    Result<Stored> store(const Exchange& e) override {
        exchanges.push_back(e);
        Stored s;
        s.ref.warc_file = "memory";
        s.ref.offset = exchanges.size() - 1;
        s.ref.record_id = fmt::format("<urn:uuid:m-{}>", exchanges.size());
        s.payload_sha256 = sha256_hex(e.body);
        s.block_sha256 = sha256_hex(e.status_line + e.body);
        return s;
    }
    Result<Stored> store_revisit(const Exchange& e, const CachedResponse& original) override {
        revisits.emplace_back(e, original);
        Stored s;
        s.ref.warc_file = "memory";
        s.ref.record_id = fmt::format("<urn:uuid:r-{}>", revisits.size());
        s.payload_sha256 = original.payload_sha256;
        return s;
    }
};

class MemoryCache final : public ResponseCache {
public:
    explicit MemoryCache(MemorySink& sink) : sink_(sink) {}
    std::map<std::string, CachedResponse> entries;
    bool unreadable = false;  // load() fails, as for a damaged archive

    std::optional<CachedResponse> lookup(std::string_view url) override {
        auto it = entries.find(normalize_url(url).value_or(std::string(url)));
        if (it == entries.end()) return std::nullopt;
        return it->second;
    }
    Result<Exchange> load(const CachedResponse& entry) override {
        if (unreadable) return fail(ErrorCode::store, "the stored copy is damaged");
        return sink_.exchanges.at(entry.stored.offset);
    }
    Result<void> remember(const CachedResponse& entry) override {
        entries[entry.url] = entry;
        return {};
    }

private:
    MemorySink& sink_;
};

const std::string page_url = "http://www.nytimes.com/2023/10/17/page.html";
const std::string page_body = "<html><body><p>more than 30 countries</p></body></html>";

struct CachingServer {
    FixtureServer server{test::FixtureServerOptions{}};
    CachingServer() {
        Route r;
        r.host = "www.nytimes.com";
        r.path = "/2023/10/17/page.html";
        r.handler = [](const httplib::Request& req, httplib::Response& res) {
            res.set_header("ETag", "\"v1\"");
            if (req.get_header_value("If-None-Match") == "\"v1\"") {
                res.status = 304;
                return;
            }
            res.status = 200;
            res.set_content(page_body, "text/html; charset=utf-8");
        };
        server.add_route(std::move(r));
    }
    [[nodiscard]] FetchOptions options() const { return test::loopback_fetch_options(server); }
    [[nodiscard]] std::vector<std::string> if_none_match() const {
        std::vector<std::string> out;
        for (const auto& r : server.requests()) {
            std::string v;
            for (const auto& h : r.headers) {
                if (h.name == "If-None-Match") v = h.value;
            }
            out.push_back(v);
        }
        return out;
    }
};

}  // namespace

TEST_CASE("cache: a response is remembered, then revalidated and reused on 304", "[integration]") {
    CachingServer web;
    MemorySink sink;
    MemoryCache cache(sink);
    FixedClock first_time(*parse_rfc3339("2023-10-19T08:15:00Z"));
    {
        Capturer capturer(web.options(), test::builtin_rules(), &sink, nullptr, first_time);
        capturer.set_cache(&cache, std::nullopt);
        auto c = capturer.capture_urls({page_url}).at(0);
        REQUIRE(c.ok());
        CHECK_FALSE(c.cache.has_value());
    }
    REQUIRE(cache.entries.size() == 1);
    const CachedResponse& entry = cache.entries.begin()->second;
    CHECK(entry.etag == "\"v1\"");
    CHECK(entry.fetched_at == "2023-10-19T08:15:00Z");
    CHECK(entry.payload_sha256 == sha256_hex(page_body));

    FixedClock later(*parse_rfc3339("2023-10-20T09:00:00Z"));
    Capturer capturer(web.options(), test::builtin_rules(), &sink, nullptr, later);
    capturer.set_cache(&cache, std::nullopt);
    auto c = capturer.capture_urls({page_url}).at(0);
    REQUIRE(c.ok());
    REQUIRE(c.cache.has_value());
    CHECK(c.cache->state == CacheState::revalidated);
    CHECK(c.cache->validated_at == "2023-10-20T09:00:00Z");
    CHECK(c.status == 200);
    CHECK(c.body == page_body);
    CHECK(c.fetched_at == "2023-10-19T08:15:00Z");
    CHECK(c.payload_sha256 == sha256_hex(page_body));
    REQUIRE(c.stored.has_value());
    CHECK(c.stored->record_id == "<urn:uuid:m-1>");
    REQUIRE(c.chain.size() == 1);
    CHECK(c.chain[0].status == 304);
    CHECK(web.if_none_match() == std::vector<std::string>{"", "\"v1\""});
    // The 304 went to the archive as a revisit of the stored response, not as a response of its own.
    CHECK(sink.exchanges.size() == 1);
    REQUIRE(sink.revisits.size() == 1);
    CHECK(sink.revisits[0].first.status == 304);
    CHECK(sink.revisits[0].second.stored.record_id == "<urn:uuid:m-1>");
    CHECK(cache.entries.begin()->second.validated_at == "2023-10-20T09:00:00Z");
}

TEST_CASE("cache: a stored copy that cannot be read back makes the URL be asked again", "[integration]") {
    CachingServer web;
    MemorySink sink;
    MemoryCache cache(sink);
    SystemClock clock;
    {
        Capturer capturer(web.options(), test::builtin_rules(), &sink, nullptr, clock);
        capturer.set_cache(&cache, std::nullopt);
        auto first = capturer.capture_urls({page_url}).at(0);
        INFO((first.failure ? first.failure->message : std::string{}));
        REQUIRE(first.ok());
    }
    cache.unreadable = true;
    Capturer capturer(web.options(), test::builtin_rules(), &sink, nullptr, clock);
    capturer.set_cache(&cache, std::nullopt);
    auto c = capturer.capture_urls({page_url}).at(0);
    REQUIRE(c.ok());
    CHECK_FALSE(c.cache.has_value());
    CHECK(c.body == page_body);
    REQUIRE(c.chain.size() == 1);
    CHECK(c.chain[0].status == 200);
    // Unconditional, conditional (answered 304, useless), unconditional again.
    CHECK(web.if_none_match() == std::vector<std::string>{"", "\"v1\"", ""});
    CHECK(sink.revisits.empty());
}

TEST_CASE("cache: within --max-age the stored response is reused without a request", "[integration]") {
    CachingServer web;
    MemorySink sink;
    MemoryCache cache(sink);
    FixedClock t0(*parse_rfc3339("2023-10-19T08:15:00Z"));
    {
        Capturer capturer(web.options(), test::builtin_rules(), &sink, nullptr, t0);
        capturer.set_cache(&cache, std::chrono::hours(1));
        auto first = capturer.capture_urls({page_url}).at(0);
        INFO((first.failure ? first.failure->message : std::string{}));
        REQUIRE(first.ok());
    }
    REQUIRE(web.server.requests().size() == 1);

    FixedClock soon(*parse_rfc3339("2023-10-19T08:45:00Z"));
    {
        Capturer capturer(web.options(), test::builtin_rules(), &sink, nullptr, soon);
        capturer.set_cache(&cache, std::chrono::hours(1));
        auto c = capturer.capture_urls({page_url}).at(0);
        REQUIRE(c.ok());
        REQUIRE(c.cache.has_value());
        CHECK(c.cache->state == CacheState::fresh);
        CHECK(c.cache->validated_at == "2023-10-19T08:15:00Z");
        CHECK(c.body == page_body);
        CHECK(web.server.requests().size() == 1);
    }
    // Past max-age: revalidated instead.
    FixedClock late(*parse_rfc3339("2023-10-19T10:00:00Z"));
    Capturer capturer(web.options(), test::builtin_rules(), &sink, nullptr, late);
    capturer.set_cache(&cache, std::chrono::hours(1));
    auto c = capturer.capture_urls({page_url}).at(0);
    REQUIRE(c.cache.has_value());
    CHECK(c.cache->state == CacheState::revalidated);
    CHECK(web.server.requests().size() == 2);
}

}  // namespace provcheck
