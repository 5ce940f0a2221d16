// Alignment benchmark.
//
//   provcheck-bench-align generate --mb N --quotes Q [--seed S] --out DIR
//       writes DIR/source-Nmb.txt and DIR/quotes-Nmb.tsv (kind TAB expected verdict TAB quotation)
//   provcheck-bench-align measure --source FILE --quotes FILE [--json FILE]
//       indexes the source once, aligns every quotation, prints timings, memory and accuracy
//
// Single-threaded: the figures are per core.
#include <sys/resource.h>
#include <time.h>

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "align/align.hpp"
#include "core/types.hpp"
#include "corpus.hpp"

namespace {

using provcheck::bench::QuoteKind;
using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t0) {
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

// CPU time of this thread: on a shared machine, wall time also counts the other processes' turns.
double thread_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

long peak_rss_kib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

std::string option(int argc, char** argv, const std::string& name, const std::string& fallback = {}) {
    for (int i = 1; i + 1 < argc; ++i) {
        if (argv[i] == name) return argv[i + 1];
    }
    return fallback;
}

bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream s;
    s << in.rdbuf();
    out = s.str();
    return true;
}

int generate(int argc, char** argv) {
    const std::string out_dir = option(argc, argv, "--out");
    const std::size_t mb = std::stoul(option(argc, argv, "--mb", "1"));
    const std::size_t quotes = std::stoul(option(argc, argv, "--quotes", "10000"));
    const std::uint64_t seed = std::stoull(option(argc, argv, "--seed", "1"));
    if (out_dir.empty()) {
        std::fputs("generate: --out DIR is required\n", stderr);
        return 3;
    }
    const auto corpus = provcheck::bench::generate_corpus(seed + mb, mb * 1'000'000, quotes);
    const std::string source_path = fmt::format("{}/source-{}mb.txt", out_dir, mb);
    const std::string quotes_path = fmt::format("{}/quotes-{}mb.tsv", out_dir, mb);
    std::ofstream(source_path, std::ios::binary) << corpus.source;
    std::ofstream q(quotes_path, std::ios::binary);
    for (const auto& lq : corpus.quotes)
        q << provcheck::bench::kind_name(lq.kind) << '\t' << provcheck::bench::expected_verdict(lq.kind) << '\t'
          << lq.text << '\n';
    if (!q) {
        std::fprintf(stderr, "generate: cannot write %s\n", quotes_path.c_str());
        return 1;
    }
    std::printf("wrote %s (%zu bytes) and %s (%zu quotations)\n", source_path.c_str(), corpus.source.size(),
                quotes_path.c_str(), corpus.quotes.size());
    return 0;
}

struct Row {
    std::string kind;
    std::string expected;
    std::string quote;
};

// The three classes of BENCHMARKS.md: found as quoted (verbatim or elided), altered, absent.
std::string coarse(const std::string& verdict) {
    if (verdict == "verbatim" || verdict == "elided" || verdict == "minor_variation") return "found";
    return verdict;
}

int measure(int argc, char** argv) {
    const std::string source_path = option(argc, argv, "--source");
    const std::string quotes_path = option(argc, argv, "--quotes");
    const std::string json_path = option(argc, argv, "--json");
    std::string source;
    std::string quotes_text;
    if (!read_file(source_path, source) || !read_file(quotes_path, quotes_text)) {
        std::fputs("measure: cannot read --source or --quotes\n", stderr);
        return 1;
    }
    std::vector<Row> rows;
    std::istringstream lines(quotes_text);
    for (std::string line; std::getline(lines, line);) {
        const auto t1 = line.find('\t');
        const auto t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
        if (t2 == std::string::npos) continue;
        rows.push_back(Row{line.substr(0, t1), line.substr(t1 + 1, t2 - t1 - 1), line.substr(t2 + 1)});
    }
    quotes_text.clear();
    quotes_text.shrink_to_fit();
    const long rss_before_kib = peak_rss_kib();

    const auto rules = provcheck::default_matching_rules();
    const auto t0 = clock_type::now();
    const double c0 = thread_cpu_seconds();
    const provcheck::PreparedSource prepared(source, rules);
    const double index_s = seconds_since(t0);
    const double index_cpu_s = thread_cpu_seconds() - c0;
    const long rss_index_kib = peak_rss_kib();

    std::map<std::string, std::pair<std::size_t, std::size_t>> by_kind;   // right, total
    std::map<std::string, std::map<std::string, std::size_t>> confusion;  // truth kind -> verdict -> count
    std::size_t right = 0;
    std::size_t coarse_right = 0;
    std::size_t number_flagged = 0;
    std::size_t number_total = 0;
    std::vector<std::string> wrong_examples;
    const auto t1 = clock_type::now();
    const double c1 = thread_cpu_seconds();
    for (const auto& r : rows) {
        const provcheck::Match m = provcheck::align_quote(r.quote, prepared);
        const std::string verdict(provcheck::to_string(m.verdict));
        const bool ok = verdict == r.expected;
        right += ok ? 1 : 0;
        coarse_right += coarse(verdict) == coarse(r.expected) ? 1 : 0;
        ++confusion[r.kind][verdict];
        auto& k = by_kind[r.kind];
        k.first += ok ? 1 : 0;
        ++k.second;
        if (r.kind == "number_changed") {
            ++number_total;
            for (const auto& d : m.differences) {
                if (d.kind == provcheck::DiffKind::number && d.critical) {
                    ++number_flagged;
                    break;
                }
            }
        }
        if (!ok && wrong_examples.size() < 5)
            wrong_examples.push_back(fmt::format("{} -> {} ({}): {}", r.kind, verdict, m.decided_by, r.quote));
    }
    const double align_s = seconds_since(t1);
    const double align_cpu_s = thread_cpu_seconds() - c1;
    const long rss_peak_kib = peak_rss_kib();

    const double mb = static_cast<double>(source.size()) / 1e6;
    const double n = static_cast<double>(rows.size());
    const double total_s = index_s + align_s;
    const double accuracy = rows.empty() ? 0.0 : static_cast<double>(right) / n;
    const double coarse_accuracy = rows.empty() ? 0.0 : static_cast<double>(coarse_right) / n;
    const double index_bytes_per_byte =
        static_cast<double>(prepared.memory_bytes()) / static_cast<double>(std::max<std::size_t>(1, source.size()));

    std::printf("source %.1f MB, %zu words, %zu quotations\n", mb, prepared.word_count(), rows.size());
    std::printf("  index build           %8.1f ms  (%.1f MB/s)\n", index_s * 1e3, mb / index_s);
    std::printf("  alignment             %8.1f ms  (%.1f us per quotation)\n", align_s * 1e3, align_s / n * 1e6);
    std::printf("  quotations/s          %8.0f  index included  (%.0f without)\n", n / total_s, n / align_s);
    std::printf("  CPU time              %8.1f ms index, %.1f us per quotation, %.0f quotations/s index included\n",
                index_cpu_s * 1e3, align_cpu_s / n * 1e6, n / (index_cpu_s + align_cpu_s));
    std::printf("  source MB/s           %8.1f  (source bytes x quotations / time, index included)\n",
                mb * n / total_s);
    std::printf("  index bytes/source B  %8.2f  (%.1f MB); RSS grew %.1f MB while indexing\n", index_bytes_per_byte,
                static_cast<double>(prepared.memory_bytes()) / 1e6,
                static_cast<double>(rss_index_kib - rss_before_kib) / 1024.0);
    std::printf("  peak RSS              %8.1f MB  (source and quotations alone: %.1f MB)\n",
                static_cast<double>(rss_peak_kib) / 1024.0, static_cast<double>(rss_before_kib) / 1024.0);
    std::printf("  accuracy              %8.4f  exact verdict  (%.4f found/altered/absent)\n", accuracy,
                coarse_accuracy);
    for (const auto& [kind, counts] : by_kind)
        std::printf("    %-16s %zu/%zu\n", kind.c_str(), counts.first, counts.second);
    std::printf("    changed numbers flagged critical: %zu/%zu\n", number_flagged, number_total);
    // Confusion matrix: one row per kind of quotation, one column per verdict given.
    static constexpr const char* verdicts[] = {"verbatim", "elided", "minor_variation", "altered", "not_found"};
    std::printf("    %-16s", "truth \\ verdict");
    for (const char* v : verdicts)
        std::printf(" %15s", v);
    std::printf("\n");
    for (const auto& [kind, row] : confusion) {
        std::printf("    %-16s", kind.c_str());
        for (const char* v : verdicts) {
            const auto it = row.find(v);
            std::printf(" %15zu", it == row.end() ? std::size_t{0} : it->second);
        }
        std::printf("\n");
    }
    for (const auto& w : wrong_examples)
        std::printf("    wrong: %.200s\n", w.c_str());

    if (!json_path.empty()) {
        std::ofstream j(json_path);
        j << fmt::format(
            "{{\"source_bytes\": {}, \"quotations\": {}, \"index_s\": {:.6f}, \"align_s\": {:.6f}, "
            "\"index_cpu_s\": {:.6f}, \"align_cpu_s\": {:.6f}, \"quotes_per_s\": {:.1f}, \"accuracy\": {:.6f}, "
            "\"coarse_accuracy\": {:.6f}, "
            "\"index_bytes_per_source_byte\": {:.4f}, \"peak_rss_mib\": {:.1f}}}\n",
            source.size(), rows.size(), index_s, align_s, index_cpu_s, align_cpu_s, n / total_s, accuracy,
            coarse_accuracy, index_bytes_per_byte, static_cast<double>(rss_peak_kib) / 1024.0);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    try {
        if (mode == "generate") return generate(argc, argv);
        if (mode == "measure") return measure(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", mode.c_str(), e.what());
        return 3;
    }
    std::fputs(
        "usage: provcheck-bench-align generate --mb N --quotes Q [--seed S] --out DIR\n"
        "       provcheck-bench-align measure --source FILE --quotes FILE [--json FILE]\n",
        stderr);
    return 3;
}
