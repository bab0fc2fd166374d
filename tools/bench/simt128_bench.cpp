// tconv_simt128_bench (tools/bench/): device-event timing of the f32 simt128 families against their baselines
// (phase_gemm for fwd / bwd_data, bwd_weights_gemm for bwd_weights) on the same buffers, one
// CSV row per (problem, direction, kernel), each kernel through the backend's own device path
// (`run_family_on_device`, several launches on one upload). Run by tools/gpu/run_all.sh
// (perf stage); `tconv run --perf --backends cuda:phase_simt128,...` times them as rows.
//
//   tconv_simt128_bench [--reps N] ["<problem repro>" ...]     default: GEMM-shaped f32 layers
//
// Times: CUDA events around the family's kernels only (as the backend's device time); the
// first launch is a warm-up, the median and minimum of the rest are printed. `max_rel_diff` is
// the largest |kernel - baseline| / max(1, |baseline|) over the output (a sanity check; the
// exact checks are in tconv_cuda_tests). `phase_simt128:unpacked` is phase_simt128 given no
// workspace: B read from the device filter in place instead of packed (simt128_packed_filter.h).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "backends/cuda/device_info.h"
#include "backends/cuda/device_run.h"
#include "conformance/fill.h"

namespace {

using namespace tconv;

const char* kDefaultLayers[] = {
    "n=64 ci=512 co=256 in=4x4 k=4x4 s=2x2 crop=1,1,1,1 bias=1",     // DCGAN generator, first up-conv
    "n=64 ci=128 co=64 in=16x16 k=4x4 s=2x2 crop=1,1,1,1 bias=1",    // DCGAN generator, third
    "n=4 ci=1024 co=256 in=16x16 k=4x4 s=2x2 crop=1,1,1,1 bias=1",   // pix2pix decoder
    "n=4 ci=512 co=256 in=64x64 k=2x2 s=2x2 bias=1",                 // U-Net up-conv
    "n=64 ci=256 co=256 in=14x14 k=2x2 s=2x2 bias=1",                // Mask R-CNN mask head
    "n=4 ci=256 co=128 in=64x64 k=3x3 s=2x2 crop=1,0,1,0 bias=1",    // segmentation decoder, output_padding 1
    "n=8 ci=64 co=64 in=64x64 k=3x3 s=1x1 d=2x2 crop=2,2,2,2 bias=1",  // dilated
    "n=16 ci=128 co=128 g=4 in=32x32 k=4x4 s=2x2 crop=1,1,1,1 bias=1",  // grouped
    "n=4 ci=512 co=256 in=64x64 k=2x2 s=2x2 bias=1 layout=NHWC wl=IHWO",
    "n=4 ci=256 co=128 in=64x64 k=3x3 s=2x2 crop=1,0,1,0 bias=1 layout=NHWC wl=IHWO",
};

double median(std::vector<float> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 11;
  std::vector<std::string> layers;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
      reps = std::max(2, std::atoi(argv[++i]));
    else
      layers.emplace_back(argv[i]);
  }
  if (layers.empty()) layers.assign(std::begin(kDefaultLayers), std::end(kDefaultLayers));
  std::vector<Problem> problems;
  for (const std::string& s : layers) {
    Result<Problem> parsed = parse_problem(s);
    if (!parsed.ok()) {
      std::fprintf(stderr, "tconv_simt128_bench: bad problem '%s': %s\n", s.c_str(), parsed.status().message.c_str());
      return 2;
    }
    problems.push_back(*parsed);
  }
  if (!cuda::no_gpu_reason().empty()) {
    std::fprintf(stderr, "tconv_simt128_bench: %s\n", cuda::no_gpu_reason().c_str());
    return 2;
  }
  std::printf("problem,direction,kernel,median_ms,min_ms,gflops,max_rel_diff\n");
  int status = 0;
  for (Problem p : problems) {
    p.dtype = DType::f32;
    p.weight_layout = p.layout == Layout::NHWC ? Layout::IHWO : Layout::IOHW;
    const InputSet in = make_inputs(p, {FillKind::uniform, 1});
    for (Direction d : {Direction::fwd, Direction::bwd_data, Direction::bwd_weights}) {
      const bool wgrad = d == Direction::bwd_weights;
      // The baseline, the simt128 family, and for phase_simt128 the same kernel without a
      // workspace (the device filter read in place, no packing): what packing buys.
      struct Timed {
        cuda::Family family;
        std::size_t workspace_limit;
        std::string name;
        HostTensor out;
        std::vector<float> ms;
      };
      std::vector<Timed> runs;
      runs.push_back({wgrad ? cuda::Family::bwd_weights_gemm : cuda::Family::phase_gemm, std::size_t{1} << 30,
                      wgrad ? "bwd_weights_gemm" : "phase_gemm", {}, {}});
      runs.push_back({wgrad ? cuda::Family::wgrad_simt128 : cuda::Family::phase_simt128, std::size_t{1} << 30,
                      wgrad ? "wgrad_simt128" : "phase_simt128", {}, {}});
      if (!wgrad) runs.push_back({cuda::Family::phase_simt128, 0, "phase_simt128:unpacked", {}, {}});
      for (Timed& r : runs) {
        r.out = wgrad ? HostTensor(p.dtype, p.weight_layout, p.w_dims(), p.groups) : make_output(p, d);
        Operands ops = in.operands();
        ops.y = ops.dx = ops.dw = &r.out;
        std::size_t workspace = 0;
        const Status st = cuda::run_family_on_device(p, d, ops, r.family, r.workspace_limit, reps, &r.ms, &workspace);
        if (!st.ok()) {
          std::printf("\"%s\",%s,%s,FAILED: %s,,,\n", to_repro(p).c_str(), std::string(to_string(d)).c_str(),
                      r.name.c_str(), st.message.c_str());
          status = 1;
        }
      }
      const std::vector<double> base = runs.front().out.logical_values();
      for (const Timed& r : runs) {
        if (r.ms.size() < 2) continue;
        double diff = 0;
        const std::vector<double> mine = r.out.logical_values();
        for (std::size_t i = 0; i < base.size() && i < mine.size(); ++i)
          diff = std::max(diff, std::fabs(base[i] - mine[i]) / std::max(1.0, std::fabs(base[i])));
        const std::vector<float> timed(r.ms.begin() + 1, r.ms.end());  // the first launch warms up
        const double med = median(timed), mn = *std::min_element(timed.begin(), timed.end());
        std::printf("\"%s\",%s,%s,%.4f,%.4f,%.1f,%.3g\n", to_repro(p).c_str(), std::string(to_string(d)).c_str(),
                    r.name.c_str(), med, mn, flops(p, d) / (med * 1e6), diff);
      }
      std::fflush(stdout);
    }
  }
  return status;
}
