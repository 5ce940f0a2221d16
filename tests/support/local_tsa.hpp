// A Time-Stamp Authority for tests, made of the `openssl` command: a throwaway CA, a TSA certificate it issues
// (extendedKeyUsage timeStamping, critical), and `openssl ts -reply` answering each request. Mounted on the
// fixture web's plain HTTP server as http://127.0.0.1:<port>/tsa. `openssl ts -verify` is the independent
// verifier of the tokens provcheck stores.
#pragma once

#include <filesystem>
#include <mutex>
#include <string>

#include "support/fixture_server.hpp"
#include "support/temp_dir.hpp"

namespace provcheck::test {

class LocalTsa {
public:
    // Makes the CA and the TSA's key and certificate (throws std::runtime_error naming the openssl step that
    // failed). `name` tells two authorities apart in their certificates. `lifetime_seconds` > 0: the TSA's
    // certificate expires that many seconds from now (issued with Python's `cryptography`), to show that a
    // token outlives it.
    explicit LocalTsa(const std::string& name = "Test TSA", int lifetime_seconds = 0);

    // Adds the route answering requests at /tsa on `server` (host 127.0.0.1); returns the URL.
    std::string mount(FixtureServer& server);

    // The CA certificate (PEM): what `verify --tsa-cert` trusts.
    [[nodiscard]] std::filesystem::path ca_cert() const { return dir_ / "ca.pem"; }
    // `openssl ts -reply` for a request (DER); empty when openssl failed.
    [[nodiscard]] std::string reply(const std::string& request);
    // Whether `openssl ts -verify` accepts `token` (DER TimeStampToken) over `data`, trusting `ca`.
    [[nodiscard]] bool openssl_verifies(const std::string& token, const std::string& data,
                                        const std::filesystem::path& ca) const;
    [[nodiscard]] int requests() const;

private:
    TempDir dir_;
    mutable std::mutex mutex_;
    int requests_ = 0;
};

}  // namespace provcheck::test
