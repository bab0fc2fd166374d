// Winograd minimal filtering F(m x m, 3 x 3) in f32 over a correlation_form.h problem whose
// kernel is 3x3 and stride 1 (Lavin & Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016). m is 2 or 4.
#pragma once

#include <vector>

#include "conformance/test_backends/correlation_form.h"

namespace tconv::testing {

std::vector<float> winograd_correlation(const CorrelationForm& f, int m);

}  // namespace tconv::testing
