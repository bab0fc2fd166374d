// Single-call row-major SGEMM behind one signature, over whichever providers this build has.
// The backend calls it from inside its own OpenMP regions on fixed tiles, so every call is
// single-threaded and its result does not depend on the thread count.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace tconv::openmp {

enum class GemmProvider : std::uint8_t {
  dnnl,      // oneDNN's dnnl_sgemm (AVX-512 JIT): the fastest measured here (README.md)
  openblas,  // cblas_sgemm from OpenBLAS, pinned to one thread per call
  portable,  // plain blocked loops the compiler vectorises: always there, slow
};

std::string_view to_string(GemmProvider p);
// The providers compiled in, fastest first; the first is the default.
const std::vector<GemmProvider>& available_gemm_providers();
GemmProvider default_gemm_provider();

// C[m x n] = alpha * op(A) * op(B) + beta * C, all row-major; op(A) is m x k, op(B) is k x n.
// A is m x k (lda >= k) or, transposed, k x m (lda >= m); likewise B.
void sgemm(GemmProvider provider, bool trans_a, bool trans_b, std::int64_t m, std::int64_t n,
           std::int64_t k, float alpha, const float* a, std::int64_t lda, const float* b,
           std::int64_t ldb, float beta, float* c, std::int64_t ldc);

// C[m x n] = op(A) * op(B) + beta * C in f64 (row-major, as sgemm): OpenBLAS's cblas_dgemm
// on one thread when the build has it, else the portable loop. One call's result depends
// on its arguments only (the f64acc variant relies on that for its determinism).
void dgemm(bool trans_a, bool trans_b, std::int64_t m, std::int64_t n, std::int64_t k, const double* a,
           std::int64_t lda, const double* b, std::int64_t ldb, double beta, double* c, std::int64_t ldc);
bool fast_dgemm_available();  // OpenBLAS behind dgemm (else the portable loop)

}  // namespace tconv::openmp
