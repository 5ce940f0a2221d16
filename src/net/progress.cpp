#include "net/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstdio>

namespace provcheck {

std::string format_progress_line(const FetchProgress& p, std::size_t width) {
    width = std::max<std::size_t>(width, 20);
    std::string line = fmt::format("fetched {} · queued {} · in flight {}", p.done, p.queued, p.in_flight);
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

ProgressSink make_terminal_progress() {
    if (::isatty(STDERR_FILENO) != 1) return {};
    return [](const FetchProgress& p) {
        if (p.final) {
            std::fputs("\r\033[K", stderr);
        } else {
            winsize ws{};
            const std::size_t width =
                ::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 ? ws.ws_col - 1u : 79u;
            std::fprintf(stderr, "\r\033[K%s", format_progress_line(p, width).c_str());
        }
        std::fflush(stderr);
    };
}

}  // namespace provcheck
