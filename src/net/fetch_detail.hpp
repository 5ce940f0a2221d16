// What fetcher.cpp takes from the files split off it, so that its transfer loop reads without the detail: the
// checked --connect-to values joined again for curl (fetch_options_check.cpp), and what a transfer that ended in
// a curl error means for the capture: its failure class and message, whether the body so far was cut off, and
// whether another attempt may succeed (fetch_errors.cpp). Internal to the net module; a CURLcode is passed as int
// to keep curl out of this header, as in fetcher.hpp.
#pragma once

#include <string>
#include <string_view>

#include "core/types.hpp"
#include "net/fetcher.hpp"

namespace provcheck::detail {

// A parsed --connect-to value as curl takes it, "HOST1:PORT1:HOST2:PORT2".
[[nodiscard]] std::string join_connect_to(const ConnectTo& c);

// A transfer that ended with a curl error other than the ones the fetcher keeps as truncation.
struct TransferFailure {
    CaptureFailure failure;            // the class (failure_class_for_curl_code) and the message to report
    bool disconnected = false;         // the connection dropped: a body that had begun is truncated "disconnect"
    bool transient_transport = false;  // a reset, a timeout, a dropped connection, not a refused address
};

// `curl_code` is the transfer's CURLcode, `refused` the address the safety check refused ("" when none),
// `error_buffer` the transfer's CURLOPT_ERRORBUFFER.
[[nodiscard]] TransferFailure transfer_failure(int curl_code, std::string_view refused, const char* error_buffer);

}  // namespace provcheck::detail
