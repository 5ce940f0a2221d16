#include <catch2/catch.hpp>

#include "capture/charset.hpp"

namespace provcheck {

TEST_CASE("Charset labels map as browsers map them", "[unit]") {
    CHECK(canonical_charset("UTF-8") == "utf-8");
    CHECK(canonical_charset("utf8") == "utf-8");
    CHECK(canonical_charset("ISO-8859-1") == "windows-1252");
    CHECK(canonical_charset("us-ascii") == "windows-1252");
    CHECK(canonical_charset("\"Windows-1252\"") == "windows-1252");
    CHECK(canonical_charset("Shift_JIS") == "shift_jis");
    CHECK(canonical_charset("x-sjis") == "shift_jis");
    CHECK(canonical_charset("GB2312") == "gb18030");
    CHECK(canonical_charset("gb18030") == "gb18030");
    CHECK(canonical_charset("iso-8859-2") == "iso-8859-2");
    CHECK(canonical_charset("koi8-r") == "koi8-r");
    CHECK_FALSE(canonical_charset("no-such-charset").has_value());
    CHECK_FALSE(canonical_charset("").has_value());
}

TEST_CASE("The charset is read from the header parameter and from meta tags", "[unit]") {
    CHECK(charset_from_content_type("text/html; charset=Windows-1252") == "windows-1252");
    CHECK(charset_from_content_type("text/html;CHARSET=\"shift_jis\"; foo=bar") == "shift_jis");
    CHECK(charset_from_content_type("text/html").empty());
    CHECK(charset_from_meta("<html><head><meta charset=\"gb18030\"><title>") == "gb18030");
    CHECK(charset_from_meta("<head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=Shift_JIS\">") ==
          "shift_jis");
    CHECK(charset_from_meta("<head><meta name=viewport content=\"width=device-width\"><meta charset=utf-8>") ==
          "utf-8");
    CHECK(charset_from_meta("<head><title>charset=latin1</title>").empty());
    CHECK(charset_from_meta(std::string(5000, ' ') + "<meta charset=\"windows-1252\">").empty());  // too far in
}

TEST_CASE("windows-1252 curly quotes, Shift_JIS and GB18030 become UTF-8", "[unit]") {
    const std::string cp1252 =
        "<p>\x93"
        "Gaza\x94 \x97 it\x92s</p>";
    auto d = decode_text(cp1252, "text/html; charset=windows-1252", true);
    CHECK(d.charset == "windows-1252");
    CHECK(d.text == "<p>\u201cGaza\u201d \u2014 it\u2019s</p>");

    // ISO-8859-1 declared, the C1 bytes still decode as browsers decode them.
    CHECK(decode_text(cp1252, "text/html; charset=iso-8859-1", true).text == d.text);

    const std::string sjis = "<meta charset=\"Shift_JIS\"><p>\x81u\x88\xf8\x97p\x81v\x93\x8c\x8b\x9e</p>";
    d = decode_text(sjis, "text/html", true);
    CHECK(d.charset == "shift_jis");
    CHECK(d.text == "<meta charset=\"Shift_JIS\"><p>\u300c\u5f15\u7528\u300d\u6771\u4eac</p>");

    const std::string gb = "\xa1\xb0\xd6\xd0\xce\xc4\xa1\xb1\xd2\xfd\xd3\xc3";
    d = decode_text(gb, "text/plain; charset=GB2312", false);
    CHECK(d.charset == "gb18030");
    CHECK(d.text == "\u201c\u4e2d\u6587\u201d\u5f15\u7528");
}

TEST_CASE("A byte order mark wins over the header; without any label the bytes decide", "[unit]") {
    auto d = decode_text("\xEF\xBB\xBF<p>\xE2\x80\x9Cx\xE2\x80\x9D</p>", "text/html; charset=windows-1252", true);
    CHECK(d.charset == "utf-8");
    CHECK(d.text == "<p>\u201cx\u201d</p>");

    d = decode_text(std::string("\xFF\xFE<\0p\0>\0", 8), "text/html", true);
    CHECK(d.charset == "utf-16le");
    CHECK(d.text == "<p>");

    d = decode_text("<p>caf\xC3\xA9</p>", "text/html", true);
    CHECK(d.charset == "utf-8");
    CHECK(d.text == "<p>caf\u00e9</p>");

    d = decode_text("<p>caf\xE9</p>", "text/html", true);
    CHECK(d.charset == "windows-1252");
    CHECK(d.text == "<p>caf\u00e9</p>");

    // A page claiming UTF-16 in its meta tag was read as ASCII to find it: it is not UTF-16.
    CHECK(decode_text("<meta charset=utf-16><p>x</p>", "text/html", true).charset == "utf-8");
    // An unknown label falls back to what the bytes look like.
    CHECK(decode_text("<p>x</p>", "text/html; charset=bogus", true).charset == "utf-8");
}

TEST_CASE("Undecodable bytes become U+FFFD and decoding goes on", "[unit]") {
    // 0x81 is unassigned in windows-1252; a lone Shift_JIS lead byte at the end is cut off.
    auto a = convert_to_utf8("a\x81z", "windows-1252");
    REQUIRE(a.has_value());
    CHECK(*a == "a\uFFFDz");
    auto b = convert_to_utf8("ok\x82", "shift_jis");
    REQUIRE(b.has_value());
    CHECK(*b == "ok\uFFFD");
    CHECK_FALSE(convert_to_utf8("x", "no-such-charset").has_value());
}

}  // namespace provcheck
