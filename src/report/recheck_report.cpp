#include "report/recheck_report.hpp"

#include <fmt/format.h>

#include "core/text.hpp"
#include "report/formats.hpp"

namespace provcheck {

namespace {

using nlohmann::json;

std::string short_digest(const std::string& sha) {
    return sha.empty() ? std::string("-") : sha.substr(0, 12);
}

json state_json(const ClaimState& s) {
    json j = {{"claim_id", s.claim_id},
              {"checked_at", s.checked_at},
              {"verdict", to_string(s.verdict)},
              {"quote", s.quote},
              {"article", {{"sha256", s.article_sha256}, {"fetched_at", s.article_fetched_at}}}};
    if (!s.source_url.empty() || !s.source_failure.empty()) {
        json src = {{"url", s.source_url}, {"fetched_at", s.source_fetched_at}};
        if (!s.source_sha256.empty()) src["sha256"] = s.source_sha256;
        if (!s.source_failure.empty()) src["failure"] = s.source_failure;
        j["source"] = src;
    }
    if (!s.passage.empty()) j["passage"] = s.passage;
    if (s.log_index) j["log_index"] = *s.log_index;
    return j;
}

std::string_view op_name(WordEdit::Op op) {
    switch (op) {
        case WordEdit::Op::same:
            return "same";
        case WordEdit::Op::removed:
            return "removed";
        case WordEdit::Op::added:
            return "added";
    }
    return "same";
}

// A long run of kept words is shown by its ends only.
std::string shorten_same(const std::string& text, bool first, bool last) {
    constexpr std::size_t keep = 8;
    std::vector<std::string_view> words;
    std::string_view rest(text);
    while (!rest.empty()) {
        const auto sp = rest.find(' ');
        words.push_back(rest.substr(0, sp));
        rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
    }
    if (words.size() <= 2 * keep) return text;
    auto join = [&](std::size_t from, std::size_t to) {
        std::string out;
        for (std::size_t i = from; i < to; ++i) {
            if (!out.empty()) out += ' ';
            out += words[i];
        }
        return out;
    };
    if (first) return "… " + join(words.size() - keep, words.size());
    if (last) return join(0, keep) + " …";
    return join(0, keep) + " … " + join(words.size() - keep, words.size());
}

bool listed(const ClaimChange& c, bool all) {
    return all || c.kind != ChangeKind::unchanged || c.fails;
}

std::size_t failures_of(const RecheckReport& report) {
    std::size_t n = 0;
    for (const auto& a : report.articles) {
        for (const auto& c : a.claims)
            n += c.fails ? 1 : 0;
    }
    return n;
}

std::string kind_label(ChangeKind k) {
    std::string s(to_string(k));
    for (auto& ch : s)
        ch = ch == '_' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
}

std::string totals_line(const RecheckReport& report) {
    std::size_t claims = 0;
    for (const auto& a : report.articles)
        claims += a.claims.size();
    std::string parts;
    for (const auto& [kind, n] : count_changes(report)) {
        if (!parts.empty()) parts += ", ";
        parts += fmt::format("{} {}", n, to_string(kind));
    }
    return fmt::format("{} article{}, {} claim{}{}{}", report.articles.size(), report.articles.size() == 1 ? "" : "s",
                       claims, claims == 1 ? "" : "s", parts.empty() ? "" : ": ", parts);
}

}  // namespace

std::map<ChangeKind, std::size_t> count_changes(const RecheckReport& report) {
    std::map<ChangeKind, std::size_t> out;
    for (const auto& a : report.articles) {
        for (const auto& c : a.claims)
            ++out[c.kind];
    }
    return out;
}

std::string recheck_text(const RecheckReport& report, bool color, bool all) {
    auto paint = [color](std::string_view code, const std::string& s) {
        return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : s;
    };
    std::string out = fmt::format("provcheck recheck {} ({})\n", report.rechecked_at, terminal_safe(report.selection));
    for (const auto& a : report.articles) {
        out += fmt::format("\n{}\n", terminal_safe(a.input));
        if (!a.error.empty()) {
            out += fmt::format("  not checked again: {}\n", terminal_safe(a.error));
            continue;
        }
        for (const auto& c : a.claims) {
            if (!listed(c, all)) continue;
            const ClaimState& shown = c.after ? *c.after : *c.before;
            const bool alarm = c.kind == ChangeKind::stealth_edit || c.kind == ChangeKind::correction ||
                               c.kind == ChangeKind::withdrawn || c.kind == ChangeKind::article_gone;
            out += fmt::format("  {} claim {} “{}”{}\n", paint(alarm ? "1;31" : "1;33", kind_label(c.kind)),
                               terminal_safe(c.before ? c.before->claim_id : shown.claim_id),
                               terminal_safe((c.before ? *c.before : shown).quote),
                               c.speaker.empty() ? "" : fmt::format(" ({})", terminal_safe(c.speaker)));
            out += fmt::format("    {}\n", terminal_safe(c.summary));
            if (c.fails) out += fmt::format("    gate {}\n", paint("1;31", fmt::format("fails ({})", c.fail_reason)));
            auto line = [&](const char* label, const ClaimState& s) {
                out += fmt::format("    {} {} checked {}", label, to_string(s.verdict),
                                   s.checked_at.empty() ? "-" : s.checked_at);
                if (!s.source_url.empty()) {
                    out += fmt::format("; source {} {}", terminal_safe(s.source_url),
                                       s.source_failure.empty()
                                           ? fmt::format("sha256 {} fetched {}", short_digest(s.source_sha256),
                                                         terminal_safe(s.source_fetched_at))
                                           : terminal_safe(s.source_failure));
                }
                out += fmt::format("; article sha256 {}", short_digest(s.article_sha256));
                if (s.log_index) out += fmt::format("; record #{}", *s.log_index);
                out += '\n';
            };
            if (c.before) line("before", *c.before);
            if (c.after) line("after ", *c.after);
            if (c.kind == ChangeKind::correction && c.after) {
                out += fmt::format("    new claim {} “{}”\n", terminal_safe(c.after->claim_id),
                                   terminal_safe(c.after->quote));
            }
            if (!c.diff.empty()) {
                std::string words;
                for (std::size_t i = 0; i < c.diff.size(); ++i) {
                    const WordEdit& e = c.diff[i];
                    if (!words.empty()) words += ' ';
                    if (e.op == WordEdit::Op::same) {
                        words += terminal_safe(shorten_same(e.text, i == 0, i + 1 == c.diff.size()));
                    } else if (e.op == WordEdit::Op::removed) {
                        words += paint("31", "[-" + terminal_safe(e.text) + "-]");
                    } else {
                        words += paint("32", "{+" + terminal_safe(e.text) + "+}");
                    }
                }
                out += fmt::format("    words {}\n", words);
            }
        }
    }
    for (const auto& n : report.notes)
        out += fmt::format("\nnote: {}\n", terminal_safe(n));
    out += fmt::format("\n{}\n", totals_line(report));
    const std::size_t failing = failures_of(report);
    out += failing == 0 ? paint("32", "gate: passed") + "\n"
                        : paint("1;31", fmt::format("gate: {} failure{}", failing, failing == 1 ? "" : "s")) + "\n";
    if (!report.next_due.empty()) out += fmt::format("next recheck due {}\n", report.next_due);
    return out;
}

json recheck_json(const RecheckReport& report) {
    json articles = json::array();
    for (const auto& a : report.articles) {
        json claims = json::array();
        for (const auto& c : a.claims) {
            json j = {{"kind", to_string(c.kind)}, {"speaker", c.speaker}, {"summary", c.summary}, {"fails", c.fails}};
            if (c.fails) j["fail_reason"] = c.fail_reason;
            if (c.before) j["before"] = state_json(*c.before);
            if (c.after) j["after"] = state_json(*c.after);
            if (!c.diff.empty()) {
                json diff = json::array();
                for (const auto& e : c.diff)
                    diff.push_back({{"op", op_name(e.op)}, {"text", e.text}});
                j["diff"] = diff;
            }
            claims.push_back(std::move(j));
        }
        json aj = {{"input", a.input}, {"claims", claims}};
        if (!a.error.empty()) aj["error"] = a.error;
        articles.push_back(std::move(aj));
    }
    json counts = json::object();
    for (const auto& [kind, n] : count_changes(report))
        counts[std::string(to_string(kind))] = n;
    json out = {{"tool", {{"name", "provcheck"}, {"version", PROVCHECK_VERSION}}},
                {"rechecked_at", report.rechecked_at},
                {"selection", report.selection},
                {"articles", articles},
                {"summary", counts},
                {"failures", failures_of(report)},
                {"notes", report.notes}};
    out["next_due"] = report.next_due.empty() ? json(nullptr) : json(report.next_due);
    return out;
}

std::string recheck_html(const RecheckReport& report, bool all) {
    std::string out =
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>provcheck recheck " +
        escape_markup(report.rechecked_at) +
        "</title>\n<style>\n"
        "body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}\n"
        "h1{font-size:1.4rem}h2{font-size:1.05rem;margin-top:2rem;word-break:break-all}\n"
        "article{border-left:4px solid #bbb;padding:.3rem .8rem;margin:1rem 0}\n"
        "article.alarm{border-color:#c0392b}article.note{border-color:#e0a800}\n"
        ".kind{font-weight:700;text-transform:uppercase;font-size:.8rem;letter-spacing:.05em}\n"
        "table{border-collapse:collapse;font-size:.85rem}td,th{padding:.15rem .6rem .15rem 0;text-align:left;"
        "vertical-align:top}\n"
        "code{font-size:.8rem}del{background:#fdd;text-decoration:line-through}ins{background:#dfd;"
        "text-decoration:none}\n"
        "</style></head><body>\n";
    out += fmt::format("<h1>provcheck recheck</h1>\n<p>{} · {} · {}</p>\n", escape_markup(report.rechecked_at),
                       escape_markup(report.selection), escape_markup(totals_line(report)));
    const std::size_t failing = failures_of(report);
    out += failing == 0 ? std::string("<p><strong>Gate: passed</strong></p>\n")
                        : fmt::format("<p><strong>Gate: {} failure{}</strong></p>\n", failing, failing == 1 ? "" : "s");
    for (const auto& a : report.articles) {
        out += fmt::format("<h2>{}</h2>\n", escape_markup(a.input));
        if (!a.error.empty()) {
            out += fmt::format("<p>Not checked again: {}</p>\n", escape_markup(a.error));
            continue;
        }
        for (const auto& c : a.claims) {
            if (!listed(c, all)) continue;
            const bool alarm = c.kind == ChangeKind::stealth_edit || c.kind == ChangeKind::correction ||
                               c.kind == ChangeKind::withdrawn || c.kind == ChangeKind::article_gone;
            const ClaimState& first = c.before ? *c.before : *c.after;
            out += fmt::format(
                "<article class=\"{}\"><div><span class=\"kind\">{}</span> claim <code>{}</code>{}</div>\n"
                "<blockquote>“{}”</blockquote>\n<p>{}</p>\n",
                alarm ? "alarm" : "note", escape_markup(to_string(c.kind)), escape_markup(first.claim_id),
                c.speaker.empty() ? "" : " · " + escape_markup(c.speaker), escape_markup(first.quote),
                escape_markup(c.summary));
            if (c.fails) {
                out += fmt::format("<p><strong>Fails the gate ({})</strong></p>\n", escape_markup(c.fail_reason));
            }
            out +=
                "<table><tr><th></th><th>verdict</th><th>checked</th><th>source</th><th>sha256</th>"
                "<th>fetched</th><th>record</th></tr>\n";
            auto row = [&](const char* label, const ClaimState& s) {
                out += fmt::format(
                    "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td>"
                    "</tr>\n",
                    label, escape_markup(to_string(s.verdict)), escape_markup(s.checked_at),
                    escape_markup(s.source_url),
                    escape_markup(s.source_failure.empty() ? s.source_sha256 : s.source_failure),
                    escape_markup(s.source_fetched_at), s.log_index ? fmt::format("#{}", *s.log_index) : "");
            };
            if (c.before) row("before", *c.before);
            if (c.after) row("after", *c.after);
            out += "</table>\n";
            if (!c.diff.empty()) {
                out += "<p class=\"diff\">";
                for (const auto& e : c.diff) {
                    if (e.op == WordEdit::Op::same) {
                        out += escape_markup(e.text);
                    } else if (e.op == WordEdit::Op::removed) {
                        out += "<del>" + escape_markup(e.text) + "</del>";
                    } else {
                        out += "<ins>" + escape_markup(e.text) + "</ins>";
                    }
                    out += ' ';
                }
                out += "</p>\n";
            }
            out += "</article>\n";
        }
    }
    for (const auto& n : report.notes)
        out += fmt::format("<p>Note: {}</p>\n", escape_markup(n));
    if (!report.next_due.empty()) out += fmt::format("<p>Next recheck due {}.</p>\n", escape_markup(report.next_due));
    out += "</body></html>\n";
    return out;
}

}  // namespace provcheck
