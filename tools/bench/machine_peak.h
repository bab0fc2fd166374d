// This machine's measured ceilings, so results read as fractions: f32 FMA throughput from a
// large sgemm split over all threads and from register-only FMA chains, and copy bandwidth from a parallel memcpy of buffers
// far larger than the caches. Measured, never typed in.
#pragma once

#include "backends/openmp/gemm.h"

namespace tconv::bench {

// Best of ten runs of a 2048^3 sgemm (the given provider, one column block per thread).
double measure_sgemm_gflops(openmp::GemmProvider provider, int threads, long m = 2048, long n = 2048, long k = 2048);
// The same for the f64 GEMM behind the openmp backend's f64acc variant (openmp::dgemm: OpenBLAS
// where built with it, else the portable loop).
double measure_dgemm_gflops(int threads, long m = 2048, long n = 2048, long k = 2048);
// The cores' own f32 FMA ceiling: every thread runs independent vector FMA chains on
// registers (AVX-512, else AVX2+FMA, else scalar), no memory traffic. What no kernel can pass;
// a GEMM or a convolution above the sgemm figure is still below this one.
double measure_fma_gflops(int threads);
// Best of a few parallel copies of 256 MiB: bytes read + written per second, in GB/s.
double measure_copy_gbps(int threads);

}  // namespace tconv::bench
