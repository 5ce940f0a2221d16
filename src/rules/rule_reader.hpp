// Reading rules files strictly, with errors that name the file, the line and the key.
//
// Every stage that reads a section of the rules (rules/outlets.toml and shorteners.toml here, attribution.toml
// in attribute/, matching.toml in align/, sites/*.toml in extract/, challenges.toml in capture/) reads it
// through a RuleTable, so that the same things are errors everywhere: a key the stage does not know, a value of
// the wrong type or out of range, a table where an array of tables is expected (and the other way round), a
// required key missing. An Error (ErrorCode::config) reads "FILE:LINE: KEY: what is wrong", where FILE is the
// file the offending value was read from: rules/NAME for a built-in file, the path of a --rules file (the
// toml nodes keep where they were read through load_rules' merge) and KEY its dotted path ("outlet[3].domains").
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace provcheck {

// "FILE:LINE" of a node, or `fallback` (a file name) when the node does not know where it was read.
[[nodiscard]] std::string rule_location(const toml::node& node, std::string_view fallback);

// What a node is, for messages: "a string", "an integer", "a table", "an array of tables", ….
[[nodiscard]] std::string_view rule_node_kind(const toml::node& node);

class RuleTable {
public:
    // `file`: the rule file's name, for nodes that do not know where they were read ("rules/outlets.toml");
    // `path`: where this table sits in the file ("outlet[2]"); empty for the file's top level.
    RuleTable(const toml::table& table, std::string file, std::string path = {});

    [[nodiscard]] const toml::table& table() const noexcept { return *table_; }
    [[nodiscard]] const std::string& file() const noexcept { return file_; }
    // The dotted path of `key` in this table ("outlet[2].domains").
    [[nodiscard]] std::string key_path(std::string_view key) const;
    // An ErrorCode::config at `key` (its node when present, else this table).
    [[nodiscard]] Error error(std::string_view key, std::string_view what) const;

    // Every key of the table must be one of `known`.
    [[nodiscard]] Result<void> allow_only(std::initializer_list<std::string_view> known) const;
    [[nodiscard]] Result<void> allow_only(std::span<const std::string_view> known) const;

    // Absent keys give nullopt (or an empty list); a present key of the wrong type is an error.
    [[nodiscard]] Result<std::optional<std::string>> string(std::string_view key) const;
    // Present and a non-empty string.
    [[nodiscard]] Result<std::string> required_string(std::string_view key) const;
    // An array of strings; with `non_empty_items`, an empty string in it is an error.
    [[nodiscard]] Result<std::optional<std::vector<std::string>>> strings(std::string_view key,
                                                                          bool non_empty_items = false) const;
    [[nodiscard]] Result<std::optional<std::int64_t>> integer(std::string_view key, std::int64_t lo,
                                                              std::int64_t hi) const;
    [[nodiscard]] Result<std::optional<bool>> boolean(std::string_view key) const;
    // A table ([key] or key = {…}).
    [[nodiscard]] Result<std::optional<RuleTable>> table(std::string_view key) const;
    // An array of tables ([[key]]); absent: none.
    [[nodiscard]] Result<std::vector<RuleTable>> tables(std::string_view key) const;

private:
    const toml::table* table_;
    std::string file_;
    std::string path_;
};

}  // namespace provcheck
