// What GPUs this machine has, for skipping device tests and for the run environment.
#pragma once

#include <string>
#include <vector>

#include "backends/api/status.h"

namespace tconv::cuda {

struct GpuInfo {
  int index = 0;
  std::string name;
  int cc_major = 0, cc_minor = 0;
  double memory_gib = 0;
};

struct DeviceReport {
  std::vector<GpuInfo> gpus;
  int driver_version = 0;   // e.g. 13000; 0 when no driver is installed
  int runtime_version = 0;  // the CUDA runtime this build links
  std::string why_none;     // set when gpus is empty: the CUDA error, in words
};

DeviceReport query_devices();

// "" when this machine has a usable GPU, else why not ("no GPU: <CUDA error>"), computed once.
const std::string& no_gpu_reason();

// Runs a trivial kernel on device 0 and reads its result back: ok when a GPU really executes
// code (used by the GPU tests, which skip otherwise).
Status device_smoke_test();

}  // namespace tconv::cuda
