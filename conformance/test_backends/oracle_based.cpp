#include "conformance/test_backends/oracle_based.h"

namespace tconv::testing {

Capabilities OracleBased::capabilities() const {
  Capabilities c;
  c.dtypes.assign(std::begin(kAllDTypes), std::end(kAllDTypes));
  c.layouts.assign(std::begin(kDataLayouts), std::end(kDataLayouts));
  c.weight_layouts.assign(std::begin(kWeightLayouts), std::end(kWeightLayouts));
  return c;
}

HostTensor* OracleBased::output(const Operands& ops, Direction d) { return output_of(ops, d); }

}  // namespace tconv::testing
