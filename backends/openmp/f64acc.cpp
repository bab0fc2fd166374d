#include "backends/openmp/f64acc.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "backends/openmp/f64acc_io.h"
#include "backends/openmp/gemm.h"

namespace tconv::openmp {

namespace {

using i64 = std::int64_t;

// Doubles per column buffer a task works on: 4 MiB, so col2im / the consuming GEMM read them
// from cache. A tiling constant, never derived from the thread count.
constexpr i64 kColumnCap = i64{1} << 19;
// Fewest tasks a decomposition aims for (when the problem has that much work), so both cores
// and a few more have work whatever the thread count.
constexpr i64 kMinTasks = 8;

i64 ceil_div(i64 a, i64 b) { return (a + b - 1) / b; }
i64 floor_div(i64 a, i64 b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// The problem in canonical NCHW / IOHW terms, with the column matrix of one group:
// rows (o, kh, kw) x input pixels (ih, iw).
struct Geometry {
  i64 n, ci, co, groups, cig, cog, h, w, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl;
  explicit Geometry(const Problem& p)
      : n(p.n), ci(p.c_in), co(p.c_out), groups(p.groups), cig(p.c_in / p.groups), cog(p.c_out / p.groups),
        h(p.h_in), w(p.w_in), kh(p.kh), kw(p.kw), oh(p.h_out()), ow(p.w_out()), sh(p.stride_h), sw(p.stride_w),
        dh(p.dil_h), dw(p.dil_w), pt(p.crop_top), pl(p.crop_left) {}
  i64 taps() const { return kh * kw; }
  i64 rows() const { return cog * kh * kw; }  // column rows of one group
  // Input columns iw in [lo, hi) whose tap kw lands inside the output: ow = iw*sw + off.
  void iw_range(i64 b, i64* lo, i64* hi) const {
    const i64 off = b * dw - pl;
    *lo = std::clamp<i64>(floor_div(-off + sw - 1, sw), 0, w);
    *hi = std::clamp<i64>(floor_div(ow - 1 - off, sw) + 1, *lo, w);
  }
};

// Columns of dy for image n, group g, input rows [ih0, ih1): col[(o,a,b)][(ih-ih0)*w + iw] =
// dy[n][g*cog+o][ih*sh - pt + a*dh][iw*sw - pl + b*dw], 0 where that falls outside dy.
void im2col(const Geometry& q, const double* dy, i64 n, i64 g, i64 ih0, i64 ih1, double* col, i64 ld) {
  for (i64 o = 0; o < q.cog; ++o) {
    const double* plane = dy + ((n * q.co + g * q.cog + o) * q.oh) * q.ow;
    for (i64 a = 0; a < q.kh; ++a)
      for (i64 b = 0; b < q.kw; ++b) {
        double* dst = col + ((o * q.kh + a) * q.kw + b) * ld;
        i64 lo, hi;
        q.iw_range(b, &lo, &hi);
        const i64 off = b * q.dw - q.pl;
        for (i64 ih = ih0; ih < ih1; ++ih) {
          double* d = dst + (ih - ih0) * q.w;
          const i64 y = ih * q.sh - q.pt + a * q.dh;
          if (y < 0 || y >= q.oh) {
            std::fill(d, d + q.w, 0.0);
            continue;
          }
          const double* src = plane + y * q.ow + off;
          std::fill(d, d + lo, 0.0);
          for (i64 iw = lo; iw < hi; ++iw) d[iw] = src[iw * q.sw];
          std::fill(d + hi, d + q.w, 0.0);
        }
      }
  }
}

// y planes of channels [o0, o1) of group g, image n += the columns of input rows [ih0, ih1)
// (rows (o - o0, a, b)), taps in (a, b, ih, iw) order.
void col2im_add(const Geometry& q, const double* col, i64 ld, i64 n, i64 g, i64 o0, i64 o1, i64 ih0, i64 ih1,
                double* y) {
  for (i64 o = o0; o < o1; ++o) {
    double* plane = y + ((n * q.co + g * q.cog + o) * q.oh) * q.ow;
    for (i64 a = 0; a < q.kh; ++a)
      for (i64 b = 0; b < q.kw; ++b) {
        const double* src = col + (((o - o0) * q.kh + a) * q.kw + b) * ld;
        i64 lo, hi;
        q.iw_range(b, &lo, &hi);
        const i64 off = b * q.dw - q.pl;
        for (i64 ih = ih0; ih < ih1; ++ih) {
          const i64 yy = ih * q.sh - q.pt + a * q.dh;
          if (yy < 0 || yy >= q.oh) continue;
          double* dst = plane + yy * q.ow + off;
          const double* s = src + (ih - ih0) * q.w;
          for (i64 iw = lo; iw < hi; ++iw) dst[iw * q.sw] += s[iw];
        }
      }
  }
}

double* doubles(Workspace& ws, i64 count) { return reinterpret_cast<double*>(ws.floats(static_cast<std::size_t>(2 * count))); }

// t's values (their magnitudes when f.magnitudes) into v, one of f's vectors (grown when too
// small, never shrunk: kept between runs).
const std::vector<double>& logical(const HostTensor& t, int threads, const F64Operands& f, std::vector<double>& v) {
  const auto count = static_cast<std::size_t>(t.numel());
  if (v.size() < count) v.resize(count);
  load_logical_f64(t, v.data(), threads);
  if (f.magnitudes)
    for (std::size_t i = 0; i < count; ++i) v[i] = std::fabs(v[i]);
  return v;
}

// fwd: tasks (image, group, block of output channels); each owns its y planes, runs
// col = W_g[:, block]^T * X_g band by band, scatters the bands in order, then adds the bias.
void forward(const Problem& p, const Operands& ops, int threads, Workspace& ws, F64Operands& f) {
  const Geometry q(p);
  const std::vector<double>&x = logical(*ops.x, threads, f, f.in0), &w = logical(*ops.w, threads, f, f.in1);
  const double* bias = p.bias && ops.b ? logical(*ops.b, threads, f, f.bias).data() : nullptr;
  double* y = f.out.data();
  i64 ob = q.cog;  // output channels per task
  while (ob > 8 && q.n * q.groups * ceil_div(q.cog, ob) < kMinTasks) ob = ceil_div(ob, 2);
  while (ob > 8 && ob * q.taps() * q.h * q.w > kColumnCap) ob = ceil_div(ob, 2);
  const i64 band = std::clamp<i64>(kColumnCap / std::max<i64>(1, ob * q.taps() * q.w), 1, q.h);
  const i64 blocks = ceil_div(q.cog, ob), tasks = q.n * q.groups * blocks;
  const i64 per_thread = ob * q.taps() * band * q.w;
  double* scratch = doubles(ws, per_thread * threads);
  const i64 plane = q.oh * q.ow;
#pragma omp parallel for num_threads(threads) schedule(dynamic)
  for (i64 t = 0; t < tasks; ++t) {
    const i64 n = t / (q.groups * blocks), g = t / blocks % q.groups, o0 = t % blocks * ob;
    const i64 o1 = std::min(q.cog, o0 + ob);
    double* col = scratch + omp_get_thread_num() * per_thread;
    double* first = y + (n * q.co + g * q.cog + o0) * plane;
    std::fill(first, first + (o1 - o0) * plane, 0.0);
    for (i64 ih0 = 0; ih0 < q.h; ih0 += band) {
      const i64 ih1 = std::min(q.h, ih0 + band), ld = (ih1 - ih0) * q.w;
      dgemm(true, false, (o1 - o0) * q.taps(), ld, q.cig, w.data() + g * q.cig * q.rows() + o0 * q.taps(), q.rows(),
            x.data() + ((n * q.ci + g * q.cig) * q.h + ih0) * q.w, q.h * q.w, 0.0, col, ld);
      col2im_add(q, col, ld, n, g, o0, o1, ih0, ih1, y);
    }
    if (bias)
      for (i64 o = o0; o < o1; ++o) {
        const double b = bias[g * q.cog + o];
        double* pl = first + (o - o0) * plane;
        for (i64 i = 0; i < plane; ++i) pl[i] += b;
      }
  }
}

// bwd_data: tasks (image, group, band of input rows): im2col of dy, then dx_g = W_g * col.
void backward_data(const Problem& p, const Operands& ops, int threads, Workspace& ws, F64Operands& f) {
  const Geometry q(p);
  const std::vector<double>&dy = logical(*ops.dy, threads, f, f.in0), &w = logical(*ops.w, threads, f, f.in1);
  double* dx = f.out.data();
  i64 band = std::clamp<i64>(kColumnCap / std::max<i64>(1, q.rows() * q.w), 1, q.h);
  while (band > 1 && q.n * q.groups * ceil_div(q.h, band) < kMinTasks) band = ceil_div(band, 2);
  const i64 bands = ceil_div(q.h, band), tasks = q.n * q.groups * bands;
  const i64 per_thread = q.rows() * band * q.w;
  double* scratch = doubles(ws, per_thread * threads);
#pragma omp parallel for num_threads(threads) schedule(dynamic)
  for (i64 t = 0; t < tasks; ++t) {
    const i64 n = t / (q.groups * bands), g = t / bands % q.groups, ih0 = t % bands * band;
    const i64 ih1 = std::min(q.h, ih0 + band), ld = (ih1 - ih0) * q.w;
    double* col = scratch + omp_get_thread_num() * per_thread;
    im2col(q, dy.data(), n, g, ih0, ih1, col, ld);
    dgemm(false, false, q.cig, ld, q.rows(), w.data() + g * q.cig * q.rows(), q.rows(), col, ld, 0.0,
          dx + ((n * q.ci + g * q.cig) * q.h + ih0) * q.w, q.h * q.w);
  }
}

// bwd_weights: the reduction over (n, ih, iw) in chunks of whole input rows (global row
// n*h + ih), fixed by the problem. Per chunk, all threads pack x_g and the columns of dy
// side by side (K = the chunk's pixels), then all threads run fixed tiles
// dW_g[:, cols] += x_g * col_g[cols]^T. Each element sums its chunks in order.
void backward_weights(const Problem& p, const Operands& ops, int threads, Workspace& ws, F64Operands& f) {
  const Geometry q(p);
  const std::vector<double>&x = logical(*ops.x, threads, f, f.in0), &dy = logical(*ops.dy, threads, f, f.in1);
  double* dw = f.out.data();
  const i64 per_pixel = q.ci + q.co * q.taps();  // packed doubles per pixel, all groups
  const i64 chunk_rows = std::clamp<i64>(4 * kColumnCap / std::max<i64>(1, per_pixel * q.w), 1, q.n * q.h);
  const i64 kc_max = chunk_rows * q.w;
  double* xpack = doubles(ws, per_pixel * kc_max);
  double* colpack = xpack + q.ci * kc_max;
  i64 cb = q.rows();  // dW columns per tile
  while (cb > 32 && q.groups * ceil_div(q.rows(), cb) < kMinTasks) cb = ceil_div(cb, 2);
  const i64 col_blocks = ceil_div(q.rows(), cb), tiles = q.groups * col_blocks;
  std::fill(dw, dw + numel_w(p), 0.0);
  const i64 total_rows = q.n * q.h;
#pragma omp parallel num_threads(threads)
  for (i64 r0 = 0; r0 < total_rows; r0 += chunk_rows) {
    const i64 r1 = std::min(total_rows, r0 + chunk_rows), kc = (r1 - r0) * q.w;
    // Segments: the chunk's rows split at image boundaries, times groups.
    const i64 n0 = r0 / q.h, n1 = (r1 - 1) / q.h + 1, segs = (n1 - n0) * q.groups;
#pragma omp for schedule(dynamic)
    for (i64 s = 0; s < segs; ++s) {
      const i64 n = n0 + s / q.groups, g = s % q.groups;
      const i64 ih0 = std::max(r0, n * q.h) - n * q.h, ih1 = std::min(r1, (n + 1) * q.h) - n * q.h;
      const i64 at = (n * q.h + ih0 - r0) * q.w, len = (ih1 - ih0) * q.w;
      for (i64 c = 0; c < q.cig; ++c) {
        const double* src = x.data() + ((n * q.ci + g * q.cig + c) * q.h + ih0) * q.w;
        std::copy(src, src + len, xpack + (g * q.cig + c) * kc + at);
      }
      im2col(q, dy.data(), n, g, ih0, ih1, colpack + g * q.rows() * kc + at, kc);
    }
#pragma omp for schedule(dynamic)
    for (i64 t = 0; t < tiles; ++t) {
      const i64 g = t / col_blocks, j0 = t % col_blocks * cb, j1 = std::min(q.rows(), j0 + cb);
      dgemm(false, true, q.cig, j1 - j0, kc, xpack + g * q.cig * kc, kc, colpack + (g * q.rows() + j0) * kc, kc, 1.0,
            dw + g * q.cig * q.rows() + j0, q.rows());
    }
  }
}

// bwd_bias: one task per channel, its planes in image order, four interleaved partial sums
// combined in a fixed order.
void backward_bias(const Problem& p, const Operands& ops, int threads, F64Operands& f) {
  const Geometry q(p);
  const std::vector<double>& dy = logical(*ops.dy, threads, f, f.in0);
  double* db = f.out.data();
  const i64 plane = q.oh * q.ow;
  if (q.n * q.co * plane < (i64{1} << 20)) threads = 1;  // as f64acc_io.cpp: a region costs more
#pragma omp parallel for num_threads(threads) schedule(static)
  for (i64 c = 0; c < q.co; ++c) {
    double s[4] = {0, 0, 0, 0};
    for (i64 n = 0; n < q.n; ++n) {
      const double* src = dy.data() + (n * q.co + c) * plane;
      i64 i = 0;
      for (; i + 4 <= plane; i += 4)
        for (int k = 0; k < 4; ++k) s[k] += src[i + k];
      for (; i < plane; ++i) s[i % 4] += src[i];
    }
    db[c] = (s[0] + s[1]) + (s[2] + s[3]);
  }
}

}  // namespace

bool f64acc_supports(DType t) { return t == DType::f32 || t == DType::f16 || t == DType::bf16 || t == DType::f64; }

MathMode f64acc_math(const Problem& p) {
  MathMode m = f64_accumulation_math();
  if (p.dtype == DType::f64) m.u_mul = 0x1p-53;  // a product of two f64 values rounds once
  m.algorithm = AlgorithmClass::implicit_gemm;
  return m;
}

void f64acc_sums(const Problem& p, Direction d, const Operands& ops, int threads, Workspace& ws, F64Operands& f) {
  const Dims dims = p.output_dims(d);
  const auto count = static_cast<std::size_t>(dims[0] * dims[1] * dims[2] * dims[3]);
  if (f.out.size() < count) f.out.resize(count);
  switch (d) {
    case Direction::fwd: forward(p, ops, threads, ws, f); break;
    case Direction::bwd_data: backward_data(p, ops, threads, ws, f); break;
    case Direction::bwd_weights: backward_weights(p, ops, threads, ws, f); break;
    case Direction::bwd_bias: backward_bias(p, ops, threads, f); break;
  }
}

Status f64acc_run(const Problem& p, Direction d, const Operands& ops, int threads, Workspace& ws, F64Operands& f) {
  f64acc_sums(p, d, ops, threads, ws, f);
  store_logical_f64(f.out.data(), *output_of(ops, d), threads);
  return Status::Ok();
}

}  // namespace tconv::openmp
