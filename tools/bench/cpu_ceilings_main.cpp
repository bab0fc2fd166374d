// tconv_cpu_ceilings [--threads N]: this machine's measured CPU ceilings, printed in the
// format `tconv run --ceilings FILE` reads (conformance/results/ceilings.h), so a --perf
// run's report shows each CPU row as a fraction of them:
//   tconv_cpu_ceilings > cpu.txt && tconv run cases/models.yaml --perf --ceilings cpu.txt
#include <omp.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tools/bench/machine_peak.h"

int main(int argc, char** argv) {
  int threads = omp_get_max_threads();
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: tconv_cpu_ceilings [--threads N]   (default: OpenMP's thread count)\n");
      return 2;
    }
  }
  if (threads < 1) {
    std::fprintf(stderr, "tconv_cpu_ceilings: --threads must be at least 1\n");
    return 2;
  }
  using namespace tconv;
  const openmp::GemmProvider gemm = openmp::default_gemm_provider();
  std::printf("# tconv_cpu_ceilings, %d threads: gemm_f32 = best 2048^3 sgemm (%s, split over the threads);\n",
              threads, std::string(openmp::to_string(gemm)).c_str());
  std::printf("# fma_f32 = register-only FMA chains; gemm_f64 = the same 2048^3 with openmp::dgemm (OpenBLAS);\n");
  std::printf("# copy_bandwidth = parallel memcpy of 256 MiB\n");
  std::printf("device cpu -\n");
  std::printf("gemm_f32 %.1f GFLOP/s\n", bench::measure_sgemm_gflops(gemm, threads));
  std::printf("fma_f32 %.1f GFLOP/s\n", bench::measure_fma_gflops(threads));
  // f64 rows (the oracle, openmp:f64acc) against the f64 GEMM they could at best run on.
  if (openmp::fast_dgemm_available()) std::printf("gemm_f64 %.1f GFLOP/s\n", bench::measure_dgemm_gflops(threads));
  std::printf("copy_bandwidth %.1f GB/s\n", bench::measure_copy_gbps(threads));
  return 0;
}
