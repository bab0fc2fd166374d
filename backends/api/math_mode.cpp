#include "backends/api/math_mode.h"

#include <cmath>
#include <cstdio>

namespace tconv {

std::string_view to_string(AlgorithmClass c) {
  switch (c) {
    case AlgorithmClass::direct: return "direct";
    case AlgorithmClass::implicit_gemm: return "implicit-gemm";
    case AlgorithmClass::fft: return "fft";
    case AlgorithmClass::winograd: return "winograd";
  }
  return "direct";
}

std::optional<AlgorithmClass> parse_algorithm_class(std::string_view s) {
  for (AlgorithmClass c : {AlgorithmClass::direct, AlgorithmClass::implicit_gemm, AlgorithmClass::fft,
                           AlgorithmClass::winograd})
    if (s == to_string(c)) return c;
  if (s == "implicit_gemm") return AlgorithmClass::implicit_gemm;
  return std::nullopt;
}

MathMode default_math(DType t) {
  if (is_integer(t)) return {"i32acc", 0.0, 0.0, 0};
  if (t == DType::f64) return {"f64", 0x1p-53, 0x1p-53};
  return {std::string(to_string(t)) + (t == DType::f32 ? "" : "/f32acc"), 0x1p-24, 0x1p-24};
}

MathMode tf32_math() {
  MathMode m{"tf32", 0x1p-11, 0x1p-24};
  m.output_roundings = 1;
  return m;
}

MathMode one_rounding_math(DType t, AlgorithmClass c) {
  MathMode m = default_math(t);
  m.output_roundings = 1;
  m.algorithm = c;
  return m;
}

MathMode f64_accumulation_math() {
  MathMode m{"f64acc", 0.0, 0x1p-53};
  m.output_roundings = 1;
  return m;
}

std::string roundoff_name(double u) {
  if (u == 0) return "exact";
  if (u == 0x1p-53) return "f64";
  if (u == 0x1p-24) return "f32";
  if (u == 0x1p-11) return "f16";  // also tf32's inputs: 10 explicit mantissa bits
  if (u == 0x1p-8) return "bf16";
  char buf[32];
  std::snprintf(buf, sizeof buf, "u=%.3g", u);
  return buf;
}

std::string describe(const MathMode& m, DType t) {
  std::string s(to_string(t));
  // Inputs rounded more coarsely than they are stored (TF32 tensor cores).
  if (m.u_mul > unit_roundoff(t) && m.u_mul == 0x1p-11 && t == DType::f32) s += " (tf32 inputs)";
  s += " acc " + roundoff_name(m.u_acc);
  if (m.output_roundings == 0) {
    s += ", roundings undeclared (faithful)";
  } else {
    s += ", " + std::to_string(m.output_roundings) + (m.output_roundings == 1 ? " rounding" : " roundings");
    if (m.separate_bias) s += " (separate bias)";
  }
  if (m.truncating_acc) s += ", tc-trunc";
  if (m.split_k > 1) s += ", split-k " + std::to_string(m.split_k) + " (partials " + roundoff_name(m.u_split) + ")";
  s += ", " + std::string(to_string(m.algorithm));
  if (m.algorithm == AlgorithmClass::winograd && m.winograd_tile > 0)
    s += " tile " + std::to_string(m.winograd_tile);
  if (m.algorithm == AlgorithmClass::fft && m.fft_length > 0) s += " " + std::to_string(m.fft_length) + "-point";
  return s;
}

}  // namespace tconv
