#include "conformance/runner/runner.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#if defined(_OPENMP)
#include <omp.h>
#endif

#include "conformance/runner/case_runner.h"

namespace tconv {

std::vector<Direction> case_directions(const Case& c, const RunnerOptions& options) {
  if (options.directions.empty()) return c.directions;
  std::vector<Direction> out;
  for (Direction d : c.directions)
    if (std::find(options.directions.begin(), options.directions.end(), d) != options.directions.end())
      out.push_back(d);
  return out;
}

std::int64_t planned_rows(const std::vector<Case>& cases, const std::vector<BackendChoice>& backends,
                          const RunnerOptions& options) {
  std::int64_t n = 0;
  for (const Case& c : cases) n += static_cast<std::int64_t>(case_directions(c, options).size());
  return n * static_cast<std::int64_t>(backends.size());
}

namespace {

void add_worker_counts(const WorkerPool& workers, RunnerStats* stats) {
  for (const auto& [name, n] : workers.starts()) stats->worker_starts[name] += n;
  for (const auto& [name, n] : workers.restarts()) stats->worker_restarts[name] += n;
}

RunnerStats run_sequential(const std::vector<Case>& cases, const Registry& registry,
                           const std::vector<BackendChoice>& backends, const RunnerOptions& options,
                           const RowSink& sink) {
  RunnerStats stats;
  BackendPool pool(registry);
  WorkerPool workers(worker_command(options.eval), options.eval.timeout_s);
  for (const Case& c : cases) {
    ReferenceTime reference_time;
    const bool finished = run_case(
        c, backends, pool, workers, options,
        [&](ResultRow row) {
          sink(row);
          ++stats.rows;
        },
        &reference_time);
    stats.reference_seconds += reference_time.wall;
    stats.reference_cpu_seconds += reference_time.cpu;
    if (!finished) {
      stats.stopped = true;
      break;
    }
  }
  add_worker_counts(workers, &stats);
  return stats;
}

// Cases run on `jobs` threads, each with its own backend instances; the calling thread
// hands rows to the sink case by case, in case order, as soon as a case and all before it
// are done.
RunnerStats run_parallel(const std::vector<Case>& cases, const Registry& registry,
                         const std::vector<BackendChoice>& backends, const RunnerOptions& options,
                         const RowSink& sink) {
  struct Slot {
    std::vector<ResultRow> rows;
    bool done = false;
  };
  std::vector<Slot> slots(cases.size());
  std::mutex mu;
  std::condition_variable cv;
  std::size_t next_case = 0;
  bool stopped = false;
  RunnerStats stats;

  auto worker = [&] {
#if defined(_OPENMP)
    if (options.eval.ctx.threads > 0) omp_set_num_threads(options.eval.ctx.threads);
#endif
    BackendPool pool(registry);
    WorkerPool workers(worker_command(options.eval), options.eval.timeout_s);
    struct CountOnExit {
      const WorkerPool& workers;
      std::mutex& mu;
      RunnerStats& stats;
      ~CountOnExit() {
        std::lock_guard<std::mutex> lock(mu);
        add_worker_counts(workers, &stats);
      }
    } count_on_exit{workers, mu, stats};
    while (true) {
      std::size_t i;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (next_case >= cases.size() || stopped) return;
        i = next_case++;
      }
      std::vector<ResultRow> rows;
      ReferenceTime reference_time;
      const bool finished = run_case(
          cases[i], backends, pool, workers, options, [&](ResultRow r) { rows.push_back(std::move(r)); },
          &reference_time);
      {
        std::lock_guard<std::mutex> lock(mu);
        stats.reference_seconds += reference_time.wall;
        stats.reference_cpu_seconds += reference_time.cpu;
        slots[i].rows = std::move(rows);
        slots[i].done = true;
        if (!finished) stopped = true;
      }
      cv.notify_all();
    }
  };

  const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(cases.size())));
  std::vector<std::thread> threads;
  for (int t = 0; t < jobs; ++t) threads.emplace_back(worker);

  std::size_t flushed = 0;
  auto flush_ready = [&](std::unique_lock<std::mutex>& lock) {
    while (flushed < slots.size() && slots[flushed].done) {
      std::vector<ResultRow> rows = std::move(slots[flushed].rows);
      ++flushed;
      lock.unlock();
      for (const ResultRow& r : rows) {
        sink(r);
        ++stats.rows;
      }
      lock.lock();
    }
  };
  {
    std::unique_lock<std::mutex> lock(mu);
    while (flushed < slots.size()) {
      flush_ready(lock);
      if (flushed >= slots.size()) break;
      // After a stop, cases that never started stay undone: wait for the running ones only.
      if (stopped && next_case <= flushed) break;
      cv.wait(lock, [&] { return slots[flushed].done || (stopped && next_case <= flushed); });
    }
  }
  for (auto& t : threads) t.join();
  // Stopped: hand over whatever finished, in case order (a gap is fine: --resume fills it).
  for (std::size_t i = flushed; i < slots.size(); ++i)
    if (slots[i].done)
      for (const ResultRow& r : slots[i].rows) {
        sink(r);
        ++stats.rows;
      }
  stats.stopped = stopped;
  return stats;
}

}  // namespace

RunnerStats run_cases(const std::vector<Case>& cases, const Registry& registry,
                      const std::vector<BackendChoice>& backends, const RunnerOptions& options, const RowSink& sink) {
  const bool parallel = options.jobs > 1 && !options.eval.perf.enabled && cases.size() > 1;
  RunnerStats stats = parallel ? run_parallel(cases, registry, backends, options, sink)
                               : run_sequential(cases, registry, backends, options, sink);
  // Rows skipped because --resume had them.
  std::int64_t done = 0;
  for (const Case& c : cases)
    for (const BackendChoice& b : backends)
      for (Direction d : case_directions(c, options))
        done += options.done.count(RowKey{c.name, b.name, b.variant, d});
  stats.already_done = done;
  return stats;
}

}  // namespace tconv
