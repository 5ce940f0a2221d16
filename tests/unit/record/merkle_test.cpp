#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/hash.hpp"
#include "record/merkle.hpp"

using namespace provcheck;

namespace {

// A reference written straight from RFC 9162 2.1.1, 2.1.3.1 and 2.1.4.1, recursive and over the entries
// themselves, sharing nothing with the code under test but SHA-256.
namespace ref {

using Entries = std::vector<std::string>;

Entries slice(const Entries& d, std::size_t from, std::size_t to) {
    return Entries(d.begin() + from, d.begin() + to);
}

std::size_t k_of(std::size_t n) {
    std::size_t k = 1;
    while (k * 2 < n)
        k *= 2;
    return k;
}

Sha256 hash(const std::string& bytes) {
    return sha256(bytes);
}

Sha256 mth(const Entries& d) {
    if (d.empty()) return hash("");
    if (d.size() == 1) return hash(std::string(1, '\x00') + d[0]);
    std::size_t k = k_of(d.size());
    return hash(std::string(1, '\x01') + as_bytes(mth(slice(d, 0, k))) + as_bytes(mth(slice(d, k, d.size()))));
}

std::vector<Sha256> path(std::size_t m, const Entries& d) {
    if (d.size() == 1) return {};
    std::size_t k = k_of(d.size());
    std::vector<Sha256> out;
    if (m < k) {
        out = path(m, slice(d, 0, k));
        out.push_back(mth(slice(d, k, d.size())));
    } else {
        out = path(m - k, slice(d, k, d.size()));
        out.push_back(mth(slice(d, 0, k)));
    }
    return out;
}

std::vector<Sha256> subproof(std::size_t m, const Entries& d, bool b) {
    std::size_t n = d.size();
    if (m == n) {
        if (b) return {};
        return {mth(d)};
    }
    std::size_t k = k_of(n);
    std::vector<Sha256> out;
    if (m <= k) {
        out = subproof(m, slice(d, 0, k), b);
        out.push_back(mth(slice(d, k, n)));
    } else {
        out = subproof(m - k, slice(d, k, n), false);
        out.push_back(mth(slice(d, 0, k)));
    }
    return out;
}

std::vector<Sha256> proof(std::size_t m, const Entries& d) {
    return subproof(m, d, true);
}

}  // namespace ref

ref::Entries entries(std::size_t n) {
    ref::Entries d;
    for (std::size_t i = 0; i < n; ++i)
        d.push_back("record envelope " + std::to_string(i));
    return d;
}

std::vector<Sha256> leaves_of(const ref::Entries& d) {
    std::vector<Sha256> out;
    for (const auto& e : d)
        out.push_back(leaf_hash(e));
    return out;
}

Sha256 flipped(Sha256 h, std::size_t byte) {
    h[byte % h.size()] ^= 0x01;
    return h;
}

Sha256 digest(std::string_view hex) {
    auto bytes = from_hex(hex);
    REQUIRE(bytes);
    REQUIRE(bytes->size() == 32);
    Sha256 out{};
    std::copy(bytes->begin(), bytes->end(), out.begin());
    return out;
}

constexpr std::size_t max_size = 64;

}  // namespace

TEST_CASE("leaf and node hashes carry RFC 9162's domain separation", "[unit][record]") {
    CHECK(leaf_hash("abc") == sha256(std::string("\x00"
                                                 "abc",
                                                 4)));
    Sha256 l = sha256("l");
    Sha256 r = sha256("r");
    CHECK(node_hash(l, r) == sha256("\x01" + as_bytes(l) + as_bytes(r)));
    CHECK(node_hash(l, r) != node_hash(r, l));
    CHECK(root_hash({}) == sha256(""));
    CHECK(to_hex(root_hash({})) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// The tree of the Certificate Transparency reference test data: eight entries, roots of every prefix.
TEST_CASE("known roots of the Certificate Transparency test tree", "[unit][record]") {
    const std::vector<std::string> data = {"",
                                           std::string(1, '\x00'),
                                           "\x10",
                                           "\x20\x21",
                                           "\x30\x31",
                                           "\x40\x41\x42\x43",
                                           "\x50\x51\x52\x53\x54\x55\x56\x57",
                                           "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"};
    const char* roots[] = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    };
    std::vector<Sha256> leaves;
    for (std::size_t n = 1; n <= data.size(); ++n) {
        leaves.push_back(leaf_hash(data[n - 1]));
        INFO("tree size " << n);
        CHECK(to_hex(root_hash(leaves)) == roots[n - 1]);
        CHECK(ref::mth(ref::Entries(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n))) ==
              digest(roots[n - 1]));
    }
}

TEST_CASE("roots agree with the reference for every size up to 64 and a large one", "[unit][record]") {
    for (std::size_t n = 0; n <= max_size; ++n) {
        auto d = entries(n);
        INFO("tree size " << n);
        CHECK(root_hash(leaves_of(d)) == ref::mth(d));
    }
    auto d = entries(1000);
    CHECK(root_hash(leaves_of(d)) == ref::mth(d));
}

TEST_CASE("inclusion proofs for every size 1..64 and every index", "[unit][record]") {
    for (std::size_t n = 1; n <= max_size; ++n) {
        auto d = entries(n);
        auto leaves = leaves_of(d);
        const Sha256 root = root_hash(leaves);
        for (std::size_t i = 0; i < n; ++i) {
            INFO("tree size " << n << ", index " << i);
            auto proof = inclusion_proof(i, leaves);
            REQUIRE(proof == ref::path(i, d));
            REQUIRE(verify_inclusion(leaves[i], i, n, proof, root));

            for (std::size_t p = 0; p < proof.size(); ++p) {
                auto bad = proof;
                bad[p] = flipped(bad[p], p * 7 + i);
                CHECK_FALSE(verify_inclusion(leaves[i], i, n, bad, root));
            }
            CHECK_FALSE(verify_inclusion(leaves[i], i, n, proof, flipped(root, i)));
            CHECK_FALSE(verify_inclusion(flipped(leaves[i], n), i, n, proof, root));
            if (n > 1) CHECK_FALSE(verify_inclusion(leaves[i], (i + 1) % n, n, proof, root));
            if (!proof.empty()) {
                std::vector<Sha256> shorter(proof.begin(), proof.end() - 1);
                CHECK_FALSE(verify_inclusion(leaves[i], i, n, shorter, root));
            }
            auto longer = proof;
            longer.push_back(root);
            CHECK_FALSE(verify_inclusion(leaves[i], i, n, longer, root));
        }
        CHECK(inclusion_proof(n, leaves).empty());
        CHECK_FALSE(verify_inclusion(leaves[0], n, n, {}, root));
    }
}

TEST_CASE("every byte of an inclusion proof matters", "[unit][record]") {
    auto leaves = leaves_of(entries(21));
    const Sha256 root = root_hash(leaves);
    auto proof = inclusion_proof(13, leaves);
    REQUIRE(verify_inclusion(leaves[13], 13, 21, proof, root));
    for (std::size_t p = 0; p < proof.size(); ++p) {
        for (std::size_t b = 0; b < 32; ++b) {
            auto bad = proof;
            bad[p] = flipped(bad[p], b);
            CHECK_FALSE(verify_inclusion(leaves[13], 13, 21, bad, root));
        }
    }
    for (std::size_t b = 0; b < 32; ++b)
        CHECK_FALSE(verify_inclusion(leaves[13], 13, 21, proof, flipped(root, b)));
}

TEST_CASE("consistency proofs for every size 1..64 and every old size", "[unit][record]") {
    std::vector<Sha256> roots;  // roots[m] = root of the first m leaves
    auto d = entries(max_size);
    auto all = leaves_of(d);
    for (std::size_t m = 0; m <= max_size; ++m)
        roots.push_back(root_hash(std::span(all).first(m)));

    for (std::size_t n = 1; n <= max_size; ++n) {
        auto leaves = std::span<const Sha256>(all).first(n);
        auto dn = ref::Entries(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(n));
        for (std::size_t m = 1; m <= n; ++m) {
            INFO("old size " << m << ", new size " << n);
            auto proof = consistency_proof(m, leaves);
            REQUIRE(proof == ref::proof(m, dn));
            REQUIRE(verify_consistency(m, n, roots[m], roots[n], proof));

            for (std::size_t p = 0; p < proof.size(); ++p) {
                auto bad = proof;
                bad[p] = flipped(bad[p], p * 5 + m);
                CHECK_FALSE(verify_consistency(m, n, roots[m], roots[n], bad));
            }
            CHECK_FALSE(verify_consistency(m, n, flipped(roots[m], n), roots[n], proof));
            CHECK_FALSE(verify_consistency(m, n, roots[m], flipped(roots[n], m), proof));
            if (!proof.empty()) {
                std::vector<Sha256> shorter(proof.begin(), proof.end() - 1);
                CHECK_FALSE(verify_consistency(m, n, roots[m], roots[n], shorter));
            }
            auto longer = proof;
            longer.push_back(roots[n]);
            CHECK_FALSE(verify_consistency(m, n, roots[m], roots[n], longer));
            // A root from another history is not consistent, whatever the proof.
            if (m < n) CHECK_FALSE(verify_consistency(m, n, roots[m - 1], roots[n], proof));
        }
        CHECK(consistency_proof(0, leaves).empty());
        CHECK(consistency_proof(n + 1, leaves).empty());
    }
}

TEST_CASE("every byte of a consistency proof matters", "[unit][record]") {
    auto all = leaves_of(entries(45));
    const Sha256 old_root = root_hash(std::span(all).first(11));
    const Sha256 new_root = root_hash(all);
    auto proof = consistency_proof(11, all);
    REQUIRE(verify_consistency(11, 45, old_root, new_root, proof));
    for (std::size_t p = 0; p < proof.size(); ++p) {
        for (std::size_t b = 0; b < 32; ++b) {
            auto bad = proof;
            bad[p] = flipped(bad[p], b);
            CHECK_FALSE(verify_consistency(11, 45, old_root, new_root, bad));
        }
    }
}

TEST_CASE("consistency edge cases", "[unit][record]") {
    auto all = leaves_of(entries(5));
    const Sha256 r5 = root_hash(all);
    const Sha256 r3 = root_hash(std::span(all).first(3));
    CHECK(verify_consistency(5, 5, r5, r5, {}));
    CHECK_FALSE(verify_consistency(5, 5, r5, r3, {}));
    CHECK_FALSE(verify_consistency(5, 5, r5, r5, std::vector<Sha256>{r5}));
    CHECK(verify_consistency(0, 5, sha256(""), r5, {}));
    CHECK_FALSE(verify_consistency(0, 5, r3, r5, {}));
    CHECK_FALSE(verify_consistency(0, 5, sha256(""), r5, std::vector<Sha256>{r5}));
    CHECK_FALSE(verify_consistency(5, 3, r5, r3, consistency_proof(3, all)));
    CHECK_FALSE(verify_consistency(3, 5, r3, r5, {}));
}

TEST_CASE("MerkleLevels and CompactRange agree with the recursive definitions for every size to 64", "[unit]") {
    std::vector<provcheck::Sha256> leaves;
    provcheck::CompactRange range;
    CHECK(range.root() == provcheck::root_hash(leaves));
    for (int n = 1; n <= 64; ++n) {
        leaves.push_back(provcheck::leaf_hash(std::to_string(n)));
        range.append(leaves.back());
        INFO("size " << n);
        CHECK(range.size() == static_cast<std::uint64_t>(n));
        CHECK(range.root() == provcheck::root_hash(leaves));
        provcheck::MerkleLevels levels(leaves);
        CHECK(levels.root() == provcheck::root_hash(leaves));
        for (std::size_t i = 0; i < leaves.size(); ++i) {
            CHECK(levels.proof(i) == provcheck::inclusion_proof(i, leaves));
        }
        CHECK(levels.proof(leaves.size()).empty());
    }
}
