// Merkle tree hashing of the record log, RFC 9162 section 2.1 (Certificate Transparency v2), SHA-256.
//
// Leaves are given as their leaf hashes (leaf_hash() of the entry bytes), in log order. Every function is
// pure and keeps no reference to its arguments. Building a root, a proof or checking one takes O(n) time
// (O(log n) for checks) and O(log n) extra memory; nothing recurses, so no tree size can exhaust the stack.
//
// Out-of-range requests never crash and never produce a proof that verifies: inclusion_proof() for an index
// outside the tree and consistency_proof() for an old size of 0 or larger than the tree return an empty
// proof, and the verifiers reject every impossible size combination.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/hash.hpp"

namespace provcheck {

// SHA-256(0x00 || data)
[[nodiscard]] Sha256 leaf_hash(std::string_view data);
// SHA-256(0x01 || left || right)
[[nodiscard]] Sha256 node_hash(const Sha256& left, const Sha256& right);

// MTH(D[n]); the empty tree's root is SHA-256 of the empty string.
[[nodiscard]] Sha256 root_hash(std::span<const Sha256> leaf_hashes);

// PATH(index, D[n]) of RFC 9162 2.1.3.1: the audit path from the leaf to the root, leaf side first.
[[nodiscard]] std::vector<Sha256> inclusion_proof(std::size_t index, std::span<const Sha256> leaf_hashes);

// RFC 9162 2.1.3.2: does `proof` put `leaf_hash` at `index` in the tree of `tree_size` leaves with `root`?
[[nodiscard]] bool verify_inclusion(const Sha256& leaf_hash, std::size_t index, std::size_t tree_size,
                                    std::span<const Sha256> proof, const Sha256& root);

// PROOF(old_size, D[n]) of RFC 9162 2.1.4.1, for 0 < old_size <= n (empty when old_size == n).
[[nodiscard]] std::vector<Sha256> consistency_proof(std::size_t old_size, std::span<const Sha256> leaf_hashes);

// RFC 9162 2.1.4.2: is the tree (new_size, new_root) an append-only extension of (old_size, old_root)?
// Equal sizes need an empty proof and equal roots. An old size of 0 is consistent with any tree, with an empty
// proof, provided old_root is the empty tree's root. old_size > new_size is never consistent.
[[nodiscard]] bool verify_consistency(std::size_t old_size, std::size_t new_size, const Sha256& old_root,
                                      const Sha256& new_root, std::span<const Sha256> proof);

// Every level of the tree over a fixed list of leaves, built once in O(n), so that the inclusion proofs of
// all n leaves cost O(n log n) together rather than O(n) each. In an RFC 9162 tree a node with no sibling at
// its level is carried up unchanged, which gives the same root and audit paths as the recursive definition.
class MerkleLevels {
public:
    explicit MerkleLevels(std::span<const Sha256> leaf_hashes);
    [[nodiscard]] std::size_t size() const noexcept { return levels_.empty() ? 0 : levels_.front().size(); }
    [[nodiscard]] Sha256 root() const;
    // Same result as inclusion_proof(index, leaf_hashes); empty for an index out of range.
    [[nodiscard]] std::vector<Sha256> proof(std::size_t index) const;

private:
    std::vector<std::vector<Sha256>> levels_;
};

// The right edge of a growing tree (one subtree root per set bit of the size): appending a leaf and taking
// the root both cost O(log n), so a log can be checkpointed after every append without re-reading it.
class CompactRange {
public:
    void append(const Sha256& leaf_hash);
    [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
    [[nodiscard]] Sha256 root() const;  // SHA-256("") for the empty tree, as root_hash()

private:
    std::vector<std::pair<unsigned, Sha256>> stack_;  // (height, hash), heights strictly decreasing
    std::uint64_t size_ = 0;
};

}  // namespace provcheck
