// Test support for the host-emulation tests: run an emulated kernel on a problem's inputs the
// way device_run.cpp runs the real one (weights permuted into the device filter format, dw
// permuted back), and compare with the oracle.
#pragma once

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "backends/cuda/bwd_weights_gemm.h"
#include "backends/cuda/device_run.h"
#include "backends/cuda/dispatch.h"
#include "backends/naive/oracle.h"
#include "backends/testing/random_problem.h"
#include "conformance/compare.h"
#include "conformance/fill.h"

namespace tconv::cuda {

// emulate(const ConvGeometry&, const DeviceOperands&) with host pointers; returns the output in
// the problem's own layouts, as run() hands it back.
template <class Emulate>
HostTensor run_emulated(const Problem& p, Direction d, const InputSet& in, Emulate&& emulate) {
  HostTensor permuted;
  const HostTensor& w = weights_for_device(p, in.w, &permuted);
  HostTensor out = make_output(p, d);  // poisoned: an element no thread writes stays NaN
  HostTensor dw_device(p.dtype, device_filter_layout(p.layout), p.w_dims(), p.groups);
  if (d == Direction::bwd_weights) dw_device.poison();
  DeviceOperands ops;
  ops.x = in.x.data(), ops.w = w.data(), ops.dy = in.dy.data();
  ops.b = p.bias ? in.b.data() : nullptr;
  switch (d) {
    case Direction::fwd: ops.y = out.data(); break;
    case Direction::bwd_data: ops.dx = out.data(); break;
    case Direction::bwd_weights: ops.dw = dw_device.data(); break;
    case Direction::bwd_bias: ops.db = out.data(); break;
  }
  emulate(make_geometry(p), ops);
  if (d == Direction::bwd_weights) out = dw_device.to_layout(p.weight_layout);
  return out;
}

// Integer fills make every f32 sum exact: the emulated output must equal the oracle bit for bit.
inline ::testing::AssertionResult equals_oracle_exactly(const Problem& p, Direction d, const InputSet& in,
                                                        const HostTensor& out) {
  const Reference ref = compute_reference(p, d, in.operands());
  const std::vector<double> got = out.logical_values();
  if (got.size() != ref.value.size()) return ::testing::AssertionFailure() << "size differs";
  for (std::size_t i = 0; i < got.size(); ++i)
    if (!(got[i] == ref.value[i]))
      return ::testing::AssertionFailure() << to_string(d) << " \"" << to_repro(p) << "\": logical element " << i
                                           << " is " << got[i] << ", the oracle says " << ref.value[i];
  return ::testing::AssertionSuccess();
}

// A split-K plan of bwd_weights for p: K = N*H_in*W_in in splits of a multiple of `slice`,
// covering K, none empty.
inline ::testing::AssertionResult plan_splits_k(const Problem& p, const WgradPlan& pl, std::int64_t slice) {
  if (pl.k != p.n * p.h_in * p.w_in) return ::testing::AssertionFailure() << "K is " << pl.k;
  if (pl.splits < 1 || pl.k_per_split % slice != 0)
    return ::testing::AssertionFailure() << pl.splits << " splits of " << pl.k_per_split;
  if (pl.splits * pl.k_per_split < pl.k) return ::testing::AssertionFailure() << "K not covered";
  if ((pl.splits - 1) * pl.k_per_split >= pl.k) return ::testing::AssertionFailure() << "an empty split";
  return ::testing::AssertionSuccess();
}

// Random problems from the shared generator, with the requested dtype.
inline Problem random_problem_of(std::mt19937_64& rng, DType t, const crosscheck::RandomProblemLimits& l = {}) {
  Problem p = crosscheck::random_problem(rng, l);
  p.dtype = t;
  return p;
}

}  // namespace tconv::cuda
