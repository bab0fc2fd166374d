// The abstract backend interface (docs/design.md section 4). One unit of work is one problem x
// one direction. A backend instance is one variant (e.g. one cuDNN algorithm).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backends/api/math_mode.h"
#include "backends/api/problem.h"
#include "backends/api/status.h"
#include "backends/api/tensor.h"

namespace tconv {

// What a backend declares it can do; check_capabilities() turns it into reasons.
struct Capabilities {
  std::vector<DType> dtypes{DType::f32};
  std::vector<Layout> layouts{Layout::NCHW};
  std::vector<Layout> weight_layouts{Layout::IOHW};
  std::vector<Direction> directions{std::begin(kAllDirections), std::end(kAllDirections)};
  bool groups = true;            // groups > 1
  bool dilation = true;          // dilation > 1
  bool asymmetric_crops = true;  // crop_top != crop_bottom or crop_left != crop_right
  bool negative_crops = true;    // any crop < 0
  std::int64_t max_elements = 0; // per tensor; 0 = no limit
  bool on_device = false;        // runs on an accelerator (timed with device events)
  bool deterministic = true;     // bitwise identical results run to run
  // Runs code the project does not control (a vendor library, a plugin) or that may crash
  // the process: the runner calls it in a supervised worker by default (--isolate=device).
  // on_device implies it.
  bool supervised = false;

  std::string describe() const;  // one line for `tconv list-backends`
};

// The operands of one call. Inputs are const; exactly the outputs of the direction are set:
//   fwd:         x, w, (b)  -> y
//   bwd_data:    dy, w      -> dx
//   bwd_weights: x, dy      -> dw
//   bwd_bias:    dy         -> db
// Data tensors are in problem.layout, weights in problem.weight_layout, all of problem.dtype.
struct Operands {
  const HostTensor* x = nullptr;
  const HostTensor* w = nullptr;
  const HostTensor* b = nullptr;
  const HostTensor* dy = nullptr;
  HostTensor* y = nullptr;
  HostTensor* dx = nullptr;
  HostTensor* dw = nullptr;
  HostTensor* db = nullptr;
};

// The output operand of direction d (y, dx, dw or db).
HostTensor* output_of(const Operands& ops, Direction d);
// Its name, as files and protocols spell it: "y", "dx", "dw" or "db".
std::string output_name(Direction d);

// What the last successful run() chose, for result rows (columns algorithm, workspace_bytes,
// deterministic): backends with several ways to run one problem (cuDNN algorithms, kernel
// families) say which ran; the scratch memory it took; whether that choice is bitwise
// reproducible run to run.
struct RunDetails {
  std::string algorithm;                        // "" where the backend has one way to run
  std::optional<std::int64_t> workspace_bytes;  // nullopt: not reported
  std::optional<bool> deterministic;            // nullopt: capabilities().deterministic applies
};

// Per-call settings from the runner.
struct RunContext {
  int threads = 0;                                      // 0: the backend's default
  std::size_t workspace_limit = std::size_t{256} << 20; // bytes of scratch a backend may take
};

class Backend {
 public:
  virtual ~Backend() = default;

  virtual std::string name() const = 0;
  virtual std::string variant() const { return "default"; }
  virtual Capabilities capabilities() const = 0;

  // The first reason this backend cannot run the problem, or yes. Called before anything is
  // allocated. The default checks validity and the capabilities.
  virtual Status check(const Problem& p, Direction d) const;

  // Computes the direction's outputs. Never exits, never throws: errors are Status values.
  virtual Status run(const Problem& p, Direction d, const Operands& ops, RunContext& ctx) = 0;

  virtual MathMode math(const Problem& p) const { return default_math(p.dtype); }

  // The math of one direction as it ran: `ran` is what run() reported (last_run_details(),
  // or the isolated worker's copy of it; empty before a run). Backends whose arithmetic
  // depends on the direction (split-K for bwd_weights) or on the algorithm a library chose
  // at run time (cuDNN's FFT / Winograd) override it; the default is math(p).
  virtual MathMode declared_math(const Problem& p, Direction, const RunDetails&) const { return math(p); }

  // Timing hook: device time of the compute part of the last successful run(), for
  // backends on an accelerator (CUDA events); nullopt where wall time is the right measure.
  virtual std::optional<double> last_device_time_ms() const { return std::nullopt; }

  // Device time of the staging copies of the last successful run(): data movement a backend
  // adds to map the problem onto its library (e.g. a crop window cuDNN cannot express). It is
  // outside last_device_time_ms(), so that variants are timed on the same work, and reported
  // beside it; nullopt where nothing was staged.
  virtual std::optional<double> last_staging_time_ms() const { return std::nullopt; }

  // What the last successful run() used (see RunDetails); empty by default.
  virtual RunDetails last_run_details() const { return {}; }

  // Why the backend would run the problem the way it does (`tconv repro --why`): for a backend
  // that chooses among kernels, each one's answer and why the chosen one won. Multi-line text;
  // empty where there is nothing to choose.
  virtual std::string explain_choice(const Problem&, Direction) const { return ""; }
};

// The first rule of `caps` the problem breaks (and validity), or yes.
Status check_capabilities(const Capabilities& caps, const Problem& p, Direction d);

// Checks that ops holds every operand the direction needs, with the problem's shapes,
// layouts and dtype. Backends call it first in run().
Status check_operands(const Problem& p, Direction d, const Operands& ops);

}  // namespace tconv
