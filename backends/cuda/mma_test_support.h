// Test support for the implicit-GEMM families: integer-filled operands in the device formats
// (NCHW + IOHW or NHWC + IHWO), the host emulator's result, and the oracle's, compared for
// equality (small integers make every f32 sum exact, and f16/bf16 outputs are then the single
// rounding of the exact value). Host-only.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>

#include "backends/api/backend.h"
#include "backends/api/tensor.h"
#include "backends/cuda/geometry.h"
#include "backends/cuda/mma_emulator.h"
#include "backends/naive/oracle.h"

namespace tconv::cuda::mma {

inline ConvGeometry geometry_of(const Problem& p) {
  return {p.n,        p.c_in,     p.c_out, p.groups, p.h_in,    p.w_in,     p.kh,    p.kw,      p.stride_h,
          p.stride_w, p.dil_h,    p.dil_w, p.crop_top, p.crop_left, p.h_out(), p.w_out(), p.layout == Layout::NHWC};
}

// The weight layout the kernels read for this data layout (the backend permutes others).
inline Problem in_device_formats(Problem p, DType t) {
  p.dtype = t;
  p.weight_layout = p.layout == Layout::NHWC ? Layout::IHWO : Layout::IOHW;
  return p;
}

inline void fill_ints(HostTensor& t, std::mt19937_64& rng, int lo, int hi) {
  std::uniform_int_distribution<int> d(lo, hi);
  for (std::int64_t i = 0; i < t.numel(); ++i) t.set(i, d(rng));
}

// Emulates `run(view, A, B, bias, C)` for one problem and direction (fwd or bwd_data) and
// returns "" when every output element equals the oracle's (rounded once to the dtype),
// else the first mismatch. `emulate(g, A, B, bias, C)` picks the family's view.
template <class Emulate>
std::string check_against_oracle(Problem p, Direction d, DType t, std::mt19937_64& rng, Emulate&& emulate) {
  p = in_device_formats(p, t);
  HostTensor x(t, p.layout, p.x_dims()), w(t, p.weight_layout, p.w_dims()), b(t, Layout::X, p.b_dims());
  HostTensor dy(t, p.layout, p.y_dims());
  fill_ints(x, rng, -3, 3);
  fill_ints(w, rng, -3, 3);
  fill_ints(b, rng, -8, 8);
  fill_ints(dy, rng, -3, 3);
  const bool fwd = d == Direction::fwd;
  HostTensor out(t, p.layout, fwd ? p.y_dims() : p.x_dims());
  out.poison();
  Operands ops;
  ops.w = &w;
  if (fwd) {
    ops.x = &x;
    ops.b = p.bias ? &b : nullptr;
    ops.y = &out;
  } else {
    ops.dy = &dy;
    ops.dx = &out;
  }
  const Reference ref = compute_reference(p, d, ops);
  const ConvGeometry g = geometry_of(p);
  if (fwd)
    emulate(g, x.data(), w.data(), p.bias ? b.data() : nullptr, out.data());
  else
    emulate(g, dy.data(), w.data(), nullptr, out.data());
  std::int64_t flat = 0;
  std::string first;
  for_each_index(out.dims(), [&](const Dims& i) {
    const double want = round_to(ref.value[flat++], t), got = out.at(i);
    if (first.empty() && !(got == want)) {
      std::ostringstream os;
      os << to_repro(p) << " dir=" << to_string(d) << ": at [" << i[0] << "," << i[1] << "," << i[2] << ","
         << i[3] << "] got " << got << " want " << want;
      first = os.str();
    }
  });
  return first;
}

// The separable offsets the kernel uses (row term + column term, mma_views.h) equal the
// direct reference definitions a_at / b_at / c_at for every element of every part and group.
template <class View>
std::string check_separable(const View& v) {
  for (i64 z = 0; z < v.parts(); ++z) {
    const Part p = v.part(z);
    for (i64 gi = 0; gi < v.g.groups; ++gi) {
      for (i64 m = 0; m < p.m; ++m)
        for (i64 k = 0; k < p.k; ++k)
          if (v.a_at(p, gi, m, k) != a_offset(v.a_row(p, gi, m), v.a_col(p, gi, k), v.a_lim_h(), v.a_lim_w()))
            return "A differs at z=" + std::to_string(z) + " m=" + std::to_string(m) + " k=" + std::to_string(k);
      for (i64 k = 0; k < p.k; ++k)
        for (i64 n = 0; n < v.n_count(); ++n)
          if (v.b_at(p, gi, k, n) != b_offset(v.b_row(p, gi, n), v.b_col(p, gi, k)))
            return "B differs at z=" + std::to_string(z) + " k=" + std::to_string(k) + " n=" + std::to_string(n);
      for (i64 m = 0; m < p.m; ++m)
        for (i64 n = 0; n < v.n_count(); ++n)
          if (v.c_at(p, gi, m, n) != v.c_row(p, gi, m) + v.c_col(p, gi, n))
            return "C differs at z=" + std::to_string(z) + " m=" + std::to_string(m) + " n=" + std::to_string(n);
    }
  }
  return {};
}

}  // namespace tconv::cuda::mma
