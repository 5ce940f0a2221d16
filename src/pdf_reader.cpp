// provcheck-pdf-reader: the process that reads PDFs for provcheck (pdf/isolated.hpp). It reads one request on
// its standard input (limits, then the document), holds itself to the CPU-time and address-space limits the
// request names, reads the document with poppler (and Tesseract for pages without text) and writes the answer
// to its standard output. It opens no file and names none; run by hand, it says what it is and exits.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

#include "pdf/wire.hpp"
#include "pdfread/pdfread.hpp"

namespace {

bool read_all(int fd, std::string& out) {
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) return true;
        out.append(buf, static_cast<std::size_t>(n));
    }
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

int main() {
    using namespace provcheck;
    if (::isatty(STDIN_FILENO) == 1) {
        std::fputs("provcheck-pdf-reader reads PDFs for provcheck, which starts it; it is not run by hand.\n", stderr);
        return 2;
    }
    // It dies with the checker that started it (a checker stopped mid-read leaves no reader behind), and a
    // crash leaves no core file of the document behind.
    const pid_t parent = ::getppid();
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) return 1;
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    std::string message;
    if (!read_all(STDIN_FILENO, message)) return 1;
    const auto request = pdf_wire::decode_request(message);
    if (!request) {
        const PdfFailure garbled{PdfProblem::broken, "the PDF reader was sent a request it could not read"};
        return write_all(STDOUT_FILENO, pdf_wire::encode_answer(std::unexpected(garbled))) ? 0 : 1;
    }
    if (request->cpu_seconds > 0) {
        const rlimit cpu{static_cast<rlim_t>(request->cpu_seconds), static_cast<rlim_t>(request->cpu_seconds + 1)};
        ::setrlimit(RLIMIT_CPU, &cpu);
    }
    if (request->address_space > 0) {
        const rlimit as{static_cast<rlim_t>(request->address_space), static_cast<rlim_t>(request->address_space)};
        ::setrlimit(RLIMIT_AS, &as);
    }
    const std::string answer = pdf_wire::encode_answer(read_pdf(request->bytes, request->limits));
    return write_all(STDOUT_FILENO, answer) ? 0 : 1;
}
