// The abstract conformance suite (docs/design.md section 4): every variant of a backend against the
// oracle on a fixed list of small problems covering every parameter, in every direction.
// Use, in a backend's *_test.cpp linked with tconv_testing:
//   TCONV_BACKEND_CONFORMANCE(OpenMP, tconv::openmp_backend_factory());
// Each (problem, direction, variant) is one test, run twice: random fill within the
// shape-aware bound, and integer fill (bit-exact for f32/f64 unless the backend declares
// TF32-like math). Problems the backend's check() rejects are skipped with its reason.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "backends/api/registry.h"
#include "backends/naive/oracle.h"
#include "conformance/compare.h"
#include "conformance/fill.h"

namespace tconv::crosscheck {

struct NamedProblem {
  std::string name;  // a C identifier: becomes part of the test name
  Problem problem;
};

// 44 small problems; each parameter value appears at least once. Extending the list is cheap:
// every backend picks it up.
inline std::vector<NamedProblem> conformance_problems() {
  using enum DType;
  using enum Layout;
  // Fields in declaration order: n, c_in, c_out, groups, h_in, w_in, kh, kw, stride_h, stride_w,
  // dil_h, dil_w, pad_top, pad_bottom, pad_left, pad_right, bias, dtype, layout, weight_layout,
  // quant {zp_x, zp_w, zp_y, multiplier, shift, rounding} (integer dtypes; fwd only, so other
  // directions and backends without i8 / i16 skip them with their check() reason).
  return {
      {"onnx_basic", {1, 1, 2, 1, 3, 3, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, true, f32, NCHW, IOHW, {}}},
      {"pytorch_s2_p1_op1", {2, 3, 4, 1, 4, 5, 3, 3, 2, 2, 1, 1, 1, 0, 1, 0, true, f32, NCHW, IOHW, {}}},
      {"k_equals_s", {1, 4, 3, 1, 3, 4, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, true, f32, NCHW, IOHW, {}}},
      {"stride_exceeds_kernel", {1, 2, 3, 1, 4, 3, 2, 2, 3, 3, 1, 1, 0, 0, 0, 0, true, f32, NCHW, IOHW, {}}},
      {"stride4_k5", {1, 3, 2, 1, 3, 3, 5, 5, 4, 4, 1, 1, 1, 2, 2, 1, true, f32, NCHW, IOHW, {}}},
      {"stride_2x3_k3x1", {2, 2, 3, 1, 4, 3, 3, 1, 2, 3, 1, 1, 0, 0, 0, 0, true, f32, NCHW, IOHW, {}}},
      {"kernel_1x4_stride_1x2", {1, 3, 3, 1, 5, 4, 1, 4, 1, 2, 1, 1, 0, 0, 1, 1, true, f32, NCHW, IOHW, {}}},
      {"asymmetric_crops", {1, 3, 4, 1, 4, 4, 3, 3, 2, 2, 1, 1, 2, 0, 0, 1, true, f32, NCHW, IOHW, {}}},
      {"negative_crops", {1, 2, 3, 1, 3, 4, 3, 2, 2, 1, 1, 1, -1, -2, -1, 0, true, f32, NCHW, IOHW, {}}},
      {"mixed_sign_crops", {2, 3, 2, 1, 4, 3, 3, 3, 1, 2, 1, 1, 1, -1, -2, 2, true, f32, NCHW, IOHW, {}}},
      {"output_padding_like", {1, 4, 4, 1, 3, 5, 4, 3, 3, 2, 1, 1, 1, -1, 1, 0, true, f32, NCHW, IOHW, {}}},
      {"heavy_crops", {1, 2, 3, 1, 5, 5, 3, 3, 2, 2, 1, 1, 2, 3, 1, 2, true, f32, NCHW, IOHW, {}}},
      {"dilation2", {1, 3, 3, 1, 4, 4, 3, 3, 1, 1, 2, 2, 1, 1, 1, 1, true, f32, NCHW, IOHW, {}}},
      {"dilation_3x1_stride2", {2, 2, 3, 1, 3, 4, 2, 3, 2, 2, 3, 1, 0, 1, 1, 0, true, f32, NCHW, IOHW, {}}},
      {"dilation2_stride2_op1", {1, 3, 2, 1, 4, 4, 3, 2, 2, 2, 2, 2, 1, 0, 0, -1, true, f32, NCHW, IOHW, {}}},
      {"groups2", {2, 4, 6, 2, 3, 4, 3, 3, 2, 1, 1, 1, 1, 1, 0, 0, true, f32, NCHW, IOHW, {}}},
      {"groups3_stride3", {1, 6, 9, 3, 3, 3, 3, 2, 3, 2, 1, 2, 0, 1, 1, 0, true, f32, NCHW, IOHW, {}}},
      {"depthwise", {2, 4, 4, 4, 4, 5, 3, 3, 2, 2, 1, 1, 1, 0, 1, 0, true, f32, NCHW, IOHW, {}}},
      {"depthwise_multiplier2", {1, 3, 6, 3, 4, 3, 2, 3, 1, 2, 2, 1, 0, 0, 1, 1, true, f32, NCHW, IOHW, {}}},
      {"no_bias", {2, 3, 4, 1, 4, 4, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, false, f32, NCHW, IOHW, {}}},
      {"no_bias_groups", {1, 4, 4, 2, 3, 5, 2, 3, 2, 1, 1, 2, 0, 0, 1, 0, false, f32, NCHW, IOHW, {}}},
      {"batch3", {3, 2, 2, 1, 3, 3, 3, 3, 2, 2, 1, 1, 1, 0, 1, 0, true, f32, NCHW, IOHW, {}}},
      {"single_pixel_input", {2, 3, 4, 1, 1, 1, 3, 2, 2, 2, 1, 1, 0, 0, 0, 0, true, f32, NCHW, IOHW, {}}},
      {"pointwise", {2, 5, 3, 1, 3, 4, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, true, f32, NCHW, IOHW, {}}},
      {"pointwise_stride2_gaps", {1, 3, 2, 1, 3, 3, 1, 1, 2, 2, 1, 1, 0, 0, 0, 0, true, f32, NCHW, IOHW, {}}},
      {"row_input", {1, 2, 3, 1, 1, 6, 2, 3, 2, 2, 1, 1, 0, 0, 1, 1, true, f32, NCHW, IOHW, {}}},
      {"kernel_larger_than_input", {1, 2, 2, 1, 2, 2, 5, 4, 1, 1, 1, 1, 2, 1, 1, 1, true, f32, NCHW, IOHW, {}}},
      {"nhwc", {2, 3, 4, 1, 4, 3, 3, 3, 2, 2, 1, 1, 1, 0, 1, 0, true, f32, NHWC, IOHW, {}}},
      {"nhwc_groups_ihwo", {1, 4, 6, 2, 3, 4, 3, 2, 2, 1, 1, 1, 0, 1, 0, 0, true, f32, NHWC, IHWO, {}}},
      {"weights_ihwo", {1, 3, 5, 1, 3, 3, 3, 2, 2, 2, 1, 1, 1, 1, 0, 0, true, f32, NCHW, IHWO, {}}},
      {"weights_hwoi", {1, 3, 5, 1, 3, 3, 2, 3, 2, 2, 1, 1, 0, 0, 1, 1, true, f32, NCHW, HWOI, {}}},
      {"keras_nhwc_hwoi_same", {2, 4, 3, 1, 4, 4, 3, 3, 2, 2, 1, 1, 0, 1, 0, 1, true, f32, NHWC, HWOI, {}}},
      {"weights_oihw_flipped", {1, 3, 4, 1, 3, 4, 3, 2, 2, 1, 1, 1, 1, 0, 0, 0, true, f32, NCHW, OIHW_FLIPPED, {}}},
      {"flipped_groups_dilation", {1, 4, 6, 2, 3, 3, 2, 2, 2, 2, 2, 1, 0, 1, 1, 0, true, f32, NHWC, OIHW_FLIPPED, {}}},
      {"f16", {2, 3, 4, 1, 4, 4, 3, 3, 2, 2, 1, 1, 1, 0, 1, 0, true, f16, NCHW, IOHW, {}}},
      {"f16_nhwc_groups", {1, 4, 4, 2, 3, 4, 3, 2, 2, 1, 1, 2, 0, 1, 0, 0, true, f16, NHWC, IHWO, {}}},
      {"bf16", {2, 3, 4, 1, 4, 4, 3, 3, 2, 2, 1, 1, 1, 0, 1, 0, true, bf16, NCHW, IOHW, {}}},
      {"bf16_depthwise_hwoi", {1, 3, 3, 3, 4, 3, 3, 3, 2, 2, 1, 1, 0, 0, 1, 1, true, bf16, NHWC, HWOI, {}}},
      // Whole 16-byte channel chunks per group, NHWC: what the tensor-core tile families accept.
      {"f16_nhwc_chunks_k3s2", {1, 16, 8, 1, 3, 3, 3, 3, 2, 2, 1, 1, 1, 0, 1, 0, true, f16, NHWC, IHWO, {}}},
      {"bf16_nhwc_chunks_groups_k2s2_hwoi", {2, 16, 16, 2, 3, 2, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, true, bf16, NHWC, HWOI, {}}},
      {"f64", {2, 3, 4, 1, 4, 4, 3, 3, 2, 2, 1, 1, 1, 0, 1, 0, true, f64, NCHW, IOHW, {}}},
      {"f64_negative_crops_flipped", {1, 2, 4, 2, 3, 3, 3, 3, 2, 2, 1, 1, -1, 0, 1, -1, false, f64, NCHW, OIHW_FLIPPED, {}}},
      // Shift 1: the integer fill's small sums land on ties half the time.
      {"i8_requant_ties", {1, 3, 4, 1, 3, 4, 3, 3, 2, 2, 1, 1, 1, 0, 1, 0, true, i8, NCHW, IOHW,
                           {2, -3, 5, 1, 1, Rounding::nearest_even}}},
      {"i16_requant_groups_nhwc", {2, 4, 6, 2, 3, 3, 2, 3, 1, 2, 1, 1, 0, 1, 1, 0, true, i16, NHWC, HWOI,
                                   {-7, 4, -2, 1518500250, 31, Rounding::half_up}}},
  };
}

// One test's parameter: which backend variant, problem and direction.
struct ConformanceCase {
  std::shared_ptr<const BackendFactory> factory;
  std::string variant;
  std::string problem_name;
  Problem problem;
  Direction direction = Direction::fwd;
  std::uint64_t seed = 1;
};

// What GoogleTest prints for a failing parameter: a reproducer instead of bytes.
inline void PrintTo(const ConformanceCase& c, std::ostream* os) {
  *os << c.factory->name << ":" << c.variant << " " << to_string(c.direction) << " \"" << to_repro(c.problem)
      << "\" seed=" << c.seed;
}

inline std::vector<ConformanceCase> conformance_cases(BackendFactory factory) {
  const auto shared = std::make_shared<const BackendFactory>(std::move(factory));
  std::vector<ConformanceCase> cases;
  std::uint64_t seed = 1;
  for (const std::string& variant : shared->variants())
    for (const NamedProblem& np : conformance_problems()) {
      ++seed;
      for (Direction d : kAllDirections) cases.push_back({shared, variant, np.name, np.problem, d, seed});
    }
  return cases;
}

inline std::string conformance_case_name(const ::testing::TestParamInfo<ConformanceCase>& info) {
  std::string variant;
  for (char ch : info.param.variant) variant += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return info.param.problem_name + "_" + std::string(to_string(info.param.direction)) + "_" + variant;
}

// Runs one case with `fill` and checks it against the oracle. With the integer fill the output
// must be bit-exact wherever the backend's declared arithmetic makes integer sums exact.
inline void expect_conformance(const ConformanceCase& c, FillKind fill) {
  const Problem& p = c.problem;
  const Direction d = c.direction;
  ASSERT_TRUE(validate(p).ok()) << validate(p).message;
  Result<std::unique_ptr<Backend>> made = c.factory->create(c.variant);
  ASSERT_TRUE(made.ok()) << "cannot create " << c.factory->name << ":" << c.variant << ": " << made.error();
  std::unique_ptr<Backend> backend = std::move(made).value();
  const Status support = backend->check(p, d);
  if (!support.ok()) GTEST_SKIP() << support.message;

  const InputSet in = make_inputs(p, {fill, c.seed});
  const std::vector<double> x_before = in.x.logical_values(), w_before = in.w.logical_values(),
                            b_before = in.b.logical_values(), dy_before = in.dy.logical_values();
  HostTensor out = make_output(p, d);
  RunContext ctx;
  const Status status = backend->run(p, d, with_output(in.operands(), d, out), ctx);
  ASSERT_TRUE(status.ok()) << to_string(status.code) << ": " << status.message;
  EXPECT_EQ(in.x.logical_values(), x_before) << "the backend wrote into its input x";
  EXPECT_EQ(in.w.logical_values(), w_before) << "the backend wrote into its input w";
  EXPECT_EQ(in.b.logical_values(), b_before) << "the backend wrote into its input b";
  EXPECT_EQ(in.dy.logical_values(), dy_before) << "the backend wrote into its input dy";

  const Reference ref = compute_reference(p, d, in.operands());
  // The arithmetic of what ran (a library may choose FFT or Winograd per problem), as the runner.
  const MathMode math = backend->declared_math(p, d, backend->last_run_details());
  const Comparison cmp = compare_to_reference(ref, out, math);
  const bool exact_types = p.dtype == DType::f32 || p.dtype == DType::f64;
  const bool exact_required =
      fill == FillKind::integer && exact_types && math.u_mul <= 0x1p-24 && math.u_acc <= 0x1p-24;
  // One expectation per case, so that a failure reads as one line.
  EXPECT_TRUE(cmp.passed() && (!exact_required || cmp.max_abs_err == 0))
      << (cmp.passed() ? "integer inputs make every f32 sum exact, so the output must be exact: " : "")
      << cmp.summary() << " [math " << math.name << "]";
  if (fill != FillKind::integer) {  // integer sums may cancel to 0 by chance
    EXPECT_FALSE(cmp.mistrusted()) << "the problem checks too little: " << cmp.zero_fraction * 100
                                   << "% of the reference is zero";
  }
}

}  // namespace tconv::crosscheck

// Instantiates the suite for every variant of the factory `factory_expression` (a
// tconv::BackendFactory). `Suffix` names the tests: Suffix/SuffixConformance.*.
#define TCONV_BACKEND_CONFORMANCE(Suffix, factory_expression)                                              \
  class Suffix##Conformance : public ::testing::TestWithParam<::tconv::crosscheck::ConformanceCase> {};   \
  TEST_P(Suffix##Conformance, RandomFillWithinBound) {                                                    \
    ::tconv::crosscheck::expect_conformance(GetParam(), ::tconv::FillKind::uniform);                       \
  }                                                                                                       \
  TEST_P(Suffix##Conformance, IntegerFillExact) {                                                         \
    ::tconv::crosscheck::expect_conformance(GetParam(), ::tconv::FillKind::integer);                       \
  }                                                                                                       \
  INSTANTIATE_TEST_SUITE_P(Suffix, Suffix##Conformance,                                                   \
                           ::testing::ValuesIn(::tconv::crosscheck::conformance_cases(factory_expression)), \
                           ::tconv::crosscheck::conformance_case_name)
