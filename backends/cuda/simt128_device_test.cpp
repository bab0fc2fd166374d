// The simt128 kernels on a real GPU (skipped without one): equal to the oracle (integer fills,
// exact) on edge shapes and multi-tile GEMMs, and bitwise identical over repeated launches
// with real-valued data (the determinism the design claims, checked on the device).
#include <gtest/gtest.h>

#include <cstring>

#include "backends/cuda/device_info.h"
#include "backends/cuda/emulation_test_support.h"
#include "backends/cuda/device_run.h"

namespace tconv::cuda {
namespace {

const char* kShapes[] = {
    "n=1 ci=3 co=5 g=1 in=7x9 k=3x3 s=2x2 d=1x1 crop=-1,-2,0,-1 bias=1",
    "n=2 ci=4 co=6 g=2 in=5x6 k=3x2 s=2x3 d=2x1 crop=1,0,0,1 bias=1",
    "n=2 ci=8 co=8 g=8 in=9x9 k=3x3 s=2x2 d=1x1 crop=1,0,1,0",
    "n=1 ci=12 co=20 g=4 in=11x5 k=4x4 s=2x2 d=1x1 crop=1,1,1,1 bias=1 layout=NHWC wl=IHWO",
    "n=2 ci=9 co=9 g=1 in=33x35 k=3x3 s=1x1 d=1x1 crop=1,1,1,1 bias=1",
    "n=3 ci=160 co=136 g=1 in=20x19 k=4x4 s=2x2 d=1x1 crop=1,1,1,1 bias=1",
    "n=2 ci=144 co=132 g=1 in=17x16 k=3x3 s=2x2 d=1x1 crop=1,0,1,0 bias=1 layout=NHWC wl=IHWO",
};

Problem device_problem(const char* s) {
  Problem p = *parse_problem(s);
  p.dtype = DType::f32;
  p.weight_layout = p.layout == Layout::NHWC ? Layout::IHWO : Layout::IOHW;
  return p;
}

// The simt128 family of direction d on the device; *out allocated here.
Status run(const Problem& p, Direction d, const InputSet& in, int reps, HostTensor* out, std::vector<float>* ms) {
  *out = d == Direction::bwd_weights ? HostTensor(p.dtype, p.weight_layout, p.w_dims(), p.groups) : make_output(p, d);
  Operands ops = in.operands();
  ops.y = ops.dx = ops.dw = out;
  const Family f = d == Direction::bwd_weights ? Family::wgrad_simt128 : Family::phase_simt128;
  std::size_t workspace = 0;
  return run_family_on_device(p, d, ops, f, std::size_t{1} << 30, reps, ms, &workspace);
}

TEST(Simt128Device, EqualsOracleOnTheGpu) {
  if (!no_gpu_reason().empty()) GTEST_SKIP() << no_gpu_reason();
  for (const char* s : kShapes)
    for (Direction d : {Direction::fwd, Direction::bwd_data, Direction::bwd_weights}) {
      const Problem p = device_problem(s);
      const InputSet in = make_inputs(p, {FillKind::integer, 7});
      HostTensor out;
      std::vector<float> ms;
      ASSERT_EQ(run(p, d, in, 1, &out, &ms), Status::Ok()) << s;
      EXPECT_TRUE(equals_oracle_exactly(p, d, in, out)) << s;
    }
}

TEST(Simt128Device, RepeatedLaunchesAreBitwiseIdentical) {
  if (!no_gpu_reason().empty()) GTEST_SKIP() << no_gpu_reason();
  for (const char* s : kShapes)
    for (Direction d : {Direction::fwd, Direction::bwd_data, Direction::bwd_weights}) {
      const Problem p = device_problem(s);
      const InputSet in = make_inputs(p, {FillKind::uniform, 8});
      HostTensor first, second;
      std::vector<float> ms;
      ASSERT_EQ(run(p, d, in, 1, &first, &ms), Status::Ok());
      ASSERT_EQ(run(p, d, in, 3, &second, &ms), Status::Ok());
      ASSERT_EQ(first.bytes(), second.bytes());
      EXPECT_EQ(std::memcmp(first.data(), second.data(), first.bytes()), 0) << s << " " << to_string(d);
    }
}

}  // namespace
}  // namespace tconv::cuda
