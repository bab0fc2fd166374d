// The ONNX ConvTranspose operator examples (onnx/backend/test/case/node/convtranspose.py) with
// their hand-written expected outputs, translated into canonical crops by hand. Each runs
// through the oracle, the naive backend in every data x weight layout, and the independent
// direct formulation: all must give exactly the published numbers.
#include <gtest/gtest.h>

#include <numeric>

#include "backends/naive/naive_backend.h"
#include "backends/naive/oracle.h"
#include "backends/testing/direct_conv_reference.h"
#include "conformance/fill.h"

namespace tconv::crosscheck {
namespace {

// x = 0, 1, 2, ... in NCHW order; every weight 1 (all ONNX examples but dilations use these).
std::vector<double> iota(std::int64_t count, double start = 0) {
  std::vector<double> v(static_cast<std::size_t>(count));
  std::iota(v.begin(), v.end(), start);
  return v;
}

HostTensor tensor(const Dims& dims, const std::vector<double>& values, std::int64_t groups = 1,
                  Layout layout = Layout::NCHW) {
  HostTensor t(DType::f32, layout, dims, groups);
  EXPECT_EQ(static_cast<std::size_t>(t.numel()), values.size());
  std::size_t e = 0;
  for_each_index(dims, [&](const Dims& i) { t.put(i, values[e++]); });
  return t;
}

// Runs fwd every way and compares with `expected` (NCHW order).
void expect_onnx_output(Problem p, const std::vector<double>& x_values, const std::vector<double>& w_values,
                        const Dims& y_dims, const std::vector<double>& expected) {
  p.bias = false;
  ASSERT_TRUE(validate(p).ok()) << validate(p).message;
  ASSERT_EQ(p.y_dims(), y_dims) << to_repro(p);
  const HostTensor x = tensor(p.x_dims(), x_values);
  const HostTensor w = tensor(p.w_dims(), w_values, p.groups, Layout::IOHW);

  EXPECT_EQ(direct_forward(p, x, w, nullptr).value, expected) << "direct formulation, " << to_repro(p);
  Operands in;
  in.x = &x, in.w = &w;
  EXPECT_EQ(to_vector(compute_reference(p, Direction::fwd, in).value), expected) << "oracle, " << to_repro(p);

  auto backend = naive_backend_factory().create("default").value_or(nullptr);
  for (Layout layout : kDataLayouts)
    for (Layout weight_layout : kWeightLayouts) {
      Problem q = p;
      q.layout = layout, q.weight_layout = weight_layout;
      const HostTensor xl = x.to_layout(layout), wl = w.to_layout(weight_layout);
      HostTensor y = make_output(q, Direction::fwd);
      Operands ops;
      ops.x = &xl, ops.w = &wl, ops.y = &y;
      RunContext ctx;
      ASSERT_TRUE(backend->run(q, Direction::fwd, ops, ctx).ok()) << to_repro(q);
      EXPECT_EQ(y.logical_values(), expected) << "naive backend, " << to_repro(q);
    }
}

Problem base(std::int64_t c_in, std::int64_t c_out, std::int64_t k) {
  Problem p;
  p.c_in = c_in, p.c_out = c_out, p.h_in = 3, p.w_in = 3, p.kh = k, p.kw = k;
  return p;
}

// The 5x5 result of x = 0..8 under a 3x3 kernel of ones (test_convtranspose, channel 0).
const std::vector<double> kBasic = {0, 1, 3,  3,  2,  3, 8,  15, 12, 7,  9, 21, 36,
                                    27, 15, 9, 20, 33, 24, 13, 6, 13, 21, 15, 8};

std::vector<double> concat(std::vector<double> a, const std::vector<double>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(OnnxConvTranspose, Basic) {
  // test_convtranspose: no attributes, crops 0.
  expect_onnx_output(base(1, 2, 3), iota(9), std::vector<double>(18, 1), {1, 2, 5, 5}, concat(kBasic, kBasic));
}

// x 3x3, strides (3, 2), full output 9x7; three ONNX tests give the same 10x8 result.
const std::vector<double> kStrided10x8 = {
    0, 0, 1,  1, 3,  2, 2, 0,  0, 0, 1,  1, 3,  2, 2, 0,  0, 0, 1,  1, 3,  2, 2, 0,  3, 3, 7, 4, 9, 5, 5, 0,
    3, 3, 7,  4, 9,  5, 5, 0,  3, 3, 7,  4, 9,  5, 5, 0,  6, 6, 13, 7, 15, 8, 8, 0,  6, 6, 13, 7, 15, 8, 8, 0,
    6, 6, 13, 7, 15, 8, 8, 0,  0, 0, 0,  0, 0,  0, 0, 0};

Problem strided_3x2() {
  Problem p = base(1, 2, 3);
  p.stride_h = 3, p.stride_w = 2;
  return p;
}

TEST(OnnxConvTranspose, OutputShape) {
  // test_convtranspose_output_shape: output_shape (10, 8). total = s*(in-1) + k - out =
  // (6 + 3 - 10, 4 + 3 - 8) = (-1, -1); NOTSET puts begin = total - floor(total/2) = 0 and
  // end = floor(total/2) = -1: the output grows by one row and one column at the end.
  Problem p = strided_3x2();
  p.crop_bottom = -1, p.crop_right = -1;
  expect_onnx_output(p, iota(9), std::vector<double>(18, 1), {1, 2, 10, 8}, concat(kStrided10x8, kStrided10x8));
}

TEST(OnnxConvTranspose, OutputPadding) {
  // test_convtranspose_pad: output_padding (1, 1) extends the end: crop_end = 0 - 1.
  Problem p = strided_3x2();
  p.crop_bottom = -1, p.crop_right = -1;
  expect_onnx_output(p, iota(9), std::vector<double>(18, 1), {1, 2, 10, 8}, concat(kStrided10x8, kStrided10x8));
}

TEST(OnnxConvTranspose, KernelShapeWithOutputShapeAndOutputPadding) {
  // test_convtranspose_kernel_shape: output_shape (10, 8), output_padding (1, 1), kernel_shape
  // (3, 3). total = s*(in-1) + op + k - out = (6+1+3-10, 4+1+3-8) = (0, 0): no pads; the
  // output_padding still extends the end, so crop_end = 0 - 1.
  Problem p = strided_3x2();
  p.crop_bottom = -1, p.crop_right = -1;
  expect_onnx_output(p, iota(9), std::vector<double>(18, 1), {1, 2, 10, 8}, concat(kStrided10x8, kStrided10x8));
}

TEST(OnnxConvTranspose, Pads) {
  // test_convtranspose_pads: strides (3, 2), pads [top, left, bottom, right] = [1, 2, 1, 2].
  Problem p = strided_3x2();
  p.crop_top = 1, p.crop_left = 2, p.crop_bottom = 1, p.crop_right = 2;
  const std::vector<double> channel = {1, 1, 3, 1, 1, 3, 7, 4, 9, 7, 4, 9, 7, 4, 9, 13, 7, 15, 13, 7, 15};
  expect_onnx_output(p, iota(9), std::vector<double>(18, 1), {1, 2, 7, 3}, concat(channel, channel));
}

TEST(OnnxConvTranspose, Dilations) {
  // test_convtranspose_dilations: 2x2 kernel, dilations (2, 2), no pads.
  Problem p = base(1, 1, 2);
  p.dil_h = p.dil_w = 2;
  expect_onnx_output(p, {3, 8, 1, 9, 5, 7, 3, 2, 6}, {7, 2, 1, 9}, {1, 1, 5, 5},
                     {21, 56, 13, 16, 2, 63, 35, 67, 10, 14, 24, 22, 76, 76, 21, 9, 5, 88, 45, 63, 3, 2, 33, 18, 54});
}

TEST(OnnxConvTranspose, AutoPadSameUpper) {
  // test_convtranspose_autopad_same: SAME_UPPER, strides (2, 2): output = in*s = 6;
  // total = s*(in-1) + k - out = 4 + 3 - 6 = 1; SAME_UPPER: begin = floor(total/2) = 0,
  // end = total - begin = 1.
  Problem p = base(1, 2, 3);
  p.stride_h = p.stride_w = 2;
  p.crop_bottom = 1, p.crop_right = 1;
  const std::vector<double> channel = {0, 0, 1, 1, 3,  2, 0, 0, 1, 1, 3,  2, 3, 3, 8,  5, 12, 7,
                                       3, 3, 7, 4, 9, 5, 9, 9, 20, 11, 24, 13, 6, 6, 13, 7, 15, 8};
  expect_onnx_output(p, iota(9), std::vector<double>(18, 1), {1, 2, 6, 6}, concat(channel, channel));
}

// Group 1's channel of test_convtranspose_group_2: x = 9..17 under a 3x3 kernel of ones.
const std::vector<double> kSecondGroup = {9,  19, 30, 21, 11, 21, 44, 69, 48, 25, 36, 75, 117,
                                          81, 42, 27, 56, 87, 60, 31, 15, 31, 48, 33, 17};

TEST(OnnxConvTranspose, Group2) {
  // test_convtranspose_group_2: x (1, 2, 3, 3) = 0..17, W (2, 1, 3, 3) of ones, group 2.
  Problem p = base(2, 2, 3);
  p.groups = 2;
  expect_onnx_output(p, iota(18), std::vector<double>(18, 1), {1, 2, 5, 5}, concat(kBasic, kSecondGroup));
}

TEST(OnnxConvTranspose, Group2Image3) {
  // test_convtranspose_group_2_image_3: batch 3 of channel pairs (0..8, 9..17), (18..26,
  // 9..17), (0..8, 9..17).
  Problem p = base(2, 2, 3);
  p.groups = 2, p.n = 3;
  const std::vector<double> x = concat(concat(iota(18), concat(iota(9, 18), iota(9, 9))), iota(18));
  const std::vector<double> third_block = {18, 37,  57,  39, 20, 39, 80, 123, 84, 43, 63, 129, 198,
                                           135, 69, 45, 92, 141, 96, 49, 24, 49, 75, 51, 26};
  const std::vector<double> y = concat(concat(concat(kBasic, kSecondGroup), concat(third_block, kSecondGroup)),
                                       concat(kBasic, kSecondGroup));
  expect_onnx_output(p, x, std::vector<double>(18, 1), {3, 2, 5, 5}, y);
}

}  // namespace
}  // namespace tconv::crosscheck
