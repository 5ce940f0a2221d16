#include "record/manifest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "record/claim_statement.hpp"

namespace provcheck {

using nlohmann::json;

bool is_archive_name(std::string_view relative) noexcept {
    constexpr std::string_view dir = "warc/";
    constexpr std::string_view ext = ".warc.gz";
    if (!relative.starts_with(dir)) return false;
    std::string_view name = relative.substr(dir.size());
    if (name.size() <= ext.size() || !name.ends_with(ext) || name.front() == '.') return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.';
    });
}

json make_manifest_statement(const ArchiveManifest& m) {
    json subjects = json::array();
    for (const auto& s : m.spans) {
        subjects.push_back(
            {{"name", fmt::format("{}#{}+{}", m.warc_file, s.offset, s.length)}, {"digest", {{"sha256", s.sha256}}}});
    }
    return {{"_type", statement_type},
            {"subject", std::move(subjects)},
            {"predicateType", archive_manifest_v1},
            {"predicate",
             {{"file", m.warc_file},
              {"start", m.start},
              {"end", m.end},
              {"written_at", m.written_at},
              {"tool", {{"name", "provcheck"}, {"version", PROVCHECK_VERSION}}}}}};
}

namespace {

bool is_hex64(std::string_view s) {
    return s.size() == 64 &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<std::uint64_t> number_in(std::string_view s) {
    std::uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

}  // namespace

Result<ArchiveManifest> read_manifest_statement(std::string_view payload) {
    auto bad = [](std::string_view why) { return fail(ErrorCode::parse, fmt::format("the archive manifest {}", why)); };
    json doc = json::parse(payload.begin(), payload.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return bad("is not a JSON object");
    auto text = [](const json& o, const char* key) -> std::optional<std::string> {
        auto it = o.find(key);
        if (it == o.end() || !it->is_string()) return std::nullopt;
        return it->get<std::string>();
    };
    auto count = [](const json& o, const char* key) -> std::optional<std::uint64_t> {
        auto it = o.find(key);
        if (it == o.end() || !it->is_number_unsigned()) return std::nullopt;
        return it->get<std::uint64_t>();
    };
    if (text(doc, "_type") != std::string(statement_type)) return bad("is not an in-toto Statement v1");
    if (text(doc, "predicateType") != std::string(archive_manifest_v1)) return bad("has another predicate type");
    auto pred = doc.find("predicate");
    auto subjects = doc.find("subject");
    if (pred == doc.end() || !pred->is_object() || subjects == doc.end() || !subjects->is_array()) {
        return bad("lacks its predicate or subjects");
    }
    ArchiveManifest m;
    auto file = text(*pred, "file");
    auto start = count(*pred, "start");
    auto end = count(*pred, "end");
    auto written = text(*pred, "written_at");
    if (!file || !start || !end || !written) return bad("lacks file, start, end or written_at");
    if (!is_archive_name(*file)) return bad(fmt::format("names '{}', which is not an archive file name", *file));
    m.warc_file = *file;
    m.start = *start;
    m.end = *end;
    m.written_at = *written;
    std::uint64_t at = m.start;
    const std::string prefix = m.warc_file + "#";
    for (const auto& s : *subjects) {
        if (!s.is_object()) return bad("holds a subject that is not an object");
        auto name = text(s, "name");
        auto digest = s.find("digest");
        if (!name || digest == s.end() || !digest->is_object()) return bad("holds a subject without name or digest");
        auto sha = text(*digest, "sha256");
        if (!sha || !is_hex64(*sha)) return bad(fmt::format("subject {}: no SHA-256 digest", *name));
        if (!name->starts_with(prefix)) return bad(fmt::format("subject {} is not a span of {}", *name, m.warc_file));
        std::string_view range = std::string_view(*name).substr(prefix.size());
        auto plus = range.find('+');
        auto offset = plus == std::string_view::npos ? std::nullopt : number_in(range.substr(0, plus));
        auto length = plus == std::string_view::npos ? std::nullopt : number_in(range.substr(plus + 1));
        if (!offset || !length || *length == 0) return bad(fmt::format("subject {}: not OFFSET+LENGTH", *name));
        if (*offset != at) return bad(fmt::format("subject {}: the spans are not contiguous from {}", *name, at));
        at = *offset + *length;
        m.spans.push_back(ArchiveSpan{*offset, *length, *sha});
    }
    if (at != m.end || m.spans.empty()) return bad(fmt::format("spans end at {}, not at {}", at, m.end));
    return m;
}

const ArchiveSpan* span_holding(const ArchiveManifest& m, std::uint64_t offset, std::uint64_t length) noexcept {
    auto it = std::upper_bound(m.spans.begin(), m.spans.end(), offset,
                               [](std::uint64_t o, const ArchiveSpan& s) { return o < s.offset; });
    if (it == m.spans.begin()) return nullptr;
    const ArchiveSpan& s = *std::prev(it);
    if (offset + length > s.offset + s.length || offset + length < offset) return nullptr;
    return &s;
}

}  // namespace provcheck
