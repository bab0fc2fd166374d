// The abstract conformance suite over every cudnn variant. Without a GPU every case skips with
// query_devices()'s reason.
#include "backends/cudnn/cudnn_backend.h"
#include "backends/cudnn/device_context.h"
#include "backends/testing/backend_conformance.h"
#include "backends/testing/skip_without_gpu.h"

TCONV_BACKEND_CONFORMANCE(Cudnn, tconv::test_support::skip_without_gpu(tconv::cudnn::cudnn_backend_factory(),
                                                                  [] { return tconv::cudnn::no_gpu_reason(); }));
