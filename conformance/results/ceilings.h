// A machine's measured ceilings (GEMM rates per data type, copy bandwidth), read from the file
// a measuring tool wrote (tools/gpu/peak.py on a GPU, tconv_cpu_ceilings on the CPU), so that
// a --perf run can report each timed row as a fraction of what the hardware did, not of a
// datasheet figure. `tconv run --ceilings FILE` records them in results.json.
//
// The file: one "key value unit" line per measurement; '#' starts a comment.
//   device NVIDIA_H200 -        where it was measured: "cpu" for the host, else a GPU
//   gemm_f32 51.2 TFLOP/s       GEMM ceilings (GFLOP/s or TFLOP/s): gemm_f32, gemm_tf32,
//                               gemm_f16, gemm_bf16, gemm_f64
//   fma_f32 234.8 GFLOP/s       register-only FMA chains (the cores' ceiling, CPU)
//   copy_bandwidth 4191.0 GB/s  bytes read + written per second
//   resident_threads 270336 threads
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/api/result.h"

namespace tconv {

struct MeasuredCeilings {
  std::string source;  // the file, as given
  std::string device;  // "cpu" or the GPU's name
  // GEMM ceilings in GFLOP/s by the data type of the rows they serve: "f32", "tf32", "f16",
  // "bf16", "f64".
  std::map<std::string, double> gemm_gflops;
  std::optional<double> fma_gflops, copy_gbps, resident_threads;

  bool host() const { return device == "cpu"; }
};

// Errors name the file, the line and the key.
Result<MeasuredCeilings> read_ceilings(const std::string& path);
Result<MeasuredCeilings> parse_ceilings(const std::string& text, const std::string& source);

nlohmann::ordered_json to_json(const MeasuredCeilings& c);

// results.json's environment "peak_gflops" for the run's backends: each (backend name,
// runs on a device) gets the GEMM ceilings of the file measured where it runs, as
// {"f32": GFLOP/s, ...}; a backend with no such file is left out.
nlohmann::ordered_json peak_gflops_by_backend(const std::vector<MeasuredCeilings>& ceilings,
                                              const std::vector<std::pair<std::string, bool>>& backends);
// environment "peak_gbps": the copy bandwidth of the file measured where each backend runs
// (GB/s), for the rows bound by memory; backends with no such measurement are left out.
nlohmann::ordered_json peak_gbps_by_backend(const std::vector<MeasuredCeilings>& ceilings,
                                            const std::vector<std::pair<std::string, bool>>& backends);

}  // namespace tconv
