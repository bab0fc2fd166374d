// All rows of one case: its inputs, references and golden outputs are made lazily, once,
// and dropped when the case is done.
#pragma once

#include <functional>

#include "conformance/runner/runner.h"

namespace tconv {

// Calls emit(row) for each row of the case not in options.done; returns false when
// options.stop interrupted it.
// Backends that run supervised (options.eval.isolation) go through `workers`. The time spent
// making the case's references is added to *reference_time where given.
struct ReferenceTime {
  double wall = 0;  // seconds
  double cpu = 0;   // the process's CPU seconds over the same spans (every thread)
};
bool run_case(const Case& c, const std::vector<BackendChoice>& backends, BackendPool& pool, WorkerPool& workers,
              const RunnerOptions& options, const std::function<void(ResultRow)>& emit,
              ReferenceTime* reference_time = nullptr);

// The command that re-runs one row: `tconv repro "..." --backend X`, or for golden cases
// (whose inputs are files) `tconv run SUITE --filter 'name=CASE' ...`.
std::string row_repro(const Case& c, const FillSpec& fill, const BackendChoice& b, Direction d,
                      const RunnerOptions& options);

}  // namespace tconv
