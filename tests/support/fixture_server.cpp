#include "support/fixture_server.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/fs.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"

namespace provcheck::test {

namespace {

std::string host_without_port(std::string_view host) {
    host = trim(host);
    if (!host.empty() && host.front() == '[') {
        auto close = host.find(']');
        return to_lower_ascii(host.substr(1, close == std::string_view::npos ? host.size() - 1 : close - 1));
    }
    return to_lower_ascii(host.substr(0, host.find(':')));
}

bool route_matches(const Route& r, const std::string& host, const std::string& target, const std::string& ua,
                   bool with_query) {
    if (!iequals(r.host, host)) return false;
    const std::string path = target.substr(0, target.find('?'));
    if (r.path != (with_query ? target : path)) return false;
    return r.user_agent_contains.empty() || ua.find(r.user_agent_contains) != std::string::npos;
}

}  // namespace

std::string content_type_for(const std::filesystem::path& file) {
    const std::string ext = to_lower_ascii(file.extension().string());
    if (ext == ".html" || ext == ".htm") return "text/html; charset=utf-8";
    if (ext == ".json") return "application/json";
    if (ext == ".txt") return "text/plain; charset=utf-8";
    if (ext == ".css") return "text/css";
    if (ext == ".js") return "application/javascript";
    if (ext == ".xml") return "application/xml";
    if (ext == ".png") return "image/png";
    if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
    if (ext == ".gif") return "image/gif";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".pdf") return "application/pdf";
    return "application/octet-stream";
}

std::vector<Route> load_routes(const std::filesystem::path& routes_toml, const std::filesystem::path& web_root) {
    toml::table doc;
    try {
        doc = toml::parse_file(routes_toml.string());
    } catch (const toml::parse_error& e) {
        throw std::runtime_error(fmt::format("{}:{}:{}: {}", routes_toml.string(), e.source().begin.line,
                                             e.source().begin.column, e.description()));
    }
    std::vector<Route> routes;
    const auto* arr = doc["route"].as_array();
    if (arr == nullptr) return routes;
    std::size_t n = 0;
    for (const auto& node : *arr) {
        ++n;
        const auto* t = node.as_table();
        auto bad = [&](std::string_view what) {
            return std::runtime_error(fmt::format("{}: route #{}: {}", routes_toml.string(), n, what));
        };
        if (t == nullptr) throw bad("not a table");
        Route r;
        r.host = to_lower_ascii((*t)["host"].value_or(std::string{}));
        r.path = (*t)["path"].value_or(std::string{});
        if (r.host.empty() || r.path.empty()) throw bad("`host` and `path` are required");
        r.user_agent_contains = (*t)["user_agent_contains"].value_or(std::string{});
        r.status = static_cast<int>((*t)["status"].value_or(std::int64_t{200}));
        r.delay_ms = static_cast<int>((*t)["delay_ms"].value_or(std::int64_t{0}));
        r.content_type = (*t)["content_type"].value_or(std::string{"text/html; charset=utf-8"});
        if (const auto* h = (*t)["headers"].as_table()) {
            for (auto&& [k, v] : *h) {
                auto value = v.value<std::string>();
                if (!value) throw bad(fmt::format("header {} must be a string", k.str()));
                r.headers.push_back(Header{std::string(k.str()), *value});
            }
        }
        if (auto file = (*t)["file"].value<std::string>()) {
            auto body = read_file(web_root / *file);
            if (!body) throw bad(body.error().message);
            r.body = std::move(*body);
            if (!(*t).contains("content_type")) r.content_type = content_type_for(*file);
        } else {
            r.body = (*t)["body"].value_or(std::string{});
        }
        routes.push_back(std::move(r));
    }
    return routes;
}

FixtureServer::FixtureServer(FixtureServerOptions opts) : opts_(std::move(opts)) {
    // A client that hangs up mid-response must not kill the test process.
    std::signal(SIGPIPE, SIG_IGN);
    if (!opts_.web_root.empty()) {
        const auto routes = opts_.web_root / "routes.toml";
        std::error_code ec;
        if (std::filesystem::exists(routes, ec)) file_routes_ = load_routes(routes, opts_.web_root);
    }
    if (opts_.tls) {
        auto ssl = std::make_unique<httplib::SSLServer>(opts_.cert_file.c_str(), opts_.key_file.c_str());
        if (!ssl->is_valid()) {
            throw std::runtime_error(fmt::format("cannot load TLS certificate {} / key {}", opts_.cert_file.string(),
                                                 opts_.key_file.string()));
        }
        server_ = std::move(ssl);
    } else {
        server_ = std::make_unique<httplib::Server>();
    }
    // Clients keep many connections open at once (parallel transfers, keep-alive); one thread each.
    server_->new_task_queue = [] { return new httplib::ThreadPool(64); };
    server_->set_keep_alive_timeout(2);
    // Connection reuse is measured in tests and benchmarks: never close a connection for its request count.
    server_->set_keep_alive_max_count(100000);
    // Every request is answered before its body is read, but a POST (a route that reads what was sent, such as
    // a timestamp authority's) goes through the router, which reads the body first.
    server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        if (req.method == "POST") return httplib::Server::HandlerResponse::Unhandled;
        answer(req, res);
        return httplib::Server::HandlerResponse::Handled;
    });
    server_->Post(R"(.*)", [this](const httplib::Request& req, httplib::Response& res) { answer(req, res); });
    port_ = server_->bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("cannot bind a port on 127.0.0.1");
    thread_ = std::thread([s = server_.get()] { s->listen_after_bind(); });
    for (int i = 0; i < 500 && !server_->is_running(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

FixtureServer::~FixtureServer() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
}

std::vector<RecordedRequest> FixtureServer::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

void FixtureServer::clear_requests() {
    std::lock_guard lock(mutex_);
    requests_.clear();
}

void FixtureServer::add_route(Route r) {
    r.host = to_lower_ascii(r.host);
    std::lock_guard lock(mutex_);
    added_.insert(added_.begin(), std::move(r));
}

void FixtureServer::answer(const httplib::Request& req, httplib::Response& res) {
    RecordedRequest rec;
    rec.arrival = std::chrono::steady_clock::now();
    rec.method = req.method;
    rec.host = host_without_port(req.get_header_value("Host"));
    rec.target = req.target;
    rec.connection = fmt::format("{}:{}", req.remote_addr, req.remote_port);
    for (const auto& [k, v] : req.headers)
        rec.headers.push_back(Header{k, v});
    std::size_t index = 0;
    std::optional<Route> route;
    {
        std::lock_guard lock(mutex_);
        index = requests_.size();
        requests_.push_back(rec);
        const std::string ua = req.get_header_value("User-Agent");
        for (bool with_query : {true, false}) {
            for (const auto* list : {&added_, &file_routes_}) {
                for (const auto& r : *list) {
                    if (!route && route_matches(r, rec.host, rec.target, ua, with_query)) route = r;
                }
            }
        }
    }

    if (route) {
        if (route->delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(route->delay_ms));
        if (route->handler) {
            route->handler(req, res);
        } else {
            res.status = route->status;
            for (const auto& h : route->headers)
                res.set_header(h.name.c_str(), h.value);
            res.set_content(route->body, route->content_type.c_str());
        }
    } else if (!serve_file(rec.host, req, res)) {
        res.status = 404;
        res.set_content(
            fmt::format("<!doctype html><title>Not found</title><p>No fixture for {}{}</p>\n", rec.host, rec.target),
            "text/html; charset=utf-8");
    }
    std::lock_guard lock(mutex_);
    requests_[index].answered = std::chrono::steady_clock::now();
}

bool FixtureServer::serve_file(const std::string& host, const httplib::Request& req, httplib::Response& res) const {
    const std::string& path = req.path;
    if (opts_.web_root.empty() || host.empty() || path.empty() || path.front() != '/') return false;
    if (host.find('/') != std::string::npos || host == "." || host == "..") return false;
    std::filesystem::path rel(path.substr(1));
    for (const auto& part : rel) {
        if (part == "..") return false;
    }
    std::filesystem::path file = opts_.web_root / host / rel;
    std::error_code ec;
    if (path.back() == '/' || std::filesystem::is_directory(file, ec)) file /= "index.html";
    if (!std::filesystem::is_regular_file(file, ec)) return false;
    auto body = read_file(file);
    if (!body) return false;
    if (opts_.validators) {
        const std::string etag = "\"" + sha256_hex(*body).substr(0, 16) + "\"";
        res.set_header("ETag", etag);
        if (req.get_header_value("If-None-Match") == etag) {
            res.status = 304;
            return true;
        }
    }
    res.status = 200;
    res.set_content(std::move(*body), content_type_for(file).c_str());
    return true;
}

}  // namespace provcheck::test
