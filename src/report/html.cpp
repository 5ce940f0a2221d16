#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "report/formats.hpp"
#include "report/writer.hpp"

namespace provcheck {

namespace {

const std::string_view page_css = R"css(
:root { --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 15px/1.5 "DejaVu Sans", system-ui, sans-serif; color: #1f2328; margin: 0 auto; max-width: 72rem;
       padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--line); padding-bottom: .25rem; }
.meta, .muted { color: var(--muted); font-size: .85rem; }
.meta dt { font-weight: bold; float: left; clear: left; width: 8rem; }
.meta dd { margin: 0 0 0 8.5rem; overflow-wrap: anywhere; }
table { border-collapse: collapse; font-size: .85rem; }
td, th { border: 1px solid var(--line); padding: .2rem .5rem; text-align: left; vertical-align: top; }
td.url { overflow-wrap: anywhere; }
.summary td.n { text-align: right; }
.claim { border: 1px solid var(--line); border-left: 6px solid var(--muted); border-radius: 4px; margin: 1rem 0;
         padding: .75rem 1rem; break-inside: avoid; page-break-inside: avoid; }
.claim.good { border-left-color: var(--ok); }
.claim.warn { border-left-color: var(--warn); }
.claim.bad { border-left-color: var(--bad); }
.verdict { font-weight: bold; letter-spacing: .03em; text-transform: uppercase; }
.good .verdict { color: var(--ok); } .warn .verdict { color: var(--warn); } .bad .verdict { color: var(--bad); }
.gate { float: right; font-size: .85rem; font-weight: bold; }
.gate.fails { color: var(--bad); } .gate.passes { color: var(--ok); }
.compare { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; margin: .5rem 0; }
.compare h4 { margin: 0 0 .25rem; font-size: .8rem; color: var(--muted); text-transform: uppercase; }
.compare blockquote { margin: 0; padding: .5rem .75rem; background: #f6f8fa; border-radius: 4px; }
.context { color: var(--muted); }
mark.diff { background: #ffebe9; color: #82071e; font-weight: bold; padding: 0 .15em; border-bottom: 2px solid var(--bad); }
mark.diff.minor { background: #fff8c5; color: #4d2d00; border-bottom-color: var(--warn); font-weight: normal; }
mark.elided { background: #ddf4ff; color: #0a3069; border-bottom: 2px dotted #0969da; }
mark.marker { background: #ddf4ff; color: #0a3069; font-weight: bold; }
ul.details { margin: .25rem 0; padding-left: 1.25rem; }
code, .hash { font-family: "DejaVu Sans Mono", monospace; font-size: .8rem; overflow-wrap: anywhere; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .claim { border-left-width: 4px; }
  mark { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
@media (max-width: 40rem) { .compare { grid-template-columns: 1fr; } }
)css";

std::string_view verdict_class(Verdict v) {
    switch (v) {
        case Verdict::verbatim:
        case Verdict::elided:
        case Verdict::minor_variation:
            return "good";
        case Verdict::altered:
        case Verdict::misattributed:
        case Verdict::not_found:
            return "bad";
        default:
            return "warn";
    }
}

struct Mark {
    std::string needle;
    std::string css_class;
};

// `text` escaped, with each needle wrapped in <mark>, in order: each is searched from where the previous
// one ended, then from the start, and skipped when it would overlap one already placed.
std::string highlight(std::string_view text, const std::vector<Mark>& marks) {
    struct Span {
        std::size_t start, end;
        const std::string* css;
    };
    std::vector<Span> spans;
    std::size_t cursor = 0;
    for (const auto& m : marks) {
        if (m.needle.empty()) continue;
        auto at = text.find(m.needle, cursor);
        if (at == std::string_view::npos) at = text.find(m.needle);
        while (at != std::string_view::npos) {
            const std::size_t end = at + m.needle.size();
            bool overlaps = false;
            for (const auto& s : spans)
                overlaps = overlaps || (at < s.end && s.start < end);
            if (!overlaps) {
                spans.push_back({at, end, &m.css_class});
                cursor = end;
                break;
            }
            at = text.find(m.needle, at + 1);
        }
    }
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.start < b.start; });
    std::string out;
    std::size_t pos = 0;
    for (const auto& s : spans) {
        out += escape_markup(text.substr(pos, s.start - pos));
        out +=
            fmt::format("<mark class=\"{}\">{}</mark>", *s.css, escape_markup(text.substr(s.start, s.end - s.start)));
        pos = s.end;
    }
    out += escape_markup(text.substr(pos));
    return out;
}

std::string chain_table(const std::vector<Hop>& chain) {
    if (chain.empty()) return {};
    std::string out = "<table class=\"chain\"><tr><th>#</th><th>status</th><th>via</th><th>URL</th></tr>";
    for (std::size_t i = 0; i < chain.size(); ++i) {
        const Hop& h = chain[i];
        out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"url\">{}</td></tr>", i + 1,
                           h.status ? fmt::format("{}", *h.status) : "–", to_string(h.via), escape_markup(h.url));
    }
    return out + "</table>";
}

std::string claim_html(const ClaimResult& c, const ClaimGate* g) {
    std::string out = fmt::format("<article class=\"claim {}\" id=\"claim-{}\">\n", verdict_class(c.verdict),
                                  escape_markup(c.claim.id));
    if (g != nullptr) {
        out += fmt::format("<span class=\"gate {}\">{}</span>", g->fails ? "fails" : "passes",
                           escape_markup(g->fails ? "fails the gate: " + g->reason : "passes"));
    }
    out += fmt::format("<p><span class=\"verdict\">{}</span> · {}{}{}</p>\n", to_string(c.verdict),
                       escape_markup(describe_speaker(c.claim)),
                       c.claim.attribution.empty() ? "" : fmt::format(" — “{}”", escape_markup(c.claim.attribution)),
                       c.claim.rule.empty()
                           ? ""
                           : fmt::format(" <span class=\"muted\">(rule {})</span>", escape_markup(c.claim.rule)));

    std::vector<Mark> quote_marks;
    std::vector<Mark> source_marks;
    if (c.match) {
        for (const auto& d : c.match->differences) {
            const std::string cls = d.critical ? "diff critical" : "diff minor";
            if (d.op == "elided") {
                source_marks.push_back({d.source, cls});
                continue;
            }
            quote_marks.push_back({d.quote, cls});
            source_marks.push_back({d.source, cls});
        }
        for (const auto& e : c.match->elisions) {
            quote_marks.push_back({e.marker, "marker"});
            source_marks.push_back({e.source, e.critical ? "diff critical" : "elided"});
        }
    }
    out += "<div class=\"compare\">\n<div class=\"quote\"><h4>Quotation as printed</h4><blockquote>“" +
           highlight(c.claim.quote, quote_marks) + "”</blockquote></div>\n";
    const std::string where = passage_locator(c);
    out += "<div class=\"passage\"><h4>Source passage" +
           (where.empty() ? std::string() : " (" + escape_markup(where) + ")") + "</h4><blockquote>";
    if (c.match && !c.match->text.empty() && c.verdict != Verdict::not_found) {
        if (!c.match->context_before.empty())
            out += "<span class=\"context\">…" + escape_markup(c.match->context_before) + " </span>";
        out += highlight(c.match->text, source_marks);
        if (!c.match->context_after.empty()) {
            const auto first = static_cast<unsigned char>(c.match->context_after.front());
            const bool word = std::isalnum(first) != 0 || first >= 0x80;
            out += std::string("<span class=\"context\">") + (word ? " " : "") + escape_markup(c.match->context_after) +
                   "…</span>";
        }
    } else {
        out += "<span class=\"muted\">" + escape_markup(describe_claim(c)) + "</span>";
    }
    out += "</blockquote></div>\n</div>\n";

    if (c.match && (!c.match->differences.empty() || !c.match->elisions.empty())) {
        out += "<ul class=\"details\">";
        for (const auto& d : c.match->differences) {
            if (d.op == "elided") {
                out += fmt::format("<li>The elision hides “{}” ({}{})</li>", escape_markup(d.source), to_string(d.kind),
                                   d.critical ? ", critical" : "");
            } else {
                out += fmt::format("<li>{}: quotation “{}”, source “{}” ({}{})</li>", escape_markup(d.op),
                                   escape_markup(d.quote), escape_markup(d.source), to_string(d.kind),
                                   d.critical ? ", critical" : "");
            }
        }
        for (const auto& e : c.match->elisions) {
            out += fmt::format("<li>Elision <code>{}</code> stands for “{}”{}</li>", escape_markup(e.marker),
                               escape_markup(e.source), e.critical ? " (critical)" : "");
        }
        out += "</ul>\n";
    }
    if (c.source) {
        const Capture& s = *c.source;
        out += fmt::format(
            "<p class=\"muted\">Source: <a href=\"{0}\">{0}</a>{1}{2}</p>\n",
            escape_markup(s.final_url.empty() ? s.requested_url : s.final_url),
            c.source_reason.empty() ? "" : " — " + escape_markup(c.source_reason),
            s.failure ? fmt::format(" — failed: {} ({})", to_string(s.failure->cls), escape_markup(s.failure->message))
                      : "");
        out += chain_table(s.chain);
        if (!s.payload_sha256.empty()) {
            std::string cached;
            if (s.cache) {
                cached = fmt::format(" · {} {}",
                                     s.cache->state == CacheState::revalidated ? "unchanged, confirmed" : "reused",
                                     escape_markup(s.cache->validated_at));
            }
            out += fmt::format("<p class=\"muted\">Captured {}{} · SHA-256 <span class=\"hash\">{}</span></p>\n",
                               escape_markup(s.fetched_at), cached, s.payload_sha256);
        }
    }
    for (const auto& v : c.versions) {
        out += fmt::format("<p class=\"muted\">Version captured {}{}: {} (score {:.2f}){}</p>\n",
                           escape_markup(v.fetched_at), v.current ? " (current)" : "", to_string(v.verdict), v.score,
                           v.matched ? " — the version this verdict is about" : " — differs");
    }
    if (c.record) {
        out += fmt::format(
            "<p class=\"muted\">Record: claim <span class=\"hash\">{}</span> (<code>provcheck show {}</code>) · "
            "key id <span class=\"hash\">{}</span> · log index {} · envelope SHA-256 <span class=\"hash\">{}</span>"
            "</p>\n",
            escape_markup(c.claim.id), escape_markup(c.claim.id), c.record->key_id, c.record->log_index,
            c.record->envelope_sha256);
    }
    return out + "</article>\n";
}

// The page's header needs the totals, so the articles' sections are spooled and written after it.
class HtmlWriter final : public ReportWriter {
public:
    HtmlWriter(Spool sections, HtmlOptions options) : sections_(std::move(sections)), options_(std::move(options)) {}

    void add(const ArticleResult& a, const std::vector<ClaimGate>* gates) override {
        const Document& d = a.document;
        std::string out = fmt::format("<section class=\"article\">\n<h2>{}</h2>\n",
                                      escape_markup(d.title.empty() ? a.input : d.title));
        if (a.error) {
            out += fmt::format("<p class=\"gate fails\">The article could not be read: {}</p>\n</section>\n",
                               escape_markup(a.error->message));
            sections_.append(out);
            return;
        }
        out += "<dl class=\"meta\">";
        auto row = [&](std::string_view k, const std::string& v) {
            if (!v.empty()) out += fmt::format("<dt>{}</dt><dd>{}</dd>", k, escape_markup(v));
        };
        row("URL", article_url(a));
        row("input", a.input);
        row("published", d.published);
        row("byline", d.byline);
        row("captured", a.capture.fetched_at);
        row("SHA-256", a.capture.payload_sha256);
        out += "</dl>\n";
        // Claims that fail the gate first, so that an editor sees what needs attention; then the rest, each
        // group in the article's order.
        for (const bool failing : {true, false}) {
            for (std::size_t ci = 0; ci < a.claims.size(); ++ci) {
                const ClaimGate* g = gates != nullptr && ci < gates->size() ? &(*gates)[ci] : nullptr;
                if ((g != nullptr && g->fails) == failing) out += claim_html(a.claims[ci], g);
            }
        }
        if (!a.links.empty()) {
            out +=
                "<h3>Links</h3>\n<table class=\"links\"><tr><th>link</th><th>status</th><th>final URL</th>"
                "<th>hops</th></tr>";
            for (const auto& l : a.links) {
                out += fmt::format("<tr><td class=\"url\">{}</td><td>{}</td><td class=\"url\">{}</td><td>{}</td></tr>",
                                   escape_markup(l.link.url),
                                   l.capture.failure ? std::string(to_string(l.capture.failure->cls))
                                                     : fmt::format("{}", l.capture.status),
                                   escape_markup(l.capture.final_url), l.capture.chain.size());
            }
            out += "</table>\n";
        }
        out += "</section>\n";
        sections_.append(out);
    }

    Result<void> finish(const ReportTotals& totals, const GateTotals* gate, const Emit& emit) override {
        const GateTotals none;
        const GateTotals& g = gate != nullptr ? *gate : none;
        const std::string title = totals.articles == 1 && !totals.first_title.empty()
                                      ? totals.first_title
                                      : fmt::format("{} articles", totals.articles);
        std::string out = fmt::format(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"provcheck {}\">\n<title>provcheck: {}</title>\n<style>{}</style>\n"
            "</head>\n<body>\n<header>\n<h1>Quotation check: {}</h1>\n<p class=\"muted\">provcheck {}{}</p>\n",
            PROVCHECK_VERSION, escape_markup(title), page_css, escape_markup(title), PROVCHECK_VERSION,
            options_.generated_at.empty() ? "" : " · " + escape_markup(options_.generated_at));
        out +=
            fmt::format("<p class=\"gate {}\">{}</p>\n", g.passed() ? "passes" : "fails",
                        g.passed() ? std::string("Every claim passes the gate.")
                                   : fmt::format("{} failure{} of the gate.", g.failures, g.failures == 1 ? "" : "s"));
        out += fmt::format("<table class=\"summary\"><tr><th>verdict</th><th>claims</th></tr>");
        for (const auto& [v, n] : totals.by_verdict)
            out += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td></tr>", to_string(v), n);
        out += fmt::format("<tr><th>all</th><th class=\"n\">{}</th></tr></table>\n</header>\n", totals.claims);
        if (auto r = emit(out); !r) return r;
        if (auto r = sections_.copy_to(emit); !r) return r;
        return emit("</body>\n</html>\n");
    }

private:
    Spool sections_;
    HtmlOptions options_;
};

}  // namespace

Result<std::unique_ptr<ReportWriter>> html_report_writer(bool in_memory, HtmlOptions options) {
    auto spool = Spool::open(in_memory);
    if (!spool) return std::unexpected(spool.error());
    return std::make_unique<HtmlWriter>(std::move(*spool), std::move(options));
}

std::string report_html(const Report& report, const GateResult& gate, const HtmlOptions& options) {
    auto writer = html_report_writer(true, options);
    return render_report(**writer, report, &gate);
}

}  // namespace provcheck
