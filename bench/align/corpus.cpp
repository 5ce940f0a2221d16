#include "corpus.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <string_view>

namespace provcheck::bench {

namespace {

class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() noexcept {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) noexcept { return static_cast<std::size_t>(next() % n); }
    std::size_t between(std::size_t lo, std::size_t hi) noexcept { return lo + below(hi - lo + 1); }
    double unit() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
    std::uint64_t state_;
};

enum class WordClass : std::uint8_t { function, content, name, number, negation };

// The most frequent English words in order of frequency, without negations and number words, which the
// generator places itself so that the truth of an elision stays known.
constexpr std::array<std::string_view, 96> function_words{
    "the",   "of",    "and",   "to",    "a",     "in",   "that",   "is",      "was",   "he",    "for",    "it",
    "with",  "as",    "his",   "on",    "be",    "at",   "by",     "i",       "this",  "had",   "but",    "from",
    "or",    "have",  "an",    "they",  "which", "you",  "were",   "her",     "she",   "there", "would",  "their",
    "we",    "him",   "been",  "has",   "when",  "who",  "will",   "more",    "if",    "out",   "so",     "said",
    "what",  "up",    "its",   "about", "into",  "than", "them",   "can",     "only",  "other", "new",    "some",
    "could", "time",  "these", "may",   "then",  "do",   "first",  "any",     "my",    "now",   "such",   "like",
    "our",   "over",  "man",   "me",    "even",  "most", "made",   "after",   "also",  "did",   "many",   "before",
    "must",  "where", "much",  "your",  "way",   "well", "should", "because", "those", "while", "people", "year"};

constexpr std::array<std::string_view, 6> negations{"not", "no", "never", "nothing", "without", "none"};

constexpr std::array<std::string_view, 48> syllables{
    "ba",  "co",  "de",  "fi",  "ga",   "ho",  "ja",  "ki",  "lo",  "ma",  "ne",  "po",  "ra",  "si",  "ta",   "vu",
    "wen", "tor", "mar", "lin", "ster", "pan", "dol", "rik", "sen", "bur", "cal", "fen", "gor", "hal", "ment", "tion",
    "ing", "er",  "al",  "ous", "ly",   "ive", "ate", "ent", "ure", "ism", "ard", "ick", "ow",  "um",  "ex",   "ol"};

constexpr std::array<std::string_view, 12> months{"January",   "February", "March",    "April",
                                                  "May",       "June",     "July",     "August",
                                                  "September", "October",  "November", "December"};

struct Vocabulary {
    std::vector<std::string> content;
    std::vector<double> content_cdf;
    std::vector<double> function_cdf;
    std::vector<std::string> names;

    explicit Vocabulary(Rng& rng) {
        std::set<std::string> seen(function_words.begin(), function_words.end());
        seen.insert(negations.begin(), negations.end());
        while (content.size() < 30000) {
            std::string w;
            const std::size_t parts = rng.between(2, 3);
            for (std::size_t k = 0; k < parts; ++k)
                w += syllables[rng.below(syllables.size())];
            if (seen.insert(w).second) content.push_back(std::move(w));
        }
        while (names.size() < 400) {
            std::string w;
            const std::size_t parts = rng.between(2, 3);
            for (std::size_t k = 0; k < parts; ++k)
                w += syllables[rng.below(syllables.size())];
            if (!seen.insert(w).second) continue;
            w[0] = static_cast<char>(w[0] - 'a' + 'A');
            names.push_back(std::move(w));
        }
        content_cdf = zipf_cdf(content.size(), 1.05);
        function_cdf = zipf_cdf(function_words.size(), 0.9);
    }

    // Another vocabulary with no content word or name in common with this one.
    [[nodiscard]] Vocabulary disjoint(Rng& rng) const {
        Vocabulary v = *this;
        std::set<std::string> taken(content.begin(), content.end());
        for (const auto& n : names) {
            std::string lower = n;
            lower[0] = static_cast<char>(lower[0] - 'A' + 'a');
            taken.insert(std::move(lower));
        }
        taken.insert(function_words.begin(), function_words.end());
        taken.insert(negations.begin(), negations.end());
        auto fresh = [&] {
            for (;;) {
                std::string w;
                const std::size_t parts = rng.between(3, 4);
                for (std::size_t k = 0; k < parts; ++k)
                    w += syllables[rng.below(syllables.size())];
                if (taken.insert(w).second) return w;
            }
        };
        for (auto& w : v.content)
            w = fresh();
        for (auto& n : v.names) {
            n = fresh();
            n[0] = static_cast<char>(n[0] - 'a' + 'A');
        }
        return v;
    }

    static std::vector<double> zipf_cdf(std::size_t n, double s) {
        std::vector<double> cdf(n);
        double total = 0;
        for (std::size_t r = 0; r < n; ++r) {
            total += 1.0 / std::pow(static_cast<double>(r + 1), s);
            cdf[r] = total;
        }
        for (auto& c : cdf)
            c /= total;
        return cdf;
    }

    static std::size_t pick(const std::vector<double>& cdf, Rng& rng) {
        const auto it = std::upper_bound(cdf.begin(), cdf.end(), rng.unit());
        return std::min(static_cast<std::size_t>(it - cdf.begin()), cdf.size() - 1);
    }
};

std::string number_text(Rng& rng) {
    switch (rng.below(5)) {
        case 0:
            return std::to_string(rng.between(2, 99));
        case 1:
            return std::to_string(rng.between(1900, 2030));
        case 2: {
            const std::size_t thousands = rng.between(1, 999);
            const std::size_t rest = rng.below(1000);
            std::string r = std::to_string(rest);
            return std::to_string(thousands) + "," + std::string(3 - r.size(), '0') + r;
        }
        case 3:
            return std::to_string(rng.between(1, 99)) + "." + std::to_string(rng.between(1, 9));
        default:
            return std::to_string(rng.between(100, 999));
    }
}

struct Word {
    std::size_t start = 0;
    std::size_t end = 0;
    WordClass cls = WordClass::function;
};

class Writer {
public:
    Writer(Rng& rng, const Vocabulary& vocab) : rng_(rng), vocab_(vocab) {}

    // One word of the running prose, its class drawn from English-like shares.
    std::pair<std::string, WordClass> word() {
        const double u = rng_.unit();
        if (u < 0.47)
            return {std::string(function_words[Vocabulary::pick(vocab_.function_cdf, rng_)]), WordClass::function};
        if (u < 0.485) return {std::string(negations[rng_.below(negations.size())]), WordClass::negation};
        if (u < 0.51) return {number_text(rng_), WordClass::number};
        if (u < 0.535) {
            if (rng_.below(4) == 0) return {std::string(months[rng_.below(months.size())]), WordClass::name};
            return {vocab_.names[rng_.below(vocab_.names.size())], WordClass::name};
        }
        return {vocab_.content[Vocabulary::pick(vocab_.content_cdf, rng_)], WordClass::content};
    }

    void sentence(std::string& out, std::vector<Word>* words) {
        const std::size_t count = rng_.between(8, 30);
        for (std::size_t i = 0; i < count; ++i) {
            auto [w, cls] = word();
            if (i == 0 && w[0] >= 'a' && w[0] <= 'z') w[0] = static_cast<char>(w[0] - 'a' + 'A');
            if (i > 0) out += rng_.below(10) == 0 ? ", " : " ";
            if (words != nullptr) words->push_back(Word{out.size(), out.size() + w.size(), cls});
            out += w;
        }
        out += ". ";
    }

private:
    Rng& rng_;
    const Vocabulary& vocab_;
};

// Source text from word `first` to word `last` inclusive, on one line.
std::string cut(const std::string& source, const std::vector<Word>& words, std::size_t first, std::size_t last) {
    std::string s = source.substr(words[first].start, words[last].end - words[first].start);
    for (auto& c : s) {
        if (c == '\n' || c == '\t') c = ' ';
    }
    return s;
}

std::string changed_number(const std::string& n, Rng& rng) {
    std::string out = n;
    // Change one digit other than a leading one, so that the form (separators, length) stays.
    std::vector<std::size_t> digits;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] >= '0' && out[i] <= '9') digits.push_back(i);
    }
    const std::size_t at = digits[digits.size() > 1 ? 1 + rng.below(digits.size() - 1) : 0];
    const char old = out[at];
    const char lowest = at == 0 ? '1' : '0';
    do {
        out[at] = static_cast<char>(lowest + rng.below(static_cast<std::size_t>('9' - lowest + 1)));
    } while (out[at] == old);
    return out;
}

}  // namespace

const char* kind_name(QuoteKind k) noexcept {
    switch (k) {
        case QuoteKind::verbatim:
            return "verbatim";
        case QuoteKind::elided:
            return "elided";
        case QuoteKind::word_changed:
            return "word_changed";
        case QuoteKind::number_changed:
            return "number_changed";
        case QuoteKind::absent:
            return "absent";
    }
    return "?";
}

const char* expected_verdict(QuoteKind k) noexcept {
    switch (k) {
        case QuoteKind::verbatim:
            return "verbatim";
        case QuoteKind::elided:
            return "elided";
        case QuoteKind::word_changed:
        case QuoteKind::number_changed:
            return "altered";
        case QuoteKind::absent:
            return "not_found";
    }
    return "?";
}

Corpus generate_corpus(std::uint64_t seed, std::size_t bytes, std::size_t quote_count) {
    Rng rng(seed);
    const Vocabulary vocab(rng);
    Corpus c;
    std::vector<Word> words;
    c.source.reserve(bytes + 512);
    c.source += "Report\n\n";
    Writer writer(rng, vocab);
    while (c.source.size() < bytes) {
        writer.sentence(c.source, &words);
        if (rng.below(5) == 0) c.source += "\n\n";
    }

    // Absent quotations share the source's function words, negations and numbers but draw their content
    // words and names from a vocabulary of their own: a sentence about something the source never mentions.
    Rng other(seed ^ 0x5eedULL);
    const Vocabulary foreign = vocab.disjoint(other);
    Writer absent_writer(other, foreign);
    static constexpr std::array<std::string_view, 4> marks{"…", "...", "(...)", "[...]"};
    const std::size_t total = words.size();
    for (std::size_t q = 0; q < quote_count; ++q) {
        LabelledQuote lq;
        lq.kind = static_cast<QuoteKind>(q % 5);
        switch (lq.kind) {
            case QuoteKind::verbatim: {
                const std::size_t shape = rng.below(10);
                const std::size_t len = shape == 0   ? rng.between(1, 5)
                                        : shape == 1 ? rng.between(41, 120)
                                                     : rng.between(6, 40);
                const std::size_t first = rng.below(total - len);
                lq.text = cut(c.source, words, first, first + len - 1);
                break;
            }
            case QuoteKind::elided: {
                for (;;) {
                    const std::size_t len = rng.between(20, 60);
                    const std::size_t first = rng.below(total - len);
                    const std::size_t gap_first = first + rng.between(4, len / 2);
                    const std::size_t gap_last = std::min(first + len - 5, gap_first + rng.between(2, 19));
                    const bool meaningful = std::any_of(
                        words.begin() + static_cast<std::ptrdiff_t>(gap_first),
                        words.begin() + static_cast<std::ptrdiff_t>(gap_last) + 1,
                        [](const Word& w) { return w.cls == WordClass::number || w.cls == WordClass::negation; });
                    if (meaningful) continue;
                    lq.text = cut(c.source, words, first, gap_first - 1) + " " +
                              std::string(marks[rng.below(marks.size())]) + " " +
                              cut(c.source, words, gap_last + 1, first + len - 1);
                    break;
                }
                break;
            }
            case QuoteKind::word_changed: {
                for (;;) {
                    const std::size_t len = rng.between(8, 40);
                    const std::size_t first = rng.below(total - len);
                    const std::size_t at = first + rng.below(len);
                    if (words[at].cls != WordClass::content && words[at].cls != WordClass::function) continue;
                    const std::string old = c.source.substr(words[at].start, words[at].end - words[at].start);
                    std::string replacement = vocab.content[rng.below(vocab.content.size())];
                    if (replacement == old) continue;
                    if (at == first && old[0] >= 'A' && old[0] <= 'Z')
                        replacement[0] = static_cast<char>(replacement[0] - 'a' + 'A');
                    std::string before = at > first ? cut(c.source, words, first, at - 1) : std::string{};
                    std::string after =
                        at < first + len - 1 ? cut(c.source, words, at + 1, first + len - 1) : std::string{};
                    // Keep the bytes between words exactly as in the source.
                    const std::string left =
                        at > first ? c.source.substr(words[at - 1].end, words[at].start - words[at - 1].end)
                                   : std::string{};
                    const std::string right = at < first + len - 1
                                                  ? c.source.substr(words[at].end, words[at + 1].start - words[at].end)
                                                  : std::string{};
                    lq.text = before + left + replacement + right + after;
                    for (auto& ch : lq.text) {
                        if (ch == '\n') ch = ' ';
                    }
                    break;
                }
                break;
            }
            case QuoteKind::number_changed: {
                for (;;) {
                    const std::size_t len = rng.between(8, 40);
                    const std::size_t first = rng.below(total - len);
                    std::size_t at = total;
                    for (std::size_t k = first; k < first + len; ++k) {
                        if (words[k].cls == WordClass::number) {
                            at = k;
                            break;
                        }
                    }
                    if (at == total) continue;
                    const std::string old = c.source.substr(words[at].start, words[at].end - words[at].start);
                    std::string text =
                        c.source.substr(words[first].start, words[first + len - 1].end - words[first].start);
                    text.replace(words[at].start - words[first].start, old.size(), changed_number(old, rng));
                    for (auto& ch : text) {
                        if (ch == '\n') ch = ' ';
                    }
                    lq.text = std::move(text);
                    break;
                }
                break;
            }
            case QuoteKind::absent: {
                std::string s;
                absent_writer.sentence(s, nullptr);
                while (!s.empty() && (s.back() == ' ' || s.back() == '.'))
                    s.pop_back();
                lq.text = std::move(s);
                break;
            }
        }
        c.quotes.push_back(std::move(lq));
    }
    return c;
}

}  // namespace provcheck::bench
