// provcheck-fixture-server --web DIR [--cert-dir DIR] [--validators]
//
// Serves the fixture web over HTTP and HTTPS on 127.0.0.1 (ephemeral ports), with a CA made at start
// whose server certificate names every host directory of the web root and every host in routes.toml.
// Prints one line of JSON, {"http_port":N,"https_port":M,"cacert":"/path/ca.pem"}, then serves until
// stdin closes or SIGTERM/SIGINT arrives. Exit status: 0 after a clean stop, 2 for bad usage, 1 otherwise.
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "support/fixture_server.hpp"
#include "support/fixture_web.hpp"
#include "support/temp_dir.hpp"

namespace {

int usage(const char* why) {
    std::cerr << "provcheck-fixture-server: " << why
              << "\nusage: provcheck-fixture-server --web DIR [--cert-dir DIR] [--validators]\n";
    return 2;
}

// Blocks until stdin reaches end of file or a termination signal arrives.
void wait_for_stop(int signal_fd) {
    std::array<pollfd, 2> fds{pollfd{STDIN_FILENO, POLLIN, 0}, pollfd{signal_fd, POLLIN, 0}};
    std::array<char, 4096> buf{};
    for (;;) {
        if (poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (fds[1].revents != 0) return;
        if (fds[0].revents != 0) {
            const ssize_t n = read(STDIN_FILENO, buf.data(), buf.size());
            if (n <= 0) return;
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::optional<std::filesystem::path> web;
    std::optional<std::filesystem::path> cert_dir;
    bool validators = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--validators") {
            validators = true;
        } else if ((arg == "--web" || arg == "--cert-dir") && i + 1 < argc) {
            (arg == "--web" ? web : cert_dir) = std::filesystem::path(argv[++i]);
        } else {
            return usage(("unknown argument " + arg).c_str());
        }
    }
    if (!web) return usage("--web DIR is required");
    std::error_code ec;
    if (!std::filesystem::is_directory(*web, ec)) return usage("--web must name a directory");
    *web = std::filesystem::absolute(*web, ec);

    // Signals are taken through a descriptor; block them before any server thread exists.
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &mask, nullptr);
    const int signal_fd = signalfd(-1, &mask, SFD_CLOEXEC);
    if (signal_fd < 0) {
        std::perror("provcheck-fixture-server: signalfd");
        return 1;
    }

    try {
        provcheck::test::FixtureWeb fixture_web(*web, cert_dir.value_or(std::filesystem::path{}), validators);
        const nlohmann::json ready{{"http_port", fixture_web.http().port()},
                                   {"https_port", fixture_web.https().port()},
                                   {"cacert", fixture_web.cacert().string()}};
        std::cout << ready.dump() << std::endl;
        wait_for_stop(signal_fd);
    } catch (const std::exception& e) {
        std::cerr << "provcheck-fixture-server: " << e.what() << "\n";
        close(signal_fd);
        return 1;
    }
    close(signal_fd);
    return 0;
}
