#include "conformance/test_backends/fft_correlation.h"

#include <cmath>
#include <complex>
#include <numbers>

namespace tconv::testing {

namespace {

using i64 = std::int64_t;
using Complex = std::complex<float>;

i64 power_of_two_at_least(i64 v) {
  i64 n = 1;
  while (n < v) n *= 2;
  return n;
}

// In-place iterative radix-2 transform of `count` points spaced `step` apart; twiddles are
// computed in double and rounded to f32, as precomputed tables are.
void fft_1d(Complex* data, i64 count, i64 step, bool inverse) {
  for (i64 i = 1, j = 0; i < count; ++i) {  // bit reversal
    i64 bit = count >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(data[i * step], data[j * step]);
  }
  for (i64 len = 2; len <= count; len *= 2) {
    const double angle = (inverse ? 2 : -2) * std::numbers::pi / static_cast<double>(len);
    for (i64 start = 0; start < count; start += len)
      for (i64 k = 0; k < len / 2; ++k) {
        const Complex w(static_cast<float>(std::cos(angle * static_cast<double>(k))),
                        static_cast<float>(std::sin(angle * static_cast<double>(k))));
        Complex& even = data[(start + k) * step];
        Complex& odd = data[(start + k + len / 2) * step];
        const Complex t = w * odd;
        odd = even - t;
        even = even + t;
      }
  }
}

void fft_2d(std::vector<Complex>& plane, i64 rows, i64 cols, bool inverse) {
  for (i64 r = 0; r < rows; ++r) fft_1d(plane.data() + r * cols, cols, 1, inverse);
  for (i64 c = 0; c < cols; ++c) fft_1d(plane.data() + c, rows, cols, inverse);
}

}  // namespace

std::int64_t fft_points(const CorrelationForm& f) { return power_of_two_at_least(f.in_h) * power_of_two_at_least(f.in_w); }

std::vector<float> fft_correlation(const CorrelationForm& f) {
  const i64 rows = power_of_two_at_least(f.in_h), cols = power_of_two_at_least(f.in_w);
  const auto points = static_cast<std::size_t>(rows * cols);
  auto spectrum = [&](auto value, i64 h, i64 w) {
    std::vector<Complex> plane(points);
    for (i64 i = 0; i < h; ++i)
      for (i64 j = 0; j < w; ++j) plane[static_cast<std::size_t>(i * cols + j)] = value(i, j);
    fft_2d(plane, rows, cols, false);
    return plane;
  };
  std::vector<float> out(f.out_size(), 0.0f);
  for (i64 g = 0; g < f.groups; ++g) {
    std::vector<std::vector<Complex>> kernels;  // [o][c]
    for (i64 o = 0; o < f.oc; ++o)
      for (i64 c = 0; c < f.ic; ++c)
        kernels.push_back(spectrum([&](i64 u, i64 v) { return f.tap(g, o, c, u, v); }, f.k_h, f.k_w));
    for (i64 b = 0; b < f.n; ++b) {
      std::vector<std::vector<Complex>> inputs;
      for (i64 c = 0; c < f.ic; ++c)
        inputs.push_back(spectrum([&](i64 i, i64 j) { return f.input(b, g, c, i, j); }, f.in_h, f.in_w));
      for (i64 o = 0; o < f.oc; ++o) {
        // Correlation with a real kernel: IFFT(X * conj(K)).
        std::vector<Complex> acc(points);
        for (i64 c = 0; c < f.ic; ++c) {
          const std::vector<Complex>& k = kernels[static_cast<std::size_t>(o * f.ic + c)];
          const std::vector<Complex>& x = inputs[static_cast<std::size_t>(c)];
          for (std::size_t e = 0; e < points; ++e) acc[e] += x[e] * std::conj(k[e]);
        }
        fft_2d(acc, rows, cols, true);
        const float scale = 1.0f / static_cast<float>(points);
        for (i64 i = 0; i < f.out_h; ++i)
          for (i64 j = 0; j < f.out_w; ++j)
            out[f.out_index(b, g, o, i, j)] =
                acc[static_cast<std::size_t>(i * f.stride_h * cols + j * f.stride_w)].real() * scale;
      }
    }
  }
  return out;
}

}  // namespace tconv::testing
