// bwd_bias: db[co] = sum of dy over n, h, w. Memory-bound. Sums run in a fixed pattern that
// does not depend on the thread count: NCHW, each channel in runs of 4096 values, each run in
// 32 interleaved f32 partial sums, the runs combined in f64; NHWC, f64 partial sums per fixed
// block of pixels, then the blocks in order.
#include <algorithm>
#include <vector>

#include "backends/openmp/columns.h"
#include "backends/openmp/convert.h"
#include "backends/openmp/directions.h"

namespace tconv::openmp {

namespace {

constexpr std::int64_t kLanes = 32, kRun = 4096, kPixelBlock = 256;

// A run summed in 32 interleaved f32 partial sums (two AVX-512 registers' worth, so the loop
// vectorises), each at most kRun / 32 terms long, combined in f64.
template <class Load>
double sum_run(const Load& load, std::int64_t begin, std::int64_t count) {
  double total = 0.0;
  for (std::int64_t r0 = 0; r0 < count; r0 += kRun) {
    const std::int64_t n = std::min(kRun, count - r0);
    float lanes[kLanes] = {};
    std::int64_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
      for (std::int64_t j = 0; j < kLanes; ++j) lanes[j] += static_cast<float>(load(begin + r0 + i + j));
    for (std::int64_t j = 0; i + j < n; ++j) lanes[j] += static_cast<float>(load(begin + r0 + i + j));
    for (float v : lanes) total += v;
  }
  return total;
}

template <class Load>
void sum_channels(const Problem& p, const Load& load, float* db, int threads) {
  const std::int64_t plane = p.h_out() * p.w_out();
  if (p.layout == Layout::NCHW || p.c_out == 1) {  // one channel: NHWC is NCHW
#pragma omp parallel for schedule(static) num_threads(threads)
    for (std::int64_t co = 0; co < p.c_out; ++co) {
      double acc = 0.0;
      for (std::int64_t n = 0; n < p.n; ++n) acc += sum_run(load, (n * p.c_out + co) * plane, plane);
      db[co] = static_cast<float>(acc);
    }
    return;
  }
  const std::int64_t pixels = p.n * plane, blocks = (pixels + kPixelBlock - 1) / kPixelBlock, ch = p.c_out;
  std::vector<double> partial(static_cast<std::size_t>(blocks * ch));
#pragma omp parallel num_threads(threads)
  {
#pragma omp for schedule(static)
    for (std::int64_t b = 0; b < blocks; ++b) {
      double* acc = partial.data() + b * ch;
      std::fill(acc, acc + ch, 0.0);
      for (std::int64_t px = b * kPixelBlock; px < std::min(pixels, (b + 1) * kPixelBlock); ++px)
        for (std::int64_t c = 0; c < ch; ++c) acc[c] += load(px * ch + c);
    }
#pragma omp for schedule(static)
    for (std::int64_t c = 0; c < ch; ++c) {
      double s = 0.0;
      for (std::int64_t b = 0; b < blocks; ++b) s += partial[static_cast<std::size_t>(b * ch + c)];
      db[c] = static_cast<float>(s);
    }
  }
}

TCONV_VECTOR_CLONES void sum_f32(const Problem& p, const float* v, float* db, int threads) {
  sum_channels(p, [v](std::int64_t i) { return static_cast<double>(v[i]); }, db, threads);
}

}  // namespace

Status backward_bias(const Problem& p, const Operands& ops, const Options& o) {
  std::vector<float> db(static_cast<std::size_t>(p.c_out));
  const void* dy = ops.dy->data();
  switch (p.dtype) {
    case DType::f32: sum_f32(p, static_cast<const float*>(dy), db.data(), o.threads); break;
    case DType::f16: {
      const auto* v = static_cast<const std::uint16_t*>(dy);
      sum_channels(p, [v](std::int64_t i) { return static_cast<double>(half_to_float(v[i])); }, db.data(), o.threads);
      break;
    }
    case DType::bf16: {
      const auto* v = static_cast<const std::uint16_t*>(dy);
      sum_channels(p, [v](std::int64_t i) { return static_cast<double>(bf16_to_float(v[i])); }, db.data(), o.threads);
      break;
    }
    case DType::f64: return Status::Error(StatusCode::unsupported, "openmp: f64 is not supported");
    case DType::i8:
    case DType::i16:
    case DType::i32: break;  // integer dtypes: refused by the capabilities
  }
  store_f32(db.data(), p.dtype, p.c_out, ops.db->data());
  return Status::Ok();
}

}  // namespace tconv::openmp
