#include "crypto/ed25519.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>
#include <sodium.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "core/hash.hpp"
#include "crypto/openssl_ptr.hpp"

namespace provcheck {

namespace {

constexpr std::size_t raw_key_size = 32;
constexpr std::size_t signature_size = 64;
// A PEM Ed25519 key is about 120 bytes; anything far larger is not a key file and is not read into memory.
constexpr std::size_t max_pem_size = 64 * 1024;

using BioPtr = detail::OsslPtr<BIO, BIO_free>;
using MdCtxPtr = detail::OsslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;

// Wipes a buffer that held key material before its memory goes back to the allocator.
class Wiped {
public:
    explicit Wiped(std::string& s) noexcept : s_(s) {}
    ~Wiped() { OPENSSL_cleanse(s_.data(), s_.size()); }
    Wiped(const Wiped&) = delete;
    Wiped& operator=(const Wiped&) = delete;

private:
    std::string& s_;
};

// OpenSSL's default would prompt on the terminal for an encrypted PEM; a tool run from CI must fail instead.
int refuse_password(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) {
    return -1;
}

BioPtr memory_bio(std::string_view bytes) {
    return BioPtr(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

std::string drain(BIO* bio) {
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    if (len <= 0 || data == nullptr) return {};
    return {data, static_cast<std::size_t>(len)};
}

std::string raw_public(EVP_PKEY* pkey) {
    std::string out(raw_key_size, '\0');
    std::size_t len = out.size();
    if (EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(out.data()), &len) != 1 ||
        len != raw_key_size) {
        ERR_clear_error();
        return {};
    }
    return out;
}

std::string errno_text(int err) {
    return std::strerror(err);
}

// Creates each missing directory above `path`, mode 0700: the directory of a signing key is private too.
Result<void> make_private_parents(const std::filesystem::path& path) {
    std::filesystem::path parent = path.parent_path();
    if (parent.empty()) return {};
    std::filesystem::path prefix;
    for (const auto& part : parent) {
        prefix /= part;
        struct stat st {};
        if (::stat(prefix.c_str(), &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                return fail(ErrorCode::io, fmt::format("'{}': not a directory", prefix.string()));
            }
            continue;
        }
        if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
            return fail(ErrorCode::io,
                        fmt::format("'{}': cannot create directory: {}", prefix.string(), errno_text(errno)));
        }
    }
    return {};
}

Result<void> write_all(int fd, std::string_view bytes, const std::filesystem::path& shown) {
    while (!bytes.empty()) {
        ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail(ErrorCode::io, fmt::format("'{}': write failed: {}", shown.string(), errno_text(errno)));
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

// Moves `from` to `to` only if `to` does not exist, atomically.
int rename_noreplace(const std::filesystem::path& from, const std::filesystem::path& to) {
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
    if (errno != EINVAL && errno != ENOSYS) return -1;
    // File systems without RENAME_NOREPLACE: link() has the same never-replace guarantee.
    if (::link(from.c_str(), to.c_str()) != 0) return -1;
    ::unlink(from.c_str());
    return 0;
}

std::atomic<unsigned> temp_counter{0};

}  // namespace

void SigningKey::PkeyFree::operator()(evp_pkey_st* pkey) const noexcept {
    EVP_PKEY_free(pkey);
}

void SigningKey::SecretFree::operator()(unsigned char* secret) const noexcept {
    sodium_memzero(secret, crypto_sign_SECRETKEYBYTES);
    delete[] secret;
}

SigningKey::SigningKey(PkeyPtr pkey, SecretPtr secret, std::string public_raw)
    : pkey_(std::move(pkey)),
      secret_(std::move(secret)),
      public_raw_(std::move(public_raw)),
      key_id_(key_id_of(public_raw_)) {}

Result<SigningKey> SigningKey::adopt(PkeyPtr pkey) {
    if (EVP_PKEY_get_id(pkey.get()) != EVP_PKEY_ED25519) {
        const char* name = EVP_PKEY_get0_type_name(pkey.get());
        return fail(ErrorCode::crypto,
                    fmt::format("the private key is of type {}, not Ed25519", name != nullptr ? name : "unknown"));
    }
    std::string pub = raw_public(pkey.get());
    if (pub.size() != raw_key_size) return fail(ErrorCode::crypto, "cannot derive the Ed25519 public key");
    if (sodium_init() < 0) return fail(ErrorCode::crypto, "libsodium cannot start");
    std::array<unsigned char, raw_key_size> seed{};
    std::size_t seed_len = seed.size();
    SecretPtr secret(new unsigned char[crypto_sign_SECRETKEYBYTES]);
    std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> sodium_pub{};
    const bool derived = EVP_PKEY_get_raw_private_key(pkey.get(), seed.data(), &seed_len) == 1 &&
                         seed_len == seed.size() &&
                         crypto_sign_seed_keypair(sodium_pub.data(), secret.get(), seed.data()) == 0;
    sodium_memzero(seed.data(), seed.size());
    if (!derived) {
        ERR_clear_error();
        return fail(ErrorCode::crypto, "cannot read the Ed25519 private key");
    }
    // Both libraries derive the public key from the seed: they must agree, or no signature would verify.
    if (std::string_view(reinterpret_cast<const char*>(sodium_pub.data()), sodium_pub.size()) != pub) {
        return fail(ErrorCode::crypto, "the Ed25519 public key derived by libsodium differs from OpenSSL's");
    }
    return SigningKey(std::move(pkey), std::move(secret), std::move(pub));
}

Result<SigningKey> SigningKey::generate() {
    PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    if (!pkey) {
        ERR_clear_error();
        return fail(ErrorCode::crypto, "Ed25519 key generation failed");
    }
    return adopt(std::move(pkey));
}

Result<SigningKey> SigningKey::from_seed(std::string_view seed32) {
    if (seed32.size() != raw_key_size) {
        return fail(ErrorCode::crypto, fmt::format("an Ed25519 seed is {} bytes, got {}", raw_key_size, seed32.size()));
    }
    PkeyPtr pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                              reinterpret_cast<const unsigned char*>(seed32.data()), seed32.size()));
    if (!pkey) {
        ERR_clear_error();
        return fail(ErrorCode::crypto, "cannot build an Ed25519 key from the seed");
    }
    return adopt(std::move(pkey));
}

Result<SigningKey> SigningKey::from_pem(std::string_view pem) {
    if (pem.size() > max_pem_size) return fail(ErrorCode::parse, "too large to be a private key PEM");
    if (pem.find("-----BEGIN ") == std::string_view::npos) {
        return fail(ErrorCode::parse, "no PEM block found (expected \"-----BEGIN PRIVATE KEY-----\")");
    }
    BioPtr bio = memory_bio(pem);
    if (!bio) return fail(ErrorCode::crypto, "out of memory reading the key");
    PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, refuse_password, nullptr));
    ERR_clear_error();
    if (!pkey) {
        return fail(ErrorCode::parse, "not a readable private key PEM (corrupt, encrypted, or not a private key)");
    }
    return adopt(std::move(pkey));
}

Result<SigningKey> SigningKey::load_file(const std::filesystem::path& path) {
    const std::string shown = path.string();
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int err = errno;
        if (err == ENOENT) return fail(ErrorCode::io, fmt::format("signing key '{}' does not exist", shown));
        return fail(ErrorCode::io, fmt::format("cannot open signing key '{}': {}", shown, errno_text(err)));
    }
    struct FdClose {
        int fd;
        ~FdClose() { ::close(fd); }
    } closer{fd};

    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        return fail(ErrorCode::io, fmt::format("cannot stat signing key '{}': {}", shown, errno_text(errno)));
    }
    if (!S_ISREG(st.st_mode)) return fail(ErrorCode::io, fmt::format("signing key '{}' is not a regular file", shown));
    if (st.st_uid != ::geteuid()) {
        return fail(ErrorCode::config,
                    fmt::format("signing key '{}' is owned by another user (uid {})", shown, st.st_uid));
    }
    if ((st.st_mode & 077) != 0) {
        return fail(ErrorCode::config,
                    fmt::format("permissions {:04o} for '{}' are too open: a signing key must be readable by its "
                                "owner only (chmod 600 '{}')",
                                st.st_mode & 07777, shown, shown));
    }
    if (static_cast<std::size_t>(st.st_size) > max_pem_size) {
        return fail(ErrorCode::parse, fmt::format("signing key '{}' is too large to be a key file", shown));
    }

    std::string pem;
    Wiped wipe(pem);
    pem.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < pem.size()) {
        ssize_t n = ::read(fd, pem.data() + got, pem.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            return fail(ErrorCode::io, fmt::format("cannot read signing key '{}': {}", shown, errno_text(errno)));
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    auto key = from_pem(std::string_view(pem).substr(0, got));
    if (!key) return fail(key.error().code, fmt::format("signing key '{}': {}", shown, key.error().message));
    return key;
}

Result<void> SigningKey::save_file(const std::filesystem::path& path, bool replace) const {
    const std::string shown = path.string();
    if (path.filename().empty()) return fail(ErrorCode::io, fmt::format("'{}' names no file", shown));
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
        if (!replace) {
            return fail(ErrorCode::io, fmt::format("'{}' already exists; refusing to overwrite a key file", shown));
        }
        if (S_ISDIR(st.st_mode)) return fail(ErrorCode::io, fmt::format("'{}' is a directory", shown));
    }
    if (auto made = make_private_parents(path); !made) return made;

    std::filesystem::path tmp = path;
    tmp += fmt::format(".tmp-{}-{}", ::getpid(), temp_counter.fetch_add(1));
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return fail(ErrorCode::io, fmt::format("cannot create '{}': {}", tmp.string(), errno_text(errno)));

    std::string pem = private_pem();
    Wiped wipe(pem);
    Result<void> written = write_all(fd, pem, tmp);
    // The umask can only remove bits, but an inherited ACL default could add some: state the mode outright.
    if (written && ::fchmod(fd, 0600) != 0) {
        written = fail(ErrorCode::io, fmt::format("cannot set mode 0600 on '{}': {}", tmp.string(), errno_text(errno)));
    }
    if (written && ::fsync(fd) != 0) {
        written = fail(ErrorCode::io, fmt::format("cannot flush '{}': {}", tmp.string(), errno_text(errno)));
    }
    if (::close(fd) != 0 && written) {
        written = fail(ErrorCode::io, fmt::format("cannot close '{}': {}", tmp.string(), errno_text(errno)));
    }
    if (!written) {
        ::unlink(tmp.c_str());
        return written;
    }
    // rename() replaces a link at `path` itself; what the link pointed to is left as it was.
    if ((replace ? ::rename(tmp.c_str(), path.c_str()) : rename_noreplace(tmp, path)) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        if (err == EEXIST) {
            return fail(ErrorCode::io, fmt::format("'{}' already exists; refusing to overwrite a key file", shown));
        }
        return fail(ErrorCode::io, fmt::format("cannot move the key into '{}': {}", shown, errno_text(err)));
    }
    return {};
}

std::string SigningKey::private_pem() const {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        ERR_clear_error();
        throw std::runtime_error("cannot encode the private key");
    }
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    if (len <= 0 || data == nullptr) throw std::runtime_error("cannot encode the private key");
    std::string out(data, static_cast<std::size_t>(len));
    // The BIO's buffer held the key too; wipe it before OpenSSL frees it.
    OPENSSL_cleanse(data, static_cast<std::size_t>(len));
    return out;
}

std::string SigningKey::public_pem() const {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), pkey_.get()) != 1) {
        ERR_clear_error();
        throw std::runtime_error("cannot encode the public key");
    }
    return drain(bio.get());
}

std::string SigningKey::sign(std::string_view message) const {
    std::string sig(signature_size, '\0');
    unsigned long long len = 0;
    if (!secret_ ||
        crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), &len,
                             reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                             secret_.get()) != 0 ||
        len != signature_size) {
        throw std::runtime_error("Ed25519 signing failed");
    }
    return sig;
}

std::string SigningKey::derive_secret(std::string_view label, std::size_t length) const {
    std::string seed(raw_key_size, '\0');
    std::size_t seed_len = seed.size();
    std::string out(length, '\0');
    std::unique_ptr<EVP_PKEY_CTX, void (*)(EVP_PKEY_CTX*)> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr),
                                                               EVP_PKEY_CTX_free);
    std::size_t out_len = out.size();
    const bool ok =
        EVP_PKEY_get_raw_private_key(pkey_.get(), reinterpret_cast<unsigned char*>(seed.data()), &seed_len) == 1 &&
        seed_len == raw_key_size && ctx && EVP_PKEY_derive_init(ctx.get()) == 1 &&
        EVP_PKEY_CTX_set_hkdf_md(ctx.get(), EVP_sha384()) == 1 &&
        EVP_PKEY_CTX_set1_hkdf_key(ctx.get(), reinterpret_cast<const unsigned char*>(seed.data()),
                                   static_cast<int>(seed_len)) == 1 &&
        EVP_PKEY_CTX_add1_hkdf_info(ctx.get(), reinterpret_cast<const unsigned char*>(label.data()),
                                    static_cast<int>(label.size())) == 1 &&
        EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &out_len) == 1 && out_len == length;
    OPENSSL_cleanse(seed.data(), seed.size());
    if (!ok) {
        OPENSSL_cleanse(out.data(), out.size());
        ERR_clear_error();
        throw std::runtime_error("cannot derive a key from the signing key");
    }
    return out;
}

Result<std::string> public_raw_from_pem(std::string_view pem) {
    if (pem.size() > max_pem_size) return fail(ErrorCode::parse, "too large to be a public key PEM");
    BioPtr bio = memory_bio(pem);
    if (!bio) return fail(ErrorCode::crypto, "out of memory reading the public key");
    const detail::OsslPtr<EVP_PKEY, EVP_PKEY_free> pkey(
        PEM_read_bio_PUBKEY(bio.get(), nullptr, refuse_password, nullptr));
    ERR_clear_error();
    if (!pkey) return fail(ErrorCode::parse, "not a public key PEM (expected \"-----BEGIN PUBLIC KEY-----\")");
    if (EVP_PKEY_get_id(pkey.get()) != EVP_PKEY_ED25519) {
        const char* name = EVP_PKEY_get0_type_name(pkey.get());
        return fail(ErrorCode::crypto,
                    fmt::format("the public key is of type {}, not Ed25519", name != nullptr ? name : "unknown"));
    }
    std::string raw = raw_public(pkey.get());
    if (raw.size() != raw_key_size) return fail(ErrorCode::crypto, "cannot read the raw Ed25519 public key");
    return raw;
}

VerifyingKey::VerifyingKey(std::string_view public_raw) : public_raw_(public_raw) {
    if (public_raw.size() != raw_key_size) return;
    pkey_.reset(EVP_PKEY_new_raw_public_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(public_raw.data()), public_raw.size()));
    if (!pkey_) ERR_clear_error();
}

bool VerifyingKey::verify(std::string_view message, std::string_view signature) const {
    if (!pkey_ || signature.size() != signature_size) return false;
    // A context per call: EVP_PKEY is safe to share between threads, an EVP_MD_CTX is not, and reusing one
    // context measured about 1% faster, not worth a key that only one thread may use.
    MdCtxPtr ctx(EVP_MD_CTX_new());
    bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey_.get()) == 1 &&
              EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                               reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
    ERR_clear_error();
    return ok;
}

bool ed25519_verify(std::string_view public_raw, std::string_view message, std::string_view signature) {
    if (public_raw.size() != raw_key_size || signature.size() != signature_size) return false;
    return VerifyingKey(public_raw).verify(message, signature);
}

std::string key_id_of(std::string_view public_raw) {
    return sha256_hex(public_raw);
}

}  // namespace provcheck
