// tconv_cuda_calibrate: the cuda backend's calibration table (backends/cuda/calibration/) from
// per-family device times measured on one GPU model.
//
//   tconv_cuda_calibrate --gpu H200 --copy-gbps 4191 --f32-gemm-tflops 51.1 --f16-gemm-tflops 750
//       --resident-threads 270336
//       --ceilings-source "..." --measured-where "..." --out-dir DIR --name h200 RESULTS.csv...
//
// Reads tconv results.csv files (perf runs), keeps the PASSED device-timed rows of the cuda
// backend's family variants (cuda:gather, cuda:phase_gemm, ...; cuda:default repeats one of
// them), and writes DIR/NAME_measured.csv (the rows, one per family and problem) and DIR/NAME.csv
// (the fit, with every source). Columns are found by name, so older results.csv files work.
// --refit DIR/NAME_measured.csv refits from an existing measurement file instead.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>

#include "backends/cuda/calibration_fit.h"
#include "conformance/results/csv.h"
#include "conformance/results/results_csv.h"

namespace {

using namespace tconv;
using namespace tconv::cuda;

Result<std::vector<MeasuredRow>> rows_from_results(const std::string& path) {
  Result<std::string> text = read_file(path);
  if (!text.ok()) return text.status();
  Result<CsvTable> t = parse_csv(*text);
  if (!t.ok()) return Status::Invalid(path + ": " + t.error());
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < t->header.size(); ++i) col[t->header[i]] = i;
  // crop_* in newer files, pad_* in older ones (the same numbers).
  const char* needed[] = {"case", "backend", "variant", "direction", "dtype", "status", "timer", "time_ms", "layout",
                          "n", "c_in", "c_out", "groups", "h_in", "w_in", "kh", "kw", "stride_h", "stride_w",
                          "dil_h", "dil_w", "h_out", "w_out"};
  for (const char* c : needed)
    if (!col.count(c)) return Status::Invalid(path + ": no column " + c);
  const std::string top = col.count("crop_top") ? "crop_top" : "pad_top";
  const std::string left = col.count("crop_left") ? "crop_left" : "pad_left";
  if (!col.count(top) || !col.count(left)) return Status::Invalid(path + ": no crop_top / pad_top column");
  std::vector<MeasuredRow> rows;
  for (const std::vector<std::string>& r : t->records) {
    auto at = [&](const std::string& c) { return r[col[c]]; };
    auto num = [&](const std::string& c) { return std::strtoll(at(c).c_str(), nullptr, 10); };
    if (at("backend") != "cuda" || at("variant") == "default" || at("status") != "PASSED" || at("timer") != "device")
      continue;
    const Result<CudaVariant> v = parse_cuda_variant(at("variant"));
    const std::optional<Direction> d = parse_direction(at("direction"));
    const std::optional<DType> dt = parse_dtype(at("dtype"));
    if (!v.ok() || !v->family || !d || !dt) continue;
    MeasuredRow m;
    m.family = *v->family, m.direction = *d, m.dtype = *dt;
    ConvGeometry& g = m.g;
    g.n = num("n"), g.c_in = num("c_in"), g.c_out = num("c_out"), g.groups = num("groups");
    g.h_in = num("h_in"), g.w_in = num("w_in"), g.kh = num("kh"), g.kw = num("kw");
    g.stride_h = num("stride_h"), g.stride_w = num("stride_w"), g.dil_h = num("dil_h"), g.dil_w = num("dil_w");
    g.crop_top = num(top), g.crop_left = num(left), g.h_out = num("h_out"), g.w_out = num("w_out");
    g.nhwc = at("layout") == "NHWC";
    m.ms = std::strtod(at("time_ms").c_str(), nullptr);
    m.label = at("case");
    if (m.ms > 0) rows.push_back(m);
  }
  return rows;
}

bool write(const std::string& path, const std::string& text) {
  std::ofstream f(path);
  f << text;
  if (!f) std::cerr << "tconv_cuda_calibrate: cannot write " << path << "\n";
  return static_cast<bool>(f);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Fit the cuda backend's calibration table from measured per-family device times"};
  std::vector<std::string> inputs;
  std::string refit, out_dir = ".", name, measured_where, ceilings_source, threads_source;
  Calibration base;
  app.add_option("RESULTS", inputs, "results.csv files of perf runs over cuda:<family> variants");
  app.add_option("--refit", refit, "refit from a NAME_measured.csv instead of results.csv files");
  app.add_option("--gpu", base.gpu, "GPU model as in the driver's device name (e.g. H200)")->required();
  app.add_option("--copy-gbps", base.copy_gbps.value, "measured device copy bandwidth, GB/s (read + written)")->required();
  app.add_option("--f32-gemm-tflops", base.f32_gemm_tflops.value, "measured f32 GEMM ceiling, no TF32")->required();
  app.add_option("--f16-gemm-tflops", base.f16_gemm_tflops.value, "measured f16 GEMM ceiling")->required();
  app.add_option("--resident-threads", base.resident_threads.value,
                 "SMs x resident threads per SM, as the device reports them (H200: 132 x 2048)")
      ->required();
  app.add_option("--ceilings-source", ceilings_source, "where the ceilings were measured")->required();
  app.add_option("--resident-threads-source", threads_source, "where --resident-threads came from")->required();
  app.add_option("--measured-where", measured_where, "where the timings were measured (run, date, load)")->required();
  app.add_option("--out-dir", out_dir, "folder for NAME.csv and NAME_measured.csv");
  app.add_option("--name", name, "file name stem, e.g. h200")->required();
  CLI11_PARSE(app, argc, argv);
  base.copy_gbps.source = base.f32_gemm_tflops.source = base.f16_gemm_tflops.source = ceilings_source;
  base.resident_threads.source = threads_source;

  std::vector<MeasuredRow> rows;
  if (!refit.empty()) {
    Result<std::string> text = read_file(refit);
    if (!text.ok()) {
      std::cerr << "tconv_cuda_calibrate: " << text.error() << "\n";
      return 2;
    }
    Result<std::vector<MeasuredRow>> r = parse_measured_rows(*text);
    if (!r.ok()) {
      std::cerr << "tconv_cuda_calibrate: " << refit << ": " << r.error() << "\n";
      return 2;
    }
    rows = std::move(r).value();
  }
  for (const std::string& path : inputs) {
    Result<std::vector<MeasuredRow>> r = rows_from_results(path);
    if (!r.ok()) {
      std::cerr << "tconv_cuda_calibrate: " << r.error() << "\n";
      return 2;
    }
    rows.insert(rows.end(), r->begin(), r->end());
  }
  if (rows.empty()) {
    std::cerr << "tconv_cuda_calibrate: no PASSED device-timed cuda:<family> rows\n";
    return 2;
  }
  const Calibration fitted = fit_calibration(rows, base, measured_where);
  const std::string note = "Written by tconv_cuda_calibrate (tools/gpu/cuda_calibrate.cpp); do not edit by hand.\n" +
                           std::string("Timings: ") + measured_where + "\nCeilings: " + ceilings_source;
  const bool ok = (refit.empty() ? write(out_dir + "/" + name + "_measured.csv", write_measured_rows(rows, note)) : true) &&
                  write(out_dir + "/" + name + ".csv",
                        write_calibration(fitted, note + "\nModel and columns: backends/cuda/cost_model.h, calibration.h; "
                                                         "rows with fit_rows 0 are DEFAULTS, never measured"));
  std::cout << rows.size() << " measured rows, " << fitted.rows.size() << " table rows\n";
  return ok ? 0 : 1;
}
