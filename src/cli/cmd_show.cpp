#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <set>

#include "cli/command.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"
#include "crypto/dsse.hpp"
#include "record/claim_statement.hpp"

namespace provcheck {

namespace {

struct ShowState {
    std::string id;
    std::string format = "text";
    StoreLocation location;
    std::optional<std::filesystem::path> key_file;
    std::vector<std::filesystem::path> trust;
};

// What a page or server wrote, made safe for a terminal.
std::string S(std::string_view s) {
    return terminal_safe(s);
}

void print_capture_line(const char* label, const Capture& c) {
    std::printf("%s %s\n", label, S(c.final_url.empty() ? c.requested_url : c.final_url).c_str());
    for (const auto& hop : c.chain) {
        std::printf("  %4s %s (%s)\n", hop.status ? std::to_string(*hop.status).c_str() : "-", S(hop.url).c_str(),
                    std::string(to_string(hop.via)).c_str());
    }
    if (c.failure) {
        std::printf("  failed: %s: %s\n", std::string(to_string(c.failure->cls)).c_str(),
                    S(c.failure->message).c_str());
    } else {
        std::printf("  sha256 %s fetched %s\n", c.payload_sha256.c_str(), c.fetched_at.c_str());
    }
    if (c.archived) {
        std::printf("  archived copy of %s made %s (TimeMap %s)\n", S(c.archived->original_url).c_str(),
                    S(c.archived->archived_at).c_str(), S(c.archived->timemap).c_str());
    }
}

// Everything printed comes from the signed statement, after its signature and its log entry were checked:
// a database column can be edited, a signed statement cannot.
int cmd_show(const ShowState& st) {
    if (st.id.empty()) {
        return report_error(Error{ErrorCode::usage, "give a claim id (or a prefix of one): it is printed in reports"});
    }
    auto keys = trusted_keys(st.key_file, st.trust);
    if (!keys) return report_error(keys.error());
    auto db = open_store(st.location, false);
    if (!db) return report_error(db.error());
    auto records = db->records_for_claim(st.id);
    if (!records) return report_error(records.error());
    if (records->empty()) return report_error(Error{ErrorCode::usage, fmt::format("no record for claim {}", st.id)});
    std::set<std::string> ids;
    for (const auto& r : *records)
        ids.insert(r.claim_id);
    if (ids.size() > 1) {
        std::string list;
        for (const auto& id : ids)
            list += "\n  " + id;
        return report_error(Error{ErrorCode::usage, fmt::format("'{}' is the start of {} claim ids; give more of "
                                                                "the one you mean:{}",
                                                                st.id, ids.size(), list)});
    }
    const StoredRecord& r = records->back();

    auto unverified = [&](std::string_view why) {
        std::fprintf(stderr,
                     "provcheck: claim %s: %.*s; nothing of it is shown (run `provcheck verify %s` for the details)\n",
                     r.claim_id.c_str(), static_cast<int>(why.size()), why.data(), r.claim_id.c_str());
        return exit_failures;
    };
    auto env = parse_envelope(r.envelope);
    if (!env) return unverified("the stored envelope is unreadable");
    VerifyingKeys trusted;
    for (const auto& [id, raw] : keys->by_id)
        trusted.emplace(id, VerifyingKey(raw));
    if (auto check = verify_envelope(*env, trusted); check != EnvelopeCheck::ok) {
        return unverified(fmt::format("its signature does not verify against the trusted keys ({})", to_string(check)));
    }
    auto entries = db->log_entries();
    if (!entries) return report_error(entries.error());
    const std::string digest = as_bytes(sha256(r.envelope));
    if (r.log_index >= entries->size() || (*entries)[r.log_index] != digest) {
        return unverified(fmt::format("log entry {} is not this record's", r.log_index));
    }
    auto signed_claim = read_claim_statement(env->payload);
    if (!signed_claim) return unverified(signed_claim.error().message);
    std::string signer;
    for (const auto& sig : env->signatures) {
        if (keys->by_id.contains(sig.keyid)) signer = sig.keyid;
    }
    const SignedClaim& sc = *signed_claim;
    const ClaimResult& cr = sc.result;

    // Every record of the claim, oldest first: what each check (and recheck) saw. A record that does not verify
    // is named as such and nothing of it is shown.
    struct Entry {
        std::uint64_t log_index = 0;
        std::optional<SignedClaim> claim;
    };
    std::vector<Entry> history;
    for (const auto& rec : *records) {
        Entry e{rec.log_index, std::nullopt};
        auto renv = parse_envelope(rec.envelope);
        if (renv && verify_envelope(*renv, trusted) == EnvelopeCheck::ok && rec.log_index < entries->size() &&
            (*entries)[rec.log_index] == as_bytes(sha256(rec.envelope))) {
            if (auto c = read_claim_statement(renv->payload)) e.claim = std::move(*c);
        }
        history.push_back(std::move(e));
    }
    auto source_digest = [](const ClaimResult& c) -> std::string {
        for (const auto& v : c.versions) {
            if (v.current && v.archived_at.empty()) return v.payload_sha256;
        }
        if (!c.source) return {};
        if (c.source->failure) return std::string(to_string(c.source->failure->cls));
        return c.source->payload_sha256;
    };

    if (st.format == "json") {
        nlohmann::json out = {
            {"claim_id", cr.claim.id},           {"article", sc.article.input},
            {"verdict", to_string(cr.verdict)},  {"checked_at", sc.checked_at},
            {"log_index", r.log_index},          {"key_id", signer},
            {"envelope_sha256", to_hex(digest)}, {"statement", nlohmann::json::parse(env->payload, nullptr, false)},
            {"records", records->size()}};
        nlohmann::json hist = nlohmann::json::array();
        for (const auto& e : history) {
            if (!e.claim) {
                hist.push_back({{"log_index", e.log_index}, {"verified", false}});
                continue;
            }
            hist.push_back({{"log_index", e.log_index},
                            {"verified", true},
                            {"checked_at", e.claim->checked_at},
                            {"verdict", to_string(e.claim->result.verdict)},
                            {"source_sha256", source_digest(e.claim->result)},
                            {"article_sha256", e.claim->article_capture.payload_sha256}});
        }
        out["history"] = hist;
        std::printf("%s\n", out.dump(2).c_str());
        return exit_ok;
    }
    std::printf("claim %s (%s)\narticle %s\nquote “%s”\nspeaker %s%s\nverdict %s\n", cr.claim.id.c_str(),
                std::string(to_string(cr.claim.kind)).c_str(), S(sc.article.input).c_str(), S(cr.claim.quote).c_str(),
                S(cr.claim.speaker).c_str(),
                cr.claim.outlet.empty() ? "" : fmt::format(" via {}", S(cr.claim.outlet)).c_str(),
                std::string(to_string(cr.verdict)).c_str());
    if (cr.source) {
        print_capture_line("source", *cr.source);
        if (!cr.source_reason.empty()) std::printf("  chosen: %s\n", S(cr.source_reason).c_str());
        if (!cr.source_speaker.empty()) std::printf("  said by: %s (in the source)\n", S(cr.source_speaker).c_str());
        if (!cr.restriction.empty()) std::printf("  unread: %s\n", S(cr.restriction).c_str());
    }
    if (cr.match) {
        const Match& m = *cr.match;
        std::printf("passage “%s”%s\n", S(m.text).c_str(),
                    m.page > 0 ? fmt::format(" (p. {}{})", m.page, m.ocr ? ", read by OCR" : "").c_str() : "");
        for (const auto& d : m.differences) {
            std::printf("  differs %s “%s” → “%s” (%s%s)\n", S(d.op).c_str(), S(d.quote).c_str(), S(d.source).c_str(),
                        std::string(to_string(d.kind)).c_str(), d.critical ? ", critical" : "");
        }
        for (const auto& e : m.elisions)
            std::printf("  elision %s stands for “%s”\n", S(e.marker).c_str(), S(e.source).c_str());
    }
    for (const auto& v : cr.versions) {
        std::printf("  version %s %s %s%s%s%s\n", v.fetched_at.c_str(), v.payload_sha256.substr(0, 12).c_str(),
                    std::string(to_string(v.verdict)).c_str(), v.matched ? " (decided)" : "",
                    v.current ? " (current)" : "",
                    v.archived_at.empty() ? "" : fmt::format(" (archived copy of {})", v.archived_at).c_str());
    }
    if (history.size() > 1) {
        std::printf("history (%zu records)\n", history.size());
        for (const auto& e : history) {
            if (!e.claim) {
                std::printf("  log #%llu does not verify (run `provcheck verify %s`)\n",
                            static_cast<unsigned long long>(e.log_index), r.claim_id.c_str());
                continue;
            }
            const std::string src = source_digest(e.claim->result);
            std::printf("  %s %-18s source %s article %s log #%llu\n", e.claim->checked_at.c_str(),
                        std::string(to_string(e.claim->result.verdict)).c_str(),
                        src.empty() ? "-" : src.substr(0, 12).c_str(),
                        e.claim->article_capture.payload_sha256.substr(0, 12).c_str(),
                        static_cast<unsigned long long>(e.log_index));
        }
    }
    std::printf("record log #%llu, envelope sha256 %s, signed by key %s at %s (statement v%d)\n",
                static_cast<unsigned long long>(r.log_index), to_hex(digest).c_str(), signer.c_str(),
                sc.checked_at.c_str(), sc.version);
    return exit_ok;
}

}  // namespace

Command add_show_command(CLI::App& app) {
    auto st = std::make_shared<ShowState>();
    auto* show = app.add_subcommand("show", "Show one record in full: chain, passage, differences.");
    show->add_option("CLAIM_ID", st->id, "Claim id (or a prefix that only one claim id starts with)")->required();
    add_store_options(*show, st->location);
    show->add_option("--format", st->format, "text or json")->check(CLI::IsMember({"text", "json"}));
    show->add_option("--key", st->key_file, "Signing key whose public half is trusted (default as for check)");
    show->add_option("--trust", st->trust, "File of trusted public keys (PEM); repeatable");
    return {show, [st] { return cmd_show(*st); }};
}

}  // namespace provcheck
