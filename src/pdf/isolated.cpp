#include "pdf/isolated.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

namespace provcheck {

namespace {

using Clock = std::chrono::steady_clock;

// The child's answer: a tag byte ('T' text, 'F' failure), then length-prefixed fields.
void put_u64(std::string& out, std::uint64_t v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
}
void put_str(std::string& out, std::string_view s) {
    put_u64(out, s.size());
    out.append(s);
}

class Cursor {
public:
    explicit Cursor(std::string_view s) : s_(s) {}
    bool u64(std::uint64_t& v) {
        if (s_.size() < sizeof v) return false;
        std::memcpy(&v, s_.data(), sizeof v);
        s_.remove_prefix(sizeof v);
        return true;
    }
    bool str(std::string& out) {
        std::uint64_t n = 0;
        if (!u64(n) || n > s_.size()) return false;
        out.assign(s_.substr(0, n));
        s_.remove_prefix(n);
        return true;
    }

private:
    std::string_view s_;
};

std::string encode(const std::expected<PdfText, PdfFailure>& r) {
    std::string out;
    if (!r) {
        out += 'F';
        put_u64(out, static_cast<std::uint64_t>(r.error().problem));
        put_str(out, r.error().message);
        return out;
    }
    out += 'T';
    put_str(out, r->text);
    put_u64(out, r->page_starts.size());
    for (auto p : r->page_starts)
        put_u64(out, p);
    put_u64(out, static_cast<std::uint64_t>(r->pages));
    put_u64(out, r->ocr ? 1 : 0);
    put_str(out, r->cut);
    put_str(out, r->title);
    put_str(out, r->author);
    return out;
}

std::expected<PdfText, PdfFailure> decode(std::string_view s) {
    const PdfFailure garbled{PdfProblem::broken, "the PDF reader's answer was cut short"};
    if (s.empty()) return std::unexpected(garbled);
    const char tag = s.front();
    Cursor c(s.substr(1));
    if (tag == 'F') {
        std::uint64_t problem = 0;
        PdfFailure f;
        if (!c.u64(problem) || problem > static_cast<std::uint64_t>(PdfProblem::ocr_failed) || !c.str(f.message))
            return std::unexpected(garbled);
        f.problem = static_cast<PdfProblem>(problem);
        return std::unexpected(f);
    }
    PdfText t;
    std::uint64_t n = 0, pages = 0, ocr = 0;
    if (tag != 'T' || !c.str(t.text) || !c.u64(n) || n > t.text.size() + (std::uint64_t{1} << 20))
        return std::unexpected(garbled);
    for (std::uint64_t i = 0; i < n; ++i) {
        std::uint64_t p = 0;
        if (!c.u64(p) || p > t.text.size()) return std::unexpected(garbled);
        t.page_starts.push_back(static_cast<std::size_t>(p));
    }
    if (!c.u64(pages) || !c.u64(ocr) || !c.str(t.cut) || !c.str(t.title) || !c.str(t.author))
        return std::unexpected(garbled);
    t.pages = static_cast<int>(std::min<std::uint64_t>(pages, INT32_MAX));
    t.ocr = ocr != 0;
    return t;
}

bool write_all(int fd, std::string_view s) {
    while (!s.empty()) {
        const ssize_t n = ::write(fd, s.data(), s.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        s.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

std::expected<PdfText, PdfFailure> read_pdf_isolated(std::string_view bytes, const PdfLimits& limits,
                                                     const IsolationLimits& isolation) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return read_pdf(bytes, limits);  // no pipe: read here rather than not at all
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return read_pdf(bytes, limits);
    }
    if (pid == 0) {
        // The child: bounded, it reads and answers, then leaves without running the parent's exit handlers.
        ::close(fds[0]);
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(limits.deadline + isolation.grace);
        const rlimit cpu{static_cast<rlim_t>(seconds.count() + 1), static_cast<rlim_t>(seconds.count() + 2)};
        ::setrlimit(RLIMIT_CPU, &cpu);
#if !defined(__SANITIZE_ADDRESS__)
        // AddressSanitizer maps terabytes of shadow memory up front; a limit on the address space is for release
        // builds only.
        const rlimit as{isolation.address_space, isolation.address_space};
        ::setrlimit(RLIMIT_AS, &as);
#endif
        const std::string answer = encode(read_pdf(bytes, limits));
        const bool ok = write_all(fds[1], answer);
        ::close(fds[1]);
        ::_exit(ok ? 0 : 1);
    }
    ::close(fds[1]);
    const auto kill_at = Clock::now() + limits.deadline + isolation.grace;
    std::string answer;
    bool timed_out = false;
    char buf[65536];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(kill_at - Clock::now()).count();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        pollfd p{fds[0], POLLIN, 0};
        const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) break;
        if (r == 0) continue;
        const ssize_t n = ::read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // end of the answer
        answer.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    if (timed_out) ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    const auto total = std::chrono::duration_cast<std::chrono::seconds>(limits.deadline + isolation.grace).count();
    if (timed_out) {
        return std::unexpected(PdfFailure{
            PdfProblem::broken, fmt::format("the PDF could not be read within {} s; the reader was stopped", total)});
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        const int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
        return std::unexpected(PdfFailure{
            PdfProblem::broken,
            sig == SIGXCPU || sig == SIGKILL
                ? std::string("the PDF could not be read within its time limit; the reader was stopped")
                : std::string("the PDF reader failed on this file (out of memory or a damaged file); nothing of it "
                              "was read")});
    }
    return decode(answer);
}

}  // namespace provcheck
