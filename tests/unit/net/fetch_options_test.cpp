#include <curl/curl.h>

#include <catch2/catch.hpp>

#include "net/fetcher.hpp"

namespace provcheck {

TEST_CASE("connect-to values parse with curl's semantics", "[unit]") {
    auto any = parse_connect_to("::127.0.0.1:8443");
    REQUIRE(any.has_value());
    CHECK(any->host1.empty());
    CHECK(any->port1.empty());
    CHECK(any->host2 == "127.0.0.1");
    CHECK(any->port2 == "8443");

    auto exact = parse_connect_to("t.co:443:127.0.0.1:1234");
    REQUIRE(exact.has_value());
    CHECK(exact->host1 == "t.co");
    CHECK(exact->port1 == "443");

    auto v6 = parse_connect_to("[2001:db8::1]:80:[::1]:8080");
    REQUIRE(v6.has_value());
    CHECK(v6->host1 == "[2001:db8::1]");
    CHECK(v6->host2 == "[::1]");
    CHECK(v6->port2 == "8080");

    auto keep_port = parse_connect_to(":80:localhost:");
    REQUIRE(keep_port.has_value());
    CHECK(keep_port->port1 == "80");
    CHECK(keep_port->host2 == "localhost");
    CHECK(keep_port->port2.empty());
}

TEST_CASE("Malformed connect-to values are usage errors", "[unit]") {
    for (const char* bad : {"", "t.co:443", "t.co:443:127.0.0.1", "a:b:c:d", "t.co:443:127.0.0.1:99999",
                            "t.co:443:127.0.0.1:80:extra", "[::1:80:x:81"}) {
        INFO(bad);
        auto r = parse_connect_to(bad);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == ErrorCode::usage);
    }
}

TEST_CASE("Fetch options are validated before any transfer", "[unit]") {
    FetchOptions ok;
    CHECK(validate_fetch_options(ok).has_value());
    FetchOptions bad_timeout;
    bad_timeout.timeout_s = 0;
    CHECK_FALSE(validate_fetch_options(bad_timeout).has_value());
    FetchOptions bad_parallel;
    bad_parallel.host_parallel_max = 0;
    CHECK_FALSE(validate_fetch_options(bad_parallel).has_value());
    FetchOptions bad_ua;
    bad_ua.user_agent = "a\r\nX-Injected: 1";
    CHECK_FALSE(validate_fetch_options(bad_ua).has_value());
    FetchOptions bad_map;
    bad_map.connect_to = {"nonsense"};
    auto r = validate_fetch_options(bad_map);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message.find("nonsense") != std::string::npos);

    FetchOptions bad_retries;
    bad_retries.retries = -1;
    auto retries = validate_fetch_options(bad_retries);
    REQUIRE_FALSE(retries.has_value());
    CHECK(retries.error().message.find("--retries") != std::string::npos);
    FetchOptions bad_speed;
    bad_speed.speed_time_s = -1;
    CHECK_FALSE(validate_fetch_options(bad_speed).has_value());
    FetchOptions bad_limit;
    bad_limit.host_failure_limit = 0;
    CHECK_FALSE(validate_fetch_options(bad_limit).has_value());
}

TEST_CASE("Credentials are removed from URLs", "[unit]") {
    CHECK(strip_credentials("https://user:secret@example.org/a?b=1#c") == "https://example.org/a?b=1#c");
    CHECK(strip_credentials("http://user@example.org/") == "http://example.org/");
    CHECK(strip_credentials("https://example.org/x") == "https://example.org/x");
    CHECK_FALSE(strip_credentials("not a url").has_value());
}

TEST_CASE("Transfer results map to failure classes", "[unit]") {
    CHECK(failure_class_for_curl_code(CURLE_COULDNT_RESOLVE_HOST, false) == FailureClass::dns);
    CHECK(failure_class_for_curl_code(CURLE_COULDNT_CONNECT, false) == FailureClass::connect);
    CHECK(failure_class_for_curl_code(CURLE_COULDNT_CONNECT, true) == FailureClass::blocked_address);
    CHECK(failure_class_for_curl_code(CURLE_OPERATION_TIMEDOUT, false) == FailureClass::timeout);
    CHECK(failure_class_for_curl_code(CURLE_PEER_FAILED_VERIFICATION, false) == FailureClass::tls);
    CHECK(failure_class_for_curl_code(CURLE_SSL_CONNECT_ERROR, false) == FailureClass::tls);
    CHECK(failure_class_for_curl_code(CURLE_UNSUPPORTED_PROTOCOL, false) == FailureClass::unsupported_scheme);
    CHECK(failure_class_for_curl_code(CURLE_FILESIZE_EXCEEDED, false) == FailureClass::too_large);
    CHECK(failure_class_for_curl_code(CURLE_GOT_NOTHING, false) == FailureClass::connect);
    CHECK(failure_class_for_curl_code(CURLE_PARTIAL_FILE, false) == FailureClass::connect);
}

}  // namespace provcheck
