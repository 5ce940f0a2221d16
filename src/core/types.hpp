// The data that flows between pipeline stages (DESIGN.md "Data types"). Plain values: no handles,
// no behaviour beyond naming. Offsets are byte offsets into UTF-8 strings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provcheck {

struct Header {
    std::string name;
    std::string value;
};

// First header whose name equals `name` ignoring ASCII case.
[[nodiscard]] const std::string* find_header(const std::vector<Header>& headers, std::string_view name);

// ---------------------------------------------------------------------------------------------
// Capture

enum class HopVia { start, http, refresh_header, meta_refresh, js_location, canonical };

struct Hop {
    std::string url;
    std::optional<int> status;  // nullopt for a canonical hop (not fetched) or a failed request
    HopVia via = HopVia::start;

    bool operator==(const Hop&) const = default;
};

// Why a capture failed. The first twelve are DESIGN.md's classes; `io` is a local file that could not
// be read, `replay_missing` a URL that the --replay archive does not hold.
enum class FailureClass {
    dns,
    connect,
    tls,
    timeout,
    http_4xx,
    http_5xx,
    blocked_address,
    bot_challenge,
    rate_limited,
    too_many_redirects,
    unsupported_scheme,
    too_large,
    io,
    replay_missing,
};

struct CaptureFailure {
    FailureClass cls = FailureClass::connect;
    std::string message;

    bool operator==(const CaptureFailure&) const = default;
};

// Where a capture's bytes are stored in the workspace (a WARC record).
struct StoredRecordRef {
    std::string warc_file;     // path relative to the workspace
    std::uint64_t offset = 0;  // byte offset of the (gzip member of the) record in the file
    std::uint64_t length = 0;  // compressed length of the record
    std::string record_id;     // WARC-Record-ID, "<urn:uuid:…>"

    bool operator==(const StoredRecordRef&) const = default;
};

// How a capture used the workspace's HTTP cache.
enum class CacheState {
    revalidated,  // a conditional request was answered 304: the stored response stands, confirmed now
    fresh,        // stored within --max-age: reused without a request
};

struct CacheUse {
    CacheState state = CacheState::revalidated;
    std::string validated_at;  // RFC 3339 UTC: when the 304 arrived, or when the fresh entry was last confirmed

    bool operator==(const CacheUse&) const = default;
};

// What makes a capture an archive's copy of a source (a memento, RFC 7089) rather than the source itself.
struct ArchivedCopy {
    std::string original_url;  // the source's URL, which the archive copied
    std::string archived_at;   // RFC 3339 UTC: when the archive copied it (its Memento-Datetime)
    std::string timemap;       // the TimeMap the copy was chosen from

    bool operator==(const ArchivedCopy&) const = default;
};

struct Capture {
    std::string requested_url;    // as given: URL, or the path of a local file
    std::vector<Hop> chain;       // one entry per request made, first and last included; canonical appended
    std::string final_url;        // last fetched URL (file: URI for a local file)
    int status = 0;               // HTTP status of the last response (200 for a local file, 0 if none)
    std::vector<Header> headers;  // of the last response
    std::string content_type;     // of the last response, lower case, without parameters
    std::string fetched_at;       // RFC 3339 UTC, when the last response arrived
    std::string remote_ip;
    std::string body;                      // decoded payload of the last response, converted to UTF-8 for text
    std::string charset;                   // the charset `body` was converted from ("" when not text)
    std::string block_sha256;              // hex SHA-256 of the WARC record block of the last response
    std::string payload_sha256;            // hex SHA-256 of `body`
    std::optional<std::string> truncated;  // "length" or "time" (WARC-Truncated values) when cut short
    std::optional<CaptureFailure> failure;
    std::optional<StoredRecordRef> stored;  // set once written to the workspace WARC
    bool from_replay = false;
    // Set when the last response came from the HTTP cache; fetched_at, stored and the digests are then the
    // stored response's.
    std::optional<CacheUse> cache;
    // Set when this is an archived copy of a source, fetched because the source was dead or no longer held a
    // quotation (check/memento.hpp).
    std::optional<ArchivedCopy> archived;

    [[nodiscard]] bool ok() const noexcept { return !failure.has_value(); }
};

// ---------------------------------------------------------------------------------------------
// Document

enum class BlockKind { paragraph, blockquote, list_item, heading, embed };

struct Block {
    BlockKind kind = BlockKind::paragraph;
    std::string text;             // whitespace collapsed, UTF-8
    std::size_t start = 0;        // offset of `text` in Document::text()
    std::size_t html_offset = 0;  // byte offset of the element's start tag in the HTML
    // Which <blockquote> holds the block: the innermost one's number in the page (0, 1, …), -1 outside any. Blocks
    // of one number are one block quotation, paragraphs and listings alike; a blockquote quoted inside another (a
    // reply quoting the mail it answers) is a quotation of its own.
    int quote_group = -1;
    // The <blockquote> whose words this block credits to someone (its <footer>, <cite> or <small> line, or the
    // <figcaption> of the <figure> that holds it): that blockquote's number, as in quote_group; -1 for any other.
    int credit_of = -1;
    // Byte ranges [first, second) of `text` that the page sets as code (<code>, <pre>, <kbd>, <samp>), in order: a
    // mark there is a string's delimiter ('query = "…"', 'console.log("…")'), no one's words.
    std::vector<std::pair<std::size_t, std::size_t>> code{};
};

struct Link {
    std::string href;  // as written
    std::string url;   // resolved against the document's base, absolute
    std::string anchor_text;
    int block = -1;         // index into Document::blocks, -1 outside the main text
    std::size_t start = 0;  // anchor text offsets within the block's text
    std::size_t end = 0;
};

struct Embed {
    std::string kind;  // "tweet"
    std::string text;  // the post's own text
    std::string author;
    std::string handle;      // "@PalestineChron"
    std::string date;        // as printed
    std::string status_url;  // link to the post itself
    int block = -1;
    std::vector<Link> links;  // links inside the embed (t.co, pic.twitter.com, status)
};

// A quotation as printed: the text between the marks, marks excluded.
struct Quotation {
    std::string text;
    int block = -1;         // block holding the opening mark
    int last_block = -1;    // block holding the closing mark (differs for multi-paragraph quotations)
    std::size_t start = 0;  // offsets of `text` in the opening block's text
    std::size_t end = 0;    // (for a multi-paragraph quotation, end is in last_block)
    std::string open_mark;  // "“", "\"", "‘", …; empty for <blockquote>/<q> without marks
    std::string close_mark;
    std::size_t words = 0;
};

struct Document {
    std::string url;  // where it was read from (URL or file: URI)
    std::string canonical_url;
    std::string amp_url;  // rel=amphtml, resolved; empty when the page names none
    std::string title;
    std::string byline;
    // Who publishes the page, as it says: og:site_name (or application-name), and the JSON-LD publisher (or the
    // organisation its JSON-LD describes). Empty when the page does not say.
    std::string site_name;
    std::string publisher;
    // Everything the page shows (extract/dom.hpp visible_text), kept only when ExtractLimits::page_text asks.
    std::string page_text;
    std::string published;  // as found (ISO 8601 date or date-time)
    std::string modified;
    std::string language;
    std::string extraction_stage;  // which stage of the extractor produced the main text
    bool partial = false;          // paywall or truncation: text incomplete
    std::vector<std::string> partial_reasons;
    std::vector<Block> blocks;
    std::vector<Link> links;
    std::vector<Embed> embeds;
    std::vector<Quotation> quotations;
    // Past the extraction's bounds (extract/extract.hpp ExtractLimits): links not kept, and quotations and
    // tweet embeds not kept.
    std::size_t links_dropped = 0;
    std::size_t quotations_dropped = 0;

    // The main text: block texts joined by "\n\n". Block::start indexes into it.
    [[nodiscard]] std::string text() const;
};

// ---------------------------------------------------------------------------------------------
// Claim

enum class ClaimKind { quote, partial_quote, embed };

struct Claim {
    std::string id;  // stable: same article URL, block and quotation give the same id
    ClaimKind kind = ClaimKind::quote;
    std::string quote;  // exactly as printed, marks excluded
    int block = -1;
    std::size_t start = 0;  // in `block`
    std::size_t end = 0;    // in `last_block` when it is set, else in `block`
    // A quotation that runs over several paragraphs (the typographic convention, or one block quotation of several
    // paragraphs) is one claim: `quote` is its paragraphs' texts joined with one space, and last_block the block
    // it ends in; -1 for a quotation within one block.
    int last_block = -1;
    std::string speaker;      // person or outlet; empty when unattributed
    std::string outlet;       // the outlet the speaker spoke through or that reported it; may equal speaker
    std::string attribution;  // the attribution phrase as printed ("NYT reported", "it added")
    std::string rule;         // id of the rule that found the attribution ("" when none)
    // No words of the article attribute the quotation: the speaker is the person named last before it (the rules'
    // "nearest person"). Shown as such; it ties no source to the speaker and no source's speaker contradicts it.
    bool speaker_inferred = false;
    // Candidate sources found by the attribute stage, in the order of DESIGN.md: links in the quote's block,
    // links in the block introducing it. Outlet-domain links and --source bindings are added by the resolve
    // stage once links are unshortened.
    std::vector<std::string> linked_urls;
    std::string embed_status_url;  // for kind == embed
};

// ---------------------------------------------------------------------------------------------
// Match

enum class Verdict {
    verbatim,
    elided,
    minor_variation,
    altered,
    misattributed,
    not_found,
    source_restricted,
    source_unavailable,
    unsourced,
};

enum class DiffKind { number, negation, name, word, punctuation, case_change, spelling, stitched, order };

struct Difference {
    std::string op;  // "insert" (in quote, not source), "delete" (in source, not quote), "replace", "elided"
    std::string quote;
    std::string source;
    DiffKind kind = DiffKind::word;
    bool critical = false;
};

struct Elision {
    std::string marker;  // as printed: "…", "...", "(..)", "(...)", "[...]"
    std::string source;  // the source words it stands for
    bool critical = false;
};

struct Match {
    Verdict verdict = Verdict::not_found;
    double score = 0.0;     // share of the quotation's words found in the passage, in [0,1]
    std::string text;       // the matched source passage
    std::size_t start = 0;  // offsets of `text` in the source text
    std::size_t end = 0;
    std::string context_before;
    std::string context_after;
    std::vector<Difference> differences;
    std::vector<Elision> elisions;
    std::vector<std::string> insertions;  // square-bracketed editorial insertions accepted
    std::string decided_by;               // name of the rules/matching.toml threshold or rule that decided the verdict
    // Empty when the passage is in the source's main text; "outside_main_text" when it was found only in the rest
    // of what the page shows (captions, asides, tables; start and end then index that text).
    std::string region;
    // The page of a PDF source where the passage starts (1-based); 0 for a source that has no pages.
    int page = 0;
    // The source's text was read from pictures of its pages by OCR (a scanned PDF read with --ocr).
    bool ocr = false;
};

// ---------------------------------------------------------------------------------------------
// Record

struct RecordRef {
    std::string envelope_sha256;  // hex
    std::string key_id;           // hex SHA-256 of the raw public key
    std::uint64_t log_index = 0;
};

// ---------------------------------------------------------------------------------------------
// Names as they appear in reports and records.

[[nodiscard]] std::string_view to_string(HopVia v) noexcept;
[[nodiscard]] std::string_view to_string(FailureClass c) noexcept;
[[nodiscard]] std::string_view to_string(CacheState s) noexcept;
[[nodiscard]] std::string_view to_string(BlockKind k) noexcept;
[[nodiscard]] std::string_view to_string(ClaimKind k) noexcept;
[[nodiscard]] std::string_view to_string(Verdict v) noexcept;
[[nodiscard]] std::string_view to_string(DiffKind k) noexcept;
[[nodiscard]] std::optional<Verdict> verdict_from_string(std::string_view s) noexcept;
[[nodiscard]] std::optional<HopVia> hop_via_from_string(std::string_view s) noexcept;
[[nodiscard]] std::optional<FailureClass> failure_class_from_string(std::string_view s) noexcept;

}  // namespace provcheck
