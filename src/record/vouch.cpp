#include "record/vouch.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/hash.hpp"
#include "record/claim_statement.hpp"

namespace provcheck {

namespace {

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

Result<int> open_archive_file(const std::filesystem::path& warc_dir, std::string_view relative) {
    if (!is_archive_name(relative)) {
        return fail(ErrorCode::parse, fmt::format("'{}' is not an archive file of the workspace", relative));
    }
    const auto path = archive_file_path(warc_dir, relative);
    // The directory may be a link (a workspace moved aside and linked back); the file itself may not be.
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        return fail(ErrorCode::io, fmt::format("{}: cannot open: {}", path.string(),
                                               errno == ELOOP ? "it is a symbolic link" : std::strerror(errno)));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return fail(ErrorCode::io, fmt::format("{}: not a regular file", path.string()));
    }
    return fd;
}

Result<std::string> hash_file_range(int fd, std::uint64_t offset, std::uint64_t length) {
    Sha256Stream hash;
    std::string buf(std::min<std::uint64_t>(length, 1 << 20), '\0');
    std::uint64_t done = 0;
    while (done < length) {
        std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), length - done));
        ssize_t n = ::pread(fd, buf.data(), want, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(ErrorCode::io, fmt::format("read failed: {}", std::strerror(errno)));
        if (n == 0)
            return fail(ErrorCode::io, fmt::format("the file ends at {}, before {}", offset + done, offset + length));
        hash.update(std::string_view(buf.data(), static_cast<std::size_t>(n)));
        done += static_cast<std::uint64_t>(n);
    }
    return to_hex(hash.finish());
}

ArchiveVouch::ArchiveVouch(Database& db, std::filesystem::path warc_dir,
                           const std::map<std::string, std::string>& trusted)
    : db_(db), warc_dir_(std::move(warc_dir)) {
    for (const auto& [id, raw] : trusted)
        trusted_.emplace(id, VerifyingKey(raw));
}

Result<const ArchiveManifest*> ArchiveVouch::manifest(const StoredManifest& row) {
    auto [it, fresh] = manifests_.try_emplace(row.log_index);
    if (fresh) {
        auto env = parse_envelope(row.envelope);
        if (env && env->payload_type == envelope_payload_type && verify_envelope(*env, trusted_) == EnvelopeCheck::ok) {
            if (auto m = read_manifest_statement(env->payload); m && m->warc_file == row.warc_file) it->second = *m;
        }
    }
    if (!it->second) {
        return fail(ErrorCode::parse,
                    fmt::format("the archive manifest at log index {} is not signed by a trusted key", row.log_index));
    }
    return &*it->second;
}

Result<void> ArchiveVouch::check(const StoredRecordRef& ref) {
    if (!is_archive_name(ref.warc_file)) {
        return fail(ErrorCode::parse, fmt::format("'{}' is not an archive file of the workspace", ref.warc_file));
    }
    auto rows = db_.manifests_covering(ref.warc_file, ref.offset);
    if (!rows) return std::unexpected(rows.error());
    std::optional<Error> why;
    for (const auto& row : *rows) {
        auto m = manifest(row);
        if (!m) {
            why = m.error();
            continue;
        }
        const ArchiveSpan* span = span_holding(**m, ref.offset, ref.length);
        if (span == nullptr) continue;
        auto key = std::make_tuple(ref.warc_file, span->offset);
        auto known = spans_.find(key);
        if (known == spans_.end()) {
            auto fd = open_archive_file(warc_dir_, ref.warc_file);
            if (!fd) return std::unexpected(fd.error());
            Fd owned{*fd};
            auto got = hash_file_range(owned.fd, span->offset, span->length);
            known = spans_.emplace(key, got && *got == span->sha256).first;
        }
        if (known->second) return {};
        return fail(ErrorCode::parse,
                    fmt::format("{}: the bytes at {} changed after they were signed", ref.warc_file, span->offset));
    }
    if (why) return std::unexpected(*why);
    return fail(ErrorCode::parse,
                fmt::format("{} at {}: no signed archive manifest covers it", ref.warc_file, ref.offset));
}

Result<WarcRecord> ArchiveVouch::read(const StoredRecordRef& ref) {
    if (auto ok = check(ref); !ok) return std::unexpected(ok.error());
    auto rec = read_record_at(archive_file_path(warc_dir_, ref.warc_file), ref.offset);
    if (!rec) return std::unexpected(rec.error());
    if (rec->record_id() != ref.record_id) {
        return fail(ErrorCode::parse, fmt::format("{} at {}: the record there is {}, not {}", ref.warc_file, ref.offset,
                                                  rec->record_id(), ref.record_id));
    }
    return std::move(*rec);
}

}  // namespace provcheck
