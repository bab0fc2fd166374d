#include "backends/api/problem.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <cstdio>
#include <set>
#include <sstream>
#include <vector>

namespace tconv {

std::string_view to_string(Direction d) {
  switch (d) {
    case Direction::fwd: return "fwd";
    case Direction::bwd_data: return "bwd_data";
    case Direction::bwd_weights: return "bwd_weights";
    case Direction::bwd_bias: return "bwd_bias";
  }
  return "?";
}

std::optional<Direction> parse_direction(std::string_view s) {
  for (Direction d : kAllDirections)
    if (to_string(d) == s) return d;
  return std::nullopt;
}

std::string_view to_string(Rounding r) {
  switch (r) {
    case Rounding::nearest_even: return "nearest_even";
    case Rounding::half_away: return "half_away";
    case Rounding::half_up: return "half_up";
    case Rounding::floor: return "floor";
    case Rounding::trunc: return "trunc";
  }
  return "?";
}

std::optional<Rounding> parse_rounding(std::string_view s) {
  for (Rounding r : kAllRoundings)
    if (to_string(r) == s) return r;
  return std::nullopt;
}

DType bias_dtype(const Problem& p) { return is_integer(p.dtype) ? DType::i32 : p.dtype; }

std::int64_t fwd_terms(const Problem& p) { return p.c_in / p.groups * p.kh * p.kw; }

Dims Problem::output_dims(Direction d) const {
  switch (d) {
    case Direction::fwd: return y_dims();
    case Direction::bwd_data: return x_dims();
    case Direction::bwd_weights: return w_dims();
    case Direction::bwd_bias: return b_dims();
  }
  return {0, 0, 0, 0};
}

std::int64_t Problem::h_out() const {
  return (h_in - 1) * stride_h - crop_top - crop_bottom + dil_h * (kh - 1) + 1;
}

std::int64_t Problem::w_out() const {
  return (w_in - 1) * stride_w - crop_left - crop_right + dil_w * (kw - 1) + 1;
}

std::string_view to_string(InvalidReason r) {
  switch (r) {
    case InvalidReason::none: return "none";
    case InvalidReason::nonpositive_size: return "nonpositive_size";
    case InvalidReason::bad_stride: return "bad_stride";
    case InvalidReason::bad_dilation: return "bad_dilation";
    case InvalidReason::c_in_not_divisible: return "c_in_not_divisible";
    case InvalidReason::c_out_not_divisible: return "c_out_not_divisible";
    case InvalidReason::empty_output: return "empty_output";
    case InvalidReason::bad_data_layout: return "bad_data_layout";
    case InvalidReason::bad_weight_layout: return "bad_weight_layout";
    case InvalidReason::index_overflow: return "index_overflow";
    case InvalidReason::bad_dtype: return "bad_dtype";
    case InvalidReason::bad_quantization: return "bad_quantization";
    case InvalidReason::accumulator_overflow: return "accumulator_overflow";
  }
  return "?";
}

namespace {

// The first rule a problem breaks: validate() and invalid_reason() are its two views.
struct BrokenRule {
  InvalidReason rule = InvalidReason::none;
  std::string message;
};

BrokenRule invalid(InvalidReason r, std::string msg) { return {r, std::move(msg)}; }

// Product of the factors, or nullopt when it leaves [0, 2^62] (headroom for offset sums).
std::optional<std::int64_t> checked_product(std::initializer_list<std::int64_t> factors) {
  constexpr std::int64_t kLimit = std::int64_t{1} << 62;
  std::int64_t acc = 1;
  for (std::int64_t f : factors) {
    if (f < 0 || __builtin_mul_overflow(acc, f, &acc) || acc > kLimit) return std::nullopt;
  }
  return acc;
}

constexpr std::int64_t kMaxParam = std::int64_t{1} << 30;  // keeps output-size math exact

// The requantization rules; sizes are already known to be sane (bounded by 2^30).
BrokenRule validate_quant(const Problem& p) {
  const Quant& q = p.quant;
  if (p.dtype == DType::i32)
    return invalid(InvalidReason::bad_dtype, "dtype i32 is the bias storage of i8/i16 problems, not a problem dtype");
  if (!is_integer(p.dtype)) {
    if (q != Quant{})
      return invalid(InvalidReason::bad_quantization, "quantization parameters given for float dtype " + std::string(to_string(p.dtype)));
    return {};
  }
  const std::int64_t lo = int_min(p.dtype), hi = int_max(p.dtype);
  const std::string range = " outside the " + std::string(to_string(p.dtype)) + " range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  const std::pair<const char*, std::int64_t> zps[] = {{"zp_x", q.zp_x}, {"zp_w", q.zp_w}, {"zp_y", q.zp_y}};
  for (auto [name, v] : zps)
    if (v < lo || v > hi) return invalid(InvalidReason::bad_quantization, std::string(name) + "=" + std::to_string(v) + range);
  if (q.multiplier < 1 || q.multiplier > std::numeric_limits<std::int32_t>::max())
    return invalid(InvalidReason::bad_quantization, "multiplier=" + std::to_string(q.multiplier) + " must be in [1, 2^31 - 1]");
  if (q.shift < 0 || q.shift > 62)
    return invalid(InvalidReason::bad_quantization, "shift=" + std::to_string(q.shift) + " must be in [0, 62]");
  // The accumulator is exact (the oracle sums in int64): its worst case over the dtype's
  // whole range, K*max|x - zp_x|*max|w - zp_w| + |int32 bias|, must fit in int64. Then
  // acc*multiplier < 2^94 is formed in 128 bits. Only absurd reductions (K >~ 2^31) fail.
  const auto span = [&](std::int64_t zp) { return std::max(hi - zp, zp - lo); };
  const double worst = static_cast<double>(fwd_terms(p)) * static_cast<double>(span(q.zp_x)) *
                           static_cast<double>(span(q.zp_w)) + 0x1p31;
  if (worst >= 0x1p62)
    return invalid(InvalidReason::accumulator_overflow, "the worst-case accumulator of " + std::to_string(fwd_terms(p)) +
                                                            " terms exceeds 2^62 (int64 headroom)");
  return {};
}

BrokenRule first_broken_rule(const Problem& p) {
  const std::pair<const char*, std::int64_t> sizes[] = {
      {"n", p.n}, {"c_in", p.c_in}, {"c_out", p.c_out}, {"groups", p.groups},
      {"h_in", p.h_in}, {"w_in", p.w_in}, {"kh", p.kh}, {"kw", p.kw}};
  for (auto [name, v] : sizes)
    if (v < 1) return invalid(InvalidReason::nonpositive_size, std::string(name) + "=" + std::to_string(v) + " must be >= 1");
  if (p.stride_h < 1 || p.stride_w < 1)
    return invalid(InvalidReason::bad_stride, "stride " + std::to_string(p.stride_h) + "x" + std::to_string(p.stride_w) + " must be >= 1");
  if (p.dil_h < 1 || p.dil_w < 1)
    return invalid(InvalidReason::bad_dilation, "dilation " + std::to_string(p.dil_h) + "x" + std::to_string(p.dil_w) + " must be >= 1");
  const std::int64_t params[] = {p.n, p.c_in, p.c_out, p.groups, p.h_in, p.w_in, p.kh, p.kw,
                                 p.stride_h, p.stride_w, p.dil_h, p.dil_w,
                                 p.crop_top, p.crop_bottom, p.crop_left, p.crop_right};
  for (std::int64_t v : params)
    if (v > kMaxParam || v < -kMaxParam)
      return invalid(InvalidReason::index_overflow, "a parameter of magnitude " + std::to_string(v) + " exceeds 2^30");
  if (p.c_in % p.groups != 0)
    return invalid(InvalidReason::c_in_not_divisible, "c_in=" + std::to_string(p.c_in) + " is not divisible by groups=" + std::to_string(p.groups));
  if (p.c_out % p.groups != 0)
    return invalid(InvalidReason::c_out_not_divisible, "c_out=" + std::to_string(p.c_out) + " is not divisible by groups=" + std::to_string(p.groups));
  if (!is_data_layout(p.layout))
    return invalid(InvalidReason::bad_data_layout, "layout " + std::string(to_string(p.layout)) + " is not a data layout (NCHW, NHWC)");
  if (!is_weight_layout(p.weight_layout))
    return invalid(InvalidReason::bad_weight_layout, "weight layout " + std::string(to_string(p.weight_layout)) + " is not a weight layout (IOHW, IHWO, HWOI, OIHW_FLIPPED)");
  // Sizes are bounded by 2^30 above, so these products of two or three fit easily.
  const std::int64_t ho = p.h_out(), wo = p.w_out();
  if (ho < 1 || wo < 1)
    return invalid(InvalidReason::empty_output, "output " + std::to_string(ho) + "x" + std::to_string(wo) +
                                                    " is empty: crops " + std::to_string(p.crop_top) + "+" + std::to_string(p.crop_bottom) + " / " +
                                                    std::to_string(p.crop_left) + "+" + std::to_string(p.crop_right) + " remove the whole output");
  if (!checked_product({p.n, p.c_in, p.h_in, p.w_in}) || !checked_product({p.n, p.c_out, ho, wo}) ||
      !checked_product({p.c_in, p.c_out / p.groups, p.kh, p.kw}) ||
      !checked_product({p.n, p.c_in, p.h_in, p.w_in, p.c_out / p.groups, p.kh, p.kw, 2}))
    return invalid(InvalidReason::index_overflow, "element or operation counts exceed 64-bit index arithmetic");
  return validate_quant(p);
}

}  // namespace

Status validate(const Problem& p) {
  BrokenRule b = first_broken_rule(p);
  if (b.rule == InvalidReason::none) return Status::Ok();
  return Status::Invalid(std::move(b.message));
}

InvalidReason invalid_reason(const Problem& p) { return first_broken_rule(p).rule; }

std::int64_t numel_x(const Problem& p) { return p.n * p.c_in * p.h_in * p.w_in; }
std::int64_t numel_y(const Problem& p) { return p.n * p.c_out * p.h_out() * p.w_out(); }
std::int64_t numel_w(const Problem& p) { return p.c_in * (p.c_out / p.groups) * p.kh * p.kw; }

double flops(const Problem& p, Direction d) {
  if (d == Direction::bwd_bias) return static_cast<double>(numel_y(p));
  return 2.0 * static_cast<double>(numel_x(p)) * static_cast<double>(p.c_out / p.groups) *
         static_cast<double>(p.kh * p.kw);
}

double bytes_moved(const Problem& p, Direction d) {
  const double e = static_cast<double>(dtype_size(p.dtype));
  const double x = static_cast<double>(numel_x(p)), y = static_cast<double>(numel_y(p));
  const double w = static_cast<double>(numel_w(p)), b = p.bias ? static_cast<double>(p.c_out) : 0.0;
  const double eb = static_cast<double>(dtype_size(bias_dtype(p)));
  switch (d) {
    case Direction::fwd: return e * (x + w + y) + eb * b;
    case Direction::bwd_data: return e * (y + w + x);
    case Direction::bwd_weights: return e * (x + y + w);
    case Direction::bwd_bias: return e * (y + static_cast<double>(p.c_out));
  }
  return 0.0;
}

// ---- repro strings ---------------------------------------------------------------------

namespace {

// Any ASCII whitespace separates tokens: a repro pasted from a file keeps its "\r\n".
constexpr std::string_view kSeparators = " \t\n\r\f\v";

constexpr std::string_view kKeys[] = {"n", "ci", "co", "g", "in", "k", "s", "d", "crop",
                                      "bias", "dt", "layout", "wl", "zp", "mult", "shift", "round"};

std::string pair(std::int64_t a, std::int64_t b) { return std::to_string(a) + "x" + std::to_string(b); }

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// Splits "a<sep>b<sep>c" into exactly `count` integers.
std::optional<std::vector<std::int64_t>> parse_ints(std::string_view s, char sep, std::size_t count) {
  std::vector<std::int64_t> out;
  while (true) {
    const auto pos = s.find(sep);
    auto v = parse_int(s.substr(0, pos));
    if (!v) return std::nullopt;
    out.push_back(*v);
    if (pos == std::string_view::npos) break;
    s.remove_prefix(pos + 1);
  }
  if (out.size() != count) return std::nullopt;
  return out;
}

}  // namespace

const std::string_view* problem_keys(std::size_t* count) {
  *count = std::size(kKeys);
  return kKeys;
}

bool is_problem_key(std::string_view key) {
  for (auto k : kKeys)
    if (k == key) return true;
  return false;
}

std::string to_repro(const Problem& p) {
  std::ostringstream o;
  o << "n=" << p.n << " ci=" << p.c_in << " co=" << p.c_out << " g=" << p.groups
    << " in=" << pair(p.h_in, p.w_in) << " k=" << pair(p.kh, p.kw) << " s=" << pair(p.stride_h, p.stride_w)
    << " d=" << pair(p.dil_h, p.dil_w) << " crop=" << p.crop_top << "," << p.crop_bottom << ","
    << p.crop_left << "," << p.crop_right << " bias=" << (p.bias ? 1 : 0) << " dt=" << to_string(p.dtype)
    << " layout=" << to_string(p.layout) << " wl=" << to_string(p.weight_layout);
  // Float problems keep their historical repro; an integer one always states its requantization.
  const Quant& q = p.quant;
  if (is_integer(p.dtype) || q != Quant{})
    o << " zp=" << q.zp_x << "," << q.zp_w << "," << q.zp_y << " mult=" << q.multiplier << " shift=" << q.shift
      << " round=" << to_string(q.rounding);
  return o.str();
}

Status apply_problem_key(Problem& p, std::string_view key, std::string_view value) {
  const std::string where = "'" + std::string(key) + "=" + std::string(value) + "': ";
  auto one = [&](std::int64_t& dst) -> Status {
    auto v = parse_int(value);
    if (!v) return Status::Invalid(where + "expected an integer");
    dst = *v;
    return Status::Ok();
  };
  auto two = [&](std::int64_t& a, std::int64_t& b) -> Status {
    auto v = parse_ints(value, 'x', 2);
    if (!v) return Status::Invalid(where + "expected HxW, two integers");
    a = (*v)[0];
    b = (*v)[1];
    return Status::Ok();
  };
  if (key == "n") return one(p.n);
  if (key == "ci") return one(p.c_in);
  if (key == "co") return one(p.c_out);
  if (key == "g") return one(p.groups);
  if (key == "in") return two(p.h_in, p.w_in);
  if (key == "k") return two(p.kh, p.kw);
  if (key == "s") return two(p.stride_h, p.stride_w);
  if (key == "d") return two(p.dil_h, p.dil_w);
  if (key == "crop") {
    auto v = parse_ints(value, ',', 4);
    if (!v) return Status::Invalid(where + "expected top,bottom,left,right: four integers");
    p.crop_top = (*v)[0];
    p.crop_bottom = (*v)[1];
    p.crop_left = (*v)[2];
    p.crop_right = (*v)[3];
    return Status::Ok();
  }
  if (key == "bias") {
    if (value != "0" && value != "1") return Status::Invalid(where + "expected 0 or 1");
    p.bias = value == "1";
    return Status::Ok();
  }
  if (key == "dt") {
    auto t = parse_dtype(value);
    if (!t) return Status::Invalid(where + "expected one of f32, f64, f16, bf16, i8, i16");
    p.dtype = *t;
    return Status::Ok();
  }
  if (key == "zp") {
    auto v = parse_ints(value, ',', 3);
    if (!v) return Status::Invalid(where + "expected zp_x,zp_w,zp_y: three integers");
    p.quant.zp_x = (*v)[0];
    p.quant.zp_w = (*v)[1];
    p.quant.zp_y = (*v)[2];
    return Status::Ok();
  }
  if (key == "mult") return one(p.quant.multiplier);
  if (key == "shift") return one(p.quant.shift);
  if (key == "round") {
    auto r = parse_rounding(value);
    if (!r) return Status::Invalid(where + "expected nearest_even, half_away, half_up, floor or trunc");
    p.quant.rounding = *r;
    return Status::Ok();
  }
  // Any layout name parses in both slots so that every Problem round-trips through its
  // repro; validate() then rejects a misplaced one with its own reason.
  if (key == "layout") {
    auto l = parse_layout(value);
    if (!l) return Status::Invalid(where + "expected NCHW or NHWC");
    p.layout = *l;
    return Status::Ok();
  }
  if (key == "wl") {
    auto l = parse_layout(value);
    if (!l) return Status::Invalid(where + "expected IOHW, IHWO, HWOI or OIHW_FLIPPED");
    p.weight_layout = *l;
    return Status::Ok();
  }
  return Status::Invalid("unknown key '" + std::string(key) + "'");
}

Result<Problem> parse_problem(std::string_view repro) {
  Problem p;
  std::set<std::string, std::less<>> seen;
  std::size_t i = 0;
  while (i < repro.size()) {
    if (kSeparators.find(repro[i]) != std::string_view::npos) { ++i; continue; }
    std::size_t end = repro.find_first_of(kSeparators, i);
    if (end == std::string_view::npos) end = repro.size();
    const std::string_view token = repro.substr(i, end - i);
    i = end;
    const auto eq = token.find('=');
    if (eq == std::string_view::npos || eq == 0)
      return Result<Problem>::failure("'" + std::string(token) + "': expected key=value");
    const std::string_view key = token.substr(0, eq), value = token.substr(eq + 1);
    if (!seen.insert(std::string(key)).second)
      return Result<Problem>::failure("key '" + std::string(key) + "' given twice");
    if (Status s = apply_problem_key(p, key, value); !s.ok()) return s;
  }
  return p;
}

}  // namespace tconv
