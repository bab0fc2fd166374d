// Hand-overs between the runner and a supervised worker.
#pragma once

namespace tconv {

// Ends this thread's idle OpenMP threads. After a parallel region they spin for a while
// (libgomp's default waiting policy), which on a machine with few cores takes a core from
// the other process that now has the work: the worker computing a backend call, or the
// runner checking its result. Each side calls this as it hands over; its next parallel region
// starts the threads again (tens of microseconds), and within one side's turn they keep
// spinning between regions, as fast as in one process. No-op inside a parallel region or
// without OpenMP.
void release_idle_openmp_threads();

}  // namespace tconv
