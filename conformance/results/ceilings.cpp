#include "conformance/results/ceilings.h"

#include <cmath>
#include <sstream>

#include "conformance/results/results_csv.h"

namespace tconv {

namespace {

using R = Result<MeasuredCeilings>;

// The rate units a ceiling may carry, as a factor to GFLOP/s or GB/s.
std::optional<double> rate_factor(const std::string& unit, const std::string& per_second) {
  if (unit == "G" + per_second) return 1.0;
  if (unit == "T" + per_second) return 1e3;
  if (unit == "M" + per_second) return 1e-3;
  return std::nullopt;
}

}  // namespace

R parse_ceilings(const std::string& text, const std::string& source) {
  MeasuredCeilings c;
  c.source = source;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string key, value, unit, extra;
    if (!(words >> key)) continue;
    const std::string where = source + ":" + std::to_string(number) + ": key '" + key + "': ";
    if (!(words >> value >> unit) || (words >> extra))
      return R::failure(where + "expected 'key value unit', got '" + line + "'");
    if (key == "device") {
      c.device = value;
      continue;
    }
    double v = 0;
    try {
      std::size_t used = 0;
      v = std::stod(value, &used);
      if (used != value.size()) throw std::invalid_argument(value);
    } catch (const std::exception&) {
      return R::failure(where + "'" + value + "' is not a number");
    }
    if (!std::isfinite(v) || v <= 0) return R::failure(where + "'" + value + "' is not a positive rate");
    const bool gemm = key.rfind("gemm_", 0) == 0;
    if (gemm || key == "fma_f32") {
      const auto f = rate_factor(unit, "FLOP/s");
      if (!f) return R::failure(where + "unit '" + unit + "': expected GFLOP/s or TFLOP/s");
      const std::string type = gemm ? key.substr(5) : "";
      if (gemm && type != "f32" && type != "tf32" && type != "f16" && type != "bf16" && type != "f64")
        return R::failure(where + "unknown data type '" + type + "' (gemm_f32, gemm_tf32, gemm_f16, gemm_bf16, gemm_f64)");
      if (gemm)
        c.gemm_gflops[type] = v * *f;
      else
        c.fma_gflops = v * *f;
    } else if (key == "copy_bandwidth") {
      const auto f = rate_factor(unit, "B/s");
      if (!f) return R::failure(where + "unit '" + unit + "': expected GB/s or TB/s");
      c.copy_gbps = v * *f;
    } else if (key == "resident_threads") {
      c.resident_threads = v;
    } else {
      return R::failure(where + "unknown key (device, gemm_f32, gemm_tf32, gemm_f16, gemm_bf16, gemm_f64, fma_f32, "
                                "copy_bandwidth, resident_threads)");
    }
  }
  if (c.device.empty()) return R::failure(source + ": no 'device' line (\"device cpu -\" or \"device GPU_NAME -\")");
  if (c.gemm_gflops.empty()) return R::failure(source + ": no gemm_* ceiling: nothing to report fractions of");
  return c;
}

R read_ceilings(const std::string& path) {
  auto text = read_file(path);
  if (!text) return R::failure("--ceilings " + text.error());
  return parse_ceilings(*text, path);
}

nlohmann::ordered_json to_json(const MeasuredCeilings& c) {
  nlohmann::ordered_json j = {{"source", c.source}, {"device", c.device}, {"gemm_gflops", c.gemm_gflops}};
  if (c.fma_gflops) j["fma_gflops"] = *c.fma_gflops;
  if (c.copy_gbps) j["copy_gbps"] = *c.copy_gbps;
  if (c.resident_threads) j["resident_threads"] = *c.resident_threads;
  return j;
}

namespace {

// Per backend name, `value(c)` of the first file measured where it runs (null: none there).
template <class Value>
nlohmann::ordered_json by_backend(const std::vector<MeasuredCeilings>& ceilings,
                                  const std::vector<std::pair<std::string, bool>>& backends, Value&& value) {
  nlohmann::ordered_json peaks = nlohmann::ordered_json::object();
  for (const auto& [name, on_device] : backends)
    for (const MeasuredCeilings& c : ceilings)
      if (c.host() != on_device && !peaks.contains(name))
        if (nlohmann::ordered_json v = value(c); !v.is_null()) peaks[name] = std::move(v);
  return peaks;
}

}  // namespace

nlohmann::ordered_json peak_gflops_by_backend(const std::vector<MeasuredCeilings>& ceilings,
                                              const std::vector<std::pair<std::string, bool>>& backends) {
  return by_backend(ceilings, backends, [](const MeasuredCeilings& c) { return nlohmann::ordered_json(c.gemm_gflops); });
}

nlohmann::ordered_json peak_gbps_by_backend(const std::vector<MeasuredCeilings>& ceilings,
                                            const std::vector<std::pair<std::string, bool>>& backends) {
  return by_backend(ceilings, backends, [](const MeasuredCeilings& c) {
    return c.copy_gbps ? nlohmann::ordered_json(*c.copy_gbps) : nlohmann::ordered_json();
  });
}

}  // namespace tconv
