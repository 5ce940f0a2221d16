#include "model/recheck.hpp"

#include <array>
#include <utility>

namespace provcheck {

namespace {

constexpr std::array<std::pair<ChangeKind, std::string_view>, 9> change_names{{
    {ChangeKind::unchanged, "unchanged"},
    {ChangeKind::source_changed, "source_changed"},
    {ChangeKind::stealth_edit, "stealth_edit"},
    {ChangeKind::source_gone, "source_gone"},
    {ChangeKind::verdict_changed, "verdict_changed"},
    {ChangeKind::correction, "correction"},
    {ChangeKind::withdrawn, "withdrawn"},
    {ChangeKind::added, "added"},
    {ChangeKind::article_gone, "article_gone"},
}};

}  // namespace

std::string_view to_string(ChangeKind k) noexcept {
    for (const auto& [kind, name] : change_names) {
        if (kind == k) return name;
    }
    return "unchanged";
}

std::optional<ChangeKind> parse_change_kind(std::string_view s) noexcept {
    for (const auto& [kind, name] : change_names) {
        if (name == s) return kind;
    }
    return std::nullopt;
}

}  // namespace provcheck
