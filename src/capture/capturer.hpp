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
// Lifetimes: `rules`, `sink`, `replay` and `clock` must outlive the Capturer. Not thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capture/challenge.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/exchange.hpp"
#include "core/types.hpp"
#include "net/fetcher.hpp"
#include "rules/rules.hpp"

namespace provcheck {

class Capturer {
public:
    Capturer(FetchOptions opts, const RuleSet& rules, ExchangeSink* sink /*nullable*/,
             const ReplaySource* replay /*nullable: when set, no network at all*/, const Clock& clock);

    // Concurrent across URLs (within FetchOptions' limits); result i belongs to urls[i].
    [[nodiscard]] std::vector<Capture> capture_urls(const std::vector<std::string>& urls);
    // A local file: requested_url = as_given, final_url = its file: URI, status 200, one `start` hop.
    // An unreadable file gives a Capture with failure `io`.
    [[nodiscard]] Capture capture_file(const std::filesystem::path& path, std::string_view as_given);

    // The first failure of the machinery itself (invalid options, the sink failing to store, libcurl
    // failing), if any. Captures made after it are incomplete; the caller should stop with this error.
    [[nodiscard]] const std::optional<Error>& error() const noexcept { return error_; }

private:
    struct Chain;
    void begin(Chain& chain);
    void request(Chain& chain, std::string url, HopVia via);
    void on_response(Chain& chain, FetchResponse response);
    void finish(Chain& chain, const Exchange* last, const std::optional<ExchangeSink::Stored>& stored);
    std::optional<ExchangeSink::Stored> store(const Exchange& exchange);
    void note_error(Error e);

    FetchOptions opts_;
    const RuleSet& rules_;
    ExchangeSink* sink_;
    const ReplaySource* replay_;
    const Clock& clock_;
    std::optional<Error> error_;
    ChallengeRules challenges_;
    // One fetcher for the Capturer's life: its connection cache and its hosts' politeness (waits, hosts
    // given up) carry over from the article to its links and sources.
    std::optional<Fetcher> fetcher_;
    std::map<std::string, Capture> memo_;  // by normalised URL as requested
    // Work of the current capture_urls call: requests waiting to be issued.
    struct Outgoing {
        std::size_t chain;
        FetchRequest request;
    };
    std::vector<Outgoing> outgoing_;
};

}  // namespace provcheck
