#include "net/http_post.hpp"

#include <curl/curl.h>

#include <fmt/format.h>

#include "core/url.hpp"
#include "net/curl_handles.hpp"

namespace provcheck {

namespace {

struct Sink {
    std::string* body;
    std::size_t limit;
    bool over = false;
};

std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const std::size_t n = size * count;
    if (sink->body->size() + n > sink->limit) {
        sink->over = true;
        return 0;  // ends the transfer
    }
    sink->body->append(data, n);
    return n;
}

}  // namespace

Result<PostAnswer> http_post(std::string_view url, std::string_view content_type, std::string_view body,
                             const PostOptions& options) {
    if (!is_absolute_http_url(url)) {
        return fail(ErrorCode::network, fmt::format("{}: not an http(s) URL", url));
    }
    detail::EasyHandle curl(curl_easy_init());
    if (!curl) return fail(ErrorCode::network, "cannot start an HTTP transfer");
    const std::string target(url);
    const std::string type_header = fmt::format("Content-Type: {}", content_type);
    detail::Slist headers(curl_slist_append(nullptr, type_header.c_str()));
    PostAnswer answer;
    Sink sink{&answer.body, options.max_answer_bytes};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, target.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    const CURLcode rc = curl_easy_perform(c);
    if (sink.over) {
        return fail(ErrorCode::network,
                    fmt::format("{}: the answer is larger than {} bytes", target, options.max_answer_bytes));
    }
    if (rc != CURLE_OK) return fail(ErrorCode::network, fmt::format("{}: {}", target, curl_easy_strerror(rc)));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &answer.status);
    const char* ct = nullptr;
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
    if (ct != nullptr) answer.content_type = ct;
    return answer;
}

}  // namespace provcheck
