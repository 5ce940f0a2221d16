// provcheck.toml: the options of `check` kept in a file, for a newsroom's CI or a fact-checker's desk.
//
// Keys are the long options' names ("fail-on", "max-redirs"; "fail_on" is read the same), with TOML
// values: a string, integer, float or boolean, or an array of them for a repeatable option. Besides them:
// `[[source]]` tables (`name`, and `url` or `path`) binding sources as --source NAME=URL does, and
// `[host."NAME"]` tables of network settings for the host NAME and its subdomains: parallel_max,
// interval_ms, timeout (seconds), retries, user_agent, max_filesize (bytes), speed_limit (bytes/s) and
// speed_time (seconds) ("-" and "_" alike). Where several names cover a host, the longest wins key by key.
// An unknown key, a key in a [[source]] or [host."NAME"] table that is not one of those, a value of the
// wrong type or out of range, or a NAME that is not a host name is an ErrorCode::config naming it.
//
// Never: applies anything itself. It reads the file and says what it holds; the command decides that the
// command line wins.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "check/options.hpp"
#include "core/error.hpp"

namespace provcheck {

struct ConfigOption {
    std::string key;                  // the option's long name, without "--"
    std::vector<std::string> values;  // each as it would be written on the command line
};

struct CheckConfig {
    std::string origin;  // the file's path, for messages
    std::vector<ConfigOption> options;
    std::vector<SourceBinding> sources;  // from [[source]] tables
    std::vector<HostOverride> hosts;     // from [host."NAME"] tables, in file order, names in lower case
};

// `is_option(key)` says whether `key` is a long option of the command that may be set from a file.
[[nodiscard]] Result<CheckConfig> parse_check_config(std::string_view toml_text, std::string_view origin,
                                                     const std::function<bool(std::string_view)>& is_option);

// The file given (which must exist), else ./provcheck.toml when present, else nullopt.
[[nodiscard]] Result<std::optional<CheckConfig>> load_check_config(
    const std::optional<std::filesystem::path>& explicit_path, const std::function<bool(std::string_view)>& is_option);

}  // namespace provcheck
