// Name -> factory registry of backends. The built-in list is explicit (backends/builtin_registry.cpp,
// guarded by the CMake options); tests and plugins add entries to their own registries.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "backends/api/backend.h"
#include "backends/api/result.h"

namespace tconv {

struct BackendFactory {
  std::string name;
  std::string description;
  // Variant names; the first is the default. May query a device (e.g. cuDNN algorithms).
  std::function<std::vector<std::string>()> variants;
  // The backend, or why not: the variant does not exist (StatusCode::invalid) or cannot be
  // created. Never nullptr when ok.
  std::function<Result<std::unique_ptr<Backend>>(const std::string& variant)> create;
};

class Registry {
 public:
  void add(BackendFactory f);
  const std::vector<BackendFactory>& all() const { return factories_; }
  const BackendFactory* find(const std::string& name) const;

  // spec = "name" (default variant) or "name:variant".
  Result<std::unique_ptr<Backend>> create(const std::string& spec) const;

 private:
  std::vector<BackendFactory> factories_;
};

// Every backend this build has, in a fixed order: naive first (it is the oracle).
Registry builtin_registry();

}  // namespace tconv
