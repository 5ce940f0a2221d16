#include "net/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstdio>

namespace provcheck {

std::string format_progress_line(const FetchProgress& p, std::size_t width, const RunCounts* counts,
                                 std::chrono::steady_clock::time_point now) {
    width = std::max<std::size_t>(width, 20);
    std::string line;
    if (counts != nullptr) {
        const std::size_t done = counts->articles_done.load();
        const std::size_t total = counts->articles_total.load();
        line = total > 0 ? fmt::format("articles {}/{}", done, total) : fmt::format("articles {}", done);
        line += fmt::format(" · claims {}", counts->claims.load());
        if (done > 0 && total > done && now > counts->started) {
            const double per_article =
                std::chrono::duration<double>(now - counts->started).count() / static_cast<double>(done);
            const auto left = static_cast<long long>(per_article * static_cast<double>(total - done) + 0.5);
            line += left >= 120 ? fmt::format(" · about {}m left", (left + 30) / 60)
                                : fmt::format(" · about {}s left", left);
        }
        line += " · ";
    }
    line += fmt::format("fetched {} · queued {} · in flight {}", p.done, p.queued, p.in_flight);
    if (p.failed > 0) line += fmt::format(" · failed {}", p.failed);
    if (!p.waits.empty()) {
        line += " · waiting:";
        constexpr std::size_t shown_max = 3;
        const std::size_t shown = std::min(p.waits.size(), shown_max);
        for (std::size_t i = 0; i < shown; ++i) {
            line += fmt::format("{} {} {:.1f}s", i == 0 ? "" : ",", p.waits[i].host,
                                static_cast<double>(p.waits[i].wait.count()) / 1000.0);
        }
        if (p.waits.size() > shown) line += fmt::format(" (+{})", p.waits.size() - shown);
    }
    // Cut by code points, so that the middle dots (two bytes each) never split.
    std::size_t columns = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;
        if (++columns > width) {
            line.resize(i);
            break;
        }
    }
    return line;
}

ProgressSink make_terminal_progress(const RunCounts* counts) {
    if (::isatty(STDERR_FILENO) != 1) return {};
    return [counts](const FetchProgress& p) {
        if (p.final) {
            std::fputs("\r\033[K", stderr);
        } else {
            winsize ws{};
            const std::size_t width =
                ::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 ? ws.ws_col - 1u : 79u;
            std::fprintf(stderr, "\r\033[K%s",
                         format_progress_line(p, width, counts, std::chrono::steady_clock::now()).c_str());
        }
        std::fflush(stderr);
    };
}

}  // namespace provcheck
