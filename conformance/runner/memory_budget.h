// --max-memory: cases that would need more host memory than the budget become SKIPPED
// instead of an out-of-memory death. The estimate counts what the runner allocates for one
// case x direction: every input, the oracle's reference (value, |a*b| sum, term count per
// element), the backend's output, a golden expected output, and the isolated worker's copies.
#pragma once

#include <cstdint>
#include <string_view>

#include "backends/api/problem.h"
#include "backends/api/result.h"

namespace tconv {

struct MemoryNeed {
  double inputs = 0;     // x, w, b, dy in the problem's dtype
  double output = 0;     // one output tensor of the direction
  double reference = 0;  // the oracle's per-element record (f64 value, f64 sum, i32 terms)
  double total(bool golden_expected, bool isolated) const {
    double t = inputs + output + reference + (golden_expected ? output : 0);
    if (isolated) t += inputs + 2 * output;  // request/response buffers + the worker's copies
    return t;
  }
};

// Valid problems only (callers check validity first); in bytes, as doubles so that a
// huge problem cannot overflow.
MemoryNeed estimate_memory(const Problem& p, Direction d);

// The bytes of host memory available now (MemAvailable), 0 if unknown.
std::uint64_t available_host_memory();

// "8G", "512MiB", "1e9", "123456" (bytes) or a fraction in (0, 1] of the available memory.
Result<std::uint64_t> parse_memory_limit(std::string_view text, std::uint64_t available);

// The default budget: half of the available host memory.
std::uint64_t default_memory_budget();

// Total memory of the first GPU (0 when this build has no CUDA or the machine no GPU).
// A device backend's case whose inputs, output and workspace exceed 90% of it is SKIPPED.
std::uint64_t device_memory_bytes();

}  // namespace tconv
