// Every thread of every gather kernel, emulated on the CPU (gather_emulate.h calls the very
// functions the kernels call), against the oracle on thousands of random problems: groups and
// depthwise, dilation, negative and asymmetric crops, both data layouts, every weight layout.
#include "backends/cuda/gather.h"

#include "backends/cuda/emulation_test_support.h"
#include "backends/cuda/gather_emulate.h"

namespace tconv::cuda {
namespace {

constexpr int kProblems = 1500;

// Integer fills: every f32 sum is exact, so each emulated element equals the oracle's.
TEST(CudaGatherEmulation, EveryThreadOfEveryDirectionIsExactOnRandomProblems) {
  std::mt19937_64 rng(20261121);
  int with_groups = 0, depthwise = 0, negative = 0, nhwc = 0, dilated = 0;
  for (int i = 0; i < kProblems; ++i) {
    const Problem p = random_problem_of(rng, DType::f32);
    ASSERT_TRUE(validate(p).ok()) << validate(p).message;
    with_groups += p.groups > 1;
    depthwise += p.groups == p.c_in && p.groups > 1;
    negative += p.crop_top < 0 || p.crop_bottom < 0 || p.crop_left < 0 || p.crop_right < 0;
    nhwc += p.layout == Layout::NHWC;
    dilated += p.dil_h > 1 || p.dil_w > 1;
    const InputSet in = make_inputs(p, {FillKind::integer, static_cast<std::uint64_t>(i)});
    for (Direction d : kAllDirections) {
      const HostTensor out = run_emulated(p, d, in, [d](const ConvGeometry& g, const DeviceOperands& ops) {
        emulate_gather<float, float>(d, g, ops);
      });
      ASSERT_TRUE(equals_oracle_exactly(p, d, in, out));
    }
  }
  // The generator really covered what the kernels must handle.
  EXPECT_GT(with_groups, kProblems / 4);
  EXPECT_GT(depthwise, kProblems / 20);
  EXPECT_GT(negative, kProblems / 10);
  EXPECT_GT(nhwc, kProblems / 4);
  EXPECT_GT(dilated, kProblems / 4);
}

// Random real values in f32 and f64 (Acc = double): within the shape-aware bound.
TEST(CudaGatherEmulation, RandomFillsStayWithinTheToleranceBound) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200; ++i) {
    const DType t = i % 2 == 0 ? DType::f32 : DType::f64;
    const Problem p = random_problem_of(rng, t);
    const InputSet in = make_inputs(p, {FillKind::uniform, static_cast<std::uint64_t>(i)});
    for (Direction d : kAllDirections) {
      const HostTensor out = run_emulated(p, d, in, [d, t](const ConvGeometry& g, const DeviceOperands& ops) {
        if (t == DType::f64)
          emulate_gather<double, double>(d, g, ops);
        else
          emulate_gather<float, float>(d, g, ops);
      });
      const Comparison c = compare_to_reference(compute_reference(p, d, in.operands()), out, default_math(t));
      ASSERT_TRUE(c.passed()) << to_string(d) << " \"" << to_repro(p) << "\": " << c.summary();
    }
  }
}

// The bias reduction spans several strides of the block (N*H_out*W_out > threads).
TEST(CudaGatherEmulation, BiasReductionOverMoreElementsThanThreads) {
  Problem p;
  p.n = 3, p.c_in = 2, p.c_out = 5, p.h_in = 9, p.w_in = 11, p.kh = 3, p.kw = 2, p.stride_h = 2, p.stride_w = 2;
  p.crop_top = -1, p.crop_bottom = 1, p.layout = Layout::NHWC;
  ASSERT_GT(p.n * p.h_out() * p.w_out(), 2 * kGatherThreads);
  const InputSet in = make_inputs(p, {FillKind::integer, 3});
  const HostTensor out = run_emulated(p, Direction::bwd_bias, in, [](const ConvGeometry& g, const DeviceOperands& ops) {
    emulate_gather<float, float>(Direction::bwd_bias, g, ops);
  });
  EXPECT_TRUE(equals_oracle_exactly(p, Direction::bwd_bias, in, out));
}

// A forward thread never multiplies an inserted zero: it visits exactly the (tap, input pixel)
// pairs that land on its output pixel, for a stride with many empty phases.
TEST(CudaGatherEmulation, ForwardThreadsVisitOnlyLandingTaps) {
  Problem p;
  p.c_in = 1, p.c_out = 1, p.h_in = 4, p.w_in = 4, p.kh = 2, p.kw = 2, p.stride_h = 3, p.stride_w = 3;
  const ConvGeometry g = make_geometry(p);
  std::int64_t visited = 0;
  for (std::int64_t oh = 0; oh < g.h_out; ++oh)
    for (std::int64_t ow = 0; ow < g.w_out; ++ow)
      visited += landing_taps(oh, g.crop_top, g.stride_h, g.dil_h, g.kh, g.h_in).count *
                 landing_taps(ow, g.crop_left, g.stride_w, g.dil_w, g.kw, g.w_in).count;
  EXPECT_EQ(visited, p.h_in * p.w_in * p.kh * p.kw) << "each input pixel meets each tap once";
}

}  // namespace
}  // namespace tconv::cuda
