#include "cli/app.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>

#include "cli/check.hpp"
#include "cli/keys.hpp"
#include "core/fs.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"
#include "record/checkpoint.hpp"
#include "record/merkle.hpp"
#include "record/record.hpp"
#include "record/verify.hpp"
#include "store/db.hpp"

namespace provcheck {

namespace {

constexpr int exit_ok = 0;
constexpr int exit_failures = 2;
constexpr int exit_usage = 3;

int report_error(const Error& e) {
    std::fprintf(stderr, "provcheck: %s\n", e.message.c_str());
    return exit_code_for(e.code);
}

Result<std::set<Verdict>> parse_fail_on(std::string_view spec) {
    std::set<Verdict> out;
    for (auto part : split(spec, ',')) {
        part = trim(part);
        if (part.empty() || part == "none") continue;
        auto v = verdict_from_string(part);
        if (!v) {
            return fail(ErrorCode::usage, fmt::format("--fail-on: unknown verdict '{}' (verdicts: verbatim, elided, "
                                                      "minor_variation, altered, not_found, source_restricted, "
                                                      "source_unavailable, unsourced; or none)",
                                                      part));
        }
        out.insert(*v);
    }
    return out;
}

Result<void> write_output(const std::optional<std::string>& path, const std::string& text) {
    if (!path || *path == "-") {
        std::fwrite(text.data(), 1, text.size(), stdout);
        std::fflush(stdout);
        return {};
    }
    return write_file_atomic(*path, text);
}

Result<Database> open_workspace(const std::filesystem::path& ws, bool create) {
    std::error_code ec;
    if (!std::filesystem::is_directory(ws, ec)) {
        if (!create) {
            return fail(
                ErrorCode::usage,
                fmt::format("{}: no workspace here (run `provcheck check` first or give --workspace)", ws.string()));
        }
        std::filesystem::create_directories(ws, ec);
        if (ec)
            return fail(ErrorCode::io, fmt::format("{}: cannot create the workspace: {}", ws.string(), ec.message()));
    }
    return Database::open(ws / "store.db");
}

Result<TrustedKeys> trusted_keys(const std::optional<std::filesystem::path>& key_file,
                                 const std::vector<std::filesystem::path>& trust_files) {
    TrustedKeys keys;
    for (const auto& f : trust_files) {
        auto text = read_file(f);
        if (!text) return std::unexpected(text.error());
        // A keyring file: one or more public (or private) key PEM blocks.
        std::string_view rest = *text;
        bool any = false;
        while (true) {
            auto begin = rest.find("-----BEGIN ");
            if (begin == std::string_view::npos) break;
            auto end_marker = rest.find("-----END ", begin);
            if (end_marker == std::string_view::npos) break;
            auto end = rest.find('\n', end_marker);
            std::string_view block =
                rest.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin + 1);
            if (block.find("PRIVATE KEY") != std::string_view::npos) {
                auto k = SigningKey::from_pem(block);
                if (!k) return fail(ErrorCode::config, fmt::format("--trust {}: {}", f.string(), k.error().message));
                keys.by_id[k->key_id()] = k->public_raw();
            } else {
                auto raw = public_raw_from_pem(block);
                if (!raw)
                    return fail(ErrorCode::config, fmt::format("--trust {}: {}", f.string(), raw.error().message));
                keys.by_id[key_id_of(*raw)] = *raw;
            }
            any = true;
            if (end == std::string_view::npos) break;
            rest = rest.substr(end);
        }
        if (!any) return fail(ErrorCode::config, fmt::format("--trust {}: no PEM public key in it", f.string()));
    }
    if (key_file || trust_files.empty()) {
        auto loaded = load_signing_key(KeyChoice{key_file, false});
        if (loaded) {
            keys.by_id[loaded->key.key_id()] = loaded->key.public_raw();
        } else if (trust_files.empty()) {
            return std::unexpected(loaded.error());
        }
    }
    return keys;
}

int cmd_check(CheckOptions& opts, const std::optional<std::filesystem::path>& key_file, const std::string& format,
              const std::optional<std::string>& output, const std::string& fail_on_spec, bool quiet) {
    auto fail_on = parse_fail_on(fail_on_spec);
    if (!fail_on) return report_error(fail_on.error());
    auto key = load_signing_key(KeyChoice{key_file, true});
    if (!key) return report_error(key.error());
    if (key->created && !quiet) {
        std::fprintf(stderr, "provcheck: created a new signing key at %s (key id %s)\n", key->origin.c_str(),
                     key->key.key_id().c_str());
    }
    auto db = open_workspace(opts.workspace, true);
    if (!db) return report_error(db.error());
    SystemClock clock;
    auto report = run_check(opts, key->key, *db, clock);
    if (!report) return report_error(report.error());

    std::string rendered;
    if (format == "json") {
        rendered = report_json(*report).dump(2) + "\n";
    } else {
        bool tty = !output && ::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
        rendered = report_text(*report, TextOptions{tty});
    }
    if (auto r = write_output(output, rendered); !r) return report_error(r.error());

    for (const auto& a : report->articles) {
        for (const auto& c : a.claims) {
            if (fail_on->contains(c.verdict)) return exit_failures;
        }
    }
    return exit_ok;
}

int cmd_verify(const std::filesystem::path& workspace, const std::optional<std::filesystem::path>& key_file,
               const std::vector<std::filesystem::path>& trust, const std::vector<std::string>& ids, bool all,
               bool quiet) {
    if (!all && ids.empty()) {
        std::fprintf(stderr, "provcheck verify: give --all or one or more CLAIM_IDs\n");
        return exit_usage;
    }
    auto keys = trusted_keys(key_file, trust);
    if (!keys) return report_error(keys.error());
    auto db = open_workspace(workspace, false);
    if (!db) return report_error(db.error());
    auto result = verify_workspace(*db, workspace, *keys, all ? std::vector<std::string>{} : ids);
    if (!result) return report_error(result.error());
    for (const auto& p : result->problems) {
        if (p.claim_id.empty()) {
            std::printf("FAIL %s: %s\n", p.part.c_str(), p.message.c_str());
        } else {
            std::printf("FAIL claim %s (log #%llu) %s: %s\n", p.claim_id.c_str(),
                        static_cast<unsigned long long>(p.log_index), p.part.c_str(), p.message.c_str());
        }
    }
    if (!quiet || !result->problems.empty()) {
        std::printf("%zu record%s, %zu capture%s checked against a checkpoint of %llu entries: %s\n",
                    result->records_checked, result->records_checked == 1 ? "" : "s", result->captures_checked,
                    result->captures_checked == 1 ? "" : "s", static_cast<unsigned long long>(result->checkpoint_size),
                    result->problems.empty()
                        ? "all verify"
                        : fmt::format("{} problem{}", result->problems.size(), result->problems.size() == 1 ? "" : "s")
                              .c_str());
    }
    return result->problems.empty() ? exit_ok : exit_failures;
}

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

int cmd_keygen(const std::optional<std::filesystem::path>& out) {
    auto path = out.value_or(default_key_path());
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        return report_error(
            Error{ErrorCode::usage, fmt::format("{}: already exists; not replacing a key", path.string())});
    }
    auto key = SigningKey::generate();
    if (!key) return report_error(key.error());
    if (auto r = key->save_file(path); !r) return report_error(r.error());
    auto pub = path;
    pub += ".pub";
    if (auto r = write_file_atomic(pub, key->public_pem()); !r) return report_error(r.error());
    std::printf("private key %s (mode 0600)\npublic key  %s\nkey id      %s\n", path.c_str(), pub.c_str(),
                key->key_id().c_str());
    return exit_ok;
}

struct LogData {
    std::vector<Sha256> leaves;
};

Result<LogData> read_log(Database& db) {
    auto entries = db.log_entries();
    if (!entries) return std::unexpected(entries.error());
    LogData d;
    for (const auto& e : *entries)
        d.leaves.push_back(leaf_hash(e));
    return d;
}

int cmd_log(const std::string& action, const std::filesystem::path& workspace,
            const std::optional<std::filesystem::path>& key_file, const std::string& arg) {
    auto db = open_workspace(workspace, false);
    if (!db) return report_error(db.error());
    auto log = read_log(*db);
    if (!log) return report_error(log.error());
    if (action == "checkpoint") {
        auto key = load_signing_key(KeyChoice{key_file, false});
        if (!key) return report_error(key.error());
        SystemClock clock;
        auto cp = write_checkpoint(*db, key->key, clock);
        if (!cp) return report_error(cp.error());
        std::fputs(cp->note.c_str(), stdout);
        return exit_ok;
    }
    if (action == "prove") {
        auto records = db->records_for_claim(arg);
        if (!records) return report_error(records.error());
        if (records->empty()) return report_error(Error{ErrorCode::usage, fmt::format("no record for claim {}", arg)});
        auto cp = db->latest_checkpoint();
        if (!cp) return report_error(cp.error());
        if (!*cp) return report_error(Error{ErrorCode::usage, "the log has no checkpoint yet"});
        nlohmann::json out = nlohmann::json::array();
        for (const auto& r : *records) {
            std::size_t size = (*cp)->size;
            if (r.log_index >= size || size > log->leaves.size()) continue;
            auto leaves = std::span(log->leaves).first(size);
            nlohmann::json proof = nlohmann::json::array();
            for (const auto& h : inclusion_proof(r.log_index, leaves))
                proof.push_back(base64_encode(as_bytes(h)));
            out.push_back({{"claim_id", r.claim_id},
                           {"log_index", r.log_index},
                           {"tree_size", size},
                           {"leaf_hash", base64_encode(as_bytes(log->leaves[r.log_index]))},
                           {"envelope_sha256", r.envelope_sha256},
                           {"inclusion_proof", proof},
                           {"checkpoint", (*cp)->note}});
        }
        if (out.empty())
            return report_error(Error{ErrorCode::usage, fmt::format("claim {}: not yet covered by a checkpoint", arg)});
        std::printf("%s\n", out.dump(2).c_str());
        return exit_ok;
    }
    // consistency OLD_SIZE
    std::uint64_t old_size = 0;
    try {
        old_size = std::stoull(arg);
    } catch (const std::exception&) {
        return report_error(Error{ErrorCode::usage, fmt::format("log consistency: '{}' is not a tree size", arg)});
    }
    if (old_size == 0 || old_size > log->leaves.size()) {
        return report_error(Error{
            ErrorCode::usage, fmt::format("log consistency: OLD_SIZE must be between 1 and {}", log->leaves.size())});
    }
    nlohmann::json proof = nlohmann::json::array();
    for (const auto& h : consistency_proof(old_size, log->leaves))
        proof.push_back(base64_encode(as_bytes(h)));
    nlohmann::json out = {{"old_size", old_size},
                          {"old_root", base64_encode(as_bytes(root_hash(std::span(log->leaves).first(old_size))))},
                          {"new_size", log->leaves.size()},
                          {"new_root", base64_encode(as_bytes(root_hash(log->leaves)))},
                          {"consistency_proof", proof}};
    std::printf("%s\n", out.dump(2).c_str());
    return exit_ok;
}

}  // namespace

int run_cli(int argc, char** argv) {
    CLI::App app{
        "provcheck: verify secondary reporting. Finds each quotation in an article and who it is "
        "attributed to, follows every cited link to its end, captures and hashes what each source served, "
        "aligns the quotation with the source text and stores a signed, tamper-evident record per claim."};
    app.name("provcheck");
    app.set_version_flag("--version", std::string("provcheck ") + PROVCHECK_VERSION);
    app.require_subcommand(1);
    app.footer(
        "Exit codes: 0 every claim passes --fail-on; 1 runtime error; 2 verification failures; "
        "3 usage or configuration error.\nRun `provcheck COMMAND --help` for a command's options.");

    std::filesystem::path workspace = ".provcheck";
    std::optional<std::filesystem::path> key_file;
    bool quiet = false;

    // check
    CheckOptions opts;
    std::vector<std::string> sources;
    std::string format = "text";
    std::optional<std::string> output;
    std::string fail_on = "altered,not_found,source_unavailable";
    std::vector<std::string> replay;
    auto* check = app.add_subcommand("check", "Check the quotations of one or more articles against their sources.");
    check->add_option("ARTICLE", opts.articles, "http(s) URL of an article, or the path of a saved HTML file")
        ->required();
    check->add_option("--source", sources,
                      "Bind a source: URL|PATH for every claim, or NAME=URL|PATH for claims whose speaker or outlet "
                      "is NAME (or an alias of it in rules/outlets.toml); repeatable");
    check->add_option("--format", format, "Report format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    check->add_option("--output,-o", output, "Write the report to FILE instead of standard output");
    check->add_option("--workspace", workspace, "Workspace directory (store.db and warc/)")->capture_default_str();
    check->add_option("--key", key_file,
                      "Signing key (PEM). Default: $PROVCHECK_KEY, else $XDG_CONFIG_HOME/provcheck/signing-key.pem, "
                      "created on first use");
    check->add_option("--rules", opts.rules_dir, "Directory of extra rules merged over the built-in ones");
    check->add_option("--replay", replay, "Answer every fetch from this WARC file or directory; no network");
    check
        ->add_option("--depth", opts.depth,
                     "0: capture only what claims need; 1: also resolve every link of the article")
        ->check(CLI::Range(0, 1))
        ->capture_default_str();
    check->add_option("--fail-on", fail_on, "Verdicts that make the exit code 2, comma-separated, or none")
        ->capture_default_str();
    check->add_option("--connect-to", opts.fetch.connect_to,
                      "HOST1:PORT1:HOST2:PORT2: connect to HOST2:PORT2 for requests to HOST1:PORT1 (curl semantics); "
                      "repeatable");
    check->add_option("--cacert", opts.fetch.cacert, "CA certificates (PEM) to verify TLS peers with");
    check->add_flag("--allow-private-addresses", opts.fetch.allow_private_addresses,
                    "Allow connections to loopback and private (RFC 1918, unique-local) addresses; link-local, "
                    "multicast and unspecified stay refused");
    check->add_option("-A,--user-agent", opts.fetch.user_agent, "User-Agent for requests (shorteners get their own)");
    check->add_option("--timeout", opts.fetch.timeout_s, "Deadline of one transfer, in seconds")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    check->add_option("--max-redirs", opts.fetch.max_redirs, "Most redirect hops followed from one URL")
        ->check(CLI::Range(0, 100))
        ->capture_default_str();
    check
        ->add_option("--max-filesize", opts.fetch.max_filesize,
                     "Largest body kept, in bytes (also after decompression)")
        ->capture_default_str();
    check->add_option("--parallel-max", opts.fetch.parallel_max, "Most transfers in flight")
        ->check(CLI::Range(1, 1024))
        ->capture_default_str();
    check->add_option("--host-parallel-max", opts.fetch.host_parallel_max, "Most transfers in flight to one host")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    check
        ->add_option("--host-interval", opts.fetch.host_interval_ms,
                     "Least time between request starts to one host, in milliseconds")
        ->check(CLI::Range(0, 600000))
        ->capture_default_str();
    check->add_flag("--quiet,-q", quiet, "Print nothing but the report");

    // verify
    bool all = false;
    std::vector<std::string> ids;
    std::vector<std::filesystem::path> trust;
    auto* verify = app.add_subcommand("verify", "Check stored records: signatures, captured bodies, log inclusion.");
    verify->add_flag("--all", all, "Verify every record in the workspace");
    verify->add_option("CLAIM_ID", ids, "Claims to verify (an id prefix is enough)");
    verify->add_option("--workspace", workspace, "Workspace directory")->capture_default_str();
    verify->add_option("--key", key_file, "Signing key whose public half is trusted (default as for check)");
    verify->add_option("--trust", trust, "File of trusted public keys (PEM); repeatable");
    verify->add_flag("--quiet,-q", quiet, "Print only problems");

    // show
    std::string show_id;
    std::string show_format = "text";
    auto* show = app.add_subcommand("show", "Show one record in full: chain, passage, differences.");
    show->add_option("CLAIM_ID", show_id, "Claim id (or a prefix)")->required();
    show->add_option("--workspace", workspace, "Workspace directory")->capture_default_str();
    show->add_option("--format", show_format, "text or json")->check(CLI::IsMember({"text", "json"}));

    // keygen
    std::optional<std::filesystem::path> keygen_out;
    auto* keygen = app.add_subcommand("keygen", "Create a new Ed25519 signing key (private file mode 0600).");
    keygen->add_option("--out", keygen_out, "Where to write it (default $XDG_CONFIG_HOME/provcheck/signing-key.pem)");

    // log
    std::string prove_id;
    std::string old_size;
    auto* log = app.add_subcommand("log", "The Merkle log of records: checkpoints and proofs.");
    log->require_subcommand(1);
    log->add_option("--workspace", workspace, "Workspace directory")->capture_default_str();
    log->add_option("--key", key_file, "Signing key for the checkpoint");
    auto* log_checkpoint = log->add_subcommand("checkpoint", "Sign and print a checkpoint of the whole log.");
    auto* log_prove = log->add_subcommand("prove", "Print the inclusion proof of a claim's records.");
    log_prove->add_option("CLAIM_ID", prove_id, "Claim id (or a prefix)")->required();
    auto* log_consistency =
        log->add_subcommand("consistency", "Prove that the log of OLD_SIZE is a prefix of today's.");
    log_consistency->add_option("OLD_SIZE", old_size, "Size of the older checkpoint")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? exit_ok : exit_usage;
    }

    try {
        if (check->parsed()) {
            opts.workspace = workspace;
            for (const auto& s : sources)
                opts.sources.push_back(parse_source_binding(s));
            for (const auto& r : replay)
                opts.replay.emplace_back(r);
            for (int i = 0; i < argc; ++i)
                opts.argv += (i ? " " : "") + std::string(argv[i]);
            return cmd_check(opts, key_file, format, output, fail_on, quiet);
        }
        if (verify->parsed()) return cmd_verify(workspace, key_file, trust, ids, all, quiet);
        if (show->parsed()) return cmd_show(workspace, show_id, show_format);
        if (keygen->parsed()) return cmd_keygen(keygen_out);
        if (log_checkpoint->parsed()) return cmd_log("checkpoint", workspace, key_file, "");
        if (log_prove->parsed()) return cmd_log("prove", workspace, key_file, prove_id);
        if (log_consistency->parsed()) return cmd_log("consistency", workspace, key_file, old_size);
    } catch (const std::exception& e) {
        // A bug, not an input problem: say so plainly rather than abort.
        std::fprintf(stderr, "provcheck: internal error: %s\n", e.what());
        return 1;
    }
    return exit_usage;
}

}  // namespace provcheck
