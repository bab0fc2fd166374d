#include "conformance/testing/oracle_based.h"

namespace tconv::testing {

Capabilities OracleBased::capabilities() const {
  Capabilities c;
  c.dtypes.assign(std::begin(kAllDTypes), std::end(kAllDTypes));
  c.layouts.assign(std::begin(kDataLayouts), std::end(kDataLayouts));
  c.weight_layouts.assign(std::begin(kWeightLayouts), std::end(kWeightLayouts));
  return c;
}

HostTensor* OracleBased::output(const Operands& ops, Direction d) {
  switch (d) {
    case Direction::fwd: return ops.y;
    case Direction::bwd_data: return ops.dx;
    case Direction::bwd_weights: return ops.dw;
    case Direction::bwd_bias: return ops.db;
  }
  return nullptr;
}

}  // namespace tconv::testing
