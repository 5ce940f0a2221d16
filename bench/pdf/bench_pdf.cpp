// Reads one PDF with provcheck's PDF reader (pdfread/pdfread.hpp) ROUNDS times and prints the median time and pages/s.
//   bench_pdf FILE [ROUNDS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "pdfread/pdfread.hpp"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_pdf FILE [ROUNDS]\n");
        return 3;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    const std::string bytes = s.str();
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
    std::vector<double> times;
    int pages = 0;
    std::size_t chars = 0;
    for (int i = 0; i < rounds; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        auto r = provcheck::read_pdf(bytes);
        const auto t1 = std::chrono::steady_clock::now();
        if (!r) {
            std::fprintf(stderr, "bench_pdf: %s\n", r.error().message.c_str());
            return 1;
        }
        pages = r->pages;
        chars = r->text.size();
        times.push_back(std::chrono::duration<double>(t1 - t0).count());
    }
    std::sort(times.begin(), times.end());
    const double median = times[times.size() / 2];
    std::printf("%.3f %d %zu %.0f\n", median, pages, chars, pages / median);
    return 0;
}
