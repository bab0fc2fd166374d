#include "conformance/runner/shard.h"

#include <gtest/gtest.h>

#include <numeric>
#include <set>

namespace tconv {
namespace {

TEST(Shard, ParsesKOverN) {
  auto s = parse_shard("2/5");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->index, 2);
  EXPECT_EQ(s->count, 5);
  EXPECT_EQ(s->to_string(), "2/5");
  for (const char* bad : {"5/5", "-1/3", "1/0", "1", "a/b", "1/2/3", "", "/3", "1/"})
    EXPECT_FALSE(parse_shard(bad).ok()) << bad;
}

TEST(Shard, TheShardsPartitionTheCases) {
  std::vector<int> items(103);
  std::iota(items.begin(), items.end(), 0);
  for (int n : {1, 2, 3, 7, 200}) {
    std::multiset<int> all;
    for (int k = 0; k < n; ++k)
      for (int i : take_shard(items, Shard{k, n})) all.insert(i);
    EXPECT_EQ(all, std::multiset<int>(items.begin(), items.end())) << n << " shards";
  }
}

}  // namespace
}  // namespace tconv
