// --shard K/N: a deterministic slice of the selected cases. Case i (in suite order, after
// --filter) belongs to shard i mod N; K counts from 0, so the N shards 0/N .. N-1/N cover
// every case exactly once (a Slurm array --array=0-(N-1) maps SLURM_ARRAY_TASK_ID to K).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "backends/api/result.h"

namespace tconv {

struct Shard {
  int index = 0;  // K
  int count = 1;  // N
  bool contains(std::size_t position) const { return static_cast<int>(position % count) == index; }
  std::string to_string() const { return std::to_string(index) + "/" + std::to_string(count); }
};

Result<Shard> parse_shard(std::string_view text);

template <class T>
std::vector<T> take_shard(const std::vector<T>& items, const Shard& s) {
  std::vector<T> out;
  for (std::size_t i = 0; i < items.size(); ++i)
    if (s.contains(i)) out.push_back(items[i]);
  return out;
}

}  // namespace tconv
