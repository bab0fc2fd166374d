#include "conformance/compare.h"

namespace tconv {

std::string Comparison::summary() const { return "not implemented"; }

Comparison compare_to_reference(const Reference&, const HostTensor&, const MathMode&) { return {}; }

Comparison compare_to_expected(const Reference&, const HostTensor&, const HostTensor&, const MathMode&) {
  return {};
}

}  // namespace tconv
