// Claims signed (Ed25519), logged (Merkle log) and stored (SQLite, WAL) per second, and records verified per
// second by the same code as `provcheck verify --all`, on one core, in a fresh workspace under a temp dir.
//   provcheck-bench-records [CLAIMS] [CLAIMS_PER_ARTICLE]
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <ctime>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "record/record.hpp"
#include "record/verify.hpp"
#include "warc/warc_writer.hpp"

using namespace provcheck;
using Clock_ = std::chrono::steady_clock;

namespace {

Capture store(WarcWriter& w, const std::string& url, const std::string& body) {
    Exchange e;
    e.url = url;
    e.request_head = "GET / HTTP/1.1\r\nHost: bench.example\r\n\r\n";
    e.status = 200;
    e.status_line = "HTTP/1.1 200 OK";
    e.headers = {{"Content-Type", "text/html; charset=utf-8"}};
    e.body = body;
    e.remote_ip = "127.0.0.1";
    e.fetched_at = "2023-10-19T08:00:00Z";
    auto s = w.store(e);
    if (!s) {
        fmt::print(stderr, "bench: {}\n", s.error().message);
        std::exit(1);
    }
    Capture c;
    c.requested_url = url;
    c.final_url = url;
    c.status = 200;
    c.fetched_at = e.fetched_at;
    c.payload_sha256 = s->payload_sha256;
    c.block_sha256 = s->block_sha256;
    c.stored = s->ref;
    c.chain = {{url, 200, HopVia::start}};
    return c;
}

double seconds(Clock_::duration d) {
    return std::chrono::duration<double>(d).count();
}

// CPU time of this process: on a shared machine the wall clock also counts the time other processes held
// the core, so both are printed.
double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
    const int claims = argc > 1 ? std::atoi(argv[1]) : 20000;
    const int per_article = argc > 2 ? std::atoi(argv[2]) : 50;
    if (claims <= 0 || per_article <= 0) {
        fmt::print(stderr, "usage: provcheck-bench-records [CLAIMS] [CLAIMS_PER_ARTICLE]\n");
        return 3;
    }
    std::string templ = (std::filesystem::temp_directory_path() / "provcheck-bench-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) return 1;
    const std::filesystem::path ws(templ);
    std::filesystem::create_directories(ws / "warc");
    SystemClock clock;
    auto key = SigningKey::generate();
    auto db = Database::open(ws / "store.db");
    auto writer = WarcWriter::open(ws / "warc", clock);
    if (!key || !db || !writer) return 1;
    auto run = db->begin_run(format_rfc3339(clock.now()), "bench", "digest");
    if (!run) return 1;

    // Captures are made once, outside the timing: the benchmark measures records, not fetching.
    Capture article = store(*writer, "https://news.example/article", std::string(20000, 'a'));
    Capture source = store(*writer, "https://source.example/story", std::string(40000, 'b'));

    RecordContext ctx{*key, *db, *run, std::string(64, 'd'), clock};
    auto start = Clock_::now();
    double cpu_start = cpu_seconds();
    int done = 0;
    for (int a = 0; done < claims; ++a) {
        ArticleResult art;
        art.input = fmt::format("article-{}.html", a);
        art.capture = article;
        for (int i = 0; i < per_article && done < claims; ++i, ++done) {
            ClaimResult c;
            c.claim.id = fmt::format("{:016x}", done);
            c.claim.quote = fmt::format("people from more than {} countries are among the hostages", done);
            c.claim.speaker = "The New York Times";
            c.claim.outlet = "The New York Times";
            c.verdict = Verdict::altered;
            Match m;
            m.verdict = Verdict::altered;
            m.score = 0.93;
            m.text = "people from more than 30 countries are among the hostages";
            m.differences.push_back({"replace", std::to_string(done), "30", DiffKind::number, true});
            c.match = m;
            c.source = source;
            c.candidates = {source};
            art.claims.push_back(std::move(c));
        }
        if (auto r = record_article(ctx, art); !r) {
            fmt::print(stderr, "bench: {}\n", r.error().message);
            return 1;
        }
    }
    const double record_s = seconds(Clock_::now() - start);
    const double record_cpu = cpu_seconds() - cpu_start;

    TrustedKeys keys;
    keys.by_id[key->key_id()] = key->public_raw();
    start = Clock_::now();
    cpu_start = cpu_seconds();
    auto verified = verify_workspace(*db, ws, keys, {});
    const double verify_s = seconds(Clock_::now() - start);
    const double verify_cpu = cpu_seconds() - cpu_start;
    if (!verified || !verified->problems.empty()) {
        fmt::print(stderr, "bench: verification failed\n");
        return 1;
    }
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    auto db_bytes = std::filesystem::file_size(ws / "store.db");
    fmt::print("claims                       {}\n", claims);
    fmt::print("claims per article           {}\n", per_article);
    const auto checked = static_cast<double>(verified->records_checked);
    fmt::print("sign + log + store           {:.2f} s   {:.0f} claims/s   (target >= 5000)\n", record_s,
               claims / record_s);
    fmt::print("  on CPU time                {:.2f} s   {:.0f} claims/s\n", record_cpu, claims / record_cpu);
    fmt::print("verify --all (same code)     {:.2f} s   {:.0f} records/s  (target >= 5000; {} captures re-hashed)\n",
               verify_s, checked / verify_s, verified->captures_checked);
    fmt::print("  on CPU time                {:.2f} s   {:.0f} records/s\n", verify_cpu, checked / verify_cpu);
    fmt::print("store.db                     {:.1f} MiB ({:.0f} bytes per record)\n", db_bytes / 1048576.0,
               static_cast<double>(db_bytes) / claims);
    fmt::print("peak RSS                     {:.1f} MiB\n", ru.ru_maxrss / 1024.0);
    std::error_code ec;
    std::filesystem::remove_all(ws, ec);
    return 0;
}
