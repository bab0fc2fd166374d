#include "conformance/suite/golden_shapes.h"

#include <map>

#include "backends/api/npy.h"
#include "conformance/suite/error.h"

namespace tconv::suite {

namespace {

using conventions::ParamSet;

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

// The tensor's shape, which must have `rank` dimensions (rank 0: any).
std::vector<std::int64_t> file_shape(const Entry& e, const std::string& abs_path, std::size_t rank, const SuiteContext& ctx) {
  auto a = read_npy(abs_path);
  if (!a) fail(ctx.file, e.value_mark(), e.path, a.error());
  if (rank && a->shape.size() != rank)
    fail(ctx.file, e.value_mark(), e.path, "expected a " + std::to_string(rank) + "-D tensor, the file has shape " + shape_text(a->shape));
  for (std::int64_t v : a->shape)
    if (v < 1) fail(ctx.file, e.value_mark(), e.path, "empty tensor: shape " + shape_text(a->shape));
  return a->shape;
}

// Settles the case's sizes one tensor dimension at a time.
class ShapeReader {
 public:
  ShapeReader(CaseDraft& d, const std::set<std::string>& own, const SuiteContext& ctx) : d_(d), own_(own), ctx_(ctx) {}

  // The case's parameters as they stand (for the layouts the tensors are read in).
  ParamSet params() const {
    ParamSet p(&d_.convention->keys());
    for (const auto& [key, s] : d_.settings)
      if (spec(key)) p.set(key, s.param);
    return p;
  }

  void read(const Entry& e, const std::string& abs_path, const std::string& tensor) {
    const std::optional<conventions::TensorSizes> sizes = d_.convention->tensor_sizes(tensor, params());
    if (!sizes) return;
    const std::vector<std::int64_t> shape = file_shape(e, abs_path, sizes->rank, ctx_);
    const std::string origin = (tensor == "y" ? "expect.y" : e.key) + " " + shape_text(shape) + " (" + sizes->layout + ")";
    if (!sizes->whole_key.empty()) take_whole(sizes->whole_key, shape, e, origin);
    for (const conventions::TensorDim& dim : sizes->dims) {
      const std::int64_t times = dim.times.empty() ? 1 : factor(dim.times);
      settle(dim.key, dim.part, shape.at(dim.dim) * times, e, origin);
    }
  }

 private:
  const conventions::KeySpec* spec(const std::string& key) const {
    for (const auto& k : d_.convention->keys())
      if (k.name == key) return &k;
    return nullptr;
  }

  // The key's integers as they stand: written (by the case, the defaults or a tensor read
  // earlier), else its default, else zeros until the tensors fill them.
  std::vector<std::int64_t> current(const std::string& key) const {
    if (auto it = d_.settings.find(key); it != d_.settings.end()) return it->second.param.value.ints;
    const conventions::KeySpec& k = *spec(key);
    if (k.default_value && !k.default_value->is_word()) return k.default_value->ints;
    return std::vector<std::int64_t>(static_cast<std::size_t>(k.spec.count), 0);
  }

  // A multiplier key such as groups (`depthwise` means groups = c_in).
  std::int64_t factor(const std::string& key) const {
    auto it = d_.settings.find(key);
    const Value& v = it != d_.settings.end() ? it->second.param.value : *spec(key)->default_value;
    if (v.word == "depthwise") return current("c_in").at(0);
    return v.ints.empty() ? 1 : v.ints[0];
  }

  std::string part_name(const std::string& key, std::size_t part) const {
    return spec(key)->spec.count > 1 ? key + "[" + std::to_string(part) + "]" : key;
  }

  // `key` is the whole shape, of the tensor's rank: a key of another length is set to that
  // many zeros first, unless the case wrote it (a mismatch) or a tensor gave it.
  void take_whole(const std::string& key, const std::vector<std::int64_t>& shape, const Entry& e, const std::string& origin) {
    const std::vector<std::int64_t> ints = current(key);
    if (ints.size() != shape.size()) {
      if (own_.count(key) || decided_.count(part_name(key, 0)))
        fail(ctx_.file, e.value_mark(), e.path, "shape mismatch: " + origin + " has " + std::to_string(shape.size()) +
                                                    " dimensions, but " + key + " has " + std::to_string(ints.size()) + " values");
      d_.settings[key].param.value = Value{std::vector<std::int64_t>(shape.size(), 0), ""};
    }
    for (std::size_t i = 0; i < shape.size(); ++i) settle(key, i, shape[i], e, origin);
  }

  // Takes `v` for part `part` of `key` from the tensor at `e`, or checks it against what the
  // case wrote or an earlier tensor gave.
  void settle(const std::string& key, std::size_t part, std::int64_t v, const Entry& e, const std::string& origin) {
    std::vector<std::int64_t> ints = current(key);
    const std::string name = part_name(key, part);
    if (own_.count(key) || decided_.count(name)) {
      if (ints.at(part) == v) return;
      const Setting& s = d_.settings.at(key);
      const std::string before = own_.count(key) ? "the case writes " + key + ": " + s.param.written
                                                 : "from " + decided_.at(name) + " gave " + name + " " + std::to_string(ints.at(part));
      fail(ctx_.file, e.value_mark(), e.path, "shape mismatch: " + origin + " means " + name + " " + std::to_string(v) + ", but " + before);
    }
    // A tensor overrides a `defaults:` value; the parts no tensor gives keep theirs.
    ints.at(part) = v;
    Setting& s = d_.settings[key];
    s.param.value = Value{ints, ""};
    s.param.mark = e.value_mark();
    s.param.path = e.path;
    s.param.written = "from " + origin;
    decided_[name] = origin;
  }

  CaseDraft& d_;
  const std::set<std::string>& own_;
  const SuiteContext& ctx_;
  std::map<std::string, std::string> decided_;  // key part -> the tensor that gave it
};

}  // namespace

void apply_golden_shapes(CaseDraft& d, const std::set<std::string>& own_keys, const GoldenEntries& files,
                         const SuiteContext& ctx) {
  ShapeReader r(d, own_keys, ctx);
  const GoldenFiles& g = d.golden;
  if (files.x) r.read(*files.x, g.x, "x");
  if (files.weight) r.read(*files.weight, g.weight, "weight");
  if (files.bias) r.read(*files.bias, g.bias, "bias");
  if (files.dy) r.read(*files.dy, g.dy, "dy");
  if (files.y) r.read(*files.y, g.y, "y");
}

void check_golden_shapes(const Case& c, const GoldenEntries& files, const SuiteContext& ctx) {
  // The INVALID or UNSUPPORTED row says why; its sizes may mean nothing.
  if (!c.invalid_reason.empty() || !c.unsupported_reason.empty()) return;
  const Problem& p = c.problem;
  struct Expected {
    const Entry* entry;
    const std::string& path;
    const char* tensor;
    Layout layout;
    Dims logical;
  };
  const Expected all[] = {
      {files.x, c.golden.x, "x", p.layout, p.x_dims()},
      {files.weight, c.golden.weight, "weight", p.weight_layout, p.w_dims()},
      {files.bias, c.golden.bias, "bias", Layout::X, p.b_dims()},
      {files.dy, c.golden.dy, "dy", p.layout, p.y_dims()},
      {files.y, c.golden.y, "y", p.layout, p.y_dims()},
      {files.dx, c.golden.dx, "dx", p.layout, p.x_dims()},
      {files.dw, c.golden.dw, "dw", p.weight_layout, p.w_dims()},
      {files.db, c.golden.db, "db", Layout::X, p.b_dims()},
  };
  for (const Expected& x : all) {
    if (!x.entry) continue;
    const Dims pd = physical_dims(x.layout, x.logical, p.groups);
    const std::vector<std::int64_t> want(pd.begin(), pd.begin() + physical_rank(x.layout));
    const std::vector<std::int64_t> got = file_shape(*x.entry, x.path, 0, ctx);
    if (got == want) continue;
    const std::vector<std::int64_t> logical(x.logical.begin(), x.logical.begin() + physical_rank(x.layout));
    fail(ctx.file, x.entry->value_mark(), x.entry->path,
         "shape mismatch: the file has shape " + shape_text(got) + ", but this case's " + x.tensor + " is " + shape_text(want) + " (" +
             std::string(to_string(x.layout)) + ", logical " + shape_text(logical) + ")" +
             (c.convention_rule.empty() ? "" : "; " + c.convention_rule));
  }
}

}  // namespace tconv::suite
