// The registered conventions, in the order `tconv` lists them. One X(...) line per convention.
#include "conformance/conventions/convention.h"

#define TCONV_CONVENTIONS(X) \
  X(canonical)               \
  X(pytorch)                 \
  X(keras)                   \
  X(tf)                      \
  X(onnx)

namespace tconv::conventions {

#define TCONV_DECLARE(name) const Convention& name##_convention();
TCONV_CONVENTIONS(TCONV_DECLARE)
#undef TCONV_DECLARE

const std::vector<const Convention*>& all_conventions() {
#define TCONV_LIST(name) &name##_convention(),
  static const std::vector<const Convention*> list = {TCONV_CONVENTIONS(TCONV_LIST)};
#undef TCONV_LIST
  return list;
}

const Convention* find_convention(std::string_view name) {
  for (const Convention* c : all_conventions())
    if (c->name() == name) return c;
  return nullptr;
}

std::vector<std::string> convention_names() {
  std::vector<std::string> names;
  for (const Convention* c : all_conventions()) names.emplace_back(c->name());
  return names;
}

}  // namespace tconv::conventions
