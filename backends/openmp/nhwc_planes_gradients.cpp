// bwd_data and bwd_weights of NHWC problems with one output channel (FSRCNN's last layer):
// dy is then one plane per image, the same memory in NHWC and NCHW, and IHWO weights are the
// same memory as IOHW. The NHWC paths would build pixel-major columns from one-float channel
// runs and run skinny GEMMs (0.3x oneDNN measured, README.md); the NCHW paths run instead,
// on a transposed copy of x (bwd_weights) or into an NCHW dx transposed at the end
// (bwd_data). The arithmetic is the NCHW path's, so as deterministic as it.
#include <cstring>

#include "backends/openmp/directions.h"
#include "backends/openmp/transpose.h"

namespace tconv::openmp {

namespace {

// The NCHW problem with the same memory for dy and, when they are IHWO, the weights.
Problem as_nchw(const Problem& p) {
  Problem q = p;
  q.layout = Layout::NCHW;
  if (p.weight_layout == Layout::IHWO) q.weight_layout = Layout::IOHW;
  return q;
}

HostTensor same_bytes(const HostTensor& t, Layout layout, std::int64_t groups) {
  HostTensor r(t.dtype(), layout, t.dims(), groups);
  std::memcpy(r.data(), t.data(), t.bytes());
  return r;
}

// [n][a][b] -> [n][b][a] for f32 planes, parallel over images and blocks of a.
void transpose_images(const float* src, float* dst, std::int64_t images, std::int64_t a, std::int64_t b, int threads) {
  constexpr std::int64_t kBlock = 16;
  const std::int64_t blocks = (a + kBlock - 1) / kBlock;
  const bool avx512 = __builtin_cpu_supports("avx512f");
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::int64_t u = 0; u < images * blocks; ++u) {
    const std::int64_t n = u / blocks, a0 = u % blocks * kBlock, a1 = std::min(a, a0 + kBlock);
    const float* s = src + n * a * b;
    float* d = dst + n * a * b;
    if (avx512) {  // measured: the scalar loop was a fifth of fsrcnn_k9s3 NHWC bwd_weights (README.md)
      transpose16_avx512(s + a0 * b, b, a1 - a0, b, d + a0, a);
      continue;
    }
    for (std::int64_t j = 0; j < b; ++j)
      for (std::int64_t i = a0; i < a1; ++i) d[j * a + i] = s[i * b + j];
  }
}

}  // namespace

bool nhwc_gradients_as_planes(const Problem& p, const Options& o) {
  return nhwc_as_planes(p, o) && p.dtype == DType::f32 && !use_depthwise_path(p, o);
}

Status nhwc_planes_gradient(const Problem& p, Direction d, const Operands& ops, const Options& o, Workspace& ws) {
  const Problem q = as_nchw(p);
  const HostTensor dy = same_bytes(*ops.dy, Layout::NCHW, 1);
  const std::int64_t pixels = p.h_in * p.w_in;
  Operands nchw;
  nchw.dy = &dy;
  if (d == Direction::bwd_data) {
    const HostTensor w = same_bytes(*ops.w, q.weight_layout, p.groups);
    HostTensor dx(p.dtype, Layout::NCHW, p.x_dims());
    nchw.w = &w;
    nchw.dx = &dx;
    if (Status s = backward_data(q, nchw, o, ws); !s.ok()) return s;
    transpose_images(dx.as<float>(), ops.dx->as<float>(), p.n, p.c_in, pixels, o.threads);  // [ci][px] -> [px][ci]
    return Status::Ok();
  }
  HostTensor x(p.dtype, Layout::NCHW, p.x_dims()), dw(p.dtype, q.weight_layout, p.w_dims(), p.groups);
  transpose_images(ops.x->as<float>(), x.as<float>(), p.n, pixels, p.c_in, o.threads);  // [px][ci] -> [ci][px]
  nchw.x = &x;
  nchw.dw = &dw;
  if (Status s = backward_weights(q, nchw, o, ws); !s.ok()) return s;
  std::memcpy(ops.dw->data(), dw.data(), dw.bytes());
  return Status::Ok();
}

}  // namespace tconv::openmp
