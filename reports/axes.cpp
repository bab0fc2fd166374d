#include "reports/axes.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace tconv::reports {

namespace {

std::string pair_text(std::int64_t a, std::int64_t b) { return std::to_string(a) + "x" + std::to_string(b); }

// Reads an optionally signed integer at s[i] (a '-' counts as a sign only before a digit
// that does not follow another digit, so "2-3" is 2, '-', 3).
bool read_number(std::string_view s, std::size_t& i, long double& out) {
  std::size_t j = i;
  bool negative = false;
  if (s[j] == '-' && j + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[j + 1])) &&
      (j == 0 || !std::isdigit(static_cast<unsigned char>(s[j - 1])))) {
    negative = true;
    ++j;
  }
  if (j >= s.size() || !std::isdigit(static_cast<unsigned char>(s[j]))) return false;
  long double v = 0;
  while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) v = v * 10 + (s[j++] - '0');
  out = negative ? -v : v;
  i = j;
  return true;
}

int crop_class_rank(std::string_view label) {
  if (label.starts_with("sym")) return 1;
  if (label.starts_with("asym")) return 2;
  if (label.starts_with("neg")) return 3;
  return 0;
}

}  // namespace

std::string crop_text(const Problem& p) {
  return std::to_string(p.crop_top) + "," + std::to_string(p.crop_bottom) + "," + std::to_string(p.crop_left) + "," +
         std::to_string(p.crop_right);
}

std::string crop_class(const Problem& p) {
  const std::int64_t c[] = {p.crop_top, p.crop_bottom, p.crop_left, p.crop_right};
  std::int64_t lo = c[0], hi = c[0];
  for (std::int64_t v : c) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (lo < 0) return "neg" + std::to_string(-lo);
  if (hi == 0) return "0";
  if (lo == hi) return "sym" + std::to_string(hi);
  return "asym" + std::to_string(hi);
}

bool axis_less(Axis a, std::string_view x, std::string_view y) {
  if (a == Axis::crop && crop_class_rank(x) != crop_class_rank(y)) return crop_class_rank(x) < crop_class_rank(y);
  return natural_less(x, y);
}

std::string_view axis_title(Axis a) {
  switch (a) {
    case Axis::stride: return "stride";
    case Axis::crop: return "crop class";
    case Axis::dilation: return "dilation";
    case Axis::groups: return "groups";
    case Axis::kernel: return "kernel";
    case Axis::dtype: return "dtype";
    case Axis::layout: return "layout / weights";
  }
  return "?";
}

std::string axis_label(Axis a, const ResultRow& r) {
  const Problem& p = r.problem;
  switch (a) {
    case Axis::stride: return pair_text(p.stride_h, p.stride_w);
    case Axis::crop: return crop_class(p);
    case Axis::dilation: return pair_text(p.dil_h, p.dil_w);
    case Axis::groups: return std::to_string(p.groups);
    case Axis::kernel: return pair_text(p.kh, p.kw);
    case Axis::dtype: return std::string(to_string(p.dtype));
    case Axis::layout: return std::string(to_string(p.layout)) + "/" + std::string(to_string(p.weight_layout));
  }
  return "";
}

std::string axis_filter(Axis a, const std::string& label) {
  switch (a) {
    case Axis::stride: return "stride=" + label;
    case Axis::crop: return "crop_class=" + label;
    case Axis::dilation: return "dil=" + label;
    case Axis::groups: return "groups=" + label;
    case Axis::kernel: return "kernel=" + label;
    case Axis::dtype: return "dtype=" + label;
    case Axis::layout: {
      const auto slash = label.find('/');
      return "layout=" + label.substr(0, slash) + (slash == std::string::npos ? "" : " wl=" + label.substr(slash + 1));
    }
  }
  return "";
}

const std::vector<AxisPair>& heatmap_pairs() {
  static const std::vector<AxisPair> pairs = {
      {Axis::stride, Axis::crop}, {Axis::groups, Axis::dilation}, {Axis::stride, Axis::kernel}, {Axis::dtype, Axis::layout}};
  return pairs;
}

bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    long double x = 0, y = 0;
    std::size_t i2 = i, j2 = j;
    const bool nx = read_number(a, i2, x), ny = read_number(b, j2, y);
    if (nx && ny) {
      if (x != y) return x < y;
      i = i2;
      j = j2;
      continue;
    }
    if (nx != ny) return nx;  // numbers before text
    if (a[i] != b[j]) return a[i] < b[j];
    ++i;
    ++j;
  }
  return a.size() - i < b.size() - j;
}

std::string problem_text_from_labels(const ResultRow& r) {
  const Problem& p = r.problem;
  return "n=" + std::to_string(p.n) + " ci=" + std::to_string(p.c_in) + " co=" + std::to_string(p.c_out) +
         " g=" + std::to_string(p.groups) + " in=" + pair_text(p.h_in, p.w_in) + " k=" + axis_label(Axis::kernel, r) +
         " s=" + axis_label(Axis::stride, r) + " d=" + axis_label(Axis::dilation, r) +
         " crop=" + crop_text(p) + " bias=" + (p.bias ? "1" : "0") + " dt=" + axis_label(Axis::dtype, r) +
         " layout=" + std::string(to_string(p.layout)) + " wl=" + std::string(to_string(p.weight_layout));
}

}  // namespace tconv::reports
