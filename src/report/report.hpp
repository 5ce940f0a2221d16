// Renderings of what a check found (model/result.hpp): text for a terminal, JSON per DESIGN.md "JSON report";
// the other formats are in report/formats.hpp, the gate in report/gate.hpp.
// The report stage only renders: it decides nothing and touches no file or socket.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/types.hpp"
#include "model/result.hpp"

namespace provcheck {

[[nodiscard]] nlohmann::json hop_json(const Hop& hop);
[[nodiscard]] nlohmann::json chain_json(const std::vector<Hop>& chain);
[[nodiscard]] nlohmann::json error_json(const Capture& capture);  // null when the capture succeeded
// The "source" object of a claim (url, final_url, status, sha256, fetched_at, chain, error).
[[nodiscard]] nlohmann::json source_json(const Capture& capture);
[[nodiscard]] nlohmann::json match_json(const Match& match);
// A claim as the report shows it; `record` is included when set.
[[nodiscard]] nlohmann::json claim_json(const ClaimResult& claim);
// One link of an article, where it led, as JSON text laid out as dump(2) lays it out, nested at `depth`
// (report/writer.hpp's append_nested), appended to `out` without building a tree; text that is not UTF-8, which
// dump() refuses, has U+FFFD for each bad byte.
void append_link_json(std::string& out, const LinkResult& link, std::size_t depth);
// The same link as a tree.
[[nodiscard]] nlohmann::json link_json(const LinkResult& link);
struct GateResult;
// The JSON report; with `gate`, each claim also says whether it fails the gate and why, and the summary
// counts failures.
[[nodiscard]] nlohmann::json report_json(const Report& report, const GateResult* gate = nullptr);
// The same report as text, byte for byte report_json(report, gate).dump(2) and a final newline (for text in
// UTF-8; see append_link_json), written one article at a time so that a batch of thousands of articles never
// holds the whole tree.
[[nodiscard]] std::string report_json_text(const Report& report, const GateResult* gate = nullptr);

struct TextOptions {
    bool color = false;
    const GateResult* gate = nullptr;  // when set, failing claims are marked and the summary counts them
};
[[nodiscard]] std::string report_text(const Report& report, const TextOptions& options);

// Counts of claims per verdict over the whole report, or over one article.
[[nodiscard]] nlohmann::json verdict_counts(const Report& report);
[[nodiscard]] nlohmann::json verdict_counts(const ArticleResult& article);
// The article's own address: its canonical URL, else where it was read from.
[[nodiscard]] std::string article_url(const ArticleResult& article);

}  // namespace provcheck
