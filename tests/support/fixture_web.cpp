#include "support/fixture_web.hpp"

#include <set>
#include <stdexcept>

#include "support/test_ca.hpp"

namespace provcheck::test {

std::vector<std::string> fixture_hosts(const std::filesystem::path& web) {
    std::set<std::string> hosts;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(web, ec)) {
        if (entry.is_directory()) hosts.insert(entry.path().filename().string());
    }
    const auto routes = web / "routes.toml";
    if (std::filesystem::exists(routes, ec)) {
        for (const auto& r : load_routes(routes, web))
            hosts.insert(r.host);
    }
    return {hosts.begin(), hosts.end()};
}

FixtureWeb::FixtureWeb(const std::filesystem::path& web_root, const std::filesystem::path& cert_dir, bool validators) {
    std::filesystem::path dir = cert_dir;
    if (dir.empty()) {
        temp_ = std::make_unique<TempDir>();
        dir = temp_->path();
    }
    auto ca = make_test_ca(dir, fixture_hosts(web_root));
    if (!ca) throw std::runtime_error(ca.error().message);
    cacert_ = std::filesystem::absolute(ca->ca_cert);
    http_ = std::make_unique<FixtureServer>(FixtureServerOptions{web_root, false, {}, {}, validators});
    https_ = std::make_unique<FixtureServer>(
        FixtureServerOptions{web_root, true, ca->server_cert, ca->server_key, validators});
}

std::vector<std::string> FixtureWeb::client_args() const {
    return {"--connect-to",
            ":80:127.0.0.1:" + std::to_string(http_->port()),
            "--connect-to",
            ":443:127.0.0.1:" + std::to_string(https_->port()),
            "--cacert",
            cacert_.string(),
            "--allow-private-addresses"};
}

}  // namespace provcheck::test
