#include "attribute/attribute.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <tuple>
#include <utility>

#include "attribute/attribution_rules.hpp"
#include "attribute/tokenize.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"
#include "core/url.hpp"

namespace provcheck {

namespace attribute::detail {

namespace {

// How far from a quotation, in tokens, its attribution is looked for: "Gershon Baskin, who negotiated the release
// of …, told NYT" fits, and the work per quotation stays bounded however long a sentence runs.
constexpr std::size_t kWindow = 48;
// The longest run of capitalised words read as one name ("Health Minister Mai al-Kaila").
constexpr std::size_t kMaxNameWords = 8;

// ---------------------------------------------------------------------------------------------
// Speech patterns over tokens

enum class SpeakerKind { outlet, reference, person_reference, pronoun, name, phrase };

struct SpeakerRef {
    SpeakerKind kind = SpeakerKind::name;
    std::size_t first = 0;
    std::size_t last = 0;  // inclusive
    const Outlet* outlet = nullptr;
};

struct Occurrence {
    std::size_t first = 0;  // token span of the attribution phrase, inclusive
    std::size_t last = 0;
    SpeakerRef speaker;
    std::optional<SpeakerRef> object;  // "told NYT"
};

class Parser {
public:
    Parser(const AttributionRules& rules, const Lexicon& lexicon, std::string_view text,
           const std::vector<Token>& tokens)
        : rules_(rules), lex_(lexicon), text_(text), t_(tokens) {}

    [[nodiscard]] std::vector<Occurrence> find(AttributionShape shape, std::size_t a, std::size_t b) const {
        std::vector<Occurrence> out;
        b = std::min(b, t_.size());
        for (std::size_t i = a; i < b; ++i) {
            if (shape == AttributionShape::according_to) {
                if (word(i) && t_[i].lower == "according" && i + 1 < b && t_[i + 1].lower == "to") {
                    if (auto sp = forward(i + 2, b, true)) out.push_back({i, sp->last, *sp, std::nullopt});
                }
                continue;
            }
            const std::size_t m = seq_at(lex_.speech_verbs, i, b);
            if (m == 0) continue;
            if (shape == AttributionShape::speaker_verb) {
                std::size_t j = i;
                while (j > a) {
                    const std::size_t l = seq_ending(lex_.fillers, j - 1, a);
                    if (l == 0) break;
                    j -= l;
                }
                if (j == a) continue;
                auto sp = back(j - 1, a);
                if (!sp) continue;
                auto obj = object(i + m, b);
                out.push_back({sp->first, obj ? obj->last : i + m - 1, *sp, obj});
            } else if (shape == AttributionShape::verb_speaker) {
                // "said X" only where the verb opens its clause; "X told NYT" is the other shape.
                if (i > a && word(i - 1)) continue;
                auto sp = forward(i + m, b, false);
                if (sp) out.push_back({i, sp->last, *sp, std::nullopt});
            }
        }
        return out;
    }

    [[nodiscard]] std::string printed(std::size_t first, std::size_t last) const {
        return std::string(text_.substr(t_[first].start, t_[last].end - t_[first].start));
    }

private:
    [[nodiscard]] bool word(std::size_t i) const noexcept { return i < t_.size() && t_[i].kind == Token::Kind::word; }

    [[nodiscard]] bool is_punct(std::size_t i, std::string_view p) const noexcept {
        return i < t_.size() && t_[i].kind == Token::Kind::punct && t_[i].lower == p;
    }

    // Length of the longest sequence starting at token i (inside [i, b)), 0 if none.
    [[nodiscard]] std::size_t seq_at(const WordSeqs& seqs, std::size_t i, std::size_t b) const {
        if (!word(i)) return 0;
        const auto it = seqs.by_first.find(t_[i].lower);
        if (it == seqs.by_first.end()) return 0;
        for (const std::uint32_t x : it->second) {
            const auto& s = (*seqs.seqs)[x];
            if (i + s.size() > b) continue;
            bool ok = true;
            for (std::size_t k = 1; k < s.size() && ok; ++k)
                ok = word(i + k) && t_[i + k].lower == s[k];
            if (ok) return s.size();
        }
        return 0;
    }

    // Length of the longest sequence ending at token j (inside [a, j]), 0 if none.
    [[nodiscard]] std::size_t seq_ending(const WordSeqs& seqs, std::size_t j, std::size_t a) const {
        if (!word(j)) return 0;
        const auto it = seqs.by_last.find(t_[j].lower);
        if (it == seqs.by_last.end()) return 0;
        for (const std::uint32_t x : it->second) {
            const auto& s = (*seqs.seqs)[x];
            if (j + 1 < a + s.size()) continue;
            const std::size_t first = j + 1 - s.size();
            bool ok = true;
            for (std::size_t k = 0; k + 1 < s.size() && ok; ++k)
                ok = word(first + k) && t_[first + k].lower == s[k];
            if (ok) return s.size();
        }
        return 0;
    }

    [[nodiscard]] const Outlet* outlet_span(std::size_t first, std::size_t last) const {
        for (std::size_t k = first; k <= last; ++k) {
            if (!word(k)) return nullptr;
        }
        return lex_.outlets.find(text_.substr(t_[first].start, t_[last].end - t_[first].start));
    }

    [[nodiscard]] bool connector(std::size_t i) const {
        return word(i) && contains(rules_.name_connectors, t_[i].lower);
    }

    // Tokens [first, last] name no one: only titles and nationalities ("Syrian claims", "the President said"
    // with no name). The name keeps them otherwise ("Prime Minister Ahmed Salem").
    [[nodiscard]] bool only_titles(std::size_t first, std::size_t last) const {
        for (std::size_t i = first; i <= last; ++i) {
            if (!word(i) || (!contains(rules_.titles, t_[i].lower) && !contains(rules_.nationalities, t_[i].lower))) {
                return false;
            }
        }
        return true;
    }

    // A speaker ending at token j, with an appositive between commas skipped: "X, who …, told".
    [[nodiscard]] std::optional<SpeakerRef> back(std::size_t j, std::size_t a) const {
        if (!is_punct(j, ",")) return back_plain(j, a);
        a = std::max(a, j > kWindow ? j - kWindow : 0);
        std::size_t seg = a;  // first token of the comma-enclosed segment
        for (std::size_t k = j; k > a; --k) {
            const Token& t = t_[k - 1];
            if (t.kind == Token::Kind::quote) return std::nullopt;
            if (t.kind == Token::Kind::punct && t.lower == ",") {
                seg = k;
                break;
            }
            if (t.kind == Token::Kind::punct && (t.lower == "." || t.lower == ":" || t.lower == ";"))
                return std::nullopt;
        }
        if (seg >= j) return std::nullopt;
        if (contains(rules_.appositive_openers, t_[seg].lower)) {
            if (seg < a + 2) return std::nullopt;
            return back_plain(seg - 2, a);
        }
        auto r = back_plain(j - 1, seg);
        if (r && r->first == seg && (r->kind == SpeakerKind::name || r->kind == SpeakerKind::outlet)) return r;
        return std::nullopt;
    }

    [[nodiscard]] std::optional<SpeakerRef> back_plain(std::size_t j, std::size_t a) const {
        if (!word(j) || j < a) return std::nullopt;
        for (std::size_t n = std::min<std::size_t>(6, j - a + 1); n >= 1; --n) {
            if (const Outlet* o = outlet_span(j + 1 - n, j)) return SpeakerRef{SpeakerKind::outlet, j + 1 - n, j, o};
        }
        if (const std::size_t l = seq_ending(lex_.reference_words, j, a)) {
            return SpeakerRef{SpeakerKind::reference, j + 1 - l, j, nullptr};
        }
        if (const std::size_t l = seq_ending(lex_.person_references, j, a)) {
            return SpeakerRef{SpeakerKind::person_reference, j + 1 - l, j, nullptr};
        }
        if (contains(rules_.pronouns, t_[j].lower)) return SpeakerRef{SpeakerKind::pronoun, j, j, nullptr};
        if (!t_[j].capital) return std::nullopt;
        std::size_t k = j + 1;
        while (k > a && k + kMaxNameWords > j + 1 && word(k - 1) && (t_[k - 1].capital || connector(k - 1)))
            --k;
        while (k <= j && (contains(rules_.not_names, t_[k].lower) || connector(k)))
            ++k;
        if (k > j || only_titles(k, j)) return std::nullopt;
        return SpeakerRef{SpeakerKind::name, k, j, nullptr};
    }

    [[nodiscard]] std::optional<SpeakerRef> forward(std::size_t i, std::size_t b, bool allow_phrase) const {
        if (!word(i) || i >= b) return std::nullopt;
        for (std::size_t n = std::min<std::size_t>(6, b - i); n >= 1; --n) {
            if (const Outlet* o = outlet_span(i, i + n - 1)) return SpeakerRef{SpeakerKind::outlet, i, i + n - 1, o};
        }
        if (const std::size_t l = seq_at(lex_.reference_words, i, b)) {
            return SpeakerRef{SpeakerKind::reference, i, i + l - 1, nullptr};
        }
        if (const std::size_t l = seq_at(lex_.person_references, i, b)) {
            return SpeakerRef{SpeakerKind::person_reference, i, i + l - 1, nullptr};
        }
        if (contains(rules_.pronouns, t_[i].lower)) return SpeakerRef{SpeakerKind::pronoun, i, i, nullptr};
        if (t_[i].capital && !contains(rules_.not_names, t_[i].lower)) {
            std::size_t k = i;
            while (k < b && k < i + kMaxNameWords && word(k) && (t_[k].capital || connector(k)))
                ++k;
            while (k > i + 1 && connector(k - 1))
                --k;
            if (only_titles(i, k - 1)) return std::nullopt;
            return SpeakerRef{SpeakerKind::name, i, k - 1, nullptr};
        }
        if (!allow_phrase) return std::nullopt;
        std::size_t k = i;
        while (k < b && word(k) && k - i < 6)
            ++k;
        return SpeakerRef{SpeakerKind::phrase, i, k - 1, nullptr};
    }

    // The outlet a speaker spoke to: "told NYT", "told the New York Times", "spoke to the newspaper".
    [[nodiscard]] std::optional<SpeakerRef> object(std::size_t i, std::size_t b) const {
        if (word(i) && (t_[i].lower == "to" || t_[i].lower == "with")) ++i;
        auto r = forward(i, b, false);
        if (r && (r->kind == SpeakerKind::outlet || r->kind == SpeakerKind::reference) &&
            !(r->kind == SpeakerKind::reference && t_[r->first].lower == "it")) {
            return r;
        }
        return std::nullopt;
    }

    const AttributionRules& rules_;
    const Lexicon& lex_;
    std::string_view text_;
    const std::vector<Token>& t_;
};

// ---------------------------------------------------------------------------------------------
// Who was named where, in reading order.

struct Mention {
    int block = 0;
    std::size_t pos = 0;
    bool is_outlet = false;
    std::string name;         // canonical outlet name, or the person as printed
    std::string outlet_name;  // for a person: the outlet they spoke to
    std::string printed;
    std::string context;  // for a person: the sentence naming them, lower case ("the spokesman for …")
};

const std::string& t_lower(const std::vector<Token>& toks, std::size_t i) {
    return toks[i].lower;
}

// `word` as a whole word of lower-case `text`.
bool contains_word(std::string_view text, std::string_view word) {
    if (word.empty()) return false;
    std::size_t at = text.find(word);
    while (at != std::string_view::npos) {
        const bool left = at == 0 || !std::isalnum(static_cast<unsigned char>(text[at - 1]));
        const std::size_t end = at + word.size();
        const bool right = end >= text.size() || !std::isalnum(static_cast<unsigned char>(text[end]));
        if (left && right) return true;
        at = text.find(word, at + 1);
    }
    return false;
}

bool before(const Mention& m, int block, std::size_t pos) noexcept {
    return m.block < block || (m.block == block && m.pos < pos);
}

struct Attribution {
    std::string speaker;
    std::string outlet;
    std::string phrase;
    std::string rule;
};

class Attributor {
public:
    Attributor(const Document& doc, const RuleSet& rule_set, const AttributionRules& rules)
        : doc_(doc), rules_(rules), lex_(rules, rule_set), prepared_(prepare_blocks(doc, rules)) {
        links_in_block_.resize(doc_.blocks.size());
        for (std::size_t k = 0; k < doc_.links.size(); ++k) {
            const int b = doc_.links[k].block;
            if (b >= 0 && static_cast<std::size_t>(b) < links_in_block_.size()) {
                links_in_block_[static_cast<std::size_t>(b)].push_back(k);
            }
        }
        collect_mentions();
    }

    std::vector<Claim> run() {
        std::vector<Claim> claims;
        const auto& qs = doc_.quotations;
        std::size_t i = 0;
        while (i < qs.size()) {
            std::size_t last = i;
            while (continues(last))
                ++last;
            const Attribution a = attribute_group(i, last);
            for (std::size_t k = i; k <= last; ++k)
                claims.push_back(make_claim(qs[k], qs[i], a));
            i = last + 1;
        }
        for (const auto& e : doc_.embeds) {
            if (e.block < 0 || e.text.empty()) continue;
            claims.push_back(embed_claim(e));
        }
        std::stable_sort(claims.begin(), claims.end(), [](const Claim& a, const Claim& b) {
            return std::tie(a.block, a.start) < std::tie(b.block, b.start);
        });
        return claims;
    }

private:
    [[nodiscard]] bool continues(std::size_t k) const {
        const auto& qs = doc_.quotations;
        if (k + 1 >= qs.size()) return false;
        const Quotation& q = qs[k];
        const Quotation& n = qs[k + 1];
        return !q.open_mark.empty() && q.close_mark.empty() && n.block == q.block + 1 && n.open_mark == q.open_mark &&
               n.start <= n.open_mark.size() + 1;
    }

    [[nodiscard]] Parser parser(std::size_t b) const {
        return Parser(rules_, lex_, doc_.blocks[b].text, prepared_.blocks[b].tokens);
    }

    void collect_mentions() {
        for (std::size_t b = 0; b < doc_.blocks.size(); ++b) {
            if (doc_.blocks[b].kind == BlockKind::embed) continue;
            const auto& toks = prepared_.blocks[b].tokens;
            const Parser p = parser(b);
            for (std::size_t k = 0; k < toks.size(); ++k) {
                if (toks[k].kind != Token::Kind::word) continue;
                for (std::size_t n = std::min<std::size_t>(6, toks.size() - k); n >= 1; --n) {
                    bool words = true;
                    for (std::size_t x = k; x < k + n; ++x)
                        words = words && toks[x].kind == Token::Kind::word;
                    if (!words) continue;
                    const std::string_view text = std::string_view(doc_.blocks[b].text)
                                                      .substr(toks[k].start, toks[k + n - 1].end - toks[k].start);
                    if (const Outlet* o = lex_.outlets.find(text)) {
                        mentions_.push_back(
                            {static_cast<int>(b), toks[k].start, true, o->name, o->name, std::string(text), ""});
                        k += n - 1;
                        break;
                    }
                }
            }
            for (const auto& s : prepared_.blocks[b].sentences) {
                for (auto shape : {AttributionShape::speaker_verb, AttributionShape::verb_speaker}) {
                    for (const auto& occ : p.find(shape, s.begin, s.end)) {
                        if (occ.speaker.kind != SpeakerKind::name) continue;
                        Mention m{static_cast<int>(b),
                                  toks[occ.speaker.first].start,
                                  false,
                                  p.printed(occ.speaker.first, occ.speaker.last),
                                  "",
                                  "",
                                  ""};
                        m.printed = m.name;
                        m.context = to_lower_ascii(p.printed(s.begin, s.end - 1));
                        if (occ.object && occ.object->outlet != nullptr) m.outlet_name = occ.object->outlet->name;
                        mentions_.push_back(std::move(m));
                    }
                }
            }
        }
        std::stable_sort(mentions_.begin(), mentions_.end(), [](const Mention& a, const Mention& c) {
            return std::tie(a.block, a.pos) < std::tie(c.block, c.pos);
        });
    }

    [[nodiscard]] const Mention* last_mention(bool outlet, int block, std::size_t pos, int min_block = 0) const {
        const Mention* found = nullptr;
        for (const auto& m : mentions_) {
            if (!before(m, block, pos)) break;
            if (m.is_outlet == outlet && m.block >= min_block) found = &m;
        }
        return found;
    }

    // Speaker and outlet named by an occurrence, or nullopt when a reference points at nobody.
    [[nodiscard]] std::optional<Attribution> resolve(const Occurrence& occ, std::size_t b, const Parser& p) const {
        const auto& toks = prepared_.blocks[b].tokens;
        const int bi = static_cast<int>(b);
        Attribution a;
        const SpeakerRef& sp = occ.speaker;
        const std::string printed = p.printed(sp.first, sp.last);
        switch (sp.kind) {
            case SpeakerKind::outlet:
                a.speaker = sp.outlet->name;
                a.outlet = sp.outlet->name;
                break;
            case SpeakerKind::reference: {
                const Mention* m = last_mention(true, bi, toks[sp.first].start);
                if (m == nullptr) return std::nullopt;
                a.speaker = m->name;
                a.outlet = m->name;
                break;
            }
            case SpeakerKind::person_reference: {
                // "the spokesman added": the last person named in a sentence that gave them that role, else the
                // last person named at all.
                const std::string& role = t_lower(toks, sp.last);
                const Mention* m = nullptr;
                const Mention* any = nullptr;
                for (const auto& x : mentions_) {
                    if (!before(x, bi, toks[sp.first].start)) break;
                    if (x.is_outlet) continue;
                    any = &x;
                    if (contains_word(x.context, role)) m = &x;
                }
                if (m == nullptr) m = any;
                if (m == nullptr) return std::nullopt;
                a.speaker = m->name;
                a.outlet = m->outlet_name;
                break;
            }
            case SpeakerKind::pronoun: {
                const Mention* m = last_mention(false, bi, toks[sp.first].start);
                if (m == nullptr) return std::nullopt;
                a.speaker = m->name;
                a.outlet = m->outlet_name;
                break;
            }
            case SpeakerKind::name:
            case SpeakerKind::phrase:
                if (const Outlet* o = lex_.outlets.find(printed)) {
                    a.speaker = o->name;
                    a.outlet = o->name;
                } else {
                    a.speaker = printed;
                }
                break;
        }
        if (occ.object) {
            if (occ.object->outlet != nullptr) {
                a.outlet = occ.object->outlet->name;
            } else if (const Mention* m = last_mention(true, bi, toks[occ.object->first].start)) {
                a.outlet = m->name;
            }
        }
        a.phrase = p.printed(occ.first, occ.last);
        return a;
    }

    [[nodiscard]] bool whole_paragraph(std::size_t b, std::size_t qt) const {
        const auto& toks = prepared_.blocks[b].tokens;
        for (std::size_t k = 0; k < toks.size(); ++k) {
            if (k != qt && toks[k].kind != Token::Kind::punct) return false;
        }
        return true;
    }

    [[nodiscard]] std::optional<Attribution> try_pattern(const AttributionPattern& pat, std::size_t first_q,
                                                         std::size_t last_q) const {
        const Quotation& qf = doc_.quotations[first_q];
        const Quotation& ql = doc_.quotations[last_q];
        const auto fb = static_cast<std::size_t>(qf.block);
        const auto lb = static_cast<std::size_t>(ql.block);
        const std::size_t ft = prepared_.quote_token[first_q];
        const std::size_t lt = prepared_.quote_token[last_q];

        auto pick_last = [&](std::size_t b, std::size_t from, std::size_t to) -> std::optional<Attribution> {
            const Parser p = parser(b);
            auto occs = p.find(pat.shape, from, to);
            for (auto it = occs.rbegin(); it != occs.rend(); ++it) {
                if (auto a = resolve(*it, b, p)) return a;
            }
            return std::nullopt;
        };

        switch (pat.scope) {
            case AttributionScope::after: {
                const auto& toks = prepared_.blocks[lb].tokens;
                const Sentence s = prepared_.blocks[lb].sentences[sentence_of(prepared_.blocks[lb], lt)];
                std::size_t a = lt + 1;
                while (a < s.end && toks[a].kind == Token::Kind::punct && toks[a].lower != "." &&
                       toks[a].lower != ":") {
                    ++a;
                }
                if (a >= s.end) return std::nullopt;
                const Parser p = parser(lb);
                for (const auto& occ : p.find(pat.shape, a, std::min(s.end, a + kWindow))) {
                    if (occ.first != a) continue;
                    if (auto r = resolve(occ, lb, p)) return r;
                }
                return std::nullopt;
            }
            case AttributionScope::before: {
                const auto& toks = prepared_.blocks[fb].tokens;
                const Sentence s = prepared_.blocks[fb].sentences[sentence_of(prepared_.blocks[fb], ft)];
                const Parser p = parser(fb);
                auto occs = p.find(pat.shape, std::max(s.begin, ft > kWindow ? ft - kWindow : 0), ft);
                for (auto it = occs.rbegin(); it != occs.rend(); ++it) {
                    bool adjacent = true;
                    for (std::size_t k = it->last + 1; k < ft; ++k) {
                        adjacent = adjacent && (toks[k].kind == Token::Kind::punct || toks[k].lower == "that");
                    }
                    if (!adjacent) continue;
                    if (auto r = resolve(*it, fb, p)) return r;
                }
                return std::nullopt;
            }
            case AttributionScope::sentence: {
                const Sentence s = prepared_.blocks[fb].sentences[sentence_of(prepared_.blocks[fb], ft)];
                const Parser p = parser(fb);
                auto occs = p.find(pat.shape, std::max(s.begin, ft > kWindow ? ft - kWindow : 0),
                                   std::min(s.end, ft + kWindow));
                std::sort(occs.begin(), occs.end(), [&](const Occurrence& x, const Occurrence& y) {
                    auto dist = [&](const Occurrence& o) { return o.last < ft ? ft - o.last : o.first - ft; };
                    return dist(x) < dist(y);
                });
                for (const auto& occ : occs) {
                    if (auto r = resolve(occ, fb, p)) return r;
                }
                return std::nullopt;
            }
            case AttributionScope::previous_sentence: {
                const std::size_t si = sentence_of(prepared_.blocks[fb], ft);
                if (si == 0) return std::nullopt;
                const Sentence s = prepared_.blocks[fb].sentences[si - 1];
                return pick_last(fb, s.begin, s.end);
            }
            case AttributionScope::intro: {
                if (fb == 0) return std::nullopt;
                const std::size_t ib = fb - 1;
                if (doc_.blocks[ib].kind == BlockKind::embed || !prepared_.blocks[ib].ends_with_colon)
                    return std::nullopt;
                if (prepared_.blocks[ib].sentences.empty()) return std::nullopt;
                const Sentence s = prepared_.blocks[ib].sentences.back();
                if (auto a = pick_last(ib, s.begin, s.end)) return a;
                return pick_last(ib, 0, prepared_.blocks[ib].tokens.size());
            }
            case AttributionScope::context: {
                if (pat.shape != AttributionShape::last_outlet || !whole_paragraph(fb, ft)) return std::nullopt;
                const int min_block = qf.block - rules_.context_blocks;
                const Mention* m = last_mention(true, qf.block, qf.start, min_block);
                if (m == nullptr) return std::nullopt;
                return Attribution{m->name, m->name, m->printed, {}};
            }
        }
        return std::nullopt;
    }

    [[nodiscard]] Attribution attribute_group(std::size_t first_q, std::size_t last_q) const {
        const Quotation& q = doc_.quotations[first_q];
        if (q.block < 0 || static_cast<std::size_t>(q.block) >= prepared_.blocks.size() ||
            doc_.quotations[last_q].block < 0 || prepared_.blocks[static_cast<std::size_t>(q.block)].tokens.empty() ||
            prepared_.quote_token[first_q] == no_token || prepared_.quote_token[last_q] == no_token) {
            return {};
        }
        for (const auto& pat : rules_.patterns) {
            if (auto a = try_pattern(pat, first_q, last_q)) {
                a->rule = pat.id;
                return *a;
            }
        }
        return {};
    }

    // The block's links, in order, up to max_linked_urls in all: the links of the article are indexed by block
    // once, so that each claim reads only those of its own blocks.
    void add_links(std::vector<std::string>& out, int block, std::string_view skip = {}) const {
        if (block < 0 || static_cast<std::size_t>(block) >= links_in_block_.size()) return;
        for (const std::size_t k : links_in_block_[static_cast<std::size_t>(block)]) {
            if (out.size() >= max_linked_urls) return;
            const Link& l = doc_.links[k];
            if (l.url.empty() || !is_http_url(l.url) || l.url == skip) continue;
            if (std::find(out.begin(), out.end(), l.url) == out.end()) out.push_back(l.url);
        }
    }

    [[nodiscard]] Claim make_claim(const Quotation& q, const Quotation& opening, const Attribution& a) const {
        Claim c;
        c.kind = q.words <= rules_.partial_max_words ? ClaimKind::partial_quote : ClaimKind::quote;
        c.quote = q.text;
        c.block = q.block;
        c.start = q.start;
        c.end = q.end;
        c.speaker = a.speaker;
        c.outlet = a.outlet;
        c.attribution = a.phrase;
        c.rule = a.rule;
        c.id = claim_id(doc_.url, q.block, q.text);
        add_links(c.linked_urls, q.block);
        if (opening.block != q.block) add_links(c.linked_urls, opening.block);
        const int intro = opening.block - 1;
        if (intro >= 0 && static_cast<std::size_t>(intro) < prepared_.blocks.size() &&
            prepared_.blocks[static_cast<std::size_t>(intro)].ends_with_colon) {
            add_links(c.linked_urls, intro);
        }
        return c;
    }

    [[nodiscard]] Claim embed_claim(const Embed& e) const {
        Claim c;
        c.kind = ClaimKind::embed;
        c.quote = e.text;
        c.block = e.block;
        c.start = 0;
        c.end = e.text.size();
        c.speaker = e.handle.empty() ? e.author : e.handle;
        const auto parts = parse_url(e.status_url);
        c.outlet = parts && host_in_domain(parts->host, "x.com") ? "X" : "Twitter";
        c.attribution = e.handle.empty() ? e.author : (e.author.empty() ? e.handle : e.author + " (" + e.handle + ")");
        c.rule = rules_.embed_rule;
        c.embed_status_url = e.status_url;
        c.id = claim_id(doc_.url, e.block, e.text);
        add_links(c.linked_urls, e.block, e.status_url);
        return c;
    }

    const Document& doc_;
    const AttributionRules& rules_;
    Lexicon lex_;
    std::vector<std::vector<std::size_t>> links_in_block_;  // indexes into doc_.links, by block
    PreparedBlocks prepared_;                               // tokens and sentences of the blocks (tokenize.hpp)
    std::vector<Mention> mentions_;
};

}  // namespace

}  // namespace attribute::detail

std::string claim_id(std::string_view url, int block, std::string_view quote) {
    std::string material(url);
    material += '\n';
    material += std::to_string(block);
    material += '\n';
    material += quote;
    return sha256_hex(material).substr(0, 16);
}

std::vector<Claim> attribute_claims(const Document& doc, const RuleSet& rules, const AttributionRules& attribution) {
    attribute::detail::Attributor a(doc, rules, attribution);
    return a.run();
}

Result<std::vector<Claim>> attribute_claims(const Document& doc, const RuleSet& rules) {
    auto loaded = load_attribution_rules(rules);
    if (!loaded) return std::unexpected(loaded.error());
    return attribute_claims(doc, rules, *loaded);
}

}  // namespace provcheck
