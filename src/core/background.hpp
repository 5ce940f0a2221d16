// Work handed to threads of its own while the caller goes on: a source read and indexed while the main thread
// reads the article, attributes its claims and serves the captures that come in.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace provcheck {

class Background {
public:
    // `threads` workers (at least one), taking tasks in the order they were submitted.
    explicit Background(std::size_t threads) {
        try {
            for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i)
                workers_.emplace_back([this] { work(); });
        } catch (...) {
            stop();  // the workers already started are joined before the failure goes on
            throw;
        }
    }

    // Tasks not started yet are dropped (their futures report a broken promise to anyone still waiting); those
    // under way are finished before the workers are joined.
    ~Background() { stop(); }

    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;

    // One worker per core beyond the caller's own, at most `cap`, at least one.
    [[nodiscard]] static std::size_t spare_cores(std::size_t cap) {
        const std::size_t cores = std::thread::hardware_concurrency();
        return std::clamp<std::size_t>(cores > 1 ? cores - 1 : 1, 1, cap);
    }

    // Tasks submitted and not yet begun by a worker.
    [[nodiscard]] std::size_t queued() const {
        std::lock_guard lock(mutex_);
        return queue_.size();
    }

    // Runs `task` on a worker; the future holds its result, or the exception it threw.
    template <class Task>
    [[nodiscard]] std::future<std::invoke_result_t<Task&>> submit(Task task) {
        std::packaged_task<std::invoke_result_t<Task&>()> job(std::move(task));
        auto future = job.get_future();
        {
            std::lock_guard lock(mutex_);
            queue_.emplace_back(std::move(job));
        }
        wake_.notify_one();
        return future;
    }

private:
    void stop() noexcept {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
            queue_.clear();
        }
        wake_.notify_all();
        for (auto& w : workers_)
            w.join();
        workers_.clear();
    }

    void work() {
        for (;;) {
            std::move_only_function<void()> job;
            {
                std::unique_lock lock(mutex_);
                wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
                if (queue_.empty()) return;  // stopping, nothing left
                job = std::move(queue_.front());
                queue_.pop_front();
            }
            job();
        }
    }

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::move_only_function<void()>> queue_;
    bool stopping_ = false;
    std::vector<std::thread> workers_;  // last: started once the queue and its lock exist
};

}  // namespace provcheck
