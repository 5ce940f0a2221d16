// rules/sources.toml, read: how far beyond the links beside a quotation its sources are looked for
// (check/sources.hpp uses them). Read once at the start of a run, with every other rule file.
#pragma once

#include <toml++/toml.h>

#include <cstddef>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace provcheck {

struct SourceRules {
    std::size_t speaker_max_links = 32;                              // speaker.max_links
    std::size_t surname_min_letters = 3;                             // speaker.surname_min_letters
    std::size_t site_name_min_letters = 4;                           // organisation.site_name_min_letters
    std::vector<std::string> skip_words{"the", "of", "for", "and"};  // organisation.skip_words
    std::size_t cited_max_sources = 8;                               // cited.max_sources
    std::size_t cited_min_words = 6;                                 // cited.min_words
};

// Keys absent from `t` keep their default; an unknown key or a value of the wrong type or out of range is an
// ErrorCode::config error naming the file, the line and the key.
[[nodiscard]] Result<SourceRules> parse_source_rules(const toml::table& t);

}  // namespace provcheck
