// The floor for any extractor built on Gumbo: parse every page and walk its tree once, nothing else.
#include <gumbo.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: gumbo_parse DIR\n");
        return 2;
    }
    std::vector<std::string> htmls;
    for (const auto& e : fs::directory_iterator(argv[1])) {
        std::ifstream in(e.path() / "source.html", std::ios::binary);
        if (!in) continue;
        std::ostringstream s;
        s << in.rdbuf();
        htmls.push_back(s.str());
    }
    std::size_t nodes = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (const auto& h : htmls) {
        GumboOutput* out = gumbo_parse_with_options(&kGumboDefaultOptions, h.data(), h.size());
        std::vector<const GumboNode*> stack{out->root};
        while (!stack.empty()) {
            const GumboNode* n = stack.back();
            stack.pop_back();
            ++nodes;
            if (n->type != GUMBO_NODE_ELEMENT) continue;
            const GumboVector& kids = n->v.element.children;
            for (unsigned i = 0; i < kids.length; ++i)
                stack.push_back(static_cast<const GumboNode*>(kids.data[i]));
        }
        gumbo_destroy_output(&kGumboDefaultOptions, out);
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    std::printf("pages %zu nodes %zu seconds %.3f pages_per_s %.1f peak_rss_kib %ld\n", htmls.size(), nodes, s,
                static_cast<double>(htmls.size()) / s, u.ru_maxrss);
    return 0;
}
