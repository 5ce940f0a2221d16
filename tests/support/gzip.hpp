// gzip for fixture responses that must arrive Content-Encoding: gzip, whatever the server library supports.
#pragma once

#include <zlib.h>

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

namespace provcheck::test {

// `data` as one gzip member, at the best compression (so that a long run of one byte makes a bomb).
inline std::string gzip_bytes(std::string_view data) {
    z_stream zs{};
    REQUIRE(deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

}  // namespace provcheck::test
