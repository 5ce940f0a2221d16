#include "core/types.hpp"

#include <array>
#include <utility>

#include "core/text.hpp"

namespace provcheck {

const std::string* find_header(const std::vector<Header>& headers, std::string_view name) {
    for (const auto& h : headers) {
        if (iequals(h.name, name)) return &h.value;
    }
    return nullptr;
}

std::string Document::text() const {
    std::string out;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        if (i != 0) out += "\n\n";
        out += blocks[i].text;
    }
    return out;
}

namespace {

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names, E e) noexcept {
    auto i = static_cast<std::size_t>(e);
    return i < N ? names[i] : std::string_view{"unknown"};
}

template <class E, std::size_t N>
std::optional<E> parse_name(const std::array<std::string_view, N>& names, std::string_view s) noexcept {
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == s) return static_cast<E>(i);
    }
    return std::nullopt;
}

constexpr std::array<std::string_view, 6> hop_names{"start",        "http",        "refresh_header",
                                                    "meta_refresh", "js_location", "canonical"};
constexpr std::array<std::string_view, 14> failure_names{"dns",
                                                         "connect",
                                                         "tls",
                                                         "timeout",
                                                         "http_4xx",
                                                         "http_5xx",
                                                         "blocked_address",
                                                         "bot_challenge",
                                                         "rate_limited",
                                                         "too_many_redirects",
                                                         "unsupported_scheme",
                                                         "too_large",
                                                         "io",
                                                         "replay_missing"};
constexpr std::array<std::string_view, 5> block_names{"paragraph", "blockquote", "list_item", "heading", "embed"};
constexpr std::array<std::string_view, 3> claim_names{"quote", "partial_quote", "embed"};
constexpr std::array<std::string_view, 9> verdict_names{
    "verbatim",           "elided",   "minor_variation", "altered", "misattributed", "not_found", "source_restricted",
    "source_unavailable", "unsourced"};
constexpr std::array<std::string_view, 9> diff_names{"number", "negation", "name",     "word", "punctuation",
                                                     "case",   "spelling", "stitched", "order"};

}  // namespace

std::string_view to_string(HopVia v) noexcept {
    return name_of(hop_names, v);
}
std::string_view to_string(FailureClass c) noexcept {
    return name_of(failure_names, c);
}
std::string_view to_string(CacheState s) noexcept {
    return s == CacheState::fresh ? "fresh" : "revalidated";
}
std::string_view to_string(BlockKind k) noexcept {
    return name_of(block_names, k);
}
std::string_view to_string(ClaimKind k) noexcept {
    return name_of(claim_names, k);
}
std::string_view to_string(Verdict v) noexcept {
    return name_of(verdict_names, v);
}
std::string_view to_string(DiffKind k) noexcept {
    return name_of(diff_names, k);
}
std::optional<Verdict> verdict_from_string(std::string_view s) noexcept {
    return parse_name<Verdict>(verdict_names, s);
}
std::optional<HopVia> hop_via_from_string(std::string_view s) noexcept {
    return parse_name<HopVia>(hop_names, s);
}
std::optional<FailureClass> failure_class_from_string(std::string_view s) noexcept {
    return parse_name<FailureClass>(failure_names, s);
}

}  // namespace provcheck
