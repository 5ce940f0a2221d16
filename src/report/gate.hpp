// The CI gate: which claims fail a run, under a --fail-on policy and, optionally, a baseline report.
//
// Input: a Report, a FailPolicy, and a Baseline read from a previous JSON report. Output: one ClaimGate
// per claim (same shape as Report::articles[i].claims) and an article-level flag for articles that could
// not be read. The gate decides nothing about verdicts: it only compares them with the policy.
// Never: reads files (parse_baseline takes the text), touches the report.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/types.hpp"
#include "report/report.hpp"

namespace provcheck {

struct FailPolicy {
    std::set<Verdict> verdicts;  // a claim with one of these verdicts fails
    bool critical = false;       // a claim holding a critical difference or elision fails, whatever its verdict
};

// "altered,not_found", "critical", "none"; ErrorCode::usage naming an unknown word.
[[nodiscard]] Result<FailPolicy> parse_fail_on(std::string_view spec);
[[nodiscard]] inline constexpr std::string_view default_fail_on() noexcept {
    return "altered,misattributed,not_found,source_unavailable";
}

// How bad a verdict is, for "got worse": 0 verbatim/elided, 1 minor_variation, 2 unsourced and
// source_restricted, 3 source_unavailable, 4 not_found, 5 misattributed, 6 altered.
[[nodiscard]] int verdict_severity(Verdict v) noexcept;
[[nodiscard]] bool has_critical_difference(const ClaimResult& claim) noexcept;

// The claims of a previous JSON report, keyed by article and by claim id and by quotation, so that a claim
// is found again when the article was moved between URL and file or its blocks shifted.
class Baseline {
public:
    struct Entry {
        Verdict verdict = Verdict::verbatim;
        bool critical = false;
    };
    // `json_text` is a report as written by --format json; ErrorCode::config when it is not one.
    [[nodiscard]] static Result<Baseline> parse(std::string_view json_text, std::string_view name);
    // The baseline's entry for `claim` of the article `article`, if it had one.
    [[nodiscard]] std::optional<Entry> find(const ArticleResult& article, const ClaimResult& claim) const;
    [[nodiscard]] std::size_t size() const noexcept { return by_id_.size(); }

private:
    std::map<std::string, Entry> by_id_;     // claim id
    std::map<std::string, Entry> by_quote_;  // article URL (or input) + '\n' + quotation
};

struct ClaimGate {
    bool fails = false;                     // counts against the exit code
    bool matches_policy = false;            // the policy alone would fail it (before the baseline)
    std::optional<Baseline::Entry> before;  // the baseline's view of this claim, when a baseline was given
    std::string reason;                     // why it fails or passes: "altered", "critical difference", …
};

struct GateResult {
    std::vector<std::vector<ClaimGate>> claims;  // [article][claim], as in the Report
    std::vector<bool> article_failed;            // the article itself could not be read
    std::size_t failures = 0;                    // failing claims plus failed articles
    [[nodiscard]] bool passed() const noexcept { return failures == 0; }
};

// One article's claims under the gate, in its claims' order (what evaluate_gate does for each article).
[[nodiscard]] std::vector<ClaimGate> gate_claims(const ArticleResult& article, const FailPolicy& policy,
                                                 const Baseline* baseline);
// What the article counts against the gate: its failing claims, and 1 when it could not be read.
[[nodiscard]] std::size_t gate_failures(const ArticleResult& article, const std::vector<ClaimGate>& gates) noexcept;

// `baseline` nullptr: every claim matching the policy fails. Otherwise only claims new to the baseline or
// worse than in it (a higher severity, or a critical difference it did not have) fail.
[[nodiscard]] GateResult evaluate_gate(const Report& report, const FailPolicy& policy, const Baseline* baseline);

}  // namespace provcheck
