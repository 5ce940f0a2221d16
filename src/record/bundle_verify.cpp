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

namespace {

// A value as an error message names it.
std::string kind_of(const json& j) {
    switch (j.type()) {
        case json::value_t::object:
            return "an object";
        case json::value_t::array:
            return "an array";
        case json::value_t::string:
            return "a string";
        case json::value_t::boolean:
            return "a boolean";
        case json::value_t::null:
            return "null";
        case json::value_t::number_integer:
            return j.get<std::int64_t>() < 0 ? "a negative number" : "a number";
        case json::value_t::number_float:
            return "a fraction";
        case json::value_t::number_unsigned:
            return "a number";
        default:
            return "something else";
    }
}

// Bundle text as it may be printed: printable ASCII and UTF-8 as they are, control characters as \xNN (a bundle
// must not drive the terminal), and no more than 120 bytes.
std::string plain(std::string_view text) {
    std::string out;
    for (char c : text.substr(0, 120)) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            out += fmt::format("\\x{:02x}", u);
        } else {
            out.push_back(c);
        }
    }
    if (text.size() > 120) out += "…";
    return out;
}

std::string in_quotes(std::string_view text) {
    std::string out = plain(text);
    out.insert(out.begin(), '"');
    out.push_back('"');
    return out;
}

// Reads the members of one JSON object of a bundle, each checked for its type. The first member found missing
// or of another type is kept as the problem, in the words "<where>: key "<key>": expected …, found …".
class Fields {
public:
    Fields(const json& object, std::string where) : object_(object), where_(std::move(where)) {}

    std::string string(std::string_view key) {
        const json* v = member(key, "a string", [](const json& j) { return j.is_string(); });
        return v != nullptr ? v->get<std::string>() : std::string();
    }
    std::uint64_t unsigned_integer(std::string_view key) {
        const json* v = member(key, "an unsigned integer", [](const json& j) { return j.is_number_unsigned(); });
        return v != nullptr ? v->get<std::uint64_t>() : 0;
    }
    std::optional<std::uint64_t> optional_unsigned_integer(std::string_view key) {
        if (!object_.contains(key)) return std::nullopt;
        return unsigned_integer(key);
    }
    [[nodiscard]] const std::optional<std::string>& problem() const noexcept { return problem_; }

private:
    template <class Test>
    const json* member(std::string_view key, std::string_view expected, Test test) {
        auto it = object_.find(key);
        if (it == object_.end()) {
            if (!problem_) problem_ = fmt::format("{}: key \"{}\" is missing", where_, key);
            return nullptr;
        }
        if (!test(*it)) {
            if (!problem_) {
                problem_ = fmt::format("{}: key \"{}\": expected {}, found {}", where_, key, expected, kind_of(*it));
            }
            return nullptr;
        }
        return &*it;
    }
    const json& object_;
    std::string where_;
    std::optional<std::string> problem_;
};

// A JSON document built from parser events, as nlohmann's own builder does, that stops at `max_values` values
// or 64 levels of nesting. (nlohmann's parser callback is no way to count: on every object's end it walks the
// whole array the object is in, which makes an array of many objects take quadratic time.)
class BoundedDocument final : public nlohmann::json_sax<json> {
public:
    BoundedDocument(json& root, std::uint64_t max_values) : dom_(root, false), max_values_(max_values) {}

    std::optional<std::string> why;

    bool null() override { return count() && dom_.null(); }
    bool boolean(bool v) override { return count() && dom_.boolean(v); }
    bool number_integer(number_integer_t v) override { return count() && dom_.number_integer(v); }
    bool number_unsigned(number_unsigned_t v) override { return count() && dom_.number_unsigned(v); }
    bool number_float(number_float_t v, const string_t& s) override { return count() && dom_.number_float(v, s); }
    bool string(string_t& v) override { return count() && dom_.string(v); }
    bool binary(binary_t& v) override { return count() && dom_.binary(v); }
    bool start_object(std::size_t n) override { return count() && deeper() && dom_.start_object(n); }
    bool key(string_t& k) override { return dom_.key(k); }
    bool end_object() override {
        --depth_;
        return dom_.end_object();
    }
    bool start_array(std::size_t n) override { return count() && deeper() && dom_.start_array(n); }
    bool end_array() override {
        --depth_;
        return dom_.end_array();
    }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
        if (!why) why = fmt::format("not valid JSON (at byte {})", position);
        return false;
    }

private:
    static constexpr int max_depth = 64;
    bool count() {
        if (++values_ <= max_values_) return true;
        if (!why) why = fmt::format("more than {} JSON values", max_values_);
        return false;
    }
    bool deeper() {
        if (++depth_ <= max_depth) return true;
        if (!why) why = fmt::format("JSON nested more than {} deep", max_depth);
        return false;
    }
    nlohmann::detail::json_sax_dom_parser<json> dom_;
    std::uint64_t max_values_;
    std::uint64_t values_ = 0;
    int depth_ = 0;
};

// Parses bundle JSON into a document of at most `max_values` values, or says why not. nlohmann's exceptions never
// leave this function.
template <class Input>
std::optional<json> parse_json(Input&& input, std::uint64_t max_values, std::string& why) {
    json root;
    BoundedDocument sax(root, max_values);
    bool ok = false;
    try {
        ok = json::sax_parse(std::forward<Input>(input), &sax);
    } catch (const json::exception&) {
        ok = false;
    }
    if (ok) return root;
    why = sax.why.value_or("not valid JSON");
    return std::nullopt;
}

// provcheck/log.json, {"entries": ["<64 hex digits>", …]}, read piece by piece: only the digests are kept.
class LogReader final : public nlohmann::json_sax<json> {
public:
    LogReader(std::string entry, std::uint64_t max_entries) : entry_(std::move(entry)), max_(max_entries) {}

    std::vector<Sha256> entries;
    std::optional<std::string> problem;

    bool null() override { return value("null"); }
    bool boolean(bool) override { return value("a boolean"); }
    bool number_integer(number_integer_t) override { return value("a number"); }
    bool number_unsigned(number_unsigned_t) override { return value("a number"); }
    bool number_float(number_float_t, const string_t&) override { return value("a fraction"); }
    bool binary(binary_t&) override { return value("binary data"); }
    bool string(string_t& s) override {
        if (!in_entries_ || depth_ != 2) return value("a string");
        auto raw = s.size() == 64 ? from_hex(s) : std::nullopt;
        if (!raw || raw->size() != 32) {
            return fail_at(fmt::format("key \"entries\", item {}: {} is not a SHA-256 (64 hex digits)", entries.size(),
                                       in_quotes(s)));
        }
        if (entries.size() >= max_) return fail_at(fmt::format("key \"entries\": more than {} entries", max_));
        Sha256 d{};
        std::memcpy(d.data(), raw->data(), d.size());
        entries.push_back(d);
        return true;
    }
    bool start_object(std::size_t) override {
        if (depth_ == 0) {
            depth_ = 1;
            return true;
        }
        if (!value("an object")) return false;
        ++depth_;
        return true;
    }
    bool end_object() override {
        --depth_;
        if (depth_ == 0 && !seen_entries_) return fail_at("key \"entries\" is missing");
        return true;
    }
    bool start_array(std::size_t) override {
        if (depth_ == 1 && key_ == "entries") {
            if (seen_entries_) return fail_at("key \"entries\" appears twice");
            seen_entries_ = in_entries_ = true;
            depth_ = 2;
            return true;
        }
        if (!value("an array")) return false;
        ++depth_;
        return true;
    }
    bool end_array() override {
        if (in_entries_ && depth_ == 2) in_entries_ = false;
        --depth_;
        return true;
    }
    bool key(string_t& k) override {
        if (depth_ == 1) key_ = k;
        return true;
    }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
        return fail_at(fmt::format("not valid JSON (at byte {})", position));
    }

private:
    // A value that is not a digest: wrong where the document or its entries are, passed over elsewhere.
    bool value(std::string_view kind) {
        if (depth_ == 0) return fail_at(fmt::format("expected an object, found {}", kind));
        if (depth_ == 1 && key_ == "entries") {
            return fail_at(fmt::format("key \"entries\": expected an array, found {}", kind));
        }
        if (in_entries_ && depth_ == 2) {
            return fail_at(fmt::format("key \"entries\", item {}: expected a string, found {}", entries.size(), kind));
        }
        return true;
    }
    bool fail_at(std::string why) {
        if (!problem) problem = fmt::format("{}: {}", entry_, why);
        return false;
    }
    std::string entry_;
    std::uint64_t max_;
    int depth_ = 0;
    std::string key_;
    bool seen_entries_ = false;
    bool in_entries_ = false;
};

// A WARC file of the bundle read in place: a stored entry, straight from the bundle.
class StoredWarc final : public WarcBytes {
public:
    explicit StoredWarc(std::unique_ptr<ZipReader::Slice> slice) : slice_(std::move(slice)) {}
    Result<std::size_t> read_at(std::uint64_t offset, char* buf, std::size_t n) override {
        return slice_->read_at(offset, buf, n);
    }
    [[nodiscard]] std::uint64_t size() const noexcept override { return slice_->size(); }

private:
    std::unique_ptr<ZipReader::Slice> slice_;
};

// A deflated WARC file of the bundle, inflated once into an unnamed temporary file.
class SpooledWarc final : public WarcBytes {
public:
    explicit SpooledWarc(std::shared_ptr<SpoolFile> spool) : spool_(std::move(spool)) {}
    Result<std::size_t> read_at(std::uint64_t offset, char* buf, std::size_t n) override {
        auto got = spool_->read(offset, n);
        if (!got) return std::unexpected(got.error());
        std::memcpy(buf, got->data(), got->size());
        return got->size();
    }
    [[nodiscard]] std::uint64_t size() const noexcept override { return spool_->size(); }

private:
    std::shared_ptr<SpoolFile> spool_;
};

// The captures of a bundle: the workspace's "warc/<name>" is the bundle's "archive/<name>", and nothing else.
class BundleCaptures final : public CaptureArchive {
public:
    explicit BundleCaptures(const ZipReader& zip) : zip_(zip) {}

    Result<WarcRecord> record_at(std::string_view file, std::uint64_t offset) override {
        auto bytes = bytes_of(file);
        if (!bytes) return std::unexpected(bytes.error());
        return read_record_at(*bytes->second, bytes->first->name, offset);
    }

    Result<std::string> hash_range(std::string_view file, std::uint64_t offset, std::uint64_t length) override {
        auto bytes = bytes_of(file);
        if (!bytes) return std::unexpected(bytes.error());
        WarcBytes& b = *bytes->second;
        if (offset > b.size() || length > b.size() - offset) {
            return fail(ErrorCode::parse,
                        fmt::format("{} holds {} bytes, not {}+{}", bytes->first->name, b.size(), offset, length));
        }
        Sha256Stream sha;
        std::string buf(std::min<std::uint64_t>(length, 1 << 20), '\0');
        for (std::uint64_t done = 0; done < length;) {
            auto got = b.read_at(offset + done, buf.data(), std::min<std::uint64_t>(buf.size(), length - done));
            if (!got) return std::unexpected(got.error());
            if (*got == 0) return fail(ErrorCode::parse, fmt::format("{} ends early", bytes->first->name));
            sha.update(std::string_view(buf.data(), *got));
            done += *got;
        }
        return to_hex(sha.finish());
    }

    std::vector<std::pair<std::string, std::uint64_t>> files() override {
        std::vector<std::pair<std::string, std::uint64_t>> out;
        for (const auto& e : zip_.entries()) {
            if (e.name.starts_with("archive/")) out.emplace_back("warc/" + e.name.substr(8), e.size);
        }
        return out;
    }

private:
    // The bundle's "archive/<name>" for the workspace's "warc/<name>", and nothing else.
    Result<std::pair<const ZipEntryInfo*, WarcBytes*>> bytes_of(std::string_view file) {
        constexpr std::string_view dir = "warc/";
        const ZipEntryInfo* entry = nullptr;
        if (file.starts_with(dir)) entry = zip_.find("archive/" + std::string(file.substr(dir.size())));
        if (entry == nullptr) {
            return fail(ErrorCode::parse,
                        fmt::format("the capture file {} is not in the bundle (a bundle holds warc/<name> as "
                                    "archive/<name>)",
                                    in_quotes(file)));
        }
        auto bytes = open(*entry);
        if (!bytes) return std::unexpected(bytes.error());
        return std::pair{entry, *bytes};
    }

    Result<WarcBytes*> open(const ZipEntryInfo& entry) {
        if (auto it = open_.find(entry.name); it != open_.end()) {
            if (!it->second) return fail(ErrorCode::parse, failed_[entry.name]);
            return it->second.get();
        }
        auto made = make(entry);
        if (!made) {
            open_[entry.name] = nullptr;
            failed_[entry.name] = made.error().message;
            return std::unexpected(made.error());
        }
        return (open_[entry.name] = std::move(*made)).get();
    }

    Result<std::unique_ptr<WarcBytes>> make(const ZipEntryInfo& entry) {
        if (entry.stored) {
            auto slice = zip_.slice(entry);
            if (!slice) return std::unexpected(slice.error());
            return std::unique_ptr<WarcBytes>(new StoredWarc(std::move(*slice)));
        }
        std::error_code ec;
        auto tmp = std::filesystem::temp_directory_path(ec);  // $TMPDIR; never throws
        auto spool = SpoolFile::create(ec ? std::filesystem::path("/tmp") : tmp);
        if (!spool) return std::unexpected(spool.error());
        auto copied = zip_.read(entry, [&](std::string_view bytes) { return (*spool)->append(bytes); });
        if (!copied) return std::unexpected(copied.error());
        return std::unique_ptr<WarcBytes>(new SpooledWarc(std::move(*spool)));
    }

    const ZipReader& zip_;
    std::map<std::string, std::unique_ptr<WarcBytes>> open_;
    std::map<std::string, std::string> failed_;
};

constexpr std::string_view manifest_name = "datapackage.json";
constexpr std::string_view manifest_digest_name = "datapackage-digest.json";
constexpr std::string_view records_name = "provcheck/records.jsonl";
constexpr std::string_view log_name = "provcheck/log.json";
constexpr std::string_view checkpoints_name = "provcheck/checkpoints.json";
constexpr std::string_view manifests_name = "provcheck/manifests.jsonl";
constexpr std::string_view timestamps_name = "provcheck/timestamps.jsonl";
constexpr std::string_view keys_dir = "provcheck/keys/";

struct Listed {
    std::string path;
    std::string hash;
    std::optional<std::uint64_t> bytes;
};

}  // namespace

Result<BundleVerification> verify_bundle(const std::filesystem::path& bundle, const TrustedKeys& keys,
                                         const std::vector<std::string>& earlier_checkpoints,
                                         const BundleLimits& limits, const TsaCertificates* tsa_certs) {
    auto zip = ZipReader::open(bundle, limits.zip);
    if (!zip) return std::unexpected(zip.error());
    const ZipEntryInfo* manifest = zip->find(manifest_name);
    const ZipEntryInfo* records = zip->find(records_name);
    const ZipEntryInfo* log_entry = zip->find(log_name);
    const ZipEntryInfo* checkpoints_entry = zip->find(checkpoints_name);
    if (manifest == nullptr || records == nullptr || log_entry == nullptr || checkpoints_entry == nullptr) {
        return fail(ErrorCode::parse,
                    fmt::format("{}: not a provcheck bundle: datapackage.json or provcheck/ records, log or "
                                "checkpoints missing",
                                bundle.string()));
    }

    BundleVerification out;
    std::vector<VerifyProblem> bundle_problems;
    auto problem = [&](std::string message) { bundle_problems.push_back({"", 0, "bundle", std::move(message)}); };
    auto done = [&]() -> Result<BundleVerification> {
        out.result.problems.insert(out.result.problems.begin(), bundle_problems.begin(), bundle_problems.end());
        return std::move(out);
    };
    // The digests of the entries read in full along the way, for the comparison with the manifest.
    std::map<std::string, std::string> digests;
    auto digest_of = [](Sha256Stream& sha) { return "sha256:" + to_hex(sha.finish()); };

    // An entry parsed as it streams by, hashed in the same pass. Damage in the ZIP is an Error.
    auto too_large = [&](const ZipEntryInfo& e, std::uint64_t max) -> bool {
        if (e.size <= max) return false;
        problem(fmt::format("{}: {} bytes, more than the {} it may have", e.name, e.size, max));
        return true;
    };

    // The manifest: every file listed with its digest.
    if (too_large(*manifest, limits.max_manifest_bytes)) return done();
    std::vector<Listed> listed;
    {
        Sha256Stream sha;
        auto stream = zip->stream(*manifest, [&](std::string_view b) { sha.update(b); });
        if (!stream) return std::unexpected(stream.error());
        std::istream in(stream->get());
        std::string why;
        auto dp = parse_json(in, limits.max_json_values, why);
        if (auto r = (*stream)->finish(); !r) return std::unexpected(r.error());
        digests[std::string(manifest_name)] = digest_of(sha);
        if (!dp) {
            problem(fmt::format("{}: {}", manifest_name, why));
            return done();
        }
        if (!dp->is_object()) {
            problem(fmt::format("{}: expected an object, found {}", manifest_name, kind_of(*dp)));
            return done();
        }
        auto resources = dp->find("resources");
        if (resources == dp->end() || !resources->is_array()) {
            problem(fmt::format("{}: key \"resources\": expected an array, found {}", manifest_name,
                                resources == dp->end() ? std::string("nothing") : kind_of(*resources)));
            return done();
        }
        for (std::size_t i = 0; i < resources->size(); ++i) {
            const json& r = (*resources)[i];
            std::string where = fmt::format("{}: key \"resources\", item {}", manifest_name, i);
            if (!r.is_object()) {
                problem(fmt::format("{}: expected an object, found {}", where, kind_of(r)));
                return done();
            }
            Fields f(r, where);
            Listed l{f.string("path"), f.string("hash"), f.optional_unsigned_integer("bytes")};
            if (f.problem()) {
                problem(*f.problem());
                return done();
            }
            listed.push_back(std::move(l));
        }
    }
    std::string archive_spki;  // the archive key whose signature over the package hash verified
    std::string package_hash;
    std::string endorsement_key_id;  // datapackage-digest.json's "provcheck": the signing key's endorsement
    std::string endorsement_signature;
    if (const ZipEntryInfo* d = zip->find(manifest_digest_name)) {
        if (too_large(*d, limits.max_small_bytes)) return done();
        auto text = zip->read_all(*d, limits.max_small_bytes);
        if (!text) return std::unexpected(text.error());
        digests[std::string(manifest_digest_name)] = "sha256:" + sha256_hex(*text);
        std::string why;
        auto j = parse_json(*text, limits.max_json_values, why);
        if (!j || !j->is_object()) {
            problem(fmt::format("{}: {}", manifest_digest_name, j ? "expected an object, found " + kind_of(*j) : why));
            return done();
        }
        Fields f(*j, std::string(manifest_digest_name));
        std::string hash = f.string("hash");
        if (f.problem()) {
            problem(*f.problem());
            return done();
        }
        if (hash != digests[std::string(manifest_name)]) {
            problem("datapackage.json does not match datapackage-digest.json");
        }
        // The archive signature players check (crypto/archive_key.hpp), when there is one.
        if (j->contains("signedData")) {
            const json& sd = (*j)["signedData"];
            const std::string where = fmt::format("{}: signedData", manifest_digest_name);
            if (!sd.is_object()) {
                problem(fmt::format("{}: expected an object, found {}", where, kind_of(sd)));
            } else {
                Fields g(sd, where);
                const std::string signed_hash = g.string("hash");
                const std::string signature = g.string("signature");
                const std::string public_key = g.string("publicKey");
                auto sig = base64_decode(signature);
                auto spki = base64_decode(public_key);
                if (g.problem()) {
                    problem(*g.problem());
                } else if (signed_hash != hash) {
                    problem(fmt::format("{}: it signs {}, not the datapackage.json hash", where, signed_hash));
                } else if (!sig || !spki) {
                    problem(fmt::format("{}: the signature or public key is not base64", where));
                } else if (auto v = verify_archive_signature(*spki, signed_hash, *sig); !v) {
                    problem(fmt::format("{}: {}", where, v.error().message));
                } else {
                    archive_spki = std::move(*spki);
                    package_hash = signed_hash;
                }
            }
        }
        // The signing key's endorsement of that archive key and hash (checked once the trusted keys are known).
        if (j->contains("provcheck")) {
            const json& e = (*j)["provcheck"];
            const std::string where = fmt::format("{}: provcheck", manifest_digest_name);
            if (!e.is_object()) {
                problem(fmt::format("{}: expected an object, found {}", where, kind_of(e)));
            } else {
                Fields g(e, where);
                endorsement_key_id = g.string("keyid");
                endorsement_signature = g.string("sig");
                if (g.problem()) problem(*g.problem());
            }
        }
    }

    // The log, digest by digest.
    if (too_large(*log_entry, limits.max_log_bytes)) return done();
    std::vector<Sha256> log;
    {
        Sha256Stream sha;
        auto stream = zip->stream(*log_entry, [&](std::string_view b) { sha.update(b); });
        if (!stream) return std::unexpected(stream.error());
        std::istream in(stream->get());
        LogReader reader(std::string(log_name), limits.max_log_entries);
        bool ok = false;
        try {
            ok = json::sax_parse(in, &reader);
        } catch (const json::exception&) {
            ok = false;
        }
        if (auto r = (*stream)->finish(); !r) return std::unexpected(r.error());
        digests[std::string(log_name)] = digest_of(sha);
        if (!ok || reader.problem) {
            problem(reader.problem.value_or(fmt::format("{}: not valid JSON", log_name)));
            return done();
        }
        log = std::move(reader.entries);
    }

    // The signed checkpoints.
    if (too_large(*checkpoints_entry, limits.max_checkpoints_bytes)) return done();
    std::vector<StoredCheckpoint> checkpoints;
    {
        Sha256Stream sha;
        auto stream = zip->stream(*checkpoints_entry, [&](std::string_view b) { sha.update(b); });
        if (!stream) return std::unexpected(stream.error());
        std::istream in(stream->get());
        std::string why;
        auto cps = parse_json(in, limits.max_json_values, why);
        if (auto r = (*stream)->finish(); !r) return std::unexpected(r.error());
        digests[std::string(checkpoints_name)] = digest_of(sha);
        if (!cps) {
            problem(fmt::format("{}: {}", checkpoints_name, why));
            return done();
        }
        if (!cps->is_array()) {
            problem(fmt::format("{}: expected an array, found {}", checkpoints_name, kind_of(*cps)));
            return done();
        }
        for (std::size_t i = 0; i < cps->size(); ++i) {
            const json& c = (*cps)[i];
            std::string where = fmt::format("{}: item {}", checkpoints_name, i);
            if (!c.is_object()) {
                problem(fmt::format("{}: expected an object, found {}", where, kind_of(c)));
                return done();
            }
            Fields f(c, where);
            StoredCheckpoint cp{f.unsigned_integer("size"), f.string("note"), f.string("created_at")};
            if (f.problem()) {
                problem(*f.problem());
                return done();
            }
            checkpoints.push_back(std::move(cp));
        }
    }

    // The keys the bundle carries.
    TrustedKeys trusted = keys;
    for (const auto& e : zip->entries()) {
        if (!e.name.starts_with(keys_dir)) continue;
        if (too_large(e, limits.max_small_bytes)) continue;
        auto pem = zip->read_all(e, limits.max_small_bytes);
        if (!pem) return std::unexpected(pem.error());
        digests[e.name] = "sha256:" + sha256_hex(*pem);
        auto raw = public_raw_from_pem(*pem);
        if (!raw) {
            problem(fmt::format("{}: not a public key", e.name));
            continue;
        }
        out.bundle_key_ids.push_back(key_id_of(*raw));
        if (keys.by_id.empty()) trusted.by_id[key_id_of(*raw)] = *raw;
    }
    out.trusted_bundle_keys = keys.by_id.empty();

    // An archive signature counts only when a trusted signing key endorses its archive key and the hash it
    // signs: anyone can make a P-384 key and sign a changed package with it.
    if (!archive_spki.empty()) {
        const std::string where = fmt::format("{}: signedData", manifest_digest_name);
        auto sig = base64_decode(endorsement_signature);
        auto trusted_key = trusted.by_id.find(endorsement_key_id);
        if (endorsement_key_id.empty()) {
            problem(
                fmt::format("{}: its archive key is endorsed by no provcheck signing key (was the bundle "
                            "signed again by someone else?)",
                            where));
        } else if (trusted_key == trusted.by_id.end()) {
            problem(fmt::format("{}: its archive key is endorsed by key {}, which is not trusted", where,
                                endorsement_key_id));
        } else if (!sig ||
                   !ed25519_verify(trusted_key->second, archive_endorsement(package_hash, archive_spki), *sig)) {
            problem(fmt::format("{}: the endorsement of its archive key by key {} does not verify", where,
                                endorsement_key_id));
        } else {
            out.archive_key = "sha256:" + sha256_hex(archive_spki);
            out.archive_endorsed_by = endorsement_key_id;
        }
    }

    // The records, one line at a time, each verified as it comes.
    BundleCaptures captures(*zip);
    RecordVerifier verifier(trusted, std::move(log), checkpoints, captures);
    verifier.set_holder("the bundle's index");
    for (const auto& note : earlier_checkpoints)
        verifier.check_earlier(note);
    std::vector<bool> used(verifier.log_size(), false);
    // A JSONL entry read one line at a time, never whole: each line handed to `take` with its number and where.
    auto read_lines = [&](const ZipEntryInfo& entry,
                          const std::function<void(std::string_view, const std::string&)>& take) -> Result<void> {
        const std::string name = entry.name;
        std::size_t line_number = 0;
        auto one = [&](std::string_view line) {
            ++line_number;
            if (!line.empty()) take(line, fmt::format("{} line {}", name, line_number));
        };
        Sha256Stream sha;
        std::string pending;
        bool overlong = false;  // the current line passed the limit: skipped to its end
        auto read = zip->read(entry, [&](std::string_view bytes) -> Result<void> {
            sha.update(bytes);
            while (!bytes.empty()) {
                auto nl = bytes.find('\n');
                std::string_view part = bytes.substr(0, nl);
                if (!overlong) {
                    if (pending.size() + part.size() > limits.max_record_bytes) {
                        overlong = true;
                        pending.clear();
                        pending.shrink_to_fit();
                    } else {
                        pending.append(part);
                    }
                }
                if (nl == std::string_view::npos) break;
                if (overlong) {
                    ++line_number;
                    problem(
                        fmt::format("{} line {}: longer than {} bytes", name, line_number, limits.max_record_bytes));
                } else {
                    one(pending);
                }
                pending.clear();
                overlong = false;
                bytes.remove_prefix(nl + 1);
            }
            return {};
        });
        if (!read) return std::unexpected(read.error());
        if (overlong) {
            ++line_number;
            problem(fmt::format("{} line {}: longer than {} bytes", name, line_number, limits.max_record_bytes));
        } else if (!pending.empty()) {
            one(pending);
        }
        digests[name] = digest_of(sha);
        return {};
    };
    // One line as a JSON object, or a problem naming where.
    auto object_line = [&](std::string_view line, const std::string& where) -> std::optional<json> {
        std::string why;
        auto j = parse_json(line, limits.max_json_values, why);
        if (!j) {
            problem(fmt::format("{}: {}", where, why));
            return std::nullopt;
        }
        if (!j->is_object()) {
            problem(fmt::format("{}: expected an object, found {}", where, kind_of(*j)));
            return std::nullopt;
        }
        return j;
    };
    auto take_index = [&](std::uint64_t index, std::string_view what) {
        if (index >= used.size() || used[index]) {
            problem(fmt::format("{}: its log index {} is outside the log or taken twice", what, index));
            return false;
        }
        used[index] = true;
        return true;
    };

    // The archive manifests (absent from bundles of provcheck 0.1, whose archive bytes no signature covers).
    if (const ZipEntryInfo* manifests = zip->find(manifests_name)) {
        auto read = read_lines(*manifests, [&](std::string_view line, const std::string& where) {
            auto j = object_line(line, where);
            if (!j) return;
            Fields f(*j, where);
            StoredManifest m{f.unsigned_integer("log_index"),
                             f.string("warc_file"),
                             f.unsigned_integer("start"),
                             f.unsigned_integer("end"),
                             f.string("envelope"),
                             f.string("envelope_sha256"),
                             f.string("key_id"),
                             f.string("created_at")};
            if (f.problem()) {
                problem(*f.problem());
                return;
            }
            if (take_index(m.log_index, fmt::format("manifest {}", m.log_index))) verifier.check_manifest(m);
        });
        if (!read) return std::unexpected(read.error());
    }
    // The records, one line at a time, each verified as it comes.
    auto read = read_lines(*records, [&](std::string_view line, const std::string& where) {
        auto j = object_line(line, where);
        if (!j) return;
        Fields f(*j, where);
        StoredRecord r{0,
                       f.string("claim_id"),
                       f.string("article"),
                       f.string("verdict"),
                       f.string("envelope"),
                       f.string("envelope_sha256"),
                       f.string("key_id"),
                       f.unsigned_integer("log_index"),
                       f.string("created_at")};
        if (f.problem()) {
            problem(*f.problem());
            return;
        }
        j.reset();
        if (tsa_certs != nullptr) out.records.emplace_back(r.claim_id, r.log_index);
        if (take_index(r.log_index, fmt::format("claim {}", in_quotes(r.claim_id)))) verifier.check(r);
    });
    if (!read) return std::unexpected(read.error());
    out.result = verifier.finish(true, true);

    // Trusted timestamps, checked when the TSA's certificates are given (the file is listed and hashed always).
    if (const ZipEntryInfo* stamps = zip->find(timestamps_name)) {
        std::map<std::uint64_t, std::string> notes;
        if (tsa_certs != nullptr) {
            for (const auto& c : checkpoints)
                notes[c.size] = c.note;
        }
        VouchedTimes vouched;
        auto stamped = read_lines(*stamps, [&](std::string_view line, const std::string& where) {
            if (tsa_certs == nullptr) return;
            auto j = object_line(line, where);
            if (!j) return;
            Fields f(*j, where);
            StoredTimestamp t{f.unsigned_integer("checkpoint_size"), f.string("tsa_url"), f.string("token"),
                              f.string("gen_time"), f.string("requested_at")};
            if (f.problem()) {
                problem(*f.problem());
                return;
            }
            auto der = base64_decode(t.token);
            if (!der) {
                problem(fmt::format("{}: the token is not base64", where));
                return;
            }
            t.token = std::move(*der);
            check_timestamp(t, notes, *tsa_certs, vouched);
        });
        if (!stamped) return std::unexpected(stamped.error());
        if (tsa_certs != nullptr) out.timestamps = std::move(vouched);
    } else if (tsa_certs != nullptr) {
        out.timestamps = VouchedTimes{};
    }

    // Every file listed, present and unchanged; nothing unlisted but the manifests.
    std::set<std::string_view> listed_paths;
    for (const auto& l : listed) {
        listed_paths.insert(l.path);
        const ZipEntryInfo* e = zip->find(l.path);
        if (e == nullptr) {
            problem(fmt::format("{} is listed in datapackage.json but missing", plain(l.path)));
            continue;
        }
        auto known = digests.find(e->name);
        if (known == digests.end()) {
            Sha256Stream sha;
            auto r = zip->read(*e, [&](std::string_view b) -> Result<void> {
                sha.update(b);
                return {};
            });
            if (!r) return std::unexpected(r.error());
            known = digests.emplace(e->name, digest_of(sha)).first;
        }
        if (l.hash != known->second) {
            problem(fmt::format("{} does not hash to its datapackage.json digest: it was changed", e->name));
        } else if (l.bytes && *l.bytes != e->size) {
            problem(fmt::format("{} is {} bytes, but datapackage.json says {}", e->name, e->size, *l.bytes));
        }
    }
    for (const auto& e : zip->entries()) {
        if (!listed_paths.contains(e.name) && e.name != manifest_name && e.name != manifest_digest_name) {
            problem(fmt::format("{} is not listed in datapackage.json", e.name));
        }
    }
    return done();
}

}  // namespace provcheck
