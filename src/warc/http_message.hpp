// HTTP message parsing shared inside the warc module: a head split into its start line and fields, the codings a
// head names, and a chunked body undone. parse_http_response (warc_reader.hpp) is built on these, and digest
// checking and payloads decoded as they stream use them too: a payload digest must be checked against the payload
// as it was stored, and a streamed payload must undo the same codings in the same order, so neither may have rules
// of its own. Internal to the warc module.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/types.hpp"

namespace provcheck::detail {

// An HTTP head: `length` bytes of the block, through the blank line.
struct ParsedHead {
    std::string start_line;
    std::vector<Header> headers;
    std::size_t length = 0;
};

// Adds one non-empty line of a header section to `headers`: a field "Name: value" (name and value trimmed) or,
// when it starts with a space or tab after a field, more of that field's value (obs-fold, joined with a space).
// False when it is neither; the caller says so in its own words. WARC record headers follow the same rules as
// HTTP heads, so the record reader and parse_head() both add their lines here.
[[nodiscard]] bool add_header_line(std::vector<Header>& headers, std::string_view line);

// The head at the start of `block`: its start line and its fields (obs-folded lines joined).
Result<ParsedHead> parse_head(std::string_view block);

// Codings named by every header `name`, in the order applied by the sender.
std::vector<std::string> codings(const std::vector<Header>& headers, std::string_view name);

// A chunked body undone; trailer fields are dropped. An Error when it is malformed or decodes to more than
// `max_body` bytes.
Result<std::string> dechunk(std::string_view body, std::uint64_t max_body);

}  // namespace provcheck::detail
