#include "backends/naive/naive_backend.h"

#include "backends/naive/oracle.h"

namespace tconv {

namespace {

class NaiveBackend final : public Backend {
 public:
  std::string name() const override { return "naive"; }

  Capabilities capabilities() const override {
    Capabilities c;
    c.dtypes.assign(std::begin(kAllDTypes), std::end(kAllDTypes));
    c.dtypes.insert(c.dtypes.end(), std::begin(kIntDTypes), std::end(kIntDTypes));  // fwd only
    c.layouts.assign(std::begin(kDataLayouts), std::end(kDataLayouts));
    c.weight_layouts.assign(std::begin(kWeightLayouts), std::end(kWeightLayouts));
    return c;
  }

  // Outputs are rounded once from the f64 sums into the stored dtype.
  MathMode math(const Problem& p) const override {
    if (is_integer(p.dtype)) return default_math(p.dtype);  // exact integer accumulation
    return f64_accumulation_math();
  }

  Status run(const Problem& p, Direction d, const Operands& ops, RunContext&) override {
    if (Status s = check_operands(p, d, ops); !s.ok()) return s;
    const Reference r = compute_reference(p, d, ops);
    HostTensor* out = d == Direction::fwd ? ops.y
                      : d == Direction::bwd_data ? ops.dx
                      : d == Direction::bwd_weights ? ops.dw
                                                    : ops.db;
    std::size_t e = 0;
    for_each_index(r.dims, [&](const Dims& i) { out->put(i, r.value[e++]); });
    return Status::Ok();
  }
};

}  // namespace

BackendFactory naive_backend_factory() {
  return {"naive", "direct loops, f64 accumulation: the oracle",
          [] { return std::vector<std::string>{"default"}; },
          [](const std::string& variant) -> Result<std::unique_ptr<Backend>> {
            if (variant != "default") return Status::Invalid("naive has only the variant 'default'");
            return std::unique_ptr<Backend>(std::make_unique<NaiveBackend>());
          }};
}

}  // namespace tconv
