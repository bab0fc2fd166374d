// The canonical 2D transposed-convolution problem (docs/design.md section 1).
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
// The directions that are a convolution (bwd_bias is a reduction).
inline constexpr Direction kConvDirections[] = {Direction::fwd, Direction::bwd_data, Direction::bwd_weights};

std::string_view to_string(Direction d);
std::optional<Direction> parse_direction(std::string_view s);

// How the requantization rounds acc*multiplier / 2^shift to an integer (ties are exact halves).
enum class Rounding : std::uint8_t {
  nearest_even,  // ties to even (IEEE default)
  half_away,     // ties away from zero (gemmlowp RoundingDivideByPOT, C round())
  half_up,       // ties toward +infinity (floor(v + 1/2); TFLite's single-rounding mode)
  floor,         // toward -infinity: an arithmetic right shift, no rounding step
  trunc,         // toward zero (C integer division)
};
inline constexpr Rounding kAllRoundings[] = {Rounding::nearest_even, Rounding::half_away, Rounding::half_up,
                                             Rounding::floor, Rounding::trunc};
std::string_view to_string(Rounding r);
std::optional<Rounding> parse_rounding(std::string_view s);

// The declared requantization of an integer (i8 / i16) problem, fwd only:
//   acc = sum (x - zp_x) * (w - zp_w) + b          exact (b is int32; see validate())
//   y   = clamp(zp_y + round(acc * multiplier / 2^shift), int_min(dtype), int_max(dtype))
// with round() per `rounding`. The defaults are the identity (y = clamp(acc)), and a float
// problem must keep them: its repro string and behaviour are then unchanged.
struct Quant {
  std::int64_t zp_x = 0, zp_w = 0, zp_y = 0;
  std::int64_t multiplier = 1;  // 1 .. 2^31 - 1 (a Q31 multiplier 2^30 with shift 31 is 0.5)
  std::int64_t shift = 0;       // 0 .. 62
  Rounding rounding = Rounding::nearest_even;
  bool operator==(const Quant&) const = default;
};

// One plain struct for the whole problem. Padding is canonical: a per-side crop of the
// "full" output that may be negative (an extension that receives only the bias).
// output_padding of the frameworks is folded into crop_bottom / crop_right. Users see the crops
// as `crop=t,b,l,r` (repro) and as the keys pad_top ... pad_right (suites, --filter, results.csv).
struct Problem {
  std::int64_t n = 1, c_in = 1, c_out = 1, groups = 1;
  std::int64_t h_in = 1, w_in = 1, kh = 1, kw = 1;
  std::int64_t stride_h = 1, stride_w = 1, dil_h = 1, dil_w = 1;
  std::int64_t crop_top = 0, crop_bottom = 0, crop_left = 0, crop_right = 0;
  bool bias = true;
  DType dtype = DType::f32;
  Layout layout = Layout::NCHW;
  Layout weight_layout = Layout::IOHW;
  Quant quant;  // integer dtypes only

  // (in - 1)*s - crop_begin - crop_end + d*(k - 1) + 1
  std::int64_t h_out() const;
  std::int64_t w_out() const;

  Dims x_dims() const { return {n, c_in, h_in, w_in}; }
  Dims y_dims() const { return {n, c_out, h_out(), w_out()}; }
  Dims w_dims() const { return {c_in, c_out / groups, kh, kw}; }
  Dims b_dims() const { return {c_out, 1, 1, 1}; }
  // The dims of direction d's output: y, dx, dw or db.
  Dims output_dims(Direction d) const;

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
  bad_dtype,             // i32 is bias storage, not a problem dtype
  bad_quantization,      // zero points in range, multiplier / shift in range, float dtypes unquantized
  accumulator_overflow,  // the integer accumulator's worst case must fit in int64 (see Quant)
};

std::string_view to_string(InvalidReason r);

// The first broken rule, or ok: StatusCode::invalid with one line that names the rule and the
// values. Never asserts, never throws.
Status validate(const Problem& p);
// Which rule validate() reports (none when the problem is valid), for callers that name it.
InvalidReason invalid_reason(const Problem& p);

// The bias tensor's dtype: int32 for integer problems, else the problem's dtype.
DType bias_dtype(const Problem& p);

// Terms in one fwd output element's sum (bias excluded): (c_in/groups)*kh*kw.
std::int64_t fwd_terms(const Problem& p);

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
// An integer problem (or any problem with a non-default Quant) appends its requantization:
//   "... dt=i8 ... zp=1,-2,3 mult=1073741824 shift=36 round=half_away"
// parse_problem(to_repro(p)) == p for every problem. Keys may come in any order; omitted keys
// take the defaults of Problem{}.
std::string to_repro(const Problem& p);
Result<Problem> parse_problem(std::string_view repro);

// Building blocks for parsers of richer repro strings (direction, fill, seed) that embed a
// problem: the keys parse_problem understands, and applying one key=value to a problem
// (StatusCode::invalid with a one-line error naming the key and the value).
bool is_problem_key(std::string_view key);
Status apply_problem_key(Problem& p, std::string_view key, std::string_view value);
const std::string_view* problem_keys(std::size_t* count);

}  // namespace tconv
