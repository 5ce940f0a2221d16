// The capture stage: turns URLs (or a local file) into Captures with their full redirect chains.
//
// Input: URLs as cited, or a file path. Output: one Capture per input, in input order. Every response
// received (every hop, failures with a response included) is handed to the sink, so the workspace
// archive holds the whole chain and --replay can walk it again; a Capture's `stored` and digests are
// those of its last hop.
//
// Redirects are followed here, hop by hop: HTTP 3xx Location, Refresh header, meta refresh and script
// redirects on small redirect pages (capture/html_redirect.hpp). A loop or more than max_redirs hops is
// too_many_redirects; a hop to any scheme but http/https is unsupported_scheme and is never opened.
// The first request to a shortener host (RuleSet::shortener_for_host) uses that shortener's User-Agent.
// The final response decides: a bot wall (rules/challenges.toml, capture/challenge.hpp) bot_challenge,
// 429 rate_limited, other 4xx http_4xx, 5xx http_5xx (the body is still captured and stored).
//
// Text (HTML, XML, text/*) is converted to UTF-8 from the charset of its header, BOM or meta tag
// (capture/charset.hpp) in the Capture's `body` only, after the payload digest was taken from the bytes as
// served (which the archive keeps); `charset` says what was decoded.
//
// Never: touches the network when a ReplaySource is given; reads a local file except through
// capture_file; fetches a canonical URL (it is only recorded); fetches one normalised URL twice in the
// life of one Capturer (results are memoised).
// A Capturer's `error()` is set at construction when the options or rules/challenges.toml are invalid.
//
// Memory: every capture is remembered for the Capturer's life (that is what makes one fetch per URL), with
// its body until release() says nobody needs it, or, with a body loader set, while the remembered bodies stay
// within the loader's bound (set_body_loader); past it, a stored body is read back when asked for again.
// A transfer in flight keeps at most FetchOptions::spool_above bytes of body in memory (the rest waits
// on disk). Once it is in, a body that may hold text (may_hold_text in capture/stored.hpp) is read into
// memory, once, and archived from there, and so is a PDF served as application/octet-stream (its first bytes
// say so); any other is archived from disk and never read: images and video stay out of memory, and their
// Captures have no body.
//
// Lifetimes: `rules`, `sink`, `replay`, `clock` and the body loader must outlive the Capturer. Not
// thread-safe: every member and every completion runs on the caller's thread. Transfers run on a thread of
// the Capturer's own (net/fetch_thread.hpp), which also reads `clock` and calls FetchOptions::progress.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "capture/challenge.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/exchange.hpp"
#include "core/types.hpp"
#include "net/fetch_thread.hpp"
#include "net/fetcher.hpp"
#include "rules/rules.hpp"

namespace provcheck {

class Capturer {
public:
    Capturer(FetchOptions opts, const RuleSet& rules, ExchangeSink* sink /*nullable*/,
             const ReplaySource* replay /*nullable: when set, no network at all*/, const Clock& clock);
    ~Capturer();
    Capturer(const Capturer&) = delete;
    Capturer& operator=(const Capturer&) = delete;

    // Concurrent across URLs (within FetchOptions' limits); result i belongs to urls[i]. The same as
    // submitting each URL and running until all are in. Never call it from a completion.
    [[nodiscard]] std::vector<Capture> capture_urls(const std::vector<std::string>& urls);

    // The asynchronous form, for callers that act on each capture as soon as it is in (and may submit more
    // from there): `done` is called exactly once, from inside run(), with the capture of `url`
    // (requested_url = url). A URL already captured, or being captured, is not fetched again.
    using Completion = std::function<void(Capture)>;
    void submit(std::string url, Completion done);
    // Runs until every submitted capture, including those submitted by completions, has been delivered.
    // Returns error() when the machinery failed (every capture still delivered, failed). Never call run()
    // or capture_urls() from a completion.
    [[nodiscard]] Result<void> run();

    // A remembered capture whose body nobody holds on to any more: the Capturer drops the body and keeps the
    // rest (chain, status, digests, where it is stored). A later capture of the URL reads the body back
    // with the loader instead of fetching the URL again. Without a loader, or for a capture that was not
    // stored, release() does nothing; so it does for a URL not captured yet.
    // The loader returns the payload of the capture's last response as served (before charset decoding),
    // and fails when it cannot read it or when it does not hash to the capture's payload_sha256.
    // The workspace's HTTP cache (not used with a ReplaySource). A request for a URL the cache holds goes
    // out conditional (If-None-Match, If-Modified-Since); a 304 is archived as a revisit of the stored
    // response, which then stands as the capture (cache state "revalidated"). With `max_age`, an entry
    // confirmed less than max_age ago is reused without any request ("fresh"). Every 2xx response stored is
    // remembered. A stored response that cannot be read back is a miss: the URL is fetched unconditionally.
    void set_cache(ResponseCache* cache /*nullable*/, std::optional<std::chrono::seconds> max_age);
    // URLs answered from the cache whenever it holds them, however long ago they were confirmed, without any
    // request: what `recheck` reads as stored (its articles, unless asked to fetch them again). Each maps to
    // where it led when it was stored (its final URL, or empty): a URL the cache does not hold (a redirect) is
    // answered with what the cache holds for that instead, as one hop. Otherwise it is fetched as usual.
    void set_stored_first(const std::map<std::string, std::string>& urls);

    // Makes everything the sink stored so far durable (ExchangeSink::sync()), then keeps the cache entries
    // remembered meanwhile (ResponseCache::flush()): called before records that refer to the captures are
    // committed.
    [[nodiscard]] Result<void> sync_archive();
    // How many cache entries remembered since the last sync_archive() it would keep.
    [[nodiscard]] std::size_t unsynced_cache_entries() const noexcept {
        return cache_ != nullptr ? cache_->unflushed() : 0;
    }

    // With a loader, the bodies remembered for later requests are also bounded: once they would hold more
    // than `keep_bytes`, a newly finished capture is remembered without its body (it reads back the same).
    using BodyLoader = std::function<Result<std::string>(const Capture&)>;
    void set_body_loader(BodyLoader loader, std::uint64_t keep_bytes = 64ULL << 20);
    void release(std::string_view url);

    // A local file: requested_url = as_given, final_url = its file: URI, status 200, one `start` hop.
    // An unreadable file gives a Capture with failure `io`. `before_storing`, when set and the bytes are to be
    // archived, is handed a copy of the capture as read (its body decoded, without digests or archive reference)
    // before they are: reading a large file's text on another thread can then begin while the archive compresses
    // it (on this thread alone). The capture returned is then the same one with its digests and reference and
    // without its body, which the copy has.
    using EarlyCopy = std::function<void(Capture)>;
    [[nodiscard]] Capture capture_file(const std::filesystem::path& path, std::string_view as_given,
                                       const EarlyCopy& before_storing = {});

    // The first failure of the machinery itself (invalid options, the sink failing to store, libcurl
    // failing), if any. Captures made after it are incomplete; the caller should stop with this error.
    [[nodiscard]] const std::optional<Error>& error() const noexcept { return error_; }

private:
    struct Chain;
    struct Memo {
        Capture capture;
        bool released = false;  // body dropped by release(); read back by the loader when asked again
    };
    void begin(Chain& chain);
    // The one place where a chain asks for a URL: the request is queued and sent by dispatch().
    void request(Chain& chain, std::string url, HopVia via);
    // Sends queued requests: to the replay archive (answered at once) or to the fetcher.
    void dispatch();
    // The body cap for a request to `url`: --max-filesize, or its host's max_filesize where one is set.
    [[nodiscard]] std::uint64_t max_filesize_for(std::string_view url) const;
    // Starts the fetch thread if it is not running; false when it cannot run (error() says why).
    bool ensure_fetcher();
    // Hands a request to the running fetch thread; its answer comes back through run().
    void send(FetchRequest request, std::size_t chain_id);
    // The one place where a response for a chain comes back, from the replay archive or the network.
    void respond(std::size_t chain_id, FetchResponse response);
    void on_response(Chain& chain, FetchResponse response);
    // Follows a response (fresh, or the stored one a 304 confirmed) to the next hop or to the end.
    void advance(Chain& chain, const Exchange& ex, const std::optional<ExchangeSink::Stored>& stored);
    // A 304 to a conditional request: the stored response stands; false when it cannot be read back.
    bool revalidated(Chain& chain, const Exchange& not_modified);
    // A stored response answering the chain's current request without the network (--max-age).
    void respond_fresh(std::size_t chain_id, const CachedResponse& entry, Exchange stored);
    void remember(const Exchange& ex, const ExchangeSink::Stored& stored);
    void finish(Chain& chain, const Exchange* last, const std::optional<ExchangeSink::Stored>& stored);
    void fail_unfinished(Chain& chain);
    // A finished chain: remembered, and its waiters' completions queued.
    void complete(std::size_t chain_id);
    void deliver_memo(const std::string& key, std::string url, Completion done);
    // Calls queued completions and sends what they ask for, until nothing is queued.
    void drain();
    std::optional<ExchangeSink::Stored> store(const Exchange& exchange);
    void note_error(Error e);

    FetchOptions opts_;
    const RuleSet& rules_;
    ExchangeSink* sink_;
    const ReplaySource* replay_;
    const Clock& clock_;
    std::optional<Error> error_;
    ChallengeRules challenges_;
    // One fetcher for the Capturer's life, on a thread of its own so that storing one response never holds up
    // the others: its connection cache and its hosts' politeness (waits, hosts given up) carry over from the
    // article to its links and sources.
    std::unique_ptr<FetchThread> fetcher_;
    BodyLoader loader_;
    ResponseCache* cache_ = nullptr;
    std::optional<std::chrono::seconds> max_age_;
    std::map<std::string, std::string> stored_first_;  // normalised URL → its final URL as stored
    std::map<std::string, Memo> memo_;                 // by normalised URL as requested
    std::uint64_t memo_bytes_ = 0;                     // the bodies memo_ holds
    std::uint64_t memo_keep_bytes_ = 0;                // the bound on memo_bytes_ (set_body_loader)
    // Chains under way, by id, and the chain of each normalised start URL being captured, so that a second
    // request for it waits for it.
    std::map<std::size_t, std::unique_ptr<Chain>> chains_;
    std::map<std::string, std::size_t> active_;
    std::size_t next_chain_ = 0;
    struct Outgoing {
        std::size_t chain;
        FetchRequest request;
    };
    std::vector<Outgoing> outgoing_;           // requests waiting to be sent
    std::deque<std::function<void()>> ready_;  // completions due, called by drain()
    std::size_t in_fetcher_ = 0;               // requests handed to the fetcher and not answered yet
    bool running_ = false;
};

}  // namespace provcheck
