// What `verify` checks in a record's in-toto statement, read from the payload bytes of its envelope.
//
// Input: the payload, any bytes. Output: the predicate type, the claim id, the quoted text, the verdict, the
// article input and checked_at (the values a record's database row repeats), every object entry of "subject"
// and every entry of predicate.captures, or `statement == false` when the payload is not an in-toto Statement v1
// of the shape the record stage writes (not JSON, not an object, wrong "_type", no "subject" array, no
// "predicate", or a member of the wrong type). Never throws for any input and keeps no reference to it.
//
// Statements this project writes are read by a small parser that builds no general JSON document; a payload
// it does not handle (escapes such as \u, fractions, nesting deeper than any statement) is read by
// nlohmann-json instead. Both give the same facts; a test compares them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace provcheck {

struct StatementFacts {
    struct Subject {
        std::string name;
        std::string uri;
        std::string sha256;  // digest.sha256, "" when absent
        bool operator==(const Subject&) const = default;
    };
    struct CaptureRef {
        std::string role;
        bool has_warc = false;  // "warc" is present and an object
        std::string warc_file;
        std::uint64_t warc_offset = 0;
        std::string warc_record_id;
        bool operator==(const CaptureRef&) const = default;
    };

    bool statement = false;
    std::string predicate_type;
    std::string claim_id;       // predicate.claim.id
    std::string quote;          // predicate.claim.quote
    std::string verdict;        // predicate.verdict (v2), predicate.claim.verdict (v1)
    std::string article_input;  // predicate.article.input
    std::string checked_at;     // predicate.checked_at
    std::vector<Subject> subjects;
    std::vector<CaptureRef> captures;

    bool operator==(const StatementFacts&) const = default;
};

[[nodiscard]] StatementFacts read_statement_facts(std::string_view payload);

// The same facts, always read through nlohmann-json: the reference the fast reader is tested against.
[[nodiscard]] StatementFacts read_statement_facts_reference(std::string_view payload);

}  // namespace provcheck
