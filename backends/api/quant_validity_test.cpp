// Validity of quantized problems: each rule rejects with its own code and a reason naming
// the value; float problems are untouched by the defaults.
#include <gtest/gtest.h>

#include "backends/api/backend.h"
#include "backends/api/problem.h"

namespace tconv {
namespace {

Problem quantized(DType t = DType::i8) {
  Problem p;
  p.c_in = 4;
  p.c_out = 6;
  p.h_in = p.w_in = 5;
  p.kh = p.kw = 3;
  p.dtype = t;
  return p;
}

TEST(QuantValidity, DefaultsAreValidForEveryDtype) {
  for (DType t : kAllDTypes) EXPECT_TRUE(validate(quantized(t)).ok()) << to_string(t);
  for (DType t : kIntDTypes) EXPECT_TRUE(validate(quantized(t)).ok()) << to_string(t);
}

TEST(QuantValidity, EachRuleHasItsReason) {
  Problem p = quantized();
  p.quant.zp_x = 128;
  Status v = validate(p);
  EXPECT_EQ(invalid_reason(p), InvalidReason::bad_quantization);
  EXPECT_NE(v.message.find("zp_x=128 outside the i8 range [-128, 127]"), std::string::npos) << v.message;
  p = quantized(DType::i16);
  p.quant.zp_y = -40000;
  EXPECT_NE(validate(p).message.find("zp_y=-40000"), std::string::npos);
  p = quantized();
  p.quant.multiplier = 0;
  EXPECT_NE(validate(p).message.find("multiplier=0 must be in [1, 2^31 - 1]"), std::string::npos);
  p.quant.multiplier = std::int64_t{1} << 31;
  EXPECT_EQ(invalid_reason(p), InvalidReason::bad_quantization);
  p = quantized();
  p.quant.shift = 63;
  EXPECT_NE(validate(p).message.find("shift=63"), std::string::npos);
  p = quantized(DType::f32);
  p.quant.zp_x = 1;
  EXPECT_NE(validate(p).message.find("quantization parameters given for float dtype f32"), std::string::npos);
  p = quantized(DType::i32);
  EXPECT_EQ(invalid_reason(p), InvalidReason::bad_dtype);
  // A reduction of 2^40 terms of i16 products could leave int64.
  p = quantized(DType::i16);
  p.c_in = std::int64_t{1} << 26;
  p.kh = p.kw = 1 << 7;
  EXPECT_EQ(invalid_reason(p), InvalidReason::accumulator_overflow) << validate(p).message;
}

TEST(QuantValidity, IntegerDtypesAreFwdOnlyWithInt32Bias) {
  Capabilities caps;
  caps.dtypes = {DType::i8};
  const Problem p = quantized();
  EXPECT_TRUE(check_capabilities(caps, p, Direction::fwd).ok());
  const Status s = check_capabilities(caps, p, Direction::bwd_data);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message.find("dtype i8 is defined for fwd only"), std::string::npos) << s.message;
  EXPECT_EQ(bias_dtype(p), DType::i32);
  EXPECT_EQ(bias_dtype(quantized(DType::f16)), DType::f16);
  // A backend declaring only float dtypes (every built-in but naive) refuses with the dtype.
  const Status f = check_capabilities(Capabilities{}, p, Direction::fwd);
  EXPECT_EQ(f.message, "dtype i8 not supported");
  EXPECT_EQ(default_math(DType::i8).acc_bits, 0);
  EXPECT_EQ(default_math(DType::i8).name, "i32acc");
}

}  // namespace
}  // namespace tconv
