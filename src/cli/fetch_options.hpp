// The network options of `check` (curl's spelling where curl has the option), declared in one place.
#pragma once

#include <CLI/CLI.hpp>

#include "net/fetcher.hpp"

namespace provcheck {

void add_fetch_options(CLI::App& command, FetchOptions& options);

}  // namespace provcheck
