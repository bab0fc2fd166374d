#include "conformance/conventions/convention.h"

namespace tconv::conventions {

const Param* ParamSet::find(std::string_view key) const {
  auto it = given_.find(key);
  return it == given_.end() ? nullptr : &it->second;
}

const Value* ParamSet::value(std::string_view key) const {
  if (const Param* p = find(key)) return &p->value;
  for (const KeySpec& k : *keys_)
    if (k.name == key) return k.default_value ? &*k.default_value : nullptr;
  return nullptr;
}

}  // namespace tconv::conventions
