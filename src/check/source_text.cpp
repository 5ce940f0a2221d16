#include "check/source_text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <utility>

#include "capture/stored.hpp"
#include "core/text.hpp"
#include "extract/extract.hpp"
#include "extract/quotes.hpp"
#include "pdf/isolated.hpp"

namespace provcheck {

namespace {

bool is_pdf(std::string_view media_type, std::string_view body) {
    return media_type.find("pdf") != std::string_view::npos ||
           ((media_type.empty() || media_type == "application/octet-stream") && looks_like_pdf(body));
}

bool is_plain_text(std::string_view media_type) {
    return media_type == "text/plain" || media_type == "text/markdown" || media_type == "text/x-markdown";
}

// Plain text and Markdown as they are: paragraphs are separated by blank lines, the lines of one are joined.
std::string plain_paragraphs(std::string_view body) {
    std::string out;
    std::string para;
    auto flush = [&] {
        if (para.empty()) return;
        if (!out.empty()) out += "\n\n";
        out += para;
        para.clear();
    };
    std::size_t at = 0;
    while (at < body.size()) {
        std::size_t nl = body.find('\n', at);
        if (nl == std::string_view::npos) nl = body.size();
        std::string_view line = trim(body.substr(at, nl - at));
        at = nl + 1;
        if (line.empty()) {
            flush();
            continue;
        }
        if (!para.empty()) para += ' ';
        para += line;
    }
    flush();
    return out;
}

}  // namespace

std::unique_ptr<SourceText> SourceText::read(Capture c, const RuleSet& rules, const SourceReading& reading) {
    std::unique_ptr<SourceText> s(new SourceText);
    std::string body = std::exchange(c.body, std::string());
    s->capture_ = std::move(c);
    const Capture& cap = s->capture_;
    if (!cap.ok()) return s;
    if (is_pdf(cap.content_type, body)) {
        PdfLimits limits = reading.pdf;
        limits.ocr = reading.ocr;
        auto pdf = read_pdf_isolated(body, limits);
        free_string(body);
        s->readable_ = true;
        if (!pdf) {
            // Fetched, and nothing in it can be read: like a paywall, the words may be there unseen.
            s->partial_ = true;
            s->restriction_ = pdf.error().message;
            return s;
        }
        s->text_ = std::move(pdf->text);
        s->page_starts_ = std::move(pdf->page_starts);
        s->ocr_ = pdf->ocr;
        s->publisher_ = std::move(pdf->author);
        s->partial_ = !pdf->cut.empty() || cap.truncated.has_value();
        s->restriction_ = std::move(pdf->cut);
        return s;
    }
    if (is_plain_text(cap.content_type)) {
        s->text_ = plain_paragraphs(body);
        free_string(body);
        s->readable_ = true;
        s->partial_ = cap.truncated.has_value();
        return s;
    }
    std::string html;
    if (cap.content_type.find("json") != std::string::npos) {
        // An oEmbed answer: the post's markup is in "html".
        auto j = nlohmann::json::parse(body, nullptr, false);
        if (j.is_discarded() || !j.is_object() || !j.contains("html") || !j["html"].is_string()) return s;
        html = j["html"].get<std::string>();
    } else if (!may_hold_text(cap.content_type)) {
        return s;  // images and other media carry no text to align against
    } else {
        html = std::move(body);
    }
    free_string(body);
    ExtractLimits limits;
    limits.page_text = true;
    auto doc = extract_document(html, cap.final_url, rules, limits);
    if (!doc) return s;
    s->text_ = doc->text();
    s->site_name_ = std::move(doc->site_name);
    s->publisher_ = std::move(doc->publisher);
    if (doc->page_text != s->text_) s->page_text_ = std::move(doc->page_text);
    s->partial_ = doc->partial || cap.truncated.has_value();
    s->readable_ = true;
    return s;
}

void SourceText::prepare(const MatchingRules& rules) const {
    if (readable_ && !index_) index_.emplace(text_, rules);
}

Match SourceText::align(std::string_view quote, const MatchingRules& rules) const {
    if (!index_) index_.emplace(text_, rules);
    Match m = align_quote(quote, *index_);
    if (!page_starts_.empty() && m.verdict != Verdict::not_found) {
        m.page = page_at(page_starts_, m.start);
        m.ocr = ocr_;
    }
    if (m.verdict != Verdict::not_found || page_text_.empty()) return m;
    std::call_once(page_once_, [&] { page_index_.emplace(page_text_, rules); });
    Match outside = align_quote(quote, *page_index_);
    if (outside.verdict == Verdict::not_found) return m;
    outside.region = "outside_main_text";
    return outside;
}

namespace {

// Rules that name the speaker within the passage's own sentence.
bool same_sentence_rule(std::string_view rule) {
    return rule.starts_with("after.") || rule.starts_with("before.") || rule.starts_with("sentence.");
}

}  // namespace

std::string SourceText::speaker_of(const Match& passage, const AttributionLookups& lookups) const {
    const std::string_view text = passage.region.empty() ? std::string_view(text_) : std::string_view(page_text_);
    const std::size_t start = passage.start;
    const std::size_t end = passage.end;
    if (start >= end || end > text.size()) return {};
    // The paragraph holding the words, and the paragraphs before it that a pronoun may point back into.
    auto paragraph_start = [&](std::size_t at) {
        const auto p = text.rfind("\n\n", at == 0 ? 0 : at - 1);
        return p == std::string_view::npos || at == 0 ? 0 : p + 2;
    };
    const std::size_t first = paragraph_start(start);
    std::size_t last_end = text.find("\n\n", end);
    if (last_end == std::string_view::npos) last_end = text.size();
    if (text.substr(first, end - first).find("\n\n") != std::string_view::npos) return {};  // across paragraphs

    // Attributes the words in a document of the paragraphs starting at `starts` (the last holds them). Sets
    // `rule` to the rule that attributed them and `quoted` to whether the source quotes them.
    auto attribute = [&](const std::vector<std::size_t>& starts, std::string& rule, bool& quoted) -> std::string {
        Document doc;
        doc.url = capture_.final_url;
        for (std::size_t i = 0; i < starts.size(); ++i) {
            const std::size_t b = starts[i];
            const std::size_t e = i + 1 < starts.size() ? starts[i + 1] - 2 : last_end;
            Block block;
            block.text = std::string(text.substr(b, e - b));
            block.start = b;
            doc.blocks.push_back(std::move(block));
        }
        const int here = static_cast<int>(doc.blocks.size()) - 1;
        const std::size_t local_start = start - first;
        const std::size_t local_end = end - first;
        doc.quotations = find_quotations(doc.blocks);
        // The quotation holding most of the words, else the words themselves as one.
        int holder = -1;
        for (std::size_t i = 0; i < doc.quotations.size(); ++i) {
            const Quotation& q = doc.quotations[i];
            if (q.block != here || q.last_block != here) continue;
            const std::size_t overlap_begin = std::max(q.start, local_start);
            const std::size_t overlap_end = std::min(q.end, local_end);
            if (overlap_end > overlap_begin && (overlap_end - overlap_begin) * 2 >= local_end - local_start) {
                holder = static_cast<int>(i);
                break;
            }
        }
        quoted = holder >= 0;
        if (!quoted) {
            Quotation q;
            q.text = std::string(text.substr(start, end - start));
            q.block = q.last_block = here;
            q.start = local_start;
            q.end = local_end;
            q.words = count_words(q.text);
            auto at = std::find_if(doc.quotations.begin(), doc.quotations.end(), [&](const Quotation& x) {
                return x.block > here || (x.block == here && x.start > local_start);
            });
            holder = static_cast<int>(at - doc.quotations.begin());
            doc.quotations.insert(at, std::move(q));
        }
        const Quotation& q = doc.quotations[static_cast<std::size_t>(holder)];
        for (auto& c : attribute_claims(doc, lookups)) {
            if (c.block == here && c.start == q.start) {
                rule = std::move(c.rule);
                return std::move(c.speaker);
            }
        }
        return {};
    };
    // The paragraph alone first: a speaker named in it is the nearest, and the paragraphs before change nothing.
    // They are read only when it names no one (a pronoun with nothing in the paragraph to point to, a quotation
    // that continues one of the paragraph before), and for prose only when a rule of its sentence applies.
    std::vector<std::size_t> starts{first};
    std::string rule;
    bool quoted = false;
    std::string speaker = attribute(starts, rule, quoted);
    // A description ("the chief executive said") names no one: the paragraphs before may.
    const bool described = described_speaker(speaker, lookups.attribution());
    if ((speaker.empty() || described) && first > 0 && (quoted || same_sentence_rule(rule))) {
        std::vector<std::size_t> before;  // the paragraphs before, nearest first
        for (std::size_t at = first;
             static_cast<int>(before.size()) < lookups.attribution().context_blocks && at > 0;) {
            at = paragraph_start(at - 2);
            before.push_back(at);
        }
        starts.assign(before.rbegin(), before.rend());
        starts.push_back(first);
        std::string named_rule;
        bool named_quoted = false;
        std::string named = attribute(starts, named_rule, named_quoted);
        if (!named.empty() || !described) {
            speaker = std::move(named);
            rule = std::move(named_rule);
            quoted = named_quoted;
        }
    }
    return quoted || same_sentence_rule(rule) ? speaker : std::string();
}

std::size_t SourceText::memory_bytes() const noexcept {
    return text_.capacity() + page_text_.capacity() + (index_ ? index_->memory_bytes() : 0) +
           (page_index_ ? page_index_->memory_bytes() : 0);
}

}  // namespace provcheck
