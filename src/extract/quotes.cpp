#include "extract/quotes.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "extract/utf8.hpp"

namespace provcheck {

namespace {

constexpr std::string_view kDoubleOpen = "\u201C";   // “
constexpr std::string_view kDoubleClose = "\u201D";  // ”
constexpr std::string_view kLowOpen = "\u201E";      // „
constexpr std::string_view kGuilOpen = "\u00AB";     // «
constexpr std::string_view kGuilClose = "\u00BB";    // »
constexpr std::string_view kSingleOpen = "\u2018";   // ‘
constexpr std::string_view kSingleClose = "\u2019";  // ’
constexpr std::string_view kStraight = "\"";
// Two right single marks for a double one, as some news agencies' systems print it ("“It was an attempt,’’ Moy
// said"): a “ closes there.
constexpr std::string_view kTwoSingleClose = "\u2019\u2019";
constexpr std::string_view kSingleGuilOpen = "\u2039";    // ‹
constexpr std::string_view kSingleGuilClose = "\u203A";   // ›
constexpr std::string_view kCornerOpen = "\u300C";        // 「
constexpr std::string_view kCornerClose = "\u300D";       // 」
constexpr std::string_view kWhiteCornerOpen = "\u300E";   // 『
constexpr std::string_view kWhiteCornerClose = "\u300F";  // 』

// reversed_guillemet: »…«, as German and Scandinavian print guillemets.
enum class MarkKind { double_curly, low, guillemet, reversed_guillemet, single_curly, straight, paired };

// Marks that only ever open or only ever close: no context needed to tell them apart.
struct PairedMark {
    std::string_view open;
    std::string_view close;
};
constexpr PairedMark kPaired[] = {
    {kSingleGuilOpen, kSingleGuilClose},
    {kCornerOpen, kCornerClose},
    {kWhiteCornerOpen, kWhiteCornerClose},
};

struct Opener {
    MarkKind kind;
    std::string_view mark;
    std::string_view close = {};  // for MarkKind::paired
};

bool starts_at(std::string_view text, std::size_t i, std::string_view mark) noexcept {
    return text.substr(i, mark.size()) == mark;
}

// Every quotation mark starts with one of these bytes: '"', 0xC2 (« »), 0xE2 (“ ” „ ‘ ’ ‹ ›) or 0xE3 (「 」 『 』).
// Other bytes are passed over without decoding them.
bool may_be_mark(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return u == '"' || u == 0xc2 || u == 0xe2 || u == 0xe3;
}

std::size_t next_char(std::string_view text, std::size_t i) noexcept {
    return i + utf8::sequence_length(static_cast<unsigned char>(text[i]));
}

bool opening_punct(char32_t cp) noexcept {
    return cp == '(' || cp == '[' || cp == '{' || cp == '-' || cp == '/' || cp == 0x2013 || cp == 0x2014 ||
           cp == 0x201C || cp == 0x2018 || cp == 0xAB;
}

// A “ glued to the word before it and followed by no letter or digit: where German prints its closing mark
// ("beschränkt“, erklärte"), and a page mixing the conventions closes with it.
bool curly_open_closes(std::string_view text, std::size_t i) noexcept {
    const auto prev = utf8::before(text, i);
    const auto next = utf8::at(text, i + kDoubleOpen.size());
    return prev.len != 0 && !utf8::is_space(prev.cp) && !may_be_mark(text[i - prev.len]) && !opening_punct(prev.cp) &&
           (next.len == 0 || !(utf8::is_letter(next.cp) || utf8::is_digit(next.cp)));
}

// Is there an opening mark at byte i? Context decides for the ambiguous ones.
std::optional<Opener> opener_at(std::string_view text, std::size_t i) {
    const auto prev = utf8::before(text, i);
    // A curly opening mark with a space after it is a stray mark, not the start of quoted words; guillemets
    // are set with a space inside them in French.
    auto word_follows = [&](std::string_view mark) {
        const auto next = utf8::at(text, i + mark.size());
        return next.len != 0 && !utf8::is_space(next.cp);
    };
    if (starts_at(text, i, kDoubleOpen)) {
        if (word_follows(kDoubleOpen) && !curly_open_closes(text, i))
            return Opener{MarkKind::double_curly, kDoubleOpen};
        return std::nullopt;
    }
    if (starts_at(text, i, kLowOpen)) {
        if (word_follows(kLowOpen)) return Opener{MarkKind::low, kLowOpen};
        return std::nullopt;
    }
    if (starts_at(text, i, kGuilOpen)) return Opener{MarkKind::guillemet, kGuilOpen};
    // »Wir haben Nächte …«: a » with a word right after it and a « after that, which no « opened.
    if (starts_at(text, i, kGuilClose) && word_follows(kGuilClose) &&
        text.find(kGuilOpen, i + kGuilClose.size()) != std::string_view::npos) {
        return Opener{MarkKind::reversed_guillemet, kGuilClose};
    }
    for (const auto& p : kPaired) {
        if (starts_at(text, i, p.open)) return Opener{MarkKind::paired, p.open, p.close};
    }
    // ”dwindling.” : a right mark opening after a space and before a letter, as Swedish and Finnish print it and
    // as a slip of the keyboard does, closed by the next one.
    if (starts_at(text, i, kDoubleClose) && (prev.len == 0 || utf8::is_space(prev.cp) || opening_punct(prev.cp))) {
        const auto next = utf8::at(text, i + kDoubleClose.size());
        if (next.len != 0 && (utf8::is_letter(next.cp) || utf8::is_digit(next.cp)) &&
            text.find(kDoubleClose, i + kDoubleClose.size()) != std::string_view::npos) {
            return Opener{MarkKind::paired, kDoubleClose, kDoubleClose};
        }
    }
    if (starts_at(text, i, kSingleOpen)) {
        const auto next = utf8::at(text, i + kSingleOpen.size());
        if ((prev.len == 0 || !utf8::is_letter(prev.cp) || utf8::is_east_asian(prev.cp)) && next.len != 0 &&
            utf8::is_letter(next.cp)) {
            return Opener{MarkKind::single_curly, kSingleOpen};
        }
        return std::nullopt;
    }
    if (starts_at(text, i, kStraight)) {
        const auto next = utf8::at(text, i + 1);
        // A string in code printed as text ('console.log("[*] skip")', 'query = "…"'): a call's argument right after
        // a name and its bracket, or a value after an equals sign, is no one's words.
        if (prev.len == 1 && prev.cp == '(' && i >= 2) {
            const auto c = static_cast<unsigned char>(text[i - 2]);
            if (std::isalnum(c) != 0 || c == '_' || c == '.') return std::nullopt;
        }
        if (prev.len == 1 && prev.cp == ' ' && i >= 2 && text[i - 2] == '=') return std::nullopt;
        const bool prev_ok = prev.len == 0 || utf8::is_space(prev.cp) || opening_punct(prev.cp);
        if (prev_ok && next.len != 0 && !utf8::is_space(next.cp)) return Opener{MarkKind::straight, kStraight};
        // A stray space after an opening mark that follows a sentence's end or a tag's comma ("he told Cook. " You
        // guys …"): a capital after the space opens the words.
        if (prev.len == 1 && prev.cp == ' ' && i >= 2 && next.len == 1 && next.cp == ' ' &&
            (text[i - 2] == '.' || text[i - 2] == '!' || text[i - 2] == '?' || text[i - 2] == ',' ||
             text[i - 2] == ':')) {
            const auto after = utf8::at(text, i + 2);
            if (after.len != 0 && utf8::is_upper(after.cp)) return Opener{MarkKind::straight, kStraight};
        }
        // So does one opening a paragraph (""" Also all memberships will be extended."): nothing before it to close.
        if (i == 0 && next.len == 1 && next.cp == ' ') {
            const auto after = utf8::at(text, i + 2);
            if (after.len != 0 && utf8::is_upper(after.cp)) return Opener{MarkKind::straight, kStraight};
        }
    }
    return std::nullopt;
}

struct Closer {
    std::size_t at;
    std::string_view mark;
};

// Where a straight or single-curly closing mark can stand in one block's text: after a non-space and before a
// non-letter, non-digit (’ inside don’t or ’s is an apostrophe), or a ’ before kana, an ideograph or Hangul. Whether a
// mark closes depends on its neighbours only, so the places are found in one pass, when first needed; an opening mark
// without its closer then costs a binary search instead of a scan to the end of the block.
class WordEndMarks {
public:
    explicit WordEndMarks(std::string_view text) : text_(text) {}

    std::optional<Closer> first(std::string_view mark, std::size_t from) {
        if (!built_) build();
        const auto& at = mark == kStraight ? straight_ : single_;
        const auto it = std::lower_bound(at.begin(), at.end(), from);
        if (it == at.end()) return std::nullopt;
        if (mark == kSingleClose) {
            // A plural possessive ("the residents’ money") closes nothing when a later ’ can close the quotation.
            for (auto x = it; x != at.end(); ++x) {
                if (!plural_possessive(*x)) return Closer{*x, mark};
            }
        }
        return Closer{*it, mark};
    }
    // The first “ or ” at or after `from` (npos when none), found by binary search as the closing marks are.
    std::size_t first_curly(bool opening, std::size_t from) {
        if (!built_) build();
        const auto& at = opening ? curly_open_ : curly_close_;
        const auto it = std::lower_bound(at.begin(), at.end(), from);
        return it == at.end() ? std::string_view::npos : *it;
    }

private:
    // ’ after an "s" and before a space and a word in lower case: "the residents’ money".
    [[nodiscard]] bool plural_possessive(std::size_t i) const {
        if (i == 0 || (text_[i - 1] != 's' && text_[i - 1] != 'S')) return false;
        const std::size_t after = i + kSingleClose.size();
        if (after + 1 >= text_.size() || text_[after] != ' ') return false;
        const auto next = utf8::at(text_, after + 1);
        return next.len != 0 && utf8::is_letter(next.cp) && !utf8::is_upper(next.cp);
    }

    void build() {
        built_ = true;
        for (std::size_t i = 0; i < text_.size(); i = next_char(text_, i)) {
            if (!may_be_mark(text_[i])) continue;
            if (starts_at(text_, i, kDoubleOpen)) curly_open_.push_back(i);
            if (starts_at(text_, i, kDoubleClose)) curly_close_.push_back(i);
            for (const std::string_view mark : {kStraight, kSingleClose}) {
                if (!starts_at(text_, i, mark)) continue;
                const auto prev = utf8::before(text_, i);
                const auto next = utf8::at(text_, i + mark.size());
                bool prev_ok = prev.len != 0 && !utf8::is_space(prev.cp);
                // (A particle right after the mark in a script written without apostrophes is no word going on:
                // "‘리벤지’의 성격".)
                const bool next_ok = next.len == 0 || !(utf8::is_letter(next.cp) || utf8::is_digit(next.cp)) ||
                                     (mark == kSingleClose && utf8::is_east_asian(next.cp));
                // A space slipped in before a straight closing mark after a sentence's end ("ourselves? " she
                // wrote"): the mark still closes, when a space or the end follows it.
                if (!prev_ok && mark == kStraight && prev.len == 1 && prev.cp == ' ' && i >= 2 &&
                    (text_[i - 2] == '.' || text_[i - 2] == '?' || text_[i - 2] == '!' || text_[i - 2] == ',') &&
                    (next.len == 0 || utf8::is_space(next.cp))) {
                    prev_ok = true;
                }
                if (prev_ok && next_ok) (mark == kStraight ? straight_ : single_).push_back(i);
            }
        }
    }

    std::string_view text_;
    bool built_ = false;
    std::vector<std::size_t> straight_;
    std::vector<std::size_t> single_;
    std::vector<std::size_t> curly_open_;
    std::vector<std::size_t> curly_close_;
};

// First closing mark for `open` at or after byte `from`.
// Pages that mix straight and curly double marks ("“…," he said, "…”") close a quotation with the other kind:
// a straight opening mark closes at a ” that comes before any straight closing mark (and any “), and a “ closes
// at a straight closing mark met before any straight opening one (a straight pair nested inside opens first).
std::optional<Closer> find_closer(std::string_view text, std::size_t from, const Opener& open, WordEndMarks& marks) {
    if (open.kind == MarkKind::single_curly) return marks.first(kSingleClose, from);
    if (open.kind == MarkKind::straight) {
        auto straight = marks.first(kStraight, from);
        const std::size_t limit = straight ? straight->at : text.size();
        const std::size_t curly = marks.first_curly(false, from);
        if (curly < limit && marks.first_curly(true, from) > curly) return Closer{curly, kDoubleClose};
        return straight;
    }
    bool straight_opened = false;  // for a “: a straight mark met before that does not close (a nested pair opens)
    std::size_t i = from;
    while (i < text.size()) {
        if (!may_be_mark(text[i])) {
            i = next_char(text, i);
            continue;
        }
        switch (open.kind) {
            // A second opening mark of the same kind before any closing one leaves the first unbalanced.
            case MarkKind::double_curly:
                if (starts_at(text, i, kStraight) && !straight_opened) {
                    if (const auto c = marks.first(kStraight, i); c && c->at == i) {
                        return Closer{i, kStraight};
                    }
                    straight_opened = true;
                }
                if (starts_at(text, i, kDoubleClose)) return Closer{i, kDoubleClose};
                if (starts_at(text, i, kDoubleOpen)) {
                    // ("“… beschränkt“, erklärte eine Sprecherin")
                    if (i > from && curly_open_closes(text, i)) return Closer{i, kDoubleOpen};
                    return std::nullopt;
                }
                if (starts_at(text, i, kTwoSingleClose)) {
                    const auto next = utf8::at(text, i + kTwoSingleClose.size());
                    if (next.len == 0 || !utf8::is_letter(next.cp)) return Closer{i, kTwoSingleClose};
                }
                break;
            case MarkKind::low:
                if (starts_at(text, i, kDoubleOpen)) return Closer{i, kDoubleOpen};
                if (starts_at(text, i, kDoubleClose)) return Closer{i, kDoubleClose};
                if (starts_at(text, i, kLowOpen)) return std::nullopt;
                break;
            case MarkKind::guillemet:
                if (starts_at(text, i, kGuilClose)) return Closer{i, kGuilClose};
                if (starts_at(text, i, kGuilOpen)) return std::nullopt;
                break;
            case MarkKind::reversed_guillemet:
                if (starts_at(text, i, kGuilOpen)) return Closer{i, kGuilOpen};
                if (starts_at(text, i, kGuilClose)) return std::nullopt;
                break;
            case MarkKind::paired:
                if (starts_at(text, i, open.close)) return Closer{i, open.close};
                if (starts_at(text, i, open.mark)) return std::nullopt;
                break;
            case MarkKind::single_curly:
            case MarkKind::straight:
                break;  // answered by WordEndMarks above
        }
        i = next_char(text, i);
    }
    return std::nullopt;
}

// The next paragraph, opening with `open`, is all quotation: its quotation runs on past its end or closes at it,
// with nothing after the closing mark but punctuation. A paragraph that closes its quotation early and goes on
// ("“We lost,” said councillor Mary Jones.") holds someone's words of its own, not a continuation.
bool all_quotation(std::string_view next, const Opener& open) {
    WordEndMarks marks(next);
    const auto close = find_closer(next, open.mark.size(), open, marks);
    if (!close) return true;
    for (std::size_t i = close->at + close->mark.size(); i < next.size(); ++i) {
        const char c = next[i];
        if (c != ' ' && c != '.' && c != ',' && c != '!' && c != '?' && c != ';' && c != ':') return false;
    }
    return true;
}

// The next paragraph, opening with `open`, closes its quotation with a comma (or "?" or "!") and ends with a short tag
// after it that names no one new ("“These guards …,” Sasse said.", "…,” he added."): the end of a quotation a
// tagged paragraph left open, as the typographic convention prints one speaker's words over two paragraphs. A tag
// naming someone in full or describing them ("said councillor Mary Jones, who …") brings another speaker's words.
bool closes_then_tags(std::string_view next, const Opener& open) {
    constexpr std::size_t kMaxTagWords = 3;
    WordEndMarks marks(next);
    const auto close = find_closer(next, open.mark.size(), open, marks);
    if (!close || close->at == 0) return false;
    const std::string_view words = trim(next.substr(0, close->at));
    if (words.empty() || (words.back() != ',' && words.back() != '?' && words.back() != '!')) return false;
    const std::string_view tag = trim(next.substr(close->at + close->mark.size()));
    if (tag.empty() || tag.back() != '.' || count_words(tag) > kMaxTagWords) return false;
    if (tag.find(',') != std::string_view::npos || tag.find(open.mark) != std::string_view::npos) return false;
    // At most one word in capitals: a surname or a pronoun, not a full name.
    std::size_t capitals = 0;
    bool word_start = true;
    for (std::size_t i = 0; i < tag.size();) {
        const auto c = utf8::at(tag, i);
        const bool letter = utf8::is_letter(c.cp);
        if (letter && word_start && utf8::is_upper(c.cp)) ++capitals;
        word_start = !letter && c.cp != '-' && c.cp != '\'';
        i += c.len == 0 ? 1 : c.len;
    }
    return capitals <= 1;
}

// Where a block quotation's own credit line starts, when the block closes with one: a dash after white space or
// the quotation's last punctuation, then a name of one to five words in capitals (with the small words names hold:
// "- Nat Friedman", "—Joshua N.", "— Alan Kay"), and at most a short description set off by a comma ("— Margaret
// Olsen, Riverside"); no quotation mark and no full stop closing a sentence in it. text.size() when there is none:
// the whole block is the quotation.
std::size_t credit_start(std::string_view text) {
    constexpr std::size_t kMaxNameWords = 5;
    constexpr std::size_t kMaxDescriptionWords = 10;
    constexpr std::size_t kMinQuotedWords = 4;
    constexpr std::size_t kMaxCredit = 160;
    const std::size_t from = text.size() > kMaxCredit ? text.size() - kMaxCredit : 0;
    for (std::size_t i = text.size(); i-- > from;) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80 && c < 0xc0) continue;  // inside a character
        const bool dash =
            c == '-' || starts_at(text, i, "\u2014") || starts_at(text, i, "\u2013") || starts_at(text, i, "\u2015");
        if (!dash) continue;
        const utf8::CodePoint prev = utf8::before(text, i);
        if (prev.len == 0 || !(utf8::is_space(prev.cp) || prev.cp == '.' || prev.cp == '!' || prev.cp == '?' ||
                               prev.cp == 0x201D || prev.cp == '"')) {
            continue;
        }
        if (count_words(text.substr(0, i)) < kMinQuotedWords) return text.size();
        std::string_view rest = text.substr(i + utf8::at(text, i).len);
        while (!rest.empty() && rest.front() == ' ')
            rest.remove_prefix(1);
        if (rest.empty() || !utf8::is_upper(utf8::at(rest, 0).cp)) return text.size();
        std::size_t name_words = 0;
        std::size_t description_words = 0;
        bool described = false;
        std::size_t k = 0;
        while (k < rest.size()) {
            std::size_t e = rest.find(' ', k);
            if (e == std::string_view::npos) e = rest.size();
            std::string_view w = rest.substr(k, e - k);
            k = e + 1;
            if (w.empty()) continue;
            if (w.find_first_of("\"()[]") != std::string_view::npos || w.find("\u201C") != std::string_view::npos ||
                w.find("\u201D") != std::string_view::npos) {
                return text.size();
            }
            const bool comma = w.back() == ',';
            if (comma) w.remove_suffix(1);
            // A full stop only after an initial or an abbreviation ("N.", "Jr.", "Ph.D."), or at the very end.
            if (w.size() > 1 && (w.back() == '.' || w.back() == '!' || w.back() == '?') && k < rest.size()) {
                const std::string_view stem = w.substr(0, w.size() - 1);
                if (stem.size() > 2 && stem.find('.') == std::string_view::npos) return text.size();
            }
            if (described) {
                if (++description_words > kMaxDescriptionWords) return text.size();
                continue;
            }
            const bool capital = !w.empty() && utf8::is_upper(utf8::at(w, 0).cp);
            constexpr std::string_view kSmall[] = {"de", "van", "von", "der", "bin", "al",  "la",  "le",
                                                   "da", "di",  "du",  "del", "dos", "ibn", "ben", "el"};
            if (!capital && std::find(std::begin(kSmall), std::end(kSmall), w) == std::end(kSmall)) {
                return text.size();
            }
            if (++name_words > kMaxNameWords) return text.size();
            if (comma) described = true;
        }
        return name_words > 0 ? i : text.size();
    }
    return text.size();
}

// A double mark: curly (“) or straight (").
bool double_mark(const Opener& o) noexcept {
    return o.kind == MarkKind::double_curly || (o.kind == MarkKind::straight && o.mark == "\"");
}

bool can_continue(MarkKind k) noexcept {
    return k != MarkKind::single_curly && k != MarkKind::paired;
}

bool trim_space(char c) noexcept {
    return c == ' ';
}

// A paragraph whose first quotation mark closes ("We just needed time, …," admits Andrew Hill": a ” before any “, or
// the first of an odd number of straight double marks), right after a comma or a sentence's stop and before a space
// or the end, with a few words before it and none of them a mark: the page left the opening mark out (a drop cap set
// it apart). Where that closing mark stands and the mark itself; none otherwise.
std::optional<std::pair<std::size_t, std::string_view>> opening_left_out(std::string_view text) {
    constexpr std::size_t kMinWords = 4;
    if (text.empty() || may_be_mark(text[0])) return std::nullopt;
    std::size_t straight = 0;
    for (const char c : text)
        straight += c == '"' ? 1 : 0;
    for (std::size_t i = 0; i < text.size(); i = next_char(text, i)) {
        if (!may_be_mark(text[i])) continue;
        std::string_view mark;
        if (starts_at(text, i, "\u201D")) {
            mark = "\u201D";
        } else if (text[i] == '"' && straight % 2 == 1) {
            mark = "\"";
        } else if (opener_at(text, i)) {
            return std::nullopt;  // a mark that opens comes first
        } else {
            continue;
        }
        const char before = i > 0 ? text[i - 1] : ' ';
        const std::size_t after = i + mark.size();
        if ((before != ',' && before != '.' && before != '?' && before != '!') ||
            (after < text.size() && text[after] != ' ') || count_words(text.substr(0, i)) < kMinWords) {
            return std::nullopt;
        }
        return std::pair{i, mark};
    }
    return std::nullopt;
}

Quotation make_quotation(std::string_view text, int block, std::size_t start, std::size_t end, std::string_view open,
                         std::string_view close) {
    while (start < end && trim_space(text[start]))
        ++start;
    while (end > start && trim_space(text[end - 1]))
        --end;
    Quotation q;
    q.text = std::string(text.substr(start, end - start));
    q.block = block;
    q.last_block = block;
    q.start = start;
    q.end = end;
    q.open_mark = std::string(open);
    q.close_mark = std::string(close);
    q.words = count_words(q.text);
    return q;
}

// A dialogue tag inside one pair of marks, as Russian prints it: "«Городу, — продолжила Мирошниченко, — нужен
// аудит»". The tag stands between two dashes with spaces, after a comma, "!", "?" or "…" that ends the first part
// and before a comma or full stop that ends the tag; it is a few words and holds no marks of its own. Returns
// where the first part ends (after its punctuation), the two dashes and where the second part starts; nullopt when
// the quotation holds no such tag.
struct InnerTag {
    std::size_t first_end;         // the first part's end (after its punctuation)
    std::string_view first_dash;   // the dash that closes the first part
    std::string_view second_dash;  // the dash that opens the second
    std::size_t second;            // the second part's start
};
std::optional<InnerTag> inner_tag(std::string_view text, std::size_t start, std::size_t end) {
    constexpr std::size_t kMaxTagWords = 10;
    auto dash_at = [&](std::size_t i) -> std::size_t {  // bytes of an em or en dash at i, else 0
        for (std::string_view d : {"\u2014", "\u2013"}) {
            if (text.substr(i, d.size()) == d) return d.size();
        }
        return 0;
    };
    for (std::size_t i = start; i + 1 < end; ++i) {
        const std::size_t dl = dash_at(i);
        if (dl == 0 || i < start + 2 || text[i - 1] != ' ') continue;
        // The first part ends with its punctuation right before " — ".
        const std::size_t p = i - 1;
        const std::string_view before = text.substr(start, p - start);
        const bool ends =
            before.ends_with(",") || before.ends_with("!") || before.ends_with("?") || before.ends_with("\u2026");
        if (!ends || i + dl >= end || text[i + dl] != ' ') continue;
        // The tag: words up to ", — " or ". — ".
        std::size_t words = 0;
        bool in_word = false;
        for (std::size_t j = i + dl + 1; j + 1 < end; ++j) {
            const char c = text[j];
            if (c == ' ') {
                in_word = false;
                continue;
            }
            if (!in_word) ++words;
            in_word = true;
            if (words > kMaxTagWords || c == '"' || text.substr(j, 2) == "\u00AB" || text.substr(j, 2) == "\u00BB")
                break;
            if ((c == ',' || c == '.') && j + 2 < end && text[j + 1] == ' ') {
                const std::size_t d2 = dash_at(j + 2);
                if (d2 == 0) {
                    if (c == '.') break;
                    continue;
                }
                std::size_t second = j + 2 + d2;
                while (second < end && text[second] == ' ')
                    ++second;
                if (second >= end || words == 0) return std::nullopt;
                return InnerTag{p, text.substr(i, dl), text.substr(j + 2, d2), second};
            }
        }
    }
    return std::nullopt;
}

bool overlaps(const Quotation& q, const TextRange& r) noexcept {
    return q.start < r.second && r.first < q.end;
}

}  // namespace

std::size_t count_words(std::string_view text) noexcept {
    std::size_t words = 0;
    bool in_word = false;
    bool counted = false;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = utf8::at(text, i);
        if (utf8::is_space(c.cp)) {
            in_word = false;
        } else {
            if (!in_word) counted = false;
            in_word = true;
            if (!counted && (utf8::is_letter(c.cp) || utf8::is_digit(c.cp))) {
                ++words;
                counted = true;
            }
        }
        i += c.len;
    }
    return words;
}

std::vector<Quotation> find_quotations(std::span<const Block> blocks,
                                       std::span<const std::vector<TextRange>> element_quotes, std::size_t max,
                                       std::size_t* dropped) {
    std::vector<Quotation> out;
    std::size_t past_max = 0;
    auto keep = [&](Quotation q) {
        if (out.size() < max) {
            out.push_back(std::move(q));
        } else {
            ++past_max;
        }
    };
    for (std::size_t b = 0; b < blocks.size(); ++b) {
        const Block& block = blocks[b];
        if (block.credit_of >= 0) continue;  // a block quotation's credit line says who spoke, not what
        if (block.kind == BlockKind::embed) continue;
        const std::string_view text = block.text;
        const int bi = static_cast<int>(b);
        const std::size_t first_here = out.size();
        const std::size_t dropped_before = past_max;
        WordEndMarks word_end_marks(text);
        std::size_t i = 0;
        if (const auto left_out = opening_left_out(text)) {
            Quotation q = make_quotation(text, bi, 0, left_out->first, "", left_out->second);
            if (!q.text.empty()) keep(std::move(q));
            i = left_out->first + left_out->second.size();
        }
        bool unbalanced_before = false;  // a mark earlier in the paragraph quoted nothing
        std::size_t code = 0;            // the first of block.code not yet passed
        while (i < text.size()) {
            while (code < block.code.size() && block.code[code].second <= i)
                ++code;
            if (code < block.code.size() && block.code[code].first <= i) {
                i = block.code[code].second;
                continue;
            }
            const auto open = may_be_mark(text[i]) ? opener_at(text, i) : std::nullopt;
            if (!open) {
                i = next_char(text, i);
                continue;
            }
            const std::size_t inner = i + open->mark.size();
            if (const auto close = find_closer(text, inner, *open, word_end_marks)) {
                // "«Городу, — продолжила Мирошниченко, — нужен аудит»": two segments of one quotation, the tag
                // between them left out; the dashes stand for the marks the tag closes and opens.
                if (const auto tag = inner_tag(text, inner, close->at)) {
                    Quotation first = make_quotation(text, bi, inner, tag->first_end, open->mark, tag->first_dash);
                    Quotation second = make_quotation(text, bi, tag->second, close->at, tag->second_dash, close->mark);
                    if (!first.text.empty()) keep(std::move(first));
                    if (!second.text.empty()) keep(std::move(second));
                    i = close->at + close->mark.size();
                    continue;
                }
                Quotation q = make_quotation(text, bi, inner, close->at, open->mark, close->mark);
                // ‘n’ in rock ‘n’ roll is an elision, not a quotation of a single letter.
                const bool elision = open->kind == MarkKind::single_curly && count_words(q.text) == 1 &&
                                     utf8::at(q.text, 0).len == q.text.size();
                if (!q.text.empty() && !elision) keep(std::move(q));
                i = close->at + close->mark.size();
                continue;
            }
            // The next paragraph opens with the same mark, or with the other double mark (“ then ": a page's
            // typographer and its writer at work on one quotation).
            std::optional<Opener> next_open;
            if (b + 1 < blocks.size() && blocks[b + 1].kind != BlockKind::embed) {
                const std::string_view next = blocks[b + 1].text;
                if (starts_at(next, 0, open->mark)) {
                    next_open = *open;
                } else if (double_mark(*open) && !next.empty() && may_be_mark(next[0])) {
                    if (auto other = opener_at(next, 0); other && double_mark(*other)) next_open = other;
                }
            }
            const bool next_opens = next_open.has_value();
            // The convention opens a quotation at a paragraph's start, after a colon ("said: “…"), or after the
            // dialogue tag of a quotation closed before it ("“…,” she said. “…", "“…,” he said, “…"); a mark left open
            // elsewhere in a sentence is a typo, and continuing it would swallow the next paragraph's own quotation.
            const std::string_view lead = trim(text.substr(0, i));
            // (The next paragraph may close the quotation and tag it: "“…” then "“These guards …,” Sasse said.")
            const bool after_tag =
                out.size() != first_here &&
                (lead.ends_with(".") || lead.ends_with("!") || lead.ends_with("?") || lead.ends_with(",")) &&
                next_opens &&
                (all_quotation(blocks[b + 1].text, *next_open) || closes_then_tags(blocks[b + 1].text, *next_open));
            // A partial quotation that runs to the paragraph's end, its sentence ended, and goes on in the next
            // paragraph, which is all quotation (news agencies' style: "Pompeo said the release “gives us hope
            // … support." then "“We see these developments …”"): no other mark opens after it.
            const std::string_view rest = trim(text.substr(inner));
            const bool runs_on = next_opens && (rest.ends_with(".") || rest.ends_with("!") || rest.ends_with("?")) &&
                                 rest.find(open->mark) == std::string_view::npos &&
                                 all_quotation(blocks[b + 1].text, *next_open);
            const bool opens_paragraph = lead.empty() || lead.ends_with(":") || after_tag || runs_on;
            // Single marks run on too where the next paragraph is all quotation in them (British papers' style:
            // "He said: ‘…" then "‘… .’").
            const bool single_runs_on = open->kind == MarkKind::single_curly && next_opens &&
                                        (lead.empty() || lead.ends_with(":")) &&
                                        all_quotation(blocks[b + 1].text, *next_open);
            if ((can_continue(open->kind) || single_runs_on) && next_opens && opens_paragraph) {
                Quotation q = make_quotation(text, bi, inner, text.size(), open->mark, "");
                if (!q.text.empty()) keep(std::move(q));
                break;
            }
            // A closing mark left out at the end of a paragraph ("Fire chief Arkwright-Soto was blunt: “This fire was
            // started deliberately."): an opening mark that only ever opens (“ « „), after a colon (inside a
            // sentence, "called it “a trap and walked out.", the mark more likely left open too early), after no mark
            // left unbalanced, with the rest of the paragraph one quoted stretch ending its sentence and holding no
            // other mark; the next paragraph does not go on with it. A straight double mark right after the colon
            // opens too ("Varadkar explained: \"They were proposing … down again.").
            const bool unambiguous = open->kind == MarkKind::double_curly || open->kind == MarkKind::guillemet ||
                                     open->kind == MarkKind::reversed_guillemet || open->kind == MarkKind::low ||
                                     (open->kind == MarkKind::straight && open->mark == "\"");
            if (unambiguous && !next_opens && lead.ends_with(":") && !unbalanced_before &&
                (rest.ends_with(".") || rest.ends_with("!") || rest.ends_with("?")) &&
                rest.find_first_of("\"") == std::string_view::npos && rest.find("\u201C") == std::string_view::npos &&
                rest.find("\u201D") == std::string_view::npos && rest.find("\u00AB") == std::string_view::npos &&
                rest.find("\u00BB") == std::string_view::npos && rest.find("\u201E") == std::string_view::npos) {
                Quotation q = make_quotation(text, bi, inner, text.size(), open->mark, "");
                if (!q.text.empty()) keep(std::move(q));
                break;
            }
            unbalanced_before = true;
            i = inner;  // unbalanced: the mark quotes nothing, and the scan goes on after it
        }
        bool found_marks = out.size() != first_here || past_max != dropped_before;
        if (found_marks && past_max == dropped_before && block.kind == BlockKind::blockquote) {
            // A block quotation of prose whose marks hold only a few words each, and less than half its text,
            // quotes someone who set terms in marks ("… because they are “table stakes”. You used to …"): the
            // block is the quotation, the marks inside it are its own. A dialogue tag between quotations ("“…,”
            // she said") leaves the marks their quotations.
            constexpr std::size_t kMaxTermWords = 4;
            constexpr std::size_t kMinProseWords = 12;
            std::size_t marked = 0;
            std::size_t marked_words = 0;
            bool terms = true;
            for (std::size_t k = first_here; k < out.size(); ++k) {
                marked += out[k].end - out[k].start + out[k].open_mark.size() + out[k].close_mark.size();
                marked_words += out[k].words;
                terms = terms && out[k].words <= kMaxTermWords;
            }
            if (terms && 2 * marked < text.size() && count_words(text) >= marked_words + kMinProseWords) {
                out.resize(first_here);
                found_marks = false;
            }
        }
        if (!found_marks && block.kind == BlockKind::blockquote && !block.text.empty()) {
            // Without its credit line ("… - Nat Friedman"), which says who spoke.
            keep(make_quotation(text, bi, 0, credit_start(text), "", ""));
        }
        if (b < element_quotes.size()) {
            // The quotations found so far in this block follow one another without overlapping, so their ends
            // rise with their starts: the one a <q> range could overlap is found by binary search.
            const auto marks_begin = out.begin() + static_cast<std::ptrdiff_t>(first_here);
            const auto marks_end = out.end();
            // The <q> ranges come in the order of their start tags: one overlaps an earlier one taken (a <q>
            // nested in another) exactly when it starts before the furthest end taken so far.
            std::vector<Quotation> from_elements;
            std::size_t taken_end = 0;
            for (const auto& r : element_quotes[b]) {
                if (r.first >= r.second || r.second > text.size()) continue;
                const auto q =
                    std::partition_point(marks_begin, marks_end, [&](const Quotation& x) { return x.end <= r.first; });
                if (q != marks_end && overlaps(*q, r)) continue;
                Quotation made = make_quotation(text, bi, r.first, r.second, "", "");
                if (made.text.empty()) continue;
                if (r.first < taken_end) continue;
                taken_end = std::max(taken_end, made.end);
                if (out.size() + from_elements.size() < max) {
                    from_elements.push_back(std::move(made));
                } else {
                    ++past_max;
                }
            }
            for (auto& q : from_elements)
                out.push_back(std::move(q));
        }
        std::sort(out.begin() + static_cast<std::ptrdiff_t>(first_here), out.end(),
                  [](const Quotation& a, const Quotation& c) { return a.start < c.start; });
    }
    if (dropped != nullptr) *dropped = past_max;
    return out;
}

}  // namespace provcheck
