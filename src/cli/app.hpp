// The command line: parses arguments (CLI11), wires stages, prints, returns the exit code
// (0 pass, 1 runtime error, 2 verification failures, 3 usage or configuration error).
#pragma once

namespace provcheck {

[[nodiscard]] int run_cli(int argc, char** argv);

}  // namespace provcheck
