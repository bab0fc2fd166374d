// The dot-product test: the oracle's gradients are the adjoints of its forward map.
//   <fwd(x, w), dy> == <x, bwd_data(dy, w)>      (linear in x, bias off)
//   <fwd(x, w), dy> == <w, bwd_weights(x, dy)>   (linear in w)
//   bwd_bias(dy)[c] == sum of dy over (n, h, w) of channel c
// A wrong index in one direction breaks the identity even where both directions look plausible.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "backends/naive/oracle.h"
#include "backends/testing/random_problem.h"
#include "conformance/fill.h"

namespace tconv::crosscheck {
namespace {

constexpr int kProblems = 400;

template <class A, class B>
double dot(const A& a, const B& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

TEST(OracleAdjoint, GradientsAreAdjointsOfTheForwardMap) {
  std::mt19937_64 rng(4242);
  for (int i = 0; i < kProblems; ++i) {
    Problem p = random_problem(rng);
    p.dtype = DType::f64;
    p.bias = false;
    const InputSet in = make_inputs(p, {i % 2 ? FillKind::uniform : FillKind::normal, rng()});
    const Reference y = compute_reference(p, Direction::fwd, in.operands());
    const Reference dx = compute_reference(p, Direction::bwd_data, in.operands());
    const Reference dw = compute_reference(p, Direction::bwd_weights, in.operands());
    const std::vector<double> dy = in.dy.logical_values();

    // Scale: the sum over every elementary product |x*w*dy|, which bounds each side's rounding.
    double scale = 0;
    for (std::size_t e = 0; e < dy.size(); ++e) scale += std::fabs(dy[e]) * y.abs_sum[e];
    const double lhs = dot(y.value, dy);
    const double via_data = dot(in.x.logical_values(), dx.value);
    const double via_weights = dot(in.w.logical_values(), dw.value);
    ASSERT_LE(std::fabs(lhs - via_data), 1e-10 * scale) << "bwd_data, " << to_repro(p);
    ASSERT_LE(std::fabs(lhs - via_weights), 1e-10 * scale) << "bwd_weights, " << to_repro(p);
  }
}

TEST(OracleAdjoint, TheIdentityDetectsAWrongGradient) {
  // Guard against a vacuous test: dx of a shifted crop must break the identity.
  std::mt19937_64 rng(99);
  int detected = 0, tried = 0;
  for (int i = 0; i < 50; ++i) {
    Problem p = random_problem(rng);
    p.dtype = DType::f64;
    p.bias = false;
    Problem shifted = p;
    shifted.crop_top += 1, shifted.crop_bottom -= 1;  // same output size, rows shifted by one
    const InputSet in = make_inputs(p, {FillKind::uniform, rng()});
    const Reference y = compute_reference(p, Direction::fwd, in.operands());
    const Reference dx = compute_reference(shifted, Direction::bwd_data, in.operands());
    double scale = 0;
    const std::vector<double> dy = in.dy.logical_values();
    for (std::size_t e = 0; e < dy.size(); ++e) scale += std::fabs(dy[e]) * y.abs_sum[e];
    if (scale == 0) continue;
    ++tried;
    detected += std::fabs(dot(y.value, dy) - dot(in.x.logical_values(), dx.value)) > 1e-10 * scale;
  }
  EXPECT_GE(detected, tried * 9 / 10);
}

TEST(OracleAdjoint, BiasGradientIsThePlainSumOfDy) {
  std::mt19937_64 rng(77);
  for (int i = 0; i < 100; ++i) {
    Problem p = random_problem(rng);
    p.dtype = DType::f64;
    const InputSet in = make_inputs(p, {FillKind::normal, rng()});
    const Reference db = compute_reference(p, Direction::bwd_bias, in.operands());
    ASSERT_EQ(db.value.size(), static_cast<std::size_t>(p.c_out));
    for (std::int64_t c = 0; c < p.c_out; ++c) {
      double sum = 0, magnitude = 0;
      for (std::int64_t n = 0; n < p.n; ++n)
        for (std::int64_t h = 0; h < p.h_out(); ++h)
          for (std::int64_t w = 0; w < p.w_out(); ++w) {
            sum += in.dy.at({n, c, h, w});
            magnitude += std::fabs(in.dy.at({n, c, h, w}));
          }
      ASSERT_LE(std::fabs(db.value[c] - sum), 1e-12 * magnitude) << to_repro(p);
      ASSERT_EQ(db.terms[c], p.n * p.h_out() * p.w_out());
    }
  }
}

}  // namespace
}  // namespace tconv::crosscheck
