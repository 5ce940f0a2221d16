#include "support/test_ca.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <memory>

namespace provcheck::test {

namespace {

struct PkeyDeleter {
    void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};
struct X509Deleter {
    void operator()(X509* c) const noexcept { X509_free(c); }
};
struct ExtDeleter {
    void operator()(X509_EXTENSION* e) const noexcept { X509_EXTENSION_free(e); }
};
struct BioDeleter {
    void operator()(BIO* b) const noexcept { BIO_free_all(b); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using Cert = std::unique_ptr<X509, X509Deleter>;
using Ext = std::unique_ptr<X509_EXTENSION, ExtDeleter>;
using Bio = std::unique_ptr<BIO, BioDeleter>;

bool valid_dns_name(const std::string& h) {
    if (h.empty() || h.size() > 253) return false;
    for (char c : h) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '-' || c == '_' || c == '*';
        if (!ok) return false;
    }
    return true;
}

bool is_ip(const std::string& h) {
    std::array<unsigned char, 16> buf{};
    return inet_pton(AF_INET, h.c_str(), buf.data()) == 1 || inet_pton(AF_INET6, h.c_str(), buf.data()) == 1;
}

bool add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    Ext ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

Cert new_cert(EVP_PKEY* key, const char* common_name) {
    Cert cert(X509_new());
    if (!cert) return nullptr;
    std::array<unsigned char, 8> serial{};
    if (RAND_bytes(serial.data(), static_cast<int>(serial.size())) != 1) return nullptr;
    serial[0] &= 0x7F;  // a positive serial number
    std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr),
                                                   &BN_free);
    const auto* cn = reinterpret_cast<const unsigned char*>(common_name);
    bool ok = bn && X509_set_version(cert.get(), 2) == 1 &&
              BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())) != nullptr &&
              X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr &&
              X509_gmtime_adj(X509_getm_notAfter(cert.get()), 7L * 24 * 3600) != nullptr &&
              X509_set_pubkey(cert.get(), key) == 1 &&
              X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC, cn, -1, -1, 0) == 1;
    return ok ? std::move(cert) : nullptr;
}

Result<void> write_pem(const std::filesystem::path& path, X509* cert, EVP_PKEY* key) {
    Bio bio(BIO_new_file(path.c_str(), "w"));
    if (!bio) return fail(ErrorCode::io, fmt::format("{}: cannot open for writing", path.string()));
    const bool ok = cert != nullptr
                        ? PEM_write_bio_X509(bio.get(), cert) == 1
                        : PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    if (!ok) return fail(ErrorCode::crypto, fmt::format("{}: cannot write PEM", path.string()));
    bio.reset();
    if (key != nullptr) {
        std::error_code ec;
        std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                     ec);
    }
    return {};
}

}  // namespace

Result<TestCaFiles> make_test_ca(const std::filesystem::path& dir, const std::vector<std::string>& hosts) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail(ErrorCode::io, fmt::format("{}: {}", dir.string(), ec.message()));

    Pkey ca_key(EVP_EC_gen("P-256"));
    Pkey server_key(EVP_EC_gen("P-256"));
    if (!ca_key || !server_key) return fail(ErrorCode::crypto, "cannot generate EC P-256 keys");

    Cert ca = new_cert(ca_key.get(), "provcheck test CA");
    if (!ca || X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get())) != 1 ||
        !add_ext(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE") ||
        !add_ext(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign") ||
        !add_ext(ca.get(), ca.get(), NID_subject_key_identifier, "hash") ||
        X509_sign(ca.get(), ca_key.get(), EVP_sha256()) == 0) {
        return fail(ErrorCode::crypto, "cannot make the test CA certificate");
    }

    std::string san = "DNS:localhost,IP:127.0.0.1";
    for (const auto& h : hosts) {
        if (h == "localhost" || h == "127.0.0.1") continue;
        if (is_ip(h)) {
            san += ",IP:" + h;
        } else if (valid_dns_name(h)) {
            san += ",DNS:" + h;
        }
    }
    Cert server = new_cert(server_key.get(), "provcheck fixture server");
    if (!server || X509_set_issuer_name(server.get(), X509_get_subject_name(ca.get())) != 1 ||
        !add_ext(server.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE") ||
        !add_ext(server.get(), ca.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment") ||
        !add_ext(server.get(), ca.get(), NID_ext_key_usage, "serverAuth") ||
        !add_ext(server.get(), ca.get(), NID_subject_key_identifier, "hash") ||
        !add_ext(server.get(), ca.get(), NID_authority_key_identifier, "keyid:always") ||
        !add_ext(server.get(), ca.get(), NID_subject_alt_name, san) ||
        X509_sign(server.get(), ca_key.get(), EVP_sha256()) == 0) {
        return fail(ErrorCode::crypto, "cannot make the test server certificate");
    }

    TestCaFiles files{dir / "ca.pem", dir / "ca-key.pem", dir / "server.pem", dir / "server-key.pem"};
    for (auto r : {write_pem(files.ca_cert, ca.get(), nullptr), write_pem(files.ca_key, nullptr, ca_key.get()),
                   write_pem(files.server_cert, server.get(), nullptr),
                   write_pem(files.server_key, nullptr, server_key.get())}) {
        if (!r) return std::unexpected(r.error());
    }
    return files;
}

}  // namespace provcheck::test
