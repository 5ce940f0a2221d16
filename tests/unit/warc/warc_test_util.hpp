// Helpers for the WARC tests: independent gzip and SHA-256 (straight zlib and OpenSSL, not the code under
// test), file writing, and a sample exchange.
#pragma once

#include <openssl/evp.h>
#include <zlib.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/exchange.hpp"

namespace provcheck::test {

inline std::string gzip_bytes(std::string_view data, int window_bits = 15 + 16) {
    z_stream z{};
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("deflateInit2");
    }
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&z, Z_FINISH);
    out.resize(out.size() - z.avail_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END) throw std::runtime_error("deflate");
    return out;
}

// Decompresses exactly one gzip member; throws when `data` is not one whole member.
inline std::string gunzip_member(std::string_view data) {
    z_stream z{};
    if (inflateInit2(&z, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2");
    std::string out;
    std::array<char, 4096> buf{};
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef*>(buf.data());
        z.avail_out = static_cast<uInt>(buf.size());
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buf.data(), buf.size() - z.avail_out);
    }
    std::size_t left = z.avail_in;
    inflateEnd(&z);
    if (rc != Z_STREAM_END || left != 0) throw std::runtime_error("not exactly one gzip member");
    return out;
}

// Every member of a multi-member gzip file, decompressed and joined.
inline std::string gunzip_all(std::string_view data) {
    z_stream z{};
    if (inflateInit2(&z, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2");
    std::string out;
    std::array<char, 4096> buf{};
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    for (;;) {
        z.next_out = reinterpret_cast<Bytef*>(buf.data());
        z.avail_out = static_cast<uInt>(buf.size());
        int rc = inflate(&z, Z_NO_FLUSH);
        out.append(buf.data(), buf.size() - z.avail_out);
        if (rc == Z_STREAM_END) {
            if (z.avail_in == 0) break;
            inflateReset(&z);
        } else if (rc != Z_OK) {
            inflateEnd(&z);
            throw std::runtime_error("gunzip_all");
        }
    }
    inflateEnd(&z);
    return out;
}

inline std::string openssl_sha256_hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("EVP_Digest");
    }
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) {
        hex += digits[md[i] >> 4];
        hex += digits[md[i] & 15];
    }
    return hex;
}

inline void write_bytes(const std::filesystem::path& p, std::string_view bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("write " + p.string());
}

inline std::string read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// One plain WARC record with a correct Content-Length.
inline std::string plain_record(std::string_view fields, std::string_view block,
                                std::string_view version = "WARC/1.1") {
    std::string out(version);
    out += "\r\n";
    out += fields;
    out += "Content-Length: " + std::to_string(block.size()) + "\r\n\r\n";
    out += block;
    out += "\r\n\r\n";
    return out;
}

inline Exchange sample_exchange(std::string url, std::string body) {
    Exchange ex;
    ex.url = std::move(url);
    ex.request_head = "GET / HTTP/1.1\r\nHost: example.org\r\nAccept-Encoding: gzip\r\n\r\n";
    ex.status = 200;
    ex.status_line = "HTTP/1.1 200 OK";
    ex.headers = {{"Date", "Thu, 19 Oct 2023 08:15:00 GMT"},
                  {"Content-Type", "text/html; charset=utf-8"},
                  {"Content-Encoding", "gzip"},
                  {"Transfer-Encoding", "chunked"},
                  {"Set-Cookie", "a=1"},
                  {"Set-Cookie", "b=2"}};
    ex.content_type = "text/html; charset=utf-8";
    ex.body = std::move(body);
    ex.remote_ip = "127.0.0.1";
    ex.fetched_at = "2023-10-19T08:15:00Z";
    return ex;
}

}  // namespace provcheck::test
