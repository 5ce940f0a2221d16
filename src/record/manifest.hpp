// Archive manifests: signed statements that vouch for the bytes of the workspace archive.
//
// Every write to a workspace WARC file (the warcinfo record; a request with its response or revisit; a
// resource) is a span of bytes whose SHA-256 the writer takes as it writes (warc/warc_writer.hpp). Before the
// records of an article are stored, the spans written since the last manifest are signed in one in-toto
// Statement and appended to the log like a claim's record. So every byte of the archive that any record,
// report or bundle uses (link captures and redirect hops included) is covered by a signature; bytes that no
// manifest covers (a planted record, an interrupted run's tail) are not evidence and are never used.
//
// Statement: subjects, one per span, {"name": "<warc file>#<offset>+<length>", "digest": {"sha256": …}};
// predicateType archive_manifest_v1; predicate {"file", "start", "end", "written_at", "tool"}. The spans
// run without gap from start to end, in file order. docs/record-format.md has the field list.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "warc/warc_writer.hpp"

namespace provcheck {

inline constexpr std::string_view archive_manifest_v1 = "https://provcheck.dev/archive-manifest/v1";

struct ArchiveManifest {
    std::string warc_file;  // relative to the workspace: "warc/<name>.warc.gz"
    std::uint64_t start = 0;
    std::uint64_t end = 0;
    std::vector<ArchiveSpan> spans;  // contiguous from start to end
    std::string written_at;          // RFC 3339 UTC, when the manifest was signed
};

[[nodiscard]] nlohmann::json make_manifest_statement(const ArchiveManifest& manifest);

// Reads a manifest statement back, checking its shape: spans named for the file, contiguous from start to
// end, digests of 64 hex digits. Never throws.
[[nodiscard]] Result<ArchiveManifest> read_manifest_statement(std::string_view payload);

// The span of `m` that holds [offset, offset + length), if one does.
[[nodiscard]] const ArchiveSpan* span_holding(const ArchiveManifest& m, std::uint64_t offset,
                                              std::uint64_t length) noexcept;

// A workspace-relative archive file name is only ever "warc/<name>.warc.gz" with a plain name: whatever a
// database row, a statement or a bundle says, nothing else is opened as an archive.
[[nodiscard]] bool is_archive_name(std::string_view relative) noexcept;

}  // namespace provcheck
