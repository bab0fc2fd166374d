// The emulated vector accesses (vector_access.h) check the address the device would see, not
// only the index: a kernel that moves its base pointer off alignment is caught even when its
// index is a multiple of 4.
#include "backends/cuda/vector_access.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace tconv::cuda {
namespace {

TEST(VectorAccess, AMisalignedBasePoisonsEvenWithAnAlignedIndex) {
  std::vector<float> buffer(16);
  for (int i = 0; i < 16; ++i) buffer[i] = static_cast<float>(i);
  float v[kVec];
  vector_stats() = {};
  load4(buffer.data() + 4, 4, v);  // address 8 floats in: aligned
  EXPECT_EQ(v[0], 8.0f);
  load4(buffer.data() + 1, 4, v);  // index 4, but the base is 1 float in: address 5 floats
  EXPECT_TRUE(std::isnan(v[0]));
  EXPECT_EQ(vector_stats().misaligned, 1);
  const float out[kVec] = {1, 2, 3, 4};
  store4(buffer.data() + 2, 8, out);
  EXPECT_TRUE(std::isnan(buffer[10])) << "a misaligned store writes poison";
  EXPECT_EQ(vector_stats().misaligned, 2);
}

TEST(VectorAccess, WidePacksAlsoKeepTheIndexPromise) {
  std::vector<double> buffer(16, 1.0);
  double v[kVec];
  vector_stats() = {};
  load4(buffer.data(), 2, v);  // 16-byte aligned address, but not a multiple of 4 doubles
  EXPECT_TRUE(std::isnan(v[0]));
  load4(buffer.data(), 4, v);
  EXPECT_EQ(v[0], 1.0);
  EXPECT_EQ(vector_stats().misaligned, 1);
}

}  // namespace
}  // namespace tconv::cuda
