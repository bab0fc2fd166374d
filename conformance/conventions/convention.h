// The convention hook: a case written in some framework's terms (`convention: pytorch`) is
// translated into the canonical Problem by the translator registered under that name.
//
// Adding a convention (keras, onnx, tf, ...) = one file defining
//   const Convention& keras_convention();
// in namespace tconv::conventions, plus one `X(keras)` line in registry.cpp.
// The suite parser does the rest: it checks each written value against the translator's
// KeySpecs (types, ranges, "did you mean" for unknown keys) at the value's own line and
// column, applies defaults, expands sweeps, and then calls translate() once per case.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "backends/api/problem.h"
#include "conformance/suite/value.h"

namespace tconv::conventions {

using suite::Value;
using suite::ValueSpec;

// One key a convention accepts.
struct KeySpec {
  std::string name;
  ValueSpec spec;
  std::optional<Value> default_value;   // absent: no default, the key counts only when given
  std::vector<std::string> components;  // where-expression names of the parts, e.g. {"h", "w"}
                                        // makes stride_h and stride_w
};

// One parameter as written: its checked value and where it was written.
struct Param {
  Value value;
  YAML::Mark mark;
  std::string path;     // key path for error messages, e.g. "sweeps[2].stride[1]"
  std::string written;  // the YAML text as written, kept in Case::origin
};

// The parameters of one case in one convention: what was written (defaults, sweep values or
// the case's own keys), with the convention's defaults behind them.
class ParamSet {
 public:
  explicit ParamSet(const std::vector<KeySpec>* keys) : keys_(keys) {}

  void set(const std::string& key, Param p) { given_[key] = std::move(p); }
  bool given(std::string_view key) const { return given_.find(key) != given_.end(); }
  const Param* find(std::string_view key) const;
  const std::map<std::string, Param, std::less<>>& given_params() const { return given_; }
  const std::vector<KeySpec>& keys() const { return *keys_; }

  // The written value, else the key's default; nullptr for a key with neither.
  const Value* value(std::string_view key) const;
  // Shorthands for keys that have a default (a key without one must be checked with value()).
  std::int64_t integer(std::string_view key) const { return value(key)->ints.at(0); }
  const std::vector<std::int64_t>& ints(std::string_view key) const { return value(key)->ints; }
  const std::string& word(std::string_view key) const { return value(key)->word; }
  bool flag(std::string_view key) const { return value(key)->flag(); }

 private:
  const std::vector<KeySpec>* keys_;
  std::map<std::string, Param, std::less<>> given_;
};

// What a translator returns. `problem` is filled as far as the parameters allow even when
// invalid, so the INVALID row still carries a repro string.
struct Translation {
  Problem problem;
  std::string invalid_reason;  // "code: message" for well-formed input that is no valid problem here
  std::string unsupported_reason;  // well-formed input outside tconv's 2-D operator (a 3-D ONNX
                                   // node): an UNSUPPORTED row on every backend, saying why
  std::string rule;            // one line: the crop rule applied, with this case's numbers (named
                               // when a backend disagrees with the framework's golden output)
  std::string error_key;       // bad input about one written key: a load error at that key
  std::string error;

  static Translation failure(std::string key, std::string message) {
    Translation t;
    t.error_key = std::move(key);
    t.error = std::move(message);
    return t;
  }
};

// Golden tensors give sizes (docs/design.md section 5, "sizes not given are taken from the
// tensors"): integer `part` of key `key` is the tensor's dimension `dim`, times the value of the
// key `times` when one is named (PyTorch stores C_out / groups in the weight).
struct TensorDim {
  std::size_t dim;
  std::string key;
  std::size_t part = 0;
  std::string times = {};
};

// One golden tensor as this convention stores it: its rank, its layout in words for messages
// ("NHWC [N, H, W, C]") and the sizes it gives.
struct TensorSizes {
  std::size_t rank = 4;
  std::string layout;
  std::vector<TensorDim> dims;
  std::string whole_key = {};  // non-empty (with rank 0): the tensor, of any rank, is this key's
                               // whole list (ONNX's X of a 3-D node: input_shape of 5 values)
};

class Convention {
 public:
  virtual ~Convention() = default;
  virtual std::string_view name() const = 0;
  virtual const std::vector<KeySpec>& keys() const = 0;
  // Called with values already checked against keys(). Never throws.
  virtual Translation translate(const ParamSet& params) const = 0;
  // The sizes golden tensor `tensor` (x, weight, bias, dy, y) gives under `params` (which
  // choose the layouts); nothing for a tensor the convention takes no size from.
  virtual std::optional<TensorSizes> tensor_sizes(std::string_view tensor, const ParamSet& params) const = 0;
};

const Convention* find_convention(std::string_view name);
const std::vector<const Convention*>& all_conventions();
std::vector<std::string> convention_names();

// The suite's default when a case names none.
inline constexpr std::string_view kDefaultConvention = "pytorch";

}  // namespace tconv::conventions
