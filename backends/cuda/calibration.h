// The per-GPU-model calibration table of the cost model (cost_model.h): the device's measured
// ceilings and, per (family, direction, precision class), the fitted coefficients. Committed as
// CSV under calibration/ (compiled in), written by the fit (calibration_fit.h) from timings
// measured on that GPU; every row says where its numbers came from. Pure host code.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "backends/api/status.h"
#include "backends/cuda/cost_model.h"

namespace tconv::cuda {

struct Ceiling {
  double value = 0;
  std::string source;
};

struct Calibration {
  std::string gpu;  // model name as the driver reports it, e.g. "NVIDIA H200"
  Ceiling copy_gbps, f32_gemm_tflops, f16_gemm_tflops;
  Ceiling resident_threads;  // SMs x resident threads per SM, as the device reports them
  // (family name, direction, precision class) -> coefficients
  std::map<std::tuple<std::string, std::string, std::string>, Coefficients> rows;

  const Coefficients* find(std::string_view family, Direction d, DType t) const;
};

// CSV: header `entry,direction,precision,value,launch_us,ns_per_thread,gwork_per_s,fit_rows,source`;
// `#` lines are comments. Entries `gpu` (source = the name), `copy_gbps`, `f32_gemm_tflops`,
// `f16_gemm_tflops`, `resident_threads` (their number in `value`) and one row per family (`value` empty).
Result<Calibration> parse_calibration(const std::string& csv);
std::string write_calibration(const Calibration& c, const std::string& comment);

// The compiled-in tables (calibration/*.csv), and the one for a device name: the table whose
// gpu name the device's contains, else the first table (`*exact` false; the --why text says so).
const std::vector<Calibration>& builtin_calibrations();
const Calibration& calibration_for(const std::string& device_name, bool* exact);

}  // namespace tconv::cuda
