#include "reports/perf_table.h"

#include <map>
#include <unordered_map>

namespace tconv::reports {

PerfTable build_perf_table(const std::vector<ResultRow>& rows) {
  PerfTable t;
  std::unordered_map<std::string, std::size_t> backend_index;
  std::map<std::pair<std::string, Direction>, std::size_t> shape_index;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ResultRow& r = rows[i];
    if (!r.gflops || !r.time_ms) continue;
    const std::string spec = r.backend + ":" + r.variant;
    auto [b, new_backend] = backend_index.try_emplace(spec, t.backends.size());
    if (new_backend) {
      t.backends.push_back(spec);
      for (PerfShape& s : t.shapes) s.points.emplace_back();
    }
    auto [s, new_shape] = shape_index.try_emplace({r.case_name, r.direction}, t.shapes.size());
    if (new_shape) {
      t.shapes.push_back(PerfShape{r.case_name, r.direction, r.problem, flops(r.problem, r.direction) / 1e9, {}});
      t.shapes.back().points.resize(t.backends.size());
    }
    t.shapes[s->second].points[b->second] = PerfPoint{*r.gflops, *r.time_ms, r.time_min_ms, r.time_max_ms, r.status, i};
  }
  return t;
}

std::string ceiling_key(const ResultRow& row) {
  if (row.direction == Direction::bwd_bias) return "";  // a reduction: bound by memory, not by a GEMM
  switch (row.problem.dtype) {
    case DType::f32: return row.math.find("tf32") != std::string::npos ? "tf32" : "f32";
    case DType::f16: return "f16";
    case DType::bf16: return "bf16";
    case DType::f64: return "f64";
    default: return "";
  }
}

namespace {

// environment[key]'s entry for a backend: the number itself when it is one, else the value
// under "backend:variant" or "backend" (nullptr: none).
const nlohmann::ordered_json* backend_entry(const nlohmann::ordered_json& environment, const char* key,
                                            const std::string& backend_spec) {
  const auto it = environment.find(key);
  if (it == environment.end()) return nullptr;
  if (it->is_number()) return &*it;
  if (!it->is_object()) return nullptr;
  const std::string name = backend_spec.substr(0, backend_spec.find(':'));
  for (const std::string& spec : {backend_spec, name})
    if (const auto v = it->find(spec); v != it->end()) return &*v;
  return nullptr;
}

}  // namespace

std::optional<double> peak_gbps(const nlohmann::ordered_json& environment, const std::string& backend_spec) {
  const auto* v = backend_entry(environment, "peak_gbps", backend_spec);
  return v && v->is_number() ? std::optional(v->get<double>()) : std::nullopt;
}

std::optional<double> peak_gflops(const nlohmann::ordered_json& environment, const std::string& backend_spec,
                                  const std::string& key) {
  const auto* v = backend_entry(environment, "peak_gflops", backend_spec);
  if (!v) return std::nullopt;
  if (v->is_number()) return v->get<double>();
  if (const auto by_type = v->is_object() ? v->find(key) : v->end(); by_type != v->end() && by_type->is_number())
    return by_type->get<double>();
  return std::nullopt;
}

}  // namespace tconv::reports
