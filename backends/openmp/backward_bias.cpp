// bwd_bias: db[co] = sum of dy over n, h, w. Memory-bound. Sums run in a fixed pattern that
// does not depend on the thread count: NCHW, each plane in runs of 4096 values, each run in
// 32 (8 for planes under 1024 values) interleaved f32 partial sums, the runs and then a
// channel's planes combined in f64; NHWC, f64 partial sums per fixed
// block of pixels, then the blocks in order.
#include <algorithm>
#include <vector>

#include "backends/openmp/columns.h"
#include "backends/openmp/convert.h"
#include "backends/openmp/directions.h"

namespace tconv::openmp {

namespace {

constexpr std::int64_t kRun = 4096, kPixelBlock = 256;

// A run summed in `Lanes` interleaved f32 partial sums (the loop vectorises), each at most
// kRun / Lanes terms long, combined in f64.
template <std::int64_t Lanes, class Load>
double sum_run(const Load& load, std::int64_t begin, std::int64_t count) {
  double total = 0.0;
  for (std::int64_t r0 = 0; r0 < count; r0 += kRun) {
    const std::int64_t n = std::min(kRun, count - r0);
    float lanes[Lanes] = {};
    std::int64_t i = 0;
    for (; i + Lanes <= n; i += Lanes)
      for (std::int64_t j = 0; j < Lanes; ++j) lanes[j] += static_cast<float>(load(begin + r0 + i + j));
    for (std::int64_t j = 0; i + j < n; ++j) lanes[j] += static_cast<float>(load(begin + r0 + i + j));
    for (float v : lanes) total += v;
  }
  return total;
}

// 32 lanes (two AVX-512 registers) hide the adds' latency on long planes; on short ones (the
// 8x8 planes of DCGAN's early layers) zeroing and combining 32 lanes per plane costs more than
// the sum: 8 lanes there measured about 3x faster (dcgan_512_4x4 NCHW bwd_bias). The choice
// depends on the problem only, never on the thread count.
template <class Load>
double sum_plane(const Load& load, std::int64_t begin, std::int64_t count) {
  return count >= 1024 ? sum_run<32>(load, begin, count) : sum_run<8>(load, begin, count);
}

template <class Load>
void sum_channels(const Problem& p, const Load& load, float* db, int threads) {
  const std::int64_t plane = p.h_out() * p.w_out();
  if (p.layout == Layout::NCHW || p.c_out == 1) {  // one channel: NHWC is NCHW
    // Planes (n, co) in memory order (threads stream contiguous ranges), then each channel's
    // planes summed in n order.
    std::vector<double> plane_sum(static_cast<std::size_t>(p.n * p.c_out));
#pragma omp parallel num_threads(threads)
    {
#pragma omp for schedule(static)
      for (std::int64_t i = 0; i < p.n * p.c_out; ++i) plane_sum[static_cast<std::size_t>(i)] = sum_plane(load, i * plane, plane);
#pragma omp for schedule(static)
      for (std::int64_t co = 0; co < p.c_out; ++co) {
        double acc = 0.0;
        for (std::int64_t n = 0; n < p.n; ++n) acc += plane_sum[static_cast<std::size_t>(n * p.c_out + co)];
        db[co] = static_cast<float>(acc);
      }
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
