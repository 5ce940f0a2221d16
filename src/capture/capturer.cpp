#include "capture/capturer.hpp"

#include <fmt/format.h>

#include <functional>
#include <set>
#include <utility>
#include <vector>

#include "capture/charset.hpp"
#include "capture/html_redirect.hpp"
#include "capture/stored.hpp"
#include "core/fs.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"
#include "core/url.hpp"
#include "pdf/pdf.hpp"

namespace provcheck {

struct Capturer::Chain {
    std::size_t index = 0;
    std::string key;  // normalised start URL, the memo key ("" when the input is not a URL)
    Capture cap;
    std::string current_url;
    std::set<std::string> seen;             // normalised URLs requested so far
    std::set<std::string> shortener_asked;  // shortener hosts already asked with their own User-Agent
    // The cache entry the current request was made conditional on, if any.
    std::optional<CachedResponse> conditional_on;
    bool bypass_cache = false;  // the stored copy failed to read back: ask unconditionally
    bool done = false;
    struct Waiter {
        std::string url;  // as the caller gave it
        Completion done;
    };
    std::vector<Waiter> waiters;
};

namespace {

std::string normalized_or(std::string_view url) {
    return normalize_url(url).value_or(std::string(url));
}

std::string status_text(const Exchange& e) {
    return e.status_line.empty() ? fmt::format("HTTP {}", e.status) : e.status_line;
}

}  // namespace

Capturer::Capturer(FetchOptions opts, const RuleSet& rules, ExchangeSink* sink, const ReplaySource* replay,
                   const Clock& clock)
    : opts_(std::move(opts)), rules_(rules), sink_(sink), replay_(replay), clock_(clock) {
    if (auto v = validate_fetch_options(opts_); !v) note_error(v.error());
    auto challenges = parse_challenge_rules(rules_.table("challenges.toml"));
    if (challenges) {
        challenges_ = std::move(*challenges);
    } else {
        note_error(challenges.error());
    }
}

Capturer::~Capturer() = default;

void Capturer::note_error(Error e) {
    if (!error_) error_ = std::move(e);
}

std::optional<ExchangeSink::Stored> Capturer::store(const Exchange& exchange) {
    if (sink_ == nullptr) return std::nullopt;
    auto stored = sink_->store(exchange);
    if (!stored) {
        note_error(stored.error());
        return std::nullopt;
    }
    return std::move(*stored);
}

void Capturer::begin(Chain& chain) {
    const std::string& given = chain.cap.requested_url;
    auto stripped = strip_credentials(given);
    auto parts = stripped ? parse_url(*stripped) : std::nullopt;
    if (!parts || (parts->scheme != "http" && parts->scheme != "https")) {
        chain.cap.final_url = given;
        chain.cap.fetched_at = format_rfc3339(clock_.now());
        chain.cap.failure = CaptureFailure{FailureClass::unsupported_scheme,
                                           fmt::format("{}: not an http or https URL, not fetched", given)};
        chain.done = true;
        return;
    }
    request(chain, std::move(*stripped), HopVia::start);
}

void Capturer::set_stored_first(const std::map<std::string, std::string>& urls) {
    stored_first_.clear();
    for (const auto& [url, final_url] : urls) {
        stored_first_[normalized_or(url)] = final_url;
        if (!final_url.empty()) stored_first_.emplace(normalized_or(final_url), final_url);
    }
}

void Capturer::request(Chain& chain, std::string url, HopVia via) {
    // A stored article that was reached through a redirect is read from where it led, without asking the
    // redirect again.
    if (via == HopVia::start && cache_ != nullptr && replay_ == nullptr) {
        if (auto it = stored_first_.find(normalized_or(url)); it != stored_first_.end() && !it->second.empty() &&
                                                              it->second != url && !cache_->lookup(url) &&
                                                              cache_->lookup(it->second)) {
            url = it->second;
        }
    }
    chain.seen.insert(normalized_or(url));
    chain.current_url = url;
    chain.cap.chain.push_back(Hop{url, std::nullopt, via});
    chain.conditional_on.reset();
    if (cache_ != nullptr && replay_ == nullptr && !chain.bypass_cache) {
        if (auto entry = cache_->lookup(url)) {
            auto confirmed = parse_rfc3339(entry->validated_at);
            const bool stored_first = stored_first_.contains(normalized_or(url));
            if (stored_first || (max_age_ && confirmed && clock_.now() - *confirmed <= *max_age_)) {
                if (auto stored = cache_->load(*entry)) {
                    ready_.push_back(
                        [this, id = chain.index, entry = std::move(*entry), stored = std::move(*stored)]() mutable {
                            respond_fresh(id, entry, std::move(stored));
                        });
                    return;
                }
            } else if (!entry->etag.empty() || !entry->last_modified.empty()) {
                chain.conditional_on = std::move(*entry);
            }
        }
    }
    FetchRequest req{std::move(url), {}, {}};
    if (chain.conditional_on) {
        if (!chain.conditional_on->etag.empty()) req.headers.push_back("If-None-Match: " + chain.conditional_on->etag);
        if (!chain.conditional_on->last_modified.empty())
            req.headers.push_back("If-Modified-Since: " + chain.conditional_on->last_modified);
    }
    if (auto parts = parse_url(req.url)) {
        const Shortener* s = rules_.shortener_for_host(parts->host);
        // Shorteners answer a plain client with an HTTP redirect and a browser with a script page;
        // the redirect is the better record, so ask plainly once.
        if (s != nullptr && chain.shortener_asked.insert(parts->host).second) req.user_agent = s->user_agent;
    }
    // To the network at once, so that transfers start while further captures are still being submitted; a
    // replayed or failed request waits for dispatch(), whose answers must not come back inside this call.
    if (replay_ == nullptr && ensure_fetcher()) {
        send(std::move(req), chain.index);
        return;
    }
    outgoing_.push_back(Outgoing{chain.index, std::move(req)});
}

void Capturer::remember(const Exchange& ex, const ExchangeSink::Stored& stored) {
    if (cache_ == nullptr || replay_ != nullptr || ex.status < 200 || ex.status >= 300 || ex.truncated) return;
    CachedResponse entry;
    entry.url = normalized_or(ex.url);
    if (const auto* etag = find_header(ex.headers, "ETag")) entry.etag = *etag;
    if (const auto* modified = find_header(ex.headers, "Last-Modified")) entry.last_modified = *modified;
    entry.stored = stored.ref;
    entry.block_sha256 = stored.block_sha256;
    entry.payload_sha256 = stored.payload_sha256;
    entry.fetched_at = ex.fetched_at;
    entry.validated_at = ex.fetched_at;
    if (auto r = cache_->remember(entry); !r) note_error(r.error());
}

bool Capturer::revalidated(Chain& chain, const Exchange& not_modified) {
    CachedResponse entry = *chain.conditional_on;
    auto original = cache_->load(entry);
    if (!original) return false;
    if (sink_ != nullptr) {
        if (auto r = sink_->store_revisit(not_modified, entry); !r) {
            note_error(r.error());
        } else {
            entry.confirmed_by = r->ref;
        }
    }
    entry.validated_at = not_modified.fetched_at;
    if (auto r = cache_->remember(entry); !r) note_error(r.error());
    chain.cap.cache = CacheUse{CacheState::revalidated, not_modified.fetched_at};
    // The origin confirmed the stored response: it stands, with its own time, headers and bytes.
    Exchange stands = std::move(*original);
    stands.url = not_modified.url;
    advance(chain, stands, ExchangeSink::Stored{entry.stored, entry.block_sha256, entry.payload_sha256});
    return true;
}

void Capturer::respond_fresh(std::size_t chain_id, const CachedResponse& entry, Exchange stored) {
    auto it = chains_.find(chain_id);
    if (it == chains_.end()) return;
    Chain& chain = *it->second;
    chain.cap.chain.back().status = stored.status;
    chain.cap.cache = CacheUse{CacheState::fresh, entry.validated_at};
    stored.url = chain.current_url;
    advance(chain, stored, ExchangeSink::Stored{entry.stored, entry.block_sha256, entry.payload_sha256});
    if (chain.done) complete(chain_id);
}

namespace {

// A PDF served as "application/octet-stream" (as downloads often are): its first bytes say what it is.
bool untyped_pdf(const Exchange& ex) {
    if (media_type_of(ex.content_type) != "application/octet-stream" || !ex.spooled) return false;
    auto head = ex.spooled->read(0, 1024);
    return head && looks_like_pdf(*head);
}

}  // namespace

void Capturer::on_response(Chain& chain, FetchResponse response) {
    Exchange& ex = response.exchange;
    if (ex.status != 0) chain.cap.chain.back().status = ex.status;
    std::optional<ExchangeSink::Stored> stored;
    // A 304 to our conditional request is archived as a revisit of what it confirms (revalidated()).
    const bool not_modified = chain.conditional_on && ex.status == 304 && !response.failure;
    // A large body went to disk as it arrived. Text is read into memory (once, before it is archived), to be
    // followed, classified and aligned; anything else is archived from disk and goes with its spool file.
    if (ex.spooled && (may_hold_text(media_type_of(ex.content_type)) || untyped_pdf(ex))) {
        if (auto loaded = load_spooled_body(ex); !loaded && !response.failure) {
            response.failure = CaptureFailure{FailureClass::io, loaded.error().message};
        }
    }
    if (ex.status != 0 && !not_modified) stored = store(ex);
    if (response.failure) {
        chain.cap.failure = std::move(response.failure);
        finish(chain, &ex, stored);
        return;
    }
    if (not_modified) {
        if (revalidated(chain, ex)) return;
        // The stored copy is gone or damaged: keep the 304 as it came, and ask again unconditionally.
        static_cast<void>(store(ex));
        chain.bypass_cache = true;
        std::string url = chain.current_url;
        const HopVia via = chain.cap.chain.back().via;
        chain.cap.chain.pop_back();
        chain.seen.erase(normalized_or(url));
        request(chain, std::move(url), via);
        return;
    }
    chain.cap.cache.reset();
    if (stored) remember(ex, *stored);
    advance(chain, ex, stored);
}

void Capturer::advance(Chain& chain, const Exchange& ex, const std::optional<ExchangeSink::Stored>& stored) {
    std::optional<std::pair<std::string, HopVia>> next;
    if (ex.status >= 300 && ex.status < 400 && ex.status != 304) {
        if (const auto* location = find_header(ex.headers, "Location")) next.emplace(*location, HopVia::http);
    }
    if (!next) {
        if (const auto* refresh = find_header(ex.headers, "Refresh")) {
            if (auto target = parse_refresh(*refresh)) next.emplace(std::move(*target), HopVia::refresh_header);
        }
    }
    if (!next && ex.status >= 200 && ex.status < 300 && !ex.truncated && is_html(ex.content_type, ex.body)) {
        if (auto redirect = find_client_redirect(ex.body)) next.emplace(std::move(redirect->target), redirect->via);
    }
    if (!next) {
        finish(chain, &ex, stored);
        return;
    }

    auto target = resolve_url(chain.current_url, next->first);
    auto parts = target ? parse_url(*target) : std::nullopt;
    if (!parts) {
        chain.cap.failure = CaptureFailure{
            FailureClass::unsupported_scheme,
            fmt::format("{} redirects to \"{}\", which is not a URL; not followed", chain.current_url, next->first)};
    } else if (parts->scheme != "http" && parts->scheme != "https") {
        chain.cap.failure = CaptureFailure{
            FailureClass::unsupported_scheme,
            fmt::format("{} redirects to {}: only http and https are followed", chain.current_url, *target)};
    } else {
        std::string url = strip_credentials(*target).value_or(*target);
        const std::size_t redirects = chain.cap.chain.size() - 1;
        if (chain.seen.contains(normalized_or(url))) {
            chain.cap.failure = CaptureFailure{FailureClass::too_many_redirects,
                                               fmt::format("redirect loop: {} leads back to {} after {} redirects",
                                                           chain.current_url, url, redirects)};
        } else if (redirects >= static_cast<std::size_t>(opts_.max_redirs)) {
            chain.cap.failure =
                CaptureFailure{FailureClass::too_many_redirects,
                               fmt::format("more than {} redirects: stopped at {}, which redirects to {}",
                                           opts_.max_redirs, chain.current_url, url)};
        } else {
            request(chain, std::move(url), next->second);
            return;
        }
    }
    finish(chain, &ex, stored);
}

void Capturer::finish(Chain& chain, const Exchange* last, const std::optional<ExchangeSink::Stored>& stored) {
    Capture& c = chain.cap;
    c.final_url = chain.current_url;
    if (last != nullptr) {
        c.status = last->status;
        c.headers = last->headers;
        c.content_type = media_type_of(last->content_type);
        c.fetched_at = last->fetched_at;
        c.remote_ip = last->remote_ip;
        c.body = last->body;
        c.truncated = last->truncated;
    }
    if (c.fetched_at.empty()) c.fetched_at = format_rfc3339(clock_.now());
    if (stored) {
        c.payload_sha256 = stored->payload_sha256;
    } else if (last != nullptr && last->spooled) {
        auto digest = payload_sha256_hex(*last);
        if (digest) {
            c.payload_sha256 = std::move(*digest);
        } else if (!c.failure) {
            c.failure = CaptureFailure{FailureClass::io, digest.error().message};
        }
    } else {
        c.payload_sha256 = sha256_hex(c.body);
    }
    if (stored) {
        c.block_sha256 = stored->block_sha256;
        c.stored = stored->ref;
    }
    c.from_replay = replay_ != nullptr;
    decode_capture_body(c, last != nullptr ? last->content_type : std::string_view{});

    if (!c.failure && last != nullptr && c.status != 0) {
        if (auto wall = detect_challenge(challenges_, c.status, c.headers, c.body)) {
            c.failure =
                CaptureFailure{FailureClass::bot_challenge,
                               fmt::format("{}: bot challenge page ({}, {})", c.final_url, *wall, status_text(*last))};
        } else if (c.status == 429) {
            c.failure =
                CaptureFailure{FailureClass::rate_limited, fmt::format("{}: {}", c.final_url, status_text(*last))};
        } else if (c.status >= 400 && c.status < 500) {
            c.failure = CaptureFailure{FailureClass::http_4xx, fmt::format("{}: {}", c.final_url, status_text(*last))};
        } else if (c.status >= 500 && c.status < 600) {
            c.failure = CaptureFailure{FailureClass::http_5xx, fmt::format("{}: {}", c.final_url, status_text(*last))};
        }
    }
    if (!c.failure && c.status >= 200 && c.status < 300 && is_html(c.content_type, c.body)) {
        if (auto canonical = find_canonical(c.body)) {
            auto resolved = resolve_url(c.final_url, *canonical);
            auto parts = resolved ? parse_url(*resolved) : std::nullopt;
            if (parts && (parts->scheme == "http" || parts->scheme == "https") &&
                normalized_or(*resolved) != normalized_or(c.final_url)) {
                c.chain.push_back(Hop{*resolved, std::nullopt, HopVia::canonical});
            }
        }
    }
    chain.done = true;
}

void Capturer::fail_unfinished(Chain& chain) {
    chain.cap.final_url = chain.current_url.empty() ? chain.cap.requested_url : chain.current_url;
    chain.cap.fetched_at = format_rfc3339(clock_.now());
    chain.cap.failure = CaptureFailure{FailureClass::connect,
                                       fmt::format("not fetched: {}", error_ ? error_->message : "transfer aborted")};
    chain.done = true;
}

void Capturer::complete(std::size_t chain_id) {
    auto node = chains_.extract(chain_id);
    if (node.empty()) return;
    Chain& chain = *node.mapped();
    if (!chain.key.empty()) {
        active_.erase(chain.key);
    }
    // A failure may quote what the server sent (a Location that is no URL, a status line): reports and records
    // take only UTF-8.
    if (chain.cap.failure) chain.cap.failure->message = sanitize_utf8(chain.cap.failure->message);
    for (auto& w : chain.waiters) {
        Capture c = chain.cap;
        c.requested_url = std::move(w.url);
        ready_.push_back([done = std::move(w.done), c = std::move(c)]() mutable { done(std::move(c)); });
    }
    if (!chain.key.empty() && !error_) {
        Memo memo{std::move(chain.cap), false};
        // A run remembers every URL it fetched; of the headers, a later delivery needs only the Content-Type, to
        // decode a body read back (the waiters above had them all).
        std::erase_if(memo.capture.headers, [](const Header& h) { return !iequals(h.name, "Content-Type"); });
        memo.capture.headers.shrink_to_fit();
        // The bodies kept for asking again are bounded; past the bound a stored body is read back instead.
        if (loader_ && memo.capture.stored && memo_bytes_ + memo.capture.body.size() > memo_keep_bytes_) {
            free_string(memo.capture.body);
            memo.released = true;
        }
        if (auto old = memo_.find(chain.key); old != memo_.end()) memo_bytes_ -= old->second.capture.body.size();
        memo_bytes_ += memo.capture.body.size();
        memo_.insert_or_assign(chain.key, std::move(memo));
    }
}

void Capturer::deliver_memo(const std::string& key, std::string url, Completion done) {
    Capture c = memo_.at(key).capture;
    c.requested_url = std::move(url);
    if (memo_.at(key).released && may_hold_text(c.content_type)) {
        auto body = loader_ ? loader_(c) : fail(ErrorCode::internal, "no loader");
        if (body) {
            c.body = std::move(*body);
            const std::string* content_type = find_header(c.headers, "Content-Type");
            decode_capture_body(c, content_type != nullptr ? std::string_view(*content_type) : std::string_view{});
        } else {
            c.failure = CaptureFailure{FailureClass::io, fmt::format("{}: captured earlier in this run, but its "
                                                                     "body could not be read back: {}",
                                                                     c.final_url, body.error().message)};
        }
    }
    done(std::move(c));
}

void Capturer::set_cache(ResponseCache* cache, std::optional<std::chrono::seconds> max_age) {
    cache_ = cache;
    max_age_ = max_age;
}

Result<void> Capturer::sync_archive() {
    if (sink_ != nullptr) {
        if (auto r = sink_->sync(); !r) return r;
    }
    // Cache entries name archive records: they are kept only once those are durable.
    if (cache_ != nullptr) return cache_->flush();
    return {};
}

void Capturer::set_body_loader(BodyLoader loader, std::uint64_t keep_bytes) {
    loader_ = std::move(loader);
    memo_keep_bytes_ = keep_bytes;
}

void Capturer::release(std::string_view url) {
    auto stripped = strip_credentials(url);
    if (!stripped || !loader_) return;
    auto m = memo_.find(normalized_or(*stripped));
    if (m == memo_.end() || m->second.released || !m->second.capture.stored) return;
    memo_bytes_ -= m->second.capture.body.size();
    free_string(m->second.capture.body);
    m->second.released = true;
}

void Capturer::submit(std::string url, Completion done) {
    auto stripped = strip_credentials(url);
    std::string key = stripped ? normalized_or(*stripped) : std::string{};
    if (!key.empty()) {
        if (memo_.contains(key)) {
            ready_.push_back([this, key, url = std::move(url), done = std::move(done)]() mutable {
                deliver_memo(key, std::move(url), std::move(done));
            });
            return;
        }
        if (auto a = active_.find(key); a != active_.end()) {
            chains_.at(a->second)->waiters.push_back({std::move(url), std::move(done)});
            return;
        }
    }
    const std::size_t id = next_chain_++;
    Chain& chain = *chains_.emplace(id, std::make_unique<Chain>()).first->second;
    chain.index = id;
    chain.key = key;
    chain.cap.requested_url = url;
    chain.waiters.push_back({std::move(url), std::move(done)});
    if (!key.empty()) active_.emplace(key, id);
    if (error_) {
        fail_unfinished(chain);
    } else {
        begin(chain);
    }
    if (chain.done) complete(id);
}

void Capturer::respond(std::size_t chain_id, FetchResponse response) {
    auto it = chains_.find(chain_id);
    if (it == chains_.end()) return;
    on_response(*it->second, std::move(response));
    if (it->second->done) complete(chain_id);
}

bool Capturer::ensure_fetcher() {
    if (!fetcher_ && !error_) {
        auto created = FetchThread::start(opts_, clock_);
        if (created) {
            fetcher_ = std::move(*created);
        } else {
            note_error(created.error());
        }
    }
    return fetcher_ && !error_;
}

void Capturer::send(FetchRequest request, std::size_t chain_id) {
    in_fetcher_ += 1;
    fetcher_->submit(std::move(request), chain_id);
}

std::uint64_t Capturer::max_filesize_for(std::string_view url) const {
    HostLimits defaults;
    defaults.max_filesize = opts_.max_filesize;
    const auto parts = parse_url(url);
    if (!parts) return opts_.max_filesize;
    return limits_for_host(parts->host, defaults, opts_.hosts).max_filesize;
}

void Capturer::dispatch() {
    while (!outgoing_.empty()) {
        auto batch = std::exchange(outgoing_, {});
        for (auto& o : batch) {
            if (replay_ != nullptr) {
                // Replay: every hop is answered from the archive, in the same order a network run would take.
                // The body is cut at the same --max-filesize (per host where set) as a live fetch cuts it.
                FetchResponse r;
                auto found = replay_->find(o.request.url, max_filesize_for(o.request.url));
                if (found && *found) {
                    r.exchange = std::move(**found);
                } else if (found) {
                    r.exchange.url = o.request.url;
                    r.failure = CaptureFailure{FailureClass::replay_missing,
                                               fmt::format("{} is not in the replay archive", o.request.url)};
                } else {
                    r.exchange.url = o.request.url;
                    r.failure = CaptureFailure{FailureClass::io, found.error().message};
                }
                respond(o.chain, std::move(r));
                continue;
            }
            if (!ensure_fetcher()) {
                if (auto it = chains_.find(o.chain); it != chains_.end()) {
                    fail_unfinished(*it->second);
                    complete(o.chain);
                }
                continue;
            }
            send(std::move(o.request), o.chain);
        }
    }
}

void Capturer::drain() {
    while (!ready_.empty() || !outgoing_.empty()) {
        while (!ready_.empty()) {
            auto next = std::move(ready_.front());
            ready_.pop_front();
            next();
        }
        dispatch();
    }
}

Result<void> Capturer::run() {
    if (running_) return fail(ErrorCode::internal, "Capturer::run called from a capture's completion");
    running_ = true;
    while (true) {
        // What the last capture's completion asked for goes out while the other transfers run.
        drain();
        if (in_fetcher_ == 0 || !fetcher_) break;
        auto next = fetcher_->next();
        if (next) {
            in_fetcher_ -= 1;
            respond(static_cast<std::size_t>(next->first), std::move(next->second));
            continue;
        }
        note_error(next.error());
        // The fetcher stopped with transfers outstanding: each of their chains ends failed.
        in_fetcher_ = 0;
        std::vector<std::size_t> open;
        for (const auto& [id, chain] : chains_)
            open.push_back(id);
        for (std::size_t id : open) {
            fail_unfinished(*chains_.at(id));
            complete(id);
        }
    }
    // The fetch thread's last word (its final progress report) comes before run() returns.
    if (fetcher_) fetcher_->wait_idle();
    running_ = false;
    if (error_) return std::unexpected(*error_);
    return {};
}

std::vector<Capture> Capturer::capture_urls(const std::vector<std::string>& urls) {
    std::vector<Capture> out(urls.size());
    for (std::size_t i = 0; i < urls.size(); ++i)
        submit(urls[i], [&out, i](Capture c) { out[i] = std::move(c); });
    // A failure of the machinery is kept in error() and shows in the captures themselves.
    static_cast<void>(run());
    return out;
}

Capture Capturer::capture_file(const std::filesystem::path& path, std::string_view as_given,
                               const EarlyCopy& before_storing) {
    Capture c;
    c.requested_url = std::string(as_given);
    c.final_url = file_uri(path.string());
    c.fetched_at = format_rfc3339(clock_.now());
    // The same cap as a body from the network, and only a regular file: a device, pipe or directory is refused
    // by name, never read (think of /dev/zero).
    auto head = read_file_head(path, opts_.max_filesize);
    if (!head) {
        c.chain.push_back(Hop{c.final_url, std::nullopt, HopVia::start});
        c.failure = CaptureFailure{FailureClass::io, head.error().message};
        return c;
    }
    std::optional<std::string> truncated;
    if (head->truncated) truncated = "length";
    const std::string ext = to_lower_ascii(path.extension().string());
    Exchange ex;
    // Archived under the name the checker gave, never the file's path on this machine: the archive leaves it.
    ex.url = local_input_uri(as_given, local_input_outside(as_given) ? sha256_hex(head->bytes) : std::string());
    ex.is_resource = true;
    ex.status = 200;
    ex.content_type = ext == ".html" || ext == ".htm"      ? "text/html"
                      : ext == ".pdf"                      ? "application/pdf"
                      : ext == ".txt"                      ? "text/plain"
                      : ext == ".md" || ext == ".markdown" ? "text/markdown"
                                                           : "application/octet-stream";
    ex.body = std::move(head->bytes);
    ex.fetched_at = c.fetched_at;
    ex.truncated = truncated;
    c.truncated = truncated;
    c.chain.push_back(Hop{c.final_url, 200, HopVia::start});
    c.status = 200;
    c.content_type = ex.content_type;
    // Only when the bytes are archived: without a sink there is nothing to do meanwhile.
    const bool early = before_storing && sink_ != nullptr;
    if (early) {
        Capture copy = c;
        copy.body = ex.body;
        decode_capture_body(copy, copy.content_type);
        c.charset = copy.charset;
        before_storing(std::move(copy));
        ex.shares_cores = true;
    }
    auto stored = store(ex);
    c.body = std::move(ex.body);
    c.payload_sha256 = stored ? stored->payload_sha256 : sha256_hex(c.body);
    if (stored) {
        c.block_sha256 = stored->block_sha256;
        c.stored = stored->ref;
    }
    if (early) {
        free_string(c.body);  // the copy has it, decoded
    } else {
        decode_capture_body(c, c.content_type);
    }
    return c;
}

}  // namespace provcheck
