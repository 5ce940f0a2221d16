#include "support/run.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

namespace provcheck::test {

namespace {

// argv and the environment (ours with `env` over it) as execve takes them. Everything the child needs is built
// before fork(): the test process has other threads (the fixture web), and one of them may hold the allocator's
// lock at the moment of the fork, so the child must not allocate (setenv does) before it execs. Between fork and
// exec it calls only async-signal-safe functions.
struct ExecArgs {
    std::vector<std::string> environment;
    std::vector<char*> envp;
    std::vector<char*> args;
};

ExecArgs exec_args(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
    ExecArgs x;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string_view entry(*e);
        const auto eq = entry.find('=');
        if (env.contains(std::string(entry.substr(0, eq)))) continue;  // replaced below
        x.environment.emplace_back(entry);
    }
    for (const auto& [k, v] : env)
        x.environment.push_back(k + "=" + v);
    for (auto& e : x.environment)
        x.envp.push_back(e.data());
    x.envp.push_back(nullptr);
    for (const auto& a : argv)
        x.args.push_back(const_cast<char*>(a.c_str()));
    x.args.push_back(nullptr);
    return x;
}

}  // namespace

pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            const std::filesystem::path& log) {
    ExecArgs x = exec_args(argv, env);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("cannot open " + log.string());
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork");
    if (pid == 0) {
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        ::execve(x.args[0], x.args.data(), x.envp.data());
        ::_exit(127);
    }
    ::close(fd);
    return pid;
}

RunResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
    ExecArgs x = exec_args(argv, env);
    int out_pipe[2];
    int err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork");
    if (pid == 0) {
        ::dup2(out_pipe[1], STDOUT_FILENO);
        ::dup2(err_pipe[1], STDERR_FILENO);
        int devnull = ::open("/dev/null", O_RDONLY);
        ::dup2(devnull, STDIN_FILENO);
        ::execve(x.args[0], x.args.data(), x.envp.data());
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    RunResult r;
    std::array<pollfd, 2> fds{pollfd{out_pipe[0], POLLIN, 0}, pollfd{err_pipe[0], POLLIN, 0}};
    int open_fds = 2;
    char buf[65536];
    while (open_fds > 0) {
        if (::poll(fds.data(), fds.size(), -1) < 0) break;
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
            ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            } else {
                (i == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(n));
            }
        }
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string provcheck_binary() {
    return PROVCHECK_BINARY;
}

}  // namespace provcheck::test
