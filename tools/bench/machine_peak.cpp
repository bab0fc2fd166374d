#include "tools/bench/machine_peak.h"

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

}  // namespace

double measure_sgemm_gflops(openmp::GemmProvider provider, int threads, long m, long n, long k) {
  std::vector<float> a(static_cast<std::size_t>(m * k), 0.5f), b(static_cast<std::size_t>(k * n), 0.25f),
      c(static_cast<std::size_t>(m * n));
  const double s = best_seconds(10, [&] {
#pragma omp parallel num_threads(threads)
    {
      const long t = omp_get_thread_num(), nt = omp_get_num_threads();
      const long n0 = n * t / nt, n1 = n * (t + 1) / nt;
      openmp::sgemm(provider, false, false, m, n1 - n0, k, 1.0f, a.data(), k, b.data() + n0, n, 0.0f, c.data() + n0, n);
    }
  });
  return 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k) / s * 1e-9;
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
