// Bundles an attacker wrote: `provcheck verify --bundle` on ZIP bombs, hostile ZIP directories, records that
// name local files, type-confused JSON, and a verify killed halfway. Every hostile bundle is built here, from the
// seed bundle and a small ZIP writer of the test's own that can write what no honest writer would.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/hash.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace provcheck;

namespace {

constexpr std::uint64_t mib = 1024 * 1024;
// The bound docs/security.md sets for the peak memory of any hostile input.
constexpr std::uint64_t rss_limit = 256 * mib;
// What the release binary holds before it reads anything (its code and libraries: about 12 MiB), allowed for in
// the bound generously.
constexpr std::uint64_t release_footprint = 32 * mib;

// The bound for this build's binary: what an input may add to the binary's own footprint. A sanitizer build's
// code alone is some 170 MiB resident, which no input causes; its footprint is measured once, as `provcheck
// --version` under the same allocator settings as the runs it is compared with.
std::uint64_t rss_bound() {
    static const std::uint64_t bound = [] {
        const char* asan = std::getenv("ASAN_OPTIONS");
        auto r = test::run({"/usr/bin/time", "-f", "%M", test::provcheck_binary(), "--version"},
                           {{"ASAN_OPTIONS", std::string(asan != nullptr ? asan : "") + ":quarantine_size_mb=16"}});
        std::string err = r.err;
        while (!err.empty() && err.back() == '\n')
            err.pop_back();
        const std::uint64_t footprint = std::stoull(err.substr(err.rfind('\n') + 1)) * 1024;
        return rss_limit - release_footprint + std::max(footprint, release_footprint);
    }();
    return bound;
}

// ---------------------------------------------------------------------------------------------
// A ZIP writer that writes what it is told, lies included.

struct Entry {
    std::string name;                       // in the central directory
    std::optional<std::string> local_name;  // in the local header, when it should differ
    std::string data;                       // as stored in the archive (deflated already for method 8)
    std::uint16_t method = 0;
    std::optional<std::uint32_t> crc;   // default: CRC-32 of `data` (stored) or of `inflated_crc_of`
    std::optional<std::uint64_t> size;  // declared uncompressed size; default: data.size()
    std::uint32_t unix_mode = 0100644;
};

Entry entry(std::string name, std::string data, std::uint16_t method = 0,
            std::optional<std::uint32_t> crc = std::nullopt, std::optional<std::uint64_t> size = std::nullopt,
            std::uint32_t unix_mode = 0100644) {
    return Entry{std::move(name), std::nullopt, std::move(data), method, crc, size, unix_mode};
}

void put16(std::string& s, std::uint64_t v) {
    s.push_back(static_cast<char>(v & 0xff));
    s.push_back(static_cast<char>((v >> 8) & 0xff));
}
void put32(std::string& s, std::uint64_t v) {
    put16(s, v & 0xffff);
    put16(s, (v >> 16) & 0xffff);
}

std::uint32_t crc_of(std::string_view data) {
    uLong crc = crc32(0L, Z_NULL, 0);
    for (std::size_t at = 0; at < data.size(); at += 1U << 30) {
        auto n = static_cast<uInt>(std::min<std::size_t>(data.size() - at, 1U << 30));
        crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data() + at), n);
    }
    return static_cast<std::uint32_t>(crc);
}

// Writes the archive to `path`; `declared_count` overrides the entry count of the end record.
void write_zip(const std::filesystem::path& path, const std::vector<Entry>& entries,
               std::optional<std::uint64_t> declared_count = std::nullopt) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    REQUIRE(out);
    std::string dir;
    std::uint64_t offset = 0;
    for (const auto& e : entries) {
        const std::uint32_t crc = e.crc.value_or(crc_of(e.data));
        const std::uint64_t size = e.size.value_or(e.data.size());
        const std::string& local_name = e.local_name.value_or(e.name);
        std::string head;
        put32(head, 0x04034b50);
        put16(head, 20);
        put16(head, 0);
        put16(head, e.method);
        put16(head, 0);
        put16(head, 0x21);
        put32(head, crc);
        put32(head, e.data.size());
        put32(head, size);
        put16(head, local_name.size());
        put16(head, 0);
        head += local_name;
        out.write(head.data(), static_cast<std::streamsize>(head.size()));
        out.write(e.data.data(), static_cast<std::streamsize>(e.data.size()));
        put32(dir, 0x02014b50);
        put16(dir, (3 << 8) | 20);
        put16(dir, 20);
        put16(dir, 0);
        put16(dir, e.method);
        put16(dir, 0);
        put16(dir, 0x21);
        put32(dir, crc);
        put32(dir, e.data.size());
        put32(dir, size);
        put16(dir, e.name.size());
        put16(dir, 0);
        put16(dir, 0);
        put16(dir, 0);
        put16(dir, 0);
        put32(dir, static_cast<std::uint64_t>(e.unix_mode) << 16);
        put32(dir, offset);
        dir += e.name;
        offset += head.size() + e.data.size();
    }
    std::string end;
    put32(end, 0x06054b50);
    put16(end, 0);
    put16(end, 0);
    put16(end, declared_count.value_or(entries.size()));
    put16(end, declared_count.value_or(entries.size()));
    put32(end, dir.size());
    put32(end, offset);
    put16(end, 0);
    out.write(dir.data(), static_cast<std::streamsize>(dir.size()));
    out.write(end.data(), static_cast<std::streamsize>(end.size()));
    REQUIRE(out);
}

// Raw deflate of `data` at `level` (0: stored blocks, as incompressible data would be).
std::string deflate_raw(std::string_view data, int level, int flush = Z_FINISH) {
    z_stream zs{};
    REQUIRE(deflateInit2(&zs, level, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&zs, flush);
    REQUIRE((rc == Z_STREAM_END || rc == Z_OK));
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

// A deflate stream of `pieces` × 64 MiB of zero bytes, made of one flushed piece repeated (a piece that ends
// with a full flush stands alone), and the CRC-32 of what it inflates to.
std::pair<std::string, std::uint32_t> zero_bomb(std::size_t pieces) {
    const std::string zeros(64 * mib, '\0');
    const std::string piece = deflate_raw(zeros, 9, Z_FULL_FLUSH);
    std::string stream;
    uLong crc = crc32(0L, Z_NULL, 0);
    for (std::size_t i = 0; i < pieces; ++i) {
        stream += piece;
        crc = crc32(crc, reinterpret_cast<const Bytef*>(zeros.data()), static_cast<uInt>(zeros.size()));
    }
    stream += deflate_raw("", 9);  // the final, empty block
    return {stream, static_cast<std::uint32_t>(crc)};
}

// ---------------------------------------------------------------------------------------------
// The seed bundle, made once, and read back with a reader of the test's own (stored entries only, as
// provcheck writes them).

struct ReaderSeed {
    test::TempDir dir;
    std::filesystem::path bundle = dir / "seed.wacz";
    std::vector<std::pair<std::string, std::string>> entries;  // in archive order

    ReaderSeed() {
        std::map<std::string, std::string> env{{"XDG_CONFIG_HOME", (dir / "config").string()}};
        auto bin = test::provcheck_binary();
        auto checked =
            test::run({bin, "check", test::source_path("fixtures/seed/article.html").string(), "--replay",
                       test::source_path("fixtures/seed/sources.warc").string(), "--source",
                       "NYT=https://www.nytimes.com/2023/10/17/us/politics/qatar-hamas-hostages-mediator.html",
                       "--workspace", (dir / "ws").string(), "--quiet", "--fail-on", "none"},
                      env);
        REQUIRE(checked.exit_code == 0);
        auto exported =
            test::run({bin, "export", "--bundle", bundle.string(), "--workspace", (dir / "ws").string()}, env);
        REQUIRE(exported.exit_code == 0);
        std::ifstream in(bundle, std::ios::binary);
        std::string z((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        auto get16 = [&](std::size_t at) {
            return static_cast<std::size_t>(static_cast<unsigned char>(z[at]) |
                                            (static_cast<unsigned char>(z[at + 1]) << 8));
        };
        auto get32 = [&](std::size_t at) { return get16(at) | (get16(at + 2) << 16); };
        std::size_t end = z.rfind(std::string("PK\x05\x06", 4));
        REQUIRE(end != std::string::npos);
        std::size_t at = get32(end + 16);
        for (std::size_t n = get16(end + 10); n > 0; --n) {
            REQUIRE(get32(at) == 0x02014b50);
            REQUIRE(get16(at + 10) == 0);  // stored
            std::size_t size = get32(at + 20);
            std::size_t name_len = get16(at + 28);
            std::size_t local = get32(at + 42);
            std::string name = z.substr(at + 46, name_len);
            std::size_t data = local + 30 + get16(local + 26) + get16(local + 28);
            entries.emplace_back(name, z.substr(data, size));
            at += 46 + name_len + get16(at + 30) + get16(at + 32);
        }
    }

    [[nodiscard]] const std::string& get(std::string_view name) const {
        for (const auto& [n, d] : entries) {
            if (n == name) return d;
        }
        FAIL("the seed bundle has no " << name);
        static const std::string none;
        return none;
    }
    [[nodiscard]] std::string first_named(std::string_view prefix) const {
        for (const auto& [n, d] : entries) {
            if (n.starts_with(prefix)) return n;
        }
        FAIL("the seed bundle has nothing under " << prefix);
        return {};
    }

    // The seed's entries with some replaced (same name) or added, datapackage.json's digests made to match
    // again unless `keep_manifest`, all stored.
    [[nodiscard]] std::vector<Entry> with(const std::map<std::string, std::string>& replaced,
                                          bool keep_manifest = false) const {
        std::vector<Entry> out;
        std::map<std::string, std::string> data;
        for (const auto& [n, d] : entries) {
            auto it = replaced.find(n);
            data[n] = it != replaced.end() ? it->second : d;
        }
        if (!keep_manifest && !replaced.contains("datapackage.json")) {
            json dp = json::parse(get("datapackage.json"));
            for (auto& r : dp["resources"]) {
                const std::string& d = data[r["path"].get<std::string>()];
                r["hash"] = "sha256:" + sha256_hex(d);
                r["bytes"] = d.size();
            }
            data["datapackage.json"] = dp.dump(1) + "\n";
            if (!replaced.contains("datapackage-digest.json")) {
                json digest = {{"path", "datapackage.json"},
                               {"hash", "sha256:" + sha256_hex(data["datapackage.json"])}};
                data["datapackage-digest.json"] = digest.dump(1) + "\n";
            }
        }
        for (const auto& [n, d] : entries)
            out.push_back(entry(n, data[n]));
        return out;
    }
};

const ReaderSeed& seed() {
    static const ReaderSeed s;
    return s;
}

// The records of the seed bundle with the statement of line `line` (from 1) changed by `edit`; the signature
// no longer verifies, but verify still reads the captures the statement names.
std::string records_with_statement(std::size_t line, const std::function<void(json&)>& edit) {
    std::string out;
    std::string_view rest = seed().get("provcheck/records.jsonl");
    for (std::size_t n = 1; !rest.empty(); ++n) {
        auto nl = rest.find('\n');
        json rec = json::parse(rest.substr(0, nl));
        rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
        if (n == line) {
            json env = json::parse(rec["envelope"].get<std::string>());
            json statement = json::parse(*base64_decode(env["payload"].get<std::string>()));
            edit(statement);
            env["payload"] = base64_encode(statement.dump());
            rec["envelope"] = env.dump();
        }
        out += rec.dump() + "\n";
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Running the binary with a deadline, its peak memory measured.

struct Outcome {
    int exit_code = -1;  // -1: killed by a signal
    bool timed_out = false;
    std::uint64_t peak_rss = 0;  // bytes
    std::string out;
    std::string err;
};

Outcome verify_bundle(const std::filesystem::path& bundle, const std::filesystem::path& tmpdir, int seconds = 120) {
    test::TempDir logs;
    std::filesystem::create_directories(tmpdir);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        int out = ::open((logs / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = ::open((logs / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(out, STDOUT_FILENO);
        ::dup2(err, STDERR_FILENO);
        ::setenv("TMPDIR", tmpdir.c_str(), 1);
        // AddressSanitizer keeps freed memory for a while (256 MiB by default), which is not the program's.
        const char* asan = std::getenv("ASAN_OPTIONS");
        ::setenv("ASAN_OPTIONS", (std::string(asan != nullptr ? asan : "") + ":quarantine_size_mb=16").c_str(), 1);
        ::setenv("XDG_CONFIG_HOME", (tmpdir.parent_path() / "nokeys").c_str(), 1);
        // Measured by time(1), whose own small process starts provcheck: a child forked from this test would
        // count the test's memory as its own until it execs.
        std::string bin = test::provcheck_binary();
        ::execl("/usr/bin/time", "/usr/bin/time", "-f", "%M", "-o", (logs / "rss").c_str(), bin.c_str(), "verify",
                "--bundle", bundle.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    Outcome o;
    int status = 0;
    rusage usage{};
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    for (;;) {
        pid_t done = ::wait4(pid, &status, WNOHANG, &usage);
        if (done == pid) break;
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::wait4(pid, &status, 0, &usage);
            o.timed_out = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    auto slurp = [](const std::filesystem::path& p) {
        std::ifstream in(p, std::ios::binary);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    };
    o.out = slurp(logs / "out");
    o.err = slurp(logs / "err");
    // time(1) exits with the command's status, and writes "Command exited with non-zero status N" before the
    // figure when it is not 0: the figure is the last line.
    std::string rss = slurp(logs / "rss");
    while (!rss.empty() && rss.back() == '\n')
        rss.pop_back();
    o.peak_rss = std::stoull(rss.substr(rss.rfind('\n') + 1)) * 1024;
    return o;
}

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

std::vector<std::string> listing(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
        names.push_back(e.path().string());
    return names;
}

}  // namespace

TEST_CASE("an entry that declares 4 GB is refused before anything is inflated", "[security]") {
    test::TempDir dir;
    auto [stream, crc] = zero_bomb(1);  // 64 MiB of zeros in about 64 KiB, declared as almost 4 GiB
    auto entries = seed().with({});
    entries.push_back(entry("archive/bomb.warc.gz", stream, 8, crc, std::uint64_t{0xfffffff0}));
    write_zip(dir / "b.wacz", entries);
    auto o = verify_bundle(dir / "b.wacz", dir / "tmp");
    INFO(o.out << o.err);
    CHECK_FALSE(o.timed_out);
    CHECK(o.exit_code == 1);
    CHECK(contains(o.err, "archive/bomb.warc.gz"));
    CHECK(contains(o.err, "ZIP bomb"));
    CHECK(o.peak_rss < rss_bound());
    CHECK(listing(dir / "tmp").empty());
}

TEST_CASE("a few MB that inflate to gigabytes are refused in little memory and no disk", "[security]") {
    test::TempDir dir;
    auto [stream, crc] = zero_bomb(16);  // 1 GiB each, honestly declared, about 1 MiB of deflate each
    auto entries = seed().with({});
    for (int i = 0; i < 3; ++i) {
        entries.push_back(entry(fmt::format("archive/bomb{}.warc.gz", i), stream, 8, crc, 16 * 64 * mib));
    }
    write_zip(dir / "b.wacz", entries);
    auto o = verify_bundle(dir / "b.wacz", dir / "tmp");
    INFO(o.out << o.err);
    CHECK_FALSE(o.timed_out);
    CHECK(o.exit_code == 1);
    CHECK(contains(o.err, "ZIP bomb"));
    CHECK(o.peak_rss < rss_bound());
    CHECK(listing(dir / "tmp").empty());
}

TEST_CASE("more entries than a bundle may hold are refused before the directory is read", "[security]") {
    test::TempDir dir;
    std::vector<Entry> entries;
    for (int i = 0; i < 65'000; ++i)
        entries.push_back(entry(fmt::format("pages/{}.json", i), "{}"));
    // The end record says more than the 16-bit field holds: a ZIP64 record would say 10^9 just as easily.
    write_zip(dir / "many.wacz", entries);
    auto o = verify_bundle(dir / "many.wacz", dir / "tmp");
    INFO(o.out << o.err);
    // 65,000 entries are within the limit: the bundle is refused for what it lacks, not for its size.
    CHECK(o.exit_code == 1);
    CHECK(o.peak_rss < rss_bound());

    // A ZIP64 end record that declares 200,000 entries.
    std::string z;
    {
        std::ifstream in(dir / "many.wacz", std::ios::binary);
        z.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    std::string end = z.substr(z.size() - 22);
    const std::uint64_t dir_size = static_cast<unsigned char>(end[12]) | (static_cast<unsigned char>(end[13]) << 8) |
                                   (static_cast<unsigned char>(end[14]) << 16) |
                                   (static_cast<std::uint64_t>(static_cast<unsigned char>(end[15])) << 24);
    const std::uint64_t dir_offset = z.size() - 22 - dir_size;
    z.resize(z.size() - 22);
    const std::uint64_t end64_at = z.size();
    std::string end64;
    put32(end64, 0x06064b50);
    put32(end64, 44);
    put32(end64, 0);
    put16(end64, 45);
    put16(end64, 45);
    put32(end64, 0);
    put32(end64, 0);
    put32(end64, 200'000);
    put32(end64, 0);
    put32(end64, 200'000);
    put32(end64, 0);
    put32(end64, dir_size);
    put32(end64, 0);
    put32(end64, dir_offset);
    put32(end64, 0);
    put32(end64, 0x07064b50);
    put32(end64, 0);
    put32(end64, end64_at);
    put32(end64, 0);
    put32(end64, 1);
    std::string end32;
    put32(end32, 0x06054b50);
    put32(end32, 0);
    put16(end32, 0xffff);
    put16(end32, 0xffff);
    put32(end32, 0xffffffff);
    put32(end32, 0xffffffff);
    put16(end32, 0);
    {
        std::ofstream out(dir / "zip64.wacz", std::ios::binary | std::ios::trunc);
        out << z << end64 << end32;
    }
    auto o64 = verify_bundle(dir / "zip64.wacz", dir / "tmp");
    INFO(o64.out << o64.err);
    CHECK(o64.exit_code == 1);
    CHECK(contains(o64.err, "200000 entries, more than the 100000"));
    CHECK(o64.peak_rss < rss_bound());
}

TEST_CASE("duplicate names and local headers that disagree with the directory are refused", "[security]") {
    test::TempDir dir;
    const std::string records = seed().get("provcheck/records.jsonl");
    auto entries = seed().with({});
    entries.push_back(entry("provcheck/records.jsonl", records.substr(0, records.find('\n') + 1)));
    write_zip(dir / "dup.wacz", entries);
    auto dup = verify_bundle(dir / "dup.wacz", dir / "tmp");
    INFO(dup.out << dup.err);
    CHECK(dup.exit_code == 1);
    CHECK(contains(dup.err, "two entries are named 'provcheck/records.jsonl'"));

    auto mismatched = seed().with({});
    for (auto& e : mismatched) {
        if (e.name == "provcheck/records.jsonl") e.local_name = "provcheck/records.jsonX";
    }
    write_zip(dir / "local.wacz", mismatched);
    auto local = verify_bundle(dir / "local.wacz", dir / "tmp");
    INFO(local.out << local.err);
    CHECK(local.exit_code == 1);
    CHECK(contains(local.err, "inconsistent"));
}

TEST_CASE("entry names that a tool could read as a path elsewhere, and links, are refused", "[security]") {
    test::TempDir dir;
    const std::vector<std::pair<std::string, std::string>> names{
        {"/etc/provcheck-test", "an absolute name"},
        {"archive/../../x.warc.gz", "\"..\" segment"},
        {"archive\\x.warc.gz", "a backslash"},
        {std::string("archive/x\0y.warc.gz", 19), "a NUL byte"},
        {"archive/\x1b[2Jx.warc.gz", "a control character"},
        {"archive//x.warc.gz", "an empty segment"},
        {"./archive/x.warc.gz", "\".\" segment"},
    };
    for (const auto& [name, why] : names) {
        auto entries = seed().with({});
        entries.push_back(entry(name, "x"));
        write_zip(dir / "n.wacz", entries);
        auto o = verify_bundle(dir / "n.wacz", dir / "tmp");
        INFO(why << "\n" << o.out << o.err);
        CHECK(o.exit_code == 1);
        CHECK(contains(o.err, why));
    }
    auto entries = seed().with({});
    entries.push_back(entry("provcheck/keys/link.pub", "/etc/passwd", 0, std::nullopt, std::nullopt, 0120777));
    write_zip(dir / "link.wacz", entries);
    auto o = verify_bundle(dir / "link.wacz", dir / "tmp");
    INFO(o.out << o.err);
    CHECK(o.exit_code == 1);
    CHECK(contains(o.err, "not a regular file (Unix mode 120777)"));
}

TEST_CASE("a capture file a record names is looked up in the bundle, never opened as a local path", "[security]") {
    test::TempDir dir;
    const std::string fifo = (dir / "fifo").string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const std::vector<std::string> files{"/etc/passwd", "../../../../../../etc/passwd", fifo,
                                         "warc/../../../../../../etc/passwd"};
    for (const auto& file : files) {
        std::string records = records_with_statement(1, [&](json& statement) {
            for (auto& c : statement["predicate"]["captures"])
                c["warc"]["file"] = file;
        });
        write_zip(dir / "b.wacz", seed().with({{"provcheck/records.jsonl", records}}));
        auto o = verify_bundle(dir / "b.wacz", dir / "tmp", 60);
        INFO(file << "\n" << o.out << o.err);
        CHECK_FALSE(o.timed_out);
        CHECK(o.exit_code == 2);
        CHECK_FALSE(contains(o.out + o.err, "root:"));
        CHECK(contains(o.out, "is not in the bundle"));
    }
}

TEST_CASE("a verify killed at any moment leaves the temporary directory as it was", "[security]") {
    test::TempDir dir;
    // A large deflated WARC file the first record points to (read through an unnamed temporary file), and a large
    // stored one that is only hashed, so that the verify runs long enough to be killed in every stage.
    std::string big(192 * mib, '\0');
    for (std::size_t i = 0; i < big.size(); i += 4096)
        big[i] = static_cast<char>(i / 4096);
    std::string deflated = deflate_raw(big, 0);
    const std::uint32_t crc = crc_of(big);
    const std::uint64_t size = big.size();
    std::string records = records_with_statement(1, [&](json& statement) {
        for (auto& c : statement["predicate"]["captures"])
            c["warc"]["file"] = "warc/big.warc.gz";
    });
    auto entries = seed().with({{"provcheck/records.jsonl", records}});
    entries.push_back(entry("archive/big.warc.gz", std::move(deflated), 8, crc, size));
    entries.push_back(entry("archive/big2.warc.gz", std::move(big)));
    write_zip(dir / "big.wacz", entries);
    entries.clear();

    const auto tmp = dir / "tmp";
    std::filesystem::create_directories(tmp);
    int killed_while_running = 0;
    for (int delay_ms : {30, 60, 120, 250, 500, 1000, 2000, 4000}) {
        pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            int null = ::open("/dev/null", O_WRONLY);
            ::dup2(null, STDOUT_FILENO);
            ::dup2(null, STDERR_FILENO);
            ::setenv("TMPDIR", tmp.c_str(), 1);
            std::string bin = test::provcheck_binary();
            ::execl(bin.c_str(), bin.c_str(), "verify", "--bundle", (dir / "big.wacz").c_str(),
                    static_cast<char*>(nullptr));
            ::_exit(127);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (WIFSIGNALED(status)) ++killed_while_running;
        INFO("killed after " << delay_ms << " ms");
        CHECK(listing(tmp).empty());
    }
    CHECK(killed_while_running >= 3);
}

TEST_CASE("type-confused bundle JSON is a verification failure naming entry, line and key", "[security]") {
    test::TempDir dir;
    const std::string records = seed().get("provcheck/records.jsonl");
    auto line_with = [&](std::size_t line, const std::function<void(json&)>& edit) {
        std::string out;
        std::string_view rest = records;
        for (std::size_t n = 1; !rest.empty(); ++n) {
            auto nl = rest.find('\n');
            json rec = json::parse(rest.substr(0, nl));
            rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
            if (n == line) edit(rec);
            out += rec.dump() + "\n";
        }
        return out;
    };
    struct Case {
        std::string entry;
        std::string data;
        std::string expected;
    };
    std::string many_values = "[";
    for (int i = 0; i < 700'000; ++i)
        many_values += i == 0 ? "{}" : ",{}";
    many_values += "]";
    const std::vector<Case> cases{
        {"provcheck/records.jsonl", line_with(2, [](json& r) { r["log_index"] = "1"; }),
         "provcheck/records.jsonl line 2: key \"log_index\": expected an unsigned integer, found a string"},
        {"provcheck/records.jsonl", line_with(1, [](json& r) { r["envelope"] = json::object(); }),
         "provcheck/records.jsonl line 1: key \"envelope\": expected a string, found an object"},
        {"provcheck/records.jsonl", line_with(3, [](json& r) { r["log_index"] = -3; }),
         "provcheck/records.jsonl line 3: key \"log_index\": expected an unsigned integer, found a negative number"},
        {"provcheck/records.jsonl", line_with(1, [](json& r) { r.erase("claim_id"); }),
         "provcheck/records.jsonl line 1: key \"claim_id\" is missing"},
        {"provcheck/records.jsonl", "[1,2]\n" + records,
         "provcheck/records.jsonl line 1: expected an object, found an array"},
        {"provcheck/records.jsonl", records + "{\"claim_id\": tru\n",
         "provcheck/records.jsonl line 11: not valid JSON"},
        {"provcheck/log.json", R"({"entries": {"0": "ab"}})",
         "provcheck/log.json: key \"entries\": expected an array, found an object"},
        {"provcheck/log.json", R"({"entries": [1]})",
         "provcheck/log.json: key \"entries\", item 0: expected a string, found a number"},
        {"provcheck/log.json", R"(["x"])", "provcheck/log.json: expected an object, found an array"},
        {"provcheck/checkpoints.json", R"({"size": 1})",
         "provcheck/checkpoints.json: expected an array, found an object"},
        {"provcheck/checkpoints.json", R"([{"size": "11", "note": "x", "created_at": "y"}])",
         "provcheck/checkpoints.json: item 0: key \"size\": expected an unsigned integer, found a string"},
        {"provcheck/checkpoints.json", R"([{"size": 11, "note": ["x"], "created_at": "y"}])",
         "provcheck/checkpoints.json: item 0: key \"note\": expected a string, found an array"},
        {"provcheck/checkpoints.json", many_values, "provcheck/checkpoints.json: more than 600000 JSON values"},
        {"datapackage.json", R"({"resources": {"path": "x"}})",
         "datapackage.json: key \"resources\": expected an array, found an object"},
        {"datapackage.json", R"({"resources": [{"path": 5, "hash": "sha256:00"}]})",
         "datapackage.json: key \"resources\", item 0: key \"path\": expected a string, found a number"},
        {"datapackage.json", R"({"resources": [{"path": "provcheck/log.json", "hash": "x", "bytes": "1"}]})",
         "datapackage.json: key \"resources\", item 0: key \"bytes\": expected an unsigned integer, found a string"},
        {"datapackage-digest.json", R"({"hash": 7})",
         "datapackage-digest.json: key \"hash\": expected a string, found a number"},
    };
    for (const auto& c : cases) {
        write_zip(dir / "t.wacz", seed().with({{c.entry, c.data}}));
        auto o = verify_bundle(dir / "t.wacz", dir / "tmp");
        INFO(c.entry << ": " << c.expected << "\n" << o.out << o.err);
        CHECK(o.exit_code == 2);
        CHECK(contains(o.out, "FAIL bundle: " + c.expected));
        CHECK_FALSE(contains(o.err, "internal error"));
        CHECK(o.peak_rss < rss_bound());
    }
}
