// tconv_oracle_bench: GFLOP/s of the naive f64 oracle (compute_reference) over a few shapes of
// shapes.csv (the "bench" layers of cases/models.yaml), per direction, and on the same
// problems: openmp:f64acc alone (rows "f64acc/...", a whole run(): operand copies in f64 and
// the rounding of the output included), `--reference fast` as a run makes it
// ("reference_fast/...") and `--check sample:4096` ("check_sample4096/...").
// tools/bench/reference_modes.py tabulates them.
//
//   tconv_oracle_bench [google benchmark flags] [--shapes=FILE] [--names=a,b] [--threads=N]
// GFLOP/s counts flops(p, d) of the whole direction, as tconv_bench does for the backends,
// over wall time; the CPU column is the CPU time of the whole process (every thread).
#include <benchmark/benchmark.h>
#include <omp.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "backends/naive/oracle.h"
#include "backends/openmp/openmp_backend.h"
#include "conformance/fill.h"
#include "conformance/reference_check.h"
#include "tools/bench/bench_shapes.h"

namespace tconv::bench {
namespace {

// Shapes whose old-oracle time is a few seconds at most on 2 cores, covering k == s, s = 2
// with overlap, s = 3 with a 9x9 kernel, depthwise, dilation and groups.
const char* const kDefaultNames = "unet_k2s2_8x8,dcgan_rgb_32x32,fsrcnn_k9s3,depthwise_k3s2,dilated_k3d2,grouped_g4_k4s2";

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

void run_oracle(benchmark::State& state, Problem p, Direction d) {
  const InputSet in = make_inputs(p, {FillKind::uniform, 1});
  const Operands ops = in.operands();
  for (auto _ : state) benchmark::DoNotOptimize(compute_reference(p, d, ops));
  using C = benchmark::Counter;
  state.counters["GFLOP/s"] = C(flops(p, d) * 1e-9, C::kIsIterationInvariantRate);
}

// One reference mode of `tconv run` as a whole (conformance/reference_check.h): `--reference
// fast` (f64acc's values, S and K, then the definition on all or a sample of the elements)
// or `--check sample:N` (the definition on about N elements).
void run_checked(benchmark::State& state, Problem p, Direction d, CheckMode mode) {
  const InputSet in = make_inputs(p, {FillKind::uniform, 1});
  const Operands ops = in.operands();
  for (auto _ : state) benchmark::DoNotOptimize(checked_reference(p, d, ops, mode, 1));
  using C = benchmark::Counter;
  state.counters["GFLOP/s"] = C(flops(p, d) * 1e-9, C::kIsIterationInvariantRate);
}

void run_f64acc(benchmark::State& state, Problem p, Direction d) {
  const InputSet in = make_inputs(p, {FillKind::uniform, 1});
  HostTensor out = make_output(p, d);
  const Operands ops = with_output(in.operands(), d, out);
  auto backend = openmp_backend_factory().create("f64acc").value_or(nullptr);
  RunContext ctx;
  for (auto _ : state)
    if (Status s = backend->run(p, d, ops, ctx); !s.ok()) state.SkipWithError(s.message.c_str());
  using C = benchmark::Counter;
  state.counters["GFLOP/s"] = C(flops(p, d) * 1e-9, C::kIsIterationInvariantRate);
}

}  // namespace
}  // namespace tconv::bench

int main(int argc, char** argv) {
  using namespace tconv;
  using namespace tconv::bench;
  benchmark::Initialize(&argc, argv);
  std::string shapes_path = TCONV_BENCH_SHAPES, names = kDefaultNames;
  int threads = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--shapes=", 0) == 0) shapes_path = a.substr(9);
    else if (a.rfind("--names=", 0) == 0) names = a.substr(8);
    else if (a.rfind("--threads=", 0) == 0) threads = std::stoi(a.substr(10));
    else {
      std::fprintf(stderr, "tconv_oracle_bench: unknown flag %s\n", argv[i]);
      return 2;
    }
  }
  if (threads > 0) omp_set_num_threads(threads);
  auto shapes = load_shapes(shapes_path);
  if (!shapes) {
    std::fprintf(stderr, "tconv_oracle_bench: %s\n", shapes.error().c_str());
    return 2;
  }
  const std::vector<std::string> wanted = split(names);
  for (const std::string& name : wanted)
    for (const Shape& s : *shapes) {
      if (s.name != name) continue;
      for (Direction d : kAllDirections) {
        const std::string row = s.name + "/" + std::string(to_string(d));
        benchmark::RegisterBenchmark(("oracle/" + row).c_str(), run_oracle, s.problem, d)
            ->UseRealTime()
            ->MeasureProcessCPUTime()  // CPU column: all threads (on a loaded machine, steadier than wall time)
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(("f64acc/" + row).c_str(), run_f64acc, s.problem, d)
            ->UseRealTime()
            ->MeasureProcessCPUTime()
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(("reference_fast/" + row).c_str(), run_checked, s.problem, d,
                                     CheckMode{.samples = 0, .fast = true})
            ->UseRealTime()
            ->MeasureProcessCPUTime()
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(("check_sample4096/" + row).c_str(), run_checked, s.problem, d,
                                     CheckMode{.samples = 4096, .fast = false})
            ->UseRealTime()
            ->MeasureProcessCPUTime()
            ->Unit(benchmark::kMillisecond);
      }
    }
  benchmark::AddCustomContext("threads", std::to_string(omp_get_max_threads()));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
