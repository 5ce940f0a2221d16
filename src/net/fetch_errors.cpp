#include "net/fetcher.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <string>
#include <utility>

#include "net/fetch_detail.hpp"

namespace provcheck {

FailureClass failure_class_for_curl_code(int curl_code, bool blocked) noexcept {
    const auto code = static_cast<CURLcode>(curl_code);
    if (blocked && code == CURLE_COULDNT_CONNECT) return FailureClass::blocked_address;
    switch (code) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
            return FailureClass::dns;
        case CURLE_OPERATION_TIMEDOUT:
            return FailureClass::timeout;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_ENGINE_NOTFOUND:
        case CURLE_SSL_ENGINE_SETFAILED:
        case CURLE_SSL_ENGINE_INITFAILED:
        case CURLE_SSL_SHUTDOWN_FAILED:
        case CURLE_SSL_CRL_BADFILE:
        case CURLE_SSL_ISSUER_ERROR:
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        case CURLE_SSL_INVALIDCERTSTATUS:
        case CURLE_SSL_CLIENTCERT:
        case CURLE_USE_SSL_FAILED:
            return FailureClass::tls;
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_URL_MALFORMAT:
            return FailureClass::unsupported_scheme;
        case CURLE_TOO_MANY_REDIRECTS:
            return FailureClass::too_many_redirects;
        case CURLE_FILESIZE_EXCEEDED:
            return FailureClass::too_large;
        default:
            return FailureClass::connect;
    }
}

namespace detail {

TransferFailure transfer_failure(int curl_code, std::string_view refused, const char* error_buffer) {
    const auto code = static_cast<CURLcode>(curl_code);
    const bool blocked = !refused.empty();
    const auto cls = failure_class_for_curl_code(code, blocked);
    std::string message;
    if (cls == FailureClass::blocked_address) {
        message = fmt::format("refused to connect to {}", refused);
    } else {
        message = error_buffer[0] != '\0' ? std::string(error_buffer) : curl_easy_strerror(code);
    }
    TransferFailure out;
    out.disconnected = code == CURLE_PARTIAL_FILE || code == CURLE_RECV_ERROR;
    out.failure = CaptureFailure{cls, std::move(message)};
    switch (code) {
        case CURLE_COULDNT_CONNECT:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
            out.transient_transport = !blocked;
            break;
        default:
            break;
    }
    return out;
}

}  // namespace detail

}  // namespace provcheck
