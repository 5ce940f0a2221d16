#include "pdfread/pdfread.hpp"

#include <fmt/format.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <utf8proc.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace provcheck {

namespace {

using Clock = std::chrono::steady_clock;

void quiet(const std::string& /*message*/, void* /*closure*/) {}

// poppler reports syntax errors of hostile files on stderr unless told where else to send them.
void silence_poppler() {
    static std::once_flag once;
    std::call_once(once, [] { poppler::set_debug_error_function(&quiet, nullptr); });
}

// poppler's ustring is UTF-16; its own to_utf8() opens an iconv converter per call, which for one call per word
// costs more than reading the page. Surrogate pairs are decoded here and each code point encoded by utf8proc;
// unpaired surrogates become U+FFFD.
void append_utf8(std::string& out, const poppler::ustring& s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        utf8proc_int32_t c = s[i];
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.size() && s[i + 1] >= 0xdc00 && s[i + 1] <= 0xdfff) {
            c = 0x10000 + ((c - 0xd800) << 10) + (s[i + 1] - 0xdc00);
            ++i;
        } else if (c >= 0xd800 && c <= 0xdfff) {
            c = 0xfffd;
        }
        utf8proc_uint8_t buf[4];
        const auto n = utf8proc_encode_char(c, buf);
        out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
    }
}

std::string utf8(const poppler::ustring& s) {
    std::string out;
    out.reserve(s.size());
    append_utf8(out, s);
    return out;
}

bool is_ascii_lower(unsigned char c) noexcept {
    return c >= 'a' && c <= 'z';
}
bool is_ascii_alpha(unsigned char c) noexcept {
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

// Starts with a lower-case letter (ASCII, or a two-byte UTF-8 letter of Latin-1 Supplement / Latin Extended-A
// that is lower case: enough for the run-on and hyphenation tests, which only ever join lower-case words).
bool starts_lower(std::string_view s) noexcept {
    if (s.empty()) return false;
    const auto c = static_cast<unsigned char>(s[0]);
    if (c < 0x80) return is_ascii_lower(c);
    if (c == 0xc3 && s.size() > 1) return static_cast<unsigned char>(s[1]) >= 0x9f;  // ß à … ÿ
    return false;
}

// A line that only numbers its page: "7", "- 7 -", "Page 7", "Page 7 of 40", "7 / 40".
bool is_page_number(std::string_view line) {
    std::string s;
    for (char c : line) {
        if (c != ' ' && c != '-' && c != '/' && c != '|')
            s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (s.starts_with("page")) s.erase(0, 4);
    if (s.empty()) return false;
    std::size_t i = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0)
        ++i;
    if (i == 0) return false;
    if (i == s.size()) return true;
    std::string_view rest(s);
    rest.remove_prefix(i);
    if (rest.starts_with("of")) rest.remove_prefix(2);
    return !rest.empty() && std::all_of(rest.begin(), rest.end(),
                                        [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

// The key under which a top or bottom line is compared across pages: case and digits ignored.
std::string running_key(std::string_view line) {
    std::string k;
    bool space = false;
    for (char ch : line) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == ' ' || c == '\t') {
            space = !k.empty();
            continue;
        }
        if (space) k += ' ';
        space = false;
        k += std::isdigit(c) != 0 ? '#' : static_cast<char>(std::tolower(c));
    }
    return k;
}

bool ends_paragraph(std::string_view s) {
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    if (s.empty()) return true;
    const auto c = static_cast<unsigned char>(s.back());
    if (c == '.' || c == '!' || c == '?' || c == ':' || c == '"' || c == ')') return true;
    return s.ends_with("\u201d") || s.ends_with("\u2026");  // ” …
}

// Appends a line to the paragraph being built: a word broken by a hyphen at the line end is joined again.
void append_line(std::string& para, std::string_view line) {
    if (para.empty()) {
        para.assign(line);
        return;
    }
    if (para.ends_with("\u00ad")) {  // a soft hyphen
        para.resize(para.size() - 2);
        para += line;
        return;
    }
    if (para.size() >= 2 && para.back() == '-' && is_ascii_alpha(static_cast<unsigned char>(para[para.size() - 2])) &&
        starts_lower(line)) {
        para.pop_back();
        para += line;
        return;
    }
    para += ' ';
    para += line;
}

struct Line {
    std::string text;
    double top = 0, bottom = 0, left = 0, right = 0;
};

// The page's text boxes (about one word each, in reading order) as lines with paragraph breaks ("" lines).
std::vector<std::string> page_lines(const poppler::page& page) {
    std::vector<Line> lines;
    for (const poppler::text_box& box : page.text_list()) {
        const poppler::rectf r = box.bbox();
        std::string word = utf8(box.text());
        if (word.empty()) continue;
        const double top = r.top(), bottom = r.bottom();
        const double height = std::max(1.0, bottom - top);
        bool same_line = !lines.empty();
        if (same_line) {
            const Line& last = lines.back();
            const double mid = (top + bottom) / 2;
            // A box whose middle is within the line's height, to the right of it, continues it.
            same_line = mid > last.top && mid < last.bottom && r.left() >= last.right - height;
        }
        if (!same_line) {
            lines.push_back(Line{std::move(word), top, bottom, r.left(), r.right()});
        } else {
            Line& last = lines.back();
            if (!last.text.ends_with(' ')) last.text += ' ';
            last.text += word;
            last.top = std::min(last.top, top);
            last.bottom = std::max(last.bottom, bottom);
            last.right = std::max(last.right, r.right());
        }
        if (box.has_space_after()) lines.back().text += ' ';
    }
    for (Line& l : lines) {
        while (l.text.ends_with(' '))
            l.text.pop_back();
    }
    // A paragraph break is a gap between lines well beyond the page's usual line pitch.
    std::vector<double> pitches;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const double p = lines[i].top - lines[i - 1].top;
        if (p > 0) pitches.push_back(p);
    }
    double usual = 0;
    if (!pitches.empty()) {
        std::nth_element(pitches.begin(), pitches.begin() + static_cast<std::ptrdiff_t>(pitches.size() / 2),
                         pitches.end());
        usual = pitches[pitches.size() / 2];
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) {
            const double p = lines[i].top - lines[i - 1].top;
            // Upwards (a new column) or a gap of more than 1.3 lines starts a paragraph.
            if (p < 0 || (usual > 0 && p > usual * 1.3)) out.emplace_back();
        }
        out.push_back(std::move(lines[i].text));
    }
    return out;
}

// Tesseract's text of one page: lines, with an empty line between paragraphs (as it writes them).
std::vector<std::string> text_lines(std::string_view text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at <= text.size()) {
        std::size_t nl = text.find('\n', at);
        if (nl == std::string_view::npos) nl = text.size();
        std::string_view line = text.substr(at, nl - at);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\f'))
            line.remove_suffix(1);
        while (!line.empty() && line.front() == ' ')
            line.remove_prefix(1);
        if (!line.empty() || (!out.empty() && !out.back().empty())) out.emplace_back(line);
        at = nl + 1;
    }
    while (!out.empty() && out.back().empty())
        out.pop_back();
    return out;
}

class Ocr {
public:
    std::optional<PdfFailure> start(const std::string& language) {
        api_ = std::make_unique<tesseract::TessBaseAPI>();
        // Tesseract writes its diagnostics to a file it is told of, stderr otherwise.
        api_->SetVariable("debug_file", "/dev/null");
        if (api_->Init(nullptr, language.c_str(), tesseract::OEM_LSTM_ONLY) != 0) {
            api_.reset();
            return PdfFailure{PdfProblem::ocr_failed,
                              fmt::format("OCR could not start: Tesseract has no \"{}\" language data (Debian "
                                          "tesseract-ocr-{})",
                                          language, language)};
        }
        api_->SetVariable("debug_file", "/dev/null");
        return std::nullopt;
    }
    ~Ocr() {
        if (api_) api_->End();
    }

    // The page's text, or nothing when it could not be read within `budget`.
    std::optional<std::string> read(const poppler::page& page, const PdfLimits& limits,
                                    std::chrono::milliseconds budget) {
        const poppler::rectf box = page.page_rect();
        double dpi = limits.ocr_dpi;
        if (!std::isfinite(box.width()) || !std::isfinite(box.height()) || box.width() <= 0 || box.height() <= 0)
            return std::nullopt;
        const double pixels = (box.width() / 72.0 * dpi) * (box.height() / 72.0 * dpi);
        if (pixels > static_cast<double>(limits.max_ocr_pixels))
            dpi *= std::sqrt(static_cast<double>(limits.max_ocr_pixels) / pixels);
        if (dpi < 10) return std::nullopt;
        poppler::page_renderer renderer;
        renderer.set_image_format(poppler::image::format_gray8);
        renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
        renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
        const poppler::image img = renderer.render_page(&page, dpi, dpi);
        if (!img.is_valid() || img.width() <= 0 || img.height() <= 0) return std::nullopt;
        api_->SetImage(reinterpret_cast<const unsigned char*>(img.const_data()), img.width(), img.height(), 1,
                       img.bytes_per_row());
        api_->SetSourceResolution(static_cast<int>(dpi));
        tesseract::ETEXT_DESC monitor;
        monitor.set_deadline_msecs(static_cast<int>(std::clamp<long long>(budget.count(), 1, INT_MAX)));
        if (api_->Recognize(&monitor) != 0) return std::nullopt;
        std::unique_ptr<char[]> text(api_->GetUTF8Text());
        api_->Clear();
        return text ? std::optional<std::string>(text.get()) : std::optional<std::string>(std::string());
    }

private:
    std::unique_ptr<tesseract::TessBaseAPI> api_;
};

}  // namespace

PdfText join_pdf_lines(const std::vector<std::vector<std::string>>& pages) {
    // Running headers and footers: the first and last line of a page whose text (digits aside) is the first or
    // last line of at least half the pages, three pages or more; and lines at the top or bottom that only number
    // the page, whenever there are two pages or more.
    auto first_line = [](const std::vector<std::string>& lines) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (!lines[i].empty()) return i;
        }
        return std::nullopt;
    };
    auto last_line = [](const std::vector<std::string>& lines) -> std::optional<std::size_t> {
        for (std::size_t i = lines.size(); i-- > 0;) {
            if (!lines[i].empty()) return i;
        }
        return std::nullopt;
    };
    std::map<std::string, int> top_counts, bottom_counts;
    for (const auto& lines : pages) {
        if (auto f = first_line(lines)) ++top_counts[running_key(lines[*f])];
        if (auto l = last_line(lines)) ++bottom_counts[running_key(lines[*l])];
    }
    const int n_pages = static_cast<int>(pages.size());
    const int needed = std::max(2, (n_pages + 1) / 2);
    auto running = [&](const std::map<std::string, int>& counts, const std::string& line) {
        if (n_pages >= 2 && is_page_number(line)) return true;
        if (n_pages < 3) return false;
        auto it = counts.find(running_key(line));
        return it != counts.end() && it->second >= needed;
    };

    PdfText out;
    out.pages = n_pages;
    std::string para;  // the paragraph being built
    // Pages whose first words are in `para`, with where they begin in it: resolved when it is written.
    std::vector<std::pair<std::size_t, std::size_t>> pending;
    std::vector<std::optional<std::size_t>> starts(pages.size());
    auto flush = [&] {
        if (para.empty()) return;
        if (!out.text.empty()) out.text += "\n\n";
        for (const auto& [page, at] : pending)
            starts[page] = out.text.size() + at;
        pending.clear();
        out.text += para;
        para.clear();
    };
    for (std::size_t p = 0; p < pages.size(); ++p) {
        std::vector<std::string> lines = pages[p];
        // Drop running lines from the top and bottom (a header may be followed by a page number, and so on).
        for (int pass = 0; pass < 2; ++pass) {
            if (auto f = first_line(lines); f && running(top_counts, lines[*f])) lines[*f].clear();
            if (auto l = last_line(lines); l && running(bottom_counts, lines[*l])) lines[*l].clear();
        }
        // What is left between the page's first and last words; a blank line there is a paragraph break.
        while (!lines.empty() && lines.back().empty())
            lines.pop_back();
        const auto first = first_line(lines);
        if (!first) continue;
        lines.erase(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(*first));
        // The page starts a new paragraph unless the last one stopped mid-sentence and this one goes on in lower case.
        if (para.empty() || ends_paragraph(para) || !starts_lower(lines.front())) flush();
        bool page_started = false;
        for (const std::string& line : lines) {
            if (line.empty()) {
                flush();
                continue;
            }
            append_line(para, line);
            // The line is always appended whole, at the end (a space or a joined hyphen comes before it).
            if (!page_started) pending.emplace_back(p, para.size() - line.size());
            page_started = true;
        }
    }
    flush();
    // A page with no words starts where the next words do (or at the end).
    out.page_starts.assign(pages.size(), out.text.size());
    for (std::size_t i = pages.size(); i-- > 0;) {
        if (starts[i])
            out.page_starts[i] = *starts[i];
        else if (i + 1 < pages.size())
            out.page_starts[i] = out.page_starts[i + 1];
    }
    return out;
}

std::expected<PdfText, PdfFailure> read_pdf(std::string_view bytes, const PdfLimits& limits) {
    silence_poppler();
    const auto deadline = Clock::now() + limits.deadline;
    if (bytes.size() > static_cast<std::size_t>(INT_MAX))
        return std::unexpected(PdfFailure{PdfProblem::broken, "the PDF is larger than 2 GiB"});
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (!doc) {
        return std::unexpected(PdfFailure{PdfProblem::broken, "the PDF could not be read (damaged or not a PDF)"});
    }
    if (doc->is_locked()) {
        return std::unexpected(PdfFailure{PdfProblem::encrypted, "the PDF is encrypted and needs a password to open"});
    }
    const int n = doc->pages();
    std::vector<std::vector<std::string>> pages;
    std::vector<int> empty_pages;
    std::string cut;
    const int readable = std::min(n, limits.max_pages);
    if (readable < n) cut = fmt::format("page limit: {} of {} pages read", readable, n);
    // Long documents are read on several cores, each thread with its own copy of the document (a poppler
    // document is not shared between threads) and its own run of pages; the pages read form an unbroken prefix.
    std::vector<std::vector<std::string>> lines_of(static_cast<std::size_t>(readable));
    std::vector<char> read_ok(static_cast<std::size_t>(readable), 0);
    const int threads =
        std::clamp(std::min<int>(static_cast<int>(std::thread::hardware_concurrency()), limits.max_threads), 1,
                   std::max(1, readable / 64));
    auto read_range = [&](poppler::document& d, int from, int to) {
        for (int i = from; i < to; ++i) {
            if (Clock::now() > deadline) return;
            std::unique_ptr<poppler::page> page(d.create_page(i));
            if (page) lines_of[static_cast<std::size_t>(i)] = page_lines(*page);
            read_ok[static_cast<std::size_t>(i)] = 1;
        }
    };
    {
        std::vector<std::thread> workers;
        const int per = (readable + threads - 1) / threads;
        for (int t = 1; t < threads; ++t) {
            workers.emplace_back([&, t] {
                std::unique_ptr<poppler::document> own(
                    poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
                if (own) read_range(*own, t * per, std::min(readable, (t + 1) * per));
            });
        }
        read_range(*doc, 0, std::min(readable, per));
        for (auto& w : workers)
            w.join();
    }
    for (int i = 0; i < readable; ++i) {
        if (read_ok[static_cast<std::size_t>(i)] == 0) {
            cut = fmt::format("time limit: {} of {} pages read", i, n);
            break;
        }
        pages.push_back(std::move(lines_of[static_cast<std::size_t>(i)]));
        if (pages.back().empty()) empty_pages.push_back(i);
    }
    bool ocr_used = false;
    if (!empty_pages.empty() && limits.ocr) {
        Ocr ocr;
        if (auto failed = ocr.start(limits.ocr_language)) return std::unexpected(*failed);
        int done = 0;
        for (int i : empty_pages) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (left.count() <= 0) {
                cut = fmt::format("time limit: OCR read {} of {} pages without text", done, empty_pages.size());
                break;
            }
            if (done == limits.max_ocr_pages) {
                cut = fmt::format("page limit: OCR read {} of {} pages without text", done, empty_pages.size());
                break;
            }
            std::unique_ptr<poppler::page> page(doc->create_page(i));
            if (!page) continue;
            if (auto text = ocr.read(*page, limits, left)) {
                pages[static_cast<std::size_t>(i)] = text_lines(*text);
                ocr_used = ocr_used || !pages[static_cast<std::size_t>(i)].empty();
            }
            ++done;
        }
    }
    const bool any_text =
        std::any_of(pages.begin(), pages.end(), [](const std::vector<std::string>& p) { return !p.empty(); });
    if (!any_text) {
        if (limits.ocr) {
            return std::unexpected(
                PdfFailure{PdfProblem::ocr_failed, cut.empty() ? std::string("OCR found no text in the PDF's pages")
                                                               : fmt::format("OCR found no text ({})", cut)});
        }
        return std::unexpected(
            PdfFailure{PdfProblem::no_text_layer, n == 0 ? std::string("the PDF has no pages")
                                                         : std::string("no text layer (a scan; --ocr reads it)")});
    }
    PdfText out = join_pdf_lines(pages);
    out.pages = n;
    out.ocr = ocr_used;
    out.cut = std::move(cut);
    out.title = utf8(doc->info_key("Title"));
    out.author = utf8(doc->info_key("Author"));
    return out;
}

}  // namespace provcheck
