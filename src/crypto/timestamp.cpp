#include "crypto/timestamp.hpp"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <fmt/format.h>

#include <array>
#include <cstring>
#include <ctime>
#include <memory>
#include <utility>

#include "core/hash.hpp"
#include "crypto/openssl_ptr.hpp"

namespace provcheck {

namespace {

using TsReqPtr = detail::OsslPtr<TS_REQ, TS_REQ_free>;
using TsRespPtr = detail::OsslPtr<TS_RESP, TS_RESP_free>;
using TsMsgImprintPtr = detail::OsslPtr<TS_MSG_IMPRINT, TS_MSG_IMPRINT_free>;
using TsTstInfoPtr = detail::OsslPtr<TS_TST_INFO, TS_TST_INFO_free>;
using TsVerifyCtxPtr = detail::OsslPtr<TS_VERIFY_CTX, TS_VERIFY_CTX_free>;
using X509AlgorPtr = detail::OsslPtr<X509_ALGOR, X509_ALGOR_free>;
using Asn1IntegerPtr = detail::OsslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using Pkcs7Ptr = detail::OsslPtr<PKCS7, PKCS7_free>;
using X509StorePtr = detail::OsslPtr<X509_STORE, X509_STORE_free>;
using BignumPtr = detail::OsslPtr<BIGNUM, BN_free>;

// OpenSSL's queued errors as one line, the queue emptied.
std::string openssl_errors() {
    std::string out;
    const char* data = nullptr;
    int flags = 0;
    while (unsigned long e = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) {
        std::array<char, 256> buf{};
        ERR_error_string_n(e, buf.data(), buf.size());
        if (!out.empty()) out += "; ";
        out += buf.data();
        // The reason a certificate check gives ("Verify error:certificate has expired") rides along as data.
        if (data != nullptr && (flags & ERR_TXT_STRING) != 0 && *data != '\0') out += std::string(": ") + data;
    }
    return out.empty() ? std::string("no detail") : out;
}

Error crypto_error(std::string what) {
    return Error{ErrorCode::crypto, fmt::format("{} ({})", what, openssl_errors())};
}

template <class T, class Encode>
std::string der_of(const T* value, Encode encode) {
    const int n = encode(value, nullptr);
    if (n <= 0) return {};
    std::string out(static_cast<std::size_t>(n), '\0');
    auto* p = reinterpret_cast<unsigned char*>(out.data());
    encode(value, &p);
    return out;
}

std::string integer_bytes(const ASN1_INTEGER* v) {
    if (v == nullptr) return {};
    BignumPtr bn(ASN1_INTEGER_to_BN(v, nullptr));
    if (!bn) return {};
    std::string out(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
    BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(out.data()));
    return out;
}

std::string hex_of(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out.empty() ? std::string("0") : out;
}

std::string rfc3339(const ASN1_GENERALIZEDTIME* t) {
    std::tm tm{};
    if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return {};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                       tm.tm_min, tm.tm_sec);
}

// The facts of a token's TSTInfo; `digest`, when given, must be what the token is over (SHA-256).
Result<TimestampToken> facts(const TS_TST_INFO* tst, std::string der, const std::string* digest) {
    if (tst == nullptr) return std::unexpected(crypto_error("the token holds no TSTInfo"));
    const TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(const_cast<TS_TST_INFO*>(tst));
    const X509_ALGOR* algo = TS_MSG_IMPRINT_get_algo(const_cast<TS_MSG_IMPRINT*>(imprint));
    const ASN1_OBJECT* oid = nullptr;
    X509_ALGOR_get0(&oid, nullptr, nullptr, algo);
    if (OBJ_obj2nid(oid) != NID_sha256) {
        return fail(ErrorCode::crypto, "the token is not over a SHA-256 digest");
    }
    if (digest != nullptr) {
        const ASN1_OCTET_STRING* msg = TS_MSG_IMPRINT_get_msg(const_cast<TS_MSG_IMPRINT*>(imprint));
        if (msg == nullptr || static_cast<std::size_t>(ASN1_STRING_length(msg)) != digest->size() ||
            std::memcmp(ASN1_STRING_get0_data(msg), digest->data(), digest->size()) != 0) {
            return fail(ErrorCode::crypto, "the token is over other data (its digest differs)");
        }
    }
    TimestampToken out;
    out.der = std::move(der);
    out.gen_time = rfc3339(TS_TST_INFO_get_time(tst));
    out.serial = hex_of(integer_bytes(TS_TST_INFO_get_serial(tst)));
    if (out.gen_time.empty()) return fail(ErrorCode::crypto, "the token's time cannot be read");
    return out;
}

Result<Pkcs7Ptr> parse_token(std::string_view token) {
    const auto* p = reinterpret_cast<const unsigned char*>(token.data());
    Pkcs7Ptr pkcs7(d2i_PKCS7(nullptr, &p, static_cast<long>(token.size())));
    if (!pkcs7 || p != reinterpret_cast<const unsigned char*>(token.data()) + token.size()) {
        return std::unexpected(crypto_error("not a timestamp token (DER CMS SignedData)"));
    }
    return pkcs7;
}

}  // namespace

Result<TimestampRequest> make_timestamp_request(std::string_view data) {
    TimestampRequest out;
    Sha256 d = sha256(data);
    out.digest.assign(reinterpret_cast<const char*>(d.data()), d.size());
    std::array<unsigned char, 8> nonce{};
    if (RAND_bytes(nonce.data(), static_cast<int>(nonce.size())) != 1) {
        return std::unexpected(crypto_error("no random bytes for the nonce"));
    }
    nonce[0] &= 0x7f;  // a positive INTEGER of at most 64 bits
    if (nonce[0] == 0) nonce[0] = 1;
    out.nonce.assign(reinterpret_cast<const char*>(nonce.data()), nonce.size());

    TsReqPtr req(TS_REQ_new());
    TsMsgImprintPtr imprint(TS_MSG_IMPRINT_new());
    X509AlgorPtr algo(X509_ALGOR_new());
    BignumPtr bn(BN_bin2bn(nonce.data(), static_cast<int>(nonce.size()), nullptr));
    Asn1IntegerPtr nonce_int(bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr);
    if (!req || !imprint || !algo || !nonce_int ||
        X509_ALGOR_set0(algo.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr) != 1 ||
        TS_MSG_IMPRINT_set_algo(imprint.get(), algo.get()) != 1 ||
        TS_MSG_IMPRINT_set_msg(imprint.get(), d.data(), static_cast<int>(d.size())) != 1 ||
        TS_REQ_set_version(req.get(), 1) != 1 || TS_REQ_set_msg_imprint(req.get(), imprint.get()) != 1 ||
        TS_REQ_set_nonce(req.get(), nonce_int.get()) != 1 || TS_REQ_set_cert_req(req.get(), 1) != 1) {
        return std::unexpected(crypto_error("cannot build the timestamp request"));
    }
    out.der = der_of(req.get(), [](const TS_REQ* r, unsigned char** p) { return i2d_TS_REQ(r, p); });
    if (out.der.empty()) return std::unexpected(crypto_error("cannot encode the timestamp request"));
    return out;
}

Result<TimestampToken> read_timestamp_response(std::string_view response, const TimestampRequest& request) {
    const auto* p = reinterpret_cast<const unsigned char*>(response.data());
    TsRespPtr resp(d2i_TS_RESP(nullptr, &p, static_cast<long>(response.size())));
    if (!resp || p != reinterpret_cast<const unsigned char*>(response.data()) + response.size()) {
        return std::unexpected(crypto_error("the TSA's answer is not a timestamp response (alone)"));
    }
    const TS_STATUS_INFO* info = TS_RESP_get_status_info(resp.get());
    const long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(info));
    if (status != 0 && status != 1) {  // granted, grantedWithMods
        std::string text;
        if (const auto* texts = TS_STATUS_INFO_get0_text(info)) {
            for (int i = 0; i < sk_ASN1_UTF8STRING_num(texts); ++i) {
                const ASN1_UTF8STRING* s = sk_ASN1_UTF8STRING_value(texts, i);
                if (!text.empty()) text.push_back(' ');
                text.append(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                            static_cast<std::size_t>(ASN1_STRING_length(s)));
            }
        }
        ERR_clear_error();
        return fail(ErrorCode::crypto,
                    fmt::format("the TSA refused the request (status {}{})", status, text.empty() ? "" : ": " + text));
    }
    PKCS7* token = TS_RESP_get_token(resp.get());
    const TS_TST_INFO* tst = TS_RESP_get_tst_info(resp.get());
    if (token == nullptr || tst == nullptr) return std::unexpected(crypto_error("the TSA's answer holds no token"));
    const std::string nonce = integer_bytes(TS_TST_INFO_get_nonce(tst));
    if (nonce != request.nonce.substr(request.nonce.find_first_not_of('\0'))) {
        return fail(ErrorCode::crypto, "the TSA's token does not carry the request's nonce (a replayed answer?)");
    }
    std::string der = der_of(token, [](const PKCS7* t, unsigned char** out) { return i2d_PKCS7(t, out); });
    if (der.empty()) return std::unexpected(crypto_error("cannot encode the token"));
    return facts(tst, std::move(der), &request.digest);
}

Result<TimestampToken> read_timestamp_token(std::string_view token) {
    auto pkcs7 = parse_token(token);
    if (!pkcs7) return std::unexpected(pkcs7.error());
    TsTstInfoPtr tst(PKCS7_to_TS_TST_INFO(pkcs7->get()));
    if (!tst) return std::unexpected(crypto_error("the token holds no TSTInfo"));
    return facts(tst.get(), std::string(token), nullptr);
}

TsaCertificates::TsaCertificates(TsaCertificates&& other) noexcept : store_(std::exchange(other.store_, nullptr)) {}

TsaCertificates& TsaCertificates::operator=(TsaCertificates&& other) noexcept {
    if (this != &other) {
        X509_STORE_free(store_);
        store_ = std::exchange(other.store_, nullptr);
    }
    return *this;
}

TsaCertificates::~TsaCertificates() {
    X509_STORE_free(store_);
}

Result<TsaCertificates> TsaCertificates::load(const std::filesystem::path& pem) {
    X509StorePtr store(X509_STORE_new());
    if (!store || X509_STORE_load_file(store.get(), pem.c_str()) != 1 ||
        sk_X509_OBJECT_num(X509_STORE_get0_objects(store.get())) == 0) {
        ERR_clear_error();
        return fail(ErrorCode::usage,
                    fmt::format("{}: holds no certificate (PEM) to check timestamps against", pem.string()));
    }
    return TsaCertificates(store.release());
}

Result<TimestampToken> verify_timestamp(std::string_view token, std::string_view data, const TsaCertificates& trusted) {
    auto pkcs7 = parse_token(token);
    if (!pkcs7) return std::unexpected(pkcs7.error());
    TsTstInfoPtr tst(PKCS7_to_TS_TST_INFO(pkcs7->get()));
    const Sha256 d = sha256(data);
    const std::string digest(reinterpret_cast<const char*>(d.data()), d.size());
    auto out = facts(tst.get(), std::string(token), &digest);
    if (!out) return out;

    // The chain is checked at the token's time (see the header).
    std::tm tm{};
    if (ASN1_TIME_to_tm(TS_TST_INFO_get_time(tst.get()), &tm) != 1) {
        return std::unexpected(crypto_error("the token's time cannot be read"));
    }
    X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(trusted.store()), timegm(&tm));
    TsVerifyCtxPtr ctx(TS_VERIFY_CTX_new());
    auto* imprint = static_cast<unsigned char*>(OPENSSL_malloc(d.size()));
    if (!ctx || imprint == nullptr || X509_STORE_up_ref(trusted.store()) != 1) {
        OPENSSL_free(imprint);
        return std::unexpected(crypto_error("out of memory verifying a token"));
    }
    std::memcpy(imprint, d.data(), d.size());
    TS_VERIFY_CTX_set_imprint(ctx.get(), imprint, static_cast<long>(d.size()));  // the context owns it now
    TS_VERIFY_CTX_set_store(ctx.get(), trusted.store());                         // and one reference
    TS_VERIFY_CTX_set_flags(ctx.get(), TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_IMPRINT);
    if (TS_RESP_verify_token(ctx.get(), pkcs7->get()) != 1) {
        return std::unexpected(crypto_error("the timestamp token does not verify against the TSA's certificates"));
    }
    return out;
}

}  // namespace provcheck
