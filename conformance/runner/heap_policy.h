// How this process's heap hands memory back to the system.
#pragma once

namespace tconv {

// Freed memory stays with the process for the next allocation instead of going back to the
// system: a sweep allocates tensors of similar sizes row after row, and with glibc's
// defaults each large one is mapped anew and every page of it faulted in and zeroed by the
// kernel again (measured: a fifth of the runner's time on the default sweep). The cost is a
// peak resident size that does not shrink within a run. Call first thing in main().
void keep_freed_heap_memory();

}  // namespace tconv
