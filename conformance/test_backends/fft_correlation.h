// A correlation_form.h problem through 2D FFTs in f32: planes zero-padded to powers of two
// N_h x N_w >= the input plane (so the circular correlation does not wrap), forward transforms
// of every input plane and kernel, products with the conjugated kernel spectrum summed over
// input channels, one inverse transform per output plane, subsampled by the stride.
#pragma once

#include <cstdint>
#include <vector>

#include "conformance/test_backends/correlation_form.h"

namespace tconv::testing {

// The transform size N_h * N_w the form needs.
std::int64_t fft_points(const CorrelationForm& f);

std::vector<float> fft_correlation(const CorrelationForm& f);

}  // namespace tconv::testing
