#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <thread>

#include "core/clock.hpp"
#include "core/fs.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"
#include "core/types.hpp"
#include "core/url.hpp"
#include "support/temp_dir.hpp"

using namespace provcheck;

TEST_CASE("sha256 matches the FIPS 180-2 examples", "[unit]") {
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    Sha256Stream s;
    s.update("a");
    s.update("bc");
    CHECK(to_hex(s.finish()) == sha256_hex("abc"));
}

TEST_CASE("hex and base64 round trip and reject garbage", "[unit]") {
    CHECK(to_hex(std::string("\x00\xff\x10", 3)) == "00ff10");
    CHECK(from_hex("00FF10") == std::string("\x00\xff\x10", 3));
    CHECK_FALSE(from_hex("0g").has_value());
    CHECK_FALSE(from_hex("abc").has_value());
    // RFC 4648 section 10 test vectors.
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_encode("foobar") == "Zm9vYmFy");
    CHECK(base64_decode("Zm9vYg==") == std::string("foob"));
    CHECK(base64_decode("Zm9vYmE") == std::string("fooba"));
    CHECK_FALSE(base64_decode("Zm9v!").has_value());
    CHECK_FALSE(base64_decode("Z").has_value());
}

TEST_CASE("whitespace collapses across Unicode spaces and invalid UTF-8 is repaired", "[unit]") {
    CHECK(collapse_whitespace("  a\u00a0\u00a0b\n\tc\u2009 ") == "a b c");
    CHECK(sanitize_utf8("ok\xff\xfe!") == "ok\xEF\xBF\xBD\xEF\xBF\xBD!");
    CHECK(sanitize_utf8("\xe2\x80\x9c") == "\xe2\x80\x9c");
    CHECK(sanitize_utf8(std::string("a\0b", 3)) ==
          "a\xEF\xBF\xBD"
          "b");
    CHECK(iequals("Content-Type", "content-type"));
    CHECK(trim("  x \r\n") == "x");
    CHECK(split("a,b,,c", ',').size() == 4);
}

TEST_CASE("text from pages is made safe for a terminal", "[unit]") {
    const std::string fffd = "\xEF\xBF\xBD";
    CHECK(terminal_safe("plain “quoted” text") == "plain “quoted” text");
    CHECK(terminal_safe("a\tb\nc\rd") == "a b c d");
    // ESC and BEL (an OSC title change, a screen clear), DEL and a C1 control.
    CHECK(terminal_safe("x\x1b]0;pwned\x07y") == "x" + fffd + "]0;pwned" + fffd + "y");
    CHECK(terminal_safe("\x1b[2J\x7f") == fffd + "[2J" + fffd);
    CHECK(terminal_safe("a\xc2\x9b"
                        "b") == "a" + fffd + "b");
    // Bidirectional overrides and isolates; other marks stay.
    CHECK(terminal_safe("x\xe2\x80\xaey\xe2\x81\xa6z") == "x" + fffd + "y" + fffd + "z");
    CHECK(terminal_safe("\xe2\x80\x94 \xc2\xa0") == "\xe2\x80\x94 \xc2\xa0");
}

TEST_CASE("URLs resolve and hosts match domains", "[unit]") {
    CHECK(resolve_url("https://www.example.com/a/b.html", "../c?x=1#f") == "https://www.example.com/c?x=1#f");
    CHECK(resolve_url("https://t.co/x", "https://bit.ly/y") == "https://bit.ly/y");
    auto p = parse_url("HTTPS://User:pw@WWW.NYTimes.com:8443/a?b=c#d");
    REQUIRE(p);
    CHECK(p->scheme == "https");
    CHECK(p->host == "www.nytimes.com");
    CHECK(p->port == "8443");
    CHECK(p->path == "/a?b=c");
    CHECK(p->has_credentials);
    CHECK(normalize_url("HTTP://Example.COM/Path#frag") == "http://example.com/Path");
    CHECK(host_in_domain("www.nytimes.com", "nytimes.com"));
    CHECK(host_in_domain("nytimes.com", "nytimes.com"));
    CHECK_FALSE(host_in_domain("evilnytimes.com", "nytimes.com"));
    CHECK(is_http_url("https://x"));
    CHECK_FALSE(is_http_url("file:///etc/passwd"));
    CHECK(file_uri("/tmp/a b.html") == "file:///tmp/a%20b.html");
}

TEST_CASE("RFC 3339 times format and parse", "[unit]") {
    auto t = parse_rfc3339("2023-10-19T08:15:00Z");
    REQUIRE(t);
    CHECK(format_rfc3339(*t) == "2023-10-19T08:15:00Z");
    auto offset = parse_rfc3339("2023-10-19T10:15:00.123+02:00");
    REQUIRE(offset);
    CHECK(format_rfc3339(*offset) == "2023-10-19T08:15:00Z");
    CHECK_FALSE(parse_rfc3339("2023-13-01T00:00:00Z"));
    CHECK_FALSE(parse_rfc3339("yesterday"));
}

TEST_CASE("enum names round trip", "[unit]") {
    for (auto v : {Verdict::verbatim, Verdict::elided, Verdict::minor_variation, Verdict::altered, Verdict::not_found,
                   Verdict::source_restricted, Verdict::source_unavailable, Verdict::unsourced}) {
        CHECK(verdict_from_string(to_string(v)) == v);
    }
    CHECK(to_string(DiffKind::case_change) == "case");
    CHECK(to_string(HopVia::js_location) == "js_location");
    CHECK(failure_class_from_string("bot_challenge") == FailureClass::bot_challenge);
    CHECK_FALSE(verdict_from_string("fine").has_value());
}

TEST_CASE("files are written atomically and read back", "[unit]") {
    test::TempDir dir;
    REQUIRE(write_file_atomic(dir / "a.txt", "hello"));
    CHECK(read_file(dir / "a.txt").value() == "hello");
    auto missing = read_file(dir / "missing.txt");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("missing.txt") != std::string::npos);
    CHECK_FALSE(read_file(dir.path()));
    CHECK_FALSE(write_file_atomic(dir / "no" / "such" / "dir.txt", "x"));
}

TEST_CASE("writing over a pipe or a link writes through it and never replaces it", "[unit]") {
    test::TempDir dir;
    // A named pipe stands for /dev/null and /dev/stdout: replacing it by a file would break it for everyone.
    const auto fifo = dir / "pipe";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::string received;
    std::thread reader([&] { received = read_file(fifo, {.allow_pipe = true}).value_or("(unreadable)"); });
    REQUIRE(write_file_atomic(fifo, "through the pipe"));
    reader.join();
    CHECK(received == "through the pipe");
    CHECK(std::filesystem::is_fifo(std::filesystem::symlink_status(fifo)));

    // A symbolic link keeps pointing where it did; the file it names gets the new content.
    REQUIRE(write_file_atomic(dir / "real.txt", "old"));
    std::filesystem::create_symlink(dir / "real.txt", dir / "link.txt");
    REQUIRE(write_file_atomic(dir / "link.txt", "new"));
    CHECK(std::filesystem::is_symlink(std::filesystem::symlink_status(dir / "link.txt")));
    CHECK(read_file(dir / "real.txt").value() == "new");

    // A directory is an error that names it, and stays a directory.
    std::filesystem::create_directories(dir / "sub");
    auto onto_dir = write_file_atomic(dir / "sub", "x");
    REQUIRE_FALSE(onto_dir);
    CHECK(onto_dir.error().message.find("is a directory") != std::string::npos);
    CHECK(std::filesystem::is_directory(dir / "sub"));
}

TEST_CASE("free_string gives the buffer back, where assigning an empty string would not", "[unit]") {
    std::string s(1 << 20, 'x');
    free_string(s);
    CHECK(s.empty());
    CHECK(s.capacity() < 64);
}
