// The fetcher alone on the benchmark's URL list: what provcheck's network layer does without the rest of
// the pipeline (archive, database, extraction, records). Built by bench/crawl/run against the Release
// libraries; not part of the project's build.
//
// usage: fetch_only URL_FILE PORT PARALLEL_MAX HOST_PARALLEL_MAX   → prints "ok N failed M seconds S"
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>

#include "net/fetcher.hpp"

int main(int argc, char** argv) {
    if (argc != 5) {
        fmt::print(stderr, "usage: fetch_only URL_FILE PORT PARALLEL_MAX HOST_PARALLEL_MAX\n");
        return 2;
    }
    provcheck::FetchOptions opts;
    opts.connect_to = {fmt::format("::127.0.0.1:{}", argv[2])};
    opts.allow_private_addresses = true;
    opts.host_interval_ms = 0;
    opts.parallel_max = std::atoi(argv[3]);
    opts.host_parallel_max = std::atoi(argv[4]);
    const provcheck::SystemClock clock;
    auto fetcher = provcheck::Fetcher::create(opts, clock);
    if (!fetcher) {
        fmt::print(stderr, "fetch_only: {}\n", fetcher.error().message);
        return 1;
    }
    std::size_t ok = 0;
    std::size_t failed = 0;
    std::ifstream in(argv[1]);
    for (std::string url; std::getline(in, url);) {
        fetcher->submit({url, {}},
                        [&](provcheck::FetchResponse r) { ++(r.failure || r.exchange.status != 200 ? failed : ok); });
    }
    const auto start = std::chrono::steady_clock::now();
    if (auto r = fetcher->run(); !r) {
        fmt::print(stderr, "fetch_only: {}\n", r.error().message);
        return 1;
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    fmt::print("ok {} failed {} seconds {:.3f}\n", ok, failed, took.count());
    return failed == 0 ? 0 : 1;
}
