#include "conformance/runner/idle_threads.h"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace tconv {

void release_idle_openmp_threads() {
#ifdef _OPENMP
  if (!omp_in_parallel()) omp_pause_resource_all(omp_pause_soft);
#endif
}

}  // namespace tconv
