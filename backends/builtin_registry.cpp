// The explicit list of built-in backends. Adding a backend: one folder, one CMake option,
// one line here (backends/README.md).
#include "backends/api/registry.h"
#include "backends/naive/naive_backend.h"
#ifdef TCONV_WITH_OPENMP
#include "backends/openmp/openmp_backend.h"
#endif
#ifdef TCONV_WITH_ONEDNN
#include "backends/onednn/onednn_backend.h"
#endif
#ifdef TCONV_WITH_CUDNN
#include "backends/cudnn/cudnn_backend.h"
#endif
#ifdef TCONV_WITH_CUDA
#include "backends/cuda/cuda_backend.h"
#endif

namespace tconv {

Registry builtin_registry() {
  Registry r;
  r.add(naive_backend_factory());
#ifdef TCONV_WITH_OPENMP
  r.add(openmp_backend_factory());
#endif
#ifdef TCONV_WITH_ONEDNN
  r.add(onednn_backend_factory());
#endif
#ifdef TCONV_WITH_CUDNN
  r.add(cudnn_backend_factory());
#endif
#ifdef TCONV_WITH_CUDA
  r.add(cuda_backend_factory());
#endif
  return r;
}

}  // namespace tconv
