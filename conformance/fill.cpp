#include "conformance/fill.h"

namespace tconv {

void fill_operand(HostTensor& t, Operand, const Problem&, const FillSpec&) { t.fill(0.0); }

Operands InputSet::operands() const { return {&x, &w, b.empty() ? nullptr : &b, &dy}; }

InputSet make_inputs(const Problem& p, const FillSpec&) {
  InputSet s;
  s.x = HostTensor(p.dtype, p.layout, p.x_dims());
  s.w = HostTensor(p.dtype, p.weight_layout, p.w_dims(), p.groups);
  if (p.bias) s.b = HostTensor(p.dtype, Layout::X, p.b_dims());
  s.dy = HostTensor(p.dtype, p.layout, p.y_dims());
  return s;
}

HostTensor make_output(const Problem& p, Direction d) {
  HostTensor t;
  switch (d) {
    case Direction::fwd: t = HostTensor(p.dtype, p.layout, p.y_dims()); break;
    case Direction::bwd_data: t = HostTensor(p.dtype, p.layout, p.x_dims()); break;
    case Direction::bwd_weights: t = HostTensor(p.dtype, p.weight_layout, p.w_dims(), p.groups); break;
    case Direction::bwd_bias: t = HostTensor(p.dtype, Layout::X, p.b_dims()); break;
  }
  t.poison();
  return t;
}

Operands with_output(Operands in, Direction d, HostTensor& out) {
  switch (d) {
    case Direction::fwd: in.y = &out; break;
    case Direction::bwd_data: in.dx = &out; break;
    case Direction::bwd_weights: in.dw = &out; break;
    case Direction::bwd_bias: in.db = &out; break;
  }
  return in;
}

}  // namespace tconv
