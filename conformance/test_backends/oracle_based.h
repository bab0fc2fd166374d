// A base for test backends that compute through the oracle: naive's capabilities, and a
// helper that writes a Reference into an output tensor.
#pragma once

#include <string>

#include "backends/api/backend.h"
#include "backends/naive/oracle.h"

namespace tconv::testing {

class OracleBased : public Backend {
 public:
  explicit OracleBased(std::string name) : name_(std::move(name)) {}
  std::string name() const override { return name_; }
  Capabilities capabilities() const override;
  MathMode math(const Problem&) const override { return f64_accumulation_math(); }

 protected:
  static HostTensor* output(const Operands& ops, Direction d);
  // Writes every element of r into out, or all but those for which skip(index) is true.
  template <class Skip>
  static void write(const Reference& r, HostTensor& out, Skip skip) {
    std::size_t e = 0;
    for_each_index(r.dims, [&](const Dims& i) {
      const double v = r.value[e++];
      if (!skip(i)) out.put(i, v);
    });
  }
  static void write(const Reference& r, HostTensor& out) {
    write(r, out, [](const Dims&) { return false; });
  }

 private:
  std::string name_;
};

}  // namespace tconv::testing
