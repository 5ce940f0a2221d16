// fuzz-modules: core check/sitemap.cpp extract/utf8.cpp
// fuzz-libs: libutf8proc libcurl
// fuzz-seeds: fuzz/seeds/sitemap/*.xml fixtures/hostile/*.xml
// fuzz-options: -max_len=65536
//
// libFuzzer target for the sitemap reader of `check --sitemap`: any bytes give entries or an Error, and every
// entry that is followed is an absolute http(s) URL with a host, read against a remote sitemap's address or
// not at all for a sitemap read from a file: never a path, a file: URL or a URL without a host.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "check/sitemap.hpp"
#include "core/text.hpp"
#include "core/url.hpp"

namespace {

void require(bool ok) {
    if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view xml(reinterpret_cast<const char*>(data), size);
    auto map = provcheck::parse_sitemap(xml);
    if (!map) return 0;
    for (const auto& e : map->entries) {
        require(!e.loc.empty());
        require(provcheck::trim(e.loc) == e.loc);
        for (std::string_view base :
             {"https://www.example.org/news/sitemap.xml", "http://example.org:8080/a/b?c", "sitemap.xml", ""}) {
            auto url = provcheck::entry_url(e, base);
            if (!url) continue;
            require(provcheck::is_absolute_http_url(*url));
            const auto parts = provcheck::parse_url(*url);
            require(parts && !parts->host.empty() && (parts->scheme == "http" || parts->scheme == "https"));
            // A sitemap read from a file (no http(s) address) only yields what it spelt out in full.
            if (!provcheck::is_http_url(base)) require(provcheck::is_http_url(e.loc));
        }
        static_cast<void>(provcheck::modified_since(e, "2023-10-17"));
    }
    return 0;
}
