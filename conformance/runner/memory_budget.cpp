#include "conformance/runner/memory_budget.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <string>

#if defined(TCONV_WITH_CUDA)
#include "backends/cuda/device_info.h"
#endif

namespace tconv {

MemoryNeed estimate_memory(const Problem& p, Direction d) {
  const double es = static_cast<double>(dtype_size(p.dtype));
  const double x = double(p.n) * p.c_in * p.h_in * p.w_in;
  const double y = double(p.n) * p.c_out * p.h_out() * p.w_out();
  const double w = double(p.c_in) * (p.c_out / p.groups) * p.kh * p.kw;
  const double b = p.bias ? double(p.c_out) : 0.0;
  double out = 0;
  switch (d) {
    case Direction::fwd: out = y; break;
    case Direction::bwd_data: out = x; break;
    case Direction::bwd_weights: out = w; break;
    case Direction::bwd_bias: out = double(p.c_out); break;
  }
  MemoryNeed m;
  m.inputs = (x + w + b + y) * es;
  m.output = out * es;
  m.reference = out * (8 + 8 + 4);
  return m;
}

std::uint64_t available_host_memory() {
  std::ifstream in("/proc/meminfo");
  std::string key, unit;
  std::uint64_t kib = 0;
  while (in >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib * 1024;
  return 0;
}

std::uint64_t default_memory_budget() {
  const std::uint64_t a = available_host_memory();
  return a ? a / 2 : std::uint64_t{4} << 30;
}

std::uint64_t device_memory_bytes() {
#if defined(TCONV_WITH_CUDA)
  static const std::uint64_t bytes = [] {
    const cuda::DeviceReport r = cuda::query_devices();
    return r.gpus.empty() ? std::uint64_t{0}
                          : static_cast<std::uint64_t>(r.gpus.front().memory_gib * 1024.0 * 1024.0 * 1024.0);
  }();
  return bytes;
#else
  return 0;
#endif
}

Result<std::uint64_t> parse_memory_limit(std::string_view text, std::uint64_t available) {
  using R = Result<std::uint64_t>;
  const std::string why = "--max-memory '" + std::string(text) +
                          "': expected bytes (e.g. 8G, 512MiB, 1e9) or a fraction in (0, 1] of available memory";
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || !std::isfinite(v) || v <= 0) return R::failure(why);
  std::string suffix(p, text.data() + text.size());
  for (char& c : suffix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (suffix.empty() && v <= 1.0) {
    if (available == 0) return R::failure(why + " (available memory is unknown here)");
    return static_cast<std::uint64_t>(v * static_cast<double>(available));
  }
  double scale = 1;
  if (suffix.empty() || suffix == "B") scale = 1;
  else if (suffix == "K" || suffix == "KB" || suffix == "KIB") scale = 1024.0;
  else if (suffix == "M" || suffix == "MB" || suffix == "MIB") scale = 1024.0 * 1024;
  else if (suffix == "G" || suffix == "GB" || suffix == "GIB") scale = 1024.0 * 1024 * 1024;
  else if (suffix == "T" || suffix == "TB" || suffix == "TIB") scale = 1024.0 * 1024 * 1024 * 1024;
  else return R::failure(why);
  const double bytes = v * scale;
  if (bytes >= 1.8e19) return R::failure(why);
  return static_cast<std::uint64_t>(bytes);
}

}  // namespace tconv
