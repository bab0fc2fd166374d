// The find cache key: one benchmark per problem shape, never shared between shapes, math
// modes, workspace limits or devices (a stale pick would run a slower or unusable algorithm).
#include "backends/cudnn/find_selection.h"

#include <gtest/gtest.h>

#include <set>

namespace tconv::cudnn {
namespace {

TEST(FindSelection, CacheKeySeparatesShapeMathLimitAndDevice) {
  Problem p;
  p.n = 2, p.c_in = 4, p.c_out = 6, p.h_in = p.w_in = 5, p.kh = p.kw = 3, p.stride_h = p.stride_w = 2;
  Problem wider = p;
  wider.w_in = 6;
  Problem halves = p;
  halves.dtype = DType::f16;
  const ConvPlan a = make_plan(p, Direction::fwd);
  const std::set<std::string> keys{
      find_cache_key(a, false, 1 << 20, 0),
      find_cache_key(a, true, 1 << 20, 0),
      find_cache_key(a, false, 2 << 20, 0),
      find_cache_key(a, false, 1 << 20, 1),
      find_cache_key(make_plan(p, Direction::bwd_data), false, 1 << 20, 0),
      find_cache_key(make_plan(wider, Direction::fwd), false, 1 << 20, 0),
      find_cache_key(make_plan(halves, Direction::fwd), false, 1 << 20, 0),
  };
  EXPECT_EQ(keys.size(), 7u);
  EXPECT_EQ(find_cache_key(a, false, 1 << 20, 0), find_cache_key(make_plan(p, Direction::fwd), false, 1 << 20, 0));
}

}  // namespace
}  // namespace tconv::cudnn
