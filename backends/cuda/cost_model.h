// The default variant's cost model: a predicted device time per kernel family from the
// problem's work counts and a per-GPU-model calibration table measured on the device
// (calibration.h). The dispatcher runs the family with the least predicted time; no shape rules.
//
//   time_ms = max( launch_us/1e3 + (threads*ns_per_thread/1e6 + work/(gwork_per_s*1e6)) * idle,
//                  bytes_min / (copy_gbps*1e6) )
//   idle    = max(1, resident_threads / threads) for the direct families (1 for the GEMM ones)
//
// `work` is what the family really executes: padded GEMM flops (whole 64x64 tiles and k-steps,
// which is why a GEMM family loses on one output channel) for the GEMM families, useful
// multiply-adds for the direct families; `threads` is the direct families' per-thread
// overhead count (index decoding, tap enumeration); `idle` says that a launch with fewer threads
// than the device holds at once (gather's bwd_bias: 256 per channel) leaves the rest idle, so
// the same work takes proportionally longer. The floor is the measured copy ceiling over each
// operand read once and each output written once. Pure host code.
#pragma once

#include <string>

#include "backends/api/problem.h"
#include "backends/cuda/geometry.h"

namespace tconv::cuda {

enum class Family : std::uint8_t;

// What one family executes for one problem.
struct FamilyWork {
  double threads = 0;  // direct families: threads launched (0 for the GEMM families)
  double work = 0;     // GEMM families: padded flops; direct families: multiply-adds
  double bytes_min = 0;  // each operand read once, each output written once
};

// Useful multiply-adds of a direction (fwd, bwd_data and bwd_weights have the same count:
// only the (input pixel, tap) pairs that land inside the output; bwd_bias: one add per dy
// element).
double useful_macs(Direction d, const ConvGeometry& g);
double minimal_bytes(Direction d, const ConvGeometry& g, DType t);

FamilyWork family_work(Family f, Direction d, const ConvGeometry& g, DType t);

// One calibrated row of the table: a family's coefficients for a direction and a precision
// class ("f32": f32 and f64; "f16": f16 and bf16).
struct Coefficients {
  double launch_us = 0, ns_per_thread = 0, gwork_per_s = 0;  // gwork_per_s 0: no work term
  int fit_rows = 0;    // measured rows the fit used; 0: a labelled default
  std::string source;  // where the numbers came from
};

std::string precision_class(DType t);

// resident_threads: threads the device runs at once (SMs x resident threads per SM); 0: no idle term.
double predict_ms(const Coefficients& c, const FamilyWork& w, double copy_gbps, double resident_threads);

}  // namespace tconv::cuda
