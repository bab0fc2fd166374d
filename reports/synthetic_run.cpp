#include "reports/synthetic_run.h"

#include <cmath>
#include <string>

namespace tconv::reports {

namespace {

// A small deterministic generator (splitmix64): the same rows on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  template <class T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[next() % N];
  }

 private:
  std::uint64_t s_;
};

const char* const kBackends[] = {"naive", "openmp", "onednn", "cudnn"};

std::string long_reason(const ResultRow& r, double ratio) {
  return std::to_string(*r.mismatches) + " of " + std::to_string(*r.elements) +
         " elements over bound (max err/bound " + std::to_string(ratio) +
         ", 0 NaN, 0 Inf), first at [0,0,0,1]: got 0.68986547 want 0.991401179 (bound 5.91e-08); max abs err " +
         std::to_string(*r.max_abs_err) + ", max rel err 7.48e+03";
}

std::string mismatch_list(Rng& rng) {
  std::string s;
  for (int k = 0; k < 10; ++k) {
    if (k) s += "; ";
    s += "[0," + std::to_string(k % 4) + "," + std::to_string(k) + ",3] got " + std::to_string(rng.uniform()) +
         "123 want " + std::to_string(rng.uniform() - 0.5) + "456";
  }
  return s;
}

}  // namespace

std::vector<ResultRow> synthetic_rows(const SyntheticOptions& o) {
  Rng rng(o.seed);
  std::vector<ResultRow> rows;
  rows.reserve(o.rows);
  const std::size_t per_case = std::size(kBackends) * std::size(kAllDirections);
  for (std::size_t i = 0; rows.size() < o.rows; ++i) {
    Problem p;
    p.n = rng.pick({1, 2, 4});
    p.groups = rng.pick({1, 1, 2, 4});
    p.c_in = p.groups * rng.pick({1, 3, 8, 16});
    p.c_out = p.groups * rng.pick({1, 4, 8});
    p.h_in = rng.pick({3, 5, 8, 16});
    p.w_in = rng.pick({3, 7, 8, 16});
    p.kh = rng.pick({1, 2, 3, 4, 5});
    p.kw = rng.next() % 4 ? p.kh : rng.pick({1, 2, 3});
    p.stride_h = rng.pick({1, 2, 3, 4});
    p.stride_w = rng.next() % 4 ? p.stride_h : rng.pick({1, 2});
    p.dil_h = p.dil_w = rng.pick({1, 1, 2, 3});
    p.crop_top = p.crop_left = rng.pick({-1, 0, 0, 1, 2});
    p.crop_bottom = p.crop_right = p.crop_top - static_cast<std::int64_t>(rng.next() % 2);
    p.dtype = rng.pick({DType::f32, DType::f32, DType::f16, DType::bf16});
    p.layout = rng.pick({Layout::NCHW, Layout::NHWC});
    p.weight_layout = rng.pick({Layout::IOHW, Layout::IHWO, Layout::HWOI, Layout::OIHW_FLIPPED});
    const bool valid = validate(p).ok();
    const std::string case_name = "sweep/" + std::to_string(i);

    for (std::size_t k = 0; k < per_case && rows.size() < o.rows; ++k) {
      ResultRow r;
      r.case_name = case_name;
      r.source = "cases/synthetic.yaml:" + std::to_string(10 + i);
      r.backend = kBackends[k / std::size(kAllDirections)];
      r.variant = "default";
      r.direction = kAllDirections[k % std::size(kAllDirections)];
      r.problem = p;
      r.math = p.dtype == DType::f32 ? "f32" : "f32acc";
      r.repro = "tconv repro \"" + to_repro(p) + " dir=" + std::string(to_string(r.direction)) +
                " fill=uniform seed=" + std::to_string(o.seed) + "\" --backend " + r.backend + ":" + r.variant;
      if (!valid) {
        r.status = Outcome::INVALID;
        r.reason = validate(p).message;
        rows.push_back(std::move(r));
        continue;
      }
      if (r.backend == std::string("cudnn") && p.dil_h > 2) {
        r.status = Outcome::UNSUPPORTED;
        r.reason = "dilation > 2 is not supported for transposed convolution in this configuration";
        rows.push_back(std::move(r));
        continue;
      }
      r.elements = numel_y(p);
      const double ratio = std::pow(10.0, -6.0 + 5.5 * rng.uniform());
      r.err_bound_ratio = ratio;
      r.max_abs_err = ratio * 1e-6;
      r.max_rel_err = ratio * 1e-5;
      r.mismatches = 0;
      r.zero_fraction = 0.0;
      r.status = rng.uniform() < 0.02 ? Outcome::MISTRUSTED : Outcome::PASSED;
      if (rng.uniform() < o.failing_fraction) {
        const double bad = std::pow(10.0, 1 + 6 * rng.uniform());
        r.status = rng.uniform() < 0.9 ? Outcome::INCORRECT : rng.pick({Outcome::FAILED, Outcome::CRASHED});
        if (r.status == Outcome::INCORRECT) {
          r.err_bound_ratio = bad;
          r.max_abs_err = bad * 1e-7;
          r.mismatches = 1 + static_cast<std::int64_t>(rng.next() % static_cast<std::uint64_t>(*r.elements));
          r.reason = long_reason(r, bad);
          r.first_mismatches = mismatch_list(rng);
        } else {
          r.err_bound_ratio.reset();
          r.max_abs_err.reset();
          r.max_rel_err.reset();
          r.reason = r.status == Outcome::FAILED ? "backend error: CUDNN_STATUS_NOT_SUPPORTED (workspace " +
                                                       std::to_string(rng.next() % 100000) + " bytes)"
                                                 : "killed by signal 11 (SIGSEGV)";
        }
      }
      if (o.perf) {
        const double gflop = flops(p, r.direction) / 1e9;
        const double rate = (k / std::size(kAllDirections) + 1) * (2 + 40 * rng.uniform());
        r.time_ms = gflop / rate * 1e3;
        r.time_min_ms = *r.time_ms * (0.9 + 0.05 * rng.uniform());
        r.time_max_ms = *r.time_ms * (1.1 + 0.5 * rng.uniform());
        r.repeats = 3 + static_cast<std::int64_t>(rng.next() % 200);
        r.timer = "wall";
        r.gflops = rate;
        r.gbps = bytes_moved(p, r.direction) / (*r.time_ms * 1e6);
      }
      rows.push_back(std::move(r));
    }
  }
  return rows;
}

RunRecord synthetic_run(const SyntheticOptions& o) {
  RunRecord run;
  run.dir = "synthetic";
  run.info.suite_name = "synthetic";
  run.info.suite_path = "cases/synthetic.yaml";
  run.info.seed = o.seed;
  run.info.command_line = "tconv_synthetic_run --rows " + std::to_string(o.rows);
  run.info.start_time = "2026-01-01T00:00:00Z";
  run.info.end_time = "2026-01-01T00:10:00Z";
  run.info.state = "complete";
  run.info.perf = o.perf;
  for (const char* b : kBackends) run.info.backends.push_back(std::string(b) + ":default");
  run.environment = {{"cpu", "Synthetic CPU @ 3.0GHz"},     {"cores", 16},
                     {"compiler", "GCC 12.2.0"},           {"build_type", "Release"},
                     {"git_commit", "0123456789abcdef0123456789abcdef01234567"},
                     {"gpus", {{{"name", "Synthetic GPU"}, {"compute_capability", "9.0"}}}},
                     {"cuda_driver_version", "13.0"},      {"cudnn_version", "9.10.0"},
                     {"onednn_version", "3.6.0"},          {"peak_gflops", {{"openmp", 400.0}, {"cudnn", {{"f32", 50000.0}, {"f16", 750000.0}}}}},
                     {"peak_gbps", {{"openmp", 20.0}}}};
  run.rows = synthetic_rows(o);
  run.info.cases_selected = run.info.cases_in_suite =
      static_cast<std::int64_t>((run.rows.size() + 15) / 16);
  return run;
}

}  // namespace tconv::reports
