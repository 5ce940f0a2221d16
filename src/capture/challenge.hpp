// Recognising bot walls (rules/challenges.toml): a CDN's or bot manager's challenge or block page served
// instead of the source. Pure functions over one response: no fetching.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "core/error.hpp"
#include "core/types.hpp"

namespace provcheck {

struct ChallengeHeaderRule {
    std::string id;
    std::string name;                 // header name, compared ignoring case
    std::vector<std::string> values;  // any of them, ignoring case; empty: the header's presence marks
};

struct ChallengeMarkupRule {
    std::string id;
    std::vector<std::string> contains;  // all of them, case-sensitive
    std::vector<int> statuses;          // empty: any status
    std::optional<std::size_t> max_bytes;
};

struct ChallengeRules {
    std::vector<ChallengeHeaderRule> headers;
    std::vector<ChallengeMarkupRule> markup;
};

// Reads the table of challenges.toml; ErrorCode::config naming the bad entry.
[[nodiscard]] Result<ChallengeRules> parse_challenge_rules(const toml::table& table);

// The id of the first rule that marks this response as a bot wall, or nullopt.
[[nodiscard]] std::optional<std::string> detect_challenge(const ChallengeRules& rules, int status,
                                                          const std::vector<Header>& headers, std::string_view body);

}  // namespace provcheck
