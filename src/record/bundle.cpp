#include "record/bundle.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "core/fs.hpp"
#include "core/hash.hpp"
#include "crypto/dsse.hpp"
#include "crypto/ed25519.hpp"
#include "record/manifest.hpp"
#include "record/statement_facts.hpp"
#include "record/vouch.hpp"
#include "store/zip.hpp"
#include "warc/warc_reader.hpp"

namespace provcheck {

using nlohmann::json;

namespace {

constexpr std::string_view wacz_version = "1.1.1";

// A temporary directory removed with everything in it.
class ScratchDir {
public:
    static Result<ScratchDir> make() {
        std::string templ = (std::filesystem::temp_directory_path() / ("provcheck-bundle-" + std::string(6, 'X')))
                                .string();  // mkdtemp template
        if (::mkdtemp(templ.data()) == nullptr) return fail(ErrorCode::io, "cannot create a temporary directory");
        return ScratchDir(templ);
    }
    ScratchDir(ScratchDir&& o) noexcept : path_(std::exchange(o.path_, {})) {}
    ScratchDir& operator=(ScratchDir&&) = delete;
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    ~ScratchDir() {
        if (path_.empty()) return;
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

private:
    explicit ScratchDir(std::filesystem::path p) : path_(std::move(p)) {}
    std::filesystem::path path_;
};

// SURT form of a URL for the CDXJ index: host labels reversed and comma-joined, then ")" and the path.
std::string surt(std::string_view url) {
    auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return std::string(url);
    std::string_view rest = url.substr(scheme_end + 3);
    auto path_start = rest.find_first_of("/?#");
    std::string host(rest.substr(0, path_start));
    std::string path = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
    if (auto colon = host.find(':'); colon != std::string::npos) host.resize(colon);
    std::transform(host.begin(), host.end(), host.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (host.starts_with("www.")) host.erase(0, 4);
    std::vector<std::string> labels;
    std::size_t start = 0;
    while (true) {
        auto dot = host.find('.', start);
        labels.push_back(host.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    std::string out;
    for (auto it = labels.rbegin(); it != labels.rend(); ++it)
        out += (out.empty() ? "" : ",") + *it;
    return out + ")" + path;
}

std::string timestamp14(std::string_view date) {
    std::string out;
    for (char c : date) {
        if (c >= '0' && c <= '9') out.push_back(c);
        if (out.size() == 14) break;
    }
    out.resize(14, '0');
    return out;
}

// Index lines of the records that start before `end` (the exported part of the file).
std::string cdxj_lines(const std::filesystem::path& file, const std::string& name, std::uint64_t end) {
    std::vector<std::string> lines;
    WarcScan scan = scan_warc(file);
    for (const auto& rec : scan.records) {
        if (rec.offset >= end) break;
        if (rec.type() != "response" && rec.type() != "resource") continue;
        json j = {{"url", rec.target_uri()},
                  {"digest", rec.payload_digest()},
                  {"length", rec.length},
                  {"offset", rec.offset},
                  {"filename", name}};
        if (rec.type() == "response") {
            if (auto head = parse_http_response_head(rec.block)) {
                j["status"] = std::to_string(head->status);
                if (const auto* ct = find_header(head->headers, "Content-Type")) j["mime"] = *ct;
            }
        } else {
            j["status"] = "200";
            j["mime"] = rec.content_type();
        }
        lines.push_back(fmt::format("{} {} {}", surt(rec.target_uri()), timestamp14(rec.date()), j.dump()));
    }
    std::string out;
    for (auto& l : lines)
        out += l + "\n";
    return out;
}

}  // namespace

std::string ed25519_public_pem(std::string_view public_raw) {
    // SubjectPublicKeyInfo { AlgorithmIdentifier { id-Ed25519 (1.3.101.112) }, BIT STRING key } (RFC 8410).
    static constexpr unsigned char prefix[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    std::string der(reinterpret_cast<const char*>(prefix), sizeof prefix);
    der += public_raw;
    std::string b64 = base64_encode(der);
    std::string pem = "-----BEGIN PUBLIC KEY-----\n";
    for (std::size_t i = 0; i < b64.size(); i += 64)
        pem += b64.substr(i, 64) + "\n";
    return pem + "-----END PUBLIC KEY-----\n";
}

Result<BundleSummary> export_bundle(Database& db, const std::filesystem::path& workspace,
                                    const std::filesystem::path& out, const Clock& clock) {
    auto records = db.records();
    if (!records) return std::unexpected(records.error());
    if (records->empty()) return fail(ErrorCode::usage, fmt::format("{}: no records to export", workspace.string()));
    auto entries = db.log_entries();
    if (!entries) return std::unexpected(entries.error());
    auto checkpoints = db.checkpoints();
    if (!checkpoints) return std::unexpected(checkpoints.error());
    auto keys = db.public_keys();
    if (!keys) return std::unexpected(keys.error());

    auto manifests = db.manifests();
    if (!manifests) return std::unexpected(manifests.error());

    // Only signed bytes leave the workspace: of each archive file a manifest names, the bytes up to the end of
    // the last manifest (every byte there is signed; a tail past it is an interrupted run's, and what no
    // manifest covers was never vouched for). A file that only records of provcheck 0.1 name (written before
    // manifests existed) goes in whole. Nothing else in warc/ is looked at: not a planted file, not a link.
    std::map<std::string, std::uint64_t> exported;  // archive file → bytes to export (0: the whole file)
    for (const auto& m : *manifests) {
        if (!is_archive_name(m.warc_file)) {
            return fail(ErrorCode::parse,
                        fmt::format("manifest #{} names '{}', which is not an archive file", m.log_index, m.warc_file));
        }
        auto& end = exported[m.warc_file];
        end = std::max(end, m.end);
    }
    for (const auto& r : *records) {
        auto env = parse_envelope(r.envelope);
        if (!env) continue;
        const StatementFacts facts = read_statement_facts(env->payload);
        for (const auto& c : facts.captures) {
            if (c.has_warc && is_archive_name(c.warc_file)) exported.try_emplace(c.warc_file, 0);
        }
    }
    // Every file goes in once; datapackage.json lists them all with their digests.
    std::vector<std::pair<std::string, std::string>> files;
    std::string cdxj;
    for (const auto& [relative, end] : exported) {
        auto fd = open_archive_file(workspace, relative);
        if (!fd) return std::unexpected(fd.error());
        struct stat st {};
        std::string bytes;
        if (::fstat(*fd, &st) == 0) {
            const std::uint64_t size = static_cast<std::uint64_t>(st.st_size);
            const std::uint64_t want = end == 0 ? size : end;
            if (want > size) {
                ::close(*fd);
                return fail(ErrorCode::parse,
                            fmt::format("{}: the file holds {} bytes but its manifests sign {}", relative, size, want));
            }
            bytes.resize(static_cast<std::size_t>(want));
            std::size_t done = 0;
            while (done < bytes.size()) {
                ssize_t n = ::pread(*fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) break;
                done += static_cast<std::size_t>(n);
            }
            bytes.resize(done);
        }
        ::close(*fd);
        const std::string name = std::filesystem::path(relative).filename().string();
        cdxj += cdxj_lines(workspace / relative, name, bytes.size());
        files.emplace_back("archive/" + name, std::move(bytes));
    }
    {
        // CDXJ is sorted by its key (SURT and timestamp) so that players can binary-search it.
        std::vector<std::string> lines;
        std::size_t start = 0;
        while (start < cdxj.size()) {
            auto nl = cdxj.find('\n', start);
            lines.push_back(cdxj.substr(start, nl - start));
            start = nl + 1;
        }
        std::sort(lines.begin(), lines.end());
        std::string sorted;
        for (const auto& l : lines)
            sorted += l + "\n";
        files.emplace_back("indexes/index.cdxj", std::move(sorted));
    }

    std::string pages =
        json({{"format", "json-pages-1.0"}, {"id", "pages"}, {"title", "Articles checked"}}).dump() + "\n";
    std::set<std::string> seen_pages;
    std::string records_jsonl;
    for (const auto& r : *records) {
        records_jsonl += json({{"claim_id", r.claim_id},
                               {"article", r.article},
                               {"verdict", r.verdict},
                               {"log_index", r.log_index},
                               {"key_id", r.key_id},
                               {"envelope_sha256", r.envelope_sha256},
                               {"created_at", r.created_at},
                               {"envelope", r.envelope}})
                             .dump() +
                         "\n";
        // The article's address, as the record's statement names it, for players' page lists.
        auto env = json::parse(r.envelope, nullptr, false);
        if (env.is_discarded() || !env.contains("payload") || !env["payload"].is_string()) continue;
        auto payload = base64_decode(env["payload"].get<std::string>());
        if (!payload) continue;
        auto statement = json::parse(*payload, nullptr, false);
        if (statement.is_discarded()) continue;
        const json article = statement.value("predicate", json::object()).value("article", json::object());
        std::string url = article.value("url", "");
        if (url.empty() || !seen_pages.insert(url).second) continue;
        pages += json({{"url", url}, {"ts", r.created_at}, {"title", article.value("title", "")}}).dump() + "\n";
    }
    files.emplace_back("pages/pages.jsonl", std::move(pages));
    files.emplace_back("provcheck/records.jsonl", std::move(records_jsonl));
    std::string manifests_jsonl;
    for (const auto& m : *manifests) {
        manifests_jsonl += json({{"log_index", m.log_index},
                                 {"warc_file", m.warc_file},
                                 {"start", m.start},
                                 {"end", m.end},
                                 {"key_id", m.key_id},
                                 {"envelope_sha256", m.envelope_sha256},
                                 {"created_at", m.created_at},
                                 {"envelope", m.envelope}})
                               .dump() +
                           "\n";
    }
    files.emplace_back("provcheck/manifests.jsonl", std::move(manifests_jsonl));
    json log = json::array();
    for (const auto& e : *entries)
        log.push_back(to_hex(e));
    files.emplace_back("provcheck/log.json", json({{"entries", log}}).dump(1) + "\n");
    json cps = json::array();
    for (const auto& c : *checkpoints)
        cps.push_back({{"size", c.size}, {"note", c.note}, {"created_at", c.created_at}});
    files.emplace_back("provcheck/checkpoints.json", cps.dump(1) + "\n");
    for (const auto& [id, raw] : *keys)
        files.emplace_back("provcheck/keys/" + id + ".pub", ed25519_public_pem(raw));

    json resources = json::array();
    std::uint64_t total = 0;
    for (const auto& [name, data] : files) {
        resources.push_back({{"name", std::filesystem::path(name).filename().string()},
                             {"path", name},
                             {"hash", "sha256:" + sha256_hex(data)},
                             {"bytes", data.size()}});
        total += data.size();
    }
    std::string datapackage = json({{"profile", "data-package"},
                                    {"wacz_version", wacz_version},
                                    {"title", "provcheck records"},
                                    {"software", fmt::format("provcheck/{}", PROVCHECK_VERSION)},
                                    {"created", format_rfc3339(clock.now())},
                                    {"resources", resources}})
                                  .dump(1) +
                              "\n";
    std::string digest =
        json({{"path", "datapackage.json"}, {"hash", "sha256:" + sha256_hex(datapackage)}}).dump(1) + "\n";

    auto target = replaceable_path(out);
    if (!target) return std::unexpected(target.error());
    auto tmp = *target;
    tmp += fmt::format(".tmp{}", ::getpid());
    auto zip = ZipWriter::create(tmp);
    if (!zip) return std::unexpected(zip.error());
    for (const auto& [name, data] : files) {
        if (auto r = zip->add(name, data); !r) return std::unexpected(r.error());
    }
    if (auto r = zip->add("datapackage.json", datapackage); !r) return std::unexpected(r.error());
    if (auto r = zip->add("datapackage-digest.json", digest); !r) return std::unexpected(r.error());
    if (auto r = zip->finish(); !r) return std::unexpected(r.error());
    std::error_code ec;
    std::filesystem::rename(tmp, *target, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        return fail(ErrorCode::io, fmt::format("{}: cannot write the bundle", out.string()));
    }
    return BundleSummary{records->size(), exported.size(), total};
}

Result<BundleVerification> verify_bundle(const std::filesystem::path& bundle, const TrustedKeys& keys,
                                         const std::vector<std::string>& earlier_checkpoints) {
    auto entries = read_zip(bundle);
    if (!entries) return std::unexpected(entries.error());
    std::map<std::string, std::string> files;
    for (auto& e : *entries)
        files[e.name] = std::move(e.data);
    auto bad = [&](std::string_view why) {
        return fail(ErrorCode::parse, fmt::format("{}: not a provcheck bundle: {}", bundle.string(), why));
    };
    if (!files.contains("datapackage.json") || !files.contains("provcheck/records.jsonl") ||
        !files.contains("provcheck/log.json") || !files.contains("provcheck/checkpoints.json")) {
        return bad("datapackage.json or provcheck/ records, log or checkpoints missing");
    }
    BundleVerification out;
    auto problem = [&](std::string message) { out.result.problems.push_back({"", 0, "bundle", std::move(message)}); };

    // The package manifest: every file listed, present and unchanged; nothing unlisted but the manifests.
    auto dp = json::parse(files["datapackage.json"], nullptr, false);
    if (dp.is_discarded() || !dp.contains("resources") || !dp["resources"].is_array())
        return bad("datapackage.json unreadable");
    std::set<std::string> listed;
    for (const auto& r : dp["resources"]) {
        std::string path = r.value("path", "");
        listed.insert(path);
        auto it = files.find(path);
        if (it == files.end()) {
            problem(fmt::format("{} is listed in datapackage.json but missing", path));
        } else if (r.value("hash", "") != "sha256:" + sha256_hex(it->second)) {
            problem(fmt::format("{} does not hash to its datapackage.json digest: it was changed", path));
        }
    }
    for (const auto& [name, data] : files) {
        if (!listed.contains(name) && name != "datapackage.json" && name != "datapackage-digest.json") {
            problem(fmt::format("{} is not listed in datapackage.json", name));
        }
    }
    if (auto it = files.find("datapackage-digest.json"); it != files.end()) {
        auto d = json::parse(it->second, nullptr, false);
        if (d.is_discarded() || d.value("hash", "") != "sha256:" + sha256_hex(files["datapackage.json"])) {
            problem("datapackage.json does not match datapackage-digest.json");
        }
    }

    // Rebuild a workspace from the bundle and verify it like any other.
    auto scratch = ScratchDir::make();
    if (!scratch) return std::unexpected(scratch.error());
    const auto& ws = scratch->path();
    std::filesystem::create_directories(ws / "warc");
    for (const auto& [name, data] : files) {
        if (!name.starts_with("archive/")) continue;
        auto target = ws / "warc" / std::filesystem::path(name).filename();
        if (auto r = write_file_atomic(target, data); !r) return std::unexpected(r.error());
    }
    auto db = Database::open(ws / "store.db");
    if (!db) return std::unexpected(db.error());
    auto run = db->begin_run("bundle", bundle.string(), "");
    if (!run) return std::unexpected(run.error());
    Database::Transaction tx(*db);
    if (auto r = tx.begin(); !r) return std::unexpected(r.error());
    auto log = json::parse(files["provcheck/log.json"], nullptr, false);
    if (log.is_discarded() || !log.contains("entries") || !log["entries"].is_array())
        return bad("provcheck/log.json unreadable");
    for (const auto& e : log["entries"]) {
        auto raw = e.is_string() ? from_hex(e.get<std::string>()) : std::nullopt;
        if (!raw || raw->size() != 32) return bad("provcheck/log.json holds an entry that is not a SHA-256");
        Sha256 d{};
        std::copy(raw->begin(), raw->end(), reinterpret_cast<char*>(d.data()));
        if (auto r = db->append_log_entry(d); !r) return std::unexpected(r.error());
    }
    std::set<std::uint64_t> used;
    std::string_view lines = files["provcheck/records.jsonl"];
    while (!lines.empty()) {
        auto nl = lines.find('\n');
        std::string_view line = lines.substr(0, nl);
        lines = nl == std::string_view::npos ? std::string_view{} : lines.substr(nl + 1);
        if (line.empty()) continue;
        auto j = json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) return bad("provcheck/records.jsonl holds a line that is not JSON");
        StoredRecord r{0,
                       j.value("claim_id", ""),
                       j.value("article", ""),
                       j.value("verdict", ""),
                       j.value("envelope", ""),
                       j.value("envelope_sha256", ""),
                       j.value("key_id", ""),
                       j.value("log_index", std::uint64_t{0}),
                       j.value("created_at", "")};
        if (r.log_index >= log["entries"].size() || !used.insert(r.log_index).second) {
            problem(
                fmt::format("claim {}: its log index {} is outside the log or taken twice", r.claim_id, r.log_index));
            continue;
        }
        if (auto s = db->save_record(*run, r); !s) return std::unexpected(s.error());
    }
    // Archive manifests (absent from bundles of provcheck 0.1, whose archive bytes no signature covers).
    std::string_view mlines = files.contains("provcheck/manifests.jsonl")
                                  ? std::string_view(files["provcheck/manifests.jsonl"])
                                  : std::string_view();
    while (!mlines.empty()) {
        auto nl = mlines.find('\n');
        std::string_view line = mlines.substr(0, nl);
        mlines = nl == std::string_view::npos ? std::string_view{} : mlines.substr(nl + 1);
        if (line.empty()) continue;
        auto j = json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) return bad("provcheck/manifests.jsonl holds a line that is not JSON");
        auto text = [&](const char* k) {
            return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
        };
        auto count = [&](const char* k) {
            return j.contains(k) && j[k].is_number_unsigned() ? j[k].get<std::uint64_t>() : std::uint64_t{0};
        };
        StoredManifest m{count("log_index"), text("warc_file"),       count("start"), count("end"),
                         text("envelope"),   text("envelope_sha256"), text("key_id"), text("created_at")};
        if (m.log_index >= log["entries"].size() || !used.insert(m.log_index).second) {
            problem(fmt::format("manifest: its log index {} is outside the log or taken twice", m.log_index));
            continue;
        }
        if (auto s = db->save_manifest(*run, m); !s) return std::unexpected(s.error());
    }
    auto cps = json::parse(files["provcheck/checkpoints.json"], nullptr, false);
    if (cps.is_discarded() || !cps.is_array()) return bad("provcheck/checkpoints.json unreadable");
    for (const auto& c : cps) {
        if (auto s = db->save_checkpoint(
                {c.value("size", std::uint64_t{0}), c.value("note", ""), c.value("created_at", "")});
            !s) {
            return std::unexpected(s.error());
        }
    }
    if (auto r = tx.commit(); !r) return std::unexpected(r.error());

    TrustedKeys trusted = keys;
    for (const auto& [name, data] : files) {
        if (!name.starts_with("provcheck/keys/")) continue;
        auto raw = public_raw_from_pem(data);
        if (!raw) {
            problem(fmt::format("{}: not a public key", name));
            continue;
        }
        out.bundle_key_ids.push_back(key_id_of(*raw));
        if (keys.by_id.empty()) trusted.by_id[key_id_of(*raw)] = *raw;
    }
    out.trusted_bundle_keys = keys.by_id.empty();
    VerifyOptions options;
    options.earlier_checkpoints = earlier_checkpoints;
    options.require_full_coverage = true;
    auto verified = verify_workspace(*db, ws, trusted, options);
    if (!verified) return std::unexpected(verified.error());
    auto bundle_problems = std::move(out.result.problems);
    out.result = std::move(*verified);
    out.result.problems.insert(out.result.problems.begin(), bundle_problems.begin(), bundle_problems.end());
    return out;
}

}  // namespace provcheck
