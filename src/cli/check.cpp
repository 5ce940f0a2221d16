#include "cli/check.hpp"

#include <charconv>

#include <curl/curl.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <unordered_set>
#include <utility>

#include "align/align.hpp"
#include "attribute/attribute.hpp"
#include "capture/capturer.hpp"
#include "capture/stored.hpp"
#include "cli/rules_check.hpp"
#include "cli/sitemap.hpp"
#include "cli/versions.hpp"
#include "cli/workspace_cache.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"
#include "core/url.hpp"
#include "crypto/ed25519.hpp"
#include "extract/extract.hpp"
#include "record/record.hpp"
#include "rules/rules.hpp"
#include "store/db.hpp"
#include "warc/warc_archive.hpp"
#include "warc/warc_writer.hpp"

namespace provcheck {

Result<std::chrono::seconds> parse_max_age(std::string_view given) {
    auto bad = [&] {
        return fail(
            ErrorCode::usage,
            fmt::format("--max-age: '{}' is not a duration (seconds, or a number followed by s, m, h or d)", given));
    };
    std::string_view text = given;
    std::int64_t unit = 1;
    constexpr std::pair<char, std::int64_t> units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
    for (const auto& [suffix, seconds] : units) {
        if (!text.empty() && text.back() == suffix) {
            unit = seconds;
            text.remove_suffix(1);
            break;
        }
    }
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    // Ten years is more than any cache should trust; the bound also keeps the product from overflowing.
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || n < 0 || n > 3650 * 86400 / unit)
        return bad();
    if (n == 0) {
        return fail(ErrorCode::usage, fmt::format("--max-age: {} is not allowed: give a duration of at least 1 second "
                                                  "(without --max-age, every stored response is revalidated)",
                                                  given));
    }
    return std::chrono::seconds(n * unit);
}

SourceBinding parse_source_binding(std::string_view arg) {
    auto eq = arg.find('=');
    if (eq != std::string_view::npos && eq > 0) {
        std::string_view name = arg.substr(0, eq);
        if (name.find(':') == std::string_view::npos && name.find('/') == std::string_view::npos) {
            return {std::string(trim(name)), std::string(trim(arg.substr(eq + 1)))};
        }
    }
    return {"", std::string(trim(arg))};
}

namespace {

// A source as the pipeline reads it: the capture plus the text the quote is aligned against.
struct SourceText {
    Capture capture;
    std::string text;
    bool partial = false;
    bool readable = false;
};

// Where an oEmbed answer for a post is asked (rules/sites/*.toml [oembed]); nullopt when no rule matches.
std::optional<std::string> oembed_url(const RuleSet& rules, std::string_view status_url) {
    auto parts = parse_url(status_url);
    if (!parts) return std::nullopt;
    for (const RuleFile* f : rules.site_files()) {
        const auto* oembed = f->table["oembed"].as_table();
        if (oembed == nullptr) continue;
        std::string endpoint = (*oembed)["endpoint"].value_or(std::string{});
        const auto* match = (*oembed)["match"].as_array();
        if (endpoint.empty() || match == nullptr) continue;
        bool applies = false;
        for (const auto& m : *match)
            applies = applies || host_in_domain(parts->host, m.value_or(std::string{}));
        if (!applies) continue;
        // The status URL without tracking query (ref_src=…) and fragment, percent-encoded whole.
        std::string bare(status_url.substr(0, status_url.find_first_of("?#")));
        char* escaped = curl_easy_escape(nullptr, bare.c_str(), static_cast<int>(bare.size()));
        if (escaped == nullptr) return std::nullopt;
        std::string enc(escaped);
        curl_free(escaped);
        auto pos = endpoint.find("{url}");
        if (pos == std::string::npos) return std::nullopt;
        endpoint.replace(pos, 5, enc);
        return endpoint;
    }
    return std::nullopt;
}

// What a capture gives to align against. The SourceText's capture keeps no body: the text is what is read,
// and the workspace archive keeps the bytes.
SourceText read_source(Capture c, const RuleSet& rules) {
    std::string body = std::exchange(c.body, std::string());
    SourceText s{std::move(c), {}, false, false};
    const Capture& cap = s.capture;
    if (!cap.ok()) return s;
    std::string html;
    if (cap.content_type.find("json") != std::string::npos) {
        // An oEmbed answer: the post's markup is in "html".
        auto j = nlohmann::json::parse(body, nullptr, false);
        if (j.is_discarded() || !j.is_object() || !j.contains("html") || !j["html"].is_string()) return s;
        html = j["html"].get<std::string>();
    } else if (!may_hold_text(cap.content_type)) {
        return s;  // images and other media carry no text to align against
    } else {
        html = std::move(body);
    }
    auto doc = extract_document(html, cap.final_url, rules);
    if (!doc) return s;
    s.text = doc->text();
    s.partial = doc->partial || cap.truncated.has_value();
    s.readable = true;
    return s;
}

struct Candidate {
    std::string url;  // URL or local path
    std::string reason;
};

void add_candidate(std::vector<Candidate>& out, std::string url, std::string reason) {
    if (url.empty()) return;
    for (const auto& c : out) {
        if (c.url == url) return;
    }
    out.push_back({std::move(url), std::move(reason)});
}

bool binding_applies(const SourceBinding& b, const Claim& claim, const RuleSet& rules) {
    if (b.name.empty()) return true;
    if (same_name(b.name, claim.speaker) || same_name(b.name, claim.outlet)) return true;
    const Outlet* bound = rules.find_outlet(b.name);
    if (bound == nullptr) return false;
    return bound == rules.find_outlet(claim.outlet) || bound == rules.find_outlet(claim.speaker);
}

// The payload of a capture's last response as stored in the workspace archive (this run's record, or the
// earlier one a 304 confirmed), checked against its digest: the Capturer reads a released body back with it
// instead of fetching the URL again.
Result<std::string> read_back_payload(const std::filesystem::path& workspace, const Capture& c) {
    if (!c.stored) return fail(ErrorCode::io, "the capture was not stored");
    auto stored = load_stored_exchange(workspace, *c.stored, c.payload_sha256);
    if (!stored) return std::unexpected(stored.error());
    return std::move(stored->body);
}

class Pipeline {
public:
    Pipeline(const CheckOptions& o, std::vector<std::regex> exclude, const RuleSet& rules,
             const MatchingRules& matching, const AttributionRules& attribution, Capturer& capturer,
             const SigningKey& key, Database& db, const Clock& clock, std::int64_t run_id)
        : o_(o),
          exclude_(std::move(exclude)),
          rules_(rules),
          matching_(matching),
          attribution_(attribution),
          capturer_(capturer),
          db_(db),
          records_{key, db, run_id, rules.digest, clock} {
        for (const auto& b : o.sources) {
            if (!is_http_url(b.target)) local_sources_.insert(b.target);
        }
    }

    // Checks every input. Each article moves through its stages (its page, its links, its sources, then
    // alignment and its records) as soon as its own captures are in, however slow another article's are;
    // at most `max_active` articles are under way at once, which bounds what is held in memory. Results are
    // in input order; each article's records are stored as it finishes.
    Result<std::vector<ArticleResult>> check_all(const std::vector<std::string>& inputs) {
        inputs_ = &inputs;
        results_.assign(inputs.size(), ArticleResult{});
        next_input_ = 0;
        start_more();
        auto ran = capturer_.run();
        if (failure_) return std::unexpected(*failure_);
        // The machinery itself failing (the archive cannot be written, libcurl cannot start) is not a verdict.
        if (!ran) return std::unexpected(ran.error());
        if (!active_.empty()) return fail(ErrorCode::internal, "articles left unfinished after the captures ended");
        return std::move(results_);
    }

    // The pages a sitemap (or, recursively, a sitemap index) lists, in document order. Only `where` itself,
    // named on the command line, may be a local file: every entry must be an absolute http(s) URL once resolved
    // against the sitemap's own http(s) address, and any other is skipped (noted, and counted in `warnings`),
    // never opened, so that a sitemap served by anyone cannot make provcheck read a local file.
    Result<std::vector<std::string>> sitemap_pages(const std::string& where, const std::optional<std::string>& since,
                                                   std::vector<std::string>& warnings) {
        std::vector<std::string> pages;
        std::set<std::string> seen_maps;
        std::vector<std::string> queue{where};
        // An index of indexes is allowed, but a cycle or an endless chain is not followed forever.
        for (int level = 0; level < 4 && !queue.empty(); ++level) {
            std::vector<std::string> next;
            std::vector<std::string> remote;
            for (const auto& q : queue) {
                if (is_http_url(q)) remote.push_back(q);
            }
            auto fetched = capture_all(remote);
            for (const auto& q : queue) {
                if (!seen_maps.insert(q).second) continue;
                Capture c;
                if (is_http_url(q)) {
                    c = fetched.at(q);
                } else {
                    c = capturer_.capture_file(q, q);
                    note_capture(c);
                }
                if (!c.ok()) {
                    return fail(c.failure->cls == FailureClass::io ? ErrorCode::io : ErrorCode::network,
                                fmt::format("--sitemap {}: {}", q, c.failure->message));
                }
                auto map = parse_sitemap(c.body);
                if (!map) return fail(map.error().code, fmt::format("--sitemap {}: {}", q, map.error().message));
                std::size_t kept = 0;
                std::size_t skipped = 0;
                for (const auto& e : map->entries) {
                    if (since && !modified_since(e, *since)) continue;
                    // A relative <loc> is read against the sitemap's own address; a sitemap read from a file
                    // has none, so its entries must be absolute.
                    auto loc = entry_url(e, c.final_url);
                    if (!loc) {
                        ++skipped;
                        note(
                            fmt::format("sitemap {}: skipped <loc>{}</loc>: not an http(s) URL (local files are read "
                                        "only when named on the command line)",
                                        q, sanitize_utf8(e.loc.substr(0, 200))));
                        continue;
                    }
                    ++kept;
                    (map->is_index ? next : pages).push_back(std::move(*loc));
                }
                note(fmt::format("sitemap {}: {} {}{}", q, kept, map->is_index ? "sitemaps" : "pages",
                                 skipped > 0 ? fmt::format(", {} entries skipped", skipped) : std::string()));
                if (skipped > 0) {
                    warnings.push_back(fmt::format("--sitemap {}: skipped {}", q,
                                                   skipped == 1
                                                       ? std::string("1 entry that is not an http(s) URL")
                                                       : fmt::format("{} entries that are not http(s) URLs", skipped)));
                }
            }
            queue = std::move(next);
        }
        return pages;
    }

    [[nodiscard]] bool excluded(std::string_view url) const {
        for (const auto& re : exclude_) {
            if (std::regex_search(url.begin(), url.end(), re)) return true;
        }
        return false;
    }

    void note(std::string_view line) const {
        if (o_.on_event) o_.on_event(line);
    }

private:
    // capture_urls over distinct URLs; every URL of `urls` is a key of the result.
    std::map<std::string, Capture> capture_all(const std::vector<std::string>& urls) {
        std::vector<std::string> distinct;
        std::set<std::string> seen;
        for (const auto& u : urls) {
            if (seen.insert(u).second) distinct.push_back(u);
        }
        auto captures = capturer_.capture_urls(distinct);
        std::map<std::string, Capture> out;
        for (std::size_t i = 0; i < distinct.size(); ++i) {
            note_capture(captures[i]);
            out.emplace(distinct[i], std::move(captures[i]));
        }
        return out;
    }

    void note_capture(const Capture& c) const {
        if (!o_.on_event) return;
        std::string hops;
        for (const auto& h : c.chain) {
            if (h.via == HopVia::canonical) continue;
            hops +=
                fmt::format("{}{} {}", hops.empty() ? "" : " → ", h.status ? fmt::format("{}", *h.status) : "-", h.url);
        }
        note(fmt::format("fetch {}{}: {}{}", c.requested_url, c.from_replay ? " (replayed)" : "",
                         hops.empty() ? "no response" : hops,
                         c.failure ? fmt::format(" [{}: {}]", to_string(c.failure->cls), c.failure->message) : ""));
    }

    void note_decision(const ClaimResult& r) const {
        if (!o_.on_event) return;
        const Claim& c = r.claim;
        std::string quote = c.quote.size() > 60 ? c.quote.substr(0, 57) + "…" : c.quote;
        note(fmt::format(
            "claim {} “{}”: speaker {}{}{}; {}; verdict {}{}", c.id, sanitize_utf8(quote),
            c.speaker.empty() ? "none" : c.speaker, c.outlet.empty() || c.outlet == c.speaker ? "" : " via " + c.outlet,
            c.rule.empty() ? "" : fmt::format(" (rule {})", c.rule),
            r.source ? fmt::format("source {} ({})",
                                   r.source->final_url.empty() ? r.source->requested_url : r.source->final_url,
                                   r.source_reason)
                     : std::string("no source"),
            to_string(r.verdict),
            r.match && !r.match->decided_by.empty() ? fmt::format(" (decided by {})", r.match->decided_by) : ""));
    }

    // One article under way. It lives in active_ from its start until finish(); completions of its
    // captures point to it, and all of them come in before it finishes.
    struct Article {
        std::size_t index = 0;
        ArticleResult result;
        std::vector<Claim> claims;
        std::vector<std::vector<Candidate>> candidates;  // per claim
        std::size_t pending = 0;                         // captures of the current stage not in yet
        std::unordered_set<std::string> held;            // URLs whose captures it holds (see hold())
    };

    static constexpr std::size_t max_active = 32;

    void start_more() {
        // A local article finishes inside start(); the loop here, not recursion, starts the next one.
        if (starting_) return;
        starting_ = true;
        while (active_.size() < max_active && next_input_ < inputs_->size() && !failure_)
            start(next_input_++);
        starting_ = false;
    }

    void start(std::size_t index) {
        auto owned = std::make_unique<Article>();
        Article* a = owned.get();
        a->index = index;
        a->result.input = (*inputs_)[index];
        active_.emplace(index, std::move(owned));
        const std::string& input = a->result.input;
        if (is_http_url(input)) {
            hold(*a, input);
            capturer_.submit(input, [this, a](Capture c) {
                note_capture(c);
                on_page(*a, std::move(c));
            });
        } else {
            Capture c = capturer_.capture_file(input, input);
            note_capture(c);
            on_page(*a, std::move(c));
        }
    }

    // The article's own page is in: extract and attribute, then resolve its links.
    void on_page(Article& a, Capture page) {
        a.result.capture = std::move(page);
        const std::string& input = a.result.input;
        if (!a.result.capture.ok()) {
            a.result.error =
                Error{a.result.capture.failure->cls == FailureClass::io ? ErrorCode::io : ErrorCode::network,
                      fmt::format("{}: {}", input, a.result.capture.failure->message)};
            finish(a);
            return;
        }
        const ExtractLimits limits{o_.max_links, o_.max_claims};
        auto doc = extract_document(a.result.capture.body, a.result.capture.final_url, rules_, limits);
        if (!doc) {
            a.result.error = Error{doc.error().code, fmt::format("{}: {}", input, doc.error().message)};
            finish(a);
            return;
        }
        // A saved page's relative links mean what they meant at its published address.
        if (!is_http_url(input) && is_http_url(doc->canonical_url)) {
            auto again = extract_document(a.result.capture.body, doc->canonical_url, rules_, limits);
            if (again) doc = std::move(again);
        }
        a.result.document = std::move(*doc);

        if (a.result.document.links_dropped > 0) {
            a.result.notes.push_back(
                fmt::format("{} link{} past the limit of {} per article (--max-links) {} not "
                            "followed or checked",
                            a.result.document.links_dropped, a.result.document.links_dropped == 1 ? "" : "s",
                            o_.max_links, a.result.document.links_dropped == 1 ? "was" : "were"));
        }

        if (o_.depth < 1) {
            // Only links that can become sources: those beside quotations are captured as sources.
            read_claims(a);
            on_links(a);
            return;
        }
        std::set<std::string> seen;
        auto consider = [&](const Link& l) {
            if (!is_http_url(l.url) || excluded(l.url) || !seen.insert(l.url).second) return;
            a.result.links.push_back({l, Capture{}});
        };
        for (const auto& l : a.result.document.links)
            consider(l);
        for (const auto& e : a.result.document.embeds) {
            for (const auto& l : e.links)
                consider(l);
        }
        if (a.result.links.empty()) {
            read_claims(a);
            on_links(a);
            return;
        }
        a.pending = a.result.links.size();
        for (std::size_t k = 0; k < a.result.links.size(); ++k) {
            const std::string url = a.result.links[k].link.url;
            hold(a, url);
            capturer_.submit(url, [this, &a, k](Capture c) {
                note_capture(c);
                // A link is followed for where it leads; its body, if it is a source, is read as one.
                free_string(c.body);
                a.result.links[k].capture = std::move(c);
                if (--a.pending == 0) on_links(a);
            });
        }
        // The claims are read while the links are fetched: completions come in only after this returns.
        read_claims(a);
    }

    // The article's claims, at most --max-claims of them (the first in reading order); the result notes the
    // quotations left unchecked past that.
    void read_claims(Article& a) {
        a.claims = attribute_claims(a.result.document, rules_, attribution_);
        std::size_t dropped = a.result.document.quotations_dropped;
        if (a.claims.size() > o_.max_claims) {
            dropped += a.claims.size() - o_.max_claims;
            a.claims.erase(a.claims.begin() + static_cast<std::ptrdiff_t>(o_.max_claims), a.claims.end());
        }
        if (dropped > 0) {
            a.result.notes.push_back(
                fmt::format("{} quotation{} past the limit of {} per article (--max-claims) {} "
                            "not checked",
                            dropped, dropped == 1 ? "" : "s", o_.max_claims, dropped == 1 ? "was" : "were"));
        }
    }

    // The links are resolved: choose each claim's candidate sources and capture those not read yet.
    void on_links(Article& a) {
        std::vector<std::string> wanted;
        std::set<std::string> seen;
        // Which outlet each link leads to, worked out once for the article rather than once per claim.
        std::map<const Outlet*, std::vector<const std::string*>> outlet_links;
        for (const auto& l : a.result.links) {
            const Outlet* to = rules_.outlet_for_url(l.capture.final_url.empty() ? l.link.url : l.capture.final_url);
            const Outlet* named = rules_.outlet_for_url(l.link.url);
            if (to != nullptr) outlet_links[to].push_back(&l.link.url);
            if (named != nullptr && named != to) outlet_links[named].push_back(&l.link.url);
        }
        for (const auto& claim : a.claims) {
            a.candidates.push_back(candidates_for(claim, outlet_links));
            std::erase_if(a.candidates.back(), [this](const Candidate& c) { return excluded(c.url); });
            for (const auto& c : a.candidates.back()) {
                if (seen.insert(c.url).second) wanted.push_back(c.url);
            }
        }
        std::vector<std::string> to_fetch;
        for (const auto& url : wanted) {
            hold(a, url);
            if (sources_.contains(url)) continue;
            if (is_http_url(url)) {
                to_fetch.push_back(url);
            } else if (local_sources_.contains(url)) {
                Capture c = capturer_.capture_file(url, url);
                note_capture(c);
                sources_.emplace(url, read_source(std::move(c), rules_));
            } else {
                // Only --source names a local file; what a page or a rule names is never opened as one.
                SourceText refused;
                refused.capture.requested_url = url;
                refused.capture.failure =
                    CaptureFailure{FailureClass::unsupported_scheme, "not an http(s) URL; not opened"};
                sources_.emplace(url, std::move(refused));
            }
        }
        if (to_fetch.empty()) {
            decide_all(a);
            return;
        }
        a.pending = to_fetch.size();
        for (const auto& url : to_fetch) {
            capturer_.submit(url, [this, &a, url](Capture c) {
                note_capture(c);
                // Another article may have read it meanwhile: the capture is the same one.
                if (!sources_.contains(url)) sources_.emplace(url, read_source(std::move(c), rules_));
                if (--a.pending == 0) decide_all(a);
            });
        }
    }

    void decide_all(Article& a) {
        for (std::size_t k = 0; k < a.claims.size(); ++k) {
            a.result.claims.push_back(decide(a.claims[k], a.candidates[k]));
            note_decision(a.result.claims.back());
        }
        finish(a);
    }

    // Records the article, keeps its result, and lets go of every capture only it still needed.
    void finish(Article& a) {
        if (!a.result.error && !failure_ && !capturer_.error()) {
            // The captures a record names must be durable before the record is.
            if (auto synced = capturer_.sync_archive(); !synced) {
                failure_ = synced.error();
            } else if (auto r = record_article(records_, a.result); !r) {
                failure_ = r.error();
            }
        }
        // The report shows chains, statuses and digests of links and sources, never their bodies (the
        // workspace archive keeps those). The article's own HTML stays: reports locate quotations in it.
        for (auto& l : a.result.links)
            free_string(l.capture.body);
        for (auto& c : a.result.claims) {
            if (c.source) free_string(c.source->body);
            for (auto& cand : c.candidates)
                free_string(cand.body);
        }
        for (const auto& url : a.held)
            let_go(url);
        const std::size_t index = a.index;
        results_[index] = std::move(a.result);
        active_.erase(index);  // `a` is gone from here on
        start_more();
    }

    // Counts the articles under way that need `url`'s capture (as a page, a link or a source).
    void hold(Article& a, const std::string& url) {
        if (!a.held.insert(url).second) return;
        holders_[url] += 1;
    }

    void let_go(const std::string& url) {
        auto it = holders_.find(url);
        if (it == holders_.end() || --it->second > 0) return;
        holders_.erase(it);
        sources_.erase(url);
        versions_.erase(url);
        // The Capturer keeps what the URL led to, so it is never fetched twice, and reads the body back
        // from the workspace should a later article need it.
        capturer_.release(url);
    }

    // Earlier versions of a source (other payloads stored for its URL by earlier runs), read once per URL
    // while an article needs it.
    const std::vector<SourceText>& versions(const std::string& target, const Capture& current) {
        if (auto it = versions_.find(target); it != versions_.end()) return it->second;
        std::vector<SourceText> texts;
        if (current.ok() && may_hold_text(current.content_type)) {
            for (auto& v : stored_versions(db_, o_.workspace, current, max_versions)) {
                SourceText t = read_source(std::move(v), rules_);
                if (t.readable) texts.push_back(std::move(t));
            }
        }
        return versions_.emplace(target, std::move(texts)).first->second;
    }

    const SourceText& source(const std::string& target) {
        if (auto it = sources_.find(target); it != sources_.end()) return it->second;
        // Every candidate is read before its claims are decided; this is only reached by a bug.
        static const SourceText missing = [] {
            SourceText s;
            s.capture.failure = CaptureFailure{FailureClass::io, "the source was not captured"};
            return s;
        }();
        return missing;
    }

    // At most this many links to the claim's outlet become its candidates (a real article links an outlet a
    // few times; a page of thousands of such links must not make every claim align with each).
    static constexpr std::size_t max_outlet_candidates = 32;

    std::vector<Candidate> candidates_for(
        const Claim& claim, const std::map<const Outlet*, std::vector<const std::string*>>& outlet_links) {
        std::vector<Candidate> out;
        if (claim.kind == ClaimKind::embed) {
            if (auto url = oembed_url(rules_, claim.embed_status_url)) {
                add_candidate(out, *url, "the post's oEmbed answer");
            }
            return out;
        }
        for (const auto& url : claim.linked_urls) {
            if (is_http_url(url)) add_candidate(out, url, "link beside the quotation");
        }
        const Outlet* outlet = rules_.find_outlet(claim.outlet);
        if (outlet == nullptr) outlet = rules_.find_outlet(claim.speaker);
        if (auto it = outlet != nullptr ? outlet_links.find(outlet) : outlet_links.end(); it != outlet_links.end()) {
            std::size_t taken = 0;
            for (const std::string* url : it->second) {
                if (taken++ == max_outlet_candidates) break;
                add_candidate(out, *url, fmt::format("link to {} in the article", outlet->name));
            }
        }
        for (const auto& b : o_.sources) {
            if (binding_applies(b, claim, rules_)) {
                add_candidate(
                    out, b.target,
                    b.name.empty() ? std::string("bound by --source") : fmt::format("bound by --source {}", b.name));
            }
        }
        return out;
    }

    ClaimResult decide(const Claim& claim, const std::vector<Candidate>& candidates) {
        ClaimResult r;
        r.claim = claim;
        if (candidates.empty()) {
            r.verdict = Verdict::unsourced;
            return r;
        }
        bool any_readable = false;
        bool any_partial = false;
        for (const auto& cand : candidates) {
            const SourceText& s = source(cand.url);
            r.candidates.push_back(s.capture);
            if (!s.readable) {
                if (!r.source && !any_readable) {
                    r.source = s.capture;
                    r.source_reason = cand.reason;
                }
                continue;
            }
            any_partial = any_partial || s.partial;
            // This run's capture first, then what earlier runs stored for the same URL; the best passage
            // across all of them decides, and the report says which version it was.
            std::vector<std::pair<const SourceText*, Match>> tried;
            tried.emplace_back(&s, align_quote(claim.quote, s.text, matching_));
            for (const SourceText& v : versions(cand.url, s.capture))
                tried.emplace_back(&v, align_quote(claim.quote, v.text, matching_));
            std::size_t best = 0;
            for (std::size_t i = 1; i < tried.size(); ++i) {
                if (better_match(tried[i].second, tried[best].second)) best = i;
            }
            if (!any_readable || better_match(tried[best].second, *r.match)) {
                r.match = tried[best].second;
                r.source = tried[best].first->capture;
                r.source_reason = cand.reason;
                r.versions.clear();
                if (tried.size() > 1) {
                    for (std::size_t i = 0; i < tried.size(); ++i) {
                        const Capture& c = tried[i].first->capture;
                        r.versions.push_back(SourceVersion{c.final_url, c.fetched_at, c.payload_sha256,
                                                           tried[i].second.verdict, tried[i].second.score, i == best,
                                                           i == 0});
                    }
                }
                // An earlier version that decides the verdict is evidence too: its capture becomes a subject.
                if (best != 0) r.candidates.push_back(tried[best].first->capture);
            }
            any_readable = true;
        }
        if (!any_readable) {
            r.verdict = Verdict::source_unavailable;
            if (r.source && r.source->ok()) {
                // Fetched, but nothing in it can hold text (an image, an empty page).
                r.source->failure = CaptureFailure{FailureClass::io, "the source holds no readable text"};
            }
        } else if (r.match->verdict == Verdict::not_found && any_partial) {
            r.verdict = Verdict::source_restricted;
        } else {
            r.verdict = r.match->verdict;
        }
        return r;
    }

    const CheckOptions& o_;
    std::vector<std::regex> exclude_;
    const RuleSet& rules_;
    const MatchingRules& matching_;
    const AttributionRules& attribution_;
    Capturer& capturer_;
    Database& db_;
    // One context for the whole run, so the log's right edge carries over from article to article instead of
    // being re-read from the database for each.
    RecordContext records_;
    const std::vector<std::string>* inputs_ = nullptr;
    std::vector<ArticleResult> results_;
    std::size_t next_input_ = 0;
    bool starting_ = false;
    std::map<std::size_t, std::unique_ptr<Article>> active_;
    std::map<std::string, int> holders_;
    std::set<std::string> local_sources_;  // --source paths: the only local files a claim is checked against
    // What the articles under way read from their sources, by candidate URL; dropped when none holds it.
    std::map<std::string, SourceText> sources_;
    std::map<std::string, std::vector<SourceText>> versions_;  // by candidate URL, dropped with sources_
    static constexpr std::size_t max_versions = 4;
    std::optional<Error> failure_;  // storing a record failed: no more articles start
};

}  // namespace

Result<Report> run_check(const CheckOptions& o, const SigningKey& key, Database& db, const Clock& clock) {
    std::vector<std::regex> exclude;
    for (const auto& pattern : o.exclude) {
        try {
            exclude.emplace_back(pattern, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            return fail(ErrorCode::config,
                        fmt::format("exclude: '{}' is not a valid regular expression ({})", pattern, e.what()));
        }
    }
    if (o.since && !is_iso_date(*o.since)) {
        return fail(ErrorCode::usage, fmt::format("--since: '{}' is not a date (YYYY-MM-DD)", *o.since));
    }
    // Every rule file, built in or --rules, is read by every stage that uses it before anything is fetched: an
    // error in any of them stops the run here, naming the file, line and key (cli/rules_check.hpp).
    auto checked_rules = load_checked_rules(o.rules_dir);
    if (!checked_rules) return std::unexpected(checked_rules.error());
    const RuleSet* rules = &checked_rules->rules;
    const MatchingRules* matching = &checked_rules->matching;

    std::unique_ptr<WarcArchive> archive;
    if (!o.replay.empty()) {
        auto loaded = WarcArchive::load(o.replay);
        if (!loaded) return std::unexpected(loaded.error());
        archive = std::make_unique<WarcArchive>(std::move(*loaded));
    }
    std::error_code ec;
    std::filesystem::create_directories(o.workspace / "warc", ec);
    if (ec) {
        return fail(ErrorCode::io,
                    fmt::format("{}: cannot create the workspace: {}", o.workspace.string(), ec.message()));
    }
    auto writer = WarcWriter::open(o.workspace / "warc", clock);
    if (!writer) return std::unexpected(writer.error());

    auto run_id = db.begin_run(format_rfc3339(clock.now()), o.argv, rules->digest);
    if (!run_id) return std::unexpected(run_id.error());

    // Large bodies wait on the archive's own disk while they arrive, not in memory nor in a small /tmp.
    FetchOptions fetch = o.fetch;
    if (!fetch.spool_dir) fetch.spool_dir = o.workspace / "warc";
    Capturer capturer(std::move(fetch), *rules, &*writer, archive.get(), clock);
    capturer.set_body_loader([&o](const Capture& c) { return read_back_payload(o.workspace, c); });
    WorkspaceCache cache(db, o.workspace);
    capturer.set_cache(&cache, o.max_age);
    Pipeline pipeline(o, std::move(exclude), *rules, *matching, checked_rules->attribution, capturer, key, db, clock,
                      *run_id);

    std::vector<std::string> inputs;
    std::set<std::string> seen;
    auto add_input = [&](const std::string& in) {
        if (pipeline.excluded(in)) {
            pipeline.note(fmt::format("excluded {}", in));
            return;
        }
        if (seen.insert(in).second) inputs.push_back(in);
    };
    for (const auto& in : o.articles)
        add_input(in);
    std::vector<std::string> warnings;
    for (const auto& map : o.sitemaps) {
        auto pages = pipeline.sitemap_pages(map, o.since, warnings);
        if (!pages) return std::unexpected(pages.error());
        for (const auto& p : *pages)
            add_input(p);
    }

    auto checked = pipeline.check_all(inputs);
    if (!checked) return std::unexpected(checked.error());
    // What no record needed (articles that failed, links of excluded pages) is kept for the next run too.
    if (auto synced = capturer.sync_archive(); !synced) return std::unexpected(synced.error());
    Report report;
    report.articles = std::move(*checked);
    report.warnings = std::move(warnings);
    return report;
}

}  // namespace provcheck
