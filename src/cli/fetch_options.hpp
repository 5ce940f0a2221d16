// The network options of `check` (curl's spelling where curl has the option), declared in one place.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

#include "net/fetcher.hpp"

namespace provcheck {

void add_fetch_options(CLI::App& command, FetchOptions& options);

// A validator for a whole-number option: anything but a whole number from `lo` to `hi` is refused (the
// command line exits 3) with a message naming the value and what to give instead, e.g. "--max-filesize: -1
// is not allowed: give a number of bytes from 1 to 1099511627776". It runs on the text as given, before any
// conversion, so that "-1" never wraps round into a huge unsigned value.
[[nodiscard]] CLI::Validator whole_number(std::int64_t lo, std::int64_t hi, std::string what);
// Turns a duration with a unit ("30s", "2m", "250ms", "1h", "1d") into a whole number of the option's unit
// (`unit_ms` milliseconds each, named `unit_name`); a bare number passes as it is.
[[nodiscard]] CLI::Validator duration_in(std::int64_t unit_ms, std::string unit_name);

}  // namespace provcheck
