// One direction of the custom CUDA backend on the GPU: upload (weights permuted on the host
// into the device filter format), the chosen family's kernels between two CUDA events (device
// time of the compute only), download.
#pragma once

#include <vector>

#include "backends/api/backend.h"
#include "backends/cuda/dispatch.h"

namespace tconv::cuda {

// no_device without a GPU (before any allocation). *device_ms: the kernels' event time;
// *workspace_bytes: the scratch the kernels took (split-K partials, bias and depthwise-gradient
// partials, phase_simt128's packed filter; 0 for the other families).
Status run_family_on_device(const Problem& p, Direction d, const Operands& ops, Family f,
                            std::size_t workspace_limit, double* device_ms, std::size_t* workspace_bytes);

// The same with `launches` launches on one upload (benchmarks, repeat checks): *ms gets each
// launch's event time, the output is the last launch's.
Status run_family_on_device(const Problem& p, Direction d, const Operands& ops, Family f,
                            std::size_t workspace_limit, int launches, std::vector<float>* ms,
                            std::size_t* workspace_bytes);

// The weights as the kernels read them: w itself when it is already in the device filter
// format, else a host copy permuted into it (stored in *scratch).
const HostTensor& weights_for_device(const Problem& p, const HostTensor& w, HostTensor* scratch);

}  // namespace tconv::cuda
