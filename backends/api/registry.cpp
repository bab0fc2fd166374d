#include "backends/api/registry.h"

namespace tconv {

void Registry::add(BackendFactory f) { factories_.push_back(std::move(f)); }

const BackendFactory* Registry::find(const std::string& name) const {
  for (const auto& f : factories_)
    if (f.name == name) return &f;
  return nullptr;
}

std::unique_ptr<Backend> Registry::create(const std::string& spec, std::string* error) const {
  const auto colon = spec.find(':');
  const std::string name = spec.substr(0, colon);
  const BackendFactory* f = find(name);
  if (f == nullptr) {
    std::string known;
    for (const auto& g : factories_) known += (known.empty() ? "" : ", ") + g.name;
    if (error) *error = "unknown backend '" + name + "' (this build has: " + known + ")";
    return nullptr;
  }
  std::string variant;
  if (colon != std::string::npos) {
    variant = spec.substr(colon + 1);
  } else {
    const auto vs = f->variants();
    variant = vs.empty() ? "default" : vs.front();
  }
  std::string err;
  auto b = f->create(variant, &err);
  if (!b && error) *error = err.empty() ? "backend '" + name + "' has no variant '" + variant + "'" : err;
  return b;
}

}  // namespace tconv
