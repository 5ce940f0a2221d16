// The built-in rules, loaded once per test program (the test fails if they do not load).
#pragma once

#include <catch2/catch.hpp>

#include <utility>

#include "rules/rules.hpp"

namespace provcheck::test {

inline const RuleSet& builtin_rules() {
    static const RuleSet rules = [] {
        auto r = load_rules();
        REQUIRE(r.has_value());
        return std::move(*r);
    }();
    return rules;
}

}  // namespace provcheck::test
