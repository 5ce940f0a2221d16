#include "net/fetcher.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fmt/format.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <map>
#include <random>
#include <unordered_map>
#include <utility>

#include "core/memo.hpp"
#include "core/spool.hpp"
#include "core/text.hpp"
#include "net/address.hpp"
#include "net/curl_handles.hpp"
#include "net/fetch_detail.hpp"
#include "net/politeness.hpp"

namespace provcheck {

namespace {

using detail::EasyHandle;
using detail::MultiHandle;
using detail::Slist;
using detail::UrlHandle;

using SteadyClock = std::chrono::steady_clock;

bool global_init_ok() {
    static const bool ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    return ok;
}

std::string host_of(std::string_view url) {
    UrlHandle u(curl_url());
    if (!u) return {};
    std::string s(url);
    if (curl_url_set(u.get(), CURLUPART_URL, s.c_str(), 0) != CURLUE_OK) return {};
    char* host = nullptr;
    if (curl_url_get(u.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK || host == nullptr) return {};
    std::string out = to_lower_ascii(host);
    curl_free(host);
    return out;
}

using JobId = HostQueue::JobId;

// A request and its completion, alive from submit() until it is answered, across its retries.
struct Job {
    FetchRequest request;
    Fetcher::Completion done;
    std::string host;
    int attempt = 0;         // attempts started so far
    std::string gate_token;  // the fleet-wide slot the attempt in flight holds (FetchOptions::gate)
};

// One attempt in flight.
struct Transfer {
    EasyHandle easy;
    std::array<char, CURL_ERROR_SIZE> error{};
    Slist request_headers;
    JobId job = 0;
    Exchange exchange;
    std::uint64_t cap = 0;
    bool cut_at_cap = false;
    std::size_t spool_above = 0;
    const std::filesystem::path* spool_dir = nullptr;
    std::shared_ptr<SpoolFile> spool;  // the body once it outgrew spool_above
    std::optional<Error> spool_error;  // the spool could not be made or written: the transfer stops
    bool allow_private = false;
    std::string refused;  // "127.0.0.1 (loopback)" when the safety check refused an address
};

// Appends to the body in memory until it would outgrow spool_above, then moves it to a spool file and appends
// there. Returning less than `len` makes curl stop the transfer with CURLE_WRITE_ERROR.
std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t len = size * n;
    const std::uint64_t have = t->spool ? t->spool->size() : t->exchange.body.size();
    const std::uint64_t room = t->cap > have ? t->cap - have : 0;
    const std::size_t take = len > room ? static_cast<std::size_t>(room) : len;
    if (!t->spool && t->exchange.body.size() + take > t->spool_above) {
        auto spool = SpoolFile::create(*t->spool_dir);
        if (!spool) {
            t->spool_error = spool.error();
            return 0;
        }
        t->spool = std::move(*spool);
        if (auto ok = t->spool->append(t->exchange.body); !ok) {
            t->spool_error = ok.error();
            return 0;
        }
        free_string(t->exchange.body);
    }
    if (t->spool) {
        if (auto ok = t->spool->append(std::string_view(data, take)); !ok) {
            t->spool_error = ok.error();
            return 0;
        }
    } else {
        t->exchange.body.append(data, take);
    }
    if (take < len) {
        t->cut_at_cap = true;
        return 0;
    }
    return len;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t len = size * n;
    std::string_view line(data, len);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
        line.remove_suffix(1);
    if (line.starts_with("HTTP/")) {
        // A new response (after 1xx): only the last one is kept.
        t->exchange.status_line = std::string(line);
        t->exchange.headers.clear();
    } else if (!line.empty()) {
        auto colon = line.find(':');
        if (colon != std::string_view::npos) {
            t->exchange.headers.push_back(
                Header{std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
        } else if (!t->exchange.headers.empty() && (line.front() == ' ' || line.front() == '\t')) {
            t->exchange.headers.back().value += " " + std::string(trim(line));  // obsolete line folding
        }
    }
    return len;
}

int on_debug(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
    if (type == CURLINFO_HEADER_OUT) static_cast<Transfer*>(user)->exchange.request_head.append(data, size);
    return 0;
}

std::string address_text(const curl_sockaddr& address) {
    sockaddr_storage ss{};
    std::memcpy(&ss, &address.addr, std::min<std::size_t>(address.addrlen, sizeof ss));
    std::array<char, 64> buf{};
    if (address.family == AF_INET) {
        sockaddr_in sin{};
        std::memcpy(&sin, &ss, sizeof sin);
        if (inet_ntop(AF_INET, &sin.sin_addr, buf.data(), buf.size()) != nullptr) return buf.data();
    } else if (address.family == AF_INET6) {
        sockaddr_in6 sin6{};
        std::memcpy(&sin6, &ss, sizeof sin6);
        if (inet_ntop(AF_INET6, &sin6.sin6_addr, buf.data(), buf.size()) != nullptr) return buf.data();
    }
    return {};
}

curl_socket_t on_open_socket(void* user, curlsocktype purpose, curl_sockaddr* address) {
    auto* t = static_cast<Transfer*>(user);
    if (purpose != CURLSOCKTYPE_IPCXN || address == nullptr) return CURL_SOCKET_BAD;
    const std::string ip = address_text(*address);
    const auto kind = classify_address(ip);
    if (!kind) {
        t->refused = fmt::format("an address of family {}", address->family);
        return CURL_SOCKET_BAD;
    }
    if (!address_allowed(*kind, t->allow_private)) {
        t->refused = fmt::format("{} ({} address)", ip, to_string(*kind));
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

}  // namespace

namespace {
std::optional<std::string> strip_credentials_uncached(std::string_view url) {
    UrlHandle u(curl_url());
    if (!u) return std::nullopt;
    std::string s(trim(url));
    if (curl_url_set(u.get(), CURLUPART_URL, s.c_str(), CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE) != CURLUE_OK) {
        return std::nullopt;
    }
    curl_url_set(u.get(), CURLUPART_USER, nullptr, 0);
    curl_url_set(u.get(), CURLUPART_PASSWORD, nullptr, 0);
    curl_url_set(u.get(), CURLUPART_OPTIONS, nullptr, 0);
    char* out = nullptr;
    if (curl_url_get(u.get(), CURLUPART_URL, &out, 0) != CURLUE_OK || out == nullptr) return std::nullopt;
    std::string result(out);
    curl_free(out);
    return result;
}
}  // namespace

std::optional<std::string> strip_credentials(std::string_view url) {
    thread_local StringMemo<std::optional<std::string>> memo;
    return memo.get(url, strip_credentials_uncached);
}

struct Fetcher::Impl {
    FetchOptions opts;
    const Clock* clock = nullptr;
    std::filesystem::path spool_dir;  // opts.spool_dir, or the system's temporary directory
    MultiHandle multi;
    Slist connect_to;
    std::minstd_rand random{std::random_device{}()};
    JobId next_job = 1;
    std::unordered_map<JobId, Job> jobs;
    // Hosts in order of first appearance; `cursor` rotates where each round of starts begins, so that
    // no host is favoured when the overall limit is the one that binds.
    std::map<std::string, HostQueue> hosts;
    std::vector<HostQueue*> host_order;
    std::size_t cursor = 0;
    // Hosts the fleet-wide gate (FetchOptions::gate) refused a slot, until when it asked us to wait.
    std::unordered_map<const HostQueue*, SteadyClock::time_point> gate_until;
    // Answers decided outside a transfer (a refused literal address, a given-up host), delivered at the
    // top of the next round rather than where they were decided, whose caller may be iterating.
    std::vector<std::pair<Completion, FetchResponse>> answers;
    std::unordered_map<CURL*, std::unique_ptr<Transfer>> running;
    FetchProgress progress;
    SteadyClock::time_point last_progress{};
    Fetcher::Hooks hooks;

    ~Impl() {
        for (auto& [easy, t] : running) {
            curl_multi_remove_handle(multi.get(), easy);
            // A slot of the fleet's is given back rather than left to run out.
            const auto job = jobs.find(t->job);
            if (opts.gate && job != jobs.end() && !job->second.gate_token.empty())
                opts.gate->give(job->second.gate_token);
        }
        running.clear();
    }

    HostQueue& host(const std::string& name) {
        auto it = hosts.find(name);
        if (it != hosts.end()) return it->second;
        HostLimits defaults{opts.host_parallel_max,  std::chrono::milliseconds(opts.host_interval_ms),
                            opts.host_failure_limit, opts.retries,
                            opts.timeout_s,          {},
                            opts.max_filesize,       opts.speed_limit,
                            opts.speed_time_s};
        it = hosts.try_emplace(name, name, limits_for_host(name, defaults, opts.hosts)).first;
        host_order.push_back(&it->second);
        return it->second;
    }

    [[nodiscard]] RetryPolicy retry_policy(const HostLimits& limits) const {
        return RetryPolicy{limits.retries, std::chrono::milliseconds(opts.retry_base_ms),
                           std::chrono::milliseconds(limits.timeout_s * 1000)};
    }

    double unit_random() { return std::uniform_real_distribution<double>(0.0, 1.0)(random); }

    // Starts what the limits allow; returns when a waiting job may start, if one waits on time.
    // A free slot goes to the ready host with the most work left: every host's queue then drains at its
    // own limit's pace and they all end together, instead of a few long queues running on alone at the end.
    Result<std::optional<SteadyClock::time_point>> top_up() {
        std::optional<SteadyClock::time_point> wake;
        const auto now = SteadyClock::now();
        const std::size_t n = host_order.size();
        // When the first host the fleet-wide gate refused may be asked again.
        std::optional<SteadyClock::time_point> gate_wake;
        while (running.size() < static_cast<std::size_t>(opts.parallel_max) &&
               (!hooks.may_start || hooks.may_start(running.size()))) {
            HostQueue* best = nullptr;
            JobId best_job = 0;
            wake.reset();
            for (std::size_t k = 0; k < n; ++k) {
                HostQueue& h = *host_order[(cursor + k) % n];
                if (h.waiting() == 0) continue;
                if (const auto g = gate_until.find(&h); g != gate_until.end()) {
                    if (g->second > now) {
                        gate_wake = gate_wake ? std::min(*gate_wake, g->second) : g->second;
                        continue;
                    }
                    gate_until.erase(g);
                }
                auto next = h.next(now);
                if (!next.job) {
                    if (next.wake_at) wake = wake ? std::min(*wake, *next.wake_at) : *next.wake_at;
                    continue;
                }
                if (best == nullptr || h.waiting() > best->waiting()) {
                    best = &h;
                    best_job = *next.job;
                }
            }
            if (best == nullptr) break;
            if (opts.gate) {
                auto grant = opts.gate->take(best->name(), best->limits());
                if (!grant.error.empty()) {
                    // Without the fleet's politeness nothing goes to the host: its requests fail, saying why.
                    best->give_up(FailureClass::connect, grant.error);
                    answer_given_up(*best);
                    continue;
                }
                if (grant.token.empty()) {
                    const auto at = now + std::max(grant.wait, std::chrono::milliseconds(1));
                    gate_until[best] = at;
                    gate_wake = gate_wake ? std::min(*gate_wake, at) : at;
                    continue;
                }
                jobs.at(best_job).gate_token = std::move(grant.token);
            }
            best->started(best_job, now);
            cursor = n > 0 ? (cursor + 1) % n : 0;
            if (auto r = start(best_job); !r) return std::unexpected(r.error());
        }
        if (gate_wake) wake = wake ? std::min(*wake, *gate_wake) : *gate_wake;
        return wake;
    }

    Result<void> start(JobId id) {
        Job& job = jobs.at(id);
        job.attempt += 1;
        const HostLimits& limits = host(job.host).limits();
        auto t = std::make_unique<Transfer>();
        t->job = id;
        t->cap = limits.max_filesize;
        t->spool_above = opts.spool_above;
        t->spool_dir = &spool_dir;
        t->allow_private = opts.allow_private_addresses;
        auto url = strip_credentials(job.request.url);
        t->exchange.url = url.value_or(job.request.url);
        t->easy.reset(curl_easy_init());
        if (!t->easy) return fail(ErrorCode::network, "curl_easy_init failed");
        CURL* e = t->easy.get();
        const std::string& ua = !job.request.user_agent.empty() ? job.request.user_agent
                                : !limits.user_agent.empty()    ? limits.user_agent
                                                                : opts.user_agent;
        curl_slist* headers =
            curl_slist_append(nullptr, "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        if (headers == nullptr) return fail(ErrorCode::network, "out of memory building request headers");
        t->request_headers.reset(headers);
        for (const std::string& h : job.request.headers) {
            // Appending to a non-empty list returns its unchanged head, or null (the list left intact).
            if (curl_slist_append(t->request_headers.get(), h.c_str()) == nullptr)
                return fail(ErrorCode::network, "out of memory building request headers");
        }

        bool ok = true;
        auto set = [&](CURLoption opt, auto value) { ok = ok && curl_easy_setopt(e, opt, value) == CURLE_OK; };
        set(CURLOPT_URL, t->exchange.url.c_str());
        set(CURLOPT_PRIVATE, static_cast<void*>(t.get()));
        set(CURLOPT_ERRORBUFFER, t->error.data());
        set(CURLOPT_PROTOCOLS_STR, "http,https");
        set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        set(CURLOPT_FOLLOWLOCATION, 0L);
        set(CURLOPT_PROXY, "");  // never a proxy from the environment
        set(CURLOPT_NOSIGNAL, 1L);
        set(CURLOPT_USERAGENT, ua.c_str());
        set(CURLOPT_HTTPHEADER, t->request_headers.get());
        set(CURLOPT_ACCEPT_ENCODING, "");
        set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
        set(CURLOPT_TIMEOUT, limits.timeout_s);
        set(CURLOPT_LOW_SPEED_LIMIT, limits.speed_limit);
        set(CURLOPT_LOW_SPEED_TIME, limits.speed_time_s);
        // Bodies arrive in pieces of up to 128 KiB, as curl's own tool reads them: fewer calls and writes to the
        // spool file per body than libcurl's default 16 KiB.
        set(CURLOPT_BUFFERSIZE, 128L * 1024);
        set(CURLOPT_WRITEFUNCTION, &on_body);
        set(CURLOPT_WRITEDATA, static_cast<void*>(t.get()));
        set(CURLOPT_HEADERFUNCTION, &on_header);
        set(CURLOPT_HEADERDATA, static_cast<void*>(t.get()));
        set(CURLOPT_DEBUGFUNCTION, &on_debug);
        set(CURLOPT_DEBUGDATA, static_cast<void*>(t.get()));
        set(CURLOPT_VERBOSE, 1L);  // needed for the debug callback that records the request head
        set(CURLOPT_OPENSOCKETFUNCTION, &on_open_socket);
        set(CURLOPT_OPENSOCKETDATA, static_cast<void*>(t.get()));
        if (connect_to) set(CURLOPT_CONNECT_TO, connect_to.get());
        if (opts.cacert) set(CURLOPT_CAINFO, opts.cacert->c_str());
        if (!ok) return fail(ErrorCode::network, fmt::format("cannot set up a transfer for {}", t->exchange.url));
        if (curl_multi_add_handle(multi.get(), e) != CURLM_OK) {
            return fail(ErrorCode::network, "curl_multi_add_handle failed");
        }
        running.emplace(e, std::move(t));
        return {};
    }

    // The response of a finished attempt, as the completion would see it, and what it means for retrying.
    FetchResponse response_of(CURL* easy, CURLcode code, Transfer& t, AttemptOutcome& outcome) const {
        FetchResponse r;
        r.exchange = std::move(t.exchange);
        r.exchange.spooled = std::move(t.spool);
        long status = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        r.exchange.status = static_cast<int>(status);
        char* ip = nullptr;
        if (curl_easy_getinfo(easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != nullptr) r.exchange.remote_ip = ip;
        if (const auto* ct = find_header(r.exchange.headers, "Content-Type")) r.exchange.content_type = *ct;
        r.exchange.fetched_at = format_rfc3339(clock->now());
        outcome.status = r.exchange.status;

        const bool has_body = body_size(r.exchange) > 0;
        if (code == CURLE_WRITE_ERROR && t.spool_error) {
            // The body could not be kept (a full disk): not the source's fault, and no capture to trust.
            r.failure = CaptureFailure{FailureClass::io, t.spool_error->message};
            outcome.failure = FailureClass::io;
        } else if (code == CURLE_WRITE_ERROR && t.cut_at_cap) {
            r.exchange.truncated = "length";
        } else if (code == CURLE_OPERATION_TIMEDOUT && status != 0 && has_body) {
            // A response that began but crawled or ran past the deadline: keep what came, say why it stops.
            r.exchange.truncated = "time";
        } else if (code != CURLE_OK) {
            auto failed = detail::transfer_failure(code, t.refused, t.error.data());
            if (failed.disconnected) {
                if (has_body) r.exchange.truncated = "disconnect";
            }
            outcome.failure = failed.failure.cls;
            outcome.transient_transport = failed.transient_transport;
            r.failure = std::move(failed.failure);
        }
        if (!r.failure && (status == 429 || status == 503)) {
            if (const auto* ra = find_header(r.exchange.headers, "Retry-After")) {
                outcome.retry_after = parse_retry_after(*ra, clock->now());
            }
        }
        return r;
    }

    void finish(CURL* easy, CURLcode code) {
        auto node = running.extract(easy);
        if (node.empty()) return;
        std::unique_ptr<Transfer> t = std::move(node.mapped());
        curl_multi_remove_handle(multi.get(), easy);
        const JobId id = t->job;
        Job& job = jobs.at(id);
        HostQueue& h = host(job.host);
        h.attempt_ended();
        // The fleet's slot goes back once a Retry-After or back-off is in place for every worker, and before the
        // response is handed on; this process may ask for the host at once again.
        gate_until.erase(&h);
        auto give_back = [this, &job] {
            if (!job.gate_token.empty()) opts.gate->give(job.gate_token);
            job.gate_token.clear();
        };

        AttemptOutcome outcome;
        FetchResponse r = response_of(easy, code, *t, outcome);
        t.reset();
        const auto now = SteadyClock::now();
        if (!h.given_up()) {
            const RetryDecision d = decide_retry(outcome, job.attempt, retry_policy(h.limits()), unit_random());
            if (d.retry) {
                if (opts.on_retry) {
                    const std::string why = r.failure
                                                ? fmt::format("{}: {}", to_string(r.failure->cls), r.failure->message)
                                                : fmt::format("HTTP {}", r.exchange.status);
                    opts.on_retry(fmt::format(
                        "retry {} in {} ms (attempt {} of {}): {}{}", job.request.url, d.delay.count(), job.attempt + 1,
                        retry_policy(h.limits()).retries + 1, why,
                        outcome.retry_after ? fmt::format(", Retry-After {} ms", outcome.retry_after->count()) : ""));
                }
                h.defer_until(now + d.delay);
                if (opts.gate) opts.gate->defer(job.host, d.delay);
                give_back();
                h.add_retry(id, now + d.delay);
                return;
            }
        }
        r.attempts = job.attempt;
        const std::string description =
            r.failure
                ? r.failure->message
                : (r.exchange.status_line.empty() ? fmt::format("HTTP {}", r.exchange.status) : r.exchange.status_line);
        bool gave_up = h.request_finished(outcome, fmt::format("{}: {}", r.exchange.url, description));
        if (outcome.failure == FailureClass::dns && !h.given_up()) {
            // A name that does not resolve fails for every path of it.
            h.give_up(FailureClass::dns, fmt::format("{} does not resolve ({})", job.host, description));
            gave_up = true;
        }
        if (gave_up) answer_given_up(h);
        give_back();
        count(r);
        auto done = std::move(job.done);
        jobs.erase(id);
        done(std::move(r));
    }

    void answer_given_up(HostQueue& h) {
        for (JobId waiting : h.take_waiting()) {
            auto it = jobs.find(waiting);
            if (it == jobs.end()) continue;
            FetchResponse r;
            r.exchange.url = strip_credentials(it->second.request.url).value_or(it->second.request.url);
            r.exchange.fetched_at = format_rfc3339(clock->now());
            r.attempts = it->second.attempt;
            r.failure =
                CaptureFailure{h.give_up_class().value_or(FailureClass::connect),
                               fmt::format("{}: not fetched, host given up: {}", r.exchange.url, h.give_up_reason())};
            answers.emplace_back(std::move(it->second.done), std::move(r));
            jobs.erase(it);
        }
    }

    void count(const FetchResponse& r) {
        progress.done += 1;
        if (r.failure || r.exchange.status >= 400) progress.failed += 1;
    }

    void report_progress(bool final) {
        if (!opts.progress) return;
        const auto now = SteadyClock::now();
        if (!final && now - last_progress < std::chrono::milliseconds(250)) return;
        last_progress = now;
        progress.final = final;
        progress.in_flight = running.size();
        progress.queued = 0;
        progress.waits.clear();
        for (const HostQueue* h : host_order) {
            progress.queued += h->waiting();
            if (auto until = h->deferred_until(now); until && h->waiting() > 0 && *until - now > h->limits().interval) {
                progress.waits.push_back(
                    {h->name(), std::chrono::duration_cast<std::chrono::milliseconds>(*until - now)});
            }
        }
        std::sort(progress.waits.begin(), progress.waits.end(),
                  [](const auto& a, const auto& b) { return a.wait > b.wait; });
        opts.progress(progress);
    }
};

Fetcher::Fetcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Fetcher::Fetcher(Fetcher&&) noexcept = default;
Fetcher& Fetcher::operator=(Fetcher&&) noexcept = default;
Fetcher::~Fetcher() = default;

Result<Fetcher> Fetcher::create(FetchOptions opts, const Clock& clock) {
    if (auto v = validate_fetch_options(opts); !v) return std::unexpected(v.error());
    if (!global_init_ok()) return fail(ErrorCode::network, "curl_global_init failed");
    auto impl = std::make_unique<Impl>();
    impl->clock = &clock;
    if (opts.spool_dir) {
        impl->spool_dir = *opts.spool_dir;
    } else {
        std::error_code ec;
        impl->spool_dir = std::filesystem::temp_directory_path(ec);
        if (ec) impl->spool_dir = "/tmp";
    }
    impl->multi.reset(curl_multi_init());
    if (!impl->multi) return fail(ErrorCode::network, "curl_multi_init failed");
    // The connection cache lives in the multi handle for the Fetcher's whole life, so keep-alive connections
    // are reused across requests and hosts' waits. It must hold an idle connection for every slot of every
    // host, or connections are closed only to be opened again. (Per-host limits are the HostQueues'
    // business: libcurl's own counts hosts after --connect-to, where every host may be the same address.)
    const bool multi_ok =
        curl_multi_setopt(impl->multi.get(), CURLMOPT_MAXCONNECTS, std::max(4L * opts.parallel_max, 256L)) == CURLM_OK;
    if (!multi_ok) return fail(ErrorCode::network, "cannot set the connection limits of libcurl");
    for (const auto& c : opts.connect_to) {
        // Re-joined from the parsed form so that curl gets exactly what was validated.
        auto parsed = parse_connect_to(c);
        curl_slist* next = curl_slist_append(impl->connect_to.get(), detail::join_connect_to(*parsed).c_str());
        if (next == nullptr) return fail(ErrorCode::network, "out of memory building --connect-to list");
        static_cast<void>(impl->connect_to.release());
        impl->connect_to.reset(next);
    }
    impl->opts = std::move(opts);
    return Fetcher(std::move(impl));
}

void Fetcher::submit(FetchRequest request, Completion done) {
    std::string host = host_of(request.url);
    auto answer_now = [&](CaptureFailure failure) {
        FetchResponse r;
        r.exchange.url = strip_credentials(request.url).value_or(request.url);
        r.exchange.fetched_at = format_rfc3339(impl_->clock->now());
        r.failure = std::move(failure);
        impl_->count(r);
        impl_->answers.emplace_back(std::move(done), std::move(r));
    };
    // A header that could split the request (CR or LF, from a stored validator) is dropped: the request
    // then goes out unconditional, which is always safe.
    std::erase_if(request.headers, [](const std::string& h) {
        return h.find_first_of("\r\n") != std::string::npos || h.find(':') == std::string::npos;
    });
    // A URL naming an address literally is judged by that address, before --connect-to could route the
    // connection elsewhere: http://169.254.169.254/ is refused even when every host goes to a test server.
    std::string_view literal = host;
    if (literal.size() > 2 && literal.front() == '[' && literal.back() == ']')
        literal = literal.substr(1, literal.size() - 2);
    if (auto kind = classify_address(literal); kind && !address_allowed(*kind, impl_->opts.allow_private_addresses)) {
        const std::string url = strip_credentials(request.url).value_or(request.url);
        answer_now({FailureClass::blocked_address,
                    fmt::format("{}: refused to connect to {} address {}", url, to_string(*kind), literal)});
        return;
    }
    HostQueue& h = impl_->host(host);
    if (h.given_up()) {
        const std::string url = strip_credentials(request.url).value_or(request.url);
        answer_now({h.give_up_class().value_or(FailureClass::connect),
                    fmt::format("{}: not fetched, host given up: {}", url, h.give_up_reason())});
        return;
    }
    const JobId id = impl_->next_job++;
    impl_->jobs.emplace(id, Job{std::move(request), std::move(done), std::move(host), 0, {}});
    h.add(id);
}

Result<void> Fetcher::run() {
    auto& m = *impl_;
    auto idle = [&] { return m.jobs.empty() && m.answers.empty(); };
    auto go_on = [&] { return !m.hooks.each_round || m.hooks.each_round(); };
    if (!go_on()) return fail(ErrorCode::internal, "fetching stopped");
    while (!idle()) {
        if (!go_on()) return fail(ErrorCode::internal, "fetching stopped");
        for (auto answers = std::exchange(m.answers, {}); auto& [done, response] : answers)
            done(std::move(response));
        if (!m.answers.empty()) continue;  // answers given by those completions' submissions
        if (idle()) break;
        auto wake = m.top_up();
        if (!wake) return std::unexpected(wake.error());
        int still_running = 0;
        if (curl_multi_perform(m.multi.get(), &still_running) != CURLM_OK) {
            return fail(ErrorCode::network, "curl_multi_perform failed");
        }
        int queued = 0;
        bool finished_any = false;
        while (CURLMsg* msg = curl_multi_info_read(m.multi.get(), &queued)) {
            if (msg->msg == CURLMSG_DONE) {
                m.finish(msg->easy_handle, msg->data.result);
                finished_any = true;
            }
        }
        m.report_progress(false);
        // A finished transfer frees a slot and may have queued follow-ups: go round again at once.
        if (finished_any || !m.answers.empty()) continue;
        if (idle()) break;
        // Wake for network activity, or when a job held back by its host's waiting may start.
        // With a live progress line, wake at least four times a second so that waits count down on it.
        int timeout_ms = m.opts.progress ? 250 : 1000;
        if (*wake) {
            const auto ms =
                std::chrono::duration_cast<std::chrono::milliseconds>(**wake - SteadyClock::now()).count() + 1;
            timeout_ms = static_cast<int>(std::clamp<long long>(ms, 0, timeout_ms));
        }
        if (curl_multi_poll(m.multi.get(), nullptr, 0, timeout_ms, nullptr) != CURLM_OK) {
            return fail(ErrorCode::network, "curl_multi_poll failed");
        }
    }
    m.report_progress(true);
    return {};
}

void Fetcher::set_hooks(Hooks hooks) {
    impl_->hooks = std::move(hooks);
}

void Fetcher::wake() noexcept {
    curl_multi_wakeup(impl_->multi.get());
}

}  // namespace provcheck
