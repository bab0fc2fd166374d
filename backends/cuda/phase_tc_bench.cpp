// tconv_phase_tc_bench: times the tensor-core families (phase_tc, phase_tc+tf32, phase_wgmma,
// phase_wgmma_ws, and phase_wgmma_ws:tile_per_block: the same kernel not persistent) against
// phase_gemm (and k_equals_s where it applies) on real transposed-convolution layers at
// training batch sizes,
// NHWC, f16 and bf16 (and phase_tc+tf32 against the f32 families on f32 data),
// fwd and bwd_data, with CUDA events around the launches alone (as device_run.cpp times a
// family), and checks on the way that each one's output equals phase_gemm's bit for bit
// (integer data in [-2, 2]: exact in tf32, every f32 sum is exact, so all round the same value once).
// Needs a GPU; prints one CSV row per (layer, dtype, direction, family).
//   tconv_phase_tc_bench [reps [peak.txt [FAMILY...]]]
// reps: timed launches after 3 warm-up ones (default 20); FAMILY: the families to time (default
// all; phase_gemm, when named, runs first as the bitwise reference), so a family that may hang
// on its first GPU can be timed in a process of its own (tools/gpu/run_all.sh does).
// With tools/gpu/peak.py's output, each row also gives its fraction of the measured GEMM
// ceiling: gemm_bf16 for f16/bf16 rows, gemm_tf32 for f32 rows (the tf32 family's math).
#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <random>
#include <string>
#include <vector>

#include "backends/api/tensor.h"
#include "backends/cuda/device_info.h"
#include "backends/cuda/device_memory.h"
#include "backends/cuda/dispatch.h"
#include "backends/cuda/k_equals_s.h"
#include "backends/cuda/phase_gemm.h"
#include "backends/cuda/phase_tc.h"
#include "backends/cuda/phase_wgmma.h"
#include "backends/cuda/phase_wgmma_ws.h"

namespace tconv::cuda {
namespace {

struct Layer {
  const char* name;
  std::int64_t n, c_in, c_out, h, w, k, s, crop_begin, crop_end;
};

// Real decoder layers (k == s U-Net / Mask R-CNN, k4 s2 p1 DCGAN / pix2pix, k3 s2 p1 op1
// segmentation heads) at training batch sizes.
const Layer kLayers[] = {
    {"unet_up1_k2s2", 16, 1024, 512, 32, 32, 2, 2, 0, 0},
    {"unet_up3_k2s2", 8, 256, 128, 128, 128, 2, 2, 0, 0},
    {"maskrcnn_mask_k2s2", 256, 256, 256, 14, 14, 2, 2, 0, 0},
    {"dcgan_g2_k4s2p1", 128, 512, 256, 8, 8, 4, 2, 1, 1},
    {"dcgan_g3_k4s2p1", 128, 256, 128, 16, 16, 4, 2, 1, 1},
    {"pix2pix_d2_k4s2p1", 16, 1024, 512, 16, 16, 4, 2, 1, 1},
    {"seg_k3s2p1op1", 16, 256, 128, 64, 64, 3, 2, 1, 0},
};

using Launcher = Status (*)(Direction, const ConvGeometry&, DType, const DeviceOperands&, CUstream_st*);
using Refuser = Status (*)(Direction, const ConvGeometry&, DType);

// phase_wgmma_ws's kernel with one block per tile: what its persistent grid buys.
Status launch_ws_tile_per_block(Direction d, const ConvGeometry& g, DType t, const DeviceOperands& ops,
                                CUstream_st* stream) {
  return launch_phase_wgmma_ws_on_grid(d, g, t, ops, stream, std::numeric_limits<std::int64_t>::max());
}

struct Family {
  const char* name;
  Refuser refuses;
  Launcher launch;
};
const Family kFamilies[] = {{"phase_tc", phase_tc_refuses, launch_phase_tc},
                            {"phase_tc+tf32", phase_tc_tf32_refuses, launch_phase_tc_tf32},
                            {"phase_gemm", phase_gemm_refuses, launch_phase_gemm},
                            {"k_equals_s", k_equals_s_refuses, launch_k_equals_s},
                            {"phase_wgmma", phase_wgmma_refuses, launch_phase_wgmma},
                            {"phase_wgmma_ws", phase_wgmma_ws_refuses, launch_phase_wgmma_ws},
                            {"phase_wgmma_ws:tile_per_block", phase_wgmma_ws_refuses, launch_ws_tile_per_block}};

Problem problem_of(const Layer& l, DType t) {
  Problem p;
  p.n = l.n;
  p.c_in = l.c_in;
  p.c_out = l.c_out;
  p.h_in = l.h;
  p.w_in = l.w;
  p.kh = p.kw = l.k;
  p.stride_h = p.stride_w = l.s;
  p.crop_top = p.crop_left = l.crop_begin;
  p.crop_bottom = p.crop_right = l.crop_end;
  p.dtype = t;
  p.layout = Layout::NHWC;
  p.weight_layout = Layout::IHWO;
  return p;
}

void fill(HostTensor& t, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> d(-2, 2);
  for (std::int64_t i = 0; i < t.numel(); ++i) t.set(i, d(rng));
}

// "name value TFLOP/s" lines of peak.txt; missing file or line: no ceiling (0).
std::map<std::string, double> read_ceilings(const char* path) {
  std::map<std::string, double> c;
  std::ifstream in(path ? path : "");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string name, unit;
    double v = 0;
    if (ls >> name >> v >> unit && unit == "TFLOP/s") c[name] = v;
  }
  return c;
}

bool check(const Status& s) {
  if (s.ok()) return true;
  std::fprintf(stderr, "error: %s\n", s.message.c_str());
  return false;
}

int run(int reps, const char* peak_file, const std::vector<std::string>& only) {
  // phase_gemm first, so every other row can say whether it matches it.
  std::vector<const Family*> families;
  for (const char* first : {"phase_gemm", "k_equals_s"})
    for (const Family& f : kFamilies)
      if (std::strcmp(f.name, first) == 0) families.push_back(&f);
  for (const Family& f : kFamilies)
    if (std::strcmp(f.name, "phase_gemm") != 0 && std::strcmp(f.name, "k_equals_s") != 0) families.push_back(&f);
  if (!only.empty()) {
    std::vector<const Family*> chosen;
    for (const Family* f : families)
      for (const std::string& name : only)
        if (name == f->name) chosen.push_back(f);
    if (chosen.size() != only.size()) {
      std::fprintf(stderr, "tconv_phase_tc_bench: unknown family among the arguments (known:");
      for (const Family& f : kFamilies) std::fprintf(stderr, " %s", f.name);
      std::fprintf(stderr, ")\n");
      return 2;
    }
    families = chosen;
  }
  const std::map<std::string, double> ceilings = read_ceilings(peak_file);
  for (const auto& [name, v] : ceilings) std::fprintf(stderr, "ceiling %s %.1f TFLOP/s\n", name.c_str(), v);
  if (!no_gpu_reason().empty()) {
    std::fprintf(stderr, "tconv_phase_tc_bench: %s\n", no_gpu_reason().c_str());
    return 2;
  }
  std::printf("layer,dtype,direction,family,ms,tflops,fraction_of_gemm_ceiling,equal_to_phase_gemm\n");
  std::mt19937_64 rng(1);
  int bad = 0;
  for (const Layer& l : kLayers)
    for (DType t : {DType::f16, DType::bf16, DType::f32})
      for (Direction d : {Direction::fwd, Direction::bwd_data}) {
        const Problem p = problem_of(l, t);
        const ConvGeometry g = make_geometry(p);
        const bool fwd = d == Direction::fwd;
        HostTensor in(t, Layout::NHWC, fwd ? p.x_dims() : p.y_dims()), w(t, Layout::IHWO, p.w_dims()),
            b(t, Layout::X, p.b_dims()), out(t, Layout::NHWC, fwd ? p.y_dims() : p.x_dims()),
            ref(t, Layout::NHWC, fwd ? p.y_dims() : p.x_dims());
        fill(in, rng);
        fill(w, rng);
        fill(b, rng);
        DeviceBuffer din, dw, db, dout;
        if (!check(upload(in, &din, nullptr)) || !check(upload(w, &dw, nullptr)) || !check(upload(b, &db, nullptr)) ||
            !check(dout.allocate(out.bytes())))
          return 1;
        DeviceOperands ops;
        ops.w = dw.get();
        if (fwd) {
          ops.x = din.get();
          ops.b = db.get();
          ops.y = dout.get();
        } else {
          ops.dy = din.get();
          ops.dx = dout.get();
        }
        const double work = flops(p, d);  // the runner's count (problem.h)
        bool have_ref = false;
        for (const Family* f : families) {
          if (!f->refuses(d, g, t).ok()) continue;
          DeviceEvent start, stop;
          if (!check(start.create()) || !check(stop.create())) return 1;
          cudaMemset(dout.get(), 0xFF, out.bytes());  // NaN in f16, bf16 and f32: an unwritten output differs
          for (int i = 0; i < 3; ++i)
            if (!check(f->launch(d, g, t, ops, nullptr))) return 1;
          cudaEventRecord(start.get(), nullptr);
          for (int i = 0; i < reps; ++i) f->launch(d, g, t, ops, nullptr);
          cudaEventRecord(stop.get(), nullptr);
          if (cudaEventSynchronize(stop.get()) != cudaSuccess) {
            std::fprintf(stderr, "error: %s %s: %s\n", l.name, f->name, cudaGetErrorString(cudaGetLastError()));
            return 1;
          }
          float ms = 0;
          cudaEventElapsedTime(&ms, start.get(), stop.get());
          ms /= static_cast<float>(reps);
          if (!check(download(dout, &out, nullptr))) return 1;
          std::string equal = "-";
          if (std::strcmp(f->name, "phase_gemm") == 0) {
            ref = out;
            have_ref = true;
          } else if (have_ref) {
            equal = std::memcmp(out.data(), ref.data(), out.bytes()) == 0 ? "yes" : "NO";
            if (equal == "NO") ++bad;
          }
          const double tflops = work / (ms * 1e-3) / 1e12;
          const auto ceiling = ceilings.find(t == DType::f32 ? "gemm_tf32" : "gemm_bf16");
          const std::string fraction =
              ceiling == ceilings.end() || ceiling->second <= 0 ? "-" : std::to_string(tflops / ceiling->second);
          std::printf("%s,%s,%s,%s,%.4f,%.2f,%s,%s\n", l.name, std::string(to_string(t)).c_str(),
                      std::string(to_string(d)).c_str(), f->name, ms, tflops, fraction.c_str(), equal.c_str());
          std::fflush(stdout);
        }
      }
  return bad == 0 ? 0 : 1;
}

}  // namespace
}  // namespace tconv::cuda

int main(int argc, char** argv) {
  const int reps = argc > 1 ? std::atoi(argv[1]) : 20;
  const std::vector<std::string> only(argv + (argc > 3 ? 3 : argc), argv + argc);
  return tconv::cuda::run(reps > 0 ? reps : 20, argc > 2 ? argv[2] : nullptr, only);
}
