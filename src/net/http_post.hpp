// One HTTP POST and its answer, for services provcheck talks to rather than captures (a Time-Stamp Authority):
// nothing of it is archived. Only http and https; the answer's size and the whole exchange's time are bounded,
// redirects are not followed (a TSA that moves is misconfigured, and a POST must not be replayed elsewhere).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace provcheck {

struct PostOptions {
    std::chrono::milliseconds timeout{30'000};  // the whole exchange, connecting included
    std::size_t max_answer_bytes = 1 << 20;
    std::string user_agent = "provcheck";
};

struct PostAnswer {
    long status = 0;
    std::string content_type;
    std::string body;
};

// Errors (ErrorCode::network) name the URL and what failed: not http(s), the connection, the time limit, an
// answer over the size limit.
[[nodiscard]] Result<PostAnswer> http_post(std::string_view url, std::string_view content_type, std::string_view body,
                                           const PostOptions& options = {});

}  // namespace provcheck
