// The arithmetic a backend declares; the tolerance follows from it (docs/tolerance.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "backends/api/dtype.h"

namespace tconv {

// How the output is computed. direct and implicit_gemm sum the same products as the
// oracle (in another order): their error is bounded per element. fft and winograd transform
// the operands: their error spreads over the whole output and is judged norm-wise.
enum class AlgorithmClass : std::uint8_t { direct, implicit_gemm, fft, winograd };

std::string_view to_string(AlgorithmClass c);
std::optional<AlgorithmClass> parse_algorithm_class(std::string_view s);

// Unit roundoffs of the multiply inputs and of the accumulator, then how the result reaches
// the output type. Integer problems ignore the float fields: their products are exact and
// acc_bits says how the accumulator behaves (conformance/compare.h turns it into a
// tolerance in output steps).
struct MathMode {
  std::string name = "f32";  // a free label (plugins, external programs); describe() is the row text
  double u_mul = 0x1p-24;
  double u_acc = 0x1p-24;
  int acc_bits = 0;  // integer dtypes: 0 = exact accumulation (bit-exact compare); A > 0 = an
                     // accumulator that keeps A significant bits (each addition may round)

  // Roundings to the output type, the final one included. 0 = not declared: the output is
  // held to faithful rounding (one ulp); 1 = one rounding of the accumulated sum (correct
  // rounding under --strict-rounding); each further one is a declared intermediate below.
  int output_roundings = 0;
  bool separate_bias = false;   // the pre-bias sum is rounded to the output type, then the bias
                                // added and the result rounded again (PyTorch, cuDNN f16/bf16)
  bool truncating_acc = false;  // accumulation truncates instead of rounding (tensor cores)
  int split_k = 0;              // partial sums over slices of the reduction (0 or 1 = none)
  double u_split = 0;           // unit roundoff of the type each partial sum is stored in
  AlgorithmClass algorithm = AlgorithmClass::direct;
  int winograd_tile = 0;        // m of F(m x m, r x r)
  std::int64_t fft_length = 0;  // points of the 2D transform; 0 = derived from the output plane

  bool transforms() const { return algorithm == AlgorithmClass::fft || algorithm == AlgorithmClass::winograd; }
};

// Accumulating in f32 (f64 for f64 data) on inputs stored in `t`: products of stored
// f16/bf16 values are exact in f32, so only the accumulator rounds. One rounding to the
// output type. Integer dtypes: exact accumulation ("i32acc"), bit-exact output.
MathMode default_math(DType t);
MathMode tf32_math();  // inputs rounded to 10 explicit mantissa bits, f32 accumulation, one rounding

// default_math(t) declared: one rounding to the output type, algorithm class c.
MathMode one_rounding_math(DType t, AlgorithmClass c);
// The oracle's arithmetic: f64 accumulation on the stored values, one rounding (naive, and
// test backends computing through the oracle).
MathMode f64_accumulation_math();

// The row's `math` text for data of dtype t, e.g.
// "f16 acc f32, 2 roundings (separate bias), tc-trunc, implicit-gemm".
std::string describe(const MathMode& m, DType t);

// The name of the float type whose unit roundoff is u ("f32", "tf32", ...), or "u=<value>".
std::string roundoff_name(double u);

}  // namespace tconv
