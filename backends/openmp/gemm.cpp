#include "backends/openmp/gemm.h"

#include <omp.h>

#include <algorithm>
#include <mutex>

#ifdef TCONV_GEMM_DNNL
#include <oneapi/dnnl/dnnl.h>
#endif
#ifdef TCONV_GEMM_OPENBLAS
#include <cblas.h>
extern "C" void openblas_set_num_threads(int);
#endif

namespace tconv::openmp {

std::string_view to_string(GemmProvider p) {
  switch (p) {
    case GemmProvider::dnnl: return "dnnl";
    case GemmProvider::openblas: return "openblas";
    case GemmProvider::portable: return "portable";
  }
  return "?";
}

const std::vector<GemmProvider>& available_gemm_providers() {
  static const std::vector<GemmProvider> providers = [] {
    std::vector<GemmProvider> v;
#ifdef TCONV_GEMM_DNNL
    v.push_back(GemmProvider::dnnl);
#endif
#ifdef TCONV_GEMM_OPENBLAS
    v.push_back(GemmProvider::openblas);
#endif
    v.push_back(GemmProvider::portable);
    return v;
  }();
  return providers;
}

GemmProvider default_gemm_provider() { return available_gemm_providers().front(); }

namespace {

// C = alpha*op(A)*op(B) + beta*C by rows of C, k-blocked so a panel of op(B) stays in L1/L2.
// Only a fallback: correct for every argument, a few GFLOP/s.
template <class T>
void portable_gemm(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, T alpha,
                   const T* a, std::int64_t lda, const T* b, std::int64_t ldb, T beta, T* c,
                   std::int64_t ldc) {
  std::vector<T> row(static_cast<std::size_t>(n));
  std::vector<T> bt;
  if (tb) {  // make op(B) row-major k x n once
    bt.resize(static_cast<std::size_t>(k * n));
    for (std::int64_t j = 0; j < n; ++j)
      for (std::int64_t p = 0; p < k; ++p) bt[p * n + j] = b[j * ldb + p];
    b = bt.data();
    ldb = n;
  }
  for (std::int64_t i = 0; i < m; ++i) {
    std::fill(row.begin(), row.end(), T(0));
    for (std::int64_t p = 0; p < k; ++p) {
      const T av = ta ? a[p * lda + i] : a[i * lda + p];
      const T* brow = b + p * ldb;
      for (std::int64_t j = 0; j < n; ++j) row[j] += av * brow[j];
    }
    T* crow = c + i * ldc;
    for (std::int64_t j = 0; j < n; ++j) crow[j] = alpha * row[j] + (beta == T(0) ? T(0) : beta * crow[j]);
  }
}

#ifdef TCONV_GEMM_OPENBLAS
// The pthread OpenBLAS would start its own pool under our OpenMP threads and fight them for
// the cores: the backend parallelises over tiles itself, so OpenBLAS gets one thread.
void pin_openblas_to_one_thread() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}
#endif

}  // namespace

void sgemm(GemmProvider provider, bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k,
           float alpha, const float* a, std::int64_t lda, const float* b, std::int64_t ldb,
           float beta, float* c, std::int64_t ldc) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {  // no products: C = beta*C (BLAS semantics, beta 0 overwrites NaN)
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < n; ++j) c[i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
    return;
  }
  switch (provider) {
#ifdef TCONV_GEMM_DNNL
    case GemmProvider::dnnl:
    {
      // dnnl_sgemm is row-major and threads itself over omp_get_max_threads() unless it sits
      // in an *active* parallel region; a team of one is not active, so pin it to the caller.
      const int saved = omp_get_max_threads();
      omp_set_num_threads(1);
      dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      omp_set_num_threads(saved);
      return;
    }
#endif
#ifdef TCONV_GEMM_OPENBLAS
    case GemmProvider::openblas: {
      pin_openblas_to_one_thread();
      cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                  static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), alpha, a,
                  static_cast<int>(lda), b, static_cast<int>(ldb), beta, c, static_cast<int>(ldc));
      return;
    }
#endif
    default:
      portable_gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
      return;
  }
}

bool fast_dgemm_available() {
#ifdef TCONV_GEMM_OPENBLAS
  return true;
#else
  return false;
#endif
}

void dgemm(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, const double* a, std::int64_t lda,
           const double* b, std::int64_t ldb, double beta, double* c, std::int64_t ldc) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    for (std::int64_t i = 0; i < m; ++i)
      for (std::int64_t j = 0; j < n; ++j) c[i * ldc + j] = beta == 0.0 ? 0.0 : beta * c[i * ldc + j];
    return;
  }
#ifdef TCONV_GEMM_OPENBLAS
  pin_openblas_to_one_thread();
  cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
              static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), 1.0, a, static_cast<int>(lda), b,
              static_cast<int>(ldb), beta, c, static_cast<int>(ldc));
#else
  portable_gemm(ta, tb, m, n, k, 1.0, a, lda, b, ldb, beta, c, ldc);
#endif
}

}  // namespace tconv::openmp
