#include "core/exchange.hpp"

#include <fmt/core.h>

#include "core/hash.hpp"

namespace provcheck {

std::uint64_t body_size(const Exchange& ex) noexcept {
    return ex.spooled ? ex.spooled->size() : ex.body.size();
}

Result<void> load_spooled_body(Exchange& ex) {
    if (!ex.spooled) return {};
    auto bytes = ex.spooled->read_all();
    if (!bytes) return std::unexpected(bytes.error());
    ex.body = std::move(*bytes);
    ex.spooled.reset();
    return {};
}

Result<std::string> payload_sha256_hex(const Exchange& ex) {
    if (!ex.spooled) return sha256_hex(ex.body);
    Sha256Stream hash;
    auto ok = ex.spooled->for_each_chunk([&](std::string_view piece) -> Result<void> {
        hash.update(piece);
        return {};
    });
    if (!ok) return std::unexpected(ok.error());
    return to_hex(hash.finish());
}

Result<ExchangeSink::Stored> ExchangeSink::store_revisit(const Exchange& not_modified, const CachedResponse&) {
    return fail(ErrorCode::store, fmt::format("{}: this archive keeps no revisit records", not_modified.url));
}

}  // namespace provcheck
