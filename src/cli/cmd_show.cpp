#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>

#include "cli/command.hpp"
#include "core/hash.hpp"

namespace provcheck {

namespace {

int cmd_show(const std::filesystem::path& workspace, const std::string& id, const std::string& format) {
    auto db = open_workspace(workspace, false);
    if (!db) return report_error(db.error());
    auto records = db->records_for_claim(id);
    if (!records) return report_error(records.error());
    if (records->empty()) return report_error(Error{ErrorCode::usage, fmt::format("no record for claim {}", id)});
    const StoredRecord& r = records->back();
    auto env = nlohmann::json::parse(r.envelope, nullptr, false);
    nlohmann::json statement;
    if (!env.is_discarded() && env.contains("payload") && env["payload"].is_string()) {
        if (auto payload = base64_decode(env["payload"].get<std::string>())) {
            statement = nlohmann::json::parse(*payload, nullptr, false);
        }
    }
    if (statement.is_discarded() || statement.is_null()) {
        return report_error(Error{ErrorCode::parse, fmt::format("claim {}: the stored envelope is unreadable; "
                                                                "run `provcheck verify {}`",
                                                                id, id)});
    }
    nlohmann::json out = {
        {"claim_id", r.claim_id},     {"article", r.article},   {"verdict", r.verdict},
        {"log_index", r.log_index},   {"key_id", r.key_id},     {"envelope_sha256", r.envelope_sha256},
        {"created_at", r.created_at}, {"statement", statement}, {"records", records->size()}};
    if (format == "json") {
        std::printf("%s\n", out.dump(2).c_str());
        return exit_ok;
    }
    const auto& claim = statement["predicate"]["claim"];
    std::printf("claim %s (%s)\narticle %s\nquote “%s”\nspeaker %s%s\nverdict %s\n", r.claim_id.c_str(),
                claim.value("kind", "").c_str(), r.article.c_str(), claim.value("quote", "").c_str(),
                claim.value("speaker", "").c_str(),
                claim.value("outlet", "").empty() ? "" : fmt::format(" via {}", claim.value("outlet", "")).c_str(),
                r.verdict.c_str());
    if (claim.contains("source") && claim["source"].is_object()) {
        const auto& s = claim["source"];
        std::printf("source %s\n", s.value("final_url", "").c_str());
        for (const auto& hop : s.value("chain", nlohmann::json::array())) {
            std::printf("  %4s %s (%s)\n", hop["status"].is_null() ? "-" : hop["status"].dump().c_str(),
                        hop.value("url", "").c_str(), hop.value("via", "").c_str());
        }
        std::printf("  sha256 %s fetched %s\n", s.value("sha256", "").c_str(), s.value("fetched_at", "").c_str());
    }
    if (claim.contains("match") && claim["match"].is_object()) {
        const auto& m = claim["match"];
        std::printf("passage “%s”\n", m.value("text", "").c_str());
        for (const auto& d : m.value("differences", nlohmann::json::array())) {
            std::printf("  differs %s “%s” → “%s” (%s%s)\n", d.value("op", "").c_str(), d.value("quote", "").c_str(),
                        d.value("source", "").c_str(), d.value("kind", "").c_str(),
                        d.value("critical", false) ? ", critical" : "");
        }
        for (const auto& e : m.value("elisions", nlohmann::json::array())) {
            std::printf("  elision %s stands for “%s”\n", e.value("marker", "").c_str(), e.value("source", "").c_str());
        }
    }
    std::printf("record log #%llu, envelope sha256 %s, key %s, %s\n", static_cast<unsigned long long>(r.log_index),
                r.envelope_sha256.c_str(), r.key_id.c_str(), r.created_at.c_str());
    return exit_ok;
}

}  // namespace

Command add_show_command(CLI::App& app) {
    struct State {
        std::string id;
        std::string format = "text";
        std::filesystem::path workspace = ".provcheck";
    };
    auto st = std::make_shared<State>();
    auto* show = app.add_subcommand("show", "Show one record in full: chain, passage, differences.");
    show->add_option("CLAIM_ID", st->id, "Claim id (or a prefix)")->required();
    show->add_option("--workspace", st->workspace, "Workspace directory")->capture_default_str();
    show->add_option("--format", st->format, "text or json")->check(CLI::IsMember({"text", "json"}));
    return {show, [st] { return cmd_show(st->workspace, st->id, st->format); }};
}

}  // namespace provcheck
