#include <fmt/format.h>

#include <algorithm>

#include "core/text.hpp"
#include "report/formats.hpp"

namespace provcheck {

std::string escape_markup(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char ch = s[i];
        const auto u = static_cast<unsigned char>(ch);
        // Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) would make a quotation read
        // otherwise than it is stored.
        if (bidi_control_at(s, i)) {
            out += "\xEF\xBF\xBD";
            i += 2;
            continue;
        }
        switch (ch) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                // XML 1.0 forbids C0 controls other than tab, newline and carriage return.
                if (u < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
                    out += ' ';
                } else {
                    out += ch;
                }
        }
    }
    return out;
}

std::string describe_speaker(const Claim& c) {
    if (c.speaker.empty()) return "no attribution found";
    std::string who = c.speaker;
    if (!c.outlet.empty() && c.outlet != c.speaker) who += " via " + c.outlet;
    if (c.speaker_inferred) who += " — inferred, the person named last before it";
    return who;
}

std::string passage_locator(const ClaimResult& c) {
    if (!c.match || c.match->verdict == Verdict::not_found) return {};
    std::string out;
    if (c.match->page > 0) out = fmt::format("p. {}", c.match->page);
    if (c.match->ocr) out += out.empty() ? "read by OCR" : ", read by OCR";
    if (c.source && c.source->archived) {
        if (!out.empty()) out += ", ";
        out += fmt::format("in the copy archived {}", c.source->archived->archived_at);
    }
    return out;
}

std::string describe_claim(const ClaimResult& c) {
    std::string text = describe_verdict(c);
    if (const std::string where = passage_locator(c); !where.empty()) text += " (" + where + ")";
    return text;
}

std::string describe_verdict(const ClaimResult& c) {
    std::string out(to_string(c.verdict));
    auto source_name = [&]() -> std::string {
        if (!c.source) return "the source";
        return c.source->final_url.empty() ? c.source->requested_url : c.source->final_url;
    };
    switch (c.verdict) {
        case Verdict::verbatim:
            return out + ": the source says it word for word";
        case Verdict::unsourced:
            return out + ": no source is tied to the speaker, and none the article cites holds the words";
        case Verdict::misattributed:
            return fmt::format("{}: {} has the words but gives them to {}", out, source_name(), c.source_speaker);
        case Verdict::source_unavailable:
            if (c.source && c.source->failure) {
                return fmt::format("{}: {} could not be read ({}: {})", out, source_name(),
                                   to_string(c.source->failure->cls), c.source->failure->message);
            }
            return out + ": no source could be read";
        case Verdict::source_restricted:
            if (!c.restriction.empty()) {
                return fmt::format(
                    "{}: {} could not be read in full ({}) and the quotation is not in what could be "
                    "read",
                    out, source_name(), c.restriction);
            }
            return fmt::format(
                "{}: {} is incomplete (paywall or size cap) and the quotation is not in what "
                "could be read",
                out, source_name());
        case Verdict::not_found:
            return fmt::format("{}: no passage of {} matches", out, source_name());
        default:
            break;
    }
    std::vector<std::string> parts;
    if (c.match) {
        for (const auto& d : c.match->differences) {
            if (d.op == "elided") {
                parts.push_back(fmt::format("the elision hides “{}” ({}{})", d.source, to_string(d.kind),
                                            d.critical ? ", critical" : ""));
            } else {
                parts.push_back(fmt::format("quote “{}”, source “{}” ({}{})", d.quote, d.source, to_string(d.kind),
                                            d.critical ? ", critical" : ""));
            }
        }
        for (const auto& e : c.match->elisions) {
            parts.push_back(fmt::format("{} stands for “{}”{}", e.marker, e.source, e.critical ? " (critical)" : ""));
        }
    }
    if (parts.empty()) return out;
    out += ": ";
    for (std::size_t i = 0; i < parts.size(); ++i)
        out += (i != 0 ? "; " : "") + parts[i];
    return out;
}

}  // namespace provcheck
