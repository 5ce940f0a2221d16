// Operational failures of the tool itself (bad config, unreadable input, disk full).
// Outcomes of checking (a dead link, a missing quote) are never errors: they are verdicts.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace provcheck {

enum class ErrorCode {
    usage,     // bad command line or configuration: exit 3
    config,    // rules or config file invalid: exit 3
    io,        // a file could not be read or written: exit 1
    parse,     // input bytes could not be understood (WARC, JSON, PEM): exit 1
    network,   // the transfer machinery itself failed (not a dead link): exit 1
    crypto,    // key or signature machinery failed: exit 1
    store,     // the workspace database failed: exit 1
    internal,  // a bug: exit 1
};

struct Error {
    ErrorCode code = ErrorCode::internal;
    std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

[[nodiscard]] inline std::unexpected<Error> fail(ErrorCode code, std::string message) {
    return std::unexpected(Error{code, std::move(message)});
}

// Exit code of the command line for an error (DESIGN.md: 1 runtime error, 3 usage or configuration).
[[nodiscard]] constexpr int exit_code_for(ErrorCode code) noexcept {
    return code == ErrorCode::usage || code == ErrorCode::config ? 3 : 1;
}

}  // namespace provcheck
