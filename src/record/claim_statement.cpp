#include "record/claim_statement.hpp"

#include <fmt/format.h>

#include <optional>
#include <unordered_map>
#include <utility>

#include "core/hash.hpp"
#include "core/url.hpp"
#include "record/compact_json.hpp"

namespace provcheck {

using nlohmann::json;

std::string record_input(std::string_view input) {
    return local_input_name(input);
}

namespace {

// ---------------------------------------------------------------------------------------------------------
// Writing (v2)

// A local file's capture is named as its input is: never by the checker's absolute path. Every claim's
// statement names the same few files, and naming one asks the file system for the working directory, so the
// names are kept per thread (a bounded handful: a run names few local files).
std::string recorded_url(const Capture& c, std::string_view url) {
    if (!url.starts_with("file:")) return std::string(url);
    thread_local std::unordered_map<std::string, std::string> named;
    if (auto it = named.find(c.requested_url); it != named.end()) return it->second;
    std::string name = record_input(c.requested_url);
    if (named.size() >= 64) named.clear();
    named.emplace(c.requested_url, name);
    return name;
}

json capture_object(std::string_view role, const Capture& c) {
    json chain = json::array();
    for (const auto& h : c.chain) {
        chain.push_back({{"url", recorded_url(c, h.url)},
                         {"status", h.status ? json(*h.status) : json(nullptr)},
                         {"via", to_string(h.via)}});
    }
    json j = {{"role", role},
              {"requested_url", recorded_url(c, c.requested_url)},
              {"final_url", recorded_url(c, c.final_url)},
              {"status", c.status != 0 ? json(c.status) : json(nullptr)},
              {"fetched_at", c.fetched_at},
              {"remote_ip", c.remote_ip},
              {"content_type", c.content_type},
              {"charset", c.charset},
              {"payload_sha256", c.payload_sha256.empty() ? json(nullptr) : json(c.payload_sha256)},
              {"block_sha256", c.block_sha256.empty() ? json(nullptr) : json(c.block_sha256)},
              {"truncated", c.truncated ? json(*c.truncated) : json(nullptr)},
              {"failure",
               c.failure ? json{{"class", to_string(c.failure->cls)}, {"message", c.failure->message}} : json(nullptr)},
              {"chain", std::move(chain)},
              {"cache", c.cache ? json{{"state", to_string(c.cache->state)}, {"validated_at", c.cache->validated_at}}
                                : json(nullptr)},
              {"replayed", c.from_replay},
              {"warc", c.stored ? json{{"file", c.stored->warc_file},
                                       {"offset", c.stored->offset},
                                       {"length", c.stored->length},
                                       {"record_id", c.stored->record_id}}
                                : json(nullptr)}};
    // Only for an archived copy: captures of the source itself read as before.
    if (c.archived) {
        j["archived"] = {{"original_url", c.archived->original_url},
                         {"archived_at", c.archived->archived_at},
                         {"timemap", c.archived->timemap}};
    }
    return j;
}

json subject_of(std::string_view role, const Capture& c) {
    return {{"name", role},
            {"uri", recorded_url(c, c.final_url.empty() ? c.requested_url : c.final_url)},
            {"digest", {{"sha256", c.payload_sha256}}}};
}

json match_object(std::string_view role, const Match& m) {
    json diffs = json::array();
    for (const auto& d : m.differences) {
        diffs.push_back({{"op", d.op},
                         {"quote", d.quote},
                         {"source", d.source},
                         {"kind", to_string(d.kind)},
                         {"critical", d.critical}});
    }
    json elisions = json::array();
    for (const auto& e : m.elisions)
        elisions.push_back({{"marker", e.marker}, {"source", e.source}, {"critical", e.critical}});
    json out = {{"capture", role},
                {"verdict", to_string(m.verdict)},
                {"score", m.score},
                {"text", m.text},
                {"start", m.start},
                {"end", m.end},
                {"context_before", m.context_before},
                {"context_after", m.context_after},
                {"differences", std::move(diffs)},
                {"elisions", std::move(elisions)},
                {"insertions", m.insertions},
                {"decided_by", m.decided_by}};
    // Only when the passage lies outside the source's main text: records of passages in it read as before.
    if (!m.region.empty()) out["region"] = m.region;
    // Only for a source with pages (a PDF), and only when OCR read it: web-page records read as before.
    if (m.page > 0) out["page"] = m.page;
    if (m.ocr) out["ocr"] = true;
    return out;
}

bool same_capture(const Capture& a, const Capture& b) {
    return a.requested_url == b.requested_url && a.fetched_at == b.fetched_at && a.payload_sha256 == b.payload_sha256 &&
           a.final_url == b.final_url;
}

// ---------------------------------------------------------------------------------------------------------
// Reading (every version)

// Reads members with their types checked; the first problem is kept and named.
class Reader {
public:
    explicit Reader(std::string where) : where_(std::move(where)) {}

    [[nodiscard]] bool ok() const noexcept { return !error_; }
    [[nodiscard]] Error error() const { return *error_; }

    const json* member(const json& obj, std::string_view key, std::string_view path) {
        if (!obj.is_object()) return bad(path, "is not an object"), nullptr;
        auto it = obj.find(key);
        if (it == obj.end()) return nullptr;
        return &*it;
    }
    std::string str(const json& obj, std::string_view key, std::string_view path) {
        const json* v = member(obj, key, path);
        if (v == nullptr || v->is_null()) return {};
        if (!v->is_string()) return bad(fmt::format("{}.{}", path, key), "is not a string"), std::string();
        return v->get<std::string>();
    }
    std::optional<std::string> opt_str(const json& obj, std::string_view key, std::string_view path) {
        const json* v = member(obj, key, path);
        if (v == nullptr || v->is_null()) return std::nullopt;
        if (!v->is_string()) return bad(fmt::format("{}.{}", path, key), "is not a string"), std::nullopt;
        return v->get<std::string>();
    }
    std::uint64_t uint(const json& obj, std::string_view key, std::string_view path) {
        const json* v = member(obj, key, path);
        if (v == nullptr || v->is_null()) return 0;
        if (!v->is_number_unsigned() && !(v->is_number_integer() && v->get<std::int64_t>() >= 0)) {
            return bad(fmt::format("{}.{}", path, key), "is not a whole number"), 0;
        }
        return v->get<std::uint64_t>();
    }
    std::int64_t integer(const json& obj, std::string_view key, std::string_view path) {
        const json* v = member(obj, key, path);
        if (v == nullptr || v->is_null()) return 0;
        if (!v->is_number_integer()) return bad(fmt::format("{}.{}", path, key), "is not a whole number"), 0;
        return v->get<std::int64_t>();
    }
    double number(const json& obj, std::string_view key, std::string_view path) {
        const json* v = member(obj, key, path);
        if (v == nullptr || v->is_null()) return 0;
        if (!v->is_number()) return bad(fmt::format("{}.{}", path, key), "is not a number"), 0;
        return v->get<double>();
    }
    bool boolean(const json& obj, std::string_view key, std::string_view path) {
        const json* v = member(obj, key, path);
        if (v == nullptr || v->is_null()) return false;
        if (!v->is_boolean()) return bad(fmt::format("{}.{}", path, key), "is not true or false"), false;
        return v->get<bool>();
    }
    const json& array(const json& obj, std::string_view key, std::string_view path) {
        static const json empty = json::array();
        const json* v = member(obj, key, path);
        if (v == nullptr || v->is_null()) return empty;
        if (!v->is_array()) return bad(fmt::format("{}.{}", path, key), "is not an array"), empty;
        return *v;
    }
    const json* object(const json& obj, std::string_view key, std::string_view path) {
        const json* v = member(obj, key, path);
        if (v == nullptr || v->is_null()) return nullptr;
        if (!v->is_object()) return bad(fmt::format("{}.{}", path, key), "is not an object"), nullptr;
        return v;
    }
    template <typename Enum>
    Enum name(const json& obj, std::string_view key, std::string_view path,
              std::optional<Enum> (*parse)(std::string_view) noexcept, Enum fallback) {
        auto text = str(obj, key, path);
        if (!ok()) return fallback;
        auto value = parse(text);
        if (!value)
            return bad(fmt::format("{}.{}", path, key), fmt::format("'{}' is not a known name", text)), fallback;
        return *value;
    }
    void bad(std::string_view path, std::string_view why) {
        if (!error_) error_ = Error{ErrorCode::parse, fmt::format("{}: {} {}", where_, path, why)};
    }

private:
    std::string where_;
    std::optional<Error> error_;
};

std::vector<Hop> read_chain(Reader& r, const json& c, std::string_view path) {
    std::vector<Hop> chain;
    for (const auto& h : r.array(c, "chain", path)) {
        Hop hop;
        hop.url = r.str(h, "url", fmt::format("{}.chain[]", path));
        if (const json* s = r.member(h, "status", path); s != nullptr && !s->is_null()) {
            hop.status = static_cast<int>(r.integer(h, "status", path));
        }
        hop.via = r.name<HopVia>(h, "via", path, &hop_via_from_string, HopVia::start);
        chain.push_back(std::move(hop));
    }
    return chain;
}

// A capture object of either version (v1 named the payload digest "sha256" and the failure "error").
Capture read_capture(Reader& r, const json& c, std::string_view path, int version) {
    Capture out;
    out.requested_url = version == 1 ? r.str(c, "url", path) : r.str(c, "requested_url", path);
    out.final_url = r.str(c, "final_url", path);
    out.status = static_cast<int>(r.integer(c, "status", path));
    out.fetched_at = r.str(c, "fetched_at", path);
    out.payload_sha256 = version == 1 ? r.str(c, "sha256", path) : r.str(c, "payload_sha256", path);
    out.block_sha256 = r.str(c, "block_sha256", path);
    if (version >= 2) {
        out.remote_ip = r.str(c, "remote_ip", path);
        out.content_type = r.str(c, "content_type", path);
        out.charset = r.str(c, "charset", path);
    }
    out.truncated = r.opt_str(c, "truncated", path);
    out.chain = read_chain(r, c, path);
    out.from_replay = r.boolean(c, "replayed", path);
    if (const json* f = r.object(c, version == 1 ? "error" : "failure", path)) {
        out.failure =
            CaptureFailure{r.name<FailureClass>(*f, "class", path, &failure_class_from_string, FailureClass::connect),
                           r.str(*f, "message", path)};
    }
    if (const json* k = r.object(c, "cache", path)) {
        auto state = r.str(*k, "state", path);
        out.cache =
            CacheUse{state == "fresh" ? CacheState::fresh : CacheState::revalidated, r.str(*k, "validated_at", path)};
    }
    if (const json* w = r.object(c, "warc", path)) {
        out.stored = StoredRecordRef{r.str(*w, "file", path), r.uint(*w, "offset", path), r.uint(*w, "length", path),
                                     r.str(*w, "record_id", path)};
    }
    if (const json* a = r.object(c, "archived", path)) {
        out.archived =
            ArchivedCopy{r.str(*a, "original_url", path), r.str(*a, "archived_at", path), r.str(*a, "timemap", path)};
    }
    return out;
}

std::optional<DiffKind> diff_kind_from_string(std::string_view s) noexcept {
    for (auto k : {DiffKind::number, DiffKind::negation, DiffKind::name, DiffKind::word, DiffKind::punctuation,
                   DiffKind::case_change, DiffKind::spelling, DiffKind::stitched, DiffKind::order}) {
        if (to_string(k) == s) return k;
    }
    return std::nullopt;
}

Match read_match(Reader& r, const json& m, std::string_view path) {
    Match out;
    out.text = r.str(m, "text", path);
    out.start = r.uint(m, "start", path);
    out.end = r.uint(m, "end", path);
    out.context_before = r.str(m, "context_before", path);
    out.context_after = r.str(m, "context_after", path);
    out.decided_by = r.str(m, "decided_by", path);
    out.region = r.str(m, "region", path);
    out.page = static_cast<int>(std::min<std::uint64_t>(r.uint(m, "page", path), 1u << 30));
    out.ocr = r.boolean(m, "ocr", path);
    out.score = r.number(m, "score", path);
    for (const auto& d : r.array(m, "differences", path)) {
        std::string p = fmt::format("{}.differences[]", path);
        out.differences.push_back(Difference{r.str(d, "op", p), r.str(d, "quote", p), r.str(d, "source", p),
                                             r.name<DiffKind>(d, "kind", p, &diff_kind_from_string, DiffKind::word),
                                             r.boolean(d, "critical", p)});
    }
    for (const auto& e : r.array(m, "elisions", path)) {
        std::string p = fmt::format("{}.elisions[]", path);
        out.elisions.push_back(Elision{r.str(e, "marker", p), r.str(e, "source", p), r.boolean(e, "critical", p)});
    }
    for (const auto& i : r.array(m, "insertions", path)) {
        if (!i.is_string()) {
            r.bad(fmt::format("{}.insertions[]", path), "is not a string");
            break;
        }
        out.insertions.push_back(i.get<std::string>());
    }
    return out;
}

std::optional<ClaimKind> claim_kind_from_string(std::string_view s) noexcept {
    for (auto k : {ClaimKind::quote, ClaimKind::partial_quote, ClaimKind::embed}) {
        if (to_string(k) == s) return k;
    }
    return std::nullopt;
}

void read_claim_fields(Reader& r, const json& c, Claim& claim) {
    claim.id = r.str(c, "id", "predicate.claim");
    claim.kind = r.name<ClaimKind>(c, "kind", "predicate.claim", &claim_kind_from_string, ClaimKind::quote);
    claim.quote = r.str(c, "quote", "predicate.claim");
    claim.block = static_cast<int>(r.integer(c, "block", "predicate.claim"));
    claim.start = r.uint(c, "start", "predicate.claim");
    claim.end = r.uint(c, "end", "predicate.claim");
    if (c.contains("last_block")) claim.last_block = static_cast<int>(r.integer(c, "last_block", "predicate.claim"));
    claim.speaker = r.str(c, "speaker", "predicate.claim");
    claim.outlet = r.str(c, "outlet", "predicate.claim");
    claim.attribution = r.str(c, "attribution", "predicate.claim");
    claim.rule = r.str(c, "rule", "predicate.claim");
}

std::vector<SourceVersion> read_versions(Reader& r, const json& holder, std::string_view path) {
    std::vector<SourceVersion> out;
    for (const auto& v : r.array(holder, "versions", path)) {
        std::string p = fmt::format("{}.versions[]", path);
        out.push_back(SourceVersion{r.str(v, "url", p), r.str(v, "fetched_at", p), r.str(v, "sha256", p),
                                    r.name<Verdict>(v, "verdict", p, &verdict_from_string, Verdict::not_found),
                                    r.number(v, "score", p), r.boolean(v, "matched", p), r.boolean(v, "current", p),
                                    r.str(v, "archived_at", p)});
    }
    return out;
}

// v1: the claim object was the report's of provcheck 0.1, with the source capture inside it and the other
// candidates under "candidates"; predicate.captures repeated them with their roles.
void read_v1(Reader& r, const json& predicate, SignedClaim& out) {
    const json* claim = r.object(predicate, "claim", "predicate");
    if (claim == nullptr) return r.bad("predicate.claim", "is missing");
    read_claim_fields(r, *claim, out.result.claim);
    out.result.verdict =
        r.name<Verdict>(*claim, "verdict", "predicate.claim", &verdict_from_string, Verdict::unsourced);
    out.result.source_reason = r.str(*claim, "source_reason", "predicate.claim");
    if (const json* s = r.object(*claim, "source", "predicate.claim")) {
        out.result.source = read_capture(r, *s, "predicate.claim.source", 1);
    }
    if (const json* m = r.object(*claim, "match", "predicate.claim")) {
        out.result.match = read_match(r, *m, "predicate.claim.match");
        out.result.match->score = r.number(*claim, "score", "predicate.claim");
        out.result.match->verdict = out.result.verdict;
    }
    out.result.versions = read_versions(r, *claim, "predicate.claim");
    for (const auto& c : r.array(predicate, "captures", "predicate")) {
        auto role = r.str(c, "role", "predicate.captures[]");
        Capture cap = read_capture(r, c, "predicate.captures[]", 1);
        if (role == "article") {
            out.article_capture = std::move(cap);
        } else {
            out.result.candidates.push_back(std::move(cap));
        }
    }
}

void read_v2(Reader& r, const json& predicate, SignedClaim& out) {
    const json* claim = r.object(predicate, "claim", "predicate");
    if (claim == nullptr) return r.bad("predicate.claim", "is missing");
    read_claim_fields(r, *claim, out.result.claim);
    for (const auto& u : r.array(*claim, "linked_urls", "predicate.claim")) {
        if (u.is_string()) out.result.claim.linked_urls.push_back(u.get<std::string>());
    }
    out.result.verdict = r.name<Verdict>(predicate, "verdict", "predicate", &verdict_from_string, Verdict::unsourced);
    std::map<std::string, Capture> by_role;
    for (const auto& c : r.array(predicate, "captures", "predicate")) {
        auto role = r.str(c, "role", "predicate.captures[]");
        Capture cap = read_capture(r, c, fmt::format("predicate.captures[{}]", role), 2);
        if (role == "article") {
            out.article_capture = cap;
        } else {
            out.result.candidates.push_back(cap);
        }
        by_role.insert_or_assign(role, std::move(cap));
    }
    auto role_capture = [&](const json& holder, std::string_view path) -> std::optional<Capture> {
        auto role = r.str(holder, "capture", path);
        auto it = by_role.find(role);
        if (it == by_role.end()) {
            r.bad(fmt::format("{}.capture", path), fmt::format("names '{}', which is not among the captures", role));
            return std::nullopt;
        }
        return it->second;
    };
    if (const json* s = r.object(predicate, "source", "predicate")) {
        out.result.source = role_capture(*s, "predicate.source");
        out.result.source_reason = r.str(*s, "reason", "predicate.source");
        out.result.source_speaker = r.str(*s, "speaker", "predicate.source");
        out.result.restriction = r.str(*s, "restriction", "predicate.source");
    }
    if (const json* m = r.object(predicate, "match", "predicate")) {
        out.result.match = read_match(r, *m, "predicate.match");
        out.result.match->verdict =
            r.name<Verdict>(*m, "verdict", "predicate.match", &verdict_from_string, Verdict::not_found);
    }
    out.result.versions = read_versions(r, predicate, "predicate");
}

// The capture the verdict is about, why it was chosen and, when its passage names one, who it gives the words to
// (absent otherwise, so that records without a source speaker read as they always did).
json source_object(const ClaimResult& claim, const std::string& role) {
    if (!claim.source) return nullptr;
    json s = {{"capture", role}, {"reason", claim.source_reason}};
    if (!claim.source_speaker.empty()) s["speaker"] = claim.source_speaker;
    if (!claim.restriction.empty()) s["restriction"] = claim.restriction;
    return s;
}

}  // namespace

namespace {

// Whether two captures are written alike by capture_object() and subject_of(): every field they write is equal.
bool written_alike(const Capture& a, const Capture& b) {
    return a.requested_url == b.requested_url && a.final_url == b.final_url && a.fetched_at == b.fetched_at &&
           a.payload_sha256 == b.payload_sha256 && a.block_sha256 == b.block_sha256 && a.status == b.status &&
           a.remote_ip == b.remote_ip && a.content_type == b.content_type && a.charset == b.charset &&
           a.truncated == b.truncated && a.failure == b.failure && a.chain == b.chain && a.cache == b.cache &&
           a.from_replay == b.from_replay && a.stored == b.stored && a.archived == b.archived;
}

// Where to look a capture up: its role and identity (copies of one capture, which each claim keeps, share it).
std::size_t capture_hash(std::string_view role, const Capture& c) {
    std::size_t h = std::hash<std::string_view>{}(role);
    for (const std::string* part : {&c.requested_url, &c.fetched_at, &c.payload_sha256})
        h = h * 1000003U ^ std::hash<std::string_view>{}(*part);
    return h;
}

std::string compact_string(std::string_view s) {
    std::string out;
    append_compact_json(out, json(s));
    return out;
}

// The compact JSON of a capture in a role, as its statement's captures and subjects hold it.
StatementParts::Written written_capture(std::string_view role, const Capture& c) {
    return {compact_json(capture_object(role, c)), compact_json(subject_of(role, c))};
}

// The roles of a claim's captures: "source:N" for its N-th candidate; the capture the verdict is about is
// always among them, and should it not be, it comes last, in a role of its own.
std::string candidate_role(std::size_t i) {
    return fmt::format("source:{}", i);
}

}  // namespace

StatementParts::StatementParts(const ArticleResult& article, std::string_view rules_digest, std::string_view checked_at)
    : article_(article),
      article_json_(compact_json({{"input", record_input(article.input)},
                                  {"url", recorded_url(article.capture, article.document.canonical_url.empty()
                                                                            ? article.capture.final_url
                                                                            : article.document.canonical_url)},
                                  {"title", article.document.title},
                                  {"published", article.document.published}})),
      checked_at_json_(compact_string(checked_at)),
      rules_digest_json_(compact_string(rules_digest)),
      tool_json_(compact_json({{"name", "provcheck"}, {"version", PROVCHECK_VERSION}})) {
    auto write = [this](std::string_view role, const Capture& c) {
        auto& same_place = written_[capture_hash(role, c)];
        for (const auto& w : same_place) {
            if (w.role == role && written_alike(*w.capture, c)) return;
        }
        same_place.push_back(Entry{std::string(role), &c, written_capture(role, c)});
    };
    write("article", article.capture);
    for (const auto& claim : article.claims) {
        for (std::size_t i = 0; i < claim.candidates.size(); ++i)
            write(candidate_role(i), claim.candidates[i]);
        if (claim.source) write(candidate_role(claim.candidates.size()), *claim.source);
    }
}

const StatementParts::Written* StatementParts::find(std::string_view role, const Capture& c) const {
    const auto it = written_.find(capture_hash(role, c));
    if (it == written_.end()) return nullptr;
    for (const auto& w : it->second) {
        if (w.role == role && written_alike(*w.capture, c)) return &w.written;
    }
    return nullptr;
}

// The members, in key order: "_type", "predicate" (article, captures, checked_at, claim, match, rules_digest,
// source, tool, verdict, versions), "predicateType", "subject".
std::string claim_statement(const StatementParts& parts, const ClaimResult& claim) {
    const ArticleResult& article = parts.article();
    std::string captures;
    std::string subjects;
    auto add = [&](std::string_view role, const Capture& c, bool subject) {
        std::optional<StatementParts::Written> fresh;
        const StatementParts::Written* w = parts.find(role, c);
        if (w == nullptr) w = &fresh.emplace(written_capture(role, c));  // a capture its article's claims lack
        if (!captures.empty()) captures += ',';
        captures += w->capture;
        if (!subject) return;
        if (!subjects.empty()) subjects += ',';
        subjects += w->subject;
    };
    add("article", article.capture, true);
    std::string source_role;
    for (std::size_t i = 0; i < claim.candidates.size(); ++i) {
        const Capture& cand = claim.candidates[i];
        const std::string role = candidate_role(i);
        add(role, cand, cand.ok() && !cand.payload_sha256.empty());
        if (claim.source && source_role.empty() && same_capture(cand, *claim.source)) source_role = role;
    }
    if (claim.source && source_role.empty()) {
        source_role = candidate_role(claim.candidates.size());
        add(source_role, *claim.source, claim.source->ok() && !claim.source->payload_sha256.empty());
    }
    subjects += ',';
    append_compact_json(subjects, {{"digest", {{"sha256", sha256_hex(claim.claim.quote)}}}, {"name", "quote"}});

    const Claim& c = claim.claim;
    json versions = json::array();
    for (const auto& v : claim.versions) {
        versions.push_back({{"url", v.url},
                            {"fetched_at", v.fetched_at},
                            {"sha256", v.payload_sha256},
                            {"verdict", to_string(v.verdict)},
                            {"score", v.score},
                            {"matched", v.matched},
                            {"current", v.current}});
        if (!v.archived_at.empty()) versions.back()["archived_at"] = v.archived_at;
    }
    json claim_object = {{"id", c.id},
                         {"kind", to_string(c.kind)},
                         {"quote", c.quote},
                         {"block", c.block},
                         {"start", c.start},
                         {"end", c.end},
                         {"speaker", c.speaker},
                         {"outlet", c.outlet},
                         {"attribution", c.attribution},
                         {"rule", c.rule},
                         {"linked_urls", c.linked_urls}};
    if (c.last_block >= 0) claim_object["last_block"] = c.last_block;

    std::string out;
    out.reserve(captures.size() + subjects.size() + c.quote.size() * 3 + 1024);
    out += "{\"_type\":";
    append_compact_json(out, json(statement_type));
    out += ",\"predicate\":{\"article\":";
    out += parts.article_json();
    out += ",\"captures\":[";
    out += captures;
    out += "],\"checked_at\":";
    out += parts.checked_at_json();
    out += ",\"claim\":";
    append_compact_json(out, claim_object);
    out += ",\"match\":";
    append_compact_json(out, claim.match ? match_object(source_role, *claim.match) : json(nullptr));
    out += ",\"rules_digest\":";
    out += parts.rules_digest_json();
    out += ",\"source\":";
    append_compact_json(out, source_object(claim, source_role));
    out += ",\"tool\":";
    out += parts.tool_json();
    out += ",\"verdict\":";
    append_compact_json(out, json(to_string(claim.verdict)));
    out += ",\"versions\":";
    append_compact_json(out, versions);
    out += "},\"predicateType\":";
    append_compact_json(out, json(claim_predicate_current));
    out += ",\"subject\":[";
    out += subjects;
    out += "]}";
    return out;
}

Result<SignedClaim> read_claim_statement(std::string_view payload) {
    json doc = json::parse(payload.begin(), payload.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return fail(ErrorCode::parse, "the statement is not a JSON object");
    Reader r("the statement");
    if (r.str(doc, "_type", "") != statement_type) return fail(ErrorCode::parse, "not an in-toto Statement v1");
    const std::string type = r.str(doc, "predicateType", "");
    SignedClaim out;
    if (type == claim_predicate_v1) {
        out.version = 1;
    } else if (type == claim_predicate_v2) {
        out.version = 2;
    } else {
        return fail(ErrorCode::parse,
                    fmt::format("predicate type '{}' is not a claim record this provcheck reads", type));
    }
    const json* predicate = r.object(doc, "predicate", "");
    if (predicate == nullptr) return fail(ErrorCode::parse, "the statement has no predicate");
    if (out.version == 1) {
        read_v1(r, *predicate, out);
    } else {
        read_v2(r, *predicate, out);
    }
    if (const json* a = r.object(*predicate, "article", "predicate")) {
        out.article =
            StatementArticle{r.str(*a, "input", "predicate.article"), r.str(*a, "url", "predicate.article"),
                             r.str(*a, "title", "predicate.article"), r.str(*a, "published", "predicate.article")};
    }
    out.checked_at = r.str(*predicate, "checked_at", "predicate");
    out.rules_digest = r.str(*predicate, "rules_digest", "predicate");
    if (const json* t = r.object(*predicate, "tool", "predicate"))
        out.tool_version = r.str(*t, "version", "predicate.tool");
    if (!r.ok()) return std::unexpected(r.error());
    return out;
}

}  // namespace provcheck
