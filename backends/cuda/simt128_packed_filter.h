// The filter repacked for phase_simt128's B operand, so that every B quad is one 16-byte copy.
// In the device filter formats B's rows (n) are scattered wherever n is not the filter's
// fastest axis: fwd with NCHW (IOHW: C_out/g steps by kh*kw) and bwd_data in both layouts
// (C_in is IOHW's and IHWO's slowest axis). There each quad was four 4-byte copies, each its
// own 32-byte sector. Packed, every (group, channel a, tap r, s) is one row of n_pad floats,
// n contiguous and the row 16-byte aligned:
//   fwd       a = input channel in the group, n = output channel: [C_in][kh][kw][cog_pad]
//   bwd_data  a = output channel in the group, n = input channel: [g][C_out/g][kh][kw][cig_pad]
// One pass over the filter does it, on the device, inside the timed call (phase_simt128.cu);
// the host emulator packs with the same map. Everything here is __host__ __device__.
#pragma once

#include <type_traits>

#include "backends/cuda/simt128_spec.h"

namespace tconv::cuda::simt128 {

struct PackedFilter {
  ConvGeometry g;
  bool fwd;  // n is the output channel (fwd) or the input channel (bwd_data)

  TCONV_HD i64 a_count() const { return fwd ? g.cig() : g.cog(); }
  TCONV_HD i64 n_count() const { return fwd ? g.cog() : g.cig(); }
  TCONV_HD i64 n_pad() const { return (n_count() + 3) / 4 * 4; }
  TCONV_HD i64 elements() const { return g.groups * a_count() * g.kh * g.kw * n_pad(); }
  // Where the row of (group gi, channel a, tap r, s) starts.
  TCONV_HD i64 row(i64 gi, i64 a, i64 r, i64 s) const { return (((gi * a_count() + a) * g.kh + r) * g.kw + s) * n_pad(); }
  // The device filter element that packed element j holds, or -1 for a pad (written as zero).
  TCONV_HD i64 source(i64 j) const {
    const i64 n = j % n_pad();
    i64 rest = j / n_pad();
    const i64 s = rest % g.kw;
    rest /= g.kw;
    const i64 r = rest % g.kh;
    rest /= g.kh;
    const i64 a = rest % a_count(), gi = rest / a_count();
    if (n >= n_count()) return -1;
    return fwd ? g.w_index(gi * g.cig() + a, n, r, s) : g.w_index(gi * g.cig() + n, a, r, s);
  }
  // Packed element j from the device filter w (the kernel's and the emulator's one step).
  TCONV_HD float packed_value(const float* w, i64 j) const {
    const i64 src = source(j);
    return src >= 0 ? w[src] : 0.f;
  }
};

// The packed row of GEMM column k, through the view's own decode of k.
TCONV_HD i64 packed_row(const mma::PhaseFwdView& v, const PackedFilter& pf, const Part& p, i64 gi, i64 k) {
  i64 c, r, s;
  v.tap(p, k, c, r, s);
  return pf.row(gi, c, r, s);
}
TCONV_HD i64 packed_row(const mma::PhaseBwdDataView& v, const PackedFilter& pf, const Part&, i64 gi, i64 k) {
  i64 o, r, s;
  v.tap(k, o, r, s);
  return pf.row(gi, o, r, s);
}

// PhaseSpec reading B from the packed filter: row term n, column term the packed row of k
// (affine in K's digits, as the K walk needs), both checked against 1 x 1 as before. The
// packing follows from the view (its geometry and direction), so the spec holds nothing more.
template <class View>
struct PackedPhaseSpec : PhaseSpec<View> {
  TCONV_HD PackedFilter filter() const { return {this->v.g, std::is_same_v<View, mma::PhaseFwdView>}; }
  TCONV_HD ATerm b_row(const Seg&, i64, i64 n) const { return {n, 0, 0}; }
  TCONV_HD ATerm b_col(const Seg& s, i64 gi, i64 k) const { return {packed_row(this->v, filter(), s.p, gi, k), 0, 0}; }
  TCONV_HD bool b_row_fastest() const { return true; }
};

template <class View>
PackedPhaseSpec<View> packed_spec(const View& v) {
  return {{v}};
}

// Whether the view's B rows are scattered in the device filter (consecutive n not adjacent),
// so that packing turns its 4-byte copies into 16-byte ones.
template <class View>
bool b_rows_scattered(const View& v) {
  const Part p = v.part(0);
  return v.n_count() > 1 && v.b_row(p, 0, 1) - v.b_row(p, 0, 0) != 1;
}

// Packed elements for direction fwd (else bwd_data) where packing applies: B rows scattered
// and the packed filter below 2^31 elements (32-bit offsets); else 0 (read the device filter).
inline i64 packed_filter_elements(bool fwd, const ConvGeometry& g) {
  const bool scattered = fwd ? b_rows_scattered(mma::PhaseFwdView{g}) : b_rows_scattered(mma::PhaseBwdDataView{g});
  const i64 n = PackedFilter{g, fwd}.elements();
  return scattered && n < (i64{1} << 31) ? n : 0;
}

}  // namespace tconv::cuda::simt128
