// One-element references and outputs for the comparison tests.
#pragma once

#include "backends/naive/oracle.h"

namespace tconv::testing {

// A one-element reference: `terms` products summing to `value` with sum |a*b| = abs_sum.
inline Reference scalar_reference(double value, double abs_sum, std::int32_t terms) {
  Reference r;
  r.dims = {1, 1, 1, 1};
  r.value = {value};
  r.abs_sum = {abs_sum};
  r.terms = {terms};
  return r;
}

inline HostTensor scalar(DType t, double v) {
  HostTensor out(t, Layout::NCHW, {1, 1, 1, 1});
  out.put({0, 0, 0, 0}, v);
  return out;
}

}  // namespace tconv::testing
