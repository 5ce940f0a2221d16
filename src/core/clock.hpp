// The clock is injected so that every stage but capture runs in tests with a fixed time.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace provcheck {

class Clock {
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual std::chrono::system_clock::time_point now() const = 0;
};

class SystemClock final : public Clock {
public:
    [[nodiscard]] std::chrono::system_clock::time_point now() const override {
        return std::chrono::system_clock::now();
    }
};

class FixedClock final : public Clock {
public:
    explicit FixedClock(std::chrono::system_clock::time_point t) : t_(t) {}
    [[nodiscard]] std::chrono::system_clock::time_point now() const override { return t_; }

private:
    std::chrono::system_clock::time_point t_;
};

// "2023-10-19T08:15:00Z" (seconds precision, UTC).
[[nodiscard]] std::string format_rfc3339(std::chrono::system_clock::time_point t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)"; nullopt otherwise.
[[nodiscard]] std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view s);

}  // namespace provcheck
