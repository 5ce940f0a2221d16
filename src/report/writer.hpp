// Reports written as a run goes. Each article is rendered when it is added (in input order) into a spool, an
// unnamed temporary file, and only counts are kept; finish() writes the document's head, the spooled articles and
// its tail. So a batch of any size holds one article's rendering at a time. The whole-report functions of
// report.hpp and formats.hpp are these writers fed a Report held in memory: the bytes are the same.
#pragma once

#include <cstddef>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "model/result.hpp"
#include "report/formats.hpp"
#include "report/gate.hpp"

namespace provcheck {

// Where a finished document goes, piece by piece.
using Emit = std::function<Result<void>(std::string_view)>;

// Counts over the articles added so far.
struct ReportTotals {
    std::size_t articles = 0;
    std::size_t claims = 0;
    std::size_t unreadable = 0;
    std::map<Verdict, std::size_t> by_verdict;
    std::string first_title;  // the first article's title (an HTML page of one article is named after it)
    void add(const ArticleResult& article);
};

// The gate's verdict on the whole run, for formats that print it.
struct GateTotals {
    std::size_t failures = 0;
    [[nodiscard]] bool passed() const noexcept { return failures == 0; }
};

// Text written in parts and read back once, in order: in memory, or in an unnamed temporary file (std::tmpfile,
// gone when closed) so that its size costs no memory; in memory too when no temporary file can be made. A write
// to the file that fails (a full disk) is the error copy_to returns.
class Spool {
public:
    [[nodiscard]] static Result<Spool> open(bool in_memory);
    Spool(Spool&& other) noexcept;
    Spool& operator=(Spool&& other) noexcept;
    Spool(const Spool&) = delete;
    Spool& operator=(const Spool&) = delete;
    ~Spool();

    void append(std::string_view s);  // a write error is kept and returned by copy_to
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] Result<void> copy_to(const Emit& emit);

private:
    Spool() = default;
    std::FILE* file_ = nullptr;
    std::string memory_;
    std::size_t size_ = 0;
    bool failed_ = false;
};

class ReportWriter {
public:
    virtual ~ReportWriter() = default;
    // The next article, with its claims' gate (one per claim; nullptr when the report has no gate).
    virtual void add(const ArticleResult& article, const std::vector<ClaimGate>* gates) = 0;
    // The whole document, once every article has been added. `gate` is nullptr when the report has no gate.
    [[nodiscard]] virtual Result<void> finish(const ReportTotals& totals, const GateTotals* gate, const Emit& emit) = 0;
};

// One writer per format of `provcheck check --format`; `in_memory` keeps the spool in memory (for a report
// rendered to a string) rather than in a temporary file.
[[nodiscard]] Result<std::unique_ptr<ReportWriter>> json_report_writer(bool in_memory);
[[nodiscard]] Result<std::unique_ptr<ReportWriter>> text_report_writer(bool in_memory, bool color);
[[nodiscard]] Result<std::unique_ptr<ReportWriter>> sarif_report_writer(bool in_memory);
[[nodiscard]] Result<std::unique_ptr<ReportWriter>> junit_report_writer(bool in_memory);
[[nodiscard]] Result<std::unique_ptr<ReportWriter>> html_report_writer(bool in_memory, HtmlOptions options);
[[nodiscard]] Result<std::unique_ptr<ReportWriter>> claimreview_report_writer(bool in_memory,
                                                                              ClaimReviewOptions options);

// A whole Report through `writer`, to a string (the whole-report functions).
[[nodiscard]] std::string render_report(ReportWriter& writer, const Report& report, const GateResult* gate);

// `text` (a JSON value dumped with an indent of 2 at the top level) as it reads nested `depth` levels deep:
// every line but the first moved right. A JSON string holds no raw line break, so every '\n' is a line's end.
void append_nested(std::string& out, const std::string& text, std::size_t depth);

// Writes JSON into a string as nlohmann::json's dump(2) lays it out (two spaces a level, a member or item per
// line, "[]" and "{}" when empty, strings escaped alike), starting at nesting `depth`, without building a tree:
// for the report's items that come by the thousand. The caller gives an object's keys in sorted order, as
// nlohmann::json keeps them. Text that is not UTF-8 is written with U+FFFD in place of each bad byte (dump()
// would throw; a source's server chooses what its redirects and errors say).
class PrettyJson {
public:
    PrettyJson(std::string& out, std::size_t depth) : out_(out), depth_(depth) {}
    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }
    void key(std::string_view name);
    void string(std::string_view text);
    void number(long long n);
    void null();

private:
    void open(char bracket);
    void close(char bracket);
    void item();  // the separator and indentation before an array's item (a member's come with its key)
    void quoted(std::string_view text);
    std::string& out_;
    std::size_t depth_;
    std::vector<bool> empty_;  // per open container: nothing in it yet
    bool after_key_ = false;
};

// A JSON array whose items were spooled one by one, each already nested at `depth` + 1 and each but the first
// preceded by a separator: "[]" when empty, else "[", a line break and padding, the items, and the closing
// bracket on its own line at `depth`; as nlohmann::json's dump(2) writes it.
[[nodiscard]] Result<void> emit_nested_array(Spool& items, std::size_t depth, const Emit& emit);
// What goes before the `index`th item of such an array: the line break and padding of depth `depth` + 1, after a
// comma for every item but the first.
[[nodiscard]] std::string nested_item_prefix(std::size_t index, std::size_t depth);

}  // namespace provcheck
