// One backend call as the runner makes it: run once (the checked result), and in perf mode
// warm up and repeat until a minimum time or count, timing each repeat (the backend's device
// time where it reports one, else wall time). Exceptions become error statuses.
#pragma once

#include <optional>
#include <vector>

#include "backends/api/backend.h"

namespace tconv {

struct PerfOptions {
  bool enabled = false;
  double min_time_s = 0.2;  // repeat until the timed repeats add up to this...
  int repeats = 0;          // ...or exactly this many repeats when > 0
  bool flush_cache = false; // touch a buffer larger than the last-level cache between repeats
  int warmup = 1;           // untimed runs after the checked one
  int max_repeats = 10000;
};

struct Timing {
  double median_ms = 0, min_ms = 0, max_ms = 0;
  int repeats = 0;
  bool device_time = false;
  // Median of the backend's staging time (last_staging_time_ms), where every repeat staged.
  std::optional<double> staging_ms;
};

struct CallResult {
  Status status;
  std::optional<Timing> timing;  // perf mode, when the call succeeded
  RunDetails details;            // of the checked (first) run, when it succeeded
};

// ops carries the inputs and the (poisoned) output of direction d.
CallResult timed_call(Backend& backend, const Problem& p, Direction d, const Operands& ops, RunContext& ctx,
                      const PerfOptions& perf);

// backend.run with exceptions turned into a Status.
Status guarded_run(Backend& backend, const Problem& p, Direction d, const Operands& ops, RunContext& ctx);

Timing summarize_times(std::vector<double> ms, bool device_time);
// The median of ms (0 when empty).
double median_of(std::vector<double> ms);

// Evicts the caches by writing then reading a buffer of twice the last-level cache size.
void flush_host_caches();

}  // namespace tconv
