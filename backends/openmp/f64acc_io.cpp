#include "backends/openmp/f64acc_io.h"

#include <cstdint>

#include "backends/openmp/convert.h"

namespace tconv::openmp {

namespace {

// Calls body(read) with read(offset) -> double for t's dtype, picked once, not per element.
template <class Body>
void with_reader(const HostTensor& t, Body&& body) {
  switch (t.dtype()) {
    case DType::f32: {
      const float* s = t.as<float>();
      body([s](std::int64_t i) { return static_cast<double>(s[i]); });
      return;
    }
    case DType::f64: {
      const double* s = t.as<double>();
      body([s](std::int64_t i) { return s[i]; });
      return;
    }
    case DType::f16: {
      const std::uint16_t* s = t.as<std::uint16_t>();
      body([s](std::int64_t i) { return static_cast<double>(half_to_float(s[i])); });
      return;
    }
    case DType::bf16: {
      const std::uint16_t* s = t.as<std::uint16_t>();
      body([s](std::int64_t i) { return static_cast<double>(bf16_to_float(s[i])); });
      return;
    }
    default:  // integer dtypes are refused before a run; stay total
      body([&t](std::int64_t i) { return t.get(i); });
      return;
  }
}

// The writer: f32 and f64 by a cast (a correctly rounded conversion), f16 / bf16 through
// store_element (rounds f64 to nearest even directly, no double rounding through f32).
template <class Body>
void with_writer(HostTensor& t, Body&& body) {
  switch (t.dtype()) {
    case DType::f32: {
      float* d = t.as<float>();
      body([d](std::int64_t i, double v) { d[i] = static_cast<float>(v); });
      return;
    }
    case DType::f64: {
      double* d = t.as<double>();
      body([d](std::int64_t i, double v) { d[i] = v; });
      return;
    }
    default:
      body([&t](std::int64_t i, double v) { t.set(i, v); });
      return;
  }
}

// Calls f(logical flat index, physical offset) for every element, parallel over dims[0] for
// tensors of 2^20 elements or more: below, a parallel region costs more than it saves on a
// loaded machine (a descheduled team member stalls the barrier for a time slice).
template <class F>
void for_each_element(const HostTensor& t, int threads, F&& f) {
  if (t.numel() < (std::int64_t{1} << 20)) threads = 1;
  const Dims d = t.dims();
  const std::int64_t inner = d[1] * d[2] * d[3];
  const Layout l = t.layout();
  if (l == Layout::NCHW || l == Layout::IOHW || l == Layout::X) {
#pragma omp parallel for num_threads(threads) schedule(static)
    for (std::int64_t a = 0; a < d[0]; ++a)
      for (std::int64_t i = a * inner; i < (a + 1) * inner; ++i) f(i, i);
  } else if (l == Layout::NHWC || l == Layout::IHWO) {  // channels innermost in memory
#pragma omp parallel for num_threads(threads) schedule(static)
    for (std::int64_t a = 0; a < d[0]; ++a)
      for (std::int64_t px = 0; px < d[2] * d[3]; ++px)
        for (std::int64_t b = 0; b < d[1]; ++b) f((a * d[1] + b) * d[2] * d[3] + px, (a * d[2] * d[3] + px) * d[1] + b);
  } else {  // HWOI, OIHW_FLIPPED: the layout's own offset per element
#pragma omp parallel for num_threads(threads) schedule(static)
    for (std::int64_t a = 0; a < d[0]; ++a)
      for (std::int64_t r = 0; r < inner; ++r) {
        const Dims i{a, r / (d[2] * d[3]), r / d[3] % d[2], r % d[3]};
        f(a * inner + r, t.offset(i));
      }
  }
}

}  // namespace

void load_logical_f64(const HostTensor& t, double* dst, int threads) {
  with_reader(t, [&](auto read) { for_each_element(t, threads, [&](std::int64_t li, std::int64_t off) { dst[li] = read(off); }); });
}

void store_logical_f64(const double* src, HostTensor& t, int threads) {
  with_writer(t, [&](auto write) {
    for_each_element(t, threads, [&](std::int64_t li, std::int64_t off) { write(off, src[li]); });
  });
}

}  // namespace tconv::openmp
