#include "warc/warc_archive.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>

#include <fmt/format.h>

#include "core/clock.hpp"
#include "core/fs.hpp"
#include "core/handles.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"
#include "core/url.hpp"
#include "warc/warc_reader.hpp"
#include "warc/warc_writer.hpp"

namespace provcheck {

namespace {

std::string url_key(std::string_view uri) {
    if (auto n = normalize_url(uri)) return *n;
    return std::string(uri);
}

std::int64_t epoch_seconds(std::string_view date) {
    auto t = parse_rfc3339(trim(date));
    if (!t) return 0;
    return std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
}

bool is_warc_name(const std::filesystem::path& p) {
    std::string name = to_lower_ascii(p.filename().string());
    return name.ends_with(".warc") || name.ends_with(".warc.gz");
}

Result<std::vector<std::filesystem::path>> expand(const std::vector<std::filesystem::path>& paths) {
    std::vector<std::filesystem::path> out;
    for (const auto& p : paths) {
        std::error_code ec;
        if (std::filesystem::is_directory(p, ec)) {
            std::vector<std::filesystem::path> found;
            for (const auto& e : std::filesystem::directory_iterator(p, ec)) {
                if (e.is_regular_file(ec) && is_warc_name(e.path())) found.push_back(e.path());
            }
            if (ec) return fail(ErrorCode::io, fmt::format("{}: cannot list: {}", p.string(), ec.message()));
            if (found.empty()) return fail(ErrorCode::io, fmt::format("{}: no .warc or .warc.gz files", p.string()));
            std::sort(found.begin(), found.end());
            out.insert(out.end(), found.begin(), found.end());
        } else if (std::filesystem::is_regular_file(p, ec)) {
            out.push_back(p);
        } else {
            return fail(ErrorCode::io, fmt::format("{}: no such WARC file or directory", p.string()));
        }
    }
    return out;
}

// Undoes the writer's framing changes: the X-Provcheck-Original-* headers get their names back and the
// Content-Length the writer appended goes. Headers from other writers pass unchanged.
std::vector<Header> restore_headers(std::vector<Header> headers) {
    bool rewritten = std::any_of(headers.begin(), headers.end(),
                                 [](const Header& h) { return istarts_with(h.name, original_header_prefix); });
    if (!rewritten) return headers;
    std::vector<Header> out;
    out.reserve(headers.size());
    for (auto& h : headers) {
        if (istarts_with(h.name, original_header_prefix)) {
            out.push_back(Header{h.name.substr(original_header_prefix.size()), std::move(h.value)});
        } else if (!iequals(h.name, "Content-Length")) {
            out.push_back(std::move(h));
        }
    }
    return out;
}

std::string utc_date(std::string_view date) {
    date = trim(date);
    auto t = parse_rfc3339(date);
    if (!t) return {};
    if (date.size() >= 20 && date[10] == 'T' && date.back() == 'Z') return std::string(date);
    return format_rfc3339(*t);
}

}  // namespace

Result<WarcArchive> WarcArchive::load(const std::vector<std::filesystem::path>& paths, OnDamage on_damage) {
    auto files = expand(paths);
    if (!files) return std::unexpected(files.error());
    WarcArchive archive;
    archive.files_ = std::move(*files);
    std::uint64_t order = 0;
    WarcReadOptions headers_only;
    headers_only.load_block = false;
    // Nothing of a block is kept here, so no record is too large to index: find() applies the bound it is given.
    headers_only.max_block = std::numeric_limits<std::uint64_t>::max();
    for (std::uint32_t fi = 0; fi < archive.files_.size(); ++fi) {
        auto reader = WarcReader::open(archive.files_[fi], headers_only);
        if (!reader) return std::unexpected(reader.error());
        for (;;) {
            auto next = reader->next();
            if (!next) {
                if (on_damage == OnDamage::fail) return std::unexpected(next.error());
                archive.problems_.push_back(next.error());
                break;
            }
            if (!*next) break;
            const WarcRecord& rec = **next;
            Location at{fi, rec.offset, rec.inner_offset};
            std::string type = to_lower_ascii(rec.type());
            if (type == "request") {
                if (!rec.record_id().empty()) archive.requests_[std::string(rec.record_id())] = at;
                for (auto id : rec.concurrent_to())
                    archive.requests_[std::string(id)] = at;
                continue;
            }
            if (type != "response" && type != "resource" && type != "revisit") continue;
            if (rec.target_uri().empty()) continue;
            Indexed e;
            e.at = at;
            e.type = type;
            e.target_uri = std::string(rec.target_uri());
            e.date = std::string(rec.date());
            e.time = epoch_seconds(e.date);
            e.order = order++;
            e.record_id = std::string(rec.record_id());
            for (auto id : rec.concurrent_to())
                e.concurrent_to.emplace_back(id);
            e.refers_to = std::string(rec.refers_to());
            e.refers_to_uri = std::string(rec.refers_to_target_uri());
            e.refers_to_date = std::string(rec.refers_to_date());
            archive.by_url_[url_key(e.target_uri)].push_back(std::move(e));
        }
    }
    for (auto& [key, list] : archive.by_url_) {
        std::sort(list.begin(), list.end(), [](const Indexed& a, const Indexed& b) {
            return a.time != b.time ? a.time < b.time : a.order < b.order;
        });
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (!list[i].record_id.empty()) archive.by_id_[list[i].record_id] = {key, i};
        }
    }
    return archive;
}

std::size_t WarcArchive::size() const noexcept {
    return by_url_.size();
}

std::vector<ArchiveEntry> WarcArchive::entries() const {
    std::vector<ArchiveEntry> out;
    for (const auto& [key, list] : by_url_) {
        for (const auto& e : list) {
            out.push_back(
                ArchiveEntry{key, e.target_uri, files_[e.at.file], e.at.offset, e.at.inner_offset, e.type, e.date});
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const ArchiveEntry& a, const ArchiveEntry& b) { return a.url < b.url; });
    return out;
}

Result<std::optional<Exchange>> WarcArchive::find(std::string_view url, std::uint64_t max_body) const {
    auto it = by_url_.find(url_key(url));
    if (it == by_url_.end()) return std::optional<Exchange>{};
    std::optional<Error> newest_problem;
    for (auto e = it->second.rbegin(); e != it->second.rend(); ++e) {
        auto ex = build(*e, max_body);
        if (ex) return std::optional<Exchange>(std::move(*ex));
        if (!newest_problem) newest_problem = ex.error();
    }
    return fail(ErrorCode::parse,
                fmt::format("the replay archive holds {} but cannot replay it: {}", url, newest_problem->message));
}

Result<Exchange> WarcArchive::build(const Indexed& entry, std::uint64_t max_body) const {
    if (entry.type != "revisit") return from_record(entry, nullptr, max_body);
    const Indexed* original = resolve_revisit(entry);
    if (original == nullptr) {
        return fail(ErrorCode::parse,
                    fmt::format("{}: offset {}: a revisit record whose original is not in the archive",
                                files_[entry.at.file].string(), entry.at.offset));
    }
    return from_record(*original, &entry, max_body);
}

const WarcArchive::Indexed* WarcArchive::resolve_revisit(const Indexed& revisit) const {
    auto usable = [](const Indexed& e) { return e.type != "revisit"; };
    if (!revisit.refers_to.empty()) {
        if (auto it = by_id_.find(revisit.refers_to); it != by_id_.end()) {
            const Indexed& e = by_url_.at(it->second.first)[it->second.second];
            if (usable(e)) return &e;
        }
    }
    std::string key = url_key(revisit.refers_to_uri.empty() ? revisit.target_uri : revisit.refers_to_uri);
    auto it = by_url_.find(key);
    if (it == by_url_.end()) return nullptr;
    if (!revisit.refers_to_date.empty()) {
        std::int64_t t = epoch_seconds(revisit.refers_to_date);
        for (auto e = it->second.rbegin(); e != it->second.rend(); ++e) {
            if (usable(*e) && e->time == t) return &*e;
        }
    }
    // No exact reference: the latest capture of that URL not after the revisit.
    for (auto e = it->second.rbegin(); e != it->second.rend(); ++e) {
        if (usable(*e) && (revisit.time == 0 || e->time <= revisit.time)) return &*e;
    }
    return nullptr;
}

std::string WarcArchive::request_head_for(const Indexed& response) const {
    std::optional<Location> at;
    if (auto it = requests_.find(response.record_id); it != requests_.end()) at = it->second;
    for (const auto& id : response.concurrent_to) {
        if (at) break;
        if (auto it = requests_.find(id); it != requests_.end()) at = it->second;
    }
    if (!at) return {};
    auto rec = read_payload_at(files_[at->file], at->offset, at->inner_offset, 0);
    if (!rec) return {};
    return std::move(rec->http_head);
}

Result<Exchange> WarcArchive::from_record(const Indexed& entry, const Indexed* revisit, std::uint64_t max_body) const {
    auto rec = read_payload_at(files_[entry.at.file], entry.at.offset, entry.at.inner_offset, max_body);
    if (!rec) return std::unexpected(rec.error());
    const Indexed& shown = revisit != nullptr ? *revisit : entry;
    Exchange ex;
    ex.url = shown.target_uri;
    ex.fetched_at = utc_date(shown.date);
    ex.remote_ip = std::string(rec->record.ip_address());
    if (auto t = rec->record.truncated(); !t.empty()) ex.truncated = std::string(t);
    if (entry.type == "resource") {
        ex.is_resource = true;
        ex.status = 200;
        ex.content_type = std::string(trim(rec->record.content_type()));
        ex.body = std::move(rec->body);
        if (rec->truncated) ex.truncated = "length";
        return ex;
    }
    auto http = parse_http_response_head(rec->http_head);
    if (!http) return std::unexpected(http.error());
    ex.status = http->status;
    ex.status_line = std::move(http->status_line);
    ex.headers = restore_headers(std::move(http->headers));
    ex.body = std::move(rec->body);
    if (revisit != nullptr) {
        // The revisit's own head says what the server answered that time; the payload is the original's.
        auto again = read_payload_at(files_[revisit->at.file], revisit->at.offset, revisit->at.inner_offset, 0);
        if (!again) return std::unexpected(again.error());
        // A 304 (profile server-not-modified) confirms the original: replay it as the original answer.
        if (auto head = parse_http_response_head(again->http_head); head && head->status != 304) {
            ex.status = head->status;
            ex.status_line = std::move(head->status_line);
            ex.headers = restore_headers(std::move(head->headers));
        }
        ex.remote_ip = std::string(again->record.ip_address());
        ex.truncated.reset();
        if (auto t = again->record.truncated(); !t.empty()) ex.truncated = std::string(t);
    }
    // Cut here as a live fetch cuts a body at --max-filesize.
    if (rec->truncated) ex.truncated = "length";
    if (const std::string* ct = find_header(ex.headers, "Content-Type")) ex.content_type = *ct;
    ex.request_head = request_head_for(shown);
    return ex;
}

// ---------------------------------------------------------------------------------------------

Result<void> concatenate(const std::vector<std::filesystem::path>& in, const std::filesystem::path& out) {
    if (in.empty()) return fail(ErrorCode::usage, "nothing to concatenate");
    std::optional<bool> gzip;
    std::error_code ec;
    for (const auto& p : in) {
        if (std::filesystem::exists(out, ec) && std::filesystem::equivalent(p, out, ec)) {
            return fail(ErrorCode::usage, fmt::format("{}: is both input and output", out.string()));
        }
        WarcReadOptions headers_only;
        headers_only.load_block = false;
        auto reader = WarcReader::open(p, headers_only);
        if (!reader) return std::unexpected(reader.error());
        for (;;) {
            auto next = reader->next();
            if (!next) return std::unexpected(next.error());
            if (!*next) break;
        }
        if (gzip && *gzip != reader->gzip()) {
            return fail(ErrorCode::usage,
                        fmt::format("{}: cannot mix gzip and plain WARC files in one file", p.string()));
        }
        gzip = reader->gzip();
    }
    auto target = replaceable_path(out);
    if (!target) return std::unexpected(target.error());
    auto tmp = *target;
    tmp += fmt::format(".tmp{}", ::getpid());
    FilePtr dst(std::fopen(tmp.c_str(), "wb"));
    if (!dst) return fail(ErrorCode::io, fmt::format("{}: cannot create: {}", tmp.string(), std::strerror(errno)));
    auto give_up = [&](std::string message) {
        dst.reset();
        std::filesystem::remove(tmp, ec);
        return fail(ErrorCode::io, std::move(message));
    };
    std::array<char, 64 * 1024> buf{};
    for (const auto& p : in) {
        FilePtr src(std::fopen(p.c_str(), "rb"));
        if (!src) return give_up(fmt::format("{}: cannot open: {}", p.string(), std::strerror(errno)));
        std::size_t n = 0;
        while ((n = std::fread(buf.data(), 1, buf.size(), src.get())) > 0) {
            if (std::fwrite(buf.data(), 1, n, dst.get()) != n) {
                return give_up(fmt::format("{}: write failed: {}", tmp.string(), std::strerror(errno)));
            }
        }
        if (std::ferror(src.get()) != 0) return give_up(fmt::format("{}: read error", p.string()));
    }
    if (std::fflush(dst.get()) != 0 || ::fsync(::fileno(dst.get())) != 0) {
        return give_up(fmt::format("{}: cannot flush: {}", tmp.string(), std::strerror(errno)));
    }
    dst.reset();
    std::filesystem::rename(tmp, *target, ec);
    if (ec) return give_up(fmt::format("{}: cannot rename into place: {}", out.string(), ec.message()));
    return {};
}

Result<Exchange> load_stored_exchange(const std::filesystem::path& warc_dir, const StoredRecordRef& ref,
                                      std::string_view payload_sha256) {
    const std::filesystem::path file = archive_file_path(warc_dir, ref.warc_file);
    auto rec = read_record_at(file, ref.offset);
    if (!rec) return std::unexpected(rec.error());
    if (!ref.record_id.empty() && rec->record_id() != ref.record_id) {
        return fail(ErrorCode::store, fmt::format("{} at offset {}: expected record {}, found {}", file.string(),
                                                  ref.offset, ref.record_id, rec->record_id()));
    }
    Exchange ex;
    ex.url = std::string(rec->target_uri());
    ex.fetched_at = utc_date(rec->date());
    ex.remote_ip = std::string(rec->ip_address());
    if (auto t = rec->truncated(); !t.empty()) ex.truncated = std::string(t);
    if (rec->type() == "resource") {
        ex.is_resource = true;
        ex.status = 200;
        ex.content_type = std::string(trim(rec->content_type()));
        ex.body = std::move(rec->block);
    } else if (rec->type() == "response") {
        auto http = parse_http_response(rec->block);
        if (!http) {
            return fail(ErrorCode::store,
                        fmt::format("{} at offset {}: {}", file.string(), ref.offset, http.error().message));
        }
        ex.status = http->status;
        ex.status_line = std::move(http->status_line);
        ex.headers = restore_headers(std::move(http->headers));
        ex.body = std::move(http->body);
        if (const std::string* ct = find_header(ex.headers, "Content-Type")) ex.content_type = *ct;
    } else {
        return fail(ErrorCode::store, fmt::format("{} at offset {}: a {} record holds no response", file.string(),
                                                  ref.offset, rec->type()));
    }
    if (!payload_sha256.empty() && sha256_hex(ex.body) != payload_sha256) {
        return fail(ErrorCode::io,
                    fmt::format("{} at offset {} does not hold the payload captured", ref.warc_file, ref.offset));
    }
    return ex;
}

}  // namespace provcheck
