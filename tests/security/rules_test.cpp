// A --rules file that is wrong in any way stops the run before anything is fetched (exit 3), naming the file,
// the line and the key, in every section any stage reads; it never silently removes built-in rules (an
// `outlet = "x"` once dropped every outlet) or leaves claims unattributed.
#include <catch2/catch.hpp>

#include "check/rules.hpp"
#include "security/hostile.hpp"

using namespace provcheck;

namespace {

struct BrokenRule {
    const char* file;
    const char* text;
    const char* line;  // ":N:" in the message
    const char* key;
};

// Each of these once went unnoticed (or dropped rules) in one stage or another.
const BrokenRule broken[] = {
    {"outlets.toml", "outlet = \"x\"\n", ":1:", "outlet"},
    {"outlets.toml", "# a table where [[outlet]] entries belong\n[outlet]\nid = \"outlet.x\"\n", ":2:", "outlet"},
    {"outlets.toml", "outlet = []\n", ":1:", "outlet"},
    {"outlets.toml", "[[outlet]]\nid = \"outlet.x\"\nname = \"X\"\ndomain = [\"x.example\"]\n", ":4:", "domain"},
    {"outlets.toml", "[[outlet]]\nid = \"outlet.x\"\nname = \"X\"\naliases = \"X News\"\n", ":4:", "aliases"},
    {"shorteners.toml", "[[shortener]]\nhost = 3\n", ":2:", "host"},
    {"attribution.toml", "speech_verbs = \"said\"\n", ":1:", "speech_verbs"},
    {"attribution.toml", "\n\nspeach_verbs = [\"quipped\"]\n", ":3:", "speach_verbs"},
    {"attribution.toml", "[[pattern]]\nid = \"x\"\nscope = \"after\"\nshape = \"speaker verb\"\nweight = 2\n",
     ":5:", "weight"},
    {"attribution.toml", "[[pattern]]\nid = \"x\"\nscope = \"nowhere\"\nshape = \"speaker verb\"\n", ":3:", "scope"},
    {"attribution.toml", "pattern = { id = \"x\" }\n", ":1:", "pattern"},
    {"matching.toml", "[matching]\naltered_min_scor = 0.5\n", ":2:", "altered_min_scor"},
    {"matching.toml", "[matching]\naltered_min_score = \"high\"\n", ":2:", "altered_min_score"},
    {"challenges.toml", "[[markup]]\nid = \"m\"\ncontains = [\"x\"]\nstatuses = [42]\n", ":4:", "statuses"},
    {"challenges.toml", "header = \"cf-mitigated\"\n", ":1:", "header"},
    {"sources.toml", "[cited]\nmax_sources = -2\n", ":2:", "max_sources"},
    {"sources.toml", "\n[speaker]\nmax_link = 3\n", ":3:", "max_link"},
    {"sources.toml", "[organisation]\nskip_words = \"the\"\n", ":2:", "skip_words"},
    {"attribution.toml", "organisation_words = [\"authority\", 3]\n", ":1:", "organisation_words"},
    {"sites/mine.toml", "id = \"site.mine\"\nhosts = [\"mine.example\"]\nbody_selectors = [\"div > p\"]\n",
     ":3:", "body_selectors"},
    {"sites/mine.toml", "id = \"site.mine\"\nhost = [\"mine.example\"]\n", ":2:", "host"},
    {"sites/twitter.toml", "[oembed]\nendpoint = \"file:///etc/passwd?{url}\"\n", ":2:", "endpoint"},
    {"sites/default.toml", "[partial]\nshort_body_words = -1\n", ":2:", "short_body_words"},
};

}  // namespace

TEST_CASE("every broken --rules file is exit 3 naming the file, the line and the key", "[security]") {
    const std::string article = test::source_path("fixtures/seed/article.html").string();
    for (const auto& b : broken) {
        INFO(b.file << ":\n" << b.text);
        test::TempDir dir;
        test::write_text(dir / "rules" / b.file, b.text);
        const std::string where = (dir / "rules" / b.file).string();
        for (const std::string command : {"check", "extract"}) {
            std::vector<std::string> args{command, article, "--rules", (dir / "rules").string()};
            if (command == "check") {
                args.insert(args.end(), {"--replay", test::source_path("fixtures/seed/sources.warc").string(),
                                         "--workspace", (dir / "ws").string()});
            }
            auto r = test::provcheck(dir, args, 120);
            INFO(command << ": " << r.err);
            CHECK(r.exit_code == 3);
            CHECK(r.err.find(where + b.line) != std::string::npos);
            CHECK(r.err.find(b.key) != std::string::npos);
        }
        CHECK_FALSE(std::filesystem::exists(dir / "ws" / "warc"));  // stopped before anything was fetched
    }
}

TEST_CASE("a --rules file of a name no stage reads is an error, not ignored", "[security]") {
    test::TempDir dir;
    test::write_text(dir / "rules" / "outlet.toml", "[[outlet]]\nid = \"outlet.x\"\nname = \"X\"\n");
    auto r = test::provcheck(dir,
                             {"check", test::source_path("fixtures/seed/article.html").string(), "--rules",
                              (dir / "rules").string(), "--workspace", (dir / "ws").string()},
                             60);
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("outlet.toml: not a rules file provcheck reads") != std::string::npos);
}

TEST_CASE("good --rules files still merge: extra outlets add to the built-in ones", "[security]") {
    auto rules = load_rules_from(
        {{"outlets.toml", "[[outlet]]\nid = \"outlet.a\"\nname = \"A News\"\ndomains = [\"a.example\"]\n"}},
        {{"outlets.toml", "[[outlet]]\nid = \"outlet.b\"\nname = \"B Daily\"\ndomains = [\"b.example\"]\n"}});
    REQUIRE(rules.has_value());
    CHECK(rules->outlets.size() == 2);
    auto checked = load_check_rules(std::nullopt);
    REQUIRE(checked.has_value());  // the built-in files pass every stage's reader
    CHECK(checked->attribution.patterns.size() >= 8);
    CHECK_FALSE(checked->rules.outlets.empty());
}

TEST_CASE("the validation pass names the --rules file even after the merge", "[security]") {
    auto base = load_rules();
    REQUIRE(base.has_value());
    std::vector<std::pair<std::string, std::string>> builtin;
    for (const auto& f : base->files)
        builtin.emplace_back(f.name, f.text);
    auto merged = load_rules_from(builtin, {{"attribution.toml", "\nfillers = [1, 2]\n"}}, "my-rules");
    REQUIRE(merged.has_value());
    auto checked = check_rules(std::move(*merged));
    REQUIRE_FALSE(checked.has_value());
    CHECK(checked.error().code == ErrorCode::config);
    CHECK(checked.error().message.starts_with("my-rules/attribution.toml:2: fillers: "));
}

TEST_CASE("--rules refuses a file linked to a device and an oversized file instead of reading them", "[security]") {
    test::TempDir dir;
    const std::string article = test::source_path("fixtures/seed/article.html").string();
    std::filesystem::create_directories(dir / "rules");
    std::filesystem::create_symlink("/dev/zero", dir / "rules" / "outlets.toml");
    auto device = test::provcheck(
        dir, {"check", article, "--rules", (dir / "rules").string(), "--workspace", (dir / "ws").string()}, 60);
    CHECK(device.exit_code == 3);
    CHECK(device.err.find("is a device") != std::string::npos);

    std::filesystem::remove(dir / "rules" / "outlets.toml");
    test::write_text(dir / "rules" / "outlets.toml", "# " + std::string(5u << 20, 'x') + "\n");
    auto huge = test::provcheck(
        dir, {"check", article, "--rules", (dir / "rules").string(), "--workspace", (dir / "ws").string()}, 60);
    CHECK(huge.exit_code == 3);
    CHECK(huge.err.find("larger than the limit") != std::string::npos);
}
