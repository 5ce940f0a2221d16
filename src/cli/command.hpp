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
[[nodiscard]] Command add_enqueue_command(CLI::App& app);
[[nodiscard]] Command add_worker_command(CLI::App& app, std::string command_line);
[[nodiscard]] Command add_queue_command(CLI::App& app);

// Exit codes (DESIGN.md): 0 pass, 1 runtime error, 2 verification failures, 3 usage or configuration error.
inline constexpr int exit_ok = 0;
inline constexpr int exit_runtime = 1;
inline constexpr int exit_failures = 2;
inline constexpr int exit_usage = 3;

// Prints "provcheck: <message>" on stderr and returns the exit code for the error.
int report_error(const Error& e);

// Where a command's records live: a workspace directory (store.db and warc/), or a PostgreSQL store shared by many
// workers (--store postgresql://…, or `store` in provcheck.toml) with the directory of the WARC files every worker
// reaches (--warc-dir; the workspace's warc/ when not given).
struct StoreLocation {
    std::filesystem::path workspace = ".provcheck";
    std::string store;               // empty: the workspace's store.db
    std::filesystem::path warc_dir;  // empty: the workspace's warc/
    [[nodiscard]] std::filesystem::path archive_dir() const { return warc_dir.empty() ? workspace / "warc" : warc_dir; }
    [[nodiscard]] bool server() const noexcept { return !store.empty(); }
    // The options as declared (add_store_options): what the command line left unset is taken from
    // ./provcheck.toml's `workspace`, `store` and `warc-dir` by open_store(), for every command.
    const CLI::Option* workspace_option = nullptr;
    const CLI::Option* store_option = nullptr;
    const CLI::Option* warc_dir_option = nullptr;
};
// Declares --workspace, --store and --warc-dir on `cmd`.
void add_store_options(CLI::App& cmd, StoreLocation& loc);

// Opens the store: the PostgreSQL server of --store, or the workspace database, where `create` makes the
// directory when missing (check), otherwise a missing workspace is a usage error (verify, show, log). A --store
// that is not a postgresql:// URL is a usage error.
[[nodiscard]] Result<Database> open_store(const StoreLocation& loc, bool create);
// `loc` with what the command line left unset taken from ./provcheck.toml (`workspace`, `store`, `warc-dir`).
[[nodiscard]] Result<StoreLocation> resolve_store(const StoreLocation& loc);

// Writes to FILE (atomically) or, for nullopt or "-", to standard output.
[[nodiscard]] Result<void> write_output(const std::optional<std::string>& path, const std::string& text);
// The same, written piece by piece as `produce` hands the pieces over.
[[nodiscard]] Result<void> write_output(const std::optional<std::string>& path, const ByteProducer& produce);

// Sets from provcheck.toml every option of `parser` that the command line left alone (the command line wins).
// A key `parser` does not have is an ErrorCode::config Error naming it when `unknown_is_error`, else skipped (a
// key of another command's).
[[nodiscard]] Result<void> apply_config_options(CLI::App& parser, const CheckConfig& cfg, bool unknown_is_error);

struct InputList {
    std::vector<std::string> urls;
    std::vector<std::string> skipped;  // lines that are not absolute http(s) URLs, as written
};
// The URLs of an input list (FILE, or "-" for standard input). Like a sitemap, a list only names pages on the web:
// a line that is not an absolute http(s) URL is skipped (never opened as a file); local files are named on the
// command line.
[[nodiscard]] Result<InputList> read_input_list(const std::string& where);

// Applies ./provcheck.toml (or `config`) to a command that is not `check`: the keys `parser` has, or that `check`
// has (the network settings, the store), are taken where the command line left them alone; `fetch`, when given,
// takes the [host."NAME"] tables. Keys of neither command are an error naming them.
[[nodiscard]] Result<void> apply_shared_config(CLI::App& parser, const std::optional<std::filesystem::path>& config,
                                               FetchOptions* fetch);

// Keys whose signatures verify: keyring files given with --trust (PEM public or private keys, several per
// file), plus the public half of the signing key (--key, PROVCHECK_KEY or the default) when no keyring was
// given or --key was.
[[nodiscard]] Result<TrustedKeys> trusted_keys(const std::optional<std::filesystem::path>& key_file,
                                               const std::vector<std::filesystem::path>& trust_files);

}  // namespace provcheck
