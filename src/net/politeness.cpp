#include "net/politeness.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <ctime>

#include "core/text.hpp"

namespace provcheck {

namespace {

using std::chrono::milliseconds;

std::optional<int> month_number(std::string_view m) {
    static constexpr std::array<std::string_view, 12> names{"jan", "feb", "mar", "apr", "may", "jun",
                                                            "jul", "aug", "sep", "oct", "nov", "dec"};
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (iequals(m, names[i])) return static_cast<int>(i);
    }
    return std::nullopt;
}

std::optional<int> number(std::string_view s) {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

std::vector<std::string_view> words(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '-'))
            ++i;
        const std::size_t start = i;
        while (i < s.size() && s[i] != ' ' && s[i] != ',' && s[i] != '-')
            ++i;
        if (i > start) out.push_back(s.substr(start, i - start));
    }
    return out;
}

// The three date forms of RFC 9110 §5.6.7, as seconds since the epoch.
std::optional<std::time_t> parse_http_date(std::string_view s) {
    const auto w = words(s);
    std::tm tm{};
    std::string_view day, month, year, clock;
    if (w.size() == 6 && iequals(w[5], "GMT")) {
        // "Sun, 06 Nov 1994 08:49:37 GMT" or (RFC 850, the dashes split above) "Sunday, 06-Nov-94 08:49:37 GMT"
        day = w[1], month = w[2], year = w[3], clock = w[4];
    } else if (w.size() == 5) {
        // asctime: "Sun Nov  6 08:49:37 1994"
        month = w[1], day = w[2], clock = w[3], year = w[4];
    } else {
        return std::nullopt;
    }
    auto d = number(day);
    auto mo = month_number(month);
    auto y = number(year);
    const auto hms = split(clock, ':');
    if (!d || !mo || !y || hms.size() != 3) return std::nullopt;
    auto hh = number(hms[0]);
    auto mm = number(hms[1]);
    auto ss = number(hms[2]);
    if (!hh || !mm || !ss || *d < 1 || *d > 31 || *hh > 23 || *mm > 59 || *ss > 60) return std::nullopt;
    int full_year = *y;
    if (year.size() == 2) full_year += full_year < 70 ? 2000 : 1900;  // RFC 850's two-digit years
    tm.tm_year = full_year - 1900;
    tm.tm_mon = *mo;
    tm.tm_mday = *d;
    tm.tm_hour = *hh;
    tm.tm_min = *mm;
    tm.tm_sec = *ss;
    const std::time_t t = timegm(&tm);
    if (t == static_cast<std::time_t>(-1)) return std::nullopt;
    return t;
}

}  // namespace

std::optional<milliseconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now) {
    value = trim(value);
    if (value.empty()) return std::nullopt;
    if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        if (value.size() > 9) return milliseconds(std::int64_t{999'999'999} * 1000);  // "forever", capped later
        return std::chrono::seconds(*number(value));
    }
    auto t = parse_http_date(value);
    if (!t) return std::nullopt;
    const auto at = std::chrono::system_clock::from_time_t(*t);
    if (at <= now) return milliseconds(0);
    return std::chrono::duration_cast<milliseconds>(at - now);
}

milliseconds backoff_delay(int attempt, milliseconds base, milliseconds cap, double unit_random) noexcept {
    const int doublings = std::clamp(attempt - 1, 0, 30);
    const double full =
        std::min(static_cast<double>(base.count()) * std::ldexp(1.0, doublings), static_cast<double>(cap.count()));
    const double jitter = 0.5 + 0.5 * std::clamp(unit_random, 0.0, 1.0);
    return milliseconds(static_cast<std::int64_t>(full * jitter));
}

RetryDecision decide_retry(const AttemptOutcome& outcome, int attempt, const RetryPolicy& policy,
                           double unit_random) noexcept {
    RetryDecision d;
    if (attempt > policy.retries) return d;
    if (outcome.failure) {
        if (!outcome.transient_transport) return d;
        d.retry = true;
        d.delay = backoff_delay(attempt, policy.base, policy.cap, unit_random);
        return d;
    }
    const int s = outcome.status;
    if ((s == 429 || s == 503) && outcome.retry_after) {
        d.retry = true;
        d.delay = std::min(*outcome.retry_after, policy.cap);
        return d;
    }
    if (s == 429 || s == 500 || s == 502 || s == 503 || s == 504) {
        d.retry = true;
        d.delay = backoff_delay(attempt, policy.base, policy.cap, unit_random);
    }
    return d;
}

bool counts_as_host_failure(const AttemptOutcome& outcome) noexcept {
    if (outcome.failure) return true;
    return outcome.status == 429 || (outcome.status >= 500 && outcome.status < 600);
}

namespace {

// How many labels of `host` the override name covers, or nullopt when it does not cover it.
std::optional<std::size_t> coverage(std::string_view host, std::string_view name) {
    if (name.empty()) return std::nullopt;
    const bool covers = host == name || (host.size() > name.size() && host.ends_with(name) &&
                                         host[host.size() - name.size() - 1] == '.');
    if (!covers) return std::nullopt;
    return static_cast<std::size_t>(std::count(name.begin(), name.end(), '.')) + 1;
}

}  // namespace

HostLimits limits_for_host(std::string_view host, const HostLimits& defaults,
                           const std::vector<HostOverride>& overrides) {
    std::vector<std::pair<std::size_t, const HostOverride*>> applying;
    for (const auto& o : overrides) {
        if (auto labels = coverage(host, o.name)) applying.emplace_back(*labels, &o);
    }
    // Least specific first, so that each more specific name overwrites what it sets; stable keeps file order.
    std::stable_sort(applying.begin(), applying.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    HostLimits l = defaults;
    for (const auto& [labels, o] : applying) {
        if (o->parallel_max) l.parallel_max = *o->parallel_max;
        if (o->interval_ms) l.interval = milliseconds(*o->interval_ms);
        if (o->timeout_s) l.timeout_s = *o->timeout_s;
        if (o->retries) l.retries = *o->retries;
        if (o->user_agent) l.user_agent = *o->user_agent;
        if (o->max_filesize) l.max_filesize = *o->max_filesize;
        if (o->speed_limit) l.speed_limit = *o->speed_limit;
        if (o->speed_time_s) l.speed_time_s = *o->speed_time_s;
    }
    return l;
}

HostQueue::HostQueue(std::string name, HostLimits limits) : name_(std::move(name)), limits_(limits) {}

void HostQueue::add(JobId job) {
    fresh_.push_back(job);
}

void HostQueue::add_retry(JobId job, SteadyTime not_before) {
    auto at = std::upper_bound(retries_.begin(), retries_.end(), not_before,
                               [](SteadyTime t, const Retry& r) { return t < r.not_before; });
    retries_.insert(at, Retry{job, not_before});
}

HostQueue::Next HostQueue::next(SteadyTime now) const {
    Next n;
    if (given_up_ || (fresh_.empty() && retries_.empty())) return n;
    if (in_flight_ >= limits_.parallel_max) return n;  // a transfer ending is what frees a slot
    if (next_start_ > now) {
        n.wake_at = next_start_;
        return n;
    }
    if (!retries_.empty() && retries_.front().not_before <= now) {
        n.job = retries_.front().job;
    } else if (!fresh_.empty()) {
        n.job = fresh_.front();
    } else {
        n.wake_at = retries_.front().not_before;
    }
    return n;
}

void HostQueue::started(JobId job, SteadyTime now) {
    if (!retries_.empty() && retries_.front().job == job) {
        retries_.erase(retries_.begin());
    } else if (!fresh_.empty() && fresh_.front() == job) {
        fresh_.pop_front();
    } else {
        // Not the job next() offered: remove it wherever it waits.
        std::erase_if(retries_, [&](const Retry& r) { return r.job == job; });
        std::erase(fresh_, job);
    }
    in_flight_ += 1;
    next_start_ = std::max(next_start_, now + limits_.interval);
}

void HostQueue::attempt_ended() noexcept {
    if (in_flight_ > 0) in_flight_ -= 1;
}

void HostQueue::defer_until(SteadyTime t) noexcept {
    next_start_ = std::max(next_start_, t);
}

bool HostQueue::request_finished(const AttemptOutcome& outcome, std::string_view description) {
    if (given_up_) return false;
    if (!counts_as_host_failure(outcome)) {
        consecutive_failures_ = 0;
        return false;
    }
    consecutive_failures_ += 1;
    if (consecutive_failures_ < limits_.failure_limit) return false;
    FailureClass cls = FailureClass::http_5xx;
    if (outcome.failure) {
        cls = *outcome.failure;
    } else if (outcome.status == 429) {
        cls = FailureClass::rate_limited;
    }
    give_up(cls, fmt::format("{} failed {} requests in a row (last: {})", name_, consecutive_failures_, description));
    return true;
}

void HostQueue::give_up(FailureClass cls, std::string reason) {
    given_up_ = true;
    give_up_class_ = cls;
    give_up_reason_ = std::move(reason);
}

std::vector<HostQueue::JobId> HostQueue::take_waiting() {
    std::vector<JobId> out;
    for (const auto& r : retries_)
        out.push_back(r.job);
    out.insert(out.end(), fresh_.begin(), fresh_.end());
    retries_.clear();
    fresh_.clear();
    return out;
}

std::optional<SteadyTime> HostQueue::deferred_until(SteadyTime now) const noexcept {
    if (next_start_ > now) return next_start_;
    return std::nullopt;
}

}  // namespace provcheck
