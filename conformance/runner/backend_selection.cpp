#include "conformance/runner/backend_selection.h"

#include <algorithm>

namespace tconv {

Result<std::vector<BackendChoice>> select_backends(const Registry& registry, const std::vector<std::string>& specs) {
  using R = Result<std::vector<BackendChoice>>;
  std::vector<BackendChoice> out;
  auto add = [&](BackendChoice c) {
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(std::move(c));
  };
  auto add_all_variants = [&](const BackendFactory& f) {
    auto variants = f.variants();
    if (variants.empty()) variants.push_back("default");
    for (auto& v : variants) add({f.name, v});
  };
  if (specs.empty()) {
    for (const BackendFactory& f : registry.all()) add_all_variants(f);
    return out;
  }
  for (const std::string& spec : specs) {
    const auto colon = spec.find(':');
    const std::string name = spec.substr(0, colon);
    const BackendFactory* f = registry.find(name);
    if (f == nullptr) {
      std::string known;
      for (const auto& g : registry.all()) known += (known.empty() ? "" : ", ") + g.name;
      return R::failure("--backends: unknown backend '" + name + "' (this build has: " + known + ")");
    }
    if (colon == std::string::npos) {
      add_all_variants(*f);
      continue;
    }
    const std::string variant = spec.substr(colon + 1);
    const auto variants = f->variants();
    if (std::find(variants.begin(), variants.end(), variant) == variants.end()) {
      std::string known;
      for (const auto& v : variants) known += (known.empty() ? "" : ", ") + v;
      return R::failure("--backends: backend '" + name + "' has no variant '" + variant + "' (variants: " + known + ")");
    }
    add({name, variant});
  }
  return out;
}

Result<Backend*> BackendPool::get(const BackendChoice& choice) {
  const std::string spec = choice.spec();
  if (auto it = instances_.find(spec); it != instances_.end()) return it->second.get();
  if (auto it = errors_.find(spec); it != errors_.end()) return it->second;
  Status made;
  std::unique_ptr<Backend> b;
  try {
    Result<std::unique_ptr<Backend>> r = registry_.create(spec);
    if (r.ok()) b = std::move(r).value();
    else made = r.status();
  } catch (const std::exception& e) {
    made = Status::Error(StatusCode::error, std::string("exception: ") + e.what());
  }
  if (!b) {
    const std::string err = made.message.empty() ? "unknown error" : made.message;
    return errors_[spec] = Status::Error(made.ok() ? StatusCode::error : made.code, "cannot create backend " + spec + ": " + err);
  }
  return (instances_[spec] = std::move(b)).get();
}

}  // namespace tconv
