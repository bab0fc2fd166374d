// tconv_bench: Google Benchmark over the shapes of shapes.csv x CPU backends x directions x
// layouts, with GFLOP/s, GB/s and fractions of this machine's measured sgemm peak and copy
// bandwidth; plus the GEMM providers on 2048^3 and on the GEMMs the openmp backend issues.
//
//   tconv_bench [google benchmark flags] [--backends=openmp,onednn] [--layouts=NCHW,NHWC]
//               [--directions=fwd,...] [--shapes=FILE] [--threads=N] [--no-gemm]
#include <benchmark/benchmark.h>
#include <omp.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "backends/api/registry.h"
#include "backends/openmp/gemm.h"
#include "conformance/fill.h"
#include "tools/bench/bench_shapes.h"
#include "tools/bench/machine_peak.h"

namespace tconv::bench {
namespace {

struct Flags {
  std::vector<std::string> backends{"openmp", "onednn"};
  std::vector<Layout> layouts{Layout::NCHW, Layout::NHWC};
  std::vector<Direction> directions{std::begin(kAllDirections), std::end(kAllDirections)};
  std::string shapes = TCONV_BENCH_SHAPES;
  int threads = 0;
  bool gemm = true;
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

bool parse_flags(int argc, char** argv, Flags* f) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&](const char* key) -> const char* {
      const std::string k = std::string(key) + "=";
      return a.rfind(k, 0) == 0 ? argv[i] + k.size() : nullptr;
    };
    if (const char* v = value("--backends")) f->backends = split(v);
    else if (const char* v = value("--shapes")) f->shapes = v;
    else if (const char* v = value("--threads")) f->threads = std::stoi(v);
    else if (a == "--no-gemm") f->gemm = false;
    else if (const char* v = value("--layouts")) {
      f->layouts.clear();
      for (const auto& s : split(v))
        if (auto l = parse_layout(s)) f->layouts.push_back(*l);
    } else if (const char* v = value("--directions")) {
      f->directions.clear();
      for (const auto& s : split(v))
        if (auto d = parse_direction(s)) f->directions.push_back(*d);
    } else {
      std::fprintf(stderr, "tconv_bench: unknown flag %s\n", argv[i]);
      return false;
    }
  }
  return true;
}

struct Machine {
  double peak_gflops = 0, fma_gflops = 0, copy_gbps = 0;
  int threads = 1;
};

void run_backend(benchmark::State& state, std::shared_ptr<Backend> backend, Problem p, Direction d, Machine m) {
  if (Status s = backend->check(p, d); !s.ok()) {
    state.SkipWithError(("unsupported: " + s.message).c_str());
    return;
  }
  const InputSet in = make_inputs(p, {FillKind::uniform, 1});
  HostTensor out = make_output(p, d);
  const Operands ops = with_output(in.operands(), d, out);
  RunContext ctx;
  ctx.threads = m.threads;
  if (Status s = backend->run(p, d, ops, ctx); !s.ok()) {  // warm-up: JIT, workspace, caches
    state.SkipWithError(("failed: " + s.message).c_str());
    return;
  }
  for (auto _ : state) backend->run(p, d, ops, ctx);
  const double gflop = flops(p, d) * 1e-9, gbyte = bytes_moved(p, d) * 1e-9;
  using C = benchmark::Counter;
  state.counters["GFLOP/s"] = C(gflop, C::kIsIterationInvariantRate);
  state.counters["GB/s"] = C(gbyte, C::kIsIterationInvariantRate);
  state.counters["peak_frac"] = C(gflop / m.peak_gflops, C::kIsIterationInvariantRate);
  state.counters["copy_frac"] = C(gbyte / m.copy_gbps, C::kIsIterationInvariantRate);
  state.counters["fma_frac"] = C(gflop / m.fma_gflops, C::kIsIterationInvariantRate);
}

// One GEMM over all threads, split by columns as the peak measurement does.
// op(B) transposed (tb): B is stored n x k, so each thread's column block is a block of B's rows.
void run_gemm(benchmark::State& state, openmp::GemmProvider g, bool ta, bool tb, long m, long n, long k, Machine mach) {
  std::vector<float> a(static_cast<std::size_t>(m * k), 0.5f), b(static_cast<std::size_t>(k * n), 0.25f),
      c(static_cast<std::size_t>(m * n));
  for (auto _ : state) {
#pragma omp parallel num_threads(mach.threads)
    {
      const long t = omp_get_thread_num(), nt = omp_get_num_threads();
      const long n0 = n * t / nt, n1 = n * (t + 1) / nt;
      openmp::sgemm(g, ta, tb, m, n1 - n0, k, 1.0f, a.data(), ta ? m : k, b.data() + (tb ? n0 * k : n0), tb ? k : n, 0.0f,
                    c.data() + n0, n);
    }
  }
  const double gflop = 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k) * 1e-9;
  using C = benchmark::Counter;
  state.counters["GFLOP/s"] = C(gflop, C::kIsIterationInvariantRate);
  state.counters["peak_frac"] = C(gflop / mach.peak_gflops, C::kIsIterationInvariantRate);
}

// A parallel memcpy of 256 MiB per iteration, counted as bytes read + written.
void run_copy(benchmark::State& state, Machine mach) {
  const std::size_t count = (std::size_t{256} << 20) / sizeof(float);
  std::vector<float> src(count, 1.0f), dst(count, 0.0f);
  for (auto _ : state) {
#pragma omp parallel num_threads(mach.threads)
    {
      const std::size_t t = static_cast<std::size_t>(omp_get_thread_num()), nt = static_cast<std::size_t>(omp_get_num_threads());
      const std::size_t i0 = count * t / nt, i1 = count * (t + 1) / nt;
      std::memcpy(dst.data() + i0, src.data() + i0, (i1 - i0) * sizeof(float));
    }
  }
  state.counters["GB/s"] = benchmark::Counter(2.0 * static_cast<double>(count * sizeof(float)) * 1e-9,
                                              benchmark::Counter::kIsIterationInvariantRate);
}

// The machine's ceilings again, as benchmarks with repetitions, first and last in the run: on a
// shared machine the best of them all is the estimate least disturbed by other work.
void register_ceilings(const Machine& mach, const char* when) {
  const auto g = openmp::default_gemm_provider();
  benchmark::RegisterBenchmark((std::string("peak/sgemm_2048/") + when).c_str(), run_gemm, g, false, false, 2048L, 2048L,
                               2048L, mach)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark((std::string("peak/copy_256MiB/") + when).c_str(), run_copy, mach)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
}

void register_gemms(const std::vector<Shape>& shapes, const Machine& mach) {
  struct G {
    std::string what;
    bool ta, tb;
    long m, n, k;
  };
  std::vector<G> gemms{{"square", false, false, 2048, 2048, 2048}};
  for (const Shape& s : shapes) {  // the openmp backend's fwd GEMM per group, NCHW and NHWC
    const Problem& p = s.problem;
    const long taps = p.kh * p.kw, cig = p.c_in / p.groups, cog = p.c_out / p.groups;
    const long pixels = std::min<long>(p.n * p.h_in * p.w_in, 4096);  // one chunk (directions.h)
    if (p.groups > 8) continue;  // depthwise: K = 1 outer products, not a GEMM worth timing
    gemms.push_back({s.name + "_nchw", true, false, cog * taps, pixels, cig});
    gemms.push_back({s.name + "_nhwc", false, false, pixels, taps * cog, cig});
    if (p.c_out == 1) gemms.push_back({s.name + "_nhwc_planes", true, true, taps, pixels, cig});  // nhwc_as_planes
  }
  // Providers innermost, like the backends below: compared rows run back to back.
  for (const G& x : gemms)
    for (openmp::GemmProvider g : openmp::available_gemm_providers()) {
      if (g == openmp::GemmProvider::portable) continue;
      const std::string name = "gemm/" + x.what + "/" + std::to_string(x.m) + "x" + std::to_string(x.n) + "x" +
                               std::to_string(x.k) + "_" + (x.ta ? "T" : "N") + (x.tb ? "T" : "N") + "/" +
                               std::string(openmp::to_string(g));
      benchmark::RegisterBenchmark(name.c_str(), run_gemm, g, x.ta, x.tb, x.m, x.n, x.k, mach)->UseRealTime()->Unit(benchmark::kMillisecond);
    }
}

}  // namespace
}  // namespace tconv::bench

int main(int argc, char** argv) {
  using namespace tconv;
  using namespace tconv::bench;
  benchmark::Initialize(&argc, argv);
  Flags flags;
  if (!parse_flags(argc, argv, &flags)) return 2;
  auto shapes = load_shapes(flags.shapes);
  if (!shapes) {
    std::fprintf(stderr, "tconv_bench: %s\n", shapes.error().c_str());
    return 2;
  }
  Machine mach;
  mach.threads = flags.threads > 0 ? flags.threads : omp_get_max_threads();
  mach.peak_gflops = measure_sgemm_gflops(openmp::default_gemm_provider(), mach.threads);
  mach.fma_gflops = measure_fma_gflops(mach.threads);
  mach.copy_gbps = measure_copy_gbps(mach.threads);
  std::fprintf(stderr,
               "tconv_bench: %d threads, measured sgemm peak %.1f GFLOP/s (%s, 2048^3), FMA ceiling %.1f GFLOP/s, "
               "copy %.1f GB/s\n",
               mach.threads, mach.peak_gflops, std::string(openmp::to_string(openmp::default_gemm_provider())).c_str(),
               mach.fma_gflops, mach.copy_gbps);
  benchmark::AddCustomContext("threads", std::to_string(mach.threads));
  benchmark::AddCustomContext("peak_sgemm_gflops", std::to_string(mach.peak_gflops));
  benchmark::AddCustomContext("peak_fma_gflops", std::to_string(mach.fma_gflops));
  benchmark::AddCustomContext("copy_gbps", std::to_string(mach.copy_gbps));
  benchmark::AddCustomContext("peak_gemm_provider", std::string(openmp::to_string(openmp::default_gemm_provider())));

  register_ceilings(mach, "first");
  if (flags.gemm) register_gemms(*shapes, mach);
  // Backends innermost: the rows a ratio compares run back to back, under the same conditions.
  const Registry registry = builtin_registry();
  std::vector<std::pair<std::string, std::shared_ptr<Backend>>> backends;
  for (const std::string& spec : flags.backends) {
    Result<std::unique_ptr<Backend>> made = registry.create(spec);
    if (!made.ok()) {
      std::fprintf(stderr, "tconv_bench: skipping %s: %s\n", spec.c_str(), made.error().c_str());
      continue;
    }
    std::shared_ptr<Backend> backend = std::move(made).value();
    backends.emplace_back(backend->name() + ":" + backend->variant(), backend);
  }
  for (const Shape& s : *shapes)
    for (Layout layout : flags.layouts)
      for (Direction d : flags.directions)
        for (const auto& [label, backend] : backends) {
          Problem p = s.problem;
          p.layout = layout;
          p.weight_layout = layout == Layout::NHWC ? Layout::IHWO : Layout::IOHW;
          const std::string name =
              s.name + "/" + std::string(to_string(layout)) + "/" + std::string(to_string(d)) + "/" + label;
          benchmark::RegisterBenchmark(name.c_str(), run_backend, backend, p, d, mach)
              ->UseRealTime()
              ->Unit(benchmark::kMillisecond);
        }
  register_ceilings(mach, "last");
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
