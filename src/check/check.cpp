#include "check/check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <unordered_set>
#include <utility>

#include "attribute/attribute.hpp"
#include "capture/capturer.hpp"
#include "capture/stored.hpp"
#include "check/decide.hpp"
#include "check/memento.hpp"
#include "check/page.hpp"
#include "check/sitemap.hpp"
#include "check/source_text.hpp"
#include "check/sources.hpp"
#include "check/versions.hpp"
#include "check/workspace_cache.hpp"
#include "core/background.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "core/url.hpp"
#include "crypto/ed25519.hpp"
#include "model/locate.hpp"
#include "net/fetcher.hpp"
#include "net/http_post.hpp"
#include "record/record.hpp"
#include "record/timestamps.hpp"
#include "record/vouch.hpp"
#include "store/db.hpp"
#include "warc/warc_archive.hpp"
#include "warc/warc_writer.hpp"

namespace provcheck {

namespace {

// The payload of a capture's last response as stored in the workspace archive (this run's record, or the
// earlier one a 304 confirmed), checked against its digest: the Capturer reads a released body back with it
// instead of fetching the URL again.
Result<std::string> read_back_payload(const std::filesystem::path& warc_dir, const Capture& c) {
    if (!c.stored) return fail(ErrorCode::io, "the capture was not stored");
    auto stored = load_stored_exchange(warc_dir, *c.stored, c.payload_sha256);
    if (!stored) return std::unexpected(stored.error());
    return std::move(stored->body);
}

// What a run that keeps its work has besides the pipeline: the records' context and what vouches for stored
// bytes. Absent in a dry run.
struct Keeping {
    RecordContext records;
    ArchiveVouch& vouch;
};

// What an article's result keeps once it is recorded: chains, statuses, digests and metadata, and where each
// quotation stands in the page; never the bodies and headers of the page, its links and sources, nor the
// extracted blocks (the workspace archive keeps the bytes). A batch of thousands of articles holds only what
// its reports show.
void release_bodies(ArticleResult& r) {
    auto positions = locate_quotes(r);
    for (std::size_t i = 0; i < r.claims.size(); ++i)
        r.claims[i].position = std::move(positions[i]);
    auto release = [](Capture& c) {
        free_string(c.body);
        c.headers = {};
    };
    release(r.capture);
    Document& d = r.document;
    d.blocks = {};
    d.links = {};
    d.embeds = {};
    d.quotations = {};
    for (auto& l : r.links)
        release(l.capture);
    for (auto& c : r.claims) {
        if (c.source) release(*c.source);
        for (auto& cand : c.candidates)
            release(cand);
    }
}

class Pipeline {
public:
    Pipeline(const CheckOptions& o, std::vector<std::regex> exclude, const CheckRules& rules, Capturer& capturer,
             Keeping* keeping, Database* db, ArticleSink& sink, const std::function<void(std::string_view)>& on_event,
             const Clock& clock)
        : o_(o),
          exclude_(std::move(exclude)),
          rules_(rules.rules),
          matching_(rules.matching),
          check_rules_(rules),
          lookups_(rules.rules, rules.attribution),
          capturer_(capturer),
          keeping_(keeping),
          db_(db),
          sink_(sink),
          on_event_(on_event),
          clock_(clock) {
        reading_.ocr = o.ocr;
        for (const auto& b : o.sources) {
            if (!is_http_url(b.target)) local_sources_.insert(b.target);
        }
    }

    // Checks every input. Each article moves through its stages (its page, its links, its sources, then
    // alignment and its records) as soon as its own captures are in, however slow another article's are;
    // at most `max_active` articles are under way at once, which bounds what is held in memory. Each article's
    // records are stored as it finishes, and its result handed to the sink.
    // `more`, when set, is asked for another article whenever the run has room once the listed ones have started;
    // nullopt: none now (it is asked again when an article finishes; the run ends when none is under way).
    Result<void> check_all(const std::vector<std::string>& inputs,
                           std::function<std::optional<std::string>()> more = {}) {
        inputs_ = inputs;
        more_ = std::move(more);
        next_input_ = 0;
        start_more();
        auto ran = capturer_.run();
        if (failure_) return std::unexpected(*failure_);
        // The machinery itself failing (the archive cannot be written, libcurl cannot start) is not a verdict.
        if (!ran) return std::unexpected(ran.error());
        if (!active_.empty()) return fail(ErrorCode::internal, "articles left unfinished after the captures ended");
        return {};
    }

    [[nodiscard]] Result<void> seal_archive() {
        if (keeping_ == nullptr) return {};
        if (auto r = record_archive(keeping_->records); !r) return r;
        stamp_checkpoint();
        return {};
    }

    [[nodiscard]] std::size_t input_count() const noexcept { return inputs_.size(); }

    // What the user should hear of that is not a failure of the run (a TSA that did not answer).
    [[nodiscard]] std::vector<std::string> take_warnings() { return std::exchange(warnings_, {}); }

    // Asks the TSA (--tsa) for a token over the checkpoint just signed, unless the workspace's newest checkpoint
    // has one. The records are stored already: a TSA that fails costs the run its timestamps, never its records,
    // and after one failure no more are asked for (each would wait out the same failure).
    void stamp_checkpoint() {
        if (keeping_ == nullptr || o_.tsa.empty() || tsa_failed_) return;
        Database& db = keeping_->records.db;
        auto latest = db.latest_checkpoint();
        if (!latest || !*latest || (*latest)->size == stamped_size_) return;
        // The URL as given may carry credentials or an API key: it is sent as it is, but stored, exported and
        // shown without them.
        const std::string& url = o_.tsa;
        std::string shown = strip_credentials(url).value_or(url);
        if (auto q = shown.find('?'); q != std::string::npos) shown.resize(q);
        auto exchange = [&](std::string_view request) -> Result<std::string> {
            // The run's --timeout and User-Agent hold for the TSA too.
            PostOptions post;
            post.timeout = std::chrono::seconds(std::max<long>(1, o_.fetch.timeout_s));
            post.user_agent = o_.fetch.user_agent;
            auto answer = http_post(url, "application/timestamp-query", request, post);
            if (!answer) {
                std::string message = answer.error().message;
                if (auto at = message.find(url); at != std::string::npos) message.replace(at, url.size(), shown);
                return fail(ErrorCode::network, std::move(message));
            }
            if (answer->status != 200) {
                return fail(ErrorCode::network, fmt::format("{}: the TSA answered HTTP {}", shown, answer->status));
            }
            return std::move(answer->body);
        };
        auto stamped = timestamp_checkpoint(db, **latest, shown, exchange, keeping_->records.clock);
        if (!stamped) {
            tsa_failed_ = true;
            warnings_.push_back(
                fmt::format("--tsa: {}; the checkpoint of {} entries and those after it in this run "
                            "have no trusted timestamp",
                            stamped.error().message, (*latest)->size));
            return;
        }
        stamped_size_ = (*latest)->size;
        note(fmt::format("timestamped the checkpoint of {} entries: {} ({})", stamped_size_, stamped->gen_time, shown));
    }

    // The pages a sitemap (or, recursively, a sitemap index) lists, in document order. Only `where` itself,
    // named on the command line, may be a local file: every entry must be an absolute http(s) URL once resolved
    // against the sitemap's own http(s) address, and any other is skipped (noted, and counted in `warnings`),
    // never opened, so that a sitemap served by anyone cannot make provcheck read a local file.
    Result<std::vector<std::string>> sitemap_pages(const std::string& where, const std::optional<std::string>& since,
                                                   std::vector<std::string>& warnings) {
        std::vector<std::string> pages;
        std::set<std::string> seen_maps;
        std::vector<std::string> queue{where};
        // An index of indexes is allowed, but a cycle or an endless chain is not followed forever.
        for (int level = 0; level < 4 && !queue.empty(); ++level) {
            std::vector<std::string> next;
            std::vector<std::string> remote;
            for (const auto& q : queue) {
                if (is_http_url(q)) remote.push_back(q);
            }
            auto fetched = capture_all(remote);
            for (const auto& q : queue) {
                if (!seen_maps.insert(q).second) continue;
                Capture c;
                if (is_http_url(q)) {
                    c = fetched.at(q);
                } else {
                    c = capturer_.capture_file(q, q);
                    note_capture(c);
                }
                if (!c.ok()) {
                    return fail(c.failure->cls == FailureClass::io ? ErrorCode::io : ErrorCode::network,
                                fmt::format("--sitemap {}: {}", q, c.failure->message));
                }
                auto map = parse_sitemap(c.body);
                if (!map) return fail(map.error().code, fmt::format("--sitemap {}: {}", q, map.error().message));
                std::size_t kept = 0;
                std::size_t skipped = 0;
                for (const auto& e : map->entries) {
                    if (since && !modified_since(e, *since)) continue;
                    // A relative <loc> is read against the sitemap's own address; a sitemap read from a file
                    // has none, so its entries must be absolute.
                    auto loc = entry_url(e, c.final_url);
                    if (!loc) {
                        ++skipped;
                        note(
                            fmt::format("sitemap {}: skipped <loc>{}</loc>: not an http(s) URL (local files are read "
                                        "only when named on the command line)",
                                        q, sanitize_utf8(e.loc.substr(0, 200))));
                        continue;
                    }
                    ++kept;
                    (map->is_index ? next : pages).push_back(std::move(*loc));
                }
                note(fmt::format("sitemap {}: {} {}{}", q, kept, map->is_index ? "sitemaps" : "pages",
                                 skipped > 0 ? fmt::format(", {} entries skipped", skipped) : std::string()));
                if (skipped > 0) {
                    warnings.push_back(fmt::format("--sitemap {}: skipped {}", q,
                                                   skipped == 1
                                                       ? std::string("1 entry that is not an http(s) URL")
                                                       : fmt::format("{} entries that are not http(s) URLs", skipped)));
                }
            }
            queue = std::move(next);
        }
        return pages;
    }

    [[nodiscard]] bool excluded(std::string_view url) const {
        for (const auto& re : exclude_) {
            if (std::regex_search(url.begin(), url.end(), re)) return true;
        }
        return false;
    }

    void note(std::string_view line) const {
        if (on_event_) on_event_(line);
    }

private:
    // capture_urls over distinct URLs; every URL of `urls` is a key of the result.
    std::map<std::string, Capture> capture_all(const std::vector<std::string>& urls) {
        std::vector<std::string> distinct;
        std::set<std::string> seen;
        for (const auto& u : urls) {
            if (seen.insert(u).second) distinct.push_back(u);
        }
        auto captures = capturer_.capture_urls(distinct);
        std::map<std::string, Capture> out;
        for (std::size_t i = 0; i < distinct.size(); ++i) {
            note_capture(captures[i]);
            out.emplace(distinct[i], std::move(captures[i]));
        }
        return out;
    }

    void note_capture(const Capture& c) const {
        if (!on_event_) return;
        std::string hops;
        for (const auto& h : c.chain) {
            if (h.via == HopVia::canonical) continue;
            hops +=
                fmt::format("{}{} {}", hops.empty() ? "" : " → ", h.status ? fmt::format("{}", *h.status) : "-", h.url);
        }
        note(fmt::format("fetch {}{}: {}{}", c.requested_url, c.from_replay ? " (replayed)" : "",
                         hops.empty() ? "no response" : hops,
                         c.failure ? fmt::format(" [{}: {}]", to_string(c.failure->cls), c.failure->message) : ""));
    }

    void note_decision(const ClaimResult& r) const {
        if (!on_event_) return;
        const Claim& c = r.claim;
        std::string quote = c.quote.size() > 60 ? c.quote.substr(0, 57) + "…" : c.quote;
        note(fmt::format(
            "claim {} “{}”: speaker {}{}{}; {}; verdict {}{}", c.id, sanitize_utf8(quote),
            c.speaker.empty() ? "none" : c.speaker, c.outlet.empty() || c.outlet == c.speaker ? "" : " via " + c.outlet,
            c.rule.empty() ? "" : fmt::format(" (rule {})", c.rule),
            r.source ? fmt::format("source {} ({})",
                                   r.source->final_url.empty() ? r.source->requested_url : r.source->final_url,
                                   r.source_reason)
                     : std::string("no source"),
            to_string(r.verdict),
            r.match && !r.match->decided_by.empty() ? fmt::format(" (decided by {})", r.match->decided_by) : ""));
    }

    // A source that the articles under way read (sources_): read and indexed on a worker as soon as its capture is
    // in, and waited for only when a claim needs it.
    struct PendingSource {
        std::future<std::unique_ptr<SourceText>> reading;
        std::unique_ptr<SourceText> text;            // once read
        std::shared_ptr<std::atomic<bool>> dropped;  // set when no article holds it before the worker reads it
        // For a text read from a copy made before the capture was archived: the capture as stored.
        std::optional<Capture> archived;
    };

    // One article under way. It lives in active_ from its start until finish(); completions of its
    // captures point to it, and all of them come in before it finishes.
    struct ArchivedText {
        std::unique_ptr<SourceText> text;
        bool after_article = false;  // made after the article's publication (no copy was made before)
    };

    struct Article {
        std::size_t index = 0;
        ArticleResult result;
        std::vector<Claim> claims;
        std::vector<std::vector<Candidate>> candidates;  // per claim
        std::size_t pending = 0;                         // captures of the current stage not in yet
        std::unordered_set<std::string> held;            // URLs whose captures it holds (see hold())
        std::vector<ClaimResult> decided;                // per claim, once aligned
        // Archived copies of its sources (Memento), by the source's URL, read for claims their source failed.
        std::map<std::string, ArchivedText> archived;
    };

    static constexpr std::size_t max_active = 32;

    void start_more() {
        // A local article finishes inside start(); the loop here, not recursion, starts the next one.
        if (starting_) return;
        starting_ = true;
        while (active_.size() < max_active && !failure_) {
            if (next_input_ >= inputs_.size()) {
                std::optional<std::string> next = more_ ? more_() : std::nullopt;
                if (!next) break;
                if (excluded(*next)) {
                    note(fmt::format("excluded {}", *next));
                    continue;
                }
                inputs_.push_back(std::move(*next));
            }
            start(next_input_++);
        }
        starting_ = false;
    }

    void start(std::size_t index) {
        auto owned = std::make_unique<Article>();
        Article* a = owned.get();
        a->index = index;
        a->result.input = inputs_[index];
        active_.emplace(index, std::move(owned));
        const std::string& input = a->result.input;
        if (is_http_url(input)) {
            hold(*a, input);
            capturer_.submit(input, [this, a](Capture c) {
                note_capture(c);
                on_page(*a, std::move(c));
            });
        } else {
            Capture c = capturer_.capture_file(input, input);
            note_capture(c);
            on_page(*a, std::move(c));
        }
    }

    // The article's own page is in: extract it, send its links, attribute its claims while they are fetched.
    void on_page(Article& a, Capture page) {
        a.result.capture = std::move(page);
        const std::string& input = a.result.input;
        if (!a.result.capture.ok()) {
            a.result.error =
                Error{a.result.capture.failure->cls == FailureClass::io ? ErrorCode::io : ErrorCode::network,
                      fmt::format("{}: {}", input, a.result.capture.failure->message)};
            finish(a);
            return;
        }
        auto doc = read_document(a.result.capture, input, rules_, ExtractLimits{o_.max_links, o_.max_claims});
        if (!doc) {
            a.result.error = doc.error();
            finish(a);
            return;
        }
        a.result.document = std::move(*doc);
        if (!a.result.document.quotations.empty()) read_bound_sources();

        if (const std::size_t dropped = a.result.document.links_dropped; dropped > 0) {
            a.result.notes.push_back(
                fmt::format("{} link{} past the limit of {} per article (--max-links) {} not "
                            "followed or checked",
                            dropped, dropped == 1 ? "" : "s", o_.max_links, dropped == 1 ? "was" : "were"));
        }

        if (o_.depth < 1) {
            // Only links that can become sources: those beside quotations are captured as sources.
            read_claims(a);
            on_links(a);
            return;
        }
        std::set<std::string> seen;
        auto consider = [&](const Link& l) {
            if (!is_http_url(l.url) || excluded(l.url) || !seen.insert(l.url).second) return;
            a.result.links.push_back({l, Capture{}});
        };
        for (const auto& l : a.result.document.links)
            consider(l);
        for (const auto& e : a.result.document.embeds) {
            for (const auto& l : e.links)
                consider(l);
        }
        if (a.result.links.empty()) {
            read_claims(a);
            on_links(a);
            return;
        }
        a.pending = a.result.links.size();
        for (std::size_t k = 0; k < a.result.links.size(); ++k) {
            const std::string url = a.result.links[k].link.url;
            hold(a, url);
            capturer_.submit(url, [this, &a, k](Capture c) {
                note_capture(c);
                // A link is followed for where it leads; its body, if it is a source, is read as one.
                free_string(c.body);
                a.result.links[k].capture = std::move(c);
                if (--a.pending == 0) {
                    on_links(a);
                } else {
                    keep_while_waiting();
                }
            });
        }
        // The claims are read while the links are fetched: completions come in only after this returns.
        read_claims(a);
    }

    // The article's claims, at most --max-claims of them (the first in reading order); the result notes the
    // quotations left unchecked past that.
    void read_claims(Article& a) {
        a.claims = attribute_claims(a.result.document, lookups_);
        std::size_t dropped = a.result.document.quotations_dropped;
        if (a.claims.size() > o_.max_claims) {
            dropped += a.claims.size() - o_.max_claims;
            a.claims.erase(a.claims.begin() + static_cast<std::ptrdiff_t>(o_.max_claims), a.claims.end());
        }
        if (dropped > 0) {
            a.result.notes.push_back(
                fmt::format("{} quotation{} past the limit of {} per article (--max-claims) {} "
                            "not checked",
                            dropped, dropped == 1 ? "" : "s", o_.max_claims, dropped == 1 ? "was" : "were"));
        }
    }

    // The links are resolved: choose each claim's candidate sources and capture those not read yet.
    void on_links(Article& a) {
        std::vector<std::string> wanted;
        std::set<std::string> seen;
        const ArticleSources article_sources(a.result, a.claims, rules_);
        for (const auto& claim : a.claims) {
            a.candidates.push_back(article_sources.candidates_for(claim, o_.sources, rules_, check_rules_.sources));
            std::erase_if(a.candidates.back(), [this](const Candidate& c) { return excluded(c.url); });
            for (const auto& c : a.candidates.back()) {
                if (seen.insert(c.url).second) wanted.push_back(c.url);
            }
        }
        std::vector<std::string> to_fetch;
        for (const auto& url : wanted) {
            hold(a, url);
            if (sources_.contains(url)) continue;
            if (is_http_url(url)) {
                to_fetch.push_back(url);
            } else if (local_sources_.contains(url)) {
                read_local_source(url);
            } else {
                // Only --source names a local file; what a page or a rule names is never opened as one.
                Capture refused;
                refused.requested_url = url;
                refused.failure = CaptureFailure{FailureClass::unsupported_scheme, "not an http(s) URL; not opened"};
                read_source(url, std::move(refused));
            }
        }
        if (to_fetch.empty()) {
            decide_all(a);
            return;
        }
        a.pending = to_fetch.size();
        for (const auto& url : to_fetch) {
            capturer_.submit(url, [this, &a, url](Capture c) {
                note_capture(c);
                // Another article may have read it meanwhile: the capture is the same one.
                if (!sources_.contains(url)) read_source(url, std::move(c));
                if (--a.pending == 0) decide_all(a);
            });
        }
    }

    // A claim's candidate texts, their indexes built here: this run's capture, the workspace's earlier versions
    // of it and, once looked up, its archived copy.
    std::vector<CandidateText> candidate_texts(Article& a, std::size_t k) {
        std::vector<CandidateText> texts;
        for (const auto& cand : a.candidates[k]) {
            const SourceText& s = source(cand.url);
            s.prepare(matching_);
            CandidateText t{cand.reason, &s, {}, cand.tie};
            if (s.readable()) {
                for (const auto& v : versions(cand.url, s.capture())) {
                    v->prepare(matching_);
                    t.versions.push_back(v.get());
                }
            }
            if (auto it = a.archived.find(cand.url); it != a.archived.end()) {
                it->second.text->prepare(matching_);
                t.versions.push_back(it->second.text.get());
            }
            texts.push_back(std::move(t));
        }
        return texts;
    }

    // Gathers each claim's candidate texts, then decides the claims on the machine's cores (deciding only reads
    // the prepared sources); claims whose source is dead or no longer holds the words then look for an archived
    // copy of it.
    void decide_all(Article& a) {
        std::vector<std::vector<CandidateText>> texts(a.claims.size());
        for (std::size_t k = 0; k < a.claims.size(); ++k)
            texts[k] = candidate_texts(a, k);
        a.decided.assign(a.claims.size(), ClaimResult{});
        parallel_for(a.decided.size(), 32,
                     [&](std::size_t k) { a.decided[k] = decide(a.claims[k], texts[k], check_rules_, &lookups_); });
        if (!look_up_archives(a)) publish(a);
    }

    // A claim an archived copy of its source may settle: the source (an http(s) URL, not itself a copy) was dead,
    // or was read and does not hold the words as quoted.
    static bool wants_archive(const ClaimResult& r) {
        if (!r.source || r.source->archived || !is_http_url(r.source->requested_url)) return false;
        switch (r.verdict) {
            case Verdict::source_unavailable: {
                if (!r.source->failure) return false;
                const FailureClass f = r.source->failure->cls;
                return f == FailureClass::dns || f == FailureClass::connect || f == FailureClass::timeout ||
                       f == FailureClass::http_4xx || f == FailureClass::http_5xx;
            }
            case Verdict::not_found:
            case Verdict::altered:
                return true;
            default:
                return false;
        }
    }

    // Asks the Memento TimeMap (--memento) of each source that wants_archive() for the copy closest before the
    // article's publication (or now, when it names no date), captures that copy, and decides its claims again
    // with it. False when there is nothing to look up.
    bool look_up_archives(Article& a) {
        if (o_.memento.empty()) return false;
        const auto endpoint = parse_url(o_.memento);
        if (!endpoint) return false;
        std::set<std::string> urls;
        for (const auto& r : a.decided) {
            if (wants_archive(r) && !excluded(r.source->requested_url)) urls.insert(r.source->requested_url);
        }
        if (urls.empty()) return false;
        // The article's own date, never later than when it was read: an article cannot pick a copy made after it
        // was checked.
        auto when = clock_.now();
        if (auto read_at = parse_rfc3339(a.result.capture.fetched_at)) when = std::min(when, *read_at);
        if (auto published = publication_time(a.result.document.published)) when = std::min(when, *published);
        a.pending = urls.size();
        for (const auto& url : urls) {
            const std::string map = timemap_url(o_.memento, url);
            if (excluded(map)) {
                if (--a.pending == 0) redecide(a);
                continue;
            }
            hold(a, map);
            capturer_.submit(map, [this, &a, url, map, when, host = endpoint->host](Capture c) {
                note_capture(c);
                std::optional<Memento> copy;
                if (c.ok() && c.status >= 200 && c.status < 300) copy = closest_memento(parse_timemap(c.body), when);
                free_string(c.body);
                // Only a copy the archive itself serves: a memento on another host (an aggregator's pointer) is not
                // fetched, so that a TimeMap cannot pass off any page as a copy.
                const std::string raw = copy ? raw_memento_url(copy->url) : std::string();
                const auto raw_parts = parse_url(raw);
                if (!copy || !raw_parts || raw_parts->host != host || excluded(raw)) {
                    if (--a.pending == 0) redecide(a);
                    return;
                }
                hold(a, raw);
                const bool after = copy->archived_at > when;
                capturer_.submit(raw, [this, &a, url, map, after, host](Capture m) {
                    note_capture(m);
                    if (auto copy_text = read_archived_copy(std::move(m), url, map, host)) {
                        a.archived.insert_or_assign(url, ArchivedText{std::move(copy_text), after});
                    }
                    if (--a.pending == 0) redecide(a);
                });
            });
        }
        return true;
    }

    // The text of a memento as the archive served it, or null when it is not one: a failed fetch, a response that
    // ended on another host (a redirect, a refresh in the archived page), no Memento-Datetime, or a copy that
    // cannot be read in full.
    std::unique_ptr<SourceText> read_archived_copy(Capture m, const std::string& url, const std::string& map,
                                                   const std::string& host) {
        if (!m.ok() || m.status < 200 || m.status >= 300) return nullptr;
        const auto final_parts = parse_url(m.final_url);
        if (!final_parts || final_parts->host != host) return nullptr;
        const std::string* stamp = find_header(m.headers, "Memento-Datetime");
        const auto at = stamp != nullptr ? parse_http_date(*stamp) : std::nullopt;
        if (!at) return nullptr;
        m.archived = ArchivedCopy{url, format_rfc3339(*at), strip_credentials(map).value_or(map)};
        auto text = SourceText::read(std::move(m), rules_, reading_);
        if (!text->readable() || text->partial()) return nullptr;
        return text;
    }

    // Decides again the claims whose source has an archived copy now, then publishes the article.
    void redecide(Article& a) {
        for (std::size_t k = 0; k < a.claims.size(); ++k) {
            const ClaimResult& r = a.decided[k];
            if (!wants_archive(r)) continue;
            const auto it = a.archived.find(r.source->requested_url);
            if (it == a.archived.end()) continue;
            // A copy made after the article says what the source said then: it stands in for a dead source, but
            // never overrules what the live source says of a quotation.
            if (it->second.after_article && r.verdict != Verdict::source_unavailable) continue;
            const auto texts = candidate_texts(a, k);
            a.decided[k] = decide(a.claims[k], texts, check_rules_, &lookups_);
        }
        publish(a);
    }

    void publish(Article& a) {
        for (auto& r : a.decided) {
            a.result.claims.push_back(std::move(r));
            note_decision(a.result.claims.back());
        }
        a.decided.clear();
        a.archived.clear();
        finish(a);
    }

    // Records the article, hands its result to the sink, and lets go of every capture only it still needed.
    void finish(Article& a) {
        if (keeping_ != nullptr && !a.result.error && !failure_ && !capturer_.error()) {
            // The captures a record names must be durable before the record is.
            if (auto synced = capturer_.sync_archive(); !synced) {
                failure_ = synced.error();
            } else if (auto r = record_article(keeping_->records, a.result); !r) {
                failure_ = r.error();
            } else {
                stamp_checkpoint();
            }
        }
        release_bodies(a.result);
        for (const auto& url : a.held)
            let_go(url);
        const std::size_t index = a.index;
        if (!failure_) sink_.article_done(index, std::move(a.result));
        active_.erase(index);  // `a` is gone from here on
        start_more();
    }

    // While links are still out, what came in is kept in batches (the archive synced, then the cache entries
    // naming it written), on the main thread that would otherwise wait: the end of an article citing
    // thousands of links then has only the last batch to write before its records.
    void keep_while_waiting() {
        constexpr std::size_t batch = 256;
        if (keeping_ == nullptr || failure_ || capturer_.unsynced_cache_entries() < batch) return;
        if (auto synced = capturer_.sync_archive(); !synced) failure_ = synced.error();
    }

    // Counts the articles under way that need `url`'s capture (as a page, a link or a source).
    void hold(Article& a, const std::string& url) {
        if (!a.held.insert(url).second) return;
        holders_[url] += 1;
    }

    void let_go(const std::string& url) {
        auto it = holders_.find(url);
        if (it == holders_.end() || --it->second > 0) return;
        holders_.erase(it);
        versions_.erase(url);
        if (local_sources_.contains(url)) return;  // a file --source names: kept for the run
        if (auto s = sources_.find(url); s != sources_.end()) {
            if (s->second.dropped) s->second.dropped->store(true);  // not read if the worker has not begun it
            sources_.erase(s);
        }
        // The Capturer keeps what the URL led to, so it is never fetched twice, and reads the body back
        // from the workspace should a later article need it.
        capturer_.release(url);
    }

    // Earlier versions of a source (other payloads stored for its URL by earlier runs and vouched for by a
    // signature), read once per URL while an article needs it. None in a dry run.
    const std::vector<std::unique_ptr<SourceText>>& versions(const std::string& target, const Capture& current) {
        if (auto it = versions_.find(target); it != versions_.end()) return it->second;
        std::vector<std::unique_ptr<SourceText>> texts;
        if (o_.earlier_versions && keeping_ != nullptr && db_ != nullptr && current.ok() &&
            may_hold_text(current.content_type)) {
            for (auto& v : stored_versions(*db_, keeping_->vouch, archive_dir(o_), current, max_versions)) {
                auto t = SourceText::read(std::move(v), rules_, reading_);
                if (t->readable()) texts.push_back(std::move(t));
            }
        }
        return versions_.emplace(target, std::move(texts)).first->second;
    }

    // Reads a source's capture and builds its index on a worker (see sources_), while this thread goes on. While a
    // read already waits for the worker, this one is done here and now: bodies do not pile up in the queue, and a
    // source that no article holds any longer is not read at all.
    void read_source(const std::string& url, Capture c) { sources_.emplace(url, start_reading(std::move(c))); }

    PendingSource start_reading(Capture c) {
        if (background_.queued() >= max_queued_reads) {
            return PendingSource{{}, read_and_index(std::move(c)), nullptr, std::nullopt};
        }
        auto dropped = std::make_shared<std::atomic<bool>>(false);
        auto reading = background_.submit([this, c = std::move(c), dropped]() mutable -> std::unique_ptr<SourceText> {
            if (dropped->load()) return nullptr;
            return read_and_index(std::move(c));
        });
        return PendingSource{std::move(reading), nullptr, std::move(dropped), std::nullopt};
    }

    // A source's text and its alignment index; only reads the rules and options, so any thread may call it.
    std::unique_ptr<SourceText> read_and_index(Capture c) const {
        std::unique_ptr<SourceText> text = SourceText::read(std::move(c), rules_, reading_);
        text->prepare(matching_);
        return text;
    }

    // Captures a file --source names and has it read. When the worker is free, it reads a copy of the file while
    // this thread archives it (on one core each, compressing a large file takes nearly as long as reading its
    // text), and the text takes the capture's digests and archive reference when it is first needed.
    void read_local_source(const std::string& path) {
        std::optional<PendingSource> early;
        Capturer::EarlyCopy on_copy;
        if (background_.queued() < max_queued_reads) {
            on_copy = [&](Capture copy) { early = start_reading(std::move(copy)); };
        }
        Capture c = capturer_.capture_file(path, path, on_copy);
        note_capture(c);
        if (!early) {
            read_source(path, std::move(c));
            return;
        }
        early->archived = std::move(c);
        sources_.emplace(path, std::move(*early));
    }

    // Captures the local files that --source binds to every claim (no NAME=) once an article is read and holds
    // quotations, and has them read while its claims are attributed and its links fetched. The files --source names are
    // captured and read once per run and kept for all of it (let_go() leaves them): the user named them for this
    // run's claims. A binding with a NAME= waits until a claim of that speaker needs it (on_links()).
    void read_bound_sources() {
        if (o_.max_claims == 0) return;
        for (const auto& b : o_.sources) {
            if (b.name.empty() && local_sources_.contains(b.target) && !sources_.contains(b.target)) {
                read_local_source(b.target);
            }
        }
    }

    const SourceText& source(const std::string& target) {
        if (auto it = sources_.find(target); it != sources_.end()) {
            PendingSource& p = it->second;
            if (!p.text) p.text = p.reading.get();  // waits for the worker, or rethrows what stopped it
            if (p.archived && p.text) {
                p.text->adopt_archival(*p.archived);
                p.archived.reset();
            }
            return *p.text;
        }
        // Every candidate is read before its claims are decided; this is only reached by a bug.
        static const std::unique_ptr<SourceText> missing = [] {
            Capture c;
            c.failure = CaptureFailure{FailureClass::io, "the source was not captured"};
            return SourceText::read(std::move(c), RuleSet{});
        }();
        return *missing;
    }

    const CheckOptions& o_;
    SourceReading reading_;  // how PDF and text sources are read (--ocr)
    std::vector<std::regex> exclude_;
    const RuleSet& rules_;
    const MatchingRules& matching_;
    const CheckRules& check_rules_;
    const AttributionLookups lookups_;  // built once per run, read by every article and claim
    Capturer& capturer_;
    Keeping* keeping_;
    Database* db_;
    ArticleSink& sink_;
    const std::function<void(std::string_view)>& on_event_;
    const Clock& clock_;
    std::vector<std::string> inputs_;  // the listed inputs, then those `more_` handed over
    std::function<std::optional<std::string>()> more_;
    std::size_t next_input_ = 0;
    bool starting_ = false;
    std::map<std::size_t, std::unique_ptr<Article>> active_;
    std::map<std::string, int> holders_;
    std::set<std::string> local_sources_;  // --source paths: the only local files a claim is checked against
    static constexpr std::size_t max_queued_reads = 1;  // besides those the workers are reading
    std::map<std::string, PendingSource> sources_;      // by candidate URL; dropped when no article holds it
    std::map<std::string, std::vector<std::unique_ptr<SourceText>>> versions_;  // by candidate URL, with sources_
    static constexpr std::size_t max_versions = 4;
    std::optional<Error> failure_;  // storing a record failed: no more articles start
    std::vector<std::string> warnings_;
    std::uint64_t stamped_size_ = 0;  // the checkpoint last timestamped
    bool tsa_failed_ = false;
    // Last, so that it is stopped first: its tasks read the rules and the reading options above.
    Background background_{Background::spare_cores(3)};
};

class Collect final : public ArticleSink {
public:
    void article_done(std::size_t index, ArticleResult result) override {
        if (results.size() <= index) results.resize(index + 1);
        results[index] = std::move(result);
    }
    std::vector<ArticleResult> results;
};

}  // namespace

Result<CheckRun> run_check(const CheckInputs& in, const CheckOptions& o, const CheckRules& rules, const Clock& clock,
                           CheckStore store, ArticleSink& sink, const std::function<void(std::string_view)>& on_event) {
    std::vector<std::regex> exclude;
    for (const auto& pattern : o.exclude) {
        try {
            exclude.emplace_back(pattern, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            return fail(ErrorCode::config,
                        fmt::format("exclude: '{}' is not a valid regular expression ({})", pattern, e.what()));
        }
    }
    if (in.since && !is_iso_date(*in.since)) {
        return fail(ErrorCode::usage, fmt::format("--since: '{}' is not a date (YYYY-MM-DD)", *in.since));
    }
    if ((store.key == nullptr) != (store.db == nullptr)) {
        return fail(ErrorCode::internal, "a check keeps its work with both a key and a store, or with neither");
    }
    const bool keep = store.db != nullptr;

    std::unique_ptr<WarcArchive> archive;
    if (!o.replay.empty()) {
        auto loaded = WarcArchive::load(o.replay);
        if (!loaded) return std::unexpected(loaded.error());
        archive = std::make_unique<WarcArchive>(std::move(*loaded));
    }
    std::optional<WarcWriter> writer;
    std::optional<std::int64_t> run_id;
    if (keep) {
        std::error_code ec;
        std::filesystem::create_directories(archive_dir(o), ec);
        if (ec) {
            return fail(ErrorCode::io, fmt::format("{}: cannot create the archive directory: {}",
                                                   archive_dir(o).string(), ec.message()));
        }
        auto w = WarcWriter::open(archive_dir(o), clock);
        if (!w) return std::unexpected(w.error());
        writer.emplace(std::move(*w));
        auto id = store.db->begin_run(format_rfc3339(clock.now()), o.argv, rules.rules.digest);
        if (!id) return std::unexpected(id.error());
        run_id = *id;
    }

    // Large bodies wait on the archive's own disk while they arrive, not in memory nor in a small /tmp.
    FetchOptions fetch = o.fetch;
    if (!fetch.spool_dir) fetch.spool_dir = keep ? archive_dir(o) : std::filesystem::temp_directory_path();
    Capturer capturer(std::move(fetch), rules.rules, writer ? &*writer : nullptr, archive.get(), clock);
    std::optional<ArchiveVouch> vouch;
    std::optional<WorkspaceCache> cache;
    std::optional<Keeping> keeping;
    if (keep) {
        capturer.set_body_loader([&o](const Capture& c) { return read_back_payload(archive_dir(o), c); });
        // Only what this key signed vouches for stored bytes: the HTTP cache and earlier versions of a source.
        vouch.emplace(*store.db, archive_dir(o),
                      std::map<std::string, std::string>{{store.key->key_id(), store.key->public_raw()}});
        cache.emplace(*store.db, *vouch, archive_dir(o));
        capturer.set_cache(&*cache, o.max_age);
        capturer.set_stored_first(o.stored_articles);
        keeping.emplace(
            Keeping{RecordContext{*store.key, *store.db, *run_id, rules.rules.digest, clock, &*writer, {}, &o.run_keys},
                    *vouch});
    }
    Pipeline pipeline(o, std::move(exclude), rules, capturer, keeping ? &*keeping : nullptr, store.db, sink, on_event,
                      clock);

    std::vector<std::string> inputs;
    std::set<std::string> seen;
    auto add_input = [&](const std::string& item) {
        if (pipeline.excluded(item)) {
            pipeline.note(fmt::format("excluded {}", item));
            return;
        }
        if (seen.insert(item).second) inputs.push_back(item);
    };
    for (const auto& item : in.articles)
        add_input(item);
    std::vector<std::string> warnings;
    for (const auto& map : in.sitemaps) {
        auto pages = pipeline.sitemap_pages(map, in.since, warnings);
        if (!pages) return std::unexpected(pages.error());
        for (const auto& p : *pages)
            add_input(p);
    }

    if (auto checked = pipeline.check_all(inputs, in.more); !checked) return std::unexpected(checked.error());
    // What no record needed (articles that failed, links of excluded pages) is kept for the next run too, under
    // a signed manifest like everything else in the archive.
    if (keep) {
        if (auto synced = capturer.sync_archive(); !synced) return std::unexpected(synced.error());
        if (auto sealed = pipeline.seal_archive(); !sealed) return std::unexpected(sealed.error());
    }
    for (auto& w : pipeline.take_warnings())
        warnings.push_back(std::move(w));
    return CheckRun{pipeline.input_count(), std::move(warnings)};
}

Result<std::vector<std::string>> sitemap_articles(const CheckInputs& inputs, const CheckOptions& o,
                                                  const CheckRules& rules, const Clock& clock,
                                                  std::vector<std::string>& warnings) {
    if (inputs.since && !is_iso_date(*inputs.since)) {
        return fail(ErrorCode::usage, fmt::format("--since: '{}' is not a date (YYYY-MM-DD)", *inputs.since));
    }
    FetchOptions fetch = o.fetch;
    if (!fetch.spool_dir) fetch.spool_dir = std::filesystem::temp_directory_path();
    Capturer capturer(std::move(fetch), rules.rules, nullptr, nullptr, clock);
    Collect unused;
    const std::function<void(std::string_view)> no_events;  // the pipeline keeps a reference
    Pipeline pipeline(o, {}, rules, capturer, nullptr, nullptr, unused, no_events, clock);
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& map : inputs.sitemaps) {
        auto pages = pipeline.sitemap_pages(map, inputs.since, warnings);
        if (!pages) return std::unexpected(pages.error());
        for (auto& p : *pages) {
            if (seen.insert(p).second) out.push_back(std::move(p));
        }
    }
    for (auto& w : pipeline.take_warnings())
        warnings.push_back(std::move(w));
    return out;
}

Result<Report> check_report(const CheckInputs& inputs, const CheckOptions& options, const CheckRules& rules,
                            const Clock& clock, CheckStore store,
                            const std::function<void(std::string_view)>& on_event) {
    Collect collect;
    auto run = run_check(inputs, options, rules, clock, store, collect, on_event);
    if (!run) return std::unexpected(run.error());
    collect.results.resize(run->articles);
    Report report;
    report.articles = std::move(collect.results);
    report.warnings = std::move(run->warnings);
    return report;
}

}  // namespace provcheck
