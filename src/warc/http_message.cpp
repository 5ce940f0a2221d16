#include "warc/http_message.hpp"

#include <charconv>
#include <utility>

#include <fmt/format.h>

#include "core/text.hpp"
#include "warc/reader_common.hpp"
#include "warc/warc_reader.hpp"
#include "warc/zlib_stream.hpp"

namespace provcheck {

std::optional<std::size_t> http_head_length(std::string_view block) noexcept {
    for (std::size_t i = block.find('\n'); i != std::string_view::npos; i = block.find('\n', i + 1)) {
        if (i + 1 < block.size() && block[i + 1] == '\n') return i + 2;
        if (i + 2 < block.size() && block[i + 1] == '\r' && block[i + 2] == '\n') return i + 3;
    }
    return std::nullopt;
}

namespace detail {

Result<std::string> dechunk(std::string_view body, std::uint64_t max_body) {
    std::string out;
    std::size_t pos = 0;
    for (;;) {
        auto nl = body.find('\n', pos);
        if (nl == std::string_view::npos) return fail(ErrorCode::parse, "chunked body: missing chunk size line");
        std::string_view line = body.substr(pos, nl - pos);
        if (auto semi = line.find(';'); semi != std::string_view::npos) line = line.substr(0, semi);
        line = trim(line);
        std::uint64_t size = 0;
        auto [p, ec] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
        if (line.empty() || ec != std::errc{} || p != line.data() + line.size()) {
            return fail(ErrorCode::parse, fmt::format("chunked body: invalid chunk size \"{}\"", excerpt(line)));
        }
        pos = nl + 1;
        if (size == 0) return out;  // trailer fields, if any, carry nothing the payload needs
        if (size > body.size() - pos) return fail(ErrorCode::parse, "chunked body: chunk runs past the end");
        if (out.size() + size > max_body) return fail(ErrorCode::parse, "chunked body: decoded body over the limit");
        out.append(body.substr(pos, static_cast<std::size_t>(size)));
        pos += static_cast<std::size_t>(size);
        if (body.substr(pos).starts_with("\r\n")) {
            pos += 2;
        } else if (body.substr(pos).starts_with("\n")) {
            pos += 1;
        } else {
            return fail(ErrorCode::parse, "chunked body: chunk not followed by a line end");
        }
    }
}

// Codings named by every header `name`, in the order applied by the sender.
std::vector<std::string> codings(const std::vector<Header>& headers, std::string_view name) {
    std::vector<std::string> out;
    for (const auto& h : headers) {
        if (!iequals(h.name, name)) continue;
        for (auto part : split(h.value, ',')) {
            if (!trim(part).empty()) out.emplace_back(trim(part));
        }
    }
    return out;
}

bool add_header_line(std::vector<Header>& headers, std::string_view line) {
    if ((line[0] == ' ' || line[0] == '\t') && !headers.empty()) {
        headers.back().value += ' ';
        headers.back().value += trim(line);
        return true;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    headers.push_back(Header{std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
    return true;
}

Result<ParsedHead> parse_head(std::string_view block) {
    auto head_len = http_head_length(block);
    if (!head_len) return fail(ErrorCode::parse, "no HTTP head (the blank line after the headers is missing)");
    ParsedHead head;
    head.length = *head_len;
    bool first = true;
    for (auto line : split(block.substr(0, *head_len), '\n')) {
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (first) {
            head.start_line = std::string(line);
            first = false;
            continue;
        }
        if (line.empty()) continue;
        if (!add_header_line(head.headers, line)) {
            return fail(ErrorCode::parse, fmt::format("malformed HTTP header line \"{}\"", excerpt(line)));
        }
    }
    return head;
}

}  // namespace detail

namespace {

using detail::chunk_size;
using detail::codings;
using detail::dechunk;
using detail::excerpt;
using detail::InflateStream;
using detail::parse_head;

// One zlib stream (gzip, zlib or raw deflate by `window_bits`), and further gzip members after it.
Result<std::string> inflate_all(std::string_view data, int window_bits, std::uint64_t max_body) {
    auto z = InflateStream::open(window_bits);
    if (!z) return std::unexpected(z.error());
    std::string out;
    std::string chunk(chunk_size, '\0');
    z->input(data);
    for (;;) {
        const auto step = z->inflate(chunk.data(), chunk.size());
        out.append(chunk.data(), step.produced);
        if (out.size() > max_body) return fail(ErrorCode::parse, "decoded body over the limit");
        const std::string_view rest = z->unread();
        if (step.status == InflateStream::Status::stream_end) {
            // Concatenated gzip members form one body; bytes after the last stream are ignored, as browsers do.
            if (rest.size() >= 2 && static_cast<unsigned char>(rest[0]) == 0x1f &&
                static_cast<unsigned char>(rest[1]) == 0x8b && window_bits > 15) {
                if (auto reset = z->reset(); !reset) return std::unexpected(reset.error());
                continue;
            }
            return out;
        }
        if (step.status == InflateStream::Status::stalled && rest.empty()) {
            return fail(ErrorCode::parse, "compressed body is truncated");
        }
        if (step.status == InflateStream::Status::corrupt) {
            return fail(ErrorCode::parse, fmt::format("compressed body does not decode: {}",
                                                      z->message() != nullptr ? z->message() : "error"));
        }
    }
}

Result<std::string> undo_coding(std::string_view coding, std::string body, std::uint64_t max_body) {
    std::string c = to_lower_ascii(trim(coding));
    if (c.empty() || c == "identity") return body;
    if (c == "chunked") return dechunk(body, max_body);
    if (c == "gzip" || c == "x-gzip") return inflate_all(body, 15 + 16, max_body);
    if (c == "deflate") {
        // "deflate" means zlib-wrapped, but many servers send raw deflate.
        auto wrapped = inflate_all(body, 15, max_body);
        if (wrapped) return wrapped;
        return inflate_all(body, -15, max_body);
    }
    return fail(ErrorCode::parse, fmt::format("unsupported coding \"{}\"", excerpt(c)));
}

}  // namespace

Result<HttpResponse> parse_http_response_head(std::string_view block) {
    auto head = parse_head(block);
    if (!head) return std::unexpected(head.error());
    HttpResponse resp;
    resp.status_line = std::move(head->start_line);
    if (!resp.status_line.starts_with("HTTP/")) {
        return fail(ErrorCode::parse, fmt::format("not an HTTP status line: \"{}\"", excerpt(resp.status_line)));
    }
    auto sp = resp.status_line.find(' ');
    std::string_view code =
        sp == std::string::npos ? std::string_view() : std::string_view(resp.status_line).substr(sp + 1, 3);
    auto [p, ec] = std::from_chars(code.data(), code.data() + code.size(), resp.status);
    if (code.size() != 3 || ec != std::errc{} || p != code.data() + code.size() || resp.status < 100) {
        return fail(ErrorCode::parse, fmt::format("invalid HTTP status line \"{}\"", excerpt(resp.status_line)));
    }
    resp.headers = std::move(head->headers);
    resp.payload_offset = head->length;
    return resp;
}

Result<HttpResponse> parse_http_response(std::string_view block, std::uint64_t max_body) {
    auto parsed = parse_http_response_head(block);
    if (!parsed) return parsed;
    HttpResponse resp = std::move(*parsed);
    std::string body(block.substr(resp.payload_offset));
    if (body.size() > max_body) return fail(ErrorCode::parse, "HTTP body over the limit");
    for (auto names : {"Transfer-Encoding", "Content-Encoding"}) {
        auto list = codings(resp.headers, names);
        for (auto it = list.rbegin(); it != list.rend(); ++it) {
            auto decoded = undo_coding(*it, std::move(body), max_body);
            if (!decoded) {
                return fail(ErrorCode::parse, fmt::format("{} {}: {}", names, excerpt(*it), decoded.error().message));
            }
            body = std::move(*decoded);
        }
    }
    resp.body = std::move(body);
    return resp;
}

}  // namespace provcheck
