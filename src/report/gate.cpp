#include "report/gate.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.hpp"

namespace provcheck {

Result<FailPolicy> parse_fail_on(std::string_view spec) {
    FailPolicy out;
    for (auto part : split(spec, ',')) {
        part = trim(part);
        if (part.empty() || part == "none") continue;
        if (part == "critical") {
            out.critical = true;
            continue;
        }
        auto v = verdict_from_string(part);
        if (!v) {
            return fail(ErrorCode::usage,
                        fmt::format("--fail-on: unknown verdict '{}' (verdicts: verbatim, elided, "
                                    "minor_variation, altered, misattributed, not_found, source_restricted, "
                                    "source_unavailable, unsourced; or critical, or none)",
                                    part));
        }
        out.verdicts.insert(*v);
    }
    return out;
}

int verdict_severity(Verdict v) noexcept {
    switch (v) {
        case Verdict::verbatim:
        case Verdict::elided:
            return 0;
        case Verdict::minor_variation:
            return 1;
        case Verdict::unsourced:
        case Verdict::source_restricted:
            return 2;
        case Verdict::source_unavailable:
            return 3;
        case Verdict::not_found:
            return 4;
        case Verdict::misattributed:
            return 5;
        case Verdict::altered:
            return 6;
    }
    return 6;
}

bool has_critical_difference(const ClaimResult& claim) noexcept {
    if (!claim.match) return false;
    for (const auto& d : claim.match->differences) {
        if (d.critical) return true;
    }
    for (const auto& e : claim.match->elisions) {
        if (e.critical) return true;
    }
    return false;
}

namespace {

std::string article_key(std::string_view url, std::string_view quote) {
    return fmt::format("{}\n{}", url, quote);
}

}  // namespace

Result<Baseline> Baseline::parse(std::string_view json_text, std::string_view name) {
    auto j = nlohmann::json::parse(json_text, nullptr, false);
    auto bad = [&](std::string_view why) {
        return fail(ErrorCode::config, fmt::format("--baseline {}: {}", name, why));
    };
    if (j.is_discarded()) return bad("not JSON");
    if (!j.is_object() || !j.contains("articles") || !j["articles"].is_array()) {
        return bad("not a provcheck JSON report (no \"articles\" array)");
    }
    Baseline b;
    for (const auto& a : j["articles"]) {
        if (!a.is_object() || !a.contains("claims") || !a["claims"].is_array()) continue;
        std::vector<std::string> urls;
        for (const char* field : {"url", "input", "final_url"}) {
            if (a.contains(field) && a[field].is_string() && !a[field].get<std::string>().empty())
                urls.push_back(a[field].get<std::string>());
        }
        for (const auto& c : a["claims"]) {
            if (!c.is_object() || !c.contains("verdict") || !c["verdict"].is_string())
                return bad("a claim without verdict");
            auto v = verdict_from_string(c["verdict"].get<std::string>());
            if (!v) return bad(fmt::format("unknown verdict '{}'", c["verdict"].get<std::string>()));
            Entry e{*v, false};
            if (c.contains("match") && c["match"].is_object()) {
                for (const char* list : {"differences", "elisions"}) {
                    if (!c["match"].contains(list) || !c["match"][list].is_array()) continue;
                    for (const auto& d : c["match"][list]) {
                        if (d.is_object() && d.value("critical", false)) e.critical = true;
                    }
                }
            }
            if (c.contains("id") && c["id"].is_string()) b.by_id_[c["id"].get<std::string>()] = e;
            if (c.contains("quote") && c["quote"].is_string()) {
                for (const auto& u : urls)
                    b.by_quote_[article_key(u, c["quote"].get<std::string>())] = e;
            }
        }
    }
    return b;
}

std::optional<Baseline::Entry> Baseline::find(const ArticleResult& article, const ClaimResult& claim) const {
    if (auto it = by_id_.find(claim.claim.id); it != by_id_.end()) return it->second;
    for (const std::string& u : {article_url(article), article.input, article.capture.final_url}) {
        if (u.empty()) continue;
        if (auto it = by_quote_.find(article_key(u, claim.claim.quote)); it != by_quote_.end()) return it->second;
    }
    return std::nullopt;
}

std::vector<ClaimGate> gate_claims(const ArticleResult& a, const FailPolicy& policy, const Baseline* baseline) {
    std::vector<ClaimGate> gates;
    gates.reserve(a.claims.size());
    for (const auto& c : a.claims) {
        ClaimGate cg;
        const bool critical = has_critical_difference(c);
        if (policy.verdicts.contains(c.verdict)) {
            cg.matches_policy = true;
            cg.reason = std::string(to_string(c.verdict));
        } else if (policy.critical && critical) {
            cg.matches_policy = true;
            cg.reason = "critical difference";
        } else {
            cg.reason = "passes --fail-on";
        }
        cg.fails = cg.matches_policy;
        if (baseline != nullptr) {
            cg.before = baseline->find(a, c);
            if (cg.matches_policy && cg.before) {
                const int now = verdict_severity(c.verdict);
                const int then = verdict_severity(cg.before->verdict);
                if (now > then) {
                    cg.reason += fmt::format(", worse than the baseline's {}", to_string(cg.before->verdict));
                } else if (critical && !cg.before->critical) {
                    cg.reason += ", a critical difference the baseline did not have";
                } else {
                    cg.fails = false;
                    cg.reason += ", already in the baseline";
                }
            } else if (cg.matches_policy) {
                cg.reason += ", new since the baseline";
            }
        }
        gates.push_back(std::move(cg));
    }
    return gates;
}

std::size_t gate_failures(const ArticleResult& a, const std::vector<ClaimGate>& gates) noexcept {
    std::size_t n = a.error ? 1 : 0;
    for (const auto& g : gates)
        n += g.fails ? 1 : 0;
    return n;
}

GateResult evaluate_gate(const Report& report, const FailPolicy& policy, const Baseline* baseline) {
    GateResult g;
    for (const auto& a : report.articles) {
        g.article_failed.push_back(a.error.has_value());
        g.claims.push_back(gate_claims(a, policy, baseline));
        g.failures += gate_failures(a, g.claims.back());
    }
    return g;
}

}  // namespace provcheck
