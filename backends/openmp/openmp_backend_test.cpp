// The openmp backend against the oracle on hand-picked problems that reach every code path,
// plus what the abstract suite cannot see: fast paths vs the general path, bitwise
// determinism across thread counts, and workspace tiling under a tiny limit.
#include "backends/openmp/openmp_backend.h"

#include <gtest/gtest.h>

#include <cstring>

#include "backends/naive/oracle.h"
#include "backends/testing/square_problem.h"
#include "conformance/compare.h"
#include "conformance/fill.h"

namespace tconv {
namespace {

constexpr auto make = square_problem;

// Problems that together reach every branch: shuffle (k == s, 1x1), overlap, holes (s > k),
// asymmetric / negative crops, dilation, groups, depthwise, non-square, no bias.
std::vector<Problem> problems() {
  std::vector<Problem> v{
      make(2, 4, 6, 1, 5, 4, 3, 2, 1, 1, 0),   // overlapping taps, output_padding-like crops
      make(2, 6, 4, 1, 4, 3, 2, 2, 1, 0, 0),   // k == s: pixel shuffle
      make(3, 5, 7, 1, 4, 4, 1, 1, 1, 0, 0),   // 1x1: identity columns
      make(1, 4, 4, 2, 3, 5, 1, 3, 1, 0, 0),   // 1x1 with stride: holes
      make(2, 4, 6, 2, 5, 3, 3, 1, 2, 2, 1),   // dilation, groups
      make(2, 6, 6, 6, 6, 5, 3, 2, 1, 1, 0),   // depthwise
      make(1, 3, 5, 1, 4, 4, 3, 2, 1, -1, 2),  // negative (extension) crop
      make(2, 4, 2, 2, 3, 4, 2, 2, 1, 0, 0),   // grouped shuffle
      make(1, 2, 3, 1, 3, 3, 2, 3, 2, 0, -2),  // stride > dilated kernel: holes, extension
      make(2, 5, 1, 1, 7, 6, 5, 3, 1, 2, 1),   // one output channel: NHWC as planes (FSRCNN-like)
      make(2, 3, 1, 1, 4, 5, 2, 2, 1, 0, 0),   // one output channel, pixel shuffle
      make(1, 2, 3, 1, 17, 17, 4, 2, 1, 1, 0), // 34x34 output planes: bwd_bias's long-plane sums
  };
  Problem nonsquare = make(2, 3, 4, 1, 4, 6, 1, 1, 1, 0, 0);
  nonsquare.kh = 3; nonsquare.kw = 2; nonsquare.stride_h = 2; nonsquare.stride_w = 3;
  nonsquare.dil_h = 1; nonsquare.dil_w = 2; nonsquare.crop_top = 2; nonsquare.crop_bottom = -1; nonsquare.crop_left = 0;
  nonsquare.crop_right = 1;
  v.push_back(nonsquare);
  Problem no_bias = v[0];
  no_bias.bias = false;
  v.push_back(no_bias);
  return v;
}

struct Outcome {
  Status status;
  HostTensor out;
  Comparison cmp;
  RunDetails details;
};

Outcome run_one(const std::string& variant, const Problem& p, Direction d, RunContext ctx = {}, std::uint64_t seed = 7) {
  auto made = openmp_backend_factory().create(variant);
  EXPECT_TRUE(made.ok()) << made.error();
  auto backend = std::move(made).value_or(nullptr);
  const InputSet in = make_inputs(p, {FillKind::uniform, seed});
  Outcome r{Status::Ok(), make_output(p, d), {}, {}};
  Operands ops = with_output(in.operands(), d, r.out);
  r.status = backend->run(p, d, ops, ctx);
  r.details = backend->last_run_details();
  if (r.status.ok()) r.cmp = compare_to_reference(compute_reference(p, d, in.operands()), r.out, backend->math(p));
  return r;
}

bool bitwise_equal(const HostTensor& a, const HostTensor& b) {
  return a.bytes() == b.bytes() && std::memcmp(a.data(), b.data(), a.bytes()) == 0;
}

std::string describe(const std::string& variant, const Problem& p, Direction d) {
  return variant + " " + std::string(to_string(d)) + " " + to_repro(p);
}

TEST(OpenMPBackend, MatchesOracleEverywhere) {
  const auto variants = openmp_backend_factory().variants();
  for (const std::string& variant : variants)
    for (Problem p : problems())
      for (Layout layout : kDataLayouts)
        for (Layout wl : kWeightLayouts) {
          p.layout = layout;
          p.weight_layout = wl;
          for (Direction d : kAllDirections) {
            const Outcome r = run_one(variant, p, d);
            ASSERT_TRUE(r.status.ok()) << describe(variant, p, d) << ": " << r.status.message;
            EXPECT_TRUE(r.cmp.passed()) << describe(variant, p, d) << ": " << r.cmp.summary();
          }
        }
}

TEST(OpenMPBackend, LowPrecisionStorage) {
  for (DType t : {DType::f16, DType::bf16})
    for (Problem p : problems())
      for (Layout layout : kDataLayouts) {
        p.dtype = t;
        p.layout = layout;
        p.weight_layout = layout == Layout::NHWC ? Layout::HWOI : Layout::IOHW;
        for (Direction d : kAllDirections) {
          const Outcome r = run_one("default", p, d);
          ASSERT_TRUE(r.status.ok()) << describe("default", p, d) << ": " << r.status.message;
          EXPECT_TRUE(r.cmp.passed()) << describe("default", p, d) << ": " << r.cmp.summary();
        }
      }
}

TEST(OpenMPBackend, PixelShuffleMatchesGeneralPathBitwise) {
  // One term per output element either way: the fast path must give the same bits.
  for (Layout layout : kDataLayouts)
    for (std::int64_t groups : {1, 2}) {
      Problem p = make(3, 4, 6, groups, 5, 3, 2, 2, 1, 0, 0);
      p.layout = layout;
      const Outcome fast = run_one("default", p, Direction::fwd);
      const Outcome general = run_one("general", p, Direction::fwd);
      EXPECT_TRUE(fast.cmp.passed()) << fast.cmp.summary();
      EXPECT_TRUE(bitwise_equal(fast.out, general.out)) << to_repro(p);
    }
}

TEST(OpenMPBackend, BitwiseIdenticalForAnyThreadCount) {
  std::vector<Problem> ps = problems();
  ps.push_back(make(5, 16, 24, 1, 9, 7, 4, 2, 1, 1, 0));  // enough tiles for every thread
  ps.push_back(make(5, 8, 12, 2, 24, 24, 4, 2, 1, 1, 0));  // the per-item paths
  ps.push_back(make(2, 4, 3, 1, 24, 24, 3, 2, 1, 1, 0));   // small dW: bwd_weights splits pixels
  for (Problem p : ps)
    for (Layout layout : kDataLayouts) {
      p.layout = layout;
      p.weight_layout = layout == Layout::NHWC ? Layout::IHWO : Layout::IOHW;
      for (Direction d : kAllDirections) {
        RunContext one, two, three;
        one.threads = 1;
        two.threads = 2;
        three.threads = 3;
        const Outcome a = run_one("default", p, d, one), b = run_one("default", p, d, two),
                      c = run_one("default", p, d, three);
        EXPECT_TRUE(bitwise_equal(a.out, b.out)) << describe("default", p, d);
        EXPECT_TRUE(bitwise_equal(a.out, c.out)) << describe("default", p, d);
      }
    }
}

TEST(OpenMPBackend, PerItemPathAndChunkedPathBothMatchTheOracle) {
  // Batches of >= 512-pixel images take the per-item paths; a workspace too small for eight
  // items' columns but enough for a chunk takes the chunked path.
  for (Direction d : {Direction::fwd, Direction::bwd_data, Direction::bwd_weights})
    for (Layout layout : kDataLayouts)
      for (Problem p : {make(5, 8, 12, 2, 24, 24, 4, 2, 1, 1, 0), make(6, 8, 8, 1, 16, 40, 2, 2, 1, 0, 0),
                        make(5, 8, 1, 1, 24, 24, 5, 3, 1, 2, 1)}) {
        p.layout = layout;
        RunContext small;
        small.workspace_limit = 512 << 10;  // below 8 items' columns (1.7 MiB, 0.6 MiB), above one chunk
        const Outcome items = run_one("default", p, d), chunks = run_one("default", p, d, small);
        EXPECT_TRUE(items.cmp.passed()) << describe("items", p, d) << ": " << items.cmp.summary();
        EXPECT_TRUE(chunks.cmp.passed()) << describe("chunks", p, d) << ": " << chunks.cmp.summary();
        // The reported scratch (a result row's workspace_bytes) is what the limit bounds.
        ASSERT_TRUE(items.details.workspace_bytes && chunks.details.workspace_bytes) << describe("", p, d);
        EXPECT_LE(*items.details.workspace_bytes, static_cast<std::int64_t>(RunContext{}.workspace_limit));
        EXPECT_LE(*chunks.details.workspace_bytes, static_cast<std::int64_t>(small.workspace_limit)) << describe("", p, d);
        EXPECT_GT(*chunks.details.workspace_bytes, 0) << describe("", p, d);
      }
}

TEST(OpenMPBackend, SmallWeightGradientSplitsPixelsAndStaysCorrect) {
  // dW of 4x3x3x3: one GEMM tile, so each chunk's pixels are split into blocks whose partial
  // products are summed in order.
  for (Layout layout : kDataLayouts) {
    Problem p = make(2, 4, 3, 1, 24, 24, 3, 2, 1, 1, 0);
    p.layout = layout;
    const Outcome r = run_one("default", p, Direction::bwd_weights);
    EXPECT_TRUE(r.cmp.passed()) << to_repro(p) << ": " << r.cmp.summary();
  }
}

TEST(OpenMPBackend, TinyWorkspaceTilesRowsAndStaysCorrect) {
  // A few KiB: one image's columns no longer fit, so chunks are rows of one image.
  for (DType t : {DType::f32, DType::f16})
    for (Problem p : {make(2, 8, 8, 1, 12, 10, 3, 2, 1, 1, 0), make(2, 8, 8, 2, 12, 10, 2, 2, 1, 0, 0),
                      make(1, 4, 4, 1, 9, 9, 5, 1, 2, -1, 3)})
      for (Layout layout : kDataLayouts) {
        p.dtype = t;
        p.layout = layout;
        for (Direction d : kAllDirections) {
          RunContext ctx;
          ctx.workspace_limit = t == DType::f32 ? 24 << 10 : 80 << 10;
          for (const char* variant : {"default", "general"}) {
            const Outcome r = run_one(variant, p, d, ctx);
            ASSERT_TRUE(r.status.ok()) << describe(variant, p, d) << ": " << r.status.message;
            EXPECT_TRUE(r.cmp.passed()) << describe(variant, p, d) << ": " << r.cmp.summary();
            ASSERT_TRUE(r.details.workspace_bytes.has_value()) << describe(variant, p, d);
            EXPECT_LE(*r.details.workspace_bytes, static_cast<std::int64_t>(ctx.workspace_limit)) << describe(variant, p, d);
          }
        }
      }
}

TEST(OpenMPBackend, WorkspaceTooSmallIsAnError) {
  RunContext ctx;
  ctx.workspace_limit = 64;
  const Outcome r = run_one("default", make(1, 8, 8, 1, 8, 8, 3, 2, 1, 1, 0), Direction::fwd, ctx);
  EXPECT_EQ(r.status.code, StatusCode::out_of_memory);
  EXPECT_FALSE(r.details.workspace_bytes.has_value());  // nothing to report for a failed run
  EXPECT_NE(r.status.message.find("workspace"), std::string::npos) << r.status.message;
}

TEST(OpenMPBackend, RejectsF64WithAReason) {
  auto backend = openmp_backend_factory().create("default").value_or(nullptr);
  Problem p = make(1, 2, 2, 1, 3, 3, 2, 2, 1, 0, 0);
  p.dtype = DType::f64;
  const Status s = backend->check(p, Direction::fwd);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message.find("f64"), std::string::npos);
}

TEST(OpenMPBackend, UnknownVariantExplains) {
  const auto made = openmp_backend_factory().create("nope");
  EXPECT_FALSE(made.ok());
  EXPECT_NE(made.error().find("general"), std::string::npos) << made.error();
}

}  // namespace
}  // namespace tconv
