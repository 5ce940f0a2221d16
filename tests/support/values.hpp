// Values a test cannot go on without: the value of a Result, the time an RFC 3339 string names. The test stops
// there when there is none.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <utility>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace provcheck::test {

template <class T>
T must(Result<T> result) {
    if (!result) FAIL_CHECK(result.error().message);
    REQUIRE(result.has_value());
    return std::move(*result);
}

inline std::chrono::system_clock::time_point at(const char* rfc3339) {
    const auto t = parse_rfc3339(rfc3339);
    REQUIRE(t.has_value());
    return *t;
}

}  // namespace provcheck::test
