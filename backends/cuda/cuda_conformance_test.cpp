// The abstract conformance suite over every cuda variant. Without a GPU every case skips with
// query_devices()'s reason.
#include "backends/cuda/cuda_backend.h"
#include "backends/cuda/device_context.h"
#include "backends/testing/backend_conformance.h"
#include "backends/testing/skip_without_gpu.h"

TCONV_BACKEND_CONFORMANCE(Cuda, tconv::test_support::skip_without_gpu(tconv::cuda::cuda_backend_factory(),
                                                                 [] { return tconv::cuda::no_gpu_reason(); }));
