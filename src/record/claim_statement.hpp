// The record's own schema: the in-toto Statement a claim's record signs, written and read here and nowhere
// else (docs/record-format.md describes it field by field). Nothing here uses a report renderer: renaming a
// field of the JSON report never changes what is signed, and every statement a released provcheck wrote stays
// readable.
//
// Versions: predicateType ends in the predicate's version.
//   v1 (provcheck 0.1): predicate.claim was the JSON report's claim object of that release, frozen here.
//   v2: the fields below, with every capture in predicate.captures and the claim's parts referring to them
//       by role.
// claim_statement() writes the current version; read_claim_statement() reads every version.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "model/result.hpp"

namespace provcheck {

inline constexpr std::string_view statement_type = "https://in-toto.io/Statement/v1";
inline constexpr std::string_view envelope_payload_type = "application/vnd.in-toto+json";
inline constexpr std::string_view claim_predicate_v1 = "https://provcheck.dev/claim-verification/v1";
inline constexpr std::string_view claim_predicate_v2 = "https://provcheck.dev/claim-verification/v2";
inline constexpr std::string_view claim_predicate_current = claim_predicate_v2;

// The article as a claim's statement names it.
struct StatementArticle {
    std::string input;  // as recorded: a URL, or a local file's name (never the checker's absolute path)
    std::string url;    // canonical URL, else where it was read from
    std::string title;
    std::string published;
};

// A claim as its signed statement gives it: everything shown about a claim after the run (`show`, a bundle's
// page list) comes from here, never from a database column.
struct SignedClaim {
    int version = 0;  // of the predicate: 1 or 2
    StatementArticle article;
    // claim, verdict, match, source (the capture the verdict is about), candidates (every source capture
    // tried, with where each is stored), source_reason and versions. Captures carry no body and no headers.
    ClaimResult result;
    Capture article_capture;
    std::string checked_at;
    std::string tool_version;
    std::string rules_digest;
};

// What the statements of one article's claims share (the article, its captures and their subjects, the tool,
// the rules' digest, when it was checked), written once so that each claim's statement writes only its own parts.
// Built before the claims are signed; after that it is only read, by any number of threads at once. Keeps a
// reference to `article`, which must outlive it.
class StatementParts {
public:
    StatementParts(const ArticleResult& article, std::string_view rules_digest, std::string_view checked_at);

    // The compact JSON of the capture object and of the subject of a capture in a role ("article", "source:0").
    struct Written {
        std::string capture;
        std::string subject;
    };
    // The written JSON of a capture of this article's claims in that role, or null for any other (which the
    // statement then writes itself).
    [[nodiscard]] const Written* find(std::string_view role, const Capture& c) const;

    [[nodiscard]] const ArticleResult& article() const noexcept { return article_; }
    [[nodiscard]] const std::string& article_json() const noexcept { return article_json_; }
    [[nodiscard]] const std::string& checked_at_json() const noexcept { return checked_at_json_; }
    [[nodiscard]] const std::string& rules_digest_json() const noexcept { return rules_digest_json_; }
    [[nodiscard]] const std::string& tool_json() const noexcept { return tool_json_; }

private:
    const ArticleResult& article_;
    std::string article_json_;       // predicate.article
    std::string checked_at_json_;    // predicate.checked_at, a JSON string
    std::string rules_digest_json_;  // predicate.rules_digest, a JSON string
    std::string tool_json_;          // predicate.tool
    struct Entry {
        std::string role;
        const Capture* capture;  // in the article: what was written, to compare another capture with
        Written written;
    };
    std::unordered_map<std::size_t, std::vector<Entry>> written_;  // by the role and the capture's identity
};

// The statement for one claim, ready to be signed: the compact JSON (compact_json.hpp) of an in-toto Statement
// with its members in key order, byte for byte what nlohmann::json::dump() gives for the same document.
[[nodiscard]] std::string claim_statement(const StatementParts& parts, const ClaimResult& claim);

// Reads a statement of any version back; an Error (ErrorCode::parse) names the first member that is missing
// or of the wrong type. Never throws.
[[nodiscard]] Result<SignedClaim> read_claim_statement(std::string_view payload);

// How a record names an article input: a URL as given; a local file by its path relative to the working
// directory when it lies below it, else by its file name, so that no record carries the checker's own
// directories.
[[nodiscard]] std::string record_input(std::string_view input);

}  // namespace provcheck
