// Per-dimension arithmetic shared by the framework translators (docs/design.md section 2).
// Everything is one spatial dimension at a time: the callers apply it to H and W.
#pragma once

#include <cstdint>
#include <string>

namespace tconv::conventions {

// Dilated kernel extent: d*(k - 1) + 1.
inline std::int64_t k_eff(std::int64_t k, std::int64_t d) { return d * (k - 1) + 1; }

// Length of the uncropped ("full") transposed-convolution output: (in - 1)*s + k_eff.
inline std::int64_t full_length(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d) {
  return (in - 1) * s + k_eff(k, d);
}

// Division rounding toward minus infinity: ONNX's pad split must use it, because the total
// can be negative (test_convtranspose_output_shape), where C++'s `/` rounds toward zero.
inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// One dimension's canonical crops (negative = extension).
struct Crops {
  std::int64_t begin = 0, end = 0;
  bool operator==(const Crops&) const = default;
};

// The crops TensorFlow and Keras use for padding SAME with a given output length: those of
// the gradient of a SAME forward convolution. total = full - out; the begin gets the smaller
// half of a positive total and nothing of a negative one (the end then extends the output).
// `rule` (optional) gets the split with its numbers, for messages about the case.
inline Crops same_conv_gradient_crops(std::int64_t full, std::int64_t out, std::string* rule = nullptr) {
  const std::int64_t total = full - out;
  const std::int64_t begin = (total > 0 ? total : 0) / 2;
  if (rule)
    *rule = "total crop (in-1)*s + k_eff - out = " + std::to_string(full) + " - " + std::to_string(out) + " = " +
            std::to_string(total) + ", begin = max(total, 0)//2 = " + std::to_string(begin) + ", end = total - begin = " +
            std::to_string(total - begin) + " (larger half at the end)";
  return {begin, total - begin};
}

// Text helpers for messages: "3x4", "(3, 4)".
inline std::string hw_text(std::int64_t h, std::int64_t w) { return std::to_string(h) + "x" + std::to_string(w); }
inline std::string tuple_text(std::int64_t h, std::int64_t w) {
  return "(" + std::to_string(h) + ", " + std::to_string(w) + ")";
}

// A convention rule's per-dimension text as one line: "H and W: ..." when both read the same.
inline std::string rule_per_dim(const std::string& h, const std::string& w) {
  return h == w ? "H and W: " + h : "H: " + h + "; W: " + w;
}

}  // namespace tconv::conventions
