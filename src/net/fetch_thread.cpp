#include "net/fetch_thread.hpp"

namespace provcheck {

Result<std::unique_ptr<FetchThread>> FetchThread::start(FetchOptions opts, const Clock& clock) {
    const auto max_waiting = static_cast<std::size_t>(std::max(opts.parallel_max, 1));
    auto fetcher = Fetcher::create(std::move(opts), clock);
    if (!fetcher) return std::unexpected(fetcher.error());
    std::unique_ptr<FetchThread> t(new FetchThread(std::move(*fetcher), max_waiting));
    t->thread_ = std::thread([p = t.get()] { p->loop(); });
    return t;
}

FetchThread::FetchThread(Fetcher fetcher, std::size_t max_waiting)
    : fetcher_(std::move(fetcher)), max_waiting_(max_waiting) {
    fetcher_.set_hooks(Fetcher::Hooks{
        [this] { return take_requests(); },
        [this](std::size_t running) {
            std::lock_guard lock(mutex_);
            held_back_ = outbox_.size() + running >= max_waiting_;
            return !held_back_;
        },
    });
}

FetchThread::~FetchThread() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    to_fetch_.notify_all();
    fetcher_.wake();
    if (thread_.joinable()) thread_.join();
}

void FetchThread::submit(FetchRequest request, Tag tag) {
    bool first = false;
    {
        std::lock_guard lock(mutex_);
        first = inbox_.empty();
        inbox_.emplace_back(std::move(request), tag);
        busy_ = true;  // at rest no longer, from the owner's point of view, until this one is answered
    }
    // The fetch thread takes the whole inbox at once, so a wake is owed only when the inbox was empty: an
    // article's links submitted together cost one wake, not one each.
    if (!first) return;
    to_fetch_.notify_one();
    fetcher_.wake();
}

Result<std::pair<FetchThread::Tag, FetchResponse>> FetchThread::next() {
    std::unique_lock lock(mutex_);
    to_owner_.wait(lock, [this] { return !outbox_.empty() || error_.has_value(); });
    if (outbox_.empty()) return std::unexpected(*error_);
    auto out = std::move(outbox_.front());
    outbox_.pop_front();
    // A transfer held back for want of a slot may start now; otherwise the fetch thread is left undisturbed.
    const bool wake = std::exchange(held_back_, false);
    lock.unlock();
    if (wake) fetcher_.wake();
    return out;
}

void FetchThread::wait_idle() {
    std::unique_lock lock(mutex_);
    to_owner_.wait(lock, [this] { return !busy_ || error_.has_value(); });
}

bool FetchThread::take_requests() {
    std::vector<std::pair<FetchRequest, Tag>> taken;
    {
        std::lock_guard lock(mutex_);
        if (stop_) return false;
        taken.swap(inbox_);
    }
    for (auto& [request, tag] : taken) {
        fetcher_.submit(std::move(request), [this, tag = tag](FetchResponse r) {
            {
                std::lock_guard lock(mutex_);
                outbox_.emplace_back(tag, std::move(r));
            }
            to_owner_.notify_one();
        });
    }
    return true;
}

void FetchThread::loop() {
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            to_fetch_.wait(lock, [this] { return stop_ || !inbox_.empty(); });
            if (stop_) return;
        }
        auto ran = fetcher_.run();
        std::lock_guard lock(mutex_);
        if (!ran) {
            if (!stop_) error_ = ran.error();
            busy_ = false;
            to_owner_.notify_all();
            return;
        }
        // At rest only when nothing came in meanwhile; otherwise round again.
        if (inbox_.empty()) {
            busy_ = false;
            to_owner_.notify_all();
        }
    }
}

}  // namespace provcheck
