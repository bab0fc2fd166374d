// --backends: which backends and variants a run covers. "name" selects every variant of the
// backend, "name:variant" one of them; no list selects every registered backend.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backends/api/registry.h"
#include "backends/api/result.h"

namespace tconv {

struct BackendChoice {
  std::string name, variant;
  std::string spec() const { return name + ":" + variant; }
  bool operator==(const BackendChoice&) const = default;
};

Result<std::vector<BackendChoice>> select_backends(const Registry& registry, const std::vector<std::string>& specs);

// Backend instances, one per choice, created on first use (a pool per worker thread: a
// backend instance is not assumed to be thread-safe).
class BackendPool {
 public:
  explicit BackendPool(const Registry& registry) : registry_(registry) {}
  // The instance (never nullptr), or why it cannot be created ("cannot create backend ...").
  Result<Backend*> get(const BackendChoice& choice);

 private:
  const Registry& registry_;
  std::map<std::string, std::unique_ptr<Backend>> instances_;
  std::map<std::string, Status> errors_;
};

}  // namespace tconv
