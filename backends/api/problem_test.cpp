// Output size against the framework documentation, validity rules, cost counts.
#include "backends/api/problem.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>

namespace tconv {
namespace {

// PyTorch ConvTranspose2d parameters, mapped to canonical crops as docs/design.md section 2 says:
// pad_begin = padding, pad_end = padding - output_padding.
struct Torch {
  std::int64_t n, c_in, c_out, h, w, kh, kw;
  std::int64_t sh = 1, sw = 1, ph = 0, pw = 0, oph = 0, opw = 0, dh = 1, dw = 1, groups = 1;
};

Problem from_torch(const Torch& t) {
  Problem p;
  p.n = t.n; p.c_in = t.c_in; p.c_out = t.c_out; p.groups = t.groups;
  p.h_in = t.h; p.w_in = t.w; p.kh = t.kh; p.kw = t.kw;
  p.stride_h = t.sh; p.stride_w = t.sw; p.dil_h = t.dh; p.dil_w = t.dw;
  p.crop_top = t.ph; p.crop_bottom = t.ph - t.oph;
  p.crop_left = t.pw; p.crop_right = t.pw - t.opw;
  return p;
}

// The PyTorch documentation's formula, written as the documentation writes it.
std::int64_t torch_doc_out(std::int64_t in, std::int64_t stride, std::int64_t padding,
                           std::int64_t dilation, std::int64_t kernel, std::int64_t output_padding) {
  return (in - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1;
}

TEST(ProblemSize, PyTorchDocExample) {
  // nn.ConvTranspose2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2)) on 20x16x50x100.
  const Problem p = from_torch({.n = 20, .c_in = 16, .c_out = 33, .h = 50, .w = 100, .kh = 3, .kw = 5,
                                .sh = 2, .sw = 1, .ph = 4, .pw = 2});
  ASSERT_TRUE(validate(p).ok()) << validate(p).message;
  EXPECT_EQ(p.y_dims(), (Dims{20, 33, 93, 100}));
}

TEST(ProblemSize, PyTorchDocOutputSizeExample) {
  // The doc's down/up pair: a 12x12 input downsampled (k=3, s=2, p=1) to 6x6; the transposed
  // conv reaches 12x12 only with output_size, i.e. output_padding = 1.
  const Torch base{.n = 1, .c_in = 16, .c_out = 16, .h = 6, .w = 6, .kh = 3, .kw = 3, .sh = 2, .sw = 2, .ph = 1, .pw = 1};
  EXPECT_EQ(from_torch(base).y_dims(), (Dims{1, 16, 11, 11}));
  Torch with_op = base;
  with_op.oph = with_op.opw = 1;
  EXPECT_EQ(from_torch(with_op).y_dims(), (Dims{1, 16, 12, 12}));
}

TEST(ProblemSize, MatchesPyTorchDocFormulaOverASweep) {
  int checked = 0;
  for (std::int64_t in : {1, 2, 5})
    for (std::int64_t k : {1, 2, 3, 4})
      for (std::int64_t s : {1, 2, 3})
        for (std::int64_t d : {1, 2, 3})
          for (std::int64_t pad : {0, 1, 2})
            for (std::int64_t op = 0; op < std::max(s, d); ++op) {
              const Problem p = from_torch({.n = 1, .c_in = 1, .c_out = 1, .h = in, .w = in + 1, .kh = k, .kw = k,
                                            .sh = s, .sw = s, .ph = pad, .pw = 0, .oph = op, .opw = op, .dh = d, .dw = d});
              const std::int64_t want_h = torch_doc_out(in, s, pad, d, k, op);
              const std::int64_t want_w = torch_doc_out(in + 1, s, 0, d, k, op);
              ASSERT_EQ(p.h_out(), want_h) << to_repro(p);
              ASSERT_EQ(p.w_out(), want_w) << to_repro(p);
              ASSERT_EQ(validate(p).ok(), want_h >= 1) << to_repro(p);
              ++checked;
            }
  EXPECT_GT(checked, 500);
}

// ONNX ConvTranspose (onnx/backend/test/case/node/convtranspose.py), one spatial dim at a time.
std::int64_t floor_div2(std::int64_t v) { return v >= 0 ? v / 2 : -((-v + 1) / 2); }

struct Crop { std::int64_t begin, end; };

// With output_shape: total = s*(in-1) + op + k_eff - out; SAME_UPPER puts the smaller half
// at the begin, everything else the larger half.
Crop onnx_crop_for_output_shape(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d,
                                std::int64_t op, std::int64_t out, bool same_upper) {
  const std::int64_t total = s * (in - 1) + op + d * (k - 1) + 1 - out;
  if (same_upper) return {floor_div2(total), total - floor_div2(total)};
  return {total - floor_div2(total), floor_div2(total)};
}

Problem onnx_problem(std::int64_t c_in, std::int64_t c_out, std::int64_t group, std::int64_t in,
                     std::int64_t k, std::int64_t sh, std::int64_t sw) {
  Problem p;
  p.c_in = c_in; p.c_out = c_out; p.groups = group;
  p.h_in = p.w_in = in;
  p.kh = p.kw = k;
  p.stride_h = sh; p.stride_w = sw;
  return p;
}

TEST(ProblemSize, OnnxBasic) {  // test_convtranspose: x 1x1x3x3, W 1x2x3x3 -> 1x2x5x5
  const Problem p = onnx_problem(1, 2, 1, 3, 3, 1, 1);
  EXPECT_EQ(p.y_dims(), (Dims{1, 2, 5, 5}));
}

TEST(ProblemSize, OnnxPads) {  // strides [3,2], pads [1,2,1,2] (begins then ends) -> 1x2x7x3
  Problem p = onnx_problem(1, 2, 1, 3, 3, 3, 2);
  p.crop_top = 1; p.crop_left = 2; p.crop_bottom = 1; p.crop_right = 2;
  EXPECT_EQ(p.y_dims(), (Dims{1, 2, 7, 3}));
}

TEST(ProblemSize, OnnxDilations) {  // x 1x1x3x3, W 1x1x2x2, dilations [2,2] -> 1x1x5x5
  Problem p = onnx_problem(1, 1, 1, 3, 2, 1, 1);
  p.dil_h = p.dil_w = 2;
  EXPECT_EQ(p.y_dims(), (Dims{1, 1, 5, 5}));
}

TEST(ProblemSize, OnnxOutputShapeAndKernelShape) {
  // strides [3,2], output_shape [10,8]: total is -1 in both dims, so the end is extended.
  Problem p = onnx_problem(1, 2, 1, 3, 3, 3, 2);
  const Crop h = onnx_crop_for_output_shape(3, 3, 3, 1, 0, 10, false);
  const Crop w = onnx_crop_for_output_shape(3, 3, 2, 1, 0, 8, false);
  EXPECT_EQ(h.begin, 0); EXPECT_EQ(h.end, -1);
  EXPECT_EQ(w.begin, 0); EXPECT_EQ(w.end, -1);
  p.crop_top = h.begin; p.crop_bottom = h.end; p.crop_left = w.begin; p.crop_right = w.end;
  EXPECT_TRUE(validate(p).ok()) << validate(p).message;
  EXPECT_EQ(p.y_dims(), (Dims{1, 2, 10, 8}));
}

TEST(ProblemSize, OnnxOutputPadding) {  // strides [3,2], output_padding [1,1] -> 1x2x10x8
  Problem p = onnx_problem(1, 2, 1, 3, 3, 3, 2);
  p.crop_bottom = -1; p.crop_right = -1;  // output_padding is added at the end
  EXPECT_EQ(p.y_dims(), (Dims{1, 2, 10, 8}));
}

TEST(ProblemSize, OnnxAutoPadSame) {  // SAME_* means output_shape = in*s: 3x3, s=2 -> 6x6
  for (bool upper : {true, false}) {
    Problem p = onnx_problem(1, 2, 1, 3, 3, 2, 2);
    const Crop c = onnx_crop_for_output_shape(3, 3, 2, 1, 0, 6, upper);
    EXPECT_EQ(c.begin, upper ? 0 : 1);
    EXPECT_EQ(c.end, upper ? 1 : 0);
    p.crop_top = p.crop_left = c.begin;
    p.crop_bottom = p.crop_right = c.end;
    EXPECT_EQ(p.y_dims(), (Dims{1, 2, 6, 6})) << (upper ? "SAME_UPPER" : "SAME_LOWER");
  }
}

TEST(ProblemSize, OnnxGroup) {  // x 1x2x3x3, W 2x1x3x3, group=2 -> 1x2x5x5
  const Problem p = onnx_problem(2, 2, 2, 3, 3, 1, 1);
  ASSERT_TRUE(validate(p).ok()) << validate(p).message;
  EXPECT_EQ(p.y_dims(), (Dims{1, 2, 5, 5}));
  EXPECT_EQ(p.w_dims(), (Dims{2, 1, 3, 3}));
}

TEST(ProblemSize, NegativeCropsExtendTheOutput) {
  Problem p;
  p.h_in = p.w_in = 2;
  p.crop_top = -2; p.crop_bottom = -1; p.crop_left = -3; p.crop_right = 0;
  EXPECT_TRUE(validate(p).ok());
  EXPECT_EQ(p.h_out(), 2 + 3);
  EXPECT_EQ(p.w_out(), 2 + 3);
}

// ---- validity --------------------------------------------------------------------------

struct InvalidCase {
  const char* what;
  void (*mutate)(Problem&);
  InvalidReason code;
  const char* message_part;
};

const InvalidCase kInvalidCases[] = {
    {"n=0", [](Problem& p) { p.n = 0; }, InvalidReason::nonpositive_size, "n=0"},
    {"c_in<0", [](Problem& p) { p.c_in = -2; }, InvalidReason::nonpositive_size, "c_in=-2"},
    {"c_out=0", [](Problem& p) { p.c_out = 0; }, InvalidReason::nonpositive_size, "c_out=0"},
    {"groups=0", [](Problem& p) { p.groups = 0; }, InvalidReason::nonpositive_size, "groups=0"},
    {"h_in=0", [](Problem& p) { p.h_in = 0; }, InvalidReason::nonpositive_size, "h_in=0"},
    {"w_in=0", [](Problem& p) { p.w_in = 0; }, InvalidReason::nonpositive_size, "w_in=0"},
    {"kh=0", [](Problem& p) { p.kh = 0; }, InvalidReason::nonpositive_size, "kh=0"},
    {"kw=0", [](Problem& p) { p.kw = 0; }, InvalidReason::nonpositive_size, "kw=0"},
    {"stride_h=0", [](Problem& p) { p.stride_h = 0; }, InvalidReason::bad_stride, "stride 0x1"},
    {"stride_w<0", [](Problem& p) { p.stride_w = -1; }, InvalidReason::bad_stride, "stride 1x-1"},
    {"dil_h=0", [](Problem& p) { p.dil_h = 0; }, InvalidReason::bad_dilation, "dilation 0x1"},
    {"dil_w=0", [](Problem& p) { p.dil_w = 0; }, InvalidReason::bad_dilation, "dilation 1x0"},
    {"c_in%g", [](Problem& p) { p.c_in = 3; p.c_out = 4; p.groups = 2; }, InvalidReason::c_in_not_divisible, "c_in=3"},
    {"c_out%g", [](Problem& p) { p.c_in = 4; p.c_out = 3; p.groups = 2; }, InvalidReason::c_out_not_divisible, "c_out=3"},
    {"crop eats H", [](Problem& p) { p.kh = 3; p.crop_top = 2; p.crop_bottom = 1; }, InvalidReason::empty_output, "output 0x1"},
    {"crop eats W", [](Problem& p) { p.crop_right = 1; }, InvalidReason::empty_output, "output 1x0"},
    {"layout=IOHW", [](Problem& p) { p.layout = Layout::IOHW; }, InvalidReason::bad_data_layout, "IOHW"},
    {"layout=X", [](Problem& p) { p.layout = Layout::X; }, InvalidReason::bad_data_layout, "layout X"},
    {"wl=NHWC", [](Problem& p) { p.weight_layout = Layout::NHWC; }, InvalidReason::bad_weight_layout, "NHWC"},
    {"wl=X", [](Problem& p) { p.weight_layout = Layout::X; }, InvalidReason::bad_weight_layout, "weight layout X"},
    {"n=2^31", [](Problem& p) { p.n = std::int64_t{1} << 31; }, InvalidReason::index_overflow, "2147483648"},
    {"crop=-2^31", [](Problem& p) { p.crop_top = -(std::int64_t{1} << 31); }, InvalidReason::index_overflow, "-2147483648"},
    {"numel overflow", [](Problem& p) { p.n = p.c_in = p.h_in = std::int64_t{1} << 30; }, InvalidReason::index_overflow, "64-bit"},
    {"flop overflow", [](Problem& p) { p.n = p.c_in = std::int64_t{1} << 21; p.c_out = p.kh = p.kw = std::int64_t{1} << 7; },
     InvalidReason::index_overflow, "64-bit"},
};

TEST(ProblemValidity, EveryRuleRejectsWithItsOwnCode) {
  std::set<InvalidReason> seen;
  for (const InvalidCase& c : kInvalidCases) {
    Problem p;
    ASSERT_TRUE(validate(p).ok());
    c.mutate(p);
    const Status v = validate(p);
    EXPECT_EQ(invalid_reason(p), c.code) << c.what << ": " << v.message;
    EXPECT_FALSE(v.ok()) << c.what;
    EXPECT_NE(v.message.find(c.message_part), std::string::npos) << c.what << ": '" << v.message << "'";
    EXPECT_EQ(v.message.find('\n'), std::string::npos) << c.what;
    seen.insert(invalid_reason(p));
  }
  // Every enumerator but `none` is produced, and their names are distinct.
  const InvalidReason all[] = {InvalidReason::nonpositive_size, InvalidReason::bad_stride,
                               InvalidReason::bad_dilation, InvalidReason::c_in_not_divisible,
                               InvalidReason::c_out_not_divisible, InvalidReason::empty_output,
                               InvalidReason::bad_data_layout, InvalidReason::bad_weight_layout,
                               InvalidReason::index_overflow};
  std::set<std::string_view> names{to_string(InvalidReason::none)};
  for (InvalidReason r : all) {
    EXPECT_TRUE(seen.count(r)) << to_string(r) << " is never produced";
    EXPECT_TRUE(names.insert(to_string(r)).second) << to_string(r);
  }
}

TEST(ProblemValidity, SmallestValidProblemsPass) {
  Problem p;  // 1x1 everything: output 1x1
  EXPECT_TRUE(validate(p).ok());
  p.kh = 3; p.crop_top = 1; p.crop_bottom = 1;  // output exactly 1 row
  EXPECT_EQ(p.h_out(), 1);
  EXPECT_TRUE(validate(p).ok()) << validate(p).message;
  Problem depthwise;
  depthwise.c_in = depthwise.c_out = depthwise.groups = 8;
  EXPECT_TRUE(validate(depthwise).ok());
}

// ---- cost counts -------------------------------------------------------------------------

TEST(ProblemCost, HandComputedFlopsAndBytes) {
  // n=2 ci=4 co=6 g=2 in=3x5 k=2x3 s=2x1: out 6x7, |x| = 120, |y| = 504, |w| = 4*3*2*3 = 72.
  Problem p;
  p.n = 2; p.c_in = 4; p.c_out = 6; p.groups = 2;
  p.h_in = 3; p.w_in = 5; p.kh = 2; p.kw = 3; p.stride_h = 2;
  ASSERT_TRUE(validate(p).ok());
  ASSERT_EQ(p.y_dims(), (Dims{2, 6, 6, 7}));
  EXPECT_EQ(numel_x(p), 120);
  EXPECT_EQ(numel_y(p), 504);
  EXPECT_EQ(numel_w(p), 72);
  // 2 * |x| * (C_out/g) * kH * kW = 2 * 120 * 3 * 6
  for (Direction d : {Direction::fwd, Direction::bwd_data, Direction::bwd_weights})
    EXPECT_EQ(flops(p, d), 4320.0) << to_string(d);
  EXPECT_EQ(flops(p, Direction::bwd_bias), 504.0);
  EXPECT_EQ(bytes_moved(p, Direction::fwd), 4.0 * (120 + 72 + 6 + 504));
  EXPECT_EQ(bytes_moved(p, Direction::bwd_data), 4.0 * (504 + 72 + 120));
  EXPECT_EQ(bytes_moved(p, Direction::bwd_weights), 4.0 * (120 + 504 + 72));
  EXPECT_EQ(bytes_moved(p, Direction::bwd_bias), 4.0 * (504 + 6));
  p.bias = false;
  p.dtype = DType::f16;
  EXPECT_EQ(bytes_moved(p, Direction::fwd), 2.0 * (120 + 72 + 504));
  p.dtype = DType::f64;
  EXPECT_EQ(bytes_moved(p, Direction::bwd_data), 8.0 * (504 + 72 + 120));
}

TEST(ProblemCost, CroppedPixelsStillCountAsFlops) {
  Problem p;
  p.h_in = p.w_in = 4; p.kh = p.kw = 3; p.stride_h = p.stride_w = 2;
  const double uncropped = flops(p, Direction::fwd);
  p.crop_top = p.crop_bottom = p.crop_left = p.crop_right = 1;
  EXPECT_EQ(flops(p, Direction::fwd), uncropped);
  EXPECT_EQ(uncropped, 2.0 * 16 * 9);
}

}  // namespace
}  // namespace tconv
