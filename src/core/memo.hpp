#pragma once
// A bounded, per-thread memo of a pure function of a string: the URL helpers parse with libcurl's URL API,
// and one run asks about the same few thousand URLs many times over (a link is normalised when it is read,
// when it is captured, when the cache is asked and when its answer is stored). Each thread keeps its own
// table, so no lock is taken; a full table is emptied rather than evicted entry by entry.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace provcheck {

struct MemoHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

template <typename Value, std::size_t Capacity = 4096>
class StringMemo {
public:
    template <typename Compute>
    const Value& get(std::string_view key, Compute&& compute) {
        if (auto it = table_.find(key); it != table_.end()) return it->second;
        if (table_.size() >= Capacity) table_.clear();
        return table_.emplace(std::string(key), std::forward<Compute>(compute)(key)).first->second;
    }

private:
    std::unordered_map<std::string, Value, MemoHash, std::equal_to<>> table_;
};

}  // namespace provcheck
