#include "backends/cudnn/errors.h"

namespace tconv::cudnn {

namespace {
bool has(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }
}  // namespace

StatusCode status_code_for(std::string_view name) {
  if (has(name, "NOT_SUPPORTED")) return StatusCode::unsupported;
  if (has(name, "ALLOC_FAILED") || name == "cudaErrorMemoryAllocation") return StatusCode::out_of_memory;
  if (name == "cudaErrorNoDevice" || name == "cudaErrorInsufficientDriver" || name == "CUDNN_STATUS_ARCH_MISMATCH" ||
      name == "cudaErrorNotSupported" || has(name, "NOT_INITIALIZED"))
    return StatusCode::no_device;
  return StatusCode::error;
}

std::string likely_cause(std::string_view name, const ConvPlan* plan) {
  if (plan != nullptr) {
    const std::string bad = inconsistency(*plan);
    if (!bad.empty()) return bad;
  }
  if (has(name, "BAD_PARAM"))
    return "cuDNN rejected a descriptor value or pointer although the sizes are consistent: check the data type / "
           "compute type pair (f16 and bf16 need compute type float) and null pointers";
  if (has(name, "NOT_SUPPORTED"))
    return "this algorithm (or the legacy API) does not implement this combination of data type, layout, stride, "
           "dilation and groups on this GPU: another algo variant or the default heuristics may";
  if (has(name, "ALLOC_FAILED") || name == "cudaErrorMemoryAllocation")
    return "device memory exhausted: lower the workspace limit or the problem size";
  if (has(name, "EXECUTION_FAILED") || has(name, "Illegal") || has(name, "Launch"))
    return "a kernel failed on the device: rerun under compute-sanitizer to find the access";
  if (has(name, "ARCH_MISMATCH")) return "this cuDNN build does not support the GPU's compute capability";
  if (has(name, "NOT_INITIALIZED") || name == "cudaErrorNoDevice" || name == "cudaErrorInsufficientDriver")
    return "no usable GPU or driver: cuDNN could not create its context";
  if (has(name, "VERSION_MISMATCH") || has(name, "SUBLIBRARY"))
    return "the cuDNN libraries loaded at run time differ from the headers this build used";
  return "unexpected library status";
}

Status failure_status(const Failure& f) {
  std::string m = f.status_name + " from " + f.call + " at " + f.file + ":" + std::to_string(f.line) + ": " +
                  likely_cause(f.status_name, f.plan);
  if (f.plan != nullptr) m += "; descriptors: " + describe(*f.plan);
  return Status::Error(status_code_for(f.status_name), std::move(m));
}

}  // namespace tconv::cudnn
