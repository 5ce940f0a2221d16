// What fetcher.cpp takes from the files split off it, so that its transfer loop reads without the detail: the
// checked --connect-to values joined again for curl (fetch_options_check.cpp). Internal to the net module.
#pragma once

#include <string>

#include "net/fetcher.hpp"

namespace provcheck::detail {

// A parsed --connect-to value as curl takes it, "HOST1:PORT1:HOST2:PORT2".
[[nodiscard]] std::string join_connect_to(const ConnectTo& c);

}  // namespace provcheck::detail
