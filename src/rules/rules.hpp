// Declarative rules (rules/*.toml): loaded at run time, built in to the binary, overridable with --rules DIR.
// This module only loads, merges and digests the files (and reads outlets.toml and shorteners.toml); each
// stage parses its own section (attribute: attribution.toml, align: matching.toml, extract: sites/*.toml,
// capture: challenges.toml) from the toml tables here, strictly, through rules/rule_reader.hpp.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace provcheck {

struct RuleFile {
    std::string name;  // relative name: "attribution.toml", "sites/twitter.toml"
    std::string text;  // the merged TOML text's source files, concatenated for the digest
    toml::table table;
};

struct Outlet {
    std::string id;                    // rule id, "outlet.nyt"
    std::string name;                  // "The New York Times"
    std::vector<std::string> aliases;  // "NYT", "New York Times", "the Times"
    std::vector<std::string> domains;  // "nytimes.com"
};

struct Shortener {
    std::string host;        // "t.co"
    std::string user_agent;  // UA to try first ("" = the default one)
};

struct RuleSet {
    std::vector<RuleFile> files;  // sorted by name
    std::vector<Outlet> outlets;
    std::vector<Shortener> shorteners;
    std::string digest;  // hex SHA-256 over "name\0text\0" of every file in force, sorted by name

    // Table of a file by relative name; an empty table when absent.
    [[nodiscard]] const toml::table& table(std::string_view name) const;
    // Tables of every file under "sites/".
    [[nodiscard]] std::vector<const RuleFile*> site_files() const;
    // Outlet whose name or alias equals `name` (ignoring case and a leading "the"), or nullptr.
    [[nodiscard]] const Outlet* find_outlet(std::string_view name) const;
    // Outlet owning the host of `url` through one of its domains, or nullptr.
    [[nodiscard]] const Outlet* outlet_for_url(std::string_view url) const;
    [[nodiscard]] const Shortener* shortener_for_host(std::string_view host) const;
};

// A rules file larger than this is refused: the built-in ones are a few KiB.
inline constexpr std::uint64_t max_rule_file_bytes = 4ULL << 20;

// Built-in rules (compiled into the binary from rules/), with the files of `extra_dir` merged over them:
// a table key set in an extra file replaces the built-in value, except arrays of tables, which are appended.
// Errors (ErrorCode::config, naming the file and line): a file that does not parse, an extra file of a name
// no stage reads, an extra value that would replace a built-in table or array of tables by something else,
// and anything wrong in outlets.toml or shorteners.toml (read here). The other sections are read by their
// stages; the command runs each stage's reader on the merged rules right after loading them, so that every
// error in any file stops the run before anything is fetched.
[[nodiscard]] Result<RuleSet> load_rules(const std::optional<std::filesystem::path>& extra_dir = std::nullopt);

// Same, from explicit (name, text) pairs; `extra_origin` names the directory of the extra files in messages.
[[nodiscard]] Result<RuleSet> load_rules_from(const std::vector<std::pair<std::string, std::string>>& builtin,
                                              const std::vector<std::pair<std::string, std::string>>& extra = {},
                                              std::string_view extra_origin = "--rules");

// Names ignoring case and a leading "the ": "The New York Times" == "new york times".
[[nodiscard]] bool same_name(std::string_view a, std::string_view b) noexcept;

}  // namespace provcheck
