// Each subcommand lives in its own file: add_<name>_command() declares the subcommand and its options on
// the parser and returns what to run once the command line has been parsed. Option values live in state
// owned by the returned runner, so a command file is the only place that knows its options.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/config.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "record/verify.hpp"
#include "store/db.hpp"

namespace provcheck {

struct Command {
    CLI::App* parser = nullptr;
    std::function<int()> run;  // called when `parser` was the subcommand given
};

// `command_line` is recorded with the run in the workspace.
[[nodiscard]] Command add_check_command(CLI::App& app, std::string command_line);
[[nodiscard]] Command add_verify_command(CLI::App& app);
[[nodiscard]] Command add_show_command(CLI::App& app);
[[nodiscard]] Command add_keygen_command(CLI::App& app);
[[nodiscard]] Command add_key_command(CLI::App& app);
[[nodiscard]] Command add_log_command(CLI::App& app);
[[nodiscard]] Command add_extract_command(CLI::App& app);
[[nodiscard]] Command add_export_command(CLI::App& app);
[[nodiscard]] Command add_recheck_command(CLI::App& app, std::string command_line);

// Exit codes (DESIGN.md): 0 pass, 1 runtime error, 2 verification failures, 3 usage or configuration error.
inline constexpr int exit_ok = 0;
inline constexpr int exit_runtime = 1;
inline constexpr int exit_failures = 2;
inline constexpr int exit_usage = 3;

// Prints "provcheck: <message>" on stderr and returns the exit code for the error.
int report_error(const Error& e);

// Opens the workspace database; `create` makes the directory when missing (check), otherwise a missing
// workspace is a usage error (verify, show, log).
[[nodiscard]] Result<Database> open_workspace(const std::filesystem::path& workspace, bool create);

// Writes to FILE (atomically) or, for nullopt or "-", to standard output.
[[nodiscard]] Result<void> write_output(const std::optional<std::string>& path, const std::string& text);
// The same, written piece by piece as `produce` hands the pieces over.
[[nodiscard]] Result<void> write_output(const std::optional<std::string>& path, const ByteProducer& produce);

// Sets from provcheck.toml every option of `parser` that the command line left alone (the command line wins).
// A key `parser` does not have is an ErrorCode::config Error naming it when `unknown_is_error`, else skipped (a
// key of another command's).
[[nodiscard]] Result<void> apply_config_options(CLI::App& parser, const CheckConfig& cfg, bool unknown_is_error);

// Keys whose signatures verify: keyring files given with --trust (PEM public or private keys, several per
// file), plus the public half of the signing key (--key, PROVCHECK_KEY or the default) when no keyring was
// given or --key was.
[[nodiscard]] Result<TrustedKeys> trusted_keys(const std::optional<std::filesystem::path>& key_file,
                                               const std::vector<std::filesystem::path>& trust_files);

}  // namespace provcheck
