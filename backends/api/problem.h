// The canonical 2D transposed-convolution problem (DESIGN.md section 1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "backends/api/dtype.h"
#include "backends/api/layout.h"
#include "backends/api/result.h"

namespace tconv {

enum class Direction : std::uint8_t { fwd, bwd_data, bwd_weights, bwd_bias };

inline constexpr Direction kAllDirections[] = {Direction::fwd, Direction::bwd_data,
                                               Direction::bwd_weights, Direction::bwd_bias};

std::string_view to_string(Direction d);
std::optional<Direction> parse_direction(std::string_view s);

// One plain struct for the whole problem. Padding is canonical: a per-side crop of the
// "full" output that may be negative (an extension that receives only the bias).
// output_padding of the frameworks is folded into pad_bottom / pad_right.
struct Problem {
  std::int64_t n = 1, c_in = 1, c_out = 1, groups = 1;
  std::int64_t h_in = 1, w_in = 1, kh = 1, kw = 1;
  std::int64_t stride_h = 1, stride_w = 1, dil_h = 1, dil_w = 1;
  std::int64_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
  bool bias = true;
  DType dtype = DType::f32;
  Layout layout = Layout::NCHW;
  Layout weight_layout = Layout::IOHW;

  // (in - 1)*s - crop_begin - crop_end + d*(k - 1) + 1
  std::int64_t h_out() const;
  std::int64_t w_out() const;

  Dims x_dims() const { return {n, c_in, h_in, w_in}; }
  Dims y_dims() const { return {n, c_out, h_out(), w_out()}; }
  Dims w_dims() const { return {c_in, c_out / groups, kh, kw}; }
  Dims b_dims() const { return {c_out, 1, 1, 1}; }

  bool operator==(const Problem&) const = default;
};

// Every rule that makes a problem invalid, each with its own code.
enum class InvalidReason : std::uint8_t {
  none,
  nonpositive_size,      // n, c_in, c_out, groups, h_in, w_in, kh, kw must be >= 1
  bad_stride,            // stride >= 1
  bad_dilation,          // dilation >= 1
  c_in_not_divisible,    // c_in % groups
  c_out_not_divisible,   // c_out % groups
  empty_output,          // h_out, w_out >= 1
  bad_data_layout,       // layout must be NCHW or NHWC
  bad_weight_layout,     // weight_layout must be a weight layout
  index_overflow,        // element counts / offsets must fit in 64-bit arithmetic
};

struct Validity {
  InvalidReason code = InvalidReason::none;
  std::string message;  // one line, names the rule and the values
  bool ok() const { return code == InvalidReason::none; }
};

std::string_view to_string(InvalidReason r);

// The first broken rule, or ok. Never asserts, never throws.
Validity validate(const Problem& p);

// Element counts of each operand (valid problems only).
std::int64_t numel_x(const Problem& p);
std::int64_t numel_y(const Problem& p);
std::int64_t numel_w(const Problem& p);

// Multiply-adds x2 of the direction: 2*N*C_in*H_in*W_in*(C_out/g)*kH*kW for fwd, bwd_data
// and bwd_weights (every tap of every input pixel, crops included); N*C_out*H_out*W_out
// additions for bwd_bias.
double flops(const Problem& p, Direction d);
// Bytes moved if every tensor the direction reads or writes is touched exactly once.
double bytes_moved(const Problem& p, Direction d);

// One-line repro string, e.g.
//   "n=2 ci=8 co=4 g=1 in=5x7 k=3x3 s=2x2 d=1x1 crop=1,0,1,0 bias=1 dt=f32 layout=NCHW wl=IOHW"
// parse_problem(to_repro(p)) == p for every problem. Keys may come in any order; omitted keys
// take the defaults of Problem{}.
std::string to_repro(const Problem& p);
Result<Problem> parse_problem(std::string_view repro);

// Building blocks for parsers of richer repro strings (direction, fill, seed) that embed a
// problem: the keys parse_problem understands, and applying one key=value to a problem
// (returns an empty string on success, else a one-line error).
bool is_problem_key(std::string_view key);
std::string apply_problem_key(Problem& p, std::string_view key, std::string_view value);
const std::string_view* problem_keys(std::size_t* count);

}  // namespace tconv
