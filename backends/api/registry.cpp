#include "backends/api/registry.h"

namespace tconv {

void Registry::add(BackendFactory f) { factories_.push_back(std::move(f)); }

const BackendFactory* Registry::find(const std::string& name) const {
  for (const auto& f : factories_)
    if (f.name == name) return &f;
  return nullptr;
}

Result<std::unique_ptr<Backend>> Registry::create(const std::string& spec) const {
  const auto colon = spec.find(':');
  const std::string name = spec.substr(0, colon);
  const BackendFactory* f = find(name);
  if (f == nullptr) {
    std::string known;
    for (const auto& g : factories_) known += (known.empty() ? "" : ", ") + g.name;
    return Status::Invalid("unknown backend '" + name + "' (this build has: " + known + ")");
  }
  std::string variant;
  if (colon != std::string::npos) {
    variant = spec.substr(colon + 1);
  } else {
    const auto vs = f->variants();
    variant = vs.empty() ? "default" : vs.front();
  }
  Result<std::unique_ptr<Backend>> b = f->create(variant);
  // A factory that answers nothing useful (no backend, or an error without a message).
  if (b.ok() ? *b == nullptr : b.error().empty())
    return Status::Invalid("backend '" + name + "' has no variant '" + variant + "'");
  return b;
}

}  // namespace tconv
