#include "check/source_rules.hpp"

#include "core/text.hpp"
#include "rules/rule_reader.hpp"

namespace provcheck {

namespace {

Result<void> read_size(const RuleTable& t, std::string_view key, std::int64_t lo, std::int64_t hi, std::size_t& out) {
    auto v = t.integer(key, lo, hi);
    if (!v) return std::unexpected(v.error());
    if (*v) out = static_cast<std::size_t>(**v);
    return {};
}

}  // namespace

Result<SourceRules> parse_source_rules(const toml::table& table) {
    const RuleTable top(table, "rules/sources.toml");
    if (auto known = top.allow_only({"speaker", "organisation", "cited"}); !known)
        return std::unexpected(known.error());
    SourceRules r;
    auto speaker = top.table("speaker");
    if (!speaker) return std::unexpected(speaker.error());
    if (*speaker) {
        const RuleTable& t = **speaker;
        if (auto known = t.allow_only({"max_links", "surname_min_letters"}); !known) {
            return std::unexpected(known.error());
        }
        if (auto ok = read_size(t, "max_links", 0, 10000, r.speaker_max_links); !ok) return std::unexpected(ok.error());
        if (auto ok = read_size(t, "surname_min_letters", 1, 100, r.surname_min_letters); !ok) {
            return std::unexpected(ok.error());
        }
    }
    auto organisation = top.table("organisation");
    if (!organisation) return std::unexpected(organisation.error());
    if (*organisation) {
        const RuleTable& t = **organisation;
        if (auto known = t.allow_only({"site_name_min_letters", "skip_words"}); !known) {
            return std::unexpected(known.error());
        }
        if (auto ok = read_size(t, "site_name_min_letters", 1, 100, r.site_name_min_letters); !ok) {
            return std::unexpected(ok.error());
        }
        auto skip = t.strings("skip_words", true);
        if (!skip) return std::unexpected(skip.error());
        if (*skip) {
            r.skip_words.clear();
            for (const auto& w : **skip)
                r.skip_words.push_back(to_lower_ascii(w));
        }
    }
    auto cited = top.table("cited");
    if (!cited) return std::unexpected(cited.error());
    if (*cited) {
        const RuleTable& t = **cited;
        if (auto known = t.allow_only({"max_sources", "min_words"}); !known) return std::unexpected(known.error());
        if (auto ok = read_size(t, "max_sources", 0, 1000, r.cited_max_sources); !ok) {
            return std::unexpected(ok.error());
        }
        if (auto ok = read_size(t, "min_words", 1, 10000, r.cited_min_words); !ok) return std::unexpected(ok.error());
    }
    return r;
}

}  // namespace provcheck
