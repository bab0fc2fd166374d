// The mutants: the oracle with one planted bug each (see test_backends.h).
#include "conformance/test_backends/mutants.h"

#include <cstring>

namespace tconv::testing {

namespace {

class MutantCrop final : public OracleBased {
 public:
  MutantCrop() : OracleBased("mutant_crop") {}
  Status run(const Problem& p, Direction d, const Operands& ops, RunContext&) override {
    if (Status s = check_operands(p, d, ops); !s.ok()) return s;
    Problem shifted = p;  // same output size, window one row off
    shifted.crop_top -= 1;
    shifted.crop_bottom += 1;
    write(compute_reference(shifted, d, ops), *output(ops, d));
    return Status::Ok();
  }
};

class MutantWeightLayout final : public OracleBased {
 public:
  MutantWeightLayout() : OracleBased("mutant_weight_layout") {}
  Capabilities capabilities() const override {
    Capabilities c = OracleBased::capabilities();
    c.weight_layouts = {Layout::IOHW};
    return c;
  }
  Status run(const Problem& p, Direction d, const Operands& ops, RunContext&) override {
    if (Status s = check_operands(p, d, ops); !s.ok()) return s;
    Problem as_ihwo = p;
    as_ihwo.weight_layout = Layout::IHWO;
    Operands o = ops;
    HostTensor w_reinterpreted(p.dtype, Layout::IHWO, p.w_dims(), p.groups);
    if (ops.w) {
      std::memcpy(w_reinterpreted.data(), ops.w->data(), ops.w->bytes());
      o.w = &w_reinterpreted;
    }
    const Reference r = compute_reference(as_ihwo, d, o);
    if (d != Direction::bwd_weights) {
      write(r, *output(ops, d));
      return Status::Ok();
    }
    HostTensor dw_ihwo(p.dtype, Layout::IHWO, p.w_dims(), p.groups);
    write(r, dw_ihwo);
    std::memcpy(ops.dw->data(), dw_ihwo.data(), dw_ihwo.bytes());
    return Status::Ok();
  }
};

class MutantGroup final : public OracleBased {
 public:
  MutantGroup() : OracleBased("mutant_group") {}
  Status run(const Problem& p, Direction d, const Operands& ops, RunContext&) override {
    if (Status s = check_operands(p, d, ops); !s.ok()) return s;
    Operands o = ops;
    HostTensor x, dy;
    // Forgets the group's channel offset: channel c of every group reads channel c of group 0.
    auto group_zero = [](const HostTensor& t, std::int64_t per_group) {
      HostTensor copy = t;
      for_each_index(t.dims(), [&](const Dims& i) { copy.put(i, t.at({i[0], i[1] % per_group, i[2], i[3]})); });
      return copy;
    };
    if ((d == Direction::fwd || d == Direction::bwd_weights) && ops.x) {
      x = group_zero(*ops.x, p.c_in / p.groups);
      o.x = &x;
    }
    if (d == Direction::bwd_data && ops.dy) {
      dy = group_zero(*ops.dy, p.c_out / p.groups);
      o.dy = &dy;
    }
    write(compute_reference(p, d, o), *output(ops, d));
    return Status::Ok();
  }
};

class MutantLastRow final : public OracleBased {
 public:
  MutantLastRow() : OracleBased("mutant_last_row") {}
  Status run(const Problem& p, Direction d, const Operands& ops, RunContext&) override {
    if (Status s = check_operands(p, d, ops); !s.ok()) return s;
    const Reference r = compute_reference(p, d, ops);
    const Dims dims = r.dims;
    // The loop bound is one short: the last row (last kernel row for dw, last channel for db)
    // keeps whatever the buffer held.
    write(r, *output(ops, d), [&](const Dims& i) {
      if (d == Direction::bwd_bias) return i[0] == dims[0] - 1;
      return i[2] == dims[2] - 1;
    });
    return Status::Ok();
  }
};

class MutantCorner final : public OracleBased {
 public:
  MutantCorner() : OracleBased("mutant_corner") {}
  Status run(const Problem& p, Direction d, const Operands& ops, RunContext&) override {
    if (Status s = check_operands(p, d, ops); !s.ok()) return s;
    write(compute_reference(p, d, ops), *output(ops, d));
    // A tiling edge gone wrong in one place: the very last element (bottom-right corner of the
    // last plane) is 1000 off, far outside any bound, elementwise or norm-wise.
    HostTensor& out = *output(ops, d);
    const Dims& dims = out.dims();
    const Dims corner{dims[0] - 1, dims[1] - 1, dims[2] - 1, dims[3] - 1};
    out.put(corner, out.at(corner) + 1000);
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<Backend> make_mutant(const std::string& name) {
  if (name == "mutant_crop") return std::make_unique<MutantCrop>();
  if (name == "mutant_weight_layout") return std::make_unique<MutantWeightLayout>();
  if (name == "mutant_group") return std::make_unique<MutantGroup>();
  if (name == "mutant_last_row") return std::make_unique<MutantLastRow>();
  if (name == "mutant_corner") return std::make_unique<MutantCorner>();
  return nullptr;
}

const std::vector<std::string>& mutant_names() {
  static const std::vector<std::string> names = {"mutant_crop", "mutant_weight_layout", "mutant_group",
                                                 "mutant_last_row", "mutant_corner"};
  return names;
}

}  // namespace tconv::testing
