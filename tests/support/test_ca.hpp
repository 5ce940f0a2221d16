// A certificate authority made at test time, so HTTPS tests run against real TLS without any key in
// the repository: a CA key and certificate, and a server key and certificate signed by it whose
// subjectAltName lists the given host names plus localhost and 127.0.0.1. EC P-256 keys, SHA-256
// signatures, valid from an hour ago for seven days.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace provcheck::test {

struct TestCaFiles {
    std::filesystem::path ca_cert;      // ca.pem: give to clients as --cacert
    std::filesystem::path ca_key;       // ca-key.pem
    std::filesystem::path server_cert;  // server.pem
    std::filesystem::path server_key;   // server-key.pem
};

// Writes the four PEM files into `dir` (created if missing). Host names that are IP literals go in as
// IP entries; names with characters outside [A-Za-z0-9.-_*] are skipped. Keys are written mode 0600.
[[nodiscard]] Result<TestCaFiles> make_test_ca(const std::filesystem::path& dir, const std::vector<std::string>& hosts);

}  // namespace provcheck::test
