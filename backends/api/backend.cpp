#include "backends/api/backend.h"

#include <algorithm>
#include <sstream>

namespace tconv {

namespace {

template <class T>
bool contains(const std::vector<T>& v, T x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

template <class T>
std::string join(const std::vector<T>& v) {
  std::string s;
  for (const T& x : v) s += (s.empty() ? "" : ",") + std::string(to_string(x));
  return s;
}

}  // namespace

std::string Capabilities::describe() const {
  std::ostringstream o;
  o << "dtypes=" << join(dtypes) << " layouts=" << join(layouts) << " weights=" << join(weight_layouts)
    << " dirs=" << join(directions) << " groups=" << groups << " dilation=" << dilation
    << " asym_crops=" << asymmetric_crops << " neg_crops=" << negative_crops
    << (on_device ? " device" : "") << (supervised ? " supervised" : "") << (deterministic ? "" : " nondeterministic");
  if (max_elements) o << " max_elements=" << max_elements;
  return o.str();
}

Status check_capabilities(const Capabilities& c, const Problem& p, Direction d) {
  const Status v = validate(p);
  if (!v.ok()) return Status::Unsupported("invalid problem: " + v.message);
  if (!contains(c.dtypes, p.dtype)) return Status::Unsupported("dtype " + std::string(to_string(p.dtype)) + " not supported");
  if (!contains(c.directions, d)) return Status::Unsupported("direction " + std::string(to_string(d)) + " not implemented");
  // Quantized problems are inference: the requantization defines fwd only.
  if (is_integer(p.dtype) && d != Direction::fwd)
    return Status::Unsupported("dtype " + std::string(to_string(p.dtype)) + " is defined for fwd only (quantized inference), not " +
                               std::string(to_string(d)));
  if (!contains(c.layouts, p.layout)) return Status::Unsupported("layout " + std::string(to_string(p.layout)) + " not supported");
  if (!contains(c.weight_layouts, p.weight_layout))
    return Status::Unsupported("weight layout " + std::string(to_string(p.weight_layout)) + " not supported");
  if (!c.groups && p.groups > 1) return Status::Unsupported("groups > 1 not supported");
  if (!c.dilation && (p.dil_h > 1 || p.dil_w > 1)) return Status::Unsupported("dilation > 1 not supported");
  if (!c.asymmetric_crops && (p.crop_top != p.crop_bottom || p.crop_left != p.crop_right))
    return Status::Unsupported("asymmetric crops not supported");
  if (!c.negative_crops && (p.crop_top < 0 || p.crop_bottom < 0 || p.crop_left < 0 || p.crop_right < 0))
    return Status::Unsupported("negative crops not supported");
  if (c.max_elements > 0 &&
      std::max({numel_x(p), numel_y(p), numel_w(p)}) > c.max_elements)
    return Status::Unsupported("a tensor exceeds the backend's limit of " + std::to_string(c.max_elements) + " elements");
  return Status::Ok();
}

HostTensor* output_of(const Operands& ops, Direction d) {
  switch (d) {
    case Direction::fwd: return ops.y;
    case Direction::bwd_data: return ops.dx;
    case Direction::bwd_weights: return ops.dw;
    case Direction::bwd_bias: return ops.db;
  }
  return nullptr;
}

std::string output_name(Direction d) {
  switch (d) {
    case Direction::fwd: return "y";
    case Direction::bwd_data: return "dx";
    case Direction::bwd_weights: return "dw";
    case Direction::bwd_bias: return "db";
  }
  return "out";
}

Status Backend::check(const Problem& p, Direction d) const { return check_capabilities(capabilities(), p, d); }

namespace {

Status check_one(const char* name, const HostTensor* t, const Problem& p, Layout layout, const Dims& dims) {
  if (t == nullptr) return Status::Error(StatusCode::invalid, std::string("operand ") + name + " is missing");
  const DType want = std::string_view(name) == "b" ? bias_dtype(p) : p.dtype;
  if (t->dtype() != want || t->layout() != layout || t->dims() != dims)
    return Status::Error(StatusCode::invalid, std::string("operand ") + name + " has the wrong dtype, layout or shape");
  if (layout == Layout::OIHW_FLIPPED && t->groups() != p.groups)
    return Status::Error(StatusCode::invalid, std::string("operand ") + name + " has the wrong groups");
  return Status::Ok();
}

}  // namespace

Status check_operands(const Problem& p, Direction d, const Operands& o) {
  const Layout dl = p.layout, wl = p.weight_layout;
  Status s;
  auto all = [&](std::initializer_list<Status> list) {
    for (const Status& st : list)
      if (!st.ok()) return st;
    return Status::Ok();
  };
  switch (d) {
    case Direction::fwd:
      s = all({check_one("x", o.x, p, dl, p.x_dims()), check_one("w", o.w, p, wl, p.w_dims()),
               check_one("y", o.y, p, dl, p.y_dims()),
               p.bias ? check_one("b", o.b, p, Layout::X, p.b_dims()) : Status::Ok()});
      break;
    case Direction::bwd_data:
      s = all({check_one("dy", o.dy, p, dl, p.y_dims()), check_one("w", o.w, p, wl, p.w_dims()),
               check_one("dx", o.dx, p, dl, p.x_dims())});
      break;
    case Direction::bwd_weights:
      s = all({check_one("x", o.x, p, dl, p.x_dims()), check_one("dy", o.dy, p, dl, p.y_dims()),
               check_one("dw", o.dw, p, wl, p.w_dims())});
      break;
    case Direction::bwd_bias:
      s = all({check_one("dy", o.dy, p, dl, p.y_dims()), check_one("db", o.db, p, Layout::X, p.b_dims())});
      break;
  }
  return s;
}

}  // namespace tconv
