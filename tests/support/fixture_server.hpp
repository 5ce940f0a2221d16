// The fixture web on 127.0.0.1: serves fixtures/web/<host>/<path> by the request's Host header, with
// fixtures/web/routes.toml and programmatic routes (statuses, headers, redirects, delays, faults) over it.
// Used by integration tests, CLI tests, scripts and benchmarks. Never binds anything but 127.0.0.1.
//
// Order of answering: routes added with add_route (latest first), then routes.toml in file order, then
// the file tree; anything else is 404. A route matches its host exactly, its path against the request
// target with the query string first, then against the path alone, and, when set, a User-Agent substring.
// Every request is recorded before it is answered, with the connection it came on.
#pragma once

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/types.hpp"

namespace provcheck::test {

struct FixtureServerOptions {
    std::filesystem::path web_root;  // may be empty: programmatic routes only
    bool tls = false;
    std::filesystem::path cert_file, key_file;  // PEM, required when tls
    // Files of the tree are served with an ETag (of their bytes as they are at the request), and a request whose
    // If-None-Match names it is answered 304: a web whose pages change between runs.
    bool validators = false;
};

struct RecordedRequest {
    std::string method;
    std::string host;    // Host header, lower case, without port
    std::string target;  // path and query as sent
    std::vector<Header> headers;
    std::string connection;  // the client's address and port: requests on one connection share it
    std::chrono::steady_clock::time_point arrival;   // when the request head had been read
    std::chrono::steady_clock::time_point answered;  // when the handler had produced the response
};

struct Route {
    std::string host;                 // required
    std::string path;                 // required; may carry a query string
    std::string user_agent_contains;  // empty: any User-Agent
    int status = 200;
    std::vector<Header> headers;
    std::string body;
    std::string content_type = "text/html; charset=utf-8";
    int delay_ms = 0;
    // When set, it writes the response itself (after delay_ms); status, headers and body above are ignored.
    std::function<void(const httplib::Request&, httplib::Response&)> handler;
};

// Reads routes.toml. Throws std::runtime_error naming the file and the bad entry.
[[nodiscard]] std::vector<Route> load_routes(const std::filesystem::path& routes_toml,
                                             const std::filesystem::path& web_root);

// Content type for a file name by its extension ("text/html; charset=utf-8" for .html).
[[nodiscard]] std::string content_type_for(const std::filesystem::path& file);

class FixtureServer {
public:
    // Binds 127.0.0.1 on an ephemeral port and starts serving. Throws std::runtime_error when the
    // routes file is invalid, the certificate cannot be loaded or the port cannot be bound.
    explicit FixtureServer(FixtureServerOptions opts);
    ~FixtureServer();  // stops and joins
    FixtureServer(const FixtureServer&) = delete;
    FixtureServer& operator=(const FixtureServer&) = delete;

    [[nodiscard]] int port() const noexcept { return port_; }
    [[nodiscard]] std::vector<RecordedRequest> requests() const;
    void clear_requests();
    void add_route(Route r);

private:
    void answer(const httplib::Request& req, httplib::Response& res);
    [[nodiscard]] bool serve_file(const std::string& host, const httplib::Request& req, httplib::Response& res) const;

    FixtureServerOptions opts_;
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    int port_ = -1;
    mutable std::mutex mutex_;
    std::vector<Route> added_;               // guarded by mutex_
    std::vector<Route> file_routes_;         // fixed after construction
    std::vector<RecordedRequest> requests_;  // guarded by mutex_
};

}  // namespace provcheck::test
