#include "record/bundle.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <istream>
#include <map>
#include <set>

#include "core/fs.hpp"
#include "core/hash.hpp"
#include "core/spool.hpp"
#include "core/text.hpp"
#include "core/url.hpp"
#include "crypto/archive_key.hpp"
#include "crypto/dsse.hpp"
#include "crypto/ed25519.hpp"
#include "record/manifest.hpp"
#include "record/statement_facts.hpp"
#include "record/timestamps.hpp"
#include "record/vouch.hpp"
#include "warc/warc_reader.hpp"

namespace provcheck {

using nlohmann::json;

std::string archive_endorsement(std::string_view package_hash, std::string_view archive_spki) {
    return fmt::format("provcheck archive endorsement v1\n{}\n{}\n", package_hash, base64_encode(archive_spki));
}

std::string cdxj_key(std::string_view url) {
    if (!is_http_url(url)) return std::string(url);
    auto parts = parse_url(url);
    if (!parts || parts->host.empty()) return to_lower_ascii(url);
    std::string host = to_lower_ascii(parts->host);
    if (host.starts_with("www")) {
        std::size_t i = 3;
        while (i < host.size() && host[i] >= '0' && host[i] <= '9')
            ++i;
        if (i < host.size() && host[i] == '.' && i + 1 < host.size()) host.erase(0, i + 1);
    }
    std::string out;
    for (std::size_t end = host.size();;) {
        const std::size_t dot = host.rfind('.', end == 0 ? 0 : end - 1);
        const std::size_t begin = dot == std::string::npos ? 0 : dot + 1;
        if (!out.empty()) out += ',';
        out.append(host, begin, end - begin);
        if (dot == std::string::npos || dot == 0) break;
        end = dot;
    }
    const bool default_port =
        (parts->scheme == "http" && parts->port == "80") || (parts->scheme == "https" && parts->port == "443");
    if (!parts->port.empty() && !default_port) out += ":" + parts->port;
    std::string path = parts->path.empty() ? "/" : to_lower_ascii(parts->path);
    const std::size_t q = path.find('?');
    if (q == std::string::npos) return out + ")" + path;
    // Arguments sorted by name, those of one name in their order (as URLSearchParams.sort() does).
    std::vector<std::string> args;
    for (std::size_t at = q + 1; at <= path.size();) {
        std::size_t amp = path.find('&', at);
        if (amp == std::string::npos) amp = path.size();
        if (amp > at) args.push_back(path.substr(at, amp - at));
        at = amp + 1;
    }
    std::stable_sort(args.begin(), args.end(), [](const std::string& a, const std::string& b) {
        return std::string_view(a).substr(0, a.find('=')) < std::string_view(b).substr(0, b.find('='));
    });
    out += ')';
    out.append(path, 0, q);
    for (std::size_t i = 0; i < args.size(); ++i) {
        out += i == 0 ? '?' : '&';
        out += args[i];
    }
    return out;
}

namespace {

constexpr std::string_view wacz_version = "1.1.1";

std::string timestamp14(std::string_view date) {
    std::string out;
    for (char c : date) {
        if (c >= '0' && c <= '9') out.push_back(c);
        if (out.size() == 14) break;
    }
    out.resize(14, '0');
    return out;
}

// A media type as the index gives it: without parameters ("text/html; charset=utf-8" → "text/html"), and
// "unk" when the response named none (the field is required).
std::string index_mime(std::string_view content_type) {
    const std::size_t cut = content_type.find_first_of("; ");
    std::string mime(trim(content_type.substr(0, cut)));
    return mime.empty() ? "unk" : mime;
}

// What the page list needs of a capture the records point to: the URL it was archived under and when.
struct ArchivedAt {
    std::string url;
    std::string date;
};

// Index lines of the records that start before `end` (the exported part of the file); the address and date of
// each response and resource go into `archived` by record id.
std::string cdxj_lines(const std::filesystem::path& file, const std::string& name, std::uint64_t end,
                       std::map<std::string, ArchivedAt>& archived) {
    std::vector<std::string> lines;
    auto reader = WarcReader::open(file);
    if (!reader) return {};
    for (;;) {
        auto next = reader->next();
        if (!next || !*next) break;  // the records before any damage, as a player would index them
        const WarcRecord& rec = **next;
        if (rec.offset >= end) break;
        const std::string_view type = rec.type();
        if (type != "response" && type != "resource" && type != "revisit") continue;
        json j = {{"url", rec.target_uri()},
                  {"digest", rec.payload_digest()},
                  {"length", rec.length},
                  {"offset", rec.offset},
                  {"filename", name}};
        if (type == "resource") {
            j["status"] = "200";
            j["mime"] = index_mime(rec.content_type());
        } else {
            auto head = parse_http_response_head(rec.block);
            if (head) j["status"] = std::to_string(head->status);
            if (type == "revisit") {
                j["mime"] = "warc/revisit";
            } else {
                const auto* ct = head ? find_header(head->headers, "Content-Type") : nullptr;
                j["mime"] = index_mime(ct != nullptr ? std::string_view(*ct) : std::string_view());
            }
        }
        if (type != "revisit")
            archived[std::string(rec.record_id())] = {std::string(rec.target_uri()), std::string(rec.date())};
        lines.push_back(fmt::format("{} {} {}", cdxj_key(rec.target_uri()), timestamp14(rec.date()), j.dump()));
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

Result<BundleSummary> export_bundle(Database& db, const std::filesystem::path& warc_dir,
                                    const std::filesystem::path& out, const Clock& clock, const BundleSigner* signer) {
    // A WACZ is recognised by its name: players and the specification (1.1.1, "Directory Layout") want ".wacz".
    if (to_lower_ascii(out.extension().string()) != ".wacz") {
        return fail(ErrorCode::usage,
                    fmt::format("{}: a bundle is a WACZ archive and its name must end in .wacz", out.string()));
    }
    auto records = db.records();
    if (!records) return std::unexpected(records.error());
    if (records->empty()) return fail(ErrorCode::usage, "the store holds no records to export");
    auto entries = db.log_entries();
    if (!entries) return std::unexpected(entries.error());
    auto checkpoints = db.checkpoints();
    if (!checkpoints) return std::unexpected(checkpoints.error());
    auto keys = db.public_keys();
    if (!keys) return std::unexpected(keys.error());

    // Every file goes in once; datapackage.json lists them all with their digests. WARC files are hashed here
    // and copied into the archive by the writer, a piece at a time.
    struct WarcFile {
        int fd = -1;  // opened as a regular file, without following a link
        std::string name;
        std::uint64_t size = 0;
        std::string sha256;
    };
    std::vector<WarcFile> warc_files;
    std::vector<std::pair<std::string, std::string>> files;
    auto manifests = db.manifests();
    if (!manifests) return std::unexpected(manifests.error());
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
    // The descriptors are handed to the ZIP writer, which closes them; any left over are closed on the way out.
    struct CloseLeft {
        std::vector<WarcFile>& files;
        ~CloseLeft() {
            for (auto& w : files) {
                if (w.fd >= 0) ::close(w.fd);
            }
        }
    } close_left{warc_files};
    std::string cdxj;
    std::map<std::string, ArchivedAt> archived;  // WARC-Record-ID → the URL and date it was archived under
    for (const auto& [relative, end] : exported) {
        auto fd = open_archive_file(warc_dir, relative);
        if (!fd) return std::unexpected(fd.error());
        const std::string name = std::filesystem::path(relative).filename().string();
        warc_files.push_back({*fd, "archive/" + name, 0, {}});
        struct stat st {};
        if (::fstat(*fd, &st) != 0) {
            return fail(ErrorCode::io, fmt::format("{}: cannot stat: {}", relative, std::strerror(errno)));
        }
        const std::uint64_t size = static_cast<std::uint64_t>(st.st_size);
        const std::uint64_t want = end == 0 ? size : end;
        if (want > size) {
            return fail(ErrorCode::parse,
                        fmt::format("{}: the file holds {} bytes but its manifests sign {}", relative, size, want));
        }
        auto digest = hash_file_range(*fd, 0, want);
        if (!digest) return std::unexpected(digest.error());
        warc_files.back().size = want;
        warc_files.back().sha256 = *digest;
        cdxj += cdxj_lines(archive_file_path(warc_dir, relative), name, want, archived);
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

    // The page list: each article, and each source a claim was decided against, under the URL its capture was
    // archived under (what a player looks up; a redirect's target, a local file's name), at the time it was
    // archived, so that every entry opens. The article's own address (its canonical URL) goes alongside.
    std::string pages =
        json({{"format", "json-pages-1.0"}, {"id", "pages"}, {"title", "Articles checked and their sources"}}).dump() +
        "\n";
    std::set<std::string> seen_pages;
    auto add_page = [&](const json& capture, json page) {
        if (!capture.is_object()) return;
        const json warc = capture.value("warc", json());
        if (!warc.is_object() || !warc.contains("record_id") || !warc["record_id"].is_string()) return;
        auto at = archived.find(warc["record_id"].get<std::string>());
        if (at == archived.end() || !seen_pages.insert(at->second.url + " " + at->second.date).second) return;
        page["id"] = sha256_hex(at->second.url + " " + at->second.date).substr(0, 32);
        page["url"] = at->second.url;
        page["ts"] = at->second.date;
        pages += page.dump() + "\n";
    };
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
        auto env = json::parse(r.envelope, nullptr, false);
        if (env.is_discarded() || !env.contains("payload") || !env["payload"].is_string()) continue;
        auto payload = base64_decode(env["payload"].get<std::string>());
        if (!payload) continue;
        auto statement = json::parse(*payload, nullptr, false);
        if (statement.is_discarded() || !statement.is_object()) continue;
        const json predicate = statement.value("predicate", json::object());
        if (!predicate.is_object()) continue;
        const json article = predicate.value("article", json::object());
        const json captures = predicate.value("captures", json::array());
        const json source = predicate.value("source", json());
        if (!article.is_object() || !captures.is_array()) continue;
        const std::string source_role =
            source.is_object() && source.contains("capture") && source["capture"].is_string()
                ? source["capture"].get<std::string>()
                : std::string();
        for (const auto& c : captures) {
            if (!c.is_object() || !c.contains("role") || !c["role"].is_string()) continue;
            const std::string role = c["role"].get<std::string>();
            if (role == "article") {
                json page = {{"title", article.value("title", "")}, {"role", "article"}};
                if (article.contains("url") && article["url"].is_string()) page["canonical_url"] = article["url"];
                add_page(c, std::move(page));
            } else if (!source_role.empty() && role == source_role) {
                add_page(c, json{{"title", "Source: " + c.value("final_url", std::string())}, {"role", "source"}});
            }
        }
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
    // Trusted timestamps over the checkpoints (check --tsa), the tokens as the TSA signed them.
    auto stamps = db.timestamps();
    if (!stamps) return std::unexpected(stamps.error());
    if (!stamps->empty()) {
        std::string lines;
        for (const auto& t : *stamps) {
            lines += json({{"checkpoint_size", t.checkpoint_size},
                           {"tsa_url", t.tsa_url},
                           {"gen_time", t.gen_time},
                           {"requested_at", t.requested_at},
                           {"token", base64_encode(t.token)}})
                         .dump() +
                     "\n";
        }
        files.emplace_back("provcheck/timestamps.jsonl", std::move(lines));
    }
    for (const auto& [id, raw] : *keys)
        files.emplace_back("provcheck/keys/" + id + ".pub", ed25519_public_pem(raw));

    json resources = json::array();
    std::uint64_t total = 0;
    for (const auto& w : warc_files) {
        resources.push_back({{"name", std::filesystem::path(w.name).filename().string()},
                             {"path", w.name},
                             {"hash", "sha256:" + w.sha256},
                             {"bytes", w.size}});
        total += w.size;
    }
    for (const auto& [name, data] : files) {
        resources.push_back({{"name", std::filesystem::path(name).filename().string()},
                             {"path", name},
                             {"hash", "sha256:" + sha256_hex(data)},
                             {"bytes", data.size()}});
        total += data.size();
    }
    const std::string now = format_rfc3339(clock.now());
    std::string datapackage =
        json({{"profile", "data-package"},
              {"wacz_version", wacz_version},
              {"title", "provcheck records"},
              {"description", fmt::format("{} signed provenance records of quotations checked by provcheck, with the "
                                          "captures of the articles and sources they were checked against",
                                          records->size())},
              {"software", fmt::format("provcheck/{}", PROVCHECK_VERSION)},
              {"created", now},
              {"modified", now},
              {"resources", resources}})
            .dump(1) +
        "\n";
    const std::string package_hash = "sha256:" + sha256_hex(datapackage);
    json digest_doc = {{"path", "datapackage.json"}, {"hash", package_hash}};
    if (signer != nullptr) {
        auto signature = signer->archive.sign(package_hash);
        if (!signature) return std::unexpected(signature.error());
        digest_doc["signedData"] = {{"hash", package_hash},
                                    {"created", now},
                                    {"software", fmt::format("provcheck/{}", PROVCHECK_VERSION)},
                                    {"version", PROVCHECK_VERSION},
                                    {"signature", base64_encode(*signature)},
                                    {"publicKey", base64_encode(signer->archive.public_spki())}};
        // The signing key vouches for the archive key and the hash it signs, which players cannot check but
        // `verify --bundle` does.
        digest_doc["provcheck"] = {
            {"keyid", signer->key.key_id()},
            {"sig", base64_encode(signer->key.sign(archive_endorsement(package_hash, signer->archive.public_spki())))}};
    }
    std::string digest = digest_doc.dump(1) + "\n";

    auto target = replaceable_path(out);
    if (!target) return std::unexpected(target.error());
    std::error_code ec;
    auto tmp = *target;
    tmp += fmt::format(".tmp{}", ::getpid());
    auto zip = ZipWriter::create(tmp);
    if (!zip) return std::unexpected(zip.error());
    for (auto& w : warc_files) {
        auto r = zip->add_file(w.name, std::exchange(w.fd, -1), w.size);
        if (!r) return std::unexpected(r.error());
    }
    for (auto& [name, data] : files) {
        if (auto r = zip->add(name, std::move(data)); !r) return std::unexpected(r.error());
    }
    if (auto r = zip->add("datapackage.json", std::move(datapackage)); !r) return std::unexpected(r.error());
    if (auto r = zip->add("datapackage-digest.json", std::move(digest)); !r) return std::unexpected(r.error());
    if (auto r = zip->finish(); !r) {
        std::filesystem::remove(tmp, ec);
        return std::unexpected(r.error());
    }
    std::filesystem::rename(tmp, *target, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        return fail(ErrorCode::io, fmt::format("{}: cannot write the bundle", out.string()));
    }
    return BundleSummary{records->size(), warc_files.size(), total};
}

}  // namespace provcheck
