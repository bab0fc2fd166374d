#include "conformance/runner/heap_policy.h"

#include <malloc.h>

namespace tconv {

void keep_freed_heap_memory() {
#if defined(__GLIBC__)
  // Allocations up to the largest threshold glibc takes (32 MiB on 64-bit) come from the
  // heap, and its top is not trimmed below 1 GiB of free memory.
  ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

}  // namespace tconv
