#include "pdf/isolated.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pdf/wire.hpp"

extern char** environ;

namespace provcheck {

namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* reader_name = "provcheck-pdf-reader";

bool executable(const std::filesystem::path& p) {
    std::error_code ec;
    return std::filesystem::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

// Beside the running executable, then (for a program of the build tree) where this build made it.
std::optional<std::filesystem::path> find_reader() {
    static const std::optional<std::filesystem::path> found = []() -> std::optional<std::filesystem::path> {
        std::error_code ec;
        const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
        if (!ec) {
            if (auto p = self.parent_path() / reader_name; executable(p)) return p;
        }
#ifdef PROVCHECK_PDF_READER_BUILT
        // Only for a program run from the build tree (the tests): an installed checker uses the reader
        // installed beside it, never one a build directory holds.
        const std::filesystem::path built = PROVCHECK_PDF_READER_BUILT;
        if (!ec && self.string().starts_with(built.parent_path().string() + "/") && executable(built)) return built;
#endif
        return std::nullopt;
    }();
    return found;
}

PdfFailure broken(std::string message) {
    return PdfFailure{PdfProblem::broken, std::move(message)};
}

// The reader, started with its standard input and output on one end of `socket`, stderr on /dev/null, in a
// process group of its own (a terminal's Ctrl-C is the checker's to handle) and with default signal handling.
std::expected<pid_t, std::string> spawn_reader(const std::filesystem::path& reader, int socket) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    if (posix_spawn_file_actions_init(&actions) != 0) return std::unexpected("out of memory");
    if (posix_spawnattr_init(&attr) != 0) {
        posix_spawn_file_actions_destroy(&actions);
        return std::unexpected("out of memory");
    }
    posix_spawn_file_actions_adddup2(&actions, socket, STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, socket, STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    // Nothing else the checker holds open (a report's temporary file, descriptors it inherited) reaches it.
    posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
    sigset_t none;
    sigset_t defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGXCPU})
        sigaddset(&defaults, sig);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    std::string path = reader.string();
    char* argv[] = {path.data(), nullptr};
    // Of the environment, only what poppler and Tesseract read: never PROVCHECK_KEY or a store's password.
    std::vector<std::string> kept;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        const std::string_view var(*e);
        for (std::string_view name :
             {"PATH=", "LANG=", "LC_ALL=", "LC_CTYPE=", "TMPDIR=", "TESSDATA_PREFIX=", "OMP_THREAD_LIMIT="}) {
            if (var.starts_with(name)) kept.emplace_back(var);
        }
    }
    std::vector<char*> envp;
    for (auto& v : kept)
        envp.push_back(v.data());
    envp.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, path.c_str(), &actions, &attr, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) return std::unexpected(std::string(std::strerror(rc)));
    return pid;
}

}  // namespace

std::expected<PdfText, PdfFailure> read_pdf_isolated(std::string_view bytes, const PdfLimits& limits,
                                                     const IsolationLimits& isolation) {
    const auto reader = find_reader();
    if (!reader) {
        return std::unexpected(broken(
            fmt::format("the PDF reader ({}) is not installed beside provcheck, so no PDF can be read", reader_name)));
    }
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        return std::unexpected(broken(fmt::format("the PDF reader could not be started: {}", std::strerror(errno))));
    }
    auto pid = spawn_reader(*reader, sv[1]);
    ::close(sv[1]);
    if (!pid) {
        ::close(sv[0]);
        return std::unexpected(broken(fmt::format("the PDF reader could not be started: {}", pid.error())));
    }
    ::fcntl(sv[0], F_SETFL, ::fcntl(sv[0], F_GETFL) | O_NONBLOCK);

    const auto total = std::chrono::duration_cast<std::chrono::seconds>(limits.deadline + isolation.grace);
    pdf_wire::Request request;
    request.limits = limits;
    request.cpu_seconds = static_cast<std::uint64_t>(total.count() + 1);
#if !defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer maps terabytes of shadow memory up front; a limit on the address space is for release
    // builds only.
    request.address_space = isolation.address_space;
#endif
    const std::string head = pdf_wire::encode_request_head(request, bytes.size());
    std::size_t sent = 0;  // of head, then bytes
    const std::size_t to_send = head.size() + bytes.size();
    bool sending = true;

    const auto kill_at = Clock::now() + limits.deadline + isolation.grace;
    std::string answer;
    bool timed_out = false;
    bool too_long = false;
    char buf[65536];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(kill_at - Clock::now()).count();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        pollfd p{sv[0], static_cast<short>(POLLIN | (sending ? POLLOUT : 0)), 0};
        const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) break;
        if (r == 0) continue;
        if (sending && (p.revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
            const std::string_view rest =
                sent < head.size() ? std::string_view(head).substr(sent) : bytes.substr(sent - head.size());
            const ssize_t n = ::send(sv[0], rest.data(), std::min<std::size_t>(rest.size(), 1 << 20), MSG_NOSIGNAL);
            if (n > 0) sent += static_cast<std::size_t>(n);
            if (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) sending = false;  // it left
            if (sending && sent == to_send) {
                ::shutdown(sv[0], SHUT_WR);
                sending = false;
            }
        }
        if ((p.revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
        const ssize_t n = ::read(sv[0], buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
        if (n <= 0) break;  // the end of the answer
        if (answer.size() + static_cast<std::size_t>(n) > isolation.max_answer) {
            too_long = true;
            break;
        }
        answer.append(buf, static_cast<std::size_t>(n));
    }
    ::close(sv[0]);
    // The reader has answered, or closed its end: it has until the deadline to exit, then it is killed.
    int status = 0;
    bool exited = false;
    while (!timed_out && !too_long) {
        const pid_t r = ::waitpid(*pid, &status, WNOHANG);
        if (r == *pid) {
            exited = true;
            break;
        }
        if (r < 0 && errno != EINTR) break;
        if (Clock::now() >= kill_at) {
            timed_out = true;
            break;
        }
        ::usleep(2000);
    }
    if (!exited) {
        ::kill(*pid, SIGKILL);
        while (::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    if (too_long) {
        return std::unexpected(
            broken(fmt::format("the PDF's text is larger than {} MiB; it was not read", isolation.max_answer >> 20)));
    }
    if (timed_out) {
        return std::unexpected(
            broken(fmt::format("the PDF could not be read within {} s; the reader was stopped", total.count())));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        const int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
        return std::unexpected(
            broken(sig == SIGXCPU || sig == SIGKILL
                       ? std::string("the PDF could not be read within its time limit; the reader was stopped")
                       : std::string("the PDF reader failed on this file (out of memory or a damaged file); nothing "
                                     "of it was read")));
    }
    return pdf_wire::decode_answer(answer);
}

}  // namespace provcheck
