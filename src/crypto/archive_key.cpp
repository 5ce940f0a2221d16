#include "crypto/archive_key.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include <fmt/format.h>

#include "core/hash.hpp"
#include "crypto/openssl_ptr.hpp"

namespace provcheck {

namespace {

constexpr std::size_t scalar_bytes = 48;  // P-384
constexpr std::string_view derive_label = "provcheck archive key v1: ECDSA P-384";

using BnPtr = detail::OsslPtr<BIGNUM, BN_clear_free>;
using BnCtxPtr = detail::OsslPtr<BN_CTX, BN_CTX_free>;
using GroupPtr = detail::OsslPtr<EC_GROUP, EC_GROUP_free>;
using PointPtr = detail::OsslPtr<EC_POINT, EC_POINT_free>;
using ParamBldPtr = detail::OsslPtr<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using ParamPtr = detail::OsslPtr<OSSL_PARAM, OSSL_PARAM_free>;
using PkeyCtxPtr = detail::OsslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using MdCtxPtr = detail::OsslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;
using SigPtr = detail::OsslPtr<ECDSA_SIG, ECDSA_SIG_free>;
using PkeyPtr = detail::OsslPtr<EVP_PKEY, EVP_PKEY_free>;

Error key_error(std::string what) {
    ERR_clear_error();
    return Error{ErrorCode::crypto, std::move(what)};
}

std::string spki_of(EVP_PKEY* pkey) {
    const int n = i2d_PUBKEY(pkey, nullptr);
    if (n <= 0) return {};
    std::string out(static_cast<std::size_t>(n), '\0');
    auto* p = reinterpret_cast<unsigned char*>(out.data());
    i2d_PUBKEY(pkey, &p);
    return out;
}

bool is_p384(EVP_PKEY* pkey) {
    if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC) return false;
    char name[64] = {};
    std::size_t len = 0;
    return EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) == 1 &&
           std::string_view(name, len) == "secp384r1";
}

}  // namespace

void ArchiveKey::Free::operator()(evp_pkey_st* p) const noexcept {
    EVP_PKEY_free(p);
}

Result<ArchiveKey> ArchiveKey::derive(const SigningKey& key) {
    // A private scalar in [1, n-1] from 64 derived bytes (more than the order's 48, so the reduction's bias is
    // negligible), and its public point.
    std::string bytes = key.derive_secret(derive_label, 64);
    GroupPtr group(EC_GROUP_new_by_curve_name(NID_secp384r1));
    BnCtxPtr bn_ctx(BN_CTX_new());
    BnPtr wide(
        BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr));
    OPENSSL_cleanse(bytes.data(), bytes.size());
    BnPtr order_less_one(BN_new());
    BnPtr d(BN_secure_new());
    if (!group || !bn_ctx || !wide || !order_less_one || !d ||
        BN_sub(order_less_one.get(), EC_GROUP_get0_order(group.get()), BN_value_one()) != 1 ||
        BN_mod(d.get(), wide.get(), order_less_one.get(), bn_ctx.get()) != 1 || BN_add_word(d.get(), 1) != 1) {
        return std::unexpected(key_error("cannot derive the archive key"));
    }
    PointPtr pub(EC_POINT_new(group.get()));
    if (!pub || EC_POINT_mul(group.get(), pub.get(), d.get(), nullptr, nullptr, bn_ctx.get()) != 1) {
        return std::unexpected(key_error("cannot compute the archive key's public point"));
    }
    std::string point(
        EC_POINT_point2oct(group.get(), pub.get(), POINT_CONVERSION_UNCOMPRESSED, nullptr, 0, bn_ctx.get()), '\0');
    if (point.empty() || EC_POINT_point2oct(group.get(), pub.get(), POINT_CONVERSION_UNCOMPRESSED,
                                            reinterpret_cast<unsigned char*>(point.data()), point.size(),
                                            bn_ctx.get()) != point.size()) {
        return std::unexpected(key_error("cannot encode the archive key's public point"));
    }
    ParamBldPtr bld(OSSL_PARAM_BLD_new());
    if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "secp384r1", 0) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
        return std::unexpected(key_error("cannot build the archive key"));
    }
    ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    EVP_PKEY* raw = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_KEYPAIR, params.get()) != 1) {
        return std::unexpected(key_error("cannot make the archive key"));
    }
    std::unique_ptr<evp_pkey_st, Free> pkey(raw);
    std::string spki = spki_of(pkey.get());
    if (spki.empty()) return std::unexpected(key_error("cannot encode the archive key's public half"));
    return ArchiveKey(std::move(pkey), std::move(spki));
}

std::string ArchiveKey::fingerprint() const {
    return "sha256:" + sha256_hex(spki_);
}

Result<std::string> ArchiveKey::sign(std::string_view message) const {
    MdCtxPtr ctx(EVP_MD_CTX_new());
    std::size_t len = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey_.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1) {
        return std::unexpected(key_error("cannot sign with the archive key"));
    }
    std::string der(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &len,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
        return std::unexpected(key_error("cannot sign with the archive key"));
    }
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    SigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len)));
    if (!sig) return std::unexpected(key_error("cannot read the archive signature"));
    std::string out(2 * scalar_bytes, '\0');
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), o, scalar_bytes) != static_cast<int>(scalar_bytes) ||
        BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), o + scalar_bytes, scalar_bytes) != static_cast<int>(scalar_bytes)) {
        return std::unexpected(key_error("cannot encode the archive signature"));
    }
    return out;
}

Result<void> verify_archive_signature(std::string_view public_spki, std::string_view message,
                                      std::string_view signature) {
    const auto* p = reinterpret_cast<const unsigned char*>(public_spki.data());
    PkeyPtr pkey(d2i_PUBKEY(nullptr, &p, static_cast<long>(public_spki.size())));
    if (!pkey || p != reinterpret_cast<const unsigned char*>(public_spki.data()) + public_spki.size()) {
        return std::unexpected(key_error("the public key is not a SubjectPublicKeyInfo"));
    }
    if (!is_p384(pkey.get())) return std::unexpected(key_error("the public key is not an ECDSA P-384 key"));
    if (signature.size() != 2 * scalar_bytes) {
        return std::unexpected(
            key_error(fmt::format("the signature is {} bytes, not {} (r and s)", signature.size(), 2 * scalar_bytes)));
    }
    SigPtr sig(ECDSA_SIG_new());
    const auto* s = reinterpret_cast<const unsigned char*>(signature.data());
    BIGNUM* r = BN_bin2bn(s, scalar_bytes, nullptr);
    BIGNUM* ss = BN_bin2bn(s + scalar_bytes, scalar_bytes, nullptr);
    if (!sig || r == nullptr || ss == nullptr || ECDSA_SIG_set0(sig.get(), r, ss) != 1) {
        BN_free(r);
        BN_free(ss);
        return std::unexpected(key_error("cannot read the signature"));
    }
    const int n = i2d_ECDSA_SIG(sig.get(), nullptr);
    std::string der(static_cast<std::size_t>(n > 0 ? n : 0), '\0');
    auto* d = reinterpret_cast<unsigned char*>(der.data());
    if (n <= 0 || i2d_ECDSA_SIG(sig.get(), &d) != n) return std::unexpected(key_error("cannot encode the signature"));
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) != 1) {
        return std::unexpected(key_error("cannot start checking the signature"));
    }
    if (EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(der.data()), der.size(),
                         reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
        return std::unexpected(key_error("the signature does not verify"));
    }
    return {};
}

}  // namespace provcheck
