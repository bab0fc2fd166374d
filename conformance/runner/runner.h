// The run pipeline: for each case x selected backend x variant x direction, one ResultRow.
//
//   case invalid                      -> INVALID (the suite's reason)
//   backend check() says no           -> UNSUPPORTED (its reason), before allocating anything
//   estimated memory over the budget  -> SKIPPED
//   otherwise: inputs (seeded fill, or golden files) made once per case, the oracle's
//   reference once per case x direction (shared by every backend), the backend run on a
//   poisoned output (isolated or not), compared -> PASSED / INCORRECT / MISTRUSTED, or
//   FAILED / TIMEOUT / CRASHED. An exception anywhere is contained in its row (FAILED).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "backends/api/registry.h"
#include "conformance/case.h"
#include "conformance/results/row.h"
#include "conformance/runner/backend_selection.h"
#include "conformance/runner/evaluate.h"

namespace tconv {

struct RunnerOptions {
  std::vector<Direction> directions;       // empty: each case's own; else only these of them
  std::optional<std::uint64_t> seed;       // replaces every case's fill seed
  EvalOptions eval;                        // perf, isolation, timeout, run context
  int jobs = 1;                            // cases in parallel (forced to 1 in perf mode)
  std::uint64_t max_memory_bytes = 0;      // 0: no budget
  std::set<RowKey> done;                   // --resume: rows already in results.csv
  const std::atomic<bool>* stop = nullptr; // when set: finish the current row, then stop
  std::string suite_path;                  // golden cases' repro is a `tconv run` of the suite
  std::string repro_flags;                 // appended to every repro command (e.g. --test-backends)
};

struct RunnerStats {
  std::int64_t rows = 0;          // rows passed to the sink
  std::int64_t already_done = 0;  // rows skipped because options.done had them
  bool stopped = false;           // options.stop cut the run short
  // Supervised workers per backend name: started, and restarted after a crash, a timeout
  // or garbage (summed over --jobs threads).
  std::map<std::string, int> worker_starts, worker_restarts;
  // Wall time spent making references (the oracle, --reference fast, --check sample:N),
  // summed over --jobs threads, and the process's CPU time over the same spans (every
  // thread of the runner; with --jobs > 1 other cases' threads too).
  double reference_seconds = 0, reference_cpu_seconds = 0;
};

// Rows arrive in a deterministic order (cases in order, then backends, then directions),
// on the calling thread, whatever `jobs` is.
using RowSink = std::function<void(const ResultRow&)>;

RunnerStats run_cases(const std::vector<Case>& cases, const Registry& registry,
                      const std::vector<BackendChoice>& backends, const RunnerOptions& options, const RowSink& sink);

// The directions a case runs under these options, in the case's order.
std::vector<Direction> case_directions(const Case& c, const RunnerOptions& options);

// Rows run_cases will produce (not counting options.done).
std::int64_t planned_rows(const std::vector<Case>& cases, const std::vector<BackendChoice>& backends,
                          const RunnerOptions& options);

}  // namespace tconv
