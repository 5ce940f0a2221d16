#include "core/exchange.hpp"

#include <fmt/core.h>

namespace provcheck {

Result<ExchangeSink::Stored> ExchangeSink::store_revisit(const Exchange& not_modified, const CachedResponse&) {
    return fail(ErrorCode::store, fmt::format("{}: this archive keeps no revisit records", not_modified.url));
}

}  // namespace provcheck
