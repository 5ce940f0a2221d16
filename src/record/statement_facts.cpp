#include "record/statement_facts.hpp"

#include <nlohmann/json.hpp>

#include <deque>
#include <optional>
#include <utility>

#include "record/claim_statement.hpp"
#include "record/compact_json.hpp"

namespace provcheck {

namespace {

using nlohmann::json;

// A JSON value as the small parser reads it: strings decoded, numbers only as non-negative integers. Strings
// are views: into the payload itself when they hold no escape (nearly all of them, so a statement's strings
// cost no allocation), otherwise into the parser's storage of decoded strings. A Node lives no longer than
// both.
struct Node {
    enum class Kind : unsigned char { null, boolean, number, string, array, object };
    Kind kind = Kind::null;
    std::string_view text;
    std::uint64_t number = 0;
    bool plain_number = false;           // a number written as digits only that fits 64 bits: `number` holds it
    std::vector<Node> items;             // array items, or the values of object members
    std::vector<std::string_view> keys;  // object member names, parallel to items
};

// Strict JSON (RFC 8259) restricted to what statements use. read() is false both for invalid JSON and for
// what it leaves to nlohmann-json (\u escapes, very deep nesting), so a false means only "ask the general
// parser". Numbers are checked for their syntax; only plain unsigned integers are given a value.
class SmallParser {
public:
    SmallParser(std::string_view text, std::deque<std::string>& decoded) : s_(text), decoded_(decoded) {}

    bool read(Node& out) {
        if (!value(out, 0)) return false;
        skip_space();
        return i_ == s_.size();
    }

private:
    static constexpr int max_depth = 32;

    void skip_space() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t'))
            ++i_;
    }

    bool take(char c) {
        skip_space();
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }

    bool word(std::string_view w) {
        if (s_.substr(i_, w.size()) != w) return false;
        i_ += w.size();
        return true;
    }

    bool value(Node& out, int depth) {
        if (depth > max_depth) return false;
        skip_space();
        if (i_ == s_.size()) return false;
        switch (s_[i_]) {
            case '{':
                return object(out, depth);
            case '[':
                return array(out, depth);
            case '"':
                out.kind = Node::Kind::string;
                return string(out.text);
            case 't':
                out.kind = Node::Kind::boolean;
                return word("true");
            case 'f':
                out.kind = Node::Kind::boolean;
                return word("false");
            case 'n':
                out.kind = Node::Kind::null;
                return word("null");
            default:
                return number(out);
        }
    }

    bool object(Node& out, int depth) {
        out.kind = Node::Kind::object;
        ++i_;
        if (take('}')) return true;
        do {
            skip_space();
            std::string_view key;
            if (i_ == s_.size() || s_[i_] != '"' || !string(key) || !take(':')) return false;
            out.keys.push_back(key);
            out.items.emplace_back();
            if (!value(out.items.back(), depth + 1)) return false;
        } while (take(','));
        return take('}');
    }

    bool array(Node& out, int depth) {
        out.kind = Node::Kind::array;
        ++i_;
        if (take(']')) return true;
        do {
            out.items.emplace_back();
            if (!value(out.items.back(), depth + 1)) return false;
        } while (take(','));
        return take(']');
    }

    bool digits() {
        const std::size_t start = i_;
        while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9')
            ++i_;
        return i_ > start;
    }

    bool number(Node& out) {
        out.kind = Node::Kind::number;
        const std::size_t start = i_;
        const bool negative = i_ < s_.size() && s_[i_] == '-';
        if (negative) ++i_;
        const std::size_t int_start = i_;
        if (!digits()) return false;
        const std::size_t int_digits = i_ - int_start;
        if (int_digits > 1 && s_[int_start] == '0') return false;
        bool fraction_or_exponent = false;
        if (i_ < s_.size() && s_[i_] == '.') {
            ++i_;
            if (!digits()) return false;
            fraction_or_exponent = true;
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            if (!digits()) return false;
            fraction_or_exponent = true;
        }
        out.plain_number = !negative && !fraction_or_exponent && int_digits <= 19;
        if (out.plain_number) {
            for (std::size_t k = start; k < i_; ++k)
                out.number = out.number * 10 + static_cast<std::uint64_t>(s_[k] - '0');
        }
        return true;
    }

    // A string without escapes is a view of the payload; one with escapes is decoded into decoded_, whose
    // elements never move once added.
    bool string(std::string_view& view) {
        ++i_;  // the opening quote
        const std::size_t start = i_;
        std::size_t run = i_;
        while (run < s_.size()) {
            const auto c = static_cast<unsigned char>(s_[run]);
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
            ++run;
        }
        if (run < s_.size() && s_[run] == '"') {
            view = s_.substr(start, run - start);
            i_ = run + 1;
            return true;
        }
        std::string& out = decoded_.emplace_back();
        if (!decode_string(out)) return false;
        view = out;
        return true;
    }

    bool decode_string(std::string& out) {
        for (;;) {
            std::size_t run = i_;
            while (run < s_.size()) {
                const auto c = static_cast<unsigned char>(s_[run]);
                if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
                ++run;
            }
            out.append(s_, i_, run - i_);
            i_ = run;
            if (i_ == s_.size()) return false;
            const auto c = static_cast<unsigned char>(s_[i_]);
            if (c == '"') {
                ++i_;
                return true;
            }
            if (c < 0x20) return false;
            if (c >= 0x80) {
                const std::size_t n = utf8_sequence_length(s_, i_);
                if (n == 0) return false;
                out.append(s_, i_, n);
                i_ += n;
                continue;
            }
            if (i_ + 1 >= s_.size()) return false;
            const char e = s_[i_ + 1];
            switch (e) {
                case '"':
                case '\\':
                case '/':
                    out += e;
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                default:
                    return false;
            }
            i_ += 2;
        }
    }

    std::string_view s_;
    std::size_t i_ = 0;
    std::deque<std::string>& decoded_;
};

// One way of asking both document types the few questions the facts need. find() gives the last member of
// that name, as nlohmann-json keeps the last of duplicate names.
struct SmallAccess {
    using N = Node;
    static bool is_object(const N& n) { return n.kind == N::Kind::object; }
    static bool is_array(const N& n) { return n.kind == N::Kind::array; }
    static bool is_string(const N& n) { return n.kind == N::Kind::string; }
    static std::string_view text(const N& n) { return n.text; }
    static std::optional<std::uint64_t> unsigned_number(const N& n) {
        if (n.kind != N::Kind::number) return std::nullopt;
        return n.number;
    }
    // What nlohmann-json makes of a negative, fractional or huge number is left to it.
    static bool decidable_number(const N& n) { return n.kind != N::Kind::number || n.plain_number; }
    static const N* find(const N& n, std::string_view key) {
        for (std::size_t k = n.keys.size(); k-- > 0;) {
            if (n.keys[k] == key) return &n.items[k];
        }
        return nullptr;
    }
    static const std::vector<N>& items(const N& n) { return n.items; }
};

struct JsonAccess {
    using N = json;
    static bool is_object(const N& n) { return n.is_object(); }
    static bool is_array(const N& n) { return n.is_array(); }
    static bool is_string(const N& n) { return n.is_string(); }
    static const std::string& text(const N& n) { return n.get_ref<const std::string&>(); }
    // What json::value(key, std::uint64_t{0}) gives for a number of any kind.
    static std::optional<std::uint64_t> unsigned_number(const N& n) {
        if (!n.is_number()) return std::nullopt;
        return n.get<std::uint64_t>();
    }
    static bool decidable_number(const N& /*n*/) { return true; }
    static const N* find(const N& n, std::string_view key) {
        auto it = n.find(key);
        return it == n.end() ? nullptr : &*it;
    }
    static const json::array_t& items(const N& n) { return n.get_ref<const json::array_t&>(); }
};

// A string member, "" when absent; nullopt when present with another type.
template <typename A>
std::optional<std::string> string_or_empty(const typename A::N& object, std::string_view key) {
    const auto* v = A::find(object, key);
    if (v == nullptr) return std::string();
    if (!A::is_string(*v)) return std::nullopt;
    return std::string(A::text(*v));
}

// nullopt only when the document holds what A cannot decide alone (see decidable_number).
template <typename A>
std::optional<StatementFacts> extract(const typename A::N& doc) {
    StatementFacts facts;
    const StatementFacts not_statement;
    if (!A::is_object(doc)) return not_statement;
    auto type = string_or_empty<A>(doc, "_type");
    if (!type || *type != statement_type) return not_statement;
    const auto* subjects = A::find(doc, "subject");
    const auto* predicate = A::find(doc, "predicate");
    if (subjects == nullptr || !A::is_array(*subjects) || predicate == nullptr || !A::is_object(*predicate)) {
        return not_statement;
    }

    auto predicate_type = string_or_empty<A>(doc, "predicateType");
    if (!predicate_type) return not_statement;
    facts.predicate_type = std::move(*predicate_type);
    if (const auto* claim = A::find(*predicate, "claim")) {
        if (!A::is_object(*claim)) return not_statement;
        auto id = string_or_empty<A>(*claim, "id");
        auto quote = string_or_empty<A>(*claim, "quote");
        // v1 kept the verdict inside the claim, v2 beside it.
        auto verdict = string_or_empty<A>(facts.predicate_type == claim_predicate_v1 ? *claim : *predicate, "verdict");
        if (!id || !quote || !verdict) return not_statement;
        facts.claim_id = std::move(*id);
        facts.quote = std::move(*quote);
        facts.verdict = std::move(*verdict);
    }
    if (const auto* article = A::find(*predicate, "article")) {
        if (!A::is_object(*article)) return not_statement;
        auto input = string_or_empty<A>(*article, "input");
        if (!input) return not_statement;
        facts.article_input = std::move(*input);
    }
    auto checked_at = string_or_empty<A>(*predicate, "checked_at");
    if (!checked_at) return not_statement;
    facts.checked_at = std::move(*checked_at);

    if (const auto* captures = A::find(*predicate, "captures")) {
        if (!A::is_array(*captures)) return not_statement;
        for (const auto& c : A::items(*captures)) {
            if (!A::is_object(c)) return not_statement;
            StatementFacts::CaptureRef ref;
            auto role = string_or_empty<A>(c, "role");
            if (!role) return not_statement;
            ref.role = std::move(*role);
            const auto* w = A::find(c, "warc");
            if (w != nullptr && A::is_object(*w)) {
                ref.has_warc = true;
                auto file = string_or_empty<A>(*w, "file");
                auto record_id = string_or_empty<A>(*w, "record_id");
                if (!file || !record_id) return not_statement;
                ref.warc_file = std::move(*file);
                ref.warc_record_id = std::move(*record_id);
                if (const auto* offset = A::find(*w, "offset")) {
                    if (!A::decidable_number(*offset)) return std::nullopt;
                    auto n = A::unsigned_number(*offset);
                    if (!n) return not_statement;
                    ref.warc_offset = *n;
                }
            }
            facts.captures.push_back(std::move(ref));
        }
    }

    for (const auto& s : A::items(*subjects)) {
        if (!A::is_object(s)) continue;  // not a subject; nothing to check against
        StatementFacts::Subject subject;
        auto name = string_or_empty<A>(s, "name");
        if (!name) return not_statement;
        subject.name = std::move(*name);
        if (const auto* digest = A::find(s, "digest")) {
            if (!A::is_object(*digest)) return not_statement;
            auto sha = string_or_empty<A>(*digest, "sha256");
            if (!sha) return not_statement;
            subject.sha256 = std::move(*sha);
        }
        if (subject.name != "quote") {
            auto uri = string_or_empty<A>(s, "uri");
            if (!uri) return not_statement;
            subject.uri = std::move(*uri);
        }
        facts.subjects.push_back(std::move(subject));
    }
    facts.statement = true;
    return facts;
}

}  // namespace

StatementFacts read_statement_facts(std::string_view payload) {
    std::deque<std::string> decoded;
    Node doc;
    if (SmallParser(payload, decoded).read(doc)) {
        if (auto facts = extract<SmallAccess>(doc)) return std::move(*facts);
    }
    return read_statement_facts_reference(payload);
}

StatementFacts read_statement_facts_reference(std::string_view payload) {
    json doc = json::parse(payload.begin(), payload.end(), nullptr, false);
    if (doc.is_discarded()) return {};
    return extract<JsonAccess>(doc).value_or(StatementFacts{});
}

}  // namespace provcheck
