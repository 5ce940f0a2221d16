#include "attribute/attribute.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "attribute/attribution_rules.hpp"
#include "attribute/patterns.hpp"
#include "attribute/resolve.hpp"
#include "attribute/tokenize.hpp"
#include "core/hash.hpp"
#include "core/url.hpp"
#include "extract/prune.hpp"
#include "extract/quotes.hpp"
#include "extract/utf8.hpp"

namespace provcheck {

namespace attribute::detail {

namespace {

class Attributor {
public:
    Attributor(const Document& doc, const AttributionRules& rules, const Lexicon& lex)
        : doc_(doc),
          rules_(rules),
          lex_(lex),
          prepared_(prepare_blocks(doc, rules)),
          resolver_(doc, rules, lex_, prepared_.blocks) {
        links_in_block_.resize(doc_.blocks.size());
        for (std::size_t k = 0; k < doc_.links.size(); ++k) {
            const int b = doc_.links[k].block;
            if (b >= 0 && static_cast<std::size_t>(b) < links_in_block_.size()) {
                links_in_block_[static_cast<std::size_t>(b)].push_back(k);
            }
        }
        for (const auto& b : doc_.blocks) {
            if (b.credit_of >= 0) credited_groups_.insert(b.credit_of);
        }
        quoted_block_.assign(doc_.blocks.size(), false);
        for (const auto& q : doc_.quotations) {
            const int last = std::max(q.block, q.last_block);
            for (int b = std::max(q.block, 0); b <= last && static_cast<std::size_t>(b) < quoted_block_.size(); ++b)
                quoted_block_[static_cast<std::size_t>(b)] = true;
        }
    }
    Attributor(const Attributor&) = delete;
    Attributor& operator=(const Attributor&) = delete;

    std::vector<Claim> run() {
        std::vector<Claim> claims;
        const auto& qs = doc_.quotations;
        std::size_t i = 0;
        while (i < qs.size()) {
            // A quotation over several paragraphs is one claim, up to max_run_words: past them the next paragraph
            // starts a claim of its own (continuing the speaker), so that a long excerpt is checked in parts.
            std::size_t last = i;
            std::size_t words = qs[i].words;
            while (continues(last) && words + qs[last + 1].words <= rules_.max_run_words) {
                ++last;
                words += qs[last].words;
            }
            // (The writer's own words, "I remember thinking: “…”", are no one's the article names.)
            const Attribution a =
                i == last && writers_words(i) ? Attribution{} : speaker_of_run(i, last, words, claims);
            if (i != last) {
                // One quotation over several paragraphs; a few words no one is said to have said are none.
                if (!(a.speaker.empty() && too_few_words(words))) claims.push_back(make_claim(i, last, a));
            } else if (!(a.speaker.empty() && term_like(qs[i])) && !title_like(qs[i]) && !named_term(qs[i]) &&
                       !capitalised_name(qs[i]) && !link_item(qs[i].block) && !headline_link(qs[i].block)) {
                // (Marks in a list item that is a link and little else are the headline of another page: "‘IDB
                // warns Guyana against wild spending’" under a story.)
                claims.push_back(make_claim(i, i, a));
            }
            i = last + 1;
        }
        pull_quotes(claims);
        drop_layout_copies(claims);
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
    // The words of an attribution, in lower case, letters and digits only.
    [[nodiscard]] static std::vector<std::string> phrase_words(std::string_view phrase) {
        std::vector<std::string> out;
        std::string w;
        for (const char ch : phrase) {
            const auto u = static_cast<unsigned char>(ch);
            if (std::isalnum(u) != 0 || u >= 0x80 || ch == '-') {
                w += static_cast<char>(std::tolower(u));
            } else if (!w.empty()) {
                out.push_back(std::move(w));
                w.clear();
            }
        }
        if (!w.empty()) out.push_back(std::move(w));
        return out;
    }

    // An attribution opening with "it" ("it concludes", "It also alleges").
    [[nodiscard]] static bool opens_with_it(std::string_view phrase) {
        const auto w = phrase_words(phrase);
        return !w.empty() && w.front() == "it";
    }

    // `phrase` is a document going on ("the statement continued": a document reference, then one of going_on_verbs)
    // that the attribution `before` named too ("The statement, which was obtained by Variety, claimed").
    [[nodiscard]] bool same_document_goes_on(std::string_view phrase, std::string_view before) const {
        if (!document_reference(phrase)) return false;
        const auto w = phrase_words(phrase);
        if (w.size() < 3 || w.size() > 4) return false;
        const std::string tail = w.size() == 4 ? w[2] + " " + w[3] : w[2];
        if (!contains(rules_.going_on_verbs, tail)) return false;
        const auto b = phrase_words(before);
        return std::find(b.begin(), b.end(), w[1]) != b.end();
    }

    // An attribution opening with a document or an outlet the rules' reference_words name ("The report, published
    // on Monday …, says", "the lawsuit says"), not with "it" nor with a body ("the centre", "the company").
    [[nodiscard]] bool document_reference(std::string_view phrase) const {
        const auto w = phrase_words(phrase);
        for (const auto& seq : rules_.reference_words) {
            if (seq.size() < 2 || seq.size() > w.size() || !std::equal(seq.begin(), seq.end(), w.begin())) continue;
            // A document, not a body ("the centre", "the company").
            if (contains(rules_.organisation_words, seq.back())) continue;
            if (std::find(rules_.subject_references.begin(), rules_.subject_references.end(), seq) !=
                rules_.subject_references.end()) {
                continue;
            }
            return true;
        }
        return false;
    }

    // A page that prints its story twice, for two layouts (a feature's desktop and mobile copies), prints each
    // quotation twice: a later claim with the same words in a paragraph printed the same, next to a paragraph
    // printed the same as the first copy's neighbour, is that copy and goes. A pull quote set apart from its
    // paragraph is not printed the same, nor are its neighbours.
    void drop_layout_copies(std::vector<Claim>& claims) const {
        if (claims.size() < 2) return;
        // Paragraphs compare by a digest of their text and its length, each read once: a hostile page of many long
        // paragraphs holding many quotations costs no more than reading it.
        const std::size_t n = doc_.blocks.size();
        std::vector<std::pair<std::size_t, std::size_t>> digest(n);
        for (std::size_t b = 0; b < n; ++b)
            digest[b] = {std::hash<std::string_view>{}(doc_.blocks[b].text), doc_.blocks[b].text.size()};
        auto same = [&](int x, int y) {
            if (x < 0 || y < 0 || static_cast<std::size_t>(x) >= n || static_cast<std::size_t>(y) >= n) return false;
            const auto& dx = digest[static_cast<std::size_t>(x)];
            return dx.second > 0 && dx == digest[static_cast<std::size_t>(y)];
        };
        std::unordered_map<std::string, std::size_t> first;  // quotation and its paragraph's digest -> first claim
        std::vector<bool> copy(claims.size(), false);
        for (std::size_t i = 0; i < claims.size(); ++i) {
            const Claim& c = claims[i];
            if (c.kind == ClaimKind::embed || c.block < 0 || static_cast<std::size_t>(c.block) >= n) continue;
            const auto& d = digest[static_cast<std::size_t>(c.block)];
            std::string key = c.quote;
            key += '\0';
            key += std::to_string(d.first);
            key += ':';
            key += std::to_string(d.second);
            const auto [it, fresh] = first.try_emplace(std::move(key), i);
            if (fresh) continue;
            const Claim& e = claims[it->second];
            if (e.block == c.block) continue;
            copy[i] = same(c.block - 1, e.block - 1) || same(c.block + 1, e.block + 1);
        }
        std::size_t kept = 0;
        for (std::size_t i = 0; i < claims.size(); ++i) {
            if (copy[i]) continue;
            if (kept != i) claims[kept] = std::move(claims[i]);
            ++kept;
        }
        claims.resize(kept);
    }

    // A pull quote: a paragraph that is nothing but a quotation, whose words the article prints again inside a
    // quotation of another paragraph ("‘It is impossible to overstate the magnitude of this ruling.’" set between
    // paragraphs, then "Bolger’s lawyer, Jeremy Robinson, had a more succinct statement. “It is impossible …”").
    // It has no attribution of its own; the speaker is the other quotation's.
    void pull_quotes(std::vector<Claim>& claims) const {
        constexpr std::size_t kMinWords = 5;
        constexpr std::size_t kMaxClaims = 2000;  // pairs are compared: a hostile page may hold many quotations
        if (claims.size() > kMaxClaims) return;
        // Letters and digits in lower case, every other run one space.
        auto plain = [](std::string_view text) {
            std::string out;
            bool space = true;
            for (const char ch : text) {
                const auto u = static_cast<unsigned char>(ch);
                if (std::isalnum(u) != 0 || u >= 0x80) {
                    out += static_cast<char>(std::tolower(u));
                    space = false;
                } else if (!space) {
                    out += ' ';
                    space = true;
                }
            }
            while (!out.empty() && out.back() == ' ')
                out.pop_back();
            return out;
        };
        auto alone = [&](const Claim& c) {
            if (c.kind == ClaimKind::embed || c.block < 0 || (c.last_block >= 0 && c.last_block != c.block))
                return false;
            constexpr std::size_t kMarks = 4;  // an opening or closing mark and a space
            const std::string& text = doc_.blocks[static_cast<std::size_t>(c.block)].text;
            return c.start <= kMarks && c.end + kMarks >= text.size();
        };
        std::vector<std::string> texts;
        texts.reserve(claims.size());
        for (const auto& c : claims)
            texts.push_back(plain(c.quote));
        for (std::size_t i = 0; i < claims.size(); ++i) {
            Claim& c = claims[i];
            if (!alone(c) || count_words(c.quote) < kMinWords) continue;
            for (std::size_t j = 0; j < claims.size(); ++j) {
                const Claim& o = claims[j];
                if (j == i || o.block == c.block || o.speaker.empty() || alone(o) || o.kind == ClaimKind::embed)
                    continue;
                if (texts[j].find(texts[i]) == std::string::npos) continue;
                c.speaker = o.speaker;
                c.outlet = o.outlet;
                c.speaker_inferred = o.speaker_inferred;
                c.attribution = o.attribution;
                c.rule = rules_.continuation_rule;
                break;
            }
        }
    }

    // "«…», afirmó de entrada el comunicador." then "Y en ese sentido, agregó: «…»": in a language that drops a verb's
    // subject (rules' prodrop_tag_languages), a verb of saying alone goes on with the speaker of the quotation
    // before (a whole one, no term or partial), in this paragraph or the one before, when no one else has been named
    // since it (inside its words is no naming); the person named last (whom `a`, read as a pronoun, names) may be
    // someone the words were about.
    [[nodiscard]] Attribution dropped_subject_goes_on(Attribution a, const Claim& before, std::size_t qi) const {
        constexpr std::size_t kMaxVerbWords = 3;
        const Quotation& q = doc_.quotations[qi];
        const int before_ends = before.last_block >= 0 ? before.last_block : before.block;
        if (!contains(rules_.prodrop_tag_languages, language_code(doc_.language)) || before.speaker.empty() ||
            before.kind != ClaimKind::quote || before.block < 0 || q.block < before_ends || q.block > before_ends + 1 ||
            a.speaker == before.speaker) {
            return a;
        }
        // (The same person, named in full where the quotation before gives the surname: the full name stays.)
        if (a.speaker.size() > before.speaker.size() && a.speaker.ends_with(" " + before.speaker)) return a;
        // The phrase is the verb alone, in lower case, an adverb or two after it at most ("agregó", "dijo luego").
        if (utf8::to_lower(a.phrase) != a.phrase) return a;
        const auto words = phrase_words(a.phrase);
        if (words.empty() || words.size() > kMaxVerbWords || contains(rules_.pronouns, words.front())) return a;
        for (std::size_t k = 1; k < words.size(); ++k) {
            if (!contains(rules_.post_verb_adverbs, words[k])) return a;
        }
        const Mention* m = resolver_.last_mention(false, q.block, q.start, before.block, Gender::unknown, false);
        if (m != nullptr && std::tie(m->block, m->pos) >= std::tie(before_ends, before.end) &&
            m->name != before.speaker) {
            return a;
        }
        speaker_of(before, a);
        return a;
    }

    // The speaker of claim `before` going on to a quotation after it: inferred if it was.
    [[nodiscard]] Attribution continuing(const Claim& before) const {
        Attribution a{{}, {}, before.attribution, rules_.continuation_rule};
        speaker_of(before, a);
        return a;
    }
    // Attribution `a` gets the speaker (and outlet) of claim `before`, inferred if it was; its phrase and rule stay.
    static void speaker_of(const Claim& before, Attribution& a) {
        a.speaker = before.speaker;
        a.outlet = before.outlet;
        a.inferred = before.speaker_inferred;
    }

    // A quotation with no attribution of its own that continues the speaker of the quotation before it: later in
    // the same paragraph ("“…,” Lladanosa says. But … “Every time it’s something different.”"), or opening the
    // next paragraph. A fragment of a few words is not taken for a continuation (it is more often a scare quote).
    // `sentence_paragraph`: the quotation is a paragraph of its own and a whole sentence ("“We lost everything.”").
    [[nodiscard]] Attribution continued(const Claim& before, const Quotation& first, const Quotation& last,
                                        std::size_t words, bool sentence_paragraph) const {
        if (rules_.continuation_rule.empty() || before.speaker.empty() || before.kind == ClaimKind::embed) return {};
        // A few words within one paragraph, or set off without marks ("Menu", "Home" in a blockquote), go on no one;
        // unless they are a sentence of their own right after the quotation before and its tag ("„Ich trete
        // zurück“, sagte Klaus Becker am Abend. „Mit sofortiger Wirkung.“"), or a sentence that is a paragraph of its
        // own right after theirs ("“…,” said Ana Diaz." then "“We lost everything.”").
        if (words <= rules_.partial_max_words && (first.block == last.block || first.open_mark.empty()) &&
            !(first.block == before.block && (sentence_after(before, first) || reported_after(before, first))) &&
            !sentence_paragraph) {
            return {};
        }
        const int before_ends = before.last_block >= 0 ? before.last_block : before.block;
        const bool same_paragraph = before_ends == first.block;
        const bool opens_next = adjacent(before_ends, first.block) &&
                                (first.start <= first.open_mark.size() + 1 || colon_intro_naming_no_one(first));
        if (!same_paragraph && !opens_next) return {};
        return continuing(before);
    }

    // Quotation `q` follows a short clause opening its paragraph and ending with a colon, which points back with one
    // of the rules' continuing_openers, names no one and says no one speaks ("That process led to a realization:
    // “…”", "The answer was simple: “…”"): the words go on from the paragraph before as if they opened the
    // paragraph. Not "En redes sociales circula un mensaje anónimo: “…”": a message of its own.
    [[nodiscard]] bool colon_intro_naming_no_one(const Quotation& q) const {
        constexpr std::size_t kMaxWords = 12;
        if (q.block < 0 || q.open_mark.empty()) return false;
        const auto qi = static_cast<std::size_t>(&q - doc_.quotations.data());  // q is one of doc_.quotations
        const std::size_t qt = prepared_.quote_token[qi];
        const BlockInfo& info = prepared_.blocks[static_cast<std::size_t>(q.block)];
        const auto& toks = info.tokens;
        if (qt == no_token || qt < 2 || toks[qt - 1].kind != Token::Kind::punct || toks[qt - 1].lower != ":" ||
            sentence_of(info, qt - 1) != 0) {
            return false;
        }
        const std::size_t opener = first_word(toks, 0, qt);
        if (opener >= qt || !contains(rules_.continuing_openers, toks[opener].lower)) return false;
        std::size_t words = 0;
        const Parser p = parser(static_cast<std::size_t>(q.block));
        for (std::size_t k = 0; k + 1 < qt; ++k) {
            if (toks[k].kind == Token::Kind::quote || toks[k].quotation >= 0) return false;
            if (toks[k].kind != Token::Kind::word) continue;
            if (++words > kMaxWords || p.speech_verb_at(k, qt) || contains(rules_.pronouns, toks[k].lower))
                return false;
        }
        if (const Mention* m = resolver_.last_mention(false, q.block, q.start, q.block); m && m->block == q.block)
            return false;
        const Mention* body = resolver_.last_body(q.block, q.start);
        return body == nullptr || body->block != q.block;
    }

    // Quotation `q` is a whole sentence (its text ends with . ! or ?) opening the sentence right after the one where
    // claim `before` ends, in the same block.
    [[nodiscard]] bool sentence_after(const Claim& before, const Quotation& q) const {
        if (q.block < 0 || q.text.empty() || q.open_mark.empty()) return false;
        const char end = q.text.back();
        if (end != '.' && end != '!' && end != '?') return false;
        const auto b = static_cast<std::size_t>(q.block);
        const BlockInfo& info = prepared_.blocks[b];
        const auto qi = static_cast<std::size_t>(&q - doc_.quotations.data());  // q is one of doc_.quotations
        const std::size_t qt = prepared_.quote_token[qi];
        if (qt == no_token) return false;
        const std::size_t si = sentence_of(info, qt);
        if (si == 0 || info.sentences[si].begin != qt) return false;
        const Sentence& prev = info.sentences[si - 1];
        return prev.begin < info.tokens.size() && info.tokens[prev.begin].start <= before.end &&
               before.end <= info.tokens[prev.end - 1].end;
    }

    // Sentence `si` of `info` reports speech by its verb's mood (rules' reported_speech_verbs, outside the marks).
    [[nodiscard]] bool reports_speech(const BlockInfo& info, std::size_t si) const {
        if (rules_.reported_speech_verbs.empty() || si >= info.sentences.size()) return false;
        const Sentence& s = info.sentences[si];
        for (std::size_t k = s.begin; k < s.end && k < info.tokens.size(); ++k) {
            const Token& t = info.tokens[k];
            if (t.kind == Token::Kind::word && t.quotation < 0 && contains(rules_.reported_speech_verbs, t.lower))
                return true;
        }
        return false;
    }

    // Quotation `q` stands in the sentence right after the one where claim `before` ends, in the same block, and
    // that sentence reports speech by its verb's mood (rules' reported_speech_verbs, outside the marks: "Die Tat sei
    // „kaltblütig geplant“ gewesen.").
    [[nodiscard]] bool reported_after(const Claim& before, const Quotation& q) const {
        if (q.block < 0 || rules_.reported_speech_verbs.empty()) return false;
        const BlockInfo& info = prepared_.blocks[static_cast<std::size_t>(q.block)];
        const auto qi = static_cast<std::size_t>(&q - doc_.quotations.data());  // q is one of doc_.quotations
        const std::size_t qt = prepared_.quote_token[qi];
        if (qt == no_token) return false;
        const std::size_t si = sentence_of(info, qt);
        if (si == 0) return false;
        const Sentence& prev = info.sentences[si - 1];
        if (prev.begin >= info.tokens.size() || info.tokens[prev.begin].start > before.end ||
            before.end > info.tokens[prev.end - 1].end) {
            return false;
        }
        return reports_speech(info, si);
    }

    // A paragraph of four words or fewer with no sentence in it: a label set in the text ("whale strandings", a
    // topic link), not narrative.
    [[nodiscard]] static bool label(const Block& b) {
        if (b.kind != BlockKind::paragraph || b.text.find_first_of(".!?") != std::string::npos) return false;
        return count_words(b.text) <= 4;
    }

    // A paragraph of a few words that ends with no sentence's punctuation, as a photo's caption set between the
    // paragraphs of the text does ("China has warned they will cease control of Hong Kong").
    [[nodiscard]] static bool caption_like(const Block& b) {
        constexpr std::size_t kMaxCaptionWords = 20;
        if (b.kind != BlockKind::paragraph || b.text.empty()) return false;
        for (std::string_view end : {".", "!", "?", ":", ";", ",", "\u201D", "\"", "\u2019", "\u00BB", "\u2026"}) {
            if (b.text.ends_with(end)) return false;
        }
        return count_words(b.text) <= kMaxCaptionWords;
    }

    // Paragraph `to` follows paragraph `from` with only up to two caption-like paragraphs between them, which hold
    // no quotation: a quotation left open goes on across a photo's caption.
    [[nodiscard]] bool captions_between(int from, int to) const {
        constexpr int kMaxBetween = 2;
        if (from < 0 || to <= from + 1 || to - from - 1 > kMaxBetween) return false;
        for (int b = from + 1; b < to; ++b) {
            if (!caption_like(doc_.blocks[static_cast<std::size_t>(b)]) || quoted_block_[static_cast<std::size_t>(b)])
                return false;
        }
        return true;
    }

    // Paragraph `to` follows paragraph `from`, with nothing between them but up to two list items, embedded posts or
    // labels that hold no quotation: a picture's caption, a tweet or a topic link set between two paragraphs of one
    // speaker's words.
    [[nodiscard]] bool adjacent(int from, int to) const {
        constexpr int kMaxBetween = 2;
        if (from < 0 || to <= from || to - from - 1 > kMaxBetween) return false;
        for (int b = from + 1; b < to; ++b) {
            const Block& between = doc_.blocks[static_cast<std::size_t>(b)];
            const BlockKind k = between.kind;
            if ((k != BlockKind::list_item && k != BlockKind::embed && !label(between)) ||
                quoted_block_[static_cast<std::size_t>(b)]) {
                return false;
            }
        }
        return true;
    }

    // A block quotation whose words are all quotation, with a credit line (a <footer>, a closing <cite> or <small>,
    // its figure's <figcaption>: Block::credit_of): whoever the credit names ("— Margaret Olsen, Riverside",
    // "François Héran", "A GOP operative in the state"); a credit with no name the Parser reads, its words up to the
    // first comma ("Letter from a reader, April 2024"). Quotations inside a block of prose keep their own
    // attribution: "<blockquote>“We will fight,” the minister said.<footer>BBC</footer></blockquote>" is hers.
    [[nodiscard]] Attribution block_credit(std::size_t first_q, std::size_t last_q) const {
        constexpr std::size_t kMaxCreditWords = 12;
        constexpr std::size_t kMaxPlainCreditWords = 8;
        if (rules_.credit_rule.empty()) return {};
        for (std::size_t k = first_q; k <= last_q; ++k) {
            const Quotation& q = doc_.quotations[k];
            if (q.block < 0) return {};
            const auto b = static_cast<std::size_t>(q.block);
            const std::size_t end = q.last_block > q.block ? static_cast<std::size_t>(q.last_block) : b;
            const bool whole = (q.start == 0 && q.end == doc_.blocks[end].text.size() && end == b) ||
                               (prepared_.quote_token[k] != no_token &&
                                whole_paragraph(prepared_.blocks[b], prepared_.quote_token[k]));
            if (!whole && !(q.start == 0 && q.block != q.last_block && q.last_block >= 0)) return {};
        }
        const Quotation& l = doc_.quotations[last_q];
        const auto lb = static_cast<std::size_t>(std::max(l.block, l.last_block));
        const int g = doc_.blocks[lb].quote_group;
        if (g < 0) return {};
        std::size_t cb = lb + 1;
        while (cb < doc_.blocks.size() && doc_.blocks[cb].credit_of != g && doc_.blocks[cb].quote_group == g)
            ++cb;
        if (cb >= doc_.blocks.size()) return {};
        // Or a paragraph right after the block quotation that is a name and what they are, and nothing more: "Tim
        // Thabe, CEO von creditshelf" under a release's quoted statement.
        const bool signed_after = doc_.blocks[cb].credit_of != g && name_and_role(cb);
        if (doc_.blocks[cb].credit_of != g && !signed_after) return {};
        const BlockInfo& info = prepared_.blocks[cb];
        const auto& toks = info.tokens;
        std::size_t a = 0;
        while (a < toks.size() && toks[a].kind == Token::Kind::punct)
            ++a;
        if (a >= toks.size() || count_words(doc_.blocks[cb].text) > kMaxCreditWords) return {};
        // Who: the words up to the first comma or parenthesis ("— Margaret Olsen, Riverside"), a name when they are
        // one, else as printed ("A GOP operative in the state").
        std::size_t e = a;
        while (e < toks.size() &&
               !(toks[e].kind == Token::Kind::punct && (toks[e].lower == "," || toks[e].lower == "(")))
            ++e;
        while (e > a && toks[e - 1].kind == Token::Kind::punct)
            --e;
        if (e == a) return {};
        const Parser p = parser(cb);
        if (const auto sp = p.subject(a, e); sp && sp->first == a && sp->last + 1 == e && !sp->possessive) {
            if (auto r = resolver_.resolve(Occurrence{a, sp->last, *sp, std::nullopt}, cb, p);
                r && !r->speaker.empty()) {
                r->rule = rules_.credit_rule;
                return *r;
            }
        }
        if (signed_after) return {};
        const std::string credit = doc_.blocks[cb].text.substr(toks[a].start, toks[e - 1].end - toks[a].start);
        if (count_words(credit) > kMaxPlainCreditWords) return {};
        return Attribution{credit, "", credit, rules_.credit_rule};
    }

    // Block b, a paragraph, is a person's name, a comma and what they are, in a few words with no verb of saying and
    // no full stop at the end ("Tim Thabe, CEO von creditshelf", "Dr Amara Osei, Chief Medical Officer"); not a
    // photo's credit ("Leena Simon, CC-BY-SA 4.0").
    [[nodiscard]] bool name_and_role(std::size_t b) const {
        constexpr std::size_t kMaxWords = 12;
        const Block& block = doc_.blocks[b];
        if (block.kind != BlockKind::paragraph || quoted_block_[b] || count_words(block.text) > kMaxWords ||
            resolver_.credit_line(block.text)) {
            return false;
        }
        const auto& toks = prepared_.blocks[b].tokens;
        if (toks.size() < 4 || toks.front().kind != Token::Kind::word) return false;
        const Token& end = toks.back();
        if (end.kind == Token::Kind::punct &&
            (end.lower == "." || end.lower == ":" || end.lower == "!" || end.lower == "?" || end.lower == ";")) {
            return false;
        }
        std::size_t comma = 0;
        while (comma < toks.size() && !(toks[comma].kind == Token::Kind::punct && toks[comma].lower == ","))
            ++comma;
        if (comma < 2 || comma + 1 >= toks.size()) return false;
        if (holds_speech_verb(b)) return false;
        const Parser p = parser(b);
        const auto sp = p.subject(0, comma);
        return sp && sp->kind == SpeakerKind::name && sp->first == 0 && sp->last + 1 == comma && !sp->possessive;
    }

    // Who speaks the quotations i..last (one claim), `words` long, after the claims made so far: the patterns and the
    // paragraph-level readings in turn, the first that names someone.
    // (Not const: ideographic remembers the last name it read.)
    [[nodiscard]] Attribution speaker_of_run(std::size_t i, std::size_t last, std::size_t words,
                                             const std::vector<Claim>& claims) {
        const auto& qs = doc_.quotations;
        Attribution a = block_credit(i, last);
        if (a.speaker.empty()) {
            a = attribute_group(i, last, Pass::words);
            if (!a.speaker.empty() && !claims.empty()) a = dropped_subject_goes_on(std::move(a), claims.back(), i);
        }
        if (a.speaker.empty() && i == last) a = possessive_intro(i);
        if (a.speaker.empty() && i == last) a = owned_saying(i);
        if (a.speaker.empty()) a = ideographic(qs[i], qs[last]);
        if (a.speaker.empty()) a = named_after(i, last);
        if (a.speaker.empty()) a = words_pointed_back(last);
        // A name and a colon right before the words say who speaks, over anyone the paragraph quoted before
        // ("… Oliver Frankenbach: „…“ … Sportdirektor Bruno Hübner: „…“" in one paragraph of a release).
        if (a.speaker.empty() && i == last) a = labelled(i);
        if (a.speaker.empty()) {
            // A paragraph that is all quotation: the outlet named last if it was named after the quotation
            // before (an excerpt it introduces), else the speaker of that quotation, continued.
            const Attribution named = attribute_group(i, last, Pass::context);
            const bool sentence_paragraph =
                i == last && qs[i].block >= 0 && prepared_.quote_token[i] != no_token &&
                whole_paragraph(prepared_.blocks[static_cast<std::size_t>(qs[i].block)], prepared_.quote_token[i]) &&
                ends_sentence_inside(qs[i]);
            const Attribution goes_on =
                claims.empty() ? Attribution{} : continued(claims.back(), qs[i], qs[last], words, sentence_paragraph);
            // Not the outlet the quotation before was told to ("“…,” owner Henrik Sørensen told Reuters." then
            // "“The orders are gone.”"): its speaker goes on. An excerpt after it, set off without marks or
            // running over paragraphs, is the outlet's text (the seed's two paragraphs of the Times after
            // "“…,” Gershon Baskin … told NYT.").
            const bool told_before =
                !claims.empty() && !goes_on.speaker.empty() && !qs[i].open_mark.empty() && i == last &&
                claims.back().outlet == named.speaker && claims.back().speaker != named.speaker &&
                named.named_block == (claims.back().last_block >= 0 ? claims.back().last_block : claims.back().block);
            const bool named_since = !named.speaker.empty() && !told_before &&
                                     (claims.empty() || std::tie(named.named_block, named.named_at) >
                                                            std::tie(claims.back().block, claims.back().start));
            a = named_since || goes_on.speaker.empty() ? named : goes_on;
        }
        if (a.speaker.empty()) a = introduced(i, last);
        if (a.speaker.empty() && i == last) a = introduced_in_paragraph(i);
        if (a.speaker.empty() && !claims.empty()) a = resumed(claims.back(), qs[i], words);
        if (a.speaker.empty() && i == last) a = after_subject(i);
        if (a.speaker.empty() && i == last) a = introduced_by_appositive(i);
        if (a.speaker.empty() && i == last) a = reported_subject(i);
        if (a.speaker.empty()) a = attribute_group(i, last, Pass::last_resort);
        // "The report, published on Monday in the journal Brain Health, says … “…,” it concludes.": "it" goes on
        // the document the quotation before was the words of, in this paragraph.
        if (!claims.empty() && opens_with_it(a.phrase) && document_reference(claims.back().attribution) &&
            claims.back().block == qs[i].block && !claims.back().speaker.empty()) {
            speaker_of(claims.back(), a);
        }
        // "“…,” the statement read." then "“…,” the statement continued.": the same document goes on.
        if (!claims.empty() && !claims.back().speaker.empty() && qs[i].block >= claims.back().block &&
            qs[i].block <= (claims.back().last_block >= 0 ? claims.back().last_block : claims.back().block) + 1 &&
            same_document_goes_on(a.phrase, claims.back().attribution)) {
            speaker_of(claims.back(), a);
        }
        return a;
    }

    // The writer introduces quotation qi as their own words or thoughts: right before its marks, one of rules'
    // first_person_pronouns ("I" in capitals) as the subject of at most kMaxWords words in lower case, then a colon
    // ("I remember thinking: “…”", "We asked him: “…”"), or a comma after words holding a speech verb ("I said, “…”").
    [[nodiscard]] bool writers_words(std::size_t qi) const {
        constexpr std::size_t kMaxWords = 3;
        const Quotation& q = doc_.quotations[qi];
        const std::size_t qt = prepared_.quote_token[qi];
        if (rules_.first_person_pronouns.empty() || q.block < 0 || qt == no_token || qt < 3) return false;
        const auto b = static_cast<std::size_t>(q.block);
        const auto& toks = prepared_.blocks[b].tokens;
        const Token& mark = toks[qt - 1];
        if (mark.kind != Token::Kind::punct || (mark.lower != ":" && mark.lower != ",")) return false;
        const Parser p = parser(b);
        bool spoke = false;
        for (std::size_t n = 1; n <= kMaxWords && n + 1 < qt; ++n) {
            const Token& w = toks[qt - 1 - n];
            if (w.kind != Token::Kind::word || w.capital || w.quotation >= 0) return false;
            spoke = spoke || p.speech_verb_at(qt - 1 - n, qt - 1);
            const Token& subject = toks[qt - 2 - n];
            if (subject.kind != Token::Kind::word || subject.quotation >= 0 ||
                !contains(rules_.first_person_pronouns, subject.lower) || (subject.lower == "i" && !subject.capital)) {
                continue;
            }
            return mark.lower == ":" || spoke;
        }
        return false;
    }

    // Paragraph `b` leads into words printed after it: it ends with a colon, or a verb of saying is in it.
    [[nodiscard]] bool introduces_words(std::size_t b) const {
        return prepared_.blocks[b].ends_with_colon || holds_speech_verb(b);
    }

    // A verb of saying is somewhere in block b.
    [[nodiscard]] bool holds_speech_verb(std::size_t b) const {
        const auto& toks = prepared_.blocks[b].tokens;
        const Parser p = parser(b);
        for (std::size_t k = 0; k < toks.size(); ++k) {
            if (toks[k].kind == Token::Kind::word && p.speech_verb_at(k, toks.size())) return true;
        }
        return false;
    }

    // A paragraph that is all quotation, after a paragraph with no quotation that names someone: the person or
    // organisation named last there ("Nadia Rahman founded the clinic in 2009." then "“We see patients from
    // four districts now.”"), as a continuation.
    [[nodiscard]] Attribution introduced(std::size_t first_q, std::size_t last_q) const {
        const Quotation& q = doc_.quotations[first_q];
        const Quotation& l = doc_.quotations[last_q];
        if (rules_.continuation_rule.empty() || q.block <= 0 || l.block < 0 ||
            static_cast<std::size_t>(l.block) >= prepared_.blocks.size() || prepared_.quote_token[last_q] == no_token ||
            !whole_paragraph(prepared_.blocks[static_cast<std::size_t>(l.block)], prepared_.quote_token[last_q]) ||
            (word_count(l) <= rules_.partial_max_words && !ends_sentence_inside(l))) {
            // (A short paragraph of quotation is someone's words when it is a sentence: "Coach Dan Reed was blunt
            // after the loss." then "“We were terrible.”")
            return {};
        }
        const int before = q.block - 1;
        const Block& intro = doc_.blocks[static_cast<std::size_t>(before)];
        // Or a short heading naming someone over their words, as a portrait or a gallery of testimonies prints
        // them ("Nat Turner’s Bible" / "Mark Person, Richmond, Va." / "“It’s been in the family since 1912 …”").
        constexpr std::size_t kMaxHeadingWords = 12;
        const bool heading = intro.kind == BlockKind::heading && count_words(intro.text) <= kMaxHeadingWords;
        if (intro.kind != BlockKind::paragraph && !heading) return {};
        for (const auto& other : doc_.quotations) {
            if (other.block == before || (other.block < before && other.last_block >= before)) return {};
        }
        // A block quotation printed without marks after a paragraph that only tells something ("Donald Trump earned
        // 306 electoral votes …" then a passage of a report the article links) is what someone wrote, not the
        // person told of: the paragraph must introduce it, with a colon at its end or a verb of saying.
        if (q.open_mark.empty() && !heading && !introduces_words(static_cast<std::size_t>(before))) return {};
        if (heading) {
            // A heading credits its first name: the place after it is where they live ("Don Felder, South Orange,
            // N.J."), and a body in it is theirs.
            const Mention* first = resolver_.next_person(before, 0, Gender::unknown);
            if (first == nullptr || first->block != before) return {};
            return Attribution{first->name, first->outlet_name, first->printed, rules_.continuation_rule};
        }
        const Mention* person = resolver_.last_mention(false, q.block, 0, before);
        // One named there only as what the subject speaks of ("Coroner Megan Halloran said the teenager, Liam
        // Tuipulotu, had been swimming …"): the subject, who speaks.
        if (person != nullptr && person->block == before && !person->subject) {
            if (const Mention* subject = resolver_.last_subject(before, std::numeric_limits<std::size_t>::max());
                subject != nullptr)
                person = subject;
        }
        const Mention* body = resolver_.last_body(q.block, 0);
        if (body != nullptr && (body->block != before || body->is_outlet)) body = nullptr;
        const Mention* m = person;
        // (Not a body named after a person who opened a sentence there, in passing: "Jane Doe, a nurse at Mercy
        // Hospital, described the night of the fire." then "“The smoke was everywhere …”" is the nurse's.)
        const bool person_subject = person != nullptr && person->block == before && person->subject;
        if (body != nullptr && (m == nullptr || body->pos > m->pos) && !(person_subject && !body->subject)) m = body;
        if (m == nullptr) return described_subject(static_cast<std::size_t>(before));
        return Attribution{m->name, m->is_outlet ? m->name : m->outlet_name, m->printed, rules_.continuation_rule};
    }

    // A quotation that is the last sentence of its paragraph, with no attribution, after sentences that quote
    // nothing and name a person as their subject, no one else named since ("With La La Land charming audiences,
    // Gosling has a lot on his plate. But what the actor is most excited about is life at home. “Your whole life,
    // you hear …”"): that person, as a paragraph of quotation after one naming someone continues them.
    [[nodiscard]] Attribution introduced_in_paragraph(std::size_t qi) const {
        const Quotation& q = doc_.quotations[qi];
        // (A short one when it is a sentence of its own: "Asked whether he would run again, Smith smiled. “Never say
        // never.”")
        if (rules_.continuation_rule.empty() || q.block < 0 || q.open_mark.empty() ||
            prepared_.quote_token[qi] == no_token ||
            (word_count(q) <= rules_.partial_max_words && !ends_sentence_inside(q))) {
            return {};
        }
        const auto b = static_cast<std::size_t>(q.block);
        const BlockInfo& info = prepared_.blocks[b];
        const auto& toks = info.tokens;
        const std::size_t qt = prepared_.quote_token[qi];
        // The quotation opens a sentence after another and ends the paragraph.
        if (qt == 0 || toks[qt - 1].kind != Token::Kind::punct ||
            (toks[qt - 1].lower != "." && toks[qt - 1].lower != "!" && toks[qt - 1].lower != "?")) {
            return {};
        }
        for (std::size_t k = qt + 1; k < toks.size(); ++k) {
            if (toks[k].kind != Token::Kind::punct) return {};
        }
        // Nothing quoted before it in the paragraph: a conversation's turns are another matter.
        for (std::size_t k = 0; k < qt; ++k) {
            if (toks[k].kind == Token::Kind::quote) return {};
        }
        const Mention* m = resolver_.last_mention(false, q.block, q.start, q.block);
        if (m == nullptr || !m->subject || m->is_organisation || m->block != q.block) return {};
        if (const Mention* body = resolver_.last_body(q.block, q.start);
            body != nullptr && body->block == q.block && body->pos > m->pos) {
            return {};
        }
        return Attribution{m->name, m->outlet_name, m->printed, rules_.continuation_rule};
    }

    // A paragraph that is all quotation, with no attribution of its own, before a paragraph that quotes nothing and
    // opens by naming someone for the first time as the one who speaks ("“I want someone to stand in front of a
    // judge.”" then "Nadia Saleh, whose brother was killed in the strike, said …"; "Those were the words of Mariam
    // Haddad, …"): the quotation introduces that person.
    [[nodiscard]] Attribution named_after(std::size_t first_q, std::size_t last_q) const {
        const Quotation& q = doc_.quotations[first_q];
        const Quotation& l = doc_.quotations[last_q];
        if (rules_.continuation_rule.empty() || q.block < 0 || l.block < 0 ||
            prepared_.quote_token[last_q] == no_token || word_count(l) <= rules_.partial_max_words) {
            return {};
        }
        const auto lb = static_cast<std::size_t>(l.block);
        if (!whole_paragraph(prepared_.blocks[lb], prepared_.quote_token[last_q])) return {};
        const std::size_t next = lb + 1;
        if (next >= doc_.blocks.size() || doc_.blocks[next].kind != BlockKind::paragraph || quoted_block_[next]) {
            return {};
        }
        const BlockInfo& info = prepared_.blocks[next];
        if (info.sentences.empty()) return {};
        const Sentence& s = info.sentences.front();
        const std::size_t opener = first_word(info.tokens, s.begin, s.end);
        const Parser p = parser(next);
        // The person first named there speaks; one named anywhere before this paragraph may not have (the quotation
        // may be someone else's).
        auto introduces = [&](const Occurrence& occ, const std::string& phrase) -> Attribution {
            const SpeakerRef& sp = occ.speaker;
            if (resolver_.named_before(p.printed(sp.first, sp.last), static_cast<int>(lb),
                                       std::numeric_limits<std::size_t>::max())) {
                return {};
            }
            const auto a = resolver_.resolve(occ, next, p);
            if (!a || a->speaker.empty()) return {};
            return Attribution{a->speaker, a->outlet, phrase, rules_.continuation_rule};
        };
        // Named after a link word of a lede's sentence: "So says Adaeze Kolawole-Hart, who …".
        constexpr std::size_t kMaxLede = 8;
        if (opener < s.end && contains(rules_.lede_openers, info.tokens[opener].lower)) {
            for (std::size_t k = opener + 1; k + 1 < s.end && k <= opener + kMaxLede; ++k) {
                if (info.tokens[k].kind != Token::Kind::word || !contains(rules_.lede_links, info.tokens[k].lower))
                    continue;
                const auto sp = p.subject(k + 1, s.end);
                if (!sp || sp->kind != SpeakerKind::name || sp->first != k + 1 || sp->possessive) continue;
                return introduces(Occurrence{k, sp->last, *sp, std::nullopt}, p.printed(opener, sp->last));
            }
        }
        // (Not one whose verb asks a question of their own: "Sen. Robert Aldane, the committee’s chairman, asked
        // whether …" after the witness's words.)
        auto asks = [&](const SpeakerRef& sp) {
            constexpr std::size_t kMaxBetween = 12;
            for (std::size_t k = sp.last + 1; k < s.end && k <= sp.last + kMaxBetween; ++k) {
                if (info.tokens[k].kind != Token::Kind::word) continue;
                if (const std::size_t m = p.speech_verb_length(k, s.end); m > 0) {
                    return k + m < s.end && info.tokens[k + m].kind == Token::Kind::word &&
                           contains(rules_.indirect_question_openers, info.tokens[k + m].lower);
                }
            }
            return false;
        };
        for (const auto shape : {AttributionShape::speaker_verb, AttributionShape::according_to}) {
            for (const auto& occ : p.find(shape, s.begin, s.end)) {
                const SpeakerRef& sp = occ.speaker;
                if (sp.kind != SpeakerKind::name) continue;
                if (shape == AttributionShape::speaker_verb && (sp.first != opener || asks(sp))) continue;
                return introduces(occ, p.printed(sp.first, sp.last));
            }
        }
        return {};
    }

    // A quotation ending its sentence, then a sentence that opens by pointing back to its words and names who said
    // them ("“No soy el dueño del Gobierno”. Con esa frase, Alberto Fernández respondió …", "“…” With those words,
    // the minister closed the debate."): that sentence's subject, in the same paragraph or the next.
    [[nodiscard]] Attribution words_pointed_back(std::size_t qi) const {
        const Quotation& q = doc_.quotations[qi];
        if (rules_.continuation_rule.empty() || rules_.words_openers.empty() || q.block < 0 ||
            prepared_.quote_token[qi] == no_token || term_like(q)) {
            return {};
        }
        auto opening = [&](std::size_t b, std::size_t from) -> Attribution {
            const BlockInfo& info = prepared_.blocks[b];
            const auto& toks = info.tokens;
            const std::size_t s_index = sentence_of(info, from);
            if (s_index >= info.sentences.size()) return {};
            const Sentence& s = info.sentences[s_index];
            std::size_t k = first_word(toks, std::max(s.begin, from), s.end);
            if (k >= s.end) return {};
            std::string lead;
            constexpr std::size_t kMaxOpener = 6;
            for (std::size_t n = 0; k < s.end && n < kMaxOpener; ++k, ++n) {
                if (toks[k].kind == Token::Kind::punct && toks[k].lower == ",") {
                    if (!contains(rules_.words_openers, lead)) return {};
                    const Parser p = parser(b);
                    const auto sp = p.subject(k + 1, s.end);
                    if (!sp || sp->possessive) return {};
                    const auto a = resolver_.resolve(Occurrence{k + 1, sp->last, *sp, std::nullopt}, b, p);
                    if (!a || a->speaker.empty()) return {};
                    return Attribution{a->speaker, a->outlet, p.printed(first_word(toks, s.begin, s.end), sp->last),
                                       rules_.continuation_rule};
                }
                if (toks[k].kind != Token::Kind::word) return {};
                if (!lead.empty()) lead += ' ';
                lead += toks[k].lower;
                // "Those were the words of Beatrix Lomond-Achebe", "Mit diesen Worten hat der Chef der Papierwerke,
                // Wolfgang Auer, …", "Con esas palabras respondió horas después el vicepresidente …": no comma
                // after the words that point back; the first one the rest of the sentence names said them.
                if (contains(rules_.words_openers, lead) && k + 1 < s.end && toks[k + 1].lower != ",")
                    return first_named(b, k + 1, s);
                // "“…”. Así lo aseguró este martes la consejera …, Miriam Zelaya Bonilla": the verb and who said it
                // after the words that point back (echo_openers).
                if (contains(rules_.echo_openers, lead)) {
                    const Parser p = parser(b);
                    for (const auto& occ : p.find(AttributionShape::verb_speaker, k + 1, s.end)) {
                        if (occ.first != k + 1) continue;
                        const auto a = resolver_.resolve(occ, b, p);
                        if (!a || a->speaker.empty()) return {};
                        return Attribution{a->speaker, a->outlet, p.printed(first_word(toks, s.begin, s.end), occ.last),
                                           rules_.continuation_rule};
                    }
                    return {};
                }
            }
            return {};
        };
        const auto b = static_cast<std::size_t>(q.block);
        const auto& toks = prepared_.blocks[b].tokens;
        std::size_t after = prepared_.quote_token[qi] + 1;
        // The quotation ends its sentence: a full stop after it, or its own, with the paragraph going on.
        if (after < toks.size() && toks[after].kind == Token::Kind::punct && toks[after].lower == ".") ++after;
        if (after < toks.size()) {
            const bool ends_sentence =
                toks[after - 1].kind == Token::Kind::punct ||
                sentence_of(prepared_.blocks[b], after) != sentence_of(prepared_.blocks[b], after - 1) ||
                (ends_sentence_inside(q) && toks[after].kind == Token::Kind::word && toks[after].capital);
            return ends_sentence ? opening(b, after) : Attribution{};
        }
        // The next paragraph may quote someone too ("Those were the words of Beatrix Lomond-Achebe, the producer of
        // the musical “Lanterns of Caldera,” …"): its opening words point back all the same.
        if (b + 1 < doc_.blocks.size() && doc_.blocks[b + 1].kind == BlockKind::paragraph &&
            !prepared_.blocks[b + 1].tokens.empty())
            return opening(b + 1, 0);
        return {};
    }

    // A quotation that is a sentence of its own with no attribution, then a sentence that opens by naming someone the
    // article has not named before, set off by an appositive ("« En dix minutes, on a perdu le travail d'une année
    // entière. » Didier Castagnet, viticulteur à Saint-Émilion depuis trente ans, ne cache pas son désarroi."): the
    // lede of a story that introduces its first speaker after their words.
    // Tried last, when the quotation continues no one.
    [[nodiscard]] Attribution introduced_by_appositive(std::size_t qi) const {
        const Quotation& q = doc_.quotations[qi];
        if (q.block < 0 || prepared_.quote_token[qi] == no_token) return {};
        const BlockInfo& own = prepared_.blocks[static_cast<std::size_t>(q.block)];
        const std::size_t qt = prepared_.quote_token[qi];
        std::size_t b = static_cast<std::size_t>(q.block);
        std::size_t k = 0;
        if (whole_paragraph(own, qt)) {
            ++b;
            if (b >= doc_.blocks.size() || doc_.blocks[b].kind != BlockKind::paragraph) return {};
        } else {
            // Its own sentence, opening it: not words a sentence before calls something ("… described it as “a
            // disaster.” John Smith, the mayor, disagreed.").
            const std::size_t si = sentence_of(own, qt);
            if (!ends_sentence_inside(q) || si >= own.sentences.size() ||
                first_word(own.tokens, own.sentences[si].begin, own.sentences[si].end) < qt)
                return {};
            k = qt + 1;
        }
        const BlockInfo& info = prepared_.blocks[b];
        const auto& toks = info.tokens;
        const std::size_t from = k;
        k = first_word(toks, k, toks.size());
        // It opens with the name: a quotation before it is someone's words, and the name after them is theirs
        // ("“…,” Mark McCaughrean, senior science advisor for ESA."), not the words before it.
        for (std::size_t j = from; j < k; ++j) {
            if (toks[j].kind == Token::Kind::quote) return {};
        }
        const std::size_t s_index = sentence_of(info, k);
        if (k >= toks.size() || s_index >= info.sentences.size()) return {};
        const Sentence& s = info.sentences[s_index];
        const Parser p = parser(b);
        const auto sp = p.subject(k, s.end);
        if (!sp || sp->kind != SpeakerKind::name || sp->possessive || sp->first != k || sp->last + 1 >= s.end ||
            toks[sp->last + 1].lower != "," || sp->last == sp->first) {
            return {};
        }
        if (resolver_.named_before(p.printed(sp->first, sp->last), q.block, q.start)) return {};
        // In a language that writes its nouns in capitals, a capitalised phrase before a comma is a name when it
        // opens with a given name or a title ("Solche Verfahren, bei denen künftig …" names no one).
        if (resolver_.nouns_capitalised()) {
            std::string_view w = toks[sp->first].lower;
            if (w.ends_with('.')) w.remove_suffix(1);
            if (!rules_.given_name_word(w) && !contains(rules_.titles, w)) return {};
        }
        const auto a = resolver_.resolve(Occurrence{k, sp->last, *sp, std::nullopt}, b, p);
        if (!a || a->speaker.empty()) return {};
        return Attribution{a->speaker, a->outlet, p.printed(sp->first, sp->last), rules_.continuation_rule};
    }

    // "Diese Solidarität habe er auch im Knast gespürt. … „Ich war dort im Auftrag der Öffentlichkeit.“": a quotation
    // that is a sentence of its own, right after sentences of its paragraph that report speech by their verb's mood
    // (reported_speech_verbs), is the words of their subject: a pronoun right after that verb, or a name or a
    // pronoun right before it, opening the sentence.
    [[nodiscard]] Attribution reported_subject(std::size_t qi) const {
        const Quotation& q = doc_.quotations[qi];
        if (q.block < 0 || q.open_mark.empty() || q.text.empty() || prepared_.quote_token[qi] == no_token ||
            rules_.reported_speech_verbs.empty()) {
            return {};
        }
        const char end = q.text.back();
        if (end != '.' && end != '!' && end != '?') return {};
        const auto b = static_cast<std::size_t>(q.block);
        const BlockInfo& info = prepared_.blocks[b];
        const auto& toks = info.tokens;
        const std::size_t qt = prepared_.quote_token[qi];
        const std::size_t si = sentence_of(info, qt);
        if (si == 0 || si >= info.sentences.size() || info.sentences[si].begin != qt) return {};
        const Parser p = parser(b);
        auto word = [&](std::size_t k) {
            return k < toks.size() && toks[k].kind == Token::Kind::word && toks[k].quotation < 0;
        };
        constexpr std::size_t kMaxSentences = 3;
        bool reported_from_start = si <= kMaxSentences;  // every sentence before the words reports speech
        for (std::size_t j = si; j-- > 0 && si - j <= kMaxSentences;) {
            if (!reports_speech(info, j)) {
                reported_from_start = false;
                break;
            }
            const Sentence& s = info.sentences[j];
            // A sentence that names its own speaker, or quotes, is someone's account of another ("Der Beschuldigte
            // habe «…», heisst es in dem Urteil"): its subject is not who speaks.
            bool tagged = false;
            for (std::size_t k = s.begin; k < s.end && k < toks.size() && !tagged; ++k) {
                tagged = toks[k].kind == Token::Kind::quote || toks[k].quotation >= 0 || p.speech_verb_at(k, s.end);
            }
            if (tagged) {
                reported_from_start = false;
                break;
            }
            const std::size_t opener = first_word(toks, s.begin, s.end);
            for (std::size_t k = s.begin; k < s.end; ++k) {
                if (!word(k) || !contains(rules_.reported_speech_verbs, toks[k].lower)) continue;
                std::optional<SpeakerRef> sp;
                if (word(k + 1) && k + 1 < s.end && contains(rules_.pronouns, toks[k + 1].lower)) {
                    sp = SpeakerRef{SpeakerKind::pronoun, k + 1, k + 1, nullptr};
                } else if (opener < k) {
                    // (A name only when the article named that person before: "Jeder sei …" is no one.)
                    if (auto subject = p.subject(opener, k);
                        subject && subject->last + 1 == k && !subject->possessive &&
                        (subject->kind == SpeakerKind::pronoun ||
                         (subject->kind == SpeakerKind::name &&
                          resolver_.named_before(p.printed(subject->first, subject->last), q.block,
                                                 toks[subject->first].start)))) {
                        sp = subject;
                    }
                }
                if (!sp) continue;
                const auto a = resolver_.resolve(Occurrence{sp->first, sp->last, *sp, std::nullopt}, b, p);
                if (!a || a->speaker.empty()) continue;
                return Attribution{a->speaker, a->outlet, p.printed(s.begin, s.end - 1), rules_.reported_rule};
            }
        }
        // "Der AStA entziehe sich seiner Verantwortung, kritisierte Lucke weiter." then "Ein Gespräch … sei auf
        // dieser Basis nicht sinnvoll. «Wenn der AStA …»": a paragraph that reports speech from its first sentence
        // with no one of its own goes on with the paragraph before, when that one ends with a speech verb saying
        // whose words it reports or quotes ("„Wir bleiben bei unserem Plan“, sagte Anna Keller." then "Ein
        // Kompromiss sei nicht in Sicht. „…“").
        if (!reported_from_start || b == 0 || doc_.blocks[b - 1].kind != BlockKind::paragraph) return {};
        const BlockInfo& before = prepared_.blocks[b - 1];
        if (before.sentences.empty()) return {};
        const Sentence& last = before.sentences.back();
        const Parser pb = parser(b - 1);
        for (const auto shape : {AttributionShape::verb_speaker, AttributionShape::speaker_verb}) {
            if (auto a = first_resolved(b - 1, pb, occurrences_last_first(pb, shape, last.begin, last.end));
                a && !a->speaker.empty()) {
                return Attribution{a->speaker, a->outlet, pb.printed(last.begin, last.end - 1), rules_.reported_rule};
            }
        }
        return {};
    }

    // "Mosbacher: „…“", "Anti-A100-Aktivist Tobias Trommer: „…“": a paragraph that opens with a name and a colon
    // right before the quotation, as interviews and headlines print who speaks. A name of one word counts when the
    // article named that person before ("Fazit: „…“" names no one); a longer one when it holds a given name or a
    // title of the rules, or opens with a role. A role or an epithet alone ("Der 24-Jährige: „…“") is the person it
    // means, as after a speech verb.
    [[nodiscard]] Attribution labelled(std::size_t qi) const {
        const Quotation& q = doc_.quotations[qi];
        if (q.block < 0 || q.open_mark.empty() || prepared_.quote_token[qi] == no_token) return {};
        const auto b = static_cast<std::size_t>(q.block);
        const auto& toks = prepared_.blocks[b].tokens;
        const std::size_t qt = prepared_.quote_token[qi];
        if (qt < 2 || toks[qt - 1].kind != Token::Kind::punct || toks[qt - 1].lower != ":") return {};
        // The name opens the paragraph, or (of two words or more) its sentence ("… verlängert. Sportdirektor Bruno
        // Hübner: „…“").
        const BlockInfo& info = prepared_.blocks[b];
        const std::size_t si = sentence_of(info, qt - 1);
        if (si >= info.sentences.size()) return {};
        const std::size_t from = first_word(toks, info.sentences[si].begin, qt - 1);
        if (from >= qt - 1) return {};
        const Parser p = parser(b);
        const auto sp = p.subject(from, qt - 1);
        if (!sp || sp->possessive || sp->first != from || sp->last + 2 != qt) return {};
        const std::string printed = p.printed(sp->first, sp->last);
        // A role or an epithet of the person named before ("Der 24-Jährige: „…“", "Der Trainer: „…“"), as "said
        // the 24-year-old" is.
        if (sp->kind == SpeakerKind::person_reference && !sp->described) {
            const auto a = resolver_.resolve(Occurrence{sp->first, sp->last, *sp, std::nullopt}, b, p);
            if (!a || a->speaker.empty()) return {};
            return Attribution{a->speaker, a->outlet, printed + ":", rules_.label_rule};
        }
        if (sp->kind != SpeakerKind::name) return {};
        bool person = from == first_word(toks, 0, qt - 1) && resolver_.named_before(printed, q.block, q.start);
        for (std::size_t k = sp->first; k < sp->last && !person; ++k) {
            person = contains(rules_.male_words, toks[k].lower) || contains(rules_.female_words, toks[k].lower) ||
                     contains(rules_.titles, toks[k].lower);
        }
        // So does a role opening a name of two words or more, alone or as a compound's end
        // ("Ministerin Schulze:", "NABU-Bundesgeschäftsführer Leif Miller:"): a word ending in the noun of a role
        // of person_references, of five letters at least.
        if (!person && sp->last > sp->first) {
            constexpr std::size_t kMinRole = 5;
            std::string_view w = toks[sp->first].lower;
            if (const std::size_t hyphen = w.rfind('-'); hyphen != std::string_view::npos) w.remove_prefix(hyphen + 1);
            // ("Vorstandsvorsitzender Heribert Bruchhagen:" for "der Vorsitzende".)
            person = lex_.ends_in_role(w, kMinRole);
        }
        if (!person) return {};
        const auto a = resolver_.resolve(Occurrence{sp->first, sp->last, *sp, std::nullopt}, b, p);
        if (!a || a->speaker.empty()) return {};
        return Attribution{a->speaker, a->outlet, printed + ":", rules_.label_rule};
    }

    // A quotation after a colon that closes a few words opening with a possessive, in its own sentence ("Seine
    // Botschaft an die Staatsregierung: „…“", "Her verdict: “…”", "Ihr Rat an den Nachfolger: „…“"): the person the
    // possessive stands for, as a pronoun would.
    [[nodiscard]] Attribution possessive_intro(std::size_t qi) const {
        const Quotation& q = doc_.quotations[qi];
        if (q.block < 0 || prepared_.quote_token[qi] == no_token) return {};
        const auto b = static_cast<std::size_t>(q.block);
        const BlockInfo& info = prepared_.blocks[b];
        const auto& toks = info.tokens;
        const std::size_t qt = prepared_.quote_token[qi];
        if (qt < 3 || toks[qt - 1].kind != Token::Kind::punct || toks[qt - 1].lower != ":") return {};
        const std::size_t si = sentence_of(info, qt);
        if (si >= info.sentences.size()) return {};
        const std::size_t first = first_word(toks, info.sentences[si].begin, qt);
        constexpr std::size_t kMaxIntro = 8;
        if (first >= qt - 1 || qt - 1 - first > kMaxIntro || !toks[first].capital) return {};
        for (std::size_t k = first + 1; k + 1 < qt; ++k) {
            if (toks[k].kind != Token::Kind::word) return {};
        }
        const Parser p = parser(b);
        if (!contains(rules_.male_forms, toks[first].lower) && !contains(rules_.female_forms, toks[first].lower) &&
            !contains(rules_.possessive_pronouns, toks[first].lower)) {
            // "Smith’s response: “…”", "Smith’s message was blunt: “…”": a name's possessive, who owns the words.
            std::size_t end = first;
            while (end + 2 < qt && possessive_length(toks[end].lower) == 0)
                ++end;
            if (possessive_length(toks[end].lower) == 0) return {};
            const auto owner = p.name_ending(end, first);
            if (!owner || owner->kind != SpeakerKind::name || owner->first != first) return {};
            return name_owns(b, p, *owner, end, qt - 2);
        }
        return pronoun_owns(b, p, first, qt - 2);
    }

    // The words after tokens [from, to] of block b belong to whom the possessive pronoun at `from` points back to
    // ("Her verdict:", "his famous line,"); the phrase is the attribution as printed.
    [[nodiscard]] Attribution pronoun_owns(std::size_t b, const Parser& p, std::size_t from, std::size_t to) const {
        const SpeakerRef sp{SpeakerKind::pronoun, from, from, nullptr};
        const auto a = resolver_.resolve(Occurrence{from, to, sp, std::nullopt}, b, p);
        if (!a || a->speaker.empty()) return {};
        return Attribution{a->speaker, a->outlet, p.printed(from, to), rules_.continuation_rule};
    }

    // …or to the name `owner` whose possessive ends at token `end` ("Smith’s response:", "Dylan’s old refrain:").
    [[nodiscard]] Attribution name_owns(std::size_t b, const Parser& p, SpeakerRef owner, std::size_t end,
                                        std::size_t to) const {
        owner.possessive = true;
        owner.last = end;
        const auto a = resolver_.resolve(Occurrence{owner.first, end, owner, std::nullopt}, b, p);
        if (!a || a->speaker.empty()) return {};
        return Attribution{a->speaker, a->outlet, p.printed(owner.first, to), rules_.continuation_rule};
    }

    // A quotation right after a saying someone owns and a comma or a colon, anywhere in a sentence ("how could I not
    // begin with his famous line, “…”", "Dylan’s old refrain: “…”"): one of rules' saying_nouns, up to two words in
    // lower case before it, and one of possessive_pronouns (the person named last, as a pronoun points back) or a
    // name's possessive.
    [[nodiscard]] Attribution owned_saying(std::size_t qi) const {
        constexpr std::size_t kMaxModifiers = 2;
        constexpr std::size_t kMaxNameTokens = 6;
        const Quotation& q = doc_.quotations[qi];
        const std::size_t qt = prepared_.quote_token[qi];
        if (q.block < 0 || qt == no_token || qt < 3) return {};
        const auto b = static_cast<std::size_t>(q.block);
        const auto& toks = prepared_.blocks[b].tokens;
        const Token& mark = toks[qt - 1];
        const Token& noun = toks[qt - 2];
        if (mark.kind != Token::Kind::punct || (mark.lower != "," && mark.lower != ":") ||
            noun.kind != Token::Kind::word || noun.capital || !contains(rules_.saying_nouns, noun.lower)) {
            return {};
        }
        const Parser p = parser(b);
        for (std::size_t k = qt - 2; k > 0 && qt - 2 - k <= kMaxModifiers;) {
            --k;
            const Token& t = toks[k];
            if (t.kind != Token::Kind::word || t.quotation >= 0) return {};
            if (!t.capital && contains(rules_.possessive_pronouns, t.lower)) return pronoun_owns(b, p, k, qt - 2);
            if (possessive_length(t.lower) > 0) {
                const auto owner = p.name_ending(k, k > kMaxNameTokens ? k - kMaxNameTokens : 0);
                if (!owner || owner->kind != SpeakerKind::name) return {};
                return name_owns(b, p, *owner, k, qt - 2);
            }
            if (t.capital) return {};
        }
        return {};
    }

    // The first person or organisation named in sentence `s` of block `b` from token `from` on, within a few words
    // (a verb, an adverb of time between: "respondió horas después el vicepresidente del gremio, Allan Quesada"),
    // as the one who said the words the sentence points back to.
    [[nodiscard]] Attribution first_named(std::size_t b, std::size_t from, const Sentence& s) const {
        const auto& toks = prepared_.blocks[b].tokens;
        const Parser p = parser(b);
        constexpr std::size_t kMaxBefore = 6;
        for (std::size_t k = from, n = 0; k < s.end && n <= kMaxBefore; ++k) {
            if (toks[k].kind != Token::Kind::word) {
                if (toks[k].lower == "," || toks[k].lower == "(") continue;
                return {};
            }
            ++n;
            const auto sp = p.subject(k, s.end);
            if (!sp || sp->possessive) continue;
            const auto a = resolver_.resolve(Occurrence{k, sp->last, *sp, std::nullopt}, b, p);
            if (!a || a->speaker.empty()) return {};
            return Attribution{a->speaker, a->outlet, p.printed(first_word(toks, s.begin, s.end), sp->last),
                               rules_.continuation_rule};
        }
        return {};
    }

    // A quotation opening the paragraph after one plain paragraph of the reporter's own that names no one and quotes
    // nothing, itself right after a quotation: the speaker of that quotation resumed ("Varadkar explained: “…"
    // then "In short, it would see all but essential workplaces closed." then "“We asked for comfort …”").
    [[nodiscard]] Attribution resumed(const Claim& before, const Quotation& q, std::size_t words) const {
        if (rules_.continuation_rule.empty() || before.speaker.empty() || before.kind == ClaimKind::embed ||
            q.open_mark.empty() || q.start > q.open_mark.size() + 1 || words <= rules_.partial_max_words) {
            return {};
        }
        const int before_ends = before.last_block >= 0 ? before.last_block : before.block;
        const int between = before_ends + 1;
        if (before_ends < 0 || q.block != between + 1) return {};
        const auto b = static_cast<std::size_t>(between);
        if (doc_.blocks[b].kind != BlockKind::paragraph || quoted_block_[b]) return {};
        if (resolver_.last_mention(false, q.block, 0, between) != nullptr) return {};
        if (const Mention* body = resolver_.last_body(q.block, 0); body != nullptr && body->block == between) return {};
        return continuing(before);
    }

    // A quotation that is a sentence of its own after another sentence of its paragraph, with no attribution
    // ("Bridenstine expects to produce three SLS rockets through 2024. “Adding an additional SLS …”"): the person
    // that sentence opens with as its subject (a name the article gives someone, a pronoun or a role), as a
    // continuation.
    // The gender of a pronoun that tags the quotation at token qt in its own sentence ("“…,” he said", "she
    // added: “…”"), unknown when none does: a guess at the speaker must fit it.
    [[nodiscard]] Gender tag_gender(std::size_t b, std::size_t qt) const {
        const BlockInfo& info = prepared_.blocks[b];
        const auto& toks = info.tokens;
        const Sentence& own = info.sentences[sentence_of(info, qt)];
        const Parser p = parser(b);
        for (std::size_t k = own.begin; k < own.end; ++k) {
            if (toks[k].kind != Token::Kind::word || toks[k].quotation >= 0) continue;
            const bool male = contains(rules_.male_pronouns, toks[k].lower);
            if (!male && !contains(rules_.female_pronouns, toks[k].lower)) continue;
            if ((k + 1 < own.end && p.speech_verb_at(k + 1, own.end)) ||
                (k > own.begin && toks[k - 1].kind == Token::Kind::word && p.speech_verb_at(k - 1, own.end))) {
                return male ? Gender::male : Gender::female;
            }
        }
        return Gender::unknown;
    }

    [[nodiscard]] Attribution after_subject(std::size_t qi) const {
        const Quotation& q = doc_.quotations[qi];
        if (rules_.continuation_rule.empty() || q.block < 0 || prepared_.quote_token[qi] == no_token || term_like(q)) {
            return {};
        }
        const auto b = static_cast<std::size_t>(q.block);
        const BlockInfo& info = prepared_.blocks[b];
        const std::size_t qt = prepared_.quote_token[qi];
        const std::size_t si = sentence_of(info, qt);
        if (si == 0 || info.sentences[si].begin != qt) return {};
        const Sentence& prev = info.sentences[si - 1];
        for (std::size_t k = prev.begin; k < prev.end; ++k) {
            if (info.tokens[k].kind == Token::Kind::quote || info.tokens[k].quotation >= 0) return {};
        }
        const Parser p = parser(b);
        const auto sp = p.subject(
            after_conjunctions(info.tokens, first_word(info.tokens, prev.begin, prev.end), prev.end, rules_), prev.end);
        if (!sp || sp->possessive || possessive_length(info.tokens[sp->last].lower) > 0) return {};
        // The verb after the subject, or after the comma closing an appositive name ("Bolger’s lawyer, Jeremy
        // Robinson, had a more succinct statement"), or after an appositive of the name ("Dan Cole, a landlord,
        // disagreed.") or a relative clause ("Phillip Brändle, der die junge AbL vertrat, zeigte sich …").
        std::size_t verb = sp->last + 1;
        auto comma = [&](std::size_t k) {
            return k < prev.end && info.tokens[k].kind == Token::Kind::punct && info.tokens[k].lower == ",";
        };
        if (comma(verb) && sp->first > prev.begin && info.tokens[sp->first - 1].lower == ",") {
            ++verb;
        } else if (comma(verb) && sp->kind == SpeakerKind::name) {
            constexpr std::size_t kMaxAppositive = 12;
            std::size_t k = verb + 1;
            while (k < prev.end && k < verb + kMaxAppositive && info.tokens[k].kind == Token::Kind::word)
                ++k;
            if (comma(k) && k > verb + 1 &&
                (contains(rules_.appositive_openers, info.tokens[verb + 1].lower) ||
                 contains(rules_.relative_pronouns, info.tokens[verb + 1].lower)))
                verb = k + 1;
        }
        if (verb >= prev.end || info.tokens[verb].kind != Token::Kind::word || info.tokens[verb].capital) return {};
        if (sp->kind == SpeakerKind::name) {
            if (!resolver_.named_before(p.printed(sp->first, sp->last), q.block, info.tokens[sp->first].start))
                return {};
        } else if (sp->kind != SpeakerKind::pronoun && sp->kind != SpeakerKind::person_reference) {
            return {};
        }
        const auto a = resolver_.resolve(Occurrence{sp->first, sp->last, *sp, std::nullopt}, b, p);
        if (!a || a->speaker.empty()) return {};
        // Not one the quotation's own tag gives the other gender ("Jane Smith lost her home. “…,” he said.").
        if (const Gender g = tag_gender(b, qt);
            g != Gender::unknown && !resolver_.fits_name(a->speaker, g, q.block, q.start)) {
            return {};
        }
        return Attribution{a->speaker, a->outlet, p.printed(sp->first, sp->last), rules_.continuation_rule};
    }

    // The person a paragraph names by description only, as its first sentence's subject ("The president also
    // admitted that …"), resolved as a description is ("the president": the person whose name holds the role);
    // or by a pronoun that speaks ("He reiterated that …").
    [[nodiscard]] Attribution described_subject(std::size_t b) const {
        const auto& info = prepared_.blocks[b];
        if (info.sentences.empty()) return {};
        const Parser p = parser(b);
        const auto& s = info.sentences.front();
        const auto ref = p.subject(s.begin, s.end);
        // Or a pronoun as that subject, with a speech verb after it ("He reiterated that devaluation was no
        // solution." then "“What a devaluation does …”"): the person it stands for.
        const bool pronoun_speaking =
            ref && ref->kind == SpeakerKind::pronoun && ref->last + 1 < s.end && p.speech_verb_at(ref->last + 1, s.end);
        if (!ref || (ref->kind != SpeakerKind::person_reference && !pronoun_speaking)) return {};
        const auto a = resolver_.resolve(Occurrence{ref->first, ref->last, *ref, std::nullopt}, b, p);
        if (!a || a->speaker.empty()) return {};
        return Attribution{a->speaker, a->outlet, p.printed(ref->first, ref->last), rules_.continuation_rule};
    }

    // What a transliterated or Chinese name is written with: ideographs, Latin letters and the middle dots that
    // join a foreign name's parts ("戴夫·汉森"; some pages print it as "?").
    static bool name_char(char32_t cp) {
        return (utf8::is_east_asian(cp) && cp != 0x7684 /* 的 */) ||
               (cp < 0x80 && std::isalpha(static_cast<int>(cp)) != 0) || cp == 0x00B7 || cp == 0x2022 || cp == 0x30FB ||
               cp == '?';
    }
    static std::string_view trim_end_marks(std::string_view s) {
        for (bool again = true; again;) {
            again = false;
            for (std::string_view mark : {" ", "\xE3\x80\x80", "\xEF\xBC\x9A", ":", "\xEF\xBC\x8C", ","}) {
                if (s.ends_with(mark)) {
                    s.remove_suffix(mark.size());
                    again = true;
                }
            }
        }
        return s;
    }
    // The name just before `end` in `head`: a run of name characters, cut after the last title in it, at most
    // four ideographs unless a middle dot joins a foreign name.
    [[nodiscard]] std::string name_before(std::string_view head) const {
        if (head.ends_with(")") || head.ends_with("\xEF\xBC\x89")) {  // "丹尼尔·霍特(Daniel Huot)表示"
            const auto ascii = head.rfind('(');
            const auto wide = head.rfind("\xEF\xBC\x88");
            std::size_t open = ascii;
            if (wide != std::string_view::npos && (open == std::string_view::npos || wide > open)) open = wide;
            if (open == std::string_view::npos || head.size() - open > 80) return {};
            head = head.substr(0, open);
        }
        std::vector<std::pair<std::size_t, char32_t>> cps;  // (offset, code point) of the run, last first
        std::size_t i = head.size();
        while (i > 0 && cps.size() < 16) {
            std::size_t start = i - 1;
            while (start > 0 && (static_cast<unsigned char>(head[start]) & 0xC0) == 0x80)
                --start;
            const auto c = utf8::at(head, start);
            if (!name_char(c.cp)) break;
            cps.emplace_back(start, c.cp);
            i = start;
        }
        if (cps.empty()) return {};
        std::string name = drop_adverb(std::string(head.substr(
            cps.back().first, cps.front().first + utf8::at(head, cps.front().first).len - cps.back().first)));
        for (const auto& t : rules_.ideographic_titles) {
            if (const auto at = name.rfind(t); at != std::string::npos && at + t.size() < name.size()) {
                name = name.substr(at + t.size());
            }
        }
        const bool foreign = name.find("\xC2\xB7") != std::string::npos || name.find('?') != std::string::npos ||
                             name.find("\xE2\x80\xA2") != std::string::npos;
        if (ideograph_count(name) > 4 && !foreign) {
            // Words run into the name ("用科学院留学卢宇"): keep the last three ideographs, the usual length of a name.
            std::size_t keep = 0;
            std::size_t k = name.size();
            while (k > 0 && keep < 3) {
                --k;
                while (k > 0 && (static_cast<unsigned char>(name[k]) & 0xC0) == 0x80)
                    --k;
                ++keep;
            }
            name = name.substr(k);
        }
        return name;
    }
    static std::size_t ideograph_count(std::string_view s) {
        std::size_t n = 0;
        for (std::size_t k = 0; k < s.size();) {
            const auto c = utf8::at(s, k);
            n += utf8::is_east_asian(c.cp) ? 1 : 0;
            k += c.len;
        }
        return n;
    }
    // A foreign name joined by a middle dot ("戴夫·汉森"), or by "?" where a page lost the dot ("斯蒂芬妮?席尔霍尔茨":
    // two ideographs at least on each side, so that "吗?他" is none).
    static bool foreign_name(std::string_view name) {
        if (name.find("\xC2\xB7") != std::string_view::npos || name.find("\xE2\x80\xA2") != std::string_view::npos ||
            name.find("\xE3\x83\xBB") != std::string_view::npos) {
            return true;
        }
        const auto q = name.find('?');
        return q != std::string_view::npos && ideograph_count(name.substr(0, q)) >= 2 &&
               ideograph_count(name.substr(q + 1)) >= 2;
    }
    [[nodiscard]] bool ideographic_pronoun(std::string_view w) const {
        return std::find(rules_.ideographic_pronouns.begin(), rules_.ideographic_pronouns.end(), w) !=
               rules_.ideographic_pronouns.end();
    }
    // A run of ideographs that may be a person's name: two to four of them (a foreign name joined by a middle dot
    // may be longer), not a title ("专家") and not one of ideographic_not_names ("人们", "我们").
    [[nodiscard]] bool person_name(std::string_view name) const {
        const std::size_t n = ideograph_count(name);
        if (n < 2 || (n > 4 && !foreign_name(name))) return false;
        auto listed = [&](const std::vector<std::string>& words) {
            return std::find(words.begin(), words.end(), name) != words.end();
        };
        return !listed(rules_.ideographic_titles) && !listed(rules_.ideographic_not_names) &&
               !listed(rules_.ideographic_pronouns);
    }

    // The people an article written without spaces names, and every place it names them: a name before a speech
    // verb ("李博灏认为", kept when the article prints it twice at least) or before its spelling in Latin letters
    // ("戴夫·汉森（Dave Hanson）"); a foreign name's last part is that person too ("汉森认为"). Built once, on the
    // first quotation that needs it.
    struct IdeographicName {
        int block = 0;
        std::size_t pos = 0;
        std::size_t len = 0;
        std::string name;  // as first found in full
    };
    void collect_ideographic_names() {
        if (ideographic_collected_) return;
        ideographic_collected_ = true;
        // Bounds against a hostile page: so many distinct names before verbs, so many names kept, and so many
        // foreign names (matched one by one) at most; a name has at most kMaxNameIdeographs ideographs.
        constexpr std::size_t kMaxCandidates = 4096;
        constexpr std::size_t kMaxNames = 256;
        constexpr std::size_t kMaxForeign = 64;
        constexpr std::size_t kMaxNameIdeographs = 8;
        std::unordered_map<std::string, std::size_t> candidates;  // a name before a verb -> times printed
        std::vector<std::string> order;                           // candidates, in reading order
        std::vector<std::string> foreign;
        auto consider = [&](std::string name, bool before_verb) {
            if (!person_name(name)) return;
            if (foreign_name(name)) {
                if (foreign.size() < kMaxForeign && std::find(foreign.begin(), foreign.end(), name) == foreign.end())
                    foreign.push_back(std::move(name));
            } else if (before_verb && candidates.size() < kMaxCandidates && candidates.emplace(name, 0).second) {
                order.push_back(std::move(name));
            }
        };
        for (const auto& b : doc_.blocks) {
            if (b.kind == BlockKind::embed) continue;
            const std::string_view text = b.text;
            for (const auto& verb : rules_.ideographic_speech_verbs) {
                for (std::size_t at = text.find(verb); at != std::string_view::npos; at = text.find(verb, at + 1))
                    consider(name_before(text.substr(0, at)), true);
            }
            for (std::string_view paren : {"\xEF\xBC\x88", "("}) {
                for (std::size_t at = text.find(paren); at != std::string_view::npos; at = text.find(paren, at + 1))
                    consider(name_before(text.substr(0, at)), false);
            }
        }
        // How often each is printed: one pass, looking up the runs of two to kMaxNameIdeographs ideographs that
        // start at each ideograph.
        auto runs_at = [&](std::string_view text, std::size_t i, auto&& each) {
            std::size_t k = i;
            for (std::size_t n = 1; n <= kMaxNameIdeographs && k < text.size(); ++n) {
                const auto c = utf8::at(text, k);
                if (!utf8::is_east_asian(c.cp)) return;
                k += c.len;
                if (n >= 2 && each(text.substr(i, k - i))) return;
            }
        };
        if (!candidates.empty()) {
            for (const auto& b : doc_.blocks) {
                if (b.kind == BlockKind::embed) continue;
                const std::string_view text = b.text;
                for (std::size_t i = 0; i < text.size(); i += utf8::at(text, i).len) {
                    runs_at(text, i, [&](std::string_view run) {
                        if (const auto it = candidates.find(std::string(run)); it != candidates.end()) ++it->second;
                        return false;
                    });
                }
            }
        }
        std::vector<std::string> names = foreign;
        for (auto& n : order) {
            if (names.size() >= kMaxNames) break;
            if (candidates[n] >= 2) names.push_back(std::move(n));
        }
        // A foreign name's last part ("汉森" of "戴夫·汉森") names the same person.
        for (const auto& n : names) {
            ideographic_forms_.emplace(n, n);
            std::size_t dot = std::string::npos;
            for (std::string_view mark : {"\xC2\xB7", "?", "\xE2\x80\xA2", "\xE3\x83\xBB"}) {
                if (const auto at = n.rfind(mark); at != std::string::npos && (dot == std::string::npos || at > dot))
                    dot = at + mark.size();
            }
            if (dot != std::string::npos && ideograph_count(std::string_view(n).substr(dot)) >= 2)
                ideographic_forms_.emplace(n.substr(dot), n);
        }
        // Every place a form is printed, the longest first where forms overlap ("汉森" inside "戴夫·汉森").
        for (std::size_t bi = 0; bi < doc_.blocks.size(); ++bi) {
            if (doc_.blocks[bi].kind == BlockKind::embed) continue;
            const std::string_view text = doc_.blocks[bi].text;
            for (std::size_t i = 0; i < text.size();) {
                std::size_t len = 0;
                const std::string* full = nullptr;
                for (const auto& f : foreign) {
                    if (f.size() > len && text.substr(i).starts_with(f)) {
                        len = f.size();
                        full = &f;
                    }
                }
                if (full == nullptr) {
                    runs_at(text, i, [&](std::string_view run) {
                        if (const auto it = ideographic_forms_.find(std::string(run)); it != ideographic_forms_.end()) {
                            len = run.size();
                            full = &it->second;
                        }
                        return false;
                    });
                }
                if (full == nullptr) {
                    i += utf8::at(text, i).len;
                    continue;
                }
                // "奥尔德林的圣餐杯": a name before 的 is a possessive, not someone a later 他 or 她 points to.
                if (!text.substr(i + len).starts_with("\xE7\x9A\x84"))
                    ideographic_names_.push_back({static_cast<int>(bi), i, len, *full});
                i += len;
            }
        }
    }
    // The person named last before byte `pos` of block `block`; nullptr when none.
    [[nodiscard]] const IdeographicName* ideographic_person_before(int block, std::size_t pos) {
        collect_ideographic_names();
        const auto end = std::partition_point(
            ideographic_names_.begin(), ideographic_names_.end(),
            [&](const IdeographicName& n) { return n.block < block || (n.block == block && n.pos + n.len <= pos); });
        return end == ideographic_names_.begin() ? nullptr : &*std::prev(end);
    }
    // The name just before the end of `head`: the longest way the article names a person that ends it
    // ("席尔霍尔茨补充说" reads "席尔霍尔茨", not its last three ideographs), else name_before's.
    [[nodiscard]] std::string named_before(std::string_view head) {
        collect_ideographic_names();
        std::string longest;
        for (std::size_t k = head.size(), n = 0; k > 0 && n < 24; ++n) {
            --k;
            while (k > 0 && (static_cast<unsigned char>(head[k]) & 0xC0) == 0x80)
                --k;
            const std::string tail(head.substr(k));
            if (ideographic_forms_.contains(tail)) longest = tail;
        }
        return !longest.empty() ? longest : name_before(head);
    }
    // A person the article names (collect_ideographic_names), in full or by the last part of a foreign name.
    [[nodiscard]] bool named_person(const std::string& name) {
        collect_ideographic_names();
        return ideographic_forms_.contains(name);
    }
    // A name as the article names the person in full ("汉森" is "戴夫·汉森").
    [[nodiscard]] std::string full_ideographic_name(const std::string& name) {
        collect_ideographic_names();
        const auto it = ideographic_forms_.find(name);
        return it != ideographic_forms_.end() ? it->second : name;
    }

    // A name and a speech verb around a quotation in text written without spaces: before it ("卢宇表示：“…”") or
    // right after it ("”卢宇说，“…"), else earlier in its sentence ("席尔霍尔茨补充说，在测试中使用雪利酒“…”"); a
    // pronoun ("他说：“…”") is the person named last before it. A quotation that opens a sentence or follows a
    // comma with no verb at all is the words of the person the paragraph named last before it ("卢宇有着自己的看法，
    // “…”").
    [[nodiscard]] Attribution ideographic(const Quotation& first, const Quotation& last) {
        if (rules_.ideographic_speech_verbs.empty() || first.block < 0) return {};
        const int fb = first.block;
        auto found = [&](std::string name, std::string_view verb, std::size_t at, int block) -> Attribution {
            if (ideographic_pronoun(name)) {
                if (const IdeographicName* n = ideographic_person_before(block, at)) {
                    name = n->name;
                } else if (!last_ideographic_.empty()) {
                    name = last_ideographic_;
                } else {
                    return {};
                }
            }
            if (name.empty()) return {};
            name = full_ideographic_name(name);
            // Only a person's name written in ideographs is what a later 他 or 她 points back to ("Nasa表示" is not).
            if (std::any_of(name.begin(), name.end(), [](char ch) { return static_cast<unsigned char>(ch) >= 0xE3; })) {
                last_ideographic_ = name;
            }
            return Attribution{name, "", name + std::string(verb), rules_.ideographic_rule};
        };
        const std::string& text = doc_.blocks[static_cast<std::size_t>(fb)].text;
        const std::size_t open =
            std::min(first.start >= first.open_mark.size() ? first.start - first.open_mark.size() : 0, text.size());
        const std::string_view raw_before = std::string_view(text).substr(0, open);
        const std::string_view before = trim_end_marks(raw_before);
        for (const auto& verb : rules_.ideographic_speech_verbs) {
            if (!before.ends_with(verb)) continue;
            std::string_view head = before.substr(0, before.size() - verb.size());
            for (const auto& p : rules_.ideographic_pronouns) {
                if (head.ends_with(p)) return found(p, verb, head.size() - p.size(), fb);
            }
            if (auto a = found(named_before(head), verb, head.size(), fb); !a.speaker.empty()) return a;
        }
        const int lb = last.last_block >= 0 ? last.last_block : last.block;
        if (lb < 0 || static_cast<std::size_t>(lb) >= doc_.blocks.size()) return {};
        const std::string& ltext = doc_.blocks[static_cast<std::size_t>(lb)].text;
        const std::size_t after_at = last.end + last.close_mark.size();
        if (after_at < ltext.size()) {
            std::string_view after = std::string_view(ltext).substr(after_at, 64);
            for (std::string_view mark : {"\xEF\xBC\x8C", ",", " "}) {
                if (after.starts_with(mark)) after.remove_prefix(mark.size());
            }
            std::size_t k = 0;
            for (int n = 0; n < 8 && k < after.size(); ++n) {
                const auto c = utf8::at(after, k);
                if (!name_char(c.cp)) break;
                k += c.len;
                for (const auto& verb : rules_.ideographic_speech_verbs) {
                    if (!after.substr(k).starts_with(verb)) continue;
                    return found(drop_adverb(std::string(after.substr(0, k))), verb, after_at, lb);
                }
            }
        }
        if (!std::any_of(first.text.begin(), first.text.end(),
                         [](char ch) { return static_cast<unsigned char>(ch) >= 0xE3; })) {
            return {};
        }
        // Earlier in the quotation's sentence: the last name or pronoun right before a speech verb.
        std::size_t sentence = 0;
        for (std::string_view end : {"\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F"}) {
            if (const auto at = before.rfind(end); at != std::string_view::npos)
                sentence = std::max(sentence, at + end.size());
        }
        // A paragraph without sentence ends is read back no further than this.
        constexpr std::size_t kMaxSentenceBytes = 1024;
        if (before.size() > kMaxSentenceBytes) sentence = std::max(sentence, before.size() - kMaxSentenceBytes);
        Attribution best;
        std::size_t best_at = 0;
        for (const auto& verb : rules_.ideographic_speech_verbs) {
            for (std::size_t at = before.find(verb, sentence); at != std::string_view::npos;
                 at = before.find(verb, at + verb.size())) {
                if (at < best_at && !best.speaker.empty()) continue;
                // "说" of "补充说" is read as the longer verb.
                const bool inside_longer = std::any_of(
                    rules_.ideographic_speech_verbs.begin(), rules_.ideographic_speech_verbs.end(), [&](const auto& v) {
                        return v.size() > verb.size() && at + verb.size() >= v.size() &&
                               before.substr(at + verb.size() - v.size(), v.size()) == v;
                    });
                if (inside_longer) continue;
                const std::string_view head = before.substr(0, at);
                std::string name;
                for (const auto& p : rules_.ideographic_pronouns) {
                    if (head.ends_with(p)) name = p;
                }
                if (name.empty()) name = named_before(head);
                if (!ideographic_pronoun(name) && !named_person(name)) continue;
                if (auto a = found(name, verb, ideographic_pronoun(name) ? at - name.size() : at, fb);
                    !a.speaker.empty()) {
                    best = std::move(a);
                    best_at = at;
                }
            }
        }
        if (!best.speaker.empty()) return best;
        // No verb: a quotation opening a sentence or following a comma or colon, after a person named in its
        // paragraph (or a pronoun for one).
        if (term_like(first) || rules_.continuation_rule.empty()) return {};
        std::string_view lead = raw_before;
        while (lead.ends_with(" ") || lead.ends_with("\xE3\x80\x80"))
            lead.remove_suffix(lead.ends_with(" ") ? 1 : 3);
        bool opens = lead.empty();
        for (std::string_view mark :
             {"\xE3\x80\x82", "\xEF\xBC\x8C", "\xEF\xBC\x9A", "\xEF\xBC\x81", "\xEF\xBC\x9F", ":", ","})
            opens = opens || lead.ends_with(mark);
        if (!opens) return {};
        const IdeographicName* named = ideographic_person_before(fb, before.size());
        if (named != nullptr && named->block != fb) named = nullptr;
        std::size_t pronoun_at = std::string_view::npos;
        for (const auto& p : rules_.ideographic_pronouns) {
            const auto at = before.rfind(p);
            if (at != std::string_view::npos && (pronoun_at == std::string_view::npos || at > pronoun_at))
                pronoun_at = at;
        }
        std::string who;
        if (pronoun_at != std::string_view::npos && (named == nullptr || pronoun_at > named->pos)) {
            if (const IdeographicName* n = ideographic_person_before(fb, pronoun_at)) who = n->name;
        } else if (named != nullptr) {
            who = named->name;
        }
        if (who.empty()) return {};
        last_ideographic_ = who;
        return Attribution{who, "", who, rules_.continuation_rule};
    }

    // "卢宇恳切地": an adverb ending in 地 stands between the name and the verb.
    static std::string drop_adverb(std::string name) {
        std::vector<std::size_t> starts;
        for (std::size_t k = 0; k < name.size();) {
            starts.push_back(k);
            k += utf8::at(name, k).len;
        }
        if (starts.size() > 3 && name.ends_with("\xE5\x9C\xB0")) name.resize(starts[starts.size() - 3]);
        return name;
    }

    // Too short to be anyone's words when nobody is said to have said them: a term, a title or a scare quote.
    // Ideographic text has no spaces between words; two of its characters count as a word.
    // A title or a name in quotation marks: two words or more, each opening with a capital (or a number) but
    // those a title leaves in lower case, and no sentence ending ("“Until Dawn: Rush of Blood”").
    // American usage sets a sentence's full stop inside the closing mark: "a previous episode of “Dancing with the
    // Stars.”" is a title all the same, when the quotation ends its paragraph or a space follows it and no other
    // full stop stands inside.
    [[nodiscard]] bool title_like(const Quotation& q) const {
        std::string_view text = q.text;
        while (!text.empty() && (text.back() == ' ' || text.back() == ','))
            text.remove_suffix(1);
        if (!text.empty() && text.back() == '.' && text.find('.') == text.size() - 1 && q.block >= 0 &&
            (q.last_block < 0 || q.last_block == q.block) && !q.close_mark.empty()) {
            const std::string& block = doc_.blocks[static_cast<std::size_t>(q.block)].text;
            const std::size_t after = q.end + q.close_mark.size();
            if (after >= block.size() || block[after] == ' ') text.remove_suffix(1);
        }
        if (text.empty() || text.back() == '.' || text.back() == '!' || text.back() == '?') return false;
        std::size_t capitals = 0;
        std::size_t words = 0;
        for (std::size_t i = 0; i < text.size();) {
            while (i < text.size() && (text[i] == ' ' || text[i] == ':' || text[i] == '-' || text[i] == '&'))
                ++i;
            std::size_t j = i;
            while (j < text.size() && text[j] != ' ')
                ++j;
            if (j == i) break;
            const std::string_view word = text.substr(i, j - i);
            i = j;
            const auto first = utf8::at(word, 0);
            if (utf8::is_east_asian(first.cp)) return false;
            ++words;
            if (utf8::is_upper(first.cp) || utf8::is_digit(first.cp)) {
                ++capitals;
            } else if (std::find(rules_.title_minor_words.begin(), rules_.title_minor_words.end(),
                                 to_lower_ascii(word)) == rules_.title_minor_words.end()) {
                return false;
            }
        }
        return words >= 2 && capitals >= 2;
    }
    // One word in capitals inside a sentence is a name or a title set in marks ("on “DWTS.”", "Oliver Sacks'
    // “Musicophilia”", "a vendor called “Mirkov”"), not words anyone said; a word that opens its sentence may be
    // one ("“Please.”", "“No,” he said"). Not so in a language that writes its nouns in capitals ("von „Kahlschlag“
    // sprechen").
    [[nodiscard]] bool capitalised_name(const Quotation& q) const {
        if (word_count(q) != 1 || q.block < 0 || q.open_mark.empty() || q.text.empty()) return false;
        if (!utf8::is_upper(utf8::at(q.text, 0).cp) || q.text.ends_with('!') || q.text.ends_with('?')) return false;
        if (resolver_.nouns_capitalised()) return false;
        const std::string& text = doc_.blocks[static_cast<std::size_t>(q.block)].text;
        const std::size_t end = end_before_mark(q);
        if (end == 0) return false;
        // After a sentence's end, a colon or a dash the word may open what someone said.
        const char c = text[end - 1];
        if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';') return false;
        const std::string_view head = std::string_view(text).substr(0, end);
        for (std::string_view opener : {"\u2014", "\u2013", "\u201D", "\u201C", "\u00BB", "\u00AB", "\u2026"}) {
            if (head.ends_with(opener)) return false;
        }
        return c != '"' && c != '-' && c != '(';
    }
    [[nodiscard]] bool term_like(const Quotation& q) const { return too_few_words(word_count(q)); }
    // Marked words after "so-called" are a name for something, not words someone said ("the so-called “forever
    // chemicals”"); the rules' `term_openers` list such words.
    [[nodiscard]] bool named_term(const Quotation& q) const {
        if (q.block < 0 || q.open_mark.empty()) return false;
        // One letter in marks is a letter named ("spell dark with a “c”", "Plan “B”"), never words said.
        std::size_t letters = 0;
        bool other = false;
        for (std::size_t i = 0; i < q.text.size() && letters <= 1 && !other;) {
            const utf8::CodePoint c = utf8::at(q.text, i);
            if (c.len == 0) break;
            if (utf8::is_letter(c.cp)) {
                ++letters;
            } else if (c.cp != ' ' && c.cp != '.' && c.cp != ',') {
                other = true;  // a digit or a sign: "“1”", "“&”" are left to the rules below
            }
            i += c.len;
        }
        if (letters == 1 && !other) return true;
        const std::string before = word_before(q);
        if (contains(rules_.term_openers, before)) return true;
        // A title after a work's kind opens with a capital (a letter in ASCII upper case, or any other than ASCII
        // lower case: "L’ultima", "Ángeles").
        const char c = q.text.empty() ? 'a' : q.text.front();
        if (contains(rules_.work_nouns, before) && !(c >= 'a' && c <= 'z')) return true;
        // Marked words joined by a hyphen to the word after them name something ("der „Bild“-Zeitung", "the
        // “Me Too”-era"), in a quotation of one paragraph.
        if (q.close_mark.empty() || (q.last_block >= 0 && q.last_block != q.block)) return false;
        const std::string& text = doc_.blocks[static_cast<std::size_t>(q.block)].text;
        const std::size_t after = q.end + q.close_mark.size();
        return after + 1 < text.size() && text[after] == '-' && utf8::is_letter(utf8::at(text, after + 1).cp);
    }
    // Where the text before the quotation's opening mark ends, spaces left out (0 when nothing stands before it).
    [[nodiscard]] std::size_t end_before_mark(const Quotation& q) const {
        const std::string& text = doc_.blocks[static_cast<std::size_t>(q.block)].text;
        std::size_t end = q.start >= q.open_mark.size() ? q.start - q.open_mark.size() : 0;
        while (end > 0 && text[end - 1] == ' ')
            --end;
        return end;
    }
    // The word right before the quotation's opening mark, in lower case ("so-called", "a", "our").
    [[nodiscard]] std::string word_before(const Quotation& q) const {
        const std::string& text = doc_.blocks[static_cast<std::size_t>(q.block)].text;
        const std::size_t end = end_before_mark(q);
        std::size_t begin = end;
        while (begin > 0 && text[begin - 1] != ' ')
            --begin;
        return to_lower_ascii(std::string_view(text).substr(begin, end - begin));
    }
    // The quotation's text ends with a full stop and its closing mark ends the paragraph or is followed by a space
    // ("… as its “Achilles heel.” While …").
    [[nodiscard]] bool ends_sentence_inside(const Quotation& q) const {
        if (q.close_mark.empty() || !q.text.ends_with('.') || q.text.ends_with("..")) return false;
        const std::string& text = doc_.blocks[static_cast<std::size_t>(q.block)].text;
        // French typography sets a space inside the guillemets ("entière. »").
        std::size_t at = q.end;
        while (at < text.size() && text[at] == ' ')
            ++at;
        for (const std::string_view thin : {"\u00a0", "\u202f"}) {
            while (std::string_view(text).substr(at).starts_with(thin))
                at += thin.size();
        }
        if (!std::string_view(text).substr(at).starts_with(q.close_mark)) return false;
        const std::size_t after = at + q.close_mark.size();
        return after >= text.size() || text[after] == ' ';
    }
    [[nodiscard]] bool too_few_words(std::size_t words) const {
        return rules_.unattributed_min_words != 0 && words < rules_.unattributed_min_words;
    }
    // Words of a quotation; ideographic text has no spaces between words, and two of its characters count as one.
    static std::size_t word_count(const Quotation& q) { return std::max(q.words, ideograph_count(q.text) / 2); }

    // Quotation k+1 goes on with quotation k: the typographic convention (an opening mark on each paragraph, the
    // closing mark only on the last), or the next paragraph of one block quotation without marks.
    [[nodiscard]] bool continues(std::size_t k) const {
        const auto& qs = doc_.quotations;
        if (k + 1 >= qs.size()) return false;
        const Quotation& q = qs[k];
        const Quotation& n = qs[k + 1];
        if (q.open_mark.empty()) return same_block_quotation(q, n);
        return q.close_mark.empty() && (n.block == q.block + 1 || captions_between(q.block, n.block)) &&
               same_kind_of_mark(n.open_mark, q.open_mark) && n.start <= n.open_mark.size() + 1;
    }

    // Two opening marks of one kind, double or single, whatever their shape: a page may open a quotation's first
    // paragraph with “ and the next ones with " (a typographer's and a writer's hands).
    static bool same_kind_of_mark(std::string_view a, std::string_view b) {
        if (a == b) return true;
        auto kind = [](std::string_view m) {
            for (std::string_view d : {"\u201C", "\"", "\u201E", "\u201D", "\u00AB", "\u00BB"}) {
                if (m == d) return 2;
            }
            for (std::string_view s1 : {"\u2018", "'", "\u201A", "\u2019", "\u2039", "\u203A"}) {
                if (m == s1) return 1;
            }
            return 0;
        };
        return kind(a) != 0 && kind(a) == kind(b);
    }

    // The whole of a block quotation's paragraph, without marks; not its signature ("— Ammar Askar").
    [[nodiscard]] bool whole_quoted_block(const Quotation& q) const {
        if (!q.open_mark.empty() || q.block < 0 || static_cast<std::size_t>(q.block) >= doc_.blocks.size())
            return false;
        const Block& b = doc_.blocks[static_cast<std::size_t>(q.block)];
        if (b.kind != BlockKind::blockquote || b.quote_group < 0 || q.start != 0 || q.end != b.text.size())
            return false;
        // With a credit line of its own, a short closing paragraph is a letter's greeting ("Herzliche Grüsse,").
        return credited_groups_.contains(b.quote_group) || !signature(b.text);
    }

    // A block quotation's signature line, not its words: after a dash ("— Ammar Askar"), or a few words with no
    // sentence ending ("Robert Green, Minister of Industry").
    static bool signature(std::string_view text) {
        if (text.starts_with("\u2014") || text.starts_with("\u2013") || text.starts_with("\u2015") ||
            text.starts_with("-")) {
            return true;
        }
        constexpr std::size_t kMaxSignatureWords = 10;
        if (count_words(text) > kMaxSignatureWords) return false;
        for (std::string_view end : {".", "!", "?", "\u2026", "\u201D", "\"", "\u2019", "\u00BB", ":"}) {
            if (text.ends_with(end)) return false;
        }
        return true;
    }

    // Two paragraphs of one <blockquote>, with nothing between them but its other blocks that hold no quotation (a
    // code listing set in it).
    [[nodiscard]] bool same_block_quotation(const Quotation& q, const Quotation& n) const {
        if (!whole_quoted_block(q) || !whole_quoted_block(n) || n.block <= q.block) return false;
        const int group = doc_.blocks[static_cast<std::size_t>(q.block)].quote_group;
        for (int b = q.block + 1; b <= n.block; ++b) {
            const Block& between = doc_.blocks[static_cast<std::size_t>(b)];
            if (between.quote_group != group || between.kind == BlockKind::embed) return false;
            if (b < n.block && quoted_block_[static_cast<std::size_t>(b)]) return false;
            // (A signature between ends what it signs: testimonials one after another in one block quotation.)
            if (between.credit_of >= 0) return false;
        }
        return true;
    }

    [[nodiscard]] Parser parser(std::size_t b) const {
        Parser p(rules_, lex_, doc_.blocks[b].text, prepared_.blocks[b].tokens);
        p.set_language(language_code(doc_.language));
        return p;
    }

    // The first of `occs`, found in block `b`, whose speaker resolves.
    [[nodiscard]] std::optional<Attribution> first_resolved(std::size_t b, const Parser& p,
                                                            const std::vector<Occurrence>& occs) const {
        for (const auto& occ : occs) {
            if (auto r = resolver_.resolve(occ, b, p)) return r;
        }
        return std::nullopt;
    }

    // Scope "intro": the block before the quotation, when it ends with ":"; its last sentence first.
    [[nodiscard]] std::optional<Attribution> try_intro(AttributionShape shape, std::size_t fb) const {
        if (fb == 0) return std::nullopt;
        const std::size_t ib = fb - 1;
        const BlockInfo& intro = prepared_.blocks[ib];
        if (doc_.blocks[ib].kind == BlockKind::embed || !intro.ends_with_colon) return std::nullopt;
        if (intro.sentences.empty()) return std::nullopt;
        const Sentence s = intro.sentences.back();
        const Parser p = parser(ib);
        if (auto a = first_resolved(ib, p, occurrences_last_first(p, shape, s.begin, s.end))) return a;
        return first_resolved(ib, p, occurrences_last_first(p, shape, 0, intro.tokens.size()));
    }

    [[nodiscard]] std::optional<Attribution> try_pattern(const AttributionPattern& pat, std::size_t first_q,
                                                         std::size_t last_q) const {
        const Quotation& qf = doc_.quotations[first_q];
        const Quotation& ql = doc_.quotations[last_q];
        const auto fb = static_cast<std::size_t>(qf.block);
        const auto lb = static_cast<std::size_t>(ql.block);
        const std::size_t ft = prepared_.quote_token[first_q];
        const std::size_t lt = prepared_.quote_token[last_q];
        const std::vector<BlockInfo>& blocks = prepared_.blocks;

        switch (pat.scope) {
            case AttributionScope::after: {
                const Parser p = parser(lb);
                if (pat.shape == AttributionShape::dash_credit) {
                    return first_resolved(lb, p, occurrences_dash_credit(p, blocks[lb], lt));
                }
                if (pat.shape == AttributionShape::name_appositive) {
                    return first_resolved(lb, p, occurrences_name_appositive(p, blocks[lb], lt));
                }
                if (pat.shape == AttributionShape::speaker_tag) {
                    // A page that declares no language is read as English here, as the rules' word lists are.
                    const std::string lang = language_code(doc_.language);
                    if (!lang.empty() && !contains(rules_.tag_verb_languages, lang)) return std::nullopt;
                    return first_resolved(lb, p, occurrences_unlisted_tag(p, blocks[lb], lt));
                }
                return first_resolved(lb, p, occurrences_after(p, blocks[lb], pat.shape, lt));
            }
            case AttributionScope::before: {
                const Parser p = parser(fb);
                auto occs = occurrences_before(p, blocks[fb], pat.shape, ft);
                // "New signs in stores appeared …, spelling out …: “…”": one capitalised word opening the sentence
                // is a name only when the article gives it someone ("Osei was blunt:").
                if (pat.shape == AttributionShape::colon_subject) {
                    const auto& toks = blocks[fb].tokens;
                    std::erase_if(occs, [&](const Occurrence& o) {
                        return o.speaker.kind == SpeakerKind::name && o.speaker.first == o.speaker.last &&
                               !resolver_.named_before(p.printed(o.speaker.first, o.speaker.last), qf.block,
                                                       toks[o.speaker.first].start);
                    });
                }
                return first_resolved(fb, p, occs);
            }
            case AttributionScope::sentence: {
                if (pat.shape == AttributionShape::sentence_person) {
                    // A speech verb in the sentence says who speaks, whether or not its subject could be
                    // resolved ("his official spokesman said: “…”"), unless it is a verb after "to" ("allowed
                    // Mosseri to claim that …").
                    const Parser p = parser(fb);
                    const auto& toks = blocks[fb].tokens;
                    const Sentence s = blocks[fb].sentences[sentence_of(blocks[fb], ft)];
                    for (std::size_t k = s.begin; k < s.end; ++k) {
                        if (toks[k].quotation >= 0 || toks[k].kind != Token::Kind::word) continue;
                        if (p.speech_verb_at(k, s.end) && !(k > s.begin && toks[k - 1].lower == "to")) {
                            return std::nullopt;
                        }
                    }
                    const Mention* m = resolver_.sole_person_in_sentence(fb, ft);
                    if (m == nullptr) return std::nullopt;
                    return Attribution{m->name, m->outlet_name, m->printed, {}, false, m->block, m->pos};
                }
                const Parser p = parser(fb);
                auto occs = occurrences_in_sentence(p, blocks[fb], pat.shape, ft);
                // A title in marks inside the speaker's description ("the “Pose” actor said") is no one's words.
                std::erase_if(occs, [&](const Occurrence& o) { return o.speaker.first <= ft && ft <= o.speaker.last; });
                // A sentence's subject speaks only when it is someone: a pronoun, an outlet, a role the rules list, a
                // group, or a name the article gives a person or a body ("Benioff introduced Cook as “…”"), not
                // "The price was “…”" or "Cheeky horror game “Until Dawn” was …".
                if (pat.shape == AttributionShape::sentence_subject) {
                    const auto& toks = blocks[fb].tokens;
                    // "The former aide is accused of “gross misconduct”", "She was described as “…”": a subject in
                    // the passive (rules' passive_auxiliaries, after auxiliaries at most, then a participle in -ed) is
                    // what the words are about; someone else said them.
                    auto passive_after = [&](std::size_t k) {
                        bool passive = false;
                        for (; k < toks.size() && toks[k].kind == Token::Kind::word; ++k) {
                            const std::string& w = toks[k].lower;
                            if (contains(rules_.passive_auxiliaries, w)) {
                                passive = true;
                            } else if (passive) {
                                return w.size() > 4 && w.ends_with("ed");
                            } else if (!contains(rules_.auxiliaries, w)) {
                                return false;
                            }
                        }
                        return false;
                    };
                    std::erase_if(occs, [&](const Occurrence& o) {
                        const SpeakerRef& sp = o.speaker;
                        if (language_code(doc_.language).empty() || language_code(doc_.language) == "en") {
                            if (passive_after(sp.last + 1)) return true;
                        }
                        switch (sp.kind) {
                            case SpeakerKind::pronoun:
                                // "Il s’agit de « … »": a pronoun before an impersonal verb stands for no one.
                                return sp.last + 1 < toks.size() &&
                                       contains(rules_.impersonal_verbs, toks[sp.last + 1].lower);
                            case SpeakerKind::reference:
                                return toks[sp.first].lower == "it";  // "It was “…”" is the writer's
                            case SpeakerKind::outlet:
                                return false;
                            case SpeakerKind::person_reference:
                                return sp.described;
                            case SpeakerKind::phrase:
                                return !sp.group;
                            case SpeakerKind::name: {
                                // In a language that writes its nouns in capitals, one word opening the sentence is
                                // someone only when the article tells it is ("Die Behörden des 17. Jahrhunderts, so
                                // Foucault, träumten den „…“" is no "Jahrhunderts"): the surname of someone named in
                                // full, a name with a given name or a title, a gender, a body.
                                if (sp.first == sp.last && !sp.claimed && resolver_.nouns_capitalised() &&
                                    !acronym(p.printed(sp.first, sp.last))) {
                                    const Mention* m = resolver_.mention_at(qf.block, toks[sp.first].start);
                                    if (!resolver_.known_surname(toks[sp.first].lower) &&
                                        (m == nullptr || !(resolver_.named_person(*m) || m->gender != Gender::unknown ||
                                                           m->is_organisation || m->is_outlet))) {
                                        return true;
                                    }
                                }
                                // The owner of a claim the sentence names is someone by that alone.
                                return !sp.claimed && !resolver_.named_before(p.printed(sp.first, sp.last), qf.block,
                                                                              toks[sp.first].start);
                            }
                        }
                        return true;
                    });
                }
                return first_resolved(fb, p, occs);
            }
            case AttributionScope::previous_sentence: {
                const Parser p = parser(fb);
                // An inverted tag ending the sentence before ("…, sagte sie. „…“") speaks for a quotation that is a
                // sentence of its own, not for a term in marks inside one ("… das „Derby“ …").
                auto occs = occurrences_in_previous_sentence(p, blocks[fb], pat.shape, ft);
                if (pat.shape == AttributionShape::verb_speaker) {
                    const auto& sentences = blocks[fb].sentences;
                    const std::size_t si = sentence_of(blocks[fb], ft);
                    // (Or one that reports speech by its verb's mood: "…, erklärt Wolff. Das sei gefährlich, denn
                    // „…“".)
                    if (si == 0 || (sentences[si].begin != ft && !reports_speech(blocks[fb], si))) return std::nullopt;
                    // The tag ends that sentence: nothing but punctuation after who speaks. Or it is set off by commas
                    // inside it ("Wahrscheinlich, sagt Trendscout Landowski, werde der Hype abebben. „…“").
                    const auto& toks = blocks[fb].tokens;
                    auto comma = [&](std::size_t k) {
                        return k < toks.size() && toks[k].kind == Token::Kind::punct && toks[k].lower == ",";
                    };
                    // Or the verb opens that sentence after a phrase of time or manner, the subject after it, as
                    // German does ("Darüber hinaus mahnte der HDE-Präsident bessere Rahmenbedingungen an. „…“"): a
                    // sentence about what its speaker said, as "Smith warned of … “…”" is in English.
                    const std::size_t opener = first_word(toks, sentences[si - 1].begin, sentences[si - 1].end);
                    std::erase_if(occs, [&](const Occurrence& o) {
                        if (o.first > sentences[si - 1].begin && comma(o.first - 1) && comma(o.last + 1)) return false;
                        if (p.verb_second_opening(opener, o.first)) return false;
                        for (std::size_t k = o.last + 1; k < sentences[si - 1].end; ++k) {
                            if (toks[k].kind != Token::Kind::punct) return true;
                        }
                        return false;
                    });
                }
                return first_resolved(fb, p, occs);
            }
            case AttributionScope::intro:
                return try_intro(pat.shape, fb);
            case AttributionScope::context: {
                if (pat.shape == AttributionShape::nearest_person) {
                    // One quotation long enough to be said: a term or a scare quote is nobody's words.
                    if (first_q != last_q || term_like(qf)) return std::nullopt;
                    // Not one named in passing, nor an organisation, an outlet or a group: they speak only when
                    // something says so.
                    // (One of the gender a pronoun tagging the words gives: "Jane Smith lost her home. “…,” he
                    // said." is not hers.)
                    const Mention* m =
                        resolver_.last_mention(false, qf.block, qf.start, qf.block - 1, tag_gender(fb, ft), false);
                    // Someone a given name or a title tells is a person: a capitalised phrase may be a place, a book or
                    // a noun ("Oak Grove", "Mein Kampf", "Dutzend Beamte").
                    if (m == nullptr || !resolver_.named_person(*m)) return std::nullopt;
                    // The paragraph before only for a quotation that opens its own.
                    if (m->block != qf.block && qf.start > qf.open_mark.size() + 1) return std::nullopt;
                    // (A block quotation without marks, only after a paragraph that introduces it, as in introduced.)
                    if (m->block != qf.block && qf.open_mark.empty() &&
                        !introduces_words(static_cast<std::size_t>(m->block))) {
                        return std::nullopt;
                    }
                    // One the quotation's own sentence names had their chance in sentence.person, which reads what
                    // the sentence says of them ("accusing Attorney General Walter Bramwell of “…”", "a été nommé
                    // « … »"): a sentence before names whom the words may be of.
                    if (m->block == qf.block) {
                        const Sentence& own = blocks[fb].sentences[sentence_of(blocks[fb], ft)];
                        if (m->pos >= blocks[fb].tokens[own.begin].start) return std::nullopt;
                    }
                    Attribution a{m->name, m->outlet_name, {}, {}, false, m->block, m->pos};
                    a.inferred = true;
                    return a;
                }
                if (pat.shape != AttributionShape::last_outlet || !whole_paragraph(blocks[fb], ft)) return std::nullopt;
                const int min_block = qf.block - rules_.context_blocks;
                const Mention* m = resolver_.last_mention(true, qf.block, qf.start, min_block);
                if (m == nullptr || link_item(m->block)) return std::nullopt;
                return Attribution{m->name, m->name, m->printed, {}, false, m->block, m->pos};
            }
        }
        return std::nullopt;
    }

    // The marked words stand between an article or a possessive and a word in lower case: they modify a noun
    // ("a “direction discrimination” task", "our “eureka!” moments"), and are no saying ("was “known to
    // officers” but …" is one).
    [[nodiscard]] bool inside_noun_phrase(const Quotation& q) const {
        const std::string& text = doc_.blocks[static_cast<std::size_t>(q.block)].text;
        std::size_t k = std::min(q.end + q.close_mark.size(), text.size());
        while (k < text.size() && text[k] == ' ')
            ++k;
        if (k >= text.size()) return false;
        const char32_t next = utf8::at(text, k).cp;
        if (!utf8::is_letter(next) || utf8::is_upper(next)) return false;
        const std::string before = word_before(q);
        static constexpr std::string_view determiners[] = {"a", "an", "the", "this", "these", "those"};
        return std::find(std::begin(determiners), std::end(determiners), before) != std::end(determiners) ||
               std::find(rules_.possessives.begin(), rules_.possessives.end(), before) != rules_.possessives.end();
    }

    // Which patterns a pass over a quotation tries: those that read the words around it; those that fall back on
    // what the article named last (an outlet), tried only once a quotation neither has words of its own nor
    // continues the one before; and, when nothing else has attributed it, the one person its sentence names, then
    // the person named last before it.
    enum class Pass { words, context, last_resort };
    [[nodiscard]] static Pass pass_of(AttributionShape shape) noexcept {
        if (shape == AttributionShape::last_outlet) return Pass::context;
        if (shape == AttributionShape::sentence_person || shape == AttributionShape::nearest_person)
            return Pass::last_resort;
        return Pass::words;
    }

    // The first pattern of the pass that attributes the quotations first_q..last_q.
    [[nodiscard]] Attribution attribute_group(std::size_t first_q, std::size_t last_q, Pass pass) const {
        const Quotation& q = doc_.quotations[first_q];
        if (q.block < 0 || static_cast<std::size_t>(q.block) >= prepared_.blocks.size() ||
            doc_.quotations[last_q].block < 0 || prepared_.blocks[static_cast<std::size_t>(q.block)].tokens.empty() ||
            prepared_.quote_token[first_q] == no_token || prepared_.quote_token[last_q] == no_token) {
            return {};
        }
        for (const auto& pat : rules_.patterns) {
            if (pass_of(pat.shape) != pass) continue;
            if (auto a = try_pattern(pat, first_q, last_q)) {
                // A word or two in marks somewhere in a sentence about what researchers or officials did ("the
                // researchers wondered whether this explains our “eureka!” moments") is a term of the writer's,
                // not the group's words.
                if (a->group && pat.scope == AttributionScope::sentence && first_q == last_q &&
                    word_count(q) <= rules_.partial_max_words && inside_noun_phrase(q)) {
                    continue;
                }
                // A few words in marks in a sentence with a subject and no speech verb are more often the writer's
                // term than the subject's words: the subject attributes only a quotation long enough to be said,
                // or one that ends the sentence with its full stop inside the marks ("Ward sees the lineup as its
                // “Achilles heel.”").
                if ((pat.shape == AttributionShape::sentence_subject ||
                     pat.shape == AttributionShape::sentence_person) &&
                    first_q == last_q && term_like(q) && !ends_sentence_inside(q) && !a->claimed) {
                    continue;
                }
                a->rule = pat.id;
                return *a;
            }
        }
        return {};
    }

    // A list item that is a link and little else ("BBC Africa Live updates from Kenya" under a story): a pointer to
    // another page, not words that introduce what follows.
    [[nodiscard]] bool link_item(int block) const {
        if (block < 0 || static_cast<std::size_t>(block) >= doc_.blocks.size()) return false;
        const Block& b = doc_.blocks[static_cast<std::size_t>(block)];
        return b.kind == BlockKind::list_item && mostly_link_text(b, linked_length(block));
    }

    // A short paragraph, heading or block quotation that is a link and little else ("Fernando Gray y la interna del
    // Frente de Todos: “Hay un desorden, …”" under "Mirá también", a blog's embedded card of another post), or a
    // label of a few words and a colon before one ("Mehr lesen: ‘We are victims who assist victims’: …", "Read
    // more: …"): another page's headline.
    [[nodiscard]] bool headline_link(int block) const {
        constexpr std::size_t kMaxHeadlineWords = 30;
        constexpr std::size_t kMaxLabelWords = 3;
        if (block < 0 || static_cast<std::size_t>(block) >= doc_.blocks.size()) return false;
        const Block& b = doc_.blocks[static_cast<std::size_t>(block)];
        if (b.kind != BlockKind::paragraph && b.kind != BlockKind::heading && b.kind != BlockKind::blockquote)
            return false;
        if (count_words(b.text) > kMaxHeadlineWords) return false;
        // (A block quotation that an introduction ending with a colon presents is someone's words linked to where
        // they were said: "In 1985 he told Rolling Stone:" then the interview's sentence as a link.)
        const bool introduced = b.kind == BlockKind::blockquote && block > 0 &&
                                prepared_.blocks[static_cast<std::size_t>(block) - 1].ends_with_colon;
        if (!introduced && mostly_link_text(b, linked_length(block))) return true;
        const std::size_t colon = b.text.find(':');
        if (colon == std::string::npos || count_words(std::string_view(b.text).substr(0, colon)) > kMaxLabelWords)
            return false;
        for (const std::size_t k : links_in_block_[static_cast<std::size_t>(block)]) {
            const Link& l = doc_.links[k];
            if (l.start > colon && l.start <= colon + 2 && l.end + 1 >= b.text.size()) return true;
        }
        return false;
    }

    // Bytes of block `block`'s text that its links cover.
    [[nodiscard]] std::size_t linked_length(int block) const {
        std::size_t linked = 0;
        for (const std::size_t k : links_in_block_[static_cast<std::size_t>(block)])
            linked += doc_.links[k].end > doc_.links[k].start ? doc_.links[k].end - doc_.links[k].start : 0;
        return linked;
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

    // The claim of quotations first_q..last_q: one quotation, in one block or running over several paragraphs, whose
    // text is theirs joined with one space (with, in a block quotation, the blocks of it between them).
    [[nodiscard]] Claim make_claim(std::size_t first_q, std::size_t last_q, const Attribution& a) const {
        const auto& qs = doc_.quotations;
        const Quotation& first = qs[first_q];
        const Quotation& last = qs[last_q];
        Claim c;
        std::size_t words = word_count(first);
        c.quote = first.text;
        for (std::size_t k = first_q + 1; k <= last_q; ++k) {
            if (qs[k].open_mark.empty()) {
                for (int b = qs[k - 1].block + 1; b < qs[k].block; ++b) {
                    const std::string& between = doc_.blocks[static_cast<std::size_t>(b)].text;
                    c.quote += ' ';
                    c.quote += between;
                    words += count_words(between);
                }
            }
            c.quote += ' ';
            c.quote += qs[k].text;
            words += word_count(qs[k]);
        }
        c.kind = words <= rules_.partial_max_words ? ClaimKind::partial_quote : ClaimKind::quote;
        c.block = first.block;
        c.start = first.start;
        c.end = last.end;
        if (last.block != first.block) c.last_block = last.block;
        c.speaker = a.speaker;
        c.outlet = a.outlet;
        c.attribution = a.phrase;
        c.rule = a.rule;
        c.speaker_inferred = a.inferred;
        c.id = claim_id(doc_.url, first.block, c.quote);
        for (int b = first.block; b <= last.block; ++b)
            add_links(c.linked_urls, b);
        const int intro = first.block - 1;
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
        c.outlet = e.kind == "instagram"                           ? "Instagram"
                   : parts && host_in_domain(parts->host, "x.com") ? "X"
                                                                   : "Twitter";
        c.attribution = e.handle.empty() ? e.author : (e.author.empty() ? e.handle : e.author + " (" + e.handle + ")");
        c.rule = e.kind == "instagram" ? rules_.instagram_embed_rule : rules_.embed_rule;
        c.embed_status_url = e.status_url;
        c.id = claim_id(doc_.url, e.block, e.text);
        add_links(c.linked_urls, e.block, e.status_url);
        return c;
    }

    const Document& doc_;
    const AttributionRules& rules_;
    const Lexicon& lex_;
    std::vector<std::vector<std::size_t>> links_in_block_;  // indexes into doc_.links, by block
    std::vector<bool> quoted_block_;                        // by block: a quotation opens, runs through or closes in it
    std::set<int> credited_groups_;                         // block quotations with a credit line (Block::credit_of)
    PreparedBlocks prepared_;                               // tokens and sentences of the blocks (tokenize.hpp)
    Resolver resolver_;                                     // reads lex_ and prepared_
    std::string last_ideographic_;                    // the name found last by ideographic(), for a pronoun after it
    std::vector<IdeographicName> ideographic_names_;  // in reading order (collect_ideographic_names)
    std::unordered_map<std::string, std::string> ideographic_forms_;  // a name as printed -> the name in full
    bool ideographic_collected_ = false;
};

}  // namespace

}  // namespace attribute::detail

bool described_speaker(std::string_view speaker, const AttributionRules& rules) {
    const std::size_t space = speaker.find(' ');
    if (space == std::string_view::npos) return false;
    const std::string first = to_lower_ascii(speaker.substr(0, space));
    if (first == "the" || attribute::detail::contains(rules.indefinite_determiners, first) ||
        attribute::detail::contains(rules.possessives, first)) {
        return true;  // "the insider", "a source familiar with the matter", "her lawyer"
    }
    // Someone described by whose they are: "Acme's chief executive", "China's ambassador".
    for (std::size_t at = speaker.find(' '); at != std::string_view::npos; at = speaker.find(' ', at + 1)) {
        const std::string_view before = speaker.substr(0, at);
        if (attribute::detail::possessive_length(to_lower_ascii(before)) > 0 && at + 1 < speaker.size() &&
            std::islower(static_cast<unsigned char>(speaker[at + 1])) != 0) {
            return true;
        }
    }
    return false;
}

std::string claim_id(std::string_view url, int block, std::string_view quote) {
    std::string material(url);
    material += '\n';
    material += std::to_string(block);
    material += '\n';
    material += quote;
    return sha256_hex(material).substr(0, 16);
}

struct AttributionLookups::Data {
    Data(const RuleSet& r, const AttributionRules& a) : rules(r), attribution(a), lexicon(attribution, rules) {}
    RuleSet rules;
    AttributionRules attribution;
    attribute::detail::Lexicon lexicon;  // reads the two above
};

AttributionLookups::AttributionLookups(const RuleSet& rules, const AttributionRules& attribution)
    : d_(std::make_unique<Data>(rules, attribution)) {}
AttributionLookups::~AttributionLookups() = default;
const RuleSet& AttributionLookups::rules() const noexcept {
    return d_->rules;
}
const AttributionRules& AttributionLookups::attribution() const noexcept {
    return d_->attribution;
}
const attribute::detail::Lexicon& AttributionLookups::lexicon() const noexcept {
    return d_->lexicon;
}

namespace {

// A speech tag set inside one pair of marks, as French prints it: "« Nous sommes très inquiets, explique Marie
// Dupont, présidente de l’association. Les salaires ne suivent pas. »", "« Nous allons reconstruire, a-t-il promis,
// et plus vite que prévu. »", "“El operativo —explicó la ministra Ana Ruiz— tiene distintos momentos”". After a
// comma inside the quotation, a speech verb opening its clause and who speaks (a speech pattern of the rules, shape
// "verb speaker"), up to the end of that sentence for a name (its appositive with it) or up to the next comma for a
// pronoun; or such a tag alone between two dashes. The tag is no one's words: the quotation is split around it into
// two quotations, the tag left between them as the text that attributes both. Returns the document with its
// quotations so split, or nullopt when none holds such a tag.
std::optional<Document> split_inner_tags(const Document& doc, const AttributionRules& rules,
                                         const attribute::detail::Lexicon& lex) {
    using attribute::detail::Parser;
    using attribute::detail::SpeakerKind;
    using attribute::detail::Token;
    constexpr std::size_t kMinWordsBefore = 2;
    constexpr std::size_t kMaxTagTokens = 16;
    // Only where the language prints its tags so (rules' inner_tag_languages): English puts them outside the marks,
    // and ", so they recorded it" inside a quotation is no tag.
    if (!attribute::detail::contains(rules.inner_tag_languages, attribute::detail::language_code(doc.language)))
        return std::nullopt;
    std::vector<Quotation> out;
    bool split = false;
    for (const Quotation& q : doc.quotations) {
        const bool one_block = q.last_block < 0 || q.last_block == q.block;
        const bool tag_mark = q.text.find(',') != std::string::npos || q.text.find("\u2014") != std::string::npos ||
                              q.text.find("\u2013") != std::string::npos;
        if (!one_block || q.open_mark.empty() || q.close_mark.empty() || !tag_mark) {
            out.push_back(q);
            continue;
        }
        Document one;
        one.blocks.push_back(Block{BlockKind::paragraph, q.text});
        const auto prepared = attribute::detail::prepare_blocks(one, rules);
        const auto& toks = prepared.blocks.front().tokens;
        const Parser p(rules, lex, q.text, toks);
        auto punct = [&](std::size_t k, std::string_view c) {
            return k < toks.size() && toks[k].kind == Token::Kind::punct && toks[k].lower == c;
        };
        bool found = false;
        for (std::size_t k = 0; k + 2 < toks.size() && !found; ++k) {
            // After a comma, or between two dashes ("“El operativo —explicó la ministra Ana Ruiz— tiene …”",
            // "“Questi orologi – scrivono gli attivisti – attirano …”").
            const bool dash = punct(k, "\u2014") || punct(k, "\u2013");
            if ((!punct(k, ",") && !dash) ||
                count_words(std::string_view(q.text).substr(0, toks[k].start)) < kMinWordsBefore) {
                continue;
            }
            // The tag's clause: up to the next full stop (or the quotation's end), or up to the closing dash.
            std::size_t stop = k + 1;
            if (dash) {
                while (stop < toks.size() && stop < k + 1 + kMaxTagTokens && !punct(stop, toks[k].lower))
                    ++stop;
                if (stop >= toks.size() || !punct(stop, toks[k].lower)) continue;
            } else {
                while (stop < toks.size() && stop < k + 1 + kMaxTagTokens && !punct(stop, ".") && !punct(stop, "!") &&
                       !punct(stop, "?"))
                    ++stop;
            }
            auto occs = p.find(AttributionShape::verb_speaker, k + 1, stop);
            // A speech verb of the rules, not one of quote_tag_words ("so" is German "according to", and a word of
            // other languages).
            if (!occs.empty() && p.speech_verb_length(k + 1, stop) == 0) occs.clear();
            if (occs.empty() || occs.front().first != k + 1) {
                // "a-t-il promis" (read "a", "il", "promis"): the pronoun and the participle after the auxiliary.
                occs = p.find(AttributionShape::speaker_verb, k + 1, stop);
                if (occs.empty() || occs.front().speaker.kind != SpeakerKind::pronoun || occs.front().first != k + 2 ||
                    toks[k + 1].kind != Token::Kind::word ||
                    !attribute::detail::contains(rules.perfect_auxiliaries, toks[k + 1].lower)) {
                    continue;
                }
            }
            const auto& o = occs.front();
            std::size_t tag_end = o.last + 1;  // the token after the tag's verb and who speaks
            // "explique Marie Dupont, présidente de l’association.": an appositive goes with a name; "glisse-t-il
            // lorsqu’on le croise devant la bibliothèque.": words in lower case after a pronoun go with the tag, up to
            // the sentence's end.
            const bool named = o.speaker.kind != SpeakerKind::pronoun;
            if ((named && punct(tag_end, ",")) ||
                (tag_end < stop && toks[tag_end].kind == Token::Kind::word && !toks[tag_end].capital)) {
                tag_end = stop;
            }
            if (dash && tag_end != stop) continue;  // between the dashes, nothing else
            if (tag_end < toks.size() && !punct(tag_end, ",") && tag_end != stop) continue;
            Quotation first = q;
            first.text = q.text.substr(0, toks[k].start);
            while (!first.text.empty() && first.text.back() == ' ')
                first.text.pop_back();
            first.end = q.start + first.text.size();
            first.close_mark = toks[k].lower;  // the comma or dash that opens the tag
            first.words = count_words(first.text);
            out.push_back(std::move(first));
            if (tag_end + 1 < toks.size()) {
                Quotation second = q;
                const std::size_t from = toks[tag_end + 1].start;
                second.text = q.text.substr(from);
                second.start = q.start + from;
                second.open_mark = toks[tag_end].lower;  // the comma, full stop or dash that ends the tag
                second.words = count_words(second.text);
                if (second.words > 0) out.push_back(std::move(second));
            }
            found = true;
        }
        if (found) {
            split = true;
        } else {
            out.push_back(q);
        }
    }
    if (!split) return std::nullopt;
    Document copy = doc;
    copy.quotations = std::move(out);
    return copy;
}

}  // namespace

std::vector<Claim> attribute_claims(const Document& doc, const RuleSet& rules, const AttributionRules& attribution) {
    // Claims are quotations and embedded posts: a page with neither (a list of links) has none, and its
    // paragraphs need not be read for speakers.
    if (doc.quotations.empty() && doc.embeds.empty()) return {};
    const attribute::detail::Lexicon lex(attribution, rules);
    const auto split = split_inner_tags(doc, attribution, lex);
    attribute::detail::Attributor a(split ? *split : doc, attribution, lex);
    return a.run();
}

std::vector<Claim> attribute_claims(const Document& doc, const AttributionLookups& lookups) {
    if (doc.quotations.empty() && doc.embeds.empty()) return {};
    const auto split = split_inner_tags(doc, lookups.attribution(), lookups.lexicon());
    attribute::detail::Attributor a(split ? *split : doc, lookups.attribution(), lookups.lexicon());
    return a.run();
}

Result<std::vector<Claim>> attribute_claims(const Document& doc, const RuleSet& rules) {
    auto loaded = load_attribution_rules(rules);
    if (!loaded) return std::unexpected(loaded.error());
    return attribute_claims(doc, rules, *loaded);
}

}  // namespace provcheck
