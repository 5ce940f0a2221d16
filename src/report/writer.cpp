#include "report/writer.hpp"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include "core/text.hpp"

namespace provcheck {

void ReportTotals::add(const ArticleResult& article) {
    if (articles == 0) first_title = article.document.title;
    ++articles;
    claims += article.claims.size();
    unreadable += article.error ? 1 : 0;
    for (const auto& c : article.claims)
        ++by_verdict[c.verdict];
}

Result<Spool> Spool::open(bool in_memory) {
    Spool s;
    // Without a temporary directory to write to, the report is kept in memory, as a small run's would be.
    if (!in_memory) s.file_ = std::tmpfile();
    return s;
}

Spool::Spool(Spool&& other) noexcept
    : file_(std::exchange(other.file_, nullptr)),
      memory_(std::move(other.memory_)),
      size_(std::exchange(other.size_, 0)),
      failed_(other.failed_) {}

Spool& Spool::operator=(Spool&& other) noexcept {
    if (this != &other) {
        if (file_ != nullptr) std::fclose(file_);
        file_ = std::exchange(other.file_, nullptr);
        memory_ = std::move(other.memory_);
        size_ = std::exchange(other.size_, 0);
        failed_ = other.failed_;
    }
    return *this;
}

Spool::~Spool() {
    if (file_ != nullptr) std::fclose(file_);
}

void Spool::append(std::string_view s) {
    size_ += s.size();
    if (file_ == nullptr) {
        memory_ += s;
    } else if (!s.empty() && std::fwrite(s.data(), 1, s.size(), file_) != s.size()) {
        failed_ = true;
    }
}

Result<void> Spool::copy_to(const Emit& emit) {
    if (failed_) return fail(ErrorCode::io, "cannot write the report's temporary file (is the disk full?)");
    if (file_ == nullptr) return emit(memory_);
    if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) {
        return fail(ErrorCode::io,
                    fmt::format("cannot read back the report's temporary file: {}", std::strerror(errno)));
    }
    std::array<char, 1 << 16> buf{};
    std::size_t left = size_;
    while (left > 0) {
        const std::size_t n = std::fread(buf.data(), 1, std::min(buf.size(), left), file_);
        if (n == 0) return fail(ErrorCode::io, "the report's temporary file ended early");
        if (auto r = emit(std::string_view(buf.data(), n)); !r) return r;
        left -= n;
    }
    return {};
}

std::string render_report(ReportWriter& writer, const Report& report, const GateResult* gate) {
    ReportTotals totals;
    for (std::size_t ai = 0; ai < report.articles.size(); ++ai) {
        const std::vector<ClaimGate>* gates = gate != nullptr && ai < gate->claims.size() ? &gate->claims[ai] : nullptr;
        static const std::vector<ClaimGate> none;
        writer.add(report.articles[ai], gates != nullptr ? gates : (gate != nullptr ? &none : nullptr));
        totals.add(report.articles[ai]);
    }
    std::string out;
    const GateTotals gate_totals{gate != nullptr ? gate->failures : 0};
    auto done =
        writer.finish(totals, gate != nullptr ? &gate_totals : nullptr, [&](std::string_view s) -> Result<void> {
            out += s;
            return {};
        });
    (void)done;  // writing to memory cannot fail
    return out;
}

void PrettyJson::item() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (empty_.empty()) return;
    out_ += empty_.back() ? "\n" : ",\n";
    empty_.back() = false;
    out_.append(2 * (depth_ + empty_.size()), ' ');
}

void PrettyJson::open(char bracket) {
    item();
    out_ += bracket;
    empty_.push_back(true);
}

void PrettyJson::close(char bracket) {
    const bool was_empty = empty_.back();
    empty_.pop_back();
    if (!was_empty) {
        out_ += '\n';
        out_.append(2 * (depth_ + empty_.size()), ' ');
    }
    out_ += bracket;
}

void PrettyJson::key(std::string_view name) {
    item();
    quoted(name);
    out_ += ": ";
    after_key_ = true;
}

void PrettyJson::string(std::string_view text) {
    item();
    quoted(text);
}

void PrettyJson::number(long long n) {
    item();
    out_ += fmt::format("{}", n);
}

void PrettyJson::null() {
    item();
    out_ += "null";
}

void PrettyJson::quoted(std::string_view text) {
    if (!valid_utf8(text)) {
        quoted(repair_utf8(text));
        return;
    }
    out_ += '"';
    std::size_t plain = 0;  // start of the bytes not written yet
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out_.append(text, plain, i - plain);
        plain = i + 1;
        switch (c) {
            case '"':
                out_ += "\\\"";
                break;
            case '\\':
                out_ += "\\\\";
                break;
            case '\b':
                out_ += "\\b";
                break;
            case '\f':
                out_ += "\\f";
                break;
            case '\n':
                out_ += "\\n";
                break;
            case '\r':
                out_ += "\\r";
                break;
            case '\t':
                out_ += "\\t";
                break;
            default:
                out_ += fmt::format("\\u{:04x}", c);
                break;
        }
    }
    out_.append(text, plain, std::string_view::npos);
    out_ += '"';
}

void append_nested(std::string& out, const std::string& text, std::size_t depth) {
    const std::string pad(2 * depth, ' ');
    std::size_t from = 0;
    for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', from)) {
        out.append(text, from, nl + 1 - from);
        out += pad;
        from = nl + 1;
    }
    out.append(text, from, std::string::npos);
}

std::string nested_item_prefix(std::size_t index, std::size_t depth) {
    std::string prefix(index == 0 ? "\n" : ",\n");
    prefix.append(2 * (depth + 1), ' ');
    return prefix;
}

Result<void> emit_nested_array(Spool& items, std::size_t depth, const Emit& emit) {
    if (items.empty()) return emit("[]");
    if (auto r = emit("["); !r) return r;
    if (auto r = items.copy_to(emit); !r) return r;
    std::string close(1, '\n');
    close.append(2 * depth, ' ');
    close.push_back(']');
    return emit(close);
}

}  // namespace provcheck
