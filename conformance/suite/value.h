// Typed parameter values as a suite writes them, checked against a per-key spec so a wrong
// type or an out-of-range value is reported at the value's own line and column.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "backends/api/result.h"

namespace tconv::suite {

enum class ValueKind : std::uint8_t {
  integer,  // one integer (or one of `keywords`, e.g. groups: depthwise)
  ints,     // `count` integers; a scalar means all equal (stride: 2 == [2, 2]); or a keyword
  choice,   // one of `choices` (dtype, layout, ...)
  boolean,  // true / false
};

struct ValueSpec {
  ValueKind kind = ValueKind::integer;
  int count = 1;                                           // ints
  std::int64_t min = std::numeric_limits<std::int64_t>::min();  // integer, ints
  std::vector<std::string> choices;                        // choice
  std::vector<std::string> keywords;                       // integer, ints: words accepted too
                                                           // (groups: depthwise, padding: same)
  std::string shape;                                       // ints: "[h, w]" for messages
  bool flatten = false;  // ints: accept nested lists and read them in order, e.g. TF's
                         // explicit paddings [[0, 0], [t, b], [l, r], [0, 0]] as 8 integers
  bool any_count = false;  // ints: a list of any length >= 1 is taken too (ONNX's attributes
                           // have one value per spatial axis: 3 for a 3-D node); a scalar
                           // still means `count` equal values

  std::string describe() const;  // "an integer >= 1 or [h, w]", "one of f32, f16"

  static ValueSpec integer_at_least(std::int64_t min, std::vector<std::string> keywords = {});
  static ValueSpec ints_at_least(int count, std::int64_t min, std::string shape,
                                 std::vector<std::string> keywords = {});
  static ValueSpec one_of(std::vector<std::string> choices);
  static ValueSpec boolean();
};

// A checked value: integers (1 or `count` of them, a scalar already broadcast) or a word
// (a choice, a keyword such as "depthwise", or "true"/"false" for booleans).
struct Value {
  std::vector<std::int64_t> ints;
  std::string word;
  bool is_word() const { return ints.empty(); }
  bool flag() const { return word == "true"; }
  bool operator==(const Value&) const = default;
};

// Parses one YAML value against the spec; the error (no location) says what was expected
// and what was found, with a "did you mean" for near-miss choices.
Result<Value> parse_value(const YAML::Node& node, const ValueSpec& spec);

// A YAML node as a user wrote it, in flow style: `2`, `[3, 3]`, `{kind: integer}`.
std::string node_text(const YAML::Node& node);

}  // namespace tconv::suite
