#include "backends/cuda/calibration.h"

#include <cstdlib>
#include <sstream>

#include "backends/cuda/calibration_tables.h"

namespace tconv::cuda {

namespace {

constexpr const char* kHeader = "entry,direction,precision,value,launch_us,ns_per_thread,gwork_per_s,fit_rows,source";

std::vector<std::string> split_fields(const std::string& line, std::size_t count) {
  std::vector<std::string> f;
  std::size_t start = 0;
  while (f.size() + 1 < count) {  // the last field (source) may hold commas
    const std::size_t comma = line.find(',', start);
    if (comma == std::string::npos) break;
    f.push_back(line.substr(start, comma - start));
    start = comma + 1;
  }
  f.push_back(line.substr(start));
  return f;
}

bool to_number(const std::string& s, double* v) {
  if (s.empty()) return false;
  char* end = nullptr;
  *v = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

std::string number(double v) {
  std::ostringstream o;
  o.precision(6);
  o << v;
  return o.str();
}

}  // namespace

const Coefficients* Calibration::find(std::string_view family, Direction d, DType t) const {
  const auto it = rows.find({std::string(family), std::string(to_string(d)), precision_class(t)});
  return it == rows.end() ? nullptr : &it->second;
}

Result<Calibration> parse_calibration(const std::string& csv) {
  Calibration c;
  std::istringstream in(csv);
  std::string line;
  bool header = false;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    if (!header) {
      if (line != kHeader) return Status::Invalid("calibration: expected header '" + std::string(kHeader) + "'");
      header = true;
      continue;
    }
    const std::vector<std::string> f = split_fields(line, 9);
    const std::string where = "calibration line " + std::to_string(line_no) + ": ";
    if (f.size() != 9) return Status::Invalid(where + "expected 9 fields");
    const std::string& entry = f[0];
    if (entry == "gpu") {
      c.gpu = f[8];
      continue;
    }
    Ceiling* ceiling = entry == "copy_gbps"         ? &c.copy_gbps
                       : entry == "f32_gemm_tflops" ? &c.f32_gemm_tflops
                       : entry == "f16_gemm_tflops" ? &c.f16_gemm_tflops
                       : entry == "resident_threads" ? &c.resident_threads
                                                    : nullptr;
    if (ceiling != nullptr) {
      if (!to_number(f[3], &ceiling->value) || ceiling->value <= 0) return Status::Invalid(where + "bad value");
      ceiling->source = f[8];
      continue;
    }
    Coefficients k;
    double rows = 0;
    if (!to_number(f[4], &k.launch_us) || !to_number(f[5], &k.ns_per_thread) || !to_number(f[6], &k.gwork_per_s) ||
        !to_number(f[7], &rows) || k.launch_us < 0 || k.ns_per_thread < 0 || k.gwork_per_s < 0)
      return Status::Invalid(where + "bad coefficients");
    k.fit_rows = static_cast<int>(rows);
    k.source = f[8];
    if (!parse_direction(f[1]) || (f[2] != "f32" && f[2] != "f16"))
      return Status::Invalid(where + "bad direction or precision");
    c.rows[{entry, f[1], f[2]}] = k;
  }
  if (!header) return Status::Invalid("calibration: no header");
  if (c.gpu.empty() || c.copy_gbps.value <= 0 || c.resident_threads.value <= 0)
    return Status::Invalid("calibration: needs the gpu, copy_gbps and resident_threads rows");
  return c;
}

std::string write_calibration(const Calibration& c, const std::string& comment) {
  std::ostringstream o;
  std::istringstream lines(comment);
  for (std::string l; std::getline(lines, l);) o << "# " << l << "\n";
  o << kHeader << "\n";
  o << "gpu,,,,,,,," << c.gpu << "\n";
  auto ceiling = [&](const char* name, const Ceiling& v) {
    o << name << ",,," << number(v.value) << ",,,,," << v.source << "\n";
  };
  ceiling("copy_gbps", c.copy_gbps);
  ceiling("f32_gemm_tflops", c.f32_gemm_tflops);
  ceiling("f16_gemm_tflops", c.f16_gemm_tflops);
  ceiling("resident_threads", c.resident_threads);
  for (const auto& [key, k] : c.rows)
    o << std::get<0>(key) << "," << std::get<1>(key) << "," << std::get<2>(key) << ",," << number(k.launch_us) << ","
      << number(k.ns_per_thread) << "," << number(k.gwork_per_s) << "," << k.fit_rows << "," << k.source << "\n";
  return o.str();
}

const std::vector<Calibration>& builtin_calibrations() {
  static const std::vector<Calibration> tables = [] {
    std::vector<Calibration> v;
    for (const char* text : kCalibrationTables) {
      Result<Calibration> c = parse_calibration(text);
      if (c.ok()) v.push_back(std::move(c).value());  // a broken table fails CudaCalibration tests
    }
    return v;
  }();
  return tables;
}

const Calibration& calibration_for(const std::string& device_name, bool* exact) {
  const std::vector<Calibration>& tables = builtin_calibrations();
  for (const Calibration& c : tables)
    if (!device_name.empty() && device_name.find(c.gpu) != std::string::npos) {
      *exact = true;
      return c;
    }
  *exact = false;
  static const Calibration none = [] {
    Calibration c;
    c.gpu = "none (no calibration table compiled in)";
    return c;
  }();
  return tables.empty() ? none : tables.front();
}

}  // namespace tconv::cuda
