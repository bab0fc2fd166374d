// A register tile of 16 output elements that receive their terms in the same order: the
// accumulators (sum and |.| sum, 4 + 4 vectors of 4 doubles) stay in registers for the whole
// reduction, so a term costs one multiply and two additions per lane, no loads or stores of
// accumulators. Per lane the operations are those of Element::add (t = a*b; sum += t;
// abs += |t|): IEEE multiply and add, |t| by clearing the sign bit, no fused multiply-add
// (-ffp-contract=off), so each lane is bitwise the definition's sum of that element.
//
// GCC vector extensions: the AVX2 clone of the caller (TCONV_ORACLE_CLONES) uses 256-bit
// registers, the baseline clone pairs of SSE2 registers; both round identically.
#pragma once

#include <cstdint>
#include <cstring>

namespace tconv::oracle {

typedef double V4 __attribute__((vector_size(32)));
typedef double V4u __attribute__((vector_size(32), aligned(8), may_alias));  // unaligned loads / stores
typedef std::int64_t I4 __attribute__((vector_size(32)));

__attribute__((always_inline)) inline V4 load4(const double* p) { return *reinterpret_cast<const V4u*>(p); }
__attribute__((always_inline)) inline void store4(double* p, V4 v) { *reinterpret_cast<V4u*>(p) = v; }
__attribute__((always_inline)) inline V4 abs4(V4 v) {
  const I4 magnitude = {INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX};
  return reinterpret_cast<V4>(reinterpret_cast<I4>(v) & magnitude);
}
__attribute__((always_inline)) inline V4 broadcast4(double a) { return V4{a, a, a, a}; }

// Lanes are 16 elements; a term is a scalar (same for all lanes) times 16 consecutive
// doubles (one per lane), or the other way round; the operand order of the definition's
// product is kept (a*b with a the definition's first factor).
struct Tile16 {
  V4 s0{}, s1{}, s2{}, s3{}, a0{}, a1{}, a2{}, a3{};

  // Term a * b[lane] (the scalar is the first factor).
  __attribute__((always_inline)) inline void scalar_times(double a, const double* b) {
    const V4 av = broadcast4(a);
    add(av * load4(b), av * load4(b + 4), av * load4(b + 8), av * load4(b + 12));
  }
  // Term a[lane] * b (the vector is the first factor).
  __attribute__((always_inline)) inline void times_scalar(const double* a, double b) {
    const V4 bv = broadcast4(b);
    add(load4(a) * bv, load4(a + 4) * bv, load4(a + 8) * bv, load4(a + 12) * bv);
  }
  __attribute__((always_inline)) inline void add(V4 t0, V4 t1, V4 t2, V4 t3) {
    s0 += t0, s1 += t1, s2 += t2, s3 += t3;
    a0 += abs4(t0), a1 += abs4(t1), a2 += abs4(t2), a3 += abs4(t3);
  }
  // The 16 sums and |.| sums, to sum[0..16) and abs[0..16).
  __attribute__((always_inline)) inline void store(double* sum, double* abs) const {
    store4(sum, s0), store4(sum + 4, s1), store4(sum + 8, s2), store4(sum + 12, s3);
    store4(abs, a0), store4(abs + 4, a1), store4(abs + 8, a2), store4(abs + 12, a3);
  }
  __attribute__((always_inline)) inline void load(const double* sum, const double* abs) {
    s0 = load4(sum), s1 = load4(sum + 4), s2 = load4(sum + 8), s3 = load4(sum + 12);
    a0 = load4(abs), a1 = load4(abs + 4), a2 = load4(abs + 8), a3 = load4(abs + 12);
  }
};
inline constexpr std::int64_t kTileLanes = 16;

}  // namespace tconv::oracle
