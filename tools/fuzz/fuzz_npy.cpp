// libFuzzer target for the .npy reader. Properties: no crash or sanitizer report, no absurd
// allocation (libFuzzer's -rss_limit_mb catches those), a one-line error naming the file on
// rejection, and an accepted array whose value count matches its shape and which survives a
// write / read round trip when it has a rank tconv writes (1 or 4).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "backends/api/npy.h"

namespace {

bool same_value(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tconv;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const Result<NpyArray> r = parse_npy(bytes, "fuzz.npy");
  if (!r.ok()) {
    if (r.error().rfind("fuzz.npy: ", 0) != 0 || r.error().find_first_of("\r\n") != std::string::npos)
      __builtin_trap();
    return 0;
  }
  const NpyArray& a = r.value();
  std::size_t numel = 1;
  for (std::int64_t d : a.shape) numel *= static_cast<std::size_t>(d);
  if (a.values.size() != numel) __builtin_trap();

  if (a.shape.size() != 1 && a.shape.size() != 4) return 0;
  const Layout layout = a.shape.size() == 1 ? Layout::X : Layout::NCHW;
  const Dims dims = a.shape.size() == 1 ? Dims{a.shape[0], 1, 1, 1}
                                        : Dims{a.shape[0], a.shape[1], a.shape[2], a.shape[3]};
  HostTensor t(a.dtype, layout, dims);
  for (std::size_t i = 0; i < numel; ++i) t.set(static_cast<std::int64_t>(i), a.values[i]);
  const std::string again = npy_bytes(t);
  const Result<NpyArray> back = parse_npy(again, "again.npy");
  if (!back.ok() || back.value().shape != a.shape || back.value().dtype != a.dtype) __builtin_trap();
  for (std::size_t i = 0; i < numel; ++i)
    if (!same_value(back.value().values[i], a.values[i])) __builtin_trap();
  return 0;
}
