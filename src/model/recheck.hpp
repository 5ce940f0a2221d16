// What a recheck found (`provcheck recheck`): for each stored claim looked at again, how its latest signed
// record and this run compare. Plain values below both the check library, which works them out
// (check/recheck.hpp), and the report stage, which renders them (report/recheck_report.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace provcheck {

enum class ChangeKind {
    unchanged,        // the source served the same bytes (or confirmed them with a 304) and the verdict holds
    source_changed,   // the source's bytes changed, the quotation's verdict did not
    stealth_edit,     // the source's bytes changed and with them the verdict: the words are gone or changed
    source_gone,      // the source answered before and now fails (404, DNS, …)
    verdict_changed,  // the verdict changed with the source's bytes the same (other rules, another source decided)
    correction,       // the article changed the quotation: a new quotation stands where the old one stood
    withdrawn,        // the article no longer holds the quotation, and nothing replaces it
    added,            // a quotation new in a changed article
    article_gone,     // the article answered before and now fails (with --articles): nothing of it was compared
};

[[nodiscard]] std::string_view to_string(ChangeKind k) noexcept;
[[nodiscard]] std::optional<ChangeKind> parse_change_kind(std::string_view s) noexcept;

// One word of a word difference: kept, removed (only in the earlier text) or added (only in the later one).
// Runs of words of one kind are one WordEdit, their words separated by single spaces.
struct WordEdit {
    enum class Op { same, removed, added };
    Op op = Op::same;
    std::string text;
    bool operator==(const WordEdit&) const = default;
};

// A claim as one check saw it.
struct ClaimState {
    std::string claim_id;
    std::string checked_at;  // when the check that recorded it ran (this run's, for `after`)
    Verdict verdict = Verdict::unsourced;
    std::string quote;
    std::string source_url;  // final URL of the capture the verdict is about; empty without one
    std::string source_sha256;
    std::string source_fetched_at;
    std::string source_failure;  // "http_4xx: 404 Not Found" when the source could not be read
    std::string passage;         // the source's words the quotation was aligned with; empty when none
    std::string article_sha256;
    std::string article_fetched_at;
    std::optional<std::uint64_t> log_index;  // of the signed record (set once stored)
    bool critical = false;                   // the match holds a critical difference or elision
};

struct ClaimChange {
    ChangeKind kind = ChangeKind::unchanged;
    std::string article;  // the article input as recorded
    std::string speaker;
    std::optional<ClaimState> before;  // the latest record (none for `added`)
    std::optional<ClaimState> after;   // this run (none for `withdrawn`)
    // The words that changed: the source's passage for source edits, the quotation for corrections.
    std::vector<WordEdit> diff;
    std::string summary;  // one sentence: "the source no longer holds the words"
    // Set by the caller when the claim counts against the exit code (--fail-on), with why.
    bool fails = false;
    std::string fail_reason;
};

struct RecheckArticle {
    std::string input;
    std::string error;  // set when the article could not be checked again; its claims are then not compared
    std::vector<ClaimChange> claims;
};

struct RecheckReport {
    std::string rechecked_at;
    std::string selection;  // how the claims were chosen: "due on the schedule", "--now", "--since …", "claim ids"
    std::vector<RecheckArticle> articles;
    std::string next_due;  // the earliest scheduled recheck still to come in the workspace; empty when none
    std::vector<std::string> notes;
};

}  // namespace provcheck
