#include <fmt/format.h>

#include <array>

#include "core/url.hpp"
#include "report/formats.hpp"

namespace provcheck {

using nlohmann::json;

namespace {

struct VerdictRule {
    Verdict verdict;
    std::string_view level;  // SARIF level when the claim fails
    std::string_view summary;
};

constexpr std::array<VerdictRule, 9> verdict_rules{{
    {Verdict::verbatim, "note", "The source contains the quotation word for word."},
    {Verdict::elided, "note", "Each segment between elision marks is verbatim and in order in one source passage."},
    {Verdict::minor_variation, "note", "Same words; punctuation, capitals or spelling variants differ."},
    {Verdict::altered, "error", "A matching source passage exists but words differ."},
    {Verdict::misattributed, "error", "The source holds the words but gives them to someone else."},
    {Verdict::not_found, "error", "The source was read in full and no passage matches the quotation."},
    {Verdict::source_restricted, "warning",
     "The source's text is incomplete and the quotation is not in what was "
     "readable."},
    {Verdict::source_unavailable, "warning", "No source capture succeeded."},
    {Verdict::unsourced, "note", "No source could be determined for the quotation."},
}};

// A file path as a relative URI reference; URLs stay as they are.
std::string artifact_uri(const std::string& input) {
    if (is_http_url(input)) return input;
    std::string out;
    for (char ch : input) {
        const auto u = static_cast<unsigned char>(ch);
        const bool plain = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                           std::string_view("-._~/!$&'()*+,;=@").find(ch) != std::string_view::npos;
        out += plain ? std::string(1, ch) : fmt::format("%{:02X}", u);
    }
    return out;
}

json rule_descriptor(const VerdictRule& r) {
    return {{"id", to_string(r.verdict)},
            {"name", to_string(r.verdict)},
            {"shortDescription", {{"text", fmt::format("Quotation {}", to_string(r.verdict))}}},
            {"fullDescription", {{"text", r.summary}}},
            {"defaultConfiguration", {{"level", r.level}}}};
}

}  // namespace

json report_sarif(const Report& report, const GateResult& gate) {
    json rules = json::array();
    for (const auto& r : verdict_rules)
        rules.push_back(rule_descriptor(r));
    json results = json::array();
    json artifacts = json::array();
    for (std::size_t ai = 0; ai < report.articles.size(); ++ai) {
        const ArticleResult& a = report.articles[ai];
        const std::string uri = artifact_uri(a.input);
        const auto artifact_index = artifacts.size();
        json artifact = {{"location", {{"uri", uri}}}, {"roles", {"analysisTarget"}}};
        if (!a.capture.payload_sha256.empty()) artifact["hashes"] = {{"sha-256", a.capture.payload_sha256}};
        artifacts.push_back(std::move(artifact));
        for (std::size_t ci = 0; ci < a.claims.size(); ++ci) {
            if (ai >= gate.claims.size() || ci >= gate.claims[ai].size() || !gate.claims[ai][ci].fails) continue;
            const ClaimResult& c = a.claims[ci];
            std::size_t rule_index = 0;
            for (std::size_t i = 0; i < verdict_rules.size(); ++i) {
                if (verdict_rules[i].verdict == c.verdict) rule_index = i;
            }
            std::string who = c.claim.speaker.empty() ? "unattributed" : c.claim.speaker;
            if (!c.claim.outlet.empty() && c.claim.outlet != c.claim.speaker) who += " via " + c.claim.outlet;
            json physical = {{"artifactLocation", {{"uri", uri}, {"index", artifact_index}}}};
            if (auto pos = c.position ? c.position : locate_quote(a, c)) {
                json region = {{"startLine", pos->line}, {"startColumn", pos->column}};
                if (pos->found) {
                    region["endLine"] = pos->end_line;
                    region["endColumn"] = pos->end_column;
                }
                region["snippet"] = {{"text", c.claim.quote}};
                physical["region"] = std::move(region);
            }
            json properties = {{"claimId", c.claim.id},           {"verdict", to_string(c.verdict)},
                               {"attributionRule", c.claim.rule}, {"speaker", c.claim.speaker},
                               {"outlet", c.claim.outlet},        {"gate", gate.claims[ai][ci].reason}};
            if (c.match) {
                properties["score"] = c.match->score;
                properties["decidedBy"] = c.match->decided_by;
            }
            if (c.source)
                properties["source"] = c.source->final_url.empty() ? c.source->requested_url : c.source->final_url;
            if (c.record) {
                properties["record"] = {{"keyId", c.record->key_id}, {"logIndex", c.record->log_index}};
            }
            const bool critical = has_critical_difference(c);
            results.push_back(
                {{"ruleId", to_string(c.verdict)},
                 {"ruleIndex", rule_index},
                 {"level", critical ? std::string_view("error") : verdict_rules[rule_index].level},
                 {"message", {{"text", fmt::format("“{}” ({}): {}", c.claim.quote, who, describe_claim(c))}}},
                 {"locations", json::array({{{"physicalLocation", physical}}})},
                 {"partialFingerprints", {{"provcheckClaim/v1", c.claim.id}}},
                 {"properties", properties}});
        }
    }
    return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
            {"version", "2.1.0"},
            {"runs", json::array({{{"tool",
                                    {{"driver",
                                      {{"name", "provcheck"},
                                       {"version", PROVCHECK_VERSION},
                                       {"semanticVersion", PROVCHECK_VERSION},
                                       {"rules", rules}}}}},
                                   {"artifacts", artifacts},
                                   {"columnKind", "unicodeCodePoints"},
                                   {"results", results}}})}};
}

}  // namespace provcheck
