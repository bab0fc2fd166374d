// canonical -> each framework's parameters -> canonical, over seeded random problems: an exact
// equivalent must translate back to the same problem (in that framework's layouts), and a
// claim that none exists is checked against a brute-force search of the framework's options.
#include <gtest/gtest.h>

#include <random>

#include "conformance/conventions/keras.h"
#include "conformance/conventions/onnx.h"
#include "conformance/conventions/pytorch_equivalent.h"
#include "conformance/conventions/test_params.h"
#include "conformance/conventions/tf.h"

namespace tconv::conventions {
namespace {

Problem random_problem(std::mt19937_64& rng) {
  auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
  Problem p;
  p.n = pick(1, 2);
  p.groups = pick(1, 2) == 1 ? 1 : 2;
  p.c_in = p.groups * pick(1, 3);
  p.c_out = p.groups * pick(1, 3);
  p.h_in = pick(1, 6);
  p.w_in = pick(1, 6);
  p.kh = pick(1, 4);
  p.kw = pick(1, 4);
  p.stride_h = pick(1, 3);
  p.stride_w = pick(1, 3);
  p.dil_h = pick(1, 3) == 3 ? 2 : 1;
  p.dil_w = pick(1, 3) == 3 ? 3 : 1;
  // A third each: any crops, PyTorch-like ones (padding, output_padding), and Keras-like
  // ones (the larger half at the end) with Keras's stride/dilation/groups rules.
  const std::int64_t style = pick(0, 2);
  auto crops = [&](std::int64_t s, std::int64_t d) -> Crops {
    if (style == 0) return {pick(-2, 3), pick(-2, 3)};
    if (style == 1) {
      const std::int64_t pad = pick(0, 2);
      return {pad, pad - pick(0, std::max(s, d) - 1)};
    }
    const std::int64_t total = pick(-1, 3), begin = std::max<std::int64_t>(total, 0) / 2;
    return {begin, total - begin};
  };
  if (style == 2) {
    p.groups = 1;
    p.c_in = pick(1, 3);
    p.c_out = pick(1, 3);
    if (std::max(p.stride_h, p.stride_w) > 1) p.dil_h = p.dil_w = 1;
  }
  const Crops h = crops(p.stride_h, p.dil_h), w = crops(p.stride_w, p.dil_w);
  p.crop_top = h.begin;
  p.crop_bottom = h.end;
  p.crop_left = w.begin;
  p.crop_right = w.end;
  p.bias = pick(0, 1) == 1;
  p.layout = pick(0, 1) == 1 ? Layout::NHWC : Layout::NCHW;
  p.weight_layout = Layout::IOHW;
  return p;
}

std::vector<Problem> valid_problems(std::size_t count) {
  std::mt19937_64 rng(20261121);
  std::vector<Problem> out;
  while (out.size() < count) {
    Problem p = random_problem(rng);
    if (validate(p).ok()) out.push_back(p);
  }
  return out;
}

// The problem as the framework stores it: its weight layout (and data layout / bias where fixed).
Problem as_framework_would(Problem p, const Problem& translated, const std::string& convention) {
  p.weight_layout = translated.weight_layout;
  if (convention == "onnx") p.layout = Layout::NCHW;
  if (convention == "tf") p.bias = false;
  return p;
}

void check_round_trip(const Convention& c, Equivalent (*reverse)(const Problem&), int* exact_count) {
  for (const Problem& p : valid_problems(600)) {
    const Equivalent e = reverse(p);
    SCOPED_TRACE(to_repro(p) + " -> " + std::string(c.name()) + ": " + e.params);
    if (!e.exact) {
      EXPECT_FALSE(e.reason.empty());
      EXPECT_FALSE(e.construction.empty());
      continue;
    }
    ++*exact_count;
    const Translation t = testing::translate_text(c, e.params);
    EXPECT_TRUE(t.invalid_reason.empty()) << t.invalid_reason;
    EXPECT_EQ(t.problem, as_framework_would(p, t.problem, std::string(c.name())));
  }
}

TEST(RoundTrip, Pytorch) {
  int exact = 0;
  check_round_trip(pytorch_convention(), &pytorch_equivalent, &exact);
  EXPECT_GT(exact, 150);
}

TEST(RoundTrip, Keras) {
  int exact = 0;
  check_round_trip(keras_convention(), &keras_equivalent, &exact);
  EXPECT_GT(exact, 60);
}

TEST(RoundTrip, Tf) {
  int exact = 0;
  check_round_trip(tf_convention(), &tf_equivalent, &exact);
  EXPECT_GT(exact, 50);
}

TEST(RoundTrip, Onnx) {
  int exact = 0;
  check_round_trip(onnx_convention(), &onnx_equivalent, &exact);
  EXPECT_GT(exact, 200);
}

// "No exact equivalent" is true: no padding 0..6 / output_padding PyTorch accepts gives the crops.
TEST(RoundTrip, PytorchNoneMeansNone) {
  for (const Problem& p : valid_problems(600)) {
    auto dim_ok = [](Crops c, std::int64_t s, std::int64_t d) {
      for (std::int64_t pad = 0; pad <= 6; ++pad)
        for (std::int64_t op = 0; op < std::max(s, d); ++op)
          if (Crops{pad, pad - op} == c) return true;
      return false;
    };
    const bool exists = dim_ok(crops_h(p), p.stride_h, p.dil_h) && dim_ok(crops_w(p), p.stride_w, p.dil_w);
    EXPECT_EQ(pytorch_equivalent(p).exact, exists) << to_repro(p);
  }
}

// The same for TF: SAME, VALID or explicit paddings 0..6, each with TF's output-size check.
TEST(RoundTrip, TfNoneMeansNone) {
  for (const Problem& p : valid_problems(600)) {
    if (p.groups != 1) continue;
    auto dim_ok = [](std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d, std::int64_t out, Crops c, TfPadding pad) {
      for (std::int64_t b = 0; b <= (pad == TfPadding::explicit_ ? 6 : 0); ++b)
        for (std::int64_t e = 0; e <= (pad == TfPadding::explicit_ ? 6 : 0); ++e) {
          const std::int64_t first = tf_first_output_length(in, k, s, d, pad, b, e);
          if (out >= std::max<std::int64_t>(first, 1) && out <= first + s - 1 && tf_crops(in, k, s, d, out, pad, b) == c) return true;
        }
      return false;
    };
    bool exists = false;
    for (TfPadding pad : {TfPadding::same, TfPadding::valid, TfPadding::explicit_})
      exists |= dim_ok(p.h_in, p.kh, p.stride_h, p.dil_h, p.h_out(), crops_h(p), pad) &&
                dim_ok(p.w_in, p.kw, p.stride_w, p.dil_w, p.w_out(), crops_w(p), pad);
    EXPECT_EQ(tf_equivalent(p).exact, exists) << to_repro(p);
  }
}

// Every Keras layer: Keras -> canonical -> Keras gives back a layer with the same crops.
TEST(RoundTrip, EveryKerasLayerComesBack) {
  int checked = 0;
  for (std::int64_t in : {1, 2, 5})
    for (std::int64_t k : {1, 2, 3, 4})
      for (std::int64_t s : {1, 2, 3})
        for (std::int64_t d : {1, 2})
          for (const char* padding : {"valid", "same"})
            for (std::int64_t op = -1; op < s; ++op) {
              if (s > 1 && d > 1) continue;
              std::string text = "filters=2 kernel_size=" + std::to_string(k) + " strides=" + std::to_string(s) +
                                 " dilation_rate=" + std::to_string(d) + " padding=" + padding +
                                 " input_shape=1," + std::to_string(in) + "," + std::to_string(in) + ",3";
              if (op >= 0) text += " output_padding=" + std::to_string(op);
              const Translation t = testing::translate_text(keras_convention(), text);
              if (!validate(t.problem).ok()) continue;
              const Equivalent e = keras_equivalent(t.problem);
              ASSERT_TRUE(e.exact) << text;
              EXPECT_EQ(testing::translate_text(keras_convention(), e.params).problem, t.problem) << text << " -> " << e.params;
              ++checked;
            }
  EXPECT_GT(checked, 100);
}

}  // namespace
}  // namespace tconv::conventions
