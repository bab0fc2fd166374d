// The explicit list of built-in backends. Adding a backend: one folder, one CMake option,
// one line here (backends/README.md).
#include "backends/api/registry.h"
#include "backends/naive/naive_backend.h"

namespace tconv {

Registry builtin_registry() {
  Registry r;
  r.add(naive_backend_factory());
  return r;
}

}  // namespace tconv
