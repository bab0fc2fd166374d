#include "tools/bench/machine_peak.h"

#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <vector>

namespace tconv::bench {

namespace {

template <class F>
double best_seconds(int runs, F&& f) {
  f();  // warm-up: page faults, JIT
  double best = 1e30;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

// Twelve independent chains: more than FMA latency x issue width on current x86 cores, so
// the loop runs at the FMA ports' throughput. Returns the flops done; `sink` keeps the sums.
constexpr int kChains = 12;
constexpr long kFmaSteps = 1L << 22;

__attribute__((target("avx512f"))) double fma_chains_avx512(float* sink) {
  __m512 acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = _mm512_set1_ps(static_cast<float>(i));
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long s = 0; s < kFmaSteps; ++s)
    for (int i = 0; i < kChains; ++i) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  for (int i = 1; i < kChains; ++i) acc[0] = _mm512_add_ps(acc[0], acc[i]);
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, acc[0]);
  *sink = lanes[0] + lanes[15];
  return 2.0 * 16 * kChains * static_cast<double>(kFmaSteps);
}

__attribute__((target("avx2,fma"))) double fma_chains_avx2(float* sink) {
  __m256 acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = _mm256_set1_ps(static_cast<float>(i));
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (long s = 0; s < kFmaSteps; ++s)
    for (int i = 0; i < kChains; ++i) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  for (int i = 1; i < kChains; ++i) acc[0] = _mm256_add_ps(acc[0], acc[i]);
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, acc[0]);
  *sink = lanes[0] + lanes[7];
  return 2.0 * 8 * kChains * static_cast<double>(kFmaSteps);
}

double fma_chains_scalar(float* sink) {
  float acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = static_cast<float>(i);
  for (long s = 0; s < kFmaSteps / 16; ++s)
    for (int i = 0; i < kChains; ++i) acc[i] = __builtin_fmaf(acc[i], 0.999999f, 1e-7f);
  *sink = acc[0] + acc[kChains - 1];
  return 2.0 * kChains * static_cast<double>(kFmaSteps / 16);
}

double fma_chains(float* sink) {
  if (__builtin_cpu_supports("avx512f")) return fma_chains_avx512(sink);
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return fma_chains_avx2(sink);
  return fma_chains_scalar(sink);
}

}  // namespace

double measure_fma_gflops(int threads) {
  std::vector<float> sinks(static_cast<std::size_t>(threads));
  double flops_per_call = 0;
  const double s = best_seconds(5, [&] {
    double flops = 0;
#pragma omp parallel num_threads(threads) reduction(+ : flops)
    flops = fma_chains(&sinks[static_cast<std::size_t>(omp_get_thread_num())]);
    flops_per_call = flops;
  });
  return flops_per_call / s * 1e-9;
}

namespace {

// Best rate of one m x n x k GEMM split by columns over the threads; `gemm(n0, n1, a, b, c)`
// computes columns [n0, n1) of C on the calling thread.
template <class T, class Gemm>
double measure_gemm_gflops(int threads, long m, long n, long k, Gemm&& gemm) {
  std::vector<T> a(static_cast<std::size_t>(m * k), T(0.5)), b(static_cast<std::size_t>(k * n), T(0.25)),
      c(static_cast<std::size_t>(m * n));
  const double s = best_seconds(10, [&] {
#pragma omp parallel num_threads(threads)
    {
      const long t = omp_get_thread_num(), nt = omp_get_num_threads();
      gemm(n * t / nt, n * (t + 1) / nt, a.data(), b.data(), c.data());
    }
  });
  return 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k) / s * 1e-9;
}

}  // namespace

double measure_sgemm_gflops(openmp::GemmProvider provider, int threads, long m, long n, long k) {
  return measure_gemm_gflops<float>(threads, m, n, k, [&](long n0, long n1, const float* a, const float* b, float* c) {
    openmp::sgemm(provider, false, false, m, n1 - n0, k, 1.0f, a, k, b + n0, n, 0.0f, c + n0, n);
  });
}

double measure_dgemm_gflops(int threads, long m, long n, long k) {
  return measure_gemm_gflops<double>(threads, m, n, k, [&](long n0, long n1, const double* a, const double* b, double* c) {
    openmp::dgemm(false, false, m, n1 - n0, k, a, k, b + n0, n, 0.0, c + n0, n);
  });
}

double measure_copy_gbps(int threads) {
  const std::size_t count = (std::size_t{256} << 20) / sizeof(float);
  std::vector<float> src(count, 1.0f), dst(count, 0.0f);
  const double s = best_seconds(5, [&] {
#pragma omp parallel num_threads(threads)
    {
      const std::size_t t = static_cast<std::size_t>(omp_get_thread_num()), nt = static_cast<std::size_t>(omp_get_num_threads());
      const std::size_t i0 = count * t / nt, i1 = count * (t + 1) / nt;
      std::memcpy(dst.data() + i0, src.data() + i0, (i1 - i0) * sizeof(float));
    }
  });
  return 2.0 * static_cast<double>(count * sizeof(float)) / s * 1e-9;
}

}  // namespace tconv::bench
