// `provcheck extract ARTICLE`: what provcheck read from one page, for fact-checkers and rule writers who need
// to see why a claim was or was not found. It runs capture (for a URL), extract and attribute, and nothing
// after them: no workspace, no signing key, no sources fetched.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture/capturer.hpp"
#include "check/options.hpp"
#include "check/page.hpp"
#include "cli/command.hpp"
#include "cli/fetch_options.hpp"
#include "core/clock.hpp"
#include "core/url.hpp"
#include "report/formats.hpp"
#include "report/report.hpp"
#include "rules/rules.hpp"
#include "warc/warc_archive.hpp"

namespace provcheck {

namespace {

using nlohmann::json;

struct ExtractState {
    std::string article;
    std::string format = "text";
    std::optional<std::filesystem::path> rules_dir;
    std::optional<std::string> output;
    std::vector<std::string> replay;
    bool verbose = false;
    FetchOptions fetch;
};

json link_json(const Link& l) {
    return {{"href", l.href},   {"url", l.url},     {"anchor_text", l.anchor_text},
            {"block", l.block}, {"start", l.start}, {"end", l.end}};
}

json embed_json(const Embed& e) {
    json links = json::array();
    for (const auto& l : e.links)
        links.push_back(l.url);
    return {{"kind", e.kind}, {"text", e.text},   {"author", e.author},         {"handle", e.handle},
            {"date", e.date}, {"block", e.block}, {"status_url", e.status_url}, {"links", links}};
}

// A claim as the check report shows it, without what only checking can tell (verdict, source, match, record).
json extracted_claim_json(const Claim& c) {
    ClaimResult r;
    r.claim = c;
    json j = claim_json(r);
    for (const char* key : {"verdict", "score", "source", "match", "record"})
        j.erase(key);
    j["start"] = c.start;
    j["end"] = c.end;
    j["linked_urls"] = c.linked_urls;
    if (c.kind == ClaimKind::embed) j["status_url"] = c.embed_status_url;
    return j;
}

json document_json(const std::string& input, const Capture& capture, const Document& doc,
                   const std::vector<Claim>& claims) {
    json blocks = json::array();
    for (const auto& b : doc.blocks)
        blocks.push_back({{"kind", to_string(b.kind)}, {"text", b.text}});
    json links = json::array();
    for (const auto& l : doc.links)
        links.push_back(link_json(l));
    json embeds = json::array();
    for (const auto& e : doc.embeds)
        embeds.push_back(embed_json(e));
    json cl = json::array();
    for (const auto& c : claims)
        cl.push_back(extracted_claim_json(c));
    return {{"input", input},
            {"url", doc.url},
            {"final_url", capture.final_url},
            {"sha256", capture.payload_sha256},
            {"canonical_url", doc.canonical_url},
            {"amp_url", doc.amp_url},
            {"title", doc.title},
            {"byline", doc.byline},
            {"site_name", doc.site_name},
            {"publisher", doc.publisher},
            {"published", doc.published},
            {"modified", doc.modified},
            {"language", doc.language},
            {"extraction_stage", doc.extraction_stage},
            {"partial", doc.partial},
            {"partial_reasons", doc.partial_reasons},
            {"blocks", blocks},
            {"links", links},
            {"embeds", embeds},
            {"claims", cl}};
}

std::string or_dash(const std::string& s) {
    return s.empty() ? std::string("-") : s;
}

std::string document_text(const Document& doc, const std::vector<Claim>& claims) {
    std::string out;
    out += fmt::format("title      {}\n", or_dash(doc.title));
    out += fmt::format("byline     {}\n", or_dash(doc.byline));
    out += fmt::format("published  {}\n", or_dash(doc.published));
    out += fmt::format("modified   {}\n", or_dash(doc.modified));
    out += fmt::format("language   {}\n", or_dash(doc.language));
    out += fmt::format("url        {}\n", or_dash(doc.url));
    out += fmt::format("canonical  {}\n", or_dash(doc.canonical_url));
    out += fmt::format("amp        {}\n", or_dash(doc.amp_url));
    out += fmt::format("stage      {}\n", or_dash(doc.extraction_stage));
    if (doc.partial) {
        out += "partial    yes";
        for (const auto& r : doc.partial_reasons)
            out += fmt::format(" ({})", r);
        out += '\n';
    } else {
        out += "partial    no\n";
    }
    out += fmt::format("\nText ({} blocks)\n", doc.blocks.size());
    for (std::size_t i = 0; i < doc.blocks.size(); ++i)
        out += fmt::format("  [{}] {:<10} {}\n", i, to_string(doc.blocks[i].kind), doc.blocks[i].text);
    out += fmt::format("\nLinks ({})\n", doc.links.size());
    for (const auto& l : doc.links)
        out += fmt::format("  [{}] {} \"{}\"\n", l.block, l.url, l.anchor_text);
    if (!doc.embeds.empty()) {
        out += fmt::format("\nEmbeds ({})\n", doc.embeds.size());
        for (const auto& e : doc.embeds)
            out += fmt::format("  [{}] {} {} {} {}: {}\n", e.block, e.kind, or_dash(e.author), or_dash(e.handle),
                               or_dash(e.status_url), e.text);
    }
    out += fmt::format("\nClaims ({})\n", claims.size());
    for (const auto& c : claims) {
        out += fmt::format("  [{}] {} {}: “{}”\n", c.block, c.id, to_string(c.kind), c.quote);
        out += fmt::format("      {}{}{}\n", describe_speaker(c),
                           c.attribution.empty() ? "" : fmt::format(" — “{}”", c.attribution),
                           c.rule.empty() ? "" : fmt::format(" ({})", c.rule));
    }
    return out;
}

int cmd_extract(const ExtractState& st) {
    auto loaded = load_check_rules(st.rules_dir);
    if (!loaded) return report_error(loaded.error());
    const RuleSet& rules = loaded->rules;
    SystemClock clock;
    std::unique_ptr<WarcArchive> archive;
    if (!st.replay.empty()) {
        auto opened = WarcArchive::load(std::vector<std::filesystem::path>(st.replay.begin(), st.replay.end()));
        if (!opened) return report_error(opened.error());
        archive = std::make_unique<WarcArchive>(std::move(*opened));
    }
    FetchOptions fetch = st.fetch;
    if (st.verbose) {
        fetch.on_retry = [](std::string_view line) { std::fprintf(stderr, "· %.*s\n", int(line.size()), line.data()); };
    }
    // No workspace: nothing is stored, and a URL is fetched the same way `check` fetches it.
    Capturer capturer(fetch, rules, nullptr, archive.get(), clock);
    const Capture capture = is_http_url(st.article) ? capturer.capture_urls({st.article}).front()
                                                    : capturer.capture_file(st.article, st.article);
    if (const auto& e = capturer.error()) return report_error(*e);
    if (st.verbose) {
        std::string hops;
        for (const auto& h : capture.chain) {
            hops +=
                fmt::format("{}{} {}", hops.empty() ? "" : " → ", h.status ? fmt::format("{}", *h.status) : "-", h.url);
        }
        std::fprintf(stderr, "· fetch %s%s: %s\n", st.article.c_str(), capture.from_replay ? " (replayed)" : "",
                     hops.empty() ? "no response" : hops.c_str());
    }
    if (!capture.ok()) {
        return report_error(Error{capture.failure->cls == FailureClass::io ? ErrorCode::io : ErrorCode::network,
                                  fmt::format("{}: {}", st.article, capture.failure->message)});
    }
    // The same steps as `check` takes on an article's page.
    auto page = read_page(capture, st.article, *loaded);
    if (!page) return report_error(page.error());
    const std::string rendered = st.format == "json"
                                     ? document_json(st.article, capture, page->document, page->claims).dump(2) + "\n"
                                     : document_text(page->document, page->claims);
    if (auto r = write_output(st.output, rendered); !r) return report_error(r.error());
    return exit_ok;
}

}  // namespace

Command add_extract_command(CLI::App& app) {
    auto st = std::make_shared<ExtractState>();
    auto* extract = app.add_subcommand(
        "extract", "Print what provcheck reads from one article: metadata, main text, links, embeds and claims.");
    extract->add_option("ARTICLE", st->article, "http(s) URL of an article, or the path of a saved HTML file")
        ->required();
    extract->add_option("--format", st->format, "Output format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    extract->add_option("--output,-o", st->output, "Write to FILE instead of standard output");
    extract->add_option("--rules", st->rules_dir, "Directory of extra rules merged over the built-in ones");
    extract->add_option("--replay", st->replay,
                        "Answer the fetch from a WARC file or directory (as check --replay); repeatable; no network");
    extract->add_flag("--verbose,-v", st->verbose, "Print the fetch (and each retry) on standard error");
    add_fetch_options(*extract, st->fetch);
    return {extract, [st] { return cmd_extract(*st); }};
}

}  // namespace provcheck
