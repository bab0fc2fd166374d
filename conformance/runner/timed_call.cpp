#include "conformance/runner/timed_call.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <new>

namespace tconv {

Status guarded_run(Backend& backend, const Problem& p, Direction d, const Operands& ops, RunContext& ctx) {
  try {
    return backend.run(p, d, ops, ctx);
  } catch (const std::bad_alloc&) {
    return Status::Error(StatusCode::out_of_memory, "exception: out of memory (std::bad_alloc)");
  } catch (const std::exception& e) {
    return Status::Error(StatusCode::error, std::string("exception: ") + e.what());
  } catch (...) {
    return Status::Error(StatusCode::error, "exception of unknown type");
  }
}

double median_of(std::vector<double> ms) {
  if (ms.empty()) return 0;
  std::sort(ms.begin(), ms.end());
  const std::size_t n = ms.size();
  return n % 2 ? ms[n / 2] : 0.5 * (ms[n / 2 - 1] + ms[n / 2]);
}

Timing summarize_times(std::vector<double> ms, bool device_time) {
  Timing t;
  t.repeats = static_cast<int>(ms.size());
  t.device_time = device_time;
  if (ms.empty()) return t;
  t.median_ms = median_of(ms);
  t.min_ms = *std::min_element(ms.begin(), ms.end());
  t.max_ms = *std::max_element(ms.begin(), ms.end());
  return t;
}

void flush_host_caches() {
  static std::vector<unsigned char> buffer = [] {
    long llc = 0;
#ifdef _SC_LEVEL3_CACHE_SIZE
    llc = ::sysconf(_SC_LEVEL3_CACHE_SIZE);
#endif
    // Twice the reported LLC, within [64 MiB, 1 GiB] (VMs report the whole host's L3).
    const std::size_t size = std::clamp<std::size_t>(2 * static_cast<std::size_t>(std::max(llc, 0L)),
                                                     std::size_t(64) << 20, std::size_t(1) << 30);
    return std::vector<unsigned char>(size, 1);
  }();
  volatile unsigned sink = 0;
  unsigned acc = 0;
  for (std::size_t i = 0; i < buffer.size(); i += 64) {
    buffer[i] = static_cast<unsigned char>(buffer[i] + 1);
    acc += buffer[i];
  }
  sink = acc;
  (void)sink;
}

CallResult timed_call(Backend& backend, const Problem& p, Direction d, const Operands& ops, RunContext& ctx,
                      const PerfOptions& perf) {
  CallResult r;
  r.status = guarded_run(backend, p, d, ops, ctx);
  if (r.status.ok()) r.details = backend.last_run_details();
  if (!r.status.ok() || !perf.enabled) return r;

  for (int i = 0; i < perf.warmup; ++i)
    if (Status s = guarded_run(backend, p, d, ops, ctx); !s.ok()) {
      r.status = s;
      return r;
    }
  using clock = std::chrono::steady_clock;
  std::vector<double> ms, staging_ms;
  bool device = true, staged = true;
  double total_s = 0;
  while (true) {
    if (perf.flush_cache) flush_host_caches();
    const auto t0 = clock::now();
    Status s = guarded_run(backend, p, d, ops, ctx);
    const auto t1 = clock::now();
    if (!s.ok()) {
      r.status = s;
      return r;
    }
    const double wall = std::chrono::duration<double, std::milli>(t1 - t0).count();
    const auto dev = backend.last_device_time_ms();
    device = device && dev.has_value();
    ms.push_back(dev ? *dev : wall);
    const auto staging = backend.last_staging_time_ms();
    staged = staged && staging.has_value();
    if (staging) staging_ms.push_back(*staging);
    total_s += wall / 1000.0;
    const int n = static_cast<int>(ms.size());
    if (perf.repeats > 0 ? n >= perf.repeats : (total_s >= perf.min_time_s && n >= 3) || n >= perf.max_repeats) break;
  }
  r.timing = summarize_times(std::move(ms), device);
  if (staged) r.timing->staging_ms = median_of(std::move(staging_ms));
  return r;
}

}  // namespace tconv
