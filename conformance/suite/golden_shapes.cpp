#include "conformance/suite/golden_shapes.h"

#include <map>

#include "backends/api/npy.h"
#include "conformance/suite/error.h"

namespace tconv::suite {

namespace {

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

class ShapeReader {
 public:
  ShapeReader(CaseDraft& d, const std::set<std::string>& own, const SuiteContext& ctx) : d_(d), own_(own), ctx_(ctx) {}

  bool applicable() const {
    for (const char* k : {"n", "c_in", "c_out", "input", "kernel", "groups", "layout", "weight_layout"})
      if (!spec(k)) return false;
    return true;
  }

  // The tensor's shape, which must have `rank` dimensions.
  std::vector<std::int64_t> shape(const Entry& e, const std::string& abs_path, std::size_t rank) {
    auto a = read_npy(abs_path);
    if (!a) fail(ctx_.file, e.value_mark(), e.path, a.error());
    if (a->shape.size() != rank)
      fail(ctx_.file, e.value_mark(), e.path, "expected a " + std::to_string(rank) + "-D tensor, the file has shape " + shape_text(a->shape));
    for (std::int64_t v : a->shape)
      if (v < 1) fail(ctx_.file, e.value_mark(), e.path, "empty tensor: shape " + shape_text(a->shape));
    return a->shape;
  }

  // The case's value of key: written (by the case, the defaults or a tensor read earlier)
  // or the convention's default.
  const Value& current(const std::string& key) const {
    auto it = d_.settings.find(key);
    return it != d_.settings.end() ? it->second.param.value : *spec(key)->default_value;
  }
  std::int64_t groups() const {
    const Value& g = current("groups");
    return g.word == "depthwise" ? current("c_in").ints[0] : g.ints[0];
  }

  // Takes `v` for `key` from the tensor at `e`, or checks it against what the case wrote.
  void settle(const std::string& key, Value v, const Entry& e, const std::vector<std::int64_t>& shape, const std::string& layout) {
    const std::string origin = e.key + " " + shape_text(shape) + " (" + layout + ")";
    if (own_.count(key) || decided_.count(key)) {
      const Setting& s = d_.settings.at(key);
      if (s.param.value.ints != v.ints)
        fail(ctx_.file, e.value_mark(), e.path,
             "shape mismatch: " + origin + " means " + key + " " + text(v) + ", but " +
                 (own_.count(key) ? "the case writes " + key + ": " + s.param.written : s.param.written + " gave " + text(s.param.value)));
      return;
    }
    Setting s;
    s.param.value = std::move(v);
    s.param.mark = e.value_mark();
    s.param.path = e.path;
    s.param.written = "from " + origin;
    d_.settings[key] = std::move(s);
    decided_.insert(key);
  }

 private:
  const conventions::KeySpec* spec(const std::string& key) const {
    for (const auto& k : d_.convention->keys())
      if (k.name == key) return &k;
    return nullptr;
  }
  static std::string text(const Value& v) {
    std::string s;
    for (std::size_t i = 0; i < v.ints.size(); ++i) s += (i ? "x" : "") + std::to_string(v.ints[i]);
    return s;
  }

  CaseDraft& d_;
  const std::set<std::string>& own_;
  const SuiteContext& ctx_;
  std::set<std::string> decided_;
};

Value one(std::int64_t v) { return Value{{v}, ""}; }
Value pair(std::int64_t h, std::int64_t w) { return Value{{h, w}, ""}; }

}  // namespace

void apply_golden_shapes(CaseDraft& d, const std::set<std::string>& own_keys, const GoldenEntries& files,
                         const SuiteContext& ctx) {
  ShapeReader r(d, own_keys, ctx);
  if (!r.applicable()) return;
  const std::string layout = r.current("layout").word;
  const std::string weight_layout = r.current("weight_layout").word;
  // Logical [N, C, H, W] of a data tensor stored in `layout`.
  auto data_dims = [&](const std::vector<std::int64_t>& s) -> Dims {
    return layout == "NHWC" ? Dims{s[0], s[3], s[1], s[2]} : Dims{s[0], s[1], s[2], s[3]};
  };
  if (files.x) {
    const auto s = r.shape(*files.x, d.golden.x, 4);
    const Dims x = data_dims(s);
    r.settle("n", one(x[0]), *files.x, s, layout);
    r.settle("c_in", one(x[1]), *files.x, s, layout);
    r.settle("input", pair(x[2], x[3]), *files.x, s, layout);
  }
  if (files.weight) {
    const auto s = r.shape(*files.weight, d.golden.weight, 4);
    const std::int64_t g = r.groups();
    // Logical [C_in, C_out/g, kH, kW] from the stored order (layout.h).
    Dims w{s[0], s[1], s[2], s[3]};
    if (weight_layout == "IHWO") w = {s[0], s[3], s[1], s[2]};
    if (weight_layout == "HWOI") w = {s[3], s[2], s[0], s[1]};
    if (weight_layout == "OIHW_FLIPPED") w = {s[1] * g, s[0] / g, s[2], s[3]};
    r.settle("c_in", one(w[0]), *files.weight, s, weight_layout);
    r.settle("kernel", pair(w[2], w[3]), *files.weight, s, weight_layout);
    r.settle("c_out", one(w[1] * g), *files.weight, s, weight_layout);
  }
  if (files.bias) {
    const auto s = r.shape(*files.bias, d.golden.bias, 1);
    r.settle("c_out", one(s[0]), *files.bias, s, "X");
  }
  if (files.dy) {
    const auto s = r.shape(*files.dy, d.golden.dy, 4);
    const Dims dy = data_dims(s);
    r.settle("n", one(dy[0]), *files.dy, s, layout);
    r.settle("c_out", one(dy[1]), *files.dy, s, layout);
  }
}

}  // namespace tconv::suite
