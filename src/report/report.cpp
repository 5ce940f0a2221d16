#include "report/report.hpp"

#include <fmt/format.h>

#include <array>
#include <map>
#include <vector>

#include "core/parallel.hpp"
#include "core/text.hpp"
#include "report/formats.hpp"
#include "report/gate.hpp"
#include "report/writer.hpp"

namespace provcheck {

using nlohmann::json;

json hop_json(const Hop& hop) {
    return {{"url", hop.url}, {"status", hop.status ? json(*hop.status) : json(nullptr)}, {"via", to_string(hop.via)}};
}

json chain_json(const std::vector<Hop>& chain) {
    json out = json::array();
    for (const auto& h : chain)
        out.push_back(hop_json(h));
    return out;
}

json error_json(const Capture& c) {
    if (!c.failure) return nullptr;
    return {{"class", to_string(c.failure->cls)}, {"message", c.failure->message}};
}

json source_json(const Capture& c) {
    json j = {{"url", c.requested_url},
              {"final_url", c.final_url},
              {"status", c.status != 0 ? json(c.status) : json(nullptr)},
              {"sha256", c.payload_sha256.empty() ? json(nullptr) : json(c.payload_sha256)},
              {"fetched_at", c.fetched_at},
              {"chain", chain_json(c.chain)},
              {"error", error_json(c)}};
    if (!c.block_sha256.empty()) j["block_sha256"] = c.block_sha256;
    if (c.truncated) j["truncated"] = *c.truncated;
    if (c.stored) {
        j["warc"] = {{"file", c.stored->warc_file}, {"offset", c.stored->offset}, {"record_id", c.stored->record_id}};
    }
    if (c.from_replay) j["replayed"] = true;
    // Reused from the workspace's HTTP cache: fetched_at stays the time the bytes were served.
    if (c.cache) j["cache"] = {{"state", to_string(c.cache->state)}, {"validated_at", c.cache->validated_at}};
    if (c.archived) {
        j["archived"] = {{"original_url", c.archived->original_url},
                         {"archived_at", c.archived->archived_at},
                         {"timemap", c.archived->timemap}};
    }
    return j;
}

json match_json(const Match& m) {
    json diffs = json::array();
    for (const auto& d : m.differences) {
        diffs.push_back({{"op", d.op},
                         {"quote", d.quote},
                         {"source", d.source},
                         {"kind", to_string(d.kind)},
                         {"critical", d.critical}});
    }
    json elisions = json::array();
    for (const auto& e : m.elisions) {
        elisions.push_back({{"marker", e.marker}, {"source", e.source}, {"critical", e.critical}});
    }
    json j = {{"text", m.text},
              {"start", m.start},
              {"end", m.end},
              {"differences", diffs},
              {"elisions", elisions},
              {"context_before", m.context_before},
              {"context_after", m.context_after},
              {"decided_by", m.decided_by}};
    if (!m.insertions.empty()) j["insertions"] = m.insertions;
    if (!m.region.empty()) j["region"] = m.region;
    if (m.page > 0) j["page"] = m.page;
    if (m.ocr) j["ocr"] = true;
    return j;
}

json claim_json(const ClaimResult& r) {
    const Claim& c = r.claim;
    json j = {{"id", c.id},
              {"kind", to_string(c.kind)},
              {"quote", c.quote},
              {"speaker", c.speaker},
              {"outlet", c.outlet},
              {"attribution", c.attribution},
              {"rule", c.rule},
              {"block", c.block},
              {"verdict", to_string(r.verdict)},
              {"score", r.match ? json(r.match->score) : json(nullptr)},
              {"source", r.source ? source_json(*r.source) : json(nullptr)},
              {"match", r.match ? match_json(*r.match) : json(nullptr)},
              {"record", nullptr}};
    if (c.last_block >= 0) j["last_block"] = c.last_block;
    if (c.speaker_inferred) j["speaker_inferred"] = true;
    if (!r.source_reason.empty()) j["source_reason"] = r.source_reason;
    if (!r.source_speaker.empty()) j["source_speaker"] = r.source_speaker;
    if (!r.restriction.empty()) j["restriction"] = r.restriction;
    if (r.candidates.size() > 1) {
        json others = json::array();
        for (const auto& cand : r.candidates)
            others.push_back(source_json(cand));
        j["candidates"] = others;
    }
    if (!r.versions.empty()) {
        json versions = json::array();
        for (const auto& v : r.versions) {
            versions.push_back({{"url", v.url},
                                {"fetched_at", v.fetched_at},
                                {"sha256", v.payload_sha256},
                                {"verdict", to_string(v.verdict)},
                                {"score", v.score},
                                {"matched", v.matched},
                                {"current", v.current}});
            if (!v.archived_at.empty()) versions.back()["archived_at"] = v.archived_at;
        }
        j["versions"] = versions;
    }
    if (r.record) {
        j["record"] = {{"envelope_sha256", r.record->envelope_sha256},
                       {"key_id", r.record->key_id},
                       {"log_index", r.record->log_index}};
    }
    return j;
}

json verdict_counts(const Report& report) {
    std::map<std::string, int> counts;
    for (const auto& a : report.articles) {
        for (const auto& c : a.claims)
            ++counts[std::string(to_string(c.verdict))];
    }
    json j = json::object();
    for (const auto& [k, v] : counts)
        j[k] = v;
    return j;
}

json verdict_counts(const ArticleResult& article) {
    std::map<std::string, int> counts;
    for (const auto& c : article.claims)
        ++counts[std::string(to_string(c.verdict))];
    json j = json::object();
    for (const auto& [k, v] : counts)
        j[k] = v;
    return j;
}

std::string article_url(const ArticleResult& a) {
    if (!a.document.canonical_url.empty()) return a.document.canonical_url;
    return a.capture.final_url.empty() ? a.input : a.capture.final_url;
}

// Written straight out: building thousands of links' trees was most of the time an article citing thousands of
// sources spent on its report. report_test pins the text to nlohmann::json's dump(2) of what it reads back to.
void append_link_json(std::string& out, const LinkResult& l, std::size_t depth) {
    PrettyJson j(out, depth);
    j.begin_object();
    j.key("anchor");
    j.string(l.link.anchor_text);
    j.key("block");
    j.number(l.link.block);
    j.key("chain");
    j.begin_array();
    for (const auto& h : l.capture.chain) {
        j.begin_object();
        j.key("status");
        if (h.status) {
            j.number(*h.status);
        } else {
            j.null();
        }
        j.key("url");
        j.string(h.url);
        j.key("via");
        j.string(to_string(h.via));
        j.end_object();
    }
    j.end_array();
    j.key("error");
    if (l.capture.failure) {
        j.begin_object();
        j.key("class");
        j.string(to_string(l.capture.failure->cls));
        j.key("message");
        j.string(l.capture.failure->message);
        j.end_object();
    } else {
        j.null();
    }
    j.key("final_url");
    j.string(l.capture.final_url);
    j.key("sha256");
    if (l.capture.payload_sha256.empty() || l.capture.status == 0) {
        j.null();
    } else {
        j.string(l.capture.payload_sha256);
    }
    j.key("status");
    if (l.capture.status != 0) {
        j.number(l.capture.status);
    } else {
        j.null();
    }
    j.key("url");
    j.string(l.link.url);
    j.end_object();
}

// The same fields as a tree, read back from their text: one definition of what a link shows.
json link_json(const LinkResult& l) {
    std::string text;
    append_link_json(text, l, 0);
    return json::parse(text);
}

namespace {

// A claim's object with what the gate said of it.
json gated_claim_json(const ClaimResult& c, const ClaimGate* g) {
    json cj = claim_json(c);
    if (g != nullptr) {
        cj["gate"] = {{"fails", g->fails}, {"reason", g->reason}};
        if (g->before) cj["gate"]["baseline_verdict"] = to_string(g->before->verdict);
    }
    return cj;
}

// One article of the JSON report, with its own summary of claims and gate failures; with `with_lists` false,
// its "claims" and "links" arrays are left empty (the streaming writer puts them in as text).
// `gates`: one per claim, or nullptr when the report has no gate.
json article_json(const ArticleResult& a, const std::vector<ClaimGate>* gates, bool with_lists = true) {
    json links = json::array();
    if (with_lists) {
        for (const auto& l : a.links)
            links.push_back(link_json(l));
    }
    auto gate_of = [&](std::size_t ci) { return gates != nullptr && ci < gates->size() ? &(*gates)[ci] : nullptr; };
    // Each claim's object is built on the machine's cores; a large article has thousands.
    json cl = json::array();
    if (with_lists) {
        std::vector<json> claim_objects(a.claims.size());
        parallel_for(claim_objects.size(), 64,
                     [&](std::size_t ci) { claim_objects[ci] = gated_claim_json(a.claims[ci], gate_of(ci)); });
        for (auto& cj : claim_objects)
            cl.push_back(std::move(cj));
    }
    std::size_t article_failures = 0;
    for (std::size_t ci = 0; ci < a.claims.size(); ++ci) {
        const ClaimGate* g = gate_of(ci);
        article_failures += g != nullptr && g->fails ? 1 : 0;
    }
    const Document& d = a.document;
    json article_summary = {{"claims", a.claims.size()}, {"by_verdict", verdict_counts(a)}};
    if (gates != nullptr) article_summary["failures"] = article_failures + (a.error ? 1 : 0);
    return {{"input", a.input},
            {"error",
             a.error ? json{{"class", a.capture.failure ? json(to_string(a.capture.failure->cls)) : json("unreadable")},
                            {"message", a.error->message}}
                     : json(nullptr)},
            {"summary", std::move(article_summary)},
            {"url", d.canonical_url.empty() ? a.capture.final_url : d.canonical_url},
            {"final_url", a.capture.final_url},
            {"sha256", a.capture.payload_sha256},
            {"fetched_at", a.capture.fetched_at},
            {"title", d.title},
            {"byline", d.byline},
            {"published", d.published},
            {"modified", d.modified},
            {"language", d.language},
            {"extraction_stage", d.extraction_stage},
            {"notes", a.notes},
            {"links", std::move(links)},
            {"claims", std::move(cl)}};
}

json summary_json(const ReportTotals& totals, const GateTotals* gate) {
    json by_verdict = json::object();
    for (const auto& [v, n] : totals.by_verdict)
        by_verdict[std::string(to_string(v))] = n;
    json summary = {{"articles", totals.articles},
                    {"claims", totals.claims},
                    {"by_verdict", std::move(by_verdict)},
                    {"failed_articles", totals.unreadable}};
    if (gate != nullptr) {
        summary["failures"] = gate->failures;
        summary["passed"] = gate->passed();
    }
    return summary;
}

json tool_json() {
    return {{"name", "provcheck"}, {"version", PROVCHECK_VERSION}};
}

}  // namespace

namespace {

// The JSON report: the keys in the order nlohmann::json writes them (sorted): articles, summary, tool. Each
// article's tree is built, written out and let go before the next.
class JsonWriter final : public ReportWriter {
public:
    explicit JsonWriter(Spool spool) : articles_(std::move(spool)) {}

    void add(const ArticleResult& article, const std::vector<ClaimGate>* gates) override {
        // The article without its claims and links, dumped and put at its depth in the report (an item of
        // "articles"); then each claim and link, written on the machine's cores straight at its own depth (an item
        // of the article's arrays), put in its empty array's place (keys at the article's own level: a string's
        // quotes are escaped, so no value can look like one). Only the small skeleton is indented twice.
        std::string part = nested_item_prefix(count_++, 1);
        append_nested(part, article_json(article, gates, false).dump(2), article_depth);
        std::vector<std::string> claims(article.claims.size());
        parallel_for(claims.size(), 64, [&](std::size_t ci) {
            const ClaimGate* g = gates != nullptr && ci < gates->size() ? &(*gates)[ci] : nullptr;
            claims[ci] = nested_item_prefix(ci, list_depth);
            append_nested(claims[ci], gated_claim_json(article.claims[ci], g).dump(2), list_depth + 1);
        });
        std::vector<std::string> links(article.links.size());
        parallel_for(links.size(), 256, [&](std::size_t li) {
            links[li] = nested_item_prefix(li, list_depth);
            append_link_json(links[li], article.links[li], list_depth + 1);
        });
        splice(part, "claims", claims);
        splice(part, "links", links);
        articles_.append(part);
    }

    Result<void> finish(const ReportTotals& totals, const GateTotals* gate, const Emit& emit) override {
        if (auto r = emit("{\n  \"articles\": "); !r) return r;
        if (auto r = emit_nested_array(articles_, 1, emit); !r) return r;
        std::string tail = ",\n  \"summary\": ";
        append_nested(tail, summary_json(totals, gate).dump(2), 1);
        tail += ",\n  \"tool\": ";
        append_nested(tail, tool_json().dump(2), 1);
        tail += "\n}\n";
        return emit(tail);
    }

private:
    // Puts `items` (each with its nested_item_prefix) in the place of the empty array of the article's member `key`.
    static void splice(std::string& text, std::string_view key, const std::vector<std::string>& items) {
        if (items.empty()) return;
        const std::string pad(2 * list_depth, ' ');
        const std::string marker = fmt::format("\n{}\"{}\": []", pad, key);
        const std::size_t at = text.find(marker);
        if (at == std::string::npos) return;
        const std::size_t open = at + marker.size() - 1;  // the "]" of "[]"
        std::size_t size = 1 + pad.size();
        for (const auto& item : items)
            size += item.size();
        std::string inner;
        inner.reserve(size);
        for (const auto& item : items)
            inner += item;
        inner += '\n';
        inner += pad;
        text.insert(open, inner);
    }

    // An article is an item of the report's "articles" (depth 2); its arrays are members of it (depth 3).
    static constexpr std::size_t article_depth = 2;
    static constexpr std::size_t list_depth = 3;

    Spool articles_;
    std::size_t count_ = 0;
};

}  // namespace

Result<std::unique_ptr<ReportWriter>> json_report_writer(bool in_memory) {
    auto spool = Spool::open(in_memory);
    if (!spool) return std::unexpected(spool.error());
    return std::make_unique<JsonWriter>(std::move(*spool));
}

json report_json(const Report& report, const GateResult* gate) {
    json articles = json::array();
    ReportTotals totals;
    static const std::vector<ClaimGate> none;
    for (std::size_t ai = 0; ai < report.articles.size(); ++ai) {
        const std::vector<ClaimGate>* gates = gate == nullptr            ? nullptr
                                              : ai < gate->claims.size() ? &gate->claims[ai]
                                                                         : &none;
        articles.push_back(article_json(report.articles[ai], gates));
        totals.add(report.articles[ai]);
    }
    const GateTotals gate_totals{gate != nullptr ? gate->failures : 0};
    return {{"tool", tool_json()},
            {"articles", std::move(articles)},
            {"summary", summary_json(totals, gate != nullptr ? &gate_totals : nullptr)}};
}

std::string report_json_text(const Report& report, const GateResult* gate) {
    auto writer = json_report_writer(true);
    return render_report(**writer, report, gate);
}

namespace {

struct Style {
    bool on;
    [[nodiscard]] std::string paint(std::string_view code, std::string_view s) const {
        return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : std::string(s);
    }
};

std::string_view verdict_color(Verdict v) {
    switch (v) {
        case Verdict::verbatim:
        case Verdict::elided:
            return "32";  // green
        case Verdict::minor_variation:
            return "36";  // cyan
        case Verdict::altered:
        case Verdict::misattributed:
        case Verdict::not_found:
            return "1;31";  // bold red
        case Verdict::source_restricted:
        case Verdict::source_unavailable:
            return "33";  // yellow
        case Verdict::unsourced:
            return "35";  // magenta
    }
    return "0";
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& ch : out) {
        if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
        if (ch == '_') ch = ' ';
    }
    return out;
}

// Text from pages and servers, made safe for a terminal (core/text.hpp terminal_safe()).
std::string T(std::string_view s) {
    return terminal_safe(s);
}

std::string status_of(const Capture& c) {
    if (c.failure) return fmt::format("{}: {}", to_string(c.failure->cls), c.failure->message);
    return fmt::format("{}", c.status);
}

void chain_lines(std::string& out, const std::vector<Hop>& chain, std::string_view indent) {
    for (const auto& h : chain) {
        out += fmt::format("{}{:>4} {} ({})\n", indent, h.status ? fmt::format("{}", *h.status) : "-", T(h.url),
                           to_string(h.via));
    }
}

}  // namespace

namespace {

// One article of the text report.
void text_article(std::string& out, const ArticleResult& a, const std::vector<ClaimGate>* gates, const Style& st) {
    const Document& d = a.document;
    if (a.error) {
        out += fmt::format("{} {}\n  {}\n\n", st.paint("1;31", "UNREADABLE"), T(a.input), T(a.error->message));
        return;
    }
    out += st.paint("1", T(d.title.empty() ? a.input : d.title)) + "\n";
    out += fmt::format("{}\n", T(d.canonical_url.empty() ? a.capture.final_url : d.canonical_url));
    out += fmt::format("input {} · sha256 {} · published {}\n", T(a.input), a.capture.payload_sha256,
                       d.published.empty() ? "unknown" : T(d.published));
    for (const auto& note : a.notes)
        out += fmt::format("{} {}\n", st.paint("1;33", "note"), T(note));
    out += "\n";
    out += st.paint("1", fmt::format("Claims ({})", a.claims.size())) + "\n";
    for (std::size_t ci = 0; ci < a.claims.size(); ++ci) {
        const ClaimResult& c = a.claims[ci];
        const ClaimGate* g = gates != nullptr && ci < gates->size() ? &(*gates)[ci] : nullptr;
        out += fmt::format("\n  {}{} {}“{}”\n", g != nullptr && g->fails ? st.paint("1;31", "✗ ") : "",
                           st.paint(verdict_color(c.verdict), upper(to_string(c.verdict))),
                           c.claim.kind == ClaimKind::quote ? "" : fmt::format("[{}] ", to_string(c.claim.kind)),
                           T(c.claim.quote));
        out += fmt::format("      speaker  {}{}\n", T(describe_speaker(c.claim)),
                           c.claim.attribution.empty() ? "" : fmt::format(" — “{}”", T(c.claim.attribution)));
        if (c.source) {
            out += fmt::format("      source   {} ({}){}\n",
                               T(c.source->final_url.empty() ? c.source->requested_url : c.source->final_url),
                               T(status_of(*c.source)),
                               c.source_reason.empty() ? "" : fmt::format(", {}", T(c.source_reason)));
            if (c.source->archived) {
                out +=
                    fmt::format("      archived copy of {} made {} (TimeMap {})\n", T(c.source->archived->original_url),
                                T(c.source->archived->archived_at), T(c.source->archived->timemap));
            }
        } else if (c.verdict == Verdict::unsourced) {
            out += c.candidates.empty()
                       ? std::string(
                             "      source   none: no link, organisation, outlet rule or --source binding "
                             "ties a source to the speaker\n")
                       : fmt::format(
                             "      source   none tied to the speaker; {} other cited source{} tried, "
                             "none holds the words\n",
                             c.candidates.size(), c.candidates.size() == 1 ? "" : "s");
        }
        if (!c.restriction.empty()) out += fmt::format("      unread   {}\n", T(c.restriction));
        if (!c.source_speaker.empty()) {
            out += fmt::format("      said by  {} (in the source){}\n", T(c.source_speaker),
                               c.verdict == Verdict::misattributed ? ", not the article's speaker" : "");
        }
        if (c.match && !c.match->text.empty() && c.verdict != Verdict::not_found) {
            const std::string where = passage_locator(c);
            out += fmt::format("      passage  “{}” (score {:.2f}){}{}\n", T(c.match->text), c.match->score,
                               where.empty() ? "" : ", " + where,
                               c.match->region.empty() ? "" : ", outside the source's main text");
        }
        if (c.match) {
            for (const auto& diff : c.match->differences) {
                out += fmt::format("      {}  {} “{}” → source “{}” ({}{})\n",
                                   st.paint(diff.critical ? "1;31" : "33", "differs"), T(diff.op), T(diff.quote),
                                   T(diff.source), to_string(diff.kind), diff.critical ? ", critical" : "");
            }
            for (const auto& e : c.match->elisions) {
                out += fmt::format("      elision  {} stands for “{}”{}\n", T(e.marker), T(e.source),
                                   e.critical ? " (critical)" : "");
            }
        }
        for (const auto& v : c.versions) {
            out += fmt::format("      version  {} {} {} · {} (score {:.2f}){}\n", v.matched ? "matched" : "differs",
                               v.archived_at.empty() ? "captured" : "archived copy of",
                               v.archived_at.empty() ? v.fetched_at : v.archived_at, to_string(v.verdict), v.score,
                               v.current ? ", current" : "");
        }
        if (c.record) {
            out += fmt::format("      record   claim {} · log #{} · key {} (provcheck show {})\n", c.claim.id,
                               c.record->log_index, c.record->key_id.substr(0, 16), c.claim.id);
        } else {
            out += fmt::format("      claim    {} (not recorded: a dry run)\n", c.claim.id);
        }
        if (g != nullptr && (g->fails || g->before)) {
            out += fmt::format("      gate     {} ({})\n", g->fails ? "fails" : "passes", g->reason);
        }
    }
    if (!a.links.empty()) {
        out += fmt::format("\n{}\n", st.paint("1", fmt::format("Links ({})", a.links.size())));
        for (const auto& l : a.links) {
            out += fmt::format("  {} → {} ({})\n", T(l.link.url),
                               T(l.capture.final_url.empty() ? "-" : l.capture.final_url), T(status_of(l.capture)));
            if (l.capture.chain.size() > 1) chain_lines(out, l.capture.chain, "      ");
        }
    }
    out += "\n";
}

// The line of the "Articles" table that a report of several articles ends with.
std::string text_article_line(const ArticleResult& a) {
    std::string per;
    std::map<Verdict, int> mine;
    for (const auto& c : a.claims)
        ++mine[c.verdict];
    for (const auto& [v, n] : mine)
        per += fmt::format("{}{} {}", per.empty() ? "" : ", ", n, to_string(v));
    return fmt::format("  {}  {}\n", T(a.input),
                       a.error ? std::string("unreadable")
                               : fmt::format("{} claim{}{}{}", a.claims.size(), a.claims.size() == 1 ? "" : "s",
                                             per.empty() ? "" : ": ", per));
}

class TextWriter final : public ReportWriter {
public:
    TextWriter(Spool articles, Spool lines, bool color)
        : articles_(std::move(articles)), lines_(std::move(lines)), style_{color} {}

    void add(const ArticleResult& article, const std::vector<ClaimGate>* gates) override {
        std::string part;
        text_article(part, article, gates, style_);
        articles_.append(part);
        lines_.append(text_article_line(article));
    }

    Result<void> finish(const ReportTotals& totals, const GateTotals* gate, const Emit& emit) override {
        if (auto r = articles_.copy_to(emit); !r) return r;
        const Style& st = style_;
        std::string summary;
        for (const auto& [v, n] : totals.by_verdict) {
            summary += fmt::format("{}{} {}", summary.empty() ? "" : ", ", n, to_string(v));
        }
        if (totals.articles > 1) {
            if (auto r = emit(st.paint("1", "Articles") + "\n"); !r) return r;
            if (auto r = lines_.copy_to(emit); !r) return r;
            if (auto r = emit("\n"); !r) return r;
        }
        const std::size_t total = totals.claims;
        std::string out =
            fmt::format("{} article{}{}, {} claim{}{}{}\n", totals.articles, totals.articles == 1 ? "" : "s",
                        totals.unreadable != 0 ? fmt::format(" ({} unreadable)", totals.unreadable) : "", total,
                        total == 1 ? "" : "s", summary.empty() ? "" : ": ", summary);
        if (gate != nullptr) {
            out += gate->passed() ? st.paint("32", "gate: passed") + "\n"
                                  : st.paint("1;31", fmt::format("gate: {} failure{}", gate->failures,
                                                                 gate->failures == 1 ? "" : "s")) +
                                        "\n";
        }
        return emit(out);
    }

private:
    Spool articles_;
    Spool lines_;
    Style style_;
};

}  // namespace

Result<std::unique_ptr<ReportWriter>> text_report_writer(bool in_memory, bool color) {
    auto articles = Spool::open(in_memory);
    if (!articles) return std::unexpected(articles.error());
    auto lines = Spool::open(in_memory);
    if (!lines) return std::unexpected(lines.error());
    return std::make_unique<TextWriter>(std::move(*articles), std::move(*lines), color);
}

std::string report_text(const Report& report, const TextOptions& options) {
    auto writer = text_report_writer(true, options.color);
    return render_report(**writer, report, options.gate);
}

}  // namespace provcheck
