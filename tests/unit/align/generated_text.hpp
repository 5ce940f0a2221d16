// Deterministic filler prose for the alignment tests: sentences of invented words mixed with common English
// function words, so that frequent words and trigrams occur as they do in real pages.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace provcheck::test {

class FillerText {
public:
    explicit FillerText(std::uint64_t seed) : state_(seed * 2654435761ULL + 1) {
        static const char* const syllables[] = {"ka", "lo", "mi",  "ter", "van", "sol", "du", "re",  "pra", "zen",
                                                "ob", "il", "qua", "ne",  "fos", "gri", "bu", "cal", "de",  "ix"};
        for (int a = 0; a < 20; ++a) {
            for (int b = 0; b < 20; ++b) {
                words_.push_back(std::string(syllables[a]) + syllables[b]);
                if ((a + b) % 3 == 0)
                    words_.push_back(std::string(syllables[a]) + syllables[b] + syllables[(a * b) % 20]);
            }
        }
    }

    [[nodiscard]] std::uint64_t next() {
        state_ ^= state_ << 13;
        state_ ^= state_ >> 7;
        state_ ^= state_ << 17;
        return state_;
    }

    // One sentence of 6 to 25 words, capitalised, ending in a period and a space.
    [[nodiscard]] std::string sentence() {
        static const char* const common[] = {"the", "of", "and", "to", "a", "in", "that", "is", "for", "was"};
        const std::size_t count = 6 + next() % 20;
        std::string out;
        for (std::size_t i = 0; i < count; ++i) {
            std::string w = next() % 3 == 0 ? std::string(common[next() % 10]) : words_[next() % words_.size()];
            if (i == 0) w[0] = static_cast<char>(w[0] - 'a' + 'A');
            if (!out.empty()) out += next() % 9 == 0 ? ", " : " ";
            out += w;
        }
        return out + ". ";
    }

    // Sentences until at least `bytes` bytes, paragraphs every few sentences.
    [[nodiscard]] std::string text(std::size_t bytes) {
        std::string out;
        out.reserve(bytes + 256);
        while (out.size() < bytes) {
            out += sentence();
            if (next() % 6 == 0) out += "\n\n";
        }
        return out;
    }

private:
    std::uint64_t state_;
    std::vector<std::string> words_;
};

}  // namespace provcheck::test
