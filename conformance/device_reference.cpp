#include "conformance/device_reference.h"

#include <memory>
#include <mutex>

#include "conformance/sums_reference.h"

#ifdef TCONV_HAVE_DEVICE_REFERENCE
#include "backends/cuda/cuda_backend.h"
#endif

namespace tconv {

std::optional<Reference> device_reference(const Problem& p, Direction d, const Operands& ops) {
#ifdef TCONV_HAVE_DEVICE_REFERENCE
  if (is_integer(p.dtype)) return std::nullopt;
  // One gather backend for the process (its device context stays warm between references);
  // cases that run in parallel (--jobs) take turns on it.
  static std::mutex mutex;
  static std::unique_ptr<Backend> gather;
  static bool absent = false;
  const std::lock_guard<std::mutex> lock(mutex);
  if (absent) return std::nullopt;
  if (!gather) {
    gather = cuda_backend_factory().create("gather").value_or(nullptr);
    if (!gather) {
      absent = true;
      return std::nullopt;
    }
  }
  Status failure = Status::Ok();
  std::optional<Reference> r = sums_reference(widened_backend_sums(*gather, &failure), p, d, ops, "cuda:gather f64");
  if (failure.code == StatusCode::no_device) absent = true;
  return r;
#else
  (void)p, (void)d, (void)ops;
  return std::nullopt;
#endif
}

}  // namespace tconv
