#include "check/recheck.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>

#include "core/clock.hpp"
#include "core/hash.hpp"
#include "crypto/dsse.hpp"
#include "record/checkpoint.hpp"
#include "record/merkle.hpp"
#include "record/record.hpp"

namespace provcheck {

std::optional<TimePoint> next_recheck(TimePoint first, TimePoint last) {
    for (const auto step : recheck_schedule) {
        const TimePoint t = first + step;
        if (t > last) return t;
    }
    return std::nullopt;
}

namespace {

// How many entries of the log its latest checkpoint signed by a trusted key vouches for, after checking that
// they still hash to the signed root.
Result<std::uint64_t> signed_log_size(Database& db, const VerifyingKeys& keys,
                                      const std::vector<std::string>& entries) {
    auto checkpoints = db.checkpoints();
    if (!checkpoints) return std::unexpected(checkpoints.error());
    std::optional<Checkpoint> latest;
    for (auto it = checkpoints->rbegin(); it != checkpoints->rend() && !latest; ++it) {
        for (const auto& [id, key] : keys) {
            if (auto cp = verify_checkpoint(it->note, checkpoint_key_name(id), key); cp && cp->size == it->size) {
                latest = *cp;
                break;
            }
        }
    }
    if (!latest) {
        if (entries.empty()) return 0;
        return fail(ErrorCode::store,
                    "the workspace's log has no checkpoint signed by a trusted key, so none of "
                    "its records can be rechecked (`provcheck verify --all` says more)");
    }
    if (latest->size > entries.size()) {
        return fail(ErrorCode::store,
                    fmt::format("the workspace's log holds {} entries but its signed checkpoint covers {}: entries "
                                "were deleted; nothing is rechecked (`provcheck verify --all` says more)",
                                entries.size(), latest->size));
    }
    CompactRange range;
    for (std::uint64_t i = 0; i < latest->size; ++i)
        range.append(leaf_hash(entries[i]));
    if (range.root() != latest->root) {
        return fail(ErrorCode::store,
                    fmt::format("the workspace's log no longer hashes to its signed checkpoint of {} entries: it was "
                                "changed; nothing is rechecked (`provcheck verify --all` says more)",
                                latest->size));
    }
    if (entries.size() > latest->size) {
        return fail(
            ErrorCode::store,
            fmt::format("the workspace's log holds {} entr{} past its latest signed checkpoint (of {}): a run "
                        "was cut short or entries were added; nothing is rechecked, for a new checkpoint "
                        "would vouch for them (`provcheck verify --all` says more)",
                        entries.size() - latest->size, entries.size() - latest->size == 1 ? "y" : "ies", latest->size));
    }
    return latest->size;
}

// What tells one check of an article from another in its signed records: when it ran, and the article as it
// read it. Two checks in one second that read the same bytes found the same claims.
std::string check_key(const SignedClaim& sc) {
    return sc.checked_at + '\n' + sc.article_capture.payload_sha256 + '\n' + sc.article_capture.fetched_at;
}

}  // namespace

Result<PriorRecords> load_prior_records(Database& db, const std::map<std::string, std::string>& trusted) {
    VerifyingKeys keys;
    for (const auto& [id, raw] : trusted)
        keys.emplace(id, VerifyingKey(raw));
    auto entries = db.log_entries();
    if (!entries) return std::unexpected(entries.error());
    auto records = db.records();
    if (!records) return std::unexpected(records.error());
    auto covered = signed_log_size(db, keys, *entries);
    if (!covered) return std::unexpected(covered.error());

    PriorRecords out;
    {
        std::vector<bool> claimed(*covered, false);
        for (const auto& r : *records) {
            if (r.log_index < *covered) claimed[r.log_index] = true;
        }
        auto manifests = db.manifests();
        if (!manifests) return std::unexpected(manifests.error());
        for (const auto& m : *manifests) {
            if (m.log_index < *covered) claimed[m.log_index] = true;
        }
        const auto unclaimed = static_cast<std::size_t>(std::count(claimed.begin(), claimed.end(), false));
        if (unclaimed > 0) {
            // A deleted record would leave its claim with an older "before", or none, and its change unreported.
            return fail(ErrorCode::store,
                        fmt::format("{} of the log's entries {} no record or manifest row: rows were deleted; nothing "
                                    "is rechecked (`provcheck verify --all` says more)",
                                    unclaimed, unclaimed == 1 ? "has" : "have"));
        }
    }
    struct Gathered {
        PriorArticle article;
        std::map<std::string, std::size_t> latest;  // claim id → index in `all`
        std::vector<PriorClaim> all;
        std::string last_check;  // check_key() of the latest record
    };
    std::map<std::string, Gathered> by_input;
    std::vector<std::string> order;
    for (const auto& r : *records) {
        if (r.log_index >= *covered) {
            ++out.uncovered;
            continue;
        }
        auto env = parse_envelope(r.envelope);
        if (!env || verify_envelope(*env, keys) != EnvelopeCheck::ok || r.log_index >= entries->size() ||
            (*entries)[r.log_index] != as_bytes(sha256(r.envelope))) {
            ++out.unverified;
            continue;
        }
        auto sc = read_claim_statement(env->payload);
        const auto when = sc ? parse_rfc3339(sc->checked_at) : std::nullopt;
        if (!sc || !when || sc->result.claim.id.empty()) {
            ++out.unverified;
            continue;
        }
        auto [it, fresh] = by_input.try_emplace(sc->article.input);
        Gathered& g = it->second;
        if (fresh) {
            order.push_back(sc->article.input);
            g.article.input = sc->article.input;
            g.article.first_checked = *when;
            g.article.last_checked = *when;
            g.article.last_checked_at = sc->checked_at;
        }
        g.article.first_checked = std::min(g.article.first_checked, *when);
        if (*when >= g.article.last_checked) {
            g.article.last_checked = *when;
            g.article.last_checked_at = sc->checked_at;
        }
        g.last_check = check_key(*sc);
        const std::string id = sc->result.claim.id;
        g.all.push_back(PriorClaim{std::move(*sc), r.log_index});
        g.latest[id] = g.all.size() - 1;  // records come by log index: the last one seen is the latest
    }
    for (const auto& input : order) {
        Gathered& g = by_input.at(input);
        std::vector<std::size_t> keep;
        for (const auto& [id, index] : g.latest) {
            if (check_key(g.all[index].signed_claim) == g.last_check) {
                keep.push_back(index);
            } else {
                out.superseded.emplace(id, input);
            }
        }
        std::sort(keep.begin(), keep.end());
        for (const auto index : keep)
            g.article.claims.push_back(std::move(g.all[index]));
        out.articles.push_back(std::move(g.article));
    }
    std::stable_sort(out.articles.begin(), out.articles.end(),
                     [](const PriorArticle& a, const PriorArticle& b) { return a.first_checked < b.first_checked; });
    return out;
}

Result<std::vector<SelectedArticle>> select_for_recheck(const PriorRecords& prior, const RecheckSelection& selection,
                                                        TimePoint now) {
    std::vector<SelectedArticle> out;
    if (!selection.claim_ids.empty()) {
        std::set<const PriorArticle*> chosen;
        for (const auto& wanted : selection.claim_ids) {
            std::set<std::string> ids;
            const PriorArticle* article = nullptr;
            for (const auto& a : prior.articles) {
                for (const auto& c : a.claims) {
                    if (c.signed_claim.result.claim.id.starts_with(wanted)) {
                        ids.insert(c.signed_claim.result.claim.id);
                        article = &a;
                    }
                }
            }
            if (ids.size() > 1) {
                return fail(ErrorCode::usage,
                            fmt::format("'{}' is the start of {} claim ids; give more of the one you mean", wanted,
                                        ids.size()));
            }
            if (ids.empty()) {
                for (const auto& [id, input] : prior.superseded) {
                    if (id.starts_with(wanted)) {
                        return fail(ErrorCode::usage,
                                    fmt::format("claim {} is no longer in the latest check of {} (corrected or "
                                                "withdrawn there): recheck that article by one of its current claim "
                                                "ids, or with --now",
                                                id, input));
                    }
                }
                return fail(
                    ErrorCode::usage,
                    fmt::format("no claim {} among the verified records of the articles' latest checks", wanted));
            }
            chosen.insert(article);
        }
        for (const auto& a : prior.articles) {
            if (!chosen.contains(&a)) continue;
            SelectedArticle s{&a, {}};
            for (const auto& c : a.claims)
                s.claims.push_back(&c);
            out.push_back(std::move(s));
        }
        return out;
    }
    for (const auto& a : prior.articles) {
        bool take = selection.now;
        if (selection.since) take = a.first_checked >= *selection.since;
        if (!selection.now && !selection.since) {
            const auto next = next_recheck(a.first_checked, a.last_checked);
            take = next && *next <= now;
        }
        if (!take) continue;
        SelectedArticle s{&a, {}};
        for (const auto& c : a.claims)
            s.claims.push_back(&c);
        out.push_back(std::move(s));
    }
    return out;
}

std::optional<TimePoint> next_due(const PriorRecords& prior, TimePoint now, const std::set<std::string>& rechecked) {
    std::optional<TimePoint> best;
    for (const auto& a : prior.articles) {
        const TimePoint last = rechecked.contains(a.input) ? std::max(now, a.last_checked) : a.last_checked;
        const auto next = next_recheck(a.first_checked, last);
        if (next && (!best || *next < *best)) best = next;
    }
    return best;
}

namespace {

// Whitespace-separated words.
std::vector<std::string_view> words_of(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) != 0)
            ++i;
        const std::size_t start = i;
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) == 0)
            ++i;
        if (i > start) out.push_back(text.substr(start, i - start));
    }
    return out;
}

void push_edit(std::vector<WordEdit>& out, WordEdit::Op op, std::string_view word) {
    if (!out.empty() && out.back().op == op) {
        out.back().text += ' ';
        out.back().text += word;
    } else {
        out.push_back(WordEdit{op, std::string(word)});
    }
}

// Lower-case letters and digits of each word, for telling how alike two quotations are.
std::set<std::string> word_set(std::string_view text) {
    std::set<std::string> out;
    for (auto w : words_of(text)) {
        std::string k;
        for (const char ch : w) {
            const auto c = static_cast<unsigned char>(ch);
            if (std::isalnum(c) != 0 || c >= 0x80) k += static_cast<char>(std::tolower(c));
        }
        if (!k.empty()) out.insert(std::move(k));
    }
    return out;
}

double dice(const std::set<std::string>& a, const std::set<std::string>& b) {
    if (a.empty() && b.empty()) return 1.0;
    std::size_t common = 0;
    for (const auto& w : a)
        common += b.contains(w) ? 1 : 0;
    return 2.0 * static_cast<double>(common) / static_cast<double>(a.size() + b.size());
}

std::string failure_text(const Capture& c) {
    if (!c.failure) return {};
    return fmt::format("{}: {}", to_string(c.failure->cls), c.failure->message);
}

// The claim as one check saw it: the source's current version when the check listed several (an earlier one
// may have decided the verdict, but what the source served then is what a later check compares with).
ClaimState state_of(const ClaimResult& r, std::string_view checked_at, const Capture& article) {
    ClaimState s;
    s.claim_id = r.claim.id;
    s.checked_at = std::string(checked_at);
    s.verdict = r.verdict;
    s.quote = r.claim.quote;
    if (r.source) {
        s.source_url = r.source->final_url.empty() ? r.source->requested_url : r.source->final_url;
        s.source_sha256 = r.source->ok() ? r.source->payload_sha256 : std::string();
        s.source_fetched_at = r.source->fetched_at;
        s.source_failure = failure_text(*r.source);
        if (r.source->archived) s.source_url = r.source->archived->original_url;
    }
    if (r.match) {
        s.passage = r.match->text;
        for (const auto& d : r.match->differences)
            s.critical = s.critical || d.critical;
        for (const auto& e : r.match->elisions)
            s.critical = s.critical || e.critical;
    }
    for (const auto& v : r.versions) {
        if (!v.current || !v.archived_at.empty()) continue;
        s.verdict = v.verdict;
        s.source_url = v.url;
        s.source_sha256 = v.payload_sha256;
        s.source_fetched_at = v.fetched_at;
        s.source_failure.clear();
        if (!v.matched) s.passage.clear();
        break;
    }
    s.article_sha256 = article.payload_sha256;
    s.article_fetched_at = article.fetched_at;
    if (r.record) s.log_index = r.record->log_index;
    return s;
}

std::string summary_of(const ClaimChange& c) {
    const ClaimState* b = c.before ? &*c.before : nullptr;
    const ClaimState* a = c.after ? &*c.after : nullptr;
    switch (c.kind) {
        case ChangeKind::unchanged:
            return fmt::format("unchanged: {}", to_string(a->verdict));
        case ChangeKind::source_changed:
            return fmt::format("the source was edited; the quotation's verdict ({}) holds", to_string(a->verdict));
        case ChangeKind::stealth_edit: {
            const bool held = b->verdict == Verdict::verbatim || b->verdict == Verdict::elided ||
                              b->verdict == Verdict::minor_variation;
            if (held && a->verdict == Verdict::not_found) return "the source no longer holds the words";
            if (held)
                return fmt::format("the source now words it differently ({} → {})", to_string(b->verdict),
                                   to_string(a->verdict));
            if (a->verdict == Verdict::verbatim || a->verdict == Verdict::elided)
                return fmt::format("the source now holds the words as quoted ({} → {})", to_string(b->verdict),
                                   to_string(a->verdict));
            return fmt::format("the source was edited: {} → {}", to_string(b->verdict), to_string(a->verdict));
        }
        case ChangeKind::source_gone:
            return fmt::format("the source is gone ({})", a->source_failure);
        case ChangeKind::verdict_changed:
            if (!b->source_failure.empty() && a->source_failure.empty()) {
                return fmt::format("the source answers again ({} → {})", to_string(b->verdict), to_string(a->verdict));
            }
            if (a->source_url != b->source_url) {
                return fmt::format("{} → {}: another source decides now", to_string(b->verdict), to_string(a->verdict));
            }
            return fmt::format("{} → {} with the source unchanged", to_string(b->verdict), to_string(a->verdict));
        case ChangeKind::correction:
            return fmt::format("the article now prints “{}” ({})", a->quote, to_string(a->verdict));
        case ChangeKind::withdrawn:
            return "the article no longer prints the quotation";
        case ChangeKind::added:
            return fmt::format("a quotation new in the article ({})", to_string(a->verdict));
        case ChangeKind::article_gone:
            return "the article is gone";
    }
    return {};
}

}  // namespace

std::vector<WordEdit> word_diff(std::string_view before, std::string_view after) {
    const auto x = words_of(before);
    const auto y = words_of(after);
    std::vector<WordEdit> out;
    std::size_t head = 0;
    while (head < x.size() && head < y.size() && x[head] == y[head])
        ++head;
    std::size_t tail = 0;
    while (tail < x.size() - head && tail < y.size() - head && x[x.size() - 1 - tail] == y[y.size() - 1 - tail])
        ++tail;
    for (std::size_t i = 0; i < head; ++i)
        push_edit(out, WordEdit::Op::same, x[i]);
    const std::size_t n = x.size() - head - tail;
    const std::size_t m = y.size() - head - tail;
    constexpr std::size_t max_words = 2000;
    if (n > max_words || m > max_words) {
        for (std::size_t i = 0; i < n; ++i)
            push_edit(out, WordEdit::Op::removed, x[head + i]);
        for (std::size_t j = 0; j < m; ++j)
            push_edit(out, WordEdit::Op::added, y[head + j]);
    } else if (n > 0 || m > 0) {
        // lcs[i][j]: longest common subsequence of x[head+i..] and y[head+j..].
        std::vector<std::uint16_t> lcs((n + 1) * (m + 1), 0);
        auto at = [&](std::size_t i, std::size_t j) -> std::uint16_t& { return lcs[i * (m + 1) + j]; };
        for (std::size_t i = n; i-- > 0;) {
            for (std::size_t j = m; j-- > 0;) {
                at(i, j) = x[head + i] == y[head + j] ? static_cast<std::uint16_t>(at(i + 1, j + 1) + 1)
                                                      : std::max(at(i + 1, j), at(i, j + 1));
            }
        }
        std::size_t i = 0;
        std::size_t j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && x[head + i] == y[head + j]) {
                push_edit(out, WordEdit::Op::same, x[head + i]);
                ++i;
                ++j;
            } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
                push_edit(out, WordEdit::Op::removed, x[head + i]);
                ++i;
            } else {
                push_edit(out, WordEdit::Op::added, y[head + j]);
                ++j;
            }
        }
    }
    for (std::size_t k = x.size() - tail; k < x.size(); ++k)
        push_edit(out, WordEdit::Op::same, x[k]);
    return out;
}

std::vector<ClaimChange> compare_claims(const SelectedArticle& selected, const ArticleResult& now,
                                        std::string_view checked_at, bool report_added) {
    const PriorArticle& prior = *selected.article;
    std::map<std::string, std::size_t> by_id;
    for (std::size_t i = 0; i < now.claims.size(); ++i)
        by_id.emplace(now.claims[i].claim.id, i);
    std::vector<bool> used(now.claims.size(), false);
    std::set<std::string> prior_ids;
    for (const auto& c : prior.claims)
        prior_ids.insert(c.signed_claim.result.claim.id);
    // A claim of this run found again under another id (its quotation moved) is taken before corrections are
    // looked for, so that an unchanged quotation is never mistaken for the correction of another.
    std::vector<std::optional<std::size_t>> match(selected.claims.size());
    for (std::size_t k = 0; k < selected.claims.size(); ++k) {
        const Claim& old = selected.claims[k]->signed_claim.result.claim;
        if (auto it = by_id.find(old.id); it != by_id.end() && !used[it->second]) {
            match[k] = it->second;
            used[it->second] = true;
        }
    }
    for (std::size_t k = 0; k < selected.claims.size(); ++k) {
        if (match[k]) continue;
        const Claim& old = selected.claims[k]->signed_claim.result.claim;
        for (std::size_t i = 0; i < now.claims.size(); ++i) {
            if (!used[i] && now.claims[i].claim.quote == old.quote && !prior_ids.contains(now.claims[i].claim.id)) {
                match[k] = i;
                used[i] = true;
                break;
            }
        }
    }
    std::vector<ClaimChange> out;
    for (std::size_t k = 0; k < selected.claims.size(); ++k) {
        const SignedClaim& sc = selected.claims[k]->signed_claim;
        ClaimChange change;
        change.article = prior.input;
        change.speaker = sc.result.claim.speaker;
        change.before = state_of(sc.result, sc.checked_at, sc.article_capture);
        change.before->log_index = selected.claims[k]->log_index;
        const bool article_changed = sc.article_capture.payload_sha256 != now.capture.payload_sha256;
        if (!match[k] && article_changed) {
            // The quotation the changed article prints in its place: same block or same speaker, most words
            // shared.
            const auto old_words = word_set(sc.result.claim.quote);
            double best = 0;
            for (std::size_t i = 0; i < now.claims.size(); ++i) {
                const Claim& c = now.claims[i].claim;
                if (used[i] || prior_ids.contains(c.id)) continue;
                const bool placed =
                    c.block == sc.result.claim.block || (!c.speaker.empty() && c.speaker == sc.result.claim.speaker);
                const double d = dice(old_words, word_set(c.quote));
                if ((placed && d >= 0.5) || d >= 0.7) {
                    if (d > best) {
                        best = d;
                        match[k] = i;
                    }
                }
            }
            if (match[k]) {
                used[*match[k]] = true;
                change.kind = ChangeKind::correction;
            }
        }
        if (!match[k]) {
            change.kind = ChangeKind::withdrawn;
            change.summary = article_changed
                                 ? "the article no longer prints the quotation"
                                 : "the article is unchanged but no longer yields the quotation (the rules changed)";
            out.push_back(std::move(change));
            continue;
        }
        const ClaimResult& r = now.claims[*match[k]];
        change.after = state_of(r, checked_at, now.capture);
        const ClaimState& b = *change.before;
        ClaimState& a = *change.after;
        if (change.kind == ChangeKind::correction) {
            change.diff = word_diff(b.quote, a.quote);
        } else if (!a.source_failure.empty() && b.source_failure.empty() && !b.source_url.empty()) {
            change.kind = ChangeKind::source_gone;
        } else if (!b.source_sha256.empty() && !a.source_sha256.empty() && b.source_url == a.source_url &&
                   b.source_sha256 != a.source_sha256) {
            change.kind = b.verdict != a.verdict ? ChangeKind::stealth_edit : ChangeKind::source_changed;
            if (!b.passage.empty() && !a.passage.empty() && b.passage != a.passage) {
                change.diff = word_diff(b.passage, a.passage);
            } else if (!b.passage.empty() && a.passage.empty()) {
                change.diff = {WordEdit{WordEdit::Op::removed, b.passage}};
            } else if (b.passage.empty() && !a.passage.empty()) {
                change.diff = {WordEdit{WordEdit::Op::added, a.passage}};
            }
        } else if (b.verdict != a.verdict) {
            change.kind = ChangeKind::verdict_changed;
        } else {
            change.kind = ChangeKind::unchanged;
        }
        change.summary = summary_of(change);
        out.push_back(std::move(change));
    }
    if (report_added) {
        const bool article_changed =
            !prior.claims.empty() &&
            prior.claims.front().signed_claim.article_capture.payload_sha256 != now.capture.payload_sha256;
        for (std::size_t i = 0; article_changed && i < now.claims.size(); ++i) {
            if (used[i] || prior_ids.contains(now.claims[i].claim.id)) continue;
            ClaimChange change;
            change.kind = ChangeKind::added;
            change.article = prior.input;
            change.speaker = now.claims[i].claim.speaker;
            change.after = state_of(now.claims[i], checked_at, now.capture);
            change.summary = summary_of(change);
            out.push_back(std::move(change));
        }
    }
    return out;
}

std::vector<ClaimChange> article_gone(const SelectedArticle& selected, std::string_view failure) {
    std::vector<ClaimChange> out;
    for (const PriorClaim* c : selected.claims) {
        const SignedClaim& sc = c->signed_claim;
        ClaimChange change;
        change.kind = ChangeKind::article_gone;
        change.article = selected.article->input;
        change.speaker = sc.result.claim.speaker;
        change.before = state_of(sc.result, sc.checked_at, sc.article_capture);
        change.before->log_index = c->log_index;
        change.summary = fmt::format("the article is gone ({}); its sources were not looked at", failure);
        out.push_back(std::move(change));
    }
    return out;
}

}  // namespace provcheck
