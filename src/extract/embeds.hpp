// Sources an article names without a link element: posts embedded in it (a tweet's <blockquote>) and URLs printed
// as text. Both are claims or sources the page gives, so they are read as Links like any <a>. Internal to
// src/extract: the Walker recognises embeds, extract_document adds the printed URLs once the blocks are final.
#pragma once

#include <gumbo.h>

#include <cstddef>
#include <string_view>

#include "core/types.hpp"

namespace provcheck::extract_detail {

// A post's own address on Twitter or X (a path holding "/status/").
[[nodiscard]] bool is_status_url(std::string_view url);

// A <blockquote class="twitter-tweet"> (or "twitter-video"): an embedded post.
[[nodiscard]] bool is_tweet(const GumboNode* n);

// A <blockquote class="instagram-media">: an embedded Instagram post.
[[nodiscard]] bool is_instagram(const GumboNode* n);

// Adds the URLs printed as text that no link of their block covers, while the document holds fewer than
// `max_links` links (the others are counted in links_dropped). Linear in the text, up to a logarithm: the
// covered ranges of a block are searched, not scanned, for each URL.
void add_bare_urls(Document& doc, std::size_t max_links);

}  // namespace provcheck::extract_detail
