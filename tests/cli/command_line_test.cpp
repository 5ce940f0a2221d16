// The command line as people type it: options before, between and after the articles; mistakes that get a
// usage error naming them (exit 3) rather than a signed record of a typo; a dry run that keeps nothing; the
// claim id that `show` takes, printed by the report; the public key shown and exported.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "support/run.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace provcheck;

namespace {

const std::string nyt = "https://www.nytimes.com/2023/10/17/us/politics/qatar-hamas-hostages-mediator.html";

struct CommandLineSeed {
    test::TempDir dir;
    std::map<std::string, std::string> env{{"XDG_CONFIG_HOME", (dir / "config").string()}};
    std::string article = test::source_path("fixtures/seed/article.html").string();
    std::string warc = test::source_path("fixtures/seed/sources.warc").string();
    std::string ws = (dir / "ws").string();

    test::RunResult provcheck(std::vector<std::string> args) {
        args.insert(args.begin(), test::provcheck_binary());
        return test::run(args, env);
    }
    // The seed's JSON report from a run with these arguments; REQUIREs that it ran and found every claim.
    json report(std::vector<std::string> args) {
        auto r = provcheck(std::move(args));
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        json j = json::parse(r.out);
        REQUIRE(j["articles"].size() == 1);
        return j;
    }
};

std::string verdict_of_40(const json& report) {
    for (const auto& c : report["articles"][0]["claims"]) {
        if (c["quote"].get<std::string>().find("40 countries") != std::string::npos) return c["verdict"];
    }
    return "missing";
}

}  // namespace

TEST_CASE("every repeatable option may stand right before the article", "[cli]") {
    CommandLineSeed s;
    const std::vector<std::vector<std::string>> runs{
        {"check", "--format", "json", "--fail-on", "none", "--workspace", s.ws, "--replay", s.warc, "--source",
         "NYT=" + nyt, s.article},
        {"check", "--format", "json", "--fail-on", "none", "--workspace", s.ws, "--source", "NYT=" + nyt, "--replay",
         s.warc, s.article},
        {"check", "--format", "json", "--fail-on", "none", "--workspace", s.ws, "--source", "NYT=" + nyt, "--replay",
         s.warc, "--exclude", "^https://nowhere\\.example/", s.article},
        {"check", "--format", "json", "--fail-on", "none", "--workspace", s.ws, "--source", "NYT=" + nyt, "--replay",
         s.warc, "--connect-to", "nowhere.example:443:127.0.0.1:9", s.article},
        {"check", "--fail-on", "none", "--workspace", s.ws, "--source", "NYT=" + nyt, "--replay", s.warc, "--format",
         "json", s.article},
        // Options after the article, and between.
        {"check", s.article, "--format", "json", "--fail-on", "none", "--workspace", s.ws, "--replay", s.warc,
         "--source", "NYT=" + nyt},
        {"check", "--replay", s.warc, s.article, "--source", "NYT=" + nyt, "--format", "json", "--fail-on", "none",
         "--workspace", s.ws},
        // `--` ends the options.
        {"check", "--replay", s.warc, "--source", "NYT=" + nyt, "--format", "json", "--fail-on", "none", "--workspace",
         s.ws, "--", s.article},
    };
    for (const auto& args : runs) {
        std::string line;
        for (const auto& a : args)
            line += a + " ";
        INFO(line);
        CHECK(verdict_of_40(s.report(args)) == "altered");
    }
}

TEST_CASE("mistakes on the command line are usage errors that name them", "[cli]") {
    CommandLineSeed s;
    auto usage = [&](std::vector<std::string> args, const std::string& says) {
        auto r = s.provcheck(args);
        INFO(r.out << r.err);
        CHECK(r.exit_code == 3);
        CHECK(r.err.find(says) != std::string::npos);
    };
    usage({"chek", s.article}, "'chek' is not a command; did you mean 'check'?");
    usage({"verfiy"}, "did you mean 'verify'?");
    usage({"check", "htps://www.nytimes.com/x"}, "is not an http(s) URL");
    usage({"check", "www.nytimes.com/2023/10/17/story.html"}, "a URL needs its scheme: give https://");
    usage({"check", "--source", "htp:/broken", s.article}, "neither an http(s) URL nor an existing file");
    usage({"check", "--source", "NWA=", s.article}, "no URL or file after 'NWA='");
    usage({"check", "--cacert", (s.dir / "missing.pem").string(), s.article}, "--cacert");
    usage({"check", "--key", (s.dir / "missing-key.pem").string(), s.article}, "--key");
    usage({"check", "--config", (s.dir / "missing.toml").string(), s.article}, "--config");
    usage({"check", "--rules", (s.dir / "no-rules").string(), s.article}, "--rules");
    usage({"check", "--output", (s.dir / "report.pdf").string(), s.article}, "give --format");
    usage({"check", "--timeout", "1500ms", s.article}, "not a whole number of seconds");
    usage({"check", "--timeout", "soon", s.article}, "--timeout: 'soon' is not allowed");
}

TEST_CASE("--output infers the format from its extension; durations take units", "[cli]") {
    CommandLineSeed s;
    const std::string out = (s.dir / "r.json").string();
    const std::string html = (s.dir / "r.html").string();
    auto r =
        s.provcheck({"check", s.article, "--replay", s.warc, "--source", "NYT=" + nyt, "--workspace", s.ws, "--fail-on",
                     "none", "--timeout", "30s", "--host-interval", "0ms", "--output", out, "--output", html});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::ifstream in(out);
    json j = json::parse(in);
    CHECK(verdict_of_40(j) == "altered");
    std::ifstream h(html);
    std::string page((std::istreambuf_iterator<char>(h)), std::istreambuf_iterator<char>());
    CHECK(page.starts_with("<!DOCTYPE html>"));
}

TEST_CASE("--dry-run checks and reports, and signs and stores nothing", "[cli]") {
    CommandLineSeed s;
    json j = s.report({"check", "--dry-run", "--replay", s.warc, "--source", "NYT=" + nyt, "--format", "json",
                       "--fail-on", "none", "--workspace", s.ws, s.article});
    CHECK(verdict_of_40(j) == "altered");
    for (const auto& c : j["articles"][0]["claims"])
        CHECK(c["record"].is_null());
    CHECK_FALSE(std::filesystem::exists(s.ws));
    CHECK_FALSE(std::filesystem::exists(s.dir / "config" / "provcheck" / "signing-key.pem"));
}

TEST_CASE("the text report prints each claim's id, which show takes", "[cli]") {
    CommandLineSeed s;
    auto r = s.provcheck(
        {"check", s.article, "--replay", s.warc, "--source", "NYT=" + nyt, "--workspace", s.ws, "--fail-on", "none"});
    REQUIRE(r.exit_code == 0);
    std::smatch m;
    REQUIRE(std::regex_search(r.out, m, std::regex("record   claim ([0-9a-f]{16}) ")));
    auto shown = s.provcheck({"show", m[1].str(), "--workspace", s.ws});
    INFO(shown.err);
    CHECK(shown.exit_code == 0);
    CHECK(shown.out.find(m[1].str()) != std::string::npos);
}

TEST_CASE("the key made on first use has its .pub; key show and key export print the public key", "[cli]") {
    CommandLineSeed s;
    auto none = s.provcheck({"key", "show"});
    CHECK(none.exit_code == 3);
    REQUIRE(s.provcheck({"check", s.article, "--replay", s.warc, "--workspace", s.ws, "--quiet", "--fail-on", "none"})
                .exit_code == 0);
    const auto key = s.dir / "config" / "provcheck" / "signing-key.pem";
    auto pub_path = key;
    pub_path += ".pub";
    REQUIRE(std::filesystem::exists(pub_path));
    std::ifstream in(pub_path);
    const std::string pub((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(pub.starts_with("-----BEGIN PUBLIC KEY-----"));

    auto shown = s.provcheck({"key", "show"});
    INFO(shown.err);
    REQUIRE(shown.exit_code == 0);
    CHECK(shown.out.find(pub) != std::string::npos);
    CHECK(std::regex_search(shown.out, std::regex("key id  [0-9a-f]{64}")));

    const auto out = s.dir / "exported.pub";
    REQUIRE(s.provcheck({"key", "export", "--out", out.string()}).exit_code == 0);
    std::ifstream ex(out);
    CHECK(std::string((std::istreambuf_iterator<char>(ex)), std::istreambuf_iterator<char>()) == pub);
    // Not over an existing file, and the exported key pins verification.
    CHECK(s.provcheck({"key", "export", "--out", out.string()}).exit_code == 3);
    auto verified = s.provcheck({"verify", "--all", "--workspace", s.ws, "--trust", out.string()});
    INFO(verified.out << verified.err);
    CHECK(verified.exit_code == 0);
}

TEST_CASE("help names the program and each command's own exit codes", "[cli]") {
    CommandLineSeed s;
    auto extract = s.provcheck({"help", "extract"});
    CHECK(extract.exit_code == 0);
    CHECK(extract.out.find("Usage: provcheck extract") != std::string::npos);
    auto verify = s.provcheck({"verify", "--help"});
    CHECK(verify.out.find("--fail-on") == std::string::npos);
    CHECK(verify.out.find("Exit codes: 0 everything verifies") != std::string::npos);
    auto check = s.provcheck({"check", "--help"});
    CHECK(check.out.find("Exit codes: 0 every claim passes --fail-on") != std::string::npos);
    CHECK(check.out.find("--dry-run") != std::string::npos);
}

TEST_CASE("the man page built with the binary names every option of every command", "[cli]") {
    CommandLineSeed s;
    const auto page_path = std::filesystem::path(test::provcheck_binary()).parent_path() / "provcheck.1";
    REQUIRE(std::filesystem::exists(page_path));
    std::ifstream in(page_path);
    const std::string page((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const char* section : {".SH NAME", ".SH SYNOPSIS", ".SH COMMANDS", ".SH VERDICTS", ".SH EXAMPLES",
                                ".SH ENVIRONMENT", ".SH FILES", ".SH \"EXIT STATUS\""}) {
        CHECK(page.find(section) != std::string::npos);
    }
    for (const char* word : {"PROVCHECK_KEY", "XDG_CONFIG_HOME", "NO_COLOR", "source_unavailable", "--dry-run"}) {
        CHECK(page.find(word) != std::string::npos);
    }
    const std::regex option("(--[a-z][a-z-]+)");
    for (const std::vector<std::string>& cmd : std::vector<std::vector<std::string>>{{"check"},
                                                                                     {"verify"},
                                                                                     {"show"},
                                                                                     {"keygen"},
                                                                                     {"key", "show"},
                                                                                     {"key", "export"},
                                                                                     {"log", "prove"},
                                                                                     {"extract"},
                                                                                     {"export"}}) {
        std::vector<std::string> args = cmd;
        args.push_back("--help");
        auto help = s.provcheck(args);
        REQUIRE(help.exit_code == 0);
        for (auto it = std::sregex_iterator(help.out.begin(), help.out.end(), option); it != std::sregex_iterator();
             ++it) {
            const std::string name = (*it)[1].str();
            // roff escapes the dashes: --max-age is \-\-max\-age in the page.
            std::string escaped;
            for (char ch : name)
                escaped += ch == '-' ? std::string("\\-") : std::string(1, ch);
            INFO(cmd.front() << " " << name);
            CHECK((page.find(name) != std::string::npos || page.find(escaped) != std::string::npos));
        }
    }
}

TEST_CASE("extract reads from a --replay archive and says what it fetched with -v", "[cli]") {
    CommandLineSeed s;
    auto r = s.provcheck({"extract", "-v", nyt, "--replay", s.warc, "--format", "json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(json::parse(r.out)["title"] == "Facing Risky Options for Gaza Hostages, U.S. Turns to Longtime Mediator");
    CHECK(r.err.find("· fetch " + nyt + " (replayed): 200") != std::string::npos);
}
