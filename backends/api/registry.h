// Name -> factory registry of backends. The built-in list is explicit (backends/builtin_registry.cpp,
// guarded by the CMake options); tests and plugins add entries to their own registries.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "backends/api/backend.h"

namespace tconv {

struct BackendFactory {
  std::string name;
  std::string description;
  // Variant names; the first is the default. May query a device (e.g. cuDNN algorithms).
  std::function<std::vector<std::string>()> variants;
  // nullptr with *error set when the variant does not exist or cannot be created.
  std::function<std::unique_ptr<Backend>(const std::string& variant, std::string* error)> create;
};

class Registry {
 public:
  void add(BackendFactory f);
  const std::vector<BackendFactory>& all() const { return factories_; }
  const BackendFactory* find(const std::string& name) const;

  // spec = "name" (default variant) or "name:variant".
  std::unique_ptr<Backend> create(const std::string& spec, std::string* error) const;

 private:
  std::vector<BackendFactory> factories_;
};

// Every backend this build has, in a fixed order: naive first (it is the oracle).
Registry builtin_registry();

}  // namespace tconv
