#include "pdf/wire.hpp"

#include <algorithm>
#include <climits>
#include <cstring>

namespace provcheck::pdf_wire {

namespace {

constexpr std::string_view request_tag = "provcheck-pdf-request-1\n";

void put_u64(std::string& out, std::uint64_t v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
}
void put_str(std::string& out, std::string_view s) {
    put_u64(out, s.size());
    out.append(s);
}

class Cursor {
public:
    explicit Cursor(std::string_view s) : s_(s) {}
    bool u64(std::uint64_t& v) {
        if (s_.size() < sizeof v) return false;
        std::memcpy(&v, s_.data(), sizeof v);
        s_.remove_prefix(sizeof v);
        return true;
    }
    bool view(std::string_view& out) {
        std::uint64_t n = 0;
        if (!u64(n) || n > s_.size()) return false;
        out = s_.substr(0, n);
        s_.remove_prefix(n);
        return true;
    }
    bool str(std::string& out) {
        std::string_view v;
        if (!view(v)) return false;
        out.assign(v);
        return true;
    }
    bool integer(int& out) {
        std::uint64_t v = 0;
        if (!u64(v) || v > static_cast<std::uint64_t>(INT_MAX)) return false;
        out = static_cast<int>(v);
        return true;
    }
    [[nodiscard]] bool done() const noexcept { return s_.empty(); }

private:
    std::string_view s_;
};

}  // namespace

std::string encode_request_head(const Request& r, std::uint64_t byte_count) {
    std::string out(request_tag);
    const PdfLimits& l = r.limits;
    put_u64(out, static_cast<std::uint64_t>(std::max(l.max_pages, 0)));
    put_u64(out, static_cast<std::uint64_t>(std::max(l.max_threads, 0)));
    put_u64(out, static_cast<std::uint64_t>(std::max<long long>(l.deadline.count(), 0)));
    put_u64(out, l.ocr ? 1 : 0);
    put_u64(out, static_cast<std::uint64_t>(std::max(l.max_ocr_pages, 0)));
    put_u64(out, static_cast<std::uint64_t>(std::max(l.ocr_dpi, 0)));
    put_u64(out, static_cast<std::uint64_t>(std::max(l.max_ocr_pixels, 0LL)));
    put_str(out, l.ocr_language);
    put_u64(out, r.cpu_seconds);
    put_u64(out, r.address_space);
    put_u64(out, byte_count);
    return out;
}

std::optional<Request> decode_request(std::string_view message) {
    if (!message.starts_with(request_tag)) return std::nullopt;
    Cursor c(message.substr(request_tag.size()));
    Request r;
    PdfLimits& l = r.limits;
    std::uint64_t deadline_ms = 0, ocr = 0, pixels = 0;
    if (!c.integer(l.max_pages) || !c.integer(l.max_threads) || !c.u64(deadline_ms) || !c.u64(ocr) ||
        !c.integer(l.max_ocr_pages) || !c.integer(l.ocr_dpi) || !c.u64(pixels) || !c.str(l.ocr_language) ||
        !c.u64(r.cpu_seconds) || !c.u64(r.address_space) || !c.view(r.bytes) || !c.done()) {
        return std::nullopt;
    }
    if (deadline_ms > static_cast<std::uint64_t>(INT_MAX) || pixels > static_cast<std::uint64_t>(LLONG_MAX))
        return std::nullopt;
    l.deadline = std::chrono::milliseconds(static_cast<long long>(deadline_ms));
    l.ocr = ocr != 0;
    l.max_ocr_pixels = static_cast<long long>(pixels);
    return r;
}

std::string encode_answer(const std::expected<PdfText, PdfFailure>& r) {
    std::string out;
    if (!r) {
        out += 'F';
        put_u64(out, static_cast<std::uint64_t>(r.error().problem));
        put_str(out, r.error().message);
        return out;
    }
    out += 'T';
    put_str(out, r->text);
    put_u64(out, r->page_starts.size());
    for (auto p : r->page_starts)
        put_u64(out, p);
    put_u64(out, static_cast<std::uint64_t>(r->pages));
    put_u64(out, r->ocr ? 1 : 0);
    put_str(out, r->cut);
    put_str(out, r->title);
    put_str(out, r->author);
    return out;
}

std::expected<PdfText, PdfFailure> decode_answer(std::string_view s) {
    const PdfFailure garbled{PdfProblem::broken, "the PDF reader's answer was cut short"};
    if (s.empty()) return std::unexpected(garbled);
    const char tag = s.front();
    Cursor c(s.substr(1));
    if (tag == 'F') {
        std::uint64_t problem = 0;
        PdfFailure f;
        if (!c.u64(problem) || problem > static_cast<std::uint64_t>(PdfProblem::ocr_failed) || !c.str(f.message))
            return std::unexpected(garbled);
        f.problem = static_cast<PdfProblem>(problem);
        return std::unexpected(f);
    }
    PdfText t;
    std::uint64_t n = 0, pages = 0, ocr = 0;
    if (tag != 'T' || !c.str(t.text) || !c.u64(n) || n > t.text.size() + (std::uint64_t{1} << 20))
        return std::unexpected(garbled);
    for (std::uint64_t i = 0; i < n; ++i) {
        std::uint64_t p = 0;
        // In order and within the text: page_at() searches them.
        if (!c.u64(p) || p > t.text.size() || (!t.page_starts.empty() && p < t.page_starts.back()))
            return std::unexpected(garbled);
        t.page_starts.push_back(static_cast<std::size_t>(p));
    }
    if (!c.u64(pages) || !c.u64(ocr) || !c.str(t.cut) || !c.str(t.title) || !c.str(t.author) || !c.done())
        return std::unexpected(garbled);
    t.pages = static_cast<int>(std::min<std::uint64_t>(pages, INT32_MAX));
    t.ocr = ocr != 0;
    return t;
}

}  // namespace provcheck::pdf_wire
