// Rechecking stored claims (`provcheck recheck`): which are due, and what changed since their last record.
//
// Only signed records count: a record whose signature does not verify against the trusted keys, or whose
// log entry is not its own, is left out (and counted), so a row planted in the workspace never selects a URL
// to fetch nor stands as "before". The URLs fetched are the ones the signed statements name.
//
// The schedule follows NewsDiffs: an article is looked at again 1 h, 3 h, 12 h, 1 d, 3 d, 7 d and 30 d after
// its first check; it is due when one of those times has passed since its last check. After 30 days only
// `--now`, `--since` or a claim id brings it back.
//
// Comparing is a plain function over plain data: the claims of the article's latest check, as signed, against
// the ArticleResult of this run (check/check.hpp, run with earlier versions off so that it says what the
// source serves now).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "model/recheck.hpp"
#include "model/result.hpp"
#include "record/claim_statement.hpp"
#include "store/db.hpp"

namespace provcheck {

using TimePoint = std::chrono::system_clock::time_point;

inline constexpr std::array<std::chrono::seconds, 7> recheck_schedule{
    std::chrono::hours(1),  std::chrono::hours(3),      std::chrono::hours(12),     std::chrono::hours(24),
    std::chrono::hours(72), std::chrono::hours(24 * 7), std::chrono::hours(24 * 30)};

// The first scheduled time after `last` for an article first checked at `first`; nullopt past the schedule.
[[nodiscard]] std::optional<TimePoint> next_recheck(TimePoint first, TimePoint last);

struct PriorClaim {
    SignedClaim signed_claim;  // as its latest record signs it
    std::uint64_t log_index = 0;
};

struct PriorArticle {
    std::string input;  // as the records name it
    TimePoint first_checked;
    TimePoint last_checked;
    std::string last_checked_at;     // as signed
    std::vector<PriorClaim> claims;  // of its latest check, in the order they were recorded
};

struct PriorRecords {
    std::vector<PriorArticle> articles;  // by first check
    std::size_t unverified = 0;          // records left out: signature or log entry does not verify
    std::size_t uncovered = 0;           // records left out: appended after the latest signed checkpoint
    // Claims of earlier checks that the latest check of their article no longer has (corrected or withdrawn),
    // by id: the article's input.
    std::map<std::string, std::string> superseded;
};

// Every article of the workspace's records that verify against `trusted` (key id → raw public key). The log
// is checked first against its latest checkpoint signed by a trusted key: when its entries no longer hash to
// the signed root, entries are missing, entries follow the checkpoint, or an entry has no record or manifest row
// (one was deleted), the workspace was changed and an ErrorCode::store Error says so, for nothing in it can then
// stand as "before" (nor should a new checkpoint be signed over it). A record row naming an entry past the
// checkpoint is left out.
[[nodiscard]] Result<PriorRecords> load_prior_records(Database& db, const std::map<std::string, std::string>& trusted);

struct RecheckSelection {
    bool now = false;                    // every stored article
    std::optional<TimePoint> since;      // articles first checked at or after it
    std::vector<std::string> claim_ids;  // the articles of the claims with these ids (or prefixes)
};

struct SelectedArticle {
    const PriorArticle* article = nullptr;
    std::vector<const PriorClaim*> claims;  // the claims whose changes are reported: all of its latest check
};

// What to look at again: whole articles, for a check records every claim of the article it reads. An id that
// names no claim of a latest check, or the start of several, is an ErrorCode::usage Error (saying so when it
// names a claim an article has since corrected or withdrawn).
[[nodiscard]] Result<std::vector<SelectedArticle>> select_for_recheck(const PriorRecords& prior,
                                                                      const RecheckSelection& selection, TimePoint now);

// The earliest scheduled recheck over every stored article once this run is done, the articles in `rechecked`
// (inputs) counting as checked at `now`; nullopt when none is left. A time at or before `now` means an article
// is due and was not looked at (a run given claim ids).
[[nodiscard]] std::optional<TimePoint> next_due(const PriorRecords& prior, TimePoint now,
                                                const std::set<std::string>& rechecked);

// The claims of `selected` compared with this run's `now` of the same article. A claim found again (same id,
// or the same quotation moved to another block) is compared source against source; one that is gone is a
// correction when the changed article holds a like quotation in its place (same block, or same speaker, most
// words shared), else withdrawn. With `report_added`, quotations of a changed article that replace nothing
// are listed as added.
// `checked_at` is this run's time, given to the claims' new states.
[[nodiscard]] std::vector<ClaimChange> compare_claims(const SelectedArticle& selected, const ArticleResult& now,
                                                      std::string_view checked_at, bool report_added);

// The claims of an article that could not be read again because it is gone (its URL now fails): each is
// `article_gone`, with `failure` ("http_4xx: 404 Not Found") in its summary.
[[nodiscard]] std::vector<ClaimChange> article_gone(const SelectedArticle& selected, std::string_view failure);

// A word difference (longest common subsequence over whitespace-separated words); past 2,000 words on either
// side, the texts are compared as one removed and one added run.
[[nodiscard]] std::vector<WordEdit> word_diff(std::string_view before, std::string_view after);

}  // namespace provcheck
