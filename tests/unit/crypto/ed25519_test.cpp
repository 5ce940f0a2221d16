#include <sys/stat.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <memory>
#include <string>

#include "core/hash.hpp"
#include "crypto/ed25519.hpp"
#include "support/temp_dir.hpp"
#include "support/values.hpp"

using namespace provcheck;
using provcheck::test::must;

namespace {

std::string unhex(std::string_view hex) {
    std::string compact;
    for (char c : hex) {
        if (c != '\n' && c != ' ') compact += c;
    }
    auto bytes = from_hex(compact);
    REQUIRE(bytes.has_value());
    return *bytes;
}

struct Vector {
    const char* name;
    const char* secret;
    const char* public_key;
    const char* message;
    const char* signature;
};

// RFC 8032 section 7.1. TEST 1024's message is 1023 bytes.
const Vector rfc8032_vectors[] = {
    {"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24"
     "655141438e7a100b"},
    {"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb"
     "0"
     "0d291612bb0c00"},
    {"TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc"
     "0"
     "27beceea1ec40a"},
    {"TEST 1024", "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
     "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
     "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1"
     "e355f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
     "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a"
     "7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
     "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc10"
     "3b6621fcde2beca1231d206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
     "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d"
     "502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
     "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089b"
     "eccf80cfe2df16a2cf65bd92dd597b0707e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
     "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969b"
     "e3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
     "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988d"
     "cda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
     "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7"
     "984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
     "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac09"
     "43bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
     "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba77c225bc307ba537152f3f161"
     "0e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
     "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b8ca"
     "c60c905c15fc910840b94c00a0b9d0",
     "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6"
     "ac00a9704a188a03"},
    {"TEST SHA(abc)", "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2"
     "a"
     "9ac94fa54ca49f",
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad"
     "9"
     "bef1177331a704"},
};

mode_t mode_of(const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

void write_plain(const std::filesystem::path& p, const std::string& bytes, mode_t mode) {
    {
        std::ofstream out(p, std::ios::binary);
        out << bytes;
    }
    REQUIRE(::chmod(p.c_str(), mode) == 0);
}

struct PkeyFree {
    void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct BioFree {
    void operator()(BIO* b) const noexcept { BIO_free(b); }
};

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    return {data, static_cast<std::size_t>(len)};
}

// A PKCS#8 PEM of another key type, made with OpenSSL directly.
std::string other_private_pem(const char* type) {
    std::unique_ptr<EVP_PKEY, PkeyFree> pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, type));
    REQUIRE(pkey);
    std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    REQUIRE(PEM_write_bio_PrivateKey(bio.get(), pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1);
    return bio_text(bio.get());
}

std::string encrypted_pem(const SigningKey& key) {
    std::string pem = key.private_pem();
    std::unique_ptr<BIO, BioFree> in(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    std::unique_ptr<EVP_PKEY, PkeyFree> pkey(PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr));
    REQUIRE(pkey);
    std::unique_ptr<BIO, BioFree> out(BIO_new(BIO_s_mem()));
    const char pass[] = "correct horse";
    REQUIRE(PEM_write_bio_PKCS8PrivateKey(out.get(), pkey.get(), EVP_aes_256_cbc(), pass, sizeof(pass) - 1, nullptr,
                                          nullptr) == 1);
    return bio_text(out.get());
}

// The base64 lines of a PEM: what must never appear in an error message.
std::string pem_body_line(const std::string& pem) {
    auto start = pem.find('\n') + 1;
    return pem.substr(start, pem.find('\n', start) - start);
}

}  // namespace

TEST_CASE("RFC 8032 section 7.1 test vectors", "[unit][crypto]") {
    for (const Vector& v : rfc8032_vectors) {
        SECTION(v.name) {
            SigningKey key = must(SigningKey::from_seed(unhex(v.secret)));
            const std::string message = unhex(v.message);
            const std::string signature = unhex(v.signature);
            CHECK(to_hex(key.public_raw()) == v.public_key);
            CHECK(to_hex(key.sign(message)) == v.signature);
            CHECK(ed25519_verify(key.public_raw(), message, signature));

            std::string flipped = signature;
            flipped[10] = static_cast<char>(flipped[10] ^ 0x01);
            CHECK_FALSE(ed25519_verify(key.public_raw(), message, flipped));
            CHECK_FALSE(ed25519_verify(key.public_raw(), message + "x", signature));
            std::string other_key = key.public_raw();
            other_key[0] = static_cast<char>(other_key[0] ^ 0x40);
            CHECK_FALSE(ed25519_verify(other_key, message, signature));
        }
    }
    CHECK(unhex(rfc8032_vectors[3].message).size() == 1023);
}

TEST_CASE("seeds of the wrong size are refused", "[unit][crypto]") {
    CHECK_FALSE(SigningKey::from_seed(std::string(31, 'a')).has_value());
    CHECK_FALSE(SigningKey::from_seed(std::string(33, 'a')).has_value());
    CHECK_FALSE(SigningKey::from_seed("").has_value());
}

TEST_CASE("verification rejects wrong sizes instead of reading past them", "[unit][crypto]") {
    SigningKey key = must(SigningKey::generate());
    std::string sig = key.sign("m");
    CHECK(ed25519_verify(key.public_raw(), "m", sig));
    CHECK_FALSE(ed25519_verify(key.public_raw().substr(0, 31), "m", sig));
    CHECK_FALSE(ed25519_verify(key.public_raw(), "m", sig.substr(0, 63)));
    CHECK_FALSE(ed25519_verify(key.public_raw(), "m", sig + "0"));
    CHECK_FALSE(ed25519_verify("", "m", ""));
}

TEST_CASE("generated keys are distinct, key ids are SHA-256 of the raw public key", "[unit][crypto]") {
    SigningKey a = must(SigningKey::generate());
    SigningKey b = must(SigningKey::generate());
    CHECK(a.public_raw().size() == 32);
    CHECK(a.public_raw() != b.public_raw());
    CHECK(a.key_id() == sha256_hex(a.public_raw()));
    CHECK(a.key_id() == key_id_of(a.public_raw()));
    CHECK(a.key_id().size() == 64);

    SigningKey moved = std::move(a);
    CHECK(ed25519_verify(moved.public_raw(), "after a move", moved.sign("after a move")));
}

TEST_CASE("PEM round trips", "[unit][crypto]") {
    SigningKey key = must(SigningKey::generate());
    std::string pem = key.private_pem();
    CHECK(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    SigningKey again = must(SigningKey::from_pem(pem));
    CHECK(again.public_raw() == key.public_raw());
    // Ed25519 is deterministic: the same key gives the same signature.
    CHECK(again.sign("hello") == key.sign("hello"));

    std::string pub = key.public_pem();
    CHECK(pub.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    auto raw = public_raw_from_pem(pub);
    REQUIRE(raw);
    CHECK(*raw == key.public_raw());
}

TEST_CASE("bad PEM input gives clear errors", "[unit][crypto]") {
    SECTION("garbage") {
        auto key = SigningKey::from_pem("this is not a key");
        REQUIRE_FALSE(key);
        CHECK(key.error().code == ErrorCode::parse);
        CHECK(key.error().message.find("PEM") != std::string::npos);
    }
    SECTION("a PEM block with a corrupt body") {
        auto key = SigningKey::from_pem("-----BEGIN PRIVATE KEY-----\nAAAAAAAA\n-----END PRIVATE KEY-----\n");
        REQUIRE_FALSE(key);
        CHECK(key.error().code == ErrorCode::parse);
    }
    SECTION("a public key where a private key belongs") {
        SigningKey k = must(SigningKey::generate());
        auto key = SigningKey::from_pem(k.public_pem());
        REQUIRE_FALSE(key);
        CHECK(key.error().code == ErrorCode::parse);
    }
    SECTION("another key type") {
        auto key = SigningKey::from_pem(other_private_pem("X25519"));
        REQUIRE_FALSE(key);
        CHECK(key.error().code == ErrorCode::crypto);
        CHECK(key.error().message.find("X25519") != std::string::npos);
        CHECK(key.error().message.find("not Ed25519") != std::string::npos);
    }
    SECTION("an encrypted key is refused without asking for a password") {
        SigningKey k = must(SigningKey::generate());
        std::string pem = encrypted_pem(k);
        CHECK(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        auto key = SigningKey::from_pem(pem);
        REQUIRE_FALSE(key);
        CHECK(key.error().code == ErrorCode::parse);
    }
    SECTION("public key PEM parsing") {
        CHECK_FALSE(public_raw_from_pem("nope").has_value());
        SigningKey k = must(SigningKey::generate());
        CHECK_FALSE(public_raw_from_pem(k.private_pem()).has_value());
    }
}

TEST_CASE("key files: save, permissions, load", "[unit][crypto]") {
    test::TempDir dir;
    SigningKey key = must(SigningKey::generate());
    const auto path = dir / "config" / "provcheck" / "signing-key.pem";

    REQUIRE(key.save_file(path));
    CHECK(mode_of(path) == 0600);
    CHECK(mode_of(dir / "config") == 0700);
    CHECK(mode_of(dir / "config" / "provcheck") == 0700);
    // No temporary file is left beside the key.
    CHECK(std::distance(std::filesystem::directory_iterator(path.parent_path()),
                        std::filesystem::directory_iterator()) == 1);

    SECTION("0600 is accepted and gives the same key") {
        SigningKey loaded = must(SigningKey::load_file(path));
        CHECK(loaded.public_raw() == key.public_raw());
    }
    SECTION("0400 is accepted") {
        REQUIRE(::chmod(path.c_str(), 0400) == 0);
        CHECK(SigningKey::load_file(path).has_value());
    }
    SECTION("0644 is refused, the way ssh refuses it") {
        REQUIRE(::chmod(path.c_str(), 0644) == 0);
        auto loaded = SigningKey::load_file(path);
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().code == ErrorCode::config);
        CHECK(loaded.error().message.find("permissions 0644 for '" + path.string() + "' are too open") !=
              std::string::npos);
        CHECK(loaded.error().message.find(pem_body_line(key.private_pem())) == std::string::npos);
    }
    SECTION("group-readable or other-writable is refused") {
        REQUIRE(::chmod(path.c_str(), 0640) == 0);
        CHECK_FALSE(SigningKey::load_file(path).has_value());
        REQUIRE(::chmod(path.c_str(), 0602) == 0);
        CHECK_FALSE(SigningKey::load_file(path).has_value());
    }
    SECTION("an existing file is never overwritten") {
        SigningKey other = must(SigningKey::generate());
        auto saved = other.save_file(path);
        REQUIRE_FALSE(saved);
        CHECK(saved.error().message.find("refusing to overwrite") != std::string::npos);
        SigningKey loaded = must(SigningKey::load_file(path));
        CHECK(loaded.public_raw() == key.public_raw());
    }
}

TEST_CASE("key files: missing, garbage, wrong type, not a file", "[unit][crypto]") {
    test::TempDir dir;
    SECTION("missing") {
        auto loaded = SigningKey::load_file(dir / "absent.pem");
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().code == ErrorCode::io);
        CHECK(loaded.error().message.find("does not exist") != std::string::npos);
    }
    SECTION("garbage names the file and shows none of its bytes") {
        const auto path = dir / "garbage.pem";
        write_plain(path, "-----BEGIN PRIVATE KEY-----\nc2VjcmV0IHN0dWZm\n-----END PRIVATE KEY-----\n", 0600);
        auto loaded = SigningKey::load_file(path);
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().code == ErrorCode::parse);
        CHECK(loaded.error().message.find(path.string()) != std::string::npos);
        CHECK(loaded.error().message.find("c2VjcmV0IHN0dWZm") == std::string::npos);
    }
    SECTION("an empty file") {
        const auto path = dir / "empty.pem";
        write_plain(path, "", 0600);
        CHECK_FALSE(SigningKey::load_file(path).has_value());
    }
    SECTION("wrong key type") {
        const auto path = dir / "x25519.pem";
        write_plain(path, other_private_pem("X25519"), 0600);
        auto loaded = SigningKey::load_file(path);
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().code == ErrorCode::crypto);
    }
    SECTION("a directory") {
        REQUIRE(::chmod(dir.path().c_str(), 0700) == 0);
        auto loaded = SigningKey::load_file(dir.path());
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().message.find("not a regular file") != std::string::npos);
    }
    SECTION("saving where a parent is a file") {
        const auto blocker = dir / "file";
        write_plain(blocker, "x", 0600);
        SigningKey key = must(SigningKey::generate());
        auto saved = key.save_file(blocker / "key.pem");
        REQUIRE_FALSE(saved);
        CHECK(saved.error().code == ErrorCode::io);
    }
}
