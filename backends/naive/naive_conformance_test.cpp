// The naive backend runs the abstract conformance suite like any other backend: it checks the
// suite itself (valid, meaningful problems) and the naive backend's layouts and rounding.
#include "backends/naive/naive_backend.h"
#include "backends/testing/backend_conformance.h"

#include <set>

TCONV_BACKEND_CONFORMANCE(Naive, tconv::naive_backend_factory());

namespace tconv::crosscheck {
namespace {

TEST(ConformanceProblems, AreValidUniquelyNamedAndCoverEveryParameter) {
  std::set<std::string> names;
  std::set<DType> dtypes;
  std::set<Layout> layouts, weight_layouts;
  std::set<std::int64_t> strides, dilations;
  bool negative = false, asymmetric = false, grouped = false, depthwise = false, no_bias = false, batch = false;
  for (const NamedProblem& np : conformance_problems()) {
    const Problem& p = np.problem;
    EXPECT_TRUE(validate(p).ok()) << np.name << ": " << validate(p).message;
    EXPECT_TRUE(names.insert(np.name).second) << "duplicate name " << np.name;
    dtypes.insert(p.dtype);
    layouts.insert(p.layout);
    weight_layouts.insert(p.weight_layout);
    strides.insert({p.stride_h, p.stride_w});
    dilations.insert({p.dil_h, p.dil_w});
    negative |= p.crop_top < 0 || p.crop_bottom < 0 || p.crop_left < 0 || p.crop_right < 0;
    asymmetric |= p.crop_top != p.crop_bottom || p.crop_left != p.crop_right;
    grouped |= p.groups > 1 && p.groups < p.c_in;
    depthwise |= p.groups > 1 && p.groups == p.c_in;
    no_bias |= !p.bias;
    batch |= p.n > 1;
  }
  EXPECT_GE(names.size(), 40u);
  EXPECT_EQ(dtypes.size(), std::size(kAllDTypes) + std::size(kIntDTypes));
  EXPECT_EQ(layouts.size(), std::size(kDataLayouts));
  EXPECT_EQ(weight_layouts.size(), std::size(kWeightLayouts));
  EXPECT_EQ(strides, (std::set<std::int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(dilations, (std::set<std::int64_t>{1, 2, 3}));
  EXPECT_TRUE(negative && asymmetric && grouped && depthwise && no_bias && batch);
}

}  // namespace
}  // namespace tconv::crosscheck
