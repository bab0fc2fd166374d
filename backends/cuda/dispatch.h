// Which kernel family runs a problem: the variants of the `cuda` backend, the dispatcher of its
// `default` variant, and the host-side facts every run needs (geometry, device filter format).
// Pure host code: tested without a GPU.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backends/api/problem.h"
#include "backends/cuda/calibration.h"
#include "backends/cuda/kernel_api.h"

namespace tconv::cuda {

enum class Family : std::uint8_t {
  gather,
  phase_gemm,
  k_equals_s,
  bwd_weights_gemm,
  depthwise,
  small_cout,
  bias_reduce,
  depthwise_wgrad,
  phase_tc,       // tensor cores, f16 / bf16 NHWC (phase_tc.h)
  phase_tc_tf32,  // the same for f32 data in TF32: declared math, never chosen by default
  phase_simt128,  // f32 on CUDA cores, 128 x 128 tiles (phase_simt128.h)
  wgrad_simt128,  // bwd_weights on the same kernel, split-K (wgrad_simt128.h)
  phase_wgmma,    // Hopper wgmma, f16 / bf16 NHWC (phase_wgmma.h): asked for by name until measured
  phase_wgmma_ws  // the same, warp-specialised (phase_wgmma_ws.h): asked for by name until measured
};

std::string_view family_name(Family f);

// Every built family, in the variant list's order (also the tie-break order of the dispatcher).
const std::vector<Family>& all_families();

// Whether `default` may choose the family: not where it declares other math than the data
// type's (TF32 for f32 data is asked for by name, `cuda:phase_tc+tf32`), and not the wgmma
// families, which run on compute capability 9.0 only and have never been timed
// (`cuda:phase_wgmma`, `cuda:phase_wgmma_ws`).
bool chosen_by_default(Family f);

// The directions a family has kernels for (its variant's capabilities).
std::vector<Direction> family_directions(Family f);

// Ok when family f runs the problem, else unsupported with its one-line reason (the family's own text).
Status family_refuses(Family f, Direction d, const ConvGeometry& g, DType t);

// A variant of the backend: `default` (the dispatcher) or one family alone.
struct CudaVariant {
  std::string name;
  std::optional<Family> family;  // nullopt: default
};

// "default" first, then every built family, in all_families()'s order.
std::vector<std::string> cuda_variant_names();
Result<CudaVariant> parse_cuda_variant(const std::string& name);

// One family's answer for a problem: its refusal, or its predicted time (cost_model.h).
struct Candidate {
  Family family;
  Status refusal;            // ok: it runs the problem
  double predicted_ms = 0;   // set when it runs the problem
  const Coefficients* coefficients = nullptr;  // the calibration row the prediction used
};

// The family a variant runs the problem with, or the refusal. For `default`: the accepting
// family with the least predicted time under the calibration table (ties: all_families()
// order); `candidates` holds every family's answer and `skipped` the refusals passed over.
struct Choice {
  std::optional<Family> family;
  Status refusal;       // unsupported when family is empty
  std::string skipped;  // "k_equals_s: ...; phase_gemm: ..." (default variant only)
  std::vector<Candidate> candidates;  // default variant only
};
Choice choose_family(const CudaVariant& v, Direction d, const ConvGeometry& g, DType t, const Calibration& cal);
// With the table of this machine's GPU (active_calibration()).
Choice choose_family(const CudaVariant& v, Direction d, const ConvGeometry& g, DType t);

// The table for device 0's model, looked up once; without a GPU (or for a model with no table)
// the first table, and `exact` false.
struct ActiveCalibration {
  const Calibration* table;
  bool exact;
  std::string device;  // "" without a GPU
};
const ActiveCalibration& active_calibration();

// Multi-line text: each family's prediction or refusal, and why the chosen one won.
std::string describe_choice(const Choice& c, const ActiveCalibration& cal);

// The problem in the kernels' terms.
ConvGeometry make_geometry(const Problem& p);

// The filter format the kernels read: IOHW with NCHW data, IHWO with NHWC (geometry.h). Other
// weight layouts are permuted on the host.
Layout device_filter_layout(Layout data_layout);

}  // namespace tconv::cuda
