// PDF text: reading order, paragraphs, hyphenation, running headers, page offsets, and the failures a hostile or
// unreadable PDF gives (fixtures/pdf/make.py writes the files).
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "pdf/isolated.hpp"
#include "pdf/pdf.hpp"
#include "pdf/wire.hpp"
#include "pdfread/pdfread.hpp"
#include "support/temp_dir.hpp"

using namespace provcheck;

namespace {

std::string reports(const std::string& name) {
    std::ifstream in(std::string(PROVCHECK_SOURCE_DIR) + "/fixtures/web/www.norlandwater.example/reports/" + name,
                     std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("a PDF's text in reading order, with its pages", "[unit][pdf]") {
    const std::string bytes = reports("annual-report-2026.pdf");
    REQUIRE(looks_like_pdf(bytes));
    auto pdf = read_pdf(bytes);
    REQUIRE(pdf.has_value());
    CHECK(pdf->pages == 5);
    CHECK(pdf->page_starts.size() == 5);
    CHECK_FALSE(pdf->ocr);
    CHECK(pdf->cut.empty());
    CHECK(pdf->title == "Annual Water Quality Report 2026");
    // The word broken over a line end ("north-" / "ern") is one word again, and the sentence is one line.
    const std::string sentence =
        "lead service lines remain in about 4,200 homes across the northern district, most of "
        "them built before 1940.";
    const auto at = pdf->text.find(sentence);
    REQUIRE(at != std::string::npos);
    CHECK(page_at(pdf->page_starts, at) == 3);
    // The running header and the "Page N of 5" footers are gone; the title on page 1 is kept.
    CHECK(pdf->text.find("Annual Water Quality Report 2026 ") == std::string::npos);
    CHECK(pdf->text.find("Page 3 of 5") == std::string::npos);
    CHECK(pdf->text.find("Norland Water Authority \xc2\xb7") == std::string::npos);
    CHECK(pdf->text.starts_with("Annual Water Quality Report 2026\n\n"));
    // Paragraphs are kept apart, and the one that runs on from page 3 to page 4 is one paragraph.
    CHECK(pdf->text.find("treatment works.\n\nAt the end of the year") != std::string::npos);
    const auto carry = pdf->text.find("Work will begin in the streets where samples");
    REQUIRE(carry != std::string::npos);
    CHECK(page_at(pdf->page_starts, carry) == 3);
    CHECK(page_at(pdf->page_starts, pdf->text.find("streets where samples")) == 4);
    CHECK(page_at(pdf->page_starts, pdf->text.find("Compliance with the microbiological")) == 4);
}

TEST_CASE("joining a PDF's lines", "[unit][pdf]") {
    const std::vector<std::vector<std::string>> pages = {
        {"Report of the Board", "1", "", "The chairman said the infra-", "structure is old, not new-", "Built."},
        {"Report of the Board", "2", "", "The well-", "known plan was ap-", "proved", "4"},
        {"Report of the Board", "3", "", "and the vote was 7 to 2.", "", "A new paragraph."},
    };
    PdfText t = join_pdf_lines(pages);
    // The header repeats on every page and is dropped; lone page numbers too.
    CHECK(t.text.find("Report of the Board") == std::string::npos);
    CHECK(t.text.find("infrastructure is old") != std::string::npos);
    // A hyphen before a capital stays (a name or a new sentence), as does one before a digit.
    CHECK(t.text.find("new- Built.") != std::string::npos);
    CHECK(t.text.find("wellknown plan was approved and the vote was 7 to 2.") != std::string::npos);
    CHECK(t.text.ends_with("\n\nA new paragraph."));
    REQUIRE(t.page_starts.size() == 3);
    CHECK(page_at(t.page_starts, t.text.find("wellknown")) == 2);
    CHECK(page_at(t.page_starts, t.text.find("and the vote")) == 3);
    CHECK(page_at(t.page_starts, 0) == 1);

    // A word joined across a page break: the second page starts where its letters do, and starts stay in order.
    PdfText joined = join_pdf_lines({{"alpha beta-"}, {"gamma"}, {"delta."}});
    CHECK(joined.text == "alpha betagamma delta.");
    REQUIRE(joined.page_starts.size() == 3);
    CHECK(joined.page_starts[1] == joined.text.find("gamma"));
    CHECK(std::is_sorted(joined.page_starts.begin(), joined.page_starts.end()));
    CHECK(page_at(joined.page_starts, joined.text.find("delta")) == 3);

    // Two pages: a header that repeats is still someone's words (too few pages to tell), page numbers are not.
    PdfText two = join_pdf_lines({{"Minutes", "text one.", "1"}, {"Minutes", "text two.", "2"}});
    CHECK(two.text == "Minutes text one.\n\nMinutes text two.");
}

TEST_CASE("a scan has no text layer unless OCR reads it", "[unit][pdf]") {
    const std::string bytes = reports("scanned-notice.pdf");
    auto plain = read_pdf(bytes);
    REQUIRE_FALSE(plain.has_value());
    CHECK(plain.error().problem == PdfProblem::no_text_layer);
    CHECK(plain.error().message.find("no text layer") != std::string::npos);

    PdfLimits limits;
    limits.ocr = true;
    auto ocr = read_pdf(bytes, limits);
    REQUIRE(ocr.has_value());
    CHECK(ocr->ocr);
    CHECK(ocr->text.find("Residents of Eastfield must boil all water used for drinking and cooking until further "
                         "notice.") != std::string::npos);
    CHECK(page_at(ocr->page_starts, ocr->text.find("Hollin Lane")) == 1);
}

TEST_CASE("encrypted, broken and non-PDF bytes fail with their class", "[unit][pdf]") {
    auto locked = read_pdf(reports("restricted-minutes.pdf"));
    REQUIRE_FALSE(locked.has_value());
    CHECK(locked.error().problem == PdfProblem::encrypted);
    CHECK(to_string(locked.error().problem) == "pdf_encrypted");

    auto broken = read_pdf(reports("broken.pdf"));
    REQUIRE_FALSE(broken.has_value());
    CHECK(broken.error().problem == PdfProblem::broken);

    for (const std::string& junk :
         {std::string(), std::string("%PDF-1.7\n"), std::string(100000, '\0'), std::string("<html>not a pdf</html>")}) {
        auto r = read_pdf(junk);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().problem == PdfProblem::broken);
    }
    CHECK_FALSE(looks_like_pdf("<html>"));
}

TEST_CASE("a PDF's read is bounded by pages and time", "[unit][pdf]") {
    const std::string bytes = reports("annual-report-2026.pdf");
    PdfLimits pages;
    pages.max_pages = 2;
    auto two = read_pdf(bytes, pages);
    REQUIRE(two.has_value());
    CHECK(two->cut.find("page limit: 2 of 5") != std::string::npos);
    CHECK(two->text.find("4,200 homes") == std::string::npos);

    PdfLimits time;
    time.deadline = std::chrono::milliseconds(0);
    auto none = read_pdf(bytes, time);
    // Nothing could be read in no time: the document says so rather than hang or pretend.
    REQUIRE_FALSE(none.has_value());
}

TEST_CASE("a long PDF read on several cores gives the same text as on one", "[unit][pdf]") {
    test::TempDir dir;
    const auto file = dir / "long.pdf";
    const std::string make =
        "python3 '" + std::string(PROVCHECK_SOURCE_DIR) + "/fixtures/pdf/make.py' --pages 200 '" + file.string() + "'";
    REQUIRE(std::system(make.c_str()) == 0);
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    PdfLimits one;
    one.max_threads = 1;
    PdfLimits four;
    four.max_threads = 4;
    auto a = read_pdf(s.str(), one);
    auto b = read_pdf(s.str(), four);
    REQUIRE(a.has_value());
    REQUIRE(b.has_value());
    CHECK(a->pages == 200);
    CHECK(a->text == b->text);
    CHECK(a->page_starts == b->page_starts);
    CHECK(page_at(b->page_starts, b->text.find("(Section 150.1.)")) == 150);
}

TEST_CASE("in a child process: the same text, the same failures, and a hostile page stopped", "[unit][pdf]") {
    const std::string report = reports("annual-report-2026.pdf");
    auto here = read_pdf(report);
    auto there = read_pdf_isolated(report);
    REQUIRE(here.has_value());
    REQUIRE(there.has_value());
    CHECK(there->text == here->text);
    CHECK(there->page_starts == here->page_starts);
    CHECK(there->pages == 5);
    CHECK(there->title == here->title);

    auto locked = read_pdf_isolated(reports("restricted-minutes.pdf"));
    REQUIRE_FALSE(locked.has_value());
    CHECK(locked.error().problem == PdfProblem::encrypted);

    // One page that draws three million words: a few hundred KiB that keep a reader busy for many seconds
    // inside one page, where no deadline between pages can stop it. The child is stopped at the deadline and
    // its grace period, and the read fails with a message saying so.
    test::TempDir dir;
    const auto file = dir / "bomb.pdf";
    const std::string make = "python3 '" + std::string(PROVCHECK_SOURCE_DIR) +
                             "/fixtures/pdf/make.py' --bomb 3000000 '" + file.string() + "'";
    REQUIRE(std::system(make.c_str()) == 0);
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    PdfLimits limits;
    limits.deadline = std::chrono::milliseconds(500);
    IsolationLimits isolation;
    isolation.grace = std::chrono::milliseconds(500);
    auto bomb = read_pdf_isolated(s.str(), limits, isolation);
    REQUIRE_FALSE(bomb.has_value());
    CHECK(bomb.error().problem == PdfProblem::broken);
    CHECK(bomb.error().message.find("the reader was stopped") != std::string::npos);
}

TEST_CASE("the reader process's request and answer: read back whole, and cut or garbled ones refused", "[unit][pdf]") {
    PdfLimits limits;
    limits.max_pages = 7;
    limits.ocr = true;
    limits.ocr_language = "deu";
    limits.deadline = std::chrono::milliseconds(1234);
    pdf_wire::Request request{limits, 9, 1 << 20, {}};
    const std::string doc = "%PDF-1.4 not really";
    const std::string message = pdf_wire::encode_request_head(request, doc.size()) + doc;
    auto back = pdf_wire::decode_request(message);
    REQUIRE(back.has_value());
    CHECK(back->bytes == doc);
    CHECK(back->limits.max_pages == 7);
    CHECK(back->limits.ocr);
    CHECK(back->limits.ocr_language == "deu");
    CHECK(back->limits.deadline == std::chrono::milliseconds(1234));
    CHECK(back->cpu_seconds == 9);
    CHECK(back->address_space == (1u << 20));
    // Every cut of the message, and a longer one, is refused rather than read past its end.
    for (std::size_t n = 0; n < message.size(); ++n)
        CHECK_FALSE(pdf_wire::decode_request(std::string_view(message).substr(0, n)).has_value());
    CHECK_FALSE(pdf_wire::decode_request(message + "x").has_value());
    CHECK_FALSE(pdf_wire::decode_request("GET / HTTP/1.1\r\n\r\n").has_value());

    PdfText t;
    t.text = "one\n\ntwo";
    t.page_starts = {0, 5};
    t.pages = 2;
    t.title = "Minutes";
    const std::string answer = pdf_wire::encode_answer(t);
    auto read = pdf_wire::decode_answer(answer);
    REQUIRE(read.has_value());
    CHECK(read->text == t.text);
    CHECK(read->page_starts == t.page_starts);
    CHECK(read->title == "Minutes");
    for (std::size_t n = 0; n < answer.size(); ++n) {
        auto cut = pdf_wire::decode_answer(std::string_view(answer).substr(0, n));
        REQUIRE_FALSE(cut.has_value());
        CHECK(cut.error().problem == PdfProblem::broken);
    }
    // A page start past the text's end is refused: the checker would cut the text there.
    PdfText bad = t;
    bad.page_starts = {0, 99};
    CHECK_FALSE(pdf_wire::decode_answer(pdf_wire::encode_answer(bad)).has_value());
    bad.page_starts = {5, 0};  // out of order: page_at() would name wrong pages
    CHECK_FALSE(pdf_wire::decode_answer(pdf_wire::encode_answer(bad)).has_value());
    CHECK_FALSE(pdf_wire::decode_answer(answer + "x").has_value());  // bytes after the answer
    auto failure = pdf_wire::decode_answer(pdf_wire::encode_answer(
        std::unexpected(PdfFailure{PdfProblem::encrypted, "the PDF is encrypted and needs a password"})));
    REQUIRE_FALSE(failure.has_value());
    CHECK(failure.error().problem == PdfProblem::encrypted);
}
