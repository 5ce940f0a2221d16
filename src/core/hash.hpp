// SHA-256 through OpenSSL, and hex/base64 codecs. Pure functions: the only state is OpenSSL's SHA-256
// implementation, looked up once per process, and one reusable digest context per thread, which callers never
// see. Safe to call from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace provcheck {

using Sha256 = std::array<std::uint8_t, 32>;

[[nodiscard]] Sha256 sha256(std::string_view bytes);
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

// Incremental hashing for bodies that arrive in pieces.
class Sha256Stream {
public:
    Sha256Stream();
    ~Sha256Stream();
    Sha256Stream(const Sha256Stream&) = delete;
    Sha256Stream& operator=(const Sha256Stream&) = delete;
    void update(std::string_view bytes);
    [[nodiscard]] Sha256 finish();

private:
    void* ctx_;  // EVP_MD_CTX*, kept opaque so OpenSSL stays out of this header
};

[[nodiscard]] std::string to_hex(std::string_view bytes);
[[nodiscard]] std::string to_hex(const Sha256& digest);
[[nodiscard]] std::optional<std::string> from_hex(std::string_view hex);
[[nodiscard]] std::string as_bytes(const Sha256& digest);

[[nodiscard]] std::string base64_encode(std::string_view bytes);
// Standard alphabet with padding; also accepts input without padding. nullopt on any other byte.
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

}  // namespace provcheck
