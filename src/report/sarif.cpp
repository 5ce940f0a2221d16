#include <fmt/format.h>

#include <array>
#include <functional>

#include "core/url.hpp"
#include "report/formats.hpp"
#include "report/writer.hpp"

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

// The article as an artifact of the run, and a result for each claim of it that fails the gate.
json sarif_artifact(const ArticleResult& a) {
    json artifact = {{"location", {{"uri", artifact_uri(a.input)}}}, {"roles", {"analysisTarget"}}};
    if (!a.capture.payload_sha256.empty()) artifact["hashes"] = {{"sha-256", a.capture.payload_sha256}};
    return artifact;
}

void sarif_results(const ArticleResult& a, const std::vector<ClaimGate>* gates, std::size_t artifact_index,
                   const std::function<void(json)>& emit_result) {
    const std::string uri = artifact_uri(a.input);
    for (std::size_t ci = 0; ci < a.claims.size(); ++ci) {
        if (gates == nullptr || ci >= gates->size() || !(*gates)[ci].fails) continue;
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
                           {"outlet", c.claim.outlet},        {"gate", (*gates)[ci].reason}};
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
        emit_result({{"ruleId", to_string(c.verdict)},
                     {"ruleIndex", rule_index},
                     {"level", critical ? std::string_view("error") : verdict_rules[rule_index].level},
                     {"message", {{"text", fmt::format("“{}” ({}): {}", c.claim.quote, who, describe_claim(c))}}},
                     {"locations", json::array({{{"physicalLocation", physical}}})},
                     {"partialFingerprints", {{"provcheckClaim/v1", c.claim.id}}},
                     {"properties", properties}});
    }
}

json sarif_rules() {
    json rules = json::array();
    for (const auto& r : verdict_rules)
        rules.push_back(rule_descriptor(r));
    return rules;
}

json sarif_tool() {
    return {{"driver",
             {{"name", "provcheck"},
              {"version", PROVCHECK_VERSION},
              {"semanticVersion", PROVCHECK_VERSION},
              {"rules", sarif_rules()}}}};
}

// SARIF as report_sarif(...).dump(2) writes it, with the artifacts and results spooled as articles come.
class SarifWriter final : public ReportWriter {
public:
    SarifWriter(Spool artifacts, Spool results) : artifacts_(std::move(artifacts)), results_(std::move(results)) {}

    void add(const ArticleResult& a, const std::vector<ClaimGate>* gates) override {
        const std::size_t index = artifact_count_++;
        std::string part = nested_item_prefix(index, 3);
        append_nested(part, sarif_artifact(a).dump(2), 4);
        artifacts_.append(part);
        sarif_results(a, gates, index, [&](json result) {
            std::string r = nested_item_prefix(result_count_++, 3);
            append_nested(r, result.dump(2), 4);
            results_.append(r);
        });
    }

    Result<void> finish(const ReportTotals&, const GateTotals*, const Emit& emit) override {
        if (auto r = emit(fmt::format("{{\n  \"$schema\": {},\n  \"runs\": [\n    {{\n      \"artifacts\": ",
                                      json(schema_uri).dump()));
            !r) {
            return r;
        }
        if (auto r = emit_nested_array(artifacts_, 3, emit); !r) return r;
        if (auto r = emit(",\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": "); !r) return r;
        if (auto r = emit_nested_array(results_, 3, emit); !r) return r;
        std::string tail = ",\n      \"tool\": ";
        append_nested(tail, sarif_tool().dump(2), 3);
        tail += "\n    }\n  ],\n  \"version\": \"2.1.0\"\n}\n";
        return emit(tail);
    }

private:
    static constexpr std::string_view schema_uri = "https://json.schemastore.org/sarif-2.1.0.json";
    Spool artifacts_;
    Spool results_;
    std::size_t artifact_count_ = 0;
    std::size_t result_count_ = 0;
};

}  // namespace

Result<std::unique_ptr<ReportWriter>> sarif_report_writer(bool in_memory) {
    auto artifacts = Spool::open(in_memory);
    if (!artifacts) return std::unexpected(artifacts.error());
    auto results = Spool::open(in_memory);
    if (!results) return std::unexpected(results.error());
    return std::make_unique<SarifWriter>(std::move(*artifacts), std::move(*results));
}

json report_sarif(const Report& report, const GateResult& gate) {
    json results = json::array();
    json artifacts = json::array();
    static const std::vector<ClaimGate> none;
    for (std::size_t ai = 0; ai < report.articles.size(); ++ai) {
        const ArticleResult& a = report.articles[ai];
        const std::size_t artifact_index = artifacts.size();
        artifacts.push_back(sarif_artifact(a));
        sarif_results(a, ai < gate.claims.size() ? &gate.claims[ai] : &none, artifact_index,
                      [&](json r) { results.push_back(std::move(r)); });
    }
    return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
            {"version", "2.1.0"},
            {"runs", json::array({{{"tool", sarif_tool()},
                                   {"artifacts", artifacts},
                                   {"columnKind", "unicodeCodePoints"},
                                   {"results", results}}})}};
}

}  // namespace provcheck
