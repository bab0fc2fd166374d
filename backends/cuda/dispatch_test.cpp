// The dispatcher, the variants, their refusal texts and the host-side weight permutation.
#include "backends/cuda/dispatch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "backends/cuda/device_run.h"
#include "backends/cuda/gather.h"
#include "backends/cuda/phase_wgmma.h"
#include "backends/testing/random_problem.h"
#include "conformance/fill.h"

namespace tconv::cuda {
namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(CudaDispatch, VariantsAreDefaultThenEveryFamily) {
  const std::vector<std::string> v = cuda_variant_names();
  EXPECT_EQ(v, (std::vector<std::string>{"default", "gather", "phase_gemm", "k_equals_s", "bwd_weights_gemm", "depthwise",
                                        "small_cout", "bias_reduce", "depthwise_wgrad", "phase_tc", "phase_tc+tf32",
                                        "phase_simt128", "wgrad_simt128", "phase_wgmma", "phase_wgmma_ws"}));
  for (const std::string& name : v) {
    const auto parsed = parse_cuda_variant(name);
    ASSERT_TRUE(parsed.ok()) << parsed.error();
    EXPECT_EQ(parsed->name, name);
    EXPECT_EQ(parsed->family.has_value(), name != "default");
  }
  EXPECT_FALSE(parse_cuda_variant("winograd").ok());
  const std::string error = parse_cuda_variant("winograd").error();
  EXPECT_TRUE(contains(error, "cuda has no variant 'winograd'")) << error;
  EXPECT_TRUE(contains(error, "gather")) << error;
}

TEST(CudaDispatch, FamilyDirectionsAreTheDirectionsTheyAccept) {
  using enum Family;
  EXPECT_EQ(family_directions(gather).size(), 4u);
  EXPECT_EQ(family_directions(small_cout), (std::vector<Direction>{Direction::fwd}));
  EXPECT_EQ(family_directions(depthwise), (std::vector<Direction>{Direction::fwd, Direction::bwd_data}));
  EXPECT_EQ(family_directions(bwd_weights_gemm), (std::vector<Direction>{Direction::bwd_weights}));
  for (Family f : all_families()) {
    // A problem the family's channel, layout and dtype rules accept: 1 channel NCHW f32, or
    // for the tensor-core families 8 channels NHWC (f16; f32 for TF32).
    Problem p;
    DType t = DType::f32;
    const bool wgmma = f == phase_wgmma || f == phase_wgmma_ws;
    if (f == phase_tc || f == phase_tc_tf32 || wgmma) {
      p.c_in = p.c_out = 8, p.layout = Layout::NHWC, p.weight_layout = Layout::IHWO;
      if (f != phase_tc_tf32) t = DType::f16;
    }
    if (wgmma && !phase_wgmma_built()) continue;  // a build without CuTe refuses everything
    const ConvGeometry g = make_geometry(p);
    for (Direction d : kAllDirections) {
      const std::vector<Direction> ds = family_directions(f);
      const bool listed = std::find(ds.begin(), ds.end(), d) != ds.end();
      const Status s = family_refuses(f, d, g, t);
      EXPECT_EQ(s.ok(), listed) << family_name(f) << " " << to_string(d) << ": " << s;
    }
  }
}

// ATerm keeps pixel coordinates in 32 bits: every family built on it refuses a problem whose
// coordinates reach 2^28, with the reason, and gather still runs it.
TEST(CudaDispatch, TileFamiliesRefuseCoordinatesBeyondTheirIntegers) {
  Problem p;
  p.c_in = p.c_out = 8, p.layout = Layout::NHWC, p.weight_layout = Layout::IHWO;
  p.h_in = 1, p.w_in = std::int64_t{1} << 27;
  p.kh = p.kw = 2, p.stride_h = p.stride_w = 2;
  const ConvGeometry g = make_geometry(p);  // w_out = 2^28
  for (Family f : {Family::phase_gemm, Family::phase_tc, Family::phase_wgmma, Family::phase_wgmma_ws,
                   Family::phase_simt128}) {
    if ((f == Family::phase_wgmma || f == Family::phase_wgmma_ws) && !phase_wgmma_built()) continue;
    const DType t = f == Family::phase_simt128 || f == Family::phase_gemm ? DType::f32 : DType::f16;
    const Status s = family_refuses(f, Direction::fwd, g, t);
    EXPECT_EQ(s.code, StatusCode::unsupported) << family_name(f);
    EXPECT_TRUE(contains(s.message, "spatial coordinates reach 268435456")) << s.message;
  }
  EXPECT_EQ(family_refuses(Family::gather, Direction::fwd, g, DType::f32), Status::Ok());
  p.w_in = 1000;  // the same layer at a real width: accepted
  EXPECT_EQ(family_refuses(Family::phase_tc, Direction::fwd, make_geometry(p), DType::f16), Status::Ok());
}

// On random problems in every dtype: default takes the accepting family with the least
// predicted time, and records why it passed over the refusing ones; gather accepts everything.
TEST(CudaDispatch, DefaultTakesTheAcceptingFamilyWithTheLeastPrediction) {
  std::mt19937_64 rng(3);
  const CudaVariant def{"default", std::nullopt};
  for (int i = 0; i < 500; ++i) {
    Problem p = crosscheck::random_problem(rng);
    p.dtype = kAllDTypes[i % 4];
    const ConvGeometry g = make_geometry(p);
    for (Direction d : kAllDirections) {
      EXPECT_EQ(family_refuses(Family::gather, d, g, p.dtype), Status::Ok());
      const Choice c = choose_family(def, d, g, p.dtype);
      ASSERT_TRUE(c.family.has_value()) << c.refusal;
      ASSERT_EQ(c.candidates.size(), all_families().size());
      std::string skipped;
      double chosen_ms = -1;
      for (const Candidate& k : c.candidates) {
        if (chosen_by_default(k.family))
          EXPECT_EQ(k.refusal, family_refuses(k.family, d, g, p.dtype));
        else
          EXPECT_TRUE(contains(k.refusal.message, "run only when asked for by name")) << k.refusal;
        if (!k.refusal.ok()) skipped += (skipped.empty() ? "" : "; ") + k.refusal.message;
        if (k.family == *c.family) chosen_ms = k.predicted_ms;
      }
      for (const Candidate& k : c.candidates)
        if (k.refusal.ok()) {
          EXPECT_LE(chosen_ms, k.predicted_ms) << to_string(d) << " " << to_repro(p);
        }
      EXPECT_EQ(c.skipped, skipped);
    }
  }
}

// TF32 is declared math: default never runs it on f32 data, even where it accepts the problem;
// the variant named for it does.
TEST(CudaDispatch, DefaultNeverChoosesTf32ButItsVariantRunsIt) {
  Problem p;
  p.c_in = p.c_out = 64, p.h_in = p.w_in = 16, p.kh = p.kw = 4, p.stride_h = p.stride_w = 2, p.crop_top = p.crop_left = p.crop_bottom = p.crop_right = 1;
  p.layout = Layout::NHWC, p.weight_layout = Layout::IHWO;
  const ConvGeometry g = make_geometry(p);
  ASSERT_EQ(family_refuses(Family::phase_tc_tf32, Direction::fwd, g, DType::f32), Status::Ok());
  const Choice def = choose_family({"default", std::nullopt}, Direction::fwd, g, DType::f32);
  ASSERT_TRUE(def.family.has_value());
  EXPECT_NE(def.family, Family::phase_tc_tf32);
  EXPECT_TRUE(contains(def.skipped, "phase_tc+tf32: declares TF32 math")) << def.skipped;
  const Result<CudaVariant> tf32 = parse_cuda_variant("phase_tc+tf32");
  ASSERT_TRUE(tf32.ok());
  EXPECT_EQ(choose_family(*tf32, Direction::fwd, g, DType::f32).family, Family::phase_tc_tf32);
}

TEST(CudaDispatch, DirectionsAndDtypesGoWhereTheyMust) {
  Problem p;
  p.c_in = 4, p.c_out = 4, p.h_in = 5, p.w_in = 5, p.kh = 3, p.kw = 3, p.stride_h = 2, p.stride_w = 2;
  const CudaVariant def{"default", std::nullopt};
  const ConvGeometry g = make_geometry(p);
  EXPECT_EQ(choose_family(def, Direction::bwd_bias, g, DType::f32).family, Family::gather);
  const Choice f64 = choose_family(def, Direction::bwd_weights, g, DType::f64);
  EXPECT_EQ(f64.family, Family::gather);
  EXPECT_TRUE(contains(f64.skipped, "bwd_weights_gemm: f64 runs on the gather kernels")) << f64.skipped;
  const Choice fwd64 = choose_family(def, Direction::fwd, g, DType::f64);
  EXPECT_EQ(fwd64.family, Family::gather);
  EXPECT_TRUE(contains(fwd64.skipped, "k_equals_s: ")) << fwd64.skipped;
  EXPECT_TRUE(contains(fwd64.skipped, "phase_gemm: ")) << fwd64.skipped;
}

TEST(CudaDispatch, AFamilyVariantRefusesWithItsOwnText) {
  Problem p;
  const ConvGeometry g = make_geometry(p);
  const Choice wgrad = choose_family({"bwd_weights_gemm", Family::bwd_weights_gemm}, Direction::fwd, g, DType::f32);
  EXPECT_FALSE(wgrad.family.has_value());
  EXPECT_EQ(wgrad.refusal, Status::Unsupported("bwd_weights_gemm: runs bwd_weights only"));
  for (Family f : {Family::phase_gemm, Family::k_equals_s}) {
    const Choice c = choose_family({std::string(family_name(f)), f}, Direction::bwd_bias, g, DType::f32);
    EXPECT_FALSE(c.family.has_value());
    EXPECT_TRUE(contains(c.refusal.message, std::string(family_name(f)) + ": ")) << c.refusal;
  }
  const Choice gather = choose_family({"gather", Family::gather}, Direction::bwd_bias, g, DType::f64);
  EXPECT_EQ(gather.family, Family::gather);
}

TEST(CudaDispatch, GeometryCarriesTheProblem) {
  Problem p;
  p.n = 2, p.c_in = 6, p.c_out = 4, p.groups = 2, p.h_in = 5, p.w_in = 3, p.kh = 3, p.kw = 2;
  p.stride_h = 2, p.stride_w = 3, p.dil_h = 1, p.dil_w = 2, p.crop_top = -1, p.crop_bottom = 2, p.crop_left = 1;
  p.crop_right = -2, p.layout = Layout::NHWC;
  const ConvGeometry g = make_geometry(p);
  EXPECT_EQ(g.h_out, p.h_out());
  EXPECT_EQ(g.w_out, p.w_out());
  EXPECT_EQ(g.crop_top, -1);
  EXPECT_EQ(g.crop_left, 1);
  EXPECT_TRUE(g.nhwc);
  EXPECT_EQ(g.cig(), 3);
  EXPECT_EQ(g.cog(), 2);
}

// Every weight layout reaches the kernels in the device filter format with the same logical
// values, and geometry.h's index functions agree with the host tensors' offsets.
TEST(CudaDispatch, HostPermutationAndDeviceIndexingAgreeWithHostTensors) {
  std::mt19937_64 rng(17);
  for (int i = 0; i < 300; ++i) {
    const Problem p = crosscheck::random_problem(rng);
    const InputSet in = make_inputs(p, {FillKind::integer, static_cast<std::uint64_t>(i)});
    HostTensor scratch;
    const HostTensor& w = weights_for_device(p, in.w, &scratch);
    ASSERT_EQ(w.layout(), device_filter_layout(p.layout));
    EXPECT_EQ(&w == &in.w, p.weight_layout == device_filter_layout(p.layout)) << "copies only when needed";
    ASSERT_EQ(w.logical_values(), in.w.logical_values()) << to_repro(p);
    const ConvGeometry g = make_geometry(p);
    for_each_index(p.w_dims(), [&](const Dims& k) { ASSERT_EQ(g.w_index(k[0], k[1], k[2], k[3]), w.offset(k)); });
    for_each_index(p.x_dims(), [&](const Dims& k) { ASSERT_EQ(g.x_index(k[0], k[1], k[2], k[3]), in.x.offset(k)); });
    for_each_index(p.y_dims(), [&](const Dims& k) { ASSERT_EQ(g.y_index(k[0], k[1], k[2], k[3]), in.dy.offset(k)); });
    // decode_* invert the flat offsets the gather threads are given.
    for (std::int64_t f = 0; f < numel_y(p); f += 7) {
      const Coord c = decode_data(f, g.c_out, g.h_out, g.w_out, g.nhwc);
      ASSERT_EQ(g.y_index(c.n, c.c, c.h, c.w), f);
    }
    for (std::int64_t f = 0; f < numel_w(p); ++f) {
      const Coord c = decode_filter(g, f);
      ASSERT_EQ(g.w_index(c.n, c.c, c.h, c.w), f);
    }
  }
  EXPECT_EQ(device_filter_layout(Layout::NCHW), Layout::IOHW);
  EXPECT_EQ(device_filter_layout(Layout::NHWC), Layout::IHWO);
}

}  // namespace
}  // namespace tconv::cuda
