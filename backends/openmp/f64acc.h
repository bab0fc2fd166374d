// The f64-accumulation variant of the openmp backend (`openmp:f64acc`, README.md): the same
// im2col/col2im + GEMM structure in f64 on the stored input values (f32, f16, bf16 widened
// exactly; f64 as is), every product and sum in f64 (DGEMM), one rounding to the output type.
// Every decomposition (tasks, bands, reduction chunks) depends on the problem only and every
// DGEMM call runs on one thread, so results are bitwise identical for any thread count.
// Meant as a fast reference: it agrees with the oracle to about 1e-15 x S per element
// (tested to 1e-12 x S), but sums in another order, so not bitwise.
#pragma once

#include <vector>

#include "backends/api/backend.h"
#include "backends/openmp/workspace.h"

namespace tconv::openmp {

// The dtypes f64acc reads: the float ones (integer problems are the oracle's alone).
bool f64acc_supports(DType t);

// The declared arithmetic: f64 accumulation, products exact for f32/f16/bf16 inputs (one f64
// rounding each for f64 inputs), one rounding to the output type.
MathMode f64acc_math(const Problem& p);

// The f64 copies of the operands and of the result, kept by the backend instance between
// runs (no page faults per call, like Workspace).
struct F64Operands {
  std::vector<double> in0, in1, bias, out;
  bool magnitudes = false;  // sum |a_k * b_k| instead (the inputs' magnitudes are loaded)
};

// One direction on checked operands. `ws` holds the columns and packed reduction operands.
Status f64acc_run(const Problem& p, Direction d, const Operands& ops, int threads, Workspace& ws, F64Operands& f);

// The same sums, left unrounded in f.out (logical C order, its first elements: as many as
// the direction's output has); `ops` needs no output tensor (the fast reference's use).
void f64acc_sums(const Problem& p, Direction d, const Operands& ops, int threads, Workspace& ws, F64Operands& f);

}  // namespace tconv::openmp
