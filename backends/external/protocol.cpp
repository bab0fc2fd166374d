#include "backends/external/protocol.h"

#include <nlohmann/json.hpp>

namespace tconv {

namespace {

using json = nlohmann::ordered_json;

json shape_of(Layout l, const Dims& logical, std::int64_t groups) {
  const Dims d = physical_dims(l, logical, groups);
  json s = json::array();
  for (int i = 0; i < physical_rank(l); ++i) s.push_back(d[i]);
  return s;
}

json tensor_entry(const std::string& file, Layout l, const Dims& logical, std::int64_t groups) {
  return {{"file", file}, {"layout", std::string(to_string(l))}, {"shape", shape_of(l, logical, groups)}};
}

// Reads an optional list of names into `out` with `parse`; "" or the error.
template <class T, class Parse>
std::string read_list(const json& j, const char* key, std::vector<T>* out, Parse parse) {
  if (!j.contains(key)) return "";
  if (!j[key].is_array()) return std::string("\"") + key + "\" must be a list of names";
  out->clear();
  for (const json& item : j[key]) {
    if (!item.is_string()) return std::string("\"") + key + "\" must be a list of names";
    auto v = parse(item.get<std::string>());
    if (!v) return std::string("\"") + key + "\": unknown value \"" + item.get<std::string>() + "\"";
    out->push_back(*v);
  }
  return "";
}

// The optional keys of "math" beyond the roundoffs (PROTOCOL.md); "" or the first bad key.
std::string read_rounding_declaration(const json& m, MathMode* out) {
  out->output_roundings = m.value("output_roundings", 0);
  out->separate_bias = m.value("separate_bias", false);
  out->truncating_acc = m.value("truncating_accumulation", false);
  out->split_k = m.value("split_k", 0);
  out->u_split = m.value("u_split", out->u_acc);
  out->winograd_tile = m.value("winograd_tile", 0);
  out->fft_length = m.value("fft_length", std::int64_t{0});
  if (out->output_roundings < 0) return "\"math\": \"output_roundings\" is negative";
  if (m.contains("algorithm")) {
    const std::string text = m.at("algorithm").get<std::string>();
    const std::optional<AlgorithmClass> c = parse_algorithm_class(text);
    if (!c) return "\"math\": \"algorithm\" '" + text + "' is not direct, implicit-gemm, fft or winograd";
    out->algorithm = *c;
  }
  return "";
}

}  // namespace

std::string problem_json(const Problem& p, Direction d) {
  json problem = {{"n", p.n},           {"c_in", p.c_in},         {"c_out", p.c_out},
                  {"groups", p.groups}, {"h_in", p.h_in},         {"w_in", p.w_in},
                  {"kh", p.kh},         {"kw", p.kw},             {"stride_h", p.stride_h},
                  {"stride_w", p.stride_w}, {"dil_h", p.dil_h},   {"dil_w", p.dil_w},
                  {"pad_top", p.crop_top},   {"pad_bottom", p.crop_bottom},
                  {"pad_left", p.crop_left}, {"pad_right", p.crop_right},
                  {"h_out", p.h_out()}, {"w_out", p.w_out()},     {"bias", p.bias},
                  {"dtype", std::string(to_string(p.dtype))},    {"layout", std::string(to_string(p.layout))},
                  {"weight_layout", std::string(to_string(p.weight_layout))}};
  const auto x = tensor_entry("x.npy", p.layout, p.x_dims(), 1);
  const auto w = tensor_entry("w.npy", p.weight_layout, p.w_dims(), p.groups);
  const auto b = tensor_entry("b.npy", Layout::X, p.b_dims(), 1);
  const auto dy = tensor_entry("dy.npy", p.layout, p.y_dims(), 1);
  json inputs = json::object(), output;
  switch (d) {
    case Direction::fwd:
      inputs["x"] = x, inputs["w"] = w;
      if (p.bias) inputs["b"] = b;
      output = tensor_entry("y.npy", p.layout, p.y_dims(), 1);
      break;
    case Direction::bwd_data:
      inputs["dy"] = dy, inputs["w"] = w;
      output = tensor_entry("dx.npy", p.layout, p.x_dims(), 1);
      break;
    case Direction::bwd_weights:
      inputs["x"] = x, inputs["dy"] = dy;
      output = tensor_entry("dw.npy", p.weight_layout, p.w_dims(), p.groups);
      break;
    case Direction::bwd_bias:
      inputs["dy"] = dy;
      output = tensor_entry("db.npy", Layout::X, p.b_dims(), 1);
      break;
  }
  output["name"] = output_name(d);
  // Integer problems: the declared requantization (Quant in problem.h); the bias is int32.
  // Keys unique in the document, so a reader that searches for "key": finds them.
  if (is_integer(p.dtype)) {
    const Quant& q = p.quant;
    problem["quant"] = {{"zp_x", q.zp_x}, {"zp_w", q.zp_w}, {"zp_y", q.zp_y}, {"multiplier", q.multiplier},
                        {"shift", q.shift}, {"rounding", std::string(to_string(q.rounding))},
                        {"bias_dtype", std::string(to_string(bias_dtype(p)))}};
  }
  const json doc = {{"protocol", 1},          {"direction", std::string(to_string(d))},
                    {"problem", problem},     {"repro", to_repro(p)},
                    {"inputs", inputs},       {"output", output}};
  return doc.dump(2) + "\n";
}

Result<ExternalDeclaration> parse_capabilities(const std::string& json_text) {
  using R = Result<ExternalDeclaration>;
  const json j = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return R::failure("not a JSON object");
  ExternalDeclaration out;
  Capabilities& c = out.capabilities;
  c.layouts = {Layout::NCHW};
  std::string err = read_list(j, "dtypes", &c.dtypes, parse_dtype);
  if (err.empty()) err = read_list(j, "layouts", &c.layouts, parse_layout);
  if (err.empty()) err = read_list(j, "weight_layouts", &c.weight_layouts, parse_layout);
  if (err.empty()) err = read_list(j, "directions", &c.directions, parse_direction);
  if (!err.empty()) return R::failure(err);
  for (Layout l : c.layouts)
    if (!is_data_layout(l)) return R::failure("\"layouts\": " + std::string(to_string(l)) + " is not a data layout");
  for (Layout l : c.weight_layouts)
    if (!is_weight_layout(l))
      return R::failure("\"weight_layouts\": " + std::string(to_string(l)) + " is not a weight layout");
  try {
    for (auto [key, field] : {std::pair{"groups", &c.groups}, {"dilation", &c.dilation},
                              {"asymmetric_crops", &c.asymmetric_crops}, {"negative_crops", &c.negative_crops},
                              {"on_device", &c.on_device}, {"deterministic", &c.deterministic}})
      if (j.contains(key)) *field = j.at(key).get<bool>();
    if (j.contains("max_elements")) c.max_elements = j.at("max_elements").get<std::int64_t>();
    if (j.contains("math")) {
      const json& m = j.at("math");
      MathMode declared{m.value("name", std::string("declared")), m.at("u_mul").get<double>(),
                        m.at("u_acc").get<double>()};
      if (std::string why = read_rounding_declaration(m, &declared); !why.empty()) return R::failure(why);
      out.math = declared;
    }
    // Integer problems: an accumulator of this many significant bits (tolerance mode,
    // conformance/compare.h); without it integer outputs must match bit for bit.
    if (j.contains("accumulator_bits")) {
      const int bits = j.at("accumulator_bits").get<int>();
      if (bits < 2 || bits > 64) return R::failure("\"accumulator_bits\": " + std::to_string(bits) + " is not in [2, 64]");
      out.accumulator_bits = bits;
    }
  } catch (const json::exception& e) {
    return R::failure(e.what());
  }
  return out;
}

MathMode ExternalDeclaration::math_for(DType t) const {
  if (is_integer(t)) {
    MathMode m = default_math(t);
    m.acc_bits = accumulator_bits;
    return m;
  }
  return math.value_or(default_math(t));
}

Result<CallReport> parse_call_report(const std::string& json_object_text) {
  using R = Result<CallReport>;
  const json j = json::parse(json_object_text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return R::failure("not a JSON object");
  CallReport r;
  for (auto [key, field] : {std::pair{"device_time_ms", &r.device_time_ms}, std::pair{"staging_time_ms", &r.staging_time_ms}})
    if (j.contains(key)) {
      if (!j[key].is_number() || j[key].get<double>() < 0)
        return R::failure("\"" + std::string(key) + "\" must be a non-negative number");
      *field = j[key].get<double>();
    }
  if (j.contains("algorithm")) {
    if (!j["algorithm"].is_string()) return R::failure("\"algorithm\" must be a string");
    r.details.algorithm = j["algorithm"].get<std::string>();
  }
  if (j.contains("workspace_bytes")) {
    if (!j["workspace_bytes"].is_number_unsigned()) return R::failure("\"workspace_bytes\" must be a non-negative integer");
    r.details.workspace_bytes = static_cast<std::int64_t>(j["workspace_bytes"].get<std::uint64_t>());
  }
  if (j.contains("deterministic")) {
    if (!j["deterministic"].is_boolean()) return R::failure("\"deterministic\" must be true or false");
    r.details.deterministic = j["deterministic"].get<bool>();
  }
  return r;
}

Result<CallReport> parse_timing(const std::string& json_text) {
  auto r = parse_call_report(json_text);
  if (!r) return Result<CallReport>::failure("timing.json: " + r.error());
  return r;
}

}  // namespace tconv
