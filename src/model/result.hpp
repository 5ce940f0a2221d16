// What a check found: the result model that the check library hands back, that the record stage signs and
// that the report stage renders. It sits below both, so that neither a renderer nor the record format can
// change the other: the record has its own schema (record/claim_statement.hpp), the report its own JSON.
// Plain values, no behaviour.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/types.hpp"

namespace provcheck {

struct LinkResult {
    Link link;
    Capture capture;
};

// One captured version of the source a claim was aligned with (when the workspace holds several).
struct SourceVersion {
    std::string url;  // final URL
    std::string fetched_at;
    std::string payload_sha256;
    Verdict verdict = Verdict::not_found;
    double score = 0;
    bool matched = false;     // the version the claim's verdict is about
    bool current = false;     // captured (or confirmed unchanged) by this run
    std::string archived_at;  // for an archive's copy (Memento): when the archive copied it; empty otherwise
};

// Where a quotation stands in the article's HTML as served: 1-based line and column, columns counted in
// Unicode code points; `found` is false when the quotation's own text could not be found and the
// position is that of its block's start tag.
struct HtmlPosition {
    std::size_t line = 1;
    std::size_t column = 1;
    std::size_t end_line = 1;
    std::size_t end_column = 1;
    std::size_t offset = 0;  // byte offset in the HTML
    bool found = false;
};

struct ClaimResult {
    Claim claim;
    Verdict verdict = Verdict::unsourced;
    std::optional<Match> match;     // set when a source was aligned
    std::optional<Capture> source;  // the capture the verdict is about (the best match, or the first failure)
    // Every source capture tried, in order; when a source settled the claim, without the sources the article
    // merely cites that do not hold the words (check/decide.hpp).
    std::vector<Capture> candidates;
    std::string source_reason;  // how the source was chosen: "link in the quotation's paragraph", …
    // Who the source gives the matched words to, when its passage names a speaker (a quotation's attribution
    // in the source, or a speaker in the passage's sentence); for `misattributed`, someone other than the
    // article's speaker.
    std::string source_speaker;
    // Why the source could not be read in full, for source_restricted when it is not paywall markup or a cut
    // body: "no text layer (a scan; --ocr reads it)", "the PDF is encrypted and needs a password to open".
    std::string restriction;
    std::optional<RecordRef> record;
    // Every version of the matched source's URL that was aligned, newest first; empty when there was one.
    std::vector<SourceVersion> versions;
    // Where the quotation stands in the article's HTML, worked out by the check library before it lets go
    // of the HTML (model/locate.hpp); unset when the claim has no block.
    std::optional<HtmlPosition> position;
};

struct ArticleResult {
    std::string input;  // as given on the command line
    Capture capture;
    // Set when the article itself could not be checked (its URL failed, its HTML could not be read); the
    // run goes on with the other articles and the gate counts this one as failed.
    std::optional<Error> error;
    Document document;  // metadata and text of the article
    std::vector<LinkResult> links;
    std::vector<ClaimResult> claims;
    // What was left unchecked and why, one sentence each ("12 quotations past the limit of 10000 per article
    // (--max-claims) were not checked").
    std::vector<std::string> notes;
};

struct Report {
    std::vector<ArticleResult> articles;
    // What the run left out and the user should hear of (sitemap entries that are not http(s) URLs), one
    // sentence each; shown on standard error, not in the report.
    std::vector<std::string> warnings;
};

}  // namespace provcheck
