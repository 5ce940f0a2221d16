// The UTF-8 encoder: every code point in the shortest form, boundaries included, what valid UTF-8 cannot hold as
// U+FFFD, and the decoder reading back what the encoder wrote.
#include <catch2/catch.hpp>

#include <string>

#include "extract/utf8.hpp"

using namespace provcheck;

namespace {

std::string encoded(char32_t cp) {
    std::string out;
    utf8::append(out, cp);
    return out;
}

}  // namespace

TEST_CASE("utf8::append writes each code point in as few bytes as it needs", "[unit]") {
    CHECK(encoded(U'A') == "A");
    CHECK(encoded(0x7F) == "\x7f");
    CHECK(encoded(0x80) == "\xc2\x80");
    CHECK(encoded(U'\u00e9') == "\xc3\xa9");
    CHECK(encoded(0x7FF) == "\xdf\xbf");
    CHECK(encoded(0x800) == "\xe0\xa0\x80");
    CHECK(encoded(U'\u20ac') == "\xe2\x82\xac");
    CHECK(encoded(0xFFFF) == "\xef\xbf\xbf");
    CHECK(encoded(0x10000) == "\xf0\x90\x80\x80");
    CHECK(encoded(U'\U0001F600') == "\xf0\x9f\x98\x80");
    CHECK(encoded(0x10FFFF) == "\xf4\x8f\xbf\xbf");
    // U+0000 is one NUL byte: replacing it is the caller's choice.
    CHECK(encoded(0) == std::string(1, '\0'));
}

TEST_CASE("utf8::append writes U+FFFD for surrogates and values past U+10FFFF", "[unit]") {
    const std::string replacement = "\xef\xbf\xbd";
    CHECK(encoded(0xD7FF) == "\xed\x9f\xbf");
    CHECK(encoded(0xD800) == replacement);
    CHECK(encoded(0xDBFF) == replacement);
    CHECK(encoded(0xDC00) == replacement);
    CHECK(encoded(0xDFFF) == replacement);
    CHECK(encoded(0xE000) == "\xee\x80\x80");
    CHECK(encoded(0x110000) == replacement);
    CHECK(encoded(0xFFFFFFFF) == replacement);
}

TEST_CASE("utf8::append appends, and utf8::at reads back what it wrote", "[unit]") {
    std::string out = "x";
    for (const char32_t cp : {U'a', U'\u00e9', U'\u20ac', U'\U0001F600', U'\U0010FFFF'})
        utf8::append(out, cp);
    CHECK(out == "xa\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf");

    // Every code point below U+0800, then a stride through the rest; the decoder is utf8proc's, not ours.
    std::size_t read_back_wrong = 0;
    for (char32_t cp = 1; cp <= 0x10FFFF; cp += cp < 0x800 ? 1 : 97) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        const std::string s = encoded(cp);
        const utf8::CodePoint back = utf8::at(s, 0);
        if (back.cp != cp || back.len != s.size()) ++read_back_wrong;
    }
    CHECK(read_back_wrong == 0);
}
