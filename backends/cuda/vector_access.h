// 4-element vector loads and stores for the memory-bound kernels (depthwise.h, small_cout.h):
// one 16-byte access for f32 (8 bytes for f16 / bf16) where the caller has shown the address is
// a multiple of 4 elements (device buffers are 256-byte aligned). In host emulation the same call
// checks that promise instead: a misaligned vector access poisons the values (NaN), so an
// emulation test against the oracle fails, and VectorStats counts how many accesses were
// vectors, so tests can show the vector path really ran.
#pragma once

#include <cmath>
#include <cstdint>

#include "backends/cuda/geometry.h"

namespace tconv::cuda {

inline constexpr int kVec = 4;

template <class T>
struct alignas(sizeof(T) * kVec) Pack4 {
  T v[kVec];
};

#if !defined(__CUDA_ARCH__)
// Host emulation only: vector and scalar accesses seen (single-threaded tests).
struct VectorStats {
  std::int64_t vector = 0, scalar = 0, misaligned = 0;
};
inline VectorStats& vector_stats() {
  static thread_local VectorStats s;
  return s;
}

// The address itself, as the device sees it: host buffers come from operator new (16-byte
// aligned; device allocations are 256-byte aligned), so a kernel that offsets its base pointer
// is checked as strictly as one that offsets its index. Packs wider than the host's alignment
// (f64's 32 bytes) are checked by the offset's promise as well.
static_assert(__STDCPP_DEFAULT_NEW_ALIGNMENT__ >= 16, "emulation buffers must be 16-byte aligned");
template <class T>
bool vector_aligned(const T* base, std::int64_t offset) {
  constexpr std::size_t pack = sizeof(Pack4<T>), host = __STDCPP_DEFAULT_NEW_ALIGNMENT__;
  const auto address = reinterpret_cast<std::uintptr_t>(base + offset);
  if constexpr (pack > host) return offset % kVec == 0 && address % host == 0;
  return address % pack == 0;
}
#endif

template <class T>
TCONV_HD void load4(const T* base, std::int64_t offset, T (&out)[kVec]) {
#if defined(__CUDA_ARCH__)
  const Pack4<T> p = *reinterpret_cast<const Pack4<T>*>(base + offset);
  for (int e = 0; e < kVec; ++e) out[e] = p.v[e];
#else
  ++vector_stats().vector;
  const bool aligned = vector_aligned(base, offset);
  vector_stats().misaligned += !aligned;
  for (int e = 0; e < kVec; ++e) out[e] = aligned ? base[offset + e] : static_cast<T>(NAN);
#endif
}

template <class T>
TCONV_HD void store4(T* base, std::int64_t offset, const T (&in)[kVec]) {
#if defined(__CUDA_ARCH__)
  Pack4<T> p;
  for (int e = 0; e < kVec; ++e) p.v[e] = in[e];
  *reinterpret_cast<Pack4<T>*>(base + offset) = p;
#else
  ++vector_stats().vector;
  const bool aligned = vector_aligned(base, offset);
  vector_stats().misaligned += !aligned;
  for (int e = 0; e < kVec; ++e) base[offset + e] = aligned ? in[e] : static_cast<T>(NAN);
#endif
}

// `count` (<= 4) consecutive elements from `offset`: one vector store when all four exist and
// the offset is aligned, else element by element.
template <class T>
TCONV_HD void store_run(T* base, std::int64_t offset, int count, const T (&in)[kVec]) {
  if (count == kVec && offset % kVec == 0) {
    store4(base, offset, in);
    return;
  }
#if !defined(__CUDA_ARCH__)
  vector_stats().scalar += count;
#endif
  for (int e = 0; e < kVec; ++e)  // constant bound: `in` stays in registers
    if (e < count) base[offset + e] = in[e];
}

}  // namespace tconv::cuda
