#include "record/merkle.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

namespace provcheck {

namespace {

// The largest power of two strictly smaller than n, for n > 1: where MTH splits a tree of n leaves.
std::size_t split_point(std::size_t n) {
    return std::bit_floor(n - 1);
}

}  // namespace

// A log hashes a node per entry and a proof a node per level: small inputs are copied into one stack buffer
// and hashed in one call. (OpenSSL 3's SHA256() would look the algorithm up in the provider store each time;
// sha256() does not.)
Sha256 leaf_hash(std::string_view data) {
    std::array<char, 1 + 64> small{};
    if (data.size() < small.size()) {
        if (!data.empty()) std::memcpy(small.data() + 1, data.data(), data.size());
        return sha256(std::string_view(small.data(), data.size() + 1));
    }
    Sha256Stream s;
    const char prefix = '\x00';
    s.update(std::string_view(&prefix, 1));
    s.update(data);
    return s.finish();
}

Sha256 node_hash(const Sha256& left, const Sha256& right) {
    std::array<char, 1 + 2 * 32> buf{};
    buf[0] = 0x01;
    std::memcpy(buf.data() + 1, left.data(), left.size());
    std::memcpy(buf.data() + 1 + left.size(), right.data(), right.size());
    return sha256(std::string_view(buf.data(), buf.size()));
}

// MTH splits at the largest power of two, so the tree is a row of perfect subtrees of strictly decreasing size
// (the binary digits of n) joined from the right. Folding leaves into such a row as they arrive, like a binary
// counter, and joining the row from the right at the end gives the same root.
Sha256 root_hash(std::span<const Sha256> leaf_hashes) {
    if (leaf_hashes.empty()) return sha256("");
    struct Subtree {
        Sha256 hash;
        std::size_t size;
    };
    std::vector<Subtree> row;
    for (const Sha256& leaf : leaf_hashes) {
        Subtree t{leaf, 1};
        while (!row.empty() && row.back().size == t.size) {
            t = Subtree{node_hash(row.back().hash, t.hash), t.size * 2};
            row.pop_back();
        }
        row.push_back(t);
    }
    if (row.empty()) return sha256("");
    Sha256 root = row.back().hash;
    for (auto it = row.rbegin() + 1; it != row.rend(); ++it)
        root = node_hash(it->hash, root);
    return root;
}

std::vector<Sha256> inclusion_proof(std::size_t index, std::span<const Sha256> leaf_hashes) {
    std::vector<Sha256> path;
    if (index >= leaf_hashes.size()) return path;
    // Walk down from the root; each level contributes the sibling subtree's root. PATH lists them leaf first.
    std::span<const Sha256> tree = leaf_hashes;
    std::size_t m = index;
    while (tree.size() > 1) {
        std::size_t k = split_point(tree.size());
        if (m < k) {
            path.push_back(root_hash(tree.subspan(k)));
            tree = tree.first(k);
        } else {
            path.push_back(root_hash(tree.first(k)));
            tree = tree.subspan(k);
            m -= k;
        }
    }
    std::reverse(path.begin(), path.end());
    return path;
}

bool verify_inclusion(const Sha256& leaf, std::size_t index, std::size_t tree_size, std::span<const Sha256> proof,
                      const Sha256& root) {
    if (index >= tree_size) return false;
    std::size_t fn = index;
    std::size_t sn = tree_size - 1;
    Sha256 r = leaf;
    for (const Sha256& p : proof) {
        if (sn == 0) return false;
        if ((fn & 1) != 0 || fn == sn) {
            r = node_hash(p, r);
            while ((fn & 1) == 0 && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            r = node_hash(r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && r == root;
}

std::vector<Sha256> consistency_proof(std::size_t old_size, std::span<const Sha256> leaf_hashes) {
    std::vector<Sha256> proof;
    if (old_size == 0 || old_size > leaf_hashes.size()) return proof;
    // SUBPROOF(m, D[n], b) appends one subtree root per level on the way down and, unless the old tree is
    // itself a subtree of the new one (b still true), the root of the node where it ends. Collected top
    // down, they are listed bottom up.
    std::span<const Sha256> tree = leaf_hashes;
    std::size_t m = old_size;
    bool whole_old_tree = true;
    while (m != tree.size()) {
        std::size_t k = split_point(tree.size());
        if (m <= k) {
            proof.push_back(root_hash(tree.subspan(k)));
            tree = tree.first(k);
        } else {
            proof.push_back(root_hash(tree.first(k)));
            tree = tree.subspan(k);
            m -= k;
            whole_old_tree = false;
        }
    }
    if (!whole_old_tree) proof.push_back(root_hash(tree));
    std::reverse(proof.begin(), proof.end());
    return proof;
}

bool verify_consistency(std::size_t old_size, std::size_t new_size, const Sha256& old_root, const Sha256& new_root,
                        std::span<const Sha256> proof) {
    if (old_size > new_size) return false;
    if (old_size == new_size) return proof.empty() && old_root == new_root;
    if (old_size == 0) return proof.empty() && old_root == sha256("");
    if (proof.empty()) return false;

    // When the old tree is a perfect subtree of the new one, its root is the proof's implicit first element.
    std::vector<Sha256> path;
    path.reserve(proof.size() + 1);
    if (std::has_single_bit(old_size)) path.push_back(old_root);
    path.insert(path.end(), proof.begin(), proof.end());

    std::size_t fn = old_size - 1;
    std::size_t sn = new_size - 1;
    while ((fn & 1) != 0) {
        fn >>= 1;
        sn >>= 1;
    }
    Sha256 fr = path.front();
    Sha256 sr = path.front();
    for (std::size_t i = 1; i < path.size(); ++i) {
        const Sha256& c = path[i];
        if (sn == 0) return false;
        if ((fn & 1) != 0 || fn == sn) {
            fr = node_hash(c, fr);
            sr = node_hash(c, sr);
            while ((fn & 1) == 0 && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            sr = node_hash(sr, c);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return fr == old_root && sr == new_root && sn == 0;
}

MerkleLevels::MerkleLevels(std::span<const Sha256> leaf_hashes) {
    if (leaf_hashes.empty()) return;
    levels_.emplace_back(leaf_hashes.begin(), leaf_hashes.end());
    while (levels_.back().size() > 1) {
        const auto& below = levels_.back();
        std::vector<Sha256> up;
        up.reserve((below.size() + 1) / 2);
        for (std::size_t i = 0; i + 1 < below.size(); i += 2)
            up.push_back(node_hash(below[i], below[i + 1]));
        if (below.size() % 2 == 1) up.push_back(below.back());  // no sibling: carried up unchanged
        levels_.push_back(std::move(up));
    }
}

Sha256 MerkleLevels::root() const {
    return levels_.empty() ? sha256("") : levels_.back().front();
}

std::vector<Sha256> MerkleLevels::proof(std::size_t index) const {
    std::vector<Sha256> out;
    if (index >= size()) return out;
    for (std::size_t level = 0; level + 1 < levels_.size(); ++level) {
        std::size_t sibling = index ^ 1U;
        if (sibling < levels_[level].size()) out.push_back(levels_[level][sibling]);
        index >>= 1;
    }
    return out;
}

void CompactRange::append(const Sha256& leaf_hash) {
    Sha256 h = leaf_hash;
    unsigned height = 0;
    while (!stack_.empty() && stack_.back().first == height) {
        h = node_hash(stack_.back().second, h);
        stack_.pop_back();
        ++height;
    }
    stack_.emplace_back(height, h);
    ++size_;
}

Sha256 CompactRange::root() const {
    if (stack_.empty()) return sha256("");
    Sha256 r = stack_.back().second;
    for (auto it = stack_.rbegin() + 1; it != stack_.rend(); ++it)
        r = node_hash(it->second, r);
    return r;
}

}  // namespace provcheck
