// Sources that are not web pages, through the binary against the live fixture web: a PDF report (the passage's
// page named in every report format and in the signed record), a scan read only with --ocr, an encrypted and a
// damaged PDF (source_restricted, saying why), a plain-text statement, and a local PDF given with --source.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "support/fixture_web.hpp"
#include "support/run.hpp"
#include "support/seed.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using namespace provcheck;
using test::claim_containing;

namespace {

struct PdfWeb {
    test::FixtureWeb web{test::source_path("fixtures/web")};
    test::TempDir dir;

    test::RunResult provcheck(std::vector<std::string> args) const {
        args.insert(args.begin(), test::provcheck_binary());
        return test::run(args, {{"XDG_CONFIG_HOME", (dir / "config").string()}});
    }
    test::RunResult check(std::vector<std::string> extra) const {
        std::vector<std::string> argv{"check", "--workspace", (dir / "ws").string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        auto client = web.client_args();
        argv.insert(argv.end(), client.begin(), client.end());
        return provcheck(argv);
    }
};

const std::string pdf_article = test::source_path("fixtures/articles/pdf-report.html").string();

}  // namespace

TEST_CASE("a PDF source: its text, the passage's page in every report and in the record", "[cli]") {
    PdfWeb w;
    const auto d = w.dir.path();
    auto r = w.check({"--format",
                      "json",
                      "--output",
                      (d / "r.json").string(),
                      pdf_article,
                      "--format",
                      "text",
                      "--output",
                      (d / "r.txt").string(),
                      "--format",
                      "sarif",
                      "--output",
                      (d / "r.sarif").string(),
                      "--format",
                      "junit",
                      "--output",
                      (d / "r.xml").string(),
                      "--format",
                      "html",
                      "--output",
                      (d / "r.html").string(),
                      "--format",
                      "claimreview",
                      "--output",
                      (d / "r.jsonld").string(),
                      "-q"});
    INFO(r.err);
    REQUIRE(r.exit_code == 2);  // "2028" where the report says 2029
    const json report = json::parse(test::read_text(d / "r.json"));
    REQUIRE(report["articles"][0]["claims"].size() == 7);

    // Across a word hyphenated at a line end: verbatim, on page 3.
    const json& homes = claim_containing(report, "4,200 homes");
    CHECK(homes["verdict"] == "verbatim");
    CHECK(homes["match"]["page"] == 3);
    CHECK_FALSE(homes["match"].contains("ocr"));
    CHECK(homes["source"]["sha256"].get<std::string>().size() == 64);
    // A changed year, found on page 3 with the right difference.
    const json& year = claim_containing(report, "by the end of 2028");
    CHECK(year["verdict"] == "altered");
    CHECK(year["match"]["page"] == 3);
    CHECK(year["match"]["differences"][0]["source"] == "2029");
    // A sentence that runs on from page 3 to page 4, past the running footer and header: one passage.
    const json& streets = claim_containing(report, "Work will begin in the streets");
    CHECK(streets["verdict"] == "verbatim");
    CHECK(streets["match"]["page"] == 3);
    CHECK(streets["match"]["text"].get<std::string>().find("Page 3") == std::string::npos);

    // What cannot be read says why, and fails nothing by default.
    const json& scan = claim_containing(report, "must boil all water");
    CHECK(scan["verdict"] == "source_restricted");
    CHECK(scan["restriction"].get<std::string>().find("no text layer") != std::string::npos);
    const json& minutes = claim_containing(report, "the board approved");
    CHECK(minutes["verdict"] == "source_restricted");
    CHECK(minutes["restriction"].get<std::string>().find("encrypted") != std::string::npos);
    const json& broken = claim_containing(report, "no sample exceeded");
    CHECK(broken["verdict"] == "source_restricted");
    CHECK(broken["restriction"].get<std::string>().find("could not be read") != std::string::npos);

    // Plain text is read as it is.
    const json& tariffs = claim_containing(report, "412 pounds");
    CHECK(tariffs["verdict"] == "verbatim");
    CHECK_FALSE(tariffs["match"].contains("page"));

    // Every format names the page.
    const std::string text = test::read_text(d / "r.txt");
    CHECK(text.find("(score 1.00), p. 3") != std::string::npos);
    CHECK(text.find("unread   no text layer") != std::string::npos);
    CHECK(test::read_text(d / "r.sarif").find("(p. 3)") != std::string::npos);
    CHECK(test::read_text(d / "r.xml").find("passage (p. 3)") != std::string::npos);
    CHECK(test::read_text(d / "r.html").find("Source passage (p. 3)") != std::string::npos);
    CHECK(test::read_text(d / "r.jsonld").find("annual-report-2026.pdf, p. 3") != std::string::npos);

    // The page is signed into the record: verify passes, and show reads it back from the statement.
    auto verified = w.provcheck({"verify", "--all", "--workspace", (d / "ws").string()});
    INFO(verified.out << verified.err);
    REQUIRE(verified.exit_code == 0);
    auto shown = w.provcheck({"show", year["id"].get<std::string>(), "--workspace", (d / "ws").string()});
    INFO(shown.out);
    CHECK(shown.out.find("(p. 3)") != std::string::npos);
    auto restricted = w.provcheck({"show", minutes["id"].get<std::string>(), "--workspace", (d / "ws").string()});
    CHECK(restricted.out.find("unread: the PDF is encrypted") != std::string::npos);
}

TEST_CASE("a scanned PDF is read by OCR only when asked, and the report says so", "[cli]") {
    PdfWeb w;
    auto r = w.check({"--ocr", pdf_article, "--format", "json", "--fail-on", "not_found", "-q"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json report = json::parse(r.out);
    const json& scan = claim_containing(report, "must boil all water");
    CHECK(scan["verdict"] == "verbatim");
    CHECK(scan["match"]["page"] == 1);
    CHECK(scan["match"]["ocr"] == true);
    CHECK_FALSE(scan.contains("restriction"));

    // The same from provcheck.toml.
    std::ofstream(w.dir / "provcheck.toml") << "ocr = true\n";
    auto toml = w.check({pdf_article, "--format", "text", "--config", (w.dir / "provcheck.toml").string(), "-q"});
    INFO(toml.err);
    CHECK(toml.out.find("p. 1, read by OCR") != std::string::npos);
}

TEST_CASE("a local PDF given with --source is read like a fetched one", "[cli]") {
    PdfWeb w;
    const std::string pdf = test::source_path("fixtures/web/www.norlandwater.example/reports/annual-report-2026.pdf");
    auto r =
        w.check({pdf_article, "--source", "Norland Water Authority=" + pdf, "--format", "json", "-q", "--depth", "0"});
    INFO(r.err);
    const json report = json::parse(r.out);
    const json& homes = claim_containing(report, "4,200 homes");
    CHECK(homes["verdict"] == "verbatim");
    CHECK(homes["match"]["page"] == 3);
    CHECK(homes["source"]["final_url"].get<std::string>().starts_with("file:"));
}

TEST_CASE("a PDF served as application/octet-stream is known by its first bytes", "[cli]") {
    PdfWeb w;
    auto r = w.check({pdf_article, "--source", "Norland Water Authority=https://www.norlandwater.example/download",
                      "--format", "json", "-q", "--depth", "0"});
    INFO(r.err);
    const json report = json::parse(r.out);
    const json& homes = claim_containing(report, "4,200 homes");
    CHECK(homes["verdict"] == "verbatim");
    CHECK(homes["match"]["page"] == 3);
    CHECK(homes["source"]["final_url"] == "https://www.norlandwater.example/download");
}

// A copy of provcheck with a stand-in PDF reader beside it (a shell script), and an article quoting a PDF
// given with --source: check() runs the copy, so that the stand-in, not the real reader, is asked.
struct StandInReader {
    test::TempDir dir;
    std::filesystem::path bin = dir / "bin";

    explicit StandInReader(const std::string& script) {
        std::filesystem::create_directories(bin);
        std::filesystem::copy_file(test::provcheck_binary(), bin / "provcheck");
        {
            std::ofstream out(bin / "provcheck-pdf-reader");
            out << "#!/bin/sh\n" << script;
        }
        std::filesystem::permissions(bin / "provcheck-pdf-reader", std::filesystem::perms::owner_all);
        std::ofstream page(dir / "article.html");
        page << "<html><body><article><p>Lead service lines \u201cremain in about 4,200 homes across the northern "
                "district,\u201d the Norland Water Authority said.</p></article></body></html>\n";
    }
    test::RunResult check(std::map<std::string, std::string> env = {}) const {
        env["XDG_CONFIG_HOME"] = (dir / "config").string();
        const auto pdf = test::source_path("fixtures/web/www.norlandwater.example/reports/annual-report-2026.pdf");
        return test::run({(bin / "provcheck").string(), "check", (dir / "article.html").string(), "--source",
                          pdf.string(), "--workspace", (dir / "ws").string(), "--format", "json", "--output",
                          (dir / "r.json").string(), "--fail-on", "none"},
                         env);
    }
};

TEST_CASE("the PDF reader process gets no descriptor but its input and output, and no key from the environment",
          "[cli]") {
    // A stand-in that writes down what it was given, then answers nothing: the source is unread
    // (source_restricted), and the stand-in's notes show what reached it. Python lists its descriptors with one
    // of its own open (the directory it reads): 0, 1, 2 and that one.
    test::TempDir scratch;
    const auto notes = scratch / "notes";
    std::ostringstream script;
    script << "exec python3 -c 'import os, sys\n"
           << "fds = os.listdir(\"/proc/self/fd\")\n"
           << "open(\"" << notes.string() << ".env\", \"w\").write(\"\\n\".join(os.environ))\n"
           << "open(\"" << notes.string() << ".fds\", \"w\").write(\"\\n\".join(fds))\n"
           << "sys.stdin.buffer.read()'\n";
    StandInReader s(script.str());
    auto keygen = test::run({(s.bin / "provcheck").string(), "keygen", "--out", (s.dir / "key.pem").string()},
                            {{"XDG_CONFIG_HOME", (s.dir / "config").string()}});
    REQUIRE(keygen.exit_code == 0);
    const std::string pem = test::read_text(s.dir / "key.pem");
    auto r = s.check({{"PROVCHECK_KEY", pem}, {"PROVCHECK_NOTE", "kept from the reader"}});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const std::string env = test::read_text(notes.string() + ".env");
    const std::string fds = test::read_text(notes.string() + ".fds");
    REQUIRE_FALSE(env.empty());
    CHECK(env.find("PRIVATE KEY") == std::string::npos);
    CHECK(env.find("PROVCHECK") == std::string::npos);
    CHECK(env.find("PATH") != std::string::npos);
    std::istringstream lines(fds);
    std::vector<int> open;
    for (std::string line; std::getline(lines, line);)
        open.push_back(std::stoi(line));
    INFO(fds);
    CHECK(open.size() == 4);
    for (int fd : open)
        CHECK(fd <= 3);
    const json report = json::parse(test::read_text(s.dir / "r.json"));
    const auto& claims = report["articles"][0]["claims"];
    REQUIRE_FALSE(claims.empty());
    CHECK(claims[0]["verdict"] == "source_restricted");
}

TEST_CASE("a PDF reader answering without end is stopped at the answer's bound", "[cli]") {
    StandInReader s("cat > /dev/null\nexec cat /dev/zero\n");
    auto r = s.check();
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json report = json::parse(test::read_text(s.dir / "r.json"));
    const auto& claim = report["articles"][0]["claims"][0];
    CHECK(claim["verdict"] == "source_restricted");
    CHECK(claim["restriction"].get<std::string>().find("larger than 256 MiB") != std::string::npos);
}
