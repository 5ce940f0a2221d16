// Extraction benchmark over a directory of pages laid out as Mozilla Readability's test pages
// (<dir>/<page>/source.html, expected.html, expected-metadata.json).
//
//   bench_extract score DIR [SPLIT.toml] [-v]
//                             main-text F1 against expected.html, title and byline agreement: over every page,
//                             and per split (dev, heldout) when SPLIT.toml (fixtures/quotes/real/SPLIT.toml,
//                             [pages] page = "dev" | "heldout") is given
//   bench_extract speed DIR   extract_document + attribute_claims over every page, nothing else
//
// Scoring follows the article-extraction benchmark: tokens are runs of word characters (\w+), a page's text is
// the multiset of its 4-token shingles, precision and recall are taken per page over those multisets and averaged
// over pages, and F1 is the harmonic mean of the two averages.
#include <gumbo.h>
#include <sys/resource.h>

#include <fmt/format.h>
#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "attribute/attribute.hpp"
#include "core/fs.hpp"
#include "core/text.hpp"
#include "extract/extract.hpp"
#include "extract/utf8.hpp"

namespace fs = std::filesystem;
using namespace provcheck;

namespace {

struct GumboDeleter {
    void operator()(GumboOutput* o) const noexcept { gumbo_destroy_output(&kGumboDefaultOptions, o); }
};

// All text of an HTML fragment, block elements separated by spaces.
std::string html_text(const std::string& html) {
    std::unique_ptr<GumboOutput, GumboDeleter> out(gumbo_parse(html.c_str()));
    std::string text;
    std::vector<const GumboNode*> stack{out->root};
    while (!stack.empty()) {
        const GumboNode* n = stack.back();
        stack.pop_back();
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE) {
            text += n->v.text.text;
            continue;
        }
        if (n->type != GUMBO_NODE_ELEMENT) continue;
        if (n->v.element.tag == GUMBO_TAG_SCRIPT || n->v.element.tag == GUMBO_TAG_STYLE) continue;
        text += ' ';
        const GumboVector& kids = n->v.element.children;
        for (unsigned i = kids.length; i > 0; --i)
            stack.push_back(static_cast<const GumboNode*>(kids.data[i - 1]));
    }
    return text;
}

std::vector<std::string> tokens(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = utf8::at(s, i);
        const bool word = utf8::is_letter(c.cp) || utf8::is_digit(c.cp) || c.cp == '_';
        if (word) {
            cur.append(s.substr(i, c.len));
        } else if (!cur.empty()) {
            out.push_back(std::move(cur));
            cur.clear();
        }
        i += c.len == 0 ? 1 : c.len;
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

std::map<std::string, int> shingles(const std::vector<std::string>& t) {
    std::map<std::string, int> out;
    if (t.size() < 4) {
        for (const auto& w : t)
            ++out[w];
        return out;
    }
    for (std::size_t i = 0; i + 4 <= t.size(); ++i)
        ++out[t[i] + ' ' + t[i + 1] + ' ' + t[i + 2] + ' ' + t[i + 3]];
    return out;
}

struct PR {
    double p;
    double r;
};

PR precision_recall(const std::string& predicted, const std::string& expected) {
    const auto pred = shingles(tokens(predicted));
    const auto want = shingles(tokens(expected));
    std::size_t np = 0, nw = 0, common = 0;
    for (const auto& [k, v] : pred)
        np += static_cast<std::size_t>(v);
    for (const auto& [k, v] : want) {
        nw += static_cast<std::size_t>(v);
        if (auto it = pred.find(k); it != pred.end()) common += static_cast<std::size_t>(std::min(v, it->second));
    }
    if (np == 0 && nw == 0) return {1.0, 1.0};
    return {np == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(np),
            nw == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(nw)};
}

std::vector<fs::path> pages(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.is_directory() && fs::exists(e.path() / "source.html")) out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string page_url(const fs::path& page) {
    // The test pages were saved from this address by Readability's own test harness.
    return "http://fakehost/test/page.html#" + page.filename().string();
}

long peak_rss_kib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

std::string norm(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return {};
    return collapse_whitespace(it->get<std::string>());
}

struct Tally {
    double sum_p = 0, sum_r = 0;
    std::size_t n = 0, titles = 0, bylines = 0, bylines_expected = 0;

    void print(const char* label) const {
        if (n == 0) return;
        const double p = sum_p / static_cast<double>(n), r = sum_r / static_cast<double>(n);
        const double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
        std::printf("%-8s pages %3zu precision %.4f recall %.4f f1 %.4f title %zu/%zu byline %zu/%zu\n", label, n, p, r,
                    f1, titles, n, bylines, bylines_expected);
    }
};

// page name -> "dev" | "heldout", from a split file's [pages] table; empty when no file is given.
std::map<std::string, std::string> load_split(const char* path) {
    std::map<std::string, std::string> out;
    if (path == nullptr) return out;
    try {
        const toml::table t = toml::parse_file(path);
        if (const auto* p = t["pages"].as_table()) {
            for (const auto& [k, v] : *p) {
                if (auto s = v.value<std::string>()) out.emplace(std::string(k.str()), *s);
            }
        }
    } catch (const toml::parse_error& e) {
        std::fprintf(stderr, "%s: %s\n", path, std::string(e.description()).c_str());
        std::exit(1);
    }
    return out;
}

int score(const fs::path& dir, const char* split_file, const RuleSet& rules, bool verbose) {
    const auto split = load_split(split_file);
    std::map<std::string, Tally> tallies;
    for (const auto& page : pages(dir)) {
        auto html = read_file(page / "source.html");
        auto expected = read_file(page / "expected.html");
        auto meta_text = read_file(page / "expected-metadata.json");
        if (!html || !expected || !meta_text) continue;
        auto doc = extract_document(*html, page_url(page), rules);
        const std::string got = doc ? doc->text() : std::string{};
        const PR pr = precision_recall(got, html_text(*expected));
        std::vector<Tally*> into{&tallies["all"]};
        const auto which = split.find(page.filename().string());
        if (!split.empty()) into.push_back(&tallies[which == split.end() ? "unsplit" : which->second]);
        const auto meta = nlohmann::json::parse(*meta_text, nullptr, false);
        for (Tally* t : into) {
            t->sum_p += pr.p;
            t->sum_r += pr.r;
            ++t->n;
            if (!meta.is_discarded() && doc) {
                t->titles += norm(meta, "title") == doc->title ? 1 : 0;
                const std::string by = norm(meta, "byline");
                if (!by.empty()) {
                    ++t->bylines_expected;
                    t->bylines += by == doc->byline ? 1 : 0;
                }
            }
        }
        if (verbose) {
            std::printf("%-60s %-7s P %.3f R %.3f %s\n", page.filename().c_str(),
                        which == split.end() ? "" : which->second.c_str(), pr.p, pr.r,
                        doc ? doc->extraction_stage.c_str() : "error");
        }
    }
    if (tallies["all"].n == 0) {
        std::fprintf(stderr, "no pages under %s\n", dir.c_str());
        return 1;
    }
    tallies["all"].print("all");
    for (const auto& [name, t] : tallies) {
        if (name != "all") t.print(name.c_str());
    }
    return 0;
}

int speed(const fs::path& dir, const RuleSet& rules) {
    std::vector<std::string> htmls;
    std::vector<std::string> urls;
    for (const auto& page : pages(dir)) {
        auto html = read_file(page / "source.html");
        if (!html) continue;
        htmls.push_back(std::move(*html));
        urls.push_back(page_url(page));
    }
    std::size_t claims = 0;
    const auto t0 = std::chrono::steady_clock::now();
    // As a run of `check` does: the attribution rules are read and compiled once, then every page is read with them.
    auto attribution = load_attribution_rules(rules);
    if (!attribution) {
        std::fprintf(stderr, "%s\n", attribution.error().message.c_str());
        return 1;
    }
    const AttributionLookups lookups(rules, *attribution);
    for (std::size_t i = 0; i < htmls.size(); ++i) {
        auto doc = extract_document(htmls[i], urls[i], rules);
        if (doc) claims += attribute_claims(*doc, lookups).size();
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("pages %zu claims %zu seconds %.3f pages_per_s %.1f peak_rss_kib %ld\n", htmls.size(), claims, s,
                static_cast<double>(htmls.size()) / s, peak_rss_kib());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_extract score DIR [SPLIT.toml] [-v] | speed DIR\n");
        return 2;
    }
    auto rules = load_rules();
    if (!rules) {
        std::fprintf(stderr, "%s\n", rules.error().message.c_str());
        return 1;
    }
    const std::string mode = argv[1];
    if (mode == "score") {
        const char* split = nullptr;
        bool verbose = false;
        for (int i = 3; i < argc; ++i) {
            if (std::string_view(argv[i]) == "-v") {
                verbose = true;
            } else {
                split = argv[i];
            }
        }
        return score(argv[2], split, *rules, verbose);
    }
    if (mode == "speed") return speed(argv[2], *rules);
    std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
    return 2;
}
