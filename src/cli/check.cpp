#include "cli/check.hpp"

#include <curl/curl.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <regex>
#include <set>

#include "align/align.hpp"
#include "attribute/attribute.hpp"
#include "capture/capturer.hpp"
#include "cli/sitemap.hpp"
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

SourceText read_source(const Capture& c, const RuleSet& rules) {
    SourceText s{c, {}, false, false};
    if (!c.ok()) return s;
    std::string html = c.body;
    std::string url = c.final_url;
    if (c.content_type.find("json") != std::string::npos) {
        // An oEmbed answer: the post's markup is in "html".
        auto j = nlohmann::json::parse(c.body, nullptr, false);
        if (j.is_discarded() || !j.is_object() || !j.contains("html") || !j["html"].is_string()) return s;
        html = j["html"].get<std::string>();
    } else if (c.content_type.find("html") == std::string::npos && c.content_type.find("xml") == std::string::npos &&
               c.content_type.find("text") == std::string::npos && !c.content_type.empty()) {
        return s;  // images and other media carry no text to align against
    }
    auto doc = extract_document(html, url, rules);
    if (!doc) return s;
    s.text = doc->text();
    s.partial = doc->partial || c.truncated.has_value();
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

class Pipeline {
public:
    Pipeline(const CheckOptions& o, std::vector<std::regex> exclude, const RuleSet& rules,
             const MatchingRules& matching, Capturer& capturer, const SigningKey& key, Database& db, const Clock& clock,
             std::int64_t run_id)
        : o_(o),
          exclude_(std::move(exclude)),
          rules_(rules),
          matching_(matching),
          capturer_(capturer),
          db_(db),
          records_{key, db, run_id, rules.digest, clock} {}

    // Checks a window of articles together: each stage's fetches for all of them go out at once.
    Result<std::vector<ArticleResult>> check_window(const std::vector<std::string>& inputs) {
        std::vector<ArticleResult> out(inputs.size());
        std::vector<std::vector<Claim>> claims(inputs.size());
        std::vector<std::string> urls;
        for (const auto& in : inputs) {
            if (is_http_url(in)) urls.push_back(in);
        }
        auto fetched = capture_all(urls);
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            ArticleResult& a = out[i];
            const std::string& input = inputs[i];
            a.input = input;
            if (is_http_url(input)) {
                a.capture = fetched.at(input);
            } else {
                a.capture = capturer_.capture_file(input, input);
                note_capture(a.capture);
            }
            if (!a.capture.ok()) {
                a.error = Error{a.capture.failure->cls == FailureClass::io ? ErrorCode::io : ErrorCode::network,
                                fmt::format("{}: {}", input, a.capture.failure->message)};
                continue;
            }
            auto doc = extract_document(a.capture.body, a.capture.final_url, rules_);
            if (!doc) {
                a.error = Error{doc.error().code, fmt::format("{}: {}", input, doc.error().message)};
                continue;
            }
            // A saved page's relative links mean what they meant at its published address.
            if (!is_http_url(input) && is_http_url(doc->canonical_url)) {
                auto again = extract_document(a.capture.body, doc->canonical_url, rules_);
                if (again) doc = std::move(again);
            }
            a.document = std::move(*doc);
            claims[i] = attribute_claims(a.document, rules_);
        }

        resolve_links(out);
        std::vector<std::vector<std::vector<Candidate>>> per_claim(inputs.size());
        std::vector<std::string> to_fetch;
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            for (const auto& claim : claims[i]) {
                per_claim[i].push_back(candidates_for(claim, out[i]));
                std::erase_if(per_claim[i].back(), [this](const Candidate& c) { return excluded(c.url); });
                for (const auto& c : per_claim[i].back()) {
                    if (is_http_url(c.url)) to_fetch.push_back(c.url);
                }
            }
        }
        fetch_sources(to_fetch);
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            for (std::size_t k = 0; k < claims[i].size(); ++k) {
                out[i].claims.push_back(decide(claims[i][k], per_claim[i][k]));
                note_decision(out[i].claims.back());
            }
        }
        // The machinery itself failing (the archive cannot be written, libcurl cannot start) is not a verdict.
        if (const auto& e = capturer_.error()) return std::unexpected(*e);

        for (auto& a : out) {
            if (a.error) continue;
            if (auto r = record_article(records_, a); !r) return std::unexpected(r.error());
        }
        return out;
    }

    // The pages a sitemap (or, recursively, a sitemap index) lists, in document order.
    Result<std::vector<std::string>> sitemap_pages(const std::string& where, const std::optional<std::string>& since) {
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
                for (const auto& e : map->entries) {
                    if (since && !modified_since(e, *since)) continue;
                    // A relative <loc> is read against the sitemap's own address.
                    std::string loc = e.loc;
                    if (!is_http_url(loc) && is_http_url(c.final_url)) {
                        if (auto abs = resolve_url(c.final_url, loc)) loc = *abs;
                    }
                    (map->is_index ? next : pages).push_back(std::move(loc));
                }
                note(fmt::format("sitemap {}: {} {}", q, map->entries.size(), map->is_index ? "sitemaps" : "pages"));
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

    void resolve_links(std::vector<ArticleResult>& articles) {
        std::vector<std::vector<const Link*>> per_article(articles.size());
        std::vector<std::string> urls;
        for (std::size_t i = 0; i < articles.size(); ++i) {
            const ArticleResult& a = articles[i];
            if (a.error) continue;
            std::set<std::string> seen;
            auto consider = [&](const Link& l) {
                if (!is_http_url(l.url) || excluded(l.url) || !seen.insert(l.url).second) return;
                per_article[i].push_back(&l);
            };
            for (const auto& l : a.document.links)
                consider(l);
            for (const auto& e : a.document.embeds) {
                for (const auto& l : e.links)
                    consider(l);
            }
            for (const Link* l : per_article[i])
                urls.push_back(l->url);
        }
        if (o_.depth < 1) {
            // Only links that can become sources: those inside quotations' blocks are resolved on demand.
            return;
        }
        auto captures = capture_all(urls);
        for (std::size_t i = 0; i < articles.size(); ++i) {
            for (const Link* l : per_article[i])
                articles[i].links.push_back({*l, captures.at(l->url)});
        }
    }

    std::vector<Candidate> candidates_for(const Claim& claim, const ArticleResult& a) {
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
        if (outlet != nullptr) {
            for (const auto& l : a.links) {
                const std::string& final_url = l.capture.final_url.empty() ? l.link.url : l.capture.final_url;
                if (rules_.outlet_for_url(final_url) == outlet || rules_.outlet_for_url(l.link.url) == outlet) {
                    add_candidate(out, l.link.url, fmt::format("link to {} in the article", outlet->name));
                }
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

    void fetch_sources(const std::vector<std::string>& urls) {
        std::vector<std::string> missing;
        std::set<std::string> seen;
        for (const auto& u : urls) {
            if (!sources_.contains(u) && seen.insert(u).second) missing.push_back(u);
        }
        auto captures = capture_all(missing);
        for (const auto& u : missing)
            sources_.emplace(u, read_source(captures.at(u), rules_));
    }

    const SourceText& source(const std::string& target) {
        auto it = sources_.find(target);
        if (it == sources_.end()) {
            Capture c =
                is_http_url(target) ? capturer_.capture_urls({target}).front() : capturer_.capture_file(target, target);
            note_capture(c);
            it = sources_.emplace(target, read_source(c, rules_)).first;
        }
        return it->second;
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
            Match m = align_quote(claim.quote, s.text, matching_);
            if (!any_readable || better_match(m, *r.match)) {
                r.match = std::move(m);
                r.source = s.capture;
                r.source_reason = cand.reason;
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
    Capturer& capturer_;
    Database& db_;
    // One context for the whole run, so the log's right edge carries over from window to window instead of
    // being re-read from the database for each.
    RecordContext records_;
    std::map<std::string, SourceText> sources_;
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
    auto rules = load_rules(o.rules_dir);
    if (!rules) return std::unexpected(rules.error());
    auto matching = parse_matching_rules(rules->table("matching.toml"));
    if (!matching) return std::unexpected(matching.error());

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

    Capturer capturer(o.fetch, *rules, &*writer, archive.get(), clock);
    Pipeline pipeline(o, std::move(exclude), *rules, *matching, capturer, key, db, clock, *run_id);

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
    for (const auto& map : o.sitemaps) {
        auto pages = pipeline.sitemap_pages(map, o.since);
        if (!pages) return std::unexpected(pages.error());
        for (const auto& p : *pages)
            add_input(p);
    }

    // Windows bound what is held in memory at once; within one, fetches of all its articles overlap.
    constexpr std::size_t window = 16;
    Report report;
    for (std::size_t first = 0; first < inputs.size(); first += window) {
        std::vector<std::string> slice(
            inputs.begin() + static_cast<std::ptrdiff_t>(first),
            inputs.begin() + static_cast<std::ptrdiff_t>(std::min(inputs.size(), first + window)));
        auto checked = pipeline.check_window(slice);
        if (!checked) return std::unexpected(checked.error());
        for (auto& a : *checked)
            report.articles.push_back(std::move(a));
    }
    return report;
}

}  // namespace provcheck
