// What the CLI tests share about the seed case: the stand-in NYT URL and finding a claim in a JSON report.
#pragma once

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace provcheck::test {

inline const std::string seed_nyt_url =
    "https://www.nytimes.com/2023/10/17/us/politics/qatar-hamas-hostages-mediator.html";

// The first claim of the report's first article whose quotation contains `text`; fails the test if none.
inline const nlohmann::json& claim_containing(const nlohmann::json& report, std::string_view text) {
    for (const auto& c : report["articles"][0]["claims"]) {
        if (c["quote"].get<std::string>().find(text) != std::string::npos) return c;
    }
    FAIL("no claim quotes '" << text << "'");
    static const nlohmann::json none;
    return none;
}

}  // namespace provcheck::test
