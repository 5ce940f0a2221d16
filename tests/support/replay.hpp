// What a replay source answers for a URL, for tests that only ask whether it has a readable answer.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/clock.hpp"
#include "core/exchange.hpp"
#include "support/values.hpp"

namespace provcheck::test {

// The clock the WARC tests write with: the seed's capture time.
inline FixedClock capture_clock() {
    return FixedClock(at("2023-10-19T08:15:00Z"));
}

// find() with the default --max-filesize; a record that cannot be read counts as no answer (its reason is
// shown with the test's other messages).
inline std::optional<Exchange> replay_find(const ReplaySource& source, std::string_view url,
                                           std::uint64_t max_body = 32ULL << 20) {
    auto found = source.find(url, max_body);
    if (!found) {
        UNSCOPED_INFO(found.error().message);
        return std::nullopt;
    }
    return std::move(*found);
}

}  // namespace provcheck::test
