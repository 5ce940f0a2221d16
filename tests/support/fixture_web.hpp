// The whole fixture web (fixtures/web) on 127.0.0.1 over HTTP and HTTPS at once, with a CA made at start
// whose server certificate names every host of it. Real URLs reach it through the --connect-to arguments
// it gives (":80:127.0.0.1:N", ":443:127.0.0.1:M"), so nothing but loopback is ever contacted.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/fixture_server.hpp"
#include "support/temp_dir.hpp"

namespace provcheck::test {

// Every host directory of the web root and every host named in its routes.toml.
[[nodiscard]] std::vector<std::string> fixture_hosts(const std::filesystem::path& web_root);

class FixtureWeb {
public:
    // `cert_dir` empty: certificates go into a temporary directory removed with the object. `validators`: files
    // carry ETags and conditional requests get 304 (FixtureServerOptions::validators).
    explicit FixtureWeb(const std::filesystem::path& web_root, const std::filesystem::path& cert_dir = {},
                        bool validators = false);

    [[nodiscard]] FixtureServer& http() noexcept { return *http_; }
    [[nodiscard]] FixtureServer& https() noexcept { return *https_; }
    [[nodiscard]] const std::filesystem::path& cacert() const noexcept { return cacert_; }
    // provcheck arguments that route every http and https URL to this web and trust its CA.
    [[nodiscard]] std::vector<std::string> client_args() const;

private:
    std::unique_ptr<TempDir> temp_;
    std::filesystem::path cacert_;
    std::unique_ptr<FixtureServer> http_;
    std::unique_ptr<FixtureServer> https_;
};

}  // namespace provcheck::test
